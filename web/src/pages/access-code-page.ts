/**
 * `<access-code-page>`: online access by proof of the number (docs/api.md). A customer whose number the
 * operator issued activates online access ("activate"), or sets a new password after forgetting it
 * ("reset"): first the number, to which a 6-digit code is sent by SMS, then the code and the new
 * password, and they are logged in. The answers never tell whether a number exists.
 *
 * @fires logged-in - `detail` is the new token; the app root keeps it for every tab.
 */
import { msg, str } from "@lit/localize";
import { LitElement, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { graphql, request } from "../api/graphql.ts";
import type { Field, Values } from "../components/op-form.ts";
import "../components/op-form.ts";
import { pageStyles } from "../ui.ts";

const RequestCode = graphql(`
  mutation RequestVerificationCode($mobileNo: String!) {
    requestVerificationCode(input: { mobileNo: $mobileNo }) {
      result
    }
  }
`);

const Activate = graphql(`
  mutation ActivateOnlineAccess($mobileNo: String!, $code: String!, $password: String!) {
    registerCustomer(input: { mobileNo: $mobileNo, code: $code, password: $password }) {
      jwtToken
    }
  }
`);

const Reset = graphql(`
  mutation ResetPassword($mobileNo: String!, $code: String!, $newPassword: String!) {
    resetPassword(input: { mobileNo: $mobileNo, code: $code, newPassword: $newPassword }) {
      jwtToken
    }
  }
`);

const numberFields = (): Field[] => [
  {
    name: "mobileNo",
    label: msg("Mobile number"),
    type: "tel",
    required: true,
    pattern: "[0-9]{11}",
    hint: msg("11 digits, e.g. 01012345678"),
    autocomplete: "username",
  },
];

const codeFields = (): Field[] => [
  {
    name: "code",
    label: msg("Code from the SMS"),
    required: true,
    pattern: "[0-9]{6}",
    hint: msg("6 digits, valid for 10 minutes"),
    autocomplete: "one-time-code",
  },
  {
    name: "password",
    label: msg("New password"),
    type: "password",
    required: true,
    hint: msg("At least 8 characters, at most 72 bytes"),
    autocomplete: "new-password",
    check: (value) =>
      value.length < 8
        ? msg("Use at least 8 characters.")
        : new TextEncoder().encode(value).length > 72
          ? msg("Use at most 72 bytes (about 72 letters).")
          : null,
  },
  {
    name: "confirm",
    label: msg("New password again"),
    type: "password",
    required: true,
    autocomplete: "new-password",
    check: (value, values) => (value === values.password ? null : msg("The two new passwords differ.")),
  },
];

export type AccessPurpose = "activate" | "reset";

@customElement("access-code-page")
export class AccessCodePage extends LitElement {
  static styles = pageStyles;

  /** Activate online access for a number, or reset a forgotten password. */
  @property() purpose: AccessPurpose = "activate";

  /** The number the code was sent to, once asked. */
  @state() private _mobileNo = "";

  private _requestCode = async (values: Values) => {
    await request(RequestCode, { mobileNo: values.mobileNo });
    this._mobileNo = values.mobileNo;
    return "";
  };

  private _useCode = async (values: Values) => {
    const token =
      this.purpose === "activate"
        ? (await request(Activate, { mobileNo: this._mobileNo, code: values.code, password: values.password })).registerCustomer?.jwtToken
        : (await request(Reset, { mobileNo: this._mobileNo, code: values.code, newPassword: values.password })).resetPassword?.jwtToken;
    if (!token)
      throw new Error(msg("This code is not valid: check it, or ask for a new one (a code is valid for 10 minutes and 5 tries)."));
    this.dispatchEvent(new CustomEvent("logged-in", { detail: token, bubbles: true, composed: true }));
    return msg("Logged in.");
  };

  render() {
    const activate = this.purpose === "activate";
    return html`<section class="narrow">
      <h1>${activate ? msg("Activate online access") : msg("Forgot your password?")}</h1>
      ${
        this._mobileNo
          ? html`<p>
                ${
                  activate
                    ? msg(
                        str`If ${this._mobileNo} is a Telecom number, a 6-digit code is on its way to it by SMS. Enter it with the password you want.`,
                      )
                    : msg(
                        str`If ${this._mobileNo} is a Telecom number, a 6-digit code is on its way to it by SMS. Enter it with your new password.`,
                      )
                }
              </p>
              <op-form
                .fields=${codeFields()}
                .submit=${this._useCode}
                submit-label=${activate ? msg("Activate") : msg("Set the new password")}
              ></op-form>
              <p>
                <button type="button" class="secondary" @click=${() => (this._mobileNo = "")}>${msg("Ask for a new code")}</button>
              </p>`
          : html`<p>
                ${
                  activate
                    ? msg("Your number was issued by Telecom: prove you hold it with a code we send to it by SMS, then choose a password.")
                    : msg("We send a code by SMS to your number; with it you choose a new password.")
                }
              </p>
              <op-form .fields=${numberFields()} .submit=${this._requestCode} submit-label=${msg("Send me a code")}></op-form>`
      }
      <p><a href="/login">${msg("Back to the login")}</a></p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "access-code-page": AccessCodePage;
  }
}

/**
 * `<login-page>`: customers log in with their mobile number, administrators with their username.
 *
 * @fires logged-in - `detail` is the new token; the app root keeps it for every tab.
 */
import { localized, msg } from "@lit/localize";
import { LitElement, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { ApiError, graphql, request } from "../api/graphql.ts";
import { Login } from "../../../shared/login-mutation.ts";
import type { Field, Values } from "../components/op-form.ts";
import "../components/op-form.ts";
import { pageStyles } from "../ui.ts";

const passwordField = (): Field => ({
  name: "password",
  label: msg("Password"),
  type: "password",
  required: true,
  missing: msg("Enter your password."),
  autocomplete: "current-password",
});
const customerFields = (): Field[] => [
  {
    name: "mobileNo",
    label: msg("Mobile number"),
    type: "tel",
    required: true,
    missing: msg("Enter your mobile number."),
    pattern: "[0-9]{11}",
    hint: msg("11 digits, e.g. 01012345678"),
    autocomplete: "username",
  },
  passwordField(),
];
const adminFields = (): Field[] => [
  { name: "username", label: msg("Username"), required: true, missing: msg("Enter your username."), autocomplete: "username" },
  passwordField(),
];

const AdminLogin = graphql(`
  mutation AdminLogin($username: String!, $password: String!) {
    authenticateAdmin(input: { username: $username, password: $password }) {
      jwtToken
    }
  }
`);

/** A throttled attempt (TC220) says how long to wait, in words a person reads. */
async function throttled<T>(attempt: Promise<T>): Promise<T> {
  try {
    return await attempt;
  } catch (error) {
    if (error instanceof ApiError && error.code === "TC220" && error.retryAfter !== undefined) {
      throw new Error(`Too many failed attempts: wait ${waitText(error.retryAfter)}, then try again.`);
    }
    throw error;
  }
}

function waitText(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

@customElement("login-page")
@localized()
export class LoginPage extends LitElement {
  static styles = pageStyles;

  @state() private _admin = false;

  private _customerLogin = async (values: Values) => {
    const data = await throttled(request(Login, { mobileNo: values.mobileNo, password: values.password }));
    return this._finish(data.authenticate?.jwtToken);
  };

  private _adminLogin = async (values: Values) => {
    const data = await throttled(request(AdminLogin, { username: values.username, password: values.password }));
    return this._finish(data.authenticateAdmin?.jwtToken);
  };

  private _finish(token: string | null | undefined): string {
    if (!token) throw new Error(msg("Wrong credentials."));
    this.dispatchEvent(new CustomEvent("logged-in", { detail: token, bubbles: true, composed: true }));
    return msg("Logged in.");
  }

  render() {
    return html`<section class="narrow">
      <h1 tabindex="-1">${this._admin ? msg("Administrator login") : msg("Log in to your account")}</h1>
      ${
        this._admin
          ? html`<op-form .fields=${adminFields()} .submit=${this._adminLogin} submit-label=${msg("Log in")}></op-form>`
          : html`<op-form .fields=${customerFields()} .submit=${this._customerLogin} submit-label=${msg("Log in")}></op-form>`
      }
      ${
        this._admin
          ? ""
          : html`<p>
              <a href="/forgot-password">${msg("Forgot your password?")}</a> · ${msg("New to online access?")}
              <a href="/activate">${msg("Activate it with your number")}</a>
            </p>`
      }
      <p>
        <button type="button" class="secondary" @click=${() => (this._admin = !this._admin)}>
          ${this._admin ? msg("I am a customer") : msg("I am an administrator")}
        </button>
      </p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "login-page": LoginPage;
  }
}

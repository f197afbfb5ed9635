/**
 * `<login-page>`: customers log in with their mobile number, administrators with their username.
 *
 * @fires logged-in - `detail` is the new token; the app root keeps it for every tab.
 */
import { LitElement, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { ApiError, graphql, request } from "../api/graphql.ts";
import type { Field, Values } from "../components/op-form.ts";
import "../components/op-form.ts";
import { pageStyles } from "../ui.ts";

const CUSTOMER_FIELDS: Field[] = [
  {
    name: "mobileNo",
    label: "Mobile number",
    type: "tel",
    required: true,
    pattern: "[0-9]{11}",
    hint: "11 digits, e.g. 01012345678",
    autocomplete: "username",
  },
  { name: "password", label: "Password", type: "password", required: true, autocomplete: "current-password" },
];
const ADMIN_FIELDS: Field[] = [
  { name: "username", label: "Username", required: true, autocomplete: "username" },
  { name: "password", label: "Password", type: "password", required: true, autocomplete: "current-password" },
];

const Login = graphql(`
  mutation Login($mobileNo: String!, $password: String!) {
    authenticate(input: { mobileNo: $mobileNo, password: $password }) {
      jwtToken
    }
  }
`);

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
    if (!token) throw new Error("Wrong credentials.");
    this.dispatchEvent(new CustomEvent("logged-in", { detail: token, bubbles: true, composed: true }));
    return "Logged in.";
  }

  render() {
    return html`<section class="narrow">
      <h1>${this._admin ? "Administrator login" : "Log in to your account"}</h1>
      ${
        this._admin
          ? html`<op-form .fields=${ADMIN_FIELDS} .submit=${this._adminLogin} submit-label="Log in"></op-form>`
          : html`<op-form .fields=${CUSTOMER_FIELDS} .submit=${this._customerLogin} submit-label="Log in"></op-form>`
      }
      ${
        this._admin
          ? ""
          : html`<p>
              <a href="/forgot-password">Forgot your password?</a> · New to online access?
              <a href="/activate">Activate it with your number</a>
            </p>`
      }
      <p>
        <button type="button" class="secondary" @click=${() => (this._admin = !this._admin)}>
          ${this._admin ? "I am a customer" : "I am an administrator"}
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

/**
 * `<login-page>`: customers log in with their mobile number, administrators with their username.
 */
import { LitElement, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { graphql } from "../api/graphql.ts";
import { logIn } from "../api/session.ts";
import { navigate } from "../router.ts";
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

async function customerLogin(values: Values): Promise<string> {
  const data = await graphql<{ authenticate: { jwtToken: string | null } }>(
    `
      mutation Login($mobileNo: String!, $password: String!) {
        authenticate(input: { mobileNo: $mobileNo, password: $password }) {
          jwtToken
        }
      }
    `,
    values,
  );
  return finish(data.authenticate.jwtToken, "/");
}

async function adminLogin(values: Values): Promise<string> {
  const data = await graphql<{ authenticateAdmin: { jwtToken: string | null } }>(
    `
      mutation AdminLogin($username: String!, $password: String!) {
        authenticateAdmin(input: { username: $username, password: $password }) {
          jwtToken
        }
      }
    `,
    values,
  );
  return finish(data.authenticateAdmin.jwtToken, "/admin");
}

function finish(jwt: string | null, home: string): string {
  if (!jwt) throw new Error("Wrong credentials.");
  logIn(jwt);
  navigate(home);
  return "Logged in.";
}

@customElement("login-page")
export class LoginPage extends LitElement {
  static styles = pageStyles;

  @state() private _admin = false;

  render() {
    return html`<section style="max-width: 26rem; margin: 2rem auto">
      <h1>${this._admin ? "Administrator login" : "Log in to your account"}</h1>
      ${
        this._admin
          ? html`<op-form .fields=${ADMIN_FIELDS} .submit=${adminLogin} submit-label="Log in"></op-form>`
          : html`<op-form .fields=${CUSTOMER_FIELDS} .submit=${customerLogin} submit-label="Log in"></op-form>`
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

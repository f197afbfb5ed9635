/**
 * `<profile-page>`: the customer's details, changing their e-mail and address, and their password.
 */
import { LitElement, html } from "lit";
import { customElement } from "lit/decorators.js";
import { Task } from "@lit/task";
import { graphql, money, type Nodes } from "../api/graphql.ts";
import { customer } from "../api/session.ts";
import type { Account } from "../api/types.ts";
import type { Field, Values } from "../components/op-form.ts";
import "../components/op-form.ts";
import { pageStyles, taskView } from "../ui.ts";

interface Profile {
  nationalId: number;
  firstName: string;
  lastName: string;
  email: string | null;
  address: string | null;
  dateOfBirth: string;
}

const PASSWORD_FIELDS: Field[] = [
  { name: "oldPassword", label: "Current password", type: "password", required: true, autocomplete: "current-password" },
  {
    name: "newPassword",
    label: "New password",
    type: "password",
    required: true,
    autocomplete: "new-password",
    check: (v) => (v.length >= 8 ? null : "Use at least 8 characters."),
  },
  {
    name: "repeat",
    label: "New password again",
    type: "password",
    required: true,
    autocomplete: "new-password",
    check: (v, all) => (v === all.newPassword ? null : "The passwords differ."),
  },
];

@customElement("profile-page")
export class ProfilePage extends LitElement {
  static styles = pageStyles;

  private _data = new Task(this, {
    task: async (_args, { signal }) =>
      graphql<{ customerProfiles: Nodes<Profile>; customerAccounts: Nodes<Account> }>(
        `
          {
            customerProfiles {
              nodes {
                nationalId
                firstName
                lastName
                email
                address
                dateOfBirth
              }
            }
            customerAccounts {
              nodes {
                mobileNo
                nationalId
                balance
                points
                accountType
                status
                startDate
              }
            }
          }
        `,
        {},
        signal,
      ),
    args: () => [],
  });

  private _save = async (values: Values) => {
    await graphql(
      `
        mutation Save($nationalId: Int!, $email: String, $address: String) {
          updateCustomerProfile(input: { nationalId: $nationalId, patch: { email: $email, address: $address } }) {
            clientMutationId
          }
        }
      `,
      {
        nationalId: customer().nationalId,
        email: values.email || null,
        address: values.address || null,
      },
    );
    this._data.run();
    return "Your details are saved.";
  };

  private _password = async (values: Values) => {
    const data = await graphql<{ changePassword: { result: boolean } }>(
      `
        mutation Password($oldPassword: String!, $newPassword: String!) {
          changePassword(input: { oldPassword: $oldPassword, newPassword: $newPassword }) {
            result
          }
        }
      `,
      { oldPassword: values.oldPassword, newPassword: values.newPassword },
    );
    if (!data.changePassword.result) throw new Error("The current password is wrong.");
    return "Your password is changed.";
  };

  render() {
    return html`<h1>Profile</h1>
      ${taskView(this._data, (data) => {
        const profile = data.customerProfiles.nodes.find((p) => p.nationalId === customer().nationalId);
        if (!profile) return html`<p class="muted">No profile found.</p>`;
        const fields: Field[] = [
          { name: "email", label: "E-mail", type: "email", value: profile.email ?? "", autocomplete: "email" },
          { name: "address", label: "Address", type: "textarea", value: profile.address ?? "" },
        ];
        return html`<div class="grid">
          <section aria-labelledby="you">
            <h2 id="you">${profile.firstName} ${profile.lastName}</h2>
            <p class="muted">National id ${profile.nationalId} · born ${profile.dateOfBirth}</p>
            <ul class="plain">
              ${data.customerAccounts.nodes.map((a) => html`<li><strong>${a.mobileNo}</strong><span>${a.accountType.replace(/_/g, " ")} · ${a.status} · ${money(a.balance)} EGP · ${a.points} points</span></li>`)}
            </ul>
          </section>
          <section aria-labelledby="contact">
            <h2 id="contact">Contact details</h2>
            <op-form .fields=${fields} .submit=${this._save} submit-label="Save"></op-form>
          </section>
          <section aria-labelledby="password">
            <h2 id="password">Change password</h2>
            <op-form .fields=${PASSWORD_FIELDS} .submit=${this._password} submit-label="Change password" reset></op-form>
          </section>
        </div>`;
      })}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "profile-page": ProfilePage;
  }
}

/**
 * `<profile-page>`: the person's details and numbers, changing their e-mail and address, and the
 * password of the chosen number.
 */
import { Task } from "@lit/task";
import { html } from "lit";
import { customElement } from "lit/decorators.js";
import { graphql, money, nodesOf, type ResultOf } from "../api/graphql.ts";
import { PAGE_SIZE } from "../api/paging.ts";
import type { Field, Values } from "../components/op-form.ts";
import "../components/op-form.ts";
import { pageHeading, taskView } from "../ui.ts";
import { CustomerPage, customerSession } from "./customer-page.ts";

const Profile = graphql(`
  query Profile($nationalId: Int!, $first: Int!) {
    customerProfile(nationalId: $nationalId) {
      nationalId
      firstName
      lastName
      email
      address
      dateOfBirth
    }
    customerAccounts(orderBy: MOBILE_NO_ASC, first: $first) {
      nodes {
        mobileNo
        balance
        points
        accountType
        status
      }
    }
  }
`);

const SaveContact = graphql(`
  mutation SaveContact($nationalId: Int!, $email: String, $address: String) {
    updateCustomerProfile(input: { nationalId: $nationalId, patch: { email: $email, address: $address } }) {
      customerProfile {
        nationalId
      }
    }
  }
`);

const ChangePassword = graphql(`
  mutation ChangePassword($oldPassword: String!, $newPassword: String!) {
    changePassword(input: { oldPassword: $oldPassword, newPassword: $newPassword }) {
      result
    }
  }
`);

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

const STATUS: Record<string, string> = { active: "active", onhold: "on hold" };

@customElement("profile-page")
export class ProfilePage extends CustomerPage {
  /** The person's details do not depend on the chosen number: only on who is logged in. */
  private _data = new Task(this, {
    task: async ([session], { signal }) => {
      const customer = customerSession(session);
      return customer.request(Profile, { nationalId: customer.nationalId, first: PAGE_SIZE }, signal);
    },
    args: () => [this._session] as const,
  });

  private _save = async (values: Values) => {
    const session = customerSession(this._session);
    await session.request(SaveContact, { nationalId: session.nationalId, email: values.email || null, address: values.address || null });
    void this._data.run();
    return "Your details are saved.";
  };

  private _password = async (values: Values) => {
    const session = customerSession(this._session);
    const data = await session.request(ChangePassword, { oldPassword: values.oldPassword, newPassword: values.newPassword });
    if (!data.changePassword?.result) throw new Error("The current password is wrong.");
    return `The password of ${session.mobileNo} is changed.`;
  };

  private _content(data: ResultOf<typeof Profile>) {
    const profile = data.customerProfile;
    if (!profile) return html`<p class="muted">No profile found.</p>`;
    const fields: Field[] = [
      { name: "email", label: "E-mail", type: "email", value: profile.email ?? "", autocomplete: "email" },
      { name: "address", label: "Address", type: "textarea", value: profile.address ?? "" },
    ];
    const lang = this._language.lang;
    return html`<div class="grid">
      <section aria-labelledby="you">
        <h2 id="you">${profile.firstName} ${profile.lastName}</h2>
        <p class="muted">National id ${profile.nationalId} · born ${profile.dateOfBirth}</p>
        <ul class="plain" data-testid="numbers">
          ${nodesOf(data.customerAccounts).map(
            (a) =>
              html`<li>
                <strong>${a.mobileNo}</strong
                ><span
                  >${a.accountType.replace(/_/g, " ")} · ${STATUS[a.status] ?? a.status} · ${money(a.balance, lang)} EGP · ${a.points}
                  points</span
                >
              </li>`,
          )}
        </ul>
      </section>
      <section aria-labelledby="contact">
        <h2 id="contact">Contact details</h2>
        <op-form .fields=${fields} .submit=${this._save} submit-label="Save"></op-form>
      </section>
      <section aria-labelledby="password">
        <h2 id="password">Change password</h2>
        <p class="muted">The password you log in with on ${this._number}.</p>
        <op-form .fields=${PASSWORD_FIELDS} .submit=${this._password} submit-label="Change password" reset></op-form>
      </section>
    </div>`;
  }

  render() {
    return html`${pageHeading("Profile", this._number)} ${taskView(this._data, (data) => this._content(data))}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "profile-page": ProfilePage;
  }
}

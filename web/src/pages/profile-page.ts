/**
 * `<profile-page>`: the person's details and numbers, changing their e-mail and address, and the
 * password of the chosen number.
 */
import { msg, str } from "@lit/localize";
import { Task } from "@lit/task";
import { html } from "lit";
import { customElement } from "lit/decorators.js";
import { PersonDetails } from "../../../shared/fragments.ts";
import { ApiError, graphql, nodesOf, type ResultOf } from "../api/graphql.ts";
import { PAGE_SIZE } from "../api/paging.ts";
import type { Confirmation, Field, Values } from "../components/op-form.ts";
import "../components/op-form.ts";
import { pageHeading, taskView } from "../ui.ts";
import { formatDate, formatMoney, formatNumber, words } from "../words.ts";
import { CustomerPage, customerSession } from "./customer-page.ts";

const Profile = graphql(
  `
    query Profile($nationalId: Int!, $first: Int!) {
      customerProfile(nationalId: $nationalId) {
        ...PersonDetails
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
  `,
  [PersonDetails],
);

/**
 * `update_my_profile`: an e-mail another person has is answered with a status, not an error, so the
 * database keeps count of such attempts (throttled with TC220 beyond 5 an hour, docs/security.md).
 */
const SaveContact = graphql(`
  mutation SaveContact($email: String, $address: String) {
    updateMyProfile(input: { email: $email, address: $address }) {
      profileUpdate {
        status
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

const passwordFields = (): Field[] => [
  {
    name: "oldPassword",
    label: msg("Current password"),
    type: "password",
    required: true,
    missing: msg("Enter your current password."),
    autocomplete: "current-password",
    codes: ["TC220"],
  },
  {
    name: "newPassword",
    label: msg("New password"),
    type: "password",
    required: true,
    missing: msg("Enter a new password."),
    autocomplete: "new-password",
    codes: ["TC212", "TC221"],
    check: (v, all) =>
      v.length < 8
        ? msg("Use at least 8 characters.")
        : new TextEncoder().encode(v).length > 72
          ? msg("Use at most 72 bytes (about 72 letters).")
          : v === all.oldPassword
            ? msg("Choose a new password that differs from the current one.")
            : null,
  },
  {
    name: "repeat",
    label: msg("New password again"),
    type: "password",
    required: true,
    autocomplete: "new-password",
    missing: msg("Type the new password again."),
    check: (v, all) => (v === all.newPassword ? null : msg("The two new passwords differ.")),
  },
];

type Profile = NonNullable<ResultOf<typeof Profile>["customerProfile"]>;

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

  /**
   * Only what changed is sent: a field left as it was is not touched, so an empty form never wipes
   * the e-mail or the address. Clearing a field on purpose is asked for in the confirmation.
   */
  private _changes(values: Values, profile: Profile): { email?: string | null; address?: string | null } {
    const patch: { email?: string | null; address?: string | null } = {};
    if (values.email !== (profile.email ?? "")) patch.email = values.email || null;
    if (values.address !== (profile.address ?? "")) patch.address = values.address || null;
    return patch;
  }

  private _saveConfirm =
    (profile: Profile) =>
    (values: Values): Confirmation => {
      const patch = this._changes(values, profile);
      const describe = (value: string | null | undefined) => (value ? value : msg("(removed)"));
      const lines: [string, string][] = [];
      if ("email" in patch) lines.push([msg("E-mail"), describe(patch.email)]);
      if ("address" in patch) lines.push([msg("Address"), describe(patch.address)]);
      const removes = patch.email === null || patch.address === null;
      return {
        title: lines.length ? msg("Save these changes?") : msg("Nothing has changed"),
        lines,
        note: removes
          ? msg("A removed e-mail or address is deleted from your details.")
          : lines.length
            ? undefined
            : msg("Change a field first."),
        action: lines.length ? msg("Save changes") : msg("OK"),
      };
    };

  private _save = (profile: Profile) => async (values: Values) => {
    const session = customerSession(this._session);
    const patch = this._changes(values, profile);
    if (Object.keys(patch).length === 0) return msg("Nothing to save: your details are unchanged.");
    let data;
    try {
      data = await session.request(SaveContact, {
        email: "email" in patch ? patch.email : (profile.email ?? null),
        address: "address" in patch ? patch.address : (profile.address ?? null),
      });
    } catch (error) {
      if (error instanceof ApiError && error.code === "TC220" && error.retryAfter !== undefined) {
        const minutes = Math.max(1, Math.ceil(error.retryAfter / 60));
        throw new ApiError(
          msg(str`Too many e-mail addresses tried: wait ${formatNumber(minutes, this._language.lang)} min, then try again.`),
          "TC220",
        );
      }
      throw error;
    }
    if (data.updateMyProfile?.profileUpdate?.status !== "saved") throw new ApiError("", "TC223");
    void this._data.run();
    return msg("Your details are saved.");
  };

  private _password = async (values: Values) => {
    const session = customerSession(this._session);
    const data = await session.request(ChangePassword, { oldPassword: values.oldPassword, newPassword: values.newPassword });
    if (!data.changePassword?.result) throw new Error("The current password is wrong.");
    return msg(str`The password of ${session.mobileNo} is changed.`);
  };

  private _content(data: ResultOf<typeof Profile>) {
    const profile = data.customerProfile;
    if (!profile) return html`<p class="muted">${msg("No profile found.")}</p>`;
    const fields: Field[] = [
      {
        name: "email",
        label: msg("E-mail"),
        type: "email",
        value: profile.email ?? "",
        autocomplete: "email",
        codes: ["TC220", "TC223", "TC225"],
      },
      { name: "address", label: msg("Address"), type: "textarea", value: profile.address ?? "" },
    ];
    const lang = this._language.lang;
    return html`<div class="grid">
      <section aria-labelledby="you">
        <h2 id="you">${profile.firstName} ${profile.lastName}</h2>
        <p class="muted">${msg(str`National id ${profile.nationalId} · born ${formatDate(profile.dateOfBirth, lang)}`)}</p>
        <ul class="plain" data-testid="numbers">
          ${nodesOf(data.customerAccounts).map(
            (a) =>
              html`<li>
                <strong>${a.mobileNo}</strong
                ><span
                  >${words(a.accountType)} · ${words(a.status)} · ${formatMoney(a.balance, lang)} ·
                  ${msg(str`${formatNumber(a.points, lang)} points`)}</span
                >
              </li>`,
          )}
        </ul>
      </section>
      <section aria-labelledby="contact">
        <h2 id="contact">${msg("Contact details")}</h2>
        <op-form
          .fields=${fields}
          .confirm=${this._saveConfirm(profile)}
          .submit=${this._save(profile)}
          submit-label=${msg("Save")}
        ></op-form>
      </section>
      <section aria-labelledby="password">
        <h2 id="password">${msg("Change password")}</h2>
        <p class="muted">${msg(str`The password you log in with on ${this._number}.`)}</p>
        <op-form .fields=${passwordFields()} .submit=${this._password} submit-label=${msg("Change password")} reset></op-form>
      </section>
    </div>`;
  }

  render() {
    return html`${pageHeading(msg("Profile"), this._number)} ${taskView(this._data, (data) => this._content(data))}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "profile-page": ProfilePage;
  }
}

/**
 * `<admin-manage>`: management forms for administrators: resolve tickets, remove an account's plan
 * benefits, put accounts on hold, and create plans, shops and vouchers (PostGraphile's generated
 * mutations, allowed for admins by grants and row-level security).
 */
import { html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { Task } from "@lit/task";
import { TicketLine } from "../../../shared/fragments.ts";
import { graphql, nodesOf, type ResultOf } from "../api/graphql.ts";
import { Hold, Resume } from "../api/subscriptions.ts";
import type { Field, Values } from "../components/op-form.ts";
import "../components/data-table.ts";
import "../components/op-form.ts";
import { mobileField } from "../fields.ts";
import { taskView, today } from "../ui.ts";
import { AdminPage, adminSession } from "./admin-page.ts";

const Manage = graphql(
  `
    query Manage {
      technicalSupportTickets(filter: { status: { notEqualTo: resolved } }, orderBy: TICKET_ID_DESC, first: 50) {
        nodes {
          ...TicketLine
        }
      }
      servicePlans(orderBy: NAME_ASC) {
        nodes {
          planId
          name
        }
      }
      shops(orderBy: SHOP_ID_ASC) {
        nodes {
          shopId
          name
        }
      }
    }
  `,
  [TicketLine],
);

const ResolveTicket = graphql(`
  mutation ResolveTicket($ticketId: Int!) {
    resolveTicket(input: { ticketId: $ticketId }) {
      technicalSupportTicket {
        ticketId
        status
      }
    }
  }
`);

const RemoveBenefits = graphql(`
  mutation RemoveBenefits($mobileNo: String!, $planId: Int!) {
    benefitsAccount(input: { mobileNo: $mobileNo, planId: $planId }) {
      result
    }
  }
`);

const CreatePlan = graphql(`
  mutation CreatePlan($plan: ServicePlanInput!) {
    createServicePlan(input: { servicePlan: $plan }) {
      servicePlan {
        planId
      }
    }
  }
`);

const UpdatePlan = graphql(`
  mutation UpdatePlan($planId: Int!, $patch: ServicePlanPatch!) {
    updateServicePlan(input: { planId: $planId, patch: $patch }) {
      servicePlan {
        planId
        name
      }
    }
  }
`);

const DeletePlan = graphql(`
  mutation DeletePlan($planId: Int!) {
    deleteServicePlan(input: { planId: $planId }) {
      servicePlan {
        planId
        name
      }
    }
  }
`);

const DeleteShop = graphql(`
  mutation DeleteShop($shopId: Int!) {
    deleteShop(input: { shopId: $shopId }) {
      shop {
        shopId
        name
      }
    }
  }
`);

const DeleteVoucher = graphql(`
  mutation DeleteVoucher($voucherId: Int!) {
    deleteVoucher(input: { voucherId: $voucherId }) {
      voucher {
        voucherId
      }
    }
  }
`);

const CreateShop = graphql(`
  mutation CreateShop($shop: ShopInput!) {
    createShop(input: { shop: $shop }) {
      shop {
        shopId
      }
    }
  }
`);

const CreatePhysicalShop = graphql(`
  mutation CreatePhysicalShop($shop: PhysicalShopInput!) {
    createPhysicalShop(input: { physicalShop: $shop }) {
      physicalShop {
        shopId
      }
    }
  }
`);

const CreateEShop = graphql(`
  mutation CreateEShop($shop: EShopInput!) {
    createEShop(input: { eShop: $shop }) {
      eShop {
        shopId
      }
    }
  }
`);

const CreateVoucher = graphql(`
  mutation CreateVoucher($voucher: VoucherInput!) {
    createVoucher(input: { voucher: $voucher }) {
      voucher {
        voucherId
      }
    }
  }
`);

const SetAccountStatus = graphql(`
  mutation SetAccountStatus($mobileNo: String!, $status: AccountStatus!) {
    updateCustomerAccount(input: { mobileNo: $mobileNo, patch: { status: $status } }) {
      customerAccount {
        mobileNo
      }
    }
  }
`);

const IssueAccount = graphql(`
  mutation IssueAccount(
    $nationalId: Int!
    $mobileNo: String!
    $accountType: AccountType!
    $firstName: String
    $lastName: String
    $email: String
    $address: String
    $dateOfBirth: Date
  ) {
    issueAccount(
      input: {
        nationalId: $nationalId
        mobileNo: $mobileNo
        accountType: $accountType
        firstName: $firstName
        lastName: $lastName
        email: $email
        address: $address
        dateOfBirth: $dateOfBirth
      }
    ) {
      customerAccount {
        mobileNo
        nationalId
      }
    }
  }
`);

type ManageData = ResultOf<typeof Manage>;
type Ticket = NonNullable<NonNullable<ManageData["technicalSupportTickets"]>["nodes"][number]>;

const count = (name: string, label: string, min = 0): Field => ({ name, label, type: "number", required: true, min, step: "1" });
const price = (name: string, label: string): Field => ({
  name,
  label,
  type: "number",
  required: true,
  min: 0.01,
  step: "0.01",
  check: (v) => (Number(v) > 0 ? null : `${label} must be positive.`),
});

const PLAN_FIELDS: Field[] = [
  { name: "name", label: "Name", required: true },
  price("price", "Price (EGP)"),
  count("dataOffered", "Data (MB)"),
  count("minutesOffered", "Minutes"),
  count("smsOffered", "SMS"),
  { name: "description", label: "Description", type: "textarea" },
];

const SHOP_FIELDS: Field[] = [
  { name: "name", label: "Name", required: true },
  { name: "category", label: "Category", required: true },
  {
    name: "kind",
    label: "Kind",
    type: "select",
    required: true,
    options: [
      { value: "physical", label: "Physical store" },
      { value: "online", label: "Online shop" },
    ],
  },
  {
    name: "address",
    label: "Address (physical store)",
    check: (v, all) => (all.kind === "physical" && !v ? "A physical store needs an address." : null),
  },
  {
    name: "workingHours",
    label: "Working hours (physical store)",
    check: (v, all) => (all.kind === "physical" && !v ? "A physical store needs working hours." : null),
  },
  {
    name: "url",
    label: "URL (online shop)",
    type: "text",
    check: (v, all) =>
      all.kind === "online" && !/^https?:\/\/\S+$/.test(v) ? "An online shop needs a URL starting with http:// or https://." : null,
  },
  {
    name: "rating",
    label: "Rating 1–5 (online shop)",
    type: "number",
    min: 1,
    max: 5,
    step: "1",
    check: (v, all) => (all.kind === "online" && !v ? "An online shop needs a rating." : null),
  },
];

const ACCOUNT_FIELDS: Field[] = [
  mobileField(),
  {
    name: "status",
    label: "Status",
    type: "select",
    required: true,
    options: [
      { value: "active", label: "Active" },
      { value: "onhold", label: "On hold" },
    ],
  },
];

/** Issue a number (telecom.issue_account): to an existing person by national id, or a new one with their details. */
const ISSUE_FIELDS: Field[] = [
  { name: "nationalId", label: "National id", type: "number", required: true, min: 1, step: "1", codes: ["TC613", "TC614"] },
  { ...mobileField(), label: "New mobile number", codes: ["TC610", "TC611"] },
  {
    name: "accountType",
    label: "Account type",
    type: "select",
    required: true,
    codes: ["TC612"],
    options: [
      { value: "prepaid", label: "Prepaid" },
      { value: "post_paid", label: "Post-paid" },
      { value: "pay_as_you_go", label: "Pay as you go" },
    ],
  },
  { name: "firstName", label: "First name (new person)" },
  { name: "lastName", label: "Last name (new person)" },
  { name: "email", label: "E-mail (new person, optional)", type: "email" },
  { name: "address", label: "Address (new person, optional)" },
  { name: "dateOfBirth", label: "Date of birth (new person)", type: "date" },
];

@customElement("admin-manage")
export class AdminManage extends AdminPage {
  @state() private _ticketMessage = "";
  @state() private _ticketError = "";

  private _data = new Task(this, {
    task: async ([session], { signal }) => adminSession(session).request(Manage, {}, signal),
    args: () => [this._session] as const,
  });

  private async _resolve(ticket: Ticket) {
    this._ticketMessage = "";
    this._ticketError = "";
    try {
      await adminSession(this._session).request(ResolveTicket, { ticketId: ticket.ticketId });
      this._ticketMessage = `Ticket #${ticket.ticketId} is resolved.`;
      this._data.run();
    } catch (error) {
      this._ticketError = (error as Error).message;
    }
  }

  private _removeBenefits = async (values: Values) => {
    const data = await adminSession(this._session).request(RemoveBenefits, { mobileNo: values.mobileNo, planId: Number(values.planId) });
    const ended = data.benefitsAccount?.result ?? 0;
    return `${ended} benefit${ended === 1 ? "" : "s"} ended.`;
  };

  private _createPlan = async (values: Values) => {
    await adminSession(this._session).request(CreatePlan, {
      plan: {
        name: values.name,
        price: values.price,
        dataOffered: Number(values.dataOffered),
        minutesOffered: Number(values.minutesOffered),
        smsOffered: Number(values.smsOffered),
        description: values.description || null,
      },
    });
    this._data.run();
    return `Plan “${values.name}” created.`;
  };

  private _createShop = async (values: Values) => {
    const session = adminSession(this._session);
    const data = await session.request(CreateShop, { shop: { name: values.name, category: values.category } });
    const shopId = data.createShop?.shop?.shopId;
    if (shopId == null) throw new Error("The shop was not created.");
    if (values.kind === "physical") {
      await session.request(CreatePhysicalShop, { shop: { shopId, address: values.address, workingHours: values.workingHours } });
    } else {
      await session.request(CreateEShop, { shop: { shopId, url: values.url, rating: Number(values.rating) } });
    }
    this._data.run();
    return `Shop #${shopId} “${values.name}” created.`;
  };

  private _createVoucher = async (values: Values) => {
    const data = await adminSession(this._session).request(CreateVoucher, {
      voucher: { value: values.value, expiryDate: values.expiryDate, points: Number(values.points), shopId: Number(values.shopId) },
    });
    return `Voucher #${data.createVoucher?.voucher?.voucherId} created.`;
  };

  private _updatePlan = async (values: Values) => {
    const patch: Record<string, unknown> = {};
    if (values.name) patch.name = values.name;
    if (values.price) patch.price = values.price;
    for (const key of ["dataOffered", "minutesOffered", "smsOffered"]) if (values[key]) patch[key] = Number(values[key]);
    if (values.description) patch.description = values.description;
    if (Object.keys(patch).length === 0) throw new Error("Fill in at least one field to change.");
    const data = await adminSession(this._session).request(UpdatePlan, { planId: Number(values.planId), patch });
    this._data.run();
    return `Plan “${data.updateServicePlan?.servicePlan?.name}” saved.`;
  };

  private _deletePlan = async (values: Values) => {
    const data = await adminSession(this._session).request(DeletePlan, { planId: Number(values.planId) });
    this._data.run();
    return `Plan “${data.deleteServicePlan?.servicePlan?.name}” deleted.`;
  };

  private _deleteShop = async (values: Values) => {
    const data = await adminSession(this._session).request(DeleteShop, { shopId: Number(values.shopId) });
    this._data.run();
    return `Shop “${data.deleteShop?.shop?.name}” deleted.`;
  };

  private _deleteVoucher = async (values: Values) => {
    const data = await adminSession(this._session).request(DeleteVoucher, { voucherId: Number(values.voucherId) });
    if (!data.deleteVoucher?.voucher) throw new Error(`There is no voucher #${values.voucherId}.`);
    return `Voucher #${values.voucherId} deleted.`;
  };

  private _setStatus = async (values: Values) => {
    await adminSession(this._session).request(SetAccountStatus, {
      mobileNo: values.mobileNo,
      status: values.status as "active" | "onhold",
    });
    return `Account ${values.mobileNo} is now ${values.status === "onhold" ? "on hold" : "active"}.`;
  };

  private _issueAccount = async (values: Values) => {
    const data = await adminSession(this._session).request(IssueAccount, {
      nationalId: Number(values.nationalId),
      mobileNo: values.mobileNo,
      accountType: values.accountType as "prepaid" | "post_paid" | "pay_as_you_go",
      firstName: values.firstName || null,
      lastName: values.lastName || null,
      email: values.email || null,
      address: values.address || null,
      dateOfBirth: values.dateOfBirth || null,
    });
    const account = data.issueAccount?.customerAccount;
    return `Number ${account?.mobileNo} issued to national id ${account?.nationalId}.`;
  };

  private _holdOrResume = async (values: Values) => {
    const variables = { mobileNo: values.mobileNo, planId: Number(values.planId) };
    const session = adminSession(this._session);
    if (values.action === "hold") await session.request(Hold, variables);
    else await session.request(Resume, variables);
    return `The subscription of ${values.mobileNo} is now ${values.action === "hold" ? "on hold" : "active"}.`;
  };

  private _content(data: ManageData) {
    const plans = nodesOf(data.servicePlans).map((p) => ({ value: String(p.planId), label: `${p.name} (#${p.planId})` }));
    const shops = nodesOf(data.shops).map((s) => ({ value: String(s.shopId), label: `${s.name} (#${s.shopId})` }));
    // The 50 newest unresolved tickets, chosen by the server (not the unresolved among the 50 newest).
    const unresolved = nodesOf(data.technicalSupportTickets);
    const voucherFields: Field[] = [
      price("value", "Value (EGP)"),
      {
        name: "expiryDate",
        label: "Expiry date",
        type: "date",
        required: true,
        check: (v) => (v >= today() ? null : "The expiry date must not be in the past."),
      },
      count("points", "Points", 1),
      { name: "shopId", label: "Shop", type: "select", required: true, options: shops },
    ];
    return html`<section aria-labelledby="tickets">
        <h2 id="tickets">Unresolved tickets</h2>
        <div aria-live="polite">
          ${this._ticketError ? html`<p class="error" role="alert">${this._ticketError}</p>` : ""}
          ${this._ticketMessage ? html`<p role="status">${this._ticketMessage}</p>` : ""}
        </div>
        ${
          unresolved.length === 0
            ? html`<p class="muted">No unresolved tickets.</p>`
            : html`<ul class="plain">
                  ${unresolved.map(
                    (t) =>
                      html`<li>
                        <span
                          ><strong>#${t.ticketId}</strong> ${t.mobileNo} · priority ${t.priorityLevel} · ${t.status.replace("_", " ")}<br />${t.issueDescription}</span
                        >
                        <button type="button" aria-label=${`Resolve ticket ${t.ticketId}`} @click=${() => this._resolve(t)}>Resolve</button>
                      </li>`,
                  )}
                </ul>
                ${unresolved.length === 50 ? html`<p class="muted">The 50 newest; resolving them shows older ones.</p>` : ""}`
        }
      </section>
      <div class="grid">
        <section aria-labelledby="benefits">
          <h2 id="benefits">End an account's plan benefits</h2>
          <op-form
            .fields=${[mobileField(), { name: "planId", label: "Plan", type: "select", required: true, options: plans }]}
            .submit=${this._removeBenefits}
            submit-label="End benefits"
          ></op-form>
        </section>
        <section aria-labelledby="accounts">
          <h2 id="accounts">Account status</h2>
          <op-form .fields=${ACCOUNT_FIELDS} .submit=${this._setStatus} submit-label="Set status"></op-form>
        </section>
        <section aria-labelledby="issue">
          <h2 id="issue">Issue a number</h2>
          <p class="muted">To an existing person by national id, or to a new one with their name and date of birth.</p>
          <op-form .fields=${ISSUE_FIELDS} .submit=${this._issueAccount} submit-label="Issue number" reset></op-form>
        </section>
        <section aria-labelledby="hold">
          <h2 id="hold">Hold or resume a subscription</h2>
          <op-form
            .fields=${[
              { ...mobileField(), codes: ["TC131", "TC133"] } as Field,
              { name: "planId", label: "Plan", type: "select", required: true, options: plans } as Field,
              {
                name: "action",
                label: "Action",
                type: "select",
                required: true,
                options: [
                  { value: "hold", label: "Put on hold" },
                  { value: "resume", label: "Resume" },
                ],
              } as Field,
            ]}
            .confirmation=${(v: Values) =>
              v.action === "hold"
                ? `Put the subscription of ${v.mobileNo} to ${plans.find((p) => p.value === v.planId)?.label} on hold? Its allowances stop until it is resumed.`
                : `Resume the subscription of ${v.mobileNo} to ${plans.find((p) => p.value === v.planId)?.label}?`}
            .submit=${this._holdOrResume}
            submit-label="Apply"
          ></op-form>
        </section>
        <section aria-labelledby="plan">
          <h2 id="plan">New service plan</h2>
          <op-form .fields=${PLAN_FIELDS} .submit=${this._createPlan} submit-label="Create plan" reset></op-form>
        </section>
        <section aria-labelledby="edit-plan">
          <h2 id="edit-plan">Edit a service plan</h2>
          <op-form
            .fields=${[
              { name: "planId", label: "Plan", type: "select", required: true, options: plans } as Field,
              ...PLAN_FIELDS.map((f) => ({ ...f, required: false, check: undefined, label: `New ${f.label.toLowerCase()}` })),
            ]}
            .errorFields=${{ "23505": "name", "23514": "price" }}
            .submit=${this._updatePlan}
            submit-label="Save plan"
          ></op-form>
        </section>
        <section aria-labelledby="delete-plan">
          <h2 id="delete-plan">Delete a service plan</h2>
          <p class="muted">Only while nobody has subscribed to it and no payment or usage names it.</p>
          <op-form
            .fields=${[{ name: "planId", label: "Plan", type: "select", required: true, options: plans } as Field]}
            .errorFields=${{ TC601: "planId", TC602: "planId" }}
            .confirmation=${(v: Values) => `Delete the plan ${plans.find((p) => p.value === v.planId)?.label}? This cannot be undone.`}
            .submit=${this._deletePlan}
            submit-label="Delete plan"
          ></op-form>
        </section>
        <section aria-labelledby="delete-shop">
          <h2 id="delete-shop">Delete a shop</h2>
          <p class="muted">Only while it offers no voucher.</p>
          <op-form
            .fields=${[{ name: "shopId", label: "Shop", type: "select", required: true, options: shops } as Field]}
            .errorFields=${{ TC603: "shopId" }}
            .confirmation=${(v: Values) => `Delete the shop ${shops.find((s) => s.value === v.shopId)?.label}? This cannot be undone.`}
            .submit=${this._deleteShop}
            submit-label="Delete shop"
          ></op-form>
        </section>
        <section aria-labelledby="delete-voucher">
          <h2 id="delete-voucher">Delete an unredeemed voucher</h2>
          <op-form
            .fields=${[count("voucherId", "Voucher id", 1)]}
            .errorFields=${{ TC020: "voucherId" }}
            .confirmation=${(v: Values) => `Delete voucher #${v.voucherId}? This cannot be undone.`}
            .submit=${this._deleteVoucher}
            submit-label="Delete voucher"
          ></op-form>
        </section>
        <section aria-labelledby="shop">
          <h2 id="shop">New shop</h2>
          <op-form .fields=${SHOP_FIELDS} .submit=${this._createShop} submit-label="Create shop" reset></op-form>
        </section>
        <section aria-labelledby="voucher">
          <h2 id="voucher">New voucher</h2>
          <op-form .fields=${voucherFields} .submit=${this._createVoucher} submit-label="Create voucher" reset></op-form>
        </section>
      </div>`;
  }

  render() {
    return html`<h1>Manage</h1>
      ${taskView(this._data, (data) => this._content(data))}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "admin-manage": AdminManage;
  }
}

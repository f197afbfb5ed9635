/**
 * `<admin-manage>`: management forms for administrators: resolve tickets, remove an account's plan
 * benefits, put accounts on hold, and create plans, shops and vouchers (PostGraphile's generated
 * mutations, allowed for admins by grants and row-level security).
 */
import { LitElement, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { Task } from "@lit/task";
import { graphql, type Nodes } from "../api/graphql.ts";
import type { Field, Values } from "../components/op-form.ts";
import "../components/data-table.ts";
import "../components/op-form.ts";
import { mobileField } from "../fields.ts";
import { pageStyles, taskView, today } from "../ui.ts";

interface Ticket {
  ticketId: number;
  mobileNo: string;
  issueDescription: string;
  priorityLevel: number;
  status: string;
}

interface ManageData {
  technicalSupportTickets: Nodes<Ticket>;
  servicePlans: Nodes<{ planId: number; name: string }>;
  shops: Nodes<{ shopId: number; name: string }>;
}

const QUERY = `{
  technicalSupportTickets(orderBy: TICKET_ID_DESC) { nodes { ticketId mobileNo issueDescription priorityLevel status } }
  servicePlans(orderBy: NAME_ASC) { nodes { planId name } }
  shops(orderBy: SHOP_ID_ASC) { nodes { shopId name } }
}`;

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

@customElement("admin-manage")
export class AdminManage extends LitElement {
  static styles = pageStyles;

  @state() private _ticketMessage = "";
  @state() private _ticketError = "";

  private _data = new Task(this, {
    task: async (_args, { signal }) => graphql<ManageData>(QUERY, {}, signal),
    args: () => [],
  });

  private async _resolve(ticket: Ticket) {
    this._ticketMessage = "";
    this._ticketError = "";
    try {
      await graphql(
        `
          mutation ($ticketId: Int!) {
            resolveTicket(input: { ticketId: $ticketId }) {
              clientMutationId
            }
          }
        `,
        { ticketId: ticket.ticketId },
      );
      this._ticketMessage = `Ticket #${ticket.ticketId} is resolved.`;
      this._data.run();
    } catch (error) {
      this._ticketError = (error as Error).message;
    }
  }

  private _removeBenefits = async (values: Values) => {
    const data = await graphql<{ benefitsAccount: { result: number } }>(
      `
        mutation ($mobileNo: String!, $planId: Int!) {
          benefitsAccount(input: { mobileNo: $mobileNo, planId: $planId }) {
            result
          }
        }
      `,
      { mobileNo: values.mobileNo, planId: Number(values.planId) },
    );
    const removed = data.benefitsAccount.result;
    return `${removed} benefit${removed === 1 ? "" : "s"} removed.`;
  };

  private _createPlan = async (values: Values) => {
    await graphql(
      `
        mutation ($plan: ServicePlanInput!) {
          createServicePlan(input: { servicePlan: $plan }) {
            clientMutationId
          }
        }
      `,
      {
        plan: {
          name: values.name,
          price: values.price,
          dataOffered: Number(values.dataOffered),
          minutesOffered: Number(values.minutesOffered),
          smsOffered: Number(values.smsOffered),
          description: values.description || null,
        },
      },
    );
    this._data.run();
    return `Plan “${values.name}” created.`;
  };

  private _createShop = async (values: Values) => {
    const data = await graphql<{ createShop: { shop: { shopId: number } } }>(
      `
        mutation ($shop: ShopInput!) {
          createShop(input: { shop: $shop }) {
            shop {
              shopId
            }
          }
        }
      `,
      {
        shop: { name: values.name, category: values.category },
      },
    );
    const shopId = data.createShop.shop.shopId;
    if (values.kind === "physical") {
      await graphql(
        `
          mutation ($shop: PhysicalShopInput!) {
            createPhysicalShop(input: { physicalShop: $shop }) {
              clientMutationId
            }
          }
        `,
        {
          shop: { shopId, address: values.address, workingHours: values.workingHours },
        },
      );
    } else {
      await graphql(
        `
          mutation ($shop: EShopInput!) {
            createEShop(input: { eShop: $shop }) {
              clientMutationId
            }
          }
        `,
        { shop: { shopId, url: values.url, rating: Number(values.rating) } },
      );
    }
    this._data.run();
    return `Shop #${shopId} “${values.name}” created.`;
  };

  private _createVoucher = async (values: Values) => {
    const data = await graphql<{ createVoucher: { voucher: { voucherId: number } } }>(
      `
        mutation ($voucher: VoucherInput!) {
          createVoucher(input: { voucher: $voucher }) {
            voucher {
              voucherId
            }
          }
        }
      `,
      { voucher: { value: values.value, expiryDate: values.expiryDate, points: Number(values.points), shopId: Number(values.shopId) } },
    );
    return `Voucher #${data.createVoucher.voucher.voucherId} created.`;
  };

  private _setStatus = async (values: Values) => {
    await graphql(
      `
        mutation ($mobileNo: String!, $status: AccountStatus!) {
          updateCustomerAccount(input: { mobileNo: $mobileNo, patch: { status: $status } }) {
            customerAccount {
              mobileNo
            }
          }
        }
      `,
      values,
    );
    return `Account ${values.mobileNo} is now ${values.status === "onhold" ? "on hold" : "active"}.`;
  };

  private _content(data: ManageData) {
    const plans = data.servicePlans.nodes.map((p) => ({ value: String(p.planId), label: `${p.name} (#${p.planId})` }));
    const shops = data.shops.nodes.map((s) => ({ value: String(s.shopId), label: `${s.name} (#${s.shopId})` }));
    const unresolved = data.technicalSupportTickets.nodes.filter((t) => t.status !== "resolved");
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
              </ul>`
        }
      </section>
      <div class="grid">
        <section aria-labelledby="benefits">
          <h2 id="benefits">Remove an account's plan benefits</h2>
          <op-form
            .fields=${[mobileField(), { name: "planId", label: "Plan", type: "select", required: true, options: plans }]}
            .submit=${this._removeBenefits}
            submit-label="Remove benefits"
          ></op-form>
        </section>
        <section aria-labelledby="accounts">
          <h2 id="accounts">Account status</h2>
          <op-form .fields=${ACCOUNT_FIELDS} .submit=${this._setStatus} submit-label="Set status"></op-form>
        </section>
        <section aria-labelledby="plan">
          <h2 id="plan">New service plan</h2>
          <op-form .fields=${PLAN_FIELDS} .submit=${this._createPlan} submit-label="Create plan" reset></op-form>
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

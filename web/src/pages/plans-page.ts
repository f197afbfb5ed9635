/**
 * `<plans-page>`: the account's subscriptions (hold one), plans subscribed in the last 5 months,
 * plans not subscribed to (subscribe), and paying for a plan.
 */
import { LitElement, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { Task } from "@lit/task";
import { graphql, money, type Nodes } from "../api/graphql.ts";
import { customer } from "../api/session.ts";
import { PAYMENT_FIELDS, PLAN_FIELDS, type Payment, type Plan, type Subscription } from "../api/types.ts";
import type { Field, Values } from "../components/op-form.ts";
import "../components/op-form.ts";
import { amountField, paymentMethodField } from "../fields.ts";
import { pageStyles, taskView } from "../ui.ts";

interface PlansData {
  servicePlans: Nodes<Plan>;
  subscriptions: Nodes<Subscription>;
  unsubscribedPlans: Nodes<Plan>;
  subscribedPlans5Months: Nodes<Plan>;
}

const QUERY = `query Plans($mobileNo: String!) {
  servicePlans(orderBy: PLAN_ID_ASC) { nodes { ${PLAN_FIELDS} } }
  subscriptions { nodes { mobileNo planId subscriptionDate status } }
  unsubscribedPlans(mobileNo: $mobileNo) { nodes { ${PLAN_FIELDS} } }
  subscribedPlans5Months(mobileNo: $mobileNo) { nodes { ${PLAN_FIELDS} } }
}`;

const describe = (plan: Plan) => `${plan.dataOffered} MB · ${plan.minutesOffered} min · ${plan.smsOffered} SMS · ${money(plan.price)} EGP`;

@customElement("plans-page")
export class PlansPage extends LitElement {
  static styles = pageStyles;

  @state() private _actionError = "";
  @state() private _actionMessage = "";

  private _data = new Task(this, {
    task: async (_args, { signal }) => graphql<PlansData>(QUERY, { mobileNo: customer().mobileNo }, signal),
    args: () => [],
  });

  private async _act(mutation: string, planId: number, done: string) {
    this._actionError = "";
    this._actionMessage = "";
    try {
      await graphql(
        `mutation Act($mobileNo: String!, $planId: Int!) { ${mutation}(input: { mobileNo: $mobileNo, planId: $planId }) { clientMutationId } }`,
        {
          mobileNo: customer().mobileNo,
          planId,
        },
      );
      this._actionMessage = done;
      this._data.run();
    } catch (error) {
      this._actionError = (error as Error).message;
    }
  }

  private _payFields(plans: Plan[]): Field[] {
    return [
      {
        name: "planId",
        label: "Plan",
        type: "select",
        required: true,
        options: plans.map((p) => ({ value: String(p.planId), label: `${p.name} (${money(p.price)} EGP)` })),
      },
      amountField(),
      paymentMethodField,
    ];
  }

  private _pay = async (values: Values) => {
    const data = await graphql<{ initiatePlanPayment: { payment: Payment } }>(
      `mutation Pay($mobileNo: String!, $amount: BigFloat!, $paymentMethod: PaymentMethod!, $planId: Int!) {
        initiatePlanPayment(input: { mobileNo: $mobileNo, amount: $amount, paymentMethod: $paymentMethod, planId: $planId }) { payment { ${PAYMENT_FIELDS} } } }`,
      { ...values, planId: Number(values.planId), mobileNo: customer().mobileNo },
    );
    this._data.run();
    const payment = data.initiatePlanPayment.payment;
    return `Payment #${payment.paymentId} of ${money(payment.amount)} EGP recorded; the subscription is renewed.`;
  };

  private _content(data: PlansData) {
    const { mobileNo } = customer();
    const plans = new Map(data.servicePlans.nodes.map((p) => [p.planId, p]));
    const mine = data.subscriptions.nodes.filter((s) => s.mobileNo === mobileNo);
    return html`<div aria-live="polite">
        ${this._actionError ? html`<p class="error" role="alert">${this._actionError}</p>` : ""}
        ${this._actionMessage ? html`<p role="status">${this._actionMessage}</p>` : ""}
      </div>
      <div class="grid">
        <section aria-labelledby="mine">
          <h2 id="mine">Your subscriptions</h2>
          ${
            mine.length === 0
              ? html`<p class="muted">You have no subscriptions.</p>`
              : html`<ul class="plain">
                  ${mine.map(
                    (s) =>
                      html`<li>
                        <span><strong>${plans.get(s.planId)?.name}</strong> · ${s.status} · ${s.subscriptionDate}</span>
                        ${
                          s.status === "active"
                            ? html`<button
                                type="button"
                                class="secondary"
                                @click=${() => this._act("holdSubscription", s.planId, "The subscription is on hold.")}
                              >
                                Put on hold
                              </button>`
                            : ""
                        }
                      </li>`,
                  )}
                </ul>`
          }
        </section>
        <section aria-labelledby="recent">
          <h2 id="recent">Subscribed in the last 5 months</h2>
          ${
            data.subscribedPlans5Months.nodes.length === 0
              ? html`<p class="muted">None.</p>`
              : html`<ul class="plain" data-testid="recent-plans">
                  ${data.subscribedPlans5Months.nodes.map((p) => html`<li><strong>${p.name}</strong><span>${describe(p)}</span></li>`)}
                </ul>`
          }
        </section>
        <section aria-labelledby="pay">
          <h2 id="pay">Pay for a plan</h2>
          <op-form .fields=${this._payFields(data.servicePlans.nodes)} .submit=${this._pay} submit-label="Pay" reset></op-form>
        </section>
      </div>
      <section aria-labelledby="others" style="margin-top: 1rem">
        <h2 id="others">Plans you don't have</h2>
        ${
          data.unsubscribedPlans.nodes.length === 0
            ? html`<p class="muted">You subscribe to every plan.</p>`
            : html`<ul class="plain" data-testid="unsubscribed-plans">
                ${data.unsubscribedPlans.nodes.map(
                  (p) =>
                    html`<li>
                      <span
                        ><strong>${p.name}</strong> ·
                        ${describe(p)}${p.description ? html`<br /><span class="muted">${p.description}</span>` : ""}</span
                      >
                      <button
                        type="button"
                        aria-label=${`Subscribe to ${p.name}`}
                        @click=${() => this._act("subscribePlan", p.planId, `Subscribed to ${p.name}.`)}
                      >
                        Subscribe
                      </button>
                    </li>`,
                )}
              </ul>`
        }
      </section>`;
  }

  render() {
    return html`<h1>Plans</h1>
      ${taskView(this._data, (data) => this._content(data))}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "plans-page": PlansPage;
  }
}

/**
 * `<plans-page>`: the chosen number's subscriptions (hold one), plans it subscribed to in the last 5
 * months, plans it does not subscribe to (subscribe), and paying for a plan.
 */
import { Task } from "@lit/task";
import { html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { graphql, money, nodesOf, type ResultOf } from "../api/graphql.ts";
import { MoneyAction } from "../api/idempotency.ts";
import { PAGE_SIZE } from "../api/paging.ts";
import { loadPaymentState, returnedCheckout } from "../api/payment-state.ts";
import type { MadePayment, PayPlan, PayRequest } from "../components/pay-flow.ts";
import "../components/pay-flow.ts";
import "../components/payment-outcome.ts";
import { pageHeading, taskView } from "../ui.ts";
import { CustomerPage, customerSession } from "./customer-page.ts";

const Plans = graphql(`
  query Plans($mobileNo: String!, $first: Int!) {
    servicePlans(orderBy: PLAN_ID_ASC, first: $first) {
      nodes {
        planId
        name
        price
        smsOffered
        minutesOffered
        dataOffered
        description
      }
    }
    planSubscriptions(condition: { mobileNo: $mobileNo }, orderBy: PLAN_ID_ASC, first: $first) {
      nodes {
        planId
        subscriptionDate
        status
        paidUntil
      }
    }
    unsubscribedPlans(mobileNo: $mobileNo, first: $first) {
      nodes {
        planId
        name
        price
        smsOffered
        minutesOffered
        dataOffered
        description
      }
    }
    subscribedPlans5Months(mobileNo: $mobileNo, first: $first) {
      nodes {
        planId
        name
        price
        smsOffered
        minutesOffered
        dataOffered
      }
    }
  }
`);

const Subscribe = graphql(`
  mutation Subscribe($mobileNo: String!, $planId: Int!) {
    subscribePlan(input: { mobileNo: $mobileNo, planId: $planId }) {
      planSubscription {
        planId
        status
      }
    }
  }
`);

const Hold = graphql(`
  mutation Hold($mobileNo: String!, $planId: Int!) {
    holdSubscription(input: { mobileNo: $mobileNo, planId: $planId }) {
      planSubscription {
        planId
        status
      }
    }
  }
`);

const Pay = graphql(`
  mutation PayPlan($mobileNo: String!, $amount: BigFloat!, $paymentMethod: PaymentMethod!, $planId: Int!, $idempotencyKey: UUID!) {
    initiatePlanPayment(
      input: { mobileNo: $mobileNo, amount: $amount, paymentMethod: $paymentMethod, planId: $planId, idempotencyKey: $idempotencyKey }
    ) {
      payment {
        paymentId
        amount
        status
        providerReference
      }
    }
  }
`);

type PlansData = ResultOf<typeof Plans>;
type Plan = { name: string; price: string; dataOffered: number; minutesOffered: number; smsOffered: number };

const describe = (plan: Plan) => `${plan.dataOffered} MB · ${plan.minutesOffered} min · ${plan.smsOffered} SMS · ${money(plan.price)} EGP`;
const STATUS: Record<string, string> = { active: "active", onhold: "on hold" };

@customElement("plans-page")
export class PlansPage extends CustomerPage {
  @state() private _actionError = "";
  @state() private _actionMessage = "";
  /** The payment being shown: just made, or the one a card checkout sent the customer back for. */
  @state() private _paymentId: number | null = returnedCheckout();

  private _data = new Task(this, {
    task: async ([mobileNo, session], { signal }) =>
      customerSession(session).request(Plans, { mobileNo: mobileNo!, first: PAGE_SIZE }, signal),
    args: () => [this._number, this._session] as const,
  });

  private _payAction = new MoneyAction();

  private async _act(action: "subscribe" | "hold", planId: number, done: string) {
    this._actionError = "";
    this._actionMessage = "";
    try {
      const session = customerSession(this._session);
      const variables = { mobileNo: session.mobileNo, planId };
      await (action === "subscribe" ? session.request(Subscribe, variables) : session.request(Hold, variables));
      this._actionMessage = done;
      void this._data.run();
    } catch (error) {
      this._actionError = (error as Error).message;
    }
  }

  private _payPlans(data: PlansData): PayPlan[] {
    const paidUntil = new Map(nodesOf(data.planSubscriptions).map((s) => [s.planId, s.paidUntil]));
    return nodesOf(data.servicePlans).map((p) => ({
      planId: p.planId,
      name: p.name,
      price: p.price,
      paidUntil: paidUntil.get(p.planId) ?? null,
    }));
  }

  private _pay = async (request: PayRequest): Promise<MadePayment> => {
    const session = customerSession(this._session);
    const variables = { mobileNo: session.mobileNo, amount: request.amount, paymentMethod: request.paymentMethod, planId: request.planId! };
    const data = await this._payAction.run(variables, (idempotencyKey) => session.request(Pay, { ...variables, idempotencyKey }));
    const payment = data.initiatePlanPayment?.payment;
    if (!payment) throw new Error("The payment was not recorded.");
    return payment;
  };

  private _loadPayment = (paymentId: number) => loadPaymentState(customerSession(this._session), paymentId);

  private _content(data: PlansData) {
    const plans = new Map(nodesOf(data.servicePlans).map((p) => [p.planId, p]));
    const mine = nodesOf(data.planSubscriptions);
    const recent = nodesOf(data.subscribedPlans5Months);
    const others = nodesOf(data.unsubscribedPlans);
    return html`<div aria-live="polite">
        ${this._actionError ? html`<p class="error" role="alert">${this._actionError}</p>` : ""}
        ${this._actionMessage ? html`<p role="status">${this._actionMessage}</p>` : ""}
      </div>
      <div class="grid">
        <section aria-labelledby="mine">
          <h2 id="mine">Subscriptions of this number</h2>
          ${
            mine.length === 0
              ? html`<p class="muted">This number has no subscriptions.</p>`
              : html`<ul class="plain">
                  ${mine.map(
                    (s) =>
                      html`<li>
                        <span><strong>${plans.get(s.planId)?.name}</strong> · ${STATUS[s.status] ?? s.status} · ${s.subscriptionDate}</span>
                        ${
                          s.status === "active"
                            ? html`<button
                                type="button"
                                class="secondary"
                                @click=${() => this._act("hold", s.planId, "The subscription is on hold.")}
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
            recent.length === 0
              ? html`<p class="muted">None.</p>`
              : html`<ul class="plain" data-testid="recent-plans">
                  ${recent.map((p) => html`<li><strong>${p.name}</strong><span>${describe(p)}</span></li>`)}
                </ul>`
          }
        </section>
        <section aria-labelledby="pay">
          <h2 id="pay">Pay for a plan</h2>
          <pay-flow
            .plans=${this._payPlans(data)}
            .pay=${this._pay}
            return-path="/plans"
            submit-label="Review the payment"
            @payment-made=${(e: CustomEvent<number>) => (this._paymentId = e.detail)}
          ></pay-flow>
          ${
            this._paymentId
              ? html`<payment-outcome
                  payment-id=${this._paymentId}
                  .load=${this._loadPayment}
                  @payment-settled=${() => void this._data.run()}
                ></payment-outcome>`
              : ""
          }
        </section>
      </div>
      <section aria-labelledby="others" class="after-grid">
        <h2 id="others">Plans this number doesn't have</h2>
        ${
          others.length === 0
            ? html`<p class="muted">This number subscribes to every plan.</p>`
            : html`<ul class="plain" data-testid="unsubscribed-plans">
                ${others.map(
                  (p) =>
                    html`<li>
                      <span
                        ><strong>${p.name}</strong> ·
                        ${describe(p)}${p.description ? html`<br /><span class="muted">${p.description}</span>` : ""}</span
                      >
                      <button
                        type="button"
                        aria-label=${`Subscribe to ${p.name}`}
                        @click=${() => this._act("subscribe", p.planId, `Subscribed to ${p.name}.`)}
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
    return html`${pageHeading("Plans", this._number)} ${taskView(this._data, (data) => this._content(data))}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "plans-page": PlansPage;
  }
}

/**
 * `<plans-page>`: the plan that fits the number's usage best (`recommendedPlans`), the chosen number's
 * subscriptions (hold one), plans it subscribed to in the last 5 months, plans it does not subscribe
 * to (subscribe), and paying for a plan (`<pay-flow>`: wallet or card, with the card checkout round
 * trip and `<payment-outcome>` waiting for it).
 */
import { msg, str } from "@lit/localize";
import { Task } from "@lit/task";
import { html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { PaymentMade, PlanOffer } from "../../../shared/fragments.ts";
import { graphql, nodesOf, type ResultOf } from "../api/graphql.ts";
import { MoneyAction } from "../api/idempotency.ts";
import { PAGE_SIZE } from "../api/paging.ts";
import { Hold, Resume, Subscribe } from "../api/subscriptions.ts";
import { loadPaymentState, returnedCheckout } from "../api/payment-state.ts";
import { ConfirmAction } from "../components/confirm-action.ts";
import type { MadePayment, PayPlan, PayRequest } from "../components/pay-flow.ts";
import "../components/pay-flow.ts";
import { paymentOutcome } from "../components/payment-outcome.ts";
import { pageHeading, taskView } from "../ui.ts";
import { formatData, formatDate, formatMinutes, formatMoney, formatRoundMoney, formatSms, words } from "../words.ts";
import { CustomerPage, customerSession } from "./customer-page.ts";

const Plans = graphql(
  `
    query Plans($mobileNo: String!, $first: Int!) {
      servicePlans(orderBy: PLAN_ID_ASC, first: $first) {
        nodes {
          ...PlanOffer
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
          ...PlanOffer
        }
      }
      subscribedPlans5Months(mobileNo: $mobileNo, first: $first) {
        nodes {
          ...PlanOffer
        }
      }
      recommendedPlans(mobileNo: $mobileNo, first: 1) {
        nodes {
          planId
          planName
          monthlyCost
          currentMonthlyCost
          monthlySaving
        }
      }
    }
  `,
  [PlanOffer],
);

const Pay = graphql(
  `
    mutation PayPlan($mobileNo: String!, $amount: BigFloat!, $paymentMethod: PaymentMethod!, $planId: Int!, $idempotencyKey: UUID!) {
      initiatePlanPayment(
        input: { mobileNo: $mobileNo, amount: $amount, paymentMethod: $paymentMethod, planId: $planId, idempotencyKey: $idempotencyKey }
      ) {
        payment {
          ...PaymentMade
        }
      }
    }
  `,
  [PaymentMade],
);

type PlansData = ResultOf<typeof Plans>;
type Plan = { planId: number; name: string; price: string; dataOffered: number; minutesOffered: number; smsOffered: number };

const allowances = (plan: Plan, lang: string) =>
  `${formatData(plan.dataOffered, lang)} · ${formatMinutes(plan.minutesOffered, lang)} · ${formatSms(plan.smsOffered, lang)}`;

@customElement("plans-page")
export class PlansPage extends CustomerPage {
  /** The payment being shown: just made, or the one a card checkout sent the customer back for. */
  @state() private _paymentId: number | null = returnedCheckout();

  private _data = new Task(this, {
    task: async ([mobileNo, session], { signal }) =>
      customerSession(session).request(Plans, { mobileNo: mobileNo!, first: PAGE_SIZE }, signal),
    args: () => [this._number, this._session] as const,
  });

  private _payAction = new MoneyAction();
  private _confirm = new ConfirmAction(this);

  private _subscribe(plan: Plan) {
    const lang = this._language.lang;
    this._confirm.ask(
      `subscribe-${plan.planId}`,
      {
        title: msg(str`Subscribe ${this._number} to ${plan.name}?`),
        lines: [
          [msg("Plan"), plan.name],
          [msg("Price"), msg(str`${formatMoney(plan.price, lang)} a month`)],
          [msg("Every month"), allowances(plan, lang)],
          [msg("Allowances reset"), msg("on the 1st of each month")],
        ],
        note: msg("The plan starts when you pay its first month (Pay for a plan, below)."),
        action: msg(str`Subscribe to ${plan.name}`),
      },
      async () => {
        const session = customerSession(this._session);
        await session.request(Subscribe, { mobileNo: session.mobileNo, planId: plan.planId });
        void this._data.run();
        return msg(str`${session.mobileNo} is subscribed to ${plan.name}. Pay its first month below to use it.`);
      },
    );
  }

  private _hold(plan: Plan) {
    this._confirm.ask(
      `hold-${plan.planId}`,
      {
        title: msg(str`Put ${plan.name} on hold?`),
        lines: [
          [msg("Number"), this._number ?? ""],
          [msg("Plan"), plan.name],
        ],
        note: msg("Its allowances stop until you resume it; what you paid is kept."),
        action: msg(str`Put ${plan.name} on hold`),
      },
      async () => {
        const session = customerSession(this._session);
        await session.request(Hold, { mobileNo: session.mobileNo, planId: plan.planId });
        void this._data.run();
        return msg(str`${plan.name} is on hold. Resume it here whenever you like.`);
      },
    );
  }

  private _resume(plan: Plan, paidUntil: string | null) {
    const lang = this._language.lang;
    this._confirm.ask(
      `resume-${plan.planId}`,
      {
        title: msg(str`Resume ${plan.name}?`),
        lines: [
          [msg("Number"), this._number ?? ""],
          [msg("Plan"), plan.name],
          [msg("Paid until"), paidUntil ? formatDate(paidUntil, lang) : msg("not paid yet")],
        ],
        note: msg("Its allowances are back at once; its dates do not change."),
        action: msg(str`Resume ${plan.name}`),
      },
      async () => {
        const session = customerSession(this._session);
        await session.request(Resume, { mobileNo: session.mobileNo, planId: plan.planId });
        void this._data.run();
        return msg(str`${plan.name} is active again.`);
      },
    );
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
    void this._data.run();
    const payment = data.initiatePlanPayment?.payment;
    if (!payment) throw new Error(msg("The payment was not recorded."));
    return payment;
  };

  private _loadPayment = (paymentId: number) => loadPaymentState(customerSession(this._session), paymentId);

  /**
   * The best fit of the last three full months in a sentence: what it would cost and what it saves;
   * or that nothing was used and paid to compare with, or that no plan costs less.
   */
  private _recommendation(data: PlansData) {
    const lang = this._language.lang;
    const best = nodesOf(data.recommendedPlans)[0];
    const name = best?.planName ?? "";
    const current = Number(best?.currentMonthlyCost ?? 0);
    const saves = best !== undefined && current > 0 && Math.round(Number(best.monthlySaving)) >= 1;
    const subscribed = nodesOf(data.planSubscriptions).some((s) => s.planId === best?.planId && s.status === "active");
    const offered = nodesOf(data.unsubscribedPlans).some((p) => p.planId === best?.planId);
    let text: string;
    if (!best || current <= 0) {
      text = msg(
        "This number has no usage or payments in the last three months to compare plans with yet; a recommendation appears here once it has.",
      );
    } else if (!saves) {
      text = msg(
        str`Based on your last three months you pay about ${formatRoundMoney(current, lang)} a month, and no plan would cost you less: you already have the best deal.`,
      );
    } else if (subscribed) {
      text = msg(
        str`Based on your last three months, ${name} alone, which you already have, would cost about ${formatRoundMoney(best.monthlyCost, lang)} a month, ${formatRoundMoney(best.monthlySaving, lang)} less than you pay now.`,
      );
    } else {
      text = msg(
        str`Based on your last three months, ${name} would cost about ${formatRoundMoney(best.monthlyCost, lang)} a month, ${formatRoundMoney(best.monthlySaving, lang)} less than you pay now.`,
      );
    }
    return html`<section aria-labelledby="best-fit">
      <h2 id="best-fit">${msg("The best plan for you")}</h2>
      <p data-testid="recommendation">${text}</p>
      ${saves && offered ? html`<p class="muted">${msg("You can subscribe to it below, under the plans this number doesn't have.")}</p>` : nothing}
    </section>`;
  }

  private _content(data: PlansData) {
    const lang = this._language.lang;
    const catalogue = nodesOf(data.servicePlans);
    const plans = new Map(catalogue.map((p) => [p.planId, p]));
    const mine = nodesOf(data.planSubscriptions);
    const recent = nodesOf(data.subscribedPlans5Months);
    const others = nodesOf(data.unsubscribedPlans);
    return html`${this._confirm.outcome()} ${this._recommendation(data)}
      <div class="grid">
        <section aria-labelledby="mine">
          <h2 id="mine">${msg("Subscriptions of this number")}</h2>
          ${
            mine.length === 0
              ? html`<p class="muted">${msg("This number has no subscriptions.")}</p>`
              : html`<ul class="cards" data-testid="subscriptions">
                  ${mine.map((s) => {
                    const plan = plans.get(s.planId);
                    if (!plan) return nothing;
                    return html`<li>
                      <span
                        ><strong>${plan.name}</strong> · ${words(s.status)}<br /><span class="muted"
                          >${msg(str`since ${formatDate(s.subscriptionDate, lang)}`)} · ${allowances(plan, lang)}</span
                        ><br /><span data-testid="paid-until"
                          >${s.paidUntil ? msg(str`Paid until ${formatDate(s.paidUntil, lang)}`) : msg("Not paid yet")} ·
                          ${msg("allowances reset on the 1st")}</span
                        ></span
                      >
                      ${
                        s.status === "active"
                          ? html`<button type="button" class="secondary" @click=${() => this._hold(plan)}>
                              ${msg(str`Put ${plan.name} on hold`)}
                            </button>`
                          : html`<button type="button" @click=${() => this._resume(plan, s.paidUntil ?? null)}>
                              ${msg(str`Resume ${plan.name}`)}
                            </button>`
                      }
                      ${this._confirm.confirmation(`hold-${plan.planId}`)} ${this._confirm.confirmation(`resume-${plan.planId}`)}
                    </li>`;
                  })}
                </ul>`
          }
        </section>
        <section aria-labelledby="recent">
          <h2 id="recent">${msg("Subscribed in the last 5 months")}</h2>
          ${
            recent.length === 0
              ? html`<p class="muted">${msg("None.")}</p>`
              : html`<ul class="cards" data-testid="recent-plans">
                  ${recent.map((p) => html`<li><strong>${p.name}</strong><span>${allowances(p as Plan, lang)} · ${formatMoney(p.price, lang)}</span></li>`)}
                </ul>`
          }
        </section>
        <section aria-labelledby="pay">
          <h2 id="pay">${msg("Pay for a plan")}</h2>
          <pay-flow
            .plans=${this._payPlans(data)}
            .pay=${this._pay}
            return-path="/plans"
            mobile-no=${this._number ?? ""}
            lang=${lang}
            @payment-made=${(e: CustomEvent<number>) => (this._paymentId = e.detail)}
          ></pay-flow>
          ${paymentOutcome(this._paymentId, lang, this._loadPayment, () => void this._data.run())}
        </section>
      </div>
      <section aria-labelledby="others" class="after-grid">
        <h2 id="others">${msg("Plans this number doesn't have")}</h2>
        ${
          others.length === 0
            ? html`<p class="muted">${msg("This number subscribes to every plan.")}</p>`
            : html`<ul class="cards" data-testid="unsubscribed-plans">
                ${others.map(
                  (p) =>
                    html`<li>
                      <span
                        ><strong>${p.name}</strong> · ${msg(str`${formatMoney(p.price, lang)} a month`)}<br /><span class="muted"
                          >${allowances(p, lang)}</span
                        >${p.description ? html`<br /><span class="muted">${p.description}</span>` : nothing}</span
                      >
                      <button type="button" @click=${() => this._subscribe(p)}>${msg(str`Subscribe to ${p.name}`)}</button>
                      ${this._confirm.confirmation(`subscribe-${p.planId}`)}
                    </li>`,
                )}
              </ul>`
        }
      </section>`;
  }

  render() {
    return html`${pageHeading(msg("Plans"), this._number)} ${taskView(this._data, (data) => this._content(data))}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "plans-page": PlansPage;
  }
}

/**
 * `<payments-page>`: the chosen number's payments (paged), top payments, remaining and extra amounts of
 * a plan's latest payment, recharging the balance (`<pay-flow>`: wallet or card, with the card
 * checkout round trip and `<payment-outcome>` waiting for it) and asking for cashback on a payment.
 */
import { msg, str } from "@lit/localize";
import { Task } from "@lit/task";
import { html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { PaymentLine } from "../../../shared/fragments.ts";
import { BalancePayment } from "../api/balance-payment.ts";
import { graphql, nodesOf, type ResultOf } from "../api/graphql.ts";
import { MoneyAction } from "../api/idempotency.ts";
import { PAGE_SIZE, PagedList } from "../api/paging.ts";
import { loadPaymentState, returnedCheckout } from "../api/payment-state.ts";
import type { Confirmation, Field, Receipt, Values } from "../components/op-form.ts";
import "../components/op-form.ts";
import type { MadePayment, PayRequest } from "../components/pay-flow.ts";
import "../components/pay-flow.ts";
import { paymentOutcome } from "../components/payment-outcome.ts";
import { recordedReceipt } from "../receipts.ts";
import { holdBanner, pageHeading, taskView } from "../ui.ts";
import { formatDate, formatMoney, words } from "../words.ts";
import { CustomerPage, customerSession } from "./customer-page.ts";

const Overview = graphql(
  `
    query PaymentsOverview($mobileNo: String!, $first: Int!) {
      recentPayments: payments(condition: { mobileNo: $mobileNo }, orderBy: PAYMENT_ID_DESC, first: $first) {
        nodes {
          paymentId
          amount
          dateOfPayment
          status
          cashback {
            cashbackId
          }
        }
      }
      customerAccount(mobileNo: $mobileNo) {
        status
      }
      topSuccessfulPayments(mobileNo: $mobileNo, first: 10) {
        nodes {
          ...PaymentLine
        }
      }
      servicePlans(orderBy: NAME_ASC, first: $first) {
        nodes {
          name
        }
      }
      benefits(condition: { mobileNo: $mobileNo }, orderBy: BENEFIT_ID_DESC, first: $first) {
        nodes {
          benefitId
          description
          status
          validityDate
        }
      }
    }
  `,
  [PaymentLine],
);

const Payments = graphql(
  `
    query Payments($mobileNo: String!, $first: Int!, $after: Cursor) {
      payments(condition: { mobileNo: $mobileNo }, orderBy: PAYMENT_ID_DESC, first: $first, after: $after) {
        nodes {
          ...PaymentLine
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `,
  [PaymentLine],
);

const Cashback = graphql(`
  mutation Cashback($mobileNo: String!, $paymentId: Int!, $benefitId: Int!, $idempotencyKey: UUID!) {
    paymentWalletCashback(input: { mobileNo: $mobileNo, paymentId: $paymentId, benefitId: $benefitId, idempotencyKey: $idempotencyKey }) {
      cashback {
        cashbackId
        amount
      }
    }
  }
`);

const Amounts = graphql(`
  query PlanAmounts($mobileNo: String!, $planName: String!) {
    remainingPlanAmount(mobileNo: $mobileNo, planName: $planName)
    extraPlanAmount(mobileNo: $mobileNo, planName: $planName)
  }
`);

type PaymentRow = { paymentId: number; amount: string; dateOfPayment: string; paymentMethod: string; status: string };

@customElement("payments-page")
export class PaymentsPage extends CustomerPage {
  /** The recharge being shown: just made, or the one a card checkout sent the customer back for. */
  @state() private _paymentId: number | null = returnedCheckout();
  @state() private _amounts?: { mobileNo: string; plan: string; remaining: string | null; extra: string | null };

  private _overview = new Task(this, {
    task: async ([mobileNo, session], { signal }) =>
      customerSession(session).request(Overview, { mobileNo: mobileNo!, first: PAGE_SIZE }, signal),
    args: () => [this._number, this._session] as const,
  });

  private _payments = new PagedList(
    this,
    async ([mobileNo, session], after, signal) =>
      (await customerSession(session).request(Payments, { mobileNo: mobileNo!, first: PAGE_SIZE, after }, signal)).payments,
    () => [this._number, this._session] as const,
  );

  private _rechargeAction = new MoneyAction();
  private _cashbackAction = new MoneyAction();

  private _reload() {
    void this._overview.run();
    void this._payments.task.run();
  }

  private _recharge = async (request: PayRequest): Promise<MadePayment> => {
    const session = customerSession(this._session);
    const variables = { mobileNo: session.mobileNo, amount: request.amount, paymentMethod: request.paymentMethod };
    const data = await this._rechargeAction.run(variables, (idempotencyKey) =>
      session.request(BalancePayment, { ...variables, idempotencyKey }),
    );
    this._reload();
    const payment = data.initiateBalancePayment?.payment;
    if (!payment) throw new Error(msg("The payment was not recorded."));
    return payment;
  };

  private _loadPayment = (paymentId: number) => loadPaymentState(customerSession(this._session), paymentId);

  private _cashbackConfirm = (values: Values): Confirmation => ({
    title: msg("Ask for cashback?"),
    lines: [
      [msg("Payment"), msg(str`PAY-${values.paymentId}`)],
      [msg("Benefit"), this._benefitNames.get(values.benefitId) ?? ""],
      [msg("Paid into"), msg(str`the wallet of ${this._number}`)],
    ],
    note: msg("Each payment earns cashback once."),
    action: msg("Ask for cashback"),
  });

  private _benefitNames = new Map<string, string>();

  private _cashback = async (values: Values): Promise<Receipt> => {
    const session = customerSession(this._session);
    const variables = { mobileNo: session.mobileNo, paymentId: Number(values.paymentId), benefitId: Number(values.benefitId) };
    const data = await this._cashbackAction.run(variables, (idempotencyKey) => session.request(Cashback, { ...variables, idempotencyKey }));
    this._reload();
    const cashback = data.paymentWalletCashback?.cashback;
    return recordedReceipt(
      session,
      {
        title: msg("Cashback credited to your wallet"),
        reference: cashback ? msg(str`CSH-${cashback.cashbackId}`) : undefined,
        lines: [
          [msg("For payment"), msg(str`PAY-${values.paymentId}`)],
          [msg("Amount"), formatMoney(cashback?.amount, this._language.lang)],
        ],
      },
      this._language.lang,
    );
  };

  private _planAmounts = async (values: Values) => {
    const session = customerSession(this._session);
    const data = await session.request(Amounts, { mobileNo: session.mobileNo, planName: values.planName });
    this._amounts = { mobileNo: session.mobileNo, plan: values.planName, remaining: data.remainingPlanAmount, extra: data.extraPlanAmount };
    return "";
  };

  private _paymentList(rows: readonly (PaymentRow | null)[], testId: string, empty: string) {
    const lang = this._language.lang;
    const payments = rows.filter((p): p is PaymentRow => p != null);
    if (payments.length === 0) return html`<p class="muted">${empty}</p>`;
    return html`<ul class="cards" data-testid=${testId}>
      ${payments.map(
        (p) =>
          html`<li>
            <span
              >${formatDate(p.dateOfPayment, lang)} · ${words(p.paymentMethod)} · ${words(p.status)}<br /><span class="muted"
                >PAY-${p.paymentId}</span
              ></span
            >
            <span class="amount">${formatMoney(p.amount, lang)}</span>
          </li>`,
      )}
    </ul>`;
  }

  private _forms(data: ResultOf<typeof Overview>) {
    const lang = this._language.lang;
    const today = new Date().toISOString().slice(0, 10);
    // Cashback can be earned only by a successful payment that has none yet, with an active, unexpired benefit.
    const earnable = nodesOf(data.recentPayments).filter((p) => p.status === "successful" && !p.cashback);
    const benefits = nodesOf(data.benefits).filter((b) => b.status === "active" && b.validityDate >= today);
    this._benefitNames = new Map(benefits.map((b) => [String(b.benefitId), b.description]));
    const cashbackFields: Field[] = [
      {
        name: "paymentId",
        label: msg("Payment"),
        type: "select",
        required: true,
        codes: ["TC110", "TC111", "TC114", "TC116", "TC117"],
        options: earnable.map((p) => ({
          value: String(p.paymentId),
          label: msg(str`PAY-${p.paymentId} · ${formatDate(p.dateOfPayment, lang)} · ${formatMoney(p.amount, lang)}`),
        })),
      },
      {
        name: "benefitId",
        label: msg("Benefit"),
        type: "select",
        required: true,
        codes: ["TC112", "TC113"],
        options: benefits.map((b) => ({
          value: String(b.benefitId),
          label: msg(str`${b.description} (until ${formatDate(b.validityDate, lang)})`),
        })),
      },
    ];
    const planFields: Field[] = [
      {
        name: "planName",
        label: msg("Plan"),
        type: "select",
        required: true,
        options: nodesOf(data.servicePlans).map((p) => ({ value: p.name, label: p.name })),
      },
    ];
    const a = this._amounts?.mobileNo === this._number ? this._amounts : undefined;
    const onHold = data.customerAccount?.status === "onhold";
    return html`${onHold ? holdBanner(this._number) : nothing}
      <div class="grid">
        <section aria-labelledby="recharge">
          <h2 id="recharge">${msg("Recharge your balance")}</h2>
          <pay-flow
            .pay=${this._recharge}
            return-path="/payments"
            mobile-no=${this._number ?? ""}
            lang=${lang}
            @payment-made=${(e: CustomEvent<number>) => {
              this._paymentId = e.detail;
              this._reload();
            }}
          ></pay-flow>
          ${paymentOutcome(this._paymentId, lang, this._loadPayment, () => this._reload())}
        </section>
        <section aria-labelledby="cashback">
          <h2 id="cashback">${msg("Ask for cashback")}</h2>
          ${
            earnable.length && benefits.length
              ? html`<op-form
                  .fields=${cashbackFields}
                  .confirm=${this._cashbackConfirm}
                  .submit=${this._cashback}
                  submit-label=${msg("Continue")}
                ></op-form>`
              : html`<p class="muted" data-testid="no-cashback">
                  ${
                    benefits.length
                      ? msg("Every completed payment of this number has already earned its cashback.")
                      : msg("Cashback needs an active benefit of this number; none is active now.")
                  }
                </p>`
          }
        </section>
        <section aria-labelledby="amounts">
          <h2 id="amounts">${msg("Remaining and extra amounts")}</h2>
          <op-form .fields=${planFields} .submit=${this._planAmounts} submit-label=${msg("Show amounts")}></op-form>
          ${
            a
              ? a.remaining == null && a.extra == null
                ? html`<p aria-live="polite" data-testid="plan-amounts">${msg(str`${a.plan} has not been paid for yet.`)}</p>`
                : html`<ul class="plain" aria-live="polite" data-testid="plan-amounts">
                    <li>
                      <span>${msg(str`Still owed for ${a.plan}`)}</span
                      ><strong>${formatMoney(a.remaining, lang, "EGP", msg("nothing"))}</strong>
                    </li>
                    <li><span>${msg("Paid beyond the price")}</span><strong>${formatMoney(a.extra, lang, "EGP", "nothing")}</strong></li>
                  </ul>`
              : ""
          }
        </section>
      </div>
      <section aria-labelledby="top" class="after-grid">
        <h2 id="top">${msg("Top payments")}</h2>
        ${this._paymentList(nodesOf(data.topSuccessfulPayments), "top-payments", msg("No completed payments yet."))}
      </section>`;
  }

  render() {
    return html`${pageHeading(msg("Payments"), this._number)} ${taskView(this._overview, (data) => this._forms(data))}
      <section aria-labelledby="all">
        <h2 id="all">${msg("All payments")}</h2>
        ${taskView(this._payments.task, () => html`${this._paymentList(this._payments.rows, "payments", "No payments yet.")} ${this._payments.moreButton()}`)}
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "payments-page": PaymentsPage;
  }
}

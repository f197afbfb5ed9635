/**
 * `<payments-page>`: the chosen number's payments (paged), top payments, remaining and extra amounts of
 * a plan's latest payment, recharging the balance and asking for cashback on a payment.
 */
import { Task } from "@lit/task";
import { html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { graphql, money, nodesOf, type ResultOf } from "../api/graphql.ts";
import { MoneyAction } from "../api/idempotency.ts";
import { PAGE_SIZE, PagedList } from "../api/paging.ts";
import type { Field, Values } from "../components/op-form.ts";
import "../components/op-form.ts";
import "../components/data-table.ts";
import { loadPaymentState, returnedCheckout } from "../api/payment-state.ts";
import type { MadePayment, PayRequest } from "../components/pay-flow.ts";
import "../components/pay-flow.ts";
import "../components/payment-outcome.ts";
import { pageHeading, taskView } from "../ui.ts";
import { CustomerPage, customerSession } from "./customer-page.ts";

const Overview = graphql(`
  query PaymentsOverview($mobileNo: String!, $first: Int!) {
    recentPayments: payments(condition: { mobileNo: $mobileNo }, orderBy: PAYMENT_ID_DESC, first: $first) {
      nodes {
        paymentId
        amount
        dateOfPayment
        status
      }
    }
    topSuccessfulPayments(mobileNo: $mobileNo, first: 10) {
      nodes {
        paymentId
        mobileNo
        amount
        dateOfPayment
        paymentMethod
        status
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
`);

const Payments = graphql(`
  query Payments($mobileNo: String!, $first: Int!, $after: Cursor) {
    payments(condition: { mobileNo: $mobileNo }, orderBy: PAYMENT_ID_DESC, first: $first, after: $after) {
      nodes {
        paymentId
        mobileNo
        amount
        dateOfPayment
        paymentMethod
        status
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const Recharge = graphql(`
  mutation Recharge($mobileNo: String!, $amount: BigFloat!, $paymentMethod: PaymentMethod!, $idempotencyKey: UUID!) {
    initiateBalancePayment(
      input: { mobileNo: $mobileNo, amount: $amount, paymentMethod: $paymentMethod, idempotencyKey: $idempotencyKey }
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

const COLUMNS = [
  { key: "paymentId", label: "Payment", kind: "number" as const },
  { key: "dateOfPayment", label: "Date" },
  { key: "amount", kind: "money" as const },
  { key: "paymentMethod", label: "Method" },
  { key: "status" },
  { key: "mobileNo", label: "Number" },
];

@customElement("payments-page")
export class PaymentsPage extends CustomerPage {
  /** The payment being shown: just made, or the one a card checkout sent the customer back for. */
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
    const data = await this._rechargeAction.run(variables, (idempotencyKey) => session.request(Recharge, { ...variables, idempotencyKey }));
    const payment = data.initiateBalancePayment?.payment;
    if (!payment) throw new Error("The payment was not recorded.");
    return payment;
  };

  private _loadPayment = (paymentId: number) => loadPaymentState(customerSession(this._session), paymentId);

  private _cashback = async (values: Values) => {
    const session = customerSession(this._session);
    const variables = { mobileNo: session.mobileNo, paymentId: Number(values.paymentId), benefitId: Number(values.benefitId) };
    const data = await this._cashbackAction.run(variables, (idempotencyKey) => session.request(Cashback, { ...variables, idempotencyKey }));
    return `${money(data.paymentWalletCashback?.cashback?.amount)} EGP cashback credited to your wallet.`;
  };

  private _planAmounts = async (values: Values) => {
    const session = customerSession(this._session);
    const data = await session.request(Amounts, { mobileNo: session.mobileNo, planName: values.planName });
    this._amounts = { mobileNo: session.mobileNo, plan: values.planName, remaining: data.remainingPlanAmount, extra: data.extraPlanAmount };
    return "";
  };

  private _forms(data: ResultOf<typeof Overview>) {
    const successful = nodesOf(data.recentPayments).filter((p) => p.status === "successful");
    const benefits = nodesOf(data.benefits).filter((b) => b.status === "active");
    const cashbackFields: Field[] = [
      {
        name: "paymentId",
        label: "Payment",
        type: "select",
        required: true,
        options: successful.map((p) => ({
          value: String(p.paymentId),
          label: `#${p.paymentId} · ${p.dateOfPayment} · ${money(p.amount)} EGP`,
        })),
      },
      {
        name: "benefitId",
        label: "Benefit",
        type: "select",
        required: true,
        options: benefits.map((b) => ({ value: String(b.benefitId), label: b.description ?? `Benefit ${b.benefitId}` })),
      },
    ];
    const planFields: Field[] = [
      {
        name: "planName",
        label: "Plan",
        type: "select",
        required: true,
        options: nodesOf(data.servicePlans).map((p) => ({ value: p.name, label: p.name })),
      },
    ];
    const a = this._amounts?.mobileNo === this._number ? this._amounts : undefined;
    return html`<div class="grid">
        <section aria-labelledby="recharge">
          <h2 id="recharge">Recharge your balance</h2>
          <pay-flow
            .pay=${this._recharge}
            return-path="/payments"
            submit-label="Review the recharge"
            @payment-made=${(e: CustomEvent<number>) => {
              this._paymentId = e.detail;
              this._reload();
            }}
          ></pay-flow>
          ${
            this._paymentId
              ? html`<payment-outcome
                  payment-id=${this._paymentId}
                  .load=${this._loadPayment}
                  @payment-settled=${() => this._reload()}
                ></payment-outcome>`
              : ""
          }
        </section>
        <section aria-labelledby="cashback">
          <h2 id="cashback">Ask for cashback</h2>
          ${
            successful.length && benefits.length
              ? html`<op-form .fields=${cashbackFields} .submit=${this._cashback} submit-label="Request cashback"></op-form>`
              : html`<p class="muted">Cashback needs a successful payment and an active benefit of this number.</p>`
          }
        </section>
        <section aria-labelledby="amounts">
          <h2 id="amounts">Remaining and extra amounts</h2>
          <op-form .fields=${planFields} .submit=${this._planAmounts} submit-label="Show amounts"></op-form>
          ${
            a
              ? html`<ul class="plain" aria-live="polite" data-testid="plan-amounts">
                  <li><span>Still owed for ${a.plan}</span><strong>${money(a.remaining)} EGP</strong></li>
                  <li><span>Paid beyond the price</span><strong>${money(a.extra)} EGP</strong></li>
                </ul>`
              : ""
          }
        </section>
      </div>
      <section aria-labelledby="top" class="after-grid">
        <h2 id="top">Top payments</h2>
        <data-table .rows=${nodesOf(data.topSuccessfulPayments)} .columns=${COLUMNS} empty-text="No successful payments yet."></data-table>
      </section>`;
  }

  render() {
    return html`${pageHeading("Payments", this._number)} ${taskView(this._overview, (data) => this._forms(data))}
      <section aria-labelledby="all">
        <h2 id="all">All payments</h2>
        ${taskView(
          this._payments.task,
          () =>
            html`<data-table
                .rows=${this._payments.rows}
                .columns=${COLUMNS}
                empty-text="No payments yet."
                data-testid="payments"
              ></data-table>
              ${this._payments.moreButton()}`,
        )}
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "payments-page": PaymentsPage;
  }
}

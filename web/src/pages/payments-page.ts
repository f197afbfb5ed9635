/**
 * `<payments-page>`: payment history, top payments, remaining and extra amounts of a plan's latest
 * payment, recharging the balance and asking for cashback on a payment.
 */
import { LitElement, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { Task } from "@lit/task";
import { graphql, money, type Nodes } from "../api/graphql.ts";
import { customer } from "../api/session.ts";
import { PAYMENT_FIELDS, type Payment } from "../api/types.ts";
import type { Field, Values } from "../components/op-form.ts";
import "../components/op-form.ts";
import "../components/data-table.ts";
import { pageStyles, taskView } from "../ui.ts";
import { amountField, paymentMethodField } from "../fields.ts";

interface Benefit {
  benefitId: number;
  description: string;
  status: string;
  validityDate: string;
  mobileNo: string;
}

interface PaymentsData {
  payments: Nodes<Payment>;
  topSuccessfulPayments: Nodes<Payment>;
  servicePlans: Nodes<{ name: string }>;
  benefits: Nodes<Benefit>;
}

const QUERY = `query Payments($mobileNo: String!) {
  payments(orderBy: PAYMENT_ID_DESC) { nodes { ${PAYMENT_FIELDS} } }
  topSuccessfulPayments(mobileNo: $mobileNo) { nodes { ${PAYMENT_FIELDS} } }
  servicePlans(orderBy: NAME_ASC) { nodes { name } }
  benefits { nodes { benefitId description status validityDate mobileNo } }
}`;

const COLUMNS = [
  { key: "paymentId", label: "Payment", kind: "number" as const },
  { key: "dateOfPayment", label: "Date" },
  { key: "amount", kind: "money" as const },
  { key: "paymentMethod", label: "Method" },
  { key: "status" },
  { key: "mobileNo", label: "Number" },
];

@customElement("payments-page")
export class PaymentsPage extends LitElement {
  static styles = pageStyles;

  @state() private _amounts?: { plan: string; remaining: string | null; extra: string | null };

  private _data = new Task(this, {
    task: async (_args, { signal }) => graphql<PaymentsData>(QUERY, { mobileNo: customer().mobileNo }, signal),
    args: () => [],
  });

  private _recharge = async (values: Values) => {
    const data = await graphql<{ initiateBalancePayment: { payment: Payment } }>(
      `mutation Recharge($mobileNo: String!, $amount: BigFloat!, $paymentMethod: PaymentMethod!) {
        initiateBalancePayment(input: { mobileNo: $mobileNo, amount: $amount, paymentMethod: $paymentMethod }) { payment { ${PAYMENT_FIELDS} } } }`,
      { ...values, mobileNo: customer().mobileNo },
    );
    this._data.run();
    return `${money(data.initiateBalancePayment.payment.amount)} EGP added to your balance.`;
  };

  private _cashback = async (values: Values) => {
    const data = await graphql<{ paymentWalletCashback: { cashback: { amount: string } } }>(
      `
        mutation Cashback($mobileNo: String!, $paymentId: Int!, $benefitId: Int!) {
          paymentWalletCashback(input: { mobileNo: $mobileNo, paymentId: $paymentId, benefitId: $benefitId }) {
            cashback {
              cashbackId
              amount
            }
          }
        }
      `,
      { mobileNo: customer().mobileNo, paymentId: Number(values.paymentId), benefitId: Number(values.benefitId) },
    );
    return `${money(data.paymentWalletCashback.cashback.amount)} EGP cashback credited to your wallet.`;
  };

  private _planAmounts = async (values: Values) => {
    const data = await graphql<{ remainingPlanAmount: string | null; extraPlanAmount: string | null }>(
      `
        query Amounts($mobileNo: String!, $planName: String!) {
          remainingPlanAmount(mobileNo: $mobileNo, planName: $planName)
          extraPlanAmount(mobileNo: $mobileNo, planName: $planName)
        }
      `,
      { mobileNo: customer().mobileNo, planName: values.planName },
    );
    this._amounts = { plan: values.planName, remaining: data.remainingPlanAmount, extra: data.extraPlanAmount };
    return "";
  };

  private _content(data: PaymentsData) {
    const { mobileNo } = customer();
    const successful = data.payments.nodes.filter((p) => p.mobileNo === mobileNo && p.status === "successful");
    const benefits = data.benefits.nodes.filter((b) => b.mobileNo === mobileNo && b.status === "active");
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
        options: benefits.map((b) => ({ value: String(b.benefitId), label: b.description })),
      },
    ];
    const planFields: Field[] = [
      {
        name: "planName",
        label: "Plan",
        type: "select",
        required: true,
        options: data.servicePlans.nodes.map((p) => ({ value: p.name, label: p.name })),
      },
    ];
    const a = this._amounts;
    return html`<div class="grid">
        <section aria-labelledby="recharge">
          <h2 id="recharge">Recharge your balance</h2>
          <op-form .fields=${[amountField(), paymentMethodField]} .submit=${this._recharge} submit-label="Recharge" reset></op-form>
        </section>
        <section aria-labelledby="cashback">
          <h2 id="cashback">Ask for cashback</h2>
          ${
            successful.length && benefits.length
              ? html`<op-form .fields=${cashbackFields} .submit=${this._cashback} submit-label="Request cashback"></op-form>`
              : html`<p class="muted">Cashback needs a successful payment and an active benefit.</p>`
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
      <section aria-labelledby="top" style="margin-top: 1rem">
        <h2 id="top">Top payments</h2>
        <data-table .rows=${data.topSuccessfulPayments.nodes} .columns=${COLUMNS} empty-text="No successful payments yet."></data-table>
      </section>
      <section aria-labelledby="all">
        <h2 id="all">All payments</h2>
        <data-table .rows=${data.payments.nodes} .columns=${COLUMNS} empty-text="No payments yet." data-testid="payments"></data-table>
      </section>`;
  }

  render() {
    return html`<h1>Payments</h1>
      ${taskView(this._data, (data) => this._content(data))}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "payments-page": PaymentsPage;
  }
}

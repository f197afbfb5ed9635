/**
 * `<bill-page>`: one bill of the chosen number as the printable A4 bill (`<bill-sheet>`, in the
 * customer's language; "Print or save as PDF" prints the sheet alone), and "Pay this bill": the payment
 * flow of `<pay-flow>` for the amount still due, a balance payment the database counts toward the bill
 * (docs/bills.md), with its confirmation and receipt. A number barred for its bill can pay it, which lifts the bar.
 */
import { msg, str } from "@lit/localize";
import { Task } from "@lit/task";
import { css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { BillSheet } from "../../../shared/fragments.ts";
import { BalancePayment } from "../api/balance-payment.ts";
import { graphql } from "../api/graphql.ts";
import { MoneyAction } from "../api/idempotency.ts";
import { loadPaymentState, returnedCheckout } from "../api/payment-state.ts";
import { stillDue } from "../bill-amounts.ts";
import type { Bill } from "../components/bill-sheet.ts";
import "../components/bill-sheet.ts";
import type { MadePayment, PayRequest } from "../components/pay-flow.ts";
import "../components/pay-flow.ts";
import { paymentOutcome } from "../components/payment-outcome.ts";
import { pageHeading, pageStyles, taskView } from "../ui.ts";
import { CustomerPage, customerSession } from "./customer-page.ts";

const BillByNumber = graphql(
  `
    query Bill($invoiceNo: String!) {
      invoiceByInvoiceNo(invoiceNo: $invoiceNo) {
        ...BillSheet
      }
    }
  `,
  [BillSheet],
);

@customElement("bill-page")
export class BillPage extends CustomerPage {
  static styles = [
    pageStyles,
    css`
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: center;
        margin-bottom: 1rem;
      }
      bill-sheet {
        margin-bottom: 1rem;
      }
      @media print {
        h1,
        .for-number,
        .actions,
        .pay {
          display: none;
        }
      }
    `,
  ];

  /** The bill's number, from the path `/bills/<invoice no>`. */
  @property({ attribute: "invoice-no" }) invoiceNo = "";
  /** The payment being shown: just made, or the one a card checkout sent the customer back for. */
  @state() private _paymentId: number | null = returnedCheckout();

  private _bill = new Task(this, {
    task: async ([invoiceNo, , session], { signal }) => {
      const bill = (await customerSession(session).request(BillByNumber, { invoiceNo }, signal)).invoiceByInvoiceNo;
      if (!bill) throw new Error(msg(str`There is no bill ${invoiceNo} of yours.`));
      return bill;
    },
    args: () => [this.invoiceNo, this._number, this._session] as const,
  });

  private _payAction = new MoneyAction();

  private _pay = async (request: PayRequest): Promise<MadePayment> => {
    const session = customerSession(this._session);
    const variables = { mobileNo: session.mobileNo, amount: request.amount, paymentMethod: request.paymentMethod };
    const data = await this._payAction.run(variables, (idempotencyKey) =>
      session.request(BalancePayment, { ...variables, idempotencyKey }),
    );
    void this._bill.run();
    const payment = data.initiateBalancePayment?.payment;
    if (!payment) throw new Error(msg("The payment was not recorded."));
    return payment;
  };

  private _loadPayment = (paymentId: number) => loadPaymentState(customerSession(this._session), paymentId);

  private _payment(bill: Bill) {
    const lang = this._language.lang;
    const due = stillDue(bill);
    const what = msg(str`Payment of bill ${bill.invoiceNo}`);
    const outcome = paymentOutcome(this._paymentId, lang, this._loadPayment, () => void this._bill.run(), what);
    if (Number(due) === 0)
      return outcome === nothing
        ? nothing
        : html`<section class="pay" aria-labelledby="pay-bill">
            <h2 id="pay-bill">${msg("Pay this bill")}</h2>
            ${outcome}
          </section>`;
    return html`<section class="pay" aria-labelledby="pay-bill">
      <h2 id="pay-bill">${msg("Pay this bill")}</h2>
      ${
        bill.customerAccount?.status === "onhold"
          ? html`<p class="banner" data-testid="barred-note">
              ${msg("This number is on hold. If it was barred for an unpaid bill, paying the bill lifts the bar at once.")}
            </p>`
          : nothing
      }
      <pay-flow
        .bill=${{ invoiceNo: bill.invoiceNo, stillDue: due }}
        .pay=${this._pay}
        return-path=${`/bills/${bill.invoiceNo}`}
        mobile-no=${bill.mobileNo}
        lang=${lang}
        submit-label=${msg("Continue")}
        @payment-made=${(e: CustomEvent<number>) => (this._paymentId = e.detail)}
      ></pay-flow>
      ${outcome}
    </section>`;
  }

  render() {
    const lang = this._language.lang;
    return html`${pageHeading(msg(str`Bill ${this.invoiceNo}`), this._number)}
      <p class="actions">
        <a href="/bills">${msg("All bills")}</a>
        <button type="button" class="secondary" @click=${() => print()}>${msg("Print or save as PDF")}</button>
      </p>
      ${taskView(this._bill, (bill) => html`<bill-sheet .bill=${bill} lang=${lang}></bill-sheet>${this._payment(bill)}`)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "bill-page": BillPage;
  }
}

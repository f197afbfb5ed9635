/**
 * `<admin-bill>`: one bill for an administrator (`/admin/bills/<invoice no>`): the bill as the customer
 * sees it, and issuing a credit note against it (`issue_credit_note`, docs/bills.md): amount (VAT
 * included) and a reason, a confirmation that shows the VAT part and what it does, an idempotency key,
 * and the refusals (TC104, TC105, TC704, TC705, TC706) as sentences next to their field.
 */
import { Task } from "@lit/task";
import { html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { BillSheet } from "../../../shared/fragments.ts";
import { graphql } from "../api/graphql.ts";
import { MoneyAction } from "../api/idempotency.ts";
import "../components/bill-sheet.ts";
import type { Confirmation, Field, Receipt, Values } from "../components/op-form.ts";
import "../components/op-form.ts";
import { taskView } from "../ui.ts";
import { formatMoney } from "../words.ts";
import { AdminPage, adminSession } from "./admin-page.ts";

const AdminBillQuery = graphql(
  `
    query AdminBill($invoiceNo: String!) {
      invoiceByInvoiceNo(invoiceNo: $invoiceNo) {
        ...BillSheet
        customerAccount {
          nationalId
        }
      }
    }
  `,
  [BillSheet],
);

const IssueCreditNote = graphql(`
  mutation IssueCreditNote($invoiceNo: String!, $amount: BigFloat!, $reason: String!, $idempotencyKey: UUID!) {
    issueCreditNote(input: { invoiceNo: $invoiceNo, amount: $amount, reason: $reason, idempotencyKey: $idempotencyKey }) {
      creditNote {
        creditNoteNo
        amount
        vat
        issuedOn
      }
    }
  }
`);

/** The VAT inside an amount that includes it, as the database computes a credit note's: round(amount × rate / (1 + rate), 2). */
export const vatIncluded = (amount: string, rate: string): string =>
  (Math.round((Number(amount) * Number(rate) * 100) / (1 + Number(rate))) / 100).toFixed(2);

const CREDIT_NOTE_FIELDS: Field[] = [
  {
    name: "amount",
    label: "Amount, VAT included (EGP)",
    type: "amount",
    required: true,
    missing: "Enter the amount.",
    codes: ["TC104", "TC105", "TC705"],
  },
  { name: "reason", label: "Reason", type: "textarea", required: true, missing: "Give the reason for the credit note.", codes: ["TC706"] },
];

@customElement("admin-bill")
export class AdminBill extends AdminPage {
  @property({ attribute: "invoice-no" }) invoiceNo = "";

  private _bill = new Task(this, {
    task: async ([invoiceNo, session], { signal }) => {
      const bill = (await adminSession(session).request(AdminBillQuery, { invoiceNo }, signal)).invoiceByInvoiceNo;
      if (!bill) throw new Error(`There is no bill ${invoiceNo}.`);
      return bill;
    },
    args: () => [this.invoiceNo, this._session] as const,
  });

  private _creditNote = new MoneyAction();

  private _confirm = (values: Values): Confirmation => {
    const bill = this._bill.value;
    return {
      title: `Issue a credit note against ${this.invoiceNo}?`,
      lines: [
        ["Bill", this.invoiceNo],
        ["Mobile number", bill?.mobileNo ?? ""],
        ["Amount, VAT included", formatMoney(values.amount)],
        ["Of which VAT", formatMoney(vatIncluded(values.amount, bill?.vatRate ?? "0"))],
        ["Reason", values.reason],
      ],
      note: "It credits the account's balance and counts toward its issued bill like a payment. It cannot be undone.",
      action: `Issue the credit note of ${formatMoney(values.amount)}`,
    };
  };

  private _issue = async (values: Values): Promise<Receipt> => {
    const session = adminSession(this._session);
    const variables = { invoiceNo: this.invoiceNo, amount: values.amount, reason: values.reason };
    const data = await this._creditNote.run(variables, (idempotencyKey) =>
      session.request(IssueCreditNote, { ...variables, idempotencyKey }),
    );
    void this._bill.run();
    const note = data.issueCreditNote?.creditNote;
    return {
      title: "Credit note issued",
      reference: note?.creditNoteNo,
      lines: [
        ["Bill", this.invoiceNo],
        ["Amount, VAT included", formatMoney(note?.amount)],
        ["Of which VAT", formatMoney(note?.vat)],
        ["Issued on", note?.issuedOn ?? ""],
      ],
    };
  };

  render() {
    return html`<p><a href="/admin/bills">← Bills</a></p>
      <h1 tabindex="-1">Bill ${this.invoiceNo}</h1>
      ${taskView(
        this._bill,
        (bill) =>
          html`<p>
              <a href=${`/admin/customers/${bill.customerAccount?.nationalId ?? ""}`}>The customer's page</a>
            </p>
            <bill-sheet .bill=${bill} lang="en"></bill-sheet>
            <section aria-labelledby="credit-note">
              <h2 id="credit-note">Issue a credit note</h2>
              <p class="muted">At most the bill's total less the credit notes already issued against it.</p>
              <op-form
                .fields=${CREDIT_NOTE_FIELDS}
                .confirm=${this._confirm}
                .submit=${this._issue}
                reset
                submit-label="Continue"
              ></op-form>
            </section>`,
      )}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "admin-bill": AdminBill;
  }
}

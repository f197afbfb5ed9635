/**
 * `<bills-page>`: the monthly bills of the chosen number, newest first (paged), each with its status and
 * what is still to be paid, opening as the printable bill (`/bills/<invoice no>`, `<bill-page>`). A
 * prepaid or pay-as-you-go number has no bills, and the page says so (docs/bills.md).
 */
import { msg, str } from "@lit/localize";
import { Task } from "@lit/task";
import { html } from "lit";
import { customElement } from "lit/decorators.js";
import { graphql, nodesOf } from "../api/graphql.ts";
import { PAGE_SIZE, PagedList } from "../api/paging.ts";
import { stillDue } from "../bill-amounts.ts";
import { pageHeading, taskView } from "../ui.ts";
import { formatDate, formatMoney, intlLocale, words } from "../words.ts";
import { CustomerPage, customerSession } from "./customer-page.ts";

const BillsAccount = graphql(`
  query BillsAccount($mobileNo: String!) {
    customerAccount(mobileNo: $mobileNo) {
      accountType
    }
  }
`);

const Bills = graphql(`
  query Bills($mobileNo: String!, $first: Int!, $after: Cursor) {
    invoices(condition: { mobileNo: $mobileNo }, orderBy: [BILL_DATE_DESC], first: $first, after: $after) {
      nodes {
        invoiceNo
        billDate
        dueDate
        total
        amountDue
        paidAmount
        status
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** The month a bill is for, "July 2026". */
export const billMonth = (billDate: string, lang: string): string =>
  new Date(`${billDate.slice(0, 10)}T00:00:00`).toLocaleDateString(intlLocale(lang), { month: "long", year: "numeric" });

@customElement("bills-page")
export class BillsPage extends CustomerPage {
  private _account = new Task(this, {
    task: async ([mobileNo, session], { signal }) =>
      (await customerSession(session).request(BillsAccount, { mobileNo: mobileNo! }, signal)).customerAccount,
    args: () => [this._number, this._session] as const,
  });

  private _bills = new PagedList(
    this,
    async ([mobileNo, session], after, signal) =>
      (await customerSession(session).request(Bills, { mobileNo: mobileNo!, first: PAGE_SIZE, after }, signal)).invoices,
    () => [this._number, this._session] as const,
  );

  private _list() {
    const lang = this._language.lang;
    const bills = nodesOf({ nodes: this._bills.rows });
    if (bills.length === 0)
      return html`<p class="muted" data-testid="no-bills">${msg("No bills yet: the first comes on the 1st of next month.")}</p>`;
    return html`<ul class="cards" data-testid="bills">
      ${bills.map((bill) => {
        const due = stillDue(bill);
        return html`<li>
          <span
            ><a href=${`/bills/${bill.invoiceNo}`}><strong>${msg(str`Bill for ${billMonth(bill.billDate, lang)}`)}</strong></a
            ><br /><span class="muted"
              >${bill.invoiceNo} ·
              ${words(bill.status)}${
                bill.status === "issued" ? ` · ${msg(str`${formatMoney(due, lang)} to pay by ${formatDate(bill.dueDate, lang)}`)}` : ""
              }</span
            ></span
          >
          <span class="amount">${formatMoney(bill.amountDue, lang)}</span>
        </li>`;
      })}
    </ul>`;
  }

  render() {
    return html`${pageHeading(msg("Bills"), this._number)}
      <section aria-labelledby="bills">
        <h2 id="bills">${msg(str`Monthly bills of ${this._number}`)}</h2>
        ${taskView(this._account, (account) =>
          account?.accountType === "post_paid"
            ? taskView(this._bills.task, () => html`${this._list()} ${this._bills.moreButton()}`)
            : html`<p class="muted" data-testid="not-post-paid">
                ${msg("This number has no monthly bill: it is paid in advance. Your payments are on the receipts page.")}
                <a href="/receipts">${msg("Receipts")}</a>
              </p>`,
        )}
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "bills-page": BillsPage;
  }
}

/**
 * `<receipts-page>`: the receipts of the chosen number, newest first (paged), from `customer_receipts`:
 * payments, transfers sent and received, cashback and vouchers, each with the reference to quote.
 */
import { msg, str } from "@lit/localize";
import { html } from "lit";
import { customElement } from "lit/decorators.js";
import { ReceiptLine } from "../../../shared/fragments.ts";
import { graphql, nodesOf } from "../api/graphql.ts";
import { PAGE_SIZE, PagedList } from "../api/paging.ts";
import { pageHeading, taskView } from "../ui.ts";
import { formatDate, formatMoney } from "../words.ts";
import { CustomerPage, customerSession } from "./customer-page.ts";

const Receipts = graphql(
  `
    query Receipts($mobileNo: String!, $first: Int!, $after: Cursor) {
      customerReceipts(condition: { mobileNo: $mobileNo }, orderBy: [RECEIPT_DATE_DESC, REFERENCE_DESC], first: $first, after: $after) {
        nodes {
          ...ReceiptLine
          description
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `,
  [ReceiptLine],
);

/** What each kind of receipt is, in the customer's words. */
export const receiptKind = (kind: string): string =>
  ({
    payment: msg("Payment"),
    transfer_sent: msg("Transfer sent"),
    transfer_received: msg("Transfer received"),
    cashback: msg("Cashback"),
    voucher: msg("Voucher"),
  })[kind] ?? kind;

@customElement("receipts-page")
export class ReceiptsPage extends CustomerPage {
  private _receipts = new PagedList(
    this,
    async ([mobileNo, session], after, signal) =>
      (await customerSession(session).request(Receipts, { mobileNo: mobileNo!, first: PAGE_SIZE, after }, signal)).customerReceipts,
    () => [this._number, this._session] as const,
  );

  private _list() {
    const lang = this._language.lang;
    const receipts = nodesOf({ nodes: this._receipts.rows });
    if (receipts.length === 0) return html`<p class="muted">${msg("No receipts yet.")}</p>`;
    return html`<ul class="cards" data-testid="receipts">
      ${receipts.map(
        (r) =>
          html`<li>
            <span
              ><strong>${receiptKind(r.kind ?? "")}</strong> · ${formatDate(r.receiptDate, lang)}<br /><span class="muted"
                >${r.reference}${lang === "en" && r.description ? ` · ${r.description}` : ""}</span
              ></span
            >
            <span class="amount"
              >${r.kind === "transfer_sent" ? "−" : r.kind === "payment" ? "" : "+"}${formatMoney(r.amount, lang, r.currency ?? "EGP")}</span
            >
          </li>`,
      )}
    </ul>`;
  }

  render() {
    return html`${pageHeading(msg("Receipts"), this._number)}
      <section aria-labelledby="receipts">
        <h2 id="receipts">${msg(str`Receipts of ${this._number}`)}</h2>
        ${taskView(this._receipts.task, () => html`${this._list()} ${this._receipts.moreButton()}`)}
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "receipts-page": ReceiptsPage;
  }
}

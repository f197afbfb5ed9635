/**
 * `<bill-sheet>`: one bill as it is printed on A4 (docs/bills.md), in the language of the page: the operator, the
 * customer, the number, the period, the lines, VAT, the total, what was carried from the earlier bill,
 * the amount due, what is paid so far, the due date and the status. The print stylesheet keeps only the
 * sheet (`@page { size: A4 }` is the document's, in index.html: a shadow root's `@page` does not apply).
 */
import { localized, msg, str } from "@lit/localize";
import { LitElement, css, html, nothing, type TemplateResult } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { BillSheet as BillSheetFragment } from "../../../shared/fragments.ts";
import { stillDue } from "../bill-amounts.ts";
import type { ResultOf } from "../api/graphql.ts";
import { nodesOf } from "../api/graphql.ts";
import { formatData, formatDate, formatMinutes, formatMoney, formatNumber, formatSms, intlLocale, words } from "../words.ts";

export type Bill = ResultOf<typeof BillSheetFragment>;
type Line = NonNullable<Bill["invoiceLines"]["nodes"][number]>;

/** A line in the customer's words: what it is (a plan's name isolated, for its own direction) and how much of it. */
function lineText(line: Line, lang: string): [what: TemplateResult | string, quantity: string] {
  const quantity = Number(line.quantity);
  if (line.kind === "plan_fee")
    return [
      html`<bdi>${line.plan?.name ?? ""}</bdi>: ${msg("plan fee")}`,
      quantity === 1 ? msg("1 day") : msg(str`${formatNumber(quantity, lang)} days`),
    ];
  switch (line.usageKind) {
    case "data":
      return [msg("Data beyond the allowances"), formatData(quantity, lang)];
    case "voice":
      return [msg("Calls beyond the allowances"), formatMinutes(quantity, lang)];
    default:
      return [msg("SMS beyond the allowances"), formatSms(quantity, lang)];
  }
}

@customElement("bill-sheet")
@localized()
export class BillSheet extends LitElement {
  static styles = css`
    :host {
      display: block;
    }
    article {
      background: var(--tc-surface);
      border: 1px solid var(--tc-border);
      border-radius: 8px;
      padding: 1.25rem;
      max-width: 48rem;
      font-variant-numeric: tabular-nums;
    }
    header {
      display: flex;
      flex-wrap: wrap;
      justify-content: space-between;
      gap: 0.5rem 2rem;
      border-bottom: 2px solid var(--tc-primary);
      padding-bottom: 0.75rem;
      margin-bottom: 1rem;
    }
    .operator {
      font-size: 1.4rem;
      font-weight: 700;
      color: var(--tc-primary);
      margin: 0;
    }
    h2 {
      font-size: 1.2rem;
      margin: 0;
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 0.2rem 1rem;
      margin: 0;
    }
    dt {
      color: var(--tc-muted);
    }
    dd {
      margin: 0;
    }
    .parties {
      display: grid;
      gap: 1rem;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 16rem), 1fr));
      margin-bottom: 1rem;
    }
    h3 {
      font-size: 1rem;
      margin: 0 0 0.4rem;
    }
    table {
      width: 100%;
      border-collapse: collapse;
      margin-bottom: 1rem;
    }
    th,
    td {
      text-align: start;
      padding: 0.35rem 0.25rem;
      border-bottom: 1px solid var(--tc-border);
      vertical-align: top;
    }
    th.amount,
    td.amount {
      text-align: end;
      white-space: nowrap;
    }
    tfoot th {
      font-weight: normal;
      color: var(--tc-muted);
    }
    tfoot tr.total th,
    tfoot tr.total td,
    tfoot tr.due th,
    tfoot tr.due td {
      font-weight: 700;
      color: inherit;
    }
    tfoot tr.due td {
      font-size: 1.15rem;
    }
    .status {
      font-weight: 700;
    }
    .status.issued {
      color: var(--tc-danger);
    }
    .status.paid {
      color: var(--tc-ok);
    }
    .muted {
      color: var(--tc-muted);
    }
    @media print {
      article {
        border: 0;
        padding: 0;
        max-width: none;
        color: #000;
      }
    }
  `;

  @property({ attribute: false }) bill!: Bill;
  @property() lang = "en";

  render() {
    const bill = this.bill;
    const lang = this.lang;
    const person = bill.customerAccount?.national;
    const lines = nodesOf(bill.invoiceLines);
    const credits = nodesOf(bill.creditNotes);
    const rate = (Number(bill.vatRate) * 100).toLocaleString(intlLocale(lang), { maximumFractionDigits: 2 });
    const money = (amount: string | null | undefined) => formatMoney(amount, lang);
    return html`<article data-testid="bill" aria-labelledby="bill-title">
      <header>
        <div>
          <p class="operator">${msg("Telecom")}</p>
          <p class="muted">${msg("Mobile services · customer care 111")}</p>
        </div>
        <div>
          <h2 id="bill-title">${msg(str`Bill ${bill.invoiceNo}`)}</h2>
          <p class="status ${bill.status}" data-testid="bill-status">${words(bill.status)}</p>
        </div>
      </header>
      <div class="parties">
        <section aria-labelledby="bill-customer">
          <h3 id="bill-customer">${msg("Customer")}</h3>
          <dl>
            <dt>${msg("Name")}</dt>
            <dd data-testid="bill-customer-name"><bdi>${person ? `${person.firstName} ${person.lastName}` : ""}</bdi></dd>
            ${
              person?.address
                ? html`<dt>${msg("Address")}</dt>
                    <dd><bdi>${person.address}</bdi></dd>`
                : nothing
            }
            <dt>${msg("Mobile number")}</dt>
            <dd data-testid="bill-number">${bill.mobileNo}</dd>
          </dl>
        </section>
        <section aria-labelledby="bill-dates">
          <h3 id="bill-dates">${msg("Bill")}</h3>
          <dl>
            <dt>${msg("Bill date")}</dt>
            <dd>${formatDate(bill.billDate, lang)}</dd>
            <dt>${msg("Usage period")}</dt>
            <dd data-testid="bill-period">${formatDate(bill.periodStart, lang)} – ${formatDate(bill.periodEnd, lang)}</dd>
            <dt>${msg("Issued on")}</dt>
            <dd>${formatDate(bill.issuedOn, lang)}</dd>
            <dt>${msg("Due date")}</dt>
            <dd data-testid="bill-due-date">${formatDate(bill.dueDate, lang)}</dd>
          </dl>
        </section>
      </div>
      <table data-testid="bill-lines">
        <caption class="muted">
          ${msg("Plan fees are for the month of the bill; usage is for the usage period.")}
        </caption>
        <thead>
          <tr>
            <th scope="col">${msg("What")}</th>
            <th scope="col">${msg("Quantity")}</th>
            <th scope="col" class="amount">${msg("Amount")}</th>
          </tr>
        </thead>
        <tbody>
          ${
            lines.length
              ? lines.map((line) => {
                  const [what, quantity] = lineText(line, lang);
                  return html`<tr>
                    <td>${what}</td>
                    <td>${quantity}</td>
                    <td class="amount">${money(line.amount)}</td>
                  </tr>`;
                })
              : html`<tr>
                  <td colspan="3" class="muted">${msg("Nothing was billed this month.")}</td>
                </tr>`
          }
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colspan="2">${msg("Subtotal")}</th>
            <td class="amount">${money(bill.subtotal)}</td>
          </tr>
          <tr>
            <th scope="row" colspan="2">${msg(str`VAT ${rate}%`)}</th>
            <td class="amount" data-testid="bill-vat">${money(bill.vat)}</td>
          </tr>
          <tr class="total">
            <th scope="row" colspan="2">${msg("Total of this bill")}</th>
            <td class="amount" data-testid="bill-total">${money(bill.total)}</td>
          </tr>
          <tr>
            <th scope="row" colspan="2">${msg("Unpaid from the previous bill")}</th>
            <td class="amount">${money(bill.previousDue)}</td>
          </tr>
          <tr class="due">
            <th scope="row" colspan="2">${msg("Amount due")}</th>
            <td class="amount" data-testid="bill-amount-due">${money(bill.amountDue)}</td>
          </tr>
          <tr>
            <th scope="row" colspan="2">${msg("Paid so far")}</th>
            <td class="amount" data-testid="bill-paid">${money(bill.paidAmount)}</td>
          </tr>
          ${
            bill.status === "issued"
              ? html`<tr class="due">
                  <th scope="row" colspan="2">${msg(str`Still to pay by ${formatDate(bill.dueDate, lang)}`)}</th>
                  <td class="amount" data-testid="bill-still-due">${money(stillDue(bill))}</td>
                </tr>`
              : nothing
          }
        </tfoot>
      </table>
      ${
        credits.length
          ? html`<section aria-labelledby="bill-credits">
              <h3 id="bill-credits">${msg("Credit notes")}</h3>
              <ul data-testid="bill-credit-notes">
                ${credits.map(
                  (note) =>
                    html`<li>
                      ${note.creditNoteNo} · ${formatDate(note.issuedOn, lang)} · ${money(note.amount)} · <bdi>${note.reason}</bdi>
                    </li>`,
                )}
              </ul>
            </section>`
          : nothing
      }
      <p class="muted">
        ${
          bill.status === "carried"
            ? msg("What was left unpaid of this bill was moved to the next one.")
            : msg("Payments and credit notes count toward this bill until it is paid.")
        }
      </p>
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "bill-sheet": BillSheet;
  }
}

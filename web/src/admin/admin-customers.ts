/**
 * `<admin-customers>`: customer 360. `/admin/customers?q=…` searches by number, national id, e-mail or
 * part of a name (telecom.search_customers, served by indexes); `/admin/customers/<national id>` is one
 * page per person: profile, accounts with their subscriptions, usage, payments, benefits, vouchers and
 * tickets, wallets with transfers and cashback, their receipts and their money journal (latest first, 20 of each).
 */
import { html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { Task } from "@lit/task";
import { PersonDetails, PersonName, ReceiptLine, WalletLine } from "../../../shared/fragments.ts";
import { graphql, money, nodesOf } from "../api/graphql.ts";
import "../components/data-table.ts";
import type { Row } from "../components/data-table.ts";
import { navigate } from "../router.ts";
import { taskView } from "../ui.ts";
import { AdminPage, adminSession } from "./admin-page.ts";
import { PAGE_ROWS } from "../../../shared/admin-reports.ts";

export const SearchCustomers = graphql(
  `
    query SearchCustomers($query: String!, $first: Int!) {
      searchCustomers(query: $query, first: $first) {
        nodes {
          ...PersonName
          customerAccountsByNationalId {
            nodes {
              mobileNo
            }
          }
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  `,
  [PersonName],
);

export const Customer360 = graphql(
  `
    query Customer360($nationalId: Int!) {
      customerProfile(nationalId: $nationalId) {
        ...PersonDetails
        openTicketCount
        customerAccountsByNationalId {
          nodes {
            mobileNo
            accountType
            status
            balance
            points
            startDate
            planSubscriptionsByMobileNo {
              nodes {
                planId
                status
                subscriptionDate
                plan {
                  name
                }
              }
            }
            planUsagesByMobileNo(first: 20) {
              nodes {
                usageId
                planId
                startDate
                endDate
                dataConsumption
                minutesUsed
                smsSent
              }
            }
            invoicesByMobileNo(first: 20, orderBy: BILL_DATE_DESC) {
              nodes {
                invoiceNo
                billDate
                total
                amountDue
                paidAmount
                status
              }
            }
            paymentsByMobileNo(first: 20, orderBy: DATE_OF_PAYMENT_DESC) {
              nodes {
                paymentId
                amount
                dateOfPayment
                paymentMethod
                status
              }
            }
            benefitsByMobileNo(first: 20) {
              nodes {
                benefitId
                description
                validityDate
                status
              }
            }
            vouchersByMobileNo(first: 20) {
              nodes {
                voucherId
                value
                points
                redeemDate
              }
            }
            technicalSupportTicketsByMobileNo(first: 20) {
              nodes {
                ticketId
                issueDescription
                priorityLevel
                status
              }
            }
          }
        }
        walletsByNationalId {
          nodes {
            ...WalletLine
            transferMoniesByFromWalletId(first: 20) {
              nodes {
                transferId
                toWalletId
                amount
                transferDate
              }
            }
            transferMoniesByToWalletId(first: 20) {
              nodes {
                transferId
                fromWalletId
                amount
                transferDate
              }
            }
            cashbacks(first: 20) {
              nodes {
                cashbackId
                amount
                creditDate
                benefitId
              }
            }
          }
        }
      }
      customerReceipts(first: 20, filter: { nationalId: { equalTo: $nationalId } }, orderBy: [RECEIPT_DATE_DESC, REFERENCE_DESC]) {
        nodes {
          ...ReceiptLine
          mobileNo
          description
        }
      }
      moneyJournals(first: 20, filter: { nationalId: { equalTo: $nationalId } }, orderBy: JOURNAL_ID_DESC) {
        nodes {
          journalId
          recordedAt
          accountKind
          mobileNo
          walletId
          change
          balanceAfter
          operation
          actor
        }
      }
    }
  `,
  [PersonDetails, WalletLine, ReceiptLine],
);

@customElement("admin-customers")
export class AdminCustomers extends AdminPage {
  /** The path after /admin/customers: "" (search) or "/<national id>". */
  @property() path = "";
  @property() query = "";

  private _search = new Task(this, {
    task: async ([session, query], { signal }) => {
      if (!query) return null;
      const data = await adminSession(session).request(SearchCustomers, { query, first: PAGE_ROWS }, signal);
      return data.searchCustomers;
    },
    args: () => [this._session, this.path ? "" : this.query] as const,
  });

  private _person = new Task(this, {
    task: async ([session, nationalId], { signal }) =>
      nationalId ? adminSession(session).request(Customer360, { nationalId }, signal) : null,
    args: () => [this._session, Number(this.path.replace(/^\//, "")) || 0] as const,
  });

  private _submit(event: SubmitEvent) {
    event.preventDefault();
    const query = new FormData(event.target as HTMLFormElement).get("q")?.toString().trim() ?? "";
    navigate(`/admin/customers?q=${encodeURIComponent(query)}`);
  }

  private _searchPage() {
    return html`<p><a href="/admin">← Dashboard</a></p>
      <h1>Customers</h1>
      <section aria-labelledby="find">
        <h2 id="find">Find a customer</h2>
        <form class="search" role="search" @submit=${this._submit}>
          <label
            >Number, name, national id or e-mail
            <input name="q" type="search" .value=${this.query} minlength="1" />
          </label>
          <button type="submit">Search</button>
        </form>
      </section>
      ${taskView(this._search, (result) =>
        result
          ? html`<section aria-label="Results">
              <p role="status" class="muted">
                ${result.nodes.length === 0 ? "Nobody found." : `${result.nodes.length}${result.pageInfo.hasNextPage ? "+" : ""} found`}
              </p>
              <ul class="results">
                ${nodesOf(result).map(
                  (person) =>
                    html`<li>
                      <a href=${`/admin/customers/${person.nationalId}`}>${person.firstName} ${person.lastName}</a>
                      <span class="muted">
                        · national id ${person.nationalId} · ${person.email ?? "no e-mail"} ·
                        ${nodesOf(person.customerAccountsByNationalId)
                          .map((a) => a.mobileNo)
                          .join(", ")}
                      </span>
                    </li>`,
                )}
              </ul>
            </section>`
          : html``,
      )}`;
  }

  private _table(caption: string, rows: Row[]) {
    return html`<section aria-label=${caption}>
      <data-table .rows=${rows} caption=${caption} empty-text=${`${caption}: none.`}></data-table>
    </section>`;
  }

  /** The person's bills, each a link to the bill, where a credit note is issued (docs/bills.md). */
  private _bills(bills: Row[]) {
    return html`<section aria-labelledby="bills">
      <h2 id="bills">Bills</h2>
      ${
        bills.length
          ? html`<ul data-testid="customer-bills">
              ${bills.map(
                (bill) =>
                  html`<li>
                    <a href=${`/admin/bills/${bill.invoiceNo}`}>${bill.invoiceNo}</a> · ${bill.mobileNo} · ${bill.billDate} · total
                    ${money(bill.total as string)} EGP · due ${money(bill.amountDue as string)} EGP · paid
                    ${money(bill.paidAmount as string)} EGP · ${bill.status}
                  </li>`,
              )}
            </ul>`
          : html`<p class="muted">Bills: none.</p>`
      }
    </section>`;
  }

  private _personPage() {
    return html`<p><a href="/admin/customers">← Customers</a></p>
      ${taskView(this._person, (data) => {
        const person = data?.customerProfile;
        if (!person) return html`<h1>Nobody with that national id</h1>`;
        const accounts = nodesOf(person.customerAccountsByNationalId);
        const wallets = nodesOf(person.walletsByNationalId);
        const each = <T>(pick: (a: (typeof accounts)[number]) => { nodes: readonly (T | null)[] }, mobile = true) =>
          accounts.flatMap((a) => nodesOf(pick(a)).map((row) => (mobile ? { mobileNo: a.mobileNo, ...(row as Row) } : (row as Row))));
        return html`<h1>${person.firstName} ${person.lastName}</h1>
          <section aria-labelledby="profile">
            <h2 id="profile">Profile</h2>
            <dl>
              <dt>National id</dt>
              <dd>${person.nationalId}</dd>
              <dt>E-mail</dt>
              <dd>${person.email ?? "—"}</dd>
              <dt>Address</dt>
              <dd>${person.address ?? "—"}</dd>
              <dt>Date of birth</dt>
              <dd>${person.dateOfBirth ?? "—"}</dd>
              <dt>Unresolved tickets</dt>
              <dd>${person.openTicketCount ?? 0}</dd>
            </dl>
          </section>
          ${this._table(
            "Accounts",
            accounts.map((a) => ({
              mobileNo: a.mobileNo,
              accountType: a.accountType,
              status: a.status,
              balance: `${money(a.balance)} EGP`,
              points: a.points,
              startDate: a.startDate,
            })),
          )}
          ${this._table(
            "Subscriptions",
            each((a) => a.planSubscriptionsByMobileNo).map((s) => ({
              mobileNo: s.mobileNo,
              plan: (s.plan as { name: string } | null)?.name,
              status: s.status,
              subscriptionDate: s.subscriptionDate,
            })),
          )}
          ${this._table(
            "Usage",
            each((a) => a.planUsagesByMobileNo),
          )}
          ${this._bills(each((a) => a.invoicesByMobileNo))}
          ${this._table(
            "Payments",
            each((a) => a.paymentsByMobileNo),
          )}
          ${this._table(
            "Wallets",
            wallets.map((w) => ({
              walletId: w.walletId,
              mobileNo: w.mobileNo,
              balance: `${money(w.currentBalance)} ${w.currency}`,
              lastModifiedDate: w.lastModifiedDate,
            })),
          )}
          ${this._table(
            "Transfers",
            wallets.flatMap((w) => [
              ...nodesOf(w.transferMoniesByFromWalletId).map((t) => ({ ...t, direction: "sent", wallet: w.walletId })),
              ...nodesOf(w.transferMoniesByToWalletId).map((t) => ({ ...t, direction: "received", wallet: w.walletId })),
            ]),
          )}
          ${this._table(
            "Cashback",
            wallets.flatMap((w) => nodesOf(w.cashbacks).map((c) => ({ wallet: w.walletId, ...c }))),
          )}
          ${this._table("Points and vouchers", [
            ...accounts.map((a) => ({ mobileNo: a.mobileNo, points: a.points, voucherId: null, value: null, redeemDate: null })),
            ...each((a) => a.vouchersByMobileNo),
          ])}
          ${this._table(
            "Benefits",
            each((a) => a.benefitsByMobileNo),
          )}
          ${this._table(
            "Tickets",
            each((a) => a.technicalSupportTicketsByMobileNo),
          )}
          ${this._table(
            "Receipts",
            nodesOf(data.customerReceipts).map((r) => ({ ...r, amount: `${money(r.amount)} ${r.currency}` })),
          )}
          ${this._table("Money journal", nodesOf(data.moneyJournals))}`;
      })}`;
  }

  render() {
    return this.path ? this._personPage() : this._searchPage();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "admin-customers": AdminCustomers;
  }
}

/**
 * `<admin-bills>`: the administrators' bills page (`/admin/bills`, docs/bills.md). Each bill run
 * (`bill_run_summary`, paged: bills issued, amount billed, VAT, paid so far, still open) with its bills
 * (paged, each opening as `<admin-bill>`, where a credit note is issued); "Run bills for <month>": a
 * request the maintenance process runs (`request_bill_run`; a run at a million customers is longer than
 * a request may be), followed here from queued to running to done by asking every two seconds; the
 * ageing report (`invoice_ageing()`: what is overdue 1–30, 31–60, 61–90 and over 90 days, as a table
 * with `<meter>` bars, which need no script or inline style); the barred accounts (paged); and finding
 * a bill by its number.
 */
import { Task } from "@lit/task";
import { css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { graphql, money, type ResultOf } from "../api/graphql.ts";
import type { Confirmation, Field, Values } from "../components/op-form.ts";
import "../components/op-form.ts";
import { navigate } from "../router.ts";
import { pageStyles, taskView } from "../ui.ts";
import { PAGE_ROWS } from "../../../shared/admin-reports.ts";
import { AdminPage, adminSession } from "./admin-page.ts";
import { CursorPages } from "./cursor-pages.ts";

const BillRuns = graphql(`
  query BillRuns($first: Int!, $after: Cursor) {
    billRunSummaries(orderBy: [BILL_DATE_DESC], first: $first, after: $after) {
      nodes {
        billDate
        billsIssued
        amountBilled
        vat
        paidAmount
        openAmount
        asOf
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const RunBills = graphql(`
  query RunBills($billDate: Date!, $first: Int!, $after: Cursor) {
    invoices(condition: { billDate: $billDate }, orderBy: [INVOICE_ID_ASC], first: $first, after: $after) {
      nodes {
        invoiceNo
        mobileNo
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

const BillRunRequests = graphql(`
  query BillRunRequests {
    billRunRequests(orderBy: [REQUEST_ID_DESC], first: 5) {
      nodes {
        requestId
        billDate
        requestedAt
        finishedAt
        billsIssued
        error
        status
      }
    }
  }
`);

const RequestBillRun = graphql(`
  mutation RequestBillRun($billDate: Date!) {
    requestBillRun(input: { billDate: $billDate }) {
      billRunRequest {
        requestId
      }
    }
  }
`);

const Ageing = graphql(`
  query InvoiceAgeing {
    invoiceAgeing {
      due1To30
      due31To60
      due61To90
      dueOver90
      billsOverdue
    }
  }
`);

const BarredAccounts = graphql(`
  query BarredAccounts($first: Int!, $after: Cursor) {
    barredAccounts(orderBy: [BARRED_AT_DESC], first: $first, after: $after) {
      nodes {
        mobileNo
        customerName
        invoiceNo
        amountStillDue
        barredAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

type Request = NonNullable<ResultOf<typeof BillRunRequests>["billRunRequests"]>["nodes"][number];

/** How often an open bill run request is asked about. */
const POLL_MS = 2_000;

/** "December 2026" for the 1st of that month. */
const monthName = (billDate: string) => new Date(`${billDate}T00:00:00`).toLocaleDateString("en", { month: "long", year: "numeric" });

/** The 1st of this month and of the eleven before it (the browser's months, the operator's in practice). */
function recentMonths(now = new Date()): string[] {
  return Array.from({ length: 12 }, (_, i) => {
    const first = new Date(now.getFullYear(), now.getMonth() - i, 1);
    return `${first.getFullYear()}-${String(first.getMonth() + 1).padStart(2, "0")}-01`;
  });
}

const FIND_FIELDS: Field[] = [
  {
    name: "invoiceNo",
    label: "Bill number",
    required: true,
    missing: "Enter a bill number.",
    hint: "e.g. INV-2026-0000042",
    pattern: "INV-.+",
  },
];

/** A request in words: queued → running → done with its result, or failed with why. */
function requestState(request: NonNullable<Request>): string {
  switch (request.status) {
    case "done":
      return request.billsIssued
        ? `done: ${request.billsIssued.toLocaleString("en")} ${request.billsIssued === 1 ? "bill" : "bills"} issued`
        : "done: no bills issued (the month was already billed)";
    case "failed":
      return `failed, nothing written: ${request.error ?? ""}`;
    case "running":
      return "running";
    default:
      return "queued: the maintenance process starts it within a minute";
  }
}

@customElement("admin-bills")
export class AdminBills extends AdminPage {
  static styles = [
    pageStyles,
    css`
      table {
        border-collapse: collapse;
        width: 100%;
      }
      th,
      td {
        text-align: start;
        padding: 0.35rem 0.5rem;
        border-bottom: 1px solid var(--tc-border);
      }
      td.num,
      th.num {
        text-align: end;
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      .scroll {
        overflow-x: auto;
      }
      meter {
        width: 12rem;
        max-width: 40vw;
      }
    `,
  ];

  /** The bill run whose bills are listed. */
  @state() private _run: string | null = null;
  private _timer?: ReturnType<typeof setTimeout>;

  private _runs = new CursorPages(
    this,
    async ([session], after, signal) =>
      (await adminSession(session).request(BillRuns, { first: PAGE_ROWS, after }, signal)).billRunSummaries,
    () => [this._session] as const,
  );

  private _runBills = new CursorPages(
    this,
    async ([session, billDate], after, signal) =>
      billDate ? (await adminSession(session).request(RunBills, { billDate, first: PAGE_ROWS, after }, signal)).invoices : null,
    () => [this._session, this._run] as const,
  );

  private _barred = new CursorPages(
    this,
    async ([session], after, signal) =>
      (await adminSession(session).request(BarredAccounts, { first: PAGE_ROWS, after }, signal)).barredAccounts,
    () => [this._session] as const,
  );

  private _ageing = new Task(this, {
    task: async ([session], { signal }) => (await adminSession(session).request(Ageing, {}, signal)).invoiceAgeing,
    args: () => [this._session] as const,
  });

  private _requests = new Task(this, {
    task: async ([session], { signal }) => {
      const requests = (await adminSession(session).request(BillRunRequests, {}, signal)).billRunRequests?.nodes ?? [];
      this._follow(requests);
      return requests;
    },
    args: () => [this._session] as const,
  });

  /** Asks again while a request is queued or running; once one finishes, the runs' figures are reloaded. */
  private _open = new Set<number>();
  private _follow(requests: readonly Request[]) {
    clearTimeout(this._timer);
    const open = new Set(requests.flatMap((r) => (r && (r.status === "queued" || r.status === "running") ? [r.requestId] : [])));
    if ([...this._open].some((id) => !open.has(id))) {
      void this._runs.task.run();
      void this._ageing.run();
    }
    this._open = open;
    if (open.size) this._timer = setTimeout(() => void this._requests.run(), POLL_MS);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this._timer);
  }

  private _runFields = (): Field[] => [
    {
      name: "billDate",
      label: "Month",
      type: "select",
      required: true,
      codes: ["TC702", "TC707"],
      options: recentMonths().map((month) => ({ value: month, label: monthName(month) })),
    },
  ];

  private _confirmRun = (values: Values): Confirmation => ({
    title: `Run bills for ${monthName(values.billDate)}?`,
    lines: [
      ["Bill date", values.billDate],
      ["Who is billed", "every post-paid account opened before that day that has no bill for it yet"],
    ],
    note: "The maintenance process runs it within a minute; bills it issues cannot be taken back (credit notes correct them). A month already billed issues none.",
    action: `Run bills for ${monthName(values.billDate)}`,
  });

  private _request = async (values: Values) => {
    const data = await adminSession(this._session).request(RequestBillRun, { billDate: values.billDate });
    void this._requests.run();
    return `Bill run ${data.requestBillRun?.billRunRequest?.requestId ?? ""} for ${monthName(values.billDate)} asked for: its progress is in the list below.`;
  };

  private _find = async (values: Values) => {
    navigate(`/admin/bills/${encodeURIComponent(values.invoiceNo)}`);
    return "";
  };

  private _runsTable() {
    const runs = this._runs.rows;
    return html`<div class="scroll">
        <table data-testid="bill-runs">
          <caption class="muted">
            ${runs[0]?.asOf ? `Figures as of ${new Date(runs[0].asOf).toLocaleString("en")}.` : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col" class="num">Bills issued</th>
              <th scope="col" class="num">Amount billed</th>
              <th scope="col" class="num">VAT</th>
              <th scope="col" class="num">Paid so far</th>
              <th scope="col" class="num">Still open</th>
              <th scope="col">Its bills</th>
            </tr>
          </thead>
          <tbody>
            ${
              runs.length
                ? runs.map(
                    (run) =>
                      html`<tr>
                        <th scope="row">${monthName(run.billDate)}</th>
                        <td class="num">${(run.billsIssued ?? 0).toLocaleString("en")}</td>
                        <td class="num">${money(run.amountBilled)} EGP</td>
                        <td class="num">${money(run.vat)} EGP</td>
                        <td class="num">${money(run.paidAmount)} EGP</td>
                        <td class="num">${money(run.openAmount)} EGP</td>
                        <td>
                          <button
                            type="button"
                            class="secondary"
                            @click=${() => {
                              this._run = run.billDate;
                              this._runBills.first();
                            }}
                          >
                            Bills of ${monthName(run.billDate)}
                          </button>
                        </td>
                      </tr>`,
                  )
                : html`<tr>
                    <td colspan="7" class="muted">No bill runs yet.</td>
                  </tr>`
            }
          </tbody>
        </table>
      </div>
      ${this._runs.buttons("bill runs")}`;
  }

  private _runBillsList() {
    if (!this._run) return nothing;
    return html`<section aria-labelledby="run-bills">
      <h2 id="run-bills">Bills of ${monthName(this._run)}</h2>
      ${taskView(
        this._runBills.task,
        () =>
          html`<ul class="plain" data-testid="run-bills">
              ${this._runBills.rows.map(
                (bill) =>
                  html`<li>
                    <span><a href=${`/admin/bills/${bill.invoiceNo}`}>${bill.invoiceNo}</a> · ${bill.mobileNo} · ${bill.status}</span>
                    <span>total ${money(bill.total)} EGP · due ${money(bill.amountDue)} EGP · paid ${money(bill.paidAmount)} EGP</span>
                  </li>`,
              )}
            </ul>
            ${this._runBills.buttons(`bills of ${monthName(this._run!)}`)}`,
      )}
    </section>`;
  }

  private _requestsList(requests: readonly Request[]) {
    const shown = requests.filter((r): r is NonNullable<Request> => r != null);
    if (!shown.length) return html`<p class="muted">No bill runs requested yet.</p>`;
    return html`<ul class="plain" data-testid="bill-run-requests" aria-live="polite">
      ${shown.map(
        (r) =>
          html`<li data-status=${r.status ?? ""}>
            <span>Bill run ${r.requestId} for ${monthName(r.billDate)}, asked ${new Date(r.requestedAt).toLocaleString("en")}</span>
            <strong>${requestState(r)}</strong>
          </li>`,
      )}
    </ul>`;
  }

  private _ageingTable(ageing: ResultOf<typeof Ageing>["invoiceAgeing"]) {
    const buckets: [string, string | null | undefined][] = [
      ["1–30 days", ageing?.due1To30],
      ["31–60 days", ageing?.due31To60],
      ["61–90 days", ageing?.due61To90],
      ["Over 90 days", ageing?.dueOver90],
    ];
    const total = buckets.reduce((sum, [, amount]) => sum + Number(amount ?? 0), 0);
    return html`<table data-testid="ageing">
      <caption class="muted">
        ${`${(ageing?.billsOverdue ?? 0).toLocaleString("en")} ${ageing?.billsOverdue === 1 ? "bill" : "bills"} past their due date, ${money(total)} EGP still due.`}
      </caption>
      <thead>
        <tr>
          <th scope="col">Overdue by</th>
          <th scope="col" class="num">Still due</th>
          <th scope="col">Share</th>
        </tr>
      </thead>
      <tbody>
        ${buckets.map(
          ([label, amount]) =>
            html`<tr>
              <th scope="row">${label}</th>
              <td class="num">${money(amount)} EGP</td>
              <td>
                <meter min="0" max=${total || 1} .value=${Number(amount ?? 0)} aria-label=${`${label}: share of what is overdue`}></meter>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private _barredList() {
    return html`<div class="scroll">
        <table data-testid="barred">
          <thead>
            <tr>
              <th scope="col">Number</th>
              <th scope="col">Customer</th>
              <th scope="col">Barred for</th>
              <th scope="col" class="num">Still due</th>
              <th scope="col">Barred on</th>
            </tr>
          </thead>
          <tbody>
            ${
              this._barred.rows.length
                ? this._barred.rows.map(
                    (bar) =>
                      html`<tr>
                        <td>${bar.mobileNo}</td>
                        <td>${bar.customerName}</td>
                        <td><a href=${`/admin/bills/${bar.invoiceNo}`}>${bar.invoiceNo}</a></td>
                        <td class="num">${money(bar.amountStillDue)} EGP</td>
                        <td>${bar.barredAt ? new Date(bar.barredAt).toLocaleDateString("en") : ""}</td>
                      </tr>`,
                  )
                : html`<tr>
                    <td colspan="5" class="muted">No account is barred.</td>
                  </tr>`
            }
          </tbody>
        </table>
      </div>
      ${this._barred.buttons("barred accounts")}`;
  }

  render() {
    return html`<p><a href="/admin">← Dashboard</a></p>
      <h1 tabindex="-1">Bills</h1>
      <section aria-labelledby="bill-runs">
        <h2 id="bill-runs">Bill runs</h2>
        ${taskView(this._runs.task, () => this._runsTable())}
      </section>
      ${this._runBillsList()}
      <section aria-labelledby="run-bills-for">
        <h2 id="run-bills-for">Run bills for a month</h2>
        <op-form .fields=${this._runFields()} .confirm=${this._confirmRun} .submit=${this._request} submit-label="Continue"></op-form>
        ${taskView(this._requests, (requests) => this._requestsList(requests))}
      </section>
      <section aria-labelledby="ageing">
        <h2 id="ageing">Ageing of what is overdue</h2>
        ${taskView(this._ageing, (ageing) => this._ageingTable(ageing))}
      </section>
      <section aria-labelledby="barred">
        <h2 id="barred">Barred accounts</h2>
        ${taskView(this._barred.task, () => this._barredList())}
      </section>
      <section aria-labelledby="find-bill">
        <h2 id="find-bill">Find a bill</h2>
        <op-form .fields=${FIND_FIELDS} .submit=${this._find} submit-label="Open the bill"></op-form>
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "admin-bills": AdminBills;
  }
}

/**
 * `<admin-report>`: one report of reports.ts. A paged report (the views) reads one page of 50 rows
 * at a time from the database, sorted and filtered there (`first`/`after`, `orderBy`, `filter`), and
 * says "rows 1–50 of about N" from the planner's estimate. A report with arguments shows a form and
 * runs when it is submitted. Rows go to a `<data-table>`, and a chart is drawn when the report has one.
 */
import { html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { Task } from "@lit/task";
import type { Row } from "../components/data-table.ts";
import type { Values } from "../components/op-form.ts";
import "../components/bar-chart.ts";
import "../components/data-table.ts";
import "../components/op-form.ts";
import { taskView } from "../ui.ts";
import { AdminPage, adminSession } from "./admin-page.ts";
import { pageVariables, PAGE_ROWS, type Page, type Report } from "../../../shared/admin-reports.ts";

/** "rows 51–100 of about 1,200" (no estimate while a filter is on: the estimate is the whole report's). */
export function rangeText(first: number, count: number, estimate: number | null, more: boolean): string {
  if (count === 0) return "No rows.";
  const range = `rows ${first.toLocaleString("en")}–${(first + count - 1).toLocaleString("en")}`;
  if (estimate !== null) return `${range} of about ${Math.max(estimate, first + count - 1).toLocaleString("en")}`;
  return more ? `${range}, more follow` : `${range}, the last`;
}

@customElement("admin-report")
export class AdminReport extends AdminPage {
  @property({ attribute: false }) report!: Report;

  /** Rows of the last run of a report with arguments. */
  @state() private _rows?: Row[];
  @state() private _sortKey = "";
  @state() private _descending = false;
  /** The filters filled in, by field name. */
  @state() private _filters: Values = {};
  /** The cursors of the pages before this one (the first page has none): Previous pops one. */
  @state() private _cursors: (string | null)[] = [];
  @state() private _after: string | null = null;

  private _load = new Task(this, {
    task: async ([report, session, sortKey, descending, filters, after], { signal }) => {
      if (report.fields) return undefined;
      const request = adminSession(session).request;
      if (!report.page)
        return { rows: report.rows(await request(report.document, {}, signal)), hasNextPage: false, endCursor: null, estimate: null };
      const variables = pageVariables(report, { sortKey, descending, filters, after });
      const page = report.page(await request(report.document, variables, signal));
      // The estimate is the whole report's: with a filter, say only whether more rows follow.
      return variables.filter ? { ...page, estimate: null } : page;
    },
    args: () => [this.report, this._session, this._sortKey, this._descending, this._filters, this._after] as const,
  });

  protected willUpdate(changed: Map<string, unknown>) {
    if (changed.has("report")) {
      this._rows = undefined;
      this._sortKey = "";
      this._descending = false;
      this._filters = {};
      this._firstPage();
    }
  }

  private _firstPage() {
    this._cursors = [];
    this._after = null;
  }

  private _onSort = (event: CustomEvent<{ key: string; descending: boolean }>) => {
    this._sortKey = event.detail.key;
    this._descending = event.detail.descending;
    this._firstPage();
  };

  private _applyFilters = async (values: Values) => {
    this._filters = values;
    this._firstPage();
    return "";
  };

  private _next(page: Page) {
    this._cursors = [...this._cursors, this._after];
    this._after = page.endCursor;
  }

  private _previous() {
    this._after = this._cursors.at(-1) ?? null;
    this._cursors = this._cursors.slice(0, -1);
  }

  private _run = async (values: Values) => {
    const data = await adminSession(this._session).request(this.report.document, this.report.variables?.(values) ?? values);
    this._rows = this.report.rows(data);
    return this.report.writes ? "Done." : "";
  };

  private _chart(rows: Row[]) {
    const chart = this.report.chart && rows.length ? this.report.chart(rows) : undefined;
    return chart
      ? html`<section aria-label="Chart">
          <bar-chart .labels=${chart.labels} .series=${chart.series} y-label=${chart.yLabel} summary=${chart.summary}></bar-chart>
        </section>`
      : nothing;
  }

  private _results(rows: Row[]) {
    return html`${this._chart(rows)}
      <section aria-label="Rows">
        <data-table .rows=${rows} .columns=${this.report.columns} caption=${this.report.title} empty-text="No rows."></data-table>
      </section>`;
  }

  private _paged(page: Page) {
    const first = this._cursors.length * PAGE_ROWS + 1;
    return html`<section aria-label="Rows">
      <data-table
        .rows=${page.rows}
        .columns=${this.report.columns}
        .sortKeys=${this.report.paging?.sortKeys ?? []}
        sort-key=${this._sortKey}
        ?descending=${this._descending}
        status=${rangeText(first, page.rows.length, page.estimate, page.hasNextPage)}
        caption=${this.report.title}
        empty-text="No rows."
        @sort-change=${this._onSort}
      ></data-table>
      <p class="paging">
        <button type="button" class="secondary" ?disabled=${this._cursors.length === 0} @click=${() => this._previous()}>Previous</button>
        <button type="button" class="secondary" ?disabled=${!page.hasNextPage} @click=${() => this._next(page)}>Next</button>
      </p>
    </section>`;
  }

  render() {
    const report = this.report;
    const filters = report.paging?.filters ?? [];
    return html`<p><a href="/admin">← Dashboard</a></p>
      <h1>${report.title}</h1>
      <p class="muted">${report.description}</p>
      ${
        report.fields
          ? html`<section aria-label="Arguments">
                ${report.writes ? html`<p class="error">This changes data.</p>` : nothing}
                <op-form .fields=${report.fields} .submit=${this._run} submit-label=${report.writes ? "Run" : "Show"}></op-form>
              </section>
              ${this._rows ? this._results(this._rows) : nothing}`
          : html`${
              filters.length
                ? html`<section aria-label="Filters">
                    <op-form .fields=${filters.map((f) => f.field)} .submit=${this._applyFilters} submit-label="Filter"></op-form>
                  </section>`
                : nothing
            }
            ${taskView(this._load, (page) => (report.page ? this._paged(page!) : this._results(page?.rows ?? [])))}`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "admin-report": AdminReport;
  }
}

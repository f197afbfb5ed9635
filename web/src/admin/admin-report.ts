/**
 * `<admin-report>`: one report of reports.ts. A report without arguments loads at once; one with
 * arguments shows a form and runs when it is submitted. Rows go to a `<data-table>`, and a chart
 * is drawn when the report has one.
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
import type { Report } from "./reports.ts";

@customElement("admin-report")
export class AdminReport extends AdminPage {
  @property({ attribute: false }) report!: Report;

  /** Rows of the last run of a report with arguments. */
  @state() private _rows?: Row[];

  private _load = new Task(this, {
    task: async ([report, session], { signal }) =>
      report.fields ? undefined : report.rows(await adminSession(session).request(report.document, {}, signal)),
    args: () => [this.report, this._session] as const,
  });

  protected willUpdate(changed: Map<string, unknown>) {
    if (changed.has("report")) this._rows = undefined;
  }

  private _run = async (values: Values) => {
    const data = await adminSession(this._session).request(this.report.document, this.report.variables?.(values) ?? values);
    this._rows = this.report.rows(data);
    return this.report.writes ? "Done." : "";
  };

  private _results(rows: Row[]) {
    const chart = this.report.chart && rows.length ? this.report.chart(rows) : undefined;
    return html`${
        chart
          ? html`<section aria-label="Chart">
              <bar-chart .labels=${chart.labels} .series=${chart.series} y-label=${chart.yLabel} summary=${chart.summary}></bar-chart>
            </section>`
          : nothing
      }
      <section aria-label="Rows">
        <data-table .rows=${rows} .columns=${this.report.columns} caption=${this.report.title} empty-text="No rows."></data-table>
      </section>`;
  }

  render() {
    const report = this.report;
    return html`<p><a href="/admin">← All reports</a></p>
      <h1>${report.title}</h1>
      <p class="muted">${report.description}</p>
      ${
        report.fields
          ? html`<section aria-label="Arguments">
                ${report.writes ? html`<p class="error">This changes data.</p>` : nothing}
                <op-form .fields=${report.fields} .submit=${this._run} submit-label=${report.writes ? "Run" : "Show"}></op-form>
              </section>
              ${this._rows ? this._results(this._rows) : nothing}`
          : taskView(this._load, (rows) => this._results(rows ?? []))
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "admin-report": AdminReport;
  }
}

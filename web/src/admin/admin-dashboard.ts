/**
 * `<admin-dashboard>`: links to every report, the GraphiQL link with the admin's token, and two
 * overview charts (payments per month, cashback credits per wallet).
 */
import { css, html } from "lit";
import { customElement } from "lit/decorators.js";
import { Task } from "@lit/task";
import "../components/bar-chart.ts";
import { pageStyles, taskView } from "../ui.ts";
import { AdminPage, adminSession } from "./admin-page.ts";
import { REPORTS, reportByKey } from "./reports.ts";

const CHARTS = ["account-payments", "num-of-cashback"].map((key) => reportByKey(key)!);

@customElement("admin-dashboard")
export class AdminDashboard extends AdminPage {
  static styles = [
    pageStyles,
    css`
      ul.links {
        margin: 0;
        padding-left: 1.2rem;
        line-height: 1.9;
      }
    `,
  ];

  private _charts = new Task(this, {
    task: async ([session], { signal }) =>
      Promise.all(
        CHARTS.map(async (report) => report.chart!(report.rows(await adminSession(session).request(report.document, {}, signal)))),
      ),
    args: () => [this._session] as const,
  });

  private _links(kind: "view" | "operation") {
    return html`<ul class="links">
      ${REPORTS.filter((r) => r.kind === kind).map((r) => html`<li><a href=${`/admin/${r.key}`}>${r.title}</a></li>`)}
    </ul>`;
  }

  render() {
    return html`<h1>Administration</h1>
      <div class="grid">
        <section aria-labelledby="views">
          <h2 id="views">Reports</h2>
          ${this._links("view")}
        </section>
        <section aria-labelledby="operations">
          <h2 id="operations">Account operations</h2>
          ${this._links("operation")}
        </section>
        <section aria-labelledby="tools">
          <h2 id="tools">Tools</h2>
          <ul class="links">
            <li><a href="/admin/manage">Manage plans, shops, vouchers, tickets and accounts</a></li>
            <li><a href="/admin/data-model">Data model</a>: every table, key and relation</li>
            <li>
              <a href=${`/graphiql#token=${this._session?.token ?? ""}`} target="_blank" rel="noopener">GraphiQL (signed in as you)</a>
            </li>
          </ul>
        </section>
      </div>
      ${taskView(
        this._charts,
        (charts) =>
          html`<div class="grid after-grid">
            ${charts.map(
              (chart, i) =>
                html`<section aria-labelledby=${`chart-${i}`}>
                  <h2 id=${`chart-${i}`}><a href=${`/admin/${CHARTS[i].key}`}>${CHARTS[i].title}</a></h2>
                  <bar-chart .labels=${chart.labels} .series=${chart.series} y-label=${chart.yLabel} summary=${chart.summary}></bar-chart>
                </section>`,
            )}
          </div>`,
      )}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "admin-dashboard": AdminDashboard;
  }
}

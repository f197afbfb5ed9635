/**
 * `<admin-router>`: the page for an /admin… URL.
 */
import { LitElement, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import "./admin-dashboard.ts";
import "./admin-manage.ts";
import "./admin-report.ts";
import { reportByKey } from "./reports.ts";

@customElement("admin-router")
export class AdminRouter extends LitElement {
  @property() path = "/admin";

  render() {
    const key = this.path.replace(/^\/admin\/?/, "").replace(/\/$/, "");
    if (key === "") return html`<admin-dashboard></admin-dashboard>`;
    if (key === "manage") return html`<admin-manage></admin-manage>`;
    const report = reportByKey(key);
    return report
      ? html`<admin-report .report=${report}></admin-report>`
      : html`<h1>Page not found</h1>
          <p><a href="/admin">Back to the reports</a></p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "admin-router": AdminRouter;
  }
}

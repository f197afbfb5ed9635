/**
 * `<admin-router>`: the page for an /admin… URL. The data model page (a large image) is a chunk of
 * its own, loaded on its first visit.
 */
import { LitElement, html } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import "./admin-customers.ts";
import "./admin-dashboard.ts";
import "./admin-live-usage.ts";
import "./admin-manage.ts";
import "./admin-report.ts";
import { reportByKey } from "../../../shared/admin-reports.ts";

let dataModelChunk: Promise<unknown> | undefined;

@customElement("admin-router")
export class AdminRouter extends LitElement {
  @property() path = "/admin";

  @state() private _dataModelReady = false;

  private get _key(): string {
    return this.path.replace(/^\/admin\/?/, "").replace(/\/$/, "");
  }

  protected willUpdate() {
    if (this._key === "data-model" && !this._dataModelReady) {
      dataModelChunk ??= import("./admin-data-model.ts");
      dataModelChunk.then(() => (this._dataModelReady = true));
    }
  }

  render() {
    const key = this._key;
    if (key === "") return html`<admin-dashboard><admin-live-usage slot="usage-live"></admin-live-usage></admin-dashboard>`;
    if (key === "manage") return html`<admin-manage></admin-manage>`;
    if (key === "customers" || key.startsWith("customers/")) {
      return html`<admin-customers
        .path=${key.slice("customers".length)}
        .query=${new URLSearchParams(location.search).get("q") ?? ""}
      ></admin-customers>`;
    }
    if (key === "data-model") {
      return this._dataModelReady ? html`<admin-data-model></admin-data-model>` : html`<p role="status">Loading…</p>`;
    }
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

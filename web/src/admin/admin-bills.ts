/**
 * `<admin-bills>`: the administrators' bills page (`/admin/bills`, docs/bills.md): finding a bill by
 * its number, to open it (`<admin-bill>`) and issue a credit note.
 */
import { html } from "lit";
import { customElement } from "lit/decorators.js";
import type { Field, Values } from "../components/op-form.ts";
import "../components/op-form.ts";
import { navigate } from "../router.ts";
import { AdminPage } from "./admin-page.ts";

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

@customElement("admin-bills")
export class AdminBills extends AdminPage {
  private _find = async (values: Values) => {
    navigate(`/admin/bills/${encodeURIComponent(values.invoiceNo)}`);
    return "";
  };

  render() {
    return html`<p><a href="/admin">← Dashboard</a></p>
      <h1 tabindex="-1">Bills</h1>
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

/**
 * `<data-table>`: rows as a table that sorts by any column (click or Enter on its header) and filters
 * by text across all columns. Columns default to the keys of the first row.
 *
 * Server mode (`server-sorted`, for the admin reports that page in the database): only the columns in
 * `sortKeys` have sort buttons, a click fires `sort-change` instead of sorting the page in the browser,
 * `sortKey`/`descending` say the order the rows came in, and `status` replaces the row count.
 *
 * @fires sort-change - `{ key, descending }`: the reader asked for another order (server mode).
 */
import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { money } from "../api/graphql.ts";
import type { Column, Row } from "../../../shared/column.ts";

export type { Column, Row };

/** "dateOfPayment" → "Date of payment". */
export function labelOf(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function display(value: unknown, column: Column): string {
  if (value == null) return "—";
  if (column.kind === "money") return money(value as string);
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

@customElement("data-table")
export class DataTable extends LitElement {
  static styles = css`
    :host {
      display: block;
    }
    .tools {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem 1rem;
      align-items: center;
      margin-bottom: 0.5rem;
    }
    input {
      font: inherit;
      padding: 0.35rem;
      border: 1px solid var(--tc-control-border);
      border-radius: 6px;
    }
    .scroll {
      overflow-x: auto;
    }
    table {
      border-collapse: collapse;
      width: 100%;
      font-size: 0.95rem;
    }
    caption {
      text-align: left;
      font-weight: 600;
      padding-bottom: 0.4rem;
    }
    th,
    td {
      padding: 0.4rem 0.6rem;
      border-bottom: 1px solid var(--tc-border, #d1d5db);
      text-align: left;
      white-space: nowrap;
    }
    td.num {
      text-align: right;
      font-variant-numeric: tabular-nums;
    }
    th button {
      font: inherit;
      font-weight: 600;
      border: none;
      background: none;
      padding: 0;
      cursor: pointer;
      color: inherit;
    }
    th button:focus-visible,
    input:focus-visible {
      outline: 3px solid var(--tc-focus);
    }
    .muted {
      color: var(--tc-muted, #4b5563);
    }
  `;

  @property({ attribute: false }) rows: readonly Row[] = [];
  @property({ attribute: false }) columns?: Column[];
  @property() caption = "";
  @property({ attribute: "empty-text" }) emptyText = "No rows.";

  /** Server mode: the columns the database can sort by (an index serves them). */
  @property({ attribute: false }) sortKeys?: readonly string[];
  /** Server mode: what the status line says ("rows 1–50 of about 1,200"). */
  @property() status = "";
  @property({ attribute: "sort-key" }) sortKey = "";
  @property({ type: Boolean }) descending = false;

  @state() private _sortKey = "";
  @state() private _descending = false;
  @state() private _filter = "";

  private get _columns(): Column[] {
    if (this.columns) return this.columns;
    const first = this.rows[0];
    if (!first) return [];
    return Object.keys(first)
      .filter((key) => key !== "__typename")
      .map((key) => ({ key, kind: typeof first[key] === "number" ? "number" : "text" }));
  }

  private get _server(): boolean {
    return this.sortKeys !== undefined;
  }

  private _sort(key: string) {
    if (this._server) {
      const descending = this.sortKey === key ? !this.descending : false;
      this.dispatchEvent(new CustomEvent("sort-change", { detail: { key, descending }, bubbles: true, composed: true }));
      return;
    }
    this._descending = this._sortKey === key ? !this._descending : false;
    this._sortKey = key;
  }

  private _visibleRows(columns: Column[]): readonly Row[] {
    if (this._server) return this.rows;
    const needle = this._filter.toLowerCase();
    const filtered = needle
      ? this.rows.filter((row) => columns.some((column) => display(row[column.key], column).toLowerCase().includes(needle)))
      : this.rows;
    const column = columns.find((c) => c.key === this._sortKey);
    if (!column) return filtered;
    const numeric = column.kind === "money" || column.kind === "number";
    const direction = this._descending ? -1 : 1;
    return [...filtered].sort((a, b) => {
      const [x, y] = [a[column.key], b[column.key]];
      if (x == null || y == null) return x == null ? (y == null ? 0 : 1) : -1;
      const order = numeric ? Number(x) - Number(y) : String(x).localeCompare(String(y), undefined, { numeric: true });
      return order * direction;
    });
  }

  render() {
    const columns = this._columns;
    const rows = this._visibleRows(columns);
    const server = this._server;
    const [sortKey, descending] = server ? [this.sortKey, this.descending] : [this._sortKey, this._descending];
    if (this.rows.length === 0) return html`<p class="muted" role="status">${this.emptyText}</p>`;
    return html`<div class="tools">
        ${
          server
            ? nothing
            : html`<label
                >Filter
                <input type="search" .value=${this._filter} @input=${(e: Event) => (this._filter = (e.target as HTMLInputElement).value)}
              /></label>`
        }
        <span class="muted" role="status">${server ? this.status : `${rows.length} of ${this.rows.length} rows`}</span>
      </div>
      <div class="scroll">
        <table>
          ${
            this.caption
              ? html`<caption>
                  ${this.caption}
                </caption>`
              : nothing
          }
          <thead>
            <tr>
              ${columns.map((column) => {
                const label = column.label ?? labelOf(column.key);
                const sortable = !server || this.sortKeys!.includes(column.key);
                return html`<th scope="col" aria-sort=${sortKey === column.key ? (descending ? "descending" : "ascending") : "none"}>
                  ${
                    sortable
                      ? html`<button type="button" @click=${() => this._sort(column.key)}>
                          ${label}${sortKey === column.key ? (descending ? " ▼" : " ▲") : ""}
                        </button>`
                      : label
                  }
                </th>`;
              })}
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              (row) =>
                html`<tr>
                  ${columns.map((column) => html`<td class=${column.kind === "money" || column.kind === "number" ? "num" : ""}>${display(row[column.key], column)}</td>`)}
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "data-table": DataTable;
  }
}

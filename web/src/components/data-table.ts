/**
 * `<data-table>`: rows as a table that sorts by any column (click or Enter on its header) and filters
 * by text across all columns. Columns default to the keys of the first row.
 */
import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { money } from "../api/graphql.ts";

export interface Column {
  key: string;
  label?: string;
  kind?: "text" | "number" | "money";
}

export type Row = Record<string, unknown>;

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

  private _sort(key: string) {
    this._descending = this._sortKey === key ? !this._descending : false;
    this._sortKey = key;
  }

  private _visibleRows(columns: Column[]): readonly Row[] {
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
    if (this.rows.length === 0) return html`<p class="muted">${this.emptyText}</p>`;
    return html`<div class="tools">
        <label
          >Filter <input type="search" .value=${this._filter} @input=${(e: Event) => (this._filter = (e.target as HTMLInputElement).value)}
        /></label>
        <span class="muted" role="status">${rows.length} of ${this.rows.length} rows</span>
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
              ${columns.map(
                (column) =>
                  html`<th scope="col" aria-sort=${this._sortKey === column.key ? (this._descending ? "descending" : "ascending") : "none"}>
                    <button type="button" @click=${() => this._sort(column.key)}>
                      ${column.label ?? labelOf(column.key)}${this._sortKey === column.key ? (this._descending ? " ▼" : " ▲") : ""}
                    </button>
                  </th>`,
              )}
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

/**
 * One list of an admin page read from the database a page at a time (`first`/`after`, docs/web-app.md):
 * the current page as a Task, the cursors of the pages before it (Previous pops one) and the
 * Previous/Next buttons. `<admin-report>` pages the same way; this is for pages with several lists.
 */
import { Task } from "@lit/task";
import { html, type ReactiveControllerHost, type TemplateResult } from "lit";
import { PAGE_ROWS } from "../../../shared/admin-reports.ts";

export interface CursorPage<Row> {
  nodes: readonly (Row | null)[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export class CursorPages<Row, Args extends readonly unknown[]> {
  readonly task: Task<[...Args, string | null], CursorPage<Row> | null | undefined>;
  private _cursors: (string | null)[] = [];
  private _after: string | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    fetchPage: (args: Args, after: string | null, signal: AbortSignal) => Promise<CursorPage<Row> | null | undefined>,
    args: () => Args,
  ) {
    this.task = new Task(host, {
      task: async (all, { signal }) => fetchPage(all.slice(0, -1) as unknown as Args, all.at(-1) as string | null, signal),
      args: () => [...args(), this._after] as [...Args, string | null],
    });
  }

  /** The rows of the current page. */
  get rows(): Row[] {
    return (this.task.value?.nodes ?? []).filter((row): row is Row => row != null);
  }

  /** Back to the first page (after the list changed). */
  first(): void {
    this._cursors = [];
    this._after = null;
    this.host.requestUpdate();
  }

  /** "rows 51–100" and the Previous and Next buttons, named after the list. */
  buttons(what: string): TemplateResult {
    const page = this.task.value;
    const start = this._cursors.length * PAGE_ROWS + 1;
    const count = this.rows.length;
    return html`<p class="paging">
      <span class="muted">${count ? `rows ${start.toLocaleString("en")}–${(start + count - 1).toLocaleString("en")}` : "No rows."}</span>
      <button
        type="button"
        class="secondary"
        aria-label=${`Previous ${what}`}
        ?disabled=${this._cursors.length === 0}
        @click=${() => {
          this._after = this._cursors.at(-1) ?? null;
          this._cursors = this._cursors.slice(0, -1);
          this.host.requestUpdate();
        }}
      >
        Previous
      </button>
      <button
        type="button"
        class="secondary"
        aria-label=${`Next ${what}`}
        ?disabled=${!page?.pageInfo.hasNextPage}
        @click=${() => {
          this._cursors = [...this._cursors, this._after];
          this._after = page?.pageInfo.endCursor ?? null;
          this.host.requestUpdate();
        }}
      >
        Next
      </button>
    </p>`;
  }
}

/**
 * Paged customer lists (docs/web-app.md, docs/security.md): a connection is read `first: PAGE_SIZE` rows at a time; the
 * first page loads as a Task with real args, and "More" appends the next page after `endCursor`.
 */
import { msg, str } from "@lit/localize";
import { Task } from "@lit/task";
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from "lit";

/** The most rows a customer's list asks for at once (the server's cap for customers is 100). */
export const PAGE_SIZE = 100;

export interface Connection<Row> {
  nodes: readonly Row[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export type FetchPage<Row, Args extends readonly unknown[]> = (
  args: Args,
  after: string | null,
  signal?: AbortSignal,
) => Promise<Connection<Row> | null | undefined>;

export class PagedList<Row, Args extends readonly unknown[]> {
  /** Every row loaded so far (replaced, never mutated, so elements given it re-render). */
  rows: readonly Row[] = [];
  readonly task: Task<Args, readonly Row[]>;
  private _args?: Args;
  private _after: string | null = null;
  private _loadingMore = false;
  private _moreError = "";

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly fetchPage: FetchPage<Row, Args>,
    args: () => Args,
  ) {
    this.task = new Task<Args, readonly Row[]>(host, {
      args,
      task: async (taskArgs, { signal }) => {
        const page = await fetchPage(taskArgs, null, signal);
        // A newer run (other args) replaced this one: its rows must not land in the list.
        signal.throwIfAborted();
        this._args = taskArgs;
        this._moreError = "";
        this._take(page, []);
        return this.rows;
      },
    });
  }

  get hasMore(): boolean {
    return this._after !== null;
  }

  /** Loads the next page and appends it. */
  async more(): Promise<void> {
    if (!this._args || this._after === null || this._loadingMore) return;
    this._loadingMore = true;
    this._moreError = "";
    this.host.requestUpdate();
    const args = this._args;
    try {
      const page = await this.fetchPage(args, this._after);
      // The list was reloaded (another number, another login) while this page was on its way.
      if (args === this._args) this._take(page, this.rows);
    } catch (error) {
      this._moreError = error instanceof Error ? error.message : String(error);
    } finally {
      this._loadingMore = false;
      this.host.requestUpdate();
    }
  }

  /** The "More" button while rows remain, and how many are shown. */
  /** "More", named after what it loads when a page has several lists ("More transfers"). */
  moreButton(what?: string): TemplateResult {
    return html`<p class="paging">
      <span class="muted" role="status"
        >${this.hasMore || !this.rows.length ? msg(str`${this.rows.length} shown`) : msg(str`${this.rows.length} shown, all loaded`)}</span
      >
      ${
        this.hasMore
          ? html`<button type="button" class="secondary" ?disabled=${this._loadingMore} @click=${() => this.more()}>
              ${this._loadingMore ? msg("Loading…") : what ? msg(str`More ${what}`) : msg("More")}
            </button>`
          : nothing
      }
      ${this._moreError ? html`<span class="error" role="alert">${this._moreError}</span>` : nothing}
    </p>`;
  }

  private _take(page: Connection<Row> | null | undefined, before: readonly Row[]): void {
    this.rows = [...before, ...(page?.nodes ?? [])];
    this._after = page?.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  }
}

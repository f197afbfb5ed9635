/** Styles and rendering helpers that every page shares. */
import { msg, str } from "@lit/localize";
import { css, html, nothing, type TemplateResult } from "lit";
import { TaskStatus, type Task } from "@lit/task";

/**
 * The buttons of pages and forms: at least 44 px high and wide (a finger's touch target), the focus
 * ring from the design tokens (index.html: `--tc-focus`, 3:1 or better on every surface).
 */
export const buttonStyles = css`
  button {
    font: inherit;
    min-height: var(--tc-touch);
    min-width: var(--tc-touch);
    padding: 0.4rem 0.9rem;
    border-radius: 6px;
    border: 1px solid var(--tc-primary);
    background: var(--tc-primary);
    color: var(--tc-primary-text);
    cursor: pointer;
  }
  button.secondary {
    background: transparent;
    color: var(--tc-primary);
  }
  button:disabled {
    opacity: 0.6;
    cursor: not-allowed;
  }
  button:focus-visible {
    outline: 3px solid var(--tc-focus);
    outline-offset: 2px;
  }
`;

/** Inputs, selects and text areas: borders of 3:1 or better, 44 px touch targets, the focus ring. */
export const controlStyles = css`
  input,
  select,
  textarea {
    font: inherit;
    min-height: var(--tc-touch);
    padding: 0.45rem;
    border: 1px solid var(--tc-control-border);
    border-radius: 6px;
    width: 100%;
    box-sizing: border-box;
    background: var(--tc-surface);
    color: inherit;
  }
  input:focus-visible,
  select:focus-visible,
  textarea:focus-visible {
    outline: 3px solid var(--tc-focus);
    outline-offset: 1px;
  }
  [aria-invalid="true"] {
    border-color: var(--tc-danger);
  }
`;

/** The confirmation before an action and the receipt after it. */
export const confirmStyles = css`
  .confirm,
  .receipt {
    border: 2px solid var(--tc-primary);
    border-radius: 8px;
    padding: 0.75rem;
    background: var(--tc-surface);
  }
  .confirm h3 {
    margin: 0 0 0.5rem;
    font-size: 1.05rem;
  }
  .confirm h3:focus {
    outline: none;
  }
  .buttons {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin-top: 0.75rem;
  }
  dl {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 0.25rem 0.75rem;
    margin: 0.5rem 0 0;
  }
  dt {
    color: var(--tc-muted);
  }
  dd {
    margin: 0;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .receipt-title,
  .receipt .muted {
    margin: 0.25rem 0;
  }
`;

/** Links in pages and components (a receipt's "All your receipts"), with the focus ring of the tokens. */
export const linkStyles = css`
  a {
    color: var(--tc-link);
  }
  a:focus-visible {
    outline: 3px solid var(--tc-focus);
    outline-offset: 2px;
  }
`;

/** The forms of components (`<op-form>`, `<pay-flow>`): labelled fields, hints, refusals and the review. */
export const formStyles = [
  buttonStyles,
  controlStyles,
  confirmStyles,
  linkStyles,
  css`
    :host {
      display: block;
    }
    form {
      display: grid;
      gap: 0.75rem;
    }
    label {
      display: grid;
      gap: 0.25rem;
      font-weight: 500;
    }
    .hint {
      font-weight: 400;
      font-size: 0.85rem;
      color: var(--tc-muted);
    }
    .field-error,
    .error {
      color: var(--tc-danger);
      font-weight: 400;
      margin: 0;
    }
    .ok {
      color: var(--tc-ok);
      margin: 0;
    }
    /* The submit button; the review's buttons sit in their own row. */
    button {
      justify-self: start;
    }
    .muted {
      color: var(--tc-muted);
    }
  `,
];

export const pageStyles = css`
  :host {
    display: block;
  }
  h1 {
    font-size: 1.5rem;
    margin: 0 0 1rem;
  }
  h2 {
    font-size: 1.15rem;
    margin: 0 0 0.75rem;
  }
  section {
    background: var(--tc-surface);
    border: 1px solid var(--tc-border);
    border-radius: 8px;
    padding: 1rem;
    margin-bottom: 1rem;
  }
  .grid {
    display: grid;
    gap: 1rem;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 13rem), 1fr));
  }
  .grid > section {
    margin-bottom: 0;
  }
  /* What follows a grid of cards keeps the grid's gap. */
  .after-grid {
    margin-top: 1rem;
  }
  section.narrow {
    max-width: 26rem;
    margin: 2rem auto;
  }
  .stat {
    font-size: 1.6rem;
    font-weight: 600;
  }
  .muted {
    color: var(--tc-muted);
  }
  .error {
    color: var(--tc-danger);
  }
  ${buttonStyles}
  ${confirmStyles}
  ${linkStyles}
  h1:focus {
    outline: none;
  }
  .banner {
    border: 2px solid var(--tc-warning-border);
    background: var(--tc-notice-background);
    border-radius: 8px;
    padding: 0.75rem 1rem;
    margin-bottom: 1rem;
  }
  .banner p {
    margin: 0.25rem 0;
  }
  /* Lists of cards rather than wide tables: each row wraps on a phone. */
  ul.cards {
    list-style: none;
    padding: 0;
    margin: 0;
    display: grid;
    gap: 0.5rem;
  }
  ul.cards > li {
    border: 1px solid var(--tc-border);
    border-radius: 8px;
    padding: 0.6rem 0.75rem;
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1rem;
    justify-content: space-between;
    align-items: center;
  }
  ul.cards .amount {
    font-weight: 600;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  ul.plain {
    list-style: none;
    padding: 0;
    margin: 0;
  }
  .for-number {
    margin: -0.75rem 0 1rem;
    color: var(--tc-muted);
  }
  .paging {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem 1rem;
    align-items: center;
    margin: 0.75rem 0 0;
  }
  ul.plain li {
    padding: 0.4rem 0;
    border-bottom: 1px solid var(--tc-border);
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    justify-content: space-between;
    align-items: center;
  }
`;

/**
 * Loading, error and done states of a task; `empty` is shown when the result has nothing to show.
 * While a task re-runs after a change, the previous result stays on screen (forms keep their message).
 */
export function taskView<T>(
  task: Task<readonly unknown[], T>,
  complete: (value: T) => TemplateResult | string,
  isEmpty?: (value: T) => boolean,
  empty = msg("Nothing here yet."),
): TemplateResult {
  // One template for fresh and stale results, so Lit keeps the same elements across a re-run.
  const done = (value: T) => (isEmpty?.(value) ? html`<p class="muted">${empty}</p>` : html`${complete(value)}`);
  switch (task.status) {
    case TaskStatus.ERROR:
      return html`<p class="error" role="alert">${task.error instanceof Error ? task.error.message : String(task.error)}</p>`;
    case TaskStatus.COMPLETE:
      return done(task.value as T);
    default:
      return task.value === undefined ? html`<p class="muted" role="status">${msg("Loading…")}</p>` : done(task.value);
  }
}

/**
 * A page's title and the number it is about (every customer page follows the chosen number). The h1
 * takes the focus after a route change (`<telecom-app>`), so it can be focused by script only.
 */
export function pageHeading(title: string, mobileNo: string | null): TemplateResult {
  return html`<h1 tabindex="-1">${title}</h1>
    ${mobileNo ? html`<p class="for-number" data-testid="page-number">${msg("Number")} <strong>${mobileNo}</strong></p>` : nothing}`;
}

export const today = (): string => new Date().toISOString().slice(0, 10);

/** An account on hold: what it means and what to do (dashboard, payments). */
export function holdBanner(mobileNo: string | null): TemplateResult {
  return html`<div class="banner" role="region" aria-label=${msg("Account on hold")} data-testid="hold-banner">
    <p><strong>${msg(str`${mobileNo} is on hold.`)}</strong></p>
    <p>
      ${msg(
        "Calls, data and SMS are paused, and payments, recharges and transfers from this number are refused until it is active again. To reactivate it, call customer care on 111 or open a ticket; your balance and points are kept.",
      )}
      <a href="/tickets">${msg("Open a ticket")}</a>
    </p>
  </div>`;
}

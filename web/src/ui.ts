/** Styles and rendering helpers that every page shares. */
import { css, html, nothing, type TemplateResult } from "lit";
import { TaskStatus, type Task } from "@lit/task";

/** The buttons of pages and forms. */
export const buttonStyles = css`
  button {
    font: inherit;
    padding: 0.4rem 0.9rem;
    border-radius: 6px;
    border: 1px solid var(--tc-primary, #1d4ed8);
    background: var(--tc-primary, #1d4ed8);
    color: var(--tc-primary-text, #fff);
    cursor: pointer;
  }
  button.secondary {
    background: transparent;
    color: var(--tc-primary, #1d4ed8);
  }
  button:disabled {
    opacity: 0.6;
    cursor: progress;
  }
`;

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
    background: var(--tc-surface, #fff);
    border: 1px solid var(--tc-border, #d1d5db);
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
    color: var(--tc-muted, #4b5563);
  }
  .error {
    color: var(--tc-danger, #b91c1c);
  }
  ${buttonStyles}
  button:focus-visible,
  a:focus-visible {
    outline: 3px solid #f59e0b;
    outline-offset: 2px;
  }
  ul.plain {
    list-style: none;
    padding: 0;
    margin: 0;
  }
  .for-number {
    margin: -0.75rem 0 1rem;
    color: var(--tc-muted, #4b5563);
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
    border-bottom: 1px solid var(--tc-border, #d1d5db);
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
  empty = "Nothing here yet.",
): TemplateResult {
  // One template for fresh and stale results, so Lit keeps the same elements across a re-run.
  const done = (value: T) => (isEmpty?.(value) ? html`<p class="muted">${empty}</p>` : html`${complete(value)}`);
  switch (task.status) {
    case TaskStatus.ERROR:
      return html`<p class="error" role="alert">${task.error instanceof Error ? task.error.message : String(task.error)}</p>`;
    case TaskStatus.COMPLETE:
      return done(task.value as T);
    default:
      return task.value === undefined ? html`<p class="muted" role="status">Loading…</p>` : done(task.value);
  }
}

/** A page's title and the number it is about (every customer page follows the chosen number). */
export function pageHeading(title: string, mobileNo: string | null): TemplateResult {
  return html`<h1>${title}</h1>
    ${mobileNo ? html`<p class="for-number" data-testid="page-number">Number <strong>${mobileNo}</strong></p>` : nothing}`;
}

export const today = (): string => new Date().toISOString().slice(0, 10);

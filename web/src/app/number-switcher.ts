/**
 * `<number-switcher>`: the customer's chosen number in the header, and a choice of their other
 * numbers when they hold several (a number on hold is marked; it can still be viewed).
 *
 * @fires number-chosen - `detail` is the mobile number the customer picked.
 */
import { localized, msg } from "@lit/localize";
import { consume } from "@lit/context";
import { Task } from "@lit/task";
import { LitElement, css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { graphql, nodesOf } from "../api/graphql.ts";
import type { Session } from "../session/session-store.ts";
import { numberContext, sessionContext } from "./contexts.ts";

const Numbers = graphql(`
  query Numbers {
    customerAccounts(orderBy: MOBILE_NO_ASC, first: 100) {
      nodes {
        mobileNo
        status
      }
    }
  }
`);

@customElement("number-switcher")
@localized()
export class NumberSwitcher extends LitElement {
  static styles = css`
    :host {
      display: inline-flex;
      align-items: center;
      gap: 0.4rem;
    }
    select {
      font: inherit;
      border-radius: 6px;
      min-height: var(--tc-touch);
      padding: 0.15rem 0.3rem;
      max-width: 11rem;
    }
    /* Phones: the label is read by screen readers, the select keeps the room. */
    @media (max-width: 599.98px) {
      label {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip-path: inset(50%);
        white-space: nowrap;
      }
      select {
        max-width: 9.5rem;
      }
    }
    select:focus-visible {
      outline: 3px solid var(--tc-focus-on-primary);
      outline-offset: 2px;
    }
  `;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private _session: Session | null = null;

  @consume({ context: numberContext, subscribe: true })
  @state()
  private _number: string | null = null;

  /** The person's numbers, read again with each login or switch (a number may have been put on hold). */
  private _numbers = new Task(this, {
    task: async ([session], { signal }) => (session ? nodesOf((await session.request(Numbers, {}, signal)).customerAccounts) : []),
    args: () => [this._session] as const,
  });

  private _choose(event: Event) {
    const mobileNo = (event.target as HTMLSelectElement).value;
    this.dispatchEvent(new CustomEvent("number-chosen", { detail: mobileNo, bubbles: true, composed: true }));
  }

  render() {
    const numbers = this._numbers.value ?? [];
    if (numbers.length < 2) return html`<span data-testid="current-number">${this._number}</span>`;
    return html`<label for="number">${msg("Number")}</label>
      <select id="number" data-testid="number-switcher" @change=${this._choose}>
        ${numbers.map(
          (account) =>
            html`<option value=${account.mobileNo} ?selected=${account.mobileNo === this._number}>
              ${account.mobileNo}${account.status === "onhold" ? ` (${msg("on hold")})` : ""}
            </option>`,
        )}
      </select>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "number-switcher": NumberSwitcher;
  }
}

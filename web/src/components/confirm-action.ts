/**
 * Confirm, then receipt, for actions started by a button in a list (subscribe, hold, resume, redeem):
 * `ask` shows what will happen next to the button's item; "Confirm" runs it; the outcome (a receipt,
 * a message, or the refusal in the customer's words) stays on screen until the next action.
 */
import { msg } from "@lit/localize";
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from "lit";
import { ApiError } from "../api/graphql.ts";
import { refusal } from "../words.ts";
import { receiptView, type Confirmation, type Receipt } from "./op-form.ts";

interface Pending {
  key: string;
  confirmation: Confirmation;
  run: () => Promise<Receipt | string>;
}

export class ConfirmAction implements ReactiveController {
  private _pending?: Pending;
  private _busy = false;
  private _outcome?: { key: string; receipt?: Receipt; message?: string; error?: string };

  constructor(private readonly _host: ReactiveControllerHost & HTMLElement) {
    _host.addController(this);
  }

  hostConnected(): void {}

  /** Shows the confirmation for the item `key` (one at a time). */
  ask(key: string, confirmation: Confirmation, run: () => Promise<Receipt | string>): void {
    this._pending = { key, confirmation, run };
    this._outcome = undefined;
    this._host.requestUpdate();
    void this._host.updateComplete.then(() => this._host.shadowRoot?.querySelector<HTMLElement>(".confirm h3")?.focus());
  }

  isPending = (key: string): boolean => this._pending?.key === key;

  private _cancel() {
    this._pending = undefined;
    this._host.requestUpdate();
  }

  private async _confirm() {
    const pending = this._pending;
    if (!pending) return;
    this._busy = true;
    this._host.requestUpdate();
    try {
      const result = await pending.run();
      this._outcome = typeof result === "string" ? { key: pending.key, message: result } : { key: pending.key, receipt: result };
    } catch (error) {
      const code = error instanceof ApiError ? error.code : undefined;
      this._outcome = { key: pending.key, error: refusal(code, error instanceof Error ? error.message : String(error)) };
    } finally {
      this._busy = false;
      this._pending = undefined;
      this._host.requestUpdate();
    }
  }

  /** The confirmation for the item `key`, shown next to its button while asked. */
  confirmation(key: string): TemplateResult | typeof nothing {
    const pending = this._pending;
    if (pending && pending.key === key) {
      const c = pending.confirmation;
      return html`<div class="confirm" role="group" aria-labelledby="confirm-title" data-testid="confirmation">
        <h3 id="confirm-title" tabindex="-1">${c.title}</h3>
        <dl>
          ${c.lines.map(
            ([label, value]) =>
              html`<dt>${label}</dt>
                <dd>${value}</dd>`,
          )}
        </dl>
        ${c.note ? html`<p class="muted">${c.note}</p>` : nothing}
        <div class="buttons">
          <button type="button" ?disabled=${this._busy} @click=${() => this._confirm()}>${this._busy ? msg("Working…") : c.action}</button>
          <button type="button" class="secondary" ?disabled=${this._busy} @click=${() => this._cancel()}>${msg("Cancel")}</button>
        </div>
      </div>`;
    }
    return nothing;
  }

  /**
   * The outcome of the last action, shown in one place that stays (the item's row may move or go
   * once the list reloads: a subscribed plan changes lists, a redeemed voucher leaves the offer).
   */
  outcome(): TemplateResult {
    const outcome = this._outcome;
    if (!outcome) return html`<div aria-live="polite" class="outcome"></div>`;
    return html`<div aria-live="polite" class="outcome">
      ${outcome.error ? html`<p class="error" role="alert">${outcome.error}</p>` : nothing}
      ${outcome.message ? html`<p role="status">${outcome.message}</p>` : nothing}
      ${outcome.receipt ? receiptView(outcome.receipt) : nothing}
    </div>`;
  }
}

/**
 * `<payment-outcome>`: how a payment ended, and its receipt (docs/web-app.md, docs/money.md). A card payment is
 * pending until the card processor reports it: the element asks again every second and says so
 * meanwhile; once the payment is successful or declined it shows the outcome and the receipt as
 * `customer_receipts` records it (reference `PAY-<id>`, the same line as on the receipts page).
 *
 * @fires payment-settled - the payment is no longer pending; `detail` is its status.
 */
import { localized, msg, str } from "@lit/localize";
import { LitElement, css, html, nothing, type TemplateResult } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { settledPaymentReceipt } from "../receipts.ts";
import { confirmStyles, linkStyles } from "../ui.ts";
import { receiptView } from "./op-form.ts";
import type { PaymentState } from "../api/payment-state.ts";

const POLL_MS = 1_000;

/** The outcome of the payment a page shows (none: nothing), reloading the page's data once it is settled; `what` names a bill's payment. */
export function paymentOutcome(
  paymentId: number | null,
  lang: string,
  load: (paymentId: number) => Promise<PaymentState>,
  settled: () => void,
  what?: string,
): TemplateResult | typeof nothing {
  return paymentId
    ? html`<payment-outcome payment-id=${paymentId} lang=${lang} .what=${what} .load=${load} @payment-settled=${settled}></payment-outcome>`
    : nothing;
}

@customElement("payment-outcome")
@localized()
export class PaymentOutcome extends LitElement {
  static styles = [
    confirmStyles,
    linkStyles,
    css`
      :host {
        display: block;
        margin-top: 0.75rem;
      }
      p {
        margin: 0 0 0.5rem;
      }
      .ok {
        color: var(--tc-ok);
      }
      .error {
        color: var(--tc-danger);
      }
      .muted {
        color: var(--tc-muted);
      }
    `,
  ];

  @property({ type: Number, attribute: "payment-id" }) paymentId = 0;
  /** Reads the payment's status and receipt. */
  @property({ attribute: false }) load!: (paymentId: number) => Promise<PaymentState>;
  /** The language amounts and dates are written in. */
  @property() lang = "en";
  /** What was paid, when it is neither a plan nor a recharge (a bill). */
  @property({ attribute: false }) what?: string;

  @state() private _state?: PaymentState;
  @state() private _error = "";
  private _timer?: ReturnType<typeof setTimeout>;

  updated(changed: Map<string, unknown>) {
    if (changed.has("paymentId") && this.paymentId) {
      this._state = undefined;
      void this._poll();
    }
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this._timer);
  }

  private async _poll() {
    clearTimeout(this._timer);
    const id = this.paymentId;
    try {
      const state = await this.load(id);
      if (id !== this.paymentId) return;
      this._state = state;
      this._error = "";
      if (state.status === "pending") {
        this._timer = setTimeout(() => void this._poll(), POLL_MS);
      } else {
        this.dispatchEvent(new CustomEvent("payment-settled", { detail: state.status, bubbles: true, composed: true }));
      }
    } catch (error) {
      this._error = (error as Error).message;
      this._timer = setTimeout(() => void this._poll(), POLL_MS * 3);
    }
  }

  render() {
    const state = this._state;
    const reference = `PAY-${this.paymentId}`;
    if (!state) return html`<p role="status">${msg(str`Checking payment ${reference}…`)}</p>`;
    const heading =
      state.status === "pending"
        ? html`<p role="status" data-testid="payment-status">
            ${msg(str`Waiting for the card processor to confirm payment ${reference}…`)}
          </p>`
        : state.status === "successful"
          ? html`<p role="status" class="ok" data-testid="payment-status">${msg(str`Payment ${reference} is successful.`)}</p>`
          : html`<p role="status" class="error" data-testid="payment-status">
              ${msg(str`Payment ${reference} was declined: nothing was charged to your account.`)}
            </p>`;
    return html`<div aria-live="polite">
      ${heading} ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      ${state.status !== "pending" ? receiptView(settledPaymentReceipt(state, this.lang, this.what)) : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "payment-outcome": PaymentOutcome;
  }
}

/**
 * `<payment-outcome>`: how a payment ended, and its receipt (SPEC §7, §10). A card payment is
 * pending until the card processor reports it: the element asks again every second and says so
 * meanwhile; once the payment is successful or rejected it shows the outcome and the receipt from
 * `customerReceipts` (reference `PAY-<id>`).
 *
 * @fires payment-settled - the payment is no longer pending; `detail` is its status.
 */
import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { money } from "../api/graphql.ts";

export interface Receipt {
  reference: string;
  receiptDate: string | null;
  amount: string | null;
  currency: string | null;
  description: string | null;
}

export interface PaymentState {
  status: string;
  receipt: Receipt | null;
}

const POLL_MS = 1_000;

@customElement("payment-outcome")
export class PaymentOutcome extends LitElement {
  static styles = css`
    :host {
      display: block;
    }
    .ok {
      color: var(--tc-ok, #15803d);
    }
    .error {
      color: var(--tc-danger, #b91c1c);
    }
    dl {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 0.25rem 1rem;
      margin: 0.5rem 0 0;
    }
    dt {
      color: var(--tc-muted, #4b5563);
    }
    dd {
      margin: 0;
      font-weight: 600;
    }
  `;

  @property({ type: Number, attribute: "payment-id" }) paymentId = 0;
  /** Reads the payment's status and receipt. */
  @property({ attribute: false }) load!: (paymentId: number) => Promise<PaymentState>;

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
    if (!state) return html`<p role="status">Checking payment #${this.paymentId}…</p>`;
    const receipt = state.receipt;
    const heading =
      state.status === "pending"
        ? html`<p role="status" data-testid="payment-status">Waiting for the card processor to confirm payment #${this.paymentId}…</p>`
        : state.status === "successful"
          ? html`<p role="status" class="ok" data-testid="payment-status">Payment #${this.paymentId} is successful.</p>`
          : html`<p role="status" class="error" data-testid="payment-status">
              Payment #${this.paymentId} was declined: nothing was charged to your account.
            </p>`;
    return html`<div aria-live="polite">
      ${heading} ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      ${
        receipt && state.status !== "pending"
          ? html`<dl data-testid="receipt" aria-label="Receipt">
              <dt>Receipt</dt>
              <dd data-testid="receipt-reference">${receipt.reference}</dd>
              <dt>Date</dt>
              <dd>${receipt.receiptDate}</dd>
              <dt>Amount</dt>
              <dd>${money(receipt.amount)} ${receipt.currency}</dd>
              <dt>For</dt>
              <dd>${receipt.description}</dd>
            </dl>`
          : nothing
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "payment-outcome": PaymentOutcome;
  }
}

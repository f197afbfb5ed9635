/**
 * `<pay-flow>`: paying for a plan or recharging the balance (SPEC §7, §10). The customer chooses the
 * method (wallet or card: cash is paid at a shop), sees exactly what will happen (the amount, the
 * plan, "renews until …", what goes to the balance) and confirms. The page's `pay` sends the
 * payment (with its idempotency key); a card payment then goes to the processor's checkout
 * (`/checkout/<reference>`), which sends the customer back to `returnPath?checkout=<payment id>`,
 * where `<payment-outcome>` waits for the processor's answer.
 *
 * @fires payment-made - a payment that is already settled (a wallet payment); `detail` is its id.
 */
import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { money } from "../api/graphql.ts";
import { buttonStyles, today } from "../ui.ts";

export interface PayPlan {
  planId: number;
  name: string;
  price: string;
  /** The subscription's first unpaid day, if the number has one. */
  paidUntil: string | null;
}

export interface PayRequest {
  amount: string;
  paymentMethod: "wallet" | "credit";
  planId?: number;
}

export interface MadePayment {
  paymentId: number;
  status: string;
  providerReference: string | null;
}

/** `date` + one month, as PostgreSQL adds `interval '1 month'` (the 31st becomes the month's last day). */
export function addMonth(date: string): string {
  const [year, month, day] = date.split("-").map(Number);
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const next = new Date(Date.UTC(year, month, Math.min(day, last)));
  return next.toISOString().slice(0, 10);
}

/** The day a covering payment renews the plan until: one month past the later of today and paid_until. */
export function renewsUntil(paidUntil: string | null, on = today()): string {
  return addMonth(paidUntil && paidUntil > on ? paidUntil : on);
}

/** Where a card payment goes to be paid, and where the processor sends the customer back. */
export function checkoutUrl(payment: MadePayment, returnPath: string): string {
  const back = `${returnPath}?checkout=${payment.paymentId}`;
  return `/checkout/${encodeURIComponent(payment.providerReference ?? "")}?return=${encodeURIComponent(back)}`;
}

const AMOUNT = /^\d{1,10}(\.\d{1,2})?$/;

@customElement("pay-flow")
export class PayFlow extends LitElement {
  static styles = [
    buttonStyles,
    css`
      :host {
        display: block;
      }
      form,
      .review {
        display: grid;
        gap: 0.75rem;
      }
      label {
        display: grid;
        gap: 0.25rem;
        font-weight: 500;
      }
      input,
      select {
        font: inherit;
        padding: 0.45rem;
        border: 1px solid var(--tc-border, #d1d5db);
        border-radius: 6px;
        width: 100%;
        box-sizing: border-box;
      }
      fieldset {
        border: 1px solid var(--tc-border, #d1d5db);
        border-radius: 6px;
        display: flex;
        flex-wrap: wrap;
        gap: 1rem;
      }
      fieldset label {
        display: flex;
        gap: 0.4rem;
        font-weight: 400;
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0.25rem 1rem;
        margin: 0;
      }
      dt {
        color: var(--tc-muted, #4b5563);
      }
      dd {
        margin: 0;
        font-weight: 600;
      }
      .actions {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
      }
      .error {
        color: var(--tc-danger, #b91c1c);
        margin: 0;
      }
      input:focus-visible,
      select:focus-visible,
      button:focus-visible {
        outline: 3px solid #f59e0b;
        outline-offset: 1px;
      }
    `,
  ];

  /** The plans one can pay for; none: a recharge of the balance. */
  @property({ attribute: false }) plans?: PayPlan[];
  /** Sends the payment (the page gives it its idempotency key). */
  @property({ attribute: false }) pay!: (request: PayRequest) => Promise<MadePayment>;
  /** The page the card checkout sends the customer back to. */
  @property({ attribute: "return-path" }) returnPath = "/";
  @property({ attribute: "submit-label" }) submitLabel = "Continue";

  @state() private _planId?: number;
  @state() private _amount = "";
  @state() private _method: "wallet" | "credit" = "wallet";
  @state() private _reviewing = false;
  @state() private _sending = false;
  @state() private _error = "";

  private get _plan(): PayPlan | undefined {
    return this.plans?.find((p) => p.planId === this._planId);
  }

  willUpdate(changed: Map<string, unknown>) {
    // The plan form starts at the first plan and its price.
    if (changed.has("plans") && this.plans?.length && !this._plan) this._choosePlan(this.plans[0].planId);
  }

  private _choosePlan(planId: number) {
    this._planId = planId;
    this._amount = Number(this._plan?.price ?? 0).toFixed(2);
  }

  private _problem(): string {
    if (!AMOUNT.test(this._amount) || Number(this._amount) <= 0) return "Enter a positive amount with at most two decimals.";
    const plan = this._plan;
    if (this.plans && !plan) return "Choose a plan.";
    if (plan && Number(this._amount) < Number(plan.price)) return `Pay at least the plan's price, ${money(plan.price)} EGP.`;
    return "";
  }

  private _review(event: Event) {
    event.preventDefault();
    this._error = this._problem();
    this._reviewing = !this._error;
  }

  private async _confirm() {
    this._sending = true;
    this._error = "";
    try {
      const payment = await this.pay({ amount: this._amount, paymentMethod: this._method, planId: this._plan?.planId });
      if (payment.status === "pending" && payment.providerReference) {
        location.assign(checkoutUrl(payment, this.returnPath));
        return;
      }
      this._reviewing = false;
      this.dispatchEvent(new CustomEvent("payment-made", { detail: payment.paymentId, bubbles: true, composed: true }));
    } catch (error) {
      this._error = (error as Error).message;
    } finally {
      this._sending = false;
    }
  }

  private _summary() {
    const plan = this._plan;
    const extra = plan ? Number(this._amount) - Number(plan.price) : 0;
    return html`<dl data-testid="payment-summary">
      <dt>Amount</dt>
      <dd>${money(this._amount)} EGP</dd>
      ${
        plan
          ? html`<dt>Plan</dt>
              <dd>${plan.name} (${money(plan.price)} EGP)</dd>
              <dt>Renews until</dt>
              <dd data-testid="renews-until">${renewsUntil(plan.paidUntil)}</dd>
              ${
                extra > 0
                  ? html`<dt>To your balance</dt>
                      <dd data-testid="extra">${money(extra)} EGP</dd>`
                  : nothing
              }`
          : html`<dt>To your balance</dt>
              <dd>${money(this._amount)} EGP</dd>`
      }
      <dt>Paid by</dt>
      <dd>${this._method === "wallet" ? "your wallet, at once" : "card, on the card processor's checkout page"}</dd>
    </dl>`;
  }

  render() {
    if (this._reviewing) {
      return html`<div class="review" role="group" aria-label="Confirm the payment">
        ${this._summary()} ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
        <div class="actions">
          <button type="button" ?disabled=${this._sending} @click=${this._confirm}>
            ${this._method === "wallet" ? "Confirm and pay" : "Confirm and go to checkout"}
          </button>
          <button type="button" class="secondary" ?disabled=${this._sending} @click=${() => (this._reviewing = false)}>Back</button>
        </div>
      </div>`;
    }
    return html`<form novalidate @submit=${this._review}>
      ${
        this.plans
          ? html`<label
              >Plan
              <select @change=${(e: Event) => this._choosePlan(Number((e.target as HTMLSelectElement).value))}>
                ${this.plans.map(
                  (p) => html`<option value=${p.planId} ?selected=${p.planId === this._planId}>${p.name} (${money(p.price)} EGP)</option>`,
                )}
              </select></label
            >`
          : nothing
      }
      <label
        >Amount (EGP)
        <input
          type="number"
          inputmode="decimal"
          min=${this._plan?.price ?? "0.01"}
          step="0.01"
          .value=${this._amount}
          @input=${(e: Event) => (this._amount = (e.target as HTMLInputElement).value)}
      /></label>
      <fieldset>
        <legend>Pay with</legend>
        <label
          ><input
            type="radio"
            name="method"
            value="wallet"
            .checked=${this._method === "wallet"}
            @change=${() => (this._method = "wallet")}
          />
          Wallet</label
        >
        <label
          ><input
            type="radio"
            name="method"
            value="credit"
            .checked=${this._method === "credit"}
            @change=${() => (this._method = "credit")}
          />
          Card</label
        >
      </fieldset>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      <div class="actions"><button type="submit">${this.submitLabel}</button></div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "pay-flow": PayFlow;
  }
}

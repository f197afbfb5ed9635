/**
 * `<pay-flow>`: paying for a plan, paying a bill or recharging the balance (docs/web-app.md, docs/money.md,
 * docs/bills.md), the one payment form of the customer app. A bill is paid as a balance payment
 * (`initiate_balance_payment`) of the amount still due, which the database counts toward the bill. The customer chooses the method (wallet or card: cash is paid at a shop), checks
 * exactly what will happen (the number, the plan and the day it renews until, the amount, what goes
 * to the balance, how it is paid) and confirms. The page's `pay` sends the payment (with its
 * idempotency key); a card payment then goes to the processor's checkout (`/checkout/<reference>`),
 * which sends the customer back to `returnPath?checkout=<payment id>`, where `<payment-outcome>`
 * waits for the processor's answer and shows the receipt. Amounts are read as the customer app's forms read
 * them (`12abc` is refused, Arabic-Indic digits are accepted); refusals are the customer's words,
 * next to the field they are about.
 *
 * @fires payment-made - a payment that is already settled (a wallet payment); `detail` is its id.
 */
import { localized, msg, str } from "@lit/localize";
import { LitElement, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { ApiError } from "../api/graphql.ts";
import { amountField, paymentMethods } from "../fields.ts";
import { formStyles, today } from "../ui.ts";
import { formatDate, formatMoney, parseAmount, refusal, words } from "../words.ts";

export interface PayPlan {
  planId: number;
  name: string;
  price: string;
  /** The subscription's first unpaid day, if the number has one. */
  paidUntil: string | null;
}

/** The bill a balance payment pays, and what is still to be paid of it. */
export interface PayBill {
  invoiceNo: string;
  stillDue: string;
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

type FieldName = "planId" | "amount" | "paymentMethod";

/** The database refusals each field is about (as op-form's fields declare them). */
const FIELD_CODES: Record<FieldName, string[]> = {
  planId: ["TC102", "TC131"],
  amount: ["TC104", "TC105", "TC316", "TC317", "TC319"],
  paymentMethod: ["TC106", "TC318", "TC311"],
};

@customElement("pay-flow")
@localized()
export class PayFlow extends LitElement {
  static styles = formStyles;

  /** The plans one can pay for; none: a recharge of the balance (or a bill's payment). */
  @property({ attribute: false }) plans?: PayPlan[];
  /** The bill this payment is for: the amount starts at what is still due of it. */
  @property({ attribute: false }) bill?: PayBill;
  /** Sends the payment (the page gives it its idempotency key). */
  @property({ attribute: false }) pay!: (request: PayRequest) => Promise<MadePayment>;
  /** The page the card checkout sends the customer back to. */
  @property({ attribute: "return-path" }) returnPath = "/";
  /** The number that pays (shown in the review). */
  @property({ attribute: "mobile-no" }) mobileNo = "";
  /** The language amounts and dates are written in. */
  @property() lang = "en";
  @property({ attribute: "submit-label" }) submitLabel = "";

  @state() private _planId?: number;
  @state() private _amount = "";
  @state() private _method: "wallet" | "credit" = "wallet";
  @state() private _reviewing = false;
  @state() private _sending = false;
  @state() private _error = "";
  @state() private _fieldErrors: Partial<Record<FieldName, string>> = {};

  private get _plan(): PayPlan | undefined {
    return this.plans?.find((p) => p.planId === this._planId);
  }

  willUpdate(changed: Map<string, unknown>) {
    // The plan form starts at the first plan and its price.
    if (changed.has("plans") && this.plans?.length && !this._plan) this._choosePlan(this.plans[0].planId);
    if (changed.has("bill") && this.bill) this._amount = Number(this.bill.stillDue).toFixed(2);
  }

  private _choosePlan(planId: number) {
    this._planId = planId;
    this._amount = Number(this._plan?.price ?? 0).toFixed(2);
    this._fieldErrors = {};
  }

  /** The amount as the database takes it (`12.50`), or null when what was typed is not an amount. */
  private get _value(): string | null {
    return parseAmount(this._amount);
  }

  private _problems(): Partial<Record<FieldName, string>> {
    const field = amountField();
    const value = this._value;
    const plan = this._plan;
    if (this._amount.trim() === "") return { amount: field.missing! };
    if (value == null) return { amount: msg("Enter an amount in pounds, e.g. 25 or 25.50.") };
    if (plan && Number(value) < Number(plan.price))
      return { amount: msg(str`Pay at least the plan's price, ${formatMoney(plan.price, this.lang)}.`) };
    return {};
  }

  private async _review(event: Event) {
    event.preventDefault();
    this._error = "";
    this._fieldErrors = this._problems();
    const invalid = Object.keys(this._fieldErrors)[0];
    if (invalid) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`#pay-${invalid}`)?.focus();
      return;
    }
    this._reviewing = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(".confirm h3")?.focus();
  }

  private async _change() {
    this._reviewing = false;
    this._error = "";
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>("button[type=submit]")?.focus();
  }

  private async _confirm() {
    const amount = this._value;
    if (amount == null) return;
    this._sending = true;
    this._error = "";
    try {
      const payment = await this.pay({ amount, paymentMethod: this._method, planId: this._plan?.planId });
      if (payment.status === "pending" && payment.providerReference) {
        location.assign(checkoutUrl(payment, this.returnPath));
        return;
      }
      this._reviewing = false;
      // A new payment starts again: a recharge from nothing, a plan payment at the plan's price.
      if (this._plan) this._choosePlan(this._plan.planId);
      else this._amount = this.bill ? Number(this.bill.stillDue).toFixed(2) : "";
      this.dispatchEvent(new CustomEvent("payment-made", { detail: payment.paymentId, bubbles: true, composed: true }));
    } catch (error) {
      const code = error instanceof ApiError ? error.code : undefined;
      const message = refusal(code, error instanceof Error ? error.message : String(error));
      const field = code ? (Object.keys(FIELD_CODES) as FieldName[]).find((name) => FIELD_CODES[name].includes(code)) : undefined;
      if (field && (field !== "planId" || this.plans)) {
        // The refusal is about something to change: back to the form, next to that field.
        this._reviewing = false;
        this._fieldErrors = { [field]: message };
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>(`#pay-${field}`)?.focus();
      } else {
        // Anything else (a lost answer above all): the review stays, to be sent again as it is.
        this._error = message;
      }
    } finally {
      this._sending = false;
    }
  }

  private _lines() {
    const lang = this.lang;
    const plan = this._plan;
    const amount = this._value ?? "0";
    const bill = this.bill;
    const extra = Number(amount) - Number(plan?.price ?? bill?.stillDue ?? 0);
    const renews = plan ? renewsUntil(plan.paidUntil) : "";
    return html`<dl data-testid="payment-summary">
      <dt>${msg("Number")}</dt>
      <dd>${this.mobileNo}</dd>
      ${
        plan
          ? html`<dt>${msg("Plan")}</dt>
              <dd>${plan.name}</dd>`
          : nothing
      }
      ${
        bill
          ? html`<dt>${msg("Bill")}</dt>
              <dd>${bill.invoiceNo}</dd>`
          : nothing
      }
      <dt>${msg("Amount")}</dt>
      <dd>${formatMoney(amount, lang)}</dd>
      ${
        plan
          ? html`<dt>${msg("Renews until")}</dt>
              <dd data-testid="renews-until"><time datetime=${renews}>${formatDate(renews, lang)}</time></dd>`
          : nothing
      }
      ${
        extra > 0
          ? html`<dt>${msg("To your balance")}</dt>
              <dd data-testid="extra">${formatMoney(extra.toFixed(2), lang)}</dd>`
          : nothing
      }
      <dt>${msg("Pay with")}</dt>
      <dd>${words(this._method)}</dd>
    </dl>`;
  }

  private _reviewView() {
    const plan = this._plan;
    const amount = formatMoney(this._value, this.lang);
    const card = this._method === "credit";
    const action =
      plan || this.bill
        ? card
          ? msg(str`Pay ${amount} by card`)
          : msg(str`Pay ${amount}`)
        : card
          ? msg(str`Recharge ${amount} by card`)
          : msg(str`Recharge ${amount}`);
    return html`<div class="confirm" role="group" aria-labelledby="pay-review-title" data-testid="confirmation">
      <h3 id="pay-review-title" tabindex="-1">
        ${plan ? msg("Check and confirm the payment") : this.bill ? msg("Check and confirm the bill payment") : msg("Check and confirm the recharge")}
      </h3>
      ${this._lines()}
      <p class="muted">
        ${card ? msg("You will be asked for your card next, on the card processor's page.") : msg("It is taken from your wallet at once.")}
      </p>
      <div aria-live="polite">${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}</div>
      <div class="buttons">
        <button type="button" ?disabled=${this._sending} @click=${this._confirm}>${this._sending ? msg("Working…") : action}</button>
        <button type="button" class="secondary" ?disabled=${this._sending} @click=${this._change}>${msg("Change")}</button>
      </div>
    </div>`;
  }

  private _fieldError(name: FieldName) {
    const error = this._fieldErrors[name];
    return error ? html`<p class="field-error" role="alert" id=${`pay-${name}-error`}>${error}</p>` : nothing;
  }

  private _describedBy(name: FieldName, hint = false) {
    return [hint ? `pay-${name}-hint` : "", this._fieldErrors[name] ? `pay-${name}-error` : ""].filter(Boolean).join(" ") || nothing;
  }

  render() {
    if (this.plans && this.plans.length === 0) return html`<p class="muted">${msg("There are no plans to pay for.")}</p>`;
    const lang = this.lang;
    const amount = amountField();
    const reviewing = this._reviewing;
    return html`<form novalidate @submit=${this._review}>
      ${
        this.plans
          ? html`<label for="pay-planId"
              >${msg("Plan")}
              <select
                id="pay-planId"
                ?disabled=${reviewing}
                aria-invalid=${this._fieldErrors.planId ? "true" : "false"}
                aria-describedby=${this._describedBy("planId")}
                @change=${(e: Event) => this._choosePlan(Number((e.target as HTMLSelectElement).value))}
              >
                ${this.plans.map(
                  (p) =>
                    html`<option value=${p.planId} ?selected=${p.planId === this._planId}>
                      ${msg(str`${p.name} (${formatMoney(p.price, lang)} a month)`)}
                    </option>`,
                )}
              </select>
              ${this._fieldError("planId")}</label
            >`
          : nothing
      }
      <label for="pay-amount"
        >${amount.label}
        <input
          id="pay-amount"
          type="text"
          inputmode="decimal"
          autocomplete="off"
          aria-required="true"
          ?disabled=${reviewing}
          aria-invalid=${this._fieldErrors.amount ? "true" : "false"}
          aria-describedby=${this._describedBy("amount", true)}
          .value=${this._amount}
          @input=${(e: Event) => (this._amount = (e.target as HTMLInputElement).value)}
        />
        <span class="hint" id="pay-amount-hint">${amount.hint}</span> ${this._fieldError("amount")}</label
      >
      <label for="pay-paymentMethod"
        >${msg("Pay with")}
        <select
          id="pay-paymentMethod"
          ?disabled=${reviewing}
          aria-invalid=${this._fieldErrors.paymentMethod ? "true" : "false"}
          aria-describedby=${this._describedBy("paymentMethod")}
          @change=${(e: Event) => (this._method = (e.target as HTMLSelectElement).value as "wallet" | "credit")}
        >
          ${paymentMethods().map((m) => html`<option value=${m.value} ?selected=${m.value === this._method}>${m.label}</option>`)}
        </select>
        ${this._fieldError("paymentMethod")}</label
      >
      ${reviewing ? this._reviewView() : html`<button type="submit">${this.submitLabel || msg("Continue")}</button>`}
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "pay-flow": PayFlow;
  }
}

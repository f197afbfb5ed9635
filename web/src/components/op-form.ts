/**
 * `<op-form>`: a labelled form for one operation. It checks every field itself (the browser's own
 * validation is off: `novalidate`) — required, pattern, range and a field's own `check` — on the
 * values as the customer means them (a pasted `+20 101 234 5678` is `01012345678`, `12abc` is not an
 * amount). With `confirm`, it then shows what will happen and waits for "Confirm". It ends with the
 * message or receipt `submit` returns, or puts the database's refusal (by its SQLSTATE) next to the
 * field it is about.
 *
 * @fires op-done - after a successful submit; `detail` is what `submit` returned.
 */
import { localized, msg, str } from "@lit/localize";
import { LitElement, html, nothing, type TemplateResult } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import { ApiError } from "../api/graphql.ts";
import { formStyles } from "../ui.ts";
import { normaliseMobile, parseAmount, refusal } from "../words.ts";
import type { Field, RefusalCode, Values } from "../../../shared/field.ts";

export type { Field, Values };

/** What happened, with the reference the customer can quote. */
export interface Receipt {
  title: string;
  reference?: string;
  /** Read back from `customer_receipts` (the receipts page has the same line). */
  recorded?: boolean;
  lines: [label: string, value: string][];
}

/** What a confirmation shows before anything is sent. */
export interface Confirmation {
  title: string;
  lines: [label: string, value: string][];
  /** The confirm button's words, e.g. "Send 25.00 EGP". */
  action: string;
  /** Something the customer should know first (e.g. "This cannot be undone."). */
  note?: string;
}

const missingMessage = (field: Field) => field.missing ?? msg("Fill this in.");

/** The value as the operation takes it. */
function normalised(field: Field, raw: string): string {
  const value = raw.trim();
  if (field.type === "tel") return normaliseMobile(value);
  if (field.type === "amount") return parseAmount(value) ?? value;
  return value;
}

export function receiptView(receipt: Receipt): TemplateResult {
  return html`<div class="receipt" data-testid="receipt" data-recorded=${receipt.recorded ? "true" : "false"}>
    <p class="receipt-title"><strong>${receipt.title}</strong></p>
    <dl>
      ${
        receipt.reference
          ? html`<dt>${msg("Reference")}</dt>
              <dd data-testid="receipt-reference">${receipt.reference}</dd>`
          : nothing
      }
      ${receipt.lines.map(
        ([label, value]) =>
          html`<dt>${label}</dt>
            <dd>${value}</dd>`,
      )}
    </dl>
    <p class="muted"><a href="/receipts">${msg("All your receipts")}</a></p>
  </div>`;
}

@customElement("op-form")
@localized()
export class OpForm extends LitElement {
  static styles = formStyles;

  @property({ attribute: false }) fields: Field[] = [];
  @property({ attribute: false }) submit: (values: Values) => Promise<string | Receipt> = async () => "";
  /** When set, a valid submission first shows what will happen and is sent only after "Confirm". */
  @property({ attribute: false }) confirm?: (values: Values) => Confirmation | Promise<Confirmation>;
  @property({ attribute: "submit-label" }) submitLabel = "Submit";
  /**
   * Which field a refusal of the database belongs to, by its code (`{ TC601: "name" }`): the message is
   * shown under that field instead of under the button.
   */
  @property({ attribute: false }) errorFields: Record<string, string> = {};
  /** Asks before sending (destructive actions): the question, from the values; declining sends nothing. */
  @property({ attribute: false }) confirmation?: (values: Values) => string;
  /** Clear the fields after a success (not for profile-like forms that show current values). */
  @property({ type: Boolean }) reset = false;

  @state() private _fieldErrors: Record<string, string> = {};
  @state() private _error = "";
  @state() private _message = "";
  @state() private _receipt?: Receipt;
  @state() private _busy = false;
  @state() private _pending?: { values: Values; confirmation: Confirmation };

  @query("form") private _form!: HTMLFormElement;

  private _values(form: HTMLFormElement): Values {
    const values: Values = {};
    for (const field of this.fields) {
      const control = form.elements.namedItem(field.name) as HTMLInputElement | null;
      values[field.name] = normalised(field, control?.value ?? "");
    }
    return values;
  }

  private _validate(values: Values): Record<string, string> {
    const errors: Record<string, string> = {};
    for (const field of this.fields) {
      const value = values[field.name];
      let message: string | null = null;
      if (value === "") {
        if (field.required) message = missingMessage(field);
      } else if (field.type === "amount" && parseAmount(value) == null) {
        message = msg("Enter an amount in pounds, e.g. 25 or 25.50.");
      } else if (field.pattern && !new RegExp(`^(?:${field.pattern})$`).test(value)) {
        message = field.hint ?? msg("Check this value.");
      } else if (field.type === "number" && !/^-?\d+(\.\d+)?$/.test(value)) {
        message = msg("Enter a number.");
      } else if (field.min != null && Number(value) < field.min) {
        message = msg(str`Enter at least ${field.min}.`);
      } else if (field.max != null && Number(value) > field.max) {
        message = msg(str`Enter at most ${field.max}.`);
      } else if (field.type === "email" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
        message = msg("Enter an e-mail address like name@example.com.");
      }
      if (!message && value !== "") message = field.check?.(value, values) ?? null;
      if (!message && value === "" && !field.required) message = field.check?.(value, values) ?? null;
      if (message) errors[field.name] = message;
    }
    return errors;
  }

  private _focus(name: string) {
    (this._form?.elements.namedItem(name) as HTMLElement | null)?.focus();
  }

  private async _onSubmit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const values = this._values(form);
    this._fieldErrors = this._validate(values);
    this._message = "";
    this._error = "";
    this._receipt = undefined;
    const invalid = Object.keys(this._fieldErrors)[0];
    if (invalid) {
      this._focus(invalid);
      return;
    }
    if (this.confirmation && !window.confirm(this.confirmation(values))) return;
    if (this.confirm) {
      this._busy = true;
      try {
        this._pending = { values, confirmation: await this.confirm(values) };
      } catch (error) {
        // A check the confirmation makes first (the transfer's recipient): refused like a submission.
        await this._refused(error);
        return;
      } finally {
        this._busy = false;
      }
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(".confirm h3")?.focus();
      return;
    }
    await this._send(values);
  }

  private _cancel() {
    this._pending = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>("button[type=submit]")?.focus());
  }

  private async _confirmed() {
    const pending = this._pending;
    if (!pending) return;
    await this._send(pending.values);
    this._pending = undefined;
  }

  private async _send(values: Values) {
    this._busy = true;
    try {
      const result = await this.submit(values);
      if (typeof result === "string") this._message = result;
      else this._receipt = result;
      if (this.reset) this._form?.reset();
      this.dispatchEvent(new CustomEvent("op-done", { detail: result, bubbles: true, composed: true }));
    } catch (error) {
      await this._refused(error);
    } finally {
      this._busy = false;
    }
  }

  /** A refusal in the customer's words, next to the field it is about, or above the form. */
  private async _refused(error: unknown) {
    const code = error instanceof ApiError ? error.code : undefined;
    const message = refusal(code, error instanceof Error ? error.message : String(error));
    // The field a refusal belongs to: declared on the field (`codes`) or by the form (`errorFields`).
    const name = code ? (this.fields.find((f) => f.codes?.includes(code as RefusalCode))?.name ?? this.errorFields[code]) : undefined;
    if (name && this.fields.some((f) => f.name === name)) {
      this._fieldErrors = { [name]: message };
      await this.updateComplete;
      this._focus(name);
    } else {
      this._error = message;
    }
  }

  private _control(field: Field) {
    const id = `f-${field.name}`;
    const error = this._fieldErrors[field.name];
    const describedBy = [field.hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || nothing;
    const disabled = this._pending != null;
    if (field.type === "select") {
      return html`<select
        id=${id}
        name=${field.name}
        ?disabled=${disabled}
        aria-required=${field.required ? "true" : nothing}
        aria-invalid=${error ? "true" : "false"}
        aria-describedby=${describedBy}
      >
        ${field.options?.map(
          (option) =>
            html`<option value=${option.value} ?selected=${option.value === field.value} ?disabled=${option.disabled}>
              ${option.label}
            </option>`,
        )}
      </select>`;
    }
    if (field.type === "textarea") {
      return html`<textarea
        id=${id}
        name=${field.name}
        rows="3"
        ?disabled=${disabled}
        aria-required=${field.required ? "true" : nothing}
        aria-invalid=${error ? "true" : "false"}
        aria-describedby=${describedBy}
        .value=${field.value ?? ""}
      ></textarea>`;
    }
    const type = field.type === "amount" || field.type === "number" || field.type === "tel" ? "text" : (field.type ?? "text");
    const inputmode = field.type === "tel" ? "tel" : field.type === "amount" ? "decimal" : field.type === "number" ? "numeric" : nothing;
    return html`<input
      id=${id}
      name=${field.name}
      type=${field.type === "tel" ? "tel" : type}
      .value=${field.value ?? ""}
      ?disabled=${disabled}
      aria-required=${field.required ? "true" : nothing}
      autocomplete=${field.autocomplete ?? (field.type === "amount" ? "off" : nothing)}
      inputmode=${inputmode}
      aria-invalid=${error ? "true" : "false"}
      aria-describedby=${describedBy}
    />`;
  }

  private _confirmation(confirmation: Confirmation) {
    return html`<div class="confirm" role="group" aria-labelledby="confirm-title" data-testid="confirmation">
      <h3 id="confirm-title" tabindex="-1">${confirmation.title}</h3>
      <dl>
        ${confirmation.lines.map(
          ([label, value]) =>
            html`<dt>${label}</dt>
              <dd>${value}</dd>`,
        )}
      </dl>
      ${confirmation.note ? html`<p class="muted">${confirmation.note}</p>` : nothing}
      <div class="buttons">
        <button type="button" ?disabled=${this._busy} @click=${this._confirmed}>
          ${this._busy ? msg("Working…") : confirmation.action}
        </button>
        <button type="button" class="secondary" ?disabled=${this._busy} @click=${this._cancel}>${msg("Change")}</button>
      </div>
    </div>`;
  }

  render() {
    return html`<form novalidate @submit=${this._onSubmit}>
      ${this.fields.map(
        (field) =>
          html`<label for=${`f-${field.name}`}
            >${field.label}${field.required || field.check ? "" : html` <span class="hint">${msg("(optional)")}</span>`}
            ${this._control(field)} ${field.hint ? html`<span class="hint" id=${`f-${field.name}-hint`}>${field.hint}</span>` : nothing}
            ${this._fieldErrors[field.name] ? html`<p class="field-error" id=${`f-${field.name}-error`}>${this._fieldErrors[field.name]}</p>` : nothing}
          </label>`,
      )}
      ${
        this._pending
          ? this._confirmation(this._pending.confirmation)
          : html`<button type="submit" ?disabled=${this._busy}>${this._busy ? msg("Working…") : this.submitLabel}</button>`
      }
      <div aria-live="polite">
        ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
        ${this._message ? html`<p class="ok" role="status">${this._message}</p>` : nothing}
        ${this._receipt ? receiptView(this._receipt) : nothing}
      </div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "op-form": OpForm;
  }
}

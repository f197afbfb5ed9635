/**
 * `<op-form>`: a labelled form for one operation. It validates every field in the browser (required,
 * pattern, range, and a field's own `check`) before calling `submit`, then shows the success message
 * or the database's own error message.
 *
 * @fires op-done - after a successful submit; `detail` is the message returned by `submit`.
 */
import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { buttonStyles } from "../ui.ts";

export interface Field {
  name: string;
  label: string;
  type?: "text" | "number" | "date" | "email" | "password" | "tel" | "select" | "textarea";
  required?: boolean;
  pattern?: string;
  /** Shown under the field and used as the message when the pattern does not match. */
  hint?: string;
  min?: number;
  max?: number;
  step?: string;
  value?: string;
  options?: { value: string; label: string }[];
  autocomplete?: string;
  /** A further check on the whole form's values; returns a message when the value is wrong. */
  check?: (value: string, values: Record<string, string>) => string | null;
}

export type Values = Record<string, string>;

@customElement("op-form")
export class OpForm extends LitElement {
  static styles = [
    buttonStyles,
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
      input,
      select,
      textarea {
        font: inherit;
        padding: 0.45rem;
        border: 1px solid var(--tc-border, #d1d5db);
        border-radius: 6px;
        width: 100%;
        box-sizing: border-box;
      }
      input:focus-visible,
      select:focus-visible,
      textarea:focus-visible,
      button:focus-visible {
        outline: 3px solid #f59e0b;
        outline-offset: 1px;
      }
      [aria-invalid="true"] {
        border-color: var(--tc-danger, #b91c1c);
      }
      .hint {
        font-weight: 400;
        font-size: 0.85rem;
        color: var(--tc-muted, #4b5563);
      }
      .field-error,
      .error {
        color: var(--tc-danger, #b91c1c);
        font-weight: 400;
        margin: 0;
      }
      .ok {
        color: var(--tc-ok, #15803d);
        margin: 0;
      }
      button {
        justify-self: start;
      }
    `,
  ];

  @property({ attribute: false }) fields: Field[] = [];
  @property({ attribute: false }) submit: (values: Values) => Promise<string> = async () => "";
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
  @state() private _busy = false;

  private _values(form: HTMLFormElement): Values {
    const values: Values = {};
    for (const field of this.fields) {
      const control = form.elements.namedItem(field.name) as HTMLInputElement | null;
      values[field.name] = control?.value.trim() ?? "";
    }
    return values;
  }

  private _validate(form: HTMLFormElement, values: Values): Record<string, string> {
    const errors: Record<string, string> = {};
    for (const field of this.fields) {
      const control = form.elements.namedItem(field.name) as HTMLInputElement;
      const value = values[field.name];
      if (!control.validity.valid) {
        errors[field.name] = control.validity.patternMismatch && field.hint ? field.hint : control.validationMessage;
      } else if (field.required && value === "") {
        errors[field.name] = `${field.label} is required.`;
      } else {
        const message = field.check?.(value, values);
        if (message) errors[field.name] = message;
      }
    }
    return errors;
  }

  private async _onSubmit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const values = this._values(form);
    this._fieldErrors = this._validate(form, values);
    this._message = "";
    this._error = "";
    const invalid = Object.keys(this._fieldErrors)[0];
    if (invalid) {
      (form.elements.namedItem(invalid) as HTMLElement).focus();
      return;
    }
    if (this.confirmation && !window.confirm(this.confirmation(values))) return;
    this._busy = true;
    try {
      this._message = await this.submit(values);
      if (this.reset) form.reset();
      this.dispatchEvent(new CustomEvent("op-done", { detail: this._message, bubbles: true, composed: true }));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const field = this.errorFields[(error as { code?: string }).code ?? ""];
      if (field && this.fields.some((f) => f.name === field)) {
        this._fieldErrors = { [field]: message };
        (form.elements.namedItem(field) as HTMLElement | null)?.focus();
      } else {
        this._error = message;
      }
    } finally {
      this._busy = false;
    }
  }

  private _control(field: Field) {
    const id = `f-${field.name}`;
    const error = this._fieldErrors[field.name];
    const describedBy = [field.hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || nothing;
    if (field.type === "select") {
      return html`<select
        id=${id}
        name=${field.name}
        ?required=${field.required}
        aria-invalid=${error ? "true" : "false"}
        aria-describedby=${describedBy}
      >
        ${field.options?.map((option) => html`<option value=${option.value} ?selected=${option.value === field.value}>${option.label}</option>`)}
      </select>`;
    }
    if (field.type === "textarea") {
      return html`<textarea
        id=${id}
        name=${field.name}
        rows="3"
        ?required=${field.required}
        aria-invalid=${error ? "true" : "false"}
        aria-describedby=${describedBy}
        .value=${field.value ?? ""}
      ></textarea>`;
    }
    return html`<input
      id=${id}
      name=${field.name}
      type=${field.type ?? "text"}
      .value=${field.value ?? ""}
      ?required=${field.required}
      pattern=${field.pattern ?? nothing}
      min=${field.min ?? nothing}
      max=${field.max ?? nothing}
      step=${field.step ?? nothing}
      autocomplete=${field.autocomplete ?? nothing}
      inputmode=${field.type === "tel" ? "numeric" : nothing}
      aria-invalid=${error ? "true" : "false"}
      aria-describedby=${describedBy}
    />`;
  }

  render() {
    return html`<form novalidate @submit=${this._onSubmit}>
      ${this.fields.map(
        (field) =>
          html`<label for=${`f-${field.name}`}
            >${field.label}${field.required || field.check ? "" : html` <span class="hint">(optional)</span>`} ${this._control(field)}
            ${field.hint ? html`<span class="hint" id=${`f-${field.name}-hint`}>${field.hint}</span>` : nothing}
            ${
              this._fieldErrors[field.name]
                ? html`<p class="field-error" role="alert" id=${`f-${field.name}-error`}>${this._fieldErrors[field.name]}</p>`
                : nothing
            }
          </label>`,
      )}
      <button type="submit" ?disabled=${this._busy}>${this._busy ? "Working…" : this.submitLabel}</button>
      <div aria-live="polite">
        ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
        ${this._message ? html`<p class="ok" role="status">${this._message}</p>` : nothing}
      </div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "op-form": OpForm;
  }
}

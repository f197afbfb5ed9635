/** A form field of `<op-form>` and the values a form returns: plain types, importable outside the browser. */
import type { ErrorCode } from "./error-codes.ts";

/** A refusal a field can name: a project code of the registry (docs/error-codes.md), or PostgreSQL's "not allowed". */
export type RefusalCode = ErrorCode | "42501";

export interface Field {
  name: string;
  label: string;
  /** `amount`: money typed as text (no spinner, nothing silently dropped); `tel`: a mobile number, normalised. */
  type?: "text" | "number" | "amount" | "date" | "email" | "password" | "tel" | "select" | "textarea";
  required?: boolean;
  /** The message when a required field is empty (default "Fill this in."). */
  missing?: string;
  pattern?: string;
  /** Shown under the field and used as the message when the pattern does not match. */
  hint?: string;
  min?: number;
  max?: number;
  step?: string;
  value?: string;
  options?: { value: string; label: string; disabled?: boolean }[];
  autocomplete?: string;
  /** The database refusals (SQLSTATEs) that are about this field: their sentence is shown next to it. */
  codes?: RefusalCode[];
  /** A further check on the whole form's values; returns a message when the value is wrong. */
  check?: (value: string, values: Record<string, string>) => string | null;
}

export type Values = Record<string, string>;

/**
 * The form field of a mobile number, without its words: the customer pages give them translated
 * (web/src/fields.ts), the admin reports in English. Pasted spaces, dashes, `+20` and `0020` are
 * accepted and normalised to 01XXXXXXXXX.
 */
import type { Field } from "./field.ts";

export const mobileNumberField = (name: string, words: { label: string; missing: string; hint: string }): Field => ({
  name,
  type: "tel",
  required: true,
  pattern: "01[0-9]{9}",
  autocomplete: "tel-national",
  codes: ["TC101", "TC312", "TC313", "TC314", "TC315"],
  ...words,
});

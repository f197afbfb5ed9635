/** Form fields that several pages share. */
import { msg } from "@lit/localize";
import type { Field } from "../../shared/field.ts";
import { mobileNumberField } from "../../shared/mobile-number-field.ts";

/**
 * How a customer can pay (docs/money.md): the wallet of the number (at once) or a card (the payment waits
 * for the card checkout). Cash is paid at a shop, not online (the database refuses it from a customer, TC318).
 */
export const paymentMethods = () => [
  { value: "wallet", label: msg("Wallet") },
  { value: "credit", label: msg("Card") },
];

export const paymentMethodField = (): Field => ({
  name: "paymentMethod",
  label: msg("Pay with"),
  type: "select",
  required: true,
  missing: msg("Choose how to pay."),
  options: paymentMethods(),
  codes: ["TC106", "TC318", "TC311", "TC316"],
});

/** Money typed as text: `12abc` is an error, never 12; Arabic-Indic digits are accepted. */
export const amountField = (label = msg("Amount (EGP)")): Field => ({
  name: "amount",
  label,
  type: "amount",
  required: true,
  missing: msg("Enter an amount."),
  hint: msg("In Egyptian pounds, e.g. 25 or 25.50"),
  codes: ["TC104", "TC105", "TC316", "TC317", "TC319"],
});

/** A mobile number (shared/mobile-number-field.ts) in the page's language. */
export const mobileField = (name = "mobileNo", label = msg("Mobile number")): Field =>
  mobileNumberField(name, { label, missing: msg("Enter a mobile number."), hint: msg("11 digits, e.g. 01012345678") });

/** Form fields that several pages share. */
import { msg } from "@lit/localize";
import type { Field } from "./components/field.ts";

/**
 * How a customer can pay (SPEC §10): the wallet of the number (at once) or a card (the payment waits
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
  codes: ["TC104", "TC105", "TC316", "TC319"],
});

/** A mobile number: pasted spaces, dashes, `+20` and `0020` are accepted and normalised to 01XXXXXXXXX. */
export const mobileField = (name = "mobileNo", label = msg("Mobile number")): Field => ({
  name,
  label,
  type: "tel",
  required: true,
  missing: msg("Enter a mobile number."),
  pattern: "01[0-9]{9}",
  hint: msg("11 digits, e.g. 01012345678"),
  autocomplete: "tel-national",
  codes: ["TC101", "TC312", "TC313", "TC314", "TC315"],
});

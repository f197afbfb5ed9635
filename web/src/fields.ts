/** Form fields that several pages share. */
import type { Field } from "./components/op-form.ts";

/** How a customer can pay (SPEC §10): cash is paid at a shop, so the app offers card and wallet. */
export const PAYMENT_METHODS = [
  { value: "wallet", label: "Wallet" },
  { value: "credit", label: "Card" },
];

export const paymentMethodField: Field = {
  name: "paymentMethod",
  label: "Payment method",
  type: "select",
  required: true,
  options: PAYMENT_METHODS,
};

export const amountField = (label = "Amount (EGP)"): Field => ({
  name: "amount",
  label,
  type: "number",
  required: true,
  min: 0.01,
  step: "0.01",
  check: (v) => (Number(v) > 0 && /^\d+(\.\d{1,2})?$/.test(v) ? null : "Enter a positive amount with at most two decimals."),
});

export const mobileField = (name = "mobileNo", label = "Mobile number"): Field => ({
  name,
  label,
  type: "tel",
  required: true,
  pattern: "[0-9]{11}",
  hint: "11 digits, e.g. 01012345678",
});

/**
 * Receipts shown at the end of a money action. The reference is the one `customer_receipts` lists
 * (`PAY-<id>`, `TRF-<id>`, `CSH-<id>`, `VCH-<id>`), so the customer finds the same line on the receipts page.
 */
import { msg, str } from "@lit/localize";
import type { Receipt } from "./components/op-form.ts";
import { formatDate, formatMoney, words } from "./words.ts";

const todayIso = () => new Date().toISOString().slice(0, 10);

export function paymentReceipt(
  payment: { paymentId: number; amount: string; status: string } | null | undefined,
  title: string,
  mobileNo: string,
  method: string,
  lang: string,
): Receipt {
  return {
    title: payment?.status === "pending" ? msg(str`${title}: waiting for the card payment`) : msg(str`${title}: done`),
    reference: payment ? `PAY-${payment.paymentId}` : undefined,
    lines: [
      [msg("Number"), mobileNo],
      [msg("Amount"), formatMoney(payment?.amount, lang)],
      [msg("Paid with"), words(method)],
      [msg("Status"), words(payment?.status)],
      [msg("Date"), formatDate(todayIso(), lang)],
    ],
  };
}

export function transferReceipt(
  transferId: number | undefined,
  amount: string,
  toMobileNo: string,
  recipientName: string | null,
  lang: string,
): Receipt {
  return {
    title: msg("Money sent"),
    reference: transferId == null ? undefined : `TRF-${transferId}`,
    lines: [
      [msg("To"), recipientName ? `${recipientName} (${toMobileNo})` : toMobileNo],
      [msg("Amount"), formatMoney(amount, lang)],
      [msg("Date"), formatDate(todayIso(), lang)],
    ],
  };
}

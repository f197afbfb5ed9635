/**
 * Receipts shown at the end of a money action. The reference is the one `customer_receipts` lists
 * (`PAY-<id>`, `TRF-<id>`, `CSH-<id>`, `VCH-<id>`), so the customer finds the same line on the receipts page.
 */
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
    title: payment?.status === "pending" ? `${title}: waiting for the card payment` : `${title}: done`,
    reference: payment ? `PAY-${payment.paymentId}` : undefined,
    lines: [
      ["Number", mobileNo],
      ["Amount", formatMoney(payment?.amount, lang)],
      ["Paid with", words(method)],
      ["Status", words(payment?.status)],
      ["Date", formatDate(todayIso(), lang)],
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
    title: "Money sent",
    reference: transferId == null ? undefined : `TRF-${transferId}`,
    lines: [
      ["To", recipientName ? `${recipientName} (${toMobileNo})` : toMobileNo],
      ["Amount", formatMoney(amount, lang)],
      ["Date", formatDate(todayIso(), lang)],
    ],
  };
}

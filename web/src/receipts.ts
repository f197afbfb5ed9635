/**
 * Receipts shown at the end of a money action. The reference is the one `customer_receipts` lists
 * (`PAY-<id>`, `TRF-<id>`, `CSH-<id>`, `VCH-<id>`), so the customer finds the same line on the receipts page.
 */
import { msg, str } from "@lit/localize";
import { ReceiptLine } from "../../shared/fragments.ts";
import { graphql } from "./api/graphql.ts";
import type { Receipt } from "./components/op-form.ts";
import type { PaymentState } from "./api/payment-state.ts";
import type { Session } from "./session/session-store.ts";
import { formatDate, formatMoney, words } from "./words.ts";

const todayIso = () => new Date().toISOString().slice(0, 10);

/**
 * The receipt of a payment once it is settled (a wallet payment at once, a card payment when the
 * processor has reported it), from its line in `customer_receipts`: the reference, date and amount are
 * the receipts page's. `what` names what was paid when it is neither a plan nor a recharge (a bill). Without that line (it cannot be read) the receipt says so rather than guess.
 */
export function settledPaymentReceipt(payment: PaymentState, lang: string, what?: string): Receipt {
  const title = what ?? (payment.planName ? msg(str`Payment for ${payment.planName}`) : msg("Recharge"));
  const row = payment.receipt;
  return {
    title: payment.status === "successful" ? msg(str`${title}: done`) : msg(str`${title}: declined`),
    reference: row?.reference ?? `PAY-${payment.paymentId}`,
    recorded: row != null,
    lines: [
      [msg("Number"), payment.mobileNo],
      [msg("Amount"), formatMoney(row?.amount, lang, row?.currency ?? "EGP")],
      [msg("Paid with"), words(payment.paymentMethod)],
      [msg("Status"), words(payment.status)],
      [msg("Date"), formatDate(row?.receiptDate, lang)],
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

const ReceiptByReference = graphql(
  `
    query ReceiptByReference($reference: String!) {
      customerReceipts(condition: { reference: $reference }, first: 2) {
        nodes {
          ...ReceiptLine
        }
      }
    }
  `,
  [ReceiptLine],
);

/**
 * The receipt as `customer_receipts` records it: its date and amount are read back by reference (a
 * transfer has a row for each side: the sender's), so what the customer sees is what the receipts page
 * lists. When the row cannot be read (the connection failed after the action), the receipt built from
 * the action's own answer stays.
 */
export async function recordedReceipt(session: Session, receipt: Receipt, lang: string): Promise<Receipt> {
  if (!receipt.reference) return receipt;
  try {
    const data = await session.request(ReceiptByReference, { reference: receipt.reference });
    const row = data.customerReceipts?.nodes.find((node) => node && node.kind !== "transfer_received");
    if (!row) return receipt;
    const replace: Record<string, string> = {
      [msg("Amount")]: formatMoney(row.amount, lang, row.currency ?? "EGP"),
      [msg("Date")]: formatDate(row.receiptDate, lang),
    };
    return { ...receipt, recorded: true, lines: receipt.lines.map(([label, value]) => [label, replace[label] ?? value]) };
  } catch {
    return receipt;
  }
}

/**
 * A payment's status and its receipt, for `<payment-outcome>` (docs/web-app.md: every payment ends with a
 * receipt; the customer app: the receipt is the line `customer_receipts` lists, by its reference `PAY-<id>`).
 */
import { msg, str } from "@lit/localize";
import type { Session } from "../session/session-store.ts";
import { ReceiptLine } from "../../../shared/fragments.ts";
import { graphql } from "./graphql.ts";

export interface RecordedPayment {
  reference: string;
  receiptDate: string | null;
  amount: string | null;
  currency: string | null;
}

export interface PaymentState {
  paymentId: number;
  status: string;
  mobileNo: string;
  paymentMethod: string;
  /** The plan paid for; null for a recharge of the balance. */
  planName: string | null;
  /** The payment's line in `customer_receipts`. */
  receipt: RecordedPayment | null;
}

const PaymentStatus = graphql(
  `
    query PaymentStatus($paymentId: Int!, $reference: String!) {
      payment(paymentId: $paymentId) {
        paymentId
        mobileNo
        status
        paymentMethod
        processPayment {
          plan {
            name
          }
        }
      }
      customerReceipts(condition: { reference: $reference }, first: 1) {
        nodes {
          ...ReceiptLine
        }
      }
    }
  `,
  [ReceiptLine],
);

export async function loadPaymentState(session: Session, paymentId: number): Promise<PaymentState> {
  const reference = `PAY-${paymentId}`;
  const data = await session.request(PaymentStatus, { paymentId, reference });
  const payment = data.payment;
  if (!payment) throw new Error(msg(str`There is no payment ${reference} of yours.`));
  return {
    paymentId: payment.paymentId,
    status: payment.status,
    mobileNo: payment.mobileNo,
    paymentMethod: payment.paymentMethod,
    planName: payment.processPayment?.plan?.name ?? null,
    receipt: data.customerReceipts?.nodes[0] ?? null,
  };
}

/** The payment a card checkout sent the customer back for (`?checkout=<id>`), if any. */
export function returnedCheckout(): number | null {
  const id = Number(new URLSearchParams(location.search).get("checkout"));
  return Number.isInteger(id) && id > 0 ? id : null;
}

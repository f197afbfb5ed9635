/** A payment's status and its receipt, for `<payment-outcome>` (SPEC §7: every payment ends with a receipt). */
import type { PaymentState } from "../components/payment-outcome.ts";
import type { Session } from "../session/session-store.ts";
import { graphql } from "./graphql.ts";

const PaymentStatus = graphql(`
  query PaymentStatus($paymentId: Int!, $reference: String!) {
    payment(paymentId: $paymentId) {
      paymentId
      status
    }
    customerReceipts(condition: { reference: $reference }, first: 1) {
      nodes {
        reference
        receiptDate
        amount
        currency
        description
      }
    }
  }
`);

export async function loadPaymentState(session: Session, paymentId: number): Promise<PaymentState> {
  const data = await session.request(PaymentStatus, { paymentId, reference: `PAY-${paymentId}` });
  if (!data.payment) throw new Error(`There is no payment #${paymentId} of yours.`);
  return { status: data.payment.status, receipt: data.customerReceipts?.nodes[0] ?? null };
}

/** The payment a card checkout sent the customer back for (`?checkout=<id>`), if any. */
export function returnedCheckout(): number | null {
  const id = Number(new URLSearchParams(location.search).get("checkout"));
  return Number.isInteger(id) && id > 0 ? id : null;
}

/**
 * A payment to the balance (`initiate_balance_payment`): a recharge, and how a post-paid number pays its
 * bill (docs/bills.md: the database counts it toward the issued bill, the rest stays as credit).
 */
import { PaymentMade } from "../../../shared/fragments.ts";
import { graphql } from "./graphql.ts";

export const BalancePayment = graphql(
  `
    mutation Recharge($mobileNo: String!, $amount: BigFloat!, $paymentMethod: PaymentMethod!, $idempotencyKey: UUID!) {
      initiateBalancePayment(
        input: { mobileNo: $mobileNo, amount: $amount, paymentMethod: $paymentMethod, idempotencyKey: $idempotencyKey }
      ) {
        payment {
          ...PaymentMade
        }
      }
    }
  `,
  [PaymentMade],
);

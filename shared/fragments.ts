/**
 * The selections several documents share, each written once as a gql.tada fragment: a document
 * spreads it (`...PlanOffer`) and passes it along (`graphql(`…`, [PlanOffer])`, shared/graphql.ts).
 */
import { graphql } from "./graphql.ts";

/** A plan as the customer chooses it: price and monthly allowances. */
export const PlanOffer = graphql(`
  fragment PlanOffer on ServicePlan {
    planId
    name
    price
    smsOffered
    minutesOffered
    dataOffered
    description
  }
`);

/** A wallet's line: its number, balance and last change. */
export const WalletLine = graphql(`
  fragment WalletLine on Wallet {
    walletId
    mobileNo
    currentBalance
    currency
    lastModifiedDate
  }
`);

/** Who a person is, as a search lists them. */
export const PersonName = graphql(`
  fragment PersonName on CustomerProfile {
    nationalId
    firstName
    lastName
    email
  }
`);

/** A person's details. */
export const PersonDetails = graphql(
  `
    fragment PersonDetails on CustomerProfile {
      ...PersonName
      address
      dateOfBirth
    }
  `,
  [PersonName],
);

/** A payment in a list of payments. */
export const PaymentLine = graphql(`
  fragment PaymentLine on Payment {
    paymentId
    mobileNo
    amount
    dateOfPayment
    paymentMethod
    status
  }
`);

/** A payment just made: `<pay-flow>` sends a pending card payment to its checkout (`providerReference`). */
export const PaymentMade = graphql(`
  fragment PaymentMade on Payment {
    paymentId
    amount
    status
    providerReference
  }
`);

/** A voucher: its value, shop and last day. */
export const VoucherLine = graphql(`
  fragment VoucherLine on Voucher {
    voucherId
    value
    expiryDate
    shop {
      name
    }
  }
`);

/** A support ticket. */
export const TicketLine = graphql(`
  fragment TicketLine on TechnicalSupportTicket {
    ticketId
    mobileNo
    issueDescription
    priorityLevel
    status
  }
`);

/** A receipt's line in `customer_receipts`. */
export const ReceiptLine = graphql(`
  fragment ReceiptLine on CustomerReceipt {
    reference
    kind
    receiptDate
    amount
    currency
  }
`);

/** A bill as it is printed (docs/bills.md): the account billed, its lines and the credit notes against it. */
export const BillSheet = graphql(`
  fragment BillSheet on Invoice {
    invoiceNo
    mobileNo
    billDate
    periodStart
    periodEnd
    issuedOn
    dueDate
    subtotal
    vatRate
    vat
    total
    previousDue
    amountDue
    paidAmount
    status
    customerAccount {
      mobileNo
      status
      national {
        firstName
        lastName
        address
      }
    }
    invoiceLines(orderBy: LINE_NO_ASC, first: 100) {
      nodes {
        lineNo
        kind
        usageKind
        quantity
        amount
        plan {
          name
        }
      }
    }
    creditNotes(orderBy: CREDIT_NOTE_ID_ASC, first: 100) {
      nodes {
        creditNoteNo
        amount
        reason
        issuedOn
      }
    }
  }
`);

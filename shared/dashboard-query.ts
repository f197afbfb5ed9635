/** The customer dashboard's query, shared by the page and the benchmark (`npm run bench`). */
import { PlanOffer, WalletLine } from "./fragments.ts";
import { graphql, type ResultOf } from "./graphql.ts";

/**
 * One root field: PostGraphile runs each root field in a transaction of its own, so the account with
 * its relations and computed columns is one query instead of six.
 */
export const DashboardQuery = graphql(
  `
    query Dashboard($mobileNo: String!) {
      customerAccount(mobileNo: $mobileNo) {
        mobileNo
        nationalId
        balance
        points
        accountType
        status
        startDate
        planSubscriptionsByMobileNo {
          nodes {
            mobileNo
            planId
            subscriptionDate
            status
            paidUntil
            plan {
              ...PlanOffer
            }
          }
        }
        issuedInvoice {
          invoiceNo
          dueDate
          amountDue
          paidAmount
          status
        }
        unbilledAmount
        usageCurrentMonth {
          nodes {
            planId
            planName
            dataConsumption
            minutesUsed
            smsSent
          }
        }
        national {
          openTicketCount
          walletsByNationalId {
            nodes {
              ...WalletLine
            }
          }
        }
      }
    }
  `,
  [PlanOffer, WalletLine],
);

export type Dashboard = ResultOf<typeof DashboardQuery>;

/** The customer dashboard's query, shared by the page and the benchmark (`npm run bench`). */
import { graphql, type ResultOf } from "./graphql.ts";

/**
 * One root field: PostGraphile runs each root field in a transaction of its own, so the account with
 * its relations and computed columns is one query instead of six.
 */
export const DashboardQuery = graphql(`
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
            planId
            name
            price
            smsOffered
            minutesOffered
            dataOffered
            description
          }
        }
      }
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
            walletId
            mobileNo
            currentBalance
            currency
            lastModifiedDate
          }
        }
      }
    }
  }
`);

export type Dashboard = ResultOf<typeof DashboardQuery>;

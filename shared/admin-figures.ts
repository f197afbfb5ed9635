/**
 * The business figures of the admin dashboard: one document over the materialized views
 * that the maintenance tick refreshes. The dashboard sends it; the bench times it whole and per field.
 */
import { graphql } from "./graphql.ts";

export const AdminFigures = graphql(`
  query AdminFigures {
    revenuePerMonths(first: 13, orderBy: MONTH_DESC) {
      nodes {
        month
        revenue
        paymentCount
        payingAccounts
        arpu
        asOf
      }
    }
    usagePerMonths(first: 13, orderBy: MONTH_DESC) {
      nodes {
        month
        dataMb
        minutes
        sms
      }
    }
    newAccountsPerMonths(first: 13, orderBy: MONTH_DESC) {
      nodes {
        month
        newAccounts
      }
    }
    walletVolumePerMonths(first: 13, orderBy: MONTH_DESC) {
      nodes {
        month
        transferCount
        transferAmount
        cashbackCount
        cashbackAmount
      }
    }
    openTicketsByPriorities(orderBy: PRIORITY_LEVEL_ASC) {
      nodes {
        priorityLevel
        openTickets
        inProgressTickets
        asOf
      }
    }
    accountStatusCounts {
      nodes {
        status
        accounts
      }
    }
    payingSubscribersPerPlans(first: 100, orderBy: PLAN_ID_ASC) {
      nodes {
        planId
        name
        payingSubscribers
        asOf
      }
    }
    arpus(first: 1, orderBy: AS_OF_DATE_DESC) {
      nodes {
        asOfDate
        revenue
        payingSubscribers
        arpu
        asOf
      }
    }
  }
`);

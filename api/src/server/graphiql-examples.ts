/**
 * What GraphiQL (Ruru) shows an admin first: worked examples of the reports and the
 * business figures, each a named operation to run with the ▶ button. Every one pages, sorts and
 * filters in the database, the way the web app's admin pages do.
 */
export const GRAPHIQL_EXAMPLES = `# Telecom admin API. Log in from the web app's admin dashboard ("GraphiQL (signed in as you)"), or
# get a token with the authenticateAdmin mutation and send it as the Authorization: Bearer header.
# Pick an operation below and press ▶. Lists page with first/after (pageInfo.endCursor), sort with
# orderBy (only columns an index serves) and filter with filter (equalTo, in, lessThan, ...).

# Business figures: materialized views, refreshed every few minutes; asOf says when.
query Figures {
  revenuePerMonths(first: 12, orderBy: MONTH_DESC) {
    nodes { month revenue paymentCount payingAccounts arpu asOf }
  }
  usagePerMonths(first: 12, orderBy: MONTH_DESC) {
    nodes { month dataMb minutes sms accounts }
  }
  newAccountsPerMonths(first: 12, orderBy: MONTH_DESC) {
    nodes { month newAccounts }
  }
  walletVolumePerMonths(first: 12, orderBy: MONTH_DESC) {
    nodes { month transferCount transferAmount cashbackCount cashbackAmount }
  }
  openTicketsByPriorities {
    nodes { priorityLevel openTickets inProgressTickets }
  }
  accountStatusCounts {
    nodes { status accounts }
  }
}

# A report, one page at a time: the latest payments since a date, and about how many rows there are.
query LatestPayments($after: Cursor) {
  accountPayments(
    first: 50
    after: $after
    orderBy: DATE_OF_PAYMENT_DESC
    filter: { dateOfPayment: { greaterThanOrEqualTo: "2025-01-01" } }
  ) {
    nodes { paymentId dateOfPayment mobileNo amount paymentMethod status }
    pageInfo { hasNextPage endCursor }
  }
  estimatedRowCount(relationName: "account_payments")
}

# Another report: the active accounts of one person.
query AccountsOfAPerson {
  allCustomerAccounts(first: 50, filter: { nationalId: { equalTo: 280010101 } }, orderBy: START_DATE_DESC) {
    nodes { mobileNo firstName lastName accountType balance points startDate }
  }
}

# Customer search: a number, a national id, an e-mail or part of a name.
query FindCustomers {
  searchCustomers(query: "ahm", first: 20) {
    nodes { nationalId firstName lastName email }
  }
}

# Every account with its plans (docs/api.md), paged.
query AccountsAndPlans {
  accountPlan(first: 50) {
    nodes { mobileNo planId planName subscriptionStatus }
    pageInfo { hasNextPage endCursor }
  }
}

# Recompute the figures now.
mutation RefreshFigures {
  refreshAdminFigures(input: {}) { result }
}
`;

/** The customer dashboard's query, shared by the page and the benchmark (`npm run bench`). */
import type { Nodes } from "./graphql.ts";
import { PLAN_FIELDS, type Account, type Plan, type Subscription, type Usage, type Wallet } from "./types.ts";

export interface Dashboard {
  customerAccount:
    | (Account & {
        subscriptionsByMobileNo: Nodes<Subscription & { plan: Plan | null }>;
        usageCurrentMonth: Nodes<Usage>;
        national: { openTicketCount: number | null; walletsByNationalId: Nodes<Wallet> } | null;
      })
    | null;
}

/**
 * One root field: PostGraphile runs each root field in a transaction of its own, so the account with
 * its relations and computed columns is one query instead of six.
 */
export const DASHBOARD_QUERY = `query Dashboard($mobileNo: String!) {
  customerAccount(mobileNo: $mobileNo) {
    mobileNo nationalId balance points accountType status startDate
    subscriptionsByMobileNo { nodes { mobileNo planId subscriptionDate status plan { ${PLAN_FIELDS} } } }
    usageCurrentMonth { nodes { planId planName dataConsumption minutesUsed smsSent } }
    national { openTicketCount walletsByNationalId { nodes { walletId mobileNo currentBalance currency lastModifiedDate } } }
  }
}`;

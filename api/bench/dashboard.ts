/**
 * Comparison a: the customer dashboard as the web app asks for it (GraphQL over HTTP to a server
 * process of its own) against the same reads in one SQL statement through pg, both at the same
 * number of connections.
 */
import pg from "pg";
import type { Database } from "../src/db/cluster.ts";
import { signToken } from "../src/server/jwt.ts";
import { DashboardQuery, type Dashboard } from "../../shared/dashboard-query.ts";
import { compiled } from "../../shared/graphql.ts";
import { persistedDocument } from "../../web/persisted-documents.ts";
import { claimsSql, closedLoop, httpLoad, type LoadResult } from "./measure.ts";
import type { Sample } from "./operations.ts";
import { log } from "./report.ts";
import { startServerProcess } from "./server.ts";

export interface DashboardComparison {
  graphql: LoadResult;
  pg: LoadResult;
  /** GraphQL again, from two server processes on the same cores. */
  graphqlTwoProcesses: LoadResult;
  /** What the probe request answered (the customer's account, not an error). */
  check: string;
}

export interface LoadOptions {
  connections: number;
  durationMs: number;
}

/**
 * The reads of the dashboard query (shared/dashboard-query.ts) in one statement, as PostGraphile
 * compiles that one-field request: row-level security does the filtering.
 */
const DASHBOARD_SQL = `select
  (select row_to_json(account) from telecom.customer_account as account where account.mobile_no = $1) as account,
  (select json_agg(json_build_object('subscription', subscription, 'plan', plan))
   from telecom.subscription as subscription
   inner join telecom.service_plan as plan
     on plan.plan_id = subscription.plan_id
   where subscription.mobile_no = $1) as subscriptions,
  (select json_agg(usage) from telecom.usage_plan_current_month($1) as usage) as usage,
  (select json_agg(wallet) from telecom.wallet as wallet where wallet.national_id = $2) as wallets,
  telecom.ticket_account_customer($2) as open_tickets`;

/** The dashboard over HTTP from a server of `processes` processes: a probe request, then the load. */
async function graphqlDashboard(
  db: Database,
  samples: Sample[],
  { connections, durationMs }: LoadOptions,
  processes: number,
): Promise<{ result: LoadResult; check: string }> {
  const server = await startServerProcess(db, { processes });
  // The text and id the web app's build sends for this document (a trusted document).
  const dashboard = persistedDocument(compiled(DashboardQuery).text);
  try {
    const requests = samples.map((sample) => ({
      body: JSON.stringify({ query: dashboard.text, documentId: dashboard.id, variables: { mobileNo: sample.mobileNo } }),
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${signToken(server.jwtSecret, { role: "telecom_customer", mobile_no: sample.mobileNo, national_id: sample.nationalId })}`,
      },
    }));
    // One request first, to check that the answer is the customer's dashboard (not an error).
    const probe = await fetch(`${server.url}/graphql`, { method: "POST", ...requests[0] });
    const answer = (await probe.json()) as { data?: Dashboard; errors?: Array<{ message: string }> };
    if (answer.errors?.length) throw new Error(`The dashboard query failed: ${answer.errors[0].message}`);
    if (!answer.data?.customerAccount) throw new Error(`The dashboard query found no account ${samples[0].mobileNo}.`);
    const check = `probe: account ${answer.data.customerAccount.mobileNo} with ${answer.data.customerAccount.planSubscriptionsByMobileNo.nodes.length} subscription(s)`;
    log(`a. GraphQL dashboard, ${processes} server process(es): autocannon, ${connections} connections, ${durationMs / 1000} s`);
    let next = 0;
    const result = await httpLoad(`${server.url}/graphql`, connections, { durationMs }, () => requests[next++ % requests.length]);
    return { result, check };
  } finally {
    await server.stop();
  }
}

/** The same reads in one statement through pg, with the claims of each sample as the server sets them. */
async function pgDashboard(db: Database, samples: Sample[], { connections, durationMs }: LoadOptions): Promise<LoadResult> {
  log(`a. the same SQL through pg: ${connections} connections, ${durationMs / 1000} s`);
  const pool = Array.from({ length: connections }, () => new pg.Client({ connectionString: db.urls.authenticator }));
  await Promise.all(pool.map((client) => client.connect()));
  try {
    let sampleIndex = 0;
    return await closedLoop(connections, durationMs, async (worker) => {
      const client = pool[worker];
      const sample = samples[sampleIndex++ % samples.length];
      await client.query(
        `begin; ${claimsSql(client, { role: "telecom_customer", mobile_no: sample.mobileNo, national_id: sample.nationalId })}`,
      );
      try {
        await client.query(DASHBOARD_SQL, [sample.mobileNo, sample.nationalId]);
      } finally {
        await client.query("commit");
      }
    });
  } finally {
    await Promise.all(pool.map((client) => client.end()));
  }
}

/** GraphQL from one server process, the same SQL through pg, then GraphQL from two server processes. */
export async function dashboardComparison(db: Database, samples: Sample[], options: LoadOptions): Promise<DashboardComparison> {
  const graphql = await graphqlDashboard(db, samples, options, 1);
  const pgResult = await pgDashboard(db, samples, options);
  const twoProcesses = await graphqlDashboard(db, samples, options, 2);
  return { graphql: graphql.result, pg: pgResult, graphqlTwoProcesses: twoProcesses.result, check: graphql.check };
}

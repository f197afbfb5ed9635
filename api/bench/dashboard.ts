/**
 * Comparison a: the customer dashboard as the web app asks for it (GraphQL over HTTP to a server
 * process of its own) against the same reads in one SQL statement through pg, both at the same
 * number of connections.
 */
import autocannon from "autocannon";
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import pg from "pg";
import type { Database } from "../src/db/cluster.ts";
import { projectRoot } from "../src/db/migrations.ts";
import { signToken } from "../src/server/jwt.ts";
import { DashboardQuery, type Dashboard } from "../../shared/dashboard-query.ts";
import { compiled } from "../../shared/graphql.ts";
import { persistedDocument } from "../../web/persisted-documents.ts";
import { claimsSql, closedLoop, summarize, type LoadResult } from "./measure.ts";
import type { Sample } from "./operations.ts";
import { log } from "./report.ts";

export interface DashboardComparison {
  graphql: LoadResult;
  pg: LoadResult;
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

async function startServerProcess(db: Database, secret: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "server-process.ts")], {
    cwd: projectRoot,
    env: { ...process.env, BENCH_URLS: JSON.stringify(db.urls), BENCH_JWT_SECRET: secret },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const line = output.split("\n").find((candidate) => candidate.startsWith("{"));
      if (line) resolve(JSON.parse(line).url);
    });
    child.once("exit", (code) => reject(new Error(`The server exited (${code}) before it listened.`)));
  });
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export async function dashboardComparison(
  db: Database,
  samples: Sample[],
  { connections, durationMs }: LoadOptions,
): Promise<DashboardComparison> {
  const secret = crypto.randomBytes(32).toString("hex");
  const server = await startServerProcess(db, secret);
  // The text and id the web app's build sends for this document (a trusted document).
  const dashboard = persistedDocument(compiled(DashboardQuery).text);
  try {
    const bodies = samples.map((sample) => ({
      token: signToken(secret, { role: "telecom_customer", mobile_no: sample.mobileNo, national_id: sample.nationalId }),
      body: JSON.stringify({ query: dashboard.text, documentId: dashboard.id, variables: { mobileNo: sample.mobileNo } }),
    }));
    // One request first, to check that the answer is the customer's dashboard (not an error).
    const probe = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${bodies[0].token}` },
      body: bodies[0].body,
    });
    const answer = (await probe.json()) as { data?: Dashboard; errors?: Array<{ message: string }> };
    if (answer.errors?.length) throw new Error(`The dashboard query failed: ${answer.errors[0].message}`);
    if (!answer.data?.customerAccount) throw new Error(`The dashboard query found no account ${samples[0].mobileNo}.`);
    const check = `probe: account ${answer.data?.customerAccount?.mobileNo} with ${answer.data?.customerAccount?.planSubscriptionsByMobileNo.nodes.length} subscription(s)`;

    let next = 0;
    const latencies: number[] = [];
    let failures = 0;
    log(`a. GraphQL dashboard: autocannon, ${connections} connections, ${durationMs / 1000} s`);
    const instance = autocannon({
      url: `${server.url}/graphql`,
      connections,
      duration: durationMs / 1000,
      requests: [
        {
          method: "POST",
          setupRequest: (request: any) => {
            const { token, body } = bodies[next++ % bodies.length];
            return {
              ...request,
              body,
              headers: { ...request.headers, "content-type": "application/json", authorization: `Bearer ${token}` },
            };
          },
        },
      ],
    });
    instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (statusCode === 200) latencies.push(responseTime);
      else failures++;
    });
    const result = await instance;
    const graphqlResult: LoadResult = {
      ...summarize(latencies),
      perSecond: latencies.length / result.duration,
      errors: failures + result.errors,
    };

    log(`a. the same SQL through pg: ${connections} connections, ${durationMs / 1000} s`);
    const pool = Array.from({ length: connections }, () => new pg.Client({ connectionString: db.urls.authenticator }));
    await Promise.all(pool.map((client) => client.connect()));
    let sampleIndex = 0;
    const pgResult = await closedLoop(connections, durationMs, async (worker) => {
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

    await Promise.all(pool.map((client) => client.end()));
    return { graphql: graphqlResult, pg: pgResult, check };
  } finally {
    await server.stop();
  }
}

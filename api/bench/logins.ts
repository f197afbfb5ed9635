/**
 * The login path: the web app's Login mutation → authenticate(), which checks the password with
 * bcrypt at the cost every stored hash has (password_hash_cost(), at least 10; docs/security.md). The synthetic
 * accounts share one cheap hash (hashing a million would take hours), so the accounts logged in
 * here get a hash at the real cost first.
 */
import { withClient } from "../src/db/client.ts";
import type { Database } from "../src/db/cluster.ts";
import { SYNTHETIC_PASSWORD } from "../src/db/synthetic-data.ts";
import { compiled } from "../../shared/graphql.ts";
import { Login } from "../../shared/login-mutation.ts";
import { persistedDocument } from "../../web/persisted-documents.ts";
import { benchSuperuserUrl } from "./database.ts";
import { httpLoad, msSince, type LoadResult } from "./measure.ts";
import type { Sample } from "./operations.ts";
import { log } from "./report.ts";
import { startServerProcess } from "./server.ts";

/** Logins from one address: the per-address budget lets 4 run at once (limits.ts). */
export const LOGIN_CONNECTIONS = 4;

export interface LoginResult extends LoadResult {
  /** The bcrypt cost of the hashes checked. */
  cost: number;
  /** One bcrypt check in one database session (one core), in milliseconds. */
  bcryptMs: number;
}

/** How many accounts log in (each gets a hash at the real cost, which takes one bcrypt each). */
const ACCOUNTS = 40;
/** bcrypt checks timed in one session. */
const TIMED_CHECKS = 20;

export async function loginThroughput(
  db: Database,
  samples: Sample[],
  { connections, durationMs }: { connections: number; durationMs: number },
): Promise<LoginResult> {
  const accounts = samples.slice(0, ACCOUNTS);
  const { cost, bcryptMs } = await withClient(benchSuperuserUrl(db), async (client) => {
    const cost = (await client.query<{ cost: number }>("select telecom_private.password_hash_cost() as cost")).rows[0].cost;
    log(`f. ${accounts.length} accounts get a password hash at bcrypt cost ${cost}`);
    await client.query(
      "update telecom_private.customer_credential set password_hash = public.crypt($2, public.gen_salt('bf', $3)) where mobile_no = any($1)",
      [accounts.map((sample) => sample.mobileNo), SYNTHETIC_PASSWORD, cost],
    );
    const start = process.hrtime.bigint();
    await client.query(
      `select count(public.crypt($1, credential.password_hash))
       from telecom_private.customer_credential as credential, generate_series(1, $3)
       where credential.mobile_no = $2`,
      [SYNTHETIC_PASSWORD, accounts[0].mobileNo, TIMED_CHECKS],
    );
    return { cost, bcryptMs: msSince(start) / TIMED_CHECKS };
  });
  const server = await startServerProcess(db);
  const login = persistedDocument(compiled(Login).text);
  try {
    const body = (account: Sample) =>
      JSON.stringify({ query: login.text, documentId: login.id, variables: { mobileNo: account.mobileNo, password: SYNTHETIC_PASSWORD } });
    // One login first, to check that it answers a token (not an error).
    const probe = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: body(accounts[0]),
    });
    const answer = (await probe.json()) as { data?: { authenticate?: { jwtToken?: string } }; errors?: Array<{ message: string }> };
    if (!answer.data?.authenticate?.jwtToken) throw new Error(`The login failed: ${answer.errors?.[0]?.message ?? "no token"}`);
    log(`f. logins: the Login mutation, ${connections} connections, ${durationMs / 1000} s`);
    let next = 0;
    const result = await httpLoad(`${server.url}/graphql`, connections, { durationMs }, () => {
      const account = accounts[next++ % accounts.length];
      return {
        body: JSON.stringify({
          query: login.text,
          documentId: login.id,
          variables: { mobileNo: account.mobileNo, password: SYNTHETIC_PASSWORD },
        }),
        headers: { "content-type": "application/json" },
      };
    });
    return { ...result, cost, bcryptMs };
  } finally {
    await server.stop();
  }
}

/**
 * The bill run and collections at the bench's scale (docs/bills.md, docs/performance.md): one
 * `telecom.run_bills()` over every post-paid account of the synthetic data, then one
 * `telecom.run_collections()` over the bills it issued made overdue by 14 days (every step at once, the
 * heaviest run: reminder, overdue and bar, with an SMS each), as the maintenance tick runs them (a
 * trusted session). Both in one transaction that is rolled back, so the bench database stays as
 * seeded. pg_stat_statements (which tracks nested statements in the bench cluster) says which of their
 * statements took the time.
 */
import { withClient } from "../src/db/client.ts";
import type { Database } from "../src/db/cluster.ts";
import { benchSuperuserUrl } from "./database.ts";
import { log } from "./report.ts";

/** One statement of a function, as pg_stat_statements counts it. */
export interface StatementTime {
  query: string;
  ms: number;
  rows: number;
}

export interface BillRunResult {
  customers: number;
  /** The post-paid accounts the run billed (opened before this month). */
  accounts: number;
  bills: number;
  seconds: number;
  billsPerSecond: number;
  /** The statements of run_bills that took the most time. */
  billStatements: StatementTime[];
  collections: { bills: number; steps: number; seconds: number; statements: StatementTime[] };
}

const SLOWEST = `
  select regexp_replace(query, '\\s+', ' ', 'g') as query, round(total_exec_time)::integer as ms, rows::integer as rows
  from public.pg_stat_statements
  where dbid = (select oid from pg_catalog.pg_database where datname = current_database())
    and not toplevel
  order by total_exec_time desc
  limit 6`;

export async function billRun(db: Database, customers: number): Promise<BillRunResult> {
  return withClient(benchSuperuserUrl(db), async (client) => {
    const time = async (statement: string) => {
      const started = performance.now();
      const { rows } = await client.query(statement);
      return { value: Object.values(rows[0])[0] as number, seconds: (performance.now() - started) / 1000 };
    };
    await client.query("begin");
    try {
      const { rows } = await client.query(
        "select count(*)::integer as accounts from telecom_private.accounts_to_bill(date_trunc('month', current_date)::date)",
      );
      log(
        `i. run_bills() at ${customers.toLocaleString("en")} customers: ${rows[0].accounts.toLocaleString("en")} post-paid accounts to bill`,
      );
      await client.query("select public.pg_stat_statements_reset()");
      const bills = await time("select telecom.run_bills() as issued");
      const billStatements = (await client.query<StatementTime>(SLOWEST)).rows;
      log(`i. ${bills.value.toLocaleString("en")} bills in ${bills.seconds.toFixed(1)} s; run_collections() on them, 14 days overdue`);
      // The bills are history a trigger keeps; the bench moves their due date back with triggers off.
      await client.query("set local session_replication_role = replica");
      const { rowCount } = await client.query(
        "update telecom.invoice set due_date = current_date - 14 where issued_on = current_date and status = 'issued'",
      );
      await client.query("set local session_replication_role = origin");
      await client.query("select public.pg_stat_statements_reset()");
      const steps = await time("select telecom.run_collections() as steps");
      const collectionStatements = (await client.query<StatementTime>(SLOWEST)).rows;
      log(
        `i. ${steps.value.toLocaleString("en")} collection steps for ${(rowCount ?? 0).toLocaleString("en")} bills in ${steps.seconds.toFixed(1)} s`,
      );
      return {
        customers,
        accounts: rows[0].accounts,
        bills: bills.value,
        seconds: bills.seconds,
        billsPerSecond: bills.value / bills.seconds,
        billStatements,
        collections: { bills: rowCount ?? 0, steps: steps.value, seconds: steps.seconds, statements: collectionStatements },
      };
    } finally {
      await client.query("rollback");
    }
  });
}

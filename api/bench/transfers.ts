/**
 * Comparison b: wallet transfers (telecom.transfer_to_mobile) against pgbench's TPC-B, both driven
 * by pgbench at the same client count on the same server.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { withDatabase, type Database } from "../src/db/cluster.ts";
import { withClient } from "../src/db/client.ts";
import { benchDatabaseName, benchDir, benchSuperuserUrl } from "./database.ts";
import { findPgbench, pgbenchLoad, prepareTpcb, type PgbenchRun } from "./pgbench.ts";
import { claimsSql, closedLoop, ROUNDS, turnSeconds, type LoadResult } from "./measure.ts";
import { log } from "./report.ts";
import { walByRelation, type RelationWork } from "./wal-parts.ts";

/** Transactions of each side whose WAL is broken down by relation. */
const PARTS_TRANSACTIONS = 500;

/** A pgbench run: its rate and latency, and the work per transaction the server did meanwhile. */
export interface MeasuredPgbenchRun extends PgbenchRun {
  /** WAL written per transaction (pg_current_wal_lsn before and after, commit records included). */
  walBytesPerTx: number;
  /** Shared buffers hit or read per transaction in the run's database (pg_stat_database). */
  buffersPerTx: number;
}

/** A WAL position ("16/B374D848") as a byte offset. */
const lsnBytes = (lsn: string) => {
  const [high, low] = lsn.split("/");
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
};

/** The cluster's WAL position and the database's buffer accesses so far. */
async function workCounters(rootUrl: string, database: string): Promise<{ lsn: string; buffers: number }> {
  return withClient(rootUrl, async (client) => {
    // Statistics reach pg_stat_database when a backend flushes them (at the latest when it exits).
    const { rows } = await client.query<{ lsn: string; buffers: string }>(
      "select pg_current_wal_lsn()::text as lsn, blks_hit + blks_read as buffers from pg_stat_database where datname = $1",
      [database],
    );
    return { lsn: rows[0].lsn, buffers: Number(rows[0].buffers) };
  });
}

/** One pgbench run: transactions, seconds, and the WAL and buffers the server spent meanwhile. */
interface Slice {
  transactions: number;
  seconds: number;
  latencyMs: number;
  walBytes: number;
  buffers: number;
  output: string;
}

async function runSlice(pgbench: string, args: string[], rootUrl: string, database: string): Promise<Slice | string> {
  const before = await workCounters(rootUrl, database);
  const started = process.hrtime.bigint();
  const run = spawnSync(pgbench, args, { encoding: "utf8" });
  if (run.status !== 0) return run.stderr;
  const transactions = Number(/number of transactions actually processed: ([0-9]+)/.exec(run.stdout)?.[1]);
  const tps = Number(/tps = ([0-9.]+)/.exec(run.stdout)?.[1]);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = await workCounters(rootUrl, database);
  return {
    transactions,
    seconds: tps > 0 ? transactions / tps : Number(process.hrtime.bigint() - started) / 1e9,
    latencyMs: Number(/latency average = ([0-9.]+) ms/.exec(run.stdout)?.[1]),
    walBytes: Number(lsnBytes(after.lsn) - lsnBytes(before.lsn)),
    buffers: after.buffers - before.buffers,
    output: run.stdout.trim(),
  };
}

/** The slices of one side added up. */
function total(slices: Slice[]): MeasuredPgbenchRun {
  const transactions = slices.reduce((sum, slice) => sum + slice.transactions, 0);
  const seconds = slices.reduce((sum, slice) => sum + slice.seconds, 0);
  return {
    tps: transactions / seconds,
    latencyMs: slices.reduce((sum, slice) => sum + slice.latencyMs * slice.transactions, 0) / transactions,
    transactions,
    walBytesPerTx: slices.reduce((sum, slice) => sum + slice.walBytes, 0) / transactions,
    buffersPerTx: slices.reduce((sum, slice) => sum + slice.buffers, 0) / transactions,
    output: slices.map((slice) => slice.output).join("\n\n"),
  };
}

/**
 * One transfer per transaction as the API runs it: the claims and role of a random wallet owner,
 * then transfer_to_mobile to another one (the next in the list, so never oneself).
 */
const TRANSFER_SCRIPT = `\\set i random(1, :owners)
\\set j (:i % :owners) + 1
BEGIN;
SELECT set_config('jwt.claims.mobile_no', owner.mobile_no, true), set_config('jwt.claims.national_id', owner.national_id::text, true) FROM bench.wallet_owner AS owner WHERE owner.id = :i;
SET LOCAL ROLE telecom_customer;
SELECT telecom.transfer_to_mobile((SELECT owner.mobile_no FROM bench.wallet_owner AS owner WHERE owner.id = :j), 0.01);
END;
`;

export interface TransferComparison {
  /** transfer_to_mobile driven from Node (pg), as the API's clients would. */
  fromNode: LoadResult;
  /** transfer_to_mobile driven by pgbench with TRANSFER_SCRIPT: the same driver as TPC-B. */
  transfers?: MeasuredPgbenchRun;
  tpcb?: MeasuredPgbenchRun;
  /** The WAL per transaction of each side by relation, after a checkpoint. */
  walParts?: { transfer: RelationWork[]; tpcb: RelationWork[] };
  note?: string;
}

/**
 * Transfers against pgbench's TPC-B, both driven by pgbench at the same client count on the same
 * server, so the ratio compares the database work of a transfer with TPC-B's (a Node load generator
 * would take CPU from the server on this 2-core machine). The Node-driven figure is reported too.
 */
export async function transferComparison(
  db: Database,
  customers: number,
  { clients, durationMs }: { clients: number; durationMs: number },
): Promise<TransferComparison> {
  // Senders and receivers among the customers with a wallet and an active account; amounts of one
  // cent, so balances last.
  const customersPicked = Array.from({ length: 20_000 }, () => Math.floor(Math.random() * customers));
  const rows = await withClient(benchSuperuserUrl(db), async (superuser) => {
    const { rows: owners } = await superuser.query<{ mobile_no: string; national_id: number }>(
      `select distinct wallet.mobile_no, wallet.national_id
       from telecom.wallet
       inner join telecom.customer_account as account
         on account.mobile_no = wallet.mobile_no
       where wallet.mobile_no = any(array(select telecom_private.synthetic_mobile_no(customer) from unnest($1::integer[]) as customer))
         and account.status = 'active'`,
      [customersPicked],
    );
    await superuser.query(`
      drop schema if exists bench cascade;
      create schema bench;
      create table bench.wallet_owner (id integer primary key, mobile_no text not null, national_id integer not null);
      grant usage on schema bench to telecom_authenticator, telecom_customer;
      grant select on bench.wallet_owner to telecom_authenticator, telecom_customer;`);
    await superuser.query(
      "insert into bench.wallet_owner (id, mobile_no, national_id) select row_number() over (), owner.mobile_no, owner.national_id from json_to_recordset($1::json) as owner (mobile_no text, national_id integer)",
      [JSON.stringify(owners)],
    );
    return owners;
  });

  log(`b. transfer_to_mobile from Node: ${clients} clients, ${durationMs / 1000} s`);
  const pool = Array.from({ length: clients }, () => new pg.Client({ connectionString: db.urls.authenticator }));
  await Promise.all(pool.map((client) => client.connect()));
  let firstError: string | undefined;
  const fromNode = await closedLoop(clients, durationMs, async (worker) => {
    const client = pool[worker];
    const from = rows[Math.floor(Math.random() * rows.length)];
    const to = rows[(rows.indexOf(from) + 1) % rows.length];
    await client.query(
      `begin; ${claimsSql(client, { role: "telecom_customer", mobile_no: from.mobile_no, national_id: from.national_id })}`,
    );
    try {
      await client.query("select telecom.transfer_to_mobile($1, 0.01)", [to.mobile_no]);
      await client.query("commit");
    } catch (error) {
      firstError ??= error instanceof Error ? error.message : String(error);
      await client.query("rollback");
      throw error;
    }
  });
  await Promise.all(pool.map((client) => client.end()));
  if (firstError) log(`   first transfer error: ${firstError}`);

  const pgbench = findPgbench();
  if (!pgbench) return { fromNode, note: "pgbench not found: apt-get install postgresql-15 (Debian), which installs it" };
  const script = path.join(benchDir, "transfer.pgbench");
  fs.writeFileSync(script, TRANSFER_SCRIPT);
  log("b. pgbench -i -s 10 (the TPC-B database)");
  const url = await prepareTpcb(db, pgbench);
  if (typeof url !== "string") return { fromNode, note: url.error };
  // Both sides start after one checkpoint (each pays the same way for the first change of a page
  // since then: a full-page image in the WAL), then take turns, so that a change of the machine's
  // load falls on both alike.
  await withClient(db.urls.root!, (root) => root.query("checkpoint"));
  const seconds = turnSeconds(durationMs);
  const load = pgbenchLoad(clients, seconds * 1000);
  const transferArgs = ["-n", ...load, "-D", `owners=${rows.length}`, "-f", script, db.urls.authenticator];
  const tpcbArgs = [...load, url];
  const transferSlices: Slice[] = [];
  const tpcbSlices: Slice[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    log(
      `b. round ${round}/${ROUNDS}: transfer_to_mobile, then TPC-B, driven by pgbench: ${clients} clients, ${seconds} s each (${pgbench})`,
    );
    const transfer = await runSlice(pgbench, transferArgs, db.urls.root!, benchDatabaseName);
    if (typeof transfer === "string") return { fromNode, note: `pgbench with the transfer script failed: ${transfer}` };
    transferSlices.push(transfer);
    const tpcb = await runSlice(pgbench, tpcbArgs, db.urls.root!, "bench_pgbench");
    if (typeof tpcb === "string") return { fromNode, note: `pgbench TPC-B failed: ${tpcb}` };
    tpcbSlices.push(tpcb);
  }
  log(`b. WAL by relation: ${PARTS_TRANSACTIONS} transactions of each side, one client, each after a checkpoint (pg_walinspect)`);
  const oneClient = (args: string[]) => () => void spawnSync(pgbench, args, { encoding: "utf8" });
  const walParts = {
    transfer: await walByRelation(
      benchSuperuserUrl(db),
      PARTS_TRANSACTIONS,
      oneClient(["-n", "-c", "1", "-t", String(PARTS_TRANSACTIONS), "-D", `owners=${rows.length}`, "-f", script, db.urls.authenticator]),
    ),
    tpcb: await walByRelation(url, PARTS_TRANSACTIONS, oneClient(["-c", "1", "-t", String(PARTS_TRANSACTIONS), url])),
  };
  return { fromNode, transfers: total(transferSlices), tpcb: total(tpcbSlices), walParts };
}

/**
 * `npm run bench:usage`: usage rating on the bench's own cluster (.data/bench/), rebuilt from the
 * migrations and seeded with synthetic customers whose active plans are paid until a spread of days
 * around today. Not a timed test: it prints both sides of each comparison and their ratio.
 *
 *   a. bulk: `usage:load` of a CSV file of events over the seeded accounts, on one connection and
 *      on several, against a plain COPY of the same file into an unindexed table, against the
 *      writes alone (the stored rows inserted again into empty copies of their tables), and
 *      against record_usage called once per event (10,000 other events): events/s, ratios, WAL;
 *   b. single: record_usage as the network calls it (one event per transaction), driven by pgbench
 *      with a custom script, against pgbench's TPC-B on the same server with the same clients
 *      (transactions/s, ratio, WAL per transaction).
 *
 *   npm run bench:usage -- --customers 20000 --events 200000 --connections 2 --clients 4 --duration 10
 *   npm run bench:usage -- --reuse        keep the seeded accounts of the last run (no rebuild)
 */
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { commandLine, positiveOption } from "../src/cli/args.ts";
import type { Database } from "../src/db/cluster.ts";
import { withClient } from "../src/db/client.ts";
import { loadUsageFile } from "../src/usage/bulk-load.ts";
import { progressBar } from "../src/progress.ts";
import { benchDir, benchSuperuserUrl, openBenchDatabase, rebuildBenchDatabase } from "./database.ts";
import { seedBench, SYNTHETIC_NUMBERS, syntheticAccounts } from "./seed.ts";
import { findPgbench, pgbenchLoad, prepareTpcb, runPgbench, type PgbenchRun } from "./pgbench.ts";

const USAGE = "npm run bench:usage -- [--customers N] [--events N] [--connections N] [--clients N] [--duration SECONDS] [--reuse]";
const { values } = commandLine(USAGE, {
  options: {
    customers: { type: "string" },
    events: { type: "string" },
    clients: { type: "string" },
    duration: { type: "string" },
    connections: { type: "string" },
    reuse: { type: "boolean", default: false },
  },
});
const customers = positiveOption(USAGE, "customers", values.customers, 20_000, true);
const events = positiveOption(USAGE, "events", values.events, 200_000, true);
/** Events rated through record_usage one by one, as usage:load did before it rated set-based. */
const singlyRated = 10_000;
const clients = positiveOption(USAGE, "clients", values.clients, 4, true);
/** Connections of the second bulk load (the first rates on one). */
const connections = positiveOption(USAGE, "connections", values.connections, 2, true);
const durationMs = positiveOption(USAGE, "duration", values.duration, 10) * 1000;
const reuse = values.reuse;

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const rate = (count: number, ms: number) => Math.round(count / (ms / 1000)).toLocaleString("en");

/** Bytes of WAL the server writes while `work` runs (the bench cluster has no other users). */
async function walBytes(client: pg.Client, work: () => Promise<unknown>): Promise<number> {
  const before = (await client.query<{ lsn: string }>("select pg_current_wal_lsn()::text as lsn")).rows[0].lsn;
  await work();
  const { rows } = await client.query<{ bytes: string }>("select pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::bigint as bytes", [before]);
  return Number(rows[0].bytes);
}

/**
 * A day's file from the mediation system: `count` events of the last 24 hours, each on a random
 * seeded account, kinds and sizes as a phone uses them (many small data sessions, calls of a few
 * minutes, single messages).
 */
function writeEventFile(file: string, mobileNos: string[], count: number): void {
  const now = Date.now();
  const out = fs.openSync(file, "w");
  let lines = ["event_id,mobile_no,kind,quantity,occurred_at"];
  for (let n = 0; n < count; n += 1) {
    const draw = Math.random();
    const kind = draw < 0.5 ? "data" : draw < 0.8 ? "voice" : "sms";
    const quantity =
      kind === "data" ? (Math.random() * 60 + 0.1).toFixed(1) : kind === "voice" ? (Math.random() * 8 + 0.05).toFixed(2) : "1";
    const at = new Date(now - 60_000 - Math.floor(Math.random() * 86_400_000)).toISOString();
    lines.push(`${crypto.randomUUID()},${mobileNos[Math.floor(Math.random() * mobileNos.length)]},${kind},${quantity},${at}`);
    if (lines.length === 10_000) {
      fs.writeSync(out, lines.join("\n") + "\n");
      lines = [];
    }
  }
  fs.writeSync(out, lines.length ? lines.join("\n") + "\n" : "");
  fs.closeSync(out);
}

/** The accounts of the seeded customers, with their active plans paid until today − 10 … today + 30. */
async function prepareAccounts(db: Database): Promise<string[]> {
  if (!reuse || (await syntheticAccounts(db)) === 0) {
    log("rebuilding the bench database from the migrations");
    await rebuildBenchDatabase(db);
    const seeded = await seedBench(db, customers);
    log(`seeded ${seeded.customers.toLocaleString("en")} customers, ${seeded.accounts.toLocaleString("en")} accounts`);
  }
  return withClient(benchSuperuserUrl(db), async (superuser) => {
    // A fresh spread of payment dates each run (a rerun with --reuse has used some allowances).
    await superuser.query(
      "update telecom.subscription set paid_until = current_date - 10 + floor(random() * 41)::integer where status = 'active'",
    );
    await superuser.query("vacuum analyze");
    const { rows } = await superuser.query<{ mobile_no: string }>(
      // Accounts opened before the file's day: usage cannot start before its account (TC012).
      `select mobile_no from telecom.customer_account where mobile_no like ${SYNTHETIC_NUMBERS} and start_date < current_date - 1 order by mobile_no`,
    );
    return rows.map((row) => row.mobile_no);
  });
}

/** One measured usage:load of a fresh file: its result and the WAL it wrote. */
interface MeasuredLoad {
  connections: number;
  result: Awaited<ReturnType<typeof loadUsageFile>>;
  wal: number;
}

/**
 * a. usage:load against a plain COPY of the same file, on one connection and on `--connections`
 * (each a new file of the same size), and against the writes alone: the rows the last load stored,
 * inserted again into empty copies of usage_event_key, usage_event and usage_allocation with the
 * same keys and indexes (no foreign keys, no partitions, no rating), which no rating can undercut.
 * First an unmeasured file of 2,000 events and `analyze`: the usage tables of a freshly seeded
 * database are analyzed empty, and the planner then checks the foreign keys to them by sequential
 * scans (a first load on a new system is slow so).
 */
async function bulkComparison(db: Database, mobileNos: string[]): Promise<void> {
  const file = path.join(benchDir, "usage-events.csv");
  try {
    await withClient(benchSuperuserUrl(db), async (client) => {
      writeEventFile(file, mobileNos, 2_000);
      await loadUsageFile(db.urls.owner, file);
      await client.query(
        "analyze telecom_private.usage_event_key, telecom.usage_event, telecom.usage_allocation, telecom.plan_usage, telecom.usage_alert, telecom.customer_account",
      );
      await client.query("create schema if not exists bench_floor");
      await client.query(
        "create table if not exists bench_floor.copy (event_id uuid, mobile_no text, kind text, quantity numeric, occurred_at timestamptz)",
      );
      const copyFile = () =>
        pipeline(fs.createReadStream(file), client.query(copyFrom("copy bench_floor.copy from stdin with (format csv, header true)")));

      // The former path, for comparison: record_usage once per event in occurred_at order.
      writeEventFile(file, mobileNos, singlyRated);
      await client.query("truncate bench_floor.copy");
      await copyFile();
      const singlyStarted = Date.now();
      await client.query(
        `select count(telecom.record_usage(event.event_id, event.mobile_no, event.kind::telecom.usage_kind, event.quantity, event.occurred_at))
       from (select * from bench_floor.copy order by occurred_at) as event`,
      );
      const singlyMs = Date.now() - singlyStarted;

      const loads: MeasuredLoad[] = [];
      for (const loadConnections of [1, connections]) {
        writeEventFile(file, mobileNos, events);
        await client.query("checkpoint");
        let lastLine = 0;
        let result: MeasuredLoad["result"] | undefined;
        const wal = await walBytes(client, async () => {
          result = await loadUsageFile(db.urls.owner, file, {
            connections: loadConnections,
            onProgress: (progress) => {
              if (Date.now() - lastLine < 2000 && progress.rated < progress.total) return;
              lastLine = Date.now();
              log(
                progressBar(`Rating on ${loadConnections}`, {
                  done: progress.rated,
                  total: progress.total,
                  unit: "events",
                  elapsedMs: progress.elapsedMs,
                }),
              );
            },
          });
        });
        if (result) loads.push({ connections: loadConnections, result, wal });
      }

      // The last file, copied plainly; then its stored rows again, into empty tables like the real ones.
      await client.query("truncate bench_floor.copy");
      await client.query("checkpoint");
      let copyMs = 0;
      const copyWal = await walBytes(client, async () => {
        const started = Date.now();
        await copyFile();
        copyMs = Date.now() - started;
      });
      await client.query(`
        drop table if exists bench_floor.usage_event_key, bench_floor.usage_event, bench_floor.usage_allocation, bench_floor.event, bench_floor.allocation;
        create table bench_floor.event as select event.* from telecom.usage_event as event inner join bench_floor.copy using (event_id);
        create table bench_floor.allocation as select allocation.* from telecom.usage_allocation as allocation inner join bench_floor.copy using (event_id);
        create table bench_floor.usage_event_key (like telecom_private.usage_event_key including all);
        create table bench_floor.usage_event (like telecom.usage_event including all);
        create table bench_floor.usage_allocation (like telecom.usage_allocation including all);`);
      await client.query("vacuum analyze bench_floor.event, bench_floor.allocation");
      let floorMs = 0;
      const floorWal = await walBytes(client, async () => {
        const started = Date.now();
        await client.query(`
          begin;
          insert into bench_floor.usage_event_key select event.event_id, event.occurred_at from bench_floor.event as event;
          insert into bench_floor.usage_event select * from bench_floor.event;
          insert into bench_floor.usage_allocation select * from bench_floor.allocation;
          commit;`);
        floorMs = Date.now() - started;
      });
      await client.query("drop schema bench_floor cascade");

      const copyRate = events / (copyMs / 1000);
      const floorRate = events / (floorMs / 1000);
      console.log(`\na. ${events.toLocaleString("en")} events of one day over ${mobileNos.length.toLocaleString("en")} accounts`);
      console.log(
        `   plain COPY into an unindexed table      ${rate(events, copyMs).padStart(9)} events/s  (${copyMs} ms, ${Math.round(copyWal / events)} B of WAL per event)`,
      );
      console.log(
        `   the writes alone (rows, keys, indexes)  ${rate(events, floorMs).padStart(9)} events/s  (${floorMs} ms, ${Math.round(floorWal / events)} B of WAL per event; ${(floorRate / copyRate).toFixed(3)} × the plain COPY)`,
      );
      for (const { connections: used, result, wal } of loads) {
        const bulkRate = result.rated / (result.elapsedMs / 1000);
        console.log(
          `   usage:load on ${String(used).padEnd(2)} connection${used === 1 ? " " : "s"}         ${rate(result.rated, result.elapsedMs).padStart(9)} events/s  ` +
            `(${result.elapsedMs} ms: copy ${result.copyMs}, checks ${result.checkMs}, rating ${result.rateMs}; ${Math.round(wal / events)} B of WAL per event; ` +
            `${(bulkRate / copyRate).toFixed(3)} × the plain COPY, ${(bulkRate / floorRate).toFixed(2)} × the writes alone)`,
        );
      }
      const [one, many] = loads;
      if (one && many && many.connections > 1) {
        console.log(
          `   ${many.connections} connections rate ${(one.result.rateMs / many.result.rateMs).toFixed(2)} × as fast as one (targets: ≥ 100,000 events/s and ≥ 0.3 × the plain COPY)`,
        );
      }
      const last = loads.at(-1)?.result;
      if (!last) return;
      console.log(
        `   record_usage once per event (${singlyRated.toLocaleString("en")} other events, one statement)  ${rate(singlyRated, singlyMs)} events/s: ` +
          `usage:load rates ${(last.rated / (last.elapsedMs / 1000) / (singlyRated / (singlyMs / 1000))).toFixed(1)} × as fast`,
      );
      console.log(
        `   outcomes of the last file: ${last.in_allowance} in allowance, ${last.charged} charged, ${last.refused} refused; ` +
          `${last.oneByOne} rated one by one (balance running short); ${last.duplicates} duplicates, ${last.invalid} invalid`,
      );
    });
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** One event per transaction, as the network sends them: a random active account, a few MB. */
const RECORD_USAGE_SCRIPT = `\\set i random(1, :accounts)
\\set q random(1, 20)
BEGIN;
SET LOCAL ROLE telecom_network;
SELECT telecom.record_usage(gen_random_uuid(), (SELECT account.mobile_no FROM bench.usage_account AS account WHERE account.id = :i), 'data', :q, now() - interval '1 minute');
END;
`;

/** b. record_usage against TPC-B, both driven by pgbench. */
async function singleComparison(db: Database): Promise<void> {
  const pgbench = findPgbench();
  if (!pgbench) {
    console.log("\nb. pgbench not found: apt-get install postgresql-15 (Debian), which installs it");
    return;
  }
  await withClient(benchSuperuserUrl(db), async (superuser) => {
    await superuser.query(`
      drop schema if exists bench cascade;
      create schema bench;
      create table bench.usage_account (id integer primary key, mobile_no text not null);
      insert into bench.usage_account (id, mobile_no)
      select row_number() over (order by account.mobile_no), account.mobile_no
      from telecom.customer_account as account
      where account.status = 'active' and account.account_type = 'post_paid' and account.mobile_no like ${SYNTHETIC_NUMBERS};
      grant usage on schema bench to telecom_authenticator, telecom_network;
      grant select on bench.usage_account to telecom_authenticator, telecom_network;`);
    const accounts = (await superuser.query<{ count: number }>("select count(*)::int from bench.usage_account")).rows[0].count;
    const script = path.join(benchDir, "record-usage.pgbench");
    fs.writeFileSync(script, RECORD_USAGE_SCRIPT);
    log(`b. record_usage driven by pgbench: ${clients} clients, ${durationMs / 1000} s, ${accounts} post-paid accounts`);
    let single: PgbenchRun | { error: string } = { error: "not run" };
    const singleWal = await walBytes(superuser, async () => {
      single = runPgbench(pgbench, [
        "-n",
        ...pgbenchLoad(clients, durationMs),
        "-D",
        `accounts=${accounts}`,
        "-f",
        script,
        db.urls.authenticator,
      ]);
    });
    log(`b. pgbench -i -s 10, then TPC-B with ${clients} clients, ${durationMs / 1000} s`);
    const tpcbUrl = await prepareTpcb(db, pgbench);
    let tpcb: PgbenchRun | { error: string } = typeof tpcbUrl === "string" ? { error: "not run" } : tpcbUrl;
    const tpcbWal = await walBytes(superuser, async () => {
      if (typeof tpcbUrl === "string") tpcb = runPgbench(pgbench, [...pgbenchLoad(clients, durationMs), tpcbUrl]);
    });
    const done = (run: PgbenchRun | { error: string }): run is PgbenchRun => !("error" in run);
    console.log(`\nb. single events, ${clients} clients, ${durationMs / 1000} s each, driven by pgbench`);
    for (const [label, run, wal] of [
      ["record_usage (one event per transaction)", single, singleWal],
      ["pgbench TPC-B (scale 10)", tpcb, tpcbWal],
    ] as const) {
      console.log(
        done(run)
          ? `   ${label.padEnd(42)} ${run.tps.toFixed(0).padStart(7)} tps  ${run.latencyMs.toFixed(2)} ms  ${Math.round(wal / run.transactions)} B of WAL per transaction`
          : `   ${label}: ${run.error}`,
      );
    }
    if (done(single) && done(tpcb)) console.log(`   ratio ${(single.tps / tpcb.tps).toFixed(3)} × TPC-B (target ≥ 0.5 ×)`);
  });
}

const db = await openBenchDatabase();
try {
  const mobileNos = await prepareAccounts(db);
  await bulkComparison(db, mobileNos);
  await singleComparison(db);
} finally {
  await db.stop();
}

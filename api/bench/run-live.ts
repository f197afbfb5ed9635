/**
 * `npm run bench:live`: usage in real time, from the record_usage commit to the balance painted in
 * customers' dashboards (live.ts), on the bench's own cluster (.data/bench/), rebuilt from the
 * migrations and seeded with synthetic customers. Prints a table and writes .data/bench/live-results.json.
 * `npm run bench -- --only h` measures the same at the bench's largest scale.
 *
 *   npm run bench:live -- --customers 10 --tabs 2 --events 300 --per-second 10 --background 50
 *   npm run bench:live -- --seed 2000 --reuse      synthetic customers seeded; --reuse keeps the last run's
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { commandLine, positiveOption } from "../src/cli/args.ts";
import { projectRoot } from "../src/paths.ts";
import { benchDir, openBenchDatabase, rebuildBenchDatabase } from "./database.ts";
import { LIVE_DEFAULTS, liveLatency } from "./live.ts";
import { log, printLive } from "./report.ts";
import { seedBench, syntheticAccounts } from "./seed.ts";

const USAGE = "npm run bench:live -- [--customers N] [--tabs N] [--events N] [--per-second N] [--background N] [--seed N] [--reuse]";

const { values } = commandLine(USAGE, {
  options: {
    customers: { type: "string" },
    tabs: { type: "string" },
    events: { type: "string" },
    "per-second": { type: "string" },
    background: { type: "string" },
    seed: { type: "string" },
    reuse: { type: "boolean", default: false },
  },
});
const options = {
  customers: positiveOption(USAGE, "customers", values.customers, LIVE_DEFAULTS.customers, true),
  tabs: positiveOption(USAGE, "tabs", values.tabs, LIVE_DEFAULTS.tabs, true),
  events: positiveOption(USAGE, "events", values.events, LIVE_DEFAULTS.events, true),
  perSecond: positiveOption(USAGE, "per-second", values["per-second"], LIVE_DEFAULTS.perSecond),
  backgroundPerSecond:
    values.background === "0" ? 0 : positiveOption(USAGE, "background", values.background, LIVE_DEFAULTS.backgroundPerSecond),
};
const seeded = positiveOption(USAGE, "seed", values.seed, 2000, true);

const db = await openBenchDatabase();
try {
  if (!values.reuse || (await syntheticAccounts(db)) === 0) {
    log("rebuilding the bench database from the migrations");
    await rebuildBenchDatabase(db);
    await seedBench(db, seeded);
  }
  const results = { at: new Date().toISOString(), loadAverageAtStart: os.loadavg(), ...(await liveLatency(db, options)) };
  printLive(results);
  const resultsFile = path.join(benchDir, "live-results.json");
  fs.writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  log(`results written to ${path.relative(projectRoot, resultsFile)}`);
} finally {
  await db.stop();
}

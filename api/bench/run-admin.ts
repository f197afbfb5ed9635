/**
 * `npm run bench:admin [-- --runs 20 --browser-runs 5]`: the admin bench (admin.ts) alone, on the
 * bench database as it is (seed it first, e.g. `npm run bench -- --seed-only 1000000`); prints its
 * tables and writes .data/bench/bench-admin-results.json; with `--save` it also adds the run to
 * docs/bench-results.json and rewrites the tables of docs/performance.md.
 */
import path from "node:path";
import { commandLine, positiveOption } from "../src/cli/args.ts";
import { withClient } from "../src/db/client.ts";
import { projectRoot } from "../src/paths.ts";
import { benchAdmin, writeAdminResults } from "./admin.ts";
import { benchSuperuserUrl, openBenchDatabase } from "./database.ts";
import { saveRuns } from "./performance-doc.ts";
import { adminTables, log } from "./report.ts";
import { adminRun, commandOf, machineOf } from "./saved-results.ts";

const USAGE = "npm run bench:admin [-- --runs N --browser-runs N --save]";
const { values } = commandLine(USAGE, {
  options: { runs: { type: "string" }, "browser-runs": { type: "string" }, save: { type: "boolean", default: false } },
});
const runs = positiveOption(USAGE, "runs", values.runs, 20, true);
const browserRuns = positiveOption(USAGE, "browser-runs", values["browser-runs"], 5, true);

const db = await openBenchDatabase();
try {
  const { customers, postgres } = await withClient(benchSuperuserUrl(db), async (client) => {
    const { rows } = await client.query<{ customers: number; postgres: string }>(
      "select case when to_regclass('telecom.customer_profile') is null then 0 else (select count(*)::integer from telecom.customer_profile) end as customers, version() as postgres",
    );
    return rows[0];
  });
  if (customers === 0) {
    console.error("The bench database holds no customers: seed it first, e.g. `npm run bench -- --seed-only 1000000`.");
    process.exitCode = 1;
  } else {
    log(`admin bench on the bench database as it is: ${customers.toLocaleString("en")} customers`);
    const machine = machineOf(postgres);
    const results = await benchAdmin(db, customers, { runs, browserRuns, log });
    console.log(adminTables(results));
    log(`results written to ${path.relative(projectRoot, writeAdminResults(results))}`);
    if (values.save) {
      saveRuns(adminRun(results, machine, commandOf("bench:admin")));
      log("run added to docs/bench-results.json, docs/performance.md rewritten");
    }
  }
} finally {
  await db.stop();
}

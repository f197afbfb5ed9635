/**
 * `npm run bench:admin [-- --runs 20 --browser-runs 5]`: the admin bench (admin.ts) alone, on the
 * bench database as it is (seed it first, e.g. `npm run bench -- --seed-only 1000000`); prints its
 * tables and writes .data/bench/bench-admin-results.json.
 */
import path from "node:path";
import { commandLine, positiveOption } from "../src/cli/args.ts";
import { withClient } from "../src/db/client.ts";
import { projectRoot } from "../src/paths.ts";
import { benchAdmin, writeAdminResults } from "./admin.ts";
import { benchSuperuserUrl, openBenchDatabase } from "./database.ts";
import { adminTables, log } from "./report.ts";

const USAGE = "npm run bench:admin [-- --runs N --browser-runs N]";
const { values } = commandLine(USAGE, { options: { runs: { type: "string" }, "browser-runs": { type: "string" } } });
const runs = positiveOption(USAGE, "runs", values.runs, 20, true);
const browserRuns = positiveOption(USAGE, "browser-runs", values["browser-runs"], 5, true);

const db = await openBenchDatabase();
try {
  const customers = await withClient(benchSuperuserUrl(db), async (client) => {
    const { rows } = await client.query<{ customers: number }>(
      "select case when to_regclass('telecom.customer_profile') is null then 0 else (select count(*)::integer from telecom.customer_profile) end as customers",
    );
    return rows[0].customers;
  });
  if (customers === 0) {
    console.error("The bench database holds no customers: seed it first, e.g. `npm run bench -- --seed-only 1000000`.");
    process.exitCode = 1;
  } else {
    log(`admin bench on the bench database as it is: ${customers.toLocaleString("en")} customers`);
    const results = await benchAdmin(db, customers, { runs, browserRuns, log });
    console.log(adminTables(results));
    log(`results written to ${path.relative(projectRoot, writeAdminResults(results))}`);
  }
} finally {
  await db.stop();
}

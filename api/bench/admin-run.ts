/**
 * `npm run bench:admin [-- --runs 20 --browser-runs 5]`: the admin bench (admin.ts) alone, on the
 * bench database as it is (seed it first, e.g. `npm run bench -- --seed-only 1000000`); prints its
 * tables and writes .data/bench/bench-admin-results.json.
 */
import path from "node:path";
import pg from "pg";
import { projectRoot } from "../src/db/migrations.ts";
import { adminTables, benchAdmin, writeAdminResults } from "./admin.ts";
import { benchSuperuserUrl, openBenchDatabase } from "./database.ts";

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

const db = await openBenchDatabase();
try {
  const client = new pg.Client({ connectionString: benchSuperuserUrl(db) });
  await client.connect();
  const { rows } = await client.query<{ customers: number }>(
    "select case when to_regclass('telecom.customer_profile') is null then 0 else (select count(*)::integer from telecom.customer_profile) end as customers",
  );
  await client.end();
  const [{ customers }] = rows;
  if (customers === 0) {
    console.error("The bench database holds no customers: seed it first, e.g. `npm run bench -- --seed-only 1000000`.");
    process.exitCode = 1;
  } else {
    log(`admin bench on the bench database as it is: ${customers.toLocaleString("en")} customers`);
    const results = await benchAdmin(db, customers, { runs: argument("runs", 20), browserRuns: argument("browser-runs", 5), log });
    console.log(adminTables(results));
    log(`results written to ${path.relative(projectRoot, writeAdminResults(results))}`);
  }
} finally {
  await db.stop();
}

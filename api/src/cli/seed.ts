/**
 * `npm run db:seed`: loads the sample data into an empty database.
 * `npm run db:seed -- --customers N [--jobs J]`: adds N synthetic customers (api/src/db/synthetic-data.ts).
 * Either way only into a development database: a production one is refused before anything is written.
 */
import { withClient } from "../db/client.ts";
import { withDatabase } from "../db/cluster.ts";
import { assertDevelopmentDatabase } from "../db/database-kind.ts";
import { loadSampleData } from "../db/sample-data.ts";
import { generateSyntheticData, progressLine } from "../db/synthetic-data.ts";
import { progressPrinter } from "../progress.ts";
import { commandLine, positiveOption } from "./args.ts";
import { withProjectDatabase } from "./project-database.ts";

const USAGE = "npm run db:seed [-- --customers N [--jobs J]]";
const { values } = commandLine(USAGE, { options: { customers: { type: "string" }, jobs: { type: "string" } } });
const customers = positiveOption(USAGE, "customers", values.customers, undefined, true);
const jobs = positiveOption(USAGE, "jobs", values.jobs, undefined, true);

async function accountCount(url: string): Promise<number> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ count: string }>("select count(*) from telecom.customer_account");
    return Number(rows[0].count);
  });
}

await withProjectDatabase("seed", async (db) => {
  await assertDevelopmentDatabase(
    db.urls.owner,
    customers === undefined ? "load the sample data and its demo logins into" : "add synthetic customers to",
  );
  if (customers === undefined) {
    if ((await accountCount(db.urls.owner)) > 0) {
      throw new Error("telecom.customer_account already has rows: run `npm run db:clear -- --yes` first.");
    }
    await loadSampleData(db.urls.owner);
    console.log("Sample data loaded.");
    return;
  }
  const printer = progressPrinter();
  // With a superuser connection (the embedded cluster, or ROOT_DATABASE_URL) the chunks run with
  // triggers off and write the journal themselves; see generateSyntheticData.
  const database = new URL(db.urls.owner).pathname.slice(1);
  const result = await generateSyntheticData(db.urls.owner, {
    customers,
    superuserUrl: db.urls.root ? withDatabase(db.urls.root, database) : undefined,
    jobs,
    onStep: (message) => printer.step(message),
    onProgress: (progress) => printer.show(progressLine("Seeding", progress), progress.customersDone === progress.customers),
  });
  printer.end();
  const seconds = result.elapsedMs / 1000;
  console.log(
    `Seeded ${result.customers.toLocaleString("en")} customers, ${result.accounts.toLocaleString("en")} accounts, ` +
      `${result.rows.toLocaleString("en")} rows in ${seconds.toFixed(1)} s (${Math.round(result.rows / seconds).toLocaleString("en")} rows/s, analyze included)` +
      (result.backendCpuSeconds === undefined ? "." : `; the database spent ${result.backendCpuSeconds.toFixed(1)} CPU seconds on it.`),
  );
  for (const [table, rows] of Object.entries(result.rowsPerTable))
    console.log(`  ${table.padEnd(26)} ${rows.toLocaleString("en").padStart(12)}`);
});

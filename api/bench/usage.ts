/**
 * `npm run bench:usage [-- --events N]`: bulk rating (`usage:load`) against a plain COPY of the same
 * file into an unindexed table, on the bench's own cluster (rebuilt from the migrations with the
 * sample data). Not a timed test: it prints events/s for both and their ratio.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { loadSampleData } from "../src/db/sample-data.ts";
import { loadUsageFile } from "../src/usage/bulk-load.ts";
import { resetDatabase } from "../src/db/migrations.ts";
import { openBenchDatabase } from "./database.ts";

const index = process.argv.indexOf("--events");
const events = index > 0 ? Number(process.argv[index + 1]) : 20_000;

const db = await openBenchDatabase();
const file = path.join(os.tmpdir(), `telecom-bench-usage-${process.pid}.csv`);
try {
  process.stdout.write("Rebuilding the bench database with the sample data… ");
  await resetDatabase(db.urls);
  await loadSampleData(db.urls.owner);
  console.log("done.");
  const client = new pg.Client({ connectionString: db.urls.owner });
  await client.connect();
  const { rows } = await client.query<{ mobile_no: string }>("select mobile_no from telecom.customer_account order by mobile_no");
  const lines = ["event_id,mobile_no,kind,quantity,occurred_at"];
  const now = Date.now();
  for (let n = 0; n < events; n += 1) {
    const kind = ["data", "voice", "sms"][n % 3];
    const quantity = kind === "data" ? ((n % 50) + 0.5).toFixed(1) : kind === "voice" ? ((n % 7) + 0.25).toFixed(2) : "1";
    const at = new Date(now - 60_000 - ((n * 7919) % (6 * 86_400_000))).toISOString();
    lines.push(`${crypto.randomUUID()},${rows[n % rows.length].mobile_no},${kind},${quantity},${at}`);
  }
  fs.writeFileSync(file, lines.join("\n") + "\n");

  await client.query(
    "create table if not exists telecom_private.bench_usage_copy (event_id uuid, mobile_no text, kind text, quantity numeric, occurred_at timestamptz)",
  );
  await client.query("truncate telecom_private.bench_usage_copy");
  const copyStarted = Date.now();
  await pipeline(
    fs.createReadStream(file),
    client.query(copyFrom("copy telecom_private.bench_usage_copy from stdin with (format csv, header true)")),
  );
  const copyMs = Date.now() - copyStarted;
  await client.query("drop table telecom_private.bench_usage_copy");
  await client.end();

  const result = await loadUsageFile(db.urls.owner, file);
  const copyRate = events / (copyMs / 1000);
  const bulkRate = result.rated / (result.elapsedMs / 1000);
  console.log(`${events.toLocaleString("en")} events over ${rows.length} accounts:`);
  console.log(`  plain COPY into an unindexed table  ${Math.round(copyRate).toLocaleString("en").padStart(10)} events/s`);
  console.log(
    `  usage:load (copy ${result.copyMs} ms, checks ${result.checkMs} ms, rating ${result.rateMs} ms)  ${Math.round(bulkRate).toLocaleString("en").padStart(10)} events/s, ` +
      `${(bulkRate / copyRate).toFixed(3)} × the plain COPY`,
  );
  console.log(
    `  outcomes: ${result.in_allowance} in allowance, ${result.charged} charged, ${result.refused} refused, ${result.duplicates} duplicates, ${result.invalid} invalid`,
  );
} finally {
  fs.rmSync(file, { force: true });
  await db.stop();
}

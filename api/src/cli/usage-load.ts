/**
 * `npm run usage:load -- FILE.csv`: rates a file of usage events in bulk (docs/usage.md) as a trusted
 * session (the owner): CSV columns event_id, mobile_no, kind, quantity, occurred_at, an optional
 * header line. Invalid lines (TC4xx) are reported and store nothing; re-running a file adds nothing.
 * Options: `--chunk N` events per transaction, in whole accounts (default 20000); `--connections N`
 * connections rating chunks at once (default 2; at most the database server's cores pays).
 */
import fs from "node:fs";
import { progressBar, progressPrinter } from "../progress.ts";
import { loadUsageFile } from "../usage/bulk-load.ts";
import { commandLine, positiveOption, usageError } from "./args.ts";
import { withProjectDatabase } from "./project-database.ts";

const USAGE = "npm run usage:load -- FILE.csv [--chunk N] [--connections N]  (columns event_id, mobile_no, kind, quantity, occurred_at)";
const { values, positionals } = commandLine(USAGE, {
  allowPositionals: true,
  options: { chunk: { type: "string" }, connections: { type: "string" } },
});
const chunkSize = positiveOption(USAGE, "chunk", values.chunk, undefined, true);
const connections = positiveOption(USAGE, "connections", values.connections, undefined, true);
const [file] = positionals;
if (positionals.length !== 1 || !fs.existsSync(file)) usageError(USAGE, file ? `No file ${file}.` : "Name one CSV file.");

await withProjectDatabase("usage-load", async (db) => {
  const printer = progressPrinter();
  const result = await loadUsageFile(db.urls.owner, file, {
    chunkSize,
    connections,
    // A file with nothing new (a re-run) has nothing to show a bar for.
    onProgress: ({ rated, total, elapsedMs }) =>
      total > 0 && printer.show(progressBar("Rating", { done: rated, total, unit: "events", elapsedMs }), rated === total),
  });
  printer.end();
  const seconds = result.elapsedMs / 1000;
  console.log(
    `${result.lines.toLocaleString("en")} lines in ${seconds.toFixed(1)} s: ${result.rated.toLocaleString("en")} events rated ` +
      `(${result.in_allowance.toLocaleString("en")} in allowance, ${result.charged.toLocaleString("en")} charged ${result.amountCharged.toFixed(2)}, ` +
      `${result.refused.toLocaleString("en")} refused; ${result.oneByOne.toLocaleString("en")} one by one), ${result.duplicates.toLocaleString("en")} duplicates, ${result.invalid.toLocaleString("en")} invalid.`,
  );
  console.log(
    `  copy ${(result.copyMs / 1000).toFixed(1)} s, checks ${(result.checkMs / 1000).toFixed(1)} s, rating ${(result.rateMs / 1000).toFixed(1)} s` +
      (result.rated > 0 && result.rateMs > 0
        ? ` (${Math.round(result.rated / (result.rateMs / 1000)).toLocaleString("en")} events/s)`
        : ""),
  );
  for (const line of result.rejected.slice(0, 20)) console.log(`  line ${line.line}: ${line.code} ${line.message}`);
  if (result.rejected.length > 20) console.log(`  … and ${result.rejected.length - 20} more invalid lines.`);
});

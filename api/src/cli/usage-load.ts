/**
 * `npm run usage:load -- FILE.csv`: rates a file of usage events in bulk (SPEC §11) as a trusted
 * session (the owner): CSV columns event_id, mobile_no, kind, quantity, occurred_at, an optional
 * header line. Invalid lines (TC4xx) are reported and store nothing; re-running a file adds nothing.
 * Options: `--chunk N` events per transaction, in whole accounts (default 20000).
 */
import fs from "node:fs";
import { loadProgressLine, loadUsageFile } from "../usage/bulk-load.ts";
import { withProjectDatabase } from "./project-database.ts";

const args = process.argv.slice(2);
const chunkIndex = args.indexOf("--chunk");
const chunkSize = chunkIndex >= 0 ? Number(args[chunkIndex + 1]) : undefined;
const file = args.find((arg, index) => !arg.startsWith("--") && (chunkIndex < 0 || index !== chunkIndex + 1));

if (!file || !fs.existsSync(file)) {
  console.error("Usage: npm run usage:load -- FILE.csv [--chunk N]  (columns event_id, mobile_no, kind, quantity, occurred_at)");
  process.exit(1);
}
if (chunkSize !== undefined && (!Number.isInteger(chunkSize) || chunkSize <= 0)) {
  console.error("--chunk needs a positive whole number.");
  process.exit(1);
}

await withProjectDatabase(async (db) => {
  const interactive = process.stdout.isTTY;
  let lastLine = 0;
  const result = await loadUsageFile(db.urls.owner, file, {
    chunkSize,
    onProgress: (progress) => {
      const line = loadProgressLine(progress);
      if (interactive) process.stdout.write(`\r${line}`);
      else if (Date.now() - lastLine > 2000 || progress.rated === progress.total) {
        lastLine = Date.now();
        console.log(line);
      }
    },
  });
  if (interactive) process.stdout.write("\n");
  const seconds = result.elapsedMs / 1000;
  console.log(
    `${result.lines.toLocaleString("en")} lines in ${seconds.toFixed(1)} s: ${result.rated.toLocaleString("en")} events rated ` +
      `(${result.in_allowance.toLocaleString("en")} in allowance, ${result.charged.toLocaleString("en")} charged ${result.amountCharged.toFixed(2)}, ` +
      `${result.refused.toLocaleString("en")} refused; ${result.oneByOne.toLocaleString("en")} one by one), ${result.duplicates.toLocaleString("en")} duplicates, ${result.invalid.toLocaleString("en")} invalid.`,
  );
  console.log(
    `  copy ${(result.copyMs / 1000).toFixed(1)} s, checks ${(result.checkMs / 1000).toFixed(1)} s, rating ${(result.rateMs / 1000).toFixed(1)} s` +
      (result.rateMs > 0 ? ` (${Math.round(result.rated / (result.rateMs / 1000)).toLocaleString("en")} events/s)` : ""),
  );
  for (const line of result.rejected.slice(0, 20)) console.log(`  line ${line.line}: ${line.code} ${line.message}`);
  if (result.rejected.length > 20) console.log(`  … and ${result.rejected.length - 20} more invalid lines.`);
});

/**
 * The bulk load of usage events (docs/usage.md): COPY a CSV file (event_id, mobile_no, kind, quantity,
 * occurred_at; a header line is skipped) into the session's staging table, sort its lines set-based
 * in SQL (duplicates, TC4xx-invalid lines, new events queued in chunks of whole accounts), then
 * rate the chunks on `connections` connections at once, one transaction per chunk: set-based, and
 * one by one through record_usage only for the accounts whose order decides (a balance running
 * short). Re-running the same file adds nothing.
 * The rules are in migrations/fixtures/usage/ (begin_usage_load, check_usage_load, rate_usage_batch, finish_usage_load).
 */
import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { withClient } from "../db/client.ts";
import { from as copyFrom } from "pg-copy-streams";

export interface LoadProgress {
  rated: number;
  total: number;
  elapsedMs: number;
}

export interface RejectedLine {
  line: number;
  event_id: string | null;
  code: string;
  message: string;
}

export interface LoadResult {
  lines: number;
  duplicates: number;
  invalid: number;
  rated: number;
  /** Events rated one by one through record_usage (their account's balance ran short, …). */
  oneByOne: number;
  in_allowance: number;
  charged: number;
  refused: number;
  amountCharged: number;
  rejected: RejectedLine[];
  copyMs: number;
  checkMs: number;
  rateMs: number;
  elapsedMs: number;
}

export interface LoadOptions {
  /** Events per transaction, in whole accounts. */
  chunkSize?: number;
  /** Connections rating chunks at once (each a PostgreSQL backend: at most the server's cores). */
  connections?: number;
  onProgress?: (progress: LoadProgress) => void;
}

/** Loads `file` with the owner's (or a superuser's) connection string `url`. */
export async function loadUsageFile(url: string, file: string, options: LoadOptions = {}): Promise<LoadResult> {
  const chunkSize = options.chunkSize ?? 20_000;
  const connections = options.connections ?? 2;
  const started = Date.now();
  return withClient(url, async (client) => {
    // The staging tables of a large file outgrow the default 8 MB of buffers for temporary tables
    // (settable before the session's first temporary table only).
    await client.query("set temp_buffers = '256MB'");
    const { rows: begun } = await client.query<{ load_id: string }>("select telecom_private.begin_usage_load() as load_id");
    const loadId = begun[0].load_id;
    try {
      const firstLine = fs.readFileSync(file, { encoding: "utf8", flag: "r" }).slice(0, 200).split(/\r?\n/)[0] ?? "";
      const header = /event_id/i.test(firstLine);
      await pipeline(
        fs.createReadStream(file),
        client.query(
          copyFrom(
            `copy pg_temp.usage_load (event_id, mobile_no, kind, quantity, occurred_at) from stdin with (format csv${header ? ", header true" : ""})`,
          ),
        ),
      );
      const copied = Date.now();
      const { rows: states } = await client.query<{ state: string; lines: string }>(
        "select * from telecom_private.check_usage_load($1, $2)",
        [loadId, chunkSize],
      );
      const count = (state: string) => Number(states.find((row) => row.state === state)?.lines ?? 0);
      const checked = Date.now();
      const { rows: rejected } = await client.query<RejectedLine>(
        "select line::integer + $1 as line, event_id, code, message from pg_temp.usage_load_rejected order by line",
        [header ? 1 : 0],
      );
      const total = count("new");
      const result: LoadResult = {
        lines: states.reduce((sum, row) => sum + Number(row.lines), 0),
        duplicates: count("duplicate"),
        invalid: count("invalid"),
        rated: 0,
        oneByOne: 0,
        in_allowance: 0,
        charged: 0,
        refused: 0,
        amountCharged: 0,
        rejected,
        copyMs: copied - started,
        checkMs: checked - copied,
        rateMs: 0,
        elapsedMs: 0,
      };
      options.onProgress?.({ rated: 0, total, elapsedMs: Date.now() - started });
      // Each connection rates the next chunk nobody else has taken, until none is left or a chunk
      // failed (its transaction rolled back whole; the others stop after the chunk they are on).
      let stopped = false;
      const rateChunks = (worker: pg.Client) => async () => {
        while (!stopped) {
          const { rows } = await worker.query<{
            outcome: "in_allowance" | "charged" | "refused";
            events: string;
            charged: string;
            one_by_one: string;
          }>("select * from telecom_private.rate_usage_batch($1)", [loadId]);
          if (rows.length === 0) return;
          for (const row of rows) {
            result[row.outcome] += Number(row.events);
            result.rated += Number(row.events);
            result.oneByOne += Number(row.one_by_one);
            result.amountCharged += Number(row.charged);
          }
          options.onProgress?.({ rated: result.rated, total, elapsedMs: Date.now() - started });
        }
      };
      const stopOnFailure = (work: Promise<void>) =>
        work.catch((error: unknown) => {
          stopped = true;
          throw error;
        });
      const rated = await Promise.allSettled([
        stopOnFailure(rateChunks(client)()),
        ...Array.from({ length: Math.max(connections, 1) - 1 }, () => stopOnFailure(withClient(url, (worker) => rateChunks(worker)()))),
      ]);
      const failed = rated.find((outcome) => outcome.status === "rejected");
      if (failed) throw failed.reason;
      result.rateMs = Date.now() - checked;
      result.elapsedMs = Date.now() - started;
      result.amountCharged = Math.round(result.amountCharged * 100) / 100;
      return result;
    } finally {
      await client.query("select telecom_private.finish_usage_load($1)", [loadId]);
    }
  });
}

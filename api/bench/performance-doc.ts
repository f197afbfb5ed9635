/**
 * The tables of docs/performance.md, made from docs/bench-results.json (saved-results.ts): each
 * stands between `<!-- bench-results: NAME -->` and `<!-- /bench-results: NAME -->`, and the prose
 * around them is the doc's own. `npm run bench:docs` (and every `--save`) rewrites them; a test
 * checks the committed doc against the committed results.
 */
import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../src/paths.ts";
import { readSavedResults, withRuns, writeSavedResults, type Figure, type Range, type Run, type SavedResults } from "./saved-results.ts";

export const PERFORMANCE_DOC = path.join(projectRoot, "docs", "performance.md");

const number = (value: number, digits = 1) => value.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const customers = (count: number) => (count >= 1_000_000 ? `${count / 1_000_000}M` : `${count / 1000}k`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const present = (values: Figure[]) => values.filter((value): value is number => value !== null);

/** The median of the runs' values, then in parentheses their spread (when they differ) and `extra`. */
function figure(values: Figure[], digits: number, unit: string, extra: string[] = []): string {
  const known = present(values);
  const [low, high] = [number(Math.min(...known), digits), number(Math.max(...known), digits)];
  const spread = low === high ? [] : [`${low}–${high}`];
  const details = [...spread, ...extra];
  return `${number(median(known), digits)}${unit}${details.length ? ` (${details.join("; ")})` : ""}`;
}

/** The median alone (a figure some runs did not record). */
const medianOf = (values: Figure[], digits: number) => number(median(present(values)), digits);
const between = ({ min, max }: Range, digits: number) => `${number(min, digits)}–${number(max, digits)}`;
const verdict = (met: boolean, target: string, otherwise = "not met") => `${target} ${met ? "**met**" : otherwise}`;
const latest = <Figures>(runs: Run<Figures>[]) => runs[runs.length - 1];
const table = (header: string[], rows: string[][]) =>
  [header, header.map(() => "---"), ...rows].map((cells) => `| ${cells.join(" | ")} |`).join("\n");

/** Which runs a table shows, each comparison on a line: how many, when, with which command, on which machine. */
function provenance(entries: [string, Run<unknown>[]][]): string {
  const machines = new Set(entries.flatMap(([, runs]) => runs.map((run) => run.machine)));
  const lines = entries.map(([name, runs]) => {
    const days = [...new Set(runs.map((run) => run.day))].join(", ");
    const commands = [...new Set(runs.map((run) => `\`${run.command}\``))].join(" and ");
    const machine = machines.size > 1 ? ` on ${[...new Set(runs.map((run) => run.machine))].join(", ")}` : "";
    return `- ${name}: ${runs.length === 1 ? "one run" : `${runs.length} runs`} of ${commands} (${days})${machine}`;
  });
  return [...lines, ...(machines.size === 1 ? [`- The machine: ${[...machines][0]}`] : [])].join("\n");
}

function dashboardRow(runs: SavedResults["dashboard"]): string[] {
  const { customers: count, connections, seconds } = latest(runs).figures;
  const pick = (choose: (figures: SavedResults["dashboard"][number]["figures"]) => Figure) => runs.map((run) => choose(run.figures));
  const ratios = pick((f) => f.graphql.perSecond / f.pg.perSecond);
  const twoProcesses = pick((f) => f.twoProcesses.perSecond / f.pg.perSecond);
  return [
    `a. customer dashboard at ${customers(count)}, ${connections} connections, ${seconds} s`,
    [
      `GraphQL ${figure(
        pick((f) => f.graphql.perSecond),
        1,
        " req/s",
        [
          `p50 ${medianOf(
            pick((f) => f.graphql.p50),
            1,
          )} ms`,
        ],
      )}`,
      `the same reads in one statement through \`pg\` ${figure(
        pick((f) => f.pg.perSecond),
        1,
        " req/s",
        [
          `p50 ${medianOf(
            pick((f) => f.pg.p50),
            1,
          )} ms`,
        ],
      )}`,
      `GraphQL from two server processes on the same two cores ${figure(
        pick((f) => f.twoProcesses.perSecond),
        1,
        " req/s",
      )}`,
    ].join("; "),
    `**${figure(ratios, 2, "**")}; two processes ${figure(twoProcesses, 2, "")}`,
    verdict(median(present(ratios)) >= 0.5, "≥ 0.5"),
  ];
}

function transfersRow(runs: SavedResults["transfers"]): string[] {
  const { clients, turns, turnSeconds } = latest(runs).figures;
  const pick = (choose: (figures: SavedResults["transfers"][number]["figures"]) => Figure) => runs.map((run) => choose(run.figures));
  const ratios = pick((f) => f.transfers.tps / f.tpcb.tps);
  const work = (side: "transfers" | "tpcb") =>
    `${number(median(present(pick((f) => f[side].walBytes))) / 1000, 1)} kB${side === "transfers" ? " of WAL" : ""} and ${medianOf(
      pick((f) => f[side].buffers),
      0,
    )} buffers`;
  return [
    `b. wallet transfers vs TPC-B, ${clients} clients, both driven by pgbench in ${turns} alternating turns of ${turnSeconds} s each, after one checkpoint`,
    [
      `\`transfer_to_mobile\` ${figure(
        pick((f) => f.transfers.tps),
        1,
        " tx/s",
      )}, ${work("transfers")} per transfer`,
      `TPC-B scale 10 ${figure(
        pick((f) => f.tpcb.tps),
        1,
        " tx/s",
      )}, ${work("tpcb")} per transaction`,
      `transfers driven from Node ${medianOf(
        pick((f) => f.fromNode.perSecond),
        1,
      )} tx/s`,
    ].join("; "),
    `**${figure(ratios, 2, "**")}`,
    verdict(median(present(ratios)) >= 0.8, "≥ 0.8", "not met: the cost part by part below"),
  ];
}

function seedRow(runs: SavedResults["seed"]): string[] {
  const seconds = runs.map((run) => run.figures.elapsedMs / 1000);
  const { customers: count, rows } = latest(runs).figures;
  const perSecond = Math.round(rows / median(seconds)).toLocaleString("en");
  const cpu = present(runs.map((run) => run.figures.databaseCpuSeconds));
  return [
    `seed of ${customers(count)} customers (\`npm run bench -- --seed-only ${count}\`)`,
    `${rows.toLocaleString("en")} rows in **${figure(seconds, 1, " s**", [`${perSecond} rows/s`])}${cpu.length ? `; database CPU ${number(median(cpu), 1)} s` : ""}`,
    "",
    verdict(median(seconds) <= 120, "≤ 120 s"),
  ];
}

function settlementsRow(runs: SavedResults["settlements"]): string[] {
  const { connections, pending, settled } = latest(runs).figures;
  const pick = (choose: (figures: SavedResults["settlements"][number]["figures"]) => Figure) => runs.map((run) => choose(run.figures));
  return [
    `e. card-payment settlement: signed \`POST /webhooks/payments\` → \`settle_payment\` (recharge applied, journaled), ${connections} connections, each of ${pending.toLocaleString("en")} pending card payments once`,
    `**${figure(
      pick((f) => f.perSecond),
      1,
      " settlements/s**",
    )}, p50 ${medianOf(
      pick((f) => f.p50),
      1,
    )} ms, p95 ${medianOf(
      pick((f) => f.p95),
      1,
    )} ms; ${settled === pending ? "every pending payment settled" : `${settled} of ${pending} pending payments settled`}`,
    "",
    "",
  ];
}

function loginsRow(runs: SavedResults["logins"]): string[] {
  const { connections, seconds, cost, cores } = latest(runs).figures;
  const perSecond = runs.map((run) => run.figures.perSecond);
  const bcrypt = runs.map((run) => run.figures.bcryptMs);
  return [
    `f. login: the Login mutation → \`authenticate()\`, bcrypt cost ${cost}, ${connections} connections (one address's budget), ${seconds} s`,
    `**${figure(perSecond, 1, " logins/s**")}, i.e. ${number(median(perSecond) / cores, 1)} per core, p50 ${medianOf(
      runs.map((run) => run.figures.p50),
      1,
    )} ms; one bcrypt check alone takes ${figure(bcrypt, 1, " ms")} of one core: ${number(1000 / median(bcrypt), 1)} per core`,
    "",
    "",
  ];
}

function customerOperationsRow(runs: SavedResults["customerOperations"]): string[] {
  const { scales, operations, met, growth, fastestGrowing, mostPages } = latest(runs).figures;
  const names = mostPages.names.map((name) => `\`${name}\``).join(" and ");
  return [
    `c. p95 of the ${operations} customer operations, ${customers(scales[0])} → ${customers(scales[1])} customers`,
    `growth ${between(growth, 2)} (the most: \`${fastestGrowing.name}\` ${number(fastestGrowing.p95[0], 2)} → ${number(fastestGrowing.p95[1], 2)} ms); pages per call, the most: ${names} ${number(mostPages.pages[0], 1)} → ${number(mostPages.pages[1], 1)}`,
    between(growth, 2),
    `${verdict(met === operations, "≤ 1.3")} (${met} of ${operations})`,
  ];
}

function adminOperationsRow(runs: SavedResults["adminOperations"]): string[] {
  const { customers: count, firstPageP95, operationP95, slowCountP95, auditP95 } = latest(runs).figures;
  return [
    `d. admin views and reports at ${customers(count)}`,
    `every report's first page (\`first: 50\`) ≤ ${number(firstPageP95, 1)} ms; every admin operation ≤ ${number(operationP95, 1)} ms (p95); counting every row of the largest views ${number(slowCountP95.min / 1000, 2)}–${number(slowCountP95.max / 1000, 1)} s, the journal audit ${number(auditP95 / 1000, 1)} s (not pages: explained below)`,
    "",
    verdict(firstPageP95 <= 100 && operationP95 <= 100, "≤ 100 ms"),
  ];
}

/** One row per scale of the latest runs (none before the first run of i). */
function billsRows(runs: SavedResults["bills"]): string[][] {
  if (runs.length === 0) return [];
  return latest(runs).figures.scales.map((scale, index) => {
    const of = (choose: (figures: SavedResults["bills"][number]["figures"]["scales"][number]) => number) =>
      runs.map((run) => (run.figures.scales[index] ? choose(run.figures.scales[index]) : null));
    const seconds = of((f) => f.seconds);
    return [
      `i. the bill run at ${customers(scale.customers)}: \`run_bills()\` over ${scale.accounts.toLocaleString("en")} post-paid accounts, then \`run_collections()\` with every bill 14 days overdue (one transaction, rolled back)`,
      `${scale.bills.toLocaleString("en")} bills in **${figure(seconds, 1, " s**", [`${number(median(present(of((f) => f.billsPerSecond))), 0)} bills/s`])}; ${scale.collectionSteps.toLocaleString("en")} collection steps in ${figure(
        of((f) => f.collectionSeconds),
        1,
        " s",
      )}`,
      "",
      scale.customers >= 1_000_000 ? verdict(median(present(seconds)) <= 60, "≤ 60 s") : "",
    ];
  });
}

function comparisons(saved: SavedResults): string {
  return [
    table(
      ["comparison", "figures (median; spread of the runs)", "ratio", "target"],
      [
        dashboardRow(saved.dashboard),
        transfersRow(saved.transfers),
        seedRow(saved.seed),
        settlementsRow(saved.settlements),
        loginsRow(saved.logins),
        customerOperationsRow(saved.customerOperations),
        adminOperationsRow(saved.adminOperations),
        ...billsRows(saved.bills),
      ],
    ),
    "",
    "Runs:",
    "",
    provenance([
      ["a", saved.dashboard],
      ["b", saved.transfers],
      ["the seed", saved.seed],
      ["e", saved.settlements],
      ["f", saved.logins],
      ["c", saved.customerOperations],
      ["d", saved.adminOperations],
      ...(saved.bills.length > 0 ? [["i", saved.bills] as [string, Run<unknown>[]]] : []),
    ]),
  ].join("\n");
}

const bytes = (value: number) => (value < 100 ? `${Math.round(value)} B` : `${number(value / 1000, 1)} kB`);

function walParts(saved: SavedResults): string {
  const run = latest(saved.walParts);
  return [
    table(
      ["written by", "relation", "full pages", "WAL"],
      run.figures.map((part) => [
        part.writtenBy,
        part.relations,
        part.fullPages === null ? "" : part.fullPages === 0 ? "0" : number(part.fullPages, 2),
        bytes(part.walBytes),
      ]),
    ),
    "",
    provenance([["The parts", [run]]]),
  ].join("\n");
}

function admin(saved: SavedResults): string {
  const run = latest(saved.admin);
  const f = run.figures;
  const met = (values: number[]) => (Math.max(...values) <= 1000 ? "met" : "NOT met");
  const ms = (values: number[]) => `${values.map((value) => number(value, 0)).join(", ")} ms`;
  return [
    table(
      ["measured", "p95", "target"],
      [
        [
          `each figure through GraphQL: ${f.figures.names.map((name) => `\`${name}\``).join(", ")}`,
          `${between(f.figures.graphqlP95, 1)} ms (SQL ${number(f.figures.sqlP95.min, 2)}–${number(f.figures.sqlP95.max, 1)} ms)`,
          met([f.figures.graphqlP95.max]),
        ],
        [`the dashboard's whole document (all ${f.figures.names.length})`, `${number(f.documentP95, 1)} ms`, met([f.documentP95])],
        [
          `first page of the ${f.reports.views} paged reports in each of their orders (${f.reports.orders} pages)`,
          `${between(f.reports.p95, 1)} ms (median ${number(f.reports.p95.median, 1)}; slowest \`${f.reports.slowest}\`)`,
          met([f.reports.p95.max]),
        ],
        [
          "dashboard, navigation to the first figure",
          `${number(f.dashboard.p95, 0)} ms (first visit ${number(f.dashboard.first, 0)})`,
          met([f.dashboard.p95]),
        ],
        [
          `the ${f.pagedReports.count} paged reports, navigation to the first row`,
          `${between(f.pagedReports.p95, 0)} ms (\`${f.pagedReports.slowest.name}\` ${number(f.pagedReports.slowest.p95, 0)}, the others ≤ ${number(f.pagedReports.othersMaxP95, 0)})`,
          met([f.pagedReports.p95.max]),
        ],
        [
          `the ${f.forms.count} reports that ask for arguments, navigation to their form`,
          `${between(f.forms.p95, 0)} ms`,
          met([f.forms.p95.max]),
        ],
        [
          `customers: search by ${f.searches.map((search) => search.by).join(", by ")}`,
          ms(f.searches.map((search) => search.p95)),
          met(f.searches.map((search) => search.p95)),
        ],
        [f.pages.map((page) => page.name).join(", "), ms(f.pages.map((page) => page.p95)), met(f.pages.map((page) => page.p95))],
        ["refreshing every figure (`refresh_admin_figures()`, the maintenance tick)", `${number(f.refreshMs / 1000, 1)} s, once`, ""],
      ],
    ),
    "",
    provenance([[`g (${f.runs} requests per figure and per order, a first visit then ${f.browserRuns} navigations per page)`, [run]]]),
  ].join("\n");
}

const TABLES: Record<string, (saved: SavedResults) => string> = { comparisons, "wal-parts": walParts, admin };

/** `doc` with every table between its markers made anew from `saved`. */
export function withTables(doc: string, saved: SavedResults): string {
  let result = doc;
  for (const [name, make] of Object.entries(TABLES)) {
    const start = `<!-- bench-results: ${name} -->`;
    const end = `<!-- /bench-results: ${name} -->`;
    const from = result.indexOf(start);
    const to = result.indexOf(end);
    if (from < 0 || to < from) throw new Error(`docs/performance.md has no ${start} … ${end}`);
    result = `${result.slice(0, from + start.length)}\n\n${make(saved)}\n\n${result.slice(to)}`;
  }
  return result;
}

/** Rewrites the tables of docs/performance.md from docs/bench-results.json. */
export function writePerformanceDoc(): void {
  fs.writeFileSync(PERFORMANCE_DOC, withTables(fs.readFileSync(PERFORMANCE_DOC, "utf8"), readSavedResults()));
}

/** Adds a run's figures to docs/bench-results.json (`--save`) and rewrites the doc's tables. */
export function saveRuns(update: Partial<SavedResults>): void {
  writeSavedResults(withRuns(readSavedResults(), update));
  writePerformanceDoc();
}

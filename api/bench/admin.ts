/**
 * The admin bench (docs/web-app.md): at the largest scale, against the real server serving the
 * web app's production build, as an admin:
 *
 * - each business figure of the dashboard through GraphQL (one field of its document at a time, and
 *   the whole document), and the SQL that reads its materialized view;
 * - the first page (`first: 50`) of every paged report for every sort order the page offers, both
 *   directions, with the variables the page itself sends (reports.ts);
 * - in headless Chromium, the time from navigation to the first row (the first figure on the
 *   dashboard) of every admin page.
 *
 * Target: ≤ 1 s each. `npm run bench` runs it at 1M customers; `npm run bench:admin` runs it alone
 * on the bench database already seeded (run-admin.ts).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Kind, parse, print, type FieldNode, type OperationDefinitionNode } from "graphql";
import pg from "pg";
import { chromium, type Page } from "playwright-core";
import { build } from "vite";
import type { Database } from "../src/db/cluster.ts";
import { projectRoot } from "../src/paths.ts";
import { startServer, type RunningServer } from "../src/server/app.ts";
import { signToken } from "../src/server/jwt.ts";
import { compiled, type CompiledDocument } from "../../shared/graphql.ts";
import { AdminFigures } from "../../shared/admin-figures.ts";
import { orderByOf, pageVariables, REPORTS } from "../../shared/admin-reports.ts";
import { persistedDocument } from "../../web/persisted-documents.ts";
import { benchDir, benchSuperuserUrl } from "./database.ts";
import { msSince, summarize, type LatencySummary } from "./measure.ts";
import { fixed } from "./report.ts";
import { loadSamples, measureOperations, type Operation } from "./operations.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const TARGET_MS = 1000;

export interface Timing extends LatencySummary {
  name: string;
  errors: number;
  firstError?: string;
}

export interface AdminBenchResults {
  customers: number;
  /** One refresh of every figure (`refresh_admin_figures()`, what the maintenance tick runs). */
  refreshMs: number;
  /** Each figure through GraphQL, and the SQL that reads its materialized view. */
  figures: { name: string; relation?: string; graphql: Timing; sql?: Timing }[];
  /** `<report>, <ORDER_BY>`: the first page as the report's page asks for it. */
  reports: Timing[];
  /** Navigation to the first row in Chromium; `first` is the first visit of the page. */
  pages: (Timing & { path: string; first: number })[];
  settings: { runs: number; browserRuns: number; budgetMs: number; /** The target each p95 is held to. */ targetMs: number };
}

export interface AdminBenchOptions {
  /** Timed requests per figure and per report order (fewer when `budgetMs` is spent). */
  runs?: number;
  /** Timed navigations per page. */
  browserRuns?: number;
  budgetMs?: number;
  log: (line: string) => void;
}

/**
 * One document per root field of the dashboard's figures (sent as text: the build's manifest does
 * not list them, which only admins may do), plus the whole document as the dashboard sends it.
 */
function figureDocuments(): { name: string; document: CompiledDocument }[] {
  const whole = compiled(AdminFigures).text;
  const operation = parse(whole).definitions[0] as OperationDefinitionNode;
  const fields = operation.selectionSet.selections as FieldNode[];
  return [
    ...fields.map((field) => ({
      name: field.name.value,
      document: {
        text: print({
          kind: Kind.DOCUMENT,
          definitions: [
            {
              ...operation,
              name: { kind: Kind.NAME, value: `BenchFigure_${field.name.value}` },
              selectionSet: { ...operation.selectionSet, selections: [field] },
            },
          ],
        }),
      },
    })),
    { name: "the dashboard's document (all of them)", document: persistedDocument(whole) },
  ];
}

const camel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

/** The materialized view behind a figure's field (`revenuePerMonths` → revenue_per_month). */
function relationOf(field: string, views: string[]): string | undefined {
  const singular = [field, field.replace(/ies$/, "y"), field.replace(/s$/, "")];
  return views.find((view) => singular.includes(camel(view)));
}

class Client {
  constructor(
    private readonly server: RunningServer,
    private readonly token: string,
  ) {}

  /** One request; throws with the first GraphQL error. */
  async send(document: CompiledDocument, variables: Record<string, unknown>): Promise<void> {
    const response = await fetch(`${this.server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", authorization: `Bearer ${this.token}` },
      body: JSON.stringify({ query: document.text, ...(document.id ? { documentId: document.id } : {}), variables }),
    });
    const body = (await response.json()) as { errors?: { message: string }[] };
    if (response.status !== 200 || body.errors?.length) throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
  }

  /** An untimed request, then `runs` timed ones (fewer once `budgetMs` is spent). */
  async time(
    name: string,
    document: CompiledDocument,
    variables: Record<string, unknown>,
    runs: number,
    budgetMs: number,
  ): Promise<Timing> {
    const latencies: number[] = [];
    let errors = 0;
    let firstError: string | undefined;
    const deadline = Date.now() + budgetMs;
    for (let run = -1; run < runs && (run < 1 || Date.now() < deadline); run++) {
      const start = process.hrtime.bigint();
      try {
        await this.send(document, variables);
        if (run >= 0) latencies.push(msSince(start));
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
    return { name, ...summarize(latencies), errors, ...(firstError ? { firstError } : {}) };
  }
}

/** An admin page and what shows that it has its data: a row, a figure, a result, a form. */
interface AdminPage {
  name: string;
  path: string;
  ready: string;
}

/** Every admin page (the admin routes of web/src/app/routes.ts): the dashboard, every report, customers, the 360 page, management, the data model. */
async function adminPages(superuserUrl: string, customers: number): Promise<AdminPage[]> {
  const [sample] = await loadSamples(superuserUrl, customers, 1);
  const client = new pg.Client({ connectionString: superuserUrl });
  await client.connect();
  const { rows } = await client.query<{ first_name: string; last_name: string }>(
    "select first_name, last_name from telecom.customer_profile where national_id = $1",
    [sample.nationalId],
  );
  await client.end();
  const person = rows[0];
  const search = (what: string, query: string): AdminPage => ({
    name: `customers: search by ${what} (${query})`,
    path: `/admin/customers?q=${encodeURIComponent(query)}`,
    ready: "admin-customers ul.results li",
  });
  return [
    { name: "dashboard (first figure)", path: "/admin", ready: "admin-dashboard .tile .value" },
    ...REPORTS.map((report) =>
      report.fields
        ? {
            name: `${report.key} (its form: runs on submit)`,
            path: `/admin/${report.key}`,
            ready: "admin-report op-form button[type=submit]",
          }
        : { name: report.key, path: `/admin/${report.key}`, ready: "admin-report data-table tbody tr" },
    ),
    { name: "customers (search form)", path: "/admin/customers", ready: "admin-customers form[role=search]" },
    search("number", sample.mobileNo),
    search("full name", `${person.first_name} ${person.last_name}`),
    search("last name", person.last_name),
    { name: "customer 360", path: `/admin/customers/${sample.nationalId}`, ready: "admin-customers data-table tbody tr" },
    { name: "manage (unresolved tickets)", path: "/admin/manage", ready: "admin-manage section[aria-labelledby=tickets] li" },
    { name: "data model (diagram)", path: "/admin/data-model", ready: "admin-data-model img" },
  ];
}

/** Navigates to the page and waits for its first row; an error shown instead fails the run. */
async function visit(page: Page, url: string, target: AdminPage): Promise<number> {
  const start = process.hrtime.bigint();
  await page.goto(url + target.path, { waitUntil: "commit" });
  // taskView shows a failed request as p.error[role=alert].
  const shown = page.locator(`${target.ready}, p.error[role=alert]`).first();
  // The admin statement timeout is 15 s (docs/security.md): a page still empty after 20 s will stay so.
  await shown.waitFor({ timeout: 20_000 });
  const ms = msSince(start);
  if ((await shown.getAttribute("role")) === "alert") throw new Error(`${target.path}: ${await shown.textContent()}`);
  return ms;
}

async function timePages(url: string, token: string, pages: AdminPage[], runs: number, log: (line: string) => void) {
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    await context.addInitScript((value) => localStorage.setItem("telecom.token", value), token);
    const page = await context.newPage();
    const results: AdminBenchResults["pages"] = [];
    for (const target of pages) {
      const latencies: number[] = [];
      let first = NaN;
      let errors = 0;
      let firstError: string | undefined;
      for (let run = -1; run < runs; run++) {
        try {
          const ms = await visit(page, url, target);
          if (run < 0) first = ms;
          else latencies.push(ms);
        } catch (error) {
          errors++;
          if (!firstError) {
            firstError = error instanceof Error ? error.message.split("\n")[0] : String(error);
            await page.screenshot({ path: path.join(benchDir, `admin-page-failed-${target.name.replace(/[^a-z0-9]+/gi, "-")}.png`) });
          }
        }
      }
      const result = {
        name: target.name,
        path: target.path,
        first,
        ...summarize(latencies),
        errors,
        ...(firstError ? { firstError } : {}),
      };
      log(
        `   ${target.name}: first visit ${fixed(first)} ms, p95 ${fixed(result.p95)} ms${errors ? ` (${errors} errors: ${firstError})` : ""}`,
      );
      results.push(result);
    }
    return results;
  } finally {
    await browser.close();
  }
}

/**
 * The web app's production build in a temporary folder (not under .data/: the server sends no file
 * from under a dot folder).
 */
async function buildWebApp(): Promise<string> {
  const webRoot = fs.mkdtempSync(path.join(os.tmpdir(), "telecom-bench-web-"));
  // Vite's build sets NODE_ENV=production for this process, which the bench's later servers would inherit.
  const nodeEnv = process.env.NODE_ENV;
  try {
    await build({
      configFile: path.join(projectRoot, "web", "vite.config.ts"),
      logLevel: "warn",
      build: { outDir: webRoot, emptyOutDir: true },
    });
    return webRoot;
  } catch (error) {
    fs.rmSync(webRoot, { recursive: true, force: true });
    throw error;
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

/** Runs every measurement of the admin bench on the bench database, which holds `customers` customers. */
export async function benchAdmin(db: Database, customers: number, options: AdminBenchOptions): Promise<AdminBenchResults> {
  const { runs = 20, browserRuns = 5, budgetMs = 10_000, log } = options;
  const superuserUrl = benchSuperuserUrl(db);

  const superuser = new pg.Client({ connectionString: superuserUrl });
  await superuser.connect();
  log("admin: refreshing the figures (refresh_admin_figures(), as the maintenance tick does)");
  const refreshStart = process.hrtime.bigint();
  await superuser.query("select telecom.refresh_admin_figures()");
  const refreshMs = msSince(refreshStart);
  log(`   refreshed in ${fixed(refreshMs)} ms`);
  const views = (
    await superuser.query<{ name: string }>("select matviewname as name from pg_matviews where schemaname = 'telecom'")
  ).rows.map((row) => row.name);
  await superuser.end();

  log("admin: building the web app");
  const webRoot = await buildWebApp();
  const jwtSecret = crypto.randomBytes(32).toString("hex");
  const token = signToken(jwtSecret, { role: "telecom_admin", admin_id: 1 });
  let server: RunningServer | undefined;
  try {
    // No maintenance tick: it would refresh the figures in the middle of the measurements.
    server = await startServer({
      port: 0,
      urls: db.urls,
      jwtSecret,
      webRoot,
      production: true,
      paymentWebhookSecret: crypto.randomBytes(32).toString("hex"),
      maintenance: false,
      smsGateway: null,
    });
    const client = new Client(server, token);
    log(`admin: each figure through GraphQL (${runs} runs each)`);
    const figures = figureDocuments();
    const samples = await loadSamples(superuserUrl, customers, runs);
    const figureResults: AdminBenchResults["figures"] = [];
    for (const figure of figures) {
      const graphql = await client.time(figure.name, figure.document, {}, runs, budgetMs);
      const relation = relationOf(figure.name, views);
      const operation: Operation | undefined = relation
        ? { name: relation, who: "admin", sql: `select * from telecom.${relation}`, values: () => [] }
        : undefined;
      const [sql] = operation
        ? await measureOperations({ authenticator: db.urls.authenticator, superuser: superuserUrl }, [operation], samples, { runs })
        : [];
      figureResults.push({ name: figure.name, relation, graphql, sql });
      log(
        `   ${figure.name}: GraphQL p95 ${fixed(graphql.p95, 1)} ms${sql ? `, SQL p95 ${fixed(sql.p95, 2)} ms` : ""}${graphql.errors ? ` (${graphql.errors} errors: ${graphql.firstError})` : ""}`,
      );
    }

    log(`admin: the first page of every report, every sort order (${runs} runs each)`);
    const reports: Timing[] = [];
    for (const report of REPORTS.filter((candidate) => candidate.page && !candidate.fields)) {
      const document = persistedDocument(compiled(report.document).text);
      const sortKeys = report.paging?.sortKeys ?? [];
      const orders = sortKeys.length ? sortKeys.flatMap((sortKey) => [false, true].map((descending) => ({ sortKey, descending }))) : [{}];
      for (const order of orders) {
        const name = `${report.key}, ${"sortKey" in order ? orderByOf(order.sortKey, order.descending) : "its own order"}`;
        reports.push(await client.time(name, document, pageVariables(report, order), runs, budgetMs));
        const last = reports.at(-1)!;
        log(`   ${name}: p95 ${fixed(last.p95, 1)} ms${last.errors ? ` (${last.errors} errors: ${last.firstError})` : ""}`);
      }
    }

    log(`admin: every admin page in Chromium, navigation to the first row (${browserRuns} runs after a first visit)`);
    const pages = await timePages(server.url, token, await adminPages(superuserUrl, customers), browserRuns, log);
    return { customers, refreshMs, figures: figureResults, reports, pages, settings: { runs, browserRuns, budgetMs, targetMs: TARGET_MS } };
  } finally {
    await server?.close();
    fs.rmSync(webRoot, { recursive: true, force: true });
  }
}

/** Writes the results beside the bench's own (`.data/bench/`). */
export function writeAdminResults(results: AdminBenchResults, file = path.join(benchDir, "bench-admin-results.json")): string {
  fs.writeFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), ...results }, null, 2)}\n`);
  return file;
}

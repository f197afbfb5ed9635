/**
 * g. Usage in real time, end to end (target p95 ≤ 1 s): customers' dashboards open in
 * headless Chromium on the production server with the web build, record_usage commits events for
 * their numbers at a steady rate while the network role rates background events for other accounts,
 * and each event is timed from its commit to the frame that paints the new balance in every tab of
 * its number. Both timestamps are Date.now() on this machine (Node and Chromium read the same clock).
 *
 * The page's own timings split each latency in three: commit → the dashboard's refetch starts (NOTIFY,
 * the server's subscription, the socket, the app's handler), the refetch (the Dashboard query over
 * HTTP), and its response → the painting frame (Lit's render).
 */
import fs from "node:fs";
import pg from "pg";
import { chromium, type Browser, type Page } from "playwright-core";
import type { Database } from "../src/db/cluster.ts";
import { withClient } from "../src/db/client.ts";
import { SYNTHETIC_PASSWORD } from "../src/db/synthetic-data.ts";
import { defaultWebRoot } from "../src/server/app.ts";
import { PERSISTED_DOCUMENTS_PATH } from "../../web/persisted-documents.ts";
import { benchSuperuserUrl } from "./database.ts";
import { SYNTHETIC_NUMBERS } from "./seed.ts";
import { summarize, type LatencySummary } from "./measure.ts";
import { log } from "./report.ts";
import { startServerProcess } from "./server.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** A balance far from zero, so that the measured (charged) events never run into a refusal. */
const START_BALANCE = 500;
/** How long the last event may take to be painted before it counts as missed. */
export const GRACE_MS = 5_000;

export interface LiveOptions {
  /** Customers whose dashboards are open, each number in `tabs` tabs. */
  customers: number;
  tabs: number;
  /** Measured events, spread evenly over the customers, at `perSecond`. */
  events: number;
  perSecond: number;
  /** Background events per second for other accounts, through the network role. */
  backgroundPerSecond: number;
}

export const LIVE_DEFAULTS: LiveOptions = { customers: 10, tabs: 2, events: 300, perSecond: 10, backgroundPerSecond: 50 };

export interface LiveResult {
  settings: LiveOptions;
  /** Commit → the frame that paints the new balance, one figure per event and tab. */
  latency: LatencySummary;
  /** The parts of the latency (medians and p95s of each). */
  parts: Record<"notify" | "refetch" | "render", LatencySummary>;
  /** Events and tabs whose balance was not painted within GRACE_MS of the last event, by number. */
  missed: Record<string, number>;
  /** Tabs loaded again in the warm-up because no update reached them for 10 s. */
  reloads: number;
  background: { events: number; errors: number };
}

/** One dashboard page and the number it shows. */
interface Tab {
  mobileNo: string;
  page: Page;
}

interface Painted {
  /** The frame that paints this balance (its first to see the new text, before it paints). */
  at: number;
  balance: number;
  /** The Dashboard refetch whose response this render shows: its start and end. */
  fetchStart?: number;
  fetchEnd?: number;
}

interface Committed {
  mobileNo: string;
  at: number;
  balance: number;
}

/** What a tab records (window.painted) and the function of its frame loop. */
interface Watch {
  painted: Painted[];
  frame: () => void;
}

/**
 * Installed in each tab: every frame reads the balance the dashboard shows (finding the element
 * through the shadow roots again when the app has replaced it) and notes when it changed, with the
 * GraphQL request that answered last (resource timing). The loop is a property, not a named
 * function: tsx wraps named functions in a helper that the page does not have.
 */
function watchBalance(): void {
  const watch = window as unknown as Watch;
  watch.painted = [];
  performance.setResourceTimingBufferSize(100_000);
  let dashboard: Element | null = null;
  let last = "";
  watch.frame = () => {
    if (!dashboard?.isConnected) {
      dashboard = null;
      const roots: Array<Document | ShadowRoot> = [document];
      while (!dashboard && roots.length > 0) {
        const root = roots.pop()!;
        dashboard = root.querySelector("customer-dashboard");
        for (const element of root.querySelectorAll("*")) if (element.shadowRoot) roots.push(element.shadowRoot);
      }
    }
    const text = dashboard?.shadowRoot?.querySelector("[data-testid=balance]")?.textContent ?? "";
    if (text !== "" && text !== last) {
      last = text;
      const at = Date.now();
      const request = performance
        .getEntriesByType("resource")
        .map((entry) => entry as PerformanceResourceTiming)
        .filter((entry) => entry.name.endsWith("/graphql") && performance.timeOrigin + entry.responseEnd <= at)
        .at(-1);
      watch.painted.push({
        at,
        balance: Number(text.replace(/[^\d.-]/g, "")),
        fetchStart: request && performance.timeOrigin + request.startTime,
        fetchEnd: request && performance.timeOrigin + request.responseEnd,
      });
    }
    requestAnimationFrame(watch.frame);
  };
  requestAnimationFrame(watch.frame);
}

/** The measured customers: one active post-paid number of each of `count` people, and their national ids. */
async function chooseCustomers(superuserUrl: string, count: number): Promise<string[]> {
  return withClient(superuserUrl, async (client) => {
    const { rows } = await client.query<{ mobile_no: string }>(
      `select mobile_no from (
         select distinct on (national_id) mobile_no
         from telecom.customer_account
         where mobile_no like ${SYNTHETIC_NUMBERS} and status = 'active' and account_type = 'post_paid'
         order by national_id, mobile_no
       ) as account order by mobile_no limit $1`,
      [count],
    );
    const mobileNos = rows.map((row) => row.mobile_no);
    // Every measured event charged (no allowance left to draw from): each one changes the balance.
    await client.query("update telecom.customer_account set balance = $2 where mobile_no = any($1)", [mobileNos, START_BALANCE]);
    await client.query("update telecom.subscription set paid_until = current_date where mobile_no = any($1) and status = 'active'", [
      mobileNos,
    ]);
    return mobileNos;
  });
}

/** Active accounts of other people, for the background events. */
async function backgroundAccounts(superuserUrl: string, customers: string[]): Promise<string[]> {
  return withClient(superuserUrl, async (client) => {
    const { rows } = await client.query<{ mobile_no: string }>(
      `select mobile_no from telecom.customer_account
       where mobile_no like ${SYNTHETIC_NUMBERS} and status = 'active'
         and national_id not in (select national_id from telecom.customer_account where mobile_no = any($1))
       order by mobile_no limit 2000`,
      [customers],
    );
    return rows.map((row) => row.mobile_no);
  });
}

/**
 * The customer logs in once; the number's dashboard opens in `tabs` windows with that login (each its
 * own browser context: a tab behind another one is hidden, and a hidden page paints no frames).
 */
async function openTabs(browser: Browser, url: string, mobileNo: string, tabs: number): Promise<Tab[]> {
  const first = await browser.newContext();
  const login = await first.newPage();
  await login.goto(`${url}/login`);
  await login.getByLabel("Mobile number").fill(mobileNo);
  await login.getByLabel("Password").fill(SYNTHETIC_PASSWORD);
  await login.getByRole("button", { name: "Log in" }).click();
  await login.waitForURL(`${url}/`);
  const pages = [login];
  while (pages.length < tabs) {
    const context = await browser.newContext({ storageState: await first.storageState() });
    const page = await context.newPage();
    await page.goto(`${url}/`);
    pages.push(page);
  }
  for (const page of pages) await watchTab(page);
  return pages.map((page) => ({ mobileNo, page }));
}

/** record_usage as a trusted session (one charged SMS), committed; the balance it left. */
async function recordCharged(pool: pg.Pool, mobileNo: string): Promise<Committed> {
  const client = await pool.connect();
  try {
    await client.query("begin");
    await client.query("select telecom.record_usage(gen_random_uuid(), $1, 'sms', 1, now() - interval '1 minute')", [mobileNo]);
    const { rows } = await client.query<{ balance: string }>("select balance::text from telecom.customer_account where mobile_no = $1", [
      mobileNo,
    ]);
    await client.query("commit");
    return { mobileNo, at: Date.now(), balance: Number(rows[0].balance) };
  } finally {
    client.release();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The dashboard live, and the balance watched. */
async function watchTab(page: Page): Promise<void> {
  await page.getByTestId("balance").waitFor();
  await page.locator("[data-testid=live-state][data-state=live]").waitFor();
  await page.evaluate(watchBalance);
}

/**
 * Unmeasured events until every tab has painted one: a tab's socket is live before the server
 * LISTENs on its channel, and a NOTIFY before that reaches nobody (it is not replayed). A tab that
 * paints nothing for 10 s is loaded again (counted: it is what a person would do).
 */
async function warmUp(trusted: pg.Pool, tabs: Tab[], customers: string[]): Promise<number> {
  const deadline = Date.now() + 60_000;
  let waiting = tabs;
  let reloads = 0;
  for (let round = 1; waiting.length > 0; round += 1) {
    if (Date.now() > deadline)
      throw new Error(`No live update reached the dashboards of ${waiting.map((tab) => tab.mobileNo).join(", ")} within 60 s.`);
    const events = await Promise.all(
      customers.filter((mobileNo) => waiting.some((tab) => tab.mobileNo === mobileNo)).map((mobileNo) => recordCharged(trusted, mobileNo)),
    );
    await sleep(1_000);
    const still: Tab[] = [];
    for (const tab of waiting) {
      const event = events.find((candidate) => candidate.mobileNo === tab.mobileNo)!;
      const shown = await tab.page.evaluate(
        (balance) => (window as unknown as Watch).painted.some((paint) => paint.balance <= balance + 0.001),
        event.balance,
      );
      if (shown) continue;
      still.push(tab);
      if (round % 10 === 0) {
        reloads += 1;
        await tab.page.reload();
        await watchTab(tab.page);
      }
    }
    waiting = still;
  }
  return reloads;
}

/** Background events at `perSecond` until `stop` resolves, as the network sends them (its own role). */
async function background(authenticatorUrl: string, accounts: string[], perSecond: number, stop: Promise<void>) {
  const pool = new pg.Pool({ connectionString: authenticatorUrl, max: 4 });
  const counts = { events: 0, errors: 0 };
  const running = new Set<Promise<void>>();
  let stopped = false;
  void stop.then(() => (stopped = true));
  const started = Date.now();
  for (let n = 0; !stopped && perSecond > 0; n += 1) {
    const due = started + (n * 1000) / perSecond;
    if (due > Date.now()) await sleep(due - Date.now());
    const mobileNo = accounts[Math.floor(Math.random() * accounts.length)];
    const event = pool
      .query(
        `begin; set local role telecom_network;
         select telecom.record_usage(gen_random_uuid(), '${mobileNo}', 'data', ${1 + Math.floor(Math.random() * 20)}, now() - interval '1 minute');
         commit;`,
      )
      .then(
        () => void (counts.events += 1),
        () => void (counts.errors += 1),
      );
    running.add(event);
    void event.finally(() => running.delete(event));
  }
  await Promise.all(running);
  await pool.end();
  return counts;
}

/** The first frame of the tab that shows a balance with the event in it (the balance only falls). */
function paintOf(painted: Painted[], event: Committed): Painted | undefined {
  return painted.find((paint) => paint.at >= event.at - 1 && paint.balance <= event.balance + 0.001);
}

export async function liveLatency(db: Database, options: LiveOptions): Promise<LiveResult> {
  if (!fs.existsSync(PERSISTED_DOCUMENTS_PATH)) throw new Error("Run `npm run build` first: the live bench opens the web build.");
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  const superuserUrl = benchSuperuserUrl(db);
  const customers = await chooseCustomers(superuserUrl, options.customers);
  const others = await backgroundAccounts(superuserUrl, customers);
  const server = await startServerProcess(db, { webRoot: defaultWebRoot });
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  const trusted = new pg.Pool({ connectionString: superuserUrl, max: 4 });
  try {
    log(`g. ${customers.length} customers' dashboards in ${options.tabs} tabs each (headless Chromium)`);
    const tabs: Tab[] = [];
    for (const mobileNo of customers) tabs.push(...(await openTabs(browser, server.url, mobileNo, options.tabs)));
    const reloads = await warmUp(trusted, tabs, customers);
    log(
      `g. ${options.events} events at ${options.perSecond}/s for those numbers, ${options.backgroundPerSecond}/s background events for ${others.length} other accounts`,
    );
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const backgroundRun = background(db.urls.authenticator, others, options.backgroundPerSecond, finished);
    const committed: Array<Promise<Committed>> = [];
    const started = Date.now();
    for (let n = 0; n < options.events; n += 1) {
      const due = started + (n * 1000) / options.perSecond;
      if (due > Date.now()) await sleep(due - Date.now());
      committed.push(recordCharged(trusted, customers[n % customers.length]));
    }
    const events = await Promise.all(committed);
    await sleep(GRACE_MS);
    finish();
    const backgroundCounts = await backgroundRun;
    const latencies: number[] = [];
    const parts = { notify: [] as number[], refetch: [] as number[], render: [] as number[] };
    const missed: Record<string, number> = {};
    for (const tab of tabs) {
      const painted = await tab.page.evaluate(() => (window as unknown as Watch).painted);
      for (const event of events.filter((candidate) => candidate.mobileNo === tab.mobileNo)) {
        const paint = paintOf(painted, event);
        if (!paint) {
          missed[tab.mobileNo] = (missed[tab.mobileNo] ?? 0) + 1;
          continue;
        }
        latencies.push(paint.at - event.at);
        if (paint.fetchStart === undefined || paint.fetchEnd === undefined || paint.fetchStart < event.at) continue;
        parts.notify.push(paint.fetchStart - event.at);
        parts.refetch.push(paint.fetchEnd - paint.fetchStart);
        parts.render.push(paint.at - paint.fetchEnd);
      }
    }
    return {
      settings: options,
      latency: summarize(latencies),
      parts: { notify: summarize(parts.notify), refetch: summarize(parts.refetch), render: summarize(parts.render) },
      missed,
      reloads,
      background: backgroundCounts,
    };
  } finally {
    await trusted.end();
    await browser.close();
    await server.stop();
  }
}

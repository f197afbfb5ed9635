/**
 * Usage in real time in Chromium (docs/usage.md "Live"): the customer dashboard follows
 * `record_usage` without a reload and never another person's events, comes back after the server's
 * LISTEN connection drops or the socket closes (and then loads what it missed), the admin's live
 * panel counts events, and /plans says which plan fits best. The server runs in production mode, so
 * the app's subscriptions are accepted only as the build's trusted documents.
 *
 * `record_usage` runs as a trusted session (the superuser) and commits, so the fixture is committed
 * too, and removed afterwards with everything the events made.
 */
import assert from "node:assert/strict";
import type { Browser, BrowserContext, Page, WebSocketRoute } from "playwright-core";
import { suite } from "uvu";
import type { TestServer } from "../support/server.ts";
import { logIn, logInAdmin, query, startBrowserApp, stopBrowserApp, type BrowserApp } from "../support/browser.ts";
import { Builder, sql } from "../support/builder.ts";
const data = new Builder();
const PERSON = { nationalId: await data.nationalId(), password: "live-test-pass" };
const OTHER_PERSON = { nationalId: await data.nationalId(), password: "live-other-pass" };
const MAIN = await data.mobileNo();
/** The person's second number, on hold: its events are refused. */
const SECOND = await data.mobileNo();
const OTHER = await data.mobileNo();
const ADMIN_PASSWORD = "live-test-admin-pass";

/** The operator's first day of the month `n` months before this one. */
const monthStart = (n: number) => `(date_trunc('month', telecom_private.operator_date(now())) - interval '${n} months')::date`;

/**
 * MAIN: prepaid with 40 EGP and Live Small (5 SMS, 3 used this month), paid until after today. In each
 * of the three months before this one it used 600 minutes of Live Small's 100 and paid 150 for it:
 * Live Large (19 EGP, allowances beyond any use) would have cost 19 a month instead of 150.
 * Returns the admin's username.
 */
async function createFixture(): Promise<string> {
  const person = await data.person({
    national_id: PERSON.nationalId,
    first_name: "Live",
    last_name: "Customer",
    date_of_birth: "1990-04-05",
  });
  const other = await data.person({
    national_id: OTHER_PERSON.nationalId,
    first_name: "Other",
    last_name: "Customer",
    date_of_birth: "1991-04-05",
  });
  const longAgo = sql("current_date - 200");
  await data.account(person, { mobile_no: MAIN, balance: 40, start_date: longAgo, password: PERSON.password });
  await data.account(person, { mobile_no: SECOND, balance: 10, start_date: longAgo, status: "onhold" });
  await data.account(other, { mobile_no: OTHER, balance: 30, start_date: sql("current_date - 10"), password: OTHER_PERSON.password });
  const small = await data.plan({ name: "Live Small", price: 150, sms_offered: 5, minutes_offered: 100, data_offered: 100 });
  await data.plan({ name: "Live Large", price: 19, sms_offered: 100000, minutes_offered: 100000, data_offered: 1000000 });
  await data.db.query(
    "insert into telecom.subscription (mobile_no, plan_id, subscription_date, status, paid_until) values ($1, $2, current_date - 150, 'active', current_date + 10)",
    [MAIN, small.plan_id],
  );
  await data.db.query(
    `insert into telecom.plan_usage (mobile_no, plan_id, start_date, end_date, minutes_used, sms_sent)
     select $1, $2, day, day, minutes, sms
     from (values (${monthStart(0)}, 0, 3), (${monthStart(1)}, 600, 0), (${monthStart(2)}, 600, 0), (${monthStart(3)}, 600, 0))
       as usage (day, minutes, sms)`,
    [MAIN, small.plan_id],
  );
  await data.db.query(
    `with paid as (
       insert into telecom.payment (mobile_no, amount, date_of_payment, payment_method, status)
       select $1, 150, month_start + 1, 'cash', 'successful' from (values (${monthStart(1)}), (${monthStart(2)}), (${monthStart(3)})) as month (month_start)
       returning payment_id
     )
     insert into telecom.process_payment (payment_id, plan_id) select payment_id, $2 from paid`,
    [MAIN, small.plan_id],
  );
  return (await data.admin(ADMIN_PASSWORD)).username;
}

interface Context extends BrowserApp {
  adminUsername: string;
  /** The browser contexts of the running test, closed after it (their sockets with them). */
  contexts: BrowserContext[];
}

const test = suite<Context>("web: usage in real time, in Chromium", {} as Context);

/** record_usage as a trusted session, committed at once. */
async function recordUsage(mobileNo: string, kind: "sms" | "voice" | "data", quantity: number): Promise<void> {
  await query("select telecom.record_usage($1, $2, $3::telecom.usage_kind, $4, now() - interval '1 minute')", [
    crypto.randomUUID(),
    mobileNo,
    kind,
    quantity,
  ]);
}

/** The balance as the dashboard shows it ("39.75 EGP"). */
async function shownBalance(mobileNo: string): Promise<string> {
  const [{ balance }] = await query<{ balance: string }>("select balance::text from telecom.customer_account where mobile_no = $1", [
    mobileNo,
  ]);
  return `${balance} EGP`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

/** The server's LISTEN connection and its last statement (PgSubscriber runs `LISTEN "<channel>"` per new channel). */
const listenStatement = (channel: string) => `LISTEN "${channel}"`;
const personChannel = (nationalId: number) => `telecom_live:person:${nationalId}`;

/** The backend that LISTENs on the channel; once its LISTEN is done (idle), every NOTIFY of it reaches the subscription. */
async function listening(channel: string): Promise<number> {
  let pid = 0;
  await until(async () => {
    const rows = await query<{ pid: number }>("select pid from pg_stat_activity where query = $1 and state = 'idle'", [
      listenStatement(channel),
    ]);
    pid = rows[0]?.pid ?? 0;
    return pid !== 0;
  }, `the server listens on ${channel}`);
  return pid;
}

/** No subscription of an earlier test listens any more (its socket closed, the channel was unlistened). */
async function quiet(channel: string): Promise<void> {
  await until(
    async () => (await query("select 1 from pg_stat_activity where query = $1", [listenStatement(channel)])).length === 0,
    `nobody listens on ${channel}`,
  );
}

/** The dashboard of MAIN, live: its subscription is accepted and the server listens on the person's channel. */
async function liveDashboard(context: BrowserContext, server: TestServer): Promise<Page> {
  await quiet(personChannel(PERSON.nationalId));
  const page = await logIn(context, server, MAIN, PERSON.password);
  await page.getByTestId("balance").waitFor();
  await page.locator("[data-testid=live-state][data-state=live]").waitFor();
  await listening(personChannel(PERSON.nationalId));
  return page;
}

const balance = (page: Page, text: string) => page.getByTestId("balance").filter({ hasText: text }).waitFor();

/** The page was not loaded again: a value set on its window is still there. */
async function markPage(page: Page): Promise<() => Promise<boolean>> {
  await page.evaluate(() => ((window as unknown as { liveTestMark: number }).liveTestMark = 1));
  return () => page.evaluate(() => (window as unknown as { liveTestMark?: number }).liveTestMark === 1);
}

test.before(async (context) => {
  // Production: customers' documents, the subscriptions too, only from the build's manifest.
  Object.assign(context, await startBrowserApp(async () => (context.adminUsername = await createFixture()), { production: true }));
  context.contexts = [];
});

/** A browser context of this test: closed after it, also when it fails, so its subscriptions end. */
async function newContext(context: Context, options: Parameters<Browser["newContext"]>[0] = {}): Promise<BrowserContext> {
  const opened = await context.browser.newContext(options);
  context.contexts.push(opened);
  return opened;
}

test.after.each(async (context) => {
  await Promise.all(context.contexts.splice(0).map((opened) => opened.close()));
});

test.after(async (context) => {
  await stopBrowserApp(context, data);
});

test("the dashboard shows usage, alerts and the balance as record_usage rates events, without a reload", async (ctx) => {
  const { server } = ctx;
  const context = await newContext(ctx);
  const page = await liveDashboard(context, server);
  assert.equal(await page.getByTestId("balance").textContent(), "40.00 EGP");
  assert.equal(await page.getByTestId("usage-alerts").count(), 0);
  const sameDocument = await markPage(page);
  // The 4th of 5 SMS: in the allowance, and the 80 % alert.
  await recordUsage(MAIN, "sms", 1);
  await page.getByTestId("usage-alerts").locator("li", { hasText: "You have used 80% of the SMS of Live Small this month." }).waitFor();
  assert.equal(await page.getByTestId("balance").textContent(), "40.00 EGP");
  // The 5th in the allowance (100 %), the 6th charged at 0.25.
  await recordUsage(MAIN, "sms", 2);
  await balance(page, "39.75 EGP");
  await page.getByTestId("usage-alerts").locator("li", { hasText: "You have used all the SMS of Live Small this month." }).waitFor();
  assert.equal(await page.getByTestId("usage-alerts").locator("li").count(), 1, "the 100 % alert replaces the 80 % one");
  assert.ok(await sameDocument(), "no reload");
});

test("another person's events never reach the dashboard; the person's other number does not reload it", async (ctx) => {
  const { server } = ctx;
  const context = await newContext(ctx);
  // Every live update the page receives (by number), and every time it loads the dashboard's figures.
  const updates: string[] = [];
  let dashboardLoads = 0;
  context.on("page", (page) => {
    page.on("websocket", (socket) =>
      socket.on("framereceived", ({ payload }) => {
        const message = JSON.parse(String(payload)) as { type: string; payload?: { data?: { myLiveUpdates?: { mobileNo: string } } } };
        const update = message.payload?.data?.myLiveUpdates;
        if (message.type === "next" && update) updates.push(update.mobileNo);
      }),
    );
    page.on("request", (request) => {
      if (request.url().endsWith("/graphql") && request.postData()?.includes("query Dashboard")) dashboardLoads += 1;
    });
  });
  const dashboard = await liveDashboard(context, server);
  const before = await shownBalance(MAIN);
  await balance(dashboard, before);
  // Someone else's charged event: nothing arrives.
  await recordUsage(OTHER, "sms", 4);
  // The person's own number on hold: its (refused) event arrives, and the dashboard of MAIN stays as it is.
  const loads = dashboardLoads;
  await recordUsage(SECOND, "sms", 1);
  await until(async () => updates.includes(SECOND), "the update of the second number arrived");
  assert.equal(dashboardLoads, loads, "an update of another number does not load this number's figures");
  // MAIN's own charged event: it arrives after the others (one LISTEN connection, in commit order).
  await recordUsage(MAIN, "sms", 1);
  await balance(dashboard, await shownBalance(MAIN));
  assert.notEqual(await shownBalance(MAIN), before);
  assert.ok(!updates.includes(OTHER), "no update of another person's number");
  assert.deepEqual([...new Set(updates)].sort(), [MAIN, SECOND]);
  assert.equal(await shownBalance(OTHER), "29.00 EGP", "the other person's event was rated");
});

test("after the server's LISTEN connection drops, the dashboard subscribes again and follows usage", async (ctx) => {
  const { server } = ctx;
  const context = await newContext(ctx);
  const page = await liveDashboard(context, server);
  const sameDocument = await markPage(page);
  const pid = await listening(personChannel(PERSON.nationalId));
  await query("select pg_terminate_backend($1)", [pid]);
  // Rated while the subscription is gone or coming back: the dashboard loads it when it is back.
  await recordUsage(MAIN, "sms", 1);
  await balance(page, await shownBalance(MAIN));
  await until(async () => (await listening(personChannel(PERSON.nationalId))) !== pid, "a new LISTEN connection");
  await page.locator("[data-testid=live-state][data-state=live]").waitFor();
  await recordUsage(MAIN, "sms", 1);
  await balance(page, await shownBalance(MAIN));
  assert.ok(await sameDocument(), "no reload");
});

test("when the socket closes, the app connects again and loads what happened while it was away", async (ctx) => {
  const { server } = ctx;
  await quiet(personChannel(PERSON.nationalId));
  const context = await newContext(ctx);
  // Every socket of the page goes through the test: the second one's messages from the server wait
  // until the test lets them through, so an event is rated while nothing listens.
  const toServers: WebSocketRoute[] = [];
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let secondOpened!: () => void;
  const second = new Promise<void>((resolve) => (secondOpened = resolve));
  await context.routeWebSocket(/\/graphql$/, (socket) => {
    const toServer = socket.connectToServer();
    toServers.push(toServer);
    if (toServers.length === 1) return;
    secondOpened();
    toServer.onMessage((message) => void held.then(() => socket.send(message)));
  });
  const page = await liveDashboard(context, server);
  const sameDocument = await markPage(page);
  // The server end of the first socket closes, as in a restart; the page sees its socket close.
  await toServers[0].close();
  await second;
  await quiet(personChannel(PERSON.nationalId));
  await recordUsage(MAIN, "sms", 1);
  const missed = await shownBalance(MAIN);
  assert.notEqual(await page.getByTestId("balance").textContent(), missed, "nothing listened");
  release();
  await balance(page, missed);
  await page.locator("[data-testid=live-state][data-state=live]").waitFor();
  assert.ok(await sameDocument(), "no reload");
});

test("the admin's live panel counts the events of the last minute, refusals and the top consumers", async (ctx) => {
  const { server } = ctx;
  await quiet(personChannel(PERSON.nationalId));
  const context = await newContext(ctx, { viewport: { width: 1200, height: 900 } });
  const page = await logInAdmin(context, server, ctx.adminUsername, ADMIN_PASSWORD);
  const panel = page.locator("admin-live-usage");
  await panel.locator("[data-testid=live-state][data-state=live]").waitFor();
  assert.equal(
    (await panel.getByTestId("live-empty").innerText()).replace(/\s+/g, " "),
    "No events in the last minute. Usage appears here as the network reports it (try npm run usage:simulate against this server).",
  );
  await listening("telecom_live:admin");
  await recordUsage(MAIN, "sms", 2);
  await recordUsage(SECOND, "sms", 1);
  await recordUsage(MAIN, "voice", 1);
  await panel.getByTestId("events-per-minute").filter({ hasText: /^3$/ }).waitFor();
  assert.equal(await panel.getByTestId("refused-events").textContent(), "1");
  const rows = await panel.getByTestId("top-consumers").locator("tbody tr").allInnerTexts();
  assert.deepEqual(
    rows.map((row) => row.split("\t")),
    [
      [MAIN, "2", "0.50 EGP"],
      [SECOND, "1", "0.00 EGP"],
    ],
  );
});

test("/plans names the best fit and the monthly saving, or says there is nothing to compare yet", async (ctx) => {
  const { server } = ctx;
  const context = await newContext(ctx);
  const page = await logIn(context, server, MAIN, PERSON.password);
  await page.goto(`${server.url}/plans`);
  assert.equal(
    await page.getByTestId("recommendation").textContent(),
    "Based on your last three months, Live Large would cost about 19 EGP a month, 131 EGP less than you pay now.",
  );
  await page.getByText("You can subscribe to it below, under the plans this number doesn't have.").waitFor();
  // A number of ten days: nothing to compare with.
  const newcomer = await newContext(ctx);
  const other = await logIn(newcomer, server, OTHER, OTHER_PERSON.password);
  await other.goto(`${server.url}/plans`);
  assert.equal(
    await other.getByTestId("recommendation").textContent(),
    "This number has no usage or payments in the last three months to compare plans with yet; a recommendation appears here once it has.",
  );
});

test.run();

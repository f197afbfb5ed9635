/**
 * The web app's foundations in headless Chromium: one login shared by the tabs of a
 * browser and ended in all of them by one logout; a person with two numbers switches between them
 * and every page follows; a long list pages with "More"; a payment whose answer is lost is sent
 * again with the same idempotency key and applied once.
 *
 * Like app.test.ts, the browser commits through the server, so the fixture is committed, and removed
 * afterwards with everything the browser made.
 */
import assert from "node:assert/strict";
import { suite } from "uvu";
import { logIn, nav, query, shot, startBrowserApp, stopBrowserApp, type BrowserApp } from "../support/browser.ts";
import { Builder, sql } from "../support/builder.ts";
const data = new Builder();
const PERSON = { nationalId: await data.nationalId(), password: "foundations-pass" };
const FIRST = await data.mobileNo();
const SECOND = await data.mobileNo();
const TICKETS = 130;

/** The person's two numbers (the second post-paid and on hold), a wallet on the first, and many resolved tickets of it. */
async function createFixture(): Promise<void> {
  const person = await data.person({
    national_id: PERSON.nationalId,
    first_name: "Foundations",
    last_name: "Customer",
    email: "foundations.customer@example.com",
    address: "3 Tab St",
    date_of_birth: "1990-05-06",
  });
  const first = await data.account(person, {
    mobile_no: FIRST,
    balance: 100,
    start_date: sql("current_date - 200"),
    points: 10,
    password: PERSON.password,
  });
  await data.account(person, {
    mobile_no: SECOND,
    balance: 40,
    account_type: "post_paid",
    start_date: sql("current_date - 100"),
    status: "onhold",
    points: 20,
  });
  await data.wallet(first, { current_balance: 60 });
  await data.db.query(
    `insert into telecom.technical_support_ticket (mobile_no, issue_description, priority_level, status)
     select $1, 'Foundations ticket ' || n, 1 + n % 5, 'resolved' from generate_series(1, $2) as n`,
    [FIRST, TICKETS],
  );
}

type Context = BrowserApp;

const test = suite<Context>("web app foundations in Chromium", {} as Context);

test.before(async (context) => {
  Object.assign(context, await startBrowserApp(createFixture));
});

test.after(async (context) => {
  await stopBrowserApp(context, data);
});

test("two tabs share one login, and a logout in one logs out both", async ({ browser, server }) => {
  const context = await browser.newContext();
  const first = await logIn(context, server, FIRST, PERSON.password);
  const second = await context.newPage();
  await second.goto(`${server.url}/payments`);
  await second.getByRole("heading", { name: "Payments", exact: true }).waitFor();
  assert.equal(new URL(second.url()).pathname, "/payments");
  assert.equal(await second.getByTestId("page-number").textContent(), `Number ${FIRST}`);
  await second.getByRole("button", { name: "Log out" }).click();
  await second.waitForURL(/\/login$/);
  await first.waitForURL(/\/login$/);
  await first.getByRole("alert").filter({ hasText: "You logged out in another tab." }).waitFor();
  await first.getByRole("button", { name: "Log in" }).waitFor();
  // The login is gone for a new tab too.
  const third = await context.newPage();
  await third.goto(`${server.url}/wallet`);
  await third.waitForURL(/\/login$/);
  await context.close();
});

test("a person with two numbers switches between them; every page and every tab follows", async ({ browser, server }) => {
  const context = await browser.newContext();
  const page = await logIn(context, server, FIRST, PERSON.password);
  const other = await context.newPage();
  await other.goto(`${server.url}/vouchers`);
  await other.getByTestId("page-number").filter({ hasText: FIRST }).waitFor();
  await page.getByTestId("balance").filter({ hasText: "100.00 EGP" }).waitFor();
  const switcher = page.getByTestId("number-switcher");
  await switcher.waitFor();
  const options = await switcher.locator("option").allTextContents();
  assert.deepEqual(
    options.map((label) => label.trim()),
    [FIRST, `${SECOND} (on hold)`],
  );
  await switcher.selectOption(SECOND);
  await page.getByTestId("page-number").filter({ hasText: SECOND }).waitFor();
  await page.getByTestId("balance").filter({ hasText: "40.00 EGP" }).waitFor();
  assert.equal(await page.getByTestId("points").textContent(), "20");
  await page.getByText("This number has no wallet.").waitFor();
  await shot(page, "customer-switched-number");
  await nav(page, "Support").click();
  await page.waitForURL(`${server.url}/tickets`);
  await page.getByTestId("page-number").filter({ hasText: SECOND }).waitFor();
  await page.getByText("This number has no tickets.").waitFor();
  // The other tab shows the chosen number's vouchers page now.
  await other.getByTestId("page-number").filter({ hasText: SECOND }).waitFor();
  assert.equal(await other.getByTestId("points").textContent(), "20");
  await page.getByTestId("number-switcher").selectOption(FIRST);
  await page.getByTestId("page-number").filter({ hasText: FIRST }).waitFor();
  await context.close();
});

test("a long list pages: 100 rows, then the rest with More", async ({ browser, server }) => {
  const context = await browser.newContext();
  const page = await logIn(context, server, FIRST, PERSON.password);
  await nav(page, "Support").click();
  const list = page.locator("section", { has: page.getByRole("heading", { name: "Tickets of this number" }) });
  await list.getByText("100 shown").waitFor();
  assert.equal(await list.getByTestId("tickets").locator("li").count(), 100);
  await list.getByRole("button", { name: "More" }).click();
  await list.getByText(`${TICKETS} shown, all loaded`).waitFor();
  assert.equal(await list.getByTestId("tickets").locator("li").count(), TICKETS);
  assert.equal(await list.getByRole("button", { name: "More" }).count(), 0);
  await context.close();
});

test("a payment whose answer is lost is sent again with the same key and applied once", async ({ browser, server }) => {
  const context = await browser.newContext();
  // Plain HTTP on a LAN has no crypto.randomUUID: the key comes from crypto.getRandomValues.
  await context.addInitScript(() => Object.defineProperty(Crypto.prototype, "randomUUID", { value: undefined }));
  const page = await logIn(context, server, FIRST, PERSON.password);
  const keys: string[] = [];
  let lost = false;
  await page.route("**/graphql", async (route) => {
    const body = route.request().postDataJSON();
    if (!String(body?.query).includes("initiateBalancePayment")) return route.continue();
    keys.push(body.variables.idempotencyKey);
    if (lost) return route.continue();
    lost = true;
    // The server applies the payment; its answer never reaches the browser.
    await route.fetch();
    await route.abort("connectionreset");
  });
  await nav(page, "Payments").click();
  const form = page.locator("section", { has: page.getByRole("heading", { name: "Recharge your balance" }) });
  const review = async (amount: string) => {
    await form.getByLabel("Amount (EGP)").fill(amount);
    await form.getByLabel("Pay with").selectOption("wallet");
    await form.getByRole("button", { name: "Continue" }).click();
  };
  await review("33.50");
  await form.getByRole("button", { name: "Recharge 33.50 EGP" }).click();
  await form.getByRole("alert").filter({ hasText: "it will be applied only once" }).waitFor();
  // The review stays as it was: the same payment is sent again.
  await form.getByRole("button", { name: "Recharge 33.50 EGP" }).click();
  await form.getByTestId("receipt").filter({ hasText: "33.50 EGP" }).waitFor();
  assert.equal(keys.length, 2);
  assert.equal(keys[0], keys[1]);
  assert.match(keys[0], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const payments = await query<{ n: number }>(
    `select count(*)::integer as n from telecom.payment where mobile_no = '${FIRST}' and amount = 33.50`,
  );
  assert.equal(payments[0].n, 1);
  // A new action gets a new key.
  await review("1.00");
  await form.getByRole("button", { name: "Recharge 1.00 EGP" }).click();
  await form.getByTestId("receipt").filter({ hasText: "1.00 EGP" }).waitFor();
  assert.equal(keys.length, 3);
  assert.notEqual(keys[2], keys[0]);
  await context.close();
});

test.run();

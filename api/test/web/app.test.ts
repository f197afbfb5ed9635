/**
 * The web app in headless Chromium (Debian's /usr/bin/chromium through playwright-core): the
 * production build served by the real server, with fixture rows committed for the browser to see.
 *
 * The browser works through the server, so its changes are committed, unlike the other tests'
 * rolled-back transactions. The fixture therefore uses its own identifiers (99…), which no other
 * test uses, and `after` deletes every row it or the browser made (also at the start, after a crash).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { suite } from "uvu";
import { build } from "vite";
import { projectRoot } from "../../src/db/migrations.ts";
import { getRootPool } from "../helpers.ts";
import { deletePeople } from "../support/people.ts";
import { startTestServer, type TestServer } from "../server.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCREENSHOTS = path.join(projectRoot, "test-results");

const CUSTOMER = { mobileNo: "01999000001", nationalId: 99900001, password: "web-test-pass" };
const FRIEND = { mobileNo: "01999000002", nationalId: 99900002 };
const ADMIN = { username: "web-test-admin", password: "web-test-admin-pass" };
const ID = {
  plan: 990001,
  walletOwn: 990001,
  walletFriend: 990002,
  shopStore: 990001,
  shopOnline: 990002,
  voucher: 990001,
  voucherOnline: 990002,
  benefit: 990001,
  payment: 990001,
  cashback: 990001,
  ticket: 990001,
};

const FIXTURE = `
insert into telecom.customer_profile (national_id, first_name, last_name, email, address, date_of_birth) values
  (${CUSTOMER.nationalId}, 'Webtest', 'Customer', 'webtest.customer@example.com', '1 Browser St', '1991-02-03'),
  (${FRIEND.nationalId}, 'Webtest', 'Friend', null, null, '1992-03-04');
insert into telecom.customer_account (mobile_no, national_id, balance, account_type, start_date, status, points) values
  ('${CUSTOMER.mobileNo}', ${CUSTOMER.nationalId}, 500, 'prepaid', current_date - 100, 'active', 1000),
  ('${FRIEND.mobileNo}', ${FRIEND.nationalId}, 20, 'prepaid', current_date - 50, 'active', 0);
insert into telecom_private.customer_credential (mobile_no, password_hash) values
  ('${CUSTOMER.mobileNo}', public.crypt('${CUSTOMER.password}', public.gen_salt('bf', 4)));
insert into telecom_private.admin_user (username, password_hash) values
  ('${ADMIN.username}', public.crypt('${ADMIN.password}', public.gen_salt('bf', 4)));
insert into telecom.wallet (wallet_id, national_id, mobile_no, current_balance) values
  (${ID.walletOwn}, ${CUSTOMER.nationalId}, '${CUSTOMER.mobileNo}', 300),
  (${ID.walletFriend}, ${FRIEND.nationalId}, '${FRIEND.mobileNo}', 50);
insert into telecom.service_plan (plan_id, name, price, sms_offered, minutes_offered, data_offered, description) values
  (${ID.plan}, 'Webtest Plan', 100, 100, 200, 1000, 'The browser test''s plan');
insert into telecom.subscription (mobile_no, plan_id, subscription_date, status) values
  ('${CUSTOMER.mobileNo}', ${ID.plan}, current_date - 3, 'active');
insert into telecom.plan_usage (mobile_no, plan_id, start_date, end_date, data_consumption, minutes_used, sms_sent) values
  ('${CUSTOMER.mobileNo}', ${ID.plan}, date_trunc('month', current_date)::date, current_date, 400, 50, 25);
insert into telecom.payment (payment_id, mobile_no, amount, date_of_payment, payment_method, status) values
  (${ID.payment}, '${CUSTOMER.mobileNo}', 100, current_date - 3, 'credit', 'successful');
insert into telecom.benefit (benefit_id, description, validity_date, status, mobile_no) values
  (${ID.benefit}, 'Webtest benefit', current_date + 30, 'active', '${CUSTOMER.mobileNo}');
insert into telecom.plan_provides_benefits (plan_id, benefit_id) values (${ID.plan}, ${ID.benefit});
insert into telecom.cashback (cashback_id, benefit_id, wallet_id, amount, credit_date, payment_id) values
  (${ID.cashback}, ${ID.benefit}, ${ID.walletOwn}, 10, current_date - 2, ${ID.payment});
insert into telecom.shop (shop_id, name, category) values
  (${ID.shopStore}, 'Webtest Store', 'electronics'),
  (${ID.shopOnline}, 'Webtest Online', 'books');
insert into telecom.physical_shop (shop_id, address, working_hours) values (${ID.shopStore}, '2 Test Sq', '9-17');
insert into telecom.e_shop (shop_id, url, rating) values (${ID.shopOnline}, 'https://webtest.example.com', 4);
insert into telecom.voucher (voucher_id, value, expiry_date, points, shop_id) values
  (${ID.voucher}, 75, current_date + 30, 200, ${ID.shopStore}),
  (${ID.voucherOnline}, 33, current_date + 30, 100, ${ID.shopOnline});
insert into telecom.technical_support_ticket (ticket_id, mobile_no, issue_description, priority_level, status) values
  (${ID.ticket}, '${CUSTOMER.mobileNo}', 'Webtest resolved issue', 2, 'resolved');
`;

const TEST_DATA = {
  nationalIds: [CUSTOMER.nationalId, FRIEND.nationalId],
  planIds: [ID.plan],
  shopIds: [ID.shopStore, ID.shopOnline],
  adminUsernames: [ADMIN.username],
  logins: [CUSTOMER.mobileNo, `admin:${ADMIN.username}`],
};

interface Context {
  webRoot: string;
  server: TestServer;
  browser: Browser;
  customer: Page;
  admin: Page;
}

const test = suite<Context>("web app in Chromium", {} as Context);

async function sql(text: string): Promise<void> {
  await getRootPool().query(text);
}

async function query<T>(text: string): Promise<T[]> {
  return (await getRootPool().query(text)).rows as T[];
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The section of a page with this heading (pages group each operation in a section). */
const section = (page: Page, heading: string) =>
  page.locator("section", { has: page.getByRole("heading", { name: heading, exact: true }) });

/** A link of the main navigation. */
const nav = (page: Page, name: string) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });

test.before(async (context) => {
  assert.ok(fs.existsSync(CHROMIUM), `Chromium is missing at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  context.webRoot = fs.mkdtempSync(path.join(os.tmpdir(), "telecom-web-"));
  await build({
    configFile: path.join(projectRoot, "web", "vite.config.ts"),
    logLevel: "warn",
    build: { outDir: context.webRoot, emptyOutDir: true },
  });
  await deletePeople(TEST_DATA);
  await sql(FIXTURE);
  context.server = await startTestServer({ webRoot: context.webRoot });
  context.browser = await chromium.launch({ executablePath: CHROMIUM });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});

test.after(async (context) => {
  await context.browser?.close();
  await context.server?.close();
  await deletePeople(TEST_DATA);
  fs.rmSync(context.webRoot, { recursive: true, force: true });
});

test("a customer logs in with their mobile number and sees balance, points, wallet and the usage chart", async (context) => {
  const page = (context.customer = await context.browser.newPage({ viewport: { width: 1200, height: 900 } }));
  await page.goto(`${context.server.url}/usage`);
  await page.waitForURL(/\/login$/);
  await page.getByLabel("Mobile number").fill("0199900000");
  await page.getByLabel("Password").fill(CUSTOMER.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByText("11 digits, e.g. 01012345678").first().waitFor();
  assert.equal(await page.locator("p.field-error").textContent(), "11 digits, e.g. 01012345678");
  await page.getByLabel("Mobile number").fill(CUSTOMER.mobileNo);
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("alert").filter({ hasText: "Wrong credentials." }).waitFor();
  await page.getByLabel("Password").fill(CUSTOMER.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(`${context.server.url}/`);
  assert.equal(await page.getByTestId("balance").textContent(), "500.00 EGP");
  assert.equal(await page.getByTestId("points").textContent(), "1000");
  assert.equal(await page.getByTestId("wallet-balance").textContent(), "300.00 EGP");
  const chart = page.locator("usage-chart");
  await chart.locator("canvas").waitFor();
  assert.equal(await chart.count(), 1);
  assert.match(
    (await chart.locator("[role=img]").getAttribute("aria-label")) ?? "",
    /^Webtest Plan this month: Data \(MB\) 400 of 1000, Minutes 50 of 200, SMS 25 of 100$/,
  );
  await shot(page, "customer-dashboard");
});

test("a customer pays for a plan from the wallet: the form starts at the price, the review says what will happen", async ({
  customer: page,
  server,
}) => {
  await nav(page, "Plans").click();
  await page.waitForURL(`${server.url}/plans`);
  const pay = section(page, "Pay for a plan");
  await pay.getByLabel("Plan").selectOption(String(ID.plan));
  assert.equal(await pay.getByLabel("Amount (EGP)").inputValue(), "100.00");
  await pay.getByLabel("Amount (EGP)").fill("-5");
  await pay.getByRole("button", { name: "Review the payment" }).click();
  await pay.getByRole("alert").waitFor();
  assert.equal(await query("select 1 from telecom.payment where mobile_no = '01999000001' and amount = 120").then((r) => r.length), 0);
  await pay.getByLabel("Amount (EGP)").fill("120");
  await pay.getByLabel("Wallet").check();
  await pay.getByRole("button", { name: "Review the payment" }).click();
  const [{ renews }] = await query<{ renews: string }>(
    `select to_char(greatest(current_date, coalesce(paid_until, current_date)) + interval '1 month', 'YYYY-MM-DD') as renews from telecom.subscription where mobile_no = '${CUSTOMER.mobileNo}' and plan_id = ${ID.plan}`,
  );
  assert.equal(await pay.getByTestId("renews-until").textContent(), renews);
  assert.equal(await pay.getByTestId("extra").textContent(), "20.00 EGP");
  await pay.getByRole("button", { name: "Confirm and pay" }).click();
  await pay.getByTestId("receipt").waitFor();
  const [payment] = await query<{ payment_id: number; remaining_balance: string; extra_amount: string }>(
    `select payment_id, remaining_balance, extra_amount from telecom.payment join telecom.process_payment using (payment_id) where mobile_no = '${CUSTOMER.mobileNo}' and amount = 120`,
  );
  assert.equal(await pay.getByTestId("payment-status").textContent(), `Payment #${payment.payment_id} is successful.`);
  assert.equal(await pay.getByTestId("receipt-reference").textContent(), `PAY-${payment.payment_id}`);
  assert.deepEqual([payment.remaining_balance, payment.extra_amount], ["0.00", "20.00"]);
  await nav(page, "Payments").click();
  const amounts = section(page, "Remaining and extra amounts");
  await amounts.getByLabel("Plan").selectOption("Webtest Plan");
  await amounts.getByRole("button", { name: "Show amounts" }).click();
  assert.equal(
    await amounts.getByTestId("plan-amounts").innerText(),
    "Still owed for Webtest Plan\n0.00 EGP\nPaid beyond the price\n20.00 EGP",
  );
  await section(page, "All payments")
    .locator("td", { hasText: String(payment.payment_id) })
    .first()
    .waitFor();
  await shot(page, "customer-payments");
});

test("a customer redeems a voucher with points", async ({ customer: page, server }) => {
  await nav(page, "Vouchers").click();
  await page.waitForURL(`${server.url}/vouchers`);
  await page.getByRole("button", { name: `Redeem voucher ${ID.voucher} for 200 points` }).click();
  await page
    .getByRole("status")
    .filter({ hasText: `Voucher #${ID.voucher}` })
    .waitFor();
  await page.getByTestId("my-vouchers").getByText(`#${ID.voucher}`).waitFor();
  // The points are read again after the redemption; on a loaded machine that answer may come a moment later.
  await page.getByTestId("points").filter({ hasText: /^800$/ }).waitFor();
  const [voucher] = await query<{ mobile_no: string }>(`select mobile_no from telecom.voucher where voucher_id = ${ID.voucher}`);
  assert.equal(voucher.mobile_no, CUSTOMER.mobileNo);
  await shot(page, "customer-vouchers");
});

test("a customer transfers money from their wallet; a refusal shows the database's message", async ({ customer: page, server }) => {
  await nav(page, "Wallet").click();
  await page.waitForURL(`${server.url}/wallet`);
  const send = section(page, "Send money");
  await send.getByLabel("To mobile number").fill(FRIEND.mobileNo);
  await send.getByLabel("Amount (EGP)").fill("1000");
  await send.getByRole("button", { name: "Transfer" }).click();
  const refusal = await send.getByRole("alert").textContent();
  assert.ok(refusal && refusal.length > 0, "the database's refusal is shown");
  await send.getByLabel("Amount (EGP)").fill("25");
  await send.getByRole("button", { name: "Transfer" }).click();
  assert.equal(await send.getByRole("status").textContent(), `25.00 EGP sent to ${FRIEND.mobileNo}.`);
  // 300 less the plan paid from the wallet (120) less the transfer (25).
  await page.getByTestId("wallet-balance").filter({ hasText: "155.00 EGP" }).waitFor();
  await section(page, "Transfers")
    .locator("td", { hasText: String(ID.walletFriend) })
    .first()
    .waitFor();
  const balances = await query<{ wallet_id: number; current_balance: string }>(
    `select wallet_id, current_balance from telecom.wallet where wallet_id in (${ID.walletOwn}, ${ID.walletFriend}) order by wallet_id`,
  );
  assert.deepEqual(
    balances.map((w) => w.current_balance),
    ["155.00", "75.00"],
  );
  await shot(page, "customer-wallet");
  for (const route of ["usage", "tickets", "profile"]) {
    await nav(page, route === "tickets" ? "Support" : route[0].toUpperCase() + route.slice(1)).click();
    await page.waitForURL(`${server.url}/${route}`);
    await page.locator("h1").waitFor();
    await shot(page, `customer-${route}`);
  }
});

test("a customer cannot reach admin pages, and the back button works", async ({ customer: page, server }) => {
  await page.goto(`${server.url}/admin/all-customer-accounts`);
  await page.waitForURL(`${server.url}/`);
  await page.getByRole("alert").filter({ hasText: "Only administrators can open admin pages." }).waitFor();
  assert.equal(await nav(page, "Manage").count(), 0);
  await nav(page, "Vouchers").click();
  await page.waitForURL(`${server.url}/vouchers`);
  await page.goBack();
  await page.waitForURL(`${server.url}/`);
  await page.getByRole("heading", { name: "Your account" }).waitFor();
  await page.getByRole("button", { name: "Log out" }).click();
  await page.waitForURL(/\/login$/);
  await page.goto(`${server.url}/wallet`);
  await page.waitForURL(/\/login$/);
});

const VIEWS: [key: string, expected: string][] = [
  ["all-customer-accounts", CUSTOMER.mobileNo],
  ["all-service-plans", "Webtest Plan"],
  ["all-benefits", "Webtest benefit"],
  ["account-payments", String(ID.payment)],
  ["all-shops", "Webtest Store"],
  ["all-resolved-tickets", "Webtest resolved issue"],
  ["customer-wallets", "Webtest"],
  ["e-shop-vouchers", "https://webtest.example.com"],
  ["physical-store-vouchers", "2 Test Sq"],
  ["num-of-cashback", String(ID.walletOwn)],
  ["account-plan", "Webtest Plan"],
];

test("an admin logs in and opens every report with the fixture's rows", async (context) => {
  const page = (context.admin = await context.browser.newPage({ viewport: { width: 1200, height: 900 } }));
  const { server } = context;
  await page.goto(`${server.url}/login`);
  await page.getByRole("button", { name: "I am an administrator" }).click();
  await page.getByLabel("Username").fill(ADMIN.username);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(`${server.url}/admin`);
  await page.locator("bar-chart canvas").nth(1).waitFor();
  const graphiql = await page.getByRole("link", { name: "GraphiQL (signed in as you)" }).getAttribute("href");
  assert.match(graphiql ?? "", /^\/graphiql#token=[\w-]+\.[\w-]+\.[\w-]+$/);
  await shot(page, "admin-dashboard");
  for (const [key, expected] of VIEWS) {
    await page.goto(`${server.url}/admin/${key}`);
    const table = page.locator("data-table");
    await table.getByLabel("Filter").fill(expected);
    await table.locator("td", { hasText: expected }).first().waitFor();
    await shot(page, `admin-${key}`);
  }
  // Operations that take arguments.
  await page.goto(`${server.url}/admin/account-usage-plan`);
  await page.getByLabel("Mobile number").fill(CUSTOMER.mobileNo);
  await page.getByLabel("From").fill("2000-01-01");
  await page.getByRole("button", { name: "Show" }).click();
  await page
    .locator("data-table td", { hasText: String(ID.plan) })
    .first()
    .waitFor();
  assert.deepEqual(await page.locator("data-table tbody tr").first().locator("td").allTextContents(), [String(ID.plan), "400", "50", "25"]);
  await page.goto(`${server.url}/admin/wallet-mobile-no`);
  await page.getByLabel("Mobile number").fill(CUSTOMER.mobileNo);
  await page.getByRole("button", { name: "Show" }).click();
  assert.equal(await page.locator("data-table tbody td").first().textContent(), "yes");
});

test("an admin ends an account's plan benefit", async ({ admin: page, server }) => {
  await nav(page, "Manage").click();
  await page.waitForURL(`${server.url}/admin/manage`);
  const form = section(page, "End an account's plan benefits");
  await form.getByLabel("Mobile number").fill(CUSTOMER.mobileNo);
  await form.getByLabel("Plan").selectOption(String(ID.plan));
  await form.getByRole("button", { name: "End benefits" }).click();
  assert.equal(await form.getByRole("status").textContent(), "1 benefit ended.");
  assert.deepEqual(await query(`select status from telecom.benefit where benefit_id = ${ID.benefit}`), [{ status: "expired" }]);
  await shot(page, "admin-manage");
});

test("an admin opens the data model: its chunk loads on the first visit, the diagram loads and scrolls on a phone", async ({
  admin: page,
  server,
}) => {
  await page.goto(`${server.url}/admin`);
  await page.getByRole("link", { name: "Data model", exact: true }).waitFor();
  assert.equal(
    await page.evaluate(() => customElements.get("admin-data-model")),
    undefined,
    "the data model page is not loaded before its visit",
  );
  await page.getByRole("link", { name: "Data model", exact: true }).click();
  await page.waitForURL(`${server.url}/admin/data-model`);
  const image = page.getByRole("img", { name: /^Entity-relationship diagram of the Telecom database/ });
  await image.waitFor();
  await image.evaluate((img: HTMLImageElement) => img.decode());
  const natural = await image.evaluate((img: HTMLImageElement) => ({ width: img.naturalWidth, height: img.naturalHeight }));
  assert.ok(natural.width > 1000 && natural.height > 500, `the diagram loaded at its own size, got ${JSON.stringify(natural)}`);
  await shot(page, "admin-data-model");

  await page.setViewportSize({ width: 375, height: 740 });
  try {
    const width = (selector: string) => page.locator(selector).evaluate((el) => Math.round(el.getBoundingClientRect().width));
    assert.ok((await width("admin-data-model img")) <= 375, "the diagram opens fitted to the width of a phone");
    await page.getByRole("button", { name: "Zoom in" }).click();
    assert.equal(await page.locator("admin-data-model output").textContent(), "25%");
    assert.equal(await width("admin-data-model img"), Math.round(natural.width * 0.25));
    const frame = page.getByRole("region", { name: "Diagram (scrolls)" });
    assert.ok(await frame.evaluate((el) => el.scrollWidth > el.clientWidth), "the zoomed diagram scrolls inside its frame");
    const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(pageWidth <= 375, `the page itself does not scroll sideways (${pageWidth}px)`);
    await shot(page, "admin-data-model-phone");
    await page.getByRole("button", { name: "Fit to width" }).click();
    assert.ok((await width("admin-data-model img")) <= 375, '"Fit to width" shows the whole width again');
  } finally {
    await page.setViewportSize({ width: 1200, height: 900 });
  }
});

test.run();

/**
 * The web app in headless Chromium (Debian's /usr/bin/chromium through playwright-core): the
 * production build served by the real server, with fixture rows committed for the browser to see.
 *
 * The browser works through the server, so its changes are committed, unlike the other tests'
 * rolled-back transactions. The fixture is therefore committed too, and `after` removes every row it
 * or the browser made (support/builder.ts).
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { suite } from "uvu";
import { logInAdmin, nav, query, section, shot, startBrowserApp, stopBrowserApp, type BrowserApp } from "../support/browser.ts";
import { Builder, sql } from "../support/builder.ts";

const data = new Builder();
const CUSTOMER = { mobileNo: await data.mobileNo(), nationalId: await data.nationalId(), password: "web-test-pass" };
const FRIEND = { mobileNo: await data.mobileNo(), nationalId: await data.nationalId() };
const ADMIN_PASSWORD = "web-test-admin-pass";
/** Numbers and a national id nobody has, for the admin to type. */
const NEW_NUMBER = await data.mobileNo();
const UNISSUED_NUMBER = await data.mobileNo();
const NOBODY = await data.nationalId();

interface Ids {
  plan: number;
  walletOwn: number;
  walletFriend: number;
  voucher: number;
  benefit: number;
  payment: number;
  cashback: number;
  adminUsername: string;
}
/** The fixture's ids, as the database gave them (filled in by `createFixture`). */
const ID = {} as Ids;

/**
 * The customer (500 on the account, 1000 points, 300 in the wallet, a plan with usage, a card payment
 * with cashback, a resolved ticket) and a friend (a wallet of 50); two shops with a voucher each; an admin.
 */
async function createFixture(): Promise<void> {
  const customer = await data.customer({
    national_id: CUSTOMER.nationalId,
    mobile_no: CUSTOMER.mobileNo,
    profile: {
      first_name: "Webtest",
      last_name: "Customer",
      email: "webtest.customer@example.com",
      address: "1 Browser St",
      date_of_birth: "1991-02-03",
    },
    account: { balance: 500, start_date: sql("current_date - 100"), points: 1000, password: CUSTOMER.password },
    wallet: 300,
  });
  const friend = await data.customer({
    national_id: FRIEND.nationalId,
    mobile_no: FRIEND.mobileNo,
    profile: { first_name: "Webtest", last_name: "Friend", date_of_birth: "1992-03-04" },
    account: { balance: 20, start_date: sql("current_date - 50") },
    wallet: 50,
  });
  ID.walletOwn = customer.wallet_id!;
  ID.walletFriend = friend.wallet_id!;
  ID.adminUsername = (await data.admin(ADMIN_PASSWORD)).username;
  ID.plan = (
    await data.plan({
      name: "Webtest Plan",
      price: 100,
      sms_offered: 100,
      minutes_offered: 200,
      data_offered: 1000,
      description: "The browser test's plan",
    })
  ).plan_id;
  const row = async (relation: string, values: Record<string, unknown>, key: string) =>
    (await data.insert<Record<string, number>>(relation, values, [key]))[key];
  await data.db.query(
    "insert into telecom.subscription (mobile_no, plan_id, subscription_date, status) values ($1, $2, current_date - 3, 'active')",
    [CUSTOMER.mobileNo, ID.plan],
  );
  await data.db.query(
    `insert into telecom.plan_usage (mobile_no, plan_id, start_date, end_date, data_consumption, minutes_used, sms_sent)
     values ($1, $2, date_trunc('month', current_date)::date, current_date, 400, 50, 25)`,
    [CUSTOMER.mobileNo, ID.plan],
  );
  ID.payment = await row(
    "telecom.payment",
    { mobile_no: CUSTOMER.mobileNo, amount: 100, date_of_payment: sql("current_date - 3"), payment_method: "credit", status: "successful" },
    "payment_id",
  );
  ID.benefit = await row(
    "telecom.benefit",
    { description: "Webtest benefit", validity_date: sql("current_date + 30"), status: "active", mobile_no: CUSTOMER.mobileNo },
    "benefit_id",
  );
  await data.db.query("insert into telecom.plan_provides_benefits (plan_id, benefit_id) values ($1, $2)", [ID.plan, ID.benefit]);
  ID.cashback = await row(
    "telecom.cashback",
    { benefit_id: ID.benefit, wallet_id: ID.walletOwn, amount: 10, credit_date: sql("current_date - 2"), payment_id: ID.payment },
    "cashback_id",
  );
  const store = await data.shop({ name: "Webtest Store", category: "electronics" });
  const online = await data.shop({ name: "Webtest Online", category: "books" });
  await data.db.query("insert into telecom.physical_shop (shop_id, address, working_hours) values ($1, '2 Test Sq', '9-17')", [store]);
  await data.db.query("insert into telecom.e_shop (shop_id, url, rating) values ($1, 'https://webtest.example.com', 4)", [online]);
  ID.voucher = await row(
    "telecom.voucher",
    { value: 75, expiry_date: sql("current_date + 30"), points: 200, shop_id: store },
    "voucher_id",
  );
  await data.db.query("insert into telecom.voucher (value, expiry_date, points, shop_id) values (33, current_date + 30, 100, $1)", [
    online,
  ]);
  await data.db.query(
    "insert into telecom.technical_support_ticket (mobile_no, issue_description, priority_level, status) values ($1, 'Webtest resolved issue', 2, 'resolved')",
    [CUSTOMER.mobileNo],
  );
}

interface Context extends BrowserApp {
  customer: Page;
  admin: Page;
}

const test = suite<Context>("web app in Chromium", {} as Context);

test.before(async (context) => {
  Object.assign(context, await startBrowserApp(createFixture));
});

test.after(async (context) => {
  await stopBrowserApp(context, data);
});

test("a customer logs in with their mobile number and sees balance, points, wallet and the usage chart", async (context) => {
  const page = (context.customer = await context.browser.newPage({ viewport: { width: 1200, height: 900 } }));
  await page.goto(`${context.server.url}/usage`);
  await page.waitForURL(/\/login$/);
  await page.getByLabel("Mobile number").fill(CUSTOMER.mobileNo.slice(0, -1));
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
  assert.equal(await page.getByTestId("points").textContent(), "1,000");
  assert.equal(await page.getByTestId("wallet-balance").textContent(), "300.00 EGP");
  const chart = page.locator("usage-chart");
  await chart.locator("canvas").waitFor();
  assert.equal(await chart.count(), 1);
  assert.match(
    (await chart.locator("[role=img]").getAttribute("aria-label")) ?? "",
    /^Webtest Plan this month: Data 600 MB left of 1,000 MB, Calls 150 minutes left of 200 minutes, Messages 75 SMS left of 100 SMS; resets on the 1st$/,
  );
  await shot(page, "customer-dashboard");
});

test("a customer pays for a plan from the wallet: the form starts at the price, checked, the review says what will happen, then a receipt", async ({
  customer: page,
  server,
}) => {
  await nav(page, "Plans").click();
  await page.waitForURL(`${server.url}/plans`);
  const pay = section(page, "Pay for a plan");
  await pay.getByLabel("Plan").selectOption(String(ID.plan));
  assert.equal(await pay.getByLabel("Amount (EGP)").inputValue(), "100.00");
  await pay.getByLabel("Amount (EGP)").fill("-5");
  await pay.getByRole("button", { name: "Continue" }).click();
  assert.equal(await pay.locator("p.field-error[role=alert]").textContent(), "Enter an amount in pounds, e.g. 25 or 25.50.");
  await pay.getByLabel("Amount (EGP)").fill("12abc");
  await pay.getByRole("button", { name: "Continue" }).click();
  assert.equal(await pay.locator("p.field-error").textContent(), "Enter an amount in pounds, e.g. 25 or 25.50.");
  await pay.getByLabel("Amount (EGP)").fill("90");
  await pay.getByRole("button", { name: "Continue" }).click();
  assert.equal(await pay.locator("p.field-error").textContent(), "Pay at least the plan's price, 100.00 EGP.");
  await pay.getByLabel("Amount (EGP)").fill("120");
  await pay.getByLabel("Pay with").selectOption("wallet");
  await pay.getByRole("button", { name: "Continue" }).click();
  const confirmation = pay.getByTestId("confirmation");
  const [{ renews }] = await query<{ renews: string }>(
    `select to_char(greatest(current_date, coalesce(paid_until, current_date)) + interval '1 month', 'YYYY-MM-DD') as renews from telecom.subscription where mobile_no = '${CUSTOMER.mobileNo}' and plan_id = ${ID.plan}`,
  );
  assert.equal(await pay.getByTestId("renews-until").locator("time").getAttribute("datetime"), renews);
  const renewsText = await page.evaluate(
    (day) => new Date(`${day}T00:00:00`).toLocaleDateString("en", { day: "numeric", month: "short", year: "numeric" }),
    renews,
  );
  assert.equal(await pay.getByTestId("extra").textContent(), "20.00 EGP");
  assert.equal(
    await confirmation.locator("dl").innerText(),
    `Number\n${CUSTOMER.mobileNo}\nPlan\nWebtest Plan\nAmount\n120.00 EGP\nRenews until\n${renewsText}\nTo your balance\n20.00 EGP\nPay with\nWallet`,
  );
  assert.equal(
    await query("select 1 from telecom.payment where mobile_no = $1 and amount = 120", [CUSTOMER.mobileNo]).then((r) => r.length),
    0,
  );
  await pay.getByRole("button", { name: "Pay 120.00 EGP" }).click();
  const reference = await pay.getByTestId("receipt-reference").textContent();
  const [payment] = await query<{ payment_id: number }>(
    `select payment_id from telecom.payment where mobile_no = '${CUSTOMER.mobileNo}' and amount = 120`,
  );
  assert.equal(reference, `PAY-${payment.payment_id}`);
  assert.equal(await pay.getByTestId("payment-status").textContent(), `Payment PAY-${payment.payment_id} is successful.`);
  assert.match(await pay.getByTestId("receipt").innerText(), /^Payment for Webtest Plan: done\n/);
  // The receipt is the line customer_receipts lists (the receipts page has the same one).
  assert.equal(await pay.getByTestId("receipt").getAttribute("data-recorded"), "true");
  const [amounts] = await query<{ remaining_balance: string; extra_amount: string }>(
    `select remaining_balance, extra_amount from telecom.process_payment where payment_id = ${payment.payment_id}`,
  );
  assert.deepEqual([amounts.remaining_balance, amounts.extra_amount], ["0.00", "20.00"]);
  await nav(page, "Payments").click();
  await section(page, "All payments").getByText(`PAY-${payment.payment_id}`).waitFor();
  const planAmounts = section(page, "Remaining and extra amounts");
  await planAmounts.getByLabel("Plan").selectOption("Webtest Plan");
  await planAmounts.getByRole("button", { name: "Show amounts" }).click();
  assert.equal(
    await planAmounts.getByTestId("plan-amounts").innerText(),
    "Still owed for Webtest Plan\n0.00 EGP\nPaid beyond the price\n20.00 EGP",
  );
  await shot(page, "customer-payments");
});

test("a customer redeems a voucher with points after confirming; an unaffordable one is disabled with the reason", async ({
  customer: page,
  server,
}) => {
  await nav(page, "Vouchers").click();
  await page.waitForURL(`${server.url}/vouchers`);
  await page.getByRole("button", { name: "Redeem 75.00 EGP at Webtest Store" }).click();
  await page.getByRole("button", { name: "Redeem for 200 points" }).click();
  assert.equal(await page.getByTestId("receipt-reference").textContent(), `VCH-${ID.voucher}`);
  await page.getByTestId("my-vouchers").getByText(`VCH-${ID.voucher}`).waitFor();
  // The points are read again after the redemption; on a loaded machine that answer may come a moment later.
  await page.getByTestId("points").filter({ hasText: "800" }).waitFor();
  const [voucher] = await query<{ mobile_no: string }>(`select mobile_no from telecom.voucher where voucher_id = ${ID.voucher}`);
  assert.equal(voucher.mobile_no, CUSTOMER.mobileNo);
  await shot(page, "customer-vouchers");
});

test("a customer transfers money to a pasted number: refusals next to the field, confirmation, receipt, history", async ({
  customer: page,
  server,
}) => {
  await nav(page, "Wallet").click();
  await page.waitForURL(`${server.url}/wallet`);
  const send = section(page, "Send money");
  const to = send.getByLabel("Send to (mobile number)");
  await to.fill(FRIEND.mobileNo);
  await send.getByLabel("Amount (EGP)").fill("1000");
  await send.getByRole("button", { name: "Continue" }).click();
  // 300 less the plan paid from the wallet (120).
  assert.equal(await send.locator("#f-amount-error").textContent(), "Your wallet holds 180.00 EGP.");
  // A number with no wallet: transfer_recipient answers nothing before the confirmation, and the
  // sentence of TC313 sits under the number.
  await to.fill(`${UNISSUED_NUMBER.slice(0, 4)} ${UNISSUED_NUMBER.slice(4, 7)} ${UNISSUED_NUMBER.slice(7)}`);
  await send.getByLabel("Amount (EGP)").fill("25");
  await send.getByRole("button", { name: "Continue" }).click();
  await send.locator("#f-toMobileNo-error").waitFor();
  assert.equal(await send.locator("#f-toMobileNo-error").textContent(), "You cannot send money to that number.");
  assert.equal(await send.getByTestId("confirmation").count(), 0);
  await to.fill(`+20 ${FRIEND.mobileNo.slice(1, 4)} ${FRIEND.mobileNo.slice(4, 7)} ${FRIEND.mobileNo.slice(7)}`);
  await send.getByRole("button", { name: "Continue" }).click();
  assert.equal(
    await send.getByTestId("confirmation").locator("dl").innerText(),
    `From\nWallet of ${CUSTOMER.mobileNo}\nTo\nWebtest F., wallet of ${FRIEND.mobileNo}\nAmount\n25.00 EGP`,
  );
  await send.getByRole("button", { name: "Send 25.00 EGP" }).click();
  const reference = await send.getByTestId("receipt-reference").textContent();
  const [transfer] = await query<{ transfer_id: number }>(
    `select transfer_id from telecom.transfer_money where from_wallet_id = ${ID.walletOwn}`,
  );
  assert.equal(reference, `TRF-${transfer.transfer_id}`);
  // 300 less the plan paid from the wallet (120) less the transfer (25).
  await page.getByTestId("wallet-balance").filter({ hasText: "155.00 EGP" }).waitFor();
  const history = page.getByTestId("transfers").locator("li").first();
  await history.filter({ hasText: `TRF-${transfer.transfer_id}` }).waitFor();
  assert.match(
    await history.innerText(),
    new RegExp(`^Sent to Webtest F\\. ${FRIEND.mobileNo}\\n.* · TRF-${transfer.transfer_id}\\n−25\\.00 EGP$`),
  );
  const balances = await query<{ wallet_id: number; current_balance: string }>(
    `select wallet_id, current_balance from telecom.wallet where wallet_id in (${ID.walletOwn}, ${ID.walletFriend}) order by wallet_id`,
  );
  assert.deepEqual(
    balances.map((w) => w.current_balance),
    ["155.00", "75.00"],
  );
  assert.equal(await send.getByTestId("receipt").getAttribute("data-recorded"), "true", "the receipt is read back from customer_receipts");
  await shot(page, "customer-wallet");
  // The receipts page lists the payment, the voucher and the transfer with their references.
  await nav(page, "Receipts").click();
  await page.waitForURL(`${server.url}/receipts`);
  const receipts = page.getByTestId("receipts");
  await receipts.getByText(`TRF-${transfer.transfer_id}`).waitFor();
  assert.match(await receipts.innerText(), new RegExp(`VCH-${ID.voucher}`));
  assert.match(await receipts.innerText(), /PAY-\d+ · Plan Webtest Plan by wallet: successful/);
  await shot(page, "customer-receipts");
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

/**
 * Each report with the fixture's row found the way an admin would at a million rows: by a
 * filter on the number, by sorting on an indexed column (the fixture's ids are the highest), or by
 * paging with Next.
 */
const views = (): [key: string, expected: string, find: { filter: string } | { sortDescending: string } | "page"][] => [
  ["all-customer-accounts", CUSTOMER.mobileNo, { filter: CUSTOMER.mobileNo }],
  ["all-service-plans", "Webtest Plan", { sortDescending: "Plan" }],
  ["all-benefits", "Webtest benefit", { filter: CUSTOMER.mobileNo }],
  ["account-payments", String(ID.payment), { filter: CUSTOMER.mobileNo }],
  ["all-shops", "Webtest Store", { sortDescending: "Shop id" }],
  ["all-resolved-tickets", "Webtest resolved issue", { filter: CUSTOMER.mobileNo }],
  ["customer-wallets", "Webtest", { filter: CUSTOMER.mobileNo }],
  ["e-shop-vouchers", "https://webtest.example.com", { sortDescending: "Voucher" }],
  ["physical-store-vouchers", "2 Test Sq", { sortDescending: "Voucher" }],
  ["num-of-cashback", String(ID.walletOwn), { sortDescending: "Wallet" }],
  ["account-plan", "Webtest Plan", "page"],
];

test("an admin logs in and opens every report with the fixture's rows", async (context) => {
  const { server } = context;
  const viewport = { width: 1200, height: 900 };
  const page = (context.admin = await logInAdmin(await context.browser.newContext({ viewport }), server, ID.adminUsername, ADMIN_PASSWORD));
  // The figures as the maintenance tick would leave them, with the fixture's plan paid for.
  await query(
    `update telecom.subscription set paid_until = current_date + 20 where mobile_no = '${CUSTOMER.mobileNo}' and plan_id = ${ID.plan}`,
  );
  await query("select telecom.refresh_admin_figures()");
  await page.reload();
  await page.locator("bar-chart canvas").nth(1).waitFor();
  const tiles = page.getByRole("list", { name: "Key figures" });
  await tiles.getByRole("heading", { name: "Revenue" }).waitFor();
  await tiles.getByRole("heading", { name: "Paying subscribers" }).waitFor();
  await tiles.getByRole("heading", { name: "ARPU" }).waitFor();
  await tiles
    .getByRole("listitem")
    .filter({ hasText: "Paying subscribers" })
    .filter({ hasText: /^\s*Paying subscribers\s*[1-9]/ })
    .waitFor();
  await page.getByRole("heading", { name: "Paying subscribers per plan" }).waitFor();
  const graphiql = await page.getByRole("link", { name: "GraphiQL (signed in as you)" }).getAttribute("href");
  assert.match(graphiql ?? "", /^\/graphiql#token=[\w-]+\.[\w-]+\.[\w-]+$/);
  await shot(page, "admin-dashboard");
  for (const [key, expected, find] of views()) {
    await page.goto(`${server.url}/admin/${key}`);
    const table = page.locator("data-table");
    await table
      .getByRole("status")
      .filter({ hasText: /^rows 1–|No rows/ })
      .waitFor();
    if (find === "page") {
      for (let pages = 0; pages < 50 && !(await table.locator("td", { hasText: expected }).count()); pages++) {
        await page.getByRole("button", { name: "Next" }).click();
        await table
          .getByRole("status")
          .filter({ hasText: `rows ${(pages + 1) * 50 + 1}–` })
          .waitFor();
      }
    } else if ("filter" in find) {
      await page.getByLabel("Mobile number").fill(find.filter);
      await page.getByRole("button", { name: "Filter" }).click();
    } else {
      const header = table.getByRole("button", { name: find.sortDescending, exact: true });
      await header.click();
      await table.locator(`th[aria-sort="ascending"]`).waitFor();
      await table.getByRole("button", { name: `${find.sortDescending} ▲` }).click();
      await table.locator(`th[aria-sort="descending"]`).waitFor();
    }
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

test("an admin sees an old unresolved ticket behind 50 newer resolved ones and resolves it", async ({ admin: page, server }) => {
  // The open ticket first: the resolved ones get the later ids, and the newest come first.
  const [{ ticket_id: open }] = await query<{ ticket_id: number }>(
    "insert into telecom.technical_support_ticket (mobile_no, issue_description, priority_level, status) values ($1, 'Webtest open issue', 1, 'open') returning ticket_id",
    [CUSTOMER.mobileNo],
  );
  await query(
    `insert into telecom.technical_support_ticket (mobile_no, issue_description, priority_level, status)
     select $1, 'Webtest newer resolved issue', 3, 'resolved' from generate_series(1, 60)`,
    [CUSTOMER.mobileNo],
  );
  await page.goto(`${server.url}/admin/manage`);
  const tickets = section(page, "Unresolved tickets");
  await tickets.getByRole("button", { name: `Resolve ticket ${open}` }).click();
  assert.equal(await tickets.getByRole("status").textContent(), `Ticket #${open} is resolved.`);
  assert.deepEqual(await query(`select status from telecom.technical_support_ticket where ticket_id = ${open}`), [{ status: "resolved" }]);
  await tickets.getByRole("button", { name: `Resolve ticket ${open}` }).waitFor({ state: "detached" });
});

test("an admin finds a customer by part of their name and opens their 360 page with receipts and money journal", async ({
  admin: page,
  server,
}) => {
  await page.goto(`${server.url}/admin`);
  const search = page.locator("admin-dashboard").getByRole("search");
  await search.getByRole("searchbox").fill("webtest cust");
  await search.getByRole("button", { name: "Search" }).click();
  await page.waitForURL(/\/admin\/customers\?q=webtest/);
  await page.getByRole("link", { name: "Webtest Customer" }).click();
  await page.waitForURL(`${server.url}/admin/customers/${CUSTOMER.nationalId}`);
  await page.getByRole("heading", { name: "Webtest Customer", level: 1 }).waitFor();
  const receipts = page.locator("section[aria-label='Receipts']");
  await receipts
    .locator("td", { hasText: `PAY-${ID.payment}` })
    .first()
    .waitFor();
  await receipts
    .locator("td", { hasText: `CSH-${ID.cashback}` })
    .first()
    .waitFor();
  await page.locator("section[aria-label='Money journal'] data-table").waitFor();
  await page.locator("section[aria-label='Accounts'] td", { hasText: CUSTOMER.mobileNo }).first().waitFor();
  await shot(page, "admin-customer-360");
});

test("an admin issues a number: an issued one is refused next to the number (TC610), a new one is issued", async ({
  admin: page,
  server,
}) => {
  await page.goto(`${server.url}/admin/manage`);
  const form = section(page, "Issue a number");
  await form.getByLabel("National id").fill(String(CUSTOMER.nationalId));
  await form.getByLabel("New mobile number").fill(FRIEND.mobileNo);
  await form.getByLabel("Account type").selectOption("prepaid");
  await form.getByRole("button", { name: "Issue number" }).click();
  await form
    .locator("#f-mobileNo-error")
    .filter({ hasText: `The number ${FRIEND.mobileNo} is already issued.` })
    .waitFor();
  await form.getByLabel("New mobile number").fill(NEW_NUMBER);
  await form.getByRole("button", { name: "Issue number" }).click();
  await form
    .getByRole("status")
    .filter({ hasText: `Number ${NEW_NUMBER} issued to national id ${CUSTOMER.nationalId}.` })
    .waitFor();
  assert.deepEqual(await query("select national_id, status from telecom.customer_account where mobile_no = $1", [NEW_NUMBER]), [
    { national_id: CUSTOMER.nationalId, status: "active" },
  ]);
  // A new person without their details: refused next to the national id (TC613).
  await form.getByLabel("National id").fill(String(NOBODY));
  await form.getByLabel("New mobile number").fill(UNISSUED_NUMBER);
  await form.getByLabel("Account type").selectOption("prepaid");
  await form.getByRole("button", { name: "Issue number" }).click();
  await form
    .locator("#f-nationalId-error")
    .filter({ hasText: `There is no customer with national id ${NOBODY}` })
    .waitFor();
});

test("an admin holds and resumes a subscription after confirming; resuming one that is not on hold is refused (TC133)", async ({
  admin: page,
  server,
}) => {
  await page.goto(`${server.url}/admin/manage`);
  const form = section(page, "Hold or resume a subscription");
  const dialogs: string[] = [];
  const accept = (dialog: import("playwright-core").Dialog) => {
    dialogs.push(dialog.message());
    void dialog.accept();
  };
  page.on("dialog", accept);
  try {
    await form.getByLabel("Mobile number").fill(CUSTOMER.mobileNo);
    await form.getByLabel("Plan").selectOption(String(ID.plan));
    await form.getByLabel("Action").selectOption("hold");
    await form.getByRole("button", { name: "Apply" }).click();
    await form
      .getByRole("status")
      .filter({ hasText: `The subscription of ${CUSTOMER.mobileNo} is now on hold.` })
      .waitFor();
    assert.match(dialogs[0] ?? "", /on hold\? Its allowances stop/);
    assert.deepEqual(
      await query(`select status from telecom.subscription where mobile_no = '${CUSTOMER.mobileNo}' and plan_id = ${ID.plan}`),
      [{ status: "onhold" }],
    );
    await form.getByLabel("Action").selectOption("resume");
    await form.getByRole("button", { name: "Apply" }).click();
    await form
      .getByRole("status")
      .filter({ hasText: `The subscription of ${CUSTOMER.mobileNo} is now active.` })
      .waitFor();
    await form.getByRole("button", { name: "Apply" }).click();
    await form.locator("#f-mobileNo-error").filter({ hasText: "That plan is not on hold." }).waitFor();
    assert.deepEqual(
      await query(`select status from telecom.subscription where mobile_no = '${CUSTOMER.mobileNo}' and plan_id = ${ID.plan}`),
      [{ status: "active" }],
    );
  } finally {
    page.off("dialog", accept);
  }
});

test("an admin cannot delete a plan somebody subscribed to: the refusal sits next to the plan (TC601); declining the confirmation sends nothing", async ({
  admin: page,
  server,
}) => {
  await page.goto(`${server.url}/admin/manage`);
  const form = section(page, "Delete a service plan");
  await form.getByLabel("Plan").selectOption(String(ID.plan));
  page.once("dialog", (dialog) => void dialog.dismiss());
  await form.getByRole("button", { name: "Delete plan" }).click();
  assert.equal(await form.locator("#f-planId-error").count(), 0, "nothing was sent");
  page.once("dialog", (dialog) => void dialog.accept());
  await form.getByRole("button", { name: "Delete plan" }).click();
  await form
    .locator("#f-planId-error")
    .filter({ hasText: /subscribers/ })
    .waitFor();
  assert.equal((await query(`select plan_id from telecom.service_plan where plan_id = ${ID.plan}`)).length, 1);
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

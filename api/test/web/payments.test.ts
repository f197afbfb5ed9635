/**
 * Card and wallet payments in Chromium, end to end (docs/web-app.md, docs/money.md): the web app's payment forms, the
 * sandbox card processor's checkout, its signed reports to the real webhook, the app waiting for the
 * outcome, and the receipt. The server runs its maintenance tick every 300 ms, so a card payment the
 * processor never reports is rejected as soon as the test makes it stale.
 *
 * Committed rows, removed afterwards.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { suite } from "uvu";
import type { TestServer } from "../support/server.ts";
import { logIn, query, section, startBrowserApp, stopBrowserApp, type BrowserApp } from "../support/browser.ts";
import { Builder, sql } from "../support/builder.ts";

const data = new Builder();
const CUSTOMER = { mobileNo: await data.mobileNo(), nationalId: await data.nationalId(), password: "web-pay-test-pass" };

/** The customer (10 on the account, 200 in the wallet) and a plan of 80; returns the plan's id. */
async function createFixture(): Promise<number> {
  await data.customer({
    national_id: CUSTOMER.nationalId,
    mobile_no: CUSTOMER.mobileNo,
    profile: { first_name: "Paytest", last_name: "Customer", date_of_birth: "1991-02-03" },
    account: { balance: 10, start_date: sql("current_date - 100"), password: CUSTOMER.password },
    wallet: 200,
  });
  return (await data.plan({ name: "Paytest Plan", price: 80, sms_offered: 10, minutes_offered: 20, data_offered: 100 })).plan_id;
}

interface Context extends BrowserApp {
  page: Page;
  plan: number;
}

const test = suite<Context>("web: payments by wallet and by card through the sandbox processor", {} as Context);

async function balances(): Promise<{ balance: string; wallet: string }> {
  const [row] = await query<{ balance: string; wallet: string }>(
    "select a.balance, w.current_balance as wallet from telecom.customer_account as a inner join telecom.wallet as w using (mobile_no) where a.mobile_no = $1",
    [CUSTOMER.mobileNo],
  );
  return row;
}

async function lastPayment(): Promise<{ payment_id: number; status: string; amount: string }> {
  const [row] = await query<{ payment_id: number; status: string; amount: string }>(
    "select payment_id, status, amount from telecom.payment where mobile_no = $1 order by payment_id desc limit 1",
    [CUSTOMER.mobileNo],
  );
  return row;
}

/** Recharge by card from the payments page up to the sandbox checkout page. */
async function rechargeByCard(page: Page, server: TestServer, amount: string): Promise<void> {
  await page.goto(`${server.url}/payments`);
  const recharge = section(page, "Recharge your balance");
  await recharge.getByLabel("Amount (EGP)").fill(amount);
  await recharge.getByLabel("Pay with").selectOption("credit");
  await recharge.getByRole("button", { name: "Continue" }).click();
  assert.match(await recharge.getByTestId("payment-summary").innerText(), /Pay with\nCard$/);
  await recharge.getByRole("button", { name: `Recharge ${amount}.00 EGP by card` }).click();
  await page.waitForURL(/\/sandbox\/checkout\/chk_/);
}

async function outcome(page: Page, heading: string, expected: RegExp): Promise<string> {
  const status = section(page, heading).getByTestId("payment-status");
  await status.filter({ hasText: expected }).waitFor({ timeout: 10_000 });
  return (await status.textContent()) ?? "";
}

test.before(async (context) => {
  Object.assign(context, await startBrowserApp(async () => (context.plan = await createFixture()), { maintenance: { intervalMs: 300 } }));
  const viewport = { width: 1200, height: 900 };
  context.page = await logIn(await context.browser.newContext({ viewport }), context.server, CUSTOMER.mobileNo, CUSTOMER.password);
});

test.after(async (context) => {
  await stopBrowserApp(context, data);
});

test("a wallet recharge is applied at once and ends with its receipt", async ({ page, server }) => {
  await page.goto(`${server.url}/payments`);
  const recharge = section(page, "Recharge your balance");
  await recharge.getByLabel("Amount (EGP)").fill("25");
  await recharge.getByLabel("Pay with").selectOption("wallet");
  await recharge.getByRole("button", { name: "Continue" }).click();
  assert.match(await recharge.getByTestId("payment-summary").innerText(), /25\.00 EGP/);
  await recharge.getByRole("button", { name: "Recharge 25.00 EGP", exact: true }).click();
  const text = await outcome(page, "Recharge your balance", /successful/);
  const payment = await lastPayment();
  assert.match(text, new RegExp(`PAY-${payment.payment_id} is successful`));
  assert.equal(await recharge.getByTestId("receipt-reference").textContent(), `PAY-${payment.payment_id}`);
  assert.match(await recharge.getByTestId("receipt").innerText(), /^Recharge: done\n/);
  assert.equal(await recharge.getByTestId("receipt").getAttribute("data-recorded"), "true");
  assert.deepEqual(await balances(), { balance: "35.00", wallet: "175.00" });
});

test("a card plan payment: the checkout shows the amount, approval renews the plan and credits the extra", async ({
  page,
  server,
  plan,
}) => {
  await page.goto(`${server.url}/plans`);
  const pay = section(page, "Pay for a plan");
  await pay.getByLabel("Plan").selectOption(String(plan));
  assert.equal(await pay.getByLabel("Amount (EGP)").inputValue(), "80.00");
  await pay.getByLabel("Amount (EGP)").fill("95");
  await pay.getByLabel("Pay with").selectOption("credit");
  await pay.getByRole("button", { name: "Continue" }).click();
  const [{ renews }] = await query<{ renews: string }>("select to_char(current_date + interval '1 month', 'YYYY-MM-DD') as renews");
  assert.equal(await pay.getByTestId("renews-until").locator("time").getAttribute("datetime"), renews);
  assert.equal(await pay.getByTestId("extra").textContent(), "15.00 EGP");
  await pay.getByRole("button", { name: "Pay 95.00 EGP by card" }).click();
  await page.waitForURL(/\/sandbox\/checkout\/chk_/);
  assert.equal(await page.locator("[data-amount]").textContent(), "95.00 EGP");
  const before = await balances();
  await page.getByRole("button", { name: "Approve" }).click();
  await page.waitForURL(/\/plans\?checkout=\d+$/);
  const payment = await lastPayment();
  await outcome(page, "Pay for a plan", /successful/);
  assert.equal(await pay.getByTestId("receipt-reference").textContent(), `PAY-${payment.payment_id}`);
  assert.match(await pay.getByTestId("receipt").innerText(), /^Payment for Paytest Plan: done\n/);
  const [sub] = await query<{ status: string; paid_until: string }>(
    "select status, to_char(paid_until, 'YYYY-MM-DD') as paid_until from telecom.subscription where mobile_no = $1 and plan_id = $2",
    [CUSTOMER.mobileNo, plan],
  );
  assert.deepEqual(sub, { status: "active", paid_until: renews });
  assert.equal(Number((await balances()).balance) - Number(before.balance), 15);
});

test("a declined card payment changes nothing and says so", async ({ page, server }) => {
  const before = await balances();
  await rechargeByCard(page, server, "40");
  await page.getByRole("button", { name: "Decline" }).click();
  await page.waitForURL(/\/payments\?checkout=\d+$/);
  await outcome(page, "Recharge your balance", /declined/);
  assert.equal((await lastPayment()).status, "rejected");
  assert.match(await section(page, "Recharge your balance").getByTestId("receipt").innerText(), /^Recharge: declined\n/);
  assert.deepEqual(await balances(), before);
});

test("a card payment the processor never reports waits, then is rejected by the maintenance tick", async ({ page, server }) => {
  const before = await balances();
  await rechargeByCard(page, server, "41");
  await page.getByLabel("never").check();
  await page.getByRole("button", { name: "Approve" }).click();
  await page.waitForURL(/\/payments\?checkout=\d+$/);
  await outcome(page, "Recharge your balance", /Waiting for the card processor/);
  const payment = await lastPayment();
  assert.equal(payment.status, "pending");
  await query("update telecom.payment set initiated_at = now() - interval '31 minutes' where payment_id = $1", [payment.payment_id]);
  await outcome(page, "Recharge your balance", /declined/);
  assert.equal((await lastPayment()).status, "rejected");
  assert.deepEqual(await balances(), before);
});

test("a card payment reported twice is applied once", async ({ page, server }) => {
  const before = await balances();
  await rechargeByCard(page, server, "42");
  await page.getByLabel("twice").check();
  await page.getByRole("button", { name: "Approve" }).click();
  await page.waitForURL(/\/payments\?checkout=\d+$/);
  await outcome(page, "Recharge your balance", /successful/);
  const payment = await lastPayment();
  await new Promise((resolve) => setTimeout(resolve, 500)); // the second report has arrived by now
  assert.equal(Number((await balances()).balance) - Number(before.balance), 42);
  const journal = await query<{ n: number }>(
    "select count(*)::int as n from telecom.money_journal where mobile_no = $1 and operation = 'settle_payment' and change = 42",
    [CUSTOMER.mobileNo],
  );
  assert.equal(journal[0].n, 1);
  assert.equal(payment.status, "successful");
});

test.run();

/**
 * The writing operations and the self-service of docs/api.md: the effect of each, and every precondition
 * failure with its code, after which nothing has changed.
 */
import * as assert from "uvu/assert";
import type pg from "pg";
import { dbSuite, errorOf } from "../support/database.ts";
import { asRole, asSuperuser } from "../support/roles.ts";
import { A1, A2, B1, C1, admin, buildFixture, customerA, customerC, id } from "./fixture.ts";
import { moneyState } from "../support/money-state.ts";

const test = dbSuite("customer writes");

test.before.each(async ({ db }) => {
  await buildFixture(db);
  await asRole(db, "telecom_customer", customerA);
});

/** Asserts that `statement` fails with `code` and leaves the data as it was. */
async function refuses(db: pg.PoolClient, statement: string, values: unknown[], code: string, message?: RegExp): Promise<void> {
  const before = await moneyState(db);
  const error = await errorOf(db, statement, values);
  assert.is(error.code, code, `${statement} ${JSON.stringify(values)}: ${error.message}`);
  if (message) assert.match(error.message, message);
  assert.equal(await moneyState(db), before, `${statement} changed data`);
}

test("initiate_plan_payment: a customer's card payment is pending, with its checkout and its amounts, and has no effect yet", async ({
  db,
}) => {
  const { rows } = await db.query(
    "select payment_id, amount, status, payment_method, provider_reference like 'chk_%' as checkout from telecom.initiate_plan_payment($1, 300, 'credit', $2)",
    [A1, id.max],
  );
  assert.equal(
    { ...rows[0], payment_id: undefined },
    { payment_id: undefined, amount: "300.00", status: "pending", payment_method: "credit", checkout: true },
  );
  await asSuperuser(db);
  const processed = await db.query("select plan_id, remaining_balance, extra_amount from telecom.process_payment where payment_id = $1", [
    rows[0].payment_id,
  ]);
  assert.equal(processed.rows, [{ plan_id: id.max, remaining_balance: "0.00", extra_amount: "0.00" }]);
  const subscription = await db.query("select count(*)::int as n from telecom.subscription where mobile_no = $1 and plan_id = $2", [
    A1,
    id.max,
  ]);
  assert.is(subscription.rows[0].n, 0);
});

test("initiate_plan_payment: a covering payment activates the subscription and moves paid_until a month on; its date never changes; the extra goes to the balance", async ({
  db,
}) => {
  // From A1's wallet (100 EGP): the price of Fixture Basic exactly.
  const fromWallet = await db.query("select status from telecom.initiate_plan_payment($1, 100, 'wallet', $2)", [A1, id.basic]);
  assert.equal(fromWallet.rows, [{ status: "successful" }]);
  await asRole(db, "telecom_admin", admin);
  // Cash at a shop for the held Fixture Plus (price 200): 10.50 more than the price.
  await db.query("select telecom.initiate_plan_payment($1, 210.5, 'cash', $2)", [A1, id.plus]);
  await db.query("select telecom.initiate_plan_payment($1, 200, 'credit', $2)", [A1, id.plus]);
  await asSuperuser(db);
  const subscriptions = await db.query(
    `select plan_id, status, subscription_date = current_date as dated_today, paid_until - current_date as days_paid
     from telecom.subscription where mobile_no = $1 order by plan_id`,
    [A1],
  );
  const inMonths = (months: number) =>
    db.query(`select (current_date + interval '${months} month')::date - current_date as days`).then((result) => result.rows[0].days);
  assert.equal(subscriptions.rows, [
    { plan_id: id.basic, status: "active", dated_today: false, days_paid: await inMonths(1) },
    { plan_id: id.plus, status: "active", dated_today: false, days_paid: await inMonths(2) },
  ]);
  const money = await db.query(
    "select (select balance from telecom.customer_account where mobile_no = $1) as balance, (select current_balance from telecom.wallet where wallet_id = $2) as wallet",
    [A1, id.w1],
  );
  assert.equal(money.rows, [{ balance: "60.50", wallet: "0.00" }]);
});

test("initiate_plan_payment: an admin's partial payment is recorded with its remaining amount and leaves the subscription as it was", async ({
  db,
}) => {
  await asRole(db, "telecom_admin", admin);
  const partial = await db.query("select payment_id from telecom.initiate_plan_payment($1, 250, 'cash', $2)", [A1, id.max]);
  const held = await db.query("select payment_id from telecom.initiate_plan_payment($1, 20, 'cash', $2)", [A1, id.plus]);
  await asSuperuser(db);
  const processed = await db.query(
    "select payment_id, remaining_balance, extra_amount from telecom.process_payment where payment_id = any($1) order by payment_id",
    [[partial.rows[0].payment_id, held.rows[0].payment_id]],
  );
  assert.equal(processed.rows, [
    { payment_id: partial.rows[0].payment_id, remaining_balance: "50.00", extra_amount: "0.00" },
    { payment_id: held.rows[0].payment_id, remaining_balance: "180.00", extra_amount: "0.00" },
  ]);
  const subscriptions = await db.query(
    "select plan_id, status, paid_until from telecom.subscription where mobile_no = $1 and plan_id = any($2) order by plan_id",
    [A1, [id.plus, id.max]],
  );
  // Fixture Max is subscribed on hold, unpaid; the held Fixture Plus stays as it was.
  assert.equal(subscriptions.rows, [
    { plan_id: id.plus, status: "onhold", paid_until: null },
    { plan_id: id.max, status: "onhold", paid_until: null },
  ]);
});

test("initiate_plan_payment: refusals", async ({ db }) => {
  const call = "select telecom.initiate_plan_payment($1, $2, $3, $4)";
  await refuses(db, call, [A1, 0, "credit", id.basic], "TC104");
  await refuses(db, call, [A1, -5, "credit", id.basic], "TC104");
  await refuses(db, call, [A1, "1.005", "credit", id.basic], "TC105");
  await refuses(db, call, [A1, "100000000000", "credit", id.basic], "TC104");
  await refuses(db, call, [A1, 100, null, id.basic], "TC106");
  await refuses(db, call, [A1, 100, "credit", 999999], "TC102");
  await refuses(db, call, [A1, 99.99, "credit", id.basic], "TC319", /costs 100.00 EGP/);
  await refuses(db, call, [A1, 100, "cash", id.basic], "TC318", /Cash is paid at a shop/);
  await refuses(db, call, [A1, 200, "wallet", id.plus], "TC316", /Insufficient wallet balance/);
  await refuses(db, call, [B1, 300, "credit", id.max], "42501");
  await asRole(db, "telecom_admin", admin);
  await refuses(db, call, [B1, 10, "cash", id.max], "TC103", /on hold/);
  await refuses(db, call, ["09999999999", 10, "cash", id.basic], "TC101");
});

test("initiate_balance_payment: from the wallet it moves the money to the balance; by card it waits for the processor; an admin takes cash", async ({
  db,
}) => {
  const { rows } = await db.query("select amount, status from telecom.initiate_balance_payment($1, 25.5, 'wallet')", [A1]);
  assert.equal(rows, [{ amount: "25.50", status: "successful" }]);
  const card = await db.query("select status from telecom.initiate_balance_payment($1, 40, 'credit')", [A1]);
  assert.equal(card.rows, [{ status: "pending" }]);
  await asRole(db, "telecom_admin", admin);
  const cash = await db.query("select status from telecom.initiate_balance_payment($1, 4.5, 'cash')", [A1]);
  assert.equal(cash.rows, [{ status: "successful" }]);
  await asSuperuser(db);
  const money = await db.query(
    "select (select balance from telecom.customer_account where mobile_no = $1) as balance, (select current_balance from telecom.wallet where wallet_id = $2) as wallet",
    [A1, id.w1],
  );
  assert.equal(money.rows, [{ balance: "80.00", wallet: "74.50" }]);
});

test("initiate_balance_payment: refusals", async ({ db }) => {
  const call = "select telecom.initiate_balance_payment($1, $2, $3)";
  await refuses(db, call, [A1, -1, "credit"], "TC104");
  await refuses(db, call, [A1, "10.001", "credit"], "TC105");
  await refuses(db, call, [A1, "99999999999", "credit"], "TC104");
  await refuses(db, call, [A1, 10, null], "TC106");
  await refuses(db, call, [A1, 10, "cash"], "TC318");
  await refuses(db, call, [A1, 100.01, "wallet"], "TC316");
  await refuses(db, call, [B1, 10, "credit"], "42501");
  await asRole(db, "telecom_admin", admin);
  await refuses(db, call, [B1, 10, "cash"], "TC103");
  await refuses(db, call, [A1, "9999999999.99", "cash"], "TC317", /cannot hold/);
});

test("initiate_balance_payment: a repeated idempotency key returns the first payment and moves nothing", async ({ db }) => {
  const key = "6f1c2b4e-8d1a-4f7e-9c3b-2a5d7e9f1b3c";
  const first = await db.query("select payment_id from telecom.initiate_balance_payment($1, 10, 'wallet', $2)", [A1, key]);
  const again = await db.query("select payment_id from telecom.initiate_balance_payment($1, 10, 'wallet', $2)", [A1, key]);
  assert.is(again.rows[0].payment_id, first.rows[0].payment_id);
  const balance = await db.query("select balance from telecom.customer_account where mobile_no = $1", [A1]);
  assert.is(balance.rows[0].balance, "60.00");
  await refuses(db, "select telecom.initiate_balance_payment($1, 11, 'wallet', $2)", [A1, key], "TC301");
});

test("payment_wallet_cashback: credits 10% to the wallet of the number", async ({ db }) => {
  const { rows } = await db.query("select benefit_id, wallet_id, amount, payment_id from telecom.payment_wallet_cashback($1, $2, $3)", [
    A1,
    id.pay1,
    id.ben1,
  ]);
  assert.equal(rows, [{ benefit_id: id.ben1, wallet_id: id.w1, amount: "10.00", payment_id: id.pay1 }]);
  const wallet = await db.query("select current_balance from telecom.wallet where wallet_id = $1", [id.w1]);
  assert.is(wallet.rows[0].current_balance, "110.00");
});

test("payment_wallet_cashback: a number without a wallet credits the owner's wallet", async ({ db }) => {
  const { rows } = await db.query("select wallet_id, amount from telecom.payment_wallet_cashback($1, $2, $3)", [A2, id.pay7, id.ben4]);
  assert.equal(rows, [{ wallet_id: id.w1, amount: "99.90" }]);
});

test("payment_wallet_cashback: refusals", async ({ db }) => {
  const call = "select telecom.payment_wallet_cashback($1, $2, $3)";
  await refuses(db, call, [A1, id.pay3, id.ben1], "TC114");
  await refuses(db, call, [A1, id.pay4, id.ben1], "TC111");
  await refuses(db, call, [A1, id.pay5, id.ben1], "TC111");
  await refuses(db, call, [A1, id.pay7, id.ben1], "TC110");
  await refuses(db, call, [A1, 999999, id.ben1], "TC110");
  await refuses(db, call, [A1, id.pay1, id.ben3], "TC113");
  await refuses(db, call, [A1, id.pay1, id.ben5], "TC112");
  await refuses(db, call, [A1, id.pay6, id.ben1], "TC117", /money would loop through the wallet/);
  await refuses(db, call, [A1, id.payTiny, id.ben1], "TC116");
  await refuses(db, call, [B1, id.pay8, id.ben5], "42501");
  await asRole(db, "telecom_customer", customerC);
  await refuses(db, call, [C1, id.pay9, id.ben6], "TC115");
});

test("redeem_voucher_points: deducts the points and marks the voucher redeemed today", async ({ db }) => {
  const { rows } = await db.query(
    "select voucher_id, mobile_no, redeem_date = current_date as today from telecom.redeem_voucher_points($1, $2)",
    [A1, id.v4],
  );
  assert.equal(rows, [{ voucher_id: id.v4, mobile_no: A1, today: true }]);
  const account = await db.query("select points from telecom.customer_account where mobile_no = $1", [A1]);
  assert.is(account.rows[0].points, 50);
});

test("redeem_voucher_points: refusals", async ({ db }) => {
  const call = "select telecom.redeem_voucher_points($1, $2)";
  await refuses(db, call, [A1, id.v1], "TC121");
  await refuses(db, call, [A1, id.v5], "TC122");
  await refuses(db, call, [A1, id.v6], "TC123", /costs 400 points/);
  await refuses(db, call, [A1, 999999], "TC120");
  await refuses(db, call, [B1, id.v4], "42501");
  await asRole(db, "telecom_admin", admin);
  await refuses(db, call, [B1, id.v4], "TC103");
});

test("subscribe_plan, hold_subscription and resume_subscription", async ({ db }) => {
  const subscribed = await db.query("select plan_id, status, paid_until from telecom.subscribe_plan($1, $2)", [A1, id.max]);
  assert.equal(subscribed.rows, [{ plan_id: id.max, status: "active", paid_until: null }]);
  await refuses(db, "select telecom.subscribe_plan($1, $2)", [A1, id.plus], "TC132", /resume it/);
  const resumed = await db.query(
    "select status, subscription_date = (current_date - interval '6 months')::date as same_date from telecom.resume_subscription($1, $2)",
    [A1, id.plus],
  );
  assert.equal(resumed.rows, [{ status: "active", same_date: true }]);
  await refuses(db, "select telecom.resume_subscription($1, $2)", [A1, id.plus], "TC133");
  await refuses(db, "select telecom.resume_subscription($1, $2)", [B1, id.max], "42501");
  const held = await db.query("select status from telecom.hold_subscription($1, $2)", [A1, id.basic]);
  assert.equal(held.rows, [{ status: "onhold" }]);
  await refuses(db, "select telecom.hold_subscription($1, $2)", [A1, id.basic], "TC131");
  await refuses(db, "select telecom.subscribe_plan($1, $2)", [A1, id.max], "TC130");
  await refuses(db, "select telecom.subscribe_plan($1, $2)", [A1, 999999], "TC102");
  await refuses(db, "select telecom.subscribe_plan($1, $2)", [B1, id.basic], "42501");
  await refuses(db, "select telecom.hold_subscription($1, $2)", [B1, id.max], "42501");
});

test("open_ticket: for the number the customer logged in with", async ({ db }) => {
  const { rows } = await db.query(
    "select mobile_no, issue_description, priority_level, status from telecom.open_ticket('  Slow data in Giza  ', 4)",
  );
  assert.equal(rows, [{ mobile_no: A1, issue_description: "Slow data in Giza", priority_level: 4, status: "open" }]);
  await refuses(db, "select telecom.open_ticket($1, 3)", ["   "], "TC140");
  await refuses(db, "select telecom.open_ticket($1, 3)", ["x".repeat(2001)], "TC140");
  await refuses(db, "select telecom.open_ticket('Help', $1)", [6], "TC141");
  await refuses(db, "select telecom.open_ticket('Help', $1)", [null], "TC141");
  await asRole(db, "telecom_admin", admin);
  await refuses(db, "select telecom.open_ticket('Help', 1)", [], "42501");
});

test("resolve_ticket: admins resolve open tickets", async ({ db }) => {
  await refuses(db, "select telecom.resolve_ticket($1)", [id.tk1], "42501");
  await asRole(db, "telecom_admin", admin);
  const { rows } = await db.query("select ticket_id, status from telecom.resolve_ticket($1)", [id.tk1]);
  assert.equal(rows, [{ ticket_id: id.tk1, status: "resolved" }]);
  await refuses(db, "select telecom.resolve_ticket($1)", [id.tk1], "TC143");
  await refuses(db, "select telecom.resolve_ticket($1)", [999999], "TC142");
});

test("no API role can write a balance, points or a redemption directly", async ({ db }) => {
  for (const role of ["telecom_customer", "telecom_admin"] as const) {
    await asRole(db, role, role === "telecom_admin" ? admin : customerA);
    for (const statement of [
      `update telecom.customer_account set balance = 1000 where mobile_no = '${A1}'`,
      `update telecom.customer_account set points = 1000 where mobile_no = '${A1}'`,
      `update telecom.wallet set current_balance = 1000 where wallet_id = ${id.w1}`,
      `update telecom.voucher set mobile_no = '${A1}', redeem_date = current_date where voucher_id = ${id.v4}`,
      `insert into telecom.cashback (benefit_id, wallet_id, amount) values (${id.ben1}, ${id.w1}, 5)`,
    ]) {
      assert.is((await errorOf(db, statement)).code, "42501", `${role}: ${statement}`);
    }
  }
  await asSuperuser(db);
});

test.run();

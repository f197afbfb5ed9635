/** The admin views and operations of docs/api.md, as an admin, on the shared fixture. */
import * as assert from "uvu/assert";
import { dbSuite, errorOf } from "../support/database.ts";
import { asRole, asSuperuser } from "../support/roles.ts";
import { A1, A2, B1, C1, admin, buildFixture, customerA, id } from "./fixture.ts";

const test = dbSuite("admin reports");
const fixtureMobiles = [A1, A2, B1, C1];
const fixturePlans = [id.basic, id.plus, id.max];
const fixtureBenefits = [id.ben1, id.ben2, id.ben3, id.ben4, id.ben5, id.ben6];
const fixtureShops = [id.shopPhysical, id.shopOnline, id.shopBare];
const fixtureWallets = [id.w1, id.w3];

test.before.each(async ({ db }) => {
  await buildFixture(db);
  await asRole(db, "telecom_admin", admin);
});

test("all_customer_accounts: active accounts with their profile", async ({ db }) => {
  const { rows } = await db.query(
    "select mobile_no, first_name, last_name, points from telecom.all_customer_accounts where mobile_no = any($1) order by mobile_no",
    [fixtureMobiles],
  );
  assert.equal(rows, [
    { mobile_no: A1, first_name: "Amal", last_name: "Hassan", points: 300 },
    { mobile_no: A2, first_name: "Amal", last_name: "Hassan", points: 0 },
    { mobile_no: C1, first_name: "Carla", last_name: "Fawzy", points: 0 },
  ]);
});

test("all_service_plans: every plan", async ({ db }) => {
  const { rows } = await db.query("select plan_id, name, price from telecom.all_service_plans where plan_id = any($1) order by plan_id", [
    fixturePlans,
  ]);
  assert.equal(rows, [
    { plan_id: id.basic, name: "Fixture Basic", price: "100.00" },
    { plan_id: id.plus, name: "Fixture Plus", price: "200.00" },
    { plan_id: id.max, name: "Fixture Max", price: "300.00" },
  ]);
});

test("all_benefits: only active benefits", async ({ db }) => {
  const { rows } = await db.query("select benefit_id from telecom.all_benefits where benefit_id = any($1) order by benefit_id", [
    fixtureBenefits,
  ]);
  assert.equal(
    rows.map((row) => row.benefit_id),
    [id.ben1, id.ben2, id.ben4, id.ben5, id.ben6],
  );
});

test("account_payments: every payment with its account", async ({ db }) => {
  const { rows } = await db.query(
    "select count(*)::int as n, count(distinct mobile_no)::int as accounts from telecom.account_payments where mobile_no = any($1)",
    [fixtureMobiles],
  );
  assert.equal(rows[0], { n: 18, accounts: 4 });
  const pay4 = await db.query("select status, account_type, account_status from telecom.account_payments where payment_id = $1", [id.pay4]);
  assert.equal(pay4.rows, [{ status: "rejected", account_type: "prepaid", account_status: "active" }]);
});

test("all_shops: kind and details of each shop", async ({ db }) => {
  const { rows } = await db.query(
    "select shop_id, kind, address, url, rating from telecom.all_shops where shop_id = any($1) order by shop_id",
    [fixtureShops],
  );
  assert.equal(rows, [
    { shop_id: id.shopPhysical, kind: "physical", address: "1 Tahrir Sq, Cairo", url: null, rating: null },
    { shop_id: id.shopOnline, kind: "online", address: null, url: "https://shop.example.com", rating: 4 },
    { shop_id: id.shopBare, kind: null, address: null, url: null, rating: null },
  ]);
});

test("all_resolved_tickets: only resolved ones", async ({ db }) => {
  const { rows } = await db.query("select ticket_id from telecom.all_resolved_tickets where mobile_no = any($1)", [fixtureMobiles]);
  assert.equal(rows, [{ ticket_id: id.tk3 }]);
});

test("customer_wallet: wallets with owner names", async ({ db }) => {
  const { rows } = await db.query(
    "select wallet_id, first_name, last_name, current_balance from telecom.customer_wallet where wallet_id = any($1) order by wallet_id",
    [fixtureWallets],
  );
  assert.equal(rows, [
    { wallet_id: id.w1, first_name: "Amal", last_name: "Hassan", current_balance: "100.00" },
    { wallet_id: id.w3, first_name: "Bassem", last_name: "Nabil", current_balance: "30.00" },
  ]);
});

test("e_shop_vouchers and physical_store_vouchers: each kind with its vouchers", async ({ db }) => {
  const online = await db.query(
    "select shop_id, name, url, voucher_id, value from telecom.e_shop_vouchers where shop_id = $1 order by voucher_id",
    [id.shopOnline],
  );
  assert.equal(online.rows, [
    { shop_id: id.shopOnline, name: "Fixture Online", url: "https://shop.example.com", voucher_id: id.v2, value: "80.00" },
    { shop_id: id.shopOnline, name: "Fixture Online", url: "https://shop.example.com", voucher_id: id.v3, value: "500.00" },
    { shop_id: id.shopOnline, name: "Fixture Online", url: "https://shop.example.com", voucher_id: id.v4, value: "20.00" },
  ]);
  const physical = await db.query(
    "select voucher_id, address from telecom.physical_store_vouchers where shop_id = any($1) order by voucher_id",
    [fixtureShops],
  );
  assert.equal(
    physical.rows.map((row) => row.voucher_id),
    [id.v1, id.v5, id.v6],
  );
  assert.is(physical.rows[0].address, "1 Tahrir Sq, Cairo");
});

test("num_of_cashback: credits per wallet", async ({ db }) => {
  const { rows } = await db.query(
    "select wallet_id, cashback_count from telecom.num_of_cashback where wallet_id = any($1) order by wallet_id",
    [fixtureWallets],
  );
  assert.equal(rows, [
    { wallet_id: id.w1, cashback_count: 3 },
    { wallet_id: id.w3, cashback_count: 1 },
  ]);
});

test("account_plan: one row per subscription, on hold included", async ({ db }) => {
  const { rows } = await db.query("select mobile_no, plan_id, plan_name, points from telecom.account_plan() where mobile_no = any($1)", [
    fixtureMobiles,
  ]);
  assert.equal(rows, [
    { mobile_no: A1, plan_id: id.basic, plan_name: "Fixture Basic", points: 300 },
    { mobile_no: A1, plan_id: id.plus, plan_name: "Fixture Plus", points: 300 },
    { mobile_no: A2, plan_id: id.basic, plan_name: "Fixture Basic", points: 0 },
    { mobile_no: A2, plan_id: id.max, plan_name: "Fixture Max", points: 0 },
    { mobile_no: B1, plan_id: id.max, plan_name: "Fixture Max", points: 20 },
  ]);
});

test("account_plan_date: subscriptions of that plan on that day", async ({ db }) => {
  const tenDaysAgo = await db.query("select * from telecom.account_plan_date(current_date - 10, $1)", [id.basic]);
  assert.equal(tenDaysAgo.rows, [{ mobile_no: A1, plan_id: id.basic, plan_name: "Fixture Basic" }]);
  const fiveMonthsAgo = await db.query("select mobile_no from telecom.account_plan_date((current_date - interval '5 months')::date, $1)", [
    id.basic,
  ]);
  assert.equal(fiveMonthsAgo.rows, [{ mobile_no: A2 }]);
  const wrongPlan = await db.query("select * from telecom.account_plan_date(current_date - 10, $1)", [id.plus]);
  assert.equal(wrongPlan.rows, []);
});

test("account_usage_plan: usage since a date per subscribed plan", async ({ db }) => {
  const thisMonth = await db.query("select * from telecom.account_usage_plan($1, date_trunc('month', current_date)::date)", [A1]);
  assert.equal(thisMonth.rows, [
    { plan_id: id.basic, total_data: 150, total_minutes: 15, total_sms: 3 },
    { plan_id: id.plus, total_data: 7, total_minutes: 0, total_sms: 0 },
  ]);
  const sinceLastMonth = await db.query(
    "select * from telecom.account_usage_plan($1, (date_trunc('month', current_date) - interval '1 month')::date)",
    [A1],
  );
  assert.equal(sinceLastMonth.rows[0], { plan_id: id.basic, total_data: 6150, total_minutes: 615, total_sms: 63 });
  const tomorrow = await db.query("select * from telecom.account_usage_plan($1, current_date + 1)", [A2]);
  assert.equal(tomorrow.rows, [
    { plan_id: id.basic, total_data: 0, total_minutes: 0, total_sms: 0 },
    { plan_id: id.max, total_data: 0, total_minutes: 0, total_sms: 0 },
  ]);
});

test("account_sms_offers: the account's offers with SMS, of benefits that count (active and unexpired)", async ({ db }) => {
  const { rows } = await db.query("select offer_id, sms_offered from telecom.account_sms_offers($1)", [A1]);
  // off3 belongs to the expired benefit ben3, off2 has no SMS.
  assert.equal(rows, [{ offer_id: id.off1, sms_offered: 50 }]);
  await asSuperuser(db);
  await db.query("update telecom.benefit set validity_date = current_date - 1 where benefit_id = $1", [id.ben1]);
  await asRole(db, "telecom_admin", admin);
  const afterExpiry = await db.query("select offer_id from telecom.account_sms_offers($1)", [A1]);
  assert.equal(afterExpiry.rows, [], "a benefit past its validity date no longer counts, even while still marked active");
});

test("account_payment_points: successful payments of the last 365 days and their points", async ({ db }) => {
  const a1 = await db.query("select * from telecom.account_payment_points($1)", [A1]);
  // pay2 (exactly 365 days ago), pay3, pay6, the tiny one and the 8 small ones; points 40 + 60 + 10.
  assert.equal(a1.rows, [{ payment_count: 12, total_points: 110 }]);
  const c1 = await db.query("select * from telecom.account_payment_points($1)", [C1]);
  assert.equal(c1.rows, [{ payment_count: 1, total_points: 0 }]);
});

test("wallet_cashback_amount: cashback through benefits of the plan", async ({ db }) => {
  const { rows } = await db.query(
    "select telecom.wallet_cashback_amount($1, $3) as basic, telecom.wallet_cashback_amount($1, $4) as plus, telecom.wallet_cashback_amount($2, $3) as none",
    [id.w1, id.w3, id.basic, id.plus],
  );
  assert.equal(rows[0], { basic: "17.00", plus: "23.00", none: "0" });
});

test("wallet_transfer_amount: average sent between the dates, inclusive", async ({ db }) => {
  const { rows } = await db.query(
    "select telecom.wallet_transfer_amount($1, current_date - 10, current_date - 5) as window, telecom.wallet_transfer_amount($1, current_date - 4, current_date) as empty, telecom.wallet_transfer_amount($1, current_date - 40, current_date) as all",
    [id.w1],
  );
  assert.equal(rows[0], { window: "15.00", empty: null, all: "21.67" });
  const reversed = await errorOf(db, "select telecom.wallet_transfer_amount($1, current_date, current_date - 40)", [id.w1]);
  assert.is(reversed.code, "TC151");
  const open = await errorOf(db, "select telecom.wallet_transfer_amount($1, current_date, null)", [id.w1]);
  assert.is(open.code, "TC150");
});

test("wallet_mobile_no: whether the number has a wallet; an unknown number is TC101", async ({ db }) => {
  const { rows } = await db.query("select telecom.wallet_mobile_no($1) as a1, telecom.wallet_mobile_no($2) as a2", [A1, A2]);
  assert.equal(rows[0], { a1: true, a2: false });
  assert.is((await errorOf(db, "select telecom.wallet_mobile_no('09999999999')")).code, "TC101");
});

test("total_points_account: points earned by successful payments minus points spent on vouchers", async ({ db }) => {
  const { rows } = await db.query("select telecom.total_points_account($1) as points", [A1]);
  // Earned: 1000 + 40 + 60 + 10 (the 7 of the rejected payment do not count); spent: vouchers v1 and v2, 100 each.
  assert.is(rows[0].points, 910);
  const stored = await db.query("select points from telecom.customer_account where mobile_no = $1", [A1]);
  assert.is(stored.rows[0].points, 910);
  const error = await errorOf(db, "select telecom.total_points_account('09999999999')");
  assert.is(error.code, "TC101");
});

test("benefits_account: ends the account's active benefits of the plan, deletes nothing, keeps the money they credited", async ({ db }) => {
  const { rows } = await db.query("select telecom.benefits_account($1, $2) as ended", [A1, id.basic]);
  // Fixture Basic provides ben1 and ben3 to A1; ben3 had already expired.
  assert.is(rows[0].ended, 1);
  await asSuperuser(db);
  const left = await db.query(
    `select
      (select array_agg(benefit_id || ':' || status || ':' || (validity_date = current_date) order by benefit_id) from telecom.benefit where benefit_id = any($1)) as benefits,
      (select count(*)::int from telecom.exclusive_offer where offer_id = any($2)) as offers,
      (select count(*)::int from telecom.cashback where cashback_id = any($3)) as cashbacks,
      (select count(*)::int from telecom.points_group where payment_id = any($4)) as points,
      (select current_balance from telecom.wallet where wallet_id = $5) as balance`,
    [
      fixtureBenefits,
      [id.off1, id.off2, id.off3, id.off4],
      [id.cb1, id.cb2, id.cb3, id.cb4],
      [id.pay1, id.pay2, id.pay3, id.pay4, id.pay5, id.pay6, id.pay7, id.pay8, id.pay9, id.payTiny],
      id.w1,
    ],
  );
  assert.equal(left.rows[0], {
    benefits: [
      `${id.ben1}:expired:true`,
      `${id.ben2}:active:false`,
      `${id.ben3}:expired:false`,
      `${id.ben4}:active:false`,
      `${id.ben5}:active:false`,
      `${id.ben6}:active:false`,
    ],
    offers: 4,
    cashbacks: 4,
    points: 5,
    balance: "100.00",
  });
  await asRole(db, "telecom_admin", admin);
  assert.equal((await db.query("select offer_id from telecom.account_sms_offers($1)", [A1])).rows, [], "ended benefits no longer count");
  // Cashback through the ended benefit is refused, and its payment never earns cashback again.
  const error = await errorOf(db, "select telecom.payment_wallet_cashback($1, $2, $3)", [A1, id.pay2, id.ben1]);
  assert.is(error.code, "TC113");
});

test("benefits_account: unknown account or plan is an error", async ({ db }) => {
  assert.is((await errorOf(db, "select telecom.benefits_account('09999999999', $1)", [id.basic])).code, "TC101");
  assert.is((await errorOf(db, "select telecom.benefits_account($1, 999999)", [A1])).code, "TC102");
});

test("admin reports refuse customers and visitors", async ({ db }) => {
  await asRole(db, "telecom_customer", customerA);
  for (const statement of [
    "select * from telecom.all_customer_accounts",
    "select * from telecom.account_plan()",
    `select * from telecom.account_usage_plan('${A1}', current_date)`,
    `select telecom.total_points_account('${A1}')`,
  ]) {
    assert.is((await errorOf(db, statement)).code, "42501", statement);
  }
  await asRole(db, "telecom_anonymous");
  assert.is((await errorOf(db, "select * from telecom.num_of_cashback")).code, "42501");
});

test.run();

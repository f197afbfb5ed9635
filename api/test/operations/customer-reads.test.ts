/** docs/api.md read operations, as the customer who owns the data, as another customer and as an admin. */
import * as assert from "uvu/assert";
import { dbSuite, errorOf } from "../support/database.ts";
import { asRole } from "../support/roles.ts";
import { A1, A2, B1, C1, admin, buildFixture, customerA, customerB, customerC, id } from "./fixture.ts";

const test = dbSuite("customer reads");

test.before.each(async ({ db }) => {
  await buildFixture(db);
  await asRole(db, "telecom_customer", customerA);
});

/** A date as PostgreSQL prints it in a message (the server's DateStyle). */
async function day(db: Parameters<typeof errorOf>[0], expression: string): Promise<string> {
  const { rows } = await db.query(`select (${expression})::text as day`);
  return rows[0].day;
}

const sinceLastMonth = "(date_trunc('month', current_date) - interval '1 month')::date";
const monthStart = "date_trunc('month', current_date)::date";

test("consumption: records lying within the dates, for every number of the person", async ({ db }) => {
  const wide = await db.query(`select * from telecom.consumption('Fixture Basic', ${sinceLastMonth}, current_date)`);
  assert.equal(wide.rows, [{ data_consumption: 6180, minutes_used: 618, sms_sent: 63 }]);
  const thisMonth = await db.query(`select * from telecom.consumption('Fixture Basic', ${monthStart}, current_date)`);
  assert.equal(thisMonth.rows, [{ data_consumption: 180, minutes_used: 18, sms_sent: 3 }]);
  // The long record ends today, after this window: only last month's record lies within it.
  const lastMonth = await db.query(`select * from telecom.consumption('Fixture Basic', ${sinceLastMonth}, ${monthStart} - 1)`);
  assert.equal(lastMonth.rows, [{ data_consumption: 1000, minutes_used: 100, sms_sent: 10 }]);
  const otherPerson = await db.query(`select * from telecom.consumption('Fixture Max', ${sinceLastMonth}, current_date)`);
  assert.equal(otherPerson.rows, [{ data_consumption: 0, minutes_used: 0, sms_sent: 0 }]);
  await asRole(db, "telecom_admin", admin);
  const everyone = await db.query(`select * from telecom.consumption('Fixture Max', ${sinceLastMonth}, current_date)`);
  assert.equal(everyone.rows, [{ data_consumption: 999, minutes_used: 99, sms_sent: 9 }]);
});

test("consumption: a period without a day, or ending before it starts, is refused even when nothing matches", async ({ db }) => {
  const reversed = await errorOf(db, "select * from telecom.consumption('No such plan', current_date, current_date - 1)");
  assert.equal(
    [reversed.code, reversed.message],
    ["TC151", `The period ends (${await day(db, "current_date - 1")}) before it starts (${await day(db, "current_date")}).`],
  );
  const open = await errorOf(db, "select * from telecom.consumption('Fixture Basic', null, current_date)");
  assert.equal([open.code, open.message], ["TC150", "Give both the first and the last day of the period."]);
  // One day is a period: today's records of A1 and A2 (and, on the 1st, the month-start record).
  const oneDay = await db.query(
    "select *, current_date = date_trunc('month', current_date)::date as first from telecom.consumption('Fixture Basic', current_date, current_date)",
  );
  const extra = oneDay.rows[0].first ? 1 : 0;
  assert.equal(oneDay.rows, [
    { data_consumption: 80 + 100 * extra, minutes_used: 8 + 10 * extra, sms_sent: 2 + extra, first: extra === 1 },
  ]);
});

test("unsubscribed_plans: plans neither active nor on hold for the account", async ({ db }) => {
  const fixturePlans = [id.basic, id.plus, id.max];
  const { rows } = await db.query("select plan_id from telecom.unsubscribed_plans($1) where plan_id = any($2)", [A1, fixturePlans]);
  assert.equal(rows, [{ plan_id: id.max }]);
  const a2 = await db.query("select plan_id from telecom.unsubscribed_plans($1) where plan_id = any($2)", [A2, fixturePlans]);
  assert.equal(a2.rows, [{ plan_id: id.plus }]);
});

test("usage_plan_current_month: this month's usage of active subscriptions, zeros when unused", async ({ db }) => {
  const a1 = await db.query("select * from telecom.usage_plan_current_month($1)", [A1]);
  assert.equal(a1.rows, [{ plan_id: id.basic, plan_name: "Fixture Basic", data_consumption: 150, minutes_used: 15, sms_sent: 3 }]);
  const a2 = await db.query("select * from telecom.usage_plan_current_month($1)", [A2]);
  assert.equal(a2.rows, [
    { plan_id: id.basic, plan_name: "Fixture Basic", data_consumption: 30, minutes_used: 3, sms_sent: 0 },
    { plan_id: id.max, plan_name: "Fixture Max", data_consumption: 0, minutes_used: 0, sms_sent: 0 },
  ]);
});

test("cashback_wallet_customer: cashback to the person's wallets, latest first", async ({ db }) => {
  const { rows } = await db.query("select cashback_id, amount from telecom.cashback_wallet_customer($1)", [customerA.national_id]);
  assert.equal(rows, [
    { cashback_id: id.cb1, amount: "15.00" },
    { cashback_id: id.cb2, amount: "8.00" },
    { cashback_id: id.cb3, amount: "2.00" },
  ]);
});

test("ticket_account_customer: unresolved tickets across the person's numbers", async ({ db }) => {
  const { rows } = await db.query("select telecom.ticket_account_customer($1) as open", [customerA.national_id]);
  assert.is(rows[0].open, 2);
  await asRole(db, "telecom_customer", customerC);
  const none = await db.query("select telecom.ticket_account_customer($1) as open", [customerC.national_id]);
  assert.is(none.rows[0].open, 0);
});

test("dashboard computed columns: an account's usage this month and a person's unresolved tickets, on the rows the customer sees", async ({
  db,
}) => {
  const { rows } = await db.query(
    `select account.mobile_no, usage.*
     from telecom.customer_account as account
     cross join lateral telecom.customer_account_usage_current_month(account) as usage
     order by account.mobile_no, usage.plan_id`,
  );
  assert.equal(rows, [
    { mobile_no: A1, plan_id: id.basic, plan_name: "Fixture Basic", data_consumption: 150, minutes_used: 15, sms_sent: 3 },
    { mobile_no: A2, plan_id: id.basic, plan_name: "Fixture Basic", data_consumption: 30, minutes_used: 3, sms_sent: 0 },
    { mobile_no: A2, plan_id: id.max, plan_name: "Fixture Max", data_consumption: 0, minutes_used: 0, sms_sent: 0 },
  ]);
  const tickets = await db.query(
    "select profile.national_id, telecom.customer_profile_open_ticket_count(profile) as open from telecom.customer_profile as profile",
  );
  assert.equal(tickets.rows, [{ national_id: customerA.national_id, open: 2 }]);
});

test("account_highest_voucher: the account's most valuable redeemed voucher", async ({ db }) => {
  const { rows } = await db.query("select telecom.account_highest_voucher($1) as a1, telecom.account_highest_voucher($2) as a2", [A1, A2]);
  assert.equal(rows[0], { a1: id.v2, a2: id.v3 });
  await asRole(db, "telecom_customer", customerC);
  const none = await db.query("select telecom.account_highest_voucher($1) as voucher", [C1]);
  assert.is(none.rows[0].voucher, null);
});

test("remaining_plan_amount and extra_plan_amount: the latest successful payment for the plan", async ({ db }) => {
  const { rows } = await db.query(
    "select telecom.remaining_plan_amount($1, 'Fixture Basic') as remaining, telecom.extra_plan_amount($1, 'Fixture Basic') as extra, telecom.remaining_plan_amount($1, 'Fixture Max') as never",
    [A1],
  );
  assert.equal(rows[0], { remaining: "0.00", extra: "50.00", never: null });
  await asRole(db, "telecom_admin", admin);
  const b1 = await db.query(
    "select telecom.remaining_plan_amount($1, 'Fixture Max') as remaining, telecom.extra_plan_amount($1, 'Fixture Max') as extra",
    [B1],
  );
  assert.equal(b1.rows[0], { remaining: "260.00", extra: "0.00" });
});

test("top_successful_payments: the 10 highest successful, ties latest first", async ({ db }) => {
  const { rows } = await db.query("select payment_id, amount from telecom.top_successful_payments($1)", [A1]);
  assert.equal(
    rows.map((row) => row.payment_id),
    [id.pay6, id.pay3, id.pay1, id.pay2, ...[8, 7, 6, 5, 4, 3].map((amount) => id.paySmall[amount - 1])],
  );
});

test("subscribed_plans_5_months: subscriptions dated within the last 5 months, the boundary included", async ({ db }) => {
  const a1 = await db.query("select plan_id from telecom.subscribed_plans_5_months($1)", [A1]);
  assert.equal(a1.rows, [{ plan_id: id.basic }]);
  const a2 = await db.query("select plan_id from telecom.subscribed_plans_5_months($1)", [A2]);
  assert.equal(a2.rows, [{ plan_id: id.max }, { plan_id: id.basic }]);
});

test("another person's number or national id is refused with 42501", async ({ db }) => {
  for (const statement of [
    `select * from telecom.unsubscribed_plans('${B1}')`,
    `select * from telecom.usage_plan_current_month('${B1}')`,
    `select * from telecom.cashback_wallet_customer(${customerB.national_id})`,
    `select telecom.ticket_account_customer(${customerB.national_id})`,
    `select telecom.account_highest_voucher('${B1}')`,
    `select telecom.remaining_plan_amount('${B1}', 'Fixture Max')`,
    `select telecom.extra_plan_amount('${B1}', 'Fixture Max')`,
    `select * from telecom.top_successful_payments('${B1}')`,
    `select * from telecom.subscribed_plans_5_months('${B1}')`,
    "select * from telecom.unsubscribed_plans('09999999999')",
  ]) {
    const error = await errorOf(db, statement);
    assert.is(error.code, "42501", statement);
  }
});

test("an admin may read any account", async ({ db }) => {
  await asRole(db, "telecom_admin", admin);
  const { rows } = await db.query("select payment_id from telecom.top_successful_payments($1)", [B1]);
  assert.equal(rows, [{ payment_id: id.pay8 }]);
  const other = await db.query("select count(*)::int as n from telecom.cashback_wallet_customer($1)", [customerB.national_id]);
  assert.is(other.rows[0].n, 1);
});

test("a customer without claims for that person sees nothing of theirs even directly", async ({ db }) => {
  await asRole(db, "telecom_customer", customerB);
  const { rows } = await db.query("select count(*)::int as n from telecom.payment where mobile_no = $1", [A1]);
  assert.is(rows[0].n, 0);
});

test.run();

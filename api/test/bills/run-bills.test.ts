/**
 * The bill run (docs/bills.md): fees in advance, usage in arrears by the operator's days, VAT from
 * vat_rate, carry-over, numbering, idempotency, and its refusals, each writing nothing.
 */
import * as assert from "uvu/assert";
import { Builder } from "../support/builder.ts";
import { dbSuite, errorOf } from "../support/database.ts";
import { moneyState } from "../support/money-state.ts";
import { asRole } from "../support/roles.ts";
import { createBillFixture, customerOf, LAST_MONTH, lastMonthUsage, nextNumber, THIS_MONTH, type BillFixture } from "./fixture.ts";

const test = dbSuite("run_bills");
let fixture: BillFixture;

test.before.each(async ({ db }) => {
  fixture = await createBillFixture(new Builder(db));
});

async function bills(db: import("pg").PoolClient, mobile_no: string) {
  const { rows } = await db.query(
    `select invoice_no, bill_date = ${THIS_MONTH} as this_month, period_start = ${LAST_MONTH} as period_start_ok,
       period_end = ${THIS_MONTH} - 1 as period_end_ok, issued_on = current_date as issued_today, due_date - issued_on as due_in,
       subtotal, vat_rate, vat, total, previous_due, amount_due, paid_amount, status
     from telecom.invoice where mobile_no = $1 order by invoice_id`,
    [mobile_no],
  );
  return rows;
}

async function lines(db: import("pg").PoolClient, mobile_no: string) {
  const { rows } = await db.query(
    `select line.line_no, line.kind, line.plan_id, line.usage_kind, line.quantity, line.amount
     from telecom.invoice_line as line inner join telecom.invoice using (invoice_id)
     where invoice.mobile_no = $1 order by line.line_no`,
    [mobile_no],
  );
  return rows;
}

const balance = async (db: import("pg").PoolClient, mobile_no: string) =>
  (await db.query("select balance from telecom.customer_account where mobile_no = $1", [mobile_no])).rows[0].balance;

test("a month's bill: last month's prorated fee and usage, this month's fee in advance, VAT, amount due", async ({ db }) => {
  const [number] = fixture.numbers;
  // Last month: subscribed mid-month (charged 50.00 then), 20 MB charged 12.34 beyond the allowance.
  await db.query(
    `insert into telecom.subscription (mobile_no, plan_id, subscription_date, status, paid_until)
     values ($1, $2, ${LAST_MONTH} + 14, 'active', ${THIS_MONTH})`,
    [number, fixture.plans.monthly],
  );
  await db.query(
    `insert into telecom.plan_charge (mobile_no, plan_id, charge_from, charge_to, amount)
     values ($1, $2, ${LAST_MONTH} + 14, ${THIS_MONTH} - 1, 50.00)`,
    [number, fixture.plans.monthly],
  );
  await db.query("update telecom.customer_account set balance = -62.34 where mobile_no = $1", [number]);
  await lastMonthUsage(db, number, "data", 20, "12.34", `${LAST_MONTH}::timestamp at time zone 'Africa/Cairo' + interval '3 days'`);
  const invoiceNo = await nextNumber(db, "INV");
  const { rows } = await db.query(`select telecom.run_bills(${THIS_MONTH}) as issued`);
  const { rows: all } = await db.query(`select count(*)::integer as n from telecom.invoice where bill_date = ${THIS_MONTH}`);
  assert.is(rows[0].issued, all[0].n);
  assert.equal(await bills(db, number), [
    {
      invoice_no: invoiceNo,
      this_month: true,
      period_start_ok: true,
      period_end_ok: true,
      issued_today: true,
      due_in: 14,
      subtotal: "162.34",
      vat_rate: "0.1400",
      vat: "22.73",
      total: "185.07",
      previous_due: "0.00",
      amount_due: "185.07",
      paid_amount: "0.00",
      status: "issued",
    },
  ]);
  assert.equal(await lines(db, number), [
    {
      line_no: 1,
      kind: "plan_fee",
      plan_id: fixture.plans.monthly,
      usage_kind: null,
      quantity: String(await daysOf(db, LAST_MONTH, 14)),
      amount: "50.00",
    },
    {
      line_no: 2,
      kind: "plan_fee",
      plan_id: fixture.plans.monthly,
      usage_kind: null,
      quantity: String(await daysOf(db, THIS_MONTH, 0)),
      amount: "100.00",
    },
    { line_no: 3, kind: "usage", plan_id: null, usage_kind: "data", quantity: "20", amount: "12.34" },
  ]);
  assert.is(await balance(db, number), "-185.07");
  const { rows: subscription } = await db.query(
    `select paid_until = (${THIS_MONTH} + interval '1 month')::date as renewed from telecom.subscription where mobile_no = $1`,
    [number],
  );
  assert.equal(subscription, [{ renewed: true }]);
  const { rows: journal } = await db.query(
    "select operation, change from telecom.money_journal where mobile_no = $1 and operation <> 'direct' order by journal_id",
    [number],
  );
  // The month's fee in advance and the VAT, one debit of the bill run.
  assert.equal(journal, [{ operation: "run_bills", change: "-122.73" }]);
  const { rows: unbilled } = await db.query(
    "select count(*)::integer as n from telecom.plan_charge where mobile_no = $1 and invoice_id is null",
    [number],
  );
  assert.equal(unbilled, [{ n: 0 }]);
  assert.equal((await db.query("select * from telecom.audit_balances()")).rows, []);
});

/** The days from `offset` days after the first of a month to its end. */
async function daysOf(db: import("pg").PoolClient, month: string, offset: number): Promise<number> {
  const { rows } = await db.query(`select ((${month} + interval '1 month')::date - (${month} + ${offset}))::integer as days`);
  return rows[0].days;
}

test("VAT is rounded to the piastre, half up: 10.25 × 0.14 = 1.435 → 1.44", async ({ db }) => {
  const [number] = fixture.numbers;
  await db.query("update telecom.customer_account set balance = -10.25 where mobile_no = $1", [number]);
  await lastMonthUsage(db, number, "voice", 41, "10.25", `${LAST_MONTH}::timestamp at time zone 'Africa/Cairo' + interval '1 day'`);
  await db.query(`select telecom.run_bills(${THIS_MONTH})`);
  const [bill] = await bills(db, number);
  assert.equal([bill.subtotal, bill.vat, bill.total, bill.amount_due], ["10.25", "1.44", "11.69", "11.69"]);
});

test("usage is billed by the operator's month: 23:59 on the last day in, 00:00 on the 1st (Cairo) out", async ({ db }) => {
  const [number] = fixture.numbers;
  await db.query("update telecom.customer_account set balance = -3.00 where mobile_no = $1", [number]);
  await lastMonthUsage(db, number, "sms", 1, "1.00", `${THIS_MONTH}::timestamp at time zone 'Africa/Cairo' - interval '1 minute'`);
  await lastMonthUsage(db, number, "sms", 2, "2.00", `${THIS_MONTH}::timestamp at time zone 'Africa/Cairo'`);
  await db.query(`select telecom.run_bills(${THIS_MONTH})`);
  assert.equal(await lines(db, number), [{ line_no: 1, kind: "usage", plan_id: null, usage_kind: "sms", quantity: "1", amount: "1.00" }]);
  // The 2.00 of this month stays unbilled until next month's run, and owed: amount_due is what the balance owes.
  const [bill] = await bills(db, number);
  assert.equal([bill.subtotal, bill.vat, bill.amount_due], ["1.00", "0.14", "3.14"]);
});

test("an unpaid bill is carried into the next one", async ({ db }) => {
  const [number] = fixture.numbers;
  await db.query(
    `insert into telecom.invoice (invoice_no, mobile_no, bill_date, period_start, period_end, issued_on, due_date,
       subtotal, vat_rate, vat, total, previous_due, amount_due, paid_amount, status)
     values ('INV-TEST-0000001', $1, ${LAST_MONTH}, ${LAST_MONTH} - interval '1 month', ${LAST_MONTH} - 1, ${LAST_MONTH}, ${LAST_MONTH} + 14,
       70.18, 0.14, 9.82, 80.00, 0, 80.00, 30.00, 'issued')`,
    [number],
  );
  await db.query("update telecom.customer_account set balance = -55.00 where mobile_no = $1", [number]);
  await lastMonthUsage(db, number, "data", 5, "5.00", `${LAST_MONTH}::timestamp at time zone 'Africa/Cairo' + interval '2 days'`);
  await db.query(`select telecom.run_bills(${THIS_MONTH})`);
  const [earlier, bill] = await bills(db, number);
  assert.is(earlier.status, "carried");
  assert.equal(
    [bill.subtotal, bill.vat, bill.total, bill.previous_due, bill.amount_due, bill.status],
    ["5.00", "0.70", "5.70", "50.00", "55.70", "issued"],
  );
});

test("a subscription on hold is not billed, and its fee in advance is not refunded", async ({ db }) => {
  const [number] = fixture.numbers;
  await asRole(db, "telecom_admin", { admin_id: 1 }, async () => {
    await db.query("select telecom.subscribe_plan($1, $2)", [number, fixture.plans.monthly]);
    await db.query("select telecom.hold_subscription($1, $2)", [number, fixture.plans.monthly]);
  });
  const { rows: charges } = await db.query("select amount from telecom.plan_charge where mobile_no = $1", [number]);
  assert.is(charges.length, 1);
  assert.is(await balance(db, number), (-Number(charges[0].amount)).toFixed(2), "held: nothing refunded");
  // This month's run bills the charge made this month (in advance), and charges nothing more for the held plan.
  await db.query(`select telecom.run_bills(${THIS_MONTH})`);
  assert.equal(
    (await lines(db, number)).map((line) => [line.kind, line.amount]),
    [["plan_fee", charges[0].amount]],
  );
  const { rows } = await db.query("select count(*)::integer as n from telecom.plan_charge where mobile_no = $1", [number]);
  assert.equal(rows, [{ n: 1 }]);
});

test("an account with nothing billed and nothing owed gets no bill; a second run issues none", async ({ db }) => {
  const [number, second] = fixture.numbers;
  await db.query("update telecom.customer_account set balance = -4.00 where mobile_no = $1", [second]);
  await lastMonthUsage(db, second, "sms", 4, "4.00", `${LAST_MONTH}::timestamp at time zone 'Africa/Cairo' + interval '5 days'`);
  const first = (await db.query(`select telecom.run_bills(${THIS_MONTH}) as issued`)).rows[0].issued;
  assert.ok(first >= 1);
  assert.equal(await bills(db, number), []);
  assert.is((await bills(db, second)).length, 1);
  const before = await moneyState(db);
  assert.equal((await db.query(`select telecom.run_bills(${THIS_MONTH}) as issued`)).rows, [{ issued: 0 }]);
  assert.equal(await moneyState(db), before);
});

test("a bill date that is not the 1st, or is after today, is TC702 and writes nothing", async ({ db }) => {
  await db.query("update telecom.customer_account set balance = -4.00 where mobile_no = $1", [fixture.numbers[0]]);
  const before = await moneyState(db);
  for (const day of [`${THIS_MONTH} + 1`, `(${THIS_MONTH} + interval '1 month')::date`, "null"]) {
    const error = await errorOf(db, `select telecom.run_bills(${day})`);
    assert.is(error.code, "TC702", day);
  }
  assert.equal(await moneyState(db), before);
  assert.equal((await db.query("select count(*)::integer as n from telecom.invoice")).rows, [{ n: 0 }]);
});

test("numbers are gapless: a run rolled back gives its numbers back", async ({ db }) => {
  await db.query("update telecom.customer_account set balance = -4.00 where mobile_no = any($1)", [fixture.numbers]);
  const first = await nextNumber(db, "INV");
  await db.query("savepoint run");
  await db.query(`select telecom.run_bills(${THIS_MONTH})`);
  await db.query("rollback to savepoint run");
  assert.is(await nextNumber(db, "INV"), first);
  await db.query(`select telecom.run_bills(${THIS_MONTH})`);
  const { rows } = await db.query("select invoice_no from telecom.invoice where mobile_no = any($1) order by mobile_no", [fixture.numbers]);
  const start = Number(first.slice(-7));
  const year = first.slice(0, 9);
  assert.equal(
    rows.map((row) => row.invoice_no),
    [0, 1, 2].map((index) => `${year}${String(start + index).padStart(7, "0")}`),
  );
});

test("a customer cannot run bills (42501); an admin can", async ({ db }) => {
  await asRole(db, "telecom_customer", customerOf(fixture));
  const error = await errorOf(db, `select telecom.run_bills(${THIS_MONTH})`);
  assert.is(error.code, "42501");
  await asRole(db, "telecom_admin", { admin_id: 1 });
  assert.equal((await db.query(`select telecom.run_bills(${THIS_MONTH}) as issued`)).rows, [{ issued: 0 }]);
});

test.run();

/**
 * Coverage on credit, payments and credit notes that settle bills, bars and collections (docs/bills.md),
 * as the roles that may or may not call each function.
 */
import * as assert from "uvu/assert";
import { Builder } from "../support/builder.ts";
import { dbSuite, errorOf } from "../support/database.ts";
import { moneyState } from "../support/money-state.ts";
import { asRole, asSuperuser } from "../support/roles.ts";
import { createBillFixture, customerOf, issuedBill, nextNumber, type BillFixture } from "./fixture.ts";

const test = dbSuite("settling bills");
let fixture: BillFixture;
const ADMIN = { admin_id: 1 };

test.before.each(async ({ db }) => {
  fixture = await createBillFixture(new Builder(db));
});

type Db = import("pg").PoolClient;
const bill = async (db: Db, invoiceNo: string) =>
  (await db.query("select paid_amount, status from telecom.invoice where invoice_no = $1", [invoiceNo])).rows[0];
const account = async (db: Db, mobile_no: string) =>
  (await db.query("select balance, status from telecom.customer_account where mobile_no = $1", [mobile_no])).rows[0];
const pay = (db: Db, mobile_no: string, amount: string, method = "cash") =>
  db.query("select * from telecom.initiate_balance_payment($1, $2, $3)", [mobile_no, amount, method]);

test("a plan's fee for the rest of a 28-, 30- and 31-day month, rounded to the piastre", async ({ db }) => {
  const { rows } = await db.query(
    `select telecom_private.prorated_plan_fee(99.99, '2026-02-20') as february, telecom_private.prorated_plan_fee(99.99, '2026-04-30') as april,
       telecom_private.prorated_plan_fee(99.99, '2026-01-17') as january, telecom_private.prorated_plan_fee(99.99, '2026-01-01') as whole`,
  );
  // 99.99 × 9/28 = 32.1396…, × 1/30 = 3.333, × 15/31 = 48.3822…
  assert.equal(rows, [{ february: "32.14", april: "3.33", january: "48.38", whole: "99.99" }]);
});

test("a post-paid subscription is covered on credit: charged the rest of this month, paid until the 1st of next", async ({ db }) => {
  const { rows: expected } = await db.query(
    `select telecom_private.prorated_plan_fee(99.99, current_date) as fee, (date_trunc('month', current_date) + interval '1 month')::date as next_month`,
  );
  const { rows } = (await asRole(db, "telecom_customer", customerOf(fixture), () =>
    db.query("select status, paid_until, subscription_date = current_date as today from telecom.subscribe_plan($1, $2)", [
      fixture.numbers[0],
      fixture.plans.odd,
    ]),
  ))!;
  assert.equal(rows, [{ status: "active", paid_until: expected[0].next_month, today: true }]);
  const { rows: charges } = await db.query(
    "select amount, charge_from = current_date as from_today, charge_to = $2::date - 1 as to_month_end from telecom.plan_charge where mobile_no = $1",
    [fixture.numbers[0], expected[0].next_month],
  );
  assert.equal(charges, [{ amount: expected[0].fee, from_today: true, to_month_end: true }]);
  assert.is((await account(db, fixture.numbers[0])).balance, `-${expected[0].fee}`);
  const { rows: journal } = await db.query(
    "select operation, change from telecom.money_journal where mobile_no = $1 and operation <> 'direct'",
    [fixture.numbers[0]],
  );
  assert.equal(journal, [{ operation: "plan_charge", change: `-${expected[0].fee}` }]);
});

test("resuming within a month already covered charges nothing; resuming uncovered charges the rest of the month", async ({ db }) => {
  const [covered, lapsed] = fixture.numbers;
  await db.query(
    `insert into telecom.subscription (mobile_no, plan_id, subscription_date, status, paid_until)
     values ($1, $3, current_date - 40, 'onhold', (date_trunc('month', current_date) + interval '1 month')::date),
       ($2, $3, current_date - 40, 'onhold', date_trunc('month', current_date)::date)`,
    [covered, lapsed, fixture.plans.monthly],
  );
  await asRole(db, "telecom_admin", ADMIN, async () => {
    await db.query("select telecom.resume_subscription($1, $2)", [covered, fixture.plans.monthly]);
    await db.query("select telecom.resume_subscription($1, $2)", [lapsed, fixture.plans.monthly]);
  });
  const { rows } = await db.query("select mobile_no, amount from telecom.plan_charge where mobile_no = any($1) order by mobile_no", [
    [covered, lapsed],
  ]);
  const { rows: fee } = await db.query("select telecom_private.prorated_plan_fee(100, current_date) as fee");
  assert.equal(rows, [{ mobile_no: lapsed, amount: fee[0].fee }]);
});

test("a post-paid account pays no plan directly (TC701), and nothing is written", async ({ db }) => {
  const before = await moneyState(db);
  const error = await asRole(db, "telecom_admin", ADMIN, () =>
    errorOf(db, "select telecom.initiate_plan_payment($1, 100, 'cash', $2)", [fixture.numbers[0], fixture.plans.monthly]),
  );
  assert.is(error!.code, "TC701");
  assert.equal(await moneyState(db), before);
});

test("a partial payment counts toward the bill; the rest of a payment stays as credit", async ({ db }) => {
  const invoiceNo = await issuedBill(db, fixture.numbers[0], "114.00");
  await asRole(db, "telecom_admin", ADMIN, () => pay(db, fixture.numbers[0], "40.00"));
  assert.equal(await bill(db, invoiceNo), { paid_amount: "40.00", status: "issued" });
  await asRole(db, "telecom_admin", ADMIN, () => pay(db, fixture.numbers[0], "100.00"));
  assert.equal(await bill(db, invoiceNo), { paid_amount: "114.00", status: "paid" });
  assert.equal(await account(db, fixture.numbers[0]), { balance: "26.00", status: "active" });
  assert.equal((await db.query("select * from telecom.audit_balances()")).rows, []);
});

test("a card payment settled by the processor after the due date counts toward the bill", async ({ db }) => {
  const invoiceNo = await issuedBill(db, fixture.numbers[0], "57.00", -3);
  const { rows } = (await asRole(db, "telecom_customer", customerOf(fixture), () => pay(db, fixture.numbers[0], "57.00", "credit")))!;
  assert.is(rows[0].status, "pending");
  assert.equal(await bill(db, invoiceNo), { paid_amount: "0.00", status: "issued" });
  await db.query("set local role telecom_payment_processor");
  await db.query("select telecom.settle_payment($1, 'successful')", [rows[0].provider_reference]);
  await asSuperuser(db);
  assert.equal(await bill(db, invoiceNo), { paid_amount: "57.00", status: "paid" });
});

test("credit notes to the cent: VAT part, gapless CN numbers, the bill settled, never more than its total", async ({ db }) => {
  const invoiceNo = await issuedBill(db, fixture.numbers[0], "114.00");
  const first = await nextNumber(db, "CN");
  const note = (amount: string, key: string | null = null) =>
    asRole(db, "telecom_admin", ADMIN, () =>
      db.query("select credit_note_no, amount, vat, reason, issued_by from telecom.issue_credit_note($1, $2, ' Dropped calls ', $3)", [
        invoiceNo,
        amount,
        key,
      ]),
    );
  const key = crypto.randomUUID();
  const { rows } = (await note("11.40", key))!;
  assert.equal(rows, [{ credit_note_no: first, amount: "11.40", vat: "1.40", reason: "Dropped calls", issued_by: "admin:1" }]);
  assert.equal((await note("11.40", key))!.rows, rows, "a repeat with the key returns the first");
  assert.equal(await bill(db, invoiceNo), { paid_amount: "11.40", status: "issued" });
  const before = await moneyState(db);
  const over = await asRole(db, "telecom_admin", ADMIN, () =>
    errorOf(db, "select telecom.issue_credit_note($1, 102.61, 'Too much')", [invoiceNo]),
  );
  assert.is(over!.code, "TC705");
  assert.equal(await moneyState(db), before);
  const { rows: rest } = (await note("102.60"))!;
  assert.is(rest[0].credit_note_no.slice(-7), String(Number(first.slice(-7)) + 1).padStart(7, "0"));
  assert.equal(await bill(db, invoiceNo), { paid_amount: "114.00", status: "paid" });
  assert.equal(await account(db, fixture.numbers[0]), { balance: "0.00", status: "active" });
  const { rows: journal } = await db.query(
    "select operation, change from telecom.money_journal where mobile_no = $1 and operation = 'issue_credit_note' order by journal_id",
    [fixture.numbers[0]],
  );
  assert.equal(journal, [
    { operation: "issue_credit_note", change: "11.40" },
    { operation: "issue_credit_note", change: "102.60" },
  ]);
});

test("a bad credit note has its code and writes nothing; a customer may not issue one", async ({ db }) => {
  const invoiceNo = await issuedBill(db, fixture.numbers[0], "114.00");
  const before = await moneyState(db);
  const cases: [string, unknown[], string][] = [
    ["select telecom.issue_credit_note('INV-NOBODY', 1, 'Reason')", [], "TC704"],
    ["select telecom.issue_credit_note($1, 0, 'Reason')", [invoiceNo], "TC104"],
    ["select telecom.issue_credit_note($1, 1.005, 'Reason')", [invoiceNo], "TC105"],
    ["select telecom.issue_credit_note($1, 1, '  ')", [invoiceNo], "TC706"],
    ["select telecom.issue_credit_note($1, 1, null)", [invoiceNo], "TC706"],
  ];
  for (const [statement, values, code] of cases) {
    const error = await asRole(db, "telecom_admin", ADMIN, () => errorOf(db, statement, values));
    assert.is(error!.code, code, statement);
  }
  const refused = await asRole(db, "telecom_customer", customerOf(fixture), () =>
    errorOf(db, "select telecom.issue_credit_note($1, 1, 'Mine')", [invoiceNo]),
  );
  assert.is(refused!.code, "42501");
  assert.equal(await moneyState(db), before);
  assert.equal((await db.query("select count(*)::integer as n from telecom.credit_note")).rows, [{ n: 0 }]);
});

test("collections: each step once per bill, only the last of a late run texts, in Arabic and English; the bar holds the account", async ({
  db,
}) => {
  const [late, soon] = fixture.numbers;
  const lateBill = await issuedBill(db, late, "114.00", -14);
  const soonBill = await issuedBill(db, soon, "20.00", 3);
  const steps = async () =>
    (
      await db.query(
        "select invoice.invoice_no, step.step from telecom.collection_step as step inner join telecom.invoice using (invoice_id) where invoice.mobile_no = any($1) order by 1, 2",
        [[late, soon]],
      )
    ).rows;
  const recorded = (await asRole(db, "telecom_admin", ADMIN, () => db.query("select telecom.run_collections() as n")))!.rows[0].n;
  assert.ok(recorded >= 4);
  assert.equal(await steps(), [
    { invoice_no: lateBill, step: "reminder" },
    { invoice_no: lateBill, step: "overdue" },
    { invoice_no: lateBill, step: "barred" },
    { invoice_no: soonBill, step: "reminder" },
  ]);
  const { rows: sms } = await db.query(
    "select mobile_no, body from telecom_private.sms_outbox where mobile_no = any($1) order by mobile_no",
    [[late, soon]],
  );
  assert.equal(sms.length, 2);
  assert.match(
    sms[0].body,
    new RegExp(`^تم إيقاف خطك .*${lateBill}.*\\nYour line is barred for the unpaid bill ${lateBill} \\(114\\.00 EGP, due on `),
  );
  assert.match(sms[1].body, new RegExp(`^تذكير: .*${soonBill}.*\\nReminder: your bill ${soonBill} of 20\\.00 EGP is due on `));
  assert.equal(await account(db, late), { balance: "-114.00", status: "onhold" });
  assert.equal((await db.query("select previous_status from telecom.account_bar where mobile_no = $1", [late])).rows, [
    { previous_status: "active" },
  ]);
  // A second run takes no step twice.
  assert.equal((await asRole(db, "telecom_admin", ADMIN, () => db.query("select telecom.run_collections() as n")))!.rows, [{ n: 0 }]);
  const refused = await asRole(db, "telecom_customer", customerOf(fixture), () => errorOf(db, "select telecom.run_collections()"));
  assert.is(refused!.code, "42501");
});

test("paying lifts a bar (back to active); an admin's hold is never lifted by a payment", async ({ db }) => {
  const [barred, held, heldThenBarred] = fixture.numbers;
  const barredBill = await issuedBill(db, barred, "50.00", -14);
  await issuedBill(db, held, "50.00", 5);
  const heldBill = await issuedBill(db, heldThenBarred, "50.00", -14);
  await db.query("update telecom.customer_account set status = 'onhold' where mobile_no = any($1)", [[held, heldThenBarred]]);
  await asRole(db, "telecom_admin", ADMIN, () => db.query("select telecom.run_collections()"));
  // The barred customer pays from the app by card… and the processor settles it: the bar goes.
  const { rows } = (await asRole(db, "telecom_customer", customerOf(fixture), () => pay(db, barred, "50.00", "credit")))!;
  await db.query("set local role telecom_payment_processor");
  await db.query("select telecom.settle_payment($1, 'successful')", [rows[0].provider_reference]);
  await asSuperuser(db);
  assert.equal(await bill(db, barredBill), { paid_amount: "50.00", status: "paid" });
  assert.equal(await account(db, barred), { balance: "0.00", status: "active" });
  assert.equal((await db.query("select count(*)::integer as n from telecom.account_bar where mobile_no = $1", [barred])).rows, [{ n: 0 }]);
  // Held by an admin, without a bar: a payment is refused like any payment of an account on hold.
  const error = await asRole(db, "telecom_admin", ADMIN, () =>
    errorOf(db, "select telecom.initiate_balance_payment($1, 50, 'cash')", [held]),
  );
  assert.is(error!.code, "TC103");
  // Held by an admin, then barred: paying lifts the bar and the admin's hold stays.
  await asRole(db, "telecom_admin", ADMIN, () => pay(db, heldThenBarred, "50.00"));
  assert.equal(await bill(db, heldBill), { paid_amount: "50.00", status: "paid" });
  assert.equal(await account(db, heldThenBarred), { balance: "0.00", status: "onhold" });
});

test.run();

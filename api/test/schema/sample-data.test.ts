/**
 * sql/sample_data.sql loads on top of the migrations and holds the cases the demo and the manual
 * checks rely on. The file is run inside the test's transaction, so it is rolled back afterwards.
 */
import fs from "node:fs";
import type pg from "pg";
import * as assert from "uvu/assert";
import { sampleDataFile } from "../../src/db/sample-data.ts";
import { dbSuite } from "../support/database.ts";

const DEMO = "01012345678";
const DEMO_NATIONAL_ID = 290031501;

/** The 19 tables of docs/data-model.md and the two credential tables. */
const TABLES = [
  "telecom.customer_profile",
  "telecom.customer_account",
  "telecom.service_plan",
  "telecom.subscription",
  "telecom.plan_usage",
  "telecom.payment",
  "telecom.process_payment",
  "telecom.wallet",
  "telecom.transfer_money",
  "telecom.benefit",
  "telecom.points_group",
  "telecom.exclusive_offer",
  "telecom.cashback",
  "telecom.plan_provides_benefits",
  "telecom.shop",
  "telecom.physical_shop",
  "telecom.e_shop",
  "telecom.voucher",
  "telecom.technical_support_ticket",
  "telecom_private.customer_credential",
  "telecom_private.admin_user",
];

const test = dbSuite("sample data");

test.before.each(async ({ db }) => {
  await db.query(fs.readFileSync(sampleDataFile, "utf8"));
});

/** The single value of a one-row, one-column query. */
async function value(db: pg.PoolClient, sql: string, values: unknown[] = []): Promise<unknown> {
  const { rows } = await db.query(sql, values);
  assert.is(rows.length, 1, sql);
  return Object.values(rows[0])[0];
}

test("every table of the data model and both credential tables have rows", async ({ db }) => {
  const empty: string[] = [];
  for (const table of TABLES) {
    if ((await value(db, `select count(*)::int from ${table}`)) === 0) empty.push(table);
  }
  assert.equal(empty, []);
  assert.is(
    await value(db, "select count(*)::int from pg_tables where schemaname = 'telecom' and format('telecom.%I', tablename) = any($1)", [
      TABLES,
    ]),
    19,
  );
});

test("every customer number logs in with telecom-demo and the admin with telecom-admin", async ({ db }) => {
  assert.is(await value(db, "select count(*)::int from telecom.customer_account"), 24);
  assert.is(
    await value(
      db,
      "select count(*)::int from telecom_private.customer_credential where password_hash = crypt('telecom-demo', password_hash)",
    ),
    24,
  );
  assert.is(
    await value(
      db,
      "select count(*)::int from telecom_private.customer_credential where password_hash = crypt('telecom-dem0', password_hash)",
    ),
    0,
  );
  assert.is(
    await value(
      db,
      "select password_hash = crypt('telecom-admin', password_hash) from telecom_private.admin_user where username = 'ADMIN'",
    ),
    true,
  );
});

test("customers: 20 people, 4 with two numbers, every account type, 3 accounts on hold, 2 post-paid in debt", async ({ db }) => {
  assert.is(await value(db, "select count(*)::int from telecom.customer_profile"), 20);
  assert.is(
    await value(
      db,
      "select count(*)::int from (select national_id from telecom.customer_account group by national_id having count(*) = 2) as holders",
    ),
    4,
  );
  assert.is(await value(db, "select count(*)::int from telecom.customer_account where national_id = $1", [DEMO_NATIONAL_ID]), 2);
  assert.equal(
    (
      await db.query(
        "select account_type::text, count(*)::int from telecom.customer_account group by account_type order by account_type::text",
      )
    ).rows,
    [
      { account_type: "pay_as_you_go", count: 5 },
      { account_type: "post_paid", count: 7 },
      { account_type: "prepaid", count: 12 },
    ],
  );
  assert.is(await value(db, "select count(*)::int from telecom.customer_account where status = 'onhold'"), 3);
  assert.is(await value(db, "select count(*)::int from telecom.customer_account where balance < 0 and account_type = 'post_paid'"), 2);
});

test("plans and subscriptions: 7 plans, 6 subscriptions on hold, the demo account lacks 4 plans and renewed 2 within 5 months", async ({
  db,
}) => {
  assert.is(await value(db, "select count(*)::int from telecom.service_plan"), 7);
  assert.is(await value(db, "select count(*)::int from telecom.subscription where status = 'onhold'"), 6);
  assert.is(
    await value(
      db,
      "select count(*)::int from telecom.service_plan where plan_id not in (select plan_id from telecom.subscription where mobile_no = $1)",
      [DEMO],
    ),
    4,
  );
  assert.is(
    await value(
      db,
      "select count(*)::int from telecom.subscription where mobile_no = $1 and subscription_date >= current_date - interval '5 months'",
      [DEMO],
    ),
    2,
  );
  assert.is(
    await value(db, "select count(*)::int from telecom.subscription where plan_id = 2 and subscription_date = current_date - 30"),
    3,
  );
});

test("usage: the demo account used 2 active plans this month; last month and older months have records; nothing in the future", async ({
  db,
}) => {
  assert.is(
    await value(
      db,
      `select count(distinct plan_usage.plan_id)::int
       from telecom.plan_usage
       inner join telecom.subscription
         using (mobile_no, plan_id)
       where plan_usage.mobile_no = $1
         and subscription.status = 'active'
         and plan_usage.start_date >= date_trunc('month', current_date)`,
      [DEMO],
    ),
    2,
  );
  assert.is(
    await value(
      db,
      "select count(*) > 0 from telecom.plan_usage where mobile_no = $1 and start_date >= date_trunc('month', current_date) - interval '1 month' and end_date < date_trunc('month', current_date)",
      [DEMO],
    ),
    true,
  );
  assert.is(
    await value(db, "select count(*) > 0 from telecom.plan_usage where end_date < date_trunc('month', current_date) - interval '1 month'"),
    true,
  );
  assert.is(await value(db, "select count(*)::int from telecom.plan_usage where end_date > current_date"), 0);
});

test("payments: 47 successful, 4 pending, 5 rejected, every method; the demo account's 13 successful ones, 11 of them in the last year", async ({
  db,
}) => {
  assert.equal((await db.query("select status::text, count(*)::int from telecom.payment group by status order by status::text")).rows, [
    { status: "pending", count: 4 },
    { status: "rejected", count: 5 },
    { status: "successful", count: 47 },
  ]);
  assert.is(await value(db, "select count(distinct payment_method)::int from telecom.payment"), 3);
  assert.is(await value(db, "select count(*)::int from telecom.payment where mobile_no = $1 and status = 'successful'", [DEMO]), 13);
  assert.is(
    await value(
      db,
      "select count(*)::int from telecom.payment where mobile_no = $1 and status = 'successful' and date_of_payment >= current_date - 365",
      [DEMO],
    ),
    11,
  );
});

test("the demo account's latest Smart 75 payment left 15.00 to pay and its Super 150 payment 30.00 extra", async ({ db }) => {
  const { rows } = await db.query(
    `select distinct on (process_payment.plan_id)
       process_payment.plan_id,
       process_payment.remaining_balance,
       process_payment.extra_amount
     from telecom.process_payment
     inner join telecom.payment
       using (payment_id)
     where payment.mobile_no = $1
       and payment.status = 'successful'
     order by process_payment.plan_id, payment.date_of_payment desc`,
    [DEMO],
  );
  assert.equal(rows, [
    { plan_id: 2, remaining_balance: "15.00", extra_amount: "0.00" },
    { plan_id: 3, remaining_balance: "0.00", extra_amount: "30.00" },
  ]);
});

test("wallets: 17, one per person at most, 7 numbers without one; the demo wallet sent 3 transfers and received 2", async ({ db }) => {
  assert.is(await value(db, "select count(*)::int from telecom.wallet"), 17);
  assert.is(await value(db, "select count(*)::int from telecom.wallet group by national_id order by count(*) desc limit 1"), 1);
  assert.is(
    await value(db, "select count(*)::int from telecom.customer_account where mobile_no not in (select mobile_no from telecom.wallet)"),
    7,
  );
  assert.is(
    await value(
      db,
      "select count(*)::int from telecom.transfer_money inner join telecom.wallet on wallet.wallet_id = transfer_money.from_wallet_id where wallet.mobile_no = $1",
      [DEMO],
    ),
    3,
  );
  assert.is(
    await value(
      db,
      "select count(*)::int from telecom.transfer_money inner join telecom.wallet on wallet.wallet_id = transfer_money.to_wallet_id where wallet.mobile_no = $1",
      [DEMO],
    ),
    2,
  );
});

test("benefits: 13 active and 4 expired; points, offers and cashback belong to the benefit's account", async ({ db }) => {
  assert.equal((await db.query("select status::text, count(*)::int from telecom.benefit group by status order by status::text")).rows, [
    { status: "active", count: 13 },
    { status: "expired", count: 4 },
  ]);
  assert.is(
    await value(
      db,
      "select count(*)::int from telecom.points_group inner join telecom.benefit using (benefit_id) inner join telecom.payment using (payment_id) where payment.mobile_no <> benefit.mobile_no or payment.status <> 'successful'",
    ),
    0,
  );
  assert.is(
    await value(
      db,
      "select count(*)::int from telecom.cashback inner join telecom.benefit using (benefit_id) inner join telecom.payment using (payment_id) where payment.mobile_no <> benefit.mobile_no or payment.status <> 'successful' or cashback.amount <> round(payment.amount * 0.10, 2)",
    ),
    0,
  );
  assert.is(
    await value(
      db,
      "select count(*)::int from telecom.cashback inner join telecom.benefit using (benefit_id) inner join telecom.customer_account using (mobile_no) inner join telecom.wallet on wallet.wallet_id = cashback.wallet_id where wallet.national_id <> customer_account.national_id",
    ),
    0,
  );
});

test("points: 3 points groups from payments older than a year; each account's points are earned less spent on vouchers", async ({ db }) => {
  assert.is(
    await value(
      db,
      "select count(*)::int from telecom.points_group inner join telecom.payment using (payment_id) where payment.date_of_payment < current_date - 365",
    ),
    3,
  );
  assert.is(
    await value(
      db,
      `select count(*)::int
       from telecom.customer_account
       where points <> coalesce((select sum(points_group.points_amount) from telecom.points_group inner join telecom.payment using (payment_id) where payment.mobile_no = customer_account.mobile_no), 0)
         - coalesce((select sum(voucher.points) from telecom.voucher where voucher.mobile_no = customer_account.mobile_no), 0)`,
    ),
    0,
  );
  assert.is(await value(db, "select points from telecom.customer_account where mobile_no = $1", [DEMO]), 415);
});

test("offers and cashback: 2 offers with SMS and 3 without; 4 cashback credits for a payment and 3 without", async ({ db }) => {
  assert.is(await value(db, "select count(*)::int from telecom.exclusive_offer where sms_offered > 0"), 2);
  assert.is(await value(db, "select count(*)::int from telecom.exclusive_offer where sms_offered = 0"), 3);
  assert.is(await value(db, "select count(*)::int from telecom.cashback where payment_id is not null"), 4);
  assert.is(await value(db, "select count(*)::int from telecom.cashback where payment_id is null"), 3);
  assert.is(
    await value(db, "select count(*)::int from telecom.cashback inner join telecom.wallet using (wallet_id) where wallet.mobile_no = $1", [
      DEMO,
    ]),
    2,
  );
});

test("shops: 4 physical and 4 online, each exactly one kind", async ({ db }) => {
  assert.is(await value(db, "select count(*)::int from telecom.physical_shop"), 4);
  assert.is(await value(db, "select count(*)::int from telecom.e_shop"), 4);
  assert.is(
    await value(
      db,
      `select count(*)::int
       from telecom.shop
       where (shop_id in (select shop_id from telecom.physical_shop)) = (shop_id in (select shop_id from telecom.e_shop))`,
    ),
    0,
  );
});

test("vouchers: 7 unredeemed and valid (1 expiring today), 3 expired, 4 redeemed; the demo account redeemed 2 and can afford 4", async ({
  db,
}) => {
  assert.is(await value(db, "select count(*)::int from telecom.voucher where mobile_no is null and expiry_date >= current_date"), 7);
  assert.is(await value(db, "select count(*)::int from telecom.voucher where mobile_no is null and expiry_date = current_date"), 1);
  assert.is(await value(db, "select count(*)::int from telecom.voucher where mobile_no is null and expiry_date < current_date"), 3);
  assert.is(await value(db, "select count(*)::int from telecom.voucher where mobile_no is not null and redeem_date is not null"), 4);
  assert.is(await value(db, "select voucher_id from telecom.voucher where mobile_no = $1 order by value desc limit 1", [DEMO]), 10);
  assert.is(await value(db, "select count(*)::int from telecom.voucher where mobile_no = $1", [DEMO]), 2);
  assert.is(
    await value(
      db,
      "select count(*)::int from telecom.voucher where mobile_no is null and expiry_date >= current_date and points <= (select points from telecom.customer_account where mobile_no = $1)",
      [DEMO],
    ),
    4,
  );
});

test("tickets: 5 open, 3 in progress, 4 resolved; the demo customer has 2 unresolved across both numbers", async ({ db }) => {
  assert.equal(
    (await db.query("select status::text, count(*)::int from telecom.technical_support_ticket group by status order by status::text")).rows,
    [
      { status: "in_progress", count: 3 },
      { status: "open", count: 5 },
      { status: "resolved", count: 4 },
    ],
  );
  assert.is(
    await value(
      db,
      "select count(*)::int from telecom.technical_support_ticket inner join telecom.customer_account using (mobile_no) where customer_account.national_id = $1 and technical_support_ticket.status <> 'resolved'",
      [DEMO_NATIONAL_ID],
    ),
    2,
  );
});

test("bills: Mona's post-paid number has last month's bill paid and this month's due for what her balance owes; the numbers continue", async ({
  db,
}) => {
  const { rows } = await db.query(
    `select invoice.status, invoice.amount_due = greatest(-account.balance, 0) or invoice.status = 'paid' as owed,
       invoice.paid_amount = invoice.amount_due as settled, (select count(*)::integer from telecom.invoice_line as line where line.invoice_id = invoice.invoice_id) as lines
     from telecom.invoice as invoice inner join telecom.customer_account as account using (mobile_no)
     where invoice.mobile_no = '01123456789' order by invoice.bill_date`,
  );
  assert.equal(rows, [
    { status: "paid", owed: true, settled: true, lines: 2 },
    { status: "issued", owed: true, settled: false, lines: 2 },
  ]);
  const { rows: next } = await db.query(
    `select count(*)::integer as n from telecom.invoice
     where invoice_no = (select telecom_private.document_no(counter.series, counter.year, counter.last_number)
       from telecom_private.document_number as counter where counter.series = 'INV' and counter.year = extract(year from invoice.issued_on))
       and mobile_no = '01123456789' and bill_date = date_trunc('month', current_date)`,
  );
  assert.equal(next, [{ n: 1 }]);
  assert.equal((await db.query("select * from telecom.audit_balances()")).rows, []);
});

test("identity sequences continue after the explicit ids", async ({ db }) => {
  assert.is(
    await value(
      db,
      "insert into telecom.service_plan (name, price, sms_offered, minutes_offered, data_offered) values ('Test plan', 10, 0, 0, 0) returning plan_id",
    ),
    8,
  );
  assert.is(
    await value(db, "insert into telecom.payment (mobile_no, amount, payment_method) values ($1, 10, 'cash') returning payment_id", [DEMO]),
    57,
  );
  assert.is(
    await value(
      db,
      "insert into telecom.voucher (value, expiry_date, points, shop_id) values (10, current_date, 10, 1) returning voucher_id",
    ),
    15,
  );
  assert.is(
    await value(db, "insert into telecom_private.admin_user (username, password_hash) values ('second', 'x') returning admin_id"),
    2,
  );
});

test.run();

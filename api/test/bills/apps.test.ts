/**
 * What the apps read and ask of bills (docs/bills.md): a post-paid number's amount due and unbilled
 * amount, the bill runs' figures, the ageing report, barred accounts, and bill runs requested from the
 * admin app and run by the maintenance tick, as each role that may or may not.
 */
import * as assert from "uvu/assert";
import { Builder, sql, type Account } from "../support/builder.ts";
import { dbSuite, errorOf, getRootPool } from "../support/database.ts";
import { asRole } from "../support/roles.ts";
import { issuedBill, LAST_MONTH, lastMonthUsage, THIS_MONTH } from "./fixture.ts";

type Db = import("pg").PoolClient;
const test = dbSuite("bills in the apps");
const ADMIN = { admin_id: 1 };

/** A post-paid account opened 90 days ago with a balance of 0, of a person of its own. */
const postPaid = (builder: Builder): Promise<Account> =>
  builder.customer({ account: { account_type: "post_paid", balance: 0, start_date: sql("current_date - 90") } });
const claimsOf = (account: Account) => ({ mobile_no: account.mobile_no, national_id: account.national_id });
const accountRow = (mobile_no: string) => `jsonb_populate_record(null::telecom.customer_account, '{"mobile_no": "${mobile_no}"}')`;

test("a post-paid number's dashboard: its bill to pay and what the next bill charges so far, VAT included", async ({ db }) => {
  const builder = new Builder(db);
  const [own, other] = [await postPaid(builder), await postPaid(builder)];
  const plan = await builder.plan();
  const invoiceNo = await issuedBill(db, own.mobile_no, "114.00", 5);
  await db.query("update telecom.invoice set paid_amount = 14.00 where invoice_no = $1", [invoiceNo]);
  // Unbilled: a fee of 50.00 and 12.34 of this month's usage; billed already: a fee of 100.00, last month's usage.
  await db.query(
    `insert into telecom.plan_charge (mobile_no, plan_id, charge_from, charge_to, amount, invoice_id)
     values ($1, $2, current_date, current_date, 50.00, null),
       ($1, $2, ${LAST_MONTH}, ${THIS_MONTH} - 1, 100.00, (select invoice_id from telecom.invoice where invoice_no = $3))`,
    [own.mobile_no, plan.plan_id, invoiceNo],
  );
  await db.query("select telecom_private.ensure_usage_partitions(now())");
  await db.query(
    `insert into telecom.usage_event (event_id, mobile_no, kind, quantity, occurred_at, charged, outcome)
     values (gen_random_uuid(), $1, 'data', 20, now(), 12.34, 'charged')`,
    [own.mobile_no],
  );
  await lastMonthUsage(db, own.mobile_no, "voice", 3, "5.00", `${LAST_MONTH}::timestamp at time zone 'Africa/Cairo' + interval '3 days'`);
  const dashboard = `select telecom.customer_account_unbilled_amount(account) as unbilled, due.invoice_no, due.amount_due - due.paid_amount as still_due,
      due.due_date - current_date as due_in
    from telecom.customer_account as account, telecom.customer_account_issued_invoice(account) as due
    where account.mobile_no = $1`;
  // 62.34 + VAT round(62.34 × 0.14, 2) = 8.73.
  const expected = [{ unbilled: "71.07", invoice_no: invoiceNo, still_due: "100.00", due_in: 5 }];
  assert.equal((await asRole(db, "telecom_customer", claimsOf(own), () => db.query(dashboard, [own.mobile_no])))!.rows, expected);
  assert.equal((await asRole(db, "telecom_admin", ADMIN, () => db.query(dashboard, [own.mobile_no])))!.rows, expected);
  // Nothing unbilled and no bill to pay.
  const { rows } = (await asRole(db, "telecom_customer", claimsOf(other), () =>
    db.query(
      `select telecom.customer_account_unbilled_amount(account) as unbilled, telecom.customer_account_issued_invoice(account) is null as no_bill
       from telecom.customer_account as account where mobile_no = $1`,
      [other.mobile_no],
    ),
  ))!;
  assert.equal(rows, [{ unbilled: "0.00", no_bill: true }]);
  for (const name of ["customer_account_unbilled_amount", "customer_account_issued_invoice"]) {
    const another = await asRole(db, "telecom_customer", claimsOf(other), () =>
      errorOf(db, `select telecom.${name}(${accountRow(own.mobile_no)})`),
    );
    assert.is(another!.code, "42501", name);
    const unknown = await asRole(db, "telecom_admin", ADMIN, async () =>
      errorOf(db, `select telecom.${name}(${accountRow(await builder.mobileNo())})`),
    );
    assert.is(unknown!.code, "TC101", name);
    const anonymous = await asRole(db, "telecom_anonymous", {}, () => errorOf(db, `select telecom.${name}(${accountRow(own.mobile_no)})`));
    assert.is(anonymous!.code, "42501", name);
  }
});

test("the ageing report: what is still due on bills past their due date, by 1–30, 31–60, 61–90 and over 90 days; admins only", async ({
  db,
}) => {
  const builder = new Builder(db);
  const ageing = async () => (await asRole(db, "telecom_admin", ADMIN, () => db.query("select * from telecom.invoice_ageing()")))!.rows[0];
  const before = await ageing();
  // [days overdue, amount due]: due today is not overdue yet.
  const bills: [number, string][] = [
    [1, "1.00"],
    [30, "2.00"],
    [31, "3.00"],
    [60, "4.00"],
    [61, "5.00"],
    [90, "6.00"],
    [91, "7.00"],
    [0, "8.00"],
  ];
  for (const [days, amount] of bills) await issuedBill(db, (await postPaid(builder)).mobile_no, amount, -days);
  // 10 days overdue, 50.00 due and 20.00 paid: 30.00 still due.
  const partly = await issuedBill(db, (await postPaid(builder)).mobile_no, "50.00", -10);
  await db.query("update telecom.invoice set paid_amount = 20.00 where invoice_no = $1", [partly]);
  const after = await ageing();
  const grew = (column: string) => (Number(after[column]) - Number(before[column])).toFixed(2);
  assert.equal(
    [grew("due_1_to_30"), grew("due_31_to_60"), grew("due_61_to_90"), grew("due_over_90"), after.bills_overdue - before.bills_overdue],
    ["33.00", "7.00", "11.00", "7.00", 8],
  );
  for (const [role, claims] of [
    ["telecom_anonymous", {}],
    ["telecom_customer", { mobile_no: "01000000001", national_id: 1 }],
  ] as const) {
    const refused = await asRole(db, role, claims, () => errorOf(db, "select * from telecom.invoice_ageing()"));
    assert.is(refused!.code, "42501", role);
  }
});

test("each bill run's figures: bills issued, amount billed, VAT, paid so far and still open; admins only", async ({ db }) => {
  const builder = new Builder(db);
  // Bill whatever this month has not billed yet, so that the run below bills exactly the two accounts.
  await db.query(`select telecom.run_bills(${THIS_MONTH})`);
  const summary = async () => {
    await db.query("select telecom.refresh_admin_figures()");
    const { rows } = (await asRole(db, "telecom_admin", ADMIN, () =>
      db.query(
        `select bills_issued, amount_billed, vat, paid_amount, open_amount from telecom.bill_run_summary where bill_date = ${THIS_MONTH}`,
      ),
    ))!;
    return rows[0] ?? { bills_issued: 0, amount_billed: "0", vat: "0", paid_amount: "0", open_amount: "0" };
  };
  const before = await summary();
  const plan = await builder.plan({ price: 100 });
  const accounts = [await postPaid(builder), await postPaid(builder)];
  for (const account of accounts) {
    await db.query(
      "insert into telecom.subscription (mobile_no, plan_id, subscription_date, status) values ($1, $2, current_date - 60, 'active')",
      [account.mobile_no, plan.plan_id],
    );
  }
  assert.is((await db.query(`select telecom.run_bills(${THIS_MONTH}) as issued`)).rows[0].issued, 2);
  await asRole(db, "telecom_admin", ADMIN, () =>
    db.query("select * from telecom.initiate_balance_payment($1, 50.00, 'cash')", [accounts[0].mobile_no]),
  );
  const after = await summary();
  const grew = (column: string) => (Number(after[column]) - Number(before[column])).toFixed(2);
  // Two bills of 100.00 + 14.00 VAT; 50.00 paid of one.
  assert.equal(
    [after.bills_issued - before.bills_issued, grew("amount_billed"), grew("vat"), grew("paid_amount"), grew("open_amount")],
    [2, "228.00", "28.00", "50.00", "178.00"],
  );
  const refused = await asRole(db, "telecom_customer", claimsOf(accounts[0]), () => errorOf(db, "select * from telecom.bill_run_summary"));
  assert.is(refused!.code, "42501");
});

test("barred accounts: number, name, the barring bill, what is still due, when; admins only", async ({ db }) => {
  const builder = new Builder(db);
  const barred = await builder.customer({
    profile: { first_name: "Barred", last_name: "Payer" },
    account: { account_type: "post_paid", balance: 0, start_date: sql("current_date - 90") },
  });
  const invoiceNo = await issuedBill(db, barred.mobile_no, "114.00", -15);
  await db.query("update telecom.invoice set paid_amount = 14.00 where invoice_no = $1", [invoiceNo]);
  await db.query(
    `insert into telecom.account_bar (mobile_no, invoice_id, previous_status, barred_at)
     select $1, invoice_id, 'active', '2026-01-02 10:00+02' from telecom.invoice where invoice_no = $2`,
    [barred.mobile_no, invoiceNo],
  );
  const { rows } = (await asRole(db, "telecom_admin", ADMIN, () =>
    db.query(
      "select mobile_no, customer_name, invoice_no, amount_still_due, barred_at::text from telecom.barred_accounts where mobile_no = $1",
      [barred.mobile_no],
    ),
  ))!;
  assert.equal(rows, [
    {
      mobile_no: barred.mobile_no,
      customer_name: "Barred Payer",
      invoice_no: invoiceNo,
      amount_still_due: "100.00",
      barred_at: "2026-01-02 10:00:00+02",
    },
  ]);
  const refused = await asRole(db, "telecom_customer", claimsOf(barred), () => errorOf(db, "select * from telecom.barred_accounts"));
  assert.is(refused!.code, "42501");
});

test("the bill pages' orders are index scans: a number's bills by date, a bill run's bills in the order issued", async ({ db }) => {
  // Whatever the tables hold here: the plan may not sort (an index gives the order), as at a million customers.
  await db.query("set local enable_seqscan = off; set local enable_bitmapscan = off");
  for (const [query, index] of [
    ["select * from telecom.invoice where mobile_no = '01000000000' order by bill_date desc limit 20", "invoice_mobile_no_bill_date_key"],
    [`select * from telecom.invoice where bill_date = ${THIS_MONTH} order by invoice_id limit 50`, "invoice_bill_date_invoice_id_idx"],
    ["select * from telecom.invoice where status = 'issued' order by due_date limit 50", "invoice_overdue_idx"],
    ["select * from telecom.barred_accounts order by barred_at desc, mobile_no desc limit 50", "account_bar_barred_at_idx"],
  ]) {
    const plan = (await db.query(`explain (costs off) ${query}`)).rows.map((line) => line["QUERY PLAN"] as string);
    assert.ok(
      plan.some((line) => line.includes(index)) && !plan.some((line) => /^\s*(->\s*)?Sort\b/.test(line)),
      `${query}\n${plan.join("\n")}`,
    );
  }
});

const request = (db: Db, billDate = THIS_MONTH) =>
  asRole(db, "telecom_admin", ADMIN, () =>
    db.query(`select request_id, bill_date = ${THIS_MONTH} as this_month, requested_by, started_at, finished_at, bills_issued, error,
        telecom.bill_run_request_status(request) as status
      from telecom.request_bill_run(${billDate}) as request`),
  );
const requestRow = async (db: Db, request_id: number) =>
  (
    await db.query(
      `select started_at <= finished_at as in_order, bills_issued, error, telecom.bill_run_request_status(request) as status
       from telecom.bill_run_request as request where request_id = $1`,
      [request_id],
    )
  ).rows[0];

test("an admin asks for a bill run: queued, then run by the next maintenance tick and done; one at a time per date", async ({ db }) => {
  const { rows } = (await request(db))!;
  assert.equal(
    { ...rows[0], request_id: undefined },
    {
      request_id: undefined,
      this_month: true,
      requested_by: "admin:1",
      started_at: null,
      finished_at: null,
      bills_issued: null,
      error: null,
      status: "queued",
    },
  );
  assert.is((await asRole(db, "telecom_admin", ADMIN, () => errorOf(db, `select telecom.request_bill_run(${THIS_MONTH})`)))!.code, "TC707");
  const tick = (await db.query("select telecom.maintenance_tick() as done")).rows[0].done;
  assert.is(tick.bill_run_requests, 1);
  const { rows: billed } = await db.query(`select count(*)::integer as n from telecom.invoice where bill_date = ${THIS_MONTH}`);
  const done = await requestRow(db, rows[0].request_id);
  // The tick's own monthly run, when this is its first tick of the month, bills first: then the request issues none.
  assert.equal(done, { in_order: true, bills_issued: tick.bills_issued === null ? done.bills_issued : 0, error: null, status: "done" });
  assert.ok(done.bills_issued <= billed[0].n);
  assert.is((await db.query("select telecom.maintenance_tick() as done")).rows[0].done.bill_run_requests, 0);
  // Done: the date may be asked for again.
  assert.is((await request(db))!.rows[0].status, "queued");
});

test("a requested run that fails is recorded with its error and writes nothing; the tick goes on", async ({ db }) => {
  // Egypt's VAT began on 2017-07-01: no rate is valid on 2017-06-01 (TC703), which only the run finds.
  const { rows } = (await request(db, "'2017-06-01'"))!;
  assert.is((await db.query("select telecom.maintenance_tick() as done")).rows[0].done.bill_run_requests, 1);
  const failed = await requestRow(db, rows[0].request_id);
  assert.equal({ ...failed, error: failed.error.slice(0, 6) }, { in_order: true, bills_issued: null, error: "TC703:", status: "failed" });
  const { rows: after } = await db.query("select count(*)::integer as n from telecom.invoice where bill_date = '2017-06-01'");
  assert.is(after[0].n, 0);
});

test("a bill run request for a day that is not the 1st, or is in the future, is refused at once (TC702); customers may not ask (42501)", async ({
  db,
}) => {
  const { rows: before } = await db.query("select count(*)::integer as n from telecom.bill_run_request");
  for (const day of [`${THIS_MONTH} + 1`, `(${THIS_MONTH} + interval '1 month')::date`, "null"]) {
    const refused = await asRole(db, "telecom_admin", ADMIN, () => errorOf(db, `select telecom.request_bill_run(${day})`));
    assert.is(refused!.code, "TC702", day);
  }
  const customer = await asRole(db, "telecom_customer", { mobile_no: "01000000001", national_id: 1 }, () =>
    errorOf(db, "select telecom.request_bill_run()"),
  );
  assert.is(customer!.code, "42501");
  assert.equal((await db.query("select count(*)::integer as n from telecom.bill_run_request")).rows, before);
});

test("while the maintenance tick runs a requested bill run, another connection sees it running", async ({ db }) => {
  // The request is committed so that the tick's connection sees it; the tick is rolled back.
  const pool = getRootPool();
  const { rows } = await pool.query(
    `insert into telecom.bill_run_request (bill_date, requested_by) values (${THIS_MONTH}, 'database:test') returning request_id`,
  );
  const ticking = await pool.connect();
  try {
    await ticking.query("begin");
    assert.is((await ticking.query("select telecom.maintenance_tick() as done")).rows[0].done.bill_run_requests, 1);
    assert.is((await requestRow(db, rows[0].request_id)).status, "running");
    await ticking.query("rollback");
    assert.is((await requestRow(db, rows[0].request_id)).status, "queued");
  } finally {
    ticking.release();
    await pool.query("delete from telecom.bill_run_request where request_id = $1", [rows[0].request_id]);
  }
});

test.run();

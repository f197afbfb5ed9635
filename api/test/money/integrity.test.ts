/**
 * docs/data-model.md's integrity rules hold for every writer: an admin (where the admin's grants allow the
 * write at all) and the trusted sessions (a superuser, and the owner via `set local role
 * telecom_owner`). Each refusal has its code and message and leaves every table as it was; the
 * writes the rules allow still go through.
 */
import type pg from "pg";
import * as assert from "uvu/assert";
import { dbSuite, errorOf } from "../support/database.ts";
import { asRole, asSuperuser } from "../support/roles.ts";
import { Builder } from "../support/builder.ts";
import { ALICE, BOB, CAROL, createCustomers, PEOPLE } from "./fixtures.ts";
import { moneyState } from "../support/money-state.ts";

/** A number and a national id nobody has, for a new account of Bob and a new person. */
const NEW_NUMBER = await new Builder().mobileNo();
const NEW_PERSON = await new Builder().nationalId();

const test = dbSuite("money: integrity rules for every writer");

type Writer = "superuser" | "owner" | "admin";
const WRITERS: Writer[] = ["superuser", "owner", "admin"];
const TRUSTED: Writer[] = ["superuser", "owner"];
const API_ROLES = ["telecom_anonymous", "telecom_customer", "telecom_admin", "telecom_payment_processor", "telecom_network"];

interface Rows {
  aliceWallet: number;
  bobWallet: number;
  carolWallet: number;
  plan: number;
  otherPlan: number;
  settled: number;
  rejected: number;
  pending: number;
  bobPayment: number;
  carolPayment: number;
  cashbackBenefit: number;
  pointsBenefit: number;
  bareBenefit: number;
  carolBenefit: number;
  settledPoints: number;
  pendingPoints: number;
  cashback: number;
  transfer: number;
  shop: number;
  redeemed: number;
  unredeemed: number;
  journal: number;
}

/** Alice, Bob, Carol (USD wallet) and Dave, whose accounts started 100 days ago, with a row of every kind of money history. */
async function build(db: pg.PoolClient): Promise<Rows> {
  const wallets = await createCustomers(db);
  const one = async (sql: string, values: unknown[] = []): Promise<number> => {
    const { rows } = await db.query(sql, values);
    return Object.values(rows[0])[0] as number;
  };
  await db.query("update telecom.customer_account set start_date = current_date - 100 where national_id = any($1)", [
    PEOPLE.map((person) => person.national_id),
  ]);
  const plan = await one(
    "insert into telecom.service_plan (name, price, sms_offered, minutes_offered, data_offered, description) values ('Integrity Plan', 100, 10, 10, 10, 'integrity') returning plan_id",
  );
  const otherPlan = await one(
    "insert into telecom.service_plan (name, price, sms_offered, minutes_offered, data_offered, description) values ('Integrity Other', 50, 10, 10, 10, 'integrity') returning plan_id",
  );
  await db.query(
    "insert into telecom.subscription (mobile_no, plan_id, subscription_date, status) values ($1, $2, current_date - 50, 'active')",
    [ALICE.mobile_no, plan],
  );
  await db.query(
    "insert into telecom.plan_usage (mobile_no, plan_id, start_date, end_date, data_consumption) values ($1, $2, current_date - 10, current_date - 9, 5)",
    [ALICE.mobile_no, plan],
  );
  const payment = (mobileNo: string, amount: number, method: string, status: string) =>
    one(
      "insert into telecom.payment (mobile_no, amount, date_of_payment, payment_method, status) values ($1, $2, current_date - 5, $3, $4) returning payment_id",
      [mobileNo, amount, method, status],
    );
  const settled = await payment(ALICE.mobile_no, 100, "cash", "successful");
  const rejected = await payment(ALICE.mobile_no, 50, "credit", "rejected");
  const pending = await payment(ALICE.mobile_no, 60, "credit", "pending");
  const bobPayment = await payment(BOB.mobile_no, 70, "cash", "successful");
  const carolPayment = await payment(CAROL.mobile_no, 40, "cash", "successful");
  const benefit = (mobileNo: string, description: string) =>
    one(
      "insert into telecom.benefit (description, validity_date, status, mobile_no) values ($1, current_date + 30, 'active', $2) returning benefit_id",
      [description, mobileNo],
    );
  const cashbackBenefit = await benefit(ALICE.mobile_no, "Integrity cashback");
  const pointsBenefit = await benefit(ALICE.mobile_no, "Integrity points");
  const bareBenefit = await benefit(ALICE.mobile_no, "Integrity unused");
  const carolBenefit = await benefit(CAROL.mobile_no, "Integrity Carol");
  const points = (benefitId: number, paymentId: number, amount: number) =>
    one("insert into telecom.points_group (benefit_id, points_amount, payment_id) values ($1, $2, $3) returning point_id", [
      benefitId,
      amount,
      paymentId,
    ]);
  const settledPoints = await points(pointsBenefit, settled, 10);
  const pendingPoints = await points(pointsBenefit, pending, 5);
  const cashback = await one(
    "insert into telecom.cashback (benefit_id, wallet_id, amount, credit_date, payment_id) values ($1, $2, 10, current_date - 5, $3) returning cashback_id",
    [cashbackBenefit, wallets.aliceWallet, settled],
  );
  const transfer = await one(
    "insert into telecom.transfer_money (from_wallet_id, to_wallet_id, amount, transfer_date) values ($1, $2, 5, current_date - 3) returning transfer_id",
    [wallets.aliceWallet, wallets.bobWallet],
  );
  const shop = await one("insert into telecom.shop (name, category) values ('Integrity Shop', 'food') returning shop_id");
  const redeemed = await one(
    "insert into telecom.voucher (value, expiry_date, points, shop_id, mobile_no, redeem_date) values (20, current_date + 30, 10, $1, $2, current_date - 1) returning voucher_id",
    [shop, ALICE.mobile_no],
  );
  const unredeemed = await one(
    "insert into telecom.voucher (value, expiry_date, points, shop_id) values (30, current_date + 10, 10, $1) returning voucher_id",
    [shop],
  );
  const journal = await one("select min(journal_id) as journal_id from telecom.money_journal where mobile_no = $1", [ALICE.mobile_no]);
  return {
    ...wallets,
    plan,
    otherPlan,
    settled,
    rejected,
    pending,
    bobPayment,
    carolPayment,
    cashbackBenefit,
    pointsBenefit,
    bareBenefit,
    carolBenefit,
    settledPoints,
    pendingPoints,
    cashback,
    transfer,
    shop,
    redeemed,
    unredeemed,
    journal,
  };
}

/** Switches the transaction to the writer: a superuser, the owner (a trusted session), or an existing admin. */
async function writeAs(db: pg.PoolClient, writer: Writer): Promise<void> {
  await asSuperuser(db);
  if (writer === "owner") await db.query("set local role telecom_owner");
  if (writer === "admin") await asRole(db, "telecom_admin", { admin_id: 1 });
}

/** Asserts that `statement` fails with `code` (and `message`) and leaves every table as it was. */
async function refuses(db: pg.PoolClient, statement: string, values: unknown[], code: string, message: string): Promise<void> {
  const before = await moneyState(db);
  const error = await errorOf(db, statement, values);
  assert.equal([error.code, error.message], [code, message], `${statement} ${JSON.stringify(values)}`);
  assert.equal(await moneyState(db), before, `${statement} changed data`);
}

/** Runs `statement`, which the rules allow, and returns how many rows it wrote. */
async function allows(db: pg.PoolClient, statement: string, values: unknown[] = []): Promise<number> {
  const result = await db.query(statement, values);
  return result.rowCount ?? 0;
}

/** A date as PostgreSQL prints it in a message. */
async function day(db: pg.PoolClient, expression: string): Promise<string> {
  const { rows } = await db.query(`select (${expression})::text as day`);
  return rows[0].day;
}

const history = (what: string) => `${what} cannot be changed or deleted: it is money history.`;
const POINTS_HISTORY = "Points earned by a successful payment cannot be changed or deleted: they are money history.";

for (const writer of WRITERS) {
  test(`${writer}: a date of birth today or later is refused (TC010); one in the past is accepted`, async ({ db }) => {
    await build(db);
    await writeAs(db, writer);
    const tomorrow = await day(db, "current_date + 1");
    const today = await day(db, "current_date");
    await refuses(
      db,
      "update telecom.customer_profile set date_of_birth = current_date + 1 where national_id = $1",
      [ALICE.national_id],
      "TC010",
      `The date of birth (${tomorrow}) must be in the past.`,
    );
    await refuses(
      db,
      "insert into telecom.customer_profile (national_id, first_name, last_name, date_of_birth) values ($1, 'Newborn', 'Future', current_date)",
      [NEW_PERSON],
      "TC010",
      `The date of birth (${today}) must be in the past.`,
    );
    assert.is(
      await allows(db, "update telecom.customer_profile set date_of_birth = current_date - 1 where national_id = $1", [ALICE.national_id]),
      1,
    );
  });

  test(`${writer}: an account starting in the future is refused (TC011); one starting today is accepted`, async ({ db }) => {
    await build(db);
    await writeAs(db, writer);
    const tomorrow = await day(db, "current_date + 1");
    await refuses(
      db,
      "update telecom.customer_account set start_date = current_date + 1 where mobile_no = $1",
      [BOB.mobile_no],
      "TC011",
      `The account cannot start in the future (${tomorrow}).`,
    );
    await refuses(
      db,
      "insert into telecom.customer_account (mobile_no, national_id, account_type, start_date) values ($2, $1, 'prepaid', current_date + 1)",
      [BOB.national_id, NEW_NUMBER],
      "TC011",
      `The account cannot start in the future (${tomorrow}).`,
    );
    assert.is(
      await allows(
        db,
        "insert into telecom.customer_account (mobile_no, national_id, account_type, start_date) values ($2, $1, 'prepaid', current_date)",
        [BOB.national_id, NEW_NUMBER],
      ),
      1,
    );
  });

  test(`${writer}: a subscription dated in the future (TC011) or before its account (TC012) is refused; on the start date it is accepted`, async ({
    db,
  }) => {
    const rows = await build(db);
    await writeAs(db, writer);
    const insert =
      "insert into telecom.subscription (mobile_no, plan_id, subscription_date, status) values ($1, $2, current_date + $3::integer, 'active')";
    await refuses(
      db,
      insert,
      [BOB.mobile_no, rows.plan, 1],
      "TC011",
      `A subscription cannot be dated in the future (${await day(db, "current_date + 1")}).`,
    );
    await refuses(
      db,
      insert,
      [BOB.mobile_no, rows.plan, -101],
      "TC012",
      `A subscription cannot start (${await day(db, "current_date - 101")}) before its account.`,
    );
    assert.is(await allows(db, insert, [BOB.mobile_no, rows.plan, -100]), 1);
  });

  test(`${writer}: a subscription's date never moves (TC013); its status still changes`, async ({ db }) => {
    const rows = await build(db);
    await writeAs(db, writer);
    const first = await day(db, "current_date - 50");
    const move = "update telecom.subscription set subscription_date = current_date + $3::integer where mobile_no = $1 and plan_id = $2";
    await refuses(db, move, [ALICE.mobile_no, rows.plan, -51], "TC013", `A subscription keeps the date it was first made (${first}).`);
    await refuses(db, move, [ALICE.mobile_no, rows.plan, 0], "TC013", `A subscription keeps the date it was first made (${first}).`);
    assert.is(
      await allows(db, "update telecom.subscription set status = 'onhold' where mobile_no = $1 and plan_id = $2", [
        ALICE.mobile_no,
        rows.plan,
      ]),
      1,
    );
  });

  test(`${writer}: usage in the future (TC011), before its account (TC012) or on a plan without a subscription (TC014) is refused`, async ({
    db,
  }) => {
    const rows = await build(db);
    // Usage is dated in the operator's time zone, so its "today" is the later of the database's and the operator's.
    const today = await day(db, "greatest(current_date, telecom_private.operator_date(now()))");
    await writeAs(db, writer);
    const insert = `insert into telecom.plan_usage (mobile_no, plan_id, start_date, end_date, sms_sent)
      values ($1, $2, '${today}'::date + $3::integer, '${today}'::date + $4::integer, 1)`;
    await refuses(
      db,
      insert,
      [ALICE.mobile_no, rows.plan, 0, 1],
      "TC011",
      `Usage cannot be recorded for the future (${await day(db, `'${today}'::date + 1`)}).`,
    );
    await refuses(
      db,
      insert,
      // The account started 100 days before the database's today, which may be the operator's yesterday.
      [ALICE.mobile_no, rows.plan, -102, -90],
      "TC012",
      `Usage cannot start (${await day(db, `'${today}'::date - 102`)}) before its account.`,
    );
    await refuses(
      db,
      insert,
      [ALICE.mobile_no, rows.otherPlan, -1, 0],
      "TC014",
      `${ALICE.mobile_no} has no subscription to plan ${rows.otherPlan}: usage is recorded only against its plans.`,
    );
    await refuses(
      db,
      insert,
      [BOB.mobile_no, rows.plan, -1, 0],
      "TC014",
      `${BOB.mobile_no} has no subscription to plan ${rows.plan}: usage is recorded only against its plans.`,
    );
    await refuses(
      db,
      "update telecom.plan_usage set plan_id = $2 where mobile_no = $1",
      [ALICE.mobile_no, rows.otherPlan],
      "TC014",
      `${ALICE.mobile_no} has no subscription to plan ${rows.otherPlan}: usage is recorded only against its plans.`,
    );
    assert.is(await allows(db, insert, [ALICE.mobile_no, rows.plan, -100, 0]), 1);
  });

  test(`${writer}: a points group joining a benefit to another account's payment is refused (TC015); the same account's is accepted`, async ({
    db,
  }) => {
    const rows = await build(db);
    await writeAs(db, writer);
    const message = "A points group joins a benefit and a payment of the same account.";
    const insert = "insert into telecom.points_group (benefit_id, points_amount, payment_id) values ($1, 5, $2)";
    await refuses(db, insert, [rows.pointsBenefit, rows.bobPayment], "TC015", message);
    await refuses(db, insert, [rows.carolBenefit, rows.settled], "TC015", message);
    // The points of a pending payment may change, but only within the account.
    await refuses(
      db,
      "update telecom.points_group set payment_id = $2 where point_id = $1",
      [rows.pendingPoints, rows.bobPayment],
      "TC015",
      message,
    );
    assert.is(await allows(db, insert, [rows.cashbackBenefit, rows.rejected]), 1);
  });

  test(`${writer}: a redeemed voucher, and the points a successful payment earned, cannot be changed or deleted (TC020)`, async ({
    db,
  }) => {
    const rows = await build(db);
    await writeAs(db, writer);
    await refuses(
      db,
      "update telecom.voucher set value = 99 where voucher_id = $1",
      [rows.redeemed],
      "TC020",
      history("A redeemed voucher"),
    );
    await refuses(
      db,
      "update telecom.voucher set expiry_date = current_date + 60 where voucher_id = $1",
      [rows.redeemed],
      "TC020",
      history("A redeemed voucher"),
    );
    await refuses(db, "delete from telecom.voucher where voucher_id = $1", [rows.redeemed], "TC020", history("A redeemed voucher"));
    await refuses(
      db,
      "update telecom.points_group set points_amount = 99 where point_id = $1",
      [rows.settledPoints],
      "TC020",
      POINTS_HISTORY,
    );
    await refuses(db, "delete from telecom.points_group where point_id = $1", [rows.settledPoints], "TC020", POINTS_HISTORY);
    // Neither is history yet: an unredeemed voucher and the points of a pending payment.
    assert.is(await allows(db, "update telecom.voucher set value = 35 where voucher_id = $1", [rows.unredeemed]), 1);
    assert.is(await allows(db, "delete from telecom.voucher where voucher_id = $1", [rows.unredeemed]), 1);
    assert.is(await allows(db, "delete from telecom.points_group where point_id = $1", [rows.pendingPoints]), 1);
  });

  test(`${writer}: a benefit that credited cashback or points cannot be deleted (TC021); an unused one can`, async ({ db }) => {
    const rows = await build(db);
    await writeAs(db, writer);
    const refusal = (id: number) => `Benefit ${id} has credited cashback or points: end it instead of deleting it.`;
    await refuses(db, "delete from telecom.benefit where benefit_id = $1", [rows.cashbackBenefit], "TC021", refusal(rows.cashbackBenefit));
    await refuses(db, "delete from telecom.benefit where benefit_id = $1", [rows.pointsBenefit], "TC021", refusal(rows.pointsBenefit));
    assert.is(await allows(db, "delete from telecom.benefit where benefit_id = $1", [rows.bareBenefit]), 1);
    // Ending a benefit (what benefits_account does) is how a used one goes.
    assert.is(
      await allows(db, "update telecom.benefit set status = 'expired', validity_date = current_date where benefit_id = $1", [
        rows.cashbackBenefit,
      ]),
      1,
    );
  });
}

for (const writer of TRUSTED) {
  test(`${writer}: a payment dated in the future is refused (TC011); today is accepted`, async ({ db }) => {
    const rows = await build(db);
    await writeAs(db, writer);
    const tomorrow = await day(db, "current_date + 1");
    await refuses(
      db,
      "insert into telecom.payment (mobile_no, amount, date_of_payment, payment_method, status) values ($1, 10, current_date + 1, 'cash', 'successful')",
      [BOB.mobile_no],
      "TC011",
      `A payment cannot be dated in the future (${tomorrow}).`,
    );
    await refuses(
      db,
      "update telecom.payment set date_of_payment = current_date + 1 where payment_id = $1",
      [rows.pending],
      "TC011",
      `A payment cannot be dated in the future (${tomorrow}).`,
    );
    assert.is(
      await allows(
        db,
        "insert into telecom.payment (mobile_no, amount, date_of_payment, payment_method, status) values ($1, 10, current_date, 'cash', 'successful')",
        [BOB.mobile_no],
      ),
      1,
    );
  });

  test(`${writer}: a transfer or a cashback credit across currencies is refused (TC016); within one currency it is accepted`, async ({
    db,
  }) => {
    const rows = await build(db);
    await writeAs(db, writer);
    const transfer = "insert into telecom.transfer_money (from_wallet_id, to_wallet_id, amount) values ($1, $2, 1)";
    const transferMessage = "A transfer stays within one currency: the two wallets hold different ones.";
    await refuses(db, transfer, [rows.aliceWallet, rows.carolWallet], "TC016", transferMessage);
    await refuses(db, transfer, [rows.carolWallet, rows.bobWallet], "TC016", transferMessage);
    const cashback = "insert into telecom.cashback (benefit_id, wallet_id, amount, payment_id) values ($1, $2, 4, $3)";
    // Carol's EGP payment cannot earn cashback in her USD wallet.
    await refuses(
      db,
      cashback,
      [rows.carolBenefit, rows.carolWallet, rows.carolPayment],
      "TC016",
      "Cashback is credited in the payment's currency: the wallet holds another one.",
    );
    assert.is(await allows(db, transfer, [rows.bobWallet, rows.aliceWallet]), 1);
    assert.is(await allows(db, cashback, [rows.cashbackBenefit, rows.bobWallet, rows.bobPayment]), 1);
  });

  test(`${writer}: a voucher redeemed after its expiry is refused (TC017); on its expiry day it is accepted`, async ({ db }) => {
    const rows = await build(db);
    await writeAs(db, writer);
    const expiry = await day(db, "current_date - 2");
    await refuses(
      db,
      "update telecom.voucher set mobile_no = $2, redeem_date = current_date, expiry_date = current_date - 2 where voucher_id = $1",
      [rows.unredeemed, ALICE.mobile_no],
      "TC017",
      `Voucher ${rows.unredeemed} expired on ${expiry} and cannot be redeemed after that.`,
    );
    const { rows: inserted } = await db.query("select nextval(pg_get_serial_sequence('telecom.voucher', 'voucher_id')) + 1 as next");
    await refuses(
      db,
      "insert into telecom.voucher (value, expiry_date, points, shop_id, mobile_no, redeem_date) values (5, current_date - 2, 1, $1, $2, current_date - 1)",
      [rows.shop, BOB.mobile_no],
      "TC017",
      `Voucher ${inserted[0].next} expired on ${expiry} and cannot be redeemed after that.`,
    );
    assert.is(
      await allows(db, "update telecom.voucher set mobile_no = $2, redeem_date = expiry_date where voucher_id = $1", [
        rows.unredeemed,
        ALICE.mobile_no,
      ]),
      1,
    );
  });

  test(`${writer}: settled payments, transfers, cashback and journal entries cannot be changed or deleted (TC020); a pending payment can be deleted`, async ({
    db,
  }) => {
    const rows = await build(db);
    await writeAs(db, writer);
    for (const paymentId of [rows.settled, rows.rejected]) {
      await refuses(db, "update telecom.payment set amount = 1 where payment_id = $1", [paymentId], "TC020", history("A settled payment"));
      await refuses(
        db,
        "update telecom.payment set status = 'pending' where payment_id = $1",
        [paymentId],
        "TC020",
        history("A settled payment"),
      );
    }
    // The rejected payment has no points or cashback: only the rule stops its deletion.
    await refuses(db, "delete from telecom.payment where payment_id = $1", [rows.rejected], "TC020", history("A settled payment"));
    await refuses(
      db,
      "update telecom.transfer_money set amount = 500 where transfer_id = $1",
      [rows.transfer],
      "TC020",
      history("A transfer"),
    );
    await refuses(db, "delete from telecom.transfer_money where transfer_id = $1", [rows.transfer], "TC020", history("A transfer"));
    await refuses(
      db,
      "update telecom.cashback set amount = 1000 where cashback_id = $1",
      [rows.cashback],
      "TC020",
      history("A cashback credit"),
    );
    await refuses(db, "delete from telecom.cashback where cashback_id = $1", [rows.cashback], "TC020", history("A cashback credit"));
    await refuses(
      db,
      "update telecom.money_journal set change = change + 1 where journal_id = $1",
      [rows.journal],
      "TC020",
      history("A money journal entry"),
    );
    await refuses(db, "delete from telecom.money_journal where journal_id = $1", [rows.journal], "TC020", history("A money journal entry"));
    // A pending payment is not history yet (its points group goes first: it is not history either).
    assert.is(await allows(db, "delete from telecom.points_group where payment_id = $1", [rows.pending]), 1);
    assert.is(await allows(db, "delete from telecom.payment where payment_id = $1", [rows.pending]), 1);
  });
}

test("admin: payments, transfers, cashback and the journal are not the admin's to write (42501)", async ({ db }) => {
  const rows = await build(db);
  await writeAs(db, "admin");
  const denied = (table: string) => `permission denied for table ${table}`;
  const statements: [string, unknown[], string][] = [
    ["update telecom.payment set status = 'successful' where payment_id = $1", [rows.pending], "payment"],
    ["update telecom.payment set status = 'rejected' where payment_id = $1", [rows.settled], "payment"],
    ["update telecom.payment set amount = 1 where payment_id = $1", [rows.settled], "payment"],
    ["update telecom.payment set date_of_payment = current_date + 1 where payment_id = $1", [rows.pending], "payment"],
    ["delete from telecom.payment where payment_id = $1", [rows.pending], "payment"],
    [
      "insert into telecom.payment (mobile_no, amount, payment_method, status) values ($1, 10, 'cash', 'successful')",
      [BOB.mobile_no],
      "payment",
    ],
    [
      "insert into telecom.transfer_money (from_wallet_id, to_wallet_id, amount) values ($1, $2, 1)",
      [rows.aliceWallet, rows.carolWallet],
      "transfer_money",
    ],
    ["update telecom.transfer_money set amount = 500 where transfer_id = $1", [rows.transfer], "transfer_money"],
    ["delete from telecom.transfer_money where transfer_id = $1", [rows.transfer], "transfer_money"],
    [
      "insert into telecom.cashback (benefit_id, wallet_id, amount, payment_id) values ($1, $2, 4, $3)",
      [rows.carolBenefit, rows.carolWallet, rows.carolPayment],
      "cashback",
    ],
    ["update telecom.cashback set amount = 1000 where cashback_id = $1", [rows.cashback], "cashback"],
    ["delete from telecom.cashback where cashback_id = $1", [rows.cashback], "cashback"],
    ["update telecom.money_journal set change = change + 1 where journal_id = $1", [rows.journal], "money_journal"],
    ["delete from telecom.money_journal where journal_id = $1", [rows.journal], "money_journal"],
    // Redemption is redeem_voucher_points' to write.
    [
      "update telecom.voucher set mobile_no = $2, redeem_date = current_date where voucher_id = $1",
      [rows.unredeemed, ALICE.mobile_no],
      "voucher",
    ],
  ];
  for (const [statement, values, table] of statements) await refuses(db, statement, values, "42501", denied(table));
});

test("no API role holds UPDATE on payment.status, amount or currency, or DELETE on payment", async ({ db }) => {
  const { rows } = await db.query(
    `select role, has_column_privilege(role, 'telecom.payment', 'status', 'UPDATE') as status,
       has_column_privilege(role, 'telecom.payment', 'amount', 'UPDATE') as amount,
       has_column_privilege(role, 'telecom.payment', 'currency', 'UPDATE') as currency,
       has_table_privilege(role, 'telecom.payment', 'DELETE') as delete
     from unnest($1::text[]) as role order by role`,
    [API_ROLES],
  );
  assert.equal(
    rows,
    [...API_ROLES].sort().map((role) => ({ role, status: false, amount: false, currency: false, delete: false })),
  );
});

test("customer: updating a payment's status is denied (42501), also on their own payment", async ({ db }) => {
  const rows = await build(db);
  await asRole(db, "telecom_customer", ALICE);
  await refuses(
    db,
    "update telecom.payment set status = 'successful' where payment_id = $1",
    [rows.pending],
    "42501",
    "permission denied for table payment",
  );
});

test.run();

/**
 * docs/security.md: trusted database sessions (a superuser, or the owner, calling as themselves without
 * claims) use every operation on every account, as an admin would; the caller role is what
 * decides, also inside `security definer` functions where current_user is the owner; and the admin
 * check needs the admin role and an existing admin, whatever the claims say.
 */
import pg from "pg";
import * as assert from "uvu/assert";
import { withClient } from "../../src/db/client.ts";
import { dbSuite, errorOf, ownerUrl } from "../support/database.ts";
import { Builder } from "../support/builder.ts";
import { asRole, asSuperuser, setClaims } from "../support/roles.ts";
import { A1, A2, B1, C1, admin, buildFixture, customerA, id } from "./fixture.ts";

const test = dbSuite("operations: trusted sessions and the caller role");

type Trusted = "superuser" | "owner";
const TRUSTED: Trusted[] = ["superuser", "owner"];
/** A number nobody has. */
const UNKNOWN = await new Builder().mobileNo();
const KEY = "0b7e4a52-3c1d-4f8e-9a6b-5d4c3b2a1f00";
const sinceLastMonth = "(date_trunc('month', current_date) - interval '1 month')::date";

test.before.each(async ({ db }) => {
  await buildFixture(db);
});

/** A trusted session with no claims at all: the superuser itself, or the owner role it switches to. */
async function trusted(db: pg.PoolClient, who: Trusted): Promise<void> {
  await asSuperuser(db);
  if (who === "owner") await db.query("set local role telecom_owner");
}

/** Reads as the superuser without changing the session's role (rolled back to the savepoint). */
async function peek(db: pg.PoolClient, sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  await db.query("savepoint peek; reset role");
  const { rows } = await db.query(sql, values);
  await db.query("rollback to savepoint peek");
  return rows;
}

const accountOf = async (db: pg.PoolClient, mobileNo: string) =>
  (await peek(db, "select balance::text, points from telecom.customer_account where mobile_no = $1", [mobileNo]))[0];

const walletBalances = async (db: pg.PoolClient) =>
  (
    await peek(db, "select wallet_id, current_balance::text as balance from telecom.wallet where wallet_id = any($1) order by wallet_id", [
      [id.w1, id.w3],
    ])
  ).map((row) => [row.wallet_id, row.balance]);

const countOf = async (db: pg.PoolClient, table: string) => (await peek(db, `select count(*)::int as n from ${table}`))[0].n as number;

/** The journal entries of this transaction, with the operation and actor that wrote them. */
const journalOfThisTransaction = (db: pg.PoolClient) =>
  peek(
    db,
    `select account_kind, mobile_no, change::text, operation, actor
     from telecom.money_journal where transaction_id = txid_current() and operation <> 'direct' order by journal_id`,
  );

for (const who of TRUSTED) {
  test(`${who}: the customer read functions answer for any account without claims`, async ({ db }) => {
    await trusted(db, who);
    const basic = await db.query(`select * from telecom.consumption('Fixture Basic', ${sinceLastMonth}, current_date)`);
    // Everyone's usage, as for an admin: A1's 6150 and A2's 30 MB (B1 and C1 have none on this plan).
    assert.equal(basic.rows, [{ data_consumption: 6180, minutes_used: 618, sms_sent: 63 }]);
    const max = await db.query(`select * from telecom.consumption('Fixture Max', ${sinceLastMonth}, current_date)`);
    assert.equal(max.rows, [{ data_consumption: 999, minutes_used: 99, sms_sent: 9 }]);
    const a1 = await db.query("select * from telecom.usage_plan_current_month($1)", [A1]);
    assert.equal(a1.rows, [{ plan_id: id.basic, plan_name: "Fixture Basic", data_consumption: 150, minutes_used: 15, sms_sent: 3 }]);
    const b1 = await db.query("select * from telecom.usage_plan_current_month($1)", [B1]);
    assert.equal(b1.rows, [{ plan_id: id.max, plan_name: "Fixture Max", data_consumption: 999, minutes_used: 99, sms_sent: 9 }]);
    const top = await db.query("select payment_id from telecom.top_successful_payments($1)", [B1]);
    assert.equal(top.rows, [{ payment_id: id.pay8 }]);
    const amounts = await db.query(
      "select telecom.remaining_plan_amount($1, 'Fixture Max') as remaining, telecom.extra_plan_amount($2, 'Fixture Basic') as extra",
      [B1, A1],
    );
    assert.equal(amounts.rows, [{ remaining: "260.00", extra: "50.00" }]);
    const unsubscribed = await db.query("select plan_id from telecom.unsubscribed_plans($1) where plan_id = any($2)", [
      A2,
      [id.basic, id.plus, id.max],
    ]);
    assert.equal(unsubscribed.rows, [{ plan_id: id.plus }]);
  });

  test(`${who}: an unknown number is TC101 for the account functions, and nothing is written`, async ({ db }) => {
    await trusted(db, who);
    const payments = await countOf(db, "telecom.payment");
    const journal = await countOf(db, "telecom.money_journal");
    for (const statement of [
      "select * from telecom.usage_plan_current_month($1)",
      "select * from telecom.top_successful_payments($1)",
      "select telecom.remaining_plan_amount($1, 'Fixture Basic')",
      "select telecom.extra_plan_amount($1, 'Fixture Basic')",
      "select * from telecom.initiate_balance_payment($1, 10, 'cash')",
      `select * from telecom.initiate_plan_payment($1, 100, 'cash', ${id.basic})`,
      `select * from telecom.payment_wallet_cashback($1, ${id.pay6}, ${id.ben1})`,
      `select * from telecom.redeem_voucher_points($1, ${id.v4})`,
      "select telecom.total_points_account($1)",
    ]) {
      const error = await errorOf(db, statement, [UNKNOWN]);
      assert.equal([error.code, error.message], ["TC101", `There is no account with mobile number ${UNKNOWN}.`], statement);
    }
    assert.is(await countOf(db, "telecom.payment"), payments);
    assert.is(await countOf(db, "telecom.money_journal"), journal);
  });

  test(`${who}: cash and card recharges are successful at once, journaled as database:postgres`, async ({ db }) => {
    await trusted(db, who);
    const cash = await db.query(
      "select amount::text, status, payment_method, provider_reference from telecom.initiate_balance_payment($1, 25, 'cash')",
      [C1],
    );
    assert.equal(cash.rows, [{ amount: "25.00", status: "successful", payment_method: "cash", provider_reference: null }]);
    const card = await db.query("select status, provider_reference from telecom.initiate_balance_payment($1, 5, 'credit')", [C1]);
    assert.equal(card.rows, [{ status: "successful", provider_reference: null }]);
    assert.equal(await accountOf(db, C1), { balance: "30.00", points: 0 });
    assert.equal(await journalOfThisTransaction(db), [
      {
        account_kind: "account_balance",
        mobile_no: C1,
        change: "25.00",
        operation: "initiate_balance_payment",
        actor: "database:postgres",
      },
      { account_kind: "account_balance", mobile_no: C1, change: "5.00", operation: "initiate_balance_payment", actor: "database:postgres" },
    ]);
  });

  test(`${who}: initiate_plan_payment: a covering cash payment activates the plan; a partial one is accepted and leaves it on hold`, async ({
    db,
  }) => {
    await trusted(db, who);
    const covering = await db.query("select status from telecom.initiate_plan_payment($1, 250, 'cash', $2)", [C1, id.plus]);
    assert.equal(covering.rows, [{ status: "successful" }]);
    const partial = await db.query("select payment_id, status from telecom.initiate_plan_payment($1, 40, 'credit', $2)", [C1, id.max]);
    assert.is(partial.rows[0].status, "successful");
    const subscriptions = await peek(
      db,
      `select plan_id, status, subscription_date = current_date as dated_today, paid_until = (current_date + interval '1 month')::date as paid_a_month
       from telecom.subscription where mobile_no = $1 order by plan_id`,
      [C1],
    );
    assert.equal(subscriptions, [
      { plan_id: id.plus, status: "active", dated_today: true, paid_a_month: true },
      { plan_id: id.max, status: "onhold", dated_today: true, paid_a_month: null },
    ]);
    const processed = await peek(
      db,
      "select remaining_balance::text, extra_amount::text from telecom.process_payment where payment_id = $1",
      [partial.rows[0].payment_id],
    );
    assert.equal(processed, [{ remaining_balance: "260.00", extra_amount: "0.00" }]);
    // The 50 paid beyond Fixture Plus's price went to the balance.
    assert.equal(await accountOf(db, C1), { balance: "50.00", points: 0 });
  });

  test(`${who}: payment_wallet_cashback, redeem_voucher_points and total_points_account work on another person's account`, async ({
    db,
  }) => {
    await trusted(db, who);
    const cashback = await db.query(
      "select benefit_id, wallet_id, amount::text, payment_id from telecom.payment_wallet_cashback($1, $2, $3)",
      [A1, id.pay1, id.ben1],
    );
    assert.equal(cashback.rows, [{ benefit_id: id.ben1, wallet_id: id.w1, amount: "10.00", payment_id: id.pay1 }]);
    assert.equal(await walletBalances(db), [
      [id.w1, "110.00"],
      [id.w3, "30.00"],
    ]);
    // Earned: 40 + 60 + 1000 + 10 (the rejected payment's 7 do not count); spent: vouchers v1 and v2, 100 each.
    const recomputed = await db.query("select telecom.total_points_account($1) as points", [A1]);
    assert.equal(recomputed.rows, [{ points: 910 }]);
    const voucher = await db.query("select mobile_no, redeem_date = current_date as today from telecom.redeem_voucher_points($1, $2)", [
      A1,
      id.v4,
    ]);
    assert.equal(voucher.rows, [{ mobile_no: A1, today: true }]);
    assert.equal(await accountOf(db, A1), { balance: "50.00", points: 660 });
    const journal = await journalOfThisTransaction(db);
    assert.equal(
      journal.map((row) => [row.account_kind, row.operation, row.actor]),
      [
        ["wallet_balance", "payment_wallet_cashback", "database:postgres"],
        ["account_points", "total_points_account", "database:postgres"],
        ["account_points", "redeem_voucher_points", "database:postgres"],
      ],
    );
  });

  test(`${who}: audit_balances runs without claims and reports a balance changed behind the journal's back`, async ({ db }) => {
    await trusted(db, who);
    assert.equal((await db.query("select * from telecom.audit_balances()")).rows, []);
    await db.query("savepoint tamper; reset role; set local session_replication_role = replica");
    await db.query("update telecom.wallet set current_balance = 1 where wallet_id = $1", [id.w3]);
    await db.query("set local session_replication_role = origin");
    await trusted(db, who);
    const { rows } = await db.query(
      "select account_kind, mobile_no, recorded_balance::text, journal_balance::text from telecom.audit_balances()",
    );
    assert.equal(rows, [{ account_kind: "wallet_balance", mobile_no: B1, recorded_balance: "1.00", journal_balance: "30.00" }]);
  });

  test(`${who}: transfer_to_mobile moves money from the number the session names, and is TC310 without one`, async ({ db }) => {
    await trusted(db, who);
    const without = await errorOf(db, "select telecom.transfer_to_mobile($1, 10)", [B1]);
    assert.equal(
      [without.code, without.message],
      ["TC310", "Only a customer can transfer money, from the wallet of the number they logged in with (admins have no wallet)."],
    );
    assert.equal(await walletBalances(db), [
      [id.w1, "100.00"],
      [id.w3, "30.00"],
    ]);
    await db.query("select set_config('jwt.claims.mobile_no', $1, true)", [A1]);
    const transfer = await db.query("select from_wallet_id, to_wallet_id, amount::text from telecom.transfer_to_mobile($1, 10, $2)", [
      B1,
      KEY,
    ]);
    assert.equal(transfer.rows, [{ from_wallet_id: id.w1, to_wallet_id: id.w3, amount: "10.00" }]);
    assert.equal(await walletBalances(db), [
      [id.w1, "90.00"],
      [id.w3, "40.00"],
    ]);
    const journal = await journalOfThisTransaction(db);
    assert.equal(
      journal.map((row) => [row.mobile_no, row.change, row.operation, row.actor]),
      [
        [A1, "-10.00", "transfer_to_mobile", "database:postgres"],
        [B1, "10.00", "transfer_to_mobile", "database:postgres"],
      ],
    );
    const keys = await peek(db, "select actor, operation from telecom_private.idempotency_key where idempotency_key = $1", [KEY]);
    assert.equal(keys, [{ actor: "database:postgres", operation: "transfer_to_mobile" }]);
  });
}

test("the owner logged in as itself is trusted, and the journal names its login: database:telecom_owner", async ({ db }) => {
  // The fixture is built again on the owner's own connection: this one's copy would hold its keys.
  await db.query("rollback; begin");
  await withClient(ownerUrl(), async (owner) => {
    await owner.query("begin");
    await buildFixture(owner as unknown as pg.PoolClient);
    const { rows } = await owner.query("select status from telecom.initiate_balance_payment($1, 25, 'cash')", [C1]);
    assert.equal(rows, [{ status: "successful" }]);
    const journal = await owner.query(
      "select mobile_no, change::text, operation, actor from telecom.money_journal where transaction_id = txid_current() and operation <> 'direct'",
    );
    assert.equal(journal.rows, [
      { mobile_no: C1, change: "25.00", operation: "initiate_balance_payment", actor: "database:telecom_owner" },
    ]);
    await owner.query("rollback");
  });
});

test("inside the security definer money functions the caller is the customer, not the owner: cash is TC318, a partial plan payment TC319", async ({
  db,
}) => {
  await asRole(db, "telecom_customer", customerA);
  const before = [await accountOf(db, A1), await countOf(db, "telecom.payment"), await countOf(db, "telecom.money_journal")];
  const cash = await errorOf(db, "select telecom.initiate_balance_payment($1, 10, 'cash')", [A1]);
  assert.equal([cash.code, cash.message], ["TC318", "Cash is paid at a shop: pay by card or from your wallet."]);
  const planCash = await errorOf(db, "select telecom.initiate_plan_payment($1, 100, 'cash', $2)", [A1, id.basic]);
  assert.equal([planCash.code, planCash.message], ["TC318", "Cash is paid at a shop: pay by card or from your wallet."]);
  const partial = await errorOf(db, "select telecom.initiate_plan_payment($1, 10, 'wallet', $2)", [A1, id.basic]);
  assert.equal([partial.code, partial.message], ["TC319", "The plan costs 100.00 EGP: pay at least that much."]);
  assert.equal([await accountOf(db, A1), await countOf(db, "telecom.payment"), await countOf(db, "telecom.money_journal")], before);
  // A customer's card payment is pending: the function did not take the owner for a shop.
  const card = await db.query(
    "select status, provider_reference like 'chk_%' as checkout from telecom.initiate_balance_payment($1, 10, 'credit')",
    [A1],
  );
  assert.equal(card.rows, [{ status: "pending", checkout: true }]);
});

test("inside the security definer money functions the actor is customer:<national_id>: idempotency keys and journal entries", async ({
  db,
}) => {
  await asRole(db, "telecom_customer", customerA);
  const first = await db.query("select transfer_id from telecom.transfer_to_mobile($1, 5, $2)", [B1, KEY]);
  const repeat = await db.query("select transfer_id from telecom.transfer_to_mobile($1, 5, $2)", [B1, KEY]);
  assert.equal(repeat.rows, first.rows);
  const keys = await peek(db, "select actor, operation from telecom_private.idempotency_key where idempotency_key = $1", [KEY]);
  const customer = `customer:${customerA.national_id}`;
  assert.equal(keys, [{ actor: customer, operation: "transfer_to_mobile" }]);
  const journal = await journalOfThisTransaction(db);
  assert.equal(
    journal.map((row) => [row.mobile_no, row.change, row.actor]),
    [
      [A1, "-5.00", customer],
      [B1, "5.00", customer],
    ],
  );
});

test("the admin role with an admin_id that names no admin is not an admin: 42501 from admin functions, no rows through manage_admin", async ({
  db,
}) => {
  await asSuperuser(db);
  await setClaims(db, { role: "telecom_admin", admin_id: 999999 });
  assert.equal((await db.query("select telecom.current_role_is_admin() as admin")).rows, [{ admin: false }]);
  const denied: [string, string][] = [
    [`select telecom.total_points_account('${A1}')`, "Only an admin can recompute points."],
    ["select * from telecom.audit_balances()", "Only an admin may audit the balances."],
    [`select telecom.issue_account(${customerA.national_id}, '${UNKNOWN}', 'prepaid')`, "Only an admin can issue numbers."],
    [`select * from telecom.top_successful_payments('${B1}')`, "You can only use your own mobile numbers."],
    [`select * from telecom.initiate_balance_payment('${C1}', 10, 'cash')`, "You can only use your own mobile numbers."],
  ];
  for (const [statement, message] of denied) {
    const error = await errorOf(db, statement);
    assert.equal([error.code, error.message], ["42501", message], statement);
  }
  const seen = await db.query(`
    select
      (select count(*)::int from telecom.customer_account) as accounts,
      (select count(*)::int from telecom.customer_profile) as profiles,
      (select count(*)::int from telecom.payment) as payments,
      (select count(*)::int from telecom.wallet) as wallets,
      (select count(*)::int from telecom.subscription) as subscriptions,
      (select count(*)::int from telecom.account_plan()) as account_plan`);
  assert.equal(seen.rows, [{ accounts: 0, profiles: 0, payments: 0, wallets: 0, subscriptions: 0, account_plan: 0 }]);
  const update = await db.query("update telecom.customer_account set status = 'onhold' where mobile_no = $1", [A1]);
  assert.is(update.rowCount, 0);
  // The same role with an existing admin's id sees them.
  await asRole(db, "telecom_admin", admin);
  const real = await db.query("select (select count(*)::int from telecom.customer_account where mobile_no = any($1)) as accounts", [
    [A1, A2, B1, C1],
  ]);
  assert.equal(real.rows, [{ accounts: 4 }]);
});

test("the admin role with an admin_id that names no admin cannot end benefits either (42501), and nothing changes", async ({ db }) => {
  await asSuperuser(db);
  await setClaims(db, { role: "telecom_admin", admin_id: 999999 });
  const error = await errorOf(db, "select telecom.benefits_account($1, $2)", [A1, id.basic]);
  assert.equal(error.code, "42501", error.message);
  const benefits = await peek(db, "select count(*)::int as n from telecom.benefit where mobile_no = $1 and status = 'active'", [A1]);
  assert.equal(benefits, [{ n: 2 }]);
});

test("a customer token carrying an existing admin's admin_id is still a customer: 42501 on another person's number", async ({ db }) => {
  await asRole(db, "telecom_admin", admin);
  await asRole(db, "telecom_customer", { ...customerA, admin_id: admin.admin_id });
  assert.equal((await db.query("select telecom.current_role_is_admin() as admin")).rows, [{ admin: false }]);
  for (const statement of [
    `select * from telecom.usage_plan_current_month('${B1}')`,
    `select * from telecom.top_successful_payments('${C1}')`,
    `select * from telecom.initiate_balance_payment('${B1}', 10, 'credit')`,
  ]) {
    const error = await errorOf(db, statement);
    assert.equal([error.code, error.message], ["42501", "You can only use your own mobile numbers."], statement);
  }
  const accounts = await db.query("select mobile_no from telecom.customer_account order by mobile_no");
  assert.equal(accounts.rows, [{ mobile_no: A1 }, { mobile_no: A2 }]);
  const cash = await errorOf(db, "select telecom.initiate_balance_payment($1, 10, 'cash')", [A1]);
  assert.equal(cash.code, "TC318");
});

test.run();

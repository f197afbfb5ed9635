import * as assert from "uvu/assert";
import { dbSuite, errorOf } from "../support/database.ts";
import { asRole, asSuperuser } from "../support/roles.ts";
import { ALICE, BOB, createCustomers, PEOPLE } from "./fixtures.ts";

const test = dbSuite("money: journal");

const entriesOf = async (db: import("pg").PoolClient, mobileNo: string) =>
  (
    await db.query(
      `select account_kind, wallet_id, national_id, change::text, balance_after::text, operation
       from telecom.money_journal
       where mobile_no = $1
       order by journal_id`,
      [mobileNo],
    )
  ).rows;

test("opening an account and a wallet journals their opening balances and points as direct changes", async ({ db }) => {
  const { aliceWallet } = await createCustomers(db);
  assert.equal(await entriesOf(db, ALICE.mobile_no), [
    {
      account_kind: "account_balance",
      wallet_id: null,
      national_id: ALICE.national_id,
      change: "100.00",
      balance_after: "100.00",
      operation: "direct",
    },
    {
      account_kind: "account_points",
      wallet_id: null,
      national_id: ALICE.national_id,
      change: "20.00",
      balance_after: "20.00",
      operation: "direct",
    },
    {
      account_kind: "wallet_balance",
      wallet_id: aliceWallet,
      national_id: ALICE.national_id,
      change: "500.00",
      balance_after: "500.00",
      operation: "direct",
    },
  ]);
});

test("each changed quantity gets one entry naming the operation; unchanged ones get none", async ({ db }) => {
  const { aliceWallet } = await createCustomers(db);
  // What each money function does around its changes: begin (records the operation), change, finish.
  const asOperation = async (operation: string, statement: string, values: unknown[]) => {
    await db.query("select telecom_private.begin_money_operation($1, null, null)", [operation]);
    await db.query(statement, values);
    await db.query("select telecom_private.finish_money_operation(null)");
  };
  await asOperation(
    "redeem_voucher_points",
    "update telecom.customer_account set points = points - 15, status = 'active' where mobile_no = $1",
    [ALICE.mobile_no],
  );
  await asOperation("initiate_balance_payment", "update telecom.customer_account set balance = balance + 12.34 where mobile_no = $1", [
    ALICE.mobile_no,
  ]);
  await asOperation("payment_wallet_cashback", "update telecom.wallet set current_balance = current_balance + 1.23 where wallet_id = $1", [
    aliceWallet,
  ]);
  await db.query("update telecom.wallet set last_modified_date = current_date - 1 where wallet_id = $1", [aliceWallet]);
  assert.equal((await entriesOf(db, ALICE.mobile_no)).slice(3), [
    {
      account_kind: "account_points",
      wallet_id: null,
      national_id: ALICE.national_id,
      change: "-15.00",
      balance_after: "5.00",
      operation: "redeem_voucher_points",
    },
    {
      account_kind: "account_balance",
      wallet_id: null,
      national_id: ALICE.national_id,
      change: "12.34",
      balance_after: "112.34",
      operation: "initiate_balance_payment",
    },
    {
      account_kind: "wallet_balance",
      wallet_id: aliceWallet,
      national_id: ALICE.national_id,
      change: "1.23",
      balance_after: "501.23",
      operation: "payment_wallet_cashback",
    },
  ]);
});

test("a session setting cannot name the operation: a change outside the money functions is direct, by the database login", async ({
  db,
}) => {
  await createCustomers(db);
  await db.query("select set_config('telecom.operation', 'transfer_to_mobile', true)");
  await db.query("update telecom.customer_account set balance = balance + 1 where mobile_no = $1", [ALICE.mobile_no]);
  const { rows } = await db.query(
    "select operation, actor from telecom.money_journal where mobile_no = $1 order by journal_id desc limit 1",
    [ALICE.mobile_no],
  );
  assert.equal(rows, [{ operation: "direct", actor: "database:postgres" }]);
});

test("a money function's operation ends with it: later statements of the transaction are not journaled under its name", async ({ db }) => {
  await createCustomers(db);
  await db.query("select telecom.initiate_balance_payment($1, 5, 'cash')", [ALICE.mobile_no]);
  await db.query("update telecom.customer_account set balance = balance + 1 where mobile_no = $1", [ALICE.mobile_no]);
  const { rows } = await db.query(
    "select operation, change::text from telecom.money_journal where mobile_no = $1 and account_kind = 'account_balance' order by journal_id",
    [ALICE.mobile_no],
  );
  assert.equal(rows.slice(1), [
    { operation: "initiate_balance_payment", change: "5.00" },
    { operation: "direct", change: "1.00" },
  ]);
});

test("a customer session cannot forge an entry's provenance: the operation record and its helpers are out of reach", async ({ db }) => {
  await createCustomers(db);
  await asRole(db, "telecom_customer", { mobile_no: ALICE.mobile_no, national_id: ALICE.national_id });
  for (const statement of [
    `insert into telecom_private.money_operation (transaction_id, operation, actor) values (txid_current(), 'transfer_to_mobile', 'customer:${ALICE.national_id}')`,
    "select telecom_private.begin_money_operation('transfer_to_mobile', null, null)",
    `insert into telecom.money_journal (account_kind, mobile_no, national_id, change, balance_after, operation, actor) values ('wallet_balance', '${ALICE.mobile_no}', ${ALICE.national_id}, 1, 1, 'transfer_to_mobile', 'customer:${ALICE.national_id}')`,
  ]) {
    assert.is((await errorOf(db, statement)).code, "42501", statement);
  }
});

test("the journal is append-only for every writer, the owner and superusers included (TC020)", async ({ db }) => {
  await createCustomers(db);
  for (const statement of ["update telecom.money_journal set change = 1", "delete from telecom.money_journal"]) {
    const error = await errorOf(db, statement);
    assert.is(error.code, "TC020", statement);
    assert.is(error.message, "A money journal entry cannot be changed or deleted: it is money history.");
  }
});

test("deleting a wallet journals its closing balance", async ({ db }) => {
  const { bobWallet } = await createCustomers(db);
  await db.query("delete from telecom.wallet where wallet_id = $1", [bobWallet]);
  const entries = await entriesOf(db, BOB.mobile_no);
  assert.equal(entries.at(-1), {
    account_kind: "wallet_balance",
    wallet_id: bobWallet,
    national_id: BOB.national_id,
    change: "-50.00",
    balance_after: "0.00",
    operation: "direct",
  });
});

test("a customer reads only the entries of their own balances; an admin reads all", async ({ db }) => {
  await createCustomers(db);
  await asRole(db, "telecom_customer", { mobile_no: ALICE.mobile_no, national_id: ALICE.national_id });
  const own = await db.query("select distinct national_id from telecom.money_journal");
  assert.equal(own.rows, [{ national_id: ALICE.national_id }]);
  await asRole(db, "telecom_admin", { admin_id: 1 });
  const all = await db.query("select count(distinct national_id)::int as n from telecom.money_journal where national_id = any($1)", [
    PEOPLE.map((person) => person.national_id),
  ]);
  assert.is(all.rows[0].n, 4);
});

test("no API role can write the journal or a balance directly", async ({ db }) => {
  await createCustomers(db);
  for (const role of ["telecom_anonymous", "telecom_customer", "telecom_admin"] as const) {
    await asRole(db, role, { mobile_no: ALICE.mobile_no, national_id: ALICE.national_id, admin_id: 1 });
    for (const statement of [
      `insert into telecom.money_journal (account_kind, mobile_no, national_id, change, balance_after, operation, actor) values ('account_balance', '${ALICE.mobile_no}', ${ALICE.national_id}, 1, 1, 'x', 'x')`,
      "update telecom.money_journal set change = 1",
      "delete from telecom.money_journal",
      "update telecom.customer_account set balance = 1000",
      "update telecom.customer_account set points = 1000",
      "update telecom.wallet set current_balance = 1000",
    ]) {
      const error = await errorOf(db, statement);
      assert.is(error.code, "42501", `${role}: ${statement}`);
    }
  }
  await asSuperuser(db);
  const privileges = await db.query(`
    select count(*)::int as n
    from unnest(array['telecom_anonymous', 'telecom_customer', 'telecom_admin']) as role_name
    cross join (values ('customer_account', 'balance'), ('customer_account', 'points'), ('wallet', 'current_balance')) as target (table_name, column_name)
    cross join unnest(array['INSERT', 'UPDATE']) as privilege
    where has_column_privilege(role_name, 'telecom.' || target.table_name, target.column_name, privilege)`);
  assert.is(privileges.rows[0].n, 0);
});

test.run();

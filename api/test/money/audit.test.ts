import fs from "node:fs";
import * as assert from "uvu/assert";
import { sampleDataFile } from "../../src/db/sample-data.ts";
import { dbSuite, errorOf } from "../support/database.ts";
import { asRole, asSuperuser, setClaims } from "../support/roles.ts";
import { Builder } from "../support/builder.ts";
import { ALICE, BOB, createCustomers } from "./fixtures.ts";

const test = dbSuite("money: audit_balances");

test("consistent balances give no rows, also after changes and a deleted wallet", async ({ db }) => {
  const { aliceWallet, bobWallet } = await createCustomers(db);
  await db.query("update telecom.wallet set current_balance = current_balance - 7.5 where wallet_id = $1", [aliceWallet]);
  await db.query("update telecom.customer_account set balance = balance + 3, points = 0 where mobile_no = $1", [BOB.mobile_no]);
  await db.query("delete from telecom.wallet where wallet_id = $1", [bobWallet]);
  await asRole(db, "telecom_admin", { admin_id: 1 });
  const { rows } = await db.query("select * from telecom.audit_balances()");
  assert.equal(rows, []);
});

test("the sample data is journaled as it is loaded: nothing to report", async ({ db }) => {
  await db.query(fs.readFileSync(sampleDataFile, "utf8"));
  await asRole(db, "telecom_admin", { admin_id: 1 });
  assert.equal((await db.query("select * from telecom.audit_balances()")).rows, []);
  const { rows } = await db.query("select count(*)::int as n from telecom.money_journal where operation = 'direct'");
  assert.ok(rows[0].n > 0, "the sample data wrote no journal entries");
});

test("a balance changed with the triggers disabled is reported with both figures", async ({ db }) => {
  const { aliceWallet } = await createCustomers(db);
  await db.query("set local session_replication_role = replica");
  await db.query("update telecom.wallet set current_balance = 999 where wallet_id = $1", [aliceWallet]);
  await db.query("update telecom.customer_account set points = 3 where mobile_no = $1", [BOB.mobile_no]);
  await db.query("set local session_replication_role = origin");
  await asRole(db, "telecom_admin", { admin_id: 1 });
  const { rows } = await db.query(
    "select account_kind, mobile_no, wallet_id, recorded_balance::text, journal_balance::text, last_balance_after::text from telecom.audit_balances()",
  );
  assert.equal(rows, [
    {
      account_kind: "account_points",
      mobile_no: BOB.mobile_no,
      wallet_id: null,
      recorded_balance: "3",
      journal_balance: "20.00",
      last_balance_after: "20.00",
    },
    {
      account_kind: "wallet_balance",
      mobile_no: ALICE.mobile_no,
      wallet_id: aliceWallet,
      recorded_balance: "999.00",
      journal_balance: "500.00",
      last_balance_after: "500.00",
    },
  ]);
});

test("a journal entry that went missing is reported", async ({ db }) => {
  await createCustomers(db);
  // The journal is append-only: losing an entry takes disabling the triggers on purpose.
  await db.query("set local session_replication_role = replica");
  await db.query("delete from telecom.money_journal where mobile_no = $1 and account_kind = 'account_balance'", [ALICE.mobile_no]);
  await db.query("set local session_replication_role = origin");
  await asRole(db, "telecom_admin", { admin_id: 1 });
  const { rows } = await db.query(
    "select account_kind, mobile_no, recorded_balance::text, journal_balance::text from telecom.audit_balances()",
  );
  assert.equal(rows, [{ account_kind: "account_balance", mobile_no: ALICE.mobile_no, recorded_balance: "100.00", journal_balance: "0" }]);
});

test("customers and visitors may not audit", async ({ db }) => {
  await createCustomers(db);
  await asRole(db, "telecom_customer", { mobile_no: ALICE.mobile_no, national_id: ALICE.national_id });
  assert.is((await errorOf(db, "select * from telecom.audit_balances()")).code, "42501");
  await asRole(db, "telecom_anonymous");
  assert.is((await errorOf(db, "select * from telecom.audit_balances()")).code, "42501");
  // The admin role with the id of no admin is refused by the function itself: a claim is not enough.
  await setClaims(db, { role: "telecom_admin", admin_id: 999999 });
  const error = await errorOf(db, "select * from telecom.audit_balances()");
  assert.equal([error.code, error.message], ["42501", "Only an admin may audit the balances."]);
});

test("a trusted session (a DBA in psql, as the owner or a superuser) audits without any claim", async ({ db }) => {
  await createCustomers(db);
  await asSuperuser(db);
  assert.equal((await db.query("select * from telecom.audit_balances()")).rows, []);
  await db.query("set local role telecom_owner");
  assert.equal((await db.query("select * from telecom.audit_balances()")).rows, []);
});

test("at 20,000 customers the audit finds the one tampered balance well within a statement timeout the quadratic form could not meet", async ({
  db,
}) => {
  // 20,000 people with an account and a wallet each: 60,000 opening journal entries. The former
  // full join matched every wallet entry against every wallet (24 s at 10,000 customers); the
  // linear form takes about a second here, so 10 s is a bound only the quadratic form breaks.
  const fresh = await new Builder(db).manyCustomerIds(20_000);
  const people = `select national_id, mobile_no, row_number() over () as i from unnest($1::integer[], $2::text[]) as person (national_id, mobile_no)`;
  const values = [fresh.map((person) => person.national_id), fresh.map((person) => person.mobile_no)];
  for (const insert of [
    `insert into telecom.customer_profile (national_id, first_name, last_name, date_of_birth)
     select national_id, 'Audit', 'Customer', date '1980-01-01' from (${people}) as person`,
    `insert into telecom.customer_account (mobile_no, national_id, balance, account_type, points, start_date)
     select mobile_no, national_id, i % 500, 'prepaid', i % 40, current_date - 30 from (${people}) as person`,
    `insert into telecom.wallet (national_id, mobile_no, current_balance) select national_id, mobile_no, i % 900 from (${people}) as person`,
  ]) {
    await db.query(insert, values);
  }
  const tampered = fresh[12_344].mobile_no;
  await db.query("set local session_replication_role = replica");
  await db.query("update telecom.wallet set current_balance = current_balance + 1 where mobile_no = $1", [tampered]);
  await db.query("set local session_replication_role = origin");
  await db.query("set local statement_timeout = '10s'");
  const { rows } = await db.query("select account_kind, mobile_no from telecom.audit_balances()");
  assert.equal(rows, [{ account_kind: "wallet_balance", mobile_no: tampered }]);
});

test.run();

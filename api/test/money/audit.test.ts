import fs from "node:fs";
import * as assert from "uvu/assert";
import { sampleDataFile } from "../../src/db/sample-data.ts";
import { asRole, asSuperuser, dbSuite, errorOf } from "../helpers.ts";
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
  // The owner without an admin's claim is refused by the function itself.
  await asSuperuser(db);
  const error = await errorOf(db, "select * from telecom.audit_balances()");
  assert.equal([error.code, error.message], ["42501", "Only an admin may audit the balances."]);
});

test.run();

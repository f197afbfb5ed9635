/**
 * The money protocol's idempotency (begin_money_operation / finish_money_operation): a request with
 * a key is claimed for its actor, a repeat returns the stored result, the same key for another
 * request is TC301, and keys never collide between people. The helpers run inside the money
 * functions; here a trusted session (the superuser) calls them, and real customers and an admin
 * call a money function.
 */
import * as assert from "uvu/assert";
import { dbSuite, errorOf } from "../support/database.ts";
import { asRole, asSuperuser } from "../support/roles.ts";
import { ALICE, BOB, createCustomers } from "./fixtures.ts";

const test = dbSuite("money: idempotency keys");
const KEY = "6f1c2a9e-0d3b-4c55-9a57-1b2f0e7d8c41";

test("the first request with a key returns null, claims the key for the caller and records the operation of the transaction", async ({
  db,
}) => {
  const { rows } = await db.query("select telecom_private.begin_money_operation('transfer_to_mobile', $1, '{\"amount\": 5}') as replay", [
    KEY,
  ]);
  assert.is(rows[0].replay, null);
  const stored = await db.query(
    "select actor, operation, arguments, result from telecom_private.idempotency_key where idempotency_key = $1",
    [KEY],
  );
  assert.equal(stored.rows, [{ actor: "database:postgres", operation: "transfer_to_mobile", arguments: { amount: 5 }, result: null }]);
  const operation = await db.query("select operation, actor from telecom_private.money_operation where transaction_id = txid_current()");
  assert.equal(operation.rows, [{ operation: "transfer_to_mobile", actor: "database:postgres" }]);
});

test("finishing stores the result and ends the operation record; a repeat returns the result, also when the amount is written differently", async ({
  db,
}) => {
  await db.query("select telecom_private.begin_money_operation('transfer_to_mobile', $1, '{\"amount\": 5}')", [KEY]);
  await db.query("select telecom_private.finish_money_operation('{\"transfer_id\": 42}')");
  const operation = await db.query("select count(*)::int as n from telecom_private.money_operation");
  assert.is(operation.rows[0].n, 0);
  const { rows } = await db.query(
    "select telecom_private.begin_money_operation('transfer_to_mobile', $1, '{\"amount\": 5.00}') as replay",
    [KEY],
  );
  assert.equal(rows[0].replay, { transfer_id: 42 });
});

test("the same key with other arguments or another operation is refused with TC301", async ({ db }) => {
  await db.query("select telecom_private.begin_money_operation('transfer_to_mobile', $1, '{\"amount\": 5}')", [KEY]);
  await db.query("select telecom_private.finish_money_operation('{\"transfer_id\": 42}')");
  for (const [operation, args] of [
    ["transfer_to_mobile", '{"amount": 6}'],
    ["initiate_balance_payment", '{"amount": 5}'],
  ]) {
    const error = await errorOf(db, "select telecom_private.begin_money_operation($1, $2, $3)", [operation, KEY, args]);
    assert.is(error.code, "TC301");
    assert.is(error.message, "This idempotency key was already used for a different request.");
  }
});

test("keys are per person: another customer's and an admin's same key are new requests", async ({ db }) => {
  await createCustomers(db);
  const recharge = "select payment_id from telecom.initiate_balance_payment($1, 5, 'wallet', $2)";
  await asRole(db, "telecom_customer", { mobile_no: ALICE.mobile_no, national_id: ALICE.national_id });
  const alice = (await db.query(recharge, [ALICE.mobile_no, KEY])).rows[0].payment_id;
  await asRole(db, "telecom_customer", { mobile_no: BOB.mobile_no, national_id: BOB.national_id });
  const bob = (await db.query(recharge, [BOB.mobile_no, KEY])).rows[0].payment_id;
  await asRole(db, "telecom_admin", { admin_id: 1 });
  const admin = (await db.query(recharge, [BOB.mobile_no, KEY])).rows[0].payment_id;
  assert.is(new Set([alice, bob, admin]).size, 3, "three payments");
  await asSuperuser(db);
  const { rows } = await db.query("select actor from telecom_private.idempotency_key where idempotency_key = $1 order by actor", [KEY]);
  assert.equal(
    rows.map((row) => row.actor),
    ["admin:1", `customer:${ALICE.national_id}`, `customer:${BOB.national_id}`],
  );
});

test("without a key nothing is claimed, and the operation is still recorded for the journal", async ({ db }) => {
  const { rows } = await db.query("select telecom_private.begin_money_operation('transfer_to_mobile', null, '{}') as replay");
  assert.is(rows[0].replay, null);
  await db.query("select telecom_private.finish_money_operation('{\"transfer_id\": 1}')");
  const count = await db.query("select (select count(*) from telecom_private.idempotency_key)::int as keys");
  assert.is(count.rows[0].keys, 0);
});

test("API roles can neither read the keys nor call the helpers (a stored result could be forged)", async ({ db }) => {
  for (const role of ["telecom_anonymous", "telecom_customer", "telecom_admin", "telecom_payment_processor", "telecom_network"]) {
    await db.query(`set local role ${role}`);
    for (const statement of [
      "select * from telecom_private.idempotency_key",
      "select * from telecom_private.money_operation",
      `select telecom_private.finish_money_operation('{}')`,
      `select telecom_private.begin_money_operation('transfer_to_mobile', '${KEY}', '{}')`,
    ]) {
      assert.is((await errorOf(db, statement)).code, "42501", `${role}: ${statement}`);
    }
  }
});

test.run();

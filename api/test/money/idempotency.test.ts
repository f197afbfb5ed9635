import * as assert from "uvu/assert";
import { dbSuite, errorOf } from "../helpers.ts";

const test = dbSuite("money: idempotency keys");
const KEY = "6f1c2a9e-0d3b-4c55-9a57-1b2f0e7d8c41";

/** The helpers run inside the money functions; here the superuser calls them with a customer's claims. */
async function asCustomerClaims(db: import("pg").PoolClient, nationalId: string): Promise<void> {
  await db.query("select set_config('jwt.claims.national_id', $1, true), set_config('jwt.claims.admin_id', '', true)", [nationalId]);
}

test("the first request with a key returns null and claims the key for the caller", async ({ db }) => {
  await asCustomerClaims(db, "910001");
  const { rows } = await db.query("select telecom_private.idempotency_replay($1, 'transfer_to_mobile', '{\"amount\": 5}') as replay", [
    KEY,
  ]);
  assert.is(rows[0].replay, null);
  const stored = await db.query(
    "select actor, operation, arguments, result from telecom_private.idempotency_key where idempotency_key = $1",
    [KEY],
  );
  assert.equal(stored.rows, [{ actor: "customer:910001", operation: "transfer_to_mobile", arguments: { amount: 5 }, result: null }]);
});

test("a repeat returns the stored result, also when the amount is written differently", async ({ db }) => {
  await asCustomerClaims(db, "910001");
  await db.query("select telecom_private.idempotency_replay($1, 'transfer_to_mobile', '{\"amount\": 5}')", [KEY]);
  await db.query("select telecom_private.idempotency_store($1, '{\"transfer_id\": 42}')", [KEY]);
  const { rows } = await db.query("select telecom_private.idempotency_replay($1, 'transfer_to_mobile', '{\"amount\": 5.00}') as replay", [
    KEY,
  ]);
  assert.equal(rows[0].replay, { transfer_id: 42 });
});

test("the same key with other arguments or another operation is refused with TC301", async ({ db }) => {
  await asCustomerClaims(db, "910001");
  await db.query("select telecom_private.idempotency_replay($1, 'transfer_to_mobile', '{\"amount\": 5}')", [KEY]);
  await db.query("select telecom_private.idempotency_store($1, '{\"transfer_id\": 42}')", [KEY]);
  for (const [operation, args] of [
    ["transfer_to_mobile", '{"amount": 6}'],
    ["initiate_balance_payment", '{"amount": 5}'],
  ]) {
    const error = await errorOf(db, "select telecom_private.idempotency_replay($1, $2, $3)", [KEY, operation, args]);
    assert.is(error.code, "TC301");
    assert.is(error.message, "This idempotency key was already used for a different request.");
  }
});

test("keys are per person: another customer's and an admin's same key are new requests", async ({ db }) => {
  await asCustomerClaims(db, "910001");
  await db.query("select telecom_private.idempotency_replay($1, 'transfer_to_mobile', '{\"amount\": 5}')", [KEY]);
  await db.query("select telecom_private.idempotency_store($1, '{\"transfer_id\": 42}')", [KEY]);
  await asCustomerClaims(db, "910002");
  const other = await db.query("select telecom_private.idempotency_replay($1, 'transfer_to_mobile', '{\"amount\": 5}') as replay", [KEY]);
  assert.is(other.rows[0].replay, null);
  await db.query("select set_config('jwt.claims.national_id', '', true), set_config('jwt.claims.admin_id', '1', true)");
  const admin = await db.query("select telecom_private.idempotency_replay($1, 'transfer_to_mobile', '{\"amount\": 5}') as replay", [KEY]);
  assert.is(admin.rows[0].replay, null);
  const { rows } = await db.query("select actor from telecom_private.idempotency_key where idempotency_key = $1 order by actor", [KEY]);
  assert.equal(
    rows.map((row) => row.actor),
    ["admin:1", "customer:910001", "customer:910002"],
  );
});

test("without a key nothing is claimed or stored", async ({ db }) => {
  await asCustomerClaims(db, "910001");
  const { rows } = await db.query(`
    select telecom_private.idempotency_replay(null, 'transfer_to_mobile', '{}') as replay,
           telecom_private.idempotency_store(null, '{"transfer_id": 1}') is null as stored`);
  assert.equal(rows[0], { replay: null, stored: true });
  const count = await db.query("select count(*)::int as n from telecom_private.idempotency_key");
  assert.is(count.rows[0].n, 0);
});

test("API roles can neither read the keys nor call the helpers (a stored result could be forged)", async ({ db }) => {
  for (const role of ["telecom_anonymous", "telecom_customer", "telecom_admin"]) {
    await db.query(`set local role ${role}`);
    for (const statement of [
      "select * from telecom_private.idempotency_key",
      `select telecom_private.idempotency_store('${KEY}', '{}')`,
      `select telecom_private.idempotency_replay('${KEY}', 'transfer_to_mobile', '{}')`,
    ]) {
      assert.is((await errorOf(db, statement)).code, "42501", `${role}: ${statement}`);
    }
  }
});

test.run();

/**
 * Two sessions at once (committed data, two connections as the authenticator): a twin request with the
 * same idempotency key waits for the first and returns its result; two transfers that would together
 * overdraw a wallet cannot both pass.
 */
import pg from "pg";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { authenticatorUrl, getRootPool } from "../support/database.ts";
import { Builder } from "../support/builder.ts";
import { connect, waitingForLock } from "../support/connections.ts";
import { setClaims } from "../support/roles.ts";

interface Context {
  first: pg.Client;
  second: pg.Client;
}

const test = suite<Context>("money: concurrent requests", {} as Context);
const data = new Builder();
const SENDER = await data.customerIds();
const RECEIVER = await data.customerIds();
const KEY = "5a0f3e2d-1c4b-4a69-8877-665544332211";

async function balances(): Promise<string[]> {
  const { rows } = await getRootPool().query(
    "select current_balance::text from telecom.wallet where national_id in ($1, $2) order by national_id",
    [SENDER.national_id, RECEIVER.national_id],
  );
  return rows.map((row) => row.current_balance);
}

test.before.each(async (context) => {
  await data.customer({ ...SENDER, wallet: 100 });
  await data.customer({ ...RECEIVER, wallet: 0 });
  context.first = await connect(authenticatorUrl());
  context.second = await connect(authenticatorUrl());
});

test.after.each(async (context) => {
  await context.first.end();
  await context.second.end();
  await data.remove();
});

test("a twin with the same key waits for the first and returns its transfer; the money moves once", async ({ first, second }) => {
  await first.query("begin");
  await setClaims(first, { role: "telecom_customer", ...SENDER });
  const original = await first.query("select * from telecom.transfer_to_mobile($1, 30, $2)", [RECEIVER.mobile_no, KEY]);
  await second.query("begin");
  await setClaims(second, { role: "telecom_customer", ...SENDER });
  const twin = second.query("select * from telecom.transfer_to_mobile($1, 30, $2)", [RECEIVER.mobile_no, KEY]);
  await waitingForLock(second);
  await first.query("commit");
  assert.equal((await twin).rows, original.rows);
  await second.query("commit");
  assert.equal(await balances(), ["70.00", "30.00"]);
});

test("a twin whose first request rolled back performs the transfer itself", async ({ first, second }) => {
  await first.query("begin");
  await setClaims(first, { role: "telecom_customer", ...SENDER });
  await first.query("select * from telecom.transfer_to_mobile($1, 30, $2)", [RECEIVER.mobile_no, KEY]);
  await second.query("begin");
  await setClaims(second, { role: "telecom_customer", ...SENDER });
  const twin = second.query("select amount::text from telecom.transfer_to_mobile($1, 30, $2)", [RECEIVER.mobile_no, KEY]);
  await waitingForLock(second);
  await first.query("rollback");
  assert.equal((await twin).rows, [{ amount: "30.00" }]);
  await second.query("commit");
  assert.equal(await balances(), ["70.00", "30.00"]);
});

test("two transfers that together overdraw the wallet: the second waits, then is refused", async ({ first, second }) => {
  await first.query("begin");
  await setClaims(first, { role: "telecom_customer", ...SENDER });
  await first.query("select telecom.transfer_to_mobile($1, 60)", [RECEIVER.mobile_no]);
  await second.query("begin");
  await setClaims(second, { role: "telecom_customer", ...SENDER });
  const other = second.query("select telecom.transfer_to_mobile($1, 60)", [RECEIVER.mobile_no]).catch((error: pg.DatabaseError) => error);
  await waitingForLock(second);
  await first.query("commit");
  const error = (await other) as pg.DatabaseError;
  assert.equal([error.code, error.message], ["TC316", "Insufficient wallet balance: you have 40.00 EGP, the transfer needs 60."]);
  await second.query("rollback");
  assert.equal(await balances(), ["40.00", "60.00"]);
});

test.run();

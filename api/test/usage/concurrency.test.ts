/**
 * Concurrent events for one account (committed data, four connections as the network): the account
 * lock serialises them, so allowances and the balance add up whatever the order, and a twin of an
 * event sent at the same moment returns the first row.
 */
import pg from "pg";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { authenticatorUrl, getRootPool } from "../support/database.ts";
import { Builder } from "../support/builder.ts";
import { createUsageFixture, HELD, POSTPAID, PREPAID, uuid, type UsagePlans } from "./fixture.ts";

interface Context {
  plans: UsagePlans;
  pool: pg.Pool;
}

const test = suite<Context>("usage: concurrent events", {} as Context);
const data = new Builder();

test.before(async (context) => {
  context.plans = await createUsageFixture(data);
  await getRootPool().query("update telecom.customer_account set balance = 3 where mobile_no = $1", [PREPAID.mobile_no]);
  // Every connection acts as the network from its start.
  context.pool = new pg.Pool({
    connectionString: authenticatorUrl(),
    max: 4,
    options: "-c role=telecom_network -c jwt.claims.network_id=cairo-1",
  });
});

test.after(async (context) => {
  await context.pool.end();
  await data.remove();
});

test("ten 30 MB events at once: 150 MB from the allowances, two charged 1.50 each, three refused, balance 0", async ({ pool }) => {
  const ids = Array.from({ length: 10 }, () => uuid());
  const results = await Promise.all(
    ids.map((id) =>
      pool.query("select outcome, charged::text from telecom.record_usage($1, $2, 'data', 30, now() - interval '1 second')", [
        id,
        PREPAID.mobile_no,
      ]),
    ),
  );
  const outcomes = results.map((result) => result.rows[0].outcome).sort();
  assert.equal(outcomes, [
    "charged",
    "charged",
    "in_allowance",
    "in_allowance",
    "in_allowance",
    "in_allowance",
    "in_allowance",
    "refused",
    "refused",
    "refused",
  ]);
  const { rows } = await getRootPool().query(
    `select (select balance::text from telecom.customer_account where mobile_no = $1) as balance,
       (select sum(data_consumption)::int from telecom.plan_usage where mobile_no = $1) as used,
       (select count(*)::int from telecom.money_journal where mobile_no = $1 and operation = 'record_usage') as charges`,
    [PREPAID.mobile_no],
  );
  assert.equal(rows[0], { balance: "0.00", used: 150, charges: 2 });
});

test("twins of one event sent at once: one is rated, all return its row", async ({ pool }) => {
  const id = uuid();
  const at = new Date(Date.now() - 1000).toISOString();
  const results = await Promise.all(
    Array.from({ length: 4 }, () =>
      pool.query("select received_at, outcome, charged::text from telecom.record_usage($1, $2, 'voice', 111, $3)", [
        id,
        POSTPAID.mobile_no,
        at,
      ]),
    ),
  );
  const rows = results.map((result) => JSON.stringify(result.rows[0]));
  assert.is(new Set(rows).size, 1);
  const { rows: balance } = await getRootPool().query("select balance::text from telecom.customer_account where mobile_no = $1", [
    POSTPAID.mobile_no,
  ]);
  assert.is(balance[0].balance, "-0.50");
});

test.run();

/**
 * The maintenance tick (docs/operations.md) never runs beside another one, and every completed tick
 * records when it ran and what it did, which last_maintenance_tick() reads for /health.
 */
import pg from "pg";
import * as assert from "uvu/assert";
import { dbSuite, errorOf, superuserUrl } from "../support/database.ts";
import { asRole } from "../support/roles.ts";

const test = dbSuite("the maintenance tick");

test("a completed tick records its time and result; last_maintenance_tick() reads the time", async ({ db }) => {
  const { rows } = await db.query("select telecom.maintenance_tick() as done, now() as now");
  const state = await db.query(
    "select last_tick_at, last_result, telecom_private.last_maintenance_tick() as last from telecom_private.maintenance_state",
  );
  assert.equal(state.rows, [{ last_tick_at: rows[0].now, last_result: rows[0].done, last: rows[0].now }]);
});

test("while one tick runs, another returns {skipped: true} at once and records nothing", async ({ db }) => {
  // The test's transaction is the running tick: it holds the tick's lock until it ends.
  const running = (await db.query("select telecom.maintenance_tick() as done")).rows[0].done;
  assert.is(running.skipped, undefined);
  const other = new pg.Client({ connectionString: superuserUrl() });
  await other.connect();
  try {
    const before = (await other.query("select telecom_private.last_maintenance_tick() as last")).rows[0].last;
    const { rows } = await other.query("select telecom.maintenance_tick() as done");
    assert.equal(rows[0].done, { skipped: true });
    assert.equal((await other.query("select telecom_private.last_maintenance_tick() as last")).rows[0].last, before);
  } finally {
    await other.end();
  }
});

test("no API role reads when the tick last ran", async ({ db }) => {
  for (const role of ["telecom_anonymous", "telecom_customer", "telecom_admin", "telecom_network"] as const) {
    const error = await asRole(db, role, { admin_id: 1, mobile_no: "01000000001", national_id: 1 }, () =>
      errorOf(db, "select telecom_private.last_maintenance_tick()"),
    );
    assert.is(error?.code, "42501", role);
  }
  await db.query("set local role telecom_payment_processor");
  assert.is((await errorOf(db, "select telecom_private.last_maintenance_tick()")).code, "42501", "telecom_payment_processor");
});

test.run();

/**
 * The maintenance tick (docs/operations.md) never runs beside another one, and every completed tick
 * records when it ran and what it did, which last_maintenance_tick() reads for /health.
 */
import pg from "pg";
import * as assert from "uvu/assert";
import { dbSuite, errorOf, superuserUrl } from "../support/database.ts";
import { asRole } from "../support/roles.ts";
import { A1, admin, buildFixture, customerA } from "./fixture.ts";

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

test("a tick purges what has served its time, and keeps what is still read", async ({ db }) => {
  await buildFixture(db);
  await db.query(
    `insert into telecom_private.idempotency_key (actor, idempotency_key, operation, arguments, created_at)
     values ('database:test', gen_random_uuid(), 'transfer_to_mobile', '{}', now() - interval '30 days 1 second'),
            ('database:test', gen_random_uuid(), 'transfer_to_mobile', '{}', now() - interval '29 days')`,
  );
  const { rows: codes } = await db.query<{ code_id: string }>(
    `insert into telecom_private.verification_code (mobile_no, purpose, code_hash, created_at, expires_at)
     values ($1, 'reset', 'x', now() - interval '2 days 11 minutes', now() - interval '2 days 1 second'),
            ($1, 'reset', 'x', now() - interval '47 hours', now() - interval '46 hours 50 minutes')
     returning code_id`,
    [A1],
  );
  await db.query(
    `insert into telecom_private.verification_code_guess (code_id, client_address, by_asking_address)
     values ($1, '10.0.0.1', false), ($1, '10.0.0.2', false), ($2, '10.0.0.1', false)`,
    [codes[0].code_id, codes[1].code_id],
  );
  await db.query(
    `insert into telecom_private.sms_outbox (mobile_no, body, created_at, sent_at, code_id)
     values ($1, 'sent long ago', now() - interval '91 days', now() - interval '90 days 1 second', null),
            ($1, 'sent lately', now() - interval '89 days', now() - interval '89 days', null),
            ($1, 'never sent', now() - interval '100 days', null, null),
            ($1, 'the old code', now() - interval '2 days 11 minutes', now() - interval '2 days 10 minutes', $2)`,
    [A1, codes[0].code_id],
  );
  await db.query(
    `insert into telecom_private.login_failure (login, failed_at)
     values ($1, now() - interval '24 hours 1 second'), ($1, now() - interval '23 hours')`,
    [A1],
  );

  const done = (await db.query("select telecom.maintenance_tick() as done")).rows[0].done;

  assert.equal(
    {
      login_failures_purged: done.login_failures_purged,
      idempotency_keys_purged: done.idempotency_keys_purged,
      sent_sms_purged: done.sent_sms_purged,
      verification_codes_purged: done.verification_codes_purged,
      verification_code_guesses_purged: done.verification_code_guesses_purged,
    },
    {
      login_failures_purged: 1,
      idempotency_keys_purged: 1,
      sent_sms_purged: 1,
      verification_codes_purged: 1,
      verification_code_guesses_purged: 2,
    },
  );
  const { rows } = await db.query(
    `select (select count(*)::int from telecom_private.idempotency_key) as keys,
            (select array_agg(body order by body) from telecom_private.sms_outbox) as sms,
            (select array_agg(code_id::text) from telecom_private.verification_code) as codes,
            (select count(*)::int from telecom_private.verification_code_guess) as guesses,
            (select count(*)::int from telecom_private.login_failure) as failures,
            (select code_id from telecom_private.sms_outbox where body = 'the old code') as old_message_code`,
  );
  assert.equal(rows[0], {
    keys: 1,
    sms: ["never sent", "sent lately", "the old code"],
    codes: [codes[1].code_id],
    guesses: 1,
    failures: 1,
    old_message_code: null,
  });
});

test("the first tick of a month runs the bills, the first of a day the collections; the ticks after them neither", async ({ db }) => {
  await db.query(
    `insert into telecom_private.maintenance_state (last_tick_at, last_result) values (now() - interval '1 month', '{}')
     on conflict ((true)) do update set last_tick_at = excluded.last_tick_at`,
  );
  const first = (await db.query("select telecom.maintenance_tick() as done")).rows[0].done;
  assert.equal([typeof first.bills_issued, typeof first.collection_steps], ["number", "number"]);
  const next = (await db.query("select telecom.maintenance_tick() as done")).rows[0].done;
  assert.equal([next.bills_issued, next.collection_steps], [null, null]);
  await db.query("update telecom_private.maintenance_state set last_tick_at = now() - interval '1 day'");
  const tomorrow = (await db.query("select telecom.maintenance_tick() as done")).rows[0].done;
  // A day later within the month: collections only (unless yesterday was last month).
  const { rows } = await db.query("select date_trunc('month', current_date - 1) = date_trunc('month', current_date) as same_month");
  assert.is(tomorrow.bills_issued === null, rows[0].same_month);
  assert.is(typeof tomorrow.collection_steps, "number");
});

test("no API role reads when the tick last ran", async ({ db }) => {
  for (const role of ["telecom_anonymous", "telecom_customer", "telecom_admin", "telecom_network"] as const) {
    const error = await asRole(db, role, { ...admin, ...customerA }, () => errorOf(db, "select telecom_private.last_maintenance_tick()"));
    assert.is(error?.code, "42501", role);
  }
  await db.query("set local role telecom_payment_processor");
  assert.is((await errorOf(db, "select telecom_private.last_maintenance_tick()")).code, "42501", "telecom_payment_processor");
});

test.run();

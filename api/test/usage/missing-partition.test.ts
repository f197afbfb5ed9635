/**
 * A usage event whose month has no partition (docs/usage.md) is refused with TC409, which says to run
 * npm run maintenance, by record_usage and the bulk load alike; ensure_usage_partitions then makes the
 * month beside the default partition, which never keeps a row. In a rolled-back transaction.
 */
import type pg from "pg";
import * as assert from "uvu/assert";
import { dbSuite, errorOf } from "../support/database.ts";
import { Builder } from "../support/builder.ts";
import { asRole, asSuperuser } from "../support/roles.ts";
import { createUsageFixture, NETWORK, POSTPAID, recordUsage, uuid } from "./fixture.ts";

const test = dbSuite("usage: a month without its partition");

/** Drops the partition of a minute ago's month, as if the tick had never made it; returns that moment, its day and the partition's name. */
async function withoutThisMonth(db: pg.PoolClient): Promise<{ at: string; day: string; name: string }> {
  const { rows } = await db.query<{ at: string; day: string; name: string }>(
    `select moment.at::text as at, telecom_private.operator_date(moment.at)::text as day,
       'usage_event_p' || to_char(telecom_private.operator_date(moment.at), 'YYYY_MM') as name
     from (select now() - interval '1 minute' as at) as moment`,
  );
  await db.query(`drop table telecom_private.${rows[0].name}`);
  return rows[0];
}

const refusal = (day: string) =>
  `Usage of ${day} cannot be stored: its month has no partition yet. Run npm run maintenance, which creates this month's and next month's.`;

test("record_usage refuses the event with TC409 and stores nothing", async ({ db }) => {
  await createUsageFixture(new Builder(db));
  const { at, day } = await withoutThisMonth(db);
  await asRole(db, "telecom_network", NETWORK);
  const id = uuid();
  const error = await errorOf(db, "select * from telecom.record_usage($1, $2, 'data', 5, $3::timestamptz)", [id, POSTPAID.mobile_no, at]);
  assert.equal([error.code, error.message], ["TC409", refusal(day)]);
  await asSuperuser(db);
  const { rows } = await db.query("select count(*)::int as n from telecom_private.usage_event_key where event_id = $1", [id]);
  assert.is(rows[0].n, 0);
});

test("the bulk load refuses its chunk with TC409", async ({ db }) => {
  await createUsageFixture(new Builder(db));
  const { at, day } = await withoutThisMonth(db);
  const { rows } = await db.query<{ load_id: string }>("select telecom_private.begin_usage_load() as load_id");
  await db.query("insert into pg_temp.usage_load (event_id, mobile_no, kind, quantity, occurred_at) values ($1, $2, 'sms', '1', $3)", [
    uuid(),
    POSTPAID.mobile_no,
    at,
  ]);
  await db.query("select * from telecom_private.check_usage_load($1, 100)", [rows[0].load_id]);
  const error = await errorOf(db, "select * from telecom_private.rate_usage_batch($1)", [rows[0].load_id]);
  assert.equal([error.code, error.message], ["TC409", refusal(day)]);
});

test("the tick's ensure_usage_partitions makes the month again beside the default partition, and usage is stored there", async ({ db }) => {
  await createUsageFixture(new Builder(db));
  const { at, name } = await withoutThisMonth(db);
  const { rows } = await db.query<{ done: string[] }>("select telecom_private.ensure_usage_partitions() as done");
  assert.equal(rows[0].done, [`created ${name}`]);
  await asRole(db, "telecom_network", NETWORK);
  const event = await recordUsage(db, { id: uuid(), mobile_no: POSTPAID.mobile_no, kind: "sms", quantity: 1, occurredAt: at });
  assert.is(event.outcome, "in_allowance");
  await asSuperuser(db);
  const { rows: stored } = await db.query(
    "select (select count(*)::int from telecom_private.usage_event_default) as in_default, (select count(*)::int from telecom.usage_event) as events",
  );
  assert.equal(stored[0], { in_default: 0, events: 1 });
});

test("a row put in the default partition directly is refused too", async ({ db }) => {
  const { rows } = await db.query("select telecom_private.operator_date(now() + interval '1 year')::text as day");
  const error = await errorOf(
    db,
    "insert into telecom.usage_event (event_id, mobile_no, kind, quantity, occurred_at, outcome) values (gen_random_uuid(), '01195000002', 'sms', 1, now() + interval '1 year', 'in_allowance')",
  );
  assert.equal([error.code, error.message], ["TC409", refusal(rows[0].day)]);
});

test.run();

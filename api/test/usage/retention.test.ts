/**
 * Retention of usage events (docs/usage.md, ensure_usage_partitions): a month's partition is detached
 * once four full months have ended after it, and its events' keys and allocations go with it (found
 * through the detached partition's own rows); younger events stay. In a rolled-back transaction.
 */
import * as assert from "uvu/assert";
import { dbSuite } from "../support/database.ts";
import { asRole, asSuperuser } from "../support/roles.ts";
import { createUsageFixture, NETWORK, POSTPAID, recordUsage, uuid } from "./fixture.ts";
import { Builder } from "../support/builder.ts";

const test = dbSuite("usage: retention");

test("the partition of five months ago is detached with its keys and allocations; this month's events stay", async ({ db }) => {
  const { older } = await createUsageFixture(new Builder(db));
  await asRole(db, "telecom_network", NETWORK);
  const recent = uuid();
  await recordUsage(db, { id: recent, mobile_no: POSTPAID.mobile_no, kind: "data", quantity: "5" });
  await asSuperuser(db);
  const { rows } = await db.query<{ name: string; from: string; to: string; at: string }>(
    `select 'usage_event_p' || to_char(month, 'YYYY_MM') as name,
       (month::timestamp at time zone telecom_private.operator_time_zone())::text as from,
       ((month + interval '1 month')::timestamp at time zone telecom_private.operator_time_zone())::text as to,
       ((month + interval '10 days')::timestamp at time zone telecom_private.operator_time_zone())::text as at
     from (select (date_trunc('month', telecom_private.operator_date(now())) - interval '5 months')::date as month) as old`,
  );
  const old = rows[0];
  // Owned by the owner, as ensure_usage_partitions makes them.
  await db.query(
    `set local role telecom_owner; create table telecom_private.${old.name} partition of telecom.usage_event for values from ('${old.from}') to ('${old.to}'); reset role`,
  );
  const gone = uuid();
  await db.query("insert into telecom_private.usage_event_key (event_id, occurred_at) values ($1, $2)", [gone, old.at]);
  await db.query(
    "insert into telecom.usage_event (event_id, mobile_no, kind, quantity, occurred_at, plan_id, outcome) values ($1, $2, 'data', 3, $3, $4, 'in_allowance')",
    [gone, POSTPAID.mobile_no, old.at, older],
  );
  await db.query("insert into telecom.usage_allocation (event_id, plan_id, mobile_no, quantity) values ($1, $2, $3, 3)", [
    gone,
    older,
    POSTPAID.mobile_no,
  ]);

  const { rows: done } = await db.query<{ done: string[] }>("select telecom_private.ensure_usage_partitions() as done");
  assert.ok(done[0].done.includes(`detached ${old.name}`), `detached: ${done[0].done.join(", ")}`);
  const count = async (sql: string, id: string) => (await db.query<{ count: number }>(sql, [id])).rows[0].count;
  const key = "select count(*)::int from telecom_private.usage_event_key where event_id = $1";
  const allocation = "select count(*)::int from telecom.usage_allocation where event_id = $1";
  const event = "select count(*)::int from telecom.usage_event where event_id = $1";
  assert.equal([await count(key, gone), await count(allocation, gone), await count(event, gone)], [0, 0, 0]);
  assert.equal([await count(key, recent), await count(allocation, recent), await count(event, recent)], [1, 1, 1]);
  const { rows: kept } = await db.query("select count(*)::int from telecom_private." + old.name);
  assert.is(kept[0].count, 1, "the detached partition keeps its rows for the DBA to archive");
});

test.run();

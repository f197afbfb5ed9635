/**
 * The operator's time zone (docs/operations.md) is written once, in telecom_private.operator_time_zone(),
 * and the migration makes it the database's timezone: a new session's current_date is the operator's
 * day, and a session that sets another zone still dates usage in the operator's.
 */
import * as assert from "uvu/assert";
import { dbSuite } from "../support/database.ts";

const test = dbSuite("the operator's time zone");

test("the database's timezone is the operator's, so a new session's current_date is the operator's day", async ({ db }) => {
  const { rows } = await db.query(
    `select setting.setconfig, telecom_private.operator_time_zone() as zone, current_setting('TimeZone') as session_zone,
       current_date = telecom_private.operator_date(now()) as same_day
     from pg_catalog.pg_db_role_setting as setting
     inner join pg_catalog.pg_database as database on database.oid = setting.setdatabase
     where database.datname = current_database()
       and setting.setrole = 0`,
  );
  assert.equal(rows, [{ setconfig: ["TimeZone=Africa/Cairo"], zone: "Africa/Cairo", session_zone: "Africa/Cairo", same_day: true }]);
});

test("a session with another time zone still gets the operator's day for a moment", async ({ db }) => {
  await db.query("set local timezone = 'Pacific/Kiritimati'");
  const { rows } = await db.query("select telecom_private.operator_date('2026-01-31 22:30:00+00')::text as day");
  assert.is(rows[0].day, "2026-02-01");
});

test.run();

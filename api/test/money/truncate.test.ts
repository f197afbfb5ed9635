/**
 * Money history refuses TRUNCATE (TC020, docs/money.md), which fires no row trigger: every table whose
 * row triggers keep its history refuses it by a statement trigger too, except in db:clear's transaction
 * (telecom.clearing on) on a development database.
 */
import * as assert from "uvu/assert";
import { dbSuite, errorOf } from "../support/database.ts";

const test = dbSuite("TRUNCATE of money history");

/** Tables with a trigger of the given function, from the catalog. */
async function tablesWithTrigger(db: import("pg").PoolClient, functionNames: string[]): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `select distinct trigger.tgrelid::regclass::text as name
     from pg_catalog.pg_trigger as trigger
     where trigger.tgfoid = any ($1::regprocedure[])
     order by 1`,
    [functionNames],
  );
  return rows.map((row) => row.name);
}

test("every table of money history (its row triggers raise TC020) refuses TRUNCATE", async ({ db }) => {
  const history = await tablesWithTrigger(db, [
    "telecom_private.tg_money_history__append_only()",
    "telecom_private.tg_points_group__history()",
  ]);
  const guarded = await tablesWithTrigger(db, ["telecom_private.tg_money_history__no_truncate()"]);
  assert.equal(guarded, history);
  assert.equal(history, [
    "telecom.cashback",
    "telecom.credit_note",
    "telecom.invoice",
    "telecom.invoice_line",
    "telecom.money_journal",
    "telecom.payment",
    "telecom.plan_charge",
    "telecom.points_group",
    "telecom.transfer_money",
    "telecom.voucher",
  ]);
  for (const table of guarded) {
    const error = await errorOf(db, `truncate ${table} cascade`);
    assert.is(error.code, "TC020", table);
    assert.match(
      error.message,
      /are money history: TRUNCATE is refused \(only npm run db:clear empties them, on a development database\)\.$/,
    );
  }
});

test("a TRUNCATE that reaches money history by cascade is refused too", async ({ db }) => {
  const error = await errorOf(db, "truncate telecom.customer_account cascade");
  assert.is(error.code, "TC020");
});

test("db:clear's transaction on a development database may truncate money history", async ({ db }) => {
  await db.query("set local telecom.clearing = 'on'");
  await db.query("truncate telecom.money_journal");
  assert.is((await db.query("select count(*)::int as n from telecom.money_journal")).rows[0].n, 0);
});

test("a production database refuses it even in a transaction that says it clears", async ({ db }) => {
  // The kind is set once: only a superuser who disables its trigger on purpose can make this database a production one.
  await db.query("alter table telecom_private.database_kind disable trigger _050_set_once");
  await db.query("update telecom_private.database_kind set kind = 'production'");
  await db.query("alter table telecom_private.database_kind enable trigger _050_set_once");
  await db.query("set local telecom.clearing = 'on'");
  assert.is((await errorOf(db, "truncate telecom.money_journal")).code, "TC020");
});

test.run();

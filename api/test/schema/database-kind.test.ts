/**
 * The database's kind (docs/operations.md): written once, by the migration that creates the database,
 * from DATABASE_KIND (development unless NODE_ENV=production); nothing changes it afterwards, and no
 * API role reads it.
 */
import * as assert from "uvu/assert";
import { dbSuite, errorOf } from "../support/database.ts";
import { asRole } from "../support/roles.ts";

const test = dbSuite("the database's kind");

test("the test database was created as a development database, and the kind is one row", async ({ db }) => {
  const { rows } = await db.query(
    "select telecom_private.database_kind() as kind, (select count(*)::int from telecom_private.database_kind) as n",
  );
  assert.equal(rows[0], { kind: "development", n: 1 });
});

test("nothing changes or removes the kind: update, delete and truncate are TC022, a second row is refused", async ({ db }) => {
  const message = "The database's kind (development or production) is set once, when the database is created.";
  for (const statement of [
    "update telecom_private.database_kind set kind = 'production'",
    "delete from telecom_private.database_kind",
    "truncate telecom_private.database_kind",
  ]) {
    const error = await errorOf(db, statement);
    assert.equal([error.code, error.message], ["TC022", message], statement);
  }
  assert.is((await errorOf(db, "insert into telecom_private.database_kind (kind) values ('production')")).code, "23505");
  const { rowCount } = await db.query("insert into telecom_private.database_kind (kind) values ('production') on conflict do nothing");
  assert.is(rowCount, 0, "the migration's own insert, run again, keeps the kind");
  assert.is((await db.query("select telecom_private.database_kind() as kind")).rows[0].kind, "development");
});

test("no API role reads the kind", async ({ db }) => {
  for (const role of ["telecom_anonymous", "telecom_customer", "telecom_admin", "telecom_network"] as const) {
    const error = await asRole(db, role, { admin_id: 1, mobile_no: "01000000001", national_id: 1 }, () =>
      errorOf(db, "select telecom_private.database_kind()"),
    );
    assert.is(error?.code, "42501", role);
  }
  await db.query("set local role telecom_payment_processor");
  assert.is((await errorOf(db, "select telecom_private.database_kind()")).code, "42501", "telecom_payment_processor");
});

test.run();

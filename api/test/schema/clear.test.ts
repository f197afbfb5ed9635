/** clearAllTables (`npm run db:clear -- --yes`) empties every table of both schemas and keeps the schema and its own data. */
import fs from "node:fs";
import * as assert from "uvu/assert";
import { clearAllTables } from "../../src/db/clear.ts";
import { sampleDataFile } from "../../src/db/sample-data.ts";
import { dbSuite, errorOf } from "../support/database.ts";

/** The tables tagged @schemaData: the schema's own data, which a clear keeps. */
const SCHEMA_DATA = ["telecom_private.database_kind", "telecom_private.error_code"];

const test = dbSuite("clearAllTables");

test("empties every table of telecom and telecom_private but the schema's own data, restarts identities and keeps the schema", async ({
  db,
}) => {
  await db.query(fs.readFileSync(sampleDataFile, "utf8"));
  const { rows: tables } = await db.query<{ name: string }>(
    // A partition (usage_event's months) is emptied with its parent.
    `select format('%I.%I', namespace.nspname, class.relname) as name
     from pg_catalog.pg_class as class
     inner join pg_catalog.pg_namespace as namespace on namespace.oid = class.relnamespace
     where namespace.nspname in ('telecom', 'telecom_private') and class.relkind in ('r', 'p') and not class.relispartition
     order by 1`,
  );
  const nonEmptyBefore: string[] = [];
  for (const { name } of tables) {
    const { rows } = await db.query(`select count(*)::int as n from ${name}`);
    if (rows[0].n > 0) nonEmptyBefore.push(name);
  }
  assert.ok(nonEmptyBefore.length >= 21, `sample data fills at least 21 tables, got ${nonEmptyBefore.length}`);
  const { rows: codesBefore } = await db.query("select count(*)::int as n from telecom_private.error_code");

  const emptied = await clearAllTables(db);

  const names = tables.map((table) => table.name);
  assert.equal(
    [...emptied].sort(),
    names.filter((name) => !SCHEMA_DATA.includes(name)),
  );
  const stillFilled: string[] = [];
  for (const name of names) {
    const { rows } = await db.query(`select count(*)::int as n from ${name}`);
    if (rows[0].n > 0) stillFilled.push(name);
  }
  assert.equal(stillFilled, SCHEMA_DATA);
  const { rows: codesAfter } = await db.query("select count(*)::int as n from telecom_private.error_code");
  assert.is(codesAfter[0].n, codesBefore[0].n);
  const { rows } = await db.query("insert into telecom.shop (name, category) values ('After clear', 'test') returning shop_id");
  assert.is(rows[0].shop_id, 1);
});

test("without its transaction's telecom.clearing, a TRUNCATE of money history is refused", async ({ db }) => {
  const error = await errorOf(db, "truncate telecom.payment cascade");
  assert.is(error.code, "TC020");
  assert.is(
    error.message,
    "Payments are money history: TRUNCATE is refused (only npm run db:clear empties them, on a development database).",
  );
});

test.run();

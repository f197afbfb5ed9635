/** clearAllTables (`npm run db:clear -- --yes`) empties every table of both schemas and keeps the schema. */
import fs from "node:fs";
import * as assert from "uvu/assert";
import { clearAllTables } from "../../src/db/clear.ts";
import { sampleDataFile } from "../../src/db/sample-data.ts";
import { dbSuite } from "../support/database.ts";

const test = dbSuite("clearAllTables");

test("empties every table of telecom and telecom_private, restarts identities and keeps the schema", async ({ db }) => {
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

  const emptied = await clearAllTables(db);

  assert.equal([...emptied].sort(), tables.map((table) => table.name).sort());
  const stillFilled: string[] = [];
  for (const { name } of tables) {
    const { rows } = await db.query(`select count(*)::int as n from ${name}`);
    if (rows[0].n > 0) stillFilled.push(name);
  }
  assert.equal(stillFilled, []);
  const { rows } = await db.query("insert into telecom.shop (name, category) values ('After clear', 'test') returning shop_id");
  assert.is(rows[0].shop_id, 1);
});

test.run();

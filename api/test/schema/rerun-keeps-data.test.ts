/**
 * Running the current migration and every rule file again, on a database that holds data, changes no
 * row: table changes are written to keep data (`add column if not exists`, never a drop and an add of
 * the same thing: docs/dba.md), and rule files only replace rules. `db:watch` re-runs the current
 * migration on every save, so this is what keeps a DBA's data through a session of edits.
 */
import fs from "node:fs";
import path from "node:path";
import { compile } from "graphile-migrate";
import JSON5 from "json5";
import pg from "pg";
import * as assert from "uvu/assert";
import { sampleDataFile } from "../../src/db/sample-data.ts";
import { fixtureFiles } from "../../src/db/schema-docs.ts";
import { migrationsDir, projectRoot } from "../../src/paths.ts";
import { dbSuite, ownerUrl } from "../support/database.ts";

const test = dbSuite("re-running the migration keeps data");

/** The current migration as graphile-migrate runs it: its files in order, compiled by graphile-migrate (includes, placeholders). */
async function currentMigration(): Promise<string> {
  const gmrc = JSON5.parse(fs.readFileSync(path.join(projectRoot, ".gmrc"), "utf8")) as { placeholders: Record<string, string> };
  // The test database is a development one: compiled as production, a re-run must still keep its recorded kind.
  const placeholders = { ...gmrc.placeholders, ":DATABASE_KIND": "production" };
  const current = path.join(migrationsDir, "current");
  const files = fs
    .readdirSync(current)
    .filter((file) => file.endsWith(".sql"))
    .sort();
  const compiled = [];
  for (const file of files) {
    const filename = path.join(current, file);
    compiled.push(await compile({ ...gmrc, placeholders, connectionString: ownerUrl() }, fs.readFileSync(filename, "utf8"), { filename }));
  }
  return compiled.join("\n");
}

/** Every table's row count and a digest of its rows. */
async function contents(db: pg.PoolClient): Promise<Record<string, string>> {
  const { rows: tables } = await db.query<{ name: string }>(
    `select format('%I.%I', namespace.nspname, class.relname) as name
     from pg_catalog.pg_class as class
     inner join pg_catalog.pg_namespace as namespace on namespace.oid = class.relnamespace
     where namespace.nspname in ('telecom', 'telecom_private') and class.relkind = 'r'
     order by 1`,
  );
  const result: Record<string, string> = {};
  for (const { name } of tables) {
    const { rows } = await db.query<{ digest: string }>(
      `select count(*) || ' ' || coalesce(md5(string_agg(row_text, '|' order by row_text)), '') as digest
       from (select t::text as row_text from ${name} as t) as table_rows`,
    );
    result[name] = rows[0].digest;
  }
  return result;
}

test("the current migration and every rule file, run again on the sample data, change no row", async ({ db }) => {
  await db.query(fs.readFileSync(sampleDataFile, "utf8"));
  const before = await contents(db);
  assert.ok(Number(before["telecom.payment"].split(" ")[0]) > 10, "the sample data is loaded");
  await db.query("set local role telecom_owner");
  await db.query("set local search_path to pg_catalog, public");
  await db.query(await currentMigration());
  for (const file of fixtureFiles()) await db.query(fs.readFileSync(file, "utf8"));
  await db.query("reset role");
  assert.equal(await contents(db), before);
});

test("a column dropped and added again, as a careless table change would, is caught", async ({ db }) => {
  await db.query(fs.readFileSync(sampleDataFile, "utf8"));
  await db.query("alter table telecom.customer_profile add column preferred_language text default 'ar'");
  const before = await contents(db);
  await db.query("alter table telecom.customer_profile drop column if exists preferred_language");
  await db.query("alter table telecom.customer_profile add column preferred_language text");
  const after = await contents(db);
  assert.not.equal(after["telecom.customer_profile"], before["telecom.customer_profile"]);
  assert.equal({ ...after, "telecom.customer_profile": "" }, { ...before, "telecom.customer_profile": "" });
});

test.run();

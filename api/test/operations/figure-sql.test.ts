/**
 * Each admin figure (a materialized view) keeps its SQL in its rule file,
 * migrations/fixtures/reports/<figure>.sql, as `create materialized view if not exists … as <query>;`.
 * Since that statement does nothing once the view exists, this test makes the file's query into a
 * view of its own and compares the two definitions as PostgreSQL prints them: an edited file
 * without a migration that rebuilds the view fails here.
 */
import fs from "node:fs";
import path from "node:path";
import * as assert from "uvu/assert";
import { migrationsDir } from "../../src/paths.ts";
import { dbSuite } from "../support/database.ts";

const test = dbSuite("admin figures' SQL in their files");

const DEFINITION = /create materialized view if not exists telecom\.(\w+) as\n([\s\S]*?);\n/;

function figureFiles(): { figure: string; query: string }[] {
  const folder = path.join(migrationsDir, "fixtures", "reports");
  return fs
    .readdirSync(folder)
    .map((file) => DEFINITION.exec(fs.readFileSync(path.join(folder, file), "utf8")))
    .filter((match) => match !== null)
    .map((match) => ({ figure: match[1], query: match[2] }));
}

async function definitionOf(db: import("pg").PoolClient, relation: string): Promise<string> {
  const { rows } = await db.query<{ definition: string }>("select pg_catalog.pg_get_viewdef($1::regclass, true) as definition", [relation]);
  return rows[0].definition;
}

test("every materialized view of telecom has a rule file whose SQL is its definition", async ({ db }) => {
  const { rows } = await db.query<{ name: string }>(
    "select matviewname as name from pg_catalog.pg_matviews where schemaname = 'telecom' order by 1",
  );
  const files = figureFiles();
  assert.equal(
    files.map(({ figure }) => figure).sort(),
    rows.map(({ name }) => name),
  );
  for (const { figure, query } of files) {
    await db.query(`create view telecom_private.figure_probe as ${query}`);
    assert.fixture(await definitionOf(db, "telecom_private.figure_probe"), await definitionOf(db, `telecom.${figure}`), figure);
    await db.query("drop view telecom_private.figure_probe");
  }
});

test("a file whose SQL differs from the view is told apart", async ({ db }) => {
  const [{ query }] = figureFiles().filter(({ figure }) => figure === "account_status_counts");
  await db.query(
    `create view telecom_private.figure_probe as ${query.replace("count(*)::integer as accounts", "count(*)::bigint as accounts")}`,
  );
  assert.not.equal(await definitionOf(db, "telecom_private.figure_probe"), await definitionOf(db, "telecom.account_status_counts"));
});

test.run();

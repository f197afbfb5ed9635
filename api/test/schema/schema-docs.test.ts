/**
 * sql/schema.sql and sql/schema.graphql (docs/dba.md) are what the migrations build on PostgreSQL 15:
 * the test builds them afresh on an embedded PostgreSQL 15 (which proves the migrations apply there)
 * and compares them with the committed files.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { withClient } from "../../src/db/client.ts";
import { ERROR_CODES_MARKDOWN, ERROR_CODES_TYPESCRIPT } from "../../src/db/error-codes.ts";
import { SchemaDocsBuilder, SCHEMA_GRAPHQL, SCHEMA_SQL, staleSchemaDocs, type SchemaDocs } from "../../src/db/schema-docs.ts";

const test = suite<{ builder: SchemaDocsBuilder; docs: SchemaDocs }>("schema documentation");

test.before(async (context) => {
  context.builder = await SchemaDocsBuilder.start();
  context.docs = await context.builder.build();
});

test.after(async ({ builder }) => {
  await builder.stop();
});

test("the migrations build on PostgreSQL 15 into the committed sql/schema.sql, sql/schema.graphql and error codes", ({ docs }) => {
  assert.equal(Object.keys(docs).sort(), [ERROR_CODES_MARKDOWN, ERROR_CODES_TYPESCRIPT, SCHEMA_GRAPHQL, SCHEMA_SQL]);
  assert.equal(staleSchemaDocs(docs), [], "out of date: run npm run db:reset (or db:watch) and commit the files it rewrites");
});

test("the dump is the whole schema: every table, rule and policy, without a random restrict key", ({ docs }) => {
  const sql = docs[SCHEMA_SQL];
  assert.match(sql, /^\\restrict telecom$/m);
  assert.match(sql, /CREATE TABLE telecom\.payment \(/);
  assert.match(sql, /CREATE FUNCTION telecom\.transfer_to_mobile\(/);
  assert.match(sql, /CREATE POLICY select_own ON telecom\.payment /);
  assert.not.match(sql, /graphile_migrate/);
  assert.match(docs[SCHEMA_GRAPHQL], /^type Query implements Node \{$/m);
});

test("a changed schema is reported as out of date", ({ docs }) => {
  const changed = { ...docs, [SCHEMA_SQL]: `${docs[SCHEMA_SQL]}\n-- a rule added by hand\n` };
  assert.equal(staleSchemaDocs(changed), [SCHEMA_SQL]);
});

test("the dump does not depend on the month: the partitions the tick makes a month later leave it unchanged", async ({ builder, docs }) => {
  const { done, monthAfterNext } = await withClient(builder.ownerUrl, async (client) => {
    const { rows } = await client.query<{ done: string[]; monthAfterNext: string }>(
      `select telecom_private.ensure_usage_partitions(now() + interval '1 month') as done,
         to_char(date_trunc('month', telecom_private.operator_date(now())) + interval '2 months', 'YYYY_MM') as "monthAfterNext"`,
    );
    return rows[0];
  });
  // A month later, the month after next is the one new partition.
  assert.equal(done, [`created usage_event_p${monthAfterNext}`]);
  assert.fixture(await builder.dump(), docs[SCHEMA_SQL]);
});

test("every rule file holds what the migrations built: running them all again changes nothing", async ({ builder }) => {
  const { before, after } = await builder.replayFixtures();
  assert.ok(before.length > 100_000, "the dump is the whole schema");
  assert.fixture(after, before);
});

test.run();

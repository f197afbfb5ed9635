import * as assert from "uvu/assert";
import { dbSuite } from "../helpers.ts";

const test = dbSuite("schema smoke");

test("the telecom schema has the 19 tables of SPEC §3", async ({ db }) => {
  const { rows } = await db.query("select count(*)::int as n from pg_tables where schemaname = 'telecom'");
  assert.is(rows[0].n, 19);
});

test.run();

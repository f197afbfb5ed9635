/**
 * sql/schema.graphql is the schema the server serves (the web app's documents are typed and checked
 * against it): printed again from the test database, built from the same migrations, it is the same.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { projectRoot } from "../../src/db/migrations.ts";
import { printGraphqlSchema } from "../../src/server/print-schema.ts";
import { authenticatorUrl } from "../helpers.ts";

const test = suite("sql/schema.graphql");

test("matches the schema printed from a database built from the migrations", async () => {
  const printed = await printGraphqlSchema(authenticatorUrl());
  const committed = readFileSync(path.join(projectRoot, "sql", "schema.graphql"), "utf8");
  assert.ok(
    printed === committed,
    "sql/schema.graphql is out of date: print it again with printGraphqlSchema (api/src/server/print-schema.ts)",
  );
});

test.run();

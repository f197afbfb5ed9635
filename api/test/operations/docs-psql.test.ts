/**
 * Every psql example in the README and docs/ runs as written for a DBA: connected as the owner, a
 * trusted session (docs/security.md), on the sample data, without claims. Each runs in a savepoint that is rolled
 * back, so the examples do not see each other's writes.
 */
import fs from "node:fs";
import * as assert from "uvu/assert";
import { sampleDataFile } from "../../src/db/sample-data.ts";
import { dbSuite } from "../support/database.ts";
import { projectDocsText } from "../support/docs.ts";

/** Code blocks marked sql, and inline code in a table's psql column (a cell that starts with `select `). */
export function psqlExamples(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```sql\n([\s\S]*?)```/g)].map((match) => match[1].trim());
  const cells = [...markdown.matchAll(/^\| `(select [^`]*)` \|/gm)].map((match) => match[1]);
  return [...blocks, ...cells];
}

const test = dbSuite("documentation psql examples");

test("there are examples to run", () => {
  assert.ok(psqlExamples(projectDocsText()).length >= 30);
});

test("each runs without an error as the owner, without claims, on the sample data", async ({ db }) => {
  await db.query(fs.readFileSync(sampleDataFile, "utf8"));
  await db.query("set local role telecom_owner");
  // What the README tells a DBA to do for the operations that act for the caller's number.
  await db.query("select set_config('jwt.claims.mobile_no', '01012345678', true)");
  const failures: string[] = [];
  for (const example of psqlExamples(projectDocsText())) {
    await db.query("savepoint example");
    try {
      await db.query(example);
    } catch (error) {
      failures.push(`${example}\n  → ${(error as { code?: string }).code}: ${(error as Error).message}`);
    }
    await db.query("rollback to savepoint example");
  }
  assert.equal(failures, []);
});

test.run();

/**
 * The current migration includes only rule files that changed (docs/dba.md): each include re-runs its
 * file on the live database, and a table's home re-creates its policies, which locks the table. A file
 * whose text is what the latest committed migration included is re-applied for nothing.
 */
import fs from "node:fs";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { migrationsDir } from "../../src/paths.ts";

const fixtures = path.join(migrationsDir, "fixtures");
const committed = path.join(migrationsDir, "committed");

/** The files the current migration includes, in order. */
function currentIncludes(): string[] {
  const current = path.join(migrationsDir, "current");
  return fs
    .readdirSync(current)
    .filter((file) => file.endsWith(".sql"))
    .sort()
    .flatMap((file) => [...fs.readFileSync(path.join(current, file), "utf8").matchAll(/^--!include (\S+)$/gm)].map((match) => match[1]));
}

/** The text of each rule file as the latest committed migration that included it inlined it (graphile-migrate's Included markers). */
function lastCommittedTexts(): Map<string, string> {
  const texts = new Map<string, string>();
  for (const file of fs.readdirSync(committed).sort()) {
    const sql = fs.readFileSync(path.join(committed, file), "utf8");
    for (const match of sql.matchAll(/^--! Included (\S+)\n([\s\S]*?)^--! EndIncluded \1$/gm)) texts.set(match[1], match[2]);
  }
  return texts;
}

test("every rule file the current migration includes differs from its last committed text", () => {
  const texts = lastCommittedTexts();
  const unchanged = currentIncludes().filter((name) => texts.get(name) === fs.readFileSync(path.join(fixtures, name), "utf8"));
  assert.equal(unchanged, [], `Included but unchanged since their last committed migration: ${unchanged.join(", ")}`);
});

test("the committed texts are read: a rule file committed in 000014 is found with its text", () => {
  const texts = lastCommittedTexts();
  assert.is(texts.get("usage/operator_time_zone.sql"), fs.readFileSync(path.join(fixtures, "usage/operator_time_zone.sql"), "utf8"));
});

test.run();

/**
 * The registry of error codes (docs/error-codes.md) is the one list: every code a database function
 * raises or catches and every code the API server answers with is registered, and every registered
 * code is used somewhere. Run in both directions, so a new code without a meaning fails, and so does a
 * meaning left behind by a code that is gone.
 */
import fs from "node:fs";
import path from "node:path";
import * as assert from "uvu/assert";
import { projectRoot } from "../../src/paths.ts";
import { dbSuite } from "../support/database.ts";

const test = dbSuite("error code registry");

/** Codes in the source of every function of the project's schemas (`errcode = 'TC…'`, `sqlstate 'TC…'`, a code returned). */
async function databaseCodes(db: import("pg").PoolClient): Promise<string[]> {
  const { rows } = await db.query<{ code: string }>(
    `select distinct (regexp_matches(function.prosrc, '''(TC[0-9]{3})''', 'g'))[1] as code
     from pg_catalog.pg_proc as function
     inner join pg_catalog.pg_namespace as namespace on namespace.oid = function.pronamespace
     where namespace.nspname in ('telecom', 'telecom_private')
     order by code`,
  );
  return rows.map(({ code }) => code);
}

/** Codes the API server answers with: string literals ("TC…") and keys (TC…:) of api/src, comments aside. */
function apiCodes(): string[] {
  const root = path.join(projectRoot, "api", "src");
  const codes = new Set<string>();
  for (const file of fs.readdirSync(root, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".ts"))) {
    const code = fs
      .readFileSync(path.join(root, file), "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/\/\/.*$/gm, "");
    for (const match of code.matchAll(/["'`](TC\d{3})["'`]|\b(TC\d{3}):/g)) codes.add(match[1] ?? match[2]);
  }
  return [...codes].sort();
}

test("every code raised is registered, and every registered code is raised", async ({ db }) => {
  const { rows } = await db.query<{ code: string }>("select code from telecom_private.error_code order by code");
  const registered = new Set(rows.map(({ code }) => code));
  const raised = new Set([...(await databaseCodes(db)), ...apiCodes()]);
  assert.ok(registered.size >= 100, `the registry holds ${registered.size} codes`);
  assert.equal([...raised].filter((code) => !registered.has(code)).sort(), [], "raised but not registered");
  assert.equal([...registered].filter((code) => !raised.has(code)).sort(), [], "registered but raised nowhere");
});

test("a code outside the areas' ranges, or without a meaning, is refused", async ({ db }) => {
  for (const [code, meaning] of [
    ["TC901", "an area that does not exist"],
    ["TC1", "too short"],
    ["TC150", ""],
  ]) {
    await db.query("savepoint attempt");
    const error = await db
      .query(
        "insert into telecom_private.error_code (code, meaning) values ($1, $2) on conflict (code) do update set meaning = excluded.meaning",
        [code, meaning],
      )
      .then(
        () => null,
        (failure: { code?: string }) => failure.code,
      );
    await db.query("rollback to savepoint attempt");
    assert.ok(error === "23502" || error === "23514", `${code} ${JSON.stringify(meaning)} was accepted (${error})`);
  }
});

test("each code has the area of its hundreds", async ({ db }) => {
  const { rows } = await db.query<{ code: string; area: string }>(
    "select code, area from telecom_private.error_code where code in ('TC011', 'TC101', 'TC220', 'TC316', 'TC402', 'TC501', 'TC610') order by code",
  );
  assert.equal(
    rows.map(({ code, area }) => `${code} ${area}`),
    [
      "TC011 schema integrity",
      "TC101 reference operations",
      "TC220 logins and identity",
      "TC316 money",
      "TC402 usage",
      "TC501 API limits",
      "TC610 admin management",
    ],
  );
});

test.run();

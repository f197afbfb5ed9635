/**
 * Every PL/pgSQL function passes plpgsql_check (Debian's postgresql-15-plpgsql-check) with no error
 * and no warning, but those written down as accepted inside the function, as a comment line
 * `-- plpgsql_check accepts "<message>": <why>` (docs/dba.md). The schema is built on Debian's
 * PostgreSQL 15 with the sample data. The bulk usage functions work on temporary tables that they or
 * their caller make, which exist only while a load runs: a small load runs in the checking
 * transaction first, so that they are checked against the tables they really use.
 */
import pg from "pg";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { EMBEDDED_PASSWORDS, prepareCluster, withDatabase, type DatabaseUrls } from "../../src/db/cluster.ts";
import { resetDatabase } from "../../src/db/migrations.ts";
import { loadSampleData } from "../../src/db/sample-data.ts";
import { hasDebianExtension, startDebianCluster, type DebianCluster } from "../support/debian-postgres.ts";

const test = suite<{ cluster: DebianCluster; urls: DatabaseUrls; client: pg.Client }>("plpgsql_check");

interface Finding {
  function: string;
  level: string;
  message: string;
  line: number | null;
}

test.before(async (context) => {
  if (!hasDebianExtension("plpgsql_check")) {
    throw new Error("plpgsql_check is not installed: apt-get install postgresql-15 postgresql-15-plpgsql-check (.ci/run does).");
  }
  context.cluster = await startDebianCluster();
  context.urls = await prepareCluster(context.cluster.rootUrl, "telecom_check", EMBEDDED_PASSWORDS);
  await resetDatabase(context.urls);
  await loadSampleData(context.urls.owner);
  context.client = new pg.Client({ connectionString: withDatabase(context.urls.root!, "telecom_check") });
  await context.client.connect();
  await context.client.query("create extension if not exists plpgsql_check");
});

test.after(async ({ cluster, client }) => {
  await client?.end();
  cluster?.stop();
});

/** plpgsql_check's findings for the PL/pgSQL functions of the project's schemas, accepted ones left out. */
async function findings(client: pg.Client, schemas: string[]): Promise<Finding[]> {
  const { rows } = await client.query<Finding>(
    `select function.oid::regprocedure::text as function, finding.level, finding.message, finding.lineno as line
     from pg_catalog.pg_proc as function
     inner join pg_catalog.pg_namespace as namespace on namespace.oid = function.pronamespace
     inner join pg_catalog.pg_language as language on language.oid = function.prolang
     cross join lateral plpgsql_check_function_tb(
       function.oid,
       coalesce((select trigger.tgrelid from pg_catalog.pg_trigger as trigger where trigger.tgfoid = function.oid limit 1), 0)
     ) as finding
     where namespace.nspname = any ($1)
       and language.lanname = 'plpgsql'
       and position(format('-- plpgsql_check accepts "%s"', finding.message) in function.prosrc) = 0
     order by 1, finding.lineno, finding.message`,
    [schemas],
  );
  return rows;
}

/** A load of two events of sample numbers: one in the showcase's allowance, one a post-paid account is charged for beyond its own. */
async function runBulkLoad(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ load: string }>("select telecom_private.begin_usage_load() as load");
  const load = rows[0].load;
  await client.query(
    `insert into pg_temp.usage_load (event_id, mobile_no, kind, quantity, occurred_at) values
       (gen_random_uuid()::text, '01012345678', 'sms', '1', (now() - interval '1 minute')::text),
       (gen_random_uuid()::text, '01123456789', 'voice', '1440', (now() - interval '1 minute')::text)`,
  );
  await client.query("select * from telecom_private.check_usage_load($1, 100)", [load]);
  await client.query("select telecom_private.rate_usage_batch($1)", [load]);
}

test("every PL/pgSQL function passes plpgsql_check, accepted warnings aside", async ({ client }) => {
  await client.query("begin");
  try {
    await runBulkLoad(client);
    const { rows } = await client.query<{ count: number }>(
      `select count(*)::integer as count
       from pg_catalog.pg_proc as function
       inner join pg_catalog.pg_namespace as namespace on namespace.oid = function.pronamespace
       inner join pg_catalog.pg_language as language on language.oid = function.prolang
       where namespace.nspname in ('telecom', 'telecom_private') and language.lanname = 'plpgsql'`,
    );
    assert.ok(rows[0].count >= 50, `only ${rows[0].count} PL/pgSQL functions found`);
    assert.equal(await findings(client, ["telecom", "telecom_private"]), []);
  } finally {
    await client.query("rollback");
  }
});

test("a warning is reported unless the function accepts it in so many words", async ({ client }) => {
  await client.query("begin");
  try {
    await client.query("create schema plpgsql_check_probe");
    await client.query(`create function plpgsql_check_probe.unused() returns integer language plpgsql as $$
      declare v_unused integer;
      begin return 1; end $$`);
    await client.query(`create function plpgsql_check_probe.accepted() returns integer language plpgsql as $$
      -- plpgsql_check accepts "unused variable "v_unused"": a probe of the acceptance.
      declare v_unused integer;
      begin return 1; end $$`);
    assert.equal(await findings(client, ["plpgsql_check_probe"]), [
      { function: "plpgsql_check_probe.unused()", level: "warning", message: 'unused variable "v_unused"', line: 2 },
    ]);
  } finally {
    await client.query("rollback");
  }
});

test.run();

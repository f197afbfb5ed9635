/**
 * The server of TEST_DATABASE_URL (docs/operations.md), which `npm test` uses instead of a throwaway
 * embedded one. The tests take it only when it holds nothing but their own databases and PostgreSQL's
 * defaults, and they change no role they did not create: each role they create carries
 * TEST_ROLE_COMMENT, and a role named like theirs without it is refused. When done they drop their
 * databases and their roles, so the server is left as it was found.
 */
import { withClient } from "../../src/db/client.ts";
import { EMBEDDED_PASSWORDS, prepareCluster, redact, withDatabase, type DatabaseUrls } from "../../src/db/cluster.ts";
import { assertDevelopmentDatabase, DatabaseRefusal } from "../../src/db/database-kind.ts";

export const TEST_DATABASE = "telecom_test";
/**
 * The databases the tests make: theirs, its shadow (prepareCluster's name) and any other a test makes
 * for itself, all named telecom_test or telecom_test_…
 */
const TEST_DATABASES = `datname = '${TEST_DATABASE}' or datname like '${TEST_DATABASE}\\_%'`;
/** What a server has before anyone uses it. */
const DEFAULT_DATABASES = ["postgres", "template0", "template1"];
/** The comment on every role the tests create: only such a role may they change or drop. */
export const TEST_ROLE_COMMENT = "Created by the Telecom tests (npm test): they may change or drop it.";

/** Roles named like the project's (telecom_…), and whether the tests created them. */
const ROLES = `
  select role.rolname as name, coalesce(pg_catalog.shobj_description(role.oid, 'pg_authid'), '') = $1 as ours
  from pg_catalog.pg_roles as role
  where role.rolname like 'telecom\\_%'
  order by role.rolname`;

export interface TestServer {
  urls: DatabaseUrls;
  /** Marks the roles the schema's build has just created (afterReset.sql's API roles) as the tests'. */
  markRoles(): Promise<void>;
  /** Drops the tests' databases and roles. */
  release(): Promise<void>;
}

/** Marks every telecom_… role not yet marked: called only when each of them is known to be the tests'. */
async function markRoles(rootUrl: string): Promise<void> {
  await withClient(rootUrl, async (client) => {
    const { rows } = await client.query<{ name: string; ours: boolean }>(ROLES, [TEST_ROLE_COMMENT]);
    for (const { name } of rows.filter((role) => !role.ours)) {
      await client.query(`comment on role ${client.escapeIdentifier(name)} is ${client.escapeLiteral(TEST_ROLE_COMMENT)}`);
    }
  });
}

/**
 * Refuses (DatabaseRefusal, before any change) a server with other databases, with telecom_… roles
 * the tests did not create, or whose test database is not a development one; otherwise creates or resets the login roles with the development
 * passwords, marks them, and returns the connection strings of the test database.
 */
export async function claimTestServer(rootUrl: string): Promise<TestServer> {
  const where = `TEST_DATABASE_URL's server (${redact(rootUrl)})`;
  await withClient(rootUrl, async (client) => {
    const { rows: databases } = await client.query<{ datname: string }>(
      `select datname from pg_catalog.pg_database where datname <> all ($1) and not (${TEST_DATABASES}) order by datname`,
      [DEFAULT_DATABASES],
    );
    if (databases.length > 0) {
      throw new DatabaseRefusal(
        `Refusing ${where}: it holds databases the tests did not create (${databases.map((row) => row.datname).join(", ")}). ` +
          `The tests drop and rebuild databases, so they run only on a server of their own, holding nothing but ` +
          `${DEFAULT_DATABASES.join(", ")} and their own (${TEST_DATABASE}, ${TEST_DATABASE}_…). Nothing was changed.`,
      );
    }
    const { rows: roles } = await client.query<{ name: string; ours: boolean }>(ROLES, [TEST_ROLE_COMMENT]);
    const others = roles.filter((role) => !role.ours).map((role) => role.name);
    if (others.length > 0) {
      throw new DatabaseRefusal(
        `Refusing ${where}: it has roles the tests did not create (${others.join(", ")}), which they would change ` +
          `(passwords, memberships). They change only roles they created, which carry the comment "${TEST_ROLE_COMMENT}" ` +
          "(if an interrupted test run left these, drop them). Nothing was changed.",
      );
    }
  });
  // A test database left by an earlier run is rebuilt, and dropped at the end: only a development one.
  await assertDevelopmentDatabase(withDatabase(rootUrl, TEST_DATABASE), "drop and recreate");
  const urls = await prepareCluster(rootUrl, TEST_DATABASE, EMBEDDED_PASSWORDS);
  await markRoles(rootUrl);
  return {
    urls,
    markRoles: () => markRoles(rootUrl),
    release: () =>
      withClient(rootUrl, async (client) => {
        const { rows: databases } = await client.query<{ datname: string }>(
          `select datname from pg_catalog.pg_database where ${TEST_DATABASES}`,
        );
        for (const { datname } of databases) await client.query(`drop database ${client.escapeIdentifier(datname)} with (force)`);
        const { rows } = await client.query<{ name: string; ours: boolean }>(ROLES, [TEST_ROLE_COMMENT]);
        for (const { name } of rows.filter((role) => role.ours)) await client.query(`drop role ${client.escapeIdentifier(name)}`);
      }),
  };
}

/**
 * `npm test` with TEST_DATABASE_URL (api/test/support/test-server.ts), run as a child process against
 * a throwaway embedded cluster standing for a shared server. It refuses a server that holds someone
 * else's database, a role it did not create, or a test database left as a production one, and changes
 * nothing there; on a server of its own it runs the tests and leaves the server as it found it.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { withClient } from "../../src/db/client.ts";
import { withCredentials, withDatabase } from "../../src/db/cluster.ts";
import { recordedKind } from "../../src/db/database-kind.ts";
import { buildDatabase, hasStackTrace, runScript, startScratchServer, type ScratchServer } from "../support/commands.ts";
import { claimTestServer, TEST_DATABASE, TEST_ROLE_COMMENT } from "../support/test-server.ts";

const test = suite<{ server: ScratchServer }>("npm test on a server of TEST_DATABASE_URL");

/** The server's databases, and its roles named like the project's with their comments. */
async function serverState(rootUrl: string): Promise<{ databases: string[]; roles: string[] }> {
  return withClient(rootUrl, async (client) => {
    const { rows: databases } = await client.query<{ datname: string }>("select datname from pg_database order by datname");
    const { rows: roles } = await client.query<{ role: string }>(
      `select rolname || ': ' || coalesce(shobj_description(oid, 'pg_authid'), '(no comment)') as role
       from pg_roles where rolname like 'telecom\\_%' order by rolname`,
    );
    return { databases: databases.map((row) => row.datname), roles: roles.map((row) => row.role) };
  });
}

/** `npm test -- schema/smoke` (one small file) on the scratch server. */
const runTests = ({ server }: { server: ScratchServer }) => runScript("test", ["schema/smoke"], { TEST_DATABASE_URL: server.rootUrl });

const serverName = /TEST_DATABASE_URL's server \(postgres:\/\/postgres:\*\*\*@localhost:\d+\/postgres\)/;

test.before(async (context) => {
  context.server = await startScratchServer();
  // As a DBA hands out a server: PostgreSQL's own databases and roles alone.
  await withClient(context.server.rootUrl, (client) => client.query("drop role telecom_owner, telecom_authenticator"));
  assert.equal(await serverState(context.server.rootUrl), { databases: ["postgres", "template0", "template1"], roles: [] });
});

test.after(async ({ server }) => {
  await server?.stop();
});

test("a server that holds another database is refused, and nothing on it changes", async (context) => {
  const { rootUrl } = context.server;
  await withClient(rootUrl, (client) => client.query("create database billing"));
  try {
    const before = await serverState(rootUrl);
    const run = await runTests(context);
    assert.is(run.code, 1);
    assert.match(run.output, serverName);
    assert.match(run.output, "it holds databases the tests did not create (billing). ");
    assert.match(run.output, "Nothing was changed.\n0 passed, 1 failed\n");
    assert.not.ok(hasStackTrace(run.output), run.output);
    assert.equal(await serverState(rootUrl), before);
  } finally {
    await withClient(rootUrl, (client) => client.query("drop database billing"));
  }
});

test("a role the tests did not create is refused, and keeps its password", async (context) => {
  const { rootUrl } = context.server;
  await withClient(rootUrl, (client) => client.query("create role telecom_owner login password 'their-own-secret'"));
  try {
    const before = await serverState(rootUrl);
    const run = await runTests(context);
    assert.is(run.code, 1);
    assert.match(run.output, serverName);
    assert.match(run.output, "it has roles the tests did not create (telecom_owner), which they would change");
    assert.not.ok(hasStackTrace(run.output), run.output);
    assert.equal(await serverState(rootUrl), before);
    const theirs = withCredentials(rootUrl, "telecom_owner", "their-own-secret");
    const { rows } = await withClient(theirs, (client) => client.query("select current_user as login"));
    assert.equal(rows, [{ login: "telecom_owner" }]);
  } finally {
    await withClient(rootUrl, (client) => client.query("drop role telecom_owner"));
  }
});

test("on a server of their own the tests run, then drop their databases (any telecom_test_…) and roles", async (context) => {
  const { rootUrl } = context.server;
  const before = await serverState(rootUrl);
  // What a test that makes a database of its own leaves when it is killed.
  await withClient(rootUrl, (client) => client.query("create database telecom_test_left_behind"));
  const run = await runTests(context);
  assert.is(run.code, 0, run.output);
  assert.match(run.output, /\n\d+ passed, 0 failed\n$/);
  assert.equal(await serverState(rootUrl), before);
});

test("a test database left as a production one is refused and kept, with the roles the tests marked", async (context) => {
  const { rootUrl } = context.server;
  // What an earlier run leaves when it is killed: its roles, marked, and its database (here, made a production one).
  const earlier = await claimTestServer(rootUrl);
  try {
    await buildDatabase(earlier.urls, "production");
    await earlier.markRoles();
    const before = await serverState(rootUrl);
    assert.ok(before.databases.includes(TEST_DATABASE));
    assert.ok(before.roles.length >= 7, before.roles.join("\n"));
    for (const role of before.roles) assert.match(role, `: ${TEST_ROLE_COMMENT}`);
    const run = await runTests(context);
    assert.is(run.code, 1);
    assert.match(
      run.output,
      /Refusing to drop and recreate database "telecom_test" \(postgres:\/\/postgres:\*\*\*@localhost:\d+\/telecom_test\): it is a production database/,
    );
    assert.not.ok(hasStackTrace(run.output), run.output);
    assert.equal(await serverState(rootUrl), before);
    assert.is(await recordedKind(withDatabase(rootUrl, TEST_DATABASE)), "production");
  } finally {
    await earlier.release();
  }
  assert.equal(await serverState(rootUrl), { databases: ["postgres", "template0", "template1"], roles: [] });
});

test.run();

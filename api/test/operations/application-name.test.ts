/**
 * Every component connects with its own application_name (docs/observability.md): in
 * pg_stat_activity the API server's connections (its login and the owner's) say `api`, those of
 * `npm run maintenance` say `maintenance`, and the tests' own say `test`.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startScript, testDatabaseEnv, type RunningCommand } from "../support/commands.ts";
import { getRootPool } from "../support/database.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const test = suite<{ server: TestServer; maintenance: RunningCommand }>("application_name", {} as never);

test.before(async (context) => {
  context.server = await startTestServer();
  context.maintenance = startScript("maintenance", ["--every", "3600"], testDatabaseEnv());
});

test.after(async ({ server, maintenance }) => {
  await server?.close();
  maintenance?.child.kill("SIGTERM");
  await maintenance?.exited;
});

/** The (application_name, role) pairs connected to the test database now, of the given applications. */
async function connected(applications: string[]): Promise<string[]> {
  const { rows } = await getRootPool().query(
    `select distinct application_name || ' as ' || usename as who
     from pg_catalog.pg_stat_activity
     where datname = current_database() and application_name = any($1)
     order by 1`,
    [applications],
  );
  return rows.map((row) => row.who);
}

test("the API server's connections say api, the maintenance command's maintenance, the tests' test", async ({ server, maintenance }) => {
  // The command's first tick runs at once; its connection stays open, idle, for a while after it.
  await maintenance.line(/^Maintenance every 3600 s on /);
  for (let attempt = 0; attempt < 300 && (await connected(["maintenance"])).length === 0; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // A GraphQL request uses the API's login, /health its owner connection too.
  assert.is((await server.graphql("{ servicePlans { totalCount } }")).status, 200);
  assert.is((await fetch(`${server.url}/health`)).status, 200);
  assert.equal(await connected(["api", "maintenance"]), [
    "api as telecom_authenticator",
    "api as telecom_owner",
    "maintenance as telecom_owner",
  ]);
  const { rows } = await getRootPool().query("select application_name from pg_catalog.pg_stat_activity where pid = pg_backend_pid()");
  assert.equal(rows, [{ application_name: "test" }]);
});

test.run();

/**
 * A DATABASE_URL the commands cannot use is a message that says what to do, exit code 1 and no stack
 * trace: a superuser's login (api/src/db/cluster.ts, refuseSuperuserOwner), and, without
 * ROOT_DATABASE_URL to create it, a database that does not exist. Run as child processes on the test
 * server; neither changes anything there.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { redact, withDatabase } from "../../src/db/cluster.ts";
import { hasStackTrace, runScript } from "../support/commands.ts";
import { getRootPool, ownerUrl, superuserUrl } from "../support/database.ts";

const test = suite("a DATABASE_URL the commands cannot use");

test("a superuser's is refused with the way to set up the owner, also when its database does not exist yet", async () => {
  for (const url of [superuserUrl(), withDatabase(superuserUrl(), "telecom_not_there")]) {
    const run = await runScript("db:migrate", [], { DATABASE_URL: url });
    assert.is(run.code, 1);
    assert.match(run.output, /^DATABASE_URL logs in as postgres, a superuser\. /);
    assert.match(run.output, "and give the superuser as ROOT_DATABASE_URL");
    assert.not.ok(hasStackTrace(run.output), run.output);
  }
});

test("one that names a database that does not exist, without ROOT_DATABASE_URL, says how to make it", async () => {
  const url = withDatabase(ownerUrl(), "telecom_not_there");
  for (const script of ["db:migrate", "db:clear"]) {
    const run = await runScript(script, script === "db:clear" ? ["--yes"] : [], { DATABASE_URL: url });
    assert.is(run.code, 1);
    assert.is(
      run.output,
      `DATABASE_URL names database "telecom_not_there" (${redact(url)}), which does not exist on that server.\n` +
        "Give a superuser as ROOT_DATABASE_URL and the commands create it, or have a superuser create it owned by telecom_owner\n" +
        'and set it up with migrations/afterReset.sql (docs/production.md, "A server without a superuser for the commands").\n',
    );
  }
  const { rows } = await getRootPool().query("select datname from pg_database where datname = 'telecom_not_there'");
  assert.equal(rows, []);
});

test.run();

/**
 * A production database (docs/production.md), on a throwaway embedded cluster standing for the
 * production server, with the commands run as child processes. `NODE_ENV=production` makes a new
 * database without the sample data or its demo logins, from db:migrate and from npm start alike;
 * db:reset, db:clear, db:seed and db:watch refuse a production database with a message that names
 * it, exit with 1 and change no row.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { withClient } from "../../src/db/client.ts";
import { freePort, redact, type DatabaseUrls } from "../../src/db/cluster.ts";
import { runSqlFile, sampleDataFile } from "../../src/db/sample-data.ts";
import {
  buildDatabase,
  hasStackTrace,
  runScript,
  runUntil,
  scriptCommand,
  startScratchServer,
  type ScratchServer,
} from "../support/commands.ts";
import { tableContents } from "../support/table-contents.ts";

interface Context {
  server: ScratchServer;
  production: DatabaseUrls;
  contents: Record<string, string>;
}

const test = suite<Context>("a production database and the commands");

/** The commands' settings for the database `urls` names (the superuser is given, as on a first install). */
const settingsFor = (urls: DatabaseUrls, more: Record<string, string> = {}) => ({
  DATABASE_URL: urls.owner,
  ROOT_DATABASE_URL: urls.root!,
  ...more,
});

/** What the sample data would have put there: people, numbers and the demo logins. */
async function sampleRows(url: string): Promise<Record<string, number>> {
  const { rows } = await withClient(url, (client) =>
    client.query(
      `select
         (select count(*)::int from telecom.customer_profile) as customers,
         (select count(*)::int from telecom.customer_account) as accounts,
         (select count(*)::int from telecom_private.customer_credential) as customer_logins,
         (select count(*)::int from telecom_private.admin_user) as admins`,
    ),
  );
  return rows[0];
}

const EMPTY = { customers: 0, accounts: 0, customer_logins: 0, admins: 0 };

test.before(async (context) => {
  context.server = await startScratchServer();
  context.production = context.server.urlsFor("telecom_prod");
  await buildDatabase(context.production, "production");
  // A production database with customers in it: the data the refusals must leave alone.
  await runSqlFile(context.production.owner, sampleDataFile);
  context.contents = await withClient(context.production.owner, tableContents);
  assert.ok(Number(context.contents["telecom.payment"].split(" ")[0]) > 10);
});

test.after(async ({ server }) => {
  await server?.stop();
});

const refusals: [script: string, args: string[], action: string][] = [
  ["db:reset", [], "drop and recreate"],
  ["db:clear", ["--yes"], "empty"],
  ["db:seed", [], "load the sample data and its demo logins into"],
  ["db:seed", ["--customers", "10"], "add synthetic customers to"],
  ["db:watch", [], "apply the work-in-progress migration (migrations/current/) to"],
];

for (const [script, args, action] of refusals) {
  test(`npm run ${[script, ...args].join(" ")} refuses it, names it and changes no row`, async ({ production, contents }) => {
    // Were db:watch not refused, it would watch until stopped: its first line of work stops it.
    const run = await runUntil(scriptCommand(script, args), settingsFor(production), /graphile-migrate|Watching/);
    assert.is(run.code, 1, run.output);
    const name = `database "telecom_prod" (${redact(production.owner)})`;
    assert.match(
      run.output,
      `Refusing to ${action} ${name}: it is a production database (recorded when it was created). Nothing was changed.\n`,
    );
    assert.not.ok(hasStackTrace(run.output), run.output);
    assert.equal(await withClient(production.owner, tableContents), contents);
  });
}

test("NODE_ENV=production npm run db:reset is refused before anything, even with no database yet", async ({ server }) => {
  const urls = server.urlsFor("telecom_not_yet");
  const run = await runScript("db:reset", [], settingsFor(urls, { NODE_ENV: "production" }));
  assert.is(run.code, 1);
  assert.match(
    run.output,
    "db:reset builds a development database (sample data, demo logins) and refuses NODE_ENV=production. Nothing was changed.",
  );
  assert.not.ok(hasStackTrace(run.output), run.output);
  const { rows } = await withClient(server.rootUrl, (client) =>
    client.query("select datname from pg_database where datname = 'telecom_not_yet'"),
  );
  assert.equal(rows, []);
});

test("NODE_ENV=production npm run db:migrate creates a database without the sample data or demo logins", async ({ server }) => {
  const urls = server.urlsFor("telecom_migrated");
  const run = await runScript("db:migrate", [], settingsFor(urls, { NODE_ENV: "production" }));
  assert.is(run.code, 0, run.output);
  assert.match(
    run.output,
    "Production database created and migrated, without sample data or demo logins. Its first admin: npm run admin:create\n",
  );
  assert.equal(await sampleRows(urls.owner), EMPTY);
});

test("NODE_ENV=production npm start leaves a new database empty and says how to make the first admin", async ({ server }) => {
  const urls = server.urlsFor("telecom_started");
  const run = await runUntil(
    scriptCommand("start"),
    settingsFor(urls, {
      NODE_ENV: "production",
      JWT_SECRET: "a-test-secret-of-at-least-32-bytes-long",
      PAYMENT_WEBHOOK_SECRET: "a-test-webhook-secret",
      SMS_SENDER: "console",
      WEB_CONCURRENCY: "1",
      HOST: "127.0.0.1",
      PORT: String(await freePort()),
    }),
    /Press Ctrl-C to stop/,
  );
  assert.is(run.code, 0, run.output);
  assert.match(run.output, "Leaving the new production database empty (no sample data, no demo logins)…\n");
  assert.match(run.output, "No admin yet: create the first one with `npm run admin:create` (docs/production.md).\n");
  assert.not.match(run.output, "Demo logins");
  assert.equal(await sampleRows(urls.owner), EMPTY);
});

test.run();

/**
 * What the embedded cluster records for the operator (docs/observability.md), on a cluster of its own
 * whose log this test reads: each log line names the application and the SQLSTATE, so a business
 * refusal shows its TCnnn code; pg_stat_statements counts the statements, the functions' own
 * included; auto_explain logs the plan of a statement slower than its threshold.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { withClient } from "../../src/db/client.ts";
import { freePort, OBSERVABILITY_SETTINGS, startEmbedded, withDatabase, type Database } from "../../src/db/cluster.ts";
import { resetDatabase } from "../../src/db/migrations.ts";
import { startServer, type RunningServer } from "../../src/server/app.ts";
import { signToken } from "../../src/server/jwt.ts";

interface Context {
  dir: string;
  db: Database;
  server: RunningServer;
  /** The server's log, line by line. */
  log: string[];
  superuserUrl: string;
}

const test = suite<Context>("observability of the embedded cluster", {} as Context);
const SECRET = "observability-test-secret";

test.before(async (context) => {
  context.dir = fs.mkdtempSync(path.join(os.tmpdir(), "telecom-observability-"));
  context.log = [];
  context.db = await startEmbedded({
    dataDir: context.dir,
    port: await freePort(),
    databaseName: "telecom_observed",
    application: "test",
    log: (text) => context.log.push(...text.split("\n")),
  });
  await resetDatabase(context.db.urls);
  context.superuserUrl = withDatabase(context.db.urls.root!, "telecom_observed");
  await withClient(context.db.urls.owner, (owner) =>
    owner.query("insert into telecom_private.admin_user (admin_id, username, password_hash) values (1, 'observed-admin', '')"),
  );
  context.server = await startServer({
    port: 0,
    urls: context.db.urls,
    jwtSecret: SECRET,
    paymentWebhookSecret: SECRET,
    maintenance: false,
    smsGateway: null,
    webRoot: null,
    production: false,
  });
});

test.after(async ({ server, db, dir }) => {
  await server?.close();
  await db?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test("the server preloads pg_stat_statements and auto_explain with the documented settings", async ({ superuserUrl }) => {
  const settings = await withClient(superuserUrl, async (client) => {
    const names = Object.keys(OBSERVABILITY_SETTINGS);
    const { rows } = await client.query("select name, current_setting(name) as value from unnest($1::text[]) as name", [names]);
    return Object.fromEntries(rows.map((row) => [row.name, row.value]));
  });
  assert.equal(settings, OBSERVABILITY_SETTINGS);
});

test("a refusal through the API is logged with the API's name and its TCnnn code", async ({ server, log }) => {
  const token = signToken(SECRET, { role: "telecom_admin", admin_id: 1 });
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: `mutation { transferToMobile(input: { toMobileNo: "01012345678", amount: "5" }) { clientMutationId } }`,
    }),
  });
  const body = await response.json();
  assert.equal(
    body.errors.map((error: { extensions: { code: string } }) => error.extensions.code),
    ["TC310"],
  );
  const refusals = log.filter((line) => / api TC310 ERROR: {2}/.test(line));
  assert.is(refusals.length, 1, log.join("\n"));
});

test("pg_stat_statements counts the API's call and the statements inside the function", async ({ superuserUrl }) => {
  const { rows } = await withClient(superuserUrl, (client) =>
    client.query<{ query: string }>(
      "select query from public.pg_stat_statements where query ilike '%transfer_to_mobile%' or query ilike '%refuse_transfer%'",
    ),
  );
  assert.ok(
    rows.some((row) => /telecom\.transfer_to_mobile\(/.test(row.query)),
    rows.map((row) => row.query).join("\n"),
  );
});

test("auto_explain logs the plan of a statement over its threshold, with the application's name", async ({ superuserUrl, log }) => {
  await withClient(superuserUrl, async (client) => {
    // The threshold is a second; zero makes every statement slow enough, with no waiting.
    await client.query("set auto_explain.log_min_duration = 0");
    await client.query("select count(*) as plans from telecom.service_plan");
  });
  const at = log.findIndex((line) => /Query Text: select count\(\*\) as plans from telecom\.service_plan/.test(line));
  assert.ok(at > 0, log.join("\n"));
  assert.match(log[at - 1], / test 00000 LOG: {2}duration: [\d.]+ ms {2}plan:$/);
  assert.match(log.slice(at).join("\n"), /Seq Scan on service_plan/);
});

test.run();

/**
 * Live updates over WebSocket (docs/usage.md "Live", docs/security.md): a customer's socket receives their own events
 * and never another person's; the token of the connection parameters is verified like a request's
 * and the socket closes when it expires; over the socket, production serves only trusted documents
 * to everyone but admins. The events are committed (the server LISTENs), so the people are committed
 * too, and removed afterwards.
 */
import assert from "node:assert/strict";
import { createClient, type Client, type FormattedExecutionResult } from "graphql-ws";
import { suite } from "uvu";
import WebSocket from "ws";
import { getRootPool } from "../support/database.ts";
import { Builder, sql } from "../support/builder.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const data = new Builder();
const ANN = await data.customerIds();
const BOB = await data.customerIds();

const MY_UPDATES = "subscription { myLiveUpdates { change mobileNo threshold } }";
const ADMIN_USAGE = "subscription { adminLiveUsage { mobileNo kind outcome charged } }";

interface Context {
  server: TestServer;
  production: TestServer;
  clients: Client[];
}

const test = suite<Context>("server: live updates over WebSocket");

test.before(async (context) => {
  for (const person of [ANN, BOB]) await data.customer({ ...person, account: { balance: 20, start_date: sql("current_date - 60") } });
  context.server = await startTestServer();
  context.production = await startTestServer({ production: true, trustedDocumentsFile: null });
  context.clients = [];
});

test.after.each((context) => {
  for (const client of context.clients.splice(0)) void client.dispose();
});

test.after(async ({ server, production }) => {
  await server?.close();
  await production?.close();
  await data.remove();
});

const customerToken = (server: TestServer, person: typeof ANN, expiresIn: Parameters<TestServer["tokenFor"]>[1] = "1h") =>
  server.tokenFor({ role: "telecom_customer", mobile_no: person.mobile_no, national_id: person.national_id }, expiresIn);

interface Closed {
  code: number;
  reason: string;
}

/** A graphql-ws client on the server's /graphql with the token in its connection parameters. */
function connect(context: Context, server: TestServer, token: string | null): { client: Client; closed: Promise<Closed> } {
  let onClosed!: (closed: Closed) => void;
  const closed = new Promise<Closed>((resolve) => (onClosed = resolve));
  const client = createClient({
    url: `${server.url.replace(/^http/, "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { Authorization: `Bearer ${token}` } : {},
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => {},
    on: { closed: (event) => onClosed({ code: (event as CloseEvent).code, reason: String((event as CloseEvent).reason) }) },
  });
  context.clients.push(client);
  return { client, closed };
}

/** Subscribes and collects every result until the test ends; a refused operation's errors count as one. */
type Result = FormattedExecutionResult<Record<string, any>, unknown>;

function collect(client: Client, query: string): { results: Result[]; done: Promise<void> } {
  const results: Result[] = [];
  const done = new Promise<void>((resolve) => {
    client.subscribe<Record<string, any>, unknown>(
      { query },
      {
        next: (result) => void results.push(result),
        error: (error) => {
          if (Array.isArray(error)) results.push({ errors: error });
          resolve();
        },
        complete: () => resolve(),
      },
    );
  });
  return { results, done };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await sleep(20);
  }
}

/** record_usage as a trusted session (the superuser), committed at once. */
async function recordUsage(person: typeof ANN): Promise<void> {
  await getRootPool().query("select telecom.record_usage($1, $2, 'sms', 1, now() - interval '1 minute')", [
    crypto.randomUUID(),
    person.mobile_no,
  ]);
}

test("a customer receives their own events and never another person's", async (context) => {
  const ann = collect(connect(context, context.server, customerToken(context.server, ANN)).client, MY_UPDATES);
  const bob = collect(connect(context, context.server, customerToken(context.server, BOB)).client, MY_UPDATES);
  // LISTEN is set up when the subscription starts: give it a moment.
  await sleep(500);
  const started = Date.now();
  await recordUsage(ANN);
  await until(() => ann.results.some((r) => (r.data as any)?.myLiveUpdates?.change === "USAGE"));
  assert.ok(Date.now() - started < 1_000, "within a second");
  for (const result of ann.results) {
    assert.equal(result.errors, undefined);
    assert.equal((result.data as any).myLiveUpdates.mobileNo, ANN.mobile_no);
  }
  await sleep(300);
  assert.equal(bob.results.length, 0, "Bob hears nothing of Ann's usage");
  await recordUsage(BOB);
  await until(() => bob.results.some((r) => (r.data as any)?.myLiveUpdates?.change === "USAGE"));
  assert.ok(bob.results.every((r) => (r.data as any)?.myLiveUpdates?.mobileNo === BOB.mobile_no));
  assert.ok(
    ann.results.every((r) => (r.data as any)?.myLiveUpdates?.mobileNo === ANN.mobile_no),
    "Ann hears nothing of Bob's",
  );
});

test("a subscription outlives the execution limit of an operation (2 × the statement timeout)", async (context) => {
  // A statement timeout of 250 ms makes the execution limit 0.5 s; the subscription must still deliver after it.
  const server = await startTestServer({ statementTimeoutMs: 250 });
  try {
    const ann = collect(connect(context, server, customerToken(server, ANN)).client, MY_UPDATES);
    await sleep(1_000);
    await recordUsage(ANN);
    await until(() => ann.results.some((r) => (r.data as any)?.myLiveUpdates?.change === "USAGE"));
    for (const result of ann.results) assert.equal(result.errors, undefined);
  } finally {
    for (const client of context.clients.splice(0)) await client.dispose();
    await server.close();
  }
});

test("the admin's live usage is for admins: a customer is refused (TC511), an admin gets every event", async (context) => {
  const customer = collect(connect(context, context.server, customerToken(context.server, ANN)).client, ADMIN_USAGE);
  await until(() => customer.results.length > 0);
  assert.equal((customer.results[0].errors?.[0] as any)?.extensions?.code, "TC511");
  const adminToken = context.server.adminToken();
  const admin = collect(connect(context, context.server, adminToken).client, ADMIN_USAGE);
  const mine = collect(connect(context, context.server, adminToken).client, MY_UPDATES);
  await sleep(500);
  await recordUsage(BOB);
  await until(() => admin.results.some((r) => (r.data as any)?.adminLiveUsage?.mobileNo === BOB.mobile_no));
  const event = admin.results.find((r) => (r.data as any)?.adminLiveUsage)?.data as any;
  assert.equal(event.adminLiveUsage.kind, "sms");
  assert.ok(["in_allowance", "charged", "refused"].includes(event.adminLiveUsage.outcome));
  await until(() => mine.results.length > 0);
  assert.equal((mine.results[0].errors?.[0] as any)?.extensions?.code, "TC511", "an admin has no person of their own");
});

test("a socket without a valid token is closed (4401); a verified one closes when its token expires", async (context) => {
  const none = connect(context, context.server, null);
  assert.deepEqual(await none.closed.then(({ code, reason }) => [code, reason.slice(0, 5)]), [4401, "TC201"]);
  const forged = connect(context, context.server, customerToken(context.server, ANN).replace(/.$/, "x"));
  assert.equal((await forged.closed).code, 4401);
  const expired = connect(context, context.server, customerToken(context.server, ANN, -10));
  assert.deepEqual(await expired.closed.then(({ code, reason }) => [code, reason.slice(0, 5)]), [4401, "TC202"]);

  const shortLived = connect(context, context.server, customerToken(context.server, ANN, 2));
  const updates = collect(shortLived.client, MY_UPDATES);
  await sleep(500);
  await recordUsage(ANN);
  await until(() => updates.results.length > 0);
  const started = Date.now();
  const { code, reason } = await shortLived.closed;
  assert.equal(code, 4401);
  assert.match(reason, /^TC202/);
  assert.ok(Date.now() - started < 3_000);
});

test("production: over the socket a customer runs only trusted documents (TC501), an admin any", async (context) => {
  const { production } = context;
  const customer = collect(connect(context, production, customerToken(production, ANN)).client, MY_UPDATES);
  await until(() => customer.results.length > 0);
  assert.equal((customer.results[0].errors?.[0] as any)?.extensions?.code, "TC501");
  const query = collect(connect(context, production, customerToken(production, ANN)).client, "{ __typename }");
  await until(() => query.results.length > 0);
  assert.equal((query.results[0].errors?.[0] as any)?.extensions?.code, "TC501");
  const admin = collect(connect(context, production, production.adminToken()).client, "{ __typename }");
  await until(() => admin.results.length > 0);
  assert.deepEqual(admin.results[0], { data: { __typename: "Query" } });
});

test("the document bounds apply over the socket", async (context) => {
  const adminToken = context.server.adminToken();
  const aliases = Array.from({ length: 60 }, (_, i) => `a${i}: __typename`).join(" ");
  const result = collect(connect(context, context.server, adminToken).client, `{ ${aliases} }`);
  await until(() => result.results.length > 0);
  assert.equal((result.results[0].errors?.[0] as any)?.extensions?.code, "TC504");
});

test.run();

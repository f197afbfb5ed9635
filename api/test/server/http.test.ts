/**
 * The API over real HTTP (docs/api.md): the generated schema, tokens, error reporting, the web
 * app's files. Two probe functions (created here, dropped at the end) make a token and raise an
 * error exactly as the login and operation functions do, so these tests do not depend on them.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startServer } from "../../src/server/app.ts";
import { Builder } from "../support/builder.ts";
import { getRootPool } from "../support/database.ts";
import { startTestServer, TEST_JWT_SECRET, type TestServer } from "../support/server.ts";

const test = suite<{ server: TestServer }>("http", {} as { server: TestServer });
const data = new Builder();

const PROBES = `
  create function telecom.server_test_token(role text, mobile_no text, national_id integer, admin_id integer) returns telecom.jwt_token
    language sql
    stable
  as $$
    select role, extract(epoch from now() + interval '1 hour')::bigint, mobile_no, national_id, admin_id, null::text
  $$;
  create function telecom.server_test_raise(message text, errcode text) returns boolean
    language plpgsql
    stable
  as $$
  begin
    raise exception using message = server_test_raise.message, errcode = server_test_raise.errcode;
  end;
  $$;
  create function telecom.server_test_sleep(seconds double precision) returns boolean
    language sql
    stable
  as $$
    select true from pg_sleep(seconds)
  $$;
  grant execute on function telecom.server_test_sleep(double precision) to telecom_anonymous;
  grant execute on function telecom.server_test_token(text, text, integer, integer) to telecom_anonymous;
  grant execute on function telecom.server_test_raise(text, text) to telecom_anonymous;
`;
const DROP_PROBES = `
  drop function if exists telecom.server_test_token(text, text, integer, integer);
  drop function if exists telecom.server_test_raise(text, text);
  drop function if exists telecom.server_test_sleep(double precision);
`;

test.before(async (context) => {
  await getRootPool().query(DROP_PROBES + PROBES);
  context.server = await startTestServer();
});

test.after(async (context) => {
  await context.server?.close();
  await getRootPool().query(DROP_PROBES);
  await data.remove();
});

test("the server does not start when it cannot build the schema", async () => {
  try {
    await startServer({
      port: 0,
      urls: { owner: "postgres://127.0.0.1:1/none", authenticator: "postgres://nobody:x@127.0.0.1:1/none" },
      jwtSecret: TEST_JWT_SECRET,
      webRoot: null,
    });
    assert.unreachable("the server started");
  } catch (error) {
    assert.match((error as Error).message, /ECONNREFUSED/);
  }
});

test("anonymous introspection shows the telecom types with simplified names", async ({ server }) => {
  const { status, body } = await server.graphql(`{
    plan: __type(name: "ServicePlan") { fields { name } }
    planSubscription: __type(name: "PlanSubscription") { kind }
    subscription: __type(name: "Subscription") { kind }
    schema: __schema { subscriptionType { name } }
  }`);
  assert.is(status, 200);
  assert.is(body.errors, undefined);
  const fields = body.data!.plan.fields.map((field: { name: string }) => field.name);
  for (const name of ["planId", "name", "price", "smsOffered", "minutesOffered", "dataOffered"]) assert.ok(fields.includes(name), name);
  // The table telecom.subscription is PlanSubscription in GraphQL (`@name plan_subscription`), which
  // leaves the name Subscription to the root type of GraphQL subscriptions (the live updates).
  assert.equal(body.data!.planSubscription, { kind: "OBJECT" });
  assert.equal(body.data!.subscription, { kind: "OBJECT" });
  assert.equal(body.data!.schema.subscriptionType, { name: "Subscription" });
});

test("no token: the request runs as telecom_anonymous with no claims", async ({ server }) => {
  const { body } = await server.graphql("{ currentMobileNo currentNationalId currentRoleIsAdmin }");
  assert.equal(body, { data: { currentMobileNo: null, currentNationalId: null, currentRoleIsAdmin: false } });
});

test("a customer token sets the role and the claims of the transaction", async ({ server }) => {
  const token = server.tokenFor({ role: "telecom_customer", mobile_no: "01012345678", national_id: 1001 });
  const { body } = await server.graphql("{ currentMobileNo currentNationalId currentRoleIsAdmin }", {}, token);
  assert.equal(body, { data: { currentMobileNo: "01012345678", currentNationalId: 1001, currentRoleIsAdmin: false } });
});

test("an admin token makes the request an admin's", async ({ server }) => {
  const token = server.adminToken();
  const { body } = await server.graphql("{ currentMobileNo currentRoleIsAdmin }", {}, token);
  assert.equal(body, { data: { currentMobileNo: null, currentRoleIsAdmin: true } });
});

test("a function returning telecom.jwt_token gives a signed token that the server accepts", async ({ server }) => {
  const { body } = await server.graphql(
    `query ($role: String!) { serverTestToken(role: $role, mobileNo: "01099999999", nationalId: 4242) }`,
    { role: "telecom_customer" },
  );
  const token = body.data!.serverTestToken as string;
  assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  const claims = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());
  assert.is(claims.aud, "postgraphile");
  assert.is(claims.iss, "postgraphile");
  const me = await server.graphql("{ currentMobileNo currentNationalId }", {}, token);
  assert.equal(me.body, { data: { currentMobileNo: "01099999999", currentNationalId: 4242 } });
});

test("authenticateAdmin returns a token (jwtToken) that makes later requests an admin's", async ({ server }) => {
  const { username, password } = await data.admin("server-test-password");
  const login = `mutation ($username: String!, $password: String!) {
    authenticateAdmin(input: { username: $username, password: $password }) { jwtToken }
  }`;
  const wrong = await server.graphql(login, { username, password: "not-the-password" });
  assert.equal(wrong.body, { data: { authenticateAdmin: { jwtToken: null } } });
  const { body } = await server.graphql(login, { username, password });
  const token = body.data!.authenticateAdmin.jwtToken as string;
  const me = await server.graphql("{ currentRoleIsAdmin currentMobileNo }", {}, token);
  assert.equal(me.body, { data: { currentRoleIsAdmin: true, currentMobileNo: null } });
});

test("a signed token with a role other than customer or admin is refused (401)", async ({ server }) => {
  for (const role of ["telecom_owner", "postgres"]) {
    const { body } = await server.graphql("query ($role: String!) { serverTestToken(role: $role) }", { role });
    const refused = await server.graphql("{ currentRoleIsAdmin }", {}, body.data!.serverTestToken);
    assert.is(refused.status, 401, role);
    assert.equal(refused.body, { errors: [{ message: "The login token is invalid.", extensions: { code: "TC201" } }] });
  }
});

test("a tampered token is refused with 401 and TC201", async ({ server }) => {
  const token = server.tokenFor({ role: "telecom_customer", mobile_no: "01012345678", national_id: 1001 });
  const [header, payload, signature] = token.split(".");
  const forged = Buffer.from(
    JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), role: "telecom_admin" }),
  ).toString("base64url");
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${header}.${forged}.${signature}` },
    body: JSON.stringify({ query: "{ currentRoleIsAdmin }" }),
  });
  assert.is(response.status, 401);
  assert.is(response.headers.get("www-authenticate"), "Bearer");
  assert.equal(await response.json(), { errors: [{ message: "The login token is invalid.", extensions: { code: "TC201" } }] });
});

test("an expired token is refused with 401 and TC202", async ({ server }) => {
  const { status, body } = await server.graphql("{ currentRoleIsAdmin }", {}, server.adminToken(-1));
  assert.is(status, 401);
  assert.equal(body, { errors: [{ message: "The login has expired; log in again.", extensions: { code: "TC202" } }] });
});

test("an Authorization header that is not a bearer token is refused with 401", async ({ server }) => {
  for (const authorization of ["Basic YWRtaW46dGVsZWNvbS1hZG1pbg==", "Bearer", ""]) {
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization },
      body: JSON.stringify({ query: "{ currentRoleIsAdmin }" }),
    });
    assert.is(response.status, 401, authorization);
    assert.equal(((await response.json()) as { errors: { extensions: unknown }[] }).errors[0].extensions, { code: "TC201" });
  }
});

test("a raised exception reaches the client verbatim with its SQLSTATE in extensions.code", async ({ server }) => {
  const { status, body } = await server.graphql(`{ serverTestRaise(message: "The amount must be more than zero.", errcode: "TC101") }`);
  assert.is(status, 200);
  assert.equal(body.errors, [
    {
      message: "The amount must be more than zero.",
      locations: [{ line: 1, column: 3 }],
      path: ["serverTestRaise"],
      extensions: { code: "TC101" },
    },
  ]);
});

test("a database error of PostgreSQL's own keeps its message and code", async ({ server }) => {
  const { body } = await server.graphql(`{ serverTestRaise(message: "value too long for type character varying(3)", errcode: "22001") }`);
  assert.equal(
    body.errors?.map(({ message, extensions }) => ({ message, extensions })),
    [{ message: "value too long for type character varying(3)", extensions: { code: "22001" } }],
  );
});

test("a function the role may not execute fails with 42501 and no stack or internals", async ({ server }) => {
  const { body } = await server.graphql("{ accountPlan { nodes { mobileNo } } }");
  assert.is(body.data?.accountPlan, null);
  assert.is(body.errors?.length, 1);
  const [error] = body.errors!;
  assert.is(error.extensions?.code, "42501");
  assert.match(error.message, /^permission denied for function account_plan$/);
  assert.equal(Object.keys(error).sort(), ["extensions", "locations", "message", "path"]);
  assert.equal(Object.keys(error.extensions!), ["code"]);
});

test("an operation's own error arrives with its TC code (admin, unknown account)", async ({ server }) => {
  const admin = server.adminToken();
  const { body } = await server.graphql(
    `mutation { initiateBalancePayment(input: { mobileNo: "00000000000", amount: "10", paymentMethod: cash }) { payment { paymentId } } }`,
    {},
    admin,
  );
  assert.is(body.errors?.length, 1);
  assert.is(body.errors![0].extensions?.code, "TC101");
  assert.match(body.errors![0].message, "00000000000");
});

test("a mutation's payload names its result after the returned type", async ({ server }) => {
  const { body } = await server.graphql(`{
    payment: __type(name: "InitiateBalancePaymentPayload") { fields { name } }
    count: __type(name: "TotalPointsAccountPayload") { fields { name } }
  }`);
  const names = (type: { fields: { name: string }[] }) => type.fields.map((field) => field.name).sort();
  assert.equal(names(body.data!.payment), ["clientMutationId", "payment", "paymentEdge", "query"]);
  assert.equal(names(body.data!.count), ["clientMutationId", "query", "result"]);
});

test("a statement running past the statement timeout is cancelled with 57014", async () => {
  const server = await startTestServer({ statementTimeoutMs: 300 });
  const sleep = (seconds: number) => server.graphql("query ($seconds: Float!) { serverTestSleep(seconds: $seconds) }", { seconds });
  try {
    assert.equal((await sleep(0.01)).body, { data: { serverTestSleep: true } });
    const started = Date.now();
    const { body } = await sleep(5);
    assert.ok(Date.now() - started < 3_000);
    assert.equal(
      body.errors?.map(({ message, extensions }) => ({ message, extensions })),
      [{ message: "canceling statement due to statement timeout", extensions: { code: "57014" } }],
    );
  } finally {
    await server.close();
  }
});

test("a request body over the size limit is refused with 413", async ({ server }) => {
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: `{ currentRoleIsAdmin } # ${"x".repeat(200_000)}` }),
  });
  assert.is(response.status, 413);
  assert.equal(await response.json(), { errors: [{ message: "The request is too large.", extensions: { code: "TC518" } }] });
});

test("a body that is not JSON is refused with 400 and a GraphQL-style error", async ({ server }) => {
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"query": ',
  });
  assert.is(response.status, 400);
  assert.equal(await response.json(), { errors: [{ message: "The request is malformed.", extensions: { code: "TC517" } }] });
});

test("/graphiql serves Ruru, which reads a token from the URL fragment", async ({ server }) => {
  const response = await fetch(`${server.url}/graphiql`);
  assert.is(response.status, 200);
  const html = await response.text();
  assert.match(html, "RURU_CONFIG");
  assert.match(html, 'new URLSearchParams(location.hash.slice(1)).get("token")');
  assert.match(html, `"endpoint": "/graphql"`);
});

test("without a web build, unknown routes are 404 and never index.html", async ({ server }) => {
  const response = await fetch(`${server.url}/account/plans`);
  assert.is(response.status, 404);
});

test("with a web build: its files, index.html for app routes, 404 for missing files and API paths", async () => {
  const webRoot = fs.mkdtempSync(path.join(os.tmpdir(), "telecom-web-"));
  fs.writeFileSync(path.join(webRoot, "index.html"), "<!doctype html><title>Telecom test app</title>");
  fs.mkdirSync(path.join(webRoot, "assets"));
  fs.writeFileSync(path.join(webRoot, "assets", "app.js"), "console.log('app');");
  const server = await startTestServer({ webRoot });
  try {
    const get = (route: string) => fetch(`${server.url}${route}`);
    for (const route of ["/", "/account/plans", "/admin/reports/payments"]) {
      const response = await get(route);
      assert.is(response.status, 200, route);
      assert.is(await response.text(), "<!doctype html><title>Telecom test app</title>", route);
    }
    assert.is(await (await get("/assets/app.js")).text(), "console.log('app');");
    assert.is((await get("/assets/missing.js")).status, 404);
    assert.is((await get("/health/extra")).status, 404);
    const post = await fetch(`${server.url}/account/plans`, { method: "POST" });
    assert.is(post.status, 404);
  } finally {
    await server.close();
    fs.rmSync(webRoot, { recursive: true, force: true });
  }
});

test.run();

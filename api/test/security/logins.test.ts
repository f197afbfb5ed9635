/**
 * Logins over real HTTP (docs/api.md): customer and admin logins, wrong passwords, throttling,
 * online access by a code, password changes, and tokens the server must refuse. The server's connections see
 * only committed rows, so the fixture is committed, and removed after with everything the logins wrote.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { signToken } from "../../src/server/jwt.ts";
import { getRootPool } from "../support/database.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { Builder } from "../support/builder.ts";
import { createFixture, fixtureIds, PASSWORD } from "./fixture.ts";

const data = new Builder();
const F = await fixtureIds(data);
const [A1] = F.a.mobile_nos;

const test = suite<{ server: TestServer }>("logins", {} as { server: TestServer });

test.before(async (context) => {
  await createFixture(data, F);
  context.server = await startTestServer();
});

test.after(async (context) => {
  await context.server?.close();
  await data.remove();
});

const AUTHENTICATE = `mutation ($mobileNo: String!, $password: String!) {
  authenticate(input: { mobileNo: $mobileNo, password: $password }) { jwtToken }
}`;
const AUTHENTICATE_ADMIN = `mutation ($username: String!, $password: String!) {
  authenticateAdmin(input: { username: $username, password: $password }) { jwtToken }
}`;
const VALIDATE = `mutation ($mobileNo: String!, $password: String!) {
  accountLoginValidation(input: { mobileNo: $mobileNo, password: $password }) { result }
}`;
const CHANGE_PASSWORD = `mutation ($old: String!, $new: String!) {
  changePassword(input: { oldPassword: $old, newPassword: $new }) { result }
}`;

const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());
const codes = (body: { errors?: { extensions?: Record<string, unknown> }[] }) => (body.errors ?? []).map((error) => error.extensions?.code);

async function login(server: TestServer, mobileNo: string, password: string): Promise<string | null> {
  const { body } = await server.graphql(AUTHENTICATE, { mobileNo, password });
  assert.is(body.errors, undefined, JSON.stringify(body.errors));
  return body.data!.authenticate.jwtToken;
}

async function failures(login: string): Promise<number> {
  const { rows } = await getRootPool().query("select count(*)::integer as n from telecom_private.login_failure where login = $1", [login]);
  return rows[0].n;
}

test("the right password gives a customer token for one hour, which reads the customer's own data", async ({ server }) => {
  const token = await login(server, A1, PASSWORD);
  assert.type(token, "string");
  const payload = payloadOf(token!);
  assert.equal([payload.role, payload.mobile_no, payload.national_id, payload.admin_id], ["telecom_customer", A1, F.a.national_id, null]);
  assert.ok(Math.abs(payload.exp - (Date.now() / 1000 + 3600)) < 60, `exp ${payload.exp} is about an hour from now`);
  const { body } = await server.graphql(
    "{ currentMobileNo customerProfiles { nodes { nationalId } } customerAccounts(orderBy: MOBILE_NO_ASC) { nodes { mobileNo } } }",
    {},
    token!,
  );
  assert.equal(body, {
    data: {
      currentMobileNo: A1,
      customerProfiles: { nodes: [{ nationalId: F.a.national_id }] },
      customerAccounts: { nodes: F.a.mobile_nos.map((mobileNo) => ({ mobileNo })) },
    },
  });
});

test("a wrong password gives no token and is recorded; the right one clears the record", async ({ server }) => {
  assert.is(await login(server, A1, "not-the-password"), null);
  assert.is(await login(server, await data.mobileNo(), PASSWORD), null, "a number without an account");
  assert.is(await failures(A1), 1);
  assert.type(await login(server, A1, PASSWORD), "string");
  assert.is(await failures(A1), 0);
});

test("after 3 wrong passwords from one address the next attempt waits: TC220, Retry-After and extensions.retryAfter", async ({
  server,
}) => {
  const number = F.b.mobile_no;
  for (let attempt = 1; attempt <= 3; attempt++) assert.is(await login(server, number, `wrong-${attempt}`), null, `attempt ${attempt}`);
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query: AUTHENTICATE, variables: { mobileNo: number, password: PASSWORD } }),
  });
  const body = (await response.json()) as { data: unknown; errors: { message: string; extensions: Record<string, unknown> }[] };
  assert.equal(
    body.errors.map((error) => error.extensions),
    [{ code: "TC220", retryAfter: 1 }],
  );
  assert.match(body.errors[0].message, /try again in 1 second/);
  assert.is(response.headers.get("retry-after"), "1");
  assert.equal(body.data, { authenticate: null });
  const validation = await server.graphql(VALIDATE, { mobileNo: number, password: PASSWORD });
  assert.equal(codes(validation.body), ["TC220"]);
  assert.is(await failures(number), 3, "refused attempts are not recorded and do not extend the wait");
  // Once the wait is over, the right password logs in and clears the record.
  await getRootPool().query("update telecom_private.login_failure set failed_at = failed_at - interval '2 seconds' where login = $1", [
    number,
  ]);
  assert.type(await login(server, number, PASSWORD), "string");
  assert.is(await failures(number), 0);
});

test("concurrent wrong passwords from one address are checked only until the throttle answers", async ({ server }) => {
  // A number with no account: its attempts check the dummy bcrypt hash, so they overlap.
  const number = await data.mobileNo();
  const attempts = await Promise.all(
    Array.from({ length: 12 }, (_, index) => server.graphql(AUTHENTICATE, { mobileNo: number, password: `guess-${index}` })),
  );
  const refused = attempts.filter(({ body }) => codes(body).includes("TC220")).length;
  const checked = await failures(number);
  // 3 are checked; a 4th only if the three took more than the 1 s wait on a busy machine.
  assert.ok(checked >= 3 && checked <= 4, `checked ${checked}`);
  assert.is(refused, 12 - checked);
  await getRootPool().query("delete from telecom_private.login_failure where login = $1", [number]);
});

test("an admin logs in with their username and reads the admin reports", async ({ server }) => {
  const wrong = await server.graphql(AUTHENTICATE_ADMIN, { username: F.admin.username, password: "not-the-password" });
  assert.equal(wrong.body, { data: { authenticateAdmin: { jwtToken: null } } });
  const { body } = await server.graphql(AUTHENTICATE_ADMIN, { username: F.admin.username.toUpperCase(), password: PASSWORD });
  const token = body.data!.authenticateAdmin.jwtToken as string;
  const payload = payloadOf(token);
  assert.equal([payload.role, payload.admin_id, payload.mobile_no, payload.national_id], ["telecom_admin", F.admin.admin_id, null, null]);
  assert.ok(Math.abs(payload.exp - (Date.now() / 1000 + 3600)) < 60);
  const report = await server.graphql(
    "query ($id: Int!) { allCustomerAccounts(condition: { nationalId: $id }, orderBy: MOBILE_NO_ASC) { nodes { mobileNo firstName } } }",
    { id: F.a.national_id },
    token,
  );
  assert.equal(report.body, {
    data: { allCustomerAccounts: { nodes: F.a.mobile_nos.map((mobileNo) => ({ mobileNo, firstName: "Amal" })) } },
  });
});

test("account_login_validation says whether the pair is valid", async ({ server }) => {
  const wrong = await server.graphql(VALIDATE, { mobileNo: A1, password: "not-the-password" });
  assert.equal(wrong.body, { data: { accountLoginValidation: { result: false } } });
  const right = await server.graphql(VALIDATE, { mobileNo: A1, password: PASSWORD });
  assert.equal(right.body, { data: { accountLoginValidation: { result: true } } });
});

const REQUEST_CODE = `mutation ($mobileNo: String!) { requestVerificationCode(input: { mobileNo: $mobileNo }) { result } }`;
const REGISTER = `mutation ($mobileNo: String!, $code: String!, $password: String!) {
  registerCustomer(input: { mobileNo: $mobileNo, code: $code, password: $password }) { jwtToken }
}`;

async function lastCode(mobileNo: string): Promise<string | undefined> {
  const { rows } = await getRootPool().query(
    "select body from telecom_private.sms_outbox where mobile_no = $1 order by sms_id desc limit 1",
    [mobileNo],
  );
  return rows[0] && /\b(\d{6})\b/.exec(rows[0].body)![1];
}

test("online access needs the number's code: registration without it is refused, with it the holder logs in", async ({ server }) => {
  const number = F.a.mobile_nos[1];
  // Guessing without asking for a code: no token, whatever the code.
  const guess = await server.graphql(REGISTER, { mobileNo: number, code: "123456", password: "a-long-enough-password" });
  assert.equal(guess.body, { data: { registerCustomer: { jwtToken: null } } });
  const noCode = await server.graphql(REGISTER, { mobileNo: number, code: "", password: "a-long-enough-password" });
  assert.equal(noCode.body, { data: { registerCustomer: { jwtToken: null } } });
  // The same answer for a number nobody holds, and no SMS for it.
  const unknown = await data.mobileNo();
  const asked = await server.graphql(REQUEST_CODE, { mobileNo: unknown });
  assert.equal(asked.body, { data: { requestVerificationCode: { result: true } } });
  assert.is(await lastCode(unknown), undefined);
  assert.equal((await server.graphql(REQUEST_CODE, { mobileNo: number })).body, { data: { requestVerificationCode: { result: true } } });
  const code = (await lastCode(number))!;
  const { body } = await server.graphql(REGISTER, { mobileNo: number, code, password: "a-long-enough-password" });
  const token = body.data!.registerCustomer.jwtToken as string;
  assert.equal(
    [payloadOf(token).role, payloadOf(token).mobile_no, payloadOf(token).national_id],
    ["telecom_customer", number, F.a.national_id],
  );
  assert.type(await login(server, number, "a-long-enough-password"), "string");
  // Only visitors activate access.
  const asCustomer = await server.graphql(REGISTER, { mobileNo: number, code, password: "a-long-enough-password" }, token);
  assert.equal(codes(asCustomer.body), ["42501"]);
  await getRootPool().query("delete from telecom_private.login_failure where login = any($1)", [
    [number, unknown].flatMap((mobileNo) => [`code:${mobileNo}`, `sms:${mobileNo}`]),
  ]);
});

test("tokens the server did not sign as they are are refused with 401", async ({ server }) => {
  const token = (await login(server, A1, PASSWORD))!;
  const [header, payload, signature] = token.split(".");
  const flipped = `${signature.slice(0, 10)}${signature[10] === "A" ? "B" : "A"}${signature.slice(11)}`;
  const otherPerson = Buffer.from(JSON.stringify({ ...payloadOf(token), national_id: F.b.national_id, mobile_no: F.b.mobile_no })).toString(
    "base64url",
  );
  const unsigned = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
  const claims = { role: "telecom_customer" as const, mobile_no: A1, national_id: F.a.national_id };
  const refused = {
    expired: server.tokenFor(claims, -1),
    "signature changed": `${header}.${payload}.${flipped}`,
    "payload changed": `${header}.${otherPerson}.${signature}`,
    "another secret": signToken("another-secret-of-the-same-length-as-ours", claims),
    "unsigned (alg none)": `${unsigned}.${payload}.`,
  };
  const statuses = Object.fromEntries(
    await Promise.all(
      Object.entries(refused).map(async ([label, forged]) => [label, (await server.graphql("{ currentNationalId }", {}, forged)).status]),
    ),
  );
  assert.equal(statuses, {
    expired: 401,
    "signature changed": 401,
    "payload changed": 401,
    "another secret": 401,
    "unsigned (alg none)": 401,
  });
  const genuine = await server.graphql("{ currentNationalId }", {}, token);
  assert.equal(genuine, { status: 200, body: { data: { currentNationalId: F.a.national_id } } });
});

test("change_password is throttled like a login: a stolen token cannot guess the password", async ({ server }) => {
  const number = F.b.mobile_no;
  const token = server.tokenFor({ role: "telecom_customer", mobile_no: number, national_id: F.b.national_id });
  for (let attempt = 1; attempt <= 3; attempt++) {
    const { body } = await server.graphql(CHANGE_PASSWORD, { old: `guess-${attempt}`, new: "a-new-long-password" }, token);
    assert.equal(body, { data: { changePassword: { result: false } } }, `attempt ${attempt}`);
  }
  const { body } = await server.graphql(CHANGE_PASSWORD, { old: PASSWORD, new: "a-new-long-password" }, token);
  await getRootPool().query("delete from telecom_private.login_failure where login = $1", [number]);
  assert.equal(codes(body), ["TC220"]);
});

// Last: it changes A1's password.
test("change_password checks the current password and the new one's length, then the new one works", async ({ server }) => {
  const token = (await login(server, A1, PASSWORD))!;
  const wrongOld = await server.graphql(CHANGE_PASSWORD, { old: "not-the-password", new: "a-new-long-password" }, token);
  assert.equal(wrongOld.body, { data: { changePassword: { result: false } } });
  const short = await server.graphql(CHANGE_PASSWORD, { old: PASSWORD, new: "short" }, token);
  assert.equal(codes(short.body), ["TC212"]);
  const anonymous = await server.graphql(CHANGE_PASSWORD, { old: PASSWORD, new: "a-new-long-password" });
  assert.equal(codes(anonymous.body), ["42501"]);
  const changed = await server.graphql(CHANGE_PASSWORD, { old: PASSWORD, new: "a-new-long-password" }, token);
  assert.equal(changed.body, { data: { changePassword: { result: true } } });
  assert.type(await login(server, A1, "a-new-long-password"), "string");
  assert.is(await login(server, A1, PASSWORD), null);
});

test.run();

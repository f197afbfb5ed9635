/**
 * Logins over real HTTP (SPEC §5, issue 4): customer and admin logins, wrong passwords, throttling,
 * registration, password changes, and tokens the server must refuse. The server's connections see
 * only committed rows, so the fixture is committed (its own id and number range) and deleted after.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { signToken } from "../../src/server/jwt.ts";
import { getRootPool } from "../helpers.ts";
import { startTestServer, type TestServer } from "../server.ts";
import { createFixture, dropFixture, fixtureIds, PASSWORD } from "./fixture.ts";

const F = fixtureIds(90030000, "01993");
const [A1] = F.a.mobile_nos;

const test = suite<{ server: TestServer }>("logins", {} as { server: TestServer });

test.before(async (context) => {
  const client = await getRootPool().connect();
  try {
    await dropFixture(client, F);
    await createFixture(client, F);
  } finally {
    client.release();
  }
  context.server = await startTestServer();
});

test.after(async (context) => {
  await context.server?.close();
  const client = await getRootPool().connect();
  try {
    await dropFixture(client, F);
  } finally {
    client.release();
  }
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
  assert.is(await login(server, `${F.numberPrefix}000088`, PASSWORD), null, "a number without an account");
  assert.is(await failures(A1), 1);
  assert.type(await login(server, A1, PASSWORD), "string");
  assert.is(await failures(A1), 0);
});

test("after 5 wrong passwords the number is refused (TC203) even with the right one, for logins and validation", async ({ server }) => {
  const number = F.b.mobile_no;
  for (let attempt = 1; attempt <= 5; attempt++) assert.is(await login(server, number, `wrong-${attempt}`), null, `attempt ${attempt}`);
  const refused = await server.graphql(AUTHENTICATE, { mobileNo: number, password: PASSWORD });
  assert.equal(codes(refused.body), ["TC203"]);
  assert.equal(refused.body.data, { authenticate: null });
  const validation = await server.graphql(VALIDATE, { mobileNo: number, password: PASSWORD });
  assert.equal(codes(validation.body), ["TC203"]);
  assert.is(await failures(number), 5, "refused attempts are not recorded and do not extend the window");
  // Attempts older than 15 minutes no longer count.
  await getRootPool().query(
    "update telecom_private.login_failure set failed_at = failed_at - interval '15 minutes 1 second' where login = $1",
    [number],
  );
  assert.type(await login(server, number, PASSWORD), "string");
  assert.is(await failures(number), 0);
});

test("concurrent wrong passwords are checked at most 5 times in the window", async ({ server }) => {
  // A number with no account: its attempts check a dummy bcrypt hash of cost 10, so they overlap.
  const number = `${F.numberPrefix}000077`;
  const attempts = await Promise.all(
    Array.from({ length: 12 }, (_, index) => server.graphql(AUTHENTICATE, { mobileNo: number, password: `guess-${index}` })),
  );
  const refused = attempts.filter(({ body }) => codes(body).includes("TC203")).length;
  const checked = await failures(number);
  assert.equal({ checked, refused }, { checked: 5, refused: 7 });
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

test("register_customer creates the person and their account and logs them in", async ({ server }) => {
  const register = `mutation ($input: RegisterCustomerInput!) { registerCustomer(input: $input) { jwtToken } }`;
  const input = {
    nationalId: F.base + 40,
    firstName: " Nour ",
    lastName: "Registered",
    email: `nour.${F.base}@example.com`,
    dateOfBirth: "1999-09-09",
    mobileNo: `${F.numberPrefix}000040`,
    password: "a-long-enough-password",
  };
  const { body } = await server.graphql(register, { input });
  const token = body.data!.registerCustomer.jwtToken as string;
  assert.equal(
    [payloadOf(token).role, payloadOf(token).national_id, payloadOf(token).mobile_no],
    ["telecom_customer", input.nationalId, input.mobileNo],
  );
  const me = await server.graphql(
    "{ customerProfiles { nodes { nationalId firstName } } customerAccounts { nodes { mobileNo accountType status } } }",
    {},
    token,
  );
  assert.equal(me.body, {
    data: {
      customerProfiles: { nodes: [{ nationalId: input.nationalId, firstName: "Nour" }] },
      customerAccounts: { nodes: [{ mobileNo: input.mobileNo, accountType: "prepaid", status: "active" }] },
    },
  });
  assert.type(await login(server, input.mobileNo, input.password), "string");
  const again = await server.graphql(register, { input: { ...input, mobileNo: `${F.numberPrefix}000041` } });
  assert.equal(codes(again.body), ["TC210"]);
  const usedNumber = await server.graphql(register, { input: { ...input, nationalId: F.base + 41, email: null, mobileNo: A1 } });
  assert.equal(codes(usedNumber.body), ["TC211"]);
  const short = await server.graphql(register, {
    input: { ...input, nationalId: F.base + 41, email: null, mobileNo: `${F.numberPrefix}000041`, password: "short" },
  });
  assert.equal(codes(short.body), ["TC212"]);
  // A logged-in customer does not register others.
  const asCustomer = await server.graphql(
    register,
    { input: { ...input, nationalId: F.base + 41, email: null, mobileNo: `${F.numberPrefix}000041` } },
    token,
  );
  assert.equal(codes(asCustomer.body), ["42501"]);
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
  for (let attempt = 1; attempt <= 5; attempt++) {
    const { body } = await server.graphql(CHANGE_PASSWORD, { old: `guess-${attempt}`, new: "a-new-long-password" }, token);
    assert.equal(body, { data: { changePassword: { result: false } } }, `attempt ${attempt}`);
  }
  const { body } = await server.graphql(CHANGE_PASSWORD, { old: PASSWORD, new: "a-new-long-password" }, token);
  await getRootPool().query("delete from telecom_private.login_failure where login = $1", [number]);
  assert.equal(codes(body), ["TC203"]);
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

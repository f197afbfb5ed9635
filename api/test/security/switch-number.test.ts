/**
 * switch_number over HTTP (docs/api.md "Several numbers"): a person with two numbers moves their login to
 * the other one, and every "caller's number" operation follows; another person's number, an unknown
 * one, an admin and a visitor are refused; the new token never outlives the one it replaces.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { getRootPool } from "../support/database.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { Builder } from "../support/builder.ts";
import { createFixture, fixtureIds } from "./fixture.ts";

const data = new Builder();
const F = await fixtureIds(data);
const [A1, A2] = F.a.mobile_nos;

const test = suite<{ server: TestServer }>("switch_number", {} as { server: TestServer });

test.before(async (context) => {
  await createFixture(data, F);
  // A held number can still be viewed: switching to it is allowed.
  await getRootPool().query("update telecom.customer_account set status = 'onhold' where mobile_no = $1", [A2]);
  context.server = await startTestServer();
});

test.after(async (context) => {
  await context.server?.close();
  await data.remove();
});

const SWITCH = `mutation ($mobileNo: String!) { switchNumber(input: { mobileNo: $mobileNo }) { jwtToken } }`;
const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());
const customerA = (server: TestServer, expiresIn: `${number}m` = "60m") =>
  server.tokenFor({ role: "telecom_customer", mobile_no: A1, national_id: F.a.national_id }, expiresIn);

test("a customer switches to their other number (on hold too); the caller's number follows", async ({ server }) => {
  const { body } = await server.graphql(SWITCH, { mobileNo: A2 }, customerA(server));
  assert.is(body.errors, undefined, JSON.stringify(body.errors));
  const token = body.data!.switchNumber.jwtToken as string;
  const payload = payloadOf(token);
  assert.equal([payload.role, payload.mobile_no, payload.national_id, payload.admin_id], ["telecom_customer", A2, F.a.national_id, null]);
  const after = await server.graphql("{ currentMobileNo }", {}, token);
  assert.equal(after.body, { data: { currentMobileNo: A2 } });
  const back = await server.graphql(SWITCH, { mobileNo: A1 }, token);
  assert.is(payloadOf(back.body.data!.switchNumber.jwtToken).mobile_no, A1);
});

test("the new token expires when the current one does, never later", async ({ server }) => {
  const current = customerA(server, "5m");
  const { body } = await server.graphql(SWITCH, { mobileNo: A2 }, current);
  assert.is(payloadOf(body.data!.switchNumber.jwtToken).exp, payloadOf(current).exp);
});

test("another person's number and an unknown number get the same refusal (42501)", async ({ server }) => {
  for (const mobileNo of [F.b.mobile_no, await data.mobileNo()]) {
    const { body } = await server.graphql(SWITCH, { mobileNo }, customerA(server));
    assert.is(body.data?.switchNumber ?? null, null);
    assert.equal(
      body.errors?.map((error) => [error.message, error.extensions?.code]),
      [["You can only switch to one of your own numbers.", "42501"]],
    );
  }
});

test("admins and visitors cannot switch numbers", async ({ server }) => {
  const admin = server.tokenFor({ role: "telecom_admin", admin_id: F.admin.admin_id });
  for (const token of [admin, undefined]) {
    const { body } = await server.graphql(SWITCH, { mobileNo: A1 }, token);
    assert.is(body.errors?.[0].extensions?.code, "42501", JSON.stringify(body));
  }
});

test.run();

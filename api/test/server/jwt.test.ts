/** Login tokens: what `verifyToken` accepts and how it refuses the rest. */
import jwt from "jsonwebtoken";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { signToken, TokenError, verifyToken } from "../../src/server/jwt.ts";

const SECRET = "jwt-test-secret";
const test = suite("jwt");

function refusal(token: string, secret = SECRET): TokenError {
  try {
    verifyToken(secret, token);
  } catch (error) {
    assert.instance(error, TokenError);
    return error as TokenError;
  }
  throw new Error("expected the token to be refused");
}

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

test("a signed customer token verifies to its claims", () => {
  const token = signToken(SECRET, { role: "telecom_customer", mobile_no: "01012345678", national_id: 1001 });
  assert.equal(verifyToken(SECRET, token), {
    role: "telecom_customer",
    mobile_no: "01012345678",
    national_id: 1001,
    admin_id: null,
    network_id: null,
  });
});

test("a token as PostGraphile signs a telecom.jwt_token row (null columns, aud and iss postgraphile) is accepted", () => {
  const row = { role: "telecom_admin", exp: inAnHour(), mobile_no: null, national_id: null, admin_id: 1, network_id: null };
  const token = jwt.sign(row, SECRET, { audience: "postgraphile", issuer: "postgraphile" });
  assert.equal(verifyToken(SECRET, token), { role: "telecom_admin", mobile_no: null, national_id: null, admin_id: 1, network_id: null });
});

test("the network's token (authenticate_network) verifies to its network_id and nothing else", () => {
  const row = { role: "telecom_network", exp: inAnHour(), mobile_no: null, national_id: null, admin_id: null, network_id: "cairo-1" };
  const token = jwt.sign(row, SECRET, { audience: "postgraphile", issuer: "postgraphile" });
  assert.equal(verifyToken(SECRET, token), {
    role: "telecom_network",
    mobile_no: null,
    national_id: null,
    admin_id: null,
    network_id: "cairo-1",
  });
});

test("a network token without a network, or with a person's or an admin's claims, and a customer token with a network, are refused with TC201", () => {
  const sign = (claims: object) => jwt.sign({ ...claims, exp: inAnHour() }, SECRET, { audience: "postgraphile", issuer: "postgraphile" });
  const tokens = [
    sign({ role: "telecom_network" }),
    sign({ role: "telecom_network", network_id: "" }),
    sign({ role: "telecom_network", network_id: 7 }),
    sign({ role: "telecom_network", network_id: "cairo-1", admin_id: 1 }),
    sign({ role: "telecom_network", network_id: "cairo-1", mobile_no: "01012345678", national_id: 1001 }),
    sign({ role: "telecom_customer", mobile_no: "01012345678", national_id: 1001, network_id: "cairo-1" }),
    sign({ role: "telecom_admin", admin_id: 1, network_id: "cairo-1" }),
  ];
  for (const token of tokens) assert.is(refusal(token).code, "TC201", token);
});

test("a tampered token is refused with TC201", () => {
  const token = signToken(SECRET, { role: "telecom_customer", mobile_no: "01012345678", national_id: 1001 });
  const [header, , signature] = token.split(".");
  const payload = Buffer.from(
    JSON.stringify({ role: "telecom_admin", admin_id: 1, exp: inAnHour(), aud: "postgraphile", iss: "postgraphile" }),
  ).toString("base64url");
  assert.is(refusal(`${header}.${payload}.${signature}`).code, "TC201");
});

test("a token signed with another secret is refused with TC201", () => {
  assert.is(refusal(signToken("another-secret", { role: "telecom_admin", admin_id: 1 })).code, "TC201");
});

test("an expired token is refused with TC202", () => {
  const error = refusal(signToken(SECRET, { role: "telecom_customer", mobile_no: "01012345678", national_id: 1001 }, -10));
  assert.is(error.code, "TC202");
  assert.is(error.message, "The login has expired; log in again.");
});

test("roles other than customer, admin and network are refused with TC201", () => {
  for (const role of ["telecom_owner", "telecom_authenticator", "telecom_anonymous", "postgres", ""]) {
    const token = jwt.sign({ role, exp: inAnHour() }, SECRET, { audience: "postgraphile", issuer: "postgraphile" });
    assert.is(refusal(token).code, "TC201", role);
  }
});

test("wrong audience or issuer, no expiry, another algorithm or garbage are refused with TC201", () => {
  const claims = { role: "telecom_admin", admin_id: 1 };
  const tokens = [
    jwt.sign(claims, SECRET, { audience: "someone-else", issuer: "postgraphile", expiresIn: "1h" }),
    jwt.sign(claims, SECRET, { audience: "postgraphile", issuer: "someone-else", expiresIn: "1h" }),
    jwt.sign(claims, SECRET, { audience: "postgraphile", issuer: "postgraphile" }),
    jwt.sign(claims, SECRET, { audience: "postgraphile", issuer: "postgraphile", expiresIn: "1h", algorithm: "HS512" }),
    "not-a-token",
  ];
  for (const token of tokens) assert.is(refusal(token).code, "TC201", token);
});

test("claims of the wrong type are refused with TC201", () => {
  const token = jwt.sign({ role: "telecom_customer", mobile_no: 1012345678, national_id: "1001", exp: inAnHour() }, SECRET, {
    audience: "postgraphile",
    issuer: "postgraphile",
  });
  assert.is(refusal(token).code, "TC201");
});

test("claims that do not fit the role are refused with TC201: a claim never raises a role's rights", () => {
  const sign = (claims: object) => jwt.sign({ ...claims, exp: inAnHour() }, SECRET, { audience: "postgraphile", issuer: "postgraphile" });
  const tokens = [
    // A customer's token that also names an admin.
    sign({ role: "telecom_customer", mobile_no: "01012345678", national_id: 1001, admin_id: 1 }),
    // A customer's token without a person or a number.
    sign({ role: "telecom_customer", mobile_no: "01012345678" }),
    sign({ role: "telecom_customer", national_id: 1001 }),
    sign({ role: "telecom_customer", mobile_no: "0101234567", national_id: 1001 }),
    // An admin's token without an admin, or with a customer's claims.
    sign({ role: "telecom_admin" }),
    sign({ role: "telecom_admin", admin_id: 1, national_id: 1001 }),
    sign({ role: "telecom_admin", admin_id: 1, mobile_no: "01012345678" }),
  ];
  for (const token of tokens) assert.is(refusal(token).code, "TC201", JSON.stringify(jwt.decode(token)));
});

test.run();

/** The server preset's pure parts: claims → transaction settings, and error masking. */
import { GraphQLError } from "postgraphile/graphql";
import pg from "pg";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { TokenClaims } from "../../src/server/jwt.ts";
import { maskError, pgSettingsFor } from "../../src/server/preset.ts";

const test = suite("preset");

test("no token: the anonymous role, every claim empty, anonymous's statement timeout, the client address", () => {
  assert.equal(pgSettingsFor(null, undefined, "203.0.113.7"), {
    role: "telecom_anonymous",
    statement_timeout: "1000",
    "jwt.claims.mobile_no": "",
    "jwt.claims.national_id": "",
    "jwt.claims.admin_id": "",
    "jwt.claims.network_id": "",
    "telecom.client_address": "203.0.113.7",
  });
});

test("a customer token: its role and its claims as text; a given statement timeout wins", () => {
  assert.equal(pgSettingsFor({ role: "telecom_customer", mobile_no: "01012345678", national_id: 1001, admin_id: null }, 250), {
    role: "telecom_customer",
    statement_timeout: "250",
    "jwt.claims.mobile_no": "01012345678",
    "jwt.claims.national_id": "1001",
    "jwt.claims.admin_id": "",
    "jwt.claims.network_id": "",
    "telecom.client_address": "",
  });
});

test("an admin token: its role and admin id", () => {
  const settings = pgSettingsFor({ role: "telecom_admin", admin_id: 7 }, 5000);
  assert.is(settings.role, "telecom_admin");
  assert.is(settings["jwt.claims.admin_id"], "7");
  assert.is(settings["jwt.claims.mobile_no"], "");
});

test("a network token: its role and network id", () => {
  const settings = pgSettingsFor({ role: "telecom_network", network_id: "cairo-1" });
  assert.is(settings.role, "telecom_network");
  assert.is(settings.statement_timeout, "2000");
  assert.is(settings["jwt.claims.network_id"], "cairo-1");
  assert.is(settings["jwt.claims.national_id"], "");
});

test("each role's own statement timeout (docs/security.md)", () => {
  const timeout = (role: string) => pgSettingsFor({ role } as TokenClaims).statement_timeout;
  assert.equal(["telecom_anonymous", "telecom_customer", "telecom_admin", "telecom_payment_processor", "telecom_network"].map(timeout), [
    "1000",
    "3000",
    "15000",
    "2000",
    "2000",
  ]);
});

function databaseError(message: string, code: string): pg.DatabaseError {
  const error = new pg.DatabaseError(message, message.length, "error");
  error.code = code;
  error.severity = "ERROR";
  error.where = "PL/pgSQL function telecom.secret_internals() line 3 at RAISE";
  return error;
}

test("a database error keeps its message and carries its SQLSTATE in extensions.code", () => {
  const error = maskError(
    new GraphQLError("wrapped", {
      path: ["initiateBalancePayment"],
      originalError: databaseError("The amount must be more than zero.", "TC104"),
    }),
  );
  assert.equal(error.toJSON(), {
    message: "The amount must be more than zero.",
    path: ["initiateBalancePayment"],
    extensions: { code: "TC104" },
  });
});

test("a serialization failure or a deadlock reaches the client as the one retryable code TC510", () => {
  for (const code of ["40001", "40P01"]) {
    const error = maskError(
      new GraphQLError("wrapped", { path: ["transferToMobile"], originalError: databaseError("could not serialize access", code) }),
    );
    assert.equal(error.toJSON(), {
      message: "The database was busy with a conflicting change; try again.",
      path: ["transferToMobile"],
      extensions: { code: "TC510", retryable: true },
    });
  }
});

test("internal and system database errors are masked", () => {
  const originalError = console.error;
  console.error = () => {};
  try {
    for (const code of ["XX000", "58030"]) {
      const error = maskError(new GraphQLError("wrapped", { originalError: databaseError("could not open file base/16384/1234", code) }));
      assert.match(error.message, /^An error occurred \(logged with hash: '.+', id: '.+'\)$/);
      assert.equal(Object.keys(error.extensions), ["errorId", "code"]);
      assert.is(error.extensions.code, "TC500");
    }
  } finally {
    console.error = originalError;
  }
});

test("other errors are masked: no message, code or stack of the original", () => {
  const originalError = console.error;
  console.error = () => {};
  try {
    const internal = Object.assign(new Error("connect ECONNREFUSED 10.0.0.5:5432"), { code: "ECONNREFUSED" });
    const json = maskError(new GraphQLError("wrapped", { originalError: internal })).toJSON();
    assert.match(json.message, /^An error occurred/);
    assert.not.match(JSON.stringify(json), /ECONNREFUSED|10\.0\.0\.5|stack/);
  } finally {
    console.error = originalError;
  }
});

test("GraphQL's own errors (validation, no original error) keep their message and get the code TC517", () => {
  const error = new GraphQLError('Cannot query field "nope" on type "Query".', { path: ["nope"] });
  assert.equal(maskError(error).toJSON(), {
    message: 'Cannot query field "nope" on type "Query".',
    path: ["nope"],
    extensions: { code: "TC517" },
  });
  const coded = new GraphQLError("A page has at most 100 rows.", { extensions: { code: "TC506" } });
  assert.is(maskError(coded), coded);
});

test.run();

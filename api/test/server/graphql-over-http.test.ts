/**
 * The GraphQL-over-HTTP specification, as graphql-http's own audit checks it: run against a production
 * server as an admin (who may send the audit's arbitrary documents), it reports no error and no warning;
 * its only notices are the optional GET requests, which the server does not take.
 */
import { auditServer } from "graphql-http";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startTestServer, type TestServer } from "../support/server.ts";

const test = suite<{ server: TestServer }>("graphql over http", {} as { server: TestServer });

test.before(async (context) => {
  context.server = await startTestServer({ production: true, trustedDocumentsFile: null });
});

test.after(async (context) => {
  await context.server?.close();
});

test("graphql-http's audit as an admin: every audit passes, no warning, no error", async ({ server }) => {
  const admin = server.adminToken();
  const asAdmin = (input: RequestInfo | URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${admin}`);
    return fetch(input, { ...init, headers });
  };
  const results = await auditServer({ url: `${server.url}/graphql`, fetchFn: asAdmin });
  assert.ok(results.length >= 30, `${results.length} audits`);
  const problems = results
    .filter((result) => result.status === "warn" || result.status === "error")
    .map((result) => `${result.id} ${result.name} (${result.status})`);
  assert.equal(problems, []);
  // What is left are MAY notices, all about GraphQL over GET, which the server does not offer (POST only).
  const notices = results.filter((result) => result.status === "notice").map((result) => result.id);
  assert.equal(notices.sort(), ["5A70", "6A70", "D6D5"]);
});

test.run();

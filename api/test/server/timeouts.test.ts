/**
 * A client that sends its request slowly (a byte at a time) gets 408 when the request timeout has
 * passed, not up to Node's connection-check interval later; the server keeps answering others. The
 * test server's limit is short so the test is quick; production's is 30 s, headers and body.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { suite } from "uvu";
import { httpTimeouts, REQUEST_TIMEOUT_MS } from "../../src/server/app.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

interface Context {
  server: TestServer;
}

const test = suite<Context>("server: request timeouts", {} as Context);

/** The test server's limit: the slow client below would need 20 s to send its request. */
const TEST_TIMEOUT_MS = 500;
/** A generous bound on the 408, for a shared machine; without a connection check every second it would be 30 s. */
const BOUND_MS = 10_000;

test.before(async (context) => {
  context.server = await startTestServer({ requestTimeoutMs: TEST_TIMEOUT_MS });
});

test.after(async ({ server }) => {
  await server?.close();
});

/**
 * Sends `head` at once, then `trickle` one byte every 100 ms, and resolves with the first line of the
 * server's answer once the server has closed the connection (or rejects after BOUND_MS).
 */
function slowRequest(server: TestServer, head: string, trickle: string): Promise<string> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    let answer = "";
    let sent = 0;
    const drip = setInterval(() => {
      if (sent < trickle.length && !socket.destroyed) socket.write(trickle[sent++]);
    }, 100);
    const bound = setTimeout(() => {
      socket.destroy();
      reject(new Error(`No answer within ${BOUND_MS} ms (sent ${sent} of ${trickle.length} slow bytes).`));
    }, BOUND_MS);
    socket.on("connect", () => socket.write(head));
    socket.on("data", (chunk) => (answer += chunk.toString()));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearInterval(drip);
      clearTimeout(bound);
      resolve(answer.split("\r\n")[0]);
    });
  });
}

const BODY = JSON.stringify({ query: "{ __typename }", variables: { padding: "x".repeat(160) } });

test("a body sent a byte at a time is answered 408 once the request timeout has passed", async ({ server }) => {
  const head = `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\n\r\n`;
  assert.equal(await slowRequest(server, head, BODY), "HTTP/1.1 408 Request Timeout");
  assert.equal((await fetch(`${server.url}/health`)).status, 200);
});

test("headers sent a byte at a time are answered 408 once the request timeout has passed", async ({ server }) => {
  const head = "GET /health HTTP/1.1\r\n";
  const headers = `Host: localhost\r\nX-Slow: ${"x".repeat(200)}\r\n\r\n`;
  assert.equal(await slowRequest(server, head, headers), "HTTP/1.1 408 Request Timeout");
  assert.equal((await fetch(`${server.url}/health`)).status, 200);
});

test("a request sent at a normal pace is served", async ({ server }) => {
  const response = await fetch(`${server.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: BODY });
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { data: { __typename: "Query" } });
});

test("production's limit is 30 s for the headers and the whole request, checked every second", () => {
  assert.equal(REQUEST_TIMEOUT_MS, 30_000);
  assert.deepEqual(httpTimeouts(), { requestTimeout: 30_000, headersTimeout: 30_000, connectionsCheckingInterval: 1_000 });
  assert.deepEqual(httpTimeouts(TEST_TIMEOUT_MS), { requestTimeout: 500, headersTimeout: 500, connectionsCheckingInterval: 500 });
});

test.run();

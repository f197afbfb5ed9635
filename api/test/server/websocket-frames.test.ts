/**
 * Malformed WebSocket frames on /graphql, sent over a bare TCP socket: each closes that one socket
 * with the close code RFC 6455 gives it (1009 too big, 1007 invalid UTF-8, 1002 a protocol error),
 * for a visitor who never sent connection_init as for a logged-in customer, and the server goes on
 * answering /health and other sockets.
 */
import assert from "node:assert/strict";
import { suite } from "uvu";
import { MAX_REQUEST_BYTES } from "../../src/server/preset.ts";
import { frame, OPCODE, openRawWebSocket, textFrame, type RawWebSocket } from "../support/raw-websocket.ts";
import { Builder } from "../support/builder.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

interface Context {
  server: TestServer;
}

const test = suite<Context>("server: malformed WebSocket frames", {} as Context);
/** A customer who is only in a token: the socket reads the claims and writes nothing. */
const CUSTOMER = await new Builder().customerIds();

test.before(async (context) => {
  context.server = await startTestServer();
});

test.after(async ({ server }) => {
  await server?.close();
});

const MALFORMED: { name: string; bytes: () => Buffer; code: number }[] = [
  {
    name: `a message of ${MAX_REQUEST_BYTES + 1} bytes`,
    bytes: () => frame({ opcode: OPCODE.text, payload: Buffer.alloc(MAX_REQUEST_BYTES + 1, "a") }),
    code: 1009,
  },
  {
    name: "a text frame with invalid UTF-8",
    bytes: () => frame({ opcode: OPCODE.text, payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }),
    code: 1007,
  },
  { name: "an unmasked frame", bytes: () => frame({ opcode: OPCODE.text, payload: "{}", masked: false }), code: 1002 },
  { name: "a reserved opcode (0x3)", bytes: () => frame({ opcode: 0x3, payload: "{}" }), code: 1002 },
];

async function assertHealthy(server: TestServer): Promise<void> {
  const response = await fetch(`${server.url}/health`);
  assert.equal(response.status, 200);
  const { status, database } = await response.json();
  assert.deepEqual({ status, database }, { status: "ok", database: true });
}

/** A socket whose connection_init carried a customer's token, once the server acknowledged it. */
async function customerSocket(server: TestServer): Promise<RawWebSocket> {
  const socket = await openRawWebSocket(`${server.url}/graphql`);
  const token = server.tokenFor({ role: "telecom_customer", ...CUSTOMER });
  socket.send(textFrame({ type: "connection_init", payload: { Authorization: `Bearer ${token}` } }));
  assert.deepEqual(await socket.nextMessage(), { type: "connection_ack" });
  return socket;
}

for (const { name, bytes, code } of MALFORMED) {
  test(`a visitor without connection_init sends ${name}: that socket closes with ${code}, the server goes on`, async ({ server }) => {
    const bystander = await customerSocket(server);
    const socket = await openRawWebSocket(`${server.url}/graphql`);
    socket.send(bytes());
    assert.equal((await socket.closed).code, code);
    await assertHealthy(server);
    // Another socket, open all along, still works: a ping is answered with a pong.
    bystander.send(textFrame({ type: "ping" }));
    assert.deepEqual(await bystander.nextMessage(), { type: "pong" });
    bystander.end();
  });

  test(`a logged-in customer sends ${name}: that socket closes with ${code}, the server goes on`, async ({ server }) => {
    const socket = await customerSocket(server);
    socket.send(bytes());
    assert.equal((await socket.closed).code, code);
    await assertHealthy(server);
  });
}

test.run();

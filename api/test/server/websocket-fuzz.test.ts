/**
 * WebSocket fuzzing of /graphql: thousands of random and malformed frames from fast-check (a fixed
 * seed, so a failure replays), over bare TCP sockets to 127.0.0.1, as a visitor who never logs in and
 * as a logged-in customer. Frames mix valid graphql-ws messages, random JSON and text, random bytes,
 * every opcode, reserved bits, unmasked frames, lengths that lie and frames cut across TCP writes.
 * Between batches the server must answer /health, and every socket it closed carries a close code of
 * RFC 6455 or graphql-ws, never an internal error. The number of frames and sockets is fixed; a
 * socket the server leaves open (a frame announced longer than sent) is let go after a short wait.
 */
import assert from "node:assert/strict";
import { setTimeout as delay } from "node:timers/promises";
import fc from "fast-check";
import { suite } from "uvu";
import { frame, OPCODE, openRawWebSocket, textFrame, type FrameOptions, type RawWebSocket } from "../support/raw-websocket.ts";
import { Builder } from "../support/builder.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

interface Context {
  server: TestServer;
}

const test = suite<Context>("server: WebSocket fuzzing", {} as Context);

test.before(async (context) => {
  context.server = await startTestServer();
});

test.after(async ({ server }) => {
  await server?.close();
});

const SEED = 20261207;
const BATCHES = 24;
const SOCKETS_PER_BATCH = 24;
/** How long a socket is given to be closed by the server before the test lets it go. */
const LINGER_MS = 150;

/**
 * Close codes the server may send: 1000 normal, 1002 protocol error, 1007 invalid data, 1009 too big;
 * graphql-ws's 4400 bad request, 4401 unauthorised, 4403 forbidden, 4408 init timeout,
 * 4409 subscriber already exists, 4429 too many initialisation requests.
 */
const EXPECTED_CLOSE_CODES = new Set([1000, 1002, 1007, 1009, 4400, 4401, 4403, 4408, 4409, 4429]);

const QUERIES = [
  "{ __typename }",
  "subscription { myLiveUpdates { change mobileNo threshold } }",
  "subscription { adminLiveUsage { mobileNo } }",
  "query { servicePlans(first: 1) { nodes { planId } } }",
  "{",
  "mutation { nothing }",
];

/** graphql-ws messages, valid and nearly so. */
const message = fc.oneof(
  fc.record({ type: fc.constant("connection_init"), payload: fc.option(fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 })) }),
  fc.constantFrom({ type: "ping" }, { type: "pong" }, { type: "connection_ack" }),
  fc.record({
    type: fc.constant("subscribe"),
    id: fc.oneof(fc.constantFrom("1", "2"), fc.string({ maxLength: 8 })),
    payload: fc.oneof(
      fc.record({
        query: fc.oneof(fc.constantFrom(...QUERIES), fc.string({ maxLength: 40 })),
        variables: fc.option(fc.jsonValue({ maxDepth: 2 })),
      }),
      fc.jsonValue({ maxDepth: 2 }),
    ),
  }),
  fc.record({ type: fc.constant("complete"), id: fc.oneof(fc.constantFrom("1", "2"), fc.string({ maxLength: 8 })) }),
  fc.record({ type: fc.string({ maxLength: 12 }), id: fc.option(fc.string({ maxLength: 4 })) }),
);

const payload = fc.oneof(
  { weight: 4, arbitrary: message.map((value) => Buffer.from(JSON.stringify(value))) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => Buffer.from(JSON.stringify(value) ?? "null")) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 200 }).map((text) => Buffer.from(text)) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) },
);

/** One frame: mostly well formed, often not. */
const frameOptions: fc.Arbitrary<FrameOptions> = fc.record({
  opcode: fc.oneof(
    { weight: 6, arbitrary: fc.constant(OPCODE.text) },
    { weight: 2, arbitrary: fc.constantFrom(OPCODE.continuation, OPCODE.binary, OPCODE.close, OPCODE.ping, OPCODE.pong) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 15 }) },
  ),
  payload,
  fin: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  rsv: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 7 }) }),
  masked: fc.oneof({ weight: 8, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  lengthForm: fc.constantFrom<FrameOptions["lengthForm"]>("auto", "auto", "auto", 16, 64),
  announcedLength: fc.option(
    fc.oneof(fc.integer({ min: 0, max: 400 }), fc.constantFrom(100_001, 2 ** 32, Number.MAX_SAFE_INTEGER, 2 ** 63)),
    { freq: 8 },
  ),
});

/** What one socket sends: frames, or plain garbage, written in random cuts. */
const socketPlan = fc.record({
  parts: fc.array(
    fc.oneof(
      { weight: 9, arbitrary: frameOptions.map((options) => frame(options)) },
      { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Buffer.from(bytes)) },
    ),
    { minLength: 1, maxLength: 10 },
  ),
  cuts: fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 4 }),
});
type SocketPlan = typeof socketPlan extends fc.Arbitrary<infer T> ? T : never;

interface Tally {
  sockets: number;
  frames: number;
  closeCodes: Map<number | null, number>;
}

/** Sends one socket's plan and waits until the server closes it, or lets it go after LINGER_MS. */
async function play(socket: RawWebSocket, plan: SocketPlan, tally: Tally): Promise<void> {
  const bytes = Buffer.concat(plan.parts);
  let offset = 0;
  for (const cut of plan.cuts) {
    socket.send(bytes.subarray(offset, offset + cut));
    offset += cut;
    await delay(0);
  }
  socket.send(bytes.subarray(offset));
  tally.frames += plan.parts.length;
  const ended = await Promise.race([socket.closed, delay(LINGER_MS).then(() => null)]);
  socket.end();
  const code = ended?.code ?? null;
  tally.closeCodes.set(code, (tally.closeCodes.get(code) ?? 0) + 1);
  tally.sockets++;
}

/** Opens the `index`th socket of a batch. */
type Opener = (index: number) => Promise<RawWebSocket>;

async function fuzz(server: TestServer, open: Opener, seed: number): Promise<Tally> {
  const plans = fc.sample(socketPlan, { seed, numRuns: BATCHES * SOCKETS_PER_BATCH });
  const tally: Tally = { sockets: 0, frames: 0, closeCodes: new Map() };
  for (let batch = 0; batch < BATCHES; batch++) {
    const plansOfBatch = plans.slice(batch * SOCKETS_PER_BATCH, (batch + 1) * SOCKETS_PER_BATCH);
    await Promise.all(plansOfBatch.map(async (plan, index) => play(await open(index), plan, tally)));
    const health = await fetch(`${server.url}/health`);
    assert.equal(health.status, 200, `/health after batch ${batch + 1}`);
    const { status, database } = await health.json();
    assert.deepEqual({ status, database }, { status: "ok", database: true });
  }
  return tally;
}

function assertExpectedCloses(tally: Tally): void {
  assert.equal(tally.sockets, BATCHES * SOCKETS_PER_BATCH);
  assert.ok(tally.frames >= 2_000, `${tally.frames} frames sent`);
  const unexpected = [...tally.closeCodes.keys()].filter((code) => code !== null && !EXPECTED_CLOSE_CODES.has(code));
  assert.deepEqual(unexpected, [], `close codes: ${JSON.stringify([...tally.closeCodes])}`);
}

test("a visitor who never logs in sends random and malformed frames: /health answers throughout", async ({ server }) => {
  const tally = await fuzz(server, async () => openRawWebSocket(`${server.url}/graphql`), SEED);
  assertExpectedCloses(tally);
});

test("a logged-in customer sends random and malformed frames: /health answers throughout", async ({ server }) => {
  // One person per socket of a batch: a person may keep only a few sockets open at once.
  const people = new Builder();
  const tokens: string[] = [];
  for (let index = 0; index < SOCKETS_PER_BATCH; index++)
    tokens.push(server.tokenFor({ role: "telecom_customer", ...(await people.customerIds()) }));
  const open: Opener = async (index) => {
    const token = tokens[index];
    const socket = await openRawWebSocket(`${server.url}/graphql`);
    socket.send(textFrame({ type: "connection_init", payload: { Authorization: `Bearer ${token}` } }));
    assert.deepEqual(await socket.nextMessage(), { type: "connection_ack" });
    return socket;
  };
  const tally = await fuzz(server, open, SEED + 1);
  assertExpectedCloses(tally);
});

test.run();

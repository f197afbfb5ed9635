/**
 * The production server as `NODE_ENV=production npm start` runs it (start.ts, supervisor.ts): a child
 * process on the test database with two API workers. A worker killed with SIGKILL is replaced and the
 * primary says why, while the other worker goes on serving; the per-admin concurrency budget holds
 * across both workers (the primary keeps it), and so does the cap on one person's live sockets; the
 * SMS sender runs once; malformed WebSocket frames close only their sockets; SIGTERM stops the
 * workers and the primary exits cleanly.
 */
import assert from "node:assert/strict";
import { setTimeout as delay } from "node:timers/promises";
import { suite } from "uvu";
import { freePort } from "../../src/db/cluster.ts";
import { signToken } from "../../src/server/jwt.ts";
import { CONCURRENCY } from "../../src/server/limits.ts";
import { LIVE_CLOSE, MAX_SOCKETS_PER_KEY } from "../../src/server/live.ts";
import { startScript, testDatabaseEnv, type RunningCommand } from "../support/commands.ts";
import { getRootPool } from "../support/database.ts";
import { frame, OPCODE, openRawWebSocket, textFrame } from "../support/raw-websocket.ts";
import { TEST_JWT_SECRET, TEST_WEBHOOK_SECRET } from "../support/server.ts";
import { Builder } from "../support/builder.ts";

interface Context extends RunningCommand {
  url: string;
  adminToken: string;
}

const test = suite<Context>("server: production cluster", {} as Context);

const PROBES = `
  create function telecom.cluster_test_sleep(seconds double precision) returns boolean
    language sql
    stable
  as $$
    select true from pg_sleep(seconds)
  $$;
  grant execute on function telecom.cluster_test_sleep(double precision) to telecom_admin;
`;

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const data = new Builder();

test.before(async (context) => {
  const root = getRootPool();
  await root.query("drop function if exists telecom.cluster_test_sleep(double precision)");
  await root.query(PROBES);
  const { admin_id } = await data.admin();
  context.adminToken = signToken(TEST_JWT_SECRET, { role: "telecom_admin", admin_id }, "1h");
  const port = await freePort();
  Object.assign(
    context,
    startScript("start", [], {
      ...testDatabaseEnv(),
      NODE_ENV: "production",
      JWT_SECRET: TEST_JWT_SECRET,
      PAYMENT_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      SMS_SENDER: "console",
      WEB_CONCURRENCY: "2",
      PORT: String(port),
      HOST: "127.0.0.1",
    }),
  );
  await Promise.race([
    context.line(/^Telecom is running/),
    context.exited.then(({ code }) => {
      throw new Error(`The production server exited (${code}) before it ran. Output:\n${context.output.join("\n")}`);
    }),
  ]);
  context.url = `http://127.0.0.1:${port}`;
});

test.after(async ({ child, exited }) => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill("SIGTERM");
    await exited;
  }
  await getRootPool().query("drop function if exists telecom.cluster_test_sleep(double precision)");
  await data.remove();
});

async function workerPids(context: Context): Promise<number[]> {
  const [, list] = await context.line(/^ {2}worker pids: (.*)$/);
  return list.split(", ").map(Number);
}

async function adminQuery(context: Context, query: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${context.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", authorization: `Bearer ${context.adminToken}` },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: await response.json() };
}

async function assertServes(context: Context, times: number): Promise<void> {
  for (let index = 0; index < times; index++) {
    const health = await fetch(`${context.url}/health`);
    assert.equal(health.status, 200);
    const { status, database } = await health.json();
    assert.deepEqual({ status, database }, { status: "ok", database: true });
  }
  assert.deepEqual(await adminQuery(context, "{ __typename }"), { status: 200, body: { data: { __typename: "Query" } } });
}

test("production starts two workers, each its own process, behind one port", async (context) => {
  const pids = await workerPids(context);
  assert.equal(pids.length, 2);
  assert.equal(new Set([...pids, context.child.pid]).size, 3);
  assert.ok(pids.every(isAlive));
  assert.ok(context.output.some((text) => text.startsWith("Telecom is running (2 API workers, supervised by pid")));
  await assertServes(context, 10);
});

test("only one worker runs the SMS sender (one LISTEN on the outbox), not one per worker", async () => {
  const { rows } = await getRootPool().query(
    "select count(*)::int as listeners from pg_stat_activity where datname = current_database() and query = 'listen telecom_sms_outbox'",
  );
  assert.deepEqual(rows, [{ listeners: 1 }]);
});

test("a worker killed with SIGKILL is replaced, the primary logs why, and requests keep succeeding", async (context) => {
  const [first, second] = await workerPids(context);
  process.kill(first, "SIGKILL");
  await context.line(new RegExp(`^API worker 1 \\(pid ${first}\\) died \\(signal SIGKILL\\); starting a replacement\\.$`));
  // The other worker serves while the replacement starts.
  await assertServes(context, 10);
  const [, replacement] = await context.line(/^API worker 1 \(pid (\d+)\) replaced the one that died, and listens\.$/);
  assert.notEqual(Number(replacement), first);
  assert.ok(isAlive(Number(replacement)));
  assert.ok(isAlive(second));
  assert.equal(isAlive(first), false);
  await assertServes(context, 20);
});

test("the per-admin budget holds across the workers: of 20 slow requests at once, 8 run and 12 are refused", async (context) => {
  // Each request sleeps longer than a refused one may wait (2 s), so no waiting request gets a slot.
  const sleep = (CONCURRENCY.maxWaitMs / 1000) * 2;
  const answers = await Promise.all(Array.from({ length: 20 }, () => adminQuery(context, `{ clusterTestSleep(seconds: ${sleep}) }`)));
  const ran = answers.filter(({ status }) => status === 200);
  const refused = answers.filter(({ status }) => status === 429);
  assert.equal(ran.length, CONCURRENCY.perAdmin);
  assert.equal(refused.length, 20 - CONCURRENCY.perAdmin);
  for (const { body } of ran) assert.deepEqual(body, { data: { clusterTestSleep: true } });
  for (const { body } of refused) assert.equal(body.errors[0].extensions.code, "TC508");
  // Both workers served some of them (a per-process budget would have let 16 run).
  await assertServes(context, 2);
});

test("the live sockets of one person are capped across the workers: 8 open, the 9th closed with 4429, a slot freed is reused", async (context) => {
  const token = signToken(TEST_JWT_SECRET, { role: "telecom_customer", ...(await data.customerIds()) }, "1h");
  /** A socket of that person: its connection_ack, or the close code that refused it. */
  const open = async () => {
    const socket = await openRawWebSocket(`${context.url}/graphql`);
    socket.send(textFrame({ type: "connection_init", payload: { Authorization: `Bearer ${token}` } }));
    const answer = await socket.nextMessage().then(
      (message) => message.type,
      async () => (await socket.closed).code,
    );
    return { socket, answer };
  };
  const sockets = [];
  for (let index = 0; index < MAX_SOCKETS_PER_KEY; index++) sockets.push(await open());
  assert.deepEqual(
    sockets.map(({ answer }) => answer),
    Array.from({ length: MAX_SOCKETS_PER_KEY }, () => "connection_ack"),
  );
  const ninth = await open();
  assert.equal(ninth.answer, LIVE_CLOSE.tooMany);
  // One closes: its slot comes back (the primary hears of it a moment later).
  sockets[0].socket.send(frame({ opcode: OPCODE.close, payload: Buffer.from([0x03, 0xe8]) }));
  await sockets[0].socket.closed;
  let again = await open();
  for (let attempt = 1; again.answer !== "connection_ack" && attempt < 20; attempt++) {
    await delay(100);
    again = await open();
  }
  assert.equal(again.answer, "connection_ack");
  for (const { socket } of [...sockets, again]) socket.end();
});

test("production: each malformed WebSocket frame closes its socket with its code, and no worker dies", async (context) => {
  const frames: [Buffer, number][] = [
    [frame({ opcode: OPCODE.text, payload: Buffer.alloc(100_001, "a") }), 1009],
    [frame({ opcode: OPCODE.text, payload: Buffer.from([0xff, 0xfe]) }), 1007],
    [frame({ opcode: OPCODE.text, payload: "{}", masked: false }), 1002],
    [frame({ opcode: 0x3, payload: "{}" }), 1002],
  ];
  const deathsBefore = context.output.filter((text) => /^API worker \d+ \(pid \d+\) died/.test(text)).length;
  // Twice each, so that both workers (served in turn) get every one.
  for (const [bytes, code] of [...frames, ...frames]) {
    const socket = await openRawWebSocket(`${context.url}/graphql`);
    socket.send(bytes);
    assert.equal((await socket.closed).code, code);
    await assertServes(context, 1);
  }
  assert.equal(context.output.filter((text) => /^API worker \d+ \(pid \d+\) died/.test(text)).length, deathsBefore);
});

test("SIGTERM stops the workers, then the database, and the primary exits with 0", async (context) => {
  const [, list] = (await context.line(/^API worker 1 \(pid (\d+)\) replaced/)) ?? [];
  const pids = [Number(list), ...(await workerPids(context)).slice(1)];
  context.child.kill("SIGTERM");
  assert.deepEqual(await context.exited, { code: 0, signal: null });
  assert.ok(context.output.some((text) => text.startsWith("SIGTERM: stopping the server, then PostgreSQL at")));
  assert.deepEqual(
    pids.map((pid) => isAlive(pid)),
    [false, false],
  );
  // The one worker that died is the one the test killed: the workers stopped at SIGTERM are not reported as deaths.
  assert.deepEqual(
    context.output.filter((text) => /^API worker \d+ \(pid \d+\) died/.test(text)),
    [`API worker 1 (pid ${(await workerPids(context))[0]}) died (signal SIGKILL); starting a replacement.`],
  );
});

test.run();

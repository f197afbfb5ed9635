/**
 * GET /health (docs/operations.md), for monitors and load balancers: anonymous, it says whether the
 * API's login reaches the database and when the last maintenance tick ran (by any process), and
 * nothing else.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { getRootPool } from "../support/database.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const test = suite<{ server: TestServer }>("GET /health", {} as { server: TestServer });

test.before(async (context) => {
  context.server = await startTestServer();
});

test.after(async (context) => {
  await context.server?.close();
});

const health = async (server: TestServer) => {
  const response = await fetch(`${server.url}/health`);
  return { status: response.status, cors: response.headers.get("access-control-allow-origin"), body: await response.json() };
};

test("answers 200 with the database and the time and age of the last maintenance tick, as the database has them", async ({ server }) => {
  await getRootPool().query("select telecom.maintenance_tick()");
  const { status, cors, body } = await health(server);
  const { rows } = await getRootPool().query("select telecom_private.last_maintenance_tick() as at");
  assert.is(status, 200);
  assert.is(cors, null);
  const { lastMaintenanceTickAgeSeconds: age, ...rest } = body;
  assert.equal(rest, { status: "ok", database: true, lastMaintenanceTick: rows[0].at.toISOString() });
  assert.ok(Number.isInteger(age) && age >= 0, `age ${age}`);
});

test("before the first tick the time and the age are null", async ({ server }) => {
  const root = getRootPool();
  const saved = await root.query("delete from telecom_private.maintenance_state returning *");
  try {
    assert.equal((await health(server)).body, {
      status: "ok",
      database: true,
      lastMaintenanceTick: null,
      lastMaintenanceTickAgeSeconds: null,
    });
  } finally {
    for (const row of saved.rows) {
      await root.query(
        "insert into telecom_private.maintenance_state select * from jsonb_populate_record(null::telecom_private.maintenance_state, $1)",
        [row],
      );
    }
  }
});

test("answers 503 while the database refuses the server's connections, 200 again after", async ({ server }) => {
  const root = getRootPool();
  try {
    await root.query("alter role telecom_authenticator nologin");
    await root.query("select pg_terminate_backend(pid) from pg_stat_activity where usename = 'telecom_authenticator'");
    const { status, body } = await health(server);
    assert.is(status, 503);
    assert.equal(body, { status: "unavailable", database: false });
  } finally {
    await root.query("alter role telecom_authenticator login");
  }
  assert.is((await health(server)).status, 200);
});

test.run();

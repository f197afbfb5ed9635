/**
 * `npm run usage:simulate` (docs/usage.md): a short, bounded run against a test server, as the network
 * role over GraphQL; every send is accounted for, replays return the first result, an account on
 * hold is refused, and what it counted is what the database holds.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { dailyCurve, simulateUsage } from "../../src/usage/simulate.ts";
import { getRootPool, ownerUrl } from "../support/database.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { Builder } from "../support/builder.ts";
import { createUsageFixture, HELD, POSTPAID, PREPAID } from "./fixture.ts";

const test = suite<{ server: TestServer }>("usage: simulate", {} as { server: TestServer });
const data = new Builder();

test.before(async (context) => {
  await createUsageFixture(data);
  context.server = await startTestServer();
});

test.after(async (context) => {
  await context.server.close();
  await data.remove();
  await getRootPool().query("delete from telecom_private.network_credential where client_id = 'usage-simulator'");
});

test("the daily curve is quiet at night and busiest in the evening", () => {
  assert.ok(dailyCurve(4) < 0.2);
  assert.is(dailyCurve(21), 1);
  assert.ok(dailyCurve(12) > dailyCurve(4) && dailyCurve(12) < dailyCurve(21));
});

test("a bounded run sends as the network, counts every outcome, and the database agrees", async ({ server }) => {
  const numbers = [PREPAID.mobile_no, POSTPAID.mobile_no, HELD.mobile_no];
  const result = await simulateUsage({
    url: server.url,
    ownerUrl: ownerUrl(),
    rate: 200,
    seconds: 5,
    maxEvents: 120,
    hour: 21,
    seed: 7,
    mobileNos: numbers,
  });
  assert.is(result.sent, 120);
  assert.equal(result.errors, {});
  assert.is(result.duplicateMismatches, 0);
  assert.ok(result.duplicates > 0, "some sends are replays");
  assert.is(result.in_allowance + result.charged + result.refused + result.duplicates, 120);
  assert.ok(result.refused > 0, "the account on hold (and the prepaid one, once its balance runs short) is refused");
  assert.is(result.accounts.onHold, 1);
  const { rows } = await getRootPool().query(
    `select outcome::text, count(*)::int, sum(charged)::numeric(12,2)::text as charged, count(*) filter (where network_id = 'simulator')::int as from_simulator
     from telecom.usage_event where mobile_no = any($1) group by outcome order by outcome`,
    [numbers],
  );
  const stored = Object.fromEntries(rows.map((row) => [row.outcome, row.count]));
  assert.equal(
    stored,
    Object.fromEntries(
      Object.entries({ in_allowance: result.in_allowance, charged: result.charged, refused: result.refused }).filter(([, n]) => n > 0),
    ),
  );
  assert.ok(
    rows.every((row) => row.count === row.from_simulator),
    "events carry the simulator's network_id",
  );
});

test.run();

/**
 * record_usage (docs/usage.md): the rating arithmetic on tricky cases, outcomes versus errors, the
 * duplicate check, the journal and the alerts. Each test runs as the network in a rolled-back
 * transaction.
 */
import * as assert from "uvu/assert";
import { dbSuite, errorOf } from "../support/database.ts";
import { asRole, asSuperuser } from "../support/roles.ts";
import { createUsageFixture, HELD, NETWORK, POSTPAID, PREPAID, recordUsage, uuid, type UsagePlans } from "./fixture.ts";
import { Builder } from "../support/builder.ts";

const test = dbSuite("usage: record_usage");

async function setup(db: import("pg").PoolClient): Promise<UsagePlans> {
  const plans = await createUsageFixture(new Builder(db));
  await asRole(db, "telecom_network", NETWORK);
  return plans;
}

async function usageOf(db: import("pg").PoolClient, mobile_no: string) {
  await asSuperuser(db);
  const { rows } = await db.query(
    `select plan_id, start_date = end_date as one_day, (start_date = telecom_private.operator_date(now() - interval '1 minute')) as today,
       data_consumption, minutes_used, sms_sent
     from telecom.plan_usage where mobile_no = $1 order by plan_id, start_date`,
    [mobile_no],
  );
  return rows;
}

async function balanceOf(db: import("pg").PoolClient, mobile_no: string): Promise<string> {
  const { rows } = await db.query("select balance::text from telecom.customer_account where mobile_no = $1", [mobile_no]);
  return rows[0].balance;
}

test("an event split across two allowances (oldest subscription first) and the tariff, rounded up, journaled, alerted", async ({ db }) => {
  const { older, newer } = await setup(db);
  // 90 of the older plan's 100 MB are used today already.
  await asSuperuser(db);
  await db.query(
    "insert into telecom.plan_usage (mobile_no, plan_id, start_date, end_date, data_consumption) values ($1, $2, telecom_private.operator_date(now() - interval '1 minute'), telecom_private.operator_date(now() - interval '1 minute'), 90)",
    [PREPAID.mobile_no, older],
  );
  await asRole(db, "telecom_network", NETWORK);
  const id = uuid();
  // 75.2 MB → 76: 10 from the older plan, 50 from the newer, 16 × 0.05 = 0.80 charged.
  const event = await recordUsage(db, { id, mobile_no: PREPAID.mobile_no, kind: "data", quantity: "75.2" });
  assert.is(event.outcome, "charged");
  assert.is(event.charged, "0.80");
  assert.is(event.plan_id, older);
  assert.is(event.quantity, "75.2");
  assert.is(event.network_id, "cairo-1");
  await asSuperuser(db);
  assert.is(await balanceOf(db, PREPAID.mobile_no), "0.20");
  const { rows: allocations } = await db.query(
    "select plan_id, quantity from telecom.usage_allocation where event_id = $1 order by quantity",
    [id],
  );
  assert.equal(allocations, [
    { plan_id: older, quantity: 10 },
    { plan_id: newer, quantity: 50 },
  ]);
  assert.equal(
    (await usageOf(db, PREPAID.mobile_no)).map((row) => [row.plan_id, row.one_day, row.today, row.data_consumption]),
    [
      [older, true, true, 100],
      [newer, true, true, 50],
    ],
  );
  const { rows: journal } = await db.query(
    "select change::text, operation, actor from telecom.money_journal where mobile_no = $1 and operation = 'record_usage'",
    [PREPAID.mobile_no],
  );
  assert.equal(journal, [{ change: "-0.80", operation: "record_usage", actor: "network:cairo-1" }]);
  const { rows: alerts } = await db.query(
    "select plan_id, kind, threshold from telecom.usage_alert where mobile_no = $1 order by plan_id, threshold",
    [PREPAID.mobile_no],
  );
  // The older plan was at 90 % already: only its 100 % alert; the newer crossed both.
  assert.equal(alerts, [
    { plan_id: older, kind: "data", threshold: 100 },
    { plan_id: newer, kind: "data", threshold: 80 },
    { plan_id: newer, kind: "data", threshold: 100 },
  ]);
  const { rows: audit } = await db.query("select * from telecom.audit_balances()");
  assert.equal(audit, []);
});

test("each part goes to one plan_usage record per account, plan and day; alerts are raised once per month and threshold", async ({
  db,
}) => {
  const { older } = await setup(db);
  for (const quantity of [40, 41, 1, 5]) await recordUsage(db, { id: uuid(), mobile_no: PREPAID.mobile_no, kind: "voice", quantity });
  const usage = await usageOf(db, PREPAID.mobile_no);
  assert.equal(
    usage.map((row) => [row.plan_id, row.minutes_used]),
    [[older, 87]],
  );
  const { rows } = await db.query("select threshold from telecom.usage_alert where mobile_no = $1 order by threshold", [PREPAID.mobile_no]);
  assert.equal(
    rows.map((row) => row.threshold),
    [80],
  );
});

test("rounding: quantities are rounded up to whole units, and the charge to the cent", async ({ db }) => {
  const { older } = await setup(db);
  await recordUsage(db, { id: uuid(), mobile_no: PREPAID.mobile_no, kind: "sms", quantity: "0.001" });
  await recordUsage(db, { id: uuid(), mobile_no: PREPAID.mobile_no, kind: "voice", quantity: "2.01" });
  const usage = await usageOf(db, PREPAID.mobile_no);
  assert.equal(
    usage.map((row) => [row.plan_id, row.minutes_used, row.sms_sent]),
    [[older, 3, 1]],
  );
  // Post-paid, everything beyond 150 MB charged: 151 MB → 1 MB × 0.05 = 0.05; 0.1 MB more → 1 MB → 0.05.
  await asRole(db, "telecom_network", NETWORK);
  const first = await recordUsage(db, { id: uuid(), mobile_no: POSTPAID.mobile_no, kind: "data", quantity: "150.5" });
  assert.is(first.charged, "0.05");
  await asSuperuser(db);
  await db.query("update telecom.tariff set unit_price = 0.0333 where kind = 'data'");
  await asRole(db, "telecom_network", NETWORK);
  const second = await recordUsage(db, { id: uuid(), mobile_no: POSTPAID.mobile_no, kind: "data", quantity: "1.5" });
  // 2 MB × 0.0333 = 0.0666 → 0.07
  assert.is(second.charged, "0.07");
});

test("the day and the month are the operator's: a moment late yesterday in UTC is today in Cairo; last month's usage does not count", async ({
  db,
}) => {
  const { older } = await setup(db);
  await asSuperuser(db);
  // Last month's last day: the older plan's voice allowance used up then; it is whole again this month.
  const { rows: days } = await db.query(
    "select (date_trunc('month', telecom_private.operator_date(now())) - interval '1 day')::date as last_month_day, telecom_private.operator_date(now()) as today",
  );
  const lastMonthDay = days[0].last_month_day;
  await db.query(
    "insert into telecom.plan_usage (mobile_no, plan_id, start_date, end_date, minutes_used) select $1, $2, greatest($3::date, account.start_date), greatest($3::date, account.start_date), 100 from telecom.customer_account as account where account.mobile_no = $1",
    [PREPAID.mobile_no, older, lastMonthDay],
  );
  await asRole(db, "telecom_network", NETWORK);
  // 23:30 UTC is already 01:30 (or 02:30) of the next day in Cairo (UTC+2, or +3 in summer).
  const { rows: moments } = await db.query(
    "select (date_trunc('day', now() at time zone 'UTC') - interval '30 minutes') at time zone 'UTC' as moment, (date_trunc('day', now() at time zone 'UTC'))::date::text as utc_today",
  );
  const event = await recordUsage(db, {
    id: uuid(),
    mobile_no: PREPAID.mobile_no,
    kind: "voice",
    quantity: 5,
    occurredAt: moments[0].moment,
  });
  await asSuperuser(db);
  const { rows } = await db.query(
    "select start_date::text, minutes_used from telecom.plan_usage where mobile_no = $1 and minutes_used = 5",
    [PREPAID.mobile_no],
  );
  assert.is(rows.length, 1);
  assert.equal(rows[0].start_date, moments[0].utc_today);
  // Unless the event's Cairo day is in last month too, the older plan's allowance was whole again.
  const sameMonth = new Date(lastMonthDay).getUTCMonth() === new Date(moments[0].utc_today).getUTCMonth();
  if (!sameMonth) {
    assert.is(event.outcome, "in_allowance");
    assert.is(event.plan_id, older);
  }
  const { rows: mapped } = await db.query("select telecom_private.operator_date('2026-01-31 22:30:00+00')::text as cairo");
  assert.is(mapped[0].cairo, "2026-02-01");
});

test("a subscription covers day d only while active and d < paid_until: an unpaid or held plan gives no allowance", async ({ db }) => {
  const { unpaid, older, newer } = await setup(db);
  await asSuperuser(db);
  await db.query("update telecom.subscription set status = 'onhold' where mobile_no = $1 and plan_id = $2", [POSTPAID.mobile_no, older]);
  await db.query("update telecom.subscription set paid_until = current_date - 1 where mobile_no = $1 and plan_id = $2", [
    POSTPAID.mobile_no,
    newer,
  ]);
  await asRole(db, "telecom_network", NETWORK);
  // The unpaid plan (1000 sms) is not drawn from: older 10 + newer 5, the rest charged.
  const event = await recordUsage(db, { id: uuid(), mobile_no: PREPAID.mobile_no, kind: "sms", quantity: 16 });
  assert.is(event.outcome, "charged");
  assert.is(event.charged, "0.25");
  assert.not.ok((await usageOf(db, PREPAID.mobile_no)).some((row) => row.plan_id === unpaid));
  // Post-paid with its older plan held and its newer one unpaid since yesterday: all of it charged.
  await asRole(db, "telecom_network", NETWORK);
  const charged = await recordUsage(db, { id: uuid(), mobile_no: POSTPAID.mobile_no, kind: "voice", quantity: 3 });
  assert.is(charged.outcome, "charged");
  assert.is(charged.plan_id, null);
  assert.is(charged.charged, "1.50");
});

test("post-paid: a charge takes the balance below zero, journaled", async ({ db }) => {
  await setup(db);
  // 150 MB of allowances, then 100 MB × 0.05 = 5.00.
  const event = await recordUsage(db, { id: uuid(), mobile_no: POSTPAID.mobile_no, kind: "data", quantity: 250 });
  assert.is(event.charged, "5.00");
  await asSuperuser(db);
  assert.is(await balanceOf(db, POSTPAID.mobile_no), "-5.00");
  const { rows } = await db.query(
    "select change::text, balance_after::text from telecom.money_journal where mobile_no = $1 and operation = 'record_usage'",
    [POSTPAID.mobile_no],
  );
  assert.equal(rows, [{ change: "-5.00", balance_after: "-5.00" }]);
});

test("refused: a balance that cannot cover the charge, or an account on hold; stored, nothing counted", async ({ db }) => {
  await setup(db);
  // 150 MB of allowances, then 21 MB × 0.05 = 1.05 > 1.00.
  const refused = await recordUsage(db, { id: uuid(), mobile_no: PREPAID.mobile_no, kind: "data", quantity: 171 });
  assert.is(refused.outcome, "refused");
  assert.is(refused.charged, "0.00");
  assert.is(refused.plan_id, null);
  const held = await recordUsage(db, { id: uuid(), mobile_no: HELD.mobile_no, kind: "sms", quantity: 1 });
  assert.is(held.outcome, "refused");
  await asSuperuser(db);
  assert.is(await balanceOf(db, PREPAID.mobile_no), "1.00");
  assert.equal(await usageOf(db, PREPAID.mobile_no), []);
  assert.equal(await usageOf(db, HELD.mobile_no), []);
  const { rows } = await db.query(
    "select count(*)::int as events from telecom.usage_event where mobile_no in ($1, $2) and outcome = 'refused'",
    [PREPAID.mobile_no, HELD.mobile_no],
  );
  assert.is(rows[0].events, 2);
  const { rows: allocations } = await db.query("select count(*)::int as n from telecom.usage_allocation where mobile_no = $1", [
    PREPAID.mobile_no,
  ]);
  assert.is(allocations[0].n, 0);
  // Exactly 1.00 is still covered: 20 MB → 1.00.
  await asRole(db, "telecom_network", NETWORK);
  const covered = await recordUsage(db, { id: uuid(), mobile_no: PREPAID.mobile_no, kind: "data", quantity: 170 });
  assert.is(covered.outcome, "charged");
  await asSuperuser(db);
  assert.is(await balanceOf(db, PREPAID.mobile_no), "0.00");
});

test("a duplicate returns the first row and counts nothing twice, also after 7 days; a reused id with other data is TC406", async ({
  db,
}) => {
  await setup(db);
  const id = uuid();
  const occurredAt = new Date(Date.now() - 60_000).toISOString();
  const first = await recordUsage(db, { id, mobile_no: POSTPAID.mobile_no, kind: "data", quantity: 200, occurredAt });
  const again = await recordUsage(db, { id, mobile_no: POSTPAID.mobile_no, kind: "data", quantity: "200.0", occurredAt });
  assert.equal(again, first);
  await asSuperuser(db);
  assert.is(await balanceOf(db, POSTPAID.mobile_no), "-2.50");
  await asRole(db, "telecom_network", NETWORK);
  for (const other of [
    { mobile_no: PREPAID.mobile_no, kind: "data", quantity: 200 },
    { mobile_no: POSTPAID.mobile_no, kind: "voice", quantity: 200 },
    { mobile_no: POSTPAID.mobile_no, kind: "data", quantity: 201 },
  ]) {
    const error = await errorOf(db, "select telecom.record_usage($1, $2, $3::telecom.usage_kind, $4, $5)", [
      id,
      other.mobile_no,
      other.kind,
      other.quantity,
      occurredAt,
    ]);
    assert.is(error.code, "TC406");
  }
  const error = await errorOf(db, "select telecom.record_usage($1, $2, 'data', 200, now() - interval '2 minutes')", [
    id,
    POSTPAID.mobile_no,
  ]);
  assert.is(error.code, "TC406");
  // An event rated 8 days ago (stored directly) is still found by its id. Its month's partition is
  // kept while it was at most 7 days old: made here as the tick made it a day ago.
  await asSuperuser(db);
  await db.query("select telecom_private.ensure_usage_partitions(now() - interval '1 day')");
  const old = uuid();
  await db.query(
    `insert into telecom_private.usage_event_key (event_id, occurred_at) values ($1, date_trunc('second', now()) - interval '8 days');
     insert into telecom.usage_event (event_id, mobile_no, kind, quantity, occurred_at, outcome) values ($1, $2, 'sms', 1, date_trunc('second', now()) - interval '8 days', 'in_allowance')`
      .replace(/\$1/g, `'${old}'`)
      .replace(/\$2/g, `'${POSTPAID.mobile_no}'`),
  );
  await asRole(db, "telecom_network", NETWORK);
  assert.is(
    (await errorOf(db, "select occurred_at from telecom_private.usage_event_key")).code,
    "42501",
    "the network cannot read the private key table",
  );
  await asSuperuser(db);
  const { rows: stored } = await db.query("select occurred_at from telecom.usage_event where event_id = $1", [old]);
  await asRole(db, "telecom_network", NETWORK);
  const replay = await recordUsage(db, {
    id: old,
    mobile_no: POSTPAID.mobile_no,
    kind: "sms",
    quantity: 1,
    occurredAt: stored[0].occurred_at,
  });
  assert.is(replay.outcome, "in_allowance");
});

test("bad input raises a TC4xx code and stores nothing; other roles get 42501", async ({ db }) => {
  await setup(db);
  const nobody = await new Builder(db).mobileNo();
  const cases: [string, unknown[], string][] = [
    ["select telecom.record_usage($1, $2, 'data', 1, now())", [uuid(), nobody], "TC401"],
    ["select telecom.record_usage($1, $2, 'data', 0, now())", [uuid(), PREPAID.mobile_no], "TC402"],
    ["select telecom.record_usage($1, $2, 'data', -1, now())", [uuid(), PREPAID.mobile_no], "TC402"],
    ["select telecom.record_usage($1, $2, 'voice', 1441, now())", [uuid(), PREPAID.mobile_no], "TC402"],
    ["select telecom.record_usage($1, $2, 'data', null, now())", [uuid(), PREPAID.mobile_no], "TC402"],
    ["select telecom.record_usage($1, $2, null, 1, now())", [uuid(), PREPAID.mobile_no], "TC403"],
    ["select telecom.record_usage($1, $2, 'data', 1, now() + interval '1 minute')", [uuid(), PREPAID.mobile_no], "TC404"],
    ["select telecom.record_usage($1, $2, 'data', 1, now() - interval '7 days 1 minute')", [uuid(), PREPAID.mobile_no], "TC405"],
    ["select telecom.record_usage(null, $1, 'data', 1, now())", [PREPAID.mobile_no], "TC407"],
    ["select telecom.record_usage($1, $2, 'bytes', 1, now())", [uuid(), PREPAID.mobile_no], "22P02"],
  ];
  for (const [statement, values, code] of cases) assert.is((await errorOf(db, statement, values)).code, code, statement);
  for (const [role, claims] of [
    ["telecom_customer", { mobile_no: PREPAID.mobile_no, national_id: PREPAID.national_id }],
    ["telecom_admin", { admin_id: 1 }],
    ["telecom_anonymous", {}],
  ] as const) {
    await asRole(db, role, claims);
    const error = await errorOf(db, "select telecom.record_usage($1, $2, 'data', 1, now())", [uuid(), PREPAID.mobile_no]);
    assert.is(error.code, "42501", role);
  }
  await asSuperuser(db);
  const { rows } = await db.query(
    "select (select count(*) from telecom.usage_event where mobile_no = $1)::int as events, (select count(*) from telecom.plan_usage where mobile_no = $1)::int as usage",
    [PREPAID.mobile_no],
  );
  assert.equal(rows[0], { events: 0, usage: 0 });
});

test("a trusted session records usage without claims (actor database:<login>)", async ({ db }) => {
  await createUsageFixture(new Builder(db));
  const event = await recordUsage(db, { id: uuid(), mobile_no: POSTPAID.mobile_no, kind: "voice", quantity: 111 });
  assert.is(event.charged, "0.50");
  assert.is(event.network_id, null);
  const { rows } = await db.query("select actor from telecom.money_journal where mobile_no = $1 and operation = 'record_usage'", [
    POSTPAID.mobile_no,
  ]);
  assert.match(rows[0].actor, /^database:/);
});

test("customers see their own events, allocations and alerts; the network logs in with authenticate_network", async ({ db }) => {
  await setup(db);
  await recordUsage(db, { id: uuid(), mobile_no: PREPAID.mobile_no, kind: "sms", quantity: 9 });
  await recordUsage(db, { id: uuid(), mobile_no: POSTPAID.mobile_no, kind: "sms", quantity: 9 });
  await asRole(db, "telecom_customer", PREPAID);
  const { rows } = await db.query(
    "select distinct mobile_no from telecom.usage_event union select distinct mobile_no from telecom.usage_alert",
  );
  assert.equal(rows, [{ mobile_no: PREPAID.mobile_no }]);
  await asRole(db, "telecom_admin", { admin_id: 1 });
  await db.query("select telecom.set_network_credential('mediation-a', 'cairo-1', 'a-long-enough-secret')");
  assert.is((await errorOf(db, "select telecom.set_network_credential('mediation-a', 'cairo-1', 'short')")).code, "TC616");
  await asRole(db, "telecom_anonymous");
  const { rows: tokens } = await db.query("select (telecom.authenticate_network('mediation-a', 'a-long-enough-secret')).*");
  assert.is(tokens[0].role, "telecom_network");
  assert.is(tokens[0].network_id, "cairo-1");
  assert.is(tokens[0].mobile_no, null);
  const { rows: wrong } = await db.query("select telecom.authenticate_network('mediation-a', 'not-the-secret') as token");
  assert.is(wrong[0].token, null);
  await asRole(db, "telecom_customer", PREPAID);
  assert.is((await errorOf(db, "select telecom.set_network_credential('mediation-b', 'cairo-1', 'a-long-enough-secret')")).code, "42501");
});

test.run();

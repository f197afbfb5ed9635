/**
 * The bulk load (`npm run usage:load`, docs/usage.md) against single events: two sets of the same
 * accounts get the same events, one set through record_usage one by one in occurred_at order, the
 * other through a CSV file; usage_event, usage_allocation, plan_usage, alerts and balances must be
 * the same, and the journal too, except that the set-based path charges an account once per chunk
 * (the sum of its events' charges). Both paths run: set-based (also where a plan lapses between
 * an account's events), and record_usage for the accounts whose balance runs short. A re-run adds
 * nothing; invalid lines are reported and store nothing. The chunks are rated on three
 * connections at once. Committed data (the load commits per chunk), removed afterwards.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { suite } from "uvu";
import * as assert from "uvu/assert";
import { withClient } from "../../src/db/client.ts";
import { loadUsageFile } from "../../src/usage/bulk-load.ts";
import { getRootPool, ownerUrl } from "../support/database.ts";
import { Builder, sql, type Account } from "../support/builder.ts";

const test = suite("usage: bulk load versus single events");

/**
 * Per set: prepaid with little money, pay-as-you-go, post-paid, prepaid on hold, then accounts
 * that can pay for everything, and a post-paid account near its credit limit. `lapsed` is the day (from today) the third plan's payment runs out:
 * yesterday falls between the events of the last 3 days, 5 days ago before all of them. `usedUp`:
 * the second plan's allowance was used up earlier this month, the first one's was not.
 */
const ACCOUNTS = [
  { suffix: 1, type: "prepaid", balance: 2.5, status: "active", lapsed: -1, oneByOne: true },
  { suffix: 2, type: "pay_as_you_go", balance: 4, status: "active", lapsed: -1, oneByOne: true, usedUp: true },
  { suffix: 3, type: "post_paid", balance: 0, status: "active", lapsed: -1, oneByOne: false },
  { suffix: 4, type: "prepaid", balance: 50, status: "onhold", lapsed: -1, oneByOne: false },
  { suffix: 5, type: "prepaid", balance: 5000, status: "active", lapsed: 10, oneByOne: false, usedUp: true },
  { suffix: 6, type: "post_paid", balance: -20, status: "active", lapsed: -5, oneByOne: false },
  { suffix: 7, type: "pay_as_you_go", balance: 3000, status: "active", lapsed: -1, oneByOne: false },
  // Post-paid 5.00 above its credit limit (the default 2000.00): its charges would take it below, so the order decides.
  { suffix: 8, type: "post_paid", balance: -1995, status: "active", lapsed: -1, oneByOne: true },
];
const data = new Builder();
/** The same accounts twice, each with people and numbers of its own (in the order of ACCOUNTS). */
const SETS = { single: await data.manyCustomerIds(ACCOUNTS.length), bulk: await data.manyCustomerIds(ACCOUNTS.length) };
type AccountSet = Account[];
const mobile = (set: AccountSet, suffix: number) => set[suffix - 1].mobile_no;
let planIds: number[] = [];
const directory = fs.mkdtempSync(path.join(os.tmpdir(), "telecom-usage-load-"));

async function createSet(set: AccountSet): Promise<void> {
  for (const [index, account] of ACCOUNTS.entries()) {
    const number = set[index].mobile_no;
    await data.customer({
      ...set[index],
      account: { balance: account.balance, account_type: account.type, start_date: sql("current_date - 60"), status: account.status },
    });
    // Oldest first: a small plan, a larger one, and one whose payment runs out on day `lapsed`.
    await data.db.query(
      `insert into telecom.subscription (mobile_no, plan_id, subscription_date, status, paid_until)
       values ($1, $2, current_date - 30, 'active', current_date + 10), ($1, $3, current_date - 20, 'active', current_date + 10),
         ($1, $4, current_date - 10, 'active', current_date + $5::integer)`,
      [number, ...planIds, account.lapsed],
    );
    if (account.usedUp) {
      await data.db.query(
        `insert into telecom.plan_usage (mobile_no, plan_id, start_date, end_date, data_consumption, minutes_used, sms_sent)
         values ($1, $2, date_trunc('month', current_date), date_trunc('month', current_date), 500, 60, 20)`,
        [number, planIds[1]],
      );
    }
  }
}

/** A deterministic pseudo-random sequence. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

interface EventLine {
  event_id: string;
  suffix: number;
  kind: string;
  quantity: string;
  occurred_at: string;
}

/** 700 events over the last 3 days, with fractions, some large ones, duplicates and an id reused for other data. */
function events(): EventLine[] {
  const next = random(42);
  const lines: EventLine[] = [];
  const now = Date.now();
  for (let index = 0; index < 700; index += 1) {
    const kind = ["data", "voice", "sms"][Math.floor(next() * 3)];
    const big = next() < 0.1;
    const quantity =
      kind === "data"
        ? (big ? 150 : 0.1 + next() * 20).toFixed(1)
        : kind === "voice"
          ? (big ? 60 : 0.01 + next() * 5).toFixed(2)
          : String(1 + Math.floor(next() * 2));
    const occurred = new Date(now - 60_000 - Math.floor(next() * 3 * 86_400_000));
    lines.push({
      event_id: crypto.randomUUID(),
      suffix: 1 + Math.floor(next() * ACCOUNTS.length),
      kind,
      quantity,
      occurred_at: occurred.toISOString(),
    });
  }
  // Duplicates (same data) and one id reused for other data.
  for (let index = 0; index < 10; index += 1) lines.push({ ...lines[index * 7] });
  lines.push({ ...lines[3], quantity: "999" });
  return lines;
}

/** The id of the bulk set's copy of an event: the last 4 hex digits flipped. */
const bulkId = (id: string) => id.slice(0, -4) + (0xffff - parseInt(id.slice(-4), 16)).toString(16).padStart(4, "0");

/** As the owner, like the bulk load (the journal names the actor). */
async function rateSingly(lines: EventLine[]): Promise<void> {
  const ordered = lines
    .map((line, index) => ({ line, index }))
    .sort((a, b) => a.line.occurred_at.localeCompare(b.line.occurred_at) || a.index - b.index);
  await withClient(ownerUrl(), async (owner) => {
    for (const { line } of ordered) {
      try {
        await owner.query("select telecom.record_usage($1, $2, $3, $4, $5)", [
          line.event_id,
          mobile(SETS.single, line.suffix),
          line.kind,
          line.quantity,
          line.occurred_at,
        ]);
      } catch (error) {
        assert.match(String((error as { code?: string }).code), /^TC4/);
      }
    }
  });
}

function writeCsv(lines: EventLine[], extra: string[] = []): string {
  const file = path.join(directory, `events-${Math.random().toString(36).slice(2)}.csv`);
  const text = lines.map((line) =>
    [bulkId(line.event_id), mobile(SETS.bulk, line.suffix), line.kind, line.quantity, line.occurred_at].join(","),
  );
  fs.writeFileSync(file, ["event_id,mobile_no,kind,quantity,occurred_at", ...text, ...extra].join("\n") + "\n");
  return file;
}

/** Everything the events changed for one set, with the set's numbers and ids made neutral. */
async function stateOf(set: AccountSet): Promise<Record<string, unknown[]>> {
  const numbers = ACCOUNTS.map((account) => mobile(set, account.suffix));
  const neutral = `array_position($1::text[], mobile_no)`;
  const oneByOne = ACCOUNTS.filter((account) => account.oneByOne).map((account) => mobile(set, account.suffix));
  const query = async (statement: string) =>
    (await getRootPool().query(statement, statement.includes("$2") ? [numbers, oneByOne] : [numbers])).rows;
  return {
    events: await query(
      `select ${neutral} as account, kind, quantity::text, occurred_at, plan_id, charged::text, outcome, network_id
       from telecom.usage_event where mobile_no = any($1) order by occurred_at, kind, quantity, account`,
    ),
    allocations: await query(
      `select ${neutral.replace("mobile_no", "allocation.mobile_no")} as account, event.occurred_at, event.kind, allocation.plan_id, allocation.quantity
       from telecom.usage_allocation as allocation
       join telecom.usage_event as event using (event_id)
       where allocation.mobile_no = any($1) order by event.occurred_at, event.kind, allocation.plan_id, account`,
    ),
    planUsage: await query(
      `select ${neutral} as account, plan_id, start_date, end_date, data_consumption, minutes_used, sms_sent
       from telecom.plan_usage where mobile_no = any($1) order by account, plan_id, start_date`,
    ),
    alerts: await query(
      `select ${neutral} as account, plan_id, kind, period_start, threshold from telecom.usage_alert where mobile_no = any($1) order by 1, 2, 3, 4, 5`,
    ),
    balances: await query(`select ${neutral} as account, balance::text from telecom.customer_account where mobile_no = any($1) order by 1`),
    journal: await query(
      `select ${neutral} as account, account_kind, sum(change)::text as change,
         (array_agg(balance_after order by journal_id desc))[1]::text as balance_after, array_agg(distinct actor) as actors
       from telecom.money_journal where mobile_no = any($1) group by 1, 2 order by 1, 2`,
    ),
    journalOneByOne: await query(
      `select ${neutral} as account, account_kind, change::text, balance_after::text, operation, actor
       from telecom.money_journal where mobile_no = any($2) order by account, journal_id`,
    ),
  };
}

test.before(async () => {
  const plan = async (name: string, price: number, sms: number, minutes: number, megabytes: number) =>
    (await data.plan({ name, price, sms_offered: sms, minutes_offered: minutes, data_offered: megabytes })).plan_id;
  planIds = [
    await plan("Bulk small", 50, 10, 30, 200),
    await plan("Bulk large", 100, 20, 60, 500),
    await plan("Bulk lapsed", 200, 100, 1000, 5000),
  ];
  await createSet(SETS.single);
  await createSet(SETS.bulk);
});

test.after(async () => {
  await data.remove();
  fs.rmSync(directory, { recursive: true, force: true });
});

test("the bulk load gives exactly what single events give; a re-run adds nothing; bad lines are reported and not stored", async () => {
  const lines = events();
  await rateSingly(lines);
  const unknownId = crypto.randomUUID();
  const bad = [
    `${crypto.randomUUID()},${await data.mobileNo()},data,5,${new Date(Date.now() - 60_000).toISOString()}`,
    `${unknownId},${mobile(SETS.bulk, 1)},video,5,${new Date(Date.now() - 60_000).toISOString()}`,
    `${crypto.randomUUID()},${mobile(SETS.bulk, 1)},data,-1,${new Date(Date.now() - 60_000).toISOString()}`,
    `${crypto.randomUUID()},${mobile(SETS.bulk, 1)},data,5,${new Date(Date.now() + 3_600_000).toISOString()}`,
    `${crypto.randomUUID()},${mobile(SETS.bulk, 1)},data,5,${new Date(Date.now() - 8 * 86_400_000).toISOString()}`,
    `not-a-uuid,${mobile(SETS.bulk, 1)},sms,1,${new Date(Date.now() - 60_000).toISOString()}`,
    `${crypto.randomUUID()},${mobile(SETS.bulk, 1)},sms,1,yesterday-ish`,
  ];
  const file = writeCsv(lines, bad);
  const progress: number[] = [];
  const first = await loadUsageFile(ownerUrl(), file, { chunkSize: 50, connections: 3, onProgress: (p) => progress.push(p.rated) });
  assert.is(first.lines, lines.length + bad.length);
  assert.is(first.rated, 700);
  const oneByOneSuffixes = ACCOUNTS.filter((account) => account.oneByOne).map((account) => account.suffix);
  assert.is(
    first.oneByOne,
    lines.slice(0, 700).filter((line) => oneByOneSuffixes.includes(line.suffix)).length,
    "the accounts whose balance runs short go one by one",
  );
  assert.is(first.duplicates, 10);
  assert.ok(first.refused > 0, "some events are refused");
  assert.ok(first.charged > 0, "some events are charged");
  assert.ok(progress.length > 5 && progress.at(-1) === 700, "progress is reported per chunk");
  assert.equal(
    first.rejected.map((line) => line.code),
    ["TC406", "TC401", "TC403", "TC402", "TC404", "TC405", "TC407", "TC404"],
  );
  assert.is(first.rejected[0].line, lines.length + 1, "lines are numbered as in the file, header included");

  const single = await stateOf(SETS.single);
  const bulk = await stateOf(SETS.bulk);
  assert.is(single.events.length, 700);
  assert.ok(single.alerts.length > 0, "some allowances cross 80 % and 100 %");
  for (const key of Object.keys(single)) assert.equal(bulk[key], single[key], `${key} differ`);
  const { rows: charges } = await getRootPool().query(
    "select operation, count(*)::int from telecom.money_journal where mobile_no = $1 and operation <> 'direct' group by 1",
    [mobile(SETS.bulk, 6)],
  );
  assert.equal(charges, [{ operation: "rate_usage_batch", count: 1 }], "a set-based account is charged once per chunk");

  const { rows } = await getRootPool().query("select count(*)::int from telecom_private.usage_event_key where event_id = $1", [unknownId]);
  assert.is(rows[0].count, 0, "an invalid line stores nothing");

  const again = await loadUsageFile(ownerUrl(), file);
  assert.is(again.rated, 0);
  assert.is(again.duplicates, 710);
  assert.equal(await stateOf(SETS.bulk), bulk, "a re-run adds nothing");
  const { rows: queued } = await getRootPool().query(
    "select (select count(*) from telecom_private.usage_load_chunk)::int as chunks, (select count(*) from telecom_private.usage_load_event)::int as events",
  );
  assert.equal(queued, [{ chunks: 0, events: 0 }], "the loads leave no queue behind");
});

test("a chunk that fails rolls back whole and stops the load; the queue is cleared and a re-run rates the rest", async () => {
  const next = random(7);
  const suffixes = [3, 6, 7];
  const lines: EventLine[] = Array.from({ length: 60 }, (_, index) => ({
    event_id: crypto.randomUUID(),
    suffix: suffixes[index % 3],
    kind: "sms",
    quantity: "1",
    occurred_at: new Date(Date.now() - 60_000 - Math.floor(next() * 86_400_000)).toISOString(),
  }));
  const file = writeCsv(lines);
  const locked = mobile(SETS.bulk, 6);
  const stored = async () =>
    (
      await getRootPool().query<{ mobile_no: string; count: number }>(
        "select mobile_no, count(*)::int from telecom.usage_event where event_id = any($1::uuid[]) group by 1 order by 1",
        [lines.map((line) => bulkId(line.event_id))],
      )
    ).rows;
  // Another session holds one account's row: its chunk waits 200 ms, then fails (55P03).
  const failed = await withClient(ownerUrl(), async (holder) => {
    await holder.query("begin");
    await holder.query("select from telecom.customer_account where mobile_no = $1 for update", [locked]);
    try {
      const waitingLittle = new URL(ownerUrl());
      waitingLittle.searchParams.set("options", "-c lock_timeout=200");
      await loadUsageFile(waitingLittle.toString(), file, { chunkSize: 1, connections: 2 });
      return null;
    } catch (error) {
      return error as { code?: string };
    } finally {
      await holder.query("rollback");
    }
  });
  assert.is(failed?.code, "55P03", "the lock timeout reaches the caller");
  assert.not.ok(
    (await stored()).some((row) => row.mobile_no === locked),
    "nothing of the failed chunk is stored",
  );
  const { rows: queued } = await getRootPool().query("select count(*)::int from telecom_private.usage_load_event");
  assert.is(queued[0].count, 0, "the failed load's queue is cleared");

  const before = (await stored()).reduce((sum, row) => sum + row.count, 0);
  const again = await loadUsageFile(ownerUrl(), file);
  assert.is(again.duplicates, before, "what was rated before is a duplicate now");
  assert.is(again.rated, 60 - before);
  assert.equal(
    await stored(),
    suffixes.map((suffix) => ({ mobile_no: mobile(SETS.bulk, suffix), count: 20 })).sort((a, b) => a.mobile_no.localeCompare(b.mobile_no)),
  );
});

test("an event before its account's first day is reported (TC012) by the bulk load and refused by record_usage alike", async () => {
  const number = mobile(SETS.bulk, 3);
  await getRootPool().query("update telecom.customer_account set start_date = current_date where mobile_no = $1", [number]);
  const early = {
    event_id: crypto.randomUUID(),
    suffix: 3,
    kind: "sms",
    quantity: "1",
    occurred_at: new Date(Date.now() - 2 * 86_400_000).toISOString(),
  };
  const today = { ...early, event_id: crypto.randomUUID(), occurred_at: new Date(Date.now() - 60_000).toISOString() };
  const result = await loadUsageFile(ownerUrl(), writeCsv([early, today]));
  assert.equal(
    result.rejected.map((line) => [line.line, line.code]),
    [[2, "TC012"]],
  );
  assert.is(result.rated, 1);
  const single = await withClient(ownerUrl(), (owner) =>
    owner.query("select telecom.record_usage($1, $2, 'sms', 1, $3)", [crypto.randomUUID(), number, early.occurred_at]).then(
      () => "stored",
      (error: { code?: string }) => error.code,
    ),
  );
  assert.is(single, "TC012");
});

test.run();

/**
 * Card payments settled by the processor (docs/money.md): settle_payment applies a pending payment's
 * effects exactly once, answers a repeat with the payment unchanged and a conflict with a code;
 * reject_stale_payments and the maintenance tick reject what was never reported, and a late
 * successful report is refused and can be logged for a refund.
 */
import type pg from "pg";
import * as assert from "uvu/assert";
import { dbSuite, errorOf } from "../support/database.ts";
import { asRole, asSuperuser } from "../support/roles.ts";
import { ALICE, createCustomers } from "./fixtures.ts";
import { moneyState } from "../support/money-state.ts";

const test = dbSuite("money: settle_payment, reject_stale_payments and the maintenance tick");

const asAlice = (db: pg.PoolClient) => asRole(db, "telecom_customer", { mobile_no: ALICE.mobile_no, national_id: ALICE.national_id });
const asProcessor = async (db: pg.PoolClient) => {
  await asSuperuser(db);
  await db.query("select set_config('role', 'telecom_payment_processor', true)");
};

/** A customer's pending card recharge of `amount`; returns its provider_reference. */
async function pendingRecharge(db: pg.PoolClient, amount = 40): Promise<{ reference: string; paymentId: number }> {
  await asAlice(db);
  const { rows } = await db.query("select * from telecom.initiate_balance_payment($1, $2, 'credit')", [ALICE.mobile_no, amount]);
  await asSuperuser(db);
  assert.is(rows[0].status, "pending");
  assert.match(rows[0].provider_reference, /^chk_[0-9a-f-]{36}$/);
  return { reference: rows[0].provider_reference, paymentId: rows[0].payment_id };
}

async function balanceOf(db: pg.PoolClient): Promise<string> {
  const { rows } = await db.query("select balance from telecom.customer_account where mobile_no = $1", [ALICE.mobile_no]);
  return rows[0].balance;
}

test.before.each(async ({ db }) => {
  await createCustomers(db);
});

test("a successful report credits the recharge once, journaled as settle_payment by payment_processor", async ({ db }) => {
  const { reference, paymentId } = await pendingRecharge(db);
  assert.is(await balanceOf(db), "100.00", "a pending payment has no effect");
  await asProcessor(db);
  const { rows } = await db.query("select * from telecom.settle_payment($1, 'successful')", [reference]);
  assert.is(rows[0].payment_id, paymentId);
  assert.is(rows[0].status, "successful");
  await asSuperuser(db);
  assert.is(await balanceOf(db), "140.00");
  const journal = await db.query(
    "select operation, actor, change from telecom.money_journal where account_kind = 'account_balance' and mobile_no = $1 and operation = 'settle_payment'",
    [ALICE.mobile_no],
  );
  assert.equal(journal.rows, [{ operation: "settle_payment", actor: "payment_processor", change: "40.00" }]);

  // The same report again: the payment unchanged, nothing moved.
  const before = await moneyState(db);
  await asProcessor(db);
  const again = await db.query("select * from telecom.settle_payment($1, 'successful')", [reference]);
  assert.equal(again.rows[0], rows[0]);
  await asSuperuser(db);
  assert.equal(await moneyState(db), before);

  // The other outcome now: refused, nothing moved.
  await asProcessor(db);
  assert.is((await errorOf(db, "select telecom.settle_payment($1, 'rejected')", [reference])).code, "TC321");
  await asSuperuser(db);
  assert.equal(await moneyState(db), before);
  assert.is((await db.query("select status from telecom.payment where payment_id = $1", [paymentId])).rows[0].status, "successful");
});

test("a settled plan payment renews the plan until a month from today and credits the extra", async ({ db }) => {
  const { rows: plans } = await db.query(
    "insert into telecom.service_plan (name, price, sms_offered, minutes_offered, data_offered) values ('Settle plan', 50, 1, 1, 1) returning plan_id",
  );
  const planId = plans[0].plan_id;
  await asAlice(db);
  const { rows } = await db.query("select * from telecom.initiate_plan_payment($1, 65, 'credit', $2)", [ALICE.mobile_no, planId]);
  await asSuperuser(db);
  const none = await db.query("select * from telecom.subscription where mobile_no = $1 and plan_id = $2", [ALICE.mobile_no, planId]);
  assert.is(none.rowCount, 0, "no subscription before the processor says so");
  await asProcessor(db);
  await db.query("select telecom.settle_payment($1, 'successful')", [rows[0].provider_reference]);
  await asSuperuser(db);
  const { rows: subs } = await db.query(
    "select status, paid_until = (current_date + interval '1 month')::date as renewed from telecom.subscription where mobile_no = $1 and plan_id = $2",
    [ALICE.mobile_no, planId],
  );
  assert.equal(subs, [{ status: "active", renewed: true }]);
  assert.is(await balanceOf(db), "115.00", "the 15 beyond the price goes to the balance");
});

test("a declined payment has no effect, and a successful report after it is refused (TC322)", async ({ db }) => {
  const { reference } = await pendingRecharge(db);
  await asProcessor(db);
  const { rows } = await db.query("select * from telecom.settle_payment($1, 'rejected')", [reference]);
  assert.is(rows[0].status, "rejected");
  const again = await db.query("select * from telecom.settle_payment($1, 'rejected')", [reference]);
  assert.equal(again.rows[0], rows[0]);
  await asSuperuser(db);
  const before = await moneyState(db);
  assert.is(await balanceOf(db), "100.00");
  await asProcessor(db);
  assert.is((await errorOf(db, "select telecom.settle_payment($1, 'successful')", [reference])).code, "TC322");
  await asSuperuser(db);
  assert.equal(await moneyState(db), before);
});

test("unknown references and outcomes that are not outcomes are refused", async ({ db }) => {
  await asProcessor(db);
  assert.is((await errorOf(db, "select telecom.settle_payment('chk_nope', 'successful')")).code, "TC320");
  const { reference } = await pendingRecharge(db);
  await asProcessor(db);
  assert.is((await errorOf(db, "select telecom.settle_payment($1, 'pending')", [reference])).code, "TC323");
  assert.is((await errorOf(db, "select telecom.settle_payment($1, null)", [reference])).code, "TC323");
  // A wallet payment has no reference: nothing to settle.
  await asSuperuser(db);
  const { rows } = await db.query("select count(*)::int as n from telecom.payment where provider_reference is null and status = 'pending'");
  assert.is(rows[0].n, 0);
});

test("who may settle: the processor, admins and trusted sessions; customers and visitors may not", async ({ db }) => {
  const first = await pendingRecharge(db, 10);
  const second = await pendingRecharge(db, 11);
  await asAlice(db);
  assert.is((await errorOf(db, "select telecom.settle_payment($1, 'successful')", [first.reference])).code, "42501");
  await asRole(db, "telecom_anonymous");
  assert.is((await errorOf(db, "select telecom.settle_payment($1, 'successful')", [first.reference])).code, "42501");
  await asRole(db, "telecom_admin", { admin_id: 1 });
  assert.is(
    (await db.query("select status from telecom.settle_payment($1, 'successful')", [first.reference])).rows[0].status,
    "successful",
  );
  await asSuperuser(db);
  assert.is((await db.query("select status from telecom.settle_payment($1, 'rejected')", [second.reference])).rows[0].status, "rejected");
  assert.is(await balanceOf(db), "110.00");
  assert.is((await db.query("select count(*)::int as n from telecom.audit_balances()")).rows[0].n, 0);
});

test("reject_stale_payments rejects payments pending longer than the interval; a late success is refused and logged for a refund", async ({
  db,
}) => {
  const old = await pendingRecharge(db, 20);
  const fresh = await pendingRecharge(db, 30);
  await db.query("update telecom.payment set initiated_at = now() - interval '31 minutes' where payment_id = $1", [old.paymentId]);
  await asAlice(db);
  assert.is((await errorOf(db, "select telecom.reject_stale_payments()")).code, "42501");
  await asProcessor(db);
  assert.is((await db.query("select telecom.reject_stale_payments() as n")).rows[0].n, 1);
  assert.is((await db.query("select telecom.reject_stale_payments() as n")).rows[0].n, 0, "already rejected");
  await asSuperuser(db);
  const { rows } = await db.query("select payment_id, status from telecom.payment where payment_id = any($1) order by payment_id", [
    [old.paymentId, fresh.paymentId],
  ]);
  assert.equal(rows, [
    { payment_id: old.paymentId, status: "rejected" },
    { payment_id: fresh.paymentId, status: "pending" },
  ]);
  const before = await moneyState(db);
  await asProcessor(db);
  assert.is((await errorOf(db, "select telecom.settle_payment($1, 'successful')", [old.reference])).code, "TC322");
  const refund = await db.query("select payment_id, amount::text, refunded_at from telecom.record_card_refund($1)", [old.reference]);
  assert.equal(refund.rows, [{ payment_id: old.paymentId, amount: "20.00", refunded_at: null }]);
  await db.query("select telecom.record_card_refund($1)", [old.reference]);
  assert.is(
    (await errorOf(db, "select telecom.record_card_refund($1)", [fresh.reference])).code,
    "TC324",
    "a pending payment is owed nothing",
  );
  await asRole(db, "telecom_admin", { admin_id: 1 });
  const seen = await db.query("select payment_id from telecom.card_refund");
  assert.equal(seen.rows, [{ payment_id: old.paymentId }], "admins see the refunds due, once");
  await asAlice(db);
  assert.is((await errorOf(db, "select * from telecom.card_refund")).code, "42501");
  await asSuperuser(db);
  assert.equal(await moneyState(db), before, "no money moved");
  assert.is(await balanceOf(db), "100.00");
});

test("the maintenance tick rejects stale payments, for the owner's session only", async ({ db }) => {
  const old = await pendingRecharge(db, 20);
  await db.query("update telecom.payment set initiated_at = now() - interval '2 hours' where payment_id = $1", [old.paymentId]);
  await asProcessor(db);
  assert.is((await errorOf(db, "select telecom.maintenance_tick()")).code, "42501");
  const refused = await asRole(db, "telecom_admin", { admin_id: 1 }, () => errorOf(db, "select telecom.maintenance_tick()"));
  assert.is(refused?.code, "42501");
  await db.query(
    "insert into telecom_private.login_failure (login, client_address, failed_at) values ('01000000999', '127.0.0.1', now() - interval '2 days')",
  );
  const first = (await db.query("select telecom.maintenance_tick('1 hour', '0 seconds') as done")).rows[0].done;
  assert.equal(
    // The bill run and collections depend on when the last tick ran: the maintenance tick's own test covers them.
    { ...first, usage_partitions: undefined, bills_issued: undefined, collection_steps: undefined },
    {
      stale_payments_rejected: 1,
      admin_figures_refreshed: 1,
      usage_partitions: undefined,
      login_failures_purged: 1,
      idempotency_keys_purged: 0,
      sent_sms_purged: 0,
      verification_codes_purged: 0,
      verification_code_guesses_purged: 0,
      bills_issued: undefined,
      bill_run_requests: 0,
      collection_steps: undefined,
    },
  );
  assert.ok(Array.isArray(first.usage_partitions), "the tick keeps the usage partitions ahead");
  const second = (await db.query("select telecom.maintenance_tick() as done")).rows[0].done;
  assert.equal(
    { ...second, usage_partitions: undefined },
    {
      stale_payments_rejected: 0,
      admin_figures_refreshed: 0,
      usage_partitions: undefined,
      login_failures_purged: 0,
      idempotency_keys_purged: 0,
      sent_sms_purged: 0,
      verification_codes_purged: 0,
      verification_code_guesses_purged: 0,
      // The first tick of the day ran them: this one does not.
      bills_issued: null,
      bill_run_requests: 0,
      collection_steps: null,
    },
  );
});

test("the maintenance tick refreshes the admin figures once they are older than figures_age (one tick, docs/money.md)", async ({ db }) => {
  await pendingRecharge(db, 5); // an account, so the figures have rows (and an as_of)
  await asSuperuser(db);
  const done = (await db.query("select telecom.maintenance_tick('30 minutes', '0 seconds') as done")).rows[0].done;
  assert.is(done.admin_figures_refreshed, 1);
  const asOf = async () => (await db.query("select max(as_of) as t from telecom.account_status_counts")).rows[0].t as Date | null;
  const accounts = async () => (await db.query("select coalesce(sum(accounts), 0)::int as n from telecom.account_status_counts")).rows[0].n;
  const shown = await accounts();
  const real = (await db.query("select count(*)::int as n from telecom.customer_account")).rows[0].n;
  assert.is(shown, real, "a refresh counts every account");
  const first = await asOf();
  assert.is(
    (await db.query("select telecom.maintenance_tick() as done")).rows[0].done.admin_figures_refreshed,
    0,
    "fresh figures are kept",
  );
  assert.equal(await asOf(), first);
});

test("a customer's payment that does not fit numeric(12,2), or that the wallet cannot cover, is refused and writes nothing", async ({
  db,
}) => {
  const before = await moneyState(db);
  await asAlice(db);
  for (const [method, amount, code] of [
    ["credit", "10000000000", "TC104"],
    ["credit", "0.001", "TC105"],
    ["wallet", "10000000000", "TC104"],
    ["wallet", "500.01", "TC316"],
  ]) {
    assert.is(
      (
        await errorOf(db, "select telecom.initiate_balance_payment($1, $2::numeric, $3::telecom.payment_method)", [
          ALICE.mobile_no,
          amount,
          method,
        ])
      ).code,
      code,
      `${method} ${amount}`,
    );
  }
  await asSuperuser(db);
  assert.equal(await moneyState(db), before);
  assert.is((await db.query("select count(*)::int as n from telecom.payment where mobile_no = $1", [ALICE.mobile_no])).rows[0].n, 0);
});

test.run();

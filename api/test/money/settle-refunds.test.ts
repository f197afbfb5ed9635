/**
 * Card reports that cannot be applied (docs/money.md, "Card payments"): the processor has charged the card,
 * so the money must be owed back, never dropped. An amount the balance cannot hold (numeric(12,2)) is
 * refused when the card payment is initiated (TC317), before the card is charged; one that stopped
 * fitting since (another payment filled the balance) rejects the payment when it is reported
 * successful and is logged in card_refund, in a transaction that commits (settle_payment returns the
 * rejected payment instead of raising). A late success for a rejected payment is refused (TC322) and
 * logged with record_card_refund, for the reason it has.
 */
import type pg from "pg";
import * as assert from "uvu/assert";
import { dbSuite, errorOf } from "../support/database.ts";
import { moneyState } from "../support/money-state.ts";
import { asRole, asSuperuser } from "../support/roles.ts";
import { ALICE, createCustomers } from "./fixtures.ts";

const test = dbSuite("money: card reports that cannot be applied are logged for a refund");

const MAX = "9999999999.99";
const asAlice = (db: pg.PoolClient) => asRole(db, "telecom_customer", { mobile_no: ALICE.mobile_no, national_id: ALICE.national_id });
const asProcessor = async (db: pg.PoolClient) => {
  await asSuperuser(db);
  await db.query("select set_config('role', 'telecom_payment_processor', true)");
};

async function balanceOf(db: pg.PoolClient): Promise<string> {
  await asSuperuser(db);
  const { rows } = await db.query("select balance from telecom.customer_account where mobile_no = $1", [ALICE.mobile_no]);
  return rows[0].balance;
}

test.before.each(async ({ db }) => {
  await createCustomers(db);
});

test("a card amount the balance cannot hold is refused when it is initiated (TC317), and nothing is recorded", async ({ db }) => {
  await asSuperuser(db);
  const before = await moneyState(db);
  await asAlice(db);
  // Alice has 100 on her balance: 9,999,999,999.99 more cannot fit.
  const recharge = await errorOf(db, "select telecom.initiate_balance_payment($1, $2, 'credit')", [ALICE.mobile_no, MAX]);
  assert.equal([recharge.code, recharge.message], ["TC317", `The balance of ${ALICE.mobile_no} cannot hold ${MAX} more.`]);
  await asSuperuser(db);
  assert.equal(await moneyState(db), before, "no payment recorded");
  // A plan payment credits its extra to the balance: that too must fit.
  await asSuperuser(db);
  const plan = await db.query(
    "insert into telecom.service_plan (name, price, sms_offered, minutes_offered, data_offered) values ('Refund plan', 50, 1, 1, 1) returning plan_id",
  );
  const withPlan = await moneyState(db);
  await asAlice(db);
  const planPayment = await errorOf(db, "select telecom.initiate_plan_payment($1, $2, 'credit', $3)", [
    ALICE.mobile_no,
    MAX,
    plan.rows[0].plan_id,
  ]);
  assert.is(planPayment.code, "TC317");
  await asSuperuser(db);
  assert.equal(await moneyState(db), withPlan, "no payment, no process_payment row");
  // What fits is still accepted, pending.
  await asAlice(db);
  const fits = await db.query("select status from telecom.initiate_balance_payment($1, 9999999899.99, 'credit')", [ALICE.mobile_no]);
  assert.is(fits.rows[0].status, "pending");
});

test("a successful report the balance can no longer hold rejects the payment and logs its refund, without raising", async ({ db }) => {
  // Two pending recharges that each fit, but not together.
  await asAlice(db);
  const first = (await db.query("select * from telecom.initiate_balance_payment($1, 9999999000, 'credit')", [ALICE.mobile_no])).rows[0];
  const second = (await db.query("select * from telecom.initiate_balance_payment($1, 950, 'credit')", [ALICE.mobile_no])).rows[0];
  await asProcessor(db);
  assert.is(
    (await db.query("select status from telecom.settle_payment($1, 'successful')", [first.provider_reference])).rows[0].status,
    "successful",
  );
  assert.is(await balanceOf(db), "9999999100.00");
  await asProcessor(db);
  const { rows } = await db.query("select payment_id, status from telecom.settle_payment($1, 'successful')", [second.provider_reference]);
  assert.equal(rows, [{ payment_id: second.payment_id, status: "rejected" }], "answered, not raised: the log commits");
  assert.is(await balanceOf(db), "9999999100.00", "nothing applied");
  const refunds = await db.query("select payment_id, provider_reference, amount::text, reason, refunded_at from telecom.card_refund");
  assert.equal(refunds.rows, [
    {
      payment_id: second.payment_id,
      provider_reference: second.provider_reference,
      amount: "950.00",
      reason: "balance_cannot_hold",
      refunded_at: null,
    },
  ]);
  const journal = await db.query(
    "select count(*)::integer as n from telecom.money_journal where mobile_no = $1 and operation = 'settle_payment'",
    [ALICE.mobile_no],
  );
  assert.is(journal.rows[0].n, 1, "only the first payment moved money");
  // The processor sends it again: the same answer, logged once.
  await asProcessor(db);
  const again = await db.query("select payment_id, status from telecom.settle_payment($1, 'successful')", [second.provider_reference]);
  assert.equal(again.rows, rows);
  await asSuperuser(db);
  assert.is((await db.query("select count(*)::integer as n from telecom.card_refund")).rows[0].n, 1);
  // A rejection reported after that agrees with the payment's status: answered alike.
  await asProcessor(db);
  assert.equal(
    (await db.query("select payment_id, status from telecom.settle_payment($1, 'rejected')", [second.provider_reference])).rows,
    rows,
  );
  await asSuperuser(db);
  assert.equal((await db.query("select * from telecom.audit_balances()")).rows, [], "every balance agrees with its journal");
});

test("a late success for a payment rejected as stale is logged with its reason", async ({ db }) => {
  await asAlice(db);
  const late = (await db.query("select * from telecom.initiate_balance_payment($1, 20, 'credit')", [ALICE.mobile_no])).rows[0];
  await asSuperuser(db);
  await db.query("update telecom.payment set initiated_at = now() - interval '31 minutes' where payment_id = $1", [late.payment_id]);
  await asProcessor(db);
  assert.is((await db.query("select telecom.reject_stale_payments() as n")).rows[0].n, 1);
  assert.is((await errorOf(db, "select telecom.settle_payment($1, 'successful')", [late.provider_reference])).code, "TC322");
  const { rows } = await db.query("select payment_id, amount::text, reason from telecom.record_card_refund($1)", [late.provider_reference]);
  assert.equal(rows, [{ payment_id: late.payment_id, amount: "20.00", reason: "reported_after_rejection" }]);
});

test.run();

/**
 * Cashback only on money that came in from outside (docs/error-codes.md: TC117): a wallet top-up
 * followed by cashback on it, repeated, would earn 10 % each time on money that never came from
 * outside. Payments made from the wallet are refused; cash and card payments earn it.
 */
import type pg from "pg";
import * as assert from "uvu/assert";
import { dbSuite, errorOf } from "../support/database.ts";
import { asRole, asSuperuser } from "../support/roles.ts";
import { moneyState } from "../support/money-state.ts";
import { ALICE, createCustomers } from "./fixtures.ts";

const test = dbSuite("money: cashback only on cash and card payments");

const asAlice = (db: pg.PoolClient) => asRole(db, "telecom_customer", { mobile_no: ALICE.mobile_no, national_id: ALICE.national_id });

async function walletOf(db: pg.PoolClient): Promise<string> {
  await asSuperuser(db);
  const { rows } = await db.query("select current_balance from telecom.wallet where mobile_no = $1", [ALICE.mobile_no]);
  return rows[0].current_balance;
}

test.before.each(async (context) => {
  await createCustomers(context.db);
  const { rows } = await context.db.query(
    `with plan as (
       insert into telecom.service_plan (name, price, sms_offered, minutes_offered, data_offered) values ('Cashback plan', 50, 1, 1, 1) returning plan_id
     ), benefit as (
       insert into telecom.benefit (description, validity_date, mobile_no) values ('Cashback 10 %', current_date + 30, $1) returning benefit_id
     )
     select plan.plan_id, benefit.benefit_id from plan, benefit`,
    [ALICE.mobile_no],
  );
  Object.assign(context, { planId: rows[0].plan_id, benefitId: rows[0].benefit_id });
});

test("a wallet top-up followed by cashback on it is refused (TC117): the loop earns nothing", async (context) => {
  const { db } = context;
  const { benefitId } = context as unknown as { benefitId: number };
  assert.is(await walletOf(db), "500.00");
  // The loop: top up the balance from the wallet, ask cashback on it, again and again.
  for (let round = 1; round <= 3; round++) {
    await asAlice(db);
    const { rows } = await db.query("select payment_id, status from telecom.initiate_balance_payment($1, 100, 'wallet')", [
      ALICE.mobile_no,
    ]);
    assert.is(rows[0].status, "successful");
    await asSuperuser(db);
    const before = await moneyState(db);
    await asAlice(db);
    const error = await errorOf(db, "select * from telecom.payment_wallet_cashback($1, $2, $3)", [
      ALICE.mobile_no,
      rows[0].payment_id,
      benefitId,
    ]);
    assert.is(error.code, "TC117", error.message);
    assert.match(error.message, /money would loop through the wallet/);
    await asSuperuser(db);
    assert.equal(await moneyState(db), before, "nothing credited");
  }
  assert.is(await walletOf(db), "200.00", "the wallet paid 300 and earned nothing back");
});

test("a plan paid from the wallet earns no cashback either; cash and card payments do", async (context) => {
  const { db } = context;
  const { planId, benefitId } = context as unknown as { planId: number; benefitId: number };
  await asAlice(db);
  const fromWallet = await db.query("select payment_id from telecom.initiate_plan_payment($1, 50, 'wallet', $2)", [
    ALICE.mobile_no,
    planId,
  ]);
  const refused = await errorOf(db, "select * from telecom.payment_wallet_cashback($1, $2, $3)", [
    ALICE.mobile_no,
    fromWallet.rows[0].payment_id,
    benefitId,
  ]);
  assert.is(refused.code, "TC117");
  // Money from outside: a shop's cash and card payments (an admin records them), successful at once.
  const earned: string[] = [];
  for (const method of ["cash", "credit"]) {
    await asRole(db, "telecom_admin", { admin_id: 1 });
    const paid = await db.query("select payment_id from telecom.initiate_balance_payment($1, 40, $2)", [ALICE.mobile_no, method]);
    await asAlice(db);
    const { rows } = await db.query("select amount from telecom.payment_wallet_cashback($1, $2, $3)", [
      ALICE.mobile_no,
      paid.rows[0].payment_id,
      benefitId,
    ]);
    earned.push(rows[0].amount);
  }
  assert.equal(earned, ["4.00", "4.00"]);
  assert.is(await walletOf(db), "458.00", "500 - 50 for the plan + 2 x 4 cashback");
});

test.run();

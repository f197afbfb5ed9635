/**
 * The money movers of docs/api.md with the money protocol (begin_money_operation / finish_money_operation): each names
 * itself in the journal, and with an idempotency key a repeat returns the first result and changes
 * nothing, while the same key with other arguments is refused.
 */
import type pg from "pg";
import * as assert from "uvu/assert";
import { dbSuite, errorOf } from "../support/database.ts";
import { asRole, asSuperuser } from "../support/roles.ts";
import { ALICE, createCustomers } from "./fixtures.ts";
import { moneyState } from "../support/money-state.ts";

const test = dbSuite("money: the money movers with the journal and idempotency keys");
const KEY = "c2d4e6f8-0a1b-4c3d-8e5f-6a7b8c9d0e1f";

/** A plan, a benefit, a successful payment and a voucher of 10 points for Alice. */
async function createExtras(db: pg.PoolClient): Promise<{ planId: number; benefitId: number; paymentId: number; voucherId: number }> {
  const { rows } = await db.query(`
    with plan as (
      insert into telecom.service_plan (name, price, sms_offered, minutes_offered, data_offered) values ('Movers plan', 50, 1, 1, 1) returning plan_id
    ), benefit as (
      insert into telecom.benefit (description, validity_date, mobile_no) values ('Movers cashback', current_date + 30, '${ALICE.mobile_no}') returning benefit_id
    ), payment as (
      insert into telecom.payment (mobile_no, amount, payment_method, status) values ('${ALICE.mobile_no}', 80, 'cash', 'successful') returning payment_id
    ), shop as (
      insert into telecom.shop (name, category) values ('Movers shop', 'tests') returning shop_id
    ), voucher as (
      insert into telecom.voucher (value, expiry_date, points, shop_id) select 25, current_date + 30, 10, shop_id from shop returning voucher_id
    )
    select plan.plan_id as "planId", benefit.benefit_id as "benefitId", payment.payment_id as "paymentId", voucher.voucher_id as "voucherId"
    from plan, benefit, payment, voucher`);
  return rows[0];
}

const asAlice = (db: pg.PoolClient) => asRole(db, "telecom_customer", { mobile_no: ALICE.mobile_no, national_id: ALICE.national_id });

interface Mover {
  name: string;
  call: (ids: Awaited<ReturnType<typeof createExtras>>) => [string, unknown[]];
  other: (ids: Awaited<ReturnType<typeof createExtras>>) => [string, unknown[]];
  id: string;
  journal: { account_kind: string; change: string }[];
}

const MOVERS: Mover[] = [
  {
    name: "initiate_balance_payment",
    // From the wallet to the balance: a customer's wallet payment moves money, it creates none.
    call: () => ["select * from telecom.initiate_balance_payment($1, 12.5, 'wallet', $2)", [ALICE.mobile_no, KEY]],
    other: () => ["select * from telecom.initiate_balance_payment($1, 12.6, 'wallet', $2)", [ALICE.mobile_no, KEY]],
    id: "payment_id",
    journal: [
      { account_kind: "wallet_balance", change: "-12.50" },
      { account_kind: "account_balance", change: "12.50" },
    ],
  },
  {
    name: "initiate_plan_payment",
    // 60 for a plan of 50 from the wallet: the extra 10 goes to the balance.
    call: (ids) => ["select * from telecom.initiate_plan_payment($1, 60, 'wallet', $2, $3)", [ALICE.mobile_no, ids.planId, KEY]],
    other: (ids) => ["select * from telecom.initiate_plan_payment($1, 60, 'credit', $2, $3)", [ALICE.mobile_no, ids.planId, KEY]],
    id: "payment_id",
    journal: [
      { account_kind: "wallet_balance", change: "-60.00" },
      { account_kind: "account_balance", change: "10.00" },
    ],
  },
  {
    name: "payment_wallet_cashback",
    call: (ids) => ["select * from telecom.payment_wallet_cashback($1, $2, $3, $4)", [ALICE.mobile_no, ids.paymentId, ids.benefitId, KEY]],
    other: (ids) => [
      "select * from telecom.payment_wallet_cashback($1, $2, $3, $4)",
      [ALICE.mobile_no, ids.paymentId + 1000, ids.benefitId, KEY],
    ],
    id: "cashback_id",
    journal: [{ account_kind: "wallet_balance", change: "8.00" }],
  },
  {
    name: "redeem_voucher_points",
    call: (ids) => ["select * from telecom.redeem_voucher_points($1, $2, $3)", [ALICE.mobile_no, ids.voucherId, KEY]],
    other: (ids) => ["select * from telecom.redeem_voucher_points($1, $2, $3)", [ALICE.mobile_no, ids.voucherId + 1000, KEY]],
    id: "voucher_id",
    journal: [{ account_kind: "account_points", change: "-10.00" }],
  },
];

for (const mover of MOVERS) {
  test(`${mover.name}: journaled under its name; a repeat returns the first result and changes nothing; other arguments TC301`, async ({
    db,
  }) => {
    await createCustomers(db);
    const ids = await createExtras(db);
    await asAlice(db);
    const [statement, values] = mover.call(ids);
    const first = await db.query(statement, values);
    assert.type(first.rows[0][mover.id], "number");
    await asSuperuser(db);
    const journal = await db.query(
      "select account_kind, change::text from telecom.money_journal where operation = $1 order by journal_id",
      [mover.name],
    );
    assert.equal(journal.rows, mover.journal);
    const before = await moneyState(db);
    await asAlice(db);
    const again = await db.query(statement, values);
    assert.equal(again.rows, first.rows);
    const [otherStatement, otherValues] = mover.other(ids);
    const error = await errorOf(db, otherStatement, otherValues);
    assert.equal([error.code, error.message], ["TC301", "This idempotency key was already used for a different request."]);
    await asSuperuser(db);
    assert.equal(await moneyState(db), before);
  });
}

test("total_points_account: the recomputed points are journaled under its name", async ({ db }) => {
  await createCustomers(db);
  const points = await asRole(db, "telecom_admin", { admin_id: 1 }, () =>
    db.query("select telecom.total_points_account($1) as points", [ALICE.mobile_no]),
  );
  assert.is(points?.rows[0].points, 0);
  const journal = await db.query(
    "select account_kind, change::text, actor from telecom.money_journal where operation = 'total_points_account'",
  );
  assert.equal(journal.rows, [{ account_kind: "account_points", change: "-20.00", actor: "admin:1" }]);
});

test.run();

/**
 * docs/api.md: for an admin or a trusted session, an unknown number is TC101 in every reference
 * operation that takes a mobile_no, reads included (account_login_validation alone answers false),
 * and an unknown plan name is TC102; a customer's other number stays 42501. Nothing is written.
 */
import type pg from "pg";
import * as assert from "uvu/assert";
import { dbSuite, errorOf } from "../support/database.ts";
import { Builder } from "../support/builder.ts";
import { asRole, asSuperuser } from "../support/roles.ts";
import { A1, B1, C1, admin, buildFixture, customerA, id } from "./fixture.ts";

const test = dbSuite("operations: unknown accounts and plans");

/** A number nobody has. */
const UNKNOWN = await new Builder().mobileNo();

/** Every reference operation that takes a mobile_no ($1), with plausible other arguments. */
const ACCOUNT_OPERATIONS = [
  // Admin operations.
  "select * from telecom.account_usage_plan($1, current_date - 30)",
  `select telecom.benefits_account($1, ${id.basic})`,
  "select * from telecom.account_sms_offers($1)",
  "select * from telecom.account_payment_points($1)",
  "select telecom.wallet_mobile_no($1)",
  "select telecom.total_points_account($1)",
  // Customer operations.
  "select * from telecom.unsubscribed_plans($1)",
  "select * from telecom.usage_plan_current_month($1)",
  "select telecom.account_highest_voucher($1)",
  "select telecom.remaining_plan_amount($1, 'Fixture Basic')",
  "select telecom.extra_plan_amount($1, 'Fixture Basic')",
  "select * from telecom.top_successful_payments($1)",
  "select * from telecom.subscribed_plans_5_months($1)",
  `select * from telecom.initiate_plan_payment($1, 100, 'cash', ${id.basic})`,
  `select * from telecom.payment_wallet_cashback($1, ${id.pay6}, ${id.ben1})`,
  "select * from telecom.initiate_balance_payment($1, 10, 'cash')",
  `select * from telecom.redeem_voucher_points($1, ${id.v4})`,
];

const PLAN_OPERATIONS = [
  `select telecom.remaining_plan_amount('${A1}', 'No Such Plan')`,
  `select telecom.extra_plan_amount('${A1}', 'No Such Plan')`,
  "select * from telecom.consumption('No Such Plan', current_date - 30, current_date)",
];

type Caller = "owner" | "admin";

async function actAs(db: pg.PoolClient, caller: Caller): Promise<void> {
  await asSuperuser(db);
  if (caller === "owner") await db.query("set local role telecom_owner");
  else await asRole(db, "telecom_admin", admin);
}

test.before.each(async ({ db }) => {
  await buildFixture(db);
});

for (const caller of ["owner", "admin"] as const) {
  test(`${caller}: an unknown number is TC101 in every account operation, and nothing is written`, async ({ db }) => {
    await actAs(db, caller);
    const written = "select (select count(*) from telecom.payment) + (select count(*) from telecom.money_journal) as n";
    const before = (await db.query(written)).rows[0].n;
    for (const statement of ACCOUNT_OPERATIONS) {
      const error = await errorOf(db, statement, [UNKNOWN]);
      assert.equal([error.code, error.message], ["TC101", `There is no account with mobile number ${UNKNOWN}.`], statement);
    }
    assert.is((await db.query(written)).rows[0].n, before);
  });

  test(`${caller}: account_login_validation answers false for an unknown number`, async ({ db }) => {
    await actAs(db, caller);
    const { rows } = await db.query("select telecom.account_login_validation($1, 'any password') as valid", [UNKNOWN]);
    assert.is(rows[0].valid, false);
  });

  test(`${caller}: an unknown plan name is TC102`, async ({ db }) => {
    await actAs(db, caller);
    for (const statement of PLAN_OPERATIONS) {
      const error = await errorOf(db, statement);
      assert.equal([error.code, error.message], ["TC102", "There is no plan named 'No Such Plan'."], statement);
    }
  });

  test(`${caller}: the reads still answer for a known number with nothing to show`, async ({ db }) => {
    await actAs(db, caller);
    const { rows } = await db.query(
      `select telecom.wallet_mobile_no($1) as wallet, (select count(*)::int from telecom.account_sms_offers($1)) as offers,
         (telecom.account_payment_points($1)).*, telecom.remaining_plan_amount($1, 'Fixture Plus') as remaining`,
      [C1],
    );
    assert.equal(rows[0], { wallet: false, offers: 0, payment_count: 1, total_points: 0, remaining: null });
  });
}

test("a customer: an unknown plan name is TC102 too; another's number, known or not, stays 42501", async ({ db }) => {
  await asRole(db, "telecom_customer", customerA);
  for (const statement of PLAN_OPERATIONS) {
    assert.is((await errorOf(db, statement)).code, "TC102", statement);
  }
  for (const number of [B1, UNKNOWN]) {
    const error = await errorOf(db, "select telecom.remaining_plan_amount($1, 'No Such Plan')", [number]);
    assert.is(error.code, "42501", number);
  }
});

test.run();

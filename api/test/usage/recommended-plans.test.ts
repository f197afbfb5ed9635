/** recommended_plans (docs/usage.md): the three full months before this one, priced on every plan, against what was paid. */
import * as assert from "uvu/assert";
import { dbSuite, errorOf } from "../support/database.ts";
import { asRole, asSuperuser } from "../support/roles.ts";
import { createUsageFixture, POSTPAID, PREPAID } from "./fixture.ts";
import { Builder } from "../support/builder.ts";

const test = dbSuite("usage: recommended_plans");

test("last month's 200 minutes priced on each plan, averaged over three months, best first, with the saving against what was paid", async ({
  db,
}) => {
  const { older, newer, unpaid } = await createUsageFixture(new Builder(db));
  await db.query("update telecom.customer_account set start_date = current_date - 200 where mobile_no = $1", [PREPAID.mobile_no]);
  await db.query(
    `insert into telecom.plan_usage (mobile_no, plan_id, start_date, end_date, minutes_used)
     values ($1, $2, (date_trunc('month', telecom_private.operator_date(now())) - interval '1 month')::date,
       (date_trunc('month', telecom_private.operator_date(now())) - interval '1 month')::date, 200)`,
    [PREPAID.mobile_no, older],
  );
  // A plan payment of 300 last month; and one this month, which is outside the window.
  await db.query(
    `with paid as (
       insert into telecom.payment (mobile_no, amount, date_of_payment, payment_method, status)
       values ($1, 300, (date_trunc('month', current_date) - interval '1 month')::date, 'cash', 'successful'),
         ($1, 999, current_date, 'cash', 'successful')
       returning payment_id
     )
     insert into telecom.process_payment (payment_id, plan_id) select payment_id, $2 from paid`,
    [PREPAID.mobile_no, older],
  );
  await asRole(db, "telecom_customer", PREPAID);
  const { rows } = await db.query(
    "select plan_id, monthly_cost::text, current_monthly_cost::text, monthly_saving::text from telecom.recommended_plans($1) where plan_id = any($2)",
    [PREPAID.mobile_no, [older, newer, unpaid]],
  );
  // newer: (50 + 190 × 0.50) + 50 + 50 = 245 / 3; older: (100 + 100 × 0.50) + 100 + 100 = 350 / 3; unpaid: 200.
  assert.equal(rows, [
    { plan_id: newer, monthly_cost: "81.67", current_monthly_cost: "100.00", monthly_saving: "18.33" },
    { plan_id: older, monthly_cost: "116.67", current_monthly_cost: "100.00", monthly_saving: "-16.67" },
    { plan_id: unpaid, monthly_cost: "200.00", current_monthly_cost: "100.00", monthly_saving: "-100.00" },
  ]);
  assert.is((await errorOf(db, "select * from telecom.recommended_plans($1)", [POSTPAID.mobile_no])).code, "42501");
  await asSuperuser(db);
});

test.run();

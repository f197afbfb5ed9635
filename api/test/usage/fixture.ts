/** Accounts, plans and subscriptions for the usage tests, built by the superuser inside the test's transaction. */
import type pg from "pg";

export const PREPAID = { national_id: 950001, mobile_no: "01195000001" };
export const POSTPAID = { national_id: 950002, mobile_no: "01195000002" };
export const HELD = { national_id: 950003, mobile_no: "01195000003" };
export const NETWORK = { network_id: "cairo-1" };

export interface UsagePlans {
  /** data 100 MB, voice 100 min, sms 10; the older subscription. */
  older: number;
  /** data 50 MB, voice 10 min, sms 5; the newer subscription. */
  newer: number;
  /** data 1000 MB; subscribed but unpaid (paid_until today, which it does not cover). */
  unpaid: number;
}

/**
 * Three people: a prepaid account with 1.00 on it, a post-paid one with 0, a prepaid one on hold
 * with 50, each started 60 days ago, each subscribed (paid until in 10 days) to `older` (30 days
 * ago) and `newer` (20 days ago), the prepaid one also to `unpaid`.
 */
export async function createUsageFixture(db: pg.PoolClient): Promise<UsagePlans> {
  const { rows } = await db.query(`
    insert into telecom.service_plan (name, price, sms_offered, minutes_offered, data_offered)
    values ('Usage older', 100, 10, 100, 100), ('Usage newer', 50, 5, 10, 50), ('Usage unpaid', 200, 100, 1000, 1000)
    returning plan_id`);
  const [older, newer, unpaid] = rows.map((row) => row.plan_id as number);
  await db.query(
    `insert into telecom.customer_profile (national_id, first_name, last_name, date_of_birth)
     values (950001, 'Pre', 'Paid', '1990-01-01'), (950002, 'Post', 'Paid', '1990-01-01'), (950003, 'On', 'Hold', '1990-01-01');
     insert into telecom.customer_account (mobile_no, national_id, balance, account_type, start_date, status)
     values ('01195000001', 950001, 1.00, 'prepaid', current_date - 60, 'active'),
       ('01195000002', 950002, 0, 'post_paid', current_date - 60, 'active'),
       ('01195000003', 950003, 50, 'prepaid', current_date - 60, 'onhold');
     insert into telecom.subscription (mobile_no, plan_id, subscription_date, status, paid_until)
     select account.mobile_no, plan.plan_id, current_date - plan.age, 'active', plan.paid_until
     from telecom.customer_account as account
     cross join (values (${older}, 30, current_date + 10), (${newer}, 20, current_date + 10)) as plan (plan_id, age, paid_until)
     where account.national_id in (950001, 950002, 950003);
     insert into telecom.subscription (mobile_no, plan_id, subscription_date, status, paid_until)
     values ('01195000001', ${unpaid}, current_date - 40, 'active', current_date);`,
  );
  return { older, newer, unpaid };
}

/** record_usage as the network; the row it returns. */
export async function recordUsage(
  db: pg.PoolClient,
  event: { id: string; mobile_no: string; kind: string | null; quantity: number | string | null; occurredAt?: string },
): Promise<Record<string, any>> {
  const { rows } = await db.query(
    "select * from telecom.record_usage($1, $2, $3::telecom.usage_kind, $4::numeric, coalesce($5::timestamptz, now() - interval '1 minute'))",
    [event.id, event.mobile_no, event.kind, event.quantity, event.occurredAt ?? null],
  );
  return rows[0];
}

/** A fresh uuid. */
export const uuid = (): string => crypto.randomUUID();

/** Accounts, plans and subscriptions for the usage tests, built by a builder (support/builder.ts) in a test's transaction or committed. */
import type pg from "pg";
import { Builder, sql } from "../support/builder.ts";

const ids = new Builder();
export const PREPAID = await ids.customerIds();
export const POSTPAID = await ids.customerIds();
export const HELD = await ids.customerIds();
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
 * ago) and `newer` (20 days ago), the prepaid one also to `unpaid`. Built by `data` (in a test's
 * transaction, or committed).
 */
export async function createUsageFixture(data: Builder): Promise<UsagePlans> {
  const plan = async (name: string, price: number, sms: number, minutes: number, megabytes: number) =>
    (await data.plan({ name, price, sms_offered: sms, minutes_offered: minutes, data_offered: megabytes })).plan_id;
  const plans = {
    older: await plan("Usage older", 100, 10, 100, 100),
    newer: await plan("Usage newer", 50, 5, 10, 50),
    unpaid: await plan("Usage unpaid", 200, 100, 1000, 1000),
  };
  const started = sql("current_date - 60");
  await data.customer({ ...PREPAID, account: { balance: 1, start_date: started } });
  await data.customer({ ...POSTPAID, account: { balance: 0, account_type: "post_paid", start_date: started } });
  await data.customer({ ...HELD, account: { balance: 50, start_date: started, status: "onhold" } });
  for (const { mobile_no } of [PREPAID, POSTPAID, HELD]) {
    await data.db.query(
      `insert into telecom.subscription (mobile_no, plan_id, subscription_date, status, paid_until)
       values ($1, $2, current_date - 30, 'active', current_date + 10), ($1, $3, current_date - 20, 'active', current_date + 10)`,
      [mobile_no, plans.older, plans.newer],
    );
  }
  await data.db.query(
    "insert into telecom.subscription (mobile_no, plan_id, subscription_date, status, paid_until) values ($1, $2, current_date - 40, 'active', current_date)",
    [PREPAID.mobile_no, plans.unpaid],
  );
  return plans;
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

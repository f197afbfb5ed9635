/**
 * The measured statements, one table entry each: the customer operations of docs/api.md (comparison
 * c), the admin views and reports of docs/api.md (comparison d). Writing operations run in a
 * transaction that is rolled back, so every sample sees the same data.
 */
import pg from "pg";
import { withClient } from "../src/db/client.ts";
import type { TokenClaims } from "../src/server/jwt.ts";
import { claimsSql, summarize, timedAs, type LatencySummary } from "./measure.ts";

/** A synthetic account and what the operations need to know about it. */
export interface Sample {
  mobileNo: string;
  nationalId: number;
  planId: number;
  planName: string;
  subscriptionDate: string;
  walletId: number | null;
  uncreditedPaymentId: number | null;
  activeBenefitId: number | null;
  voucherId: number | null;
}

type Who = "customer" | "admin" | "anonymous";

export interface Operation {
  name: string;
  who: Who;
  sql: string;
  /** The statement's arguments for a sample, or undefined when the sample cannot be used. */
  values(sample: Sample): unknown[] | undefined;
  /** How many timed runs (default: the caller's). */
  runs?: number;
}

const needs = <T>(value: T | null, then: (value: T) => unknown[] | undefined) => (value === null ? undefined : then(value));

export const CUSTOMER_OPERATIONS: Operation[] = [
  {
    name: "account_login_validation",
    who: "anonymous",
    sql: "select telecom.account_login_validation($1, $2)",
    values: (s) => [s.mobileNo, "telecom-demo"],
  },
  {
    name: "consumption",
    who: "customer",
    sql: "select * from telecom.consumption($1, current_date - 90, current_date)",
    values: (s) => [s.planName],
  },
  { name: "unsubscribed_plans", who: "customer", sql: "select * from telecom.unsubscribed_plans($1)", values: (s) => [s.mobileNo] },
  {
    name: "usage_plan_current_month",
    who: "customer",
    sql: "select * from telecom.usage_plan_current_month($1)",
    values: (s) => [s.mobileNo],
  },
  {
    name: "cashback_wallet_customer",
    who: "customer",
    sql: "select * from telecom.cashback_wallet_customer($1)",
    values: (s) => [s.nationalId],
  },
  { name: "ticket_account_customer", who: "customer", sql: "select telecom.ticket_account_customer($1)", values: (s) => [s.nationalId] },
  { name: "account_highest_voucher", who: "customer", sql: "select telecom.account_highest_voucher($1)", values: (s) => [s.mobileNo] },
  {
    name: "remaining_plan_amount",
    who: "customer",
    sql: "select telecom.remaining_plan_amount($1, $2)",
    values: (s) => [s.mobileNo, s.planName],
  },
  { name: "extra_plan_amount", who: "customer", sql: "select telecom.extra_plan_amount($1, $2)", values: (s) => [s.mobileNo, s.planName] },
  {
    name: "top_successful_payments",
    who: "customer",
    sql: "select * from telecom.top_successful_payments($1)",
    values: (s) => [s.mobileNo],
  },
  {
    name: "subscribed_plans_5_months",
    who: "customer",
    sql: "select * from telecom.subscribed_plans_5_months($1)",
    values: (s) => [s.mobileNo],
  },
  {
    name: "initiate_plan_payment",
    who: "customer",
    // By card: pending until the processor settles it (the settlement is measured on its own).
    sql: "select * from telecom.initiate_plan_payment($1, 1000.00, 'credit', $2)",
    values: (s) => [s.mobileNo, s.planId],
  },
  {
    name: "payment_wallet_cashback",
    who: "customer",
    sql: "select * from telecom.payment_wallet_cashback($1, $2, $3)",
    values: (s) =>
      needs(s.walletId, () =>
        needs(s.uncreditedPaymentId, (payment) => needs(s.activeBenefitId, (benefit) => [s.mobileNo, payment, benefit])),
      ),
  },
  {
    name: "initiate_balance_payment",
    who: "customer",
    sql: "select * from telecom.initiate_balance_payment($1, 50.00, 'credit')",
    values: (s) => [s.mobileNo],
  },
  {
    name: "redeem_voucher_points",
    who: "customer",
    sql: "select * from telecom.redeem_voucher_points($1, $2)",
    values: (s) => needs(s.voucherId, (voucher) => [s.mobileNo, voucher]),
  },
];

const VIEWS = [
  "all_customer_accounts",
  "all_service_plans",
  "all_benefits",
  "account_payments",
  "all_shops",
  "all_resolved_tickets",
  "customer_wallet",
  "e_shop_vouchers",
  "physical_store_vouchers",
  "num_of_cashback",
];

/** Views and whole-table reports are measured as a first page (what the admin screens ask for) and as a full count. */
export const ADMIN_OPERATIONS: Operation[] = [
  ...VIEWS.flatMap((view): Operation[] => [
    { name: `${view} (first 50)`, who: "admin", sql: `select * from telecom.${view} limit 50`, values: () => [] },
    { name: `${view} (count)`, who: "admin", sql: `select count(*) from telecom.${view}`, values: () => [], runs: 3 },
  ]),
  { name: "account_plan() (first 50)", who: "admin", sql: "select * from telecom.account_plan() limit 50", values: () => [], runs: 3 },
  { name: "account_plan() (count)", who: "admin", sql: "select count(*) from telecom.account_plan()", values: () => [], runs: 3 },
  {
    name: "account_plan_date",
    who: "admin",
    sql: "select * from telecom.account_plan_date($1, $2)",
    values: (s) => [s.subscriptionDate, s.planId],
  },
  {
    name: "account_usage_plan",
    who: "admin",
    sql: "select * from telecom.account_usage_plan($1, current_date - 90)",
    values: (s) => [s.mobileNo],
  },
  { name: "benefits_account", who: "admin", sql: "select telecom.benefits_account($1, $2)", values: (s) => [s.mobileNo, s.planId] },
  { name: "account_sms_offers", who: "admin", sql: "select * from telecom.account_sms_offers($1)", values: (s) => [s.mobileNo] },
  { name: "account_payment_points", who: "admin", sql: "select * from telecom.account_payment_points($1)", values: (s) => [s.mobileNo] },
  {
    name: "wallet_cashback_amount",
    who: "admin",
    sql: "select telecom.wallet_cashback_amount($1, $2)",
    values: (s) => needs(s.walletId, (wallet) => [wallet, s.planId]),
  },
  {
    name: "wallet_transfer_amount",
    who: "admin",
    sql: "select telecom.wallet_transfer_amount($1, current_date - 365, current_date)",
    values: (s) => needs(s.walletId, (wallet) => [wallet]),
  },
  { name: "wallet_mobile_no", who: "admin", sql: "select telecom.wallet_mobile_no($1)", values: (s) => [s.mobileNo] },
  { name: "total_points_account", who: "admin", sql: "select telecom.total_points_account($1)", values: (s) => [s.mobileNo] },
  // Linear in the journal's size (docs/money.md: ≤ 10 s at 1M customers).
  { name: "audit_balances()", who: "admin", sql: "select count(*) from telecom.audit_balances()", values: () => [], runs: 3 },
];

/** `count` random active synthetic accounts among the first `customers`, read as a superuser. */
export async function loadSamples(superuserUrl: string, customers: number, count: number): Promise<Sample[]> {
  const picked = Array.from({ length: count * 2 }, () => Math.floor(Math.random() * customers));
  return withClient(superuserUrl, async (client) => {
    const { rows } = await client.query(
      `select
         account.mobile_no as "mobileNo",
         account.national_id as "nationalId",
         subscribed.plan_id as "planId",
         subscribed.name as "planName",
         subscribed.subscription_date::text as "subscriptionDate",
         wallet.wallet_id as "walletId",
         uncredited.payment_id as "uncreditedPaymentId",
         benefit.benefit_id as "activeBenefitId",
         voucher.voucher_id as "voucherId"
       from telecom.customer_account as account
       cross join lateral (
         select subscription.plan_id, plan.name, subscription.subscription_date
         from telecom.subscription as subscription
         inner join telecom.service_plan as plan
           on plan.plan_id = subscription.plan_id
         where subscription.mobile_no = account.mobile_no
         order by subscription.plan_id
         limit 1
       ) as subscribed
       left join telecom.wallet as wallet
         on wallet.national_id = account.national_id
       left join lateral (
         select payment.payment_id
         from telecom.payment as payment
         where payment.mobile_no = account.mobile_no
           and payment.status = 'successful'
           and not exists (select from telecom.cashback where cashback.payment_id = payment.payment_id)
         limit 1
       ) as uncredited
         on true
       left join lateral (
         select benefit.benefit_id
         from telecom.benefit as benefit
         where benefit.mobile_no = account.mobile_no
           and benefit.status = 'active'
           and benefit.validity_date >= current_date
         limit 1
       ) as benefit
         on true
       left join lateral (
         select voucher.voucher_id
         from telecom.voucher as voucher
         where voucher.mobile_no is null
           and voucher.expiry_date >= current_date
           and voucher.points <= account.points
         limit 1
       ) as voucher
         on true
       where account.mobile_no = any(array(select telecom_private.synthetic_mobile_no(customer) from unnest($1::integer[]) as customer))
         and account.status = 'active'
       limit $2`,
      [picked, count],
    );
    return rows as Sample[];
  });
}

/** The token claims of who runs an operation (null: anonymous). */
function claimsOf(who: Who, sample: Sample): TokenClaims | null {
  if (who === "customer") return { role: "telecom_customer", mobile_no: sample.mobileNo, national_id: sample.nationalId };
  if (who === "admin") return { role: "telecom_admin", admin_id: 1 };
  return null;
}

export interface OperationResult extends LatencySummary {
  name: string;
  /** Buffer pages (shared hit + read) one call touches, averaged over up to 20 samples. */
  pages?: number;
  errors: number;
  firstError?: string;
  /** Plans of the statement and of the statements inside its functions, for slow ones. */
  explain?: string;
}

/**
 * Times each operation `runs` times on the authenticator connection (a different sample each run,
 * after an untimed pass over the same samples), or fewer when it has taken `budgetMs`; explains those whose p95 exceeds
 * `explainAboveMs`.
 */
export async function measureOperations(
  urls: { authenticator: string; superuser: string },
  operations: Operation[],
  samples: Sample[],
  options: { runs: number; budgetMs?: number; explainAboveMs?: number; countPages?: boolean; onResult?: (result: OperationResult) => void },
): Promise<OperationResult[]> {
  return withClient(urls.authenticator, async (client) => {
    const results: OperationResult[] = [];
    for (const operation of operations) {
      const usable = samples.filter((sample) => operation.values(sample) !== undefined);
      const runs = operation.runs ?? options.runs;
      const latencies: number[] = [];
      let errors = 0;
      let firstError: string | undefined;
      const deadline = Date.now() + (options.budgetMs ?? 20_000);
      // An untimed pass over the samples first, then the timed pass over the same ones: both scales
      // are measured with the samples' pages cached, so the growth ratio shows the work that grows
      // with the data (scans), not how much of the data fits in memory.
      const chosen = usable.slice(0, runs);
      for (let run = -chosen.length; run < chosen.length && Date.now() < deadline; run++) {
        const sample = chosen[(run + chosen.length) % chosen.length];
        try {
          const ms = await timedAs(client, claimsOf(operation.who, sample), operation.sql, operation.values(sample)!);
          if (run >= 0) latencies.push(ms);
        } catch (error) {
          errors++;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
      const pages = options.countPages ? await pagesPerCall(client, operation, chosen.slice(0, 20)) : undefined;
      const result: OperationResult = {
        name: operation.name,
        ...summarize(latencies),
        pages,
        errors,
        ...(firstError ? { firstError } : {}),
      };
      if (options.explainAboveMs !== undefined && result.p95 > options.explainAboveMs && usable.length > 0) {
        result.explain = await explain(urls.superuser, operation, usable[0]);
      }
      options.onResult?.(result);
      results.push(result);
    }
    return results;
  });
}

/**
 * The pages a call touches, from `explain (analyze, buffers)` of the statement (its top node counts
 * the pages read by the statements inside its functions too): unlike a latency, this does not depend
 * on what else the machine is doing, so it shows whether the work grows with the data.
 */
async function pagesPerCall(client: pg.Client, operation: Operation, samples: Sample[]): Promise<number | undefined> {
  const counts: number[] = [];
  for (const sample of samples) {
    await client.query(`begin; ${claimsSql(client, claimsOf(operation.who, sample))}`);
    try {
      const { rows } = await client.query(`explain (analyze, buffers, format json) ${operation.sql}`, operation.values(sample));
      const plan = rows[0]["QUERY PLAN"][0].Plan;
      counts.push(plan["Shared Hit Blocks"] + plan["Shared Read Blocks"]);
    } catch {
      // A refused call is counted among the errors of the timed runs.
    } finally {
      await client.query("rollback");
    }
  }
  return counts.length ? counts.reduce((sum, count) => sum + count, 0) / counts.length : undefined;
}

/**
 * `explain (analyze, buffers)` of the statement, plus the plans of the statements run inside its
 * functions (auto_explain with nested statements, sent back as notices), as the same caller.
 */
export async function explain(superuserUrl: string, operation: Operation, sample: Sample): Promise<string> {
  return withClient(superuserUrl, async (client) => {
    const nested: string[] = [];
    client.on("notice", (notice) => nested.push(notice.message ?? ""));
    await client.query(`
      load 'auto_explain';
      set auto_explain.log_min_duration = 0;
      set auto_explain.log_analyze = on;
      set auto_explain.log_buffers = on;
      set auto_explain.log_nested_statements = on;
      set auto_explain.log_level = notice;`);
    await client.query("begin");
    await client.query(claimsSql(client, claimsOf(operation.who, sample)));
    const { rows } = await client.query(`explain (analyze, buffers) ${operation.sql}`, operation.values(sample));
    await client.query("rollback");
    const plan = rows.map((row) => row["QUERY PLAN"]).join("\n");
    // The claims statement and the explain itself are logged too; keep only the nested plans.
    const inner = nested.filter((message) => !message.includes("set_config(") && !message.includes("explain (analyze, buffers)"));
    return [plan, ...inner.map((message) => `-- nested statement\n${message}`)].join("\n");
  });
}

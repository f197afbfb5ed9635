/**
 * Removes test data that tests committed (servers and browsers see only committed rows): every row
 * linked to the given people, and the plans, shops, admins and login failures named. Money history
 * is append-only for every writer, so this runs as a superuser with triggers disabled on purpose
 * (session_replication_role = replica, which also skips foreign-key checks), in one transaction.
 */
import { getRootPool } from "./database.ts";

export interface TestData {
  nationalIds: number[];
  planIds?: number[];
  shopIds?: number[];
  adminUsernames?: string[];
  /** Login failures to forget: exact logins or LIKE patterns. */
  logins?: string[];
}

const numbers = "(select mobile_no from telecom.customer_account where national_id = any($1))";
const wallets = "(select wallet_id from telecom.wallet where national_id = any($1))";
const benefits = `(select benefit_id from telecom.benefit where mobile_no in ${numbers})`;
const payments = `(select payment_id from telecom.payment where mobile_no in ${numbers})`;
const bills = `(select invoice_id from telecom.invoice where mobile_no in ${numbers})`;

const STATEMENTS = [
  `delete from telecom.account_bar where mobile_no in ${numbers}`,
  `delete from telecom.collection_step where invoice_id in ${bills}`,
  `delete from telecom.credit_note where invoice_id in ${bills}`,
  `delete from telecom.invoice_line where invoice_id in ${bills} or plan_id = any($2)`,
  `delete from telecom.plan_charge where mobile_no in ${numbers} or plan_id = any($2)`,
  `delete from telecom.invoice where mobile_no in ${numbers}`,
  `delete from telecom.cashback where wallet_id in ${wallets} or benefit_id in ${benefits} or payment_id in ${payments}`,
  `delete from telecom.points_group where payment_id in ${payments} or benefit_id in ${benefits}`,
  `delete from telecom.exclusive_offer where benefit_id in ${benefits}`,
  `delete from telecom.plan_provides_benefits where benefit_id in ${benefits} or plan_id = any($2)`,
  `delete from telecom.benefit where mobile_no in ${numbers}`,
  `delete from telecom.card_refund where payment_id in ${payments}`,
  `delete from telecom.process_payment where payment_id in ${payments} or plan_id = any($2)`,
  `delete from telecom.payment where mobile_no in ${numbers}`,
  `delete from telecom.transfer_money where from_wallet_id in ${wallets} or to_wallet_id in ${wallets}`,
  `delete from telecom.voucher where mobile_no in ${numbers} or shop_id = any($3)`,
  "delete from telecom.physical_shop where shop_id = any($3)",
  "delete from telecom.e_shop where shop_id = any($3)",
  "delete from telecom.shop where shop_id = any($3)",
  `delete from telecom.usage_alert where mobile_no in ${numbers} or plan_id = any($2)`,
  `delete from telecom.usage_allocation where mobile_no in ${numbers} or plan_id = any($2)`,
  `delete from telecom_private.usage_event_key where event_id in (select event_id from telecom.usage_event where mobile_no in ${numbers})`,
  `delete from telecom.usage_event where mobile_no in ${numbers}`,
  `delete from telecom.plan_usage where mobile_no in ${numbers} or plan_id = any($2)`,
  `delete from telecom.subscription where mobile_no in ${numbers} or plan_id = any($2)`,
  `delete from telecom.technical_support_ticket where mobile_no in ${numbers}`,
  `delete from telecom_private.customer_credential where mobile_no in ${numbers}`,
  `delete from telecom_private.verification_code_guess where code_id in (select code_id from telecom_private.verification_code where mobile_no in ${numbers})`,
  `delete from telecom_private.verification_code where mobile_no in ${numbers}`,
  `delete from telecom_private.sms_outbox where mobile_no in ${numbers}`,
  "delete from telecom_private.email_refusal where national_id = any($1)",
  "delete from telecom_private.recipient_lookup where national_id = any($1)",
  "delete from telecom.wallet where national_id = any($1)",
  "delete from telecom.customer_account where national_id = any($1)",
  "delete from telecom.customer_profile where national_id = any($1)",
  "delete from telecom.service_plan where plan_id = any($2)",
  "delete from telecom.money_journal where national_id = any($1)",
  "delete from telecom_private.idempotency_key where actor = any(array(select 'customer:' || unnest($1::integer[])))",
  "delete from telecom_private.admin_user where username = any($4)",
  "delete from telecom_private.login_failure where login like any($5)",
];

/** The statement with only the parameters it uses, renumbered from $1 (PostgreSQL refuses unused ones). */
function bind(statement: string, values: unknown[]): [string, unknown[]] {
  const used = [...new Set([...statement.matchAll(/\$(\d)/g)].map((match) => Number(match[1])))];
  const text = statement.replace(/\$(\d)/g, (_, n: string) => `$${used.indexOf(Number(n)) + 1}`);
  return [text, used.map((n) => values[n - 1])];
}

export async function deletePeople(data: TestData): Promise<void> {
  const values = [data.nationalIds, data.planIds ?? [], data.shopIds ?? [], data.adminUsernames ?? [], data.logins ?? []];
  const db = await getRootPool().connect();
  await db.query("begin");
  try {
    await db.query("set local session_replication_role = replica");
    for (const statement of STATEMENTS) await db.query(...bind(statement, values));
    await db.query("commit");
  } catch (error) {
    await db.query("rollback");
    throw error;
  } finally {
    db.release();
  }
}

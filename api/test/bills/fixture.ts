/** Post-paid accounts and a plan for the bill tests, built by the superuser inside the test's transaction. */
import type pg from "pg";

export const PERSON = { national_id: 960001 };
/** Post-paid numbers of the person, started 90 days ago with a balance of 0. */
export const NUMBERS = ["01196000001", "01196000002", "01196000003"] as const;
/** A prepaid number of the person. */
export const PREPAID_NUMBER = "01196000009";

export interface BillPlans {
  /** 100.00 EGP a month. */
  monthly: number;
  /** 99.99 EGP a month: prorated fees that round. */
  odd: number;
}

export async function createBillFixture(db: pg.PoolClient): Promise<BillPlans> {
  const { rows } = await db.query(`
    insert into telecom.service_plan (name, price, sms_offered, minutes_offered, data_offered)
    values ('Bills monthly', 100, 10, 10, 10), ('Bills odd', 99.99, 10, 10, 10)
    returning plan_id`);
  await db.query(
    "insert into telecom.customer_profile (national_id, first_name, last_name, date_of_birth) values ($1, 'Bill', 'Payer', '1985-01-01')",
    [PERSON.national_id],
  );
  await db.query(
    `insert into telecom.customer_account (mobile_no, national_id, balance, account_type, start_date, status)
     select number, $1::integer, 0, 'post_paid'::telecom.account_type, current_date - 90, 'active'::telecom.account_status from unnest($2::text[]) as number
     union all
     select $3, $1, 100, 'prepaid', current_date - 90, 'active'`,
    [PERSON.national_id, NUMBERS, PREPAID_NUMBER],
  );
  return { monthly: rows[0].plan_id, odd: rows[1].plan_id };
}

/** The first of this month and of last month (the operator's: the database's time zone is the operator's). */
export const THIS_MONTH = "date_trunc('month', current_date)::date";
export const LAST_MONTH = "(date_trunc('month', current_date) - interval '1 month')::date";

/** The number the next bill (INV) or credit note (CN) of this year will get. */
export async function nextNumber(db: pg.PoolClient, series: "INV" | "CN"): Promise<string> {
  const { rows } = await db.query(
    `select telecom_private.document_no($1, extract(year from current_date)::integer,
       coalesce((select last_number from telecom_private.document_number where series = $1 and year = extract(year from current_date)), 0) + 1) as no`,
    [series],
  );
  return rows[0].no;
}

/** A charged usage event of last month (the partition made when missing), as history: it was debited when it was rated. */
export async function lastMonthUsage(
  db: pg.PoolClient,
  mobile_no: string,
  kind: string,
  quantity: number,
  charged: string,
  at: string,
): Promise<void> {
  await db.query("select telecom_private.ensure_usage_partitions(now() - interval '1 month')");
  await db.query(
    `insert into telecom.usage_event (event_id, mobile_no, kind, quantity, occurred_at, charged, outcome)
     values (gen_random_uuid(), $1, $2, $3, ${at}, $4, 'charged')`,
    [mobile_no, kind, quantity, charged],
  );
}

/** An issued bill of `mobile_no` (history a trusted session inserts) owing `amountDue`, due `dueIn` days from today, and the balance that owes it. */
export async function issuedBill(db: pg.PoolClient, mobile_no: string, amountDue: string, dueIn = 14): Promise<string> {
  const invoiceNo = `INV-TEST-${mobile_no}`;
  await db.query(
    `insert into telecom.invoice (invoice_no, mobile_no, bill_date, period_start, period_end, issued_on, due_date,
       subtotal, vat_rate, vat, total, previous_due, amount_due, paid_amount, status)
     values ($1, $2, ${THIS_MONTH}, ${LAST_MONTH}, ${THIS_MONTH} - 1, current_date + $4::integer - 14, current_date + $4::integer,
       round($3::numeric / 1.14, 2), 0.1400, $3::numeric - round($3::numeric / 1.14, 2), $3::numeric, 0, $3::numeric, 0, 'issued')`,
    [invoiceNo, mobile_no, amountDue, dueIn],
  );
  await db.query("update telecom.customer_account set balance = -$2::numeric where mobile_no = $1", [mobile_no, amountDue]);
  return invoiceNo;
}

/**
 * Post-paid accounts and plans for the bill tests, built by the builder (ids and numbers from the
 * database) inside the test's transaction, or committed for the tests of two connections.
 */
import type pg from "pg";
import { Builder, sql } from "../support/builder.ts";

export interface BillFixture {
  /** The person who owns every account. */
  national_id: number;
  /** Post-paid numbers of the person, in number order, started 90 days ago with a balance of 0. */
  numbers: [string, string, string];
  /** A prepaid number of the person, with a balance of 100.00: never billed. */
  prepaid: string;
  plans: {
    /** 100.00 EGP a month. */
    monthly: number;
    /** 99.99 EGP a month: prorated fees that round. */
    odd: number;
  };
}

/** The fixture, made by `builder` (in a test's transaction, or committed: then `builder.remove()` deletes it). */
export async function createBillFixture(builder: Builder): Promise<BillFixture> {
  const allowances = { sms_offered: 10, minutes_offered: 10, data_offered: 10 };
  const monthly = await builder.plan({ price: 100, ...allowances });
  const odd = await builder.plan({ price: 99.99, ...allowances });
  const person = await builder.person({ first_name: "Bill", last_name: "Payer", date_of_birth: "1985-01-01" });
  const postPaid = { account_type: "post_paid", balance: 0, start_date: sql("current_date - 90"), status: "active" };
  const numbers: string[] = [];
  for (let index = 0; index < 3; index++) numbers.push((await builder.account(person, postPaid)).mobile_no);
  const prepaid = await builder.account(person, { ...postPaid, account_type: "prepaid", balance: 100 });
  return {
    national_id: person.national_id,
    numbers: numbers.sort() as BillFixture["numbers"],
    prepaid: prepaid.mobile_no,
    plans: { monthly: monthly.plan_id, odd: odd.plan_id },
  };
}

/** The claims of the fixture's customer on their first number. */
export const customerOf = (fixture: BillFixture) => ({ mobile_no: fixture.numbers[0], national_id: fixture.national_id });

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

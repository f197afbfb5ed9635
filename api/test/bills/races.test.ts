/**
 * Bills raced by two real connections (docs/bills.md), on committed data the builder removes: two bill
 * runs at once (one issues, the other none, the numbers gapless), a credit note racing a payment of
 * the same bill, and two credit notes racing to forgive more than the bill charged.
 */
import type pg from "pg";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { TokenClaims } from "../../src/server/jwt.ts";
import { Builder } from "../support/builder.ts";
import { connect, waitingForLock } from "../support/connections.ts";
import { authenticatorUrl, getRootPool, ownerUrl } from "../support/database.ts";
import { setClaims } from "../support/roles.ts";
import { createBillFixture, issuedBill, nextNumber, THIS_MONTH, type BillFixture } from "./fixture.ts";

interface Context {
  data: Builder;
  fixture: BillFixture;
  asAdmin: TokenClaims;
  first: pg.Client;
  second: pg.Client;
}

const test = suite<Context>("bills: races", {} as Context);

const committed = async (statement: string, values: unknown[] = []) => (await getRootPool().query(statement, values)).rows;

test.before.each(async (context) => {
  context.data = new Builder();
  context.fixture = await createBillFixture(context.data);
  context.asAdmin = { role: "telecom_admin", admin_id: (await context.data.admin()).admin_id };
});

test.after.each(async (context) => {
  for (const client of [context.first, context.second]) if (client) await client.end();
  Object.assign(context, { first: undefined, second: undefined });
  await context.data.remove();
});

/** Both connections inside a transaction, as `claims` (null: a trusted session of the owner). */
async function twoSessions(context: Context, claims: TokenClaims | null): Promise<[pg.Client, pg.Client]> {
  const url = claims ? authenticatorUrl() : ownerUrl();
  context.first = await connect(url);
  context.second = await connect(url);
  for (const client of [context.first, context.second]) {
    await client.query("begin");
    if (claims) await setClaims(client, claims);
  }
  return [context.first, context.second];
}

test("two bill runs at once: the second waits for the first, then issues none; the numbers are gapless", async (context) => {
  const { numbers } = context.fixture;
  // Each number owes 4.00 of usage, so each gets a bill; no other account is waiting for this month's bills.
  await committed("update telecom.customer_account set balance = -4.00 where mobile_no = any($1)", [numbers]);
  assert.equal(
    (
      await committed(`select array_agg(number order by number) as waiting from telecom_private.accounts_to_bill(${THIS_MONTH}) as number`)
    )[0].waiting,
    numbers,
  );
  const db = await getRootPool().connect();
  const firstNumber = await nextNumber(db, "INV").finally(() => db.release());
  const [first, second] = await twoSessions(context, null);
  assert.equal((await first.query(`select telecom.run_bills(${THIS_MONTH}) as issued`)).rows, [{ issued: 3 }]);
  const other = second.query(`select telecom.run_bills(${THIS_MONTH}) as issued`);
  await waitingForLock(second);
  await first.query("commit");
  assert.equal((await other).rows, [{ issued: 0 }]);
  await second.query("commit");
  const start = Number(firstNumber.slice(-7));
  assert.equal(
    await committed("select mobile_no, invoice_no from telecom.invoice where mobile_no = any($1) order by invoice_no", [numbers]),
    numbers.map((mobile_no, index) => ({ mobile_no, invoice_no: `${firstNumber.slice(0, 9)}${String(start + index).padStart(7, "0")}` })),
  );
  assert.equal(await committed("select * from telecom.audit_balances()"), []);
});

test("a credit note racing a payment of the same bill: it waits for the payment, then both count, the bill paid to the cent", async (context) => {
  const [number] = context.fixture.numbers;
  const db = await getRootPool().connect();
  const invoiceNo = await issuedBill(db, number, "114.00").finally(() => db.release());
  const [first, second] = await twoSessions(context, context.asAdmin);
  const payment = await first.query("select status from telecom.initiate_balance_payment($1, 100.00, 'cash')", [number]);
  assert.equal(payment.rows, [{ status: "successful" }]);
  const note = second.query("select amount from telecom.issue_credit_note($1, 50.00, 'Dropped calls')", [invoiceNo]);
  await waitingForLock(second);
  await first.query("commit");
  assert.equal((await note).rows, [{ amount: "50.00" }]);
  await second.query("commit");
  // 100.00 paid and 50.00 forgiven: the bill's 114.00 is settled, 36.00 stays as credit.
  assert.equal(await committed("select paid_amount, status from telecom.invoice where invoice_no = $1", [invoiceNo]), [
    { paid_amount: "114.00", status: "paid" },
  ]);
  assert.equal(await committed("select balance from telecom.customer_account where mobile_no = $1", [number]), [{ balance: "36.00" }]);
  assert.equal(await committed("select * from telecom.audit_balances()"), []);
});

test("two credit notes racing on one bill cannot forgive more than it charged: the second waits, then is TC705", async (context) => {
  const [number] = context.fixture.numbers;
  const db = await getRootPool().connect();
  const invoiceNo = await issuedBill(db, number, "114.00").finally(() => db.release());
  const [first, second] = await twoSessions(context, context.asAdmin);
  await first.query("select amount from telecom.issue_credit_note($1, 100.00, 'Dropped calls')", [invoiceNo]);
  const over = second.query("select amount from telecom.issue_credit_note($1, 50.00, 'Dropped calls')", [invoiceNo]).then(
    () => null,
    (error: pg.DatabaseError) => error,
  );
  await waitingForLock(second);
  await first.query("commit");
  const error = await over;
  await second.query("rollback");
  assert.equal([error?.code, error?.message], ["TC705", `The bill ${invoiceNo} can be credited at most 14.00 EGP more.`]);
  assert.equal(
    await committed(
      "select note.amount from telecom.credit_note as note inner join telecom.invoice using (invoice_id) where invoice.invoice_no = $1",
      [invoiceNo],
    ),
    [{ amount: "100.00" }],
  );
  assert.equal(await committed("select paid_amount, status from telecom.invoice where invoice_no = $1", [invoiceNo]), [
    { paid_amount: "100.00", status: "issued" },
  ]);
  assert.equal(await committed("select balance from telecom.customer_account where mobile_no = $1", [number]), [{ balance: "-14.00" }]);
});

test.run();

/**
 * Races and overflows reach the client with a project code (docs/money.md), never a bare 23505, 23503 or
 * 22003: two sessions issuing one number, a benefit deleted while it pays cashback, and credits
 * that would overflow numeric(12,2). Committed data, two real connections; removed by the builder.
 */
import pg from "pg";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { authenticatorUrl, getRootPool, ownerUrl } from "../support/database.ts";
import { Builder, sql } from "../support/builder.ts";
import type { TokenClaims } from "../../src/server/jwt.ts";
import { connect, waitingForLock } from "../support/connections.ts";
import { setClaims } from "../support/roles.ts";

interface Context {
  asAdmin: TokenClaims;
  first: pg.Client;
  second: pg.Client;
  benefitId: number;
  paymentId: number;
  fullPaymentId: number;
  fullBenefitId: number;
}

const test = suite<Context>("money: races and overflows", {} as Context);

const data = new Builder();
/** A person with no account yet. */
const EXISTING = { national_id: await data.nationalId() };
/** Not registered: the admins register them. */
const NEWCOMER = { national_id: await data.nationalId() };
const PAYER = await data.customerIds();
/** An account and a wallet a few cents short of numeric(12,2)'s limit. */
const FULL = await data.customerIds();
const NUMBER = await data.mobileNo();

const asCustomer = (who: { national_id: number; mobile_no: string }): TokenClaims => ({ role: "telecom_customer", ...who });

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("Expected the statement to fail.");
    },
    (error: pg.DatabaseError) => error,
  );

async function committed(sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  return (await getRootPool().query(sql, values)).rows;
}

const walletOf = async (mobileNo: string) =>
  (await committed("select current_balance::text as balance from telecom.wallet where mobile_no = $1", [mobileNo]))[0].balance;

/** Payer's and Full's successful cash payment of 100 and cashback benefit each. */
async function paymentAndBenefit(mobileNo: string): Promise<[number, number]> {
  const payment = await data.insert<{ payment_id: number }>(
    "telecom.payment",
    { mobile_no: mobileNo, amount: 100, payment_method: "cash", status: "successful" },
    ["payment_id"],
  );
  const benefit = await data.insert<{ benefit_id: number }>(
    "telecom.benefit",
    { description: "Race cashback", validity_date: sql("current_date + 30"), mobile_no: mobileNo },
    ["benefit_id"],
  );
  return [payment.payment_id, benefit.benefit_id];
}

test.before.each(async (context) => {
  await data.person(EXISTING);
  await data.customer({ ...PAYER, account: { balance: 0 }, wallet: 100 });
  await data.customer({ ...FULL, account: { balance: 9999999990.0 }, wallet: 9999999999.0 });
  [context.paymentId, context.benefitId] = await paymentAndBenefit(PAYER.mobile_no);
  [context.fullPaymentId, context.fullBenefitId] = await paymentAndBenefit(FULL.mobile_no);
  context.asAdmin = { role: "telecom_admin", admin_id: (await data.admin()).admin_id };
});

test.after.each(async (context) => {
  for (const client of [context.first, context.second]) if (client) await client.end();
  Object.assign(context, { first: undefined, second: undefined });
  await data.remove();
});

async function issueTwice(
  context: Context,
  url: string,
  claims: TokenClaims | null,
  call: string,
  values: unknown[],
): Promise<pg.DatabaseError> {
  context.first = await connect(url);
  context.second = await connect(url);
  await context.first.query("begin");
  if (claims) await setClaims(context.first, claims);
  const issued = await context.first.query(call, values);
  assert.equal(issued.rows, [{ mobile_no: NUMBER, status: "active" }]);
  await context.second.query("begin");
  if (claims) await setClaims(context.second, claims);
  const other = failure(context.second.query(call, values));
  await waitingForLock(context.second);
  await context.first.query("commit");
  const error = await other;
  await context.second.query("rollback");
  return error;
}

test("two trusted sessions issue one new number at once: the second waits, then gets TC610", async (context) => {
  const error = await issueTwice(context, ownerUrl(), null, "select mobile_no, status from telecom.issue_account($1, $2, 'prepaid')", [
    EXISTING.national_id,
    NUMBER,
  ]);
  assert.equal([error.code, error.message], ["TC610", `The number ${NUMBER} is already issued.`]);
  assert.equal(await committed("select national_id from telecom.customer_account where mobile_no = $1", [NUMBER]), [
    { national_id: EXISTING.national_id },
  ]);
});

test("two admins issue one new number at once: the second waits, then gets TC610", async (context) => {
  const error = await issueTwice(
    context,
    authenticatorUrl(),
    context.asAdmin,
    "select mobile_no, status from telecom.issue_account($1, $2, 'post_paid')",
    [EXISTING.national_id, NUMBER],
  );
  assert.equal([error.code, error.message], ["TC610", `The number ${NUMBER} is already issued.`]);
  assert.equal(await committed("select national_id, account_type from telecom.customer_account where mobile_no = $1", [NUMBER]), [
    { national_id: EXISTING.national_id, account_type: "post_paid" },
  ]);
});

test("two admins register one new person with one number at once: the second gets a project code, never 23505", async (context) => {
  const error = await issueTwice(
    context,
    authenticatorUrl(),
    context.asAdmin,
    "select mobile_no, status from telecom.issue_account($1, $2, 'prepaid', 'New', 'Race', 'new.race@example.com', null, '1990-01-01')",
    [NEWCOMER.national_id, NUMBER],
  );
  assert.equal(
    [error.code, error.message],
    ["TC614", `A customer with national id ${NEWCOMER.national_id} or e-mail new.race@example.com is already registered.`],
  );
  assert.equal(await committed("select count(*)::int as n from telecom.customer_profile where national_id = $1", [NEWCOMER.national_id]), [
    { n: 1 },
  ]);
  assert.equal(await committed("select national_id from telecom.customer_account where mobile_no = $1", [NUMBER]), [
    { national_id: NEWCOMER.national_id },
  ]);
});

test("a benefit deleted while it pays cashback: the delete waits for the cashback, then is refused with TC021", async (context) => {
  context.first = await connect(authenticatorUrl());
  context.second = await connect(ownerUrl());
  await context.first.query("begin");
  await setClaims(context.first, asCustomer(PAYER));
  const credited = await context.first.query("select amount::text from telecom.payment_wallet_cashback($1, $2, $3)", [
    PAYER.mobile_no,
    context.paymentId,
    context.benefitId,
  ]);
  assert.equal(credited.rows, [{ amount: "10.00" }]);
  await context.second.query("begin");
  const deletion = failure(context.second.query("delete from telecom.benefit where benefit_id = $1", [context.benefitId]));
  await waitingForLock(context.second);
  await context.first.query("commit");
  const error = await deletion;
  await context.second.query("rollback");
  assert.equal(
    [error.code, error.message],
    ["TC021", `Benefit ${context.benefitId} has credited cashback or points: end it instead of deleting it.`],
  );
  assert.equal(await committed("select count(*)::int as n from telecom.benefit where benefit_id = $1", [context.benefitId]), [{ n: 1 }]);
  assert.equal(await committed("select amount::text from telecom.cashback where benefit_id = $1", [context.benefitId]), [
    { amount: "10.00" },
  ]);
  assert.is(await walletOf(PAYER.mobile_no), "110.00");
});

test("a cashback through a benefit being deleted waits for the delete, then finds no benefit: TC112, nothing credited", async (context) => {
  context.first = await connect(authenticatorUrl());
  context.second = await connect(ownerUrl());
  await context.second.query("begin");
  const deleted = await context.second.query("delete from telecom.benefit where benefit_id = $1", [context.benefitId]);
  assert.is(deleted.rowCount, 1);
  await context.first.query("begin");
  await setClaims(context.first, asCustomer(PAYER));
  const cashback = failure(
    context.first.query("select * from telecom.payment_wallet_cashback($1, $2, $3)", [
      PAYER.mobile_no,
      context.paymentId,
      context.benefitId,
    ]),
  );
  await waitingForLock(context.first);
  await context.second.query("commit");
  const error = await cashback;
  await context.first.query("rollback");
  assert.equal([error.code, error.message], ["TC112", `Benefit ${context.benefitId} is not a benefit of ${PAYER.mobile_no}.`]);
  assert.equal(await committed("select count(*)::int as n from telecom.cashback where payment_id = $1", [context.paymentId]), [{ n: 0 }]);
  assert.is(await walletOf(PAYER.mobile_no), "100.00");
});

test("a transfer into a wallet at 9999999999.00 would overflow it: refused like every other recipient that cannot receive (TC313, no disclosure), nothing moves", async (context) => {
  context.first = await connect(authenticatorUrl());
  await context.first.query("begin");
  await setClaims(context.first, asCustomer(PAYER));
  const error = await failure(context.first.query("select telecom.transfer_to_mobile($1, 1)", [FULL.mobile_no]));
  await context.first.query("rollback");
  assert.equal([error.code, error.message], ["TC313", `You cannot transfer to ${FULL.mobile_no}.`]);
  // 0.99 still fits.
  await context.first.query("begin");
  await setClaims(context.first, asCustomer(PAYER));
  await context.first.query("select telecom.transfer_to_mobile($1, 0.99)", [FULL.mobile_no]);
  await context.first.query("commit");
  assert.equal([await walletOf(PAYER.mobile_no), await walletOf(FULL.mobile_no)], ["99.01", "9999999999.99"]);
});

test("cashback into a nearly full wallet would overflow it: TC317, nothing credited", async (context) => {
  context.first = await connect(authenticatorUrl());
  await context.first.query("begin");
  await setClaims(context.first, asCustomer(FULL));
  const error = await failure(
    context.first.query("select * from telecom.payment_wallet_cashback($1, $2, $3)", [
      FULL.mobile_no,
      context.fullPaymentId,
      context.fullBenefitId,
    ]),
  );
  await context.first.query("rollback");
  assert.equal([error.code, error.message], ["TC317", "The wallet cannot hold 10.00 more."]);
  assert.is(await walletOf(FULL.mobile_no), "9999999999.00");
  assert.equal(await committed("select count(*)::int as n from telecom.cashback where payment_id = $1", [context.fullPaymentId]), [
    { n: 0 },
  ]);
});

test("a recharge that would overflow the account balance: TC317, no payment recorded", async (context) => {
  context.first = await connect(ownerUrl());
  await context.first.query("begin");
  const error = await failure(context.first.query("select * from telecom.initiate_balance_payment($1, 100, 'cash')", [FULL.mobile_no]));
  await context.first.query("rollback");
  assert.equal([error.code, error.message], ["TC317", `The balance of ${FULL.mobile_no} cannot hold 100.00 more.`]);
  assert.equal(
    await committed(
      "select balance::text, (select count(*)::int from telecom.payment where mobile_no = $1) as payments from telecom.customer_account where mobile_no = $1",
      [FULL.mobile_no],
    ),
    [{ balance: "9999999990.00", payments: 1 }],
  );
});

test.run();

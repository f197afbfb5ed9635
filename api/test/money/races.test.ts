/**
 * Races and overflows reach the client with a project code (docs/money.md), never a bare 23505, 23503 or
 * 22003: two sessions issuing one number, a benefit deleted while it pays cashback, and credits
 * that would overflow numeric(12,2). Committed data, two real connections; cleaned with deletePeople.
 */
import pg from "pg";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { authenticatorUrl, getRootPool, ownerUrl } from "../support/database.ts";
import { deletePeople } from "../support/people.ts";
import type { TokenClaims } from "../../src/server/jwt.ts";
import { setClaims } from "../support/roles.ts";

interface Context {
  first: pg.Client;
  second: pg.Client;
  benefitId: number;
  paymentId: number;
  fullPaymentId: number;
  fullBenefitId: number;
}

const test = suite<Context>("money: races and overflows", {} as Context);

const EXISTING = { national_id: 940001 };
const NEWCOMER = { national_id: 940002 };
const PAYER = { national_id: 940101, mobile_no: "01194000101" };
const FULL = { national_id: 940102, mobile_no: "01194000102" };
const NUMBER = "01194000009";
const ADMIN = { admin_id: 940001, username: "race-admin" };
const PEOPLE = { nationalIds: [940001, 940002, 940101, 940102], adminUsernames: [ADMIN.username] };

const CREATE = `
  insert into telecom.customer_profile (national_id, first_name, last_name, date_of_birth)
  values (940001, 'Existing', 'Race', '1990-01-01'), (940101, 'Payer', 'Race', '1990-01-01'), (940102, 'Full', 'Race', '1990-01-01');
  insert into telecom.customer_account (mobile_no, national_id, account_type, balance)
  values ('01194000101', 940101, 'prepaid', 0), ('01194000102', 940102, 'prepaid', 9999999990.00);
  insert into telecom.wallet (national_id, mobile_no, current_balance)
  values (940101, '01194000101', 100), (940102, '01194000102', 9999999999.00);
  insert into telecom.payment (mobile_no, amount, date_of_payment, payment_method, status)
  values ('01194000101', 100, current_date, 'cash', 'successful'), ('01194000102', 100, current_date, 'cash', 'successful');
  insert into telecom.benefit (description, validity_date, status, mobile_no)
  values ('Race cashback', current_date + 30, 'active', '01194000101'), ('Race full', current_date + 30, 'active', '01194000102');
  insert into telecom_private.admin_user (admin_id, username, password_hash) values (940001, 'race-admin', '');
`;

const asCustomer = (who: { national_id: number; mobile_no: string }): TokenClaims => ({ role: "telecom_customer", ...who });
const AS_ADMIN: TokenClaims = { role: "telecom_admin", admin_id: ADMIN.admin_id };

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** Resolves once `client`'s backend is waiting for a lock, so the order of events is certain. */
async function waitingForLock(client: pg.Client): Promise<void> {
  const pid = (client as unknown as { processID: number }).processID;
  for (let tries = 0; tries < 200; tries += 1) {
    const { rows } = await getRootPool().query("select wait_event_type from pg_stat_activity where pid = $1", [pid]);
    if (rows[0]?.wait_event_type === "Lock") return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("The session never waited for a lock.");
}

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

test.before.each(async (context) => {
  await deletePeople(PEOPLE);
  await getRootPool().query(CREATE);
  const ids = await committed(`
    select
      (select benefit_id from telecom.benefit where mobile_no = '01194000101') as benefit,
      (select payment_id from telecom.payment where mobile_no = '01194000101') as payment,
      (select benefit_id from telecom.benefit where mobile_no = '01194000102') as full_benefit,
      (select payment_id from telecom.payment where mobile_no = '01194000102') as full_payment`);
  context.benefitId = ids[0].benefit as number;
  context.paymentId = ids[0].payment as number;
  context.fullBenefitId = ids[0].full_benefit as number;
  context.fullPaymentId = ids[0].full_payment as number;
});

test.after.each(async (context) => {
  for (const client of [context.first, context.second]) if (client) await client.end();
  Object.assign(context, { first: undefined, second: undefined });
  await deletePeople(PEOPLE);
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
    AS_ADMIN,
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
    AS_ADMIN,
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

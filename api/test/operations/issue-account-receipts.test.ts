/**
 * docs/api.md: `issue_account` (admins and trusted sessions issue numbers, to an existing person or to a
 * new one with their profile) and the `customer_receipts` view (a person's payments, transfers on
 * both sides, cashback and vouchers, each with its reference; customers see only their own).
 */
import type pg from "pg";
import * as assert from "uvu/assert";
import { dbSuite, errorOf } from "../support/database.ts";
import { Builder } from "../support/builder.ts";
import { asRole, asSuperuser } from "../support/roles.ts";
import { A1, A2, B1, C1, admin, buildFixture, customerA, customerB, customerC, id } from "./fixture.ts";

const test = dbSuite("operations: issue_account and customer_receipts");

const fresh = new Builder();
/** The number each test issues. */
const NEW_NUMBER = await fresh.mobileNo();
/** The person a test registers with their profile. */
const NEW_PERSON = await fresh.nationalId();
/** A person nobody registers: the refusals name them. */
const STRANGER = await fresh.nationalId();

test.before.each(async ({ db }) => {
  await buildFixture(db);
});

type Issuer = "admin" | "superuser" | "owner";
const ISSUERS: Issuer[] = ["admin", "superuser", "owner"];

async function issueAs(db: pg.PoolClient, issuer: Issuer): Promise<void> {
  if (issuer === "admin") return asRole(db, "telecom_admin", admin);
  await asSuperuser(db);
  if (issuer === "owner") await db.query("set local role telecom_owner");
}

/** Profiles and accounts, read as the superuser (the session's role is restored afterwards). */
async function people(db: pg.PoolClient): Promise<unknown> {
  await db.query("savepoint people; reset role");
  const { rows } = await db.query(`
    select
      (select json_agg(p order by p.national_id) from telecom.customer_profile as p) as profiles,
      (select json_agg(a order by a.mobile_no) from telecom.customer_account as a) as accounts`);
  await db.query("rollback to savepoint people");
  return rows[0];
}

async function refuses(db: pg.PoolClient, statement: string, values: unknown[], code: string, message: string): Promise<void> {
  const before = await people(db);
  const error = await errorOf(db, statement, values);
  assert.equal([error.code, error.message], [code, message], statement);
  assert.equal(await people(db), before, `${statement} changed data`);
}

for (const issuer of ISSUERS) {
  test(`${issuer}: issue_account gives an existing person a new number: active from today, balance 0, no points`, async ({ db }) => {
    await issueAs(db, issuer);
    const { rows } = await db.query(
      "select mobile_no, national_id, balance::text, account_type, start_date = current_date as today, status, points from telecom.issue_account($1, $2, 'prepaid')",
      [customerA.national_id, NEW_NUMBER],
    );
    assert.equal(rows, [
      {
        mobile_no: NEW_NUMBER,
        national_id: customerA.national_id,
        balance: "0.00",
        account_type: "prepaid",
        today: true,
        status: "active",
        points: 0,
      },
    ]);
    await asSuperuser(db);
    const owned = await db.query("select mobile_no from telecom.customer_account where national_id = $1 order by mobile_no", [
      customerA.national_id,
    ]);
    assert.equal(owned.rows, [{ mobile_no: A1 }, { mobile_no: A2 }, { mobile_no: NEW_NUMBER }]);
    // The profile fields are ignored for an existing person.
    const profile = await db.query("select first_name, email from telecom.customer_profile where national_id = $1", [
      customerA.national_id,
    ]);
    assert.equal(profile.rows, [{ first_name: "Amal", email: "amal@example.com" }]);
  });

  test(`${issuer}: issue_account registers a new person with their profile`, async ({ db }) => {
    await issueAs(db, issuer);
    const { rows } = await db.query(
      "select mobile_no, national_id, account_type, status from telecom.issue_account($1, $2, 'post_paid', 'Dina', 'Samir', 'dina@example.com', '5 Nile St, Giza', '1995-05-05')",
      [NEW_PERSON, NEW_NUMBER],
    );
    assert.equal(rows, [{ mobile_no: NEW_NUMBER, national_id: NEW_PERSON, account_type: "post_paid", status: "active" }]);
    await asSuperuser(db);
    const profile = await db.query(
      "select first_name, last_name, email::text, address, date_of_birth::text from telecom.customer_profile where national_id = $1",
      [NEW_PERSON],
    );
    assert.equal(profile.rows, [
      { first_name: "Dina", last_name: "Samir", email: "dina@example.com", address: "5 Nile St, Giza", date_of_birth: "1995-05-05" },
    ]);
  });

  test(`${issuer}: issue_account refuses a bad number (TC611), an issued one (TC610), an unknown person without a profile (TC613) and a taken e-mail (TC614)`, async ({
    db,
  }) => {
    await issueAs(db, issuer);
    for (const bad of ["0100000009", "010000000999", "0100000009x"]) {
      await refuses(
        db,
        "select telecom.issue_account($1, $2, 'prepaid')",
        [customerA.national_id, bad],
        "TC611",
        "A mobile number has 11 digits.",
      );
    }
    await refuses(
      db,
      "select telecom.issue_account($1, $2, 'prepaid')",
      [customerB.national_id, A1],
      "TC610",
      `The number ${A1} is already issued.`,
    );
    // A new person's number already issued to someone else: nothing of the new person stays either.
    await refuses(
      db,
      "select telecom.issue_account($1, $2, 'prepaid', 'Eman', 'Adel', null, null, '1999-09-09')",
      [STRANGER, B1],
      "TC610",
      `The number ${B1} is already issued.`,
    );
    const missing = `There is no customer with national id ${STRANGER}: give their first name, last name and date of birth to register them.`;
    await refuses(db, "select telecom.issue_account($1, $2, 'prepaid')", [STRANGER, NEW_NUMBER], "TC613", missing);
    await refuses(db, "select telecom.issue_account($1, $2, 'prepaid', 'Eman', 'Adel')", [STRANGER, NEW_NUMBER], "TC613", missing);
    await refuses(
      db,
      "select telecom.issue_account($1, $2, 'prepaid', 'Eman', null, null, null, '1999-09-09')",
      [STRANGER, NEW_NUMBER],
      "TC613",
      missing,
    );
    await refuses(
      db,
      "select telecom.issue_account($1, $2, 'prepaid', 'Eman', 'Adel', 'AMAL@example.com', null, '1999-09-09')",
      [STRANGER, NEW_NUMBER],
      "TC614",
      `A customer with national id ${STRANGER} or e-mail AMAL@example.com is already registered.`,
    );
  });
}

test("issue_account is not for customers or visitors: no execute privilege (42501)", async ({ db }) => {
  for (const [role, claims] of [
    ["telecom_customer", customerA],
    ["telecom_anonymous", {}],
  ] as const) {
    await asRole(db, role, claims);
    await refuses(
      db,
      "select telecom.issue_account($1, $2, 'prepaid')",
      [customerA.national_id, NEW_NUMBER],
      "42501",
      "permission denied for function issue_account",
    );
  }
});

/** By kind, then by the reference's number (TRF-9 before TRF-10). */
function byKindAndReference(a: { kind: unknown; reference: unknown }, b: { kind: unknown; reference: unknown }): number {
  const [ka, kb, ra, rb] = [String(a.kind), String(b.kind), String(a.reference), String(b.reference)];
  if (ka !== kb) return ka < kb ? -1 : 1;
  if (ra.length !== rb.length) return ra.length - rb.length;
  return ra < rb ? -1 : ra > rb ? 1 : 0;
}

/** The receipts the session sees, without their dates (checked apart), by kind and reference. */
async function receipts(db: pg.PoolClient): Promise<(Record<string, unknown> & { kind: unknown; reference: unknown })[]> {
  const { rows } = await db.query(
    "select reference, national_id, mobile_no, kind, amount::text, currency, description from telecom.customer_receipts",
  );
  return rows.sort(byKindAndReference);
}

test("customer_receipts: a customer sees exactly their own payments, transfers on their side, cashback and vouchers", async ({ db }) => {
  await asRole(db, "telecom_customer", customerA);
  const rows = await receipts(db);
  const payment = (paymentId: number, mobileNo: string, amount: string, description: string) => ({
    reference: `PAY-${paymentId}`,
    national_id: customerA.national_id,
    mobile_no: mobileNo,
    kind: "payment",
    amount,
    currency: "EGP",
    description,
  });
  const sorted = <T extends { kind: unknown; reference: unknown }>(list: T[]) => [...list].sort((a, b) => byKindAndReference(a, b));
  const expected = sorted([
    payment(id.pay1, A1, "100.00", "Plan Fixture Basic by cash: successful"),
    payment(id.pay2, A1, "80.00", "Plan Fixture Basic by credit: successful"),
    payment(id.pay3, A1, "150.00", "Plan Fixture Basic by credit: successful"),
    payment(id.pay4, A1, "500.00", "Plan Fixture Basic by credit: rejected"),
    payment(id.pay5, A1, "60.00", "Balance recharge by cash: pending"),
    payment(id.pay6, A1, "150.00", "Balance recharge by wallet: successful"),
    payment(id.pay7, A2, "999.00", "Balance recharge by cash: successful"),
    payment(id.payTiny, A1, "0.04", "Balance recharge by cash: successful"),
    ...id.paySmall.map((paymentId, index) => payment(paymentId, A1, `${index + 1}.00`, "Balance recharge by cash: successful")),
    ...[
      [id.tr1, "10.00"],
      [id.tr2, "20.00"],
      [id.tr3, "35.00"],
    ].map(([transferId, amount]) => ({
      reference: `TRF-${transferId}`,
      national_id: customerA.national_id,
      mobile_no: A1,
      kind: "transfer_sent",
      amount,
      currency: "EGP",
      description: "Transfer sent",
    })),
    {
      reference: `TRF-${id.tr4}`,
      national_id: customerA.national_id,
      mobile_no: A1,
      kind: "transfer_received",
      amount: "99.00",
      currency: "EGP",
      description: "Transfer received",
    },
    {
      reference: `CSH-${id.cb1}`,
      national_id: customerA.national_id,
      mobile_no: A1,
      kind: "cashback",
      amount: "15.00",
      currency: "EGP",
      description: "Cashback: Basic loyalty",
    },
    {
      reference: `CSH-${id.cb2}`,
      national_id: customerA.national_id,
      mobile_no: A1,
      kind: "cashback",
      amount: "8.00",
      currency: "EGP",
      description: "Cashback: Plus bonus",
    },
    {
      reference: `CSH-${id.cb3}`,
      national_id: customerA.national_id,
      mobile_no: A1,
      kind: "cashback",
      amount: "2.00",
      currency: "EGP",
      description: "Cashback: Old basic promo",
    },
    {
      reference: `VCH-${id.v1}`,
      national_id: customerA.national_id,
      mobile_no: A1,
      kind: "voucher",
      amount: "50.00",
      currency: "EGP",
      description: "Voucher of Fixture Store for 100 points",
    },
    {
      reference: `VCH-${id.v2}`,
      national_id: customerA.national_id,
      mobile_no: A1,
      kind: "voucher",
      amount: "80.00",
      currency: "EGP",
      description: "Voucher of Fixture Online for 100 points",
    },
    {
      reference: `VCH-${id.v3}`,
      national_id: customerA.national_id,
      mobile_no: A2,
      kind: "voucher",
      amount: "500.00",
      currency: "EGP",
      description: "Voucher of Fixture Online for 100 points",
    },
  ]);
  assert.equal(sorted(rows), expected);
  // The dates are the rows' own.
  const dates = await db.query(
    `select reference, kind, receipt_date - current_date as days from telecom.customer_receipts
     where reference in ($1, $2, $3) order by reference, kind`,
    [`PAY-${id.pay3}`, `VCH-${id.v1}`, `TRF-${id.tr4}`],
  );
  assert.equal(dates.rows, [
    { reference: `PAY-${id.pay3}`, kind: "payment", days: -10 },
    { reference: `TRF-${id.tr4}`, kind: "transfer_received", days: -5 },
    { reference: `VCH-${id.v1}`, kind: "voucher", days: -3 },
  ]);
});

test("customer_receipts: the other side of a transfer sees it as received or sent, and never the other person's receipts", async ({
  db,
}) => {
  await asRole(db, "telecom_customer", customerB);
  const rows = await receipts(db);
  assert.equal(
    rows.map((row) => [row.reference, row.kind, row.national_id, row.amount]),
    [
      [`CSH-${id.cb4}`, "cashback", customerB.national_id, "4.00"],
      [`PAY-${id.pay8}`, "payment", customerB.national_id, "40.00"],
      [`TRF-${id.tr1}`, "transfer_received", customerB.national_id, "10.00"],
      [`TRF-${id.tr2}`, "transfer_received", customerB.national_id, "20.00"],
      [`TRF-${id.tr3}`, "transfer_received", customerB.national_id, "35.00"],
      [`TRF-${id.tr4}`, "transfer_sent", customerB.national_id, "99.00"],
    ],
  );
  await asRole(db, "telecom_customer", customerC);
  assert.equal(
    (await receipts(db)).map((row) => [row.reference, row.national_id]),
    [[`PAY-${id.pay9}`, customerC.national_id]],
  );
});

test("customer_receipts: an admin sees everyone's receipts; visitors cannot read them", async ({ db }) => {
  await asSuperuser(db);
  const all = await receipts(db);
  await asRole(db, "telecom_admin", admin);
  const seen = await receipts(db);
  assert.equal(seen, all);
  const perPerson = await db.query(
    "select national_id, count(*)::int as n from telecom.customer_receipts where national_id = any($1) group by national_id order by national_id",
    [[customerA.national_id, customerB.national_id, customerC.national_id]],
  );
  // A: 16 payments, 3 transfers sent, 1 received, 3 cashback, 3 vouchers; B: 1, 1, 3, 1; C: 1 payment.
  assert.equal(perPerson.rows, [
    { national_id: customerA.national_id, n: 26 },
    { national_id: customerB.national_id, n: 6 },
    { national_id: customerC.national_id, n: 1 },
  ]);
  await asRole(db, "telecom_anonymous");
  const error = await errorOf(db, "select * from telecom.customer_receipts");
  assert.equal([error.code, error.message], ["42501", "permission denied for view customer_receipts"]);
});

test("customer_receipts: a receipt appears with the operation that makes it", async ({ db }) => {
  await asRole(db, "telecom_customer", customerA);
  const transfer = await db.query("select transfer_id from telecom.transfer_to_mobile($1, 12.5)", [B1]);
  const mine = await db.query("select kind, amount::text from telecom.customer_receipts where reference = $1", [
    `TRF-${transfer.rows[0].transfer_id}`,
  ]);
  assert.equal(mine.rows, [{ kind: "transfer_sent", amount: "12.50" }]);
  await asRole(db, "telecom_customer", customerB);
  const theirs = await db.query(
    "select kind, amount::text, receipt_date = current_date as today from telecom.customer_receipts where reference = $1",
    [`TRF-${transfer.rows[0].transfer_id}`],
  );
  assert.equal(theirs.rows, [{ kind: "transfer_received", amount: "12.50", today: true }]);
  assert.equal((await db.query("select count(*)::int as n from telecom.customer_receipts where mobile_no = $1", [C1])).rows, [{ n: 0 }]);
});

test.run();

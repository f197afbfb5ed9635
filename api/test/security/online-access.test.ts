/**
 * The SQL side of the production server's defences (docs/api.md, docs/security.md), in rolled-back transactions: the login throttle keyed by
 * (login, client address) and by client address, input validation, bcrypt cost and length, one-time
 * codes for online access and password resets, transfer_recipient, and refusals that tell nothing
 * about other people. Time is moved by moving the recorded rows into the past.
 */
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import * as assert from "uvu/assert";
import { projectRoot } from "../../src/paths.ts";
import { dbSuite, errorOf } from "../support/database.ts";
import { asRole, asSuperuser } from "../support/roles.ts";
import { Builder } from "../support/builder.ts";
import { createFixture, fixtureIds, PASSWORD } from "./fixture.ts";

const ids = new Builder();
const F = await fixtureIds(ids);
/** A number nobody holds. */
const NOBODY = await ids.mobileNo();
const [A1, A2] = F.a.mobile_nos;
const B1 = F.b.mobile_no;
const [C1] = F.c.mobile_nos;

const test = dbSuite("online access (SQL)");

test.before.each(async ({ db }) => {
  await createFixture(new Builder(db), F);
});

/** Acts as an anonymous visitor from `address`. */
async function visitor(db: pg.PoolClient, address: string): Promise<void> {
  await asRole(db, "telecom_anonymous");
  await db.query("select set_config('telecom.client_address', $1, true)", [address]);
}

async function authenticate(db: pg.PoolClient, mobileNo: string, password: string): Promise<string | null> {
  const { rows } = await db.query("select (telecom.authenticate($1, $2)).mobile_no", [mobileNo, password]);
  return rows[0].mobile_no;
}

/** The seconds the TC220 refusal asks to wait. */
function retryAfter(error: pg.DatabaseError): number {
  assert.is(error.code, "TC220", error.message);
  const match = /^retry-after=(\d+)$/.exec(error.hint ?? "");
  assert.ok(match, `hint ${error.hint}`);
  return Number(match![1]);
}

/** Moves the fixture's recorded failures and codes `seconds` into the past, as the superuser. */
async function elapse(db: pg.PoolClient, seconds: number): Promise<void> {
  await db.query("savepoint elapse; reset role");
  // Only the fixture's rows: other test files commit rows of their own at the same time.
  const mine = F.numbers;
  await db.query(
    "update telecom_private.login_failure set failed_at = failed_at - make_interval(secs => $1) where right(login, 11) = any($2)",
    [seconds, mine],
  );
  await db.query(
    `update telecom_private.verification_code set created_at = created_at - make_interval(secs => $1), expires_at = expires_at - make_interval(secs => $1)
     where mobile_no = any($2)`,
    [seconds, mine],
  );
  await db.query("release savepoint elapse");
}

async function count(db: pg.PoolClient, sql: string, values: unknown[] = []): Promise<number> {
  const { rows } = await db.query(`select count(*)::integer as n from ${sql}`, values);
  return rows[0].n;
}

test("after 3 failures of a (number, address) each attempt waits 1 s, doubling per failure up to 15 minutes", async ({ db }) => {
  await visitor(db, "203.0.113.1");
  for (let attempt = 1; attempt <= 3; attempt++) assert.is(await authenticate(db, A1, `wrong-${attempt}`), null);
  assert.is(retryAfter(await errorOf(db, "select telecom.authenticate($1, $2)", [A1, PASSWORD])), 1, "even the right password waits");
  await elapse(db, 1);
  assert.is(await authenticate(db, A1, "wrong-4"), null);
  assert.is(retryAfter(await errorOf(db, "select telecom.authenticate($1, $2)", [A1, PASSWORD])), 2);
  // The delay for n failures, from the throttle itself: 2^(n-3) s, at most 900 s.
  await asSuperuser(db);
  await db.query("select set_config('telecom.client_address', '203.0.113.2', true)");
  const delays: number[] = [];
  for (let failures = 1; failures <= 15; failures++) {
    await db.query("select telecom_private.record_login_failure($1)", [B1]);
    const { rows } = await db.query("select telecom_private.login_retry_after($1) as wait", [B1]);
    delays.push(rows[0].wait);
  }
  assert.equal(delays, [0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]);
  // The right password after the wait clears that address's failures.
  await visitor(db, "203.0.113.1");
  await elapse(db, 2);
  assert.is(await authenticate(db, A1, PASSWORD), A1);
  assert.is(await count(db, "telecom_private.login_failure where login = $1 and client_address = '203.0.113.1'", [A1]), 0);
});

test("a client address has 100 failures an hour, whatever the logins", async ({ db }) => {
  await asSuperuser(db);
  await db.query(
    `insert into telecom_private.login_failure (login, client_address, failed_at)
     select lpad(n::text, 11, '0'), '198.51.100.7', now() - interval '30 minutes' + n * interval '1 second' from generate_series(1, 100) as n`,
  );
  await visitor(db, "198.51.100.7");
  const wait = retryAfter(await errorOf(db, "select telecom.authenticate($1, $2)", [A1, PASSWORD]));
  assert.ok(wait > 1700 && wait <= 1801, `waits until the first failure of the hour ages out (${wait} s)`);
  retryAfter(await errorOf(db, "select telecom.request_verification_code($1)", [C1]));
  await visitor(db, "198.51.100.8");
  assert.is(await authenticate(db, A1, PASSWORD), A1, "another address is not concerned");
});

test("a login is never locked by failures from other addresses", async ({ db }) => {
  await asSuperuser(db);
  await db.query(
    `insert into telecom_private.login_failure (login, client_address)
     select $1, '192.0.2.' || n from generate_series(1, 200) as n`,
    [A1],
  );
  await visitor(db, "203.0.113.50");
  assert.is(await authenticate(db, A1, PASSWORD), A1);
  const { rows } = await db.query("select (telecom.authenticate_admin($1, $2)).admin_id", [F.admin.username, PASSWORD]);
  assert.is(rows[0].admin_id, F.admin.admin_id);
});

test("login inputs are validated before anything is stored", async ({ db }) => {
  await visitor(db, "203.0.113.9");
  for (const mobileNo of ["0123", "x".repeat(90_000), "0101234567a", "", null]) {
    const { rows } = await db.query("select telecom.authenticate($1, 'whatever') as token", [mobileNo]);
    assert.is(rows[0].token, null);
  }
  for (const username of ["", "u".repeat(65), null]) {
    const { rows } = await db.query("select telecom.authenticate_admin($1, 'whatever') as token", [username]);
    assert.is(rows[0].token, null);
  }
  const invalid = await errorOf(db, "select telecom.request_verification_code($1)", ["x".repeat(90_000)]);
  assert.is(invalid.code, "TC224");
  await asSuperuser(db);
  assert.is(await count(db, "telecom_private.login_failure where client_address = '203.0.113.9'"), 0);
});

test("unknown and known logins check a hash of the same bcrypt cost (at least 10), the sample data too", async ({ db }) => {
  const { rows } = await db.query(
    `select telecom_private.password_hash_cost() as cost,
            substring(telecom_private.dummy_password_hash() from '^\\$2a\\$(\\d\\d)\\$')::integer as dummy,
            substring(telecom_private.hash_password('a-long-enough-password') from '^\\$2a\\$(\\d\\d)\\$')::integer as stored`,
  );
  assert.ok(rows[0].cost >= 10);
  assert.equal(rows[0], { cost: rows[0].cost, dummy: rows[0].cost, stored: rows[0].cost });
  // The dummy hash is a real bcrypt hash: crypt() accepts it and does the work of its cost.
  const check = await db.query("select length(public.crypt('x', telecom_private.dummy_password_hash())) as n");
  assert.is(check.rows[0].n, 60);
  const sample = fs.readFileSync(path.join(projectRoot, "sql", "sample_data.sql"), "utf8");
  const salts = [...sample.matchAll(/gen_salt\(([^)]*)\)/g)].map((match) => match[1]);
  assert.ok(salts.length >= 2);
  for (const salt of salts) assert.match(salt, /^'bf', (1\d|[2-9]\d)$/, `sample data salt ${salt}`);
});

test("passwords over 72 bytes are refused, not truncated", async ({ db }) => {
  const seventyTwo = "p".repeat(72);
  const { rows } = await db.query("select public.crypt($1, telecom_private.hash_password($1)) is not null as ok", [seventyTwo]);
  assert.ok(rows[0].ok);
  for (const long of ["p".repeat(73), "é".repeat(37)]) {
    assert.is((await errorOf(db, "select telecom_private.hash_password($1)", [long])).code, "TC221");
  }
  assert.is((await errorOf(db, "select telecom_private.hash_password('short')")).code, "TC212");
  await visitor(db, "203.0.113.10");
  assert.is((await errorOf(db, "select telecom.authenticate($1, $2)", [A1, `${PASSWORD}${"x".repeat(72)}`])).code, "TC221");
  await asRole(db, "telecom_customer", { mobile_no: A1, national_id: F.a.national_id });
  assert.is((await errorOf(db, "select telecom.change_password($1, $2)", [PASSWORD, "n".repeat(73)])).code, "TC221");
});

/** Asks for a code as a visitor from `address` and returns the digits the SMS carries (null: no SMS). */
async function requestCode(db: pg.PoolClient, mobileNo: string, address = "203.0.113.20"): Promise<string | null> {
  await visitor(db, address);
  const { rows } = await db.query("select telecom.request_verification_code($1) as sent", [mobileNo]);
  assert.is(rows[0].sent, true);
  await asSuperuser(db);
  const sms = await db.query("select body from telecom_private.sms_outbox where mobile_no = $1 order by sms_id desc limit 1", [mobileNo]);
  return sms.rows.length ? /\b(\d{6})\b/.exec(sms.rows[0].body)![1] : null;
}

async function register(db: pg.PoolClient, mobileNo: string, code: string, password: string, address = "203.0.113.20") {
  await visitor(db, address);
  const { rows } = await db.query("select * from telecom.register_customer($1, $2, $3)", [mobileNo, code, password]);
  return rows[0].role === null ? null : rows[0];
}

test("request_verification_code answers true for any number; only an issued number gets an SMS, with a hashed code", async ({ db }) => {
  assert.is(await requestCode(db, NOBODY), null, "no SMS for a number nobody holds");
  assert.is(await count(db, "telecom_private.verification_code where mobile_no = $1", [NOBODY]), 0);
  const code = await requestCode(db, A2);
  assert.match(code!, /^\d{6}$/);
  const { rows } = await db.query(
    "select purpose, code_hash <> $2 as hashed, extract(epoch from expires_at - created_at)::integer as validity from telecom_private.verification_code where mobile_no = $1",
    [A2, code],
  );
  assert.equal(rows, [{ purpose: "register", hashed: true, validity: 600 }]);
  assert.match(
    (await db.query("select body from telecom_private.sms_outbox where mobile_no = $1", [A2])).rows[0].body,
    /activate online access/,
  );
  const reset = await requestCode(db, A1);
  const purpose = await db.query("select purpose from telecom_private.verification_code where mobile_no = $1", [A1]);
  assert.equal([purpose.rows[0].purpose, reset!.length], ["reset", 6], "a number that has a password gets a reset code");
});

test("code requests are throttled per number and address", async ({ db }) => {
  for (let request = 1; request <= 3; request++) await requestCode(db, A2, "203.0.113.30");
  await visitor(db, "203.0.113.30");
  assert.is(retryAfter(await errorOf(db, "select telecom.request_verification_code($1)", [A2])), 1);
  assert.is((await requestCode(db, A2, "203.0.113.31")) !== null, true, "another address is not concerned");
});

test("register_customer: the issued number's code creates the credential and logs in as its owner", async ({ db }) => {
  const code = (await requestCode(db, A2))!;
  const token = await register(db, A2, code, "a-long-enough-password");
  assert.equal([token.role, token.mobile_no, token.national_id], ["telecom_customer", A2, F.a.national_id]);
  await visitor(db, "203.0.113.21");
  assert.is(await authenticate(db, A2, "a-long-enough-password"), A2);
  assert.is(await register(db, A2, code, "another-long-password"), null, "a code is used once");
});

test("register_customer refuses a wrong, expired, other-purpose or other number's code, and an address whose tries are spent", async ({
  db,
}) => {
  // Each attempt from its own address, so that the login throttle does not answer first.
  let address = 0;
  const next = () => `203.0.114.${++address}`;
  const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");
  // Another number's code: C1 has no code of its own.
  let code = (await requestCode(db, A2))!;
  assert.is(await register(db, C1, code, "a-long-enough-password", next()), null);
  // Expired after 10 minutes.
  await elapse(db, 601);
  assert.is(await register(db, A2, code, "a-long-enough-password", next()), null);
  // Five wrong attempts from one address use up that address's tries (waiting out its login throttle).
  code = (await requestCode(db, A2, next()))!;
  const guesser = next();
  for (let attempt = 1; attempt <= 5; attempt++) {
    assert.is(await register(db, A2, wrong(code), "a-long-enough-password", guesser), null);
    await elapse(db, 60);
  }
  assert.is(await register(db, A2, code, "a-long-enough-password", guesser), null);
  await asSuperuser(db);
  const attempts = await db.query(
    `select count(*)::integer as n from telecom_private.verification_code_guess
     where client_address = $2 and code_id = (select max(code_id) from telecom_private.verification_code where mobile_no = $1)`,
    [A2, guesser],
  );
  assert.is(attempts.rows[0].n, 5);
  // A register code does not reset, and a reset code does not register.
  code = (await requestCode(db, A2, next()))!;
  await visitor(db, next());
  const reset = await db.query("select (telecom.reset_password($1, $2, 'a-long-enough-password')).role", [A2, code]);
  assert.is(reset.rows[0].role, null);
  code = (await requestCode(db, A1, next()))!;
  assert.is(await register(db, A1, code, "a-long-enough-password", next()), null);
  // A short password is refused before the code is tried.
  code = (await requestCode(db, A2, next()))!;
  await visitor(db, next());
  assert.is((await errorOf(db, "select telecom.register_customer($1, $2, 'short')", [A2, code])).code, "TC212");
  assert.ok(await register(db, A2, code, "a-long-enough-password", next()));
  // Wrong codes count as failures of the (number, address) pair.
  code = (await requestCode(db, C1, "203.0.115.1"))!;
  for (let attempt = 1; attempt <= 3; attempt++) await register(db, C1, wrong(code), "a-long-enough-password", "203.0.115.1");
  await visitor(db, "203.0.115.1");
  retryAfter(await errorOf(db, "select telecom.register_customer($1, $2, 'a-long-enough-password')", [C1, code]));
});

test("reset_password: the reset code sets a new password; the old one stops working", async ({ db }) => {
  const code = (await requestCode(db, A1))!;
  await visitor(db, "203.0.113.40");
  const { rows } = await db.query("select * from telecom.reset_password($1, $2, 'a-brand-new-password')", [A1, code]);
  assert.equal([rows[0].role, rows[0].mobile_no, rows[0].national_id], ["telecom_customer", A1, F.a.national_id]);
  assert.is(await authenticate(db, A1, PASSWORD), null);
  assert.is(await authenticate(db, A1, "a-brand-new-password"), A1);
});

test("transfer_recipient: a display name and currency, or nothing; 30 look-ups an hour per person", async ({ db }) => {
  await asRole(db, "telecom_customer", { mobile_no: A1, national_id: F.a.national_id });
  const look = async (mobileNo: string) => (await db.query("select * from telecom.transfer_recipient($1)", [mobileNo])).rows[0];
  assert.equal(await look(B1), { display_name: "Badr S.", currency: "EGP" });
  assert.equal(await look(NOBODY), { display_name: null, currency: null });
  assert.equal(await look(F.c.mobile_nos[1]), { display_name: null, currency: null }, "a number without a wallet");
  for (let lookup = 4; lookup <= 30; lookup++) await look(B1);
  const refused = await errorOf(db, "select telecom.transfer_recipient($1)", [B1]);
  assert.ok(retryAfter(refused) > 3500);
  await asRole(db, "telecom_anonymous");
  assert.is((await errorOf(db, "select telecom.transfer_recipient($1)", [B1])).code, "42501");
});

test("refusals tell nothing about another person: transfers, hidden vouchers, taken e-mails", async ({ db }) => {
  await asRole(db, "telecom_customer", { mobile_no: A1, national_id: F.a.national_id });
  const noWallet = await errorOf(db, "select telecom.transfer_to_mobile($1, 1)", [F.c.mobile_nos[1]]);
  const unknown = await errorOf(db, "select telecom.transfer_to_mobile($1, 1)", [NOBODY]);
  assert.equal([noWallet.code, unknown.code], ["TC313", "TC313"]);
  assert.match(noWallet.message, /^You cannot transfer to \d{11}\.$/);
  const hidden = await errorOf(db, "select telecom.redeem_voucher_points($1, $2)", [A1, F.vouchers.redeemedByB]);
  const missing = await errorOf(db, "select telecom.redeem_voucher_points($1, $2)", [A1, 999_999_999]);
  assert.equal([hidden.code, missing.code], ["TC120", "TC120"]);
  assert.is((await errorOf(db, "select telecom.redeem_voucher_points($1, $2)", [A1, F.vouchers.redeemedByA])).code, "TC121");
  // A customer changes their details only through update_my_profile (below), never directly.
  assert.is(
    (await errorOf(db, "update telecom.customer_profile set address = 'x' where national_id = $1", [F.a.national_id])).code,
    "42501",
  );
});

test("a taken e-mail: 'this e-mail cannot be used', counted, throttled per person with a retry-after, and uniform", async ({ db }) => {
  await asRole(db, "telecom_customer", { mobile_no: A1, national_id: F.a.national_id });
  const update = async (email: string | null, address: string | null) =>
    (await db.query("select * from telecom.update_my_profile($1, $2)", [email, address])).rows[0];
  const refused = {
    status: "email_cannot_be_used",
    message: "This e-mail cannot be used: choose another.",
    email: `amal.${F.tag}@example.com`,
    address: "A street 1",
  };
  // Taken in any letter case: the same answer, and nothing changes (not even the address).
  assert.equal(await update(`BADR.${F.tag}@example.com`, "Elsewhere 3"), refused);
  assert.equal(await update(`badr.${F.tag}@example.com`, "A street 1"), refused);
  // One's own address in other letters, a removal and an address change are not counted.
  assert.equal(await update(`Amal.${F.tag}@example.com`, "A street 9"), {
    status: "saved",
    message: null,
    email: `Amal.${F.tag}@example.com`,
    address: "A street 9",
  });
  assert.equal(await update(`amal.${F.tag}@example.com`, "A street 1"), { ...refused, status: "saved", message: null });
  assert.is((await errorOf(db, "select telecom.update_my_profile('not-an-address', null)")).code, "TC225");
  for (let attempt = 3; attempt <= 5; attempt++) assert.equal(await update(`badr.${F.tag}@example.com`, "A street 1"), refused);
  await asSuperuser(db);
  const { rows } = await db.query("select count(*)::integer as refusals from telecom_private.email_refusal where national_id = $1", [
    F.a.national_id,
  ]);
  assert.equal(rows, [{ refusals: 5 }], "each refusal is recorded, although it is an answer and not an error");
  await asRole(db, "telecom_customer", { mobile_no: A1, national_id: F.a.national_id });
  // Beyond the budget, any new e-mail is refused alike, free or taken: nothing more can be learned.
  const free = await errorOf(db, "select telecom.update_my_profile($1, null)", [`free.${F.tag}@example.com`]);
  assert.ok(retryAfter(free) > 3500);
  const taken = await errorOf(db, "select telecom.update_my_profile($1, null)", [`badr.${F.tag}@example.com`]);
  assert.ok(retryAfter(taken) > 3500);
  // The address alone can still change; other people are not affected.
  assert.equal((await update(`amal.${F.tag}@example.com`, "A street 2")).status, "saved");
  await asRole(db, "telecom_customer", { mobile_no: B1, national_id: F.b.national_id });
  assert.equal((await update(`badr.new.${F.tag}@example.com`, "B street 2")).status, "saved");
  // Admins and visitors have no profile of their own to change.
  await asRole(db, "telecom_anonymous");
  assert.is((await errorOf(db, "select telecom.update_my_profile(null, null)")).code, "42501");
});

test("purge_login_failures forgets failures older than 24 hours", async ({ db }) => {
  await asSuperuser(db);
  await db.query(
    "insert into telecom_private.login_failure (login, client_address, failed_at) values ($1, 'x', now() - interval '25 hours'), ($1, 'x', now())",
    [A1],
  );
  const { rows } = await db.query("select telecom_private.purge_login_failures() as n");
  assert.ok(rows[0].n >= 1);
  assert.is(await count(db, "telecom_private.login_failure where login = $1 and client_address = 'x'", [A1]), 1);
});

test.run();

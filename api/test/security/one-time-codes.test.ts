/**
 * One-time codes against an attacker who does not hold the phone (docs/security.md), in rolled-back
 * transactions: requests from other addresses re-send the live code instead of voiding it, at most 5 code messages an hour and 10 a day reach a number whoever asks,
 * wrong guesses from other addresses never use up the tries of the address that asked, and a number
 * takes fewer than 100 wrong guesses a day however many addresses guess. Also: a wrong or throttled
 * code, a wrong current password and a throttled login cost no password hash (counted with
 * track_functions, in the transaction's own statistics). Time is moved by moving the recorded rows
 * into the past.
 */
import type pg from "pg";
import * as assert from "uvu/assert";
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

const test = dbSuite("one-time codes against an attacker without the phone (SQL)");

test.before.each(async ({ db }) => {
  await createFixture(new Builder(db), F);
});

/** The holder of the number asks from here; attackers from 198.18.x.y. */
const HOLDER = "203.0.113.77";
const attacker = (n: number) => `198.18.${Math.floor(n / 250)}.${n % 250}`;

async function visitor(db: pg.PoolClient, address: string): Promise<void> {
  await asRole(db, "telecom_anonymous");
  await db.query("select set_config('telecom.client_address', $1, true)", [address]);
}

async function request(db: pg.PoolClient, mobileNo: string, address: string): Promise<void> {
  await visitor(db, address);
  const { rows } = await db.query("select telecom.request_verification_code($1) as sent", [mobileNo]);
  assert.is(rows[0].sent, true, "always true");
}

/** The digits of every code message to the number, oldest first (as the superuser). */
async function messages(db: pg.PoolClient, mobileNo: string): Promise<string[]> {
  await asSuperuser(db);
  const { rows } = await db.query("select body from telecom_private.sms_outbox where mobile_no = $1 order by sms_id", [mobileNo]);
  return rows.map((row) => /\b(\d{6})\b/.exec(row.body)![1]);
}

async function register(db: pg.PoolClient, mobileNo: string, code: string, address: string): Promise<boolean> {
  await visitor(db, address);
  const { rows } = await db.query("select (telecom.register_customer($1, $2, 'a-long-enough-password')).role", [mobileNo, code]);
  return rows[0].role === "telecom_customer";
}

const wrong = (code: string, n = 1) => String((Number(code) + n) % 1_000_000).padStart(6, "0");

/** Moves the fixture's codes, messages, guesses and failures `seconds` into the past, as the superuser. */
async function elapse(db: pg.PoolClient, seconds: number): Promise<void> {
  await asSuperuser(db);
  const mine = F.numbers;
  const back = "make_interval(secs => $1)";
  await db.query(`update telecom_private.login_failure set failed_at = failed_at - ${back} where right(login, 11) = any($2)`, [
    seconds,
    mine,
  ]);
  await db.query(
    `update telecom_private.verification_code set created_at = created_at - ${back}, expires_at = expires_at - ${back} where mobile_no = any($2)`,
    [seconds, mine],
  );
  await db.query(`update telecom_private.sms_outbox set created_at = created_at - ${back} where mobile_no = any($2)`, [seconds, mine]);
  await db.query(
    `update telecom_private.verification_code_guess as guess set guessed_at = guessed_at - ${back}
     from telecom_private.verification_code as code where code.code_id = guess.code_id and code.mobile_no = any($2)`,
    [seconds, mine],
  );
}

test("another address's request re-sends the live code: the holder's code is not voided, its expiry not moved", async ({ db }) => {
  await request(db, A2, HOLDER);
  const [code] = await messages(db, A2);
  const before = await db.query("select code_id, expires_at from telecom_private.verification_code where mobile_no = $1", [A2]);
  await elapse(db, 120);
  for (let n = 1; n <= 3; n++) await request(db, A2, attacker(n));
  assert.equal(await messages(db, A2), [code, code, code, code], "the same code, sent again");
  const after = await db.query(
    "select code_id, expires_at + interval '120 seconds' as expires_at, used_at from telecom_private.verification_code where mobile_no = $1",
    [A2],
  );
  assert.equal(after.rows, [{ ...before.rows[0], used_at: null }], "one code, live, with its first expiry");
  assert.ok(await register(db, A2, code, HOLDER), "the holder's code still works");
});

test("at most 5 code messages an hour and 10 a day reach a number, whoever asks; every request answers true", async ({ db }) => {
  // 33 requests from 33 addresses within seconds.
  for (let n = 1; n <= 33; n++) await request(db, A2, attacker(n));
  assert.is((await messages(db, A2)).length, 5);
  // An hour later (the code has expired: a new one goes out), 5 more.
  await elapse(db, 3601);
  for (let n = 34; n <= 45; n++) await request(db, A2, attacker(n));
  assert.is((await messages(db, A2)).length, 10);
  // Two hours later still nothing: 10 a day.
  await elapse(db, 7200);
  for (let n = 46; n <= 52; n++) await request(db, A2, attacker(n));
  assert.is((await messages(db, A2)).length, 10);
  // Other numbers are not concerned, and a number nobody holds gets nothing, with the same answer.
  await request(db, B1, attacker(53));
  assert.is((await messages(db, B1)).length, 1);
  await request(db, NOBODY, attacker(54));
  assert.is((await messages(db, NOBODY)).length, 0);
  // A day (and a code's lifetime) after the first messages, the number gets codes again.
  await elapse(db, 24 * 3600);
  await request(db, A2, HOLDER);
  assert.is((await messages(db, A2)).length, 11);
});

test("wrong guesses from other addresses never use up the tries of the address that asked", async ({ db }) => {
  await request(db, A2, HOLDER);
  const [code] = await messages(db, A2);
  // One attacker address guesses 5 times (waiting out the login throttle), others once each.
  for (let guess = 1; guess <= 5; guess++) {
    assert.is(await register(db, A2, wrong(code, guess), attacker(1)), false);
    await elapse(db, 60);
  }
  for (let n = 2; n <= 12; n++) assert.is(await register(db, A2, wrong(code, n), attacker(n)), false);
  // The attacker's own address has spent its tries: even the right code is refused from it.
  assert.is(await register(db, A2, code, attacker(1)), false);
  await asSuperuser(db);
  const { rows } = await db.query(
    `select count(*)::integer as guesses, count(*) filter (where by_asking_address)::integer as holder
     from telecom_private.verification_code_guess as guess
     inner join telecom_private.verification_code as code on code.code_id = guess.code_id
     where code.mobile_no = $1`,
    [A2],
  );
  assert.equal(rows, [{ guesses: 16, holder: 0 }]);
  // The holder mistypes twice, then gets in.
  assert.is(await register(db, A2, wrong(code, 500), HOLDER), false);
  assert.is(await register(db, A2, wrong(code, 501), HOLDER), false);
  assert.ok(await register(db, A2, code, HOLDER));
});

test("a number takes fewer than 100 wrong guesses a day, however many addresses guess", async ({ db }) => {
  // Ten codes a day, each asked for by another attacker address, which tries 5 times; a crowd of
  // other addresses guesses at each code too.
  let crowd = 100;
  for (let round = 0; round < 10; round++) {
    await request(db, A2, attacker(round));
    const code = (await messages(db, A2)).at(-1)!;
    for (let guess = 1; guess <= 5; guess++) {
      assert.is(await register(db, A2, wrong(code, guess), attacker(round)), false);
      await elapse(db, 30);
    }
    for (let n = 0; n < 5; n++) await register(db, A2, wrong(code, 100 + n), attacker(crowd++));
    await elapse(db, 601);
  }
  await asSuperuser(db);
  const { rows } = await db.query(
    `select count(*)::integer as guesses, count(*) filter (where not by_asking_address)::integer as crowd
     from telecom_private.verification_code_guess as guess
     inner join telecom_private.verification_code as code on code.code_id = guess.code_id
     where code.mobile_no = $1`,
    [A2],
  );
  assert.equal(rows, [{ guesses: 90, crowd: 40 }], "10 asking addresses x 5, and 40 from everyone else");
  assert.ok(rows[0].guesses / 1_000_000 < 1 / 10_000);
  // Beyond the cap, asking sends nothing, so it gives no tries of one's own either.
  await request(db, A2, attacker(crowd++));
  assert.is((await messages(db, A2)).length, 10);
});

test("once the number's daily budget is spent, other addresses' guesses count for nothing; the asking address still gets in", async ({
  db,
}) => {
  await request(db, A2, HOLDER);
  const [code] = await messages(db, A2);
  for (let n = 1; n <= 40; n++) assert.is(await register(db, A2, wrong(code, n), attacker(n)), false);
  assert.is(await register(db, A2, code, attacker(41)), false, "the right code, from an address that did not ask");
  assert.ok(await register(db, A2, code, HOLDER));
});

/** How often each function ran in this transaction (track_functions = 'all'; as the superuser). */
async function calls(db: pg.PoolClient): Promise<Record<string, number>> {
  await asSuperuser(db);
  const { rows } = await db.query(
    `select schemaname || '.' || funcname as name, calls::integer
     from pg_stat_xact_user_functions
     where (schemaname, funcname) in (('telecom_private', 'hash_password'), ('public', 'crypt'))`,
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.calls]));
}

async function countCalls(db: pg.PoolClient, work: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = await calls(db);
  await work();
  const after = await calls(db);
  const delta = (name: string) => (after[name] ?? 0) - (before[name] ?? 0);
  return { hash_password: delta("telecom_private.hash_password"), crypt: delta("public.crypt") };
}

test("a wrong or throttled code, a wrong current password and a throttled login cost no password hash", async ({ db }) => {
  await db.query("set local track_functions = 'all'");
  await request(db, A1, HOLDER);
  const [code] = await messages(db, A1);
  // A wrong code: the code's own check only, no hash of the new password.
  const wrongReset = () => db.query("select telecom.reset_password($1, $2, 'a-brand-new-password')", [A1, wrong(code)]);
  assert.equal(await countCalls(db, () => visitor(db, attacker(1)).then(wrongReset)), { hash_password: 0, crypt: 1 });
  // Throttled (3 failures of the pair): refused before any bcrypt at all.
  await visitor(db, attacker(1));
  await wrongReset();
  await visitor(db, attacker(1));
  await wrongReset();
  const throttled = await countCalls(db, async () => {
    await visitor(db, attacker(1));
    assert.is((await errorOf(db, "select telecom.reset_password($1, $2, 'a-brand-new-password')", [A1, code])).code, "TC220");
  });
  assert.equal(throttled, { hash_password: 0, crypt: 0 });
  // register_customer shares the path: a wrong code hashes no password either.
  await request(db, A2, HOLDER);
  const [registration] = await messages(db, A2);
  assert.equal(await countCalls(db, () => register(db, A2, wrong(registration), attacker(2))), { hash_password: 0, crypt: 1 });
  // The right code: one check, one hash.
  assert.equal(await countCalls(db, () => register(db, A2, registration, HOLDER)), { hash_password: 1, crypt: 2 });
  // change_password: a wrong current password hashes nothing new, and when throttled nothing at all.
  await asRole(db, "telecom_customer", { mobile_no: B1, national_id: F.b.national_id });
  const change = (old: string) => db.query("select telecom.change_password($1, 'a-brand-new-password') as changed", [old]);
  const wrongOld = await countCalls(db, async () => {
    await asRole(db, "telecom_customer", { mobile_no: B1, national_id: F.b.national_id });
    assert.is((await change("not-the-password")).rows[0].changed, false);
  });
  assert.equal(wrongOld, { hash_password: 0, crypt: 1 });
  await asRole(db, "telecom_customer", { mobile_no: B1, national_id: F.b.national_id });
  await change("not-the-password-2");
  await change("not-the-password-3");
  const refused = await countCalls(db, async () => {
    await asRole(db, "telecom_customer", { mobile_no: B1, national_id: F.b.national_id });
    assert.is((await errorOf(db, "select telecom.change_password($1, 'a-brand-new-password')", [PASSWORD])).code, "TC220");
  });
  assert.equal(refused, { hash_password: 0, crypt: 0 });
  // Logins: a throttled customer or admin login is refused before any bcrypt.
  for (const [login, args] of [
    ["telecom.authenticate", [A1]],
    ["telecom.authenticate_admin", [F.admin.username]],
  ] as const) {
    for (let attempt = 1; attempt <= 3; attempt++) {
      await visitor(db, attacker(3));
      await db.query(`select ${login}($1, $2)`, [...args, `wrong-${attempt}`]);
    }
    const login4 = await countCalls(db, async () => {
      await visitor(db, attacker(3));
      assert.is((await errorOf(db, `select ${login}($1, $2)`, [...args, PASSWORD])).code, "TC220");
    });
    assert.equal(login4, { hash_password: 0, crypt: 0 }, login);
  }
  // A short new password is refused before anything is checked or hashed.
  const short = await countCalls(db, async () => {
    await asRole(db, "telecom_customer", { mobile_no: A1, national_id: F.a.national_id });
    assert.is((await errorOf(db, "select telecom.change_password($1, 'short')", [PASSWORD])).code, "TC212");
  });
  assert.equal(short, { hash_password: 0, crypt: 0 });
});

test.run();

import type pg from "pg";
import * as assert from "uvu/assert";
import { dbSuite, errorOf } from "../support/database.ts";
import { asRole, asSuperuser } from "../support/roles.ts";
import { ALICE, BOB, CAROL, DAVE, createCustomers, PEOPLE } from "./fixtures.ts";
import { moneyState } from "../support/money-state.ts";

const test = dbSuite("money: transfer_to_mobile");
const KEY = "0b9a7c1e-5f3d-4e2a-8c61-93d4f0a2b7e5";

const asAlice = (db: pg.PoolClient) => asRole(db, "telecom_customer", { mobile_no: ALICE.mobile_no, national_id: ALICE.national_id });

async function walletBalances(db: pg.PoolClient): Promise<Record<string, string>> {
  const { rows } = await db.query("select mobile_no, current_balance::text from telecom.wallet where national_id = any($1)", [
    PEOPLE.map((person) => person.national_id),
  ]);
  return Object.fromEntries(rows.map((row) => [row.mobile_no, row.current_balance]));
}

test("moves the amount between the wallets, records the transfer and journals both sides", async ({ db }) => {
  const { aliceWallet, bobWallet } = await createCustomers(db);
  await db.query("update telecom.wallet set last_modified_date = current_date - 10");
  await asAlice(db);
  const { rows } = await db.query("select * from telecom.transfer_to_mobile($1, 123.45)", [BOB.mobile_no]);
  assert.equal(rows[0], {
    transfer_id: rows[0].transfer_id,
    from_wallet_id: aliceWallet,
    to_wallet_id: bobWallet,
    amount: "123.45",
    transfer_date: rows[0].transfer_date,
  });
  await asSuperuser(db);
  assert.equal(await walletBalances(db), { [ALICE.mobile_no]: "376.55", [BOB.mobile_no]: "173.45", [CAROL.mobile_no]: "80.00" });
  const dates = await db.query(
    "select count(*)::int as n from telecom.wallet where wallet_id in ($1, $2) and last_modified_date = current_date",
    [aliceWallet, bobWallet],
  );
  assert.is(dates.rows[0].n, 2);
  const journal = await db.query(`
    select wallet_id, change::text, balance_after::text, operation, actor, transaction_id = txid_current() as this_transaction
    from telecom.money_journal
    where operation = 'transfer_to_mobile'
    order by wallet_id`);
  assert.equal(journal.rows, [
    {
      wallet_id: aliceWallet,
      change: "-123.45",
      balance_after: "376.55",
      operation: "transfer_to_mobile",
      actor: `customer:${ALICE.national_id}`,
      this_transaction: true,
    },
    {
      wallet_id: bobWallet,
      change: "123.45",
      balance_after: "173.45",
      operation: "transfer_to_mobile",
      actor: `customer:${ALICE.national_id}`,
      this_transaction: true,
    },
  ]);
  await asRole(db, "telecom_admin", { admin_id: 1 });
  assert.equal((await db.query("select * from telecom.audit_balances()")).rows, []);
});

test("the whole balance can be sent", async ({ db }) => {
  await createCustomers(db);
  await asRole(db, "telecom_customer", { mobile_no: BOB.mobile_no, national_id: BOB.national_id }, () =>
    db.query("select telecom.transfer_to_mobile($1, 50)", [ALICE.mobile_no]),
  );
  assert.equal(await walletBalances(db), { [ALICE.mobile_no]: "550.00", [BOB.mobile_no]: "0.00", [CAROL.mobile_no]: "80.00" });
});

test("a repeat with the same key returns the same transfer and moves nothing", async ({ db }) => {
  await createCustomers(db);
  await asAlice(db);
  const first = await db.query("select * from telecom.transfer_to_mobile($1, 10, $2)", [BOB.mobile_no, KEY]);
  await asSuperuser(db);
  const before = await moneyState(db);
  await asAlice(db);
  const again = await db.query("select * from telecom.transfer_to_mobile($1, 10.00, $2)", [BOB.mobile_no, KEY]);
  assert.equal(again.rows, first.rows);
  const different = await errorOf(db, "select telecom.transfer_to_mobile($1, 11, $2)", [BOB.mobile_no, KEY]);
  assert.equal([different.code, different.message], ["TC301", "This idempotency key was already used for a different request."]);
  await asSuperuser(db);
  assert.equal(await moneyState(db), before);
  assert.equal(await walletBalances(db), { [ALICE.mobile_no]: "490.00", [BOB.mobile_no]: "60.00", [CAROL.mobile_no]: "80.00" });
});

test("a refused transfer does not use up its key", async ({ db }) => {
  await createCustomers(db);
  await asAlice(db);
  await errorOf(db, "select telecom.transfer_to_mobile($1, 10, $2)", [ALICE.mobile_no, KEY]);
  const { rows } = await db.query("select amount::text from telecom.transfer_to_mobile($1, 10, $2)", [BOB.mobile_no, KEY]);
  assert.equal(rows, [{ amount: "10.00" }]);
});

const refusals: [string, (db: pg.PoolClient) => Promise<void>, string, unknown[], string, string][] = [
  [
    "an overdraft",
    asAlice,
    "select telecom.transfer_to_mobile($1, $2)",
    [BOB.mobile_no, "500.01"],
    "TC316",
    "Insufficient wallet balance: you have 500.00 EGP, the transfer needs 500.01.",
  ],
  [
    "to oneself",
    asAlice,
    "select telecom.transfer_to_mobile($1, $2)",
    [ALICE.mobile_no, "1"],
    "TC314",
    "You cannot transfer money to your own wallet.",
  ],
  [
    "to another currency",
    asAlice,
    "select telecom.transfer_to_mobile($1, $2)",
    [CAROL.mobile_no, "1"],
    "TC313",
    `You cannot transfer to ${CAROL.mobile_no}.`,
  ],
  [
    "to a number without a wallet",
    asAlice,
    "select telecom.transfer_to_mobile($1, $2)",
    [DAVE.mobile_no, "1"],
    "TC313",
    `You cannot transfer to ${DAVE.mobile_no}.`,
  ],
  [
    "to an unknown number",
    asAlice,
    "select telecom.transfer_to_mobile($1, $2)",
    ["09999999999", "1"],
    "TC313",
    "You cannot transfer to 09999999999.",
  ],
  [
    "to a malformed number",
    asAlice,
    "select telecom.transfer_to_mobile($1, $2)",
    ["0119000000٢", "1"],
    "TC312",
    "The number to transfer to must have 11 digits.",
  ],
  [
    "to no number",
    asAlice,
    "select telecom.transfer_to_mobile($1, $2)",
    [null, "1"],
    "TC312",
    "The number to transfer to must have 11 digits.",
  ],
  [
    "a zero amount",
    asAlice,
    "select telecom.transfer_to_mobile($1, $2)",
    [BOB.mobile_no, "0"],
    "TC104",
    "The amount must be more than zero.",
  ],
  [
    "a negative amount",
    asAlice,
    "select telecom.transfer_to_mobile($1, $2)",
    [BOB.mobile_no, "-5"],
    "TC104",
    "The amount must be more than zero.",
  ],
  ["no amount", asAlice, "select telecom.transfer_to_mobile($1, $2)", [BOB.mobile_no, null], "TC104", "The amount must be more than zero."],
  [
    "a third decimal, not rounded",
    asAlice,
    "select telecom.transfer_to_mobile($1, $2)",
    [BOB.mobile_no, "1.005"],
    "TC105",
    "The amount 1.005 has more than two decimals.",
  ],
  [
    "a huge amount",
    asAlice,
    "select telecom.transfer_to_mobile($1, $2)",
    [BOB.mobile_no, "1e20"],
    "TC104",
    "The amount 100000000000000000000 is too large.",
  ],
  ["NaN", asAlice, "select telecom.transfer_to_mobile($1, $2)", [BOB.mobile_no, "NaN"], "TC104", "The amount NaN is too large."],
  [
    "from a number without a wallet",
    (db) => asRole(db, "telecom_customer", { mobile_no: DAVE.mobile_no, national_id: DAVE.national_id }),
    "select telecom.transfer_to_mobile($1, $2)",
    [BOB.mobile_no, "1"],
    "TC311",
    `Your number ${DAVE.mobile_no} has no wallet to transfer from.`,
  ],
  [
    "from an account on hold",
    async (db) => {
      await db.query("update telecom.customer_account set status = 'onhold' where mobile_no = $1", [ALICE.mobile_no]);
      await asAlice(db);
    },
    "select telecom.transfer_to_mobile($1, $2)",
    [BOB.mobile_no, "1"],
    "TC103",
    `The account ${ALICE.mobile_no} is on hold.`,
  ],
  [
    "by an admin",
    (db) => asRole(db, "telecom_admin", { admin_id: 1 }),
    "select telecom.transfer_to_mobile($1, $2)",
    [BOB.mobile_no, "1"],
    "TC310",
    "Only a customer can transfer money, from the wallet of the number they logged in with (admins have no wallet).",
  ],
  [
    "by a visitor",
    (db) => asRole(db, "telecom_anonymous"),
    "select telecom.transfer_to_mobile($1, $2)",
    [BOB.mobile_no, "1"],
    "42501",
    "permission denied for function transfer_to_mobile",
  ],
  [
    "by the owner without a customer's claims",
    asSuperuser,
    "select telecom.transfer_to_mobile($1, $2)",
    [BOB.mobile_no, "1"],
    "TC310",
    "Only a customer can transfer money, from the wallet of the number they logged in with (admins have no wallet).",
  ],
];

for (const [what, as, statement, values, code, message] of refusals) {
  test(`refuses ${what} with ${code} and changes nothing`, async ({ db }) => {
    await createCustomers(db);
    await as(db);
    const before = await moneyState(db);
    const error = await errorOf(db, statement, values);
    assert.equal([error.code, error.message], [code, message]);
    await asSuperuser(db);
    assert.equal(await moneyState(db), before);
  });
}

test.run();

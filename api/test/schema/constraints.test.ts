/**
 * The rules of docs/data-model.md that the tables enforce themselves: each bad row is refused with its SQLSTATE
 * (23514 check, 23505 unique, 23503 foreign key, 23502 not null, 22P02 unknown enum value, TC001 a
 * shop of both kinds) and the name of the constraint that refused it; the good rows next to them
 * are accepted.
 */
import type pg from "pg";
import type { Test } from "uvu";
import * as assert from "uvu/assert";
import { dbSuite, errorOf, type DbContext } from "../support/database.ts";

/** Ids of the fixture rows; identities are left to the database so they never collide with other tests' rows. */
interface Ids {
  plan: number;
  shortPayment: number;
  overPayment: number;
  wallet: number;
  otherWallet: number;
  benefit: number;
  shop: number;
  otherShop: number;
}

const test = dbSuite("schema constraints") as unknown as Test<DbContext & { ids: Ids }>;

/** One of everything, for the bad rows to refer to: two people with a prepaid number and a wallet each. */
test.before.each(async (context) => {
  const { db } = context;
  await db.query(`
    insert into telecom.customer_profile (national_id, first_name, last_name, email, date_of_birth)
    values
      (1, 'Nadia', 'Fahmy', 'nadia@example.com', '1990-01-01'),
      (2, 'Samy', 'Aziz', null, '1985-05-05');
    insert into telecom.customer_account (mobile_no, national_id, account_type)
    values
      ('01000000001', 1, 'prepaid'),
      ('01000000002', 2, 'prepaid');
  `);
  const id = async (sql: string) => (await db.query(sql)).rows.map((row) => Object.values(row)[0] as number);
  const [plan] = await id(
    "insert into telecom.service_plan (name, price, sms_offered, minutes_offered, data_offered) values ('Plan 100', 100, 10, 10, 10) returning plan_id",
  );
  const [shortPayment, overPayment] = await id(
    "insert into telecom.payment (mobile_no, amount, payment_method, status) values ('01000000001', 60, 'cash', 'successful'), ('01000000001', 130, 'cash', 'successful') returning payment_id",
  );
  const [wallet, otherWallet] = await id(
    "insert into telecom.wallet (national_id, mobile_no) values (1, '01000000001'), (2, '01000000002') returning wallet_id",
  );
  const [benefit] = await id(
    "insert into telecom.benefit (description, validity_date, mobile_no) values ('Cashback', current_date + 30, '01000000001') returning benefit_id",
  );
  const [shop, otherShop] = await id(
    "insert into telecom.shop (name, category) values ('Corner shop', 'groceries'), ('Web shop', 'books') returning shop_id",
  );
  context.ids = { plan, shortPayment, overPayment, wallet, otherWallet, benefit, shop, otherShop };
});

/** Asserts that `sql` is refused with `code`, and, when given, by the constraint `constraint`. */
async function refused(db: pg.PoolClient, sql: string, code: string, constraint?: string): Promise<void> {
  const error = await errorOf(db, sql);
  assert.is(error.code, code, `${sql}: ${error.message}`);
  if (constraint) assert.is(error.constraint, constraint, sql);
}

test("a mobile number is exactly 11 digits (23514)", async ({ db }) => {
  for (const mobile of ["0100000000", "010000000001", "0100000000a", "+2010000000", "010 0000 000"]) {
    await refused(
      db,
      `insert into telecom.customer_account (mobile_no, national_id, account_type) values ('${mobile}', 1, 'prepaid')`,
      "23514",
      "customer_account_mobile_no_check",
    );
  }
  await db.query("insert into telecom.customer_account (mobile_no, national_id, account_type) values ('01099999999', 1, 'prepaid')");
});

test("prepaid and pay-as-you-go balances cannot go negative (23514); post-paid ones may", async ({ db }) => {
  await refused(
    db,
    "update telecom.customer_account set balance = -0.01 where mobile_no = '01000000001'",
    "23514",
    "customer_account_check",
  );
  await refused(
    db,
    "insert into telecom.customer_account (mobile_no, national_id, account_type, balance) values ('01000000003', 1, 'pay_as_you_go', -5)",
    "23514",
    "customer_account_check",
  );
  await db.query(
    "insert into telecom.customer_account (mobile_no, national_id, account_type, balance) values ('01000000004', 1, 'post_paid', -250.75)",
  );
  // Turning an indebted post-paid line into a prepaid one is refused too.
  await refused(
    db,
    "update telecom.customer_account set account_type = 'prepaid' where mobile_no = '01000000004'",
    "23514",
    "customer_account_check",
  );
  await db.query("update telecom.customer_account set balance = 0 where mobile_no = '01000000001'");
});

test("points cannot be negative (23514)", async ({ db }) => {
  await refused(
    db,
    "update telecom.customer_account set points = -1 where mobile_no = '01000000001'",
    "23514",
    "customer_account_points_check",
  );
  await db.query("update telecom.customer_account set points = 0 where mobile_no = '01000000001'");
});

test("names and descriptions cannot be blank (23514) or missing (23502)", async ({ db }) => {
  await refused(
    db,
    "insert into telecom.customer_profile (national_id, first_name, last_name, date_of_birth) values (3, '  ', 'Aziz', '1990-01-01')",
    "23514",
    "customer_profile_first_name_check",
  );
  await refused(
    db,
    "insert into telecom.customer_profile (national_id, first_name, last_name, date_of_birth) values (3, 'Samy', '', '1990-01-01')",
    "23514",
    "customer_profile_last_name_check",
  );
  await refused(
    db,
    "insert into telecom.customer_profile (national_id, first_name, last_name, date_of_birth) values (3, null, 'Aziz', '1990-01-01')",
    "23502",
  );
  await refused(
    db,
    "insert into telecom.service_plan (name, price, sms_offered, minutes_offered, data_offered) values (' ', 10, 0, 0, 0)",
    "23514",
    "service_plan_name_check",
  );
  await refused(db, "insert into telecom.shop (name, category) values ('', 'books')", "23514", "shop_name_check");
  await refused(db, "insert into telecom.shop (name, category) values ('Books', ' ')", "23514", "shop_category_check");
  await refused(
    db,
    "insert into telecom.benefit (description, validity_date, mobile_no) values ('  ', current_date, '01000000001')",
    "23514",
    "benefit_description_check",
  );
  await refused(
    db,
    "insert into telecom.technical_support_ticket (mobile_no, issue_description, priority_level) values ('01000000001', '', 3)",
    "23514",
    "technical_support_ticket_issue_description_check",
  );
  await db.query(
    "insert into telecom.customer_profile (national_id, first_name, last_name, date_of_birth) values (3, 'Samy', 'Aziz', '1990-01-01')",
  );
});

test("e-mail addresses are unique regardless of case (23505)", async ({ db }) => {
  await refused(
    db,
    "insert into telecom.customer_profile (national_id, first_name, last_name, email, date_of_birth) values (3, 'N', 'F', 'NADIA@Example.COM', '1990-01-01')",
    "23505",
    "customer_profile_email_key",
  );
  // Several customers may have no e-mail.
  await db.query(
    "insert into telecom.customer_profile (national_id, first_name, last_name, email, date_of_birth) values (3, 'N', 'F', null, '1990-01-01')",
  );
});

test("a plan's price is positive and its offered amounts are not negative (23514); its name is unique (23505)", async ({ db }) => {
  const plan = (name: string, price: number, sms: number, minutes: number, data: number) =>
    `insert into telecom.service_plan (name, price, sms_offered, minutes_offered, data_offered) values ('${name}', ${price}, ${sms}, ${minutes}, ${data})`;
  await refused(db, plan("Free", 0, 0, 0, 0), "23514", "service_plan_price_check");
  await refused(db, plan("Negative", -1, 0, 0, 0), "23514", "service_plan_price_check");
  await refused(db, plan("P", 10, -1, 0, 0), "23514", "service_plan_sms_offered_check");
  await refused(db, plan("P", 10, 0, -1, 0), "23514", "service_plan_minutes_offered_check");
  await refused(db, plan("P", 10, 0, 0, -1), "23514", "service_plan_data_offered_check");
  await refused(db, plan("Plan 100", 10, 0, 0, 0), "23505", "service_plan_name_key");
  await db.query(plan("Cheapest", 0.01, 0, 0, 0));
});

test("a usage record ends on or after its start and its amounts are not negative (23514)", async ({ db, ids }) => {
  const usage = (start: string, end: string, data: number, minutes: number, sms: number) =>
    `insert into telecom.plan_usage (mobile_no, plan_id, start_date, end_date, data_consumption, minutes_used, sms_sent)
     values ('01000000001', ${ids.plan}, ${start}, ${end}, ${data}, ${minutes}, ${sms})`;
  // Usage is recorded only against a plan the account subscribes to (docs/data-model.md).
  await db.query("insert into telecom.subscription (mobile_no, plan_id) values ('01000000001', $1)", [ids.plan]);
  await refused(db, usage("current_date", "current_date - 1", 0, 0, 0), "23514", "plan_usage_check");
  await refused(db, usage("current_date", "current_date", -1, 0, 0), "23514", "plan_usage_data_consumption_check");
  await refused(db, usage("current_date", "current_date", 0, -1, 0), "23514", "plan_usage_minutes_used_check");
  await refused(db, usage("current_date", "current_date", 0, 0, -1), "23514", "plan_usage_sms_sent_check");
  await db.query(usage("current_date", "current_date", 0, 0, 0));
});

test("amounts of money and points are positive (23514)", async ({ db, ids }) => {
  await refused(
    db,
    "insert into telecom.payment (mobile_no, amount, payment_method) values ('01000000001', 0, 'cash')",
    "23514",
    "payment_amount_check",
  );
  await refused(
    db,
    "insert into telecom.payment (mobile_no, amount, payment_method) values ('01000000001', -10, 'cash')",
    "23514",
    "payment_amount_check",
  );
  await refused(
    db,
    `insert into telecom.transfer_money (from_wallet_id, to_wallet_id, amount) values (${ids.wallet}, ${ids.otherWallet}, 0)`,
    "23514",
    "transfer_money_amount_check",
  );
  await refused(
    db,
    `insert into telecom.cashback (benefit_id, wallet_id, amount) values (${ids.benefit}, ${ids.wallet}, 0)`,
    "23514",
    "cashback_amount_check",
  );
  await refused(
    db,
    `insert into telecom.points_group (benefit_id, points_amount, payment_id) values (${ids.benefit}, 0, ${ids.shortPayment})`,
    "23514",
    "points_group_points_amount_check",
  );
  await refused(
    db,
    `insert into telecom.voucher (value, expiry_date, points, shop_id) values (0, current_date, 10, ${ids.shop})`,
    "23514",
    "voucher_value_check",
  );
  await refused(
    db,
    `insert into telecom.voucher (value, expiry_date, points, shop_id) values (10, current_date, 0, ${ids.shop})`,
    "23514",
    "voucher_points_check",
  );
  await db.query("insert into telecom.payment (mobile_no, amount, payment_method) values ('01000000001', 0.01, 'cash')");
  await db.query(
    `insert into telecom.points_group (benefit_id, points_amount, payment_id) values (${ids.benefit}, 1, ${ids.shortPayment})`,
  );
});

test("an exclusive offer's amounts are not negative (23514)", async ({ db, ids }) => {
  const offer = (internet: number, sms: number, minutes: number) =>
    `insert into telecom.exclusive_offer (benefit_id, internet_offered, sms_offered, minutes_offered) values (${ids.benefit}, ${internet}, ${sms}, ${minutes})`;
  await refused(db, offer(-1, 0, 0), "23514", "exclusive_offer_internet_offered_check");
  await refused(db, offer(0, -1, 0), "23514", "exclusive_offer_sms_offered_check");
  await refused(db, offer(0, 0, -1), "23514", "exclusive_offer_minutes_offered_check");
  await db.query(offer(0, 0, 0));
});

test("process_payment's remaining and extra amounts are computed by the database, whatever is sent", async ({ db, ids }) => {
  const { rows } = await db.query(
    `insert into telecom.process_payment (payment_id, plan_id, remaining_balance, extra_amount)
     values ($1, $3, 999, 999), ($2, $3, 0, 0)
     returning remaining_balance, extra_amount`,
    [ids.shortPayment, ids.overPayment, ids.plan],
  );
  // The plan costs 100.00: 60.00 leaves 40.00 to pay, 130.00 is 30.00 extra.
  assert.equal(rows, [
    { remaining_balance: "40.00", extra_amount: "0.00" },
    { remaining_balance: "0.00", extra_amount: "30.00" },
  ]);
  const { rows: updated } = await db.query(
    "update telecom.process_payment set remaining_balance = 0, extra_amount = 5 where payment_id = $1 returning remaining_balance, extra_amount",
    [ids.shortPayment],
  );
  assert.equal(updated, [{ remaining_balance: "40.00", extra_amount: "0.00" }]);
});

test("a wallet's currency is three capital letters and its balance is not negative (23514)", async ({ db, ids }) => {
  for (const currency of ["EG", "egp", "EGPX", "E1P"]) {
    await refused(
      db,
      `update telecom.wallet set currency = '${currency}' where wallet_id = ${ids.wallet}`,
      "23514",
      "wallet_currency_check",
    );
  }
  await refused(
    db,
    `update telecom.wallet set current_balance = -0.01 where wallet_id = ${ids.wallet}`,
    "23514",
    "wallet_current_balance_check",
  );
  const { rows } = await db.query("select currency from telecom.wallet where wallet_id = $1", [ids.wallet]);
  assert.is(rows[0].currency, "EGP");
  await db.query(`update telecom.wallet set currency = 'USD', current_balance = 0 where wallet_id = ${ids.wallet}`);
});

test("a wallet belongs to the owner of its number (23503) and a number has one wallet (23505)", async ({ db }) => {
  await db.query("insert into telecom.customer_account (mobile_no, national_id, account_type) values ('01000000003', 1, 'prepaid')");
  await refused(
    db,
    "insert into telecom.wallet (national_id, mobile_no) values (2, '01000000003')",
    "23503",
    "wallet_mobile_no_national_id_fkey",
  );
  await refused(db, "insert into telecom.wallet (national_id, mobile_no) values (1, '01000000001')", "23505", "wallet_mobile_no_key");
  await db.query("insert into telecom.wallet (national_id, mobile_no) values (1, '01000000003')");
});

test("a transfer goes to another wallet (23514)", async ({ db, ids }) => {
  await refused(
    db,
    `insert into telecom.transfer_money (from_wallet_id, to_wallet_id, amount) values (${ids.wallet}, ${ids.wallet}, 10)`,
    "23514",
    "transfer_money_check",
  );
  await db.query(
    `insert into telecom.transfer_money (from_wallet_id, to_wallet_id, amount) values (${ids.wallet}, ${ids.otherWallet}, 10)`,
  );
});

test("an online shop's rating is 1 to 5 (23514)", async ({ db, ids }) => {
  const eShop = (rating: number) =>
    `insert into telecom.e_shop (shop_id, url, rating) values (${ids.otherShop}, 'https://shop.example.com', ${rating})`;
  await refused(db, eShop(0), "23514", "e_shop_rating_check");
  await refused(db, eShop(6), "23514", "e_shop_rating_check");
  await db.query(eShop(1));
  await db.query("update telecom.e_shop set rating = 5 where shop_id = $1", [ids.otherShop]);
});

test("a voucher is redeemed by an account on a date, both or neither (23514)", async ({ db, ids }) => {
  const voucher = (mobile: string, redeemDate: string) =>
    `insert into telecom.voucher (value, expiry_date, points, shop_id, mobile_no, redeem_date) values (10, current_date, 10, ${ids.shop}, ${mobile}, ${redeemDate})`;
  await refused(db, voucher("'01000000001'", "null"), "23514", "voucher_check");
  await refused(db, voucher("null", "current_date"), "23514", "voucher_check");
  await db.query(voucher("null", "null"));
  await db.query(voucher("'01000000001'", "current_date"));
});

test("a shop is physical or online, not both (TC001), whichever kind comes first", async ({ db, ids }) => {
  await db.query("insert into telecom.physical_shop (shop_id, address, working_hours) values ($1, '1 Nile St, Cairo', 'Daily 9-17')", [
    ids.shop,
  ]);
  await refused(db, `insert into telecom.e_shop (shop_id, url, rating) values (${ids.shop}, 'https://corner.example.com', 4)`, "TC001");
  await db.query("insert into telecom.e_shop (shop_id, url, rating) values ($1, 'https://books.example.com', 4)", [ids.otherShop]);
  const error = await errorOf(
    db,
    `insert into telecom.physical_shop (shop_id, address, working_hours) values (${ids.otherShop}, '2 Nile St, Cairo', 'Daily 9-17')`,
  );
  assert.is(error.code, "TC001");
  assert.match(error.message, "either physical or online");
});

test("a payment earns cashback at most once (23505); cashback without a payment is allowed repeatedly", async ({ db, ids }) => {
  const cashback = `insert into telecom.cashback (benefit_id, wallet_id, amount, payment_id) values (${ids.benefit}, ${ids.wallet}, 6, ${ids.shortPayment})`;
  await db.query(cashback);
  await refused(db, cashback, "23505", "cashback_payment_id_key");
  await db.query(
    `insert into telecom.cashback (benefit_id, wallet_id, amount) values (${ids.benefit}, ${ids.wallet}, 5), (${ids.benefit}, ${ids.wallet}, 5)`,
  );
});

test("a ticket's priority is 1 to 5 (23514)", async ({ db }) => {
  const ticket = (priority: number) =>
    `insert into telecom.technical_support_ticket (mobile_no, issue_description, priority_level) values ('01000000001', 'No signal', ${priority})`;
  await refused(db, ticket(0), "23514", "technical_support_ticket_priority_level_check");
  await refused(db, ticket(6), "23514", "technical_support_ticket_priority_level_check");
  await db.query(ticket(1));
  await db.query(ticket(5));
});

test("references must exist (23503)", async ({ db, ids }) => {
  await refused(
    db,
    "insert into telecom.customer_account (mobile_no, national_id, account_type) values ('01000000009', -1, 'prepaid')",
    "23503",
    "customer_account_national_id_fkey",
  );
  await refused(
    db,
    "insert into telecom.subscription (mobile_no, plan_id) values ('01000000001', -1)",
    "23503",
    "subscription_plan_id_fkey",
  );
  await refused(
    db,
    `insert into telecom.subscription (mobile_no, plan_id) values ('01000000009', ${ids.plan})`,
    "23503",
    "subscription_mobile_no_fkey",
  );
  await refused(
    db,
    `insert into telecom.process_payment (payment_id, plan_id, remaining_balance, extra_amount) values (-1, ${ids.plan}, 0, 0)`,
    "23503",
    "process_payment_payment_id_fkey",
  );
  await refused(
    db,
    "insert into telecom.voucher (value, expiry_date, points, shop_id) values (10, current_date, 10, -1)",
    "23503",
    "voucher_shop_id_fkey",
  );
  await refused(
    db,
    `insert into telecom.cashback (benefit_id, wallet_id, amount, payment_id) values (${ids.benefit}, ${ids.wallet}, 5, -1)`,
    "23503",
    "cashback_payment_id_fkey",
  );
  await db.query(`insert into telecom.subscription (mobile_no, plan_id) values ('01000000001', ${ids.plan})`);
});

test("required columns must be present (23502)", async ({ db, ids }) => {
  await refused(db, "insert into telecom.customer_account (mobile_no, account_type) values ('01000000009', 'prepaid')", "23502");
  await refused(db, "insert into telecom.customer_account (mobile_no, national_id) values ('01000000009', 1)", "23502");
  await refused(db, "insert into telecom.payment (mobile_no, amount) values ('01000000001', 10)", "23502");
  await refused(db, `insert into telecom.voucher (value, points, shop_id) values (10, 10, ${ids.shop})`, "23502");
  await refused(
    db,
    "insert into telecom.technical_support_ticket (mobile_no, issue_description) values ('01000000001', 'No signal')",
    "23502",
  );
  // Defaults fill what may be left out.
  const { rows } = await db.query(
    "insert into telecom.customer_account (mobile_no, national_id, account_type) values ('01000000009', 1, 'prepaid') returning balance, status::text, points, start_date = current_date as today",
  );
  assert.equal(rows, [{ balance: "0.00", status: "active", points: 0, today: true }]);
});

test("each enum type has exactly the values of docs/data-model.md and refuses any other (22P02)", async ({ db }) => {
  const expected: Record<string, string[]> = {
    account_type: ["post_paid", "prepaid", "pay_as_you_go"],
    account_status: ["active", "onhold"],
    subscription_status: ["active", "onhold"],
    payment_method: ["cash", "credit", "wallet"],
    payment_status: ["successful", "pending", "rejected"],
    benefit_status: ["active", "expired"],
    ticket_status: ["open", "in_progress", "resolved"],
  };
  for (const [type, labels] of Object.entries(expected)) {
    const { rows } = await db.query(
      "select array_agg(enumlabel::text order by enumsortorder) as labels from pg_enum where enumtypid = $1::regtype",
      [`telecom.${type}`],
    );
    assert.equal(rows[0].labels, labels, type);
    const error = await errorOf(db, `select $1::telecom.${type}`, ["unknown"]);
    assert.is(error.code, "22P02", type);
  }
  await refused(db, "insert into telecom.payment (mobile_no, amount, payment_method) values ('01000000001', 10, 'cheque')", "22P02");
  await refused(db, "update telecom.technical_support_ticket set status = 'closed'", "22P02");
});

test.run();

/**
 * The admin figures in SQL: the business figures (materialized views and their refresh), customer search,
 * row estimates, and management refusals (TC6xx), as an admin and as a customer, on the shared fixture.
 */
import * as assert from "uvu/assert";
import { dbSuite, errorOf } from "../support/database.ts";
import { Builder } from "../support/builder.ts";
import { asRole, asSuperuser } from "../support/roles.ts";
import { A1, admin, buildFixture, customerA, id } from "./fixture.ts";

const test = dbSuite("admin figures and management");

test.before.each(async ({ db }) => {
  await buildFixture(db);
});

test("refresh_admin_figures: the figures include the fixture's payments, with the refresh time as as_of", async ({ db }) => {
  await asRole(db, "telecom_admin", admin);
  const asOf = (await db.query("select telecom.refresh_admin_figures() as as_of")).rows[0].as_of as Date;
  const { rows } = await db.query(`
    select revenue::text, payment_count, as_of
    from telecom.revenue_per_month
    where month = date_trunc('month', current_date)::date`);
  const { rows: expected } = await db.query(`
    select coalesce(sum(amount), 0)::text as revenue, count(*)::int as payment_count
    from telecom.payment
    where status = 'successful'
      and date_trunc('month', date_of_payment) = date_trunc('month', current_date)`);
  if (expected[0].payment_count > 0) {
    assert.is(rows[0].revenue, expected[0].revenue);
    assert.is(rows[0].payment_count, expected[0].payment_count);
    assert.equal(rows[0].as_of, asOf);
  }
  const tickets = await db.query("select sum(open_tickets + in_progress_tickets)::int as n from telecom.open_tickets_by_priority");
  const open = await db.query("select count(*)::int as n from telecom.technical_support_ticket where status <> 'resolved'");
  assert.is(tickets.rows[0].n ?? 0, open.rows[0].n);
  const held = await db.query("select accounts from telecom.account_status_counts where status = 'onhold'");
  const heldNow = await db.query("select count(*)::int as n from telecom.customer_account where status = 'onhold'");
  assert.is(held.rows[0]?.accounts ?? 0, heldNow.rows[0].n);
});

test("paying subscribers per plan: only subscriptions active and paid for today (docs/usage.md); ARPU is revenue over them", async ({
  db,
}) => {
  await asSuperuser(db);
  // One subscription of each kind on the fixture's plan: paid, paid until today (not covered), on hold, never paid.
  const { rows: accounts } = await db.query("select mobile_no from telecom.customer_account order by mobile_no limit 4");
  await db.query("delete from telecom.subscription where plan_id = $1", [id.basic]);
  const states: [string, string | null][] = [
    ["active", "current_date + 10"],
    ["active", "current_date"],
    ["onhold", "current_date + 10"],
    ["active", null],
  ];
  for (const [i, [status, paidUntil]] of states.entries()) {
    await db.query(
      `insert into telecom.subscription (mobile_no, plan_id, subscription_date, status, paid_until)
       values ($1, $2, current_date, $3, ${paidUntil ?? "null"})
       on conflict (mobile_no, plan_id) do update set status = excluded.status, paid_until = excluded.paid_until`,
      [accounts[i].mobile_no, id.basic, status],
    );
  }
  await asRole(db, "telecom_admin", admin);
  const asOf = (await db.query("select telecom.refresh_admin_figures() as as_of")).rows[0].as_of as Date;
  const { rows } = await db.query("select paying_subscribers, as_of from telecom.paying_subscribers_per_plan where plan_id = $1", [
    id.basic,
  ]);
  assert.is(rows[0].paying_subscribers, 1, "status active alone is not enough, nor a paid_until of today");
  assert.equal(rows[0].as_of, asOf);
  const { rows: expected } = await db.query(`
    select
      (select coalesce(sum(amount), 0) from telecom.payment
        where status = 'successful' and date_of_payment > current_date - 30 and date_of_payment <= current_date)::text as revenue,
      (select count(distinct mobile_no)::int from telecom.subscription where status = 'active' and current_date < paid_until) as paying`);
  const { rows: arpu } = await db.query("select revenue::text, paying_subscribers, arpu::text, as_of_date from telecom.arpu");
  assert.is(arpu.length, 1);
  assert.is(arpu[0].revenue, expected[0].revenue);
  assert.is(arpu[0].paying_subscribers, expected[0].paying);
  assert.is(Number(arpu[0].arpu), Math.round((Number(expected[0].revenue) / expected[0].paying) * 100) / 100);
});

test("figures: admins only (a customer can neither read nor refresh them)", async ({ db }) => {
  await asRole(db, "telecom_customer", customerA);
  assert.is((await errorOf(db, "select * from telecom.revenue_per_month")).code, "42501");
  assert.is((await errorOf(db, "select * from telecom.paying_subscribers_per_plan")).code, "42501");
  assert.is((await errorOf(db, "select telecom.refresh_admin_figures()")).code, "42501");
});

test("search_customers: by number, national id, e-mail and part of a name", async ({ db }) => {
  await asRole(db, "telecom_admin", admin);
  const search = async (query: string) =>
    (await db.query("select national_id from telecom.search_customers($1) order by national_id", [query])).rows.map((r) => r.national_id);
  const amal = customerA.national_id;
  assert.ok((await search(A1)).includes(amal));
  assert.equal(await search(String(amal)), [amal]);
  const email = (await db.query("select email from telecom.customer_profile where national_id = $1", [amal])).rows[0].email;
  if (email) assert.equal(await search(String(email).toUpperCase()), [amal]);
  assert.ok((await search("mal has")).includes(amal), "a partial name, any case");
  assert.equal(await search("%%"), [], "wildcards are literal");
  assert.equal(await search("am"), [], "fewer than three letters match no name");
});

test("search_customers: a name shared by many people gives the first 1,000 of them, an exact number still finds its person", async ({
  db,
}) => {
  await asSuperuser(db);
  const people = await new Builder(db).manyCustomerIds(1001);
  await db.query(
    `insert into telecom.customer_profile (national_id, first_name, last_name, date_of_birth)
     select national_id, 'Zubeida', 'Qorrat', date '1990-01-01' from unnest($1::integer[]) as national_id`,
    [people.map((person) => person.national_id)],
  );
  await asRole(db, "telecom_admin", admin);
  const count = async (query: string) => (await db.query("select count(*)::int as n from telecom.search_customers($1)", [query])).rows[0].n;
  assert.is(await count("zubeida qorrat"), 1000);
  assert.is(await count(String(people[1000].national_id)), 1);
});

test("search_customers: the trigram index serves a partial name", async ({ db }) => {
  await db.query("set local enable_seqscan = off");
  // The function's name branch, as written there: the index must match its expression.
  const { rows } = await db.query(
    "explain select national_id from telecom.customer_profile as profile where (profile.first_name || ' ' || profile.last_name) ilike '%hassan%'",
  );
  assert.match(rows.map((r) => r["QUERY PLAN"]).join("\n"), /customer_profile_full_name_trgm_idx/);
});

test("estimated_row_count: an estimate for the reports, a refusal for anything else", async ({ db }) => {
  await asRole(db, "telecom_admin", admin);
  const { rows } = await db.query("select telecom.estimated_row_count('account_payments') as n");
  assert.ok(Number(rows[0].n) >= 0);
  assert.is((await errorOf(db, "select telecom.estimated_row_count('money_journal; drop table x')")).code, "TC604");
});

test("a plan with subscribers cannot be deleted (TC601); one with payments or usage neither (TC602); an unused one can", async ({ db }) => {
  await asRole(db, "telecom_admin", admin);
  const subscribed = await errorOf(db, "delete from telecom.service_plan where plan_id = $1", [id.basic]);
  assert.is(subscribed.code, "TC601");
  assert.match(subscribed.message, /has subscribers/);
  await asSuperuser(db);
  const unused = await new Builder(db).plan({ name: "Unused", price: 10, sms_offered: 0, minutes_offered: 0, data_offered: 0 });
  await db.query("insert into telecom.plan_provides_benefits (plan_id, benefit_id) values ($1, $2)", [unused.plan_id, id.ben1]);
  await asRole(db, "telecom_admin", admin);
  const { rowCount } = await db.query("delete from telecom.service_plan where plan_id = $1", [unused.plan_id]);
  assert.is(rowCount, 1, "its benefit links go with it");
});

test("a shop with vouchers cannot be deleted (TC603); a redeemed voucher neither (TC020, money history)", async ({ db }) => {
  await asRole(db, "telecom_admin", admin);
  assert.is((await errorOf(db, "delete from telecom.shop where shop_id = $1", [id.shopPhysical])).code, "TC603");
  const redeemed = (await db.query("select voucher_id from telecom.voucher where mobile_no is not null limit 1")).rows[0];
  if (redeemed) assert.is((await errorOf(db, "delete from telecom.voucher where voucher_id = $1", [redeemed.voucher_id])).code, "TC020");
});

test.run();

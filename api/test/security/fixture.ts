/**
 * The people and rows the security tests check access to, built by the superuser: person A with two
 * numbers (A1, A2), person B with one (B1), and person C (C1, C2) who only receives a transfer and
 * gives the admin a number without a wallet. Every id comes from the builder when a suite loads
 * (`fixtureIds`: national ids, numbers and row ids from the database's sequence), so a suite can
 * name them in its tables of cases, build the fixture inside a rolled-back transaction for every
 * test, or commit it once (and remove it with its builder) without meeting other rows.
 */
import type { Builder } from "../support/builder.ts";

/** The password of A1 and B1 (fixtures hash it with bcrypt cost 4, for speed). */
export const PASSWORD = "security-test-password";

export interface Fixture {
  /** A serial of the builder: it makes the e-mail addresses and names of the fixture unique. */
  tag: number;
  /** Every number of the fixture's accounts. */
  numbers: string[];
  a: { national_id: number; mobile_nos: [string, string] };
  b: { national_id: number; mobile_no: string };
  c: { national_id: number; mobile_nos: [string, string] };
  plan: { id: number; name: string };
  /** A plan nobody subscribes to. */
  otherPlan: { id: number; name: string };
  /** A plan A's and B's first numbers subscribe to, on hold. */
  heldPlan: { id: number; name: string };
  wallets: { a1: number; a2: number; b1: number; c1: number };
  payments: { a: number; aUncredited: number; b: number; bUncredited: number };
  benefits: { a: number; b: number };
  pointsGroups: { a: number; b: number };
  offers: { a: number; b: number };
  cashbacks: { a: number; b: number };
  transfers: { a: number; b: number };
  usages: { a: number; b: number };
  shops: { physical: number; online: number; kindless: number };
  vouchers: { redeemedByA: number; redeemedByB: number; unredeemed: number };
  tickets: { aOpen: number; aResolved: number; bOpen: number; bResolved: number };
  /** A bill of A1 and of B1 with a line, a plan charge, a credit note, a collection step and a bar (ids of all of them); a's is also a bill run request's. */
  bills: { a: number; b: number };
  admin: { admin_id: number; username: string };
}

/** The fixture's national ids, numbers and row ids, handed out by `data`; builds nothing. */
export async function fixtureIds(data: Builder): Promise<Fixture> {
  const ids = async (count: number) => {
    const reserved: number[] = [];
    for (let index = 0; index < count; index++) reserved.push(await data.rowId());
    return reserved;
  };
  const tag = await data.nationalId();
  const [a, b, c] = [await data.nationalId(), await data.nationalId(), await data.nationalId()];
  const [a1, a2, b1, c1, c2] = [
    await data.mobileNo(),
    await data.mobileNo(),
    await data.mobileNo(),
    await data.mobileNo(),
    await data.mobileNo(),
  ];
  const [plan, otherPlan, heldPlan] = await ids(3);
  const [walletA1, walletA2, walletB1, walletC1] = await ids(4);
  const [payA, payAUncredited, payB, payBUncredited] = await ids(4);
  const pair = async () => {
    const [a, b] = await ids(2);
    return { a, b };
  };
  const [physical, online, kindless] = await ids(3);
  const [redeemedByA, redeemedByB, unredeemed] = await ids(3);
  const [aOpen, aResolved, bOpen, bResolved] = await ids(4);
  return {
    tag,
    numbers: [a1, a2, b1, c1, c2],
    a: { national_id: a, mobile_nos: [a1, a2] },
    b: { national_id: b, mobile_no: b1 },
    c: { national_id: c, mobile_nos: [c1, c2] },
    plan: { id: plan, name: `Security plan ${tag}` },
    otherPlan: { id: otherPlan, name: `Security spare plan ${tag}` },
    heldPlan: { id: heldPlan, name: `Security held plan ${tag}` },
    wallets: { a1: walletA1, a2: walletA2, b1: walletB1, c1: walletC1 },
    payments: { a: payA, aUncredited: payAUncredited, b: payB, bUncredited: payBUncredited },
    benefits: await pair(),
    pointsGroups: await pair(),
    offers: await pair(),
    cashbacks: await pair(),
    transfers: await pair(),
    usages: await pair(),
    shops: { physical, online, kindless },
    vouchers: { redeemedByA, redeemedByB, unredeemed },
    tickets: { aOpen, aResolved, bOpen, bResolved },
    bills: await pair(),
    admin: { admin_id: await data.rowId(), username: `security-admin-${tag}` },
  };
}

/** Inserts the fixture with `data` (a superuser's connection). Usage is dated this month, payments today. */
export async function createFixture(data: Builder, f: Fixture): Promise<void> {
  const { db } = data;
  const [a1, a2] = f.a.mobile_nos;
  const b1 = f.b.mobile_no;
  const [c1, c2] = f.c.mobile_nos;
  await db.query(
    `insert into telecom.customer_profile (national_id, first_name, last_name, email, address, date_of_birth)
     values ($1, 'Amal', 'Security', 'amal.${f.tag}@example.com', 'A street 1', '1990-01-01'),
       ($2, 'Badr', 'Security', 'badr.${f.tag}@example.com', 'B street 2', '1991-02-02'),
       ($3, 'Carim', 'Security', null, null, '1992-03-03')`,
    [f.a.national_id, f.b.national_id, f.c.national_id],
  );
  await db.query(
    `insert into telecom.customer_account (mobile_no, national_id, balance, account_type, status, points, start_date)
     select number, person, balance, account_type::telecom.account_type, 'active', points, current_date - 400
     from (values ($1, $5::integer, 100, 'prepaid', 500), ($2, $5, 0, 'post_paid', 0),
       ($3, $6, 100, 'prepaid', 500), ($4, $7, 0, 'prepaid', 0), ($8, $7, 0, 'prepaid', 0)) as account (number, person, balance, account_type, points)`,
    [a1, a2, b1, c1, f.a.national_id, f.b.national_id, f.c.national_id, c2],
  );
  await db.query(
    `insert into telecom_private.customer_credential (mobile_no, password_hash)
     values ($1, public.crypt($3, public.gen_salt('bf', 4))), ($2, public.crypt($3, public.gen_salt('bf', 4)))`,
    [a1, b1, PASSWORD],
  );
  await db.query(
    `insert into telecom_private.admin_user (admin_id, username, password_hash) values ($1, $2, public.crypt($3, public.gen_salt('bf', 4)))`,
    [f.admin.admin_id, f.admin.username, PASSWORD],
  );
  await db.query(
    `insert into telecom.wallet (wallet_id, national_id, mobile_no, current_balance)
     values ($1, $5, $6, 200), ($2, $5, $7, 50), ($3, $8, $9, 200), ($4, $10, $11, 10)`,
    [f.wallets.a1, f.wallets.a2, f.wallets.b1, f.wallets.c1, f.a.national_id, a1, a2, f.b.national_id, b1, f.c.national_id, c1],
  );
  await db.query(
    `insert into telecom.service_plan (plan_id, name, price, sms_offered, minutes_offered, data_offered)
     values ($1, $2, 100, 100, 100, 1000), ($3, $4, 50, 10, 10, 100), ($5, $6, 30, 5, 5, 50)`,
    [f.plan.id, f.plan.name, f.otherPlan.id, f.otherPlan.name, f.heldPlan.id, f.heldPlan.name],
  );
  await db.query(
    `insert into telecom.subscription (mobile_no, plan_id, subscription_date, status)
     values ($1, $3, current_date, 'active'), ($2, $3, current_date, 'active'), ($1, $4, current_date, 'onhold'), ($2, $4, current_date, 'onhold')`,
    [a1, b1, f.plan.id, f.heldPlan.id],
  );
  await db.query(
    `insert into telecom.plan_usage (usage_id, mobile_no, plan_id, start_date, end_date, data_consumption, minutes_used, sms_sent)
     values ($1, $3, $5, date_trunc('month', current_date)::date, date_trunc('month', current_date)::date, 100, 10, 5),
       ($2, $4, $5, date_trunc('month', current_date)::date, date_trunc('month', current_date)::date, 200, 20, 7)`,
    [f.usages.a, f.usages.b, a1, b1, f.plan.id],
  );
  // One rated usage event each for A and B, with its allocation and an alert (as record_usage leaves them).
  await db.query(
    `with event (event_id, mobile_no) as (values (md5($1)::uuid, $3), (md5($2)::uuid, $4)),
     event_key as (
       insert into telecom_private.usage_event_key (event_id, occurred_at)
       select event_id, date_trunc('second', now()) - interval '1 minute' from event
       returning event_id
     ),
     usage_event as (
       insert into telecom.usage_event (event_id, mobile_no, kind, quantity, occurred_at, plan_id, outcome)
       select event.event_id, event.mobile_no, 'sms', 1, date_trunc('second', now()) - interval '1 minute', $5, 'in_allowance'
       from event inner join event_key on event_key.event_id = event.event_id
       returning event_id, mobile_no
     ),
     allocation as (
       insert into telecom.usage_allocation (event_id, plan_id, mobile_no, quantity)
       select event_id, $5, mobile_no, 1 from usage_event
     )
     insert into telecom.usage_alert (mobile_no, plan_id, kind, period_start, threshold)
     select mobile_no, $5, 'sms', date_trunc('month', current_date)::date, 80 from event`,
    [`usage-a-${f.tag}`, `usage-b-${f.tag}`, a1, b1, f.plan.id],
  );
  await db.query(
    `insert into telecom.payment (payment_id, mobile_no, amount, date_of_payment, payment_method, status)
     values ($1, $5, 150, current_date, 'cash', 'successful'), ($2, $5, 40, current_date, 'credit', 'successful'),
       ($3, $6, 150, current_date, 'cash', 'successful'), ($4, $6, 40, current_date, 'credit', 'successful')`,
    [f.payments.a, f.payments.aUncredited, f.payments.b, f.payments.bUncredited, a1, b1],
  );
  await db.query(
    `insert into telecom.process_payment (payment_id, plan_id, remaining_balance, extra_amount) values ($1, $3, 0, 0), ($2, $3, 0, 0)`,
    [f.payments.a, f.payments.b, f.plan.id],
  );
  // A card payment of each person owed back (the processor's late success, docs/money.md): admins read them.
  await db.query(
    `insert into telecom.card_refund (payment_id, provider_reference, amount, currency) values ($1, 'chk_security_a', 40, 'EGP'), ($2, 'chk_security_b', 40, 'EGP')`,
    [f.payments.aUncredited, f.payments.bUncredited],
  );
  await db.query(
    `insert into telecom.benefit (benefit_id, description, validity_date, status, mobile_no)
     values ($1, 'A''s benefit', current_date + 30, 'active', $3), ($2, 'B''s benefit', current_date + 30, 'active', $4)`,
    [f.benefits.a, f.benefits.b, a1, b1],
  );
  await db.query(`insert into telecom.plan_provides_benefits (plan_id, benefit_id) values ($1, $2), ($1, $3)`, [
    f.plan.id,
    f.benefits.a,
    f.benefits.b,
  ]);
  await db.query(
    `insert into telecom.points_group (point_id, benefit_id, points_amount, payment_id) values ($1, $3, 50, $5), ($2, $4, 50, $6)`,
    [f.pointsGroups.a, f.pointsGroups.b, f.benefits.a, f.benefits.b, f.payments.a, f.payments.b],
  );
  await db.query(
    `insert into telecom.exclusive_offer (offer_id, benefit_id, internet_offered, sms_offered, minutes_offered) values ($1, $3, 0, 10, 0), ($2, $4, 0, 10, 0)`,
    [f.offers.a, f.offers.b, f.benefits.a, f.benefits.b],
  );
  await db.query(
    `insert into telecom.cashback (cashback_id, benefit_id, wallet_id, amount, credit_date) values ($1, $3, $5, 5, current_date), ($2, $4, $6, 5, current_date)`,
    [f.cashbacks.a, f.cashbacks.b, f.benefits.a, f.benefits.b, f.wallets.a1, f.wallets.b1],
  );
  await db.query(
    `insert into telecom.transfer_money (transfer_id, from_wallet_id, to_wallet_id, amount, transfer_date) values ($1, $3, $4, 10, current_date), ($2, $5, $6, 10, current_date)`,
    [f.transfers.a, f.transfers.b, f.wallets.a1, f.wallets.a2, f.wallets.b1, f.wallets.c1],
  );
  // Shops name nobody: the builder keeps their keys for its clean-up.
  for (const [shop_id, name, category] of [
    [f.shops.physical, "Security kiosk", "phones"],
    [f.shops.online, "Security online", "gadgets"],
    [f.shops.kindless, "Security kindless", "misc"],
  ] as const) {
    await data.insert("telecom.shop", { shop_id, name, category }, ["shop_id"]);
  }
  await db.query(`insert into telecom.physical_shop (shop_id, address, working_hours) values ($1, 'Kiosk street 1', '9-17')`, [
    f.shops.physical,
  ]);
  await db.query(`insert into telecom.e_shop (shop_id, url, rating) values ($1, 'https://shop.example.com', 4)`, [f.shops.online]);
  await db.query(
    `insert into telecom.voucher (voucher_id, value, expiry_date, points, shop_id, mobile_no, redeem_date)
     values ($1, 30, current_date + 30, 100, $4, $5, current_date), ($2, 30, current_date + 30, 100, $4, $6, current_date),
       ($3, 20, current_date + 30, 100, $7, null, null)`,
    [f.vouchers.redeemedByA, f.vouchers.redeemedByB, f.vouchers.unredeemed, f.shops.physical, a1, b1, f.shops.online],
  );
  await db.query(
    `insert into telecom.technical_support_ticket (ticket_id, mobile_no, issue_description, priority_level, status)
     values ($1, $5, 'A1 has no signal', 3, 'open'), ($2, $6, 'A2 was slow', 2, 'resolved'),
       ($3, $7, 'B1 has no signal', 3, 'open'), ($4, $7, 'B1 was slow', 2, 'resolved')`,
    [f.tickets.aOpen, f.tickets.aResolved, f.tickets.bOpen, f.tickets.bResolved, a1, a2, b1],
  );
  // A bill each for A1 and B1 (history a trusted session may insert), with what the bill functions leave beside it.
  await db.query(
    `insert into telecom.invoice (invoice_id, invoice_no, mobile_no, bill_date, period_start, period_end, issued_on, due_date,
       subtotal, vat_rate, vat, total, previous_due, amount_due, paid_amount, status)
     select bill.id, 'INV-SEC-' || bill.id, bill.number, month, (month - interval '1 month')::date, month - 1, month, month + 14,
       100, 0.14, 14, 114, 0, 114, 0, 'issued'
     from (values ($1::integer, $3), ($2, $4)) as bill (id, number)
     cross join (select date_trunc('month', current_date)::date as month) as this_month`,
    [f.bills.a, f.bills.b, a1, b1],
  );
  await db.query(
    `insert into telecom.invoice_line (invoice_id, line_no, kind, plan_id, description, quantity, amount)
     values ($1, 1, 'plan_fee', $3, 'Security plan', 30, 100), ($2, 1, 'plan_fee', $3, 'Security plan', 30, 100)`,
    [f.bills.a, f.bills.b, f.plan.id],
  );
  await db.query(
    `insert into telecom.plan_charge (plan_charge_id, mobile_no, plan_id, charge_from, charge_to, amount, invoice_id)
     values ($1, $3, $5, current_date, current_date, 100, $1), ($2, $4, $5, current_date, current_date, 100, $2)`,
    [f.bills.a, f.bills.b, a1, b1, f.plan.id],
  );
  await db.query(
    `insert into telecom.credit_note (credit_note_id, credit_note_no, invoice_id, amount, vat, reason, issued_by)
     values ($1::integer, 'CN-SEC-' || $1::integer, $1::integer, 1, 0.12, 'Security', 'database:test'),
       ($2::integer, 'CN-SEC-' || $2::integer, $2::integer, 1, 0.12, 'Security', 'database:test')`,
    [f.bills.a, f.bills.b],
  );
  await db.query(`insert into telecom.collection_step (invoice_id, step) values ($1, 'reminder'), ($2, 'reminder')`, [
    f.bills.a,
    f.bills.b,
  ]);
  await db.query(`insert into telecom.account_bar (mobile_no, invoice_id, previous_status) values ($1, $3, 'active'), ($2, $4, 'active')`, [
    a1,
    b1,
    f.bills.a,
    f.bills.b,
  ]);
  // A bill run an admin asked for, done long ago (so that no request of this month waits).
  await db.query(
    `insert into telecom.bill_run_request (request_id, bill_date, requested_by, started_at, finished_at, bills_issued)
     values ($1, '2020-01-01', 'database:test', now(), now(), 0)`,
    [f.bills.a],
  );
}

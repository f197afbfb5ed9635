/**
 * The data set the operation tests share, built relative to current_date inside each test's
 * transaction. Each row is there to make a plausible mistake visible: another account of the same
 * person, another person, a rejected payment that is the latest, a record just outside a window,
 * a subscription on hold, an expired benefit, a payment with two points groups, ...
 *
 *   person A (Amal Hassan): A1 prepaid active, balance 50, points 300, wallet w1 (100.00)
 *                           A2 post_paid active, no wallet of its own
 *   person B (Bassem Nabil): B1 pay_as_you_go on hold, balance 10, wallet w3 (30.00)
 *   person C (Carla Fawzy): C1 prepaid active, no wallet
 *
 * Every national id, number and row id comes from a builder (support/builder.ts) when the module
 * loads, so the tests name them in their expectations and meet no other rows. They are handed out
 * in the order written here (A before B before C, A1 before A2 before B1 before C1, pay1 before
 * pay2, ...): ordering by one of them orders as the story does.
 */
import type pg from "pg";
import { Builder } from "../support/builder.ts";

const ids = new Builder();

export const customerA = await ids.customerIds();
export const A1 = customerA.mobile_no;
export const A2 = await ids.mobileNo();
export const customerB = await ids.customerIds();
export const B1 = customerB.mobile_no;
export const customerC = await ids.customerIds();
export const C1 = customerC.mobile_no;
/** The admin the tests act as (asRole creates them in the test's transaction). */
export const admin = { admin_id: await ids.rowId() };

/** `count` fresh row ids, in the order they were handed out. */
async function rowIdList(count: number): Promise<number[]> {
  const reserved: number[] = [];
  for (let index = 0; index < count; index++) reserved.push(await ids.rowId());
  return reserved;
}

/** Fresh row ids, one per name, handed out in the order of the names. */
async function rowIds<Name extends string>(...names: Name[]): Promise<Record<Name, number>> {
  const reserved = await rowIdList(names.length);
  return Object.fromEntries(names.map((name, index) => [name, reserved[index]])) as Record<Name, number>;
}

/** Identifiers of the fixture rows, named for what they are in the story above. */
export const id = {
  // Plans Fixture Basic, Fixture Plus and Fixture Max.
  ...(await rowIds("basic", "plus", "max")),
  // The wallets of A1 and B1.
  ...(await rowIds("w1", "w3")),
  // Payments of A1: pay1 older than a year, pay2 exactly 365 days ago, pay3 the latest successful
  // Basic payment, pay4 a later but rejected one, pay5 pending, pay6 a balance payment tied with pay3;
  // pay7 of A2, pay8 of B1, pay9 of C1; payTiny a payment of A1 too small for cashback.
  ...(await rowIds("pay1", "pay2", "pay3", "pay4", "pay5", "pay6", "pay7", "pay8", "pay9", "payTiny")),
  /** Eight small cash payments of A1: `paySmall[n - 1]` pays n EGP. */
  paySmall: await rowIdList(8),
  // Benefits: ben1 Basic loyalty, ben2 Plus bonus, ben3 an expired Basic promo (all of A1), ben4 of A2,
  // ben5 of B1, ben6 of C1; the exclusive offers off1 to off4 of ben1 to ben4.
  ...(await rowIds("ben1", "ben2", "ben3", "ben4", "ben5", "ben6")),
  ...(await rowIds("off1", "off2", "off3", "off4")),
  // Cashback: cb1 to cb3 to w1 (through ben1, ben2, ben3), cb4 to w3.
  ...(await rowIds("cb1", "cb2", "cb3", "cb4")),
  ...(await rowIds("shopPhysical", "shopOnline", "shopBare")),
  // Vouchers: v1 and v2 redeemed by A1, v3 by A2; v4 expiring today, v5 expired, v6 too dear for A1.
  ...(await rowIds("v1", "v2", "v3", "v4", "v5", "v6")),
  // Transfers: A to B 10, 20 and 35, B to A 99.
  ...(await rowIds("tr1", "tr2", "tr3", "tr4")),
  // Tickets: tk1 of A1 open, tk2 of A2 in progress, tk3 of A1 resolved, tk4 of B1 open.
  ...(await rowIds("tk1", "tk2", "tk3", "tk4")),
};

const sql = `
insert into telecom.customer_profile (national_id, first_name, last_name, email, address, date_of_birth) values
  (${customerA.national_id}, 'Amal', 'Hassan', 'amal@example.com', '12 Nile St, Cairo', '1990-04-01'),
  (${customerB.national_id}, 'Bassem', 'Nabil', 'bassem@example.com', '3 Corniche, Alexandria', '1985-09-15'),
  (${customerC.national_id}, 'Carla', 'Fawzy', null, null, '2000-01-20');

insert into telecom.customer_account (mobile_no, national_id, balance, account_type, start_date, status, points) values
  ('${A1}', ${customerA.national_id}, 50, 'prepaid', current_date - 900, 'active', 300),
  ('${A2}', ${customerA.national_id}, 0, 'post_paid', current_date - 400, 'active', 0),
  ('${B1}', ${customerB.national_id}, 10, 'pay_as_you_go', current_date - 700, 'onhold', 20),
  ('${C1}', ${customerC.national_id}, 0, 'prepaid', current_date - 30, 'active', 0);

insert into telecom.service_plan (plan_id, name, price, sms_offered, minutes_offered, data_offered, description) values
  (${id.basic}, 'Fixture Basic', 100, 100, 200, 1000, 'basic'),
  (${id.plus}, 'Fixture Plus', 200, 300, 600, 5000, 'plus'),
  (${id.max}, 'Fixture Max', 300, 1000, 2000, 20000, 'max');

insert into telecom.subscription (mobile_no, plan_id, subscription_date, status) values
  ('${A1}', ${id.basic}, current_date - 10, 'active'),
  ('${A1}', ${id.plus}, (current_date - interval '6 months')::date, 'onhold'),
  ('${A2}', ${id.basic}, (current_date - interval '5 months')::date, 'active'),
  ('${A2}', ${id.max}, current_date - 1, 'active'),
  ('${B1}', ${id.max}, current_date - 30, 'active');

insert into telecom.plan_usage (mobile_no, plan_id, start_date, end_date, data_consumption, minutes_used, sms_sent) values
  ('${A1}', ${id.basic}, date_trunc('month', current_date)::date, date_trunc('month', current_date)::date, 100, 10, 1),
  ('${A1}', ${id.basic}, current_date, current_date, 50, 5, 2),
  ('${A1}', ${id.basic}, (date_trunc('month', current_date) - interval '1 month')::date, date_trunc('month', current_date)::date - 1, 1000, 100, 10),
  ('${A1}', ${id.basic}, (date_trunc('month', current_date) - interval '1 month')::date, current_date, 5000, 500, 50),
  ('${A1}', ${id.plus}, current_date, current_date, 7, 0, 0),
  ('${A2}', ${id.basic}, current_date, current_date, 30, 3, 0),
  ('${B1}', ${id.max}, current_date, current_date, 999, 99, 9);

insert into telecom.payment (payment_id, mobile_no, amount, date_of_payment, payment_method, status) values
  (${id.pay1}, '${A1}', 100, current_date - 400, 'cash', 'successful'),
  (${id.pay2}, '${A1}', 80, current_date - 365, 'credit', 'successful'),
  (${id.pay3}, '${A1}', 150, current_date - 10, 'credit', 'successful'),
  (${id.pay4}, '${A1}', 500, current_date - 5, 'credit', 'rejected'),
  (${id.pay5}, '${A1}', 60, current_date - 3, 'cash', 'pending'),
  (${id.pay6}, '${A1}', 150, current_date - 2, 'wallet', 'successful'),
  (${id.pay7}, '${A2}', 999, current_date - 1, 'cash', 'successful'),
  (${id.pay8}, '${B1}', 40, current_date - 1, 'cash', 'successful'),
  (${id.pay9}, '${C1}', 20, current_date - 1, 'cash', 'successful'),
  (${id.payTiny}, '${A1}', 0.04, current_date - 20, 'cash', 'successful');
insert into telecom.payment (payment_id, mobile_no, amount, date_of_payment, payment_method, status)
select small.payment_id, '${A1}', small.amount, current_date - 20, 'cash', 'successful'
from unnest(array[${id.paySmall.join(", ")}]) with ordinality as small (payment_id, amount);

insert into telecom.process_payment (payment_id, plan_id, remaining_balance, extra_amount) values
  (${id.pay1}, ${id.basic}, 0, 0), (${id.pay2}, ${id.basic}, 0, 0), (${id.pay3}, ${id.basic}, 0, 0),
  (${id.pay4}, ${id.basic}, 0, 0), (${id.pay8}, ${id.max}, 0, 0);

insert into telecom.wallet (wallet_id, national_id, mobile_no, current_balance, currency, last_modified_date) values
  (${id.w1}, ${customerA.national_id}, '${A1}', 100, 'EGP', current_date - 10),
  (${id.w3}, ${customerB.national_id}, '${B1}', 30, 'EGP', current_date - 10);

insert into telecom.transfer_money (transfer_id, from_wallet_id, to_wallet_id, amount, transfer_date) values
  (${id.tr1}, ${id.w1}, ${id.w3}, 10, current_date - 10),
  (${id.tr2}, ${id.w1}, ${id.w3}, 20, current_date - 5),
  (${id.tr3}, ${id.w1}, ${id.w3}, 35, current_date - 40),
  (${id.tr4}, ${id.w3}, ${id.w1}, 99, current_date - 5);

insert into telecom.benefit (benefit_id, description, validity_date, status, mobile_no) values
  (${id.ben1}, 'Basic loyalty', current_date + 30, 'active', '${A1}'),
  (${id.ben2}, 'Plus bonus', current_date + 30, 'active', '${A1}'),
  (${id.ben3}, 'Old basic promo', current_date - 30, 'expired', '${A1}'),
  (${id.ben4}, 'Basic loyalty', current_date + 30, 'active', '${A2}'),
  (${id.ben5}, 'Max loyalty', current_date + 30, 'active', '${B1}'),
  (${id.ben6}, 'Welcome', current_date + 30, 'active', '${C1}');

insert into telecom.plan_provides_benefits (plan_id, benefit_id) values
  (${id.basic}, ${id.ben1}), (${id.plus}, ${id.ben1}), (${id.plus}, ${id.ben2}), (${id.basic}, ${id.ben3}),
  (${id.basic}, ${id.ben4}), (${id.max}, ${id.ben5}), (${id.basic}, ${id.ben6});

insert into telecom.points_group (benefit_id, points_amount, payment_id) values
  (${id.ben1}, 40, ${id.pay2}), (${id.ben1}, 60, ${id.pay3}), (${id.ben1}, 1000, ${id.pay1}), (${id.ben1}, 7, ${id.pay4}),
  (${id.ben2}, 10, ${id.pay3});

insert into telecom.exclusive_offer (offer_id, benefit_id, internet_offered, sms_offered, minutes_offered) values
  (${id.off1}, ${id.ben1}, 0, 50, 0),
  (${id.off2}, ${id.ben2}, 100, 0, 10),
  (${id.off3}, ${id.ben3}, 0, 10, 0),
  (${id.off4}, ${id.ben4}, 0, 20, 0);

insert into telecom.cashback (cashback_id, benefit_id, wallet_id, amount, credit_date, payment_id) values
  (${id.cb1}, ${id.ben1}, ${id.w1}, 15, current_date - 10, ${id.pay3}),
  (${id.cb2}, ${id.ben2}, ${id.w1}, 8, current_date - 20, null),
  (${id.cb3}, ${id.ben3}, ${id.w1}, 2, current_date - 300, ${id.pay2}),
  (${id.cb4}, ${id.ben5}, ${id.w3}, 4, current_date - 1, ${id.pay8});

insert into telecom.shop (shop_id, name, category) values
  (${id.shopPhysical}, 'Fixture Store', 'electronics'), (${id.shopOnline}, 'Fixture Online', 'fashion'),
  (${id.shopBare}, 'Fixture Kiosk', 'food');
insert into telecom.physical_shop (shop_id, address, working_hours) values (${id.shopPhysical}, '1 Tahrir Sq, Cairo', '09:00-21:00');
insert into telecom.e_shop (shop_id, url, rating) values (${id.shopOnline}, 'https://shop.example.com', 4);

insert into telecom.voucher (voucher_id, value, expiry_date, points, shop_id, mobile_no, redeem_date) values
  (${id.v1}, 50, current_date + 30, 100, ${id.shopPhysical}, '${A1}', current_date - 3),
  (${id.v2}, 80, current_date + 30, 100, ${id.shopOnline}, '${A1}', current_date - 1),
  (${id.v3}, 500, current_date + 30, 100, ${id.shopOnline}, '${A2}', current_date - 1),
  (${id.v4}, 20, current_date, 250, ${id.shopOnline}, null, null),
  (${id.v5}, 20, current_date - 1, 10, ${id.shopPhysical}, null, null),
  (${id.v6}, 30, current_date + 10, 400, ${id.shopPhysical}, null, null);

insert into telecom.technical_support_ticket (ticket_id, mobile_no, issue_description, priority_level, status) values
  (${id.tk1}, '${A1}', 'No signal at home', 3, 'open'),
  (${id.tk2}, '${A2}', 'Bill looks wrong', 2, 'in_progress'),
  (${id.tk3}, '${A1}', 'SIM replacement', 1, 'resolved'),
  (${id.tk4}, '${B1}', 'Roaming not working', 5, 'open');
`;

/** Inserts the fixture with `db` (a superuser's or the owner's connection, in its transaction). */
export async function buildFixture(db: pg.PoolClient): Promise<void> {
  await db.query(sql);
}

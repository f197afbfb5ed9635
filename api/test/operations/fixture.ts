/**
 * The data set the operation tests share, built relative to current_date inside the test's
 * transaction. Each row is there to make a plausible mistake visible: another account of the same
 * person, another person, a rejected payment that is the latest, a record just outside a window,
 * a subscription on hold, an expired benefit, a payment with two points groups, ...
 *
 *   person 101 (Amal Hassan): A1 01000000001 prepaid active, balance 50, points 300, wallet W1 (100.00)
 *                             A2 01000000002 post_paid active, no wallet of its own
 *   person 102 (Bassem Nabil): B1 01000000003 pay_as_you_go on hold, balance 10, wallet W3 (30.00)
 *   person 103 (Carla Fawzy): C1 01000000004 prepaid active, no wallet
 */
import type pg from "pg";

export const A1 = "01000000001";
export const A2 = "01000000002";
export const B1 = "01000000003";
export const C1 = "01000000004";
export const customerA = { mobile_no: A1, national_id: 101 };
export const customerB = { mobile_no: B1, national_id: 102 };
export const customerC = { mobile_no: C1, national_id: 103 };
export const admin = { admin_id: 1 };

/** Identifiers of the fixture rows, named for what they are in the story above. */
export const id = {
  basic: 901,
  plus: 902,
  max: 903,
  w1: 801,
  w3: 803,
  // payments of A1: pay1 older than a year, pay2 exactly 365 days ago, pay3 the latest successful
  // Basic payment, pay4 a later but rejected one, pay5 pending, pay6 a balance payment tied with pay3.
  pay1: 701,
  pay2: 702,
  pay3: 703,
  pay4: 704,
  pay5: 705,
  pay6: 706,
  pay7: 707,
  pay8: 708,
  pay9: 709,
  payTiny: 710,
  ben1: 601,
  ben2: 602,
  ben3: 603,
  ben4: 604,
  ben5: 605,
  ben6: 606,
  off1: 501,
  off2: 502,
  off3: 503,
  off4: 504,
  cb1: 401,
  cb2: 402,
  cb3: 403,
  cb4: 404,
  shopPhysical: 301,
  shopOnline: 302,
  shopBare: 303,
  v1: 201,
  v2: 202,
  v3: 203,
  v4: 204,
  v5: 205,
  v6: 206,
  tk1: 101,
  tk2: 102,
  tk3: 103,
  tk4: 104,
};

const sql = `
insert into telecom.customer_profile (national_id, first_name, last_name, email, address, date_of_birth) values
  (101, 'Amal', 'Hassan', 'amal@example.com', '12 Nile St, Cairo', '1990-04-01'),
  (102, 'Bassem', 'Nabil', 'bassem@example.com', '3 Corniche, Alexandria', '1985-09-15'),
  (103, 'Carla', 'Fawzy', null, null, '2000-01-20');

insert into telecom.customer_account (mobile_no, national_id, balance, account_type, start_date, status, points) values
  ('${A1}', 101, 50, 'prepaid', current_date - 900, 'active', 300),
  ('${A2}', 101, 0, 'post_paid', current_date - 400, 'active', 0),
  ('${B1}', 102, 10, 'pay_as_you_go', current_date - 700, 'onhold', 20),
  ('${C1}', 103, 0, 'prepaid', current_date - 30, 'active', 0);

insert into telecom.service_plan (plan_id, name, price, sms_offered, minutes_offered, data_offered, description) values
  (901, 'Fixture Basic', 100, 100, 200, 1000, 'basic'),
  (902, 'Fixture Plus', 200, 300, 600, 5000, 'plus'),
  (903, 'Fixture Max', 300, 1000, 2000, 20000, 'max');

insert into telecom.subscription (mobile_no, plan_id, subscription_date, status) values
  ('${A1}', 901, current_date - 10, 'active'),
  ('${A1}', 902, (current_date - interval '6 months')::date, 'onhold'),
  ('${A2}', 901, (current_date - interval '5 months')::date, 'active'),
  ('${A2}', 903, current_date - 1, 'active'),
  ('${B1}', 903, current_date - 30, 'active');

insert into telecom.plan_usage (mobile_no, plan_id, start_date, end_date, data_consumption, minutes_used, sms_sent) values
  ('${A1}', 901, date_trunc('month', current_date)::date, date_trunc('month', current_date)::date, 100, 10, 1),
  ('${A1}', 901, current_date, current_date, 50, 5, 2),
  ('${A1}', 901, (date_trunc('month', current_date) - interval '1 month')::date, date_trunc('month', current_date)::date - 1, 1000, 100, 10),
  ('${A1}', 901, (date_trunc('month', current_date) - interval '1 month')::date, current_date, 5000, 500, 50),
  ('${A1}', 902, current_date, current_date, 7, 0, 0),
  ('${A2}', 901, current_date, current_date, 30, 3, 0),
  ('${B1}', 903, current_date, current_date, 999, 99, 9);

insert into telecom.payment (payment_id, mobile_no, amount, date_of_payment, payment_method, status) values
  (701, '${A1}', 100, current_date - 400, 'cash', 'successful'),
  (702, '${A1}', 80, current_date - 365, 'credit', 'successful'),
  (703, '${A1}', 150, current_date - 10, 'credit', 'successful'),
  (704, '${A1}', 500, current_date - 5, 'credit', 'rejected'),
  (705, '${A1}', 60, current_date - 3, 'cash', 'pending'),
  (706, '${A1}', 150, current_date - 2, 'wallet', 'successful'),
  (707, '${A2}', 999, current_date - 1, 'cash', 'successful'),
  (708, '${B1}', 40, current_date - 1, 'cash', 'successful'),
  (709, '${C1}', 20, current_date - 1, 'cash', 'successful'),
  (710, '${A1}', 0.04, current_date - 20, 'cash', 'successful');
insert into telecom.payment (payment_id, mobile_no, amount, date_of_payment, payment_method, status)
select 720 + n, '${A1}', n, current_date - 20, 'cash', 'successful'
from generate_series(1, 8) as n;

insert into telecom.process_payment (payment_id, plan_id, remaining_balance, extra_amount) values
  (701, 901, 0, 0), (702, 901, 0, 0), (703, 901, 0, 0), (704, 901, 0, 0), (708, 903, 0, 0);

insert into telecom.wallet (wallet_id, national_id, mobile_no, current_balance, currency, last_modified_date) values
  (801, 101, '${A1}', 100, 'EGP', current_date - 10),
  (803, 102, '${B1}', 30, 'EGP', current_date - 10);

insert into telecom.transfer_money (from_wallet_id, to_wallet_id, amount, transfer_date) values
  (801, 803, 10, current_date - 10),
  (801, 803, 20, current_date - 5),
  (801, 803, 35, current_date - 40),
  (803, 801, 99, current_date - 5);

insert into telecom.benefit (benefit_id, description, validity_date, status, mobile_no) values
  (601, 'Basic loyalty', current_date + 30, 'active', '${A1}'),
  (602, 'Plus bonus', current_date + 30, 'active', '${A1}'),
  (603, 'Old basic promo', current_date - 30, 'expired', '${A1}'),
  (604, 'Basic loyalty', current_date + 30, 'active', '${A2}'),
  (605, 'Max loyalty', current_date + 30, 'active', '${B1}'),
  (606, 'Welcome', current_date + 30, 'active', '${C1}');

insert into telecom.plan_provides_benefits (plan_id, benefit_id) values
  (901, 601), (902, 601), (902, 602), (901, 603), (901, 604), (903, 605), (901, 606);

insert into telecom.points_group (benefit_id, points_amount, payment_id) values
  (601, 40, 702), (601, 60, 703), (601, 1000, 701), (601, 7, 704), (602, 10, 703);

insert into telecom.exclusive_offer (offer_id, benefit_id, internet_offered, sms_offered, minutes_offered) values
  (501, 601, 0, 50, 0),
  (502, 602, 100, 0, 10),
  (503, 603, 0, 10, 0),
  (504, 604, 0, 20, 0);

insert into telecom.cashback (cashback_id, benefit_id, wallet_id, amount, credit_date, payment_id) values
  (401, 601, 801, 15, current_date - 10, 703),
  (402, 602, 801, 8, current_date - 20, null),
  (403, 603, 801, 2, current_date - 300, 702),
  (404, 605, 803, 4, current_date - 1, 708);

insert into telecom.shop (shop_id, name, category) values
  (301, 'Fixture Store', 'electronics'), (302, 'Fixture Online', 'fashion'), (303, 'Fixture Kiosk', 'food');
insert into telecom.physical_shop (shop_id, address, working_hours) values (301, '1 Tahrir Sq, Cairo', '09:00-21:00');
insert into telecom.e_shop (shop_id, url, rating) values (302, 'https://shop.example.com', 4);

insert into telecom.voucher (voucher_id, value, expiry_date, points, shop_id, mobile_no, redeem_date) values
  (201, 50, current_date + 30, 100, 301, '${A1}', current_date - 3),
  (202, 80, current_date + 30, 100, 302, '${A1}', current_date - 1),
  (203, 500, current_date + 30, 100, 302, '${A2}', current_date - 1),
  (204, 20, current_date, 250, 302, null, null),
  (205, 20, current_date - 1, 10, 301, null, null),
  (206, 30, current_date + 10, 400, 301, null, null);

insert into telecom.technical_support_ticket (ticket_id, mobile_no, issue_description, priority_level, status) values
  (101, '${A1}', 'No signal at home', 3, 'open'),
  (102, '${A2}', 'Bill looks wrong', 2, 'in_progress'),
  (103, '${A1}', 'SIM replacement', 1, 'resolved'),
  (104, '${B1}', 'Roaming not working', 5, 'open');
`;

export async function buildFixture(db: pg.PoolClient): Promise<void> {
  await db.query(sql);
}

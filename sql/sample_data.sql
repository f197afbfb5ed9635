-- Sample data: a small Egyptian mobile operator. Loaded right after the migrations by the owner (on
-- first start, by db:reset and db:seed), in one transaction opened by the loader, so the file has
-- no begin/commit of its own. Dates are relative to current_date, so the data stays "live".
--
-- Demo logins: every customer number with password 'telecom-demo' (the showcase is 01012345678,
-- Ahmed Hassan, who also holds 01298765432); admin 'admin' with password 'telecom-admin'.
-- Ids are explicit so rows can refer to each other; the identity sequences are moved past them at
-- the end.

--------------------------------------------------------------------------------
-- Customers: 20 people, four of them with two numbers (24 accounts).

insert into telecom.customer_profile (national_id, first_name, last_name, email, address, date_of_birth)
values
  (290031501, 'Ahmed', 'Hassan', 'ahmed.hassan@example.com', '12 El-Tahrir St, Dokki, Giza', '1990-03-15'),
  (288110702, 'Mona', 'Ibrahim', 'mona.ibrahim@example.com', '7 El-Merghany St, Heliopolis, Cairo', '1988-11-07'),
  (295062203, 'Omar', 'Khaled', 'omar.khaled@example.com', '31 Victor Emmanuel St, Smouha, Alexandria', '1995-06-22'),
  (285020904, 'Youssef', 'Mahmoud', 'youssef.mahmoud@example.com', '18 Makram Ebeid St, Nasr City, Cairo', '1985-02-09'),
  (299120105, 'Salma', 'Adel', 'salma.adel@example.com', '9 Road 233, Degla, Maadi, Cairo', '1999-12-01'),
  (292041806, 'Karim', 'Mostafa', 'karim.mostafa@example.com', '4 Hassan Sabry St, Zamalek, Cairo', '1992-04-18'),
  (297083007, 'Hana', 'Samir', 'hana.samir@example.com', '22 El-Gomhoreya St, Mansoura', '1997-08-30'),
  (280051408, 'Mahmoud', 'Abdelrahman', 'mahmoud.abdelrahman@example.com', '5 El-Bahr St, Tanta', '1980-05-14'),
  (291101909, 'Fatma', 'Saad', 'fatma.saad@example.com', 'Villa 14, District 3, Sheikh Zayed', '1991-10-19'),
  (287072510, 'Tarek', 'Nabil', 'tarek.nabil@example.com', '11 El-Nemis St, Assiut', '1987-07-25'),
  (298030311, 'Laila', 'Ashraf', 'laila.ashraf@example.com', '90 South Teseen St, New Cairo', '1998-03-03'),
  (293092712, 'Mostafa', 'Gamal', 'mostafa.gamal@example.com', '3 El-Gomhoreya St, Port Said', '1993-09-27'),
  (296011213, 'Rania', 'Farouk', 'rania.farouk@example.com', '16 Sultan Hussein St, Ismailia', '1996-01-12'),
  (284061614, 'Amr', 'Sherif', 'amr.sherif@example.com', 'Building 8, District 7, 6th of October', '1984-06-16'),
  (300020815, 'Dina', 'Hamdy', 'dina.hamdy@example.com', '27 Gameat El-Dowal St, Mohandessin, Giza', '2000-02-08'),
  (289121116, 'Hossam', 'Reda', 'hossam.reda@example.com', '2 Corniche El-Nil, Luxor', '1989-12-11'),
  (294050517, 'Yasmin', 'Tawfik', 'yasmin.tawfik@example.com', '14 Kornish St, Aswan', '1994-05-05'),
  (286090218, 'Sherif', 'Lotfy', 'sherif.lotfy@example.com', '40 Sheraton Rd, Hurghada', '1986-09-02'),
  (301041019, 'Mariam', 'Wagdy', 'mariam.wagdy@example.com', '6 Saad Zaghloul St, Zagazig', '2001-04-10'),
  -- E-mail and address are optional.
  (297110620, 'Khaled', 'Fouad', null, null, '1997-11-06');

-- Points are what each account earned through its points groups, less what it spent on vouchers.
insert into telecom.customer_account (mobile_no, national_id, balance, account_type, start_date, status, points)
values
  ('01012345678', 290031501, 85.50, 'prepaid', current_date - 1100, 'active', 415),
  ('01298765432', 290031501, 12.00, 'pay_as_you_go', current_date - 400, 'active', 0),
  ('01123456789', 288110702, -45.50, 'post_paid', current_date - 900, 'active', 420),
  ('01534567890', 295062203, 30.00, 'prepaid', current_date - 600, 'active', 0),
  ('01098765432', 285020904, 0.00, 'post_paid', current_date - 1500, 'active', 0),
  ('01187654321', 285020904, 5.25, 'prepaid', current_date - 700, 'onhold', 0),
  ('01276543210', 299120105, 150.00, 'prepaid', current_date - 300, 'active', 0),
  ('01011223344', 292041806, 220.75, 'post_paid', current_date - 2000, 'active', 0),
  ('01122334455', 297083007, 18.40, 'pay_as_you_go', current_date - 250, 'active', 0),
  ('01233445566', 280051408, 0.00, 'prepaid', current_date - 1800, 'onhold', 0),
  ('01544556677', 291101909, -120.00, 'post_paid', current_date - 1200, 'active', 700),
  ('01055667788', 291101909, 40.00, 'prepaid', current_date - 365, 'active', 0),
  ('01166778899', 287072510, 9.99, 'prepaid', current_date - 480, 'active', 0),
  ('01277889900', 298030311, 65.00, 'pay_as_you_go', current_date - 150, 'active', 0),
  ('01588990011', 293092712, 22.50, 'prepaid', current_date - 90, 'active', 0),
  ('01099001122', 296011213, 0.00, 'post_paid', current_date - 1000, 'active', 600),
  ('01100112233', 284061614, 310.00, 'prepaid', current_date - 2500, 'active', 0),
  ('01211223344', 300020815, 45.00, 'post_paid', current_date - 800, 'active', 800),
  ('01522334455', 300020815, 3.75, 'pay_as_you_go', current_date - 200, 'active', 0),
  ('01033445566', 289121116, 17.00, 'prepaid', current_date - 1300, 'onhold', 0),
  ('01144556677', 294050517, 60.00, 'prepaid', current_date - 120, 'active', 0),
  ('01255667788', 286090218, 0.00, 'post_paid', current_date - 700, 'active', 0),
  ('01566778899', 301041019, 8.00, 'pay_as_you_go', current_date - 60, 'active', 0),
  ('01077889900', 297110620, 25.00, 'prepaid', current_date - 30, 'active', 0);

--------------------------------------------------------------------------------
-- Plans and subscriptions. 01077889900 subscribes to nothing yet.

insert into telecom.service_plan (plan_id, name, price, sms_offered, minutes_offered, data_offered, description)
values
  (1, 'Basic 30', 30.00, 50, 100, 1024, 'For light callers: 100 minutes, 50 SMS and 1 GB a month.'),
  (2, 'Smart 75', 75.00, 200, 350, 4096, 'The everyday plan: 350 minutes, 200 SMS and 4 GB a month.'),
  (3, 'Super 150', 150.00, 500, 800, 12288, 'For heavy users: 800 minutes, 500 SMS and 12 GB a month.'),
  (4, 'Max 300', 300.00, 2000, 2500, 40960, 'Almost unlimited: 2500 minutes, 2000 SMS and 40 GB a month.'),
  (5, 'Data 10GB', 120.00, 0, 0, 10240, 'Data only, for tablets and routers: 10 GB a month.'),
  (6, 'Business 500', 500.00, 3000, 5000, 61440, 'For professionals: 5000 minutes, 3000 SMS and 60 GB a month.'),
  (7, 'Youth 60', 60.00, 300, 150, 8192, 'For under-25s: 8 GB, 300 SMS and 150 minutes a month.');

-- Three accounts subscribed to Smart 75 on the same day (current_date - 30).
insert into telecom.subscription (mobile_no, plan_id, subscription_date, status)
values
  ('01012345678', 2, current_date - 100, 'active'),
  ('01012345678', 3, current_date - 20, 'active'),
  ('01012345678', 7, current_date - 240, 'onhold'),
  ('01298765432', 1, current_date - 365, 'active'),
  ('01123456789', 4, current_date - 30, 'active'),
  ('01123456789', 5, current_date - 30, 'active'),
  ('01534567890', 2, current_date - 30, 'active'),
  ('01098765432', 6, current_date - 200, 'active'),
  ('01187654321', 1, current_date - 400, 'onhold'),
  ('01276543210', 2, current_date - 30, 'active'),
  ('01011223344', 4, current_date - 90, 'active'),
  ('01122334455', 2, current_date - 30, 'active'),
  ('01122334455', 5, current_date - 10, 'onhold'),
  ('01233445566', 1, current_date - 300, 'onhold'),
  ('01544556677', 6, current_date - 150, 'active'),
  ('01055667788', 7, current_date - 60, 'active'),
  ('01166778899', 1, current_date - 45, 'active'),
  ('01277889900', 3, current_date - 100, 'active'),
  ('01588990011', 7, current_date - 15, 'active'),
  ('01099001122', 4, current_date - 250, 'active'),
  ('01100112233', 3, current_date - 5, 'active'),
  ('01100112233', 5, current_date - 5, 'active'),
  ('01211223344', 6, current_date - 365, 'active'),
  ('01522334455', 1, current_date - 80, 'onhold'),
  ('01033445566', 2, current_date - 500, 'onhold'),
  ('01144556677', 7, current_date - 35, 'active'),
  ('01255667788', 4, current_date - 120, 'active'),
  ('01566778899', 1, current_date - 25, 'active');

-- One usage record per subscription and calendar month, from this month back to three months ago,
-- none before the subscription started; paused subscriptions stopped being used two months ago.
-- The share of the allowance used is derived from the number, so the data is the same every time.
with month as (
  select
    months_ago,
    (date_trunc('month', current_date) - make_interval(months => months_ago))::date as first_day
  from generate_series(0, 3) as months_ago
),
period as (
  select
    months_ago,
    first_day,
    least((first_day + interval '1 month' - interval '1 day')::date, current_date) as last_day
  from month
)
insert into telecom.plan_usage (mobile_no, plan_id, start_date, end_date, data_consumption, minutes_used, sms_sent)
select
  subscription.mobile_no,
  subscription.plan_id,
  greatest(period.first_day, subscription.subscription_date),
  period.last_day,
  service_plan.data_offered * (20 + (right(subscription.mobile_no, 2)::integer + 7 * period.months_ago) % 70) / 100,
  service_plan.minutes_offered * (15 + (right(subscription.mobile_no, 3)::integer + 11 * period.months_ago) % 80) / 100,
  service_plan.sms_offered * (10 + (right(subscription.mobile_no, 4)::integer + 13 * period.months_ago) % 60) / 100
from telecom.subscription
inner join telecom.service_plan
  on service_plan.plan_id = subscription.plan_id
inner join period
  on period.last_day >= subscription.subscription_date
where subscription.status = 'active'
  or period.months_ago >= 2
order by subscription.mobile_no, subscription.plan_id, period.first_day;

--------------------------------------------------------------------------------
-- Payments. Plan payments get a process_payment row (the database computes remaining and extra).
-- The demo account has 13 successful payments (two of them more than a year old), one pending and
-- one rejected; its latest Smart 75 payment fell short by 15.00, its Super 150 payment exceeded
-- the price by 30.00, and two top-ups of 200.00 tie.

insert into telecom.payment (payment_id, mobile_no, amount, date_of_payment, payment_method, status)
values
  (1, '01012345678', 75.00, current_date - 430, 'cash', 'successful'),
  (2, '01012345678', 100.00, current_date - 400, 'credit', 'successful'),
  (3, '01012345678', 75.00, current_date - 100, 'credit', 'successful'),
  (4, '01012345678', 80.00, current_date - 70, 'wallet', 'successful'),
  (5, '01012345678', 75.00, current_date - 40, 'credit', 'successful'),
  (6, '01012345678', 180.00, current_date - 20, 'credit', 'successful'),
  (7, '01012345678', 200.00, current_date - 15, 'cash', 'successful'),
  (8, '01012345678', 150.00, current_date - 12, 'credit', 'rejected'),
  (9, '01012345678', 60.00, current_date - 3, 'wallet', 'successful'),
  (10, '01012345678', 75.00, current_date, 'cash', 'pending'),
  (11, '01012345678', 50.00, current_date - 9, 'cash', 'successful'),
  (12, '01012345678', 120.00, current_date - 30, 'credit', 'successful'),
  (13, '01012345678', 200.00, current_date - 55, 'credit', 'successful'),
  (14, '01012345678', 25.00, current_date - 5, 'wallet', 'successful'),
  (15, '01012345678', 30.00, current_date - 8, 'cash', 'successful'),
  (16, '01298765432', 30.00, current_date - 30, 'cash', 'successful'),
  (17, '01298765432', 20.00, current_date - 2, 'wallet', 'successful'),
  (18, '01123456789', 300.00, current_date - 30, 'credit', 'successful'),
  (19, '01123456789', 120.00, current_date - 30, 'credit', 'successful'),
  (20, '01123456789', 150.00, current_date - 2, 'credit', 'rejected'),
  (21, '01534567890', 75.00, current_date - 30, 'cash', 'successful'),
  (22, '01534567890', 50.00, current_date - 200, 'cash', 'successful'),
  (23, '01098765432', 500.00, current_date - 200, 'credit', 'successful'),
  (24, '01098765432', 500.00, current_date - 20, 'credit', 'pending'),
  (25, '01187654321', 30.00, current_date - 400, 'cash', 'successful'),
  (26, '01276543210', 70.00, current_date - 30, 'wallet', 'successful'),
  (27, '01276543210', 100.00, current_date - 10, 'credit', 'successful'),
  (28, '01011223344', 300.00, current_date - 90, 'credit', 'successful'),
  (29, '01011223344', 320.00, current_date - 60, 'credit', 'successful'),
  (30, '01122334455', 75.00, current_date - 30, 'cash', 'successful'),
  (31, '01122334455', 120.00, current_date - 10, 'wallet', 'rejected'),
  (32, '01233445566', 30.00, current_date - 300, 'cash', 'successful'),
  (33, '01544556677', 500.00, current_date - 150, 'credit', 'successful'),
  (34, '01544556677', 450.00, current_date - 120, 'credit', 'successful'),
  (35, '01055667788', 60.00, current_date - 60, 'wallet', 'successful'),
  (36, '01055667788', 60.00, current_date - 30, 'wallet', 'successful'),
  (37, '01166778899', 30.00, current_date - 45, 'cash', 'successful'),
  (38, '01166778899', 10.00, current_date - 4, 'cash', 'pending'),
  (39, '01277889900', 150.00, current_date - 100, 'credit', 'successful'),
  (40, '01277889900', 160.00, current_date - 40, 'credit', 'successful'),
  (41, '01588990011', 60.00, current_date - 15, 'cash', 'successful'),
  (42, '01099001122', 300.00, current_date - 250, 'credit', 'successful'),
  (43, '01099001122', 300.00, current_date - 380, 'credit', 'successful'),
  (44, '01100112233', 150.00, current_date - 5, 'credit', 'successful'),
  (45, '01100112233', 120.00, current_date - 5, 'credit', 'successful'),
  (46, '01100112233', 500.00, current_date - 1, 'wallet', 'pending'),
  -- Exactly 365 days ago: still within "the last year" of account_payment_points.
  (47, '01211223344', 500.00, current_date - 365, 'credit', 'successful'),
  (48, '01211223344', 500.00, current_date - 30, 'credit', 'successful'),
  (49, '01522334455', 15.00, current_date - 80, 'cash', 'successful'),
  (50, '01033445566', 75.00, current_date - 500, 'cash', 'successful'),
  (51, '01144556677', 60.00, current_date - 35, 'wallet', 'successful'),
  (52, '01255667788', 300.00, current_date - 120, 'credit', 'successful'),
  (53, '01255667788', 300.00, current_date - 7, 'credit', 'rejected'),
  (54, '01566778899', 30.00, current_date - 25, 'cash', 'successful'),
  (55, '01077889900', 40.00, current_date - 3, 'cash', 'successful'),
  (56, '01077889900', 20.00, current_date - 1, 'credit', 'rejected');

-- The rest are balance top-ups (no plan).
insert into telecom.process_payment (payment_id, plan_id, remaining_balance, extra_amount)
values
  (1, 2, 0, 0),
  (3, 2, 0, 0),
  (4, 2, 0, 0),
  (5, 2, 0, 0),
  (6, 3, 0, 0),
  (9, 2, 0, 0),
  (16, 1, 0, 0),
  (18, 4, 0, 0),
  (19, 5, 0, 0),
  (21, 2, 0, 0),
  (23, 6, 0, 0),
  (25, 1, 0, 0),
  (26, 2, 0, 0),
  (28, 4, 0, 0),
  (29, 4, 0, 0),
  (30, 2, 0, 0),
  (32, 1, 0, 0),
  (33, 6, 0, 0),
  (34, 6, 0, 0),
  (35, 7, 0, 0),
  (36, 7, 0, 0),
  (37, 1, 0, 0),
  (39, 3, 0, 0),
  (40, 3, 0, 0),
  (41, 7, 0, 0),
  (42, 4, 0, 0),
  (43, 4, 0, 0),
  (44, 3, 0, 0),
  (45, 5, 0, 0),
  (47, 6, 0, 0),
  (48, 6, 0, 0),
  (50, 2, 0, 0),
  (51, 7, 0, 0),
  (52, 4, 0, 0),
  (54, 1, 0, 0);

--------------------------------------------------------------------------------
-- Wallets: one per person, linked to their first number, except for Mahmoud, Rania and Hossam.
-- Second numbers (01298765432, 01187654321, 01544556677, 01522334455) have no wallet.

insert into telecom.wallet (wallet_id, national_id, mobile_no, current_balance, currency, last_modified_date)
values
  (1, 290031501, '01012345678', 240.00, 'EGP', current_date - 2),
  (2, 288110702, '01123456789', 75.50, 'EGP', current_date - 20),
  (3, 295062203, '01534567890', 112.00, 'EGP', current_date - 2),
  (4, 285020904, '01098765432', 500.00, 'EGP', current_date - 25),
  (5, 299120105, '01276543210', 33.25, 'EGP', current_date - 12),
  (6, 292041806, '01011223344', 1200.00, 'EGP', current_date - 6),
  (7, 297083007, '01122334455', 10.00, 'EGP', current_date - 20),
  (8, 291101909, '01055667788', 64.00, 'EGP', current_date - 14),
  (9, 287072510, '01166778899', 5.00, 'EGP', current_date - 1),
  (10, 298030311, '01277889900', 410.00, 'EGP', current_date - 33),
  (11, 293092712, '01588990011', 27.30, 'EGP', current_date - 14),
  (12, 284061614, '01100112233', 900.00, 'EGP', current_date - 18),
  (13, 300020815, '01211223344', 150.00, 'EGP', current_date - 9),
  (14, 294050517, '01144556677', 18.00, 'EGP', current_date - 4),
  (15, 286090218, '01255667788', 260.00, 'EGP', current_date - 4),
  (16, 301041019, '01566778899', 2.50, 'EGP', current_date - 90),
  (17, 297110620, '01077889900', 45.00, 'EGP', current_date - 1);

-- The demo wallet (1) sent three transfers and received two.
insert into telecom.transfer_money (from_wallet_id, to_wallet_id, amount, transfer_date)
values
  (1, 2, 50.00, current_date - 40),
  (1, 5, 25.00, current_date - 12),
  (1, 3, 100.00, current_date - 2),
  (4, 1, 150.00, current_date - 25),
  (6, 1, 80.00, current_date - 6),
  (6, 10, 200.00, current_date - 60),
  (10, 12, 75.00, current_date - 33),
  (12, 6, 300.00, current_date - 18),
  (13, 15, 40.00, current_date - 9),
  (15, 14, 20.00, current_date - 4),
  (2, 7, 10.00, current_date - 20),
  (8, 11, 15.00, current_date - 14),
  (17, 9, 5.00, current_date - 1);

--------------------------------------------------------------------------------
-- Benefits, and the plans that provide them. Each benefit is points, an exclusive offer or cashback.

insert into telecom.benefit (benefit_id, description, validity_date, status, mobile_no)
values
  (1, 'Loyalty points on Smart 75 renewals', current_date + 180, 'active', '01012345678'),
  (2, '10% cashback on Super 150 payments', current_date + 90, 'active', '01012345678'),
  (3, 'Double SMS weekends', current_date + 30, 'active', '01012345678'),
  (4, 'Summer data boost', current_date - 40, 'expired', '01012345678'),
  (5, 'Welcome cashback', current_date + 365, 'active', '01012345678'),
  (6, 'Loyalty points on top-ups', current_date + 365, 'active', '01012345678'),
  (7, 'Loyalty points on Max 300', current_date + 200, 'active', '01123456789'),
  (8, '10% cashback for business lines', current_date + 150, 'active', '01098765432'),
  (9, 'Night minutes offer', current_date + 60, 'active', '01011223344'),
  (10, 'Loyalty points on Max 300', current_date - 10, 'expired', '01099001122'),
  (11, 'Youth SMS and data pack', current_date + 45, 'active', '01055667788'),
  (12, 'Cashback on Super 150 payments', current_date + 120, 'active', '01277889900'),
  (13, 'Loyalty points on Business 500', current_date + 300, 'active', '01211223344'),
  (14, 'Data weekend', current_date - 100, 'expired', '01100112233'),
  (15, 'Anniversary cashback', current_date + 30, 'active', '01255667788'),
  (16, 'Loyalty points on Business 500', current_date + 250, 'active', '01544556677'),
  (17, 'Referral bonus', current_date - 200, 'expired', '01166778899');

-- Benefits 5, 6 and 15 come with no plan.
insert into telecom.plan_provides_benefits (plan_id, benefit_id)
values
  (2, 1),
  (3, 2),
  (3, 3),
  (2, 4),
  (4, 7),
  (6, 8),
  (4, 9),
  (4, 10),
  (7, 11),
  (3, 12),
  (6, 13),
  (5, 14),
  (6, 16),
  (1, 17);

-- One point per pound paid. Payments 1, 2 and 43 are more than a year old.
insert into telecom.points_group (benefit_id, points_amount, payment_id)
values
  (1, 75, 1),
  (1, 75, 3),
  (1, 80, 4),
  (1, 75, 5),
  (1, 60, 9),
  (6, 100, 2),
  (6, 200, 7),
  (6, 200, 13),
  (7, 300, 18),
  (7, 120, 19),
  (10, 300, 42),
  (10, 300, 43),
  (13, 500, 47),
  (13, 500, 48),
  (16, 500, 33),
  (16, 450, 34);

insert into telecom.exclusive_offer (benefit_id, internet_offered, sms_offered, minutes_offered)
values
  (3, 0, 200, 0),
  (4, 5120, 0, 0),
  (9, 0, 0, 300),
  (11, 2048, 500, 0),
  (14, 3072, 0, 0);

-- Cashback is 10% of a payment, or a fixed gift with no payment.
insert into telecom.cashback (benefit_id, wallet_id, amount, credit_date, payment_id)
values
  (2, 1, 18.00, current_date - 20, 6),
  (5, 1, 20.00, current_date - 200, null),
  (8, 4, 50.00, current_date - 199, 23),
  (12, 10, 15.00, current_date - 99, 39),
  (12, 10, 16.00, current_date - 39, 40),
  (15, 15, 50.00, current_date - 30, null),
  (17, 9, 10.00, current_date - 250, null);

--------------------------------------------------------------------------------
-- Partner shops (four physical, four online) and their vouchers.

insert into telecom.shop (shop_id, name, category)
values
  (1, 'Nile Electronics', 'electronics'),
  (2, 'Alexandria Coffee Roasters', 'cafe'),
  (3, 'Tahrir Bookshop', 'books'),
  (4, 'Delta Sports', 'sportswear'),
  (5, 'Masr Market Online', 'groceries'),
  (6, 'Cairo Cinema Tickets', 'entertainment'),
  (7, 'Pyramids Fashion', 'fashion'),
  (8, 'Souk Gadgets', 'electronics');

insert into telecom.physical_shop (shop_id, address, working_hours)
values
  (1, '45 Abbas El-Akkad St, Nasr City, Cairo', 'Sat-Thu 10:00-22:00'),
  (2, '21 Fouad St, Alexandria', 'Daily 08:00-00:00'),
  (3, '3 Tahrir Square, Downtown, Cairo', 'Daily 09:00-21:00'),
  (4, '60 El-Gomhoreya St, Mansoura', 'Sat-Thu 11:00-23:00');

insert into telecom.e_shop (shop_id, url, rating)
values
  (5, 'https://masrmarket.example.com', 4),
  (6, 'https://cairocinema.example.com', 5),
  (7, 'https://pyramidsfashion.example.com', 3),
  (8, 'https://soukgadgets.example.com', 2);

-- Seven unredeemed and valid (voucher 4 expires today; the demo account can afford 1, 2, 3 and 7),
-- three expired, four redeemed (two of them by the demo account).
insert into telecom.voucher (voucher_id, value, expiry_date, points, shop_id, mobile_no, redeem_date)
values
  (1, 50.00, current_date + 60, 100, 2, null, null),
  (2, 100.00, current_date + 30, 200, 5, null, null),
  (3, 200.00, current_date + 90, 400, 1, null, null),
  (4, 250.00, current_date, 500, 6, null, null),
  (5, 400.00, current_date + 120, 800, 8, null, null),
  (6, 750.00, current_date + 180, 1500, 1, null, null),
  (7, 40.00, current_date + 20, 80, 3, null, null),
  (8, 150.00, current_date - 45, 300, 7, null, null),
  (9, 25.00, current_date - 1, 50, 4, null, null),
  (10, 150.00, current_date + 30, 300, 1, '01012345678', current_date - 20),
  (11, 75.00, current_date + 15, 150, 6, '01012345678', current_date - 50),
  (12, 100.00, current_date - 5, 200, 5, '01211223344', current_date - 35),
  (13, 125.00, current_date + 45, 250, 2, '01544556677', current_date - 8),
  (14, 75.00, current_date - 10, 150, 3, null, null);

--------------------------------------------------------------------------------
-- Support tickets. The demo customer has one open and one in progress (one per number), one resolved.
insert into telecom.technical_support_ticket (ticket_id, mobile_no, issue_description, priority_level, status)
values
  (1, '01012345678', 'Mobile data stops working after 10 pm in Dokki.', 4, 'open'),
  (2, '01298765432', 'My balance was charged twice for one top-up.', 3, 'in_progress'),
  (3, '01123456789', 'The bill shows roaming charges I did not use.', 5, 'open'),
  (4, '01012345678', 'I cannot receive SMS from numbers abroad.', 2, 'resolved'),
  (5, '01534567890', 'Weak signal at home in Smouha.', 3, 'in_progress'),
  (6, '01098765432', 'Please transfer this line to my company.', 1, 'resolved'),
  (7, '01187654321', 'My line was put on hold without notice.', 4, 'open'),
  (8, '01276543210', 'The shop rejected my voucher code.', 2, 'resolved'),
  (9, '01122334455', 'Calls drop after two minutes.', 5, 'in_progress'),
  (10, '01166778899', 'A wallet transfer sent to me never arrived.', 4, 'open'),
  (11, '01100112233', 'The data weekend offer was not applied.', 3, 'resolved'),
  (12, '01255667788', 'I cannot log in to the app.', 2, 'open');

--------------------------------------------------------------------------------
-- Logins. bcrypt is slow on purpose: the customers' hash is computed once and shared.

with demo_hash as materialized (
  select public.crypt('telecom-demo', public.gen_salt('bf', 10)) as password_hash
)
insert into telecom_private.customer_credential (mobile_no, password_hash)
select
  customer_account.mobile_no,
  demo_hash.password_hash
from telecom.customer_account
cross join demo_hash;

insert into telecom_private.admin_user (admin_id, username, password_hash)
values
  (1, 'admin', public.crypt('telecom-admin', public.gen_salt('bf', 10)));

--------------------------------------------------------------------------------
-- Bills (docs/bills.md): Mona's post-paid number has last month's bill, paid, and this month's, due
-- in ten days: its amount due is what her balance owes. Bills inserted here are history (they move no
-- money), numbered from the first of their year, and the counters continue after them.

with bill (bill_date, status) as (
  values
    ((date_trunc('month', current_date) - interval '1 month')::date, 'paid'::telecom.invoice_status),
    (date_trunc('month', current_date)::date, 'issued')
),
fee as (
  select subscription.plan_id, plan.name, plan.price
  from telecom.subscription as subscription
  inner join telecom.service_plan as plan
    on plan.plan_id = subscription.plan_id
  where subscription.mobile_no = '01123456789'
),
issued as (
  insert into telecom.invoice (
    invoice_no, mobile_no, bill_date, period_start, period_end, issued_on, due_date,
    subtotal, vat_rate, vat, total, previous_due, amount_due, paid_amount, status
  )
  select
    telecom_private.document_no('INV', extract(year from issue.issued_on)::integer,
      coalesce(counter.last_number, 0)
        + row_number() over (partition by extract(year from issue.issued_on) order by bill.bill_date)),
    '01123456789',
    bill.bill_date,
    (bill.bill_date - interval '1 month')::date,
    bill.bill_date - 1,
    issue.issued_on,
    issue.issued_on + 14,
    totals.subtotal,
    0.1400,
    round(totals.subtotal * 0.14, 2),
    totals.subtotal + round(totals.subtotal * 0.14, 2),
    0,
    due.amount_due,
    case when bill.status = 'paid' then due.amount_due else 0 end,
    bill.status
  from bill
  cross join (select sum(fee.price) as subtotal from fee) as totals
  cross join lateral (select least(bill.bill_date, current_date - 4) as issued_on) as issue
  -- Numbers continue after any the database already gave that year (docs/bills.md: gapless per year).
  left join telecom_private.document_number as counter
    on counter.series = 'INV'
    and counter.year = extract(year from issue.issued_on)::integer
  cross join lateral (
    select case
      when bill.status = 'paid' then totals.subtotal + round(totals.subtotal * 0.14, 2)
      else greatest(-account.balance, 0)
    end as amount_due
    from telecom.customer_account as account
    where account.mobile_no = '01123456789'
  ) as due
  returning invoice.invoice_id, invoice.bill_date, invoice.issued_on
),
numbered as (
  insert into telecom_private.document_number (series, year, last_number)
  select 'INV', extract(year from issued.issued_on)::integer, count(*)
  from issued
  group by extract(year from issued.issued_on)
  on conflict (series, year) do update
    set last_number = document_number.last_number + excluded.last_number
)
insert into telecom.invoice_line (invoice_id, line_no, kind, plan_id, description, quantity, amount)
select
  issued.invoice_id,
  row_number() over (partition by issued.invoice_id order by fee.plan_id),
  'plan_fee',
  fee.plan_id,
  fee.name,
  (issued.bill_date + interval '1 month')::date - issued.bill_date,
  fee.price
from issued
cross join fee;

--------------------------------------------------------------------------------
-- Move every identity sequence past the explicit ids, so later inserts don't collide.

do $$
declare
  v_column record;
begin
  for v_column in
    select
      namespace.nspname as schema_name,
      class.relname as table_name,
      attribute.attname as column_name
    from pg_catalog.pg_attribute as attribute
    inner join pg_catalog.pg_class as class
      on class.oid = attribute.attrelid
    inner join pg_catalog.pg_namespace as namespace
      on namespace.oid = class.relnamespace
    where namespace.nspname in ('telecom', 'telecom_private')
      and attribute.attidentity <> ''
  loop
    execute format(
      'select setval(pg_catalog.pg_get_serial_sequence(%L, %L), coalesce(max(%I), 0) + 1, false) from %I.%I',
      format('%I.%I', v_column.schema_name, v_column.table_name),
      v_column.column_name,
      v_column.column_name,
      v_column.schema_name,
      v_column.table_name
    );
  end loop;
end
$$;

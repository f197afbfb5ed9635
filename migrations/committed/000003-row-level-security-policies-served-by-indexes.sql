--! Previous: sha1:c470202c555f348be4cfeb7e049eff2351b753a3
--! Hash: sha1:f6ed1c2dec9d5d79ce4d0212722a3bdb1b845cbe
--! Message: Row-level security policies served by indexes

--! split: 1-current.sql
-- Row-level security that indexes can serve (issue 7). The policies of 000002 filtered with
-- `mobile_no in (select telecom.current_mobile_nos())`: PostgreSQL runs that as a hashed subplan
-- applied to every row it reads, never as an index condition, and guesses 1000 numbers per person,
-- so `consumption` read all 2 million usage records of a plan at 1M customers (p95 2.8 s).
-- `= any (array(...))` is computed once per statement and becomes an index condition.

-- A person holds a few numbers, not the 1000 PostgreSQL assumes of a set-returning function.
alter function telecom.current_mobile_nos() rows 3;

drop policy if exists select_own on telecom.subscription;
create policy select_own on telecom.subscription for select to telecom_customer
  using (mobile_no = any (array(select telecom.current_mobile_nos())));

drop policy if exists select_own on telecom.plan_usage;
create policy select_own on telecom.plan_usage for select to telecom_customer
  using (mobile_no = any (array(select telecom.current_mobile_nos())));

drop policy if exists select_own on telecom.payment;
create policy select_own on telecom.payment for select to telecom_customer
  using (mobile_no = any (array(select telecom.current_mobile_nos())));

-- The customer's payments, themselves filtered by the payment policy above.
drop policy if exists select_own on telecom.process_payment;
create policy select_own on telecom.process_payment for select to telecom_customer
  using (payment_id = any (array(select payment.payment_id from telecom.payment as payment)));

drop policy if exists select_own on telecom.benefit;
create policy select_own on telecom.benefit for select to telecom_customer
  using (mobile_no = any (array(select telecom.current_mobile_nos())));

drop policy if exists select_own on telecom.points_group;
create policy select_own on telecom.points_group for select to telecom_customer
  using (benefit_id = any (array(select benefit.benefit_id from telecom.benefit as benefit)));

drop policy if exists select_own on telecom.exclusive_offer;
create policy select_own on telecom.exclusive_offer for select to telecom_customer
  using (benefit_id = any (array(select benefit.benefit_id from telecom.benefit as benefit)));

drop policy if exists select_own on telecom.plan_provides_benefits;
create policy select_own on telecom.plan_provides_benefits for select to telecom_customer
  using (benefit_id = any (array(select benefit.benefit_id from telecom.benefit as benefit)));

-- Vouchers not yet given to a number are on offer to everyone.
drop policy if exists select_own on telecom.voucher;
create policy select_own on telecom.voucher for select to telecom_customer
  using (mobile_no is null or mobile_no = any (array(select telecom.current_mobile_nos())));

drop policy if exists select_own on telecom.technical_support_ticket;
create policy select_own on telecom.technical_support_ticket for select to telecom_customer
  using (mobile_no = any (array(select telecom.current_mobile_nos())));

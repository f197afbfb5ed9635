-- Fixes the benchmark recommends (not a migration: the lead applies them to migrations/current/).
-- `npm run bench -- --apply api/bench/proposed-fixes.sql` runs it after the migrations, so one run
-- measures the schema with them; compare with a run without.
--
-- Row-level security: `mobile_no in (select telecom.current_mobile_nos())` puts a set-returning
-- function in a select list, which the planner can neither inline nor pull up into a join: it
-- becomes a hashed subplan tested against every row of a sequential scan. `= any (array(...))`
-- is computed once (an InitPlan) and becomes an index condition on the mobile_no indexes. The
-- same holds for `x in (select x from t)` over another table's policy.

alter policy select_own on telecom.subscription using (mobile_no = any (array(select telecom.current_mobile_nos())));
alter policy select_own on telecom.plan_usage using (mobile_no = any (array(select telecom.current_mobile_nos())));
alter policy select_own on telecom.payment using (mobile_no = any (array(select telecom.current_mobile_nos())));
alter policy select_own on telecom.benefit using (mobile_no = any (array(select telecom.current_mobile_nos())));
alter policy select_own on telecom.technical_support_ticket using (mobile_no = any (array(select telecom.current_mobile_nos())));
alter policy select_own on telecom.voucher using (mobile_no is null or mobile_no = any (array(select telecom.current_mobile_nos())));
alter policy select_own on telecom.process_payment using (payment_id = any (array(select payment.payment_id from telecom.payment as payment)));
alter policy select_own on telecom.points_group using (benefit_id = any (array(select benefit.benefit_id from telecom.benefit as benefit)));
alter policy select_own on telecom.exclusive_offer using (benefit_id = any (array(select benefit.benefit_id from telecom.benefit as benefit)));
alter policy select_own on telecom.plan_provides_benefits using (benefit_id = any (array(select benefit.benefit_id from telecom.benefit as benefit)));

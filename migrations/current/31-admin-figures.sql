-- Issue 16, the rest of the figures: paying subscribers per plan (SPEC §11 "paid": status active and
-- today before paid_until) and ARPU over them; the tags of the voucher and benefit reports.
-- Re-runnable: the materialized views are dropped and rebuilt, so a change of definition applies;
-- their comments and grants are in their files (fixtures/reports/).
drop materialized view if exists telecom.paying_subscribers_per_plan cascade;
create materialized view telecom.paying_subscribers_per_plan as
select
  plan.plan_id,
  plan.name,
  plan.price,
  count(subscription.mobile_no)::integer as paying_subscribers,
  now() as as_of
from telecom.service_plan as plan
left join telecom.subscription as subscription
  on subscription.plan_id = plan.plan_id
  and subscription.status = 'active'
  and current_date < subscription.paid_until
group by plan.plan_id;
create unique index paying_subscribers_per_plan_plan_id_idx on telecom.paying_subscribers_per_plan (plan_id);

drop materialized view if exists telecom.arpu cascade;
create materialized view telecom.arpu as
with revenue as (
  select coalesce(sum(payment.amount), 0) as revenue
  from telecom.payment as payment
  where payment.status = 'successful'
    and payment.date_of_payment > current_date - 30
    and payment.date_of_payment <= current_date
),
paying as (
  select count(distinct subscription.mobile_no)::integer as paying_subscribers
  from telecom.subscription as subscription
  where subscription.status = 'active'
    and current_date < subscription.paid_until
)
select
  current_date as as_of_date,
  revenue.revenue,
  paying.paying_subscribers,
  case when paying.paying_subscribers > 0 then round(revenue.revenue / paying.paying_subscribers, 2) end as arpu,
  now() as as_of
from revenue
cross join paying;
create unique index arpu_as_of_date_idx on telecom.arpu (as_of_date);

--!include reports/paying_subscribers_per_plan.sql
--!include reports/arpu.sql
--!include reports/refresh_admin_figures.sql

-- Reports: keys, sort orders and filters (smart tags).
--!include reports/all_benefits.sql
--!include reports/e_shop_vouchers.sql
--!include reports/physical_store_vouchers.sql

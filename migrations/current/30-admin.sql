-- Issue 16: admins at a million customers. Server-side paging, sorting and filtering of the
-- reports (smart tags in the reports' files), customer search, business figures, management rules.

-- Customer search (telecom.search_customers): pg_trgm for partial names. A trusted extension, so the
-- owner creates it; it lives in public with the others (SPEC §3).
create extension if not exists pg_trgm with schema public;
create index if not exists customer_profile_full_name_trgm_idx
  on telecom.customer_profile using gin ((first_name || ' ' || last_name) public.gin_trgm_ops);

-- Sort orders the admin reports offer, each served by an index (the key breaks ties).
create index if not exists payment_date_of_payment_idx on telecom.payment (date_of_payment, payment_id);
create index if not exists customer_account_start_date_idx on telecom.customer_account (start_date, mobile_no);
create index if not exists technical_support_ticket_priority_level_idx
  on telecom.technical_support_ticket (priority_level, ticket_id);
create index if not exists wallet_current_balance_idx on telecom.wallet (current_balance, wallet_id);

-- Business figures: materialized views, refreshed by telecom_private.refresh_admin_figures() (the
-- maintenance tick, SPEC §10), each row with the time of its refresh (as_of). Reading one is a few
-- hundred rows at most, whatever the number of customers; nothing is updated per payment, transfer or
-- usage record, so no lock is added to those paths. Dropped and rebuilt here, so a change of
-- definition applies; their comments and grants are in their files (fixtures/reports/).
drop materialized view if exists telecom.revenue_per_month cascade;
create materialized view telecom.revenue_per_month as
select
  date_trunc('month', payment.date_of_payment)::date as month,
  sum(payment.amount) as revenue,
  count(*)::integer as payment_count,
  count(distinct payment.mobile_no)::integer as paying_accounts,
  round(sum(payment.amount) / count(distinct payment.mobile_no), 2) as arpu,
  now() as as_of
from telecom.payment as payment
where payment.status = 'successful'
group by 1;
create unique index revenue_per_month_month_idx on telecom.revenue_per_month (month);

drop materialized view if exists telecom.usage_per_month cascade;
create materialized view telecom.usage_per_month as
select
  date_trunc('month', usage.start_date)::date as month,
  sum(usage.data_consumption)::bigint as data_mb,
  sum(usage.minutes_used)::bigint as minutes,
  sum(usage.sms_sent)::bigint as sms,
  count(distinct usage.mobile_no)::integer as accounts,
  now() as as_of
from telecom.plan_usage as usage
group by 1;
create unique index usage_per_month_month_idx on telecom.usage_per_month (month);

drop materialized view if exists telecom.new_accounts_per_month cascade;
create materialized view telecom.new_accounts_per_month as
select
  date_trunc('month', account.start_date)::date as month,
  count(*)::integer as new_accounts,
  now() as as_of
from telecom.customer_account as account
group by 1;
create unique index new_accounts_per_month_month_idx on telecom.new_accounts_per_month (month);

drop materialized view if exists telecom.wallet_volume_per_month cascade;
create materialized view telecom.wallet_volume_per_month as
with transfers as (
  select
    date_trunc('month', transfer.transfer_date)::date as month,
    count(*)::integer as transfer_count,
    sum(transfer.amount) as transfer_amount
  from telecom.transfer_money as transfer
  group by 1
),
cashbacks as (
  select
    date_trunc('month', cashback.credit_date)::date as month,
    count(*)::integer as cashback_count,
    sum(cashback.amount) as cashback_amount
  from telecom.cashback as cashback
  group by 1
)
select
  coalesce(transfers.month, cashbacks.month) as month,
  coalesce(transfers.transfer_count, 0) as transfer_count,
  coalesce(transfers.transfer_amount, 0) as transfer_amount,
  coalesce(cashbacks.cashback_count, 0) as cashback_count,
  coalesce(cashbacks.cashback_amount, 0) as cashback_amount,
  now() as as_of
from transfers
full join cashbacks
  on cashbacks.month = transfers.month;
create unique index wallet_volume_per_month_month_idx on telecom.wallet_volume_per_month (month);

drop materialized view if exists telecom.open_tickets_by_priority cascade;
create materialized view telecom.open_tickets_by_priority as
select
  ticket.priority_level,
  count(*) filter (where ticket.status = 'open')::integer as open_tickets,
  count(*) filter (where ticket.status = 'in_progress')::integer as in_progress_tickets,
  now() as as_of
from telecom.technical_support_ticket as ticket
where ticket.status <> 'resolved'
group by 1;
create unique index open_tickets_by_priority_priority_level_idx on telecom.open_tickets_by_priority (priority_level);

drop materialized view if exists telecom.account_status_counts cascade;
create materialized view telecom.account_status_counts as
select
  account.status,
  count(*)::integer as accounts,
  now() as as_of
from telecom.customer_account as account
group by 1;
create unique index account_status_counts_status_idx on telecom.account_status_counts (status);

--!include reports/revenue_per_month.sql
--!include reports/usage_per_month.sql
--!include reports/new_accounts_per_month.sql
--!include reports/wallet_volume_per_month.sql
--!include reports/open_tickets_by_priority.sql
--!include reports/account_status_counts.sql
--!include reports/refresh_admin_figures.sql

-- Reports: keys, sort orders and filters (smart tags), estimates and search.
--!include reports/all_customer_accounts.sql
--!include reports/all_service_plans.sql
--!include reports/account_payments.sql
--!include reports/all_shops.sql
--!include reports/all_resolved_tickets.sql
--!include reports/customer_wallet.sql
--!include reports/num_of_cashback.sql
--!include reports/estimated_row_count.sql
--!include reports/search_customers.sql

-- Management: what may be deleted, and what refuses with a sentence (TC6xx).
--!include plans/tg_service_plan__delete_unused.sql
--!include vouchers/tg_shop__delete_unused.sql

--! Previous: sha1:146af9de6be8dcf79f7743bf67feea5fd69de3f2
--! Hash: sha1:d108593dd98259ce0a6f9aa3b6254c43ae480875
--! Message: Card payments, online access, usage in real time, admin figures, customer app

--! split: 03-accounts.sql
-- Accounts: issue_account's comment.
--! Included accounts/issue_account.sql
-- Issues a number (SPEC §5): numbers belong to the operator, which gives one to an existing person,
-- or to a new person when the profile fields are given (they are ignored for an existing person).
-- Two admins issuing one number at once: the second gets TC610, never a bare 23505.
create or replace function telecom.issue_account(
  national_id integer,
  mobile_no text,
  account_type telecom.account_type,
  first_name text default null,
  last_name text default null,
  email text default null,
  address text default null,
  date_of_birth date default null
) returns telecom.customer_account
  language plpgsql
  volatile
as $$
declare
  v_account telecom.customer_account;
begin
  if not telecom.current_role_is_admin() then
    raise exception 'Only an admin can issue numbers.' using errcode = '42501';
  end if;
  if issue_account.mobile_no is null or issue_account.mobile_no !~ '^[0-9]{11}$' then
    raise exception 'A mobile number has 11 digits.' using errcode = 'TC611';
  end if;
  if issue_account.account_type is null then
    raise exception 'Choose the account type.' using errcode = 'TC612';
  end if;
  if not exists (select from telecom.customer_profile as profile where profile.national_id = issue_account.national_id) then
    if issue_account.first_name is null or issue_account.last_name is null or issue_account.date_of_birth is null then
      raise exception 'There is no customer with national id %: give their first name, last name and date of birth to register them.', issue_account.national_id
        using errcode = 'TC613';
    end if;
    begin
      insert into telecom.customer_profile (national_id, first_name, last_name, email, address, date_of_birth)
      values (issue_account.national_id, issue_account.first_name, issue_account.last_name, issue_account.email, issue_account.address, issue_account.date_of_birth);
    exception
      when unique_violation then
        raise exception 'A customer with national id % or e-mail % is already registered.', issue_account.national_id, issue_account.email
          using errcode = 'TC614';
    end;
  end if;
  begin
    insert into telecom.customer_account (mobile_no, national_id, account_type, start_date, status)
    values (issue_account.mobile_no, issue_account.national_id, issue_account.account_type, current_date, 'active')
    returning * into v_account;
  exception
    when unique_violation then
      raise exception 'The number % is already issued.', issue_account.mobile_no using errcode = 'TC610';
  end;
  return v_account;
end;
$$;

comment on function telecom.issue_account(integer, text, telecom.account_type, text, text, text, text, date) is 'Admin only. Issues a new number, active from today, to the person with that national id; for a new person, give first_name, last_name and date_of_birth (email and address are optional).';

grant execute on function telecom.issue_account(integer, text, telecom.account_type, text, text, text, text, date) to telecom_admin;
--! EndIncluded accounts/issue_account.sql

--! split: 07-benefits.sql
-- Benefits: benefits_account checks the admin first (42501, not TC101, for another caller).
--! Included benefits/benefits_account.sql
-- Ends the account's active benefits that the plan provides (SPEC §4.2): they become expired as of
-- today and no longer count anywhere (reports, offers, cashback). Nothing is deleted: cashback and
-- points they credited stay, and a payment that earned cashback never earns it again.
create or replace function telecom.benefits_account(mobile_no text, plan_id integer) returns integer
  language plpgsql
  volatile
as $$
declare
  v_ended integer;
begin
  -- Checked first: row-level security would otherwise make another caller's refusal read "no account".
  if not telecom.current_role_is_admin() then
    raise exception 'Only an admin can end benefits.' using errcode = '42501';
  end if;
  if not exists (select from telecom.customer_account as account where account.mobile_no = benefits_account.mobile_no) then
    raise exception 'There is no account with mobile number %.', benefits_account.mobile_no using errcode = 'TC101';
  end if;
  if not exists (select from telecom.service_plan as plan where plan.plan_id = benefits_account.plan_id) then
    raise exception 'There is no plan %.', benefits_account.plan_id using errcode = 'TC102';
  end if;
  update telecom.benefit as benefit
  set status = 'expired',
    validity_date = current_date
  where benefit.mobile_no = benefits_account.mobile_no
    and benefit.status = 'active'
    and exists (
      select
      from telecom.plan_provides_benefits as provides
      where provides.plan_id = benefits_account.plan_id
        and provides.benefit_id = benefit.benefit_id
    );
  get diagnostics v_ended = row_count;
  return v_ended;
end;
$$;

comment on function telecom.benefits_account(text, integer) is 'Admin only. Ends the account''s active benefits that the plan provides (expired as of today), so they no longer count in reports, offers or cashback; the cashback and points they credited stay. Returns how many benefits were ended.';

grant execute on function telecom.benefits_account(text, integer) to telecom_admin;
--! EndIncluded benefits/benefits_account.sql

--! split: 20-customer-app.sql
-- Issue 17, the customer app as a product: what the app reads that row-level security alone cannot
-- give a customer. Each rule lives in its fixture file.
--! Included wallets/customer_transfers.sql
create or replace function telecom.customer_transfers(mobile_no text)
returns table (
  reference text,
  transfer_id integer,
  transfer_date date,
  direction text,
  other_mobile_no text,
  other_name text,
  amount numeric(12,2),
  currency text
)
  language sql
  stable
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
  with own_wallet as (
    select wallet.wallet_id
    from telecom.wallet as wallet
    where telecom.assert_account_access(customer_transfers.mobile_no)
      and wallet.mobile_no = customer_transfers.mobile_no
  ),
  moves as (
    select transfer.transfer_id, transfer.transfer_date, 'sent' as direction, transfer.to_wallet_id as other_wallet_id, transfer.amount
    from telecom.transfer_money as transfer
    inner join own_wallet
      on own_wallet.wallet_id = transfer.from_wallet_id
    union all
    select transfer.transfer_id, transfer.transfer_date, 'received' as direction, transfer.from_wallet_id as other_wallet_id, transfer.amount
    from telecom.transfer_money as transfer
    inner join own_wallet
      on own_wallet.wallet_id = transfer.to_wallet_id
  )
  select
    'TRF-' || moves.transfer_id,
    moves.transfer_id,
    moves.transfer_date,
    moves.direction,
    other.mobile_no,
    trim(profile.first_name || ' ' || coalesce(left(profile.last_name, 1) || '.', '')),
    moves.amount,
    other.currency
  from moves
  inner join telecom.wallet as other
    on other.wallet_id = moves.other_wallet_id
  inner join telecom.customer_profile as profile
    on profile.national_id = other.national_id
  order by moves.transfer_date desc, moves.transfer_id desc, moves.direction
$$;

comment on function telecom.customer_transfers(text) is E'The transfers of the wallet linked to a number, newest first, as its owner may see them: the direction (`sent` or `received`), the other number, the other person''s name masked to first name and last initial (the same disclosure as `transfer_recipient`), the amount and the currency. Reference `TRF-<transfer id>`, as in the receipts. A customer on their own numbers, an admin on any (42501 otherwise).';

grant execute on function telecom.customer_transfers(text) to telecom_customer, telecom_admin;
--! EndIncluded wallets/customer_transfers.sql

--! split: 30-admin.sql
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

--! Included reports/revenue_per_month.sql
-- Figure: revenue per month (issue 16). The materialized view is defined in the migration; this
-- file holds what it means and who reads it. Refreshed by telecom_private.refresh_admin_figures().
comment on materialized view telecom.revenue_per_month is E'@primaryKey month\nRevenue per calendar month: successful payments by their date_of_payment. Figures as of as_of (refreshed periodically).';
comment on column telecom.revenue_per_month.month is 'The first day of the month.';
comment on column telecom.revenue_per_month.revenue is 'Sum of the successful payments dated in the month (EGP).';
comment on column telecom.revenue_per_month.payment_count is 'Number of successful payments dated in the month.';
comment on column telecom.revenue_per_month.paying_accounts is 'Accounts with at least one successful payment dated in the month.';
comment on column telecom.revenue_per_month.arpu is 'Average revenue per paying account: revenue / paying_accounts (EGP).';
comment on column telecom.revenue_per_month.as_of is 'When these figures were computed.';

grant select on telecom.revenue_per_month to telecom_admin;
--! EndIncluded reports/revenue_per_month.sql
--! Included reports/usage_per_month.sql
-- Figure: usage per month by kind (issue 16). Defined in the migration; refreshed by
-- telecom_private.refresh_admin_figures().
comment on materialized view telecom.usage_per_month is E'@primaryKey month\nUsage drawn from plan allowances per calendar month (usage records by their start_date), by kind. Figures as of as_of (refreshed periodically).';
comment on column telecom.usage_per_month.month is 'The first day of the month.';
comment on column telecom.usage_per_month.data_mb is 'Mobile data used, in megabytes.';
comment on column telecom.usage_per_month.minutes is 'Call minutes used.';
comment on column telecom.usage_per_month.sms is 'Text messages sent.';
comment on column telecom.usage_per_month.accounts is 'Accounts with usage in the month.';
comment on column telecom.usage_per_month.as_of is 'When these figures were computed.';

grant select on telecom.usage_per_month to telecom_admin;
--! EndIncluded reports/usage_per_month.sql
--! Included reports/new_accounts_per_month.sql
-- Figure: new accounts per month (issue 16). Defined in the migration; refreshed by
-- telecom_private.refresh_admin_figures().
comment on materialized view telecom.new_accounts_per_month is E'@primaryKey month\nAccounts (numbers) opened per calendar month, by their start_date. Figures as of as_of (refreshed periodically).';
comment on column telecom.new_accounts_per_month.month is 'The first day of the month.';
comment on column telecom.new_accounts_per_month.new_accounts is 'Accounts whose start_date is in the month.';
comment on column telecom.new_accounts_per_month.as_of is 'When these figures were computed.';

grant select on telecom.new_accounts_per_month to telecom_admin;
--! EndIncluded reports/new_accounts_per_month.sql
--! Included reports/wallet_volume_per_month.sql
-- Figure: wallet volume per month (issue 16). Defined in the migration; refreshed by
-- telecom_private.refresh_admin_figures().
comment on materialized view telecom.wallet_volume_per_month is E'@primaryKey month\nMoney moved through wallets per calendar month: transfers by transfer_date and cashback credits by credit_date. Figures as of as_of (refreshed periodically).';
comment on column telecom.wallet_volume_per_month.month is 'The first day of the month.';
comment on column telecom.wallet_volume_per_month.transfer_count is 'Wallet-to-wallet transfers in the month.';
comment on column telecom.wallet_volume_per_month.transfer_amount is 'Sum of those transfers (in their wallets'' currency, EGP for almost all).';
comment on column telecom.wallet_volume_per_month.cashback_count is 'Cashback credits in the month.';
comment on column telecom.wallet_volume_per_month.cashback_amount is 'Sum of those cashback credits.';
comment on column telecom.wallet_volume_per_month.as_of is 'When these figures were computed.';

grant select on telecom.wallet_volume_per_month to telecom_admin;
--! EndIncluded reports/wallet_volume_per_month.sql
--! Included reports/open_tickets_by_priority.sql
-- Figure: open tickets by priority (issue 16). Defined in the migration; refreshed by
-- telecom_private.refresh_admin_figures().
comment on materialized view telecom.open_tickets_by_priority is E'@primaryKey priority_level\nSupport tickets not yet resolved, per priority (1 to 5). Figures as of as_of (refreshed periodically).';
comment on column telecom.open_tickets_by_priority.priority_level is 'The priority, 1 to 5.';
comment on column telecom.open_tickets_by_priority.open_tickets is 'Tickets with status open.';
comment on column telecom.open_tickets_by_priority.in_progress_tickets is 'Tickets with status in_progress.';
comment on column telecom.open_tickets_by_priority.as_of is 'When these figures were computed.';

grant select on telecom.open_tickets_by_priority to telecom_admin;
--! EndIncluded reports/open_tickets_by_priority.sql
--! Included reports/account_status_counts.sql
-- Figure: accounts by status, among them the accounts on hold (issue 16). Defined in the migration;
-- refreshed by telecom_private.refresh_admin_figures().
comment on materialized view telecom.account_status_counts is E'@primaryKey status\nAccounts per status (active, onhold). Figures as of as_of (refreshed periodically).';
comment on column telecom.account_status_counts.status is 'The account status.';
comment on column telecom.account_status_counts.accounts is 'Accounts with that status.';
comment on column telecom.account_status_counts.as_of is 'When these figures were computed.';

grant select on telecom.account_status_counts to telecom_admin;
--! EndIncluded reports/account_status_counts.sql
--! Included reports/refresh_admin_figures.sql
-- The admin figures' refresh (issue 16): every materialized view of the figures, concurrently, so
-- the dashboard keeps reading the previous figures meanwhile. Called by the server's maintenance
-- tick (SPEC §10) and by an admin who asks for fresh figures; returns the new "as of" time.
create or replace function telecom_private.refresh_admin_figures()
returns timestamptz
language plpgsql
volatile
security definer
set search_path to pg_catalog, public, pg_temp
as $$
begin
  refresh materialized view concurrently telecom.revenue_per_month;
  refresh materialized view concurrently telecom.usage_per_month;
  refresh materialized view concurrently telecom.new_accounts_per_month;
  refresh materialized view concurrently telecom.wallet_volume_per_month;
  refresh materialized view concurrently telecom.open_tickets_by_priority;
  refresh materialized view concurrently telecom.account_status_counts;
  refresh materialized view concurrently telecom.paying_subscribers_per_plan;
  refresh materialized view concurrently telecom.arpu;
  return now();
end;
$$;

comment on function telecom_private.refresh_admin_figures() is
  'Recomputes the admin figures (revenue_per_month, usage_per_month, new_accounts_per_month, wallet_volume_per_month, open_tickets_by_priority, account_status_counts, paying_subscribers_per_plan, arpu) and returns their new as_of time.';

revoke execute on function telecom_private.refresh_admin_figures() from public;

create or replace function telecom.refresh_admin_figures()
returns timestamptz
language plpgsql
volatile
security definer
set search_path to pg_catalog, public, pg_temp
as $$
begin
  if not telecom.current_role_is_admin() then
    raise exception 'Only an administrator may refresh the figures.' using errcode = '42501';
  end if;
  return telecom_private.refresh_admin_figures();
end;
$$;

comment on function telecom.refresh_admin_figures() is
  'Recomputes the business figures now (they are otherwise refreshed every few minutes) and returns their as_of time. Admins only.';

revoke execute on function telecom.refresh_admin_figures() from public;
grant execute on function telecom.refresh_admin_figures() to telecom_admin;
--! EndIncluded reports/refresh_admin_figures.sql

-- Reports: keys, sort orders and filters (smart tags), estimates and search.
--! Included reports/all_customer_accounts.sql
create or replace view telecom.all_customer_accounts
with (security_invoker = true)
as
select
  account.mobile_no,
  account.national_id,
  profile.first_name,
  profile.last_name,
  profile.email,
  profile.address,
  profile.date_of_birth,
  account.balance,
  account.account_type,
  account.start_date,
  account.status,
  account.points
from telecom.customer_account as account
inner join telecom.customer_profile as profile
  on profile.national_id = account.national_id
where account.status = 'active';

comment on view telecom.all_customer_accounts is E'@primaryKey mobile_no\nActive accounts with their customer''s profile.';

-- Sorted and filtered only by columns an index serves (issue 16); the others are tagged.
comment on column telecom.all_customer_accounts.first_name is E'@behavior -filterBy -orderBy\nFirst name of the account''s owner.';
comment on column telecom.all_customer_accounts.last_name is E'@behavior -filterBy -orderBy\nLast name of the account''s owner.';
comment on column telecom.all_customer_accounts.address is E'@behavior -filterBy -orderBy\nPostal address of the owner.';
comment on column telecom.all_customer_accounts.date_of_birth is E'@behavior -filterBy -orderBy\nDate of birth of the owner.';
comment on column telecom.all_customer_accounts.balance is E'@behavior -filterBy -orderBy\nAccount balance (EGP).';
comment on column telecom.all_customer_accounts.account_type is E'@behavior -filterBy -orderBy\npost_paid, prepaid or pay_as_you_go.';
comment on column telecom.all_customer_accounts.status is E'@behavior -filterBy -orderBy\nAlways active here.';
comment on column telecom.all_customer_accounts.points is E'@behavior -filterBy -orderBy\nLoyalty points.';

grant select on telecom.all_customer_accounts to telecom_admin;
--! EndIncluded reports/all_customer_accounts.sql
--! Included reports/all_service_plans.sql
create or replace view telecom.all_service_plans
with (security_invoker = true)
as
select
  plan.plan_id,
  plan.name,
  plan.price,
  plan.sms_offered,
  plan.minutes_offered,
  plan.data_offered,
  plan.description
from telecom.service_plan as plan;

comment on view telecom.all_service_plans is E'@primaryKey plan_id\nEvery service plan.';

-- Sorted and filtered only by columns an index serves (issue 16); the others are tagged.
comment on column telecom.all_service_plans.price is E'@behavior -filterBy -orderBy\nMonthly price (EGP).';
comment on column telecom.all_service_plans.sms_offered is E'@behavior -filterBy -orderBy\nText messages included per month.';
comment on column telecom.all_service_plans.minutes_offered is E'@behavior -filterBy -orderBy\nCall minutes included per month.';
comment on column telecom.all_service_plans.data_offered is E'@behavior -filterBy -orderBy\nMobile data included per month, in megabytes.';
comment on column telecom.all_service_plans.description is E'@behavior -filterBy -orderBy\nDescription.';

grant select on telecom.all_service_plans to telecom_admin;
--! EndIncluded reports/all_service_plans.sql
--! Included reports/account_payments.sql
create or replace view telecom.account_payments
with (security_invoker = true)
as
select
  payment.payment_id,
  payment.amount,
  payment.date_of_payment,
  payment.payment_method,
  payment.status,
  account.mobile_no,
  account.national_id,
  account.account_type,
  account.status as account_status
from telecom.payment as payment
inner join telecom.customer_account as account
  on account.mobile_no = payment.mobile_no;

comment on view telecom.account_payments is E'@primaryKey payment_id\nEvery payment with the account that made it.';

-- Sorted and filtered only by columns an index serves (issue 16); the others are tagged.
comment on column telecom.account_payments.amount is E'@behavior -filterBy -orderBy\nAmount paid (EGP).';
comment on column telecom.account_payments.payment_method is E'@behavior -filterBy -orderBy\ncash, credit or wallet.';
comment on column telecom.account_payments.status is E'@behavior -filterBy -orderBy\nStatus.';
comment on column telecom.account_payments.national_id is E'@behavior -orderBy\nNational id of the account''s owner.';
comment on column telecom.account_payments.account_type is E'@behavior -filterBy -orderBy\npost_paid, prepaid or pay_as_you_go.';
comment on column telecom.account_payments.account_status is E'@behavior -filterBy -orderBy\nStatus of the paying account.';

grant select on telecom.account_payments to telecom_admin;
--! EndIncluded reports/account_payments.sql
--! Included reports/all_shops.sql
create or replace view telecom.all_shops
with (security_invoker = true)
as
select
  shop.shop_id,
  shop.name,
  shop.category,
  case
    when physical_shop.shop_id is not null then 'physical'
    when e_shop.shop_id is not null then 'online'
  end as kind,
  physical_shop.address,
  physical_shop.working_hours,
  e_shop.url,
  e_shop.rating
from telecom.shop as shop
left join telecom.physical_shop as physical_shop
  on physical_shop.shop_id = shop.shop_id
left join telecom.e_shop as e_shop
  on e_shop.shop_id = shop.shop_id;

comment on view telecom.all_shops is E'@primaryKey shop_id\nEvery shop with its kind (physical or online; null while neither is recorded) and that kind''s details.';

-- Sorted and filtered only by columns an index serves (issue 16); the others are tagged.
comment on column telecom.all_shops.name is E'@behavior -filterBy -orderBy\nShop name.';
comment on column telecom.all_shops.category is E'@behavior -filterBy -orderBy\nShop category.';
comment on column telecom.all_shops.kind is E'@behavior -filterBy -orderBy\nphysical or online.';
comment on column telecom.all_shops.address is E'@behavior -filterBy -orderBy\nAddress of a physical shop.';
comment on column telecom.all_shops.working_hours is E'@behavior -filterBy -orderBy\nOpening hours of a physical shop.';
comment on column telecom.all_shops.url is E'@behavior -filterBy -orderBy\nWeb address of an online shop.';
comment on column telecom.all_shops.rating is E'@behavior -filterBy -orderBy\nRating of an online shop, 1 to 5.';

grant select on telecom.all_shops to telecom_admin;
--! EndIncluded reports/all_shops.sql
--! Included reports/all_resolved_tickets.sql
create or replace view telecom.all_resolved_tickets
with (security_invoker = true)
as
select
  ticket.ticket_id,
  ticket.mobile_no,
  ticket.issue_description,
  ticket.priority_level,
  ticket.status
from telecom.technical_support_ticket as ticket
where ticket.status = 'resolved';

comment on view telecom.all_resolved_tickets is E'@primaryKey ticket_id\nSupport tickets that are resolved.';

-- Sorted and filtered only by columns an index serves (issue 16); the others are tagged.
comment on column telecom.all_resolved_tickets.issue_description is E'@behavior -filterBy -orderBy\nWhat the customer reported.';
comment on column telecom.all_resolved_tickets.status is E'@behavior -filterBy -orderBy\nAlways resolved here.';

grant select on telecom.all_resolved_tickets to telecom_admin;
--! EndIncluded reports/all_resolved_tickets.sql
--! Included reports/customer_wallet.sql
create or replace view telecom.customer_wallet
with (security_invoker = true)
as
select
  wallet.wallet_id,
  wallet.national_id,
  wallet.mobile_no,
  wallet.current_balance,
  wallet.currency,
  wallet.last_modified_date,
  profile.first_name,
  profile.last_name
from telecom.wallet as wallet
inner join telecom.customer_profile as profile
  on profile.national_id = wallet.national_id;

comment on view telecom.customer_wallet is E'@primaryKey wallet_id\nEvery wallet with its owner''s first and last name.';

-- Sorted and filtered only by columns an index serves (issue 16); the others are tagged.
comment on column telecom.customer_wallet.currency is E'@behavior -filterBy -orderBy\nCurrency of the wallet.';
comment on column telecom.customer_wallet.last_modified_date is E'@behavior -filterBy -orderBy\nDay of the last change of the balance.';
comment on column telecom.customer_wallet.first_name is E'@behavior -filterBy -orderBy\nFirst name of the account''s owner.';
comment on column telecom.customer_wallet.last_name is E'@behavior -filterBy -orderBy\nLast name of the account''s owner.';

grant select on telecom.customer_wallet to telecom_admin;
--! EndIncluded reports/customer_wallet.sql
--! Included reports/num_of_cashback.sql
create or replace view telecom.num_of_cashback
with (security_invoker = true)
as
select
  cashback.wallet_id,
  count(*)::integer as cashback_count
from telecom.cashback as cashback
group by cashback.wallet_id;

comment on view telecom.num_of_cashback is E'@primaryKey wallet_id\nHow many cashback credits each wallet received (wallets without any are not listed).';

-- Sorted and filtered only by columns an index serves (issue 16); the others are tagged.
comment on column telecom.num_of_cashback.cashback_count is E'@behavior -filterBy -orderBy\nNumber of cashback credits.';

grant select on telecom.num_of_cashback to telecom_admin;
--! EndIncluded reports/num_of_cashback.sql
--! Included reports/estimated_row_count.sql
-- "rows 1–50 of about N" (issue 16): the planner's estimate of a report's rows, never a count, so it
-- costs the same at a million customers as at twenty. Only the admin reports of SPEC §4.1 and the
-- tables behind the admin lists may be named. Volatile only because PostgreSQL allows EXPLAIN in no
-- other function; it reads and writes nothing, so GraphQL has it as a query.
create or replace function telecom.estimated_row_count(relation_name text)
returns bigint
language plpgsql
volatile
strict
as $$
declare
  v_plan json;
begin
  if estimated_row_count.relation_name not in (
    'all_customer_accounts', 'all_service_plans', 'all_benefits', 'account_payments', 'all_shops',
    'all_resolved_tickets', 'customer_wallet', 'e_shop_vouchers', 'physical_store_vouchers', 'num_of_cashback',
    'customer_account', 'customer_profile', 'payment', 'voucher', 'service_plan', 'technical_support_ticket'
  ) then
    raise exception 'There is no estimate for %.', estimated_row_count.relation_name using errcode = 'TC604';
  end if;
  execute format('explain (format json) select from telecom.%I', estimated_row_count.relation_name) into v_plan;
  return round((v_plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric)::bigint;
end;
$$;

comment on function telecom.estimated_row_count(text) is
  E'@behavior +queryField -mutationField\nAbout how many rows a report (for example account_payments) has: PostgreSQL''s estimate from its statistics, not a count. Shown as "about N".';

grant execute on function telecom.estimated_row_count(text) to telecom_admin;
--! EndIncluded reports/estimated_row_count.sql
--! Included reports/search_customers.sql
-- Customer 360 (issue 16): find a person by number, national id, e-mail or part of their name.
-- Every branch is an index condition: the account's key, the profile's key, the e-mail's unique
-- index (citext), and the trigram index on "first_name last_name" (customer_profile_full_name_trgm_idx,
-- pg_trgm) for three characters or more of a name.
create or replace function telecom.search_customers(query text)
returns setof telecom.customer_profile
language sql
stable
strict
as $$
  with needle as (
    select btrim(search_customers.query) as text
  ),
  matches as (
    select account.national_id
    from telecom.customer_account as account, needle
    where needle.text ~ '^[0-9]{11}$'
      and account.mobile_no = needle.text
    union
    select profile.national_id
    from telecom.customer_profile as profile, needle
    where needle.text ~ '^[0-9]{1,9}$'
      and profile.national_id = needle.text::integer
    union
    select profile.national_id
    from telecom.customer_profile as profile, needle
    where needle.text like '%@%'
      and profile.email = needle.text::public.citext
    union
    select profile.national_id
    from telecom.customer_profile as profile, needle
    where length(needle.text) >= 3
      and needle.text !~ '^[0-9]+$'
      and (profile.first_name || ' ' || profile.last_name) ilike '%' || replace(replace(replace(needle.text, '\', '\\'), '%', '\%'), '_', '\_') || '%'
  )
  select profile.*
  from telecom.customer_profile as profile
  where profile.national_id in (select matches.national_id from matches)
$$;

comment on function telecom.search_customers(text) is
  'Customers whose mobile number (11 digits) or national id (digits) is exactly the query, whose e-mail is the query (any case), or whose "first last" name contains it (3 characters or more, any case). Page with first/after.';

grant execute on function telecom.search_customers(text) to telecom_admin;
--! EndIncluded reports/search_customers.sql

-- Management: what may be deleted, and what refuses with a sentence (TC6xx).
--! Included plans/tg_service_plan__delete_unused.sql
-- A plan may be deleted only while nobody has subscribed to it and no payment or usage names it
-- (issue 16); its benefit links go with it. The refusal is a sentence for the admin's form.
create or replace function telecom_private.tg_service_plan__delete_unused()
returns trigger
language plpgsql
volatile
as $$
begin
  if exists (select from telecom.subscription as subscription where subscription.plan_id = old.plan_id) then
    raise exception 'The plan "%" has subscribers: it can be deleted only while nobody has subscribed to it.', old.name
      using errcode = 'TC601';
  end if;
  if exists (select from telecom.process_payment as process where process.plan_id = old.plan_id)
    or exists (select from telecom.plan_usage as usage where usage.plan_id = old.plan_id) then
    raise exception 'The plan "%" has payments or usage on record: it stays as history.', old.name
      using errcode = 'TC602';
  end if;
  delete from telecom.plan_provides_benefits as link where link.plan_id = old.plan_id;
  return old;
end;
$$;

create or replace trigger _100_delete_unused
  before delete on telecom.service_plan
  for each row execute function telecom_private.tg_service_plan__delete_unused();
--! EndIncluded plans/tg_service_plan__delete_unused.sql
--! Included vouchers/tg_shop__delete_unused.sql
-- A shop may be deleted only while it offers no voucher (issue 16): vouchers are the customers'
-- points, and redeemed ones are money history. Its kind (physical or online) goes with it.
create or replace function telecom_private.tg_shop__delete_unused()
returns trigger
language plpgsql
volatile
as $$
begin
  if exists (select from telecom.voucher as voucher where voucher.shop_id = old.shop_id) then
    raise exception 'The shop "%" offers vouchers: delete its unredeemed vouchers first (redeemed ones stay as history).', old.name
      using errcode = 'TC603';
  end if;
  return old;
end;
$$;

create or replace trigger _100_delete_unused
  before delete on telecom.shop
  for each row execute function telecom_private.tg_shop__delete_unused();
--! EndIncluded vouchers/tg_shop__delete_unused.sql

--! split: 31-admin-figures.sql
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

--! Included reports/paying_subscribers_per_plan.sql
-- Figure: paying subscribers per plan (issue 16). Defined in the migration; refreshed by
-- telecom_private.refresh_admin_figures(). "Paying" is SPEC §11's "paid": the subscription is active
-- and covers today (current_date < paid_until); status active alone is not enough.
comment on materialized view telecom.paying_subscribers_per_plan is E'@primaryKey plan_id\nPaying subscribers per plan: subscriptions that cover the day of the refresh (status active and that day before paid_until, SPEC §11). Every plan, with 0 when nobody pays for it. Figures as of as_of (refreshed periodically).';
comment on column telecom.paying_subscribers_per_plan.plan_id is 'The plan.';
comment on column telecom.paying_subscribers_per_plan.name is E'@behavior -filterBy -orderBy\nThe plan''s name.';
comment on column telecom.paying_subscribers_per_plan.price is E'@behavior -filterBy -orderBy\nThe plan''s monthly price (EGP).';
comment on column telecom.paying_subscribers_per_plan.paying_subscribers is E'@behavior -filterBy -orderBy\nSubscriptions to the plan that are active and paid for the day (current_date < paid_until).';
comment on column telecom.paying_subscribers_per_plan.as_of is E'@behavior -filterBy -orderBy\nWhen these figures were computed.';

grant select on telecom.paying_subscribers_per_plan to telecom_admin;
--! EndIncluded reports/paying_subscribers_per_plan.sql
--! Included reports/arpu.sql
-- Figure: ARPU (issue 16), one row. Defined in the migration; refreshed by
-- telecom_private.refresh_admin_figures().
comment on materialized view telecom.arpu is E'@primaryKey as_of_date\nAverage revenue per paying subscriber: the successful payments dated in the 30 days up to the refresh (plans and balance recharges), over the accounts with at least one paid subscription that day (SPEC §11). Figures as of as_of (refreshed periodically).';
comment on column telecom.arpu.as_of_date is 'The day the figure is for (the last day of the 30).';
comment on column telecom.arpu.revenue is 'Sum of the successful payments dated in the 30 days up to as_of_date (EGP).';
comment on column telecom.arpu.paying_subscribers is 'Accounts with at least one subscription that is active and paid for as_of_date (as_of_date < paid_until).';
comment on column telecom.arpu.arpu is 'revenue / paying_subscribers (EGP); null while nobody pays.';
comment on column telecom.arpu.as_of is 'When the figure was computed.';

grant select on telecom.arpu to telecom_admin;
--! EndIncluded reports/arpu.sql
--! Included reports/refresh_admin_figures.sql
-- The admin figures' refresh (issue 16): every materialized view of the figures, concurrently, so
-- the dashboard keeps reading the previous figures meanwhile. Called by the server's maintenance
-- tick (SPEC §10) and by an admin who asks for fresh figures; returns the new "as of" time.
create or replace function telecom_private.refresh_admin_figures()
returns timestamptz
language plpgsql
volatile
security definer
set search_path to pg_catalog, public, pg_temp
as $$
begin
  refresh materialized view concurrently telecom.revenue_per_month;
  refresh materialized view concurrently telecom.usage_per_month;
  refresh materialized view concurrently telecom.new_accounts_per_month;
  refresh materialized view concurrently telecom.wallet_volume_per_month;
  refresh materialized view concurrently telecom.open_tickets_by_priority;
  refresh materialized view concurrently telecom.account_status_counts;
  refresh materialized view concurrently telecom.paying_subscribers_per_plan;
  refresh materialized view concurrently telecom.arpu;
  return now();
end;
$$;

comment on function telecom_private.refresh_admin_figures() is
  'Recomputes the admin figures (revenue_per_month, usage_per_month, new_accounts_per_month, wallet_volume_per_month, open_tickets_by_priority, account_status_counts, paying_subscribers_per_plan, arpu) and returns their new as_of time.';

revoke execute on function telecom_private.refresh_admin_figures() from public;

create or replace function telecom.refresh_admin_figures()
returns timestamptz
language plpgsql
volatile
security definer
set search_path to pg_catalog, public, pg_temp
as $$
begin
  if not telecom.current_role_is_admin() then
    raise exception 'Only an administrator may refresh the figures.' using errcode = '42501';
  end if;
  return telecom_private.refresh_admin_figures();
end;
$$;

comment on function telecom.refresh_admin_figures() is
  'Recomputes the business figures now (they are otherwise refreshed every few minutes) and returns their as_of time. Admins only.';

revoke execute on function telecom.refresh_admin_figures() from public;
grant execute on function telecom.refresh_admin_figures() to telecom_admin;
--! EndIncluded reports/refresh_admin_figures.sql

-- Reports: keys, sort orders and filters (smart tags).
--! Included reports/all_benefits.sql
create or replace view telecom.all_benefits
with (security_invoker = true)
as
select
  benefit.benefit_id,
  benefit.description,
  benefit.validity_date,
  benefit.status,
  benefit.mobile_no
from telecom.benefit as benefit
where benefit.status = 'active'
  and benefit.validity_date >= current_date;

comment on view telecom.all_benefits is E'@primaryKey benefit_id\nBenefits that count: active and valid today or later.';

-- Sorted and filtered only by columns an index serves (issue 16): benefit_id (the key) and mobile_no.
comment on column telecom.all_benefits.description is E'@behavior -filterBy -orderBy\nWhat the benefit gives.';
comment on column telecom.all_benefits.validity_date is E'@behavior -filterBy -orderBy\nThe last day it is valid.';
comment on column telecom.all_benefits.status is E'@behavior -filterBy -orderBy\nactive (the view shows no other).';
comment on column telecom.all_benefits.mobile_no is 'The account the benefit belongs to.';

grant select on telecom.all_benefits to telecom_admin;
--! EndIncluded reports/all_benefits.sql
--! Included reports/e_shop_vouchers.sql
create or replace view telecom.e_shop_vouchers
with (security_invoker = true)
as
select
  shop.shop_id,
  shop.name,
  e_shop.url,
  voucher.voucher_id,
  voucher.value,
  voucher.mobile_no,
  voucher.redeem_date
from telecom.e_shop as e_shop
inner join telecom.shop as shop
  on shop.shop_id = e_shop.shop_id
inner join telecom.voucher as voucher
  on voucher.shop_id = e_shop.shop_id;

comment on view telecom.e_shop_vouchers is E'@primaryKey voucher_id\nOnline shops with every voucher they offer and its redemption (mobile_no and redeem_date, null while unredeemed).';

comment on column telecom.e_shop_vouchers.mobile_no is 'The account that redeemed the voucher; null while unredeemed.';
comment on column telecom.e_shop_vouchers.redeem_date is E'@behavior -filterBy -orderBy\nThe day it was redeemed; null while unredeemed.';

-- Sorted and filtered only by columns an index serves (issue 16): voucher_id (the key), shop_id and mobile_no.
comment on column telecom.e_shop_vouchers.name is E'@behavior -filterBy -orderBy\nShop name.';
comment on column telecom.e_shop_vouchers.url is E'@behavior -filterBy -orderBy\nWeb address of the online shop.';
comment on column telecom.e_shop_vouchers.value is E'@behavior -filterBy -orderBy\nThe voucher''s value (EGP).';

grant select on telecom.e_shop_vouchers to telecom_admin;
--! EndIncluded reports/e_shop_vouchers.sql
--! Included reports/physical_store_vouchers.sql
create or replace view telecom.physical_store_vouchers
with (security_invoker = true)
as
select
  shop.shop_id,
  shop.name,
  physical_shop.address,
  voucher.voucher_id,
  voucher.value,
  voucher.mobile_no,
  voucher.redeem_date
from telecom.physical_shop as physical_shop
inner join telecom.shop as shop
  on shop.shop_id = physical_shop.shop_id
inner join telecom.voucher as voucher
  on voucher.shop_id = physical_shop.shop_id;

comment on view telecom.physical_store_vouchers is E'@primaryKey voucher_id\nPhysical shops with every voucher they offer and its redemption (mobile_no and redeem_date, null while unredeemed).';

comment on column telecom.physical_store_vouchers.mobile_no is 'The account that redeemed the voucher; null while unredeemed.';
comment on column telecom.physical_store_vouchers.redeem_date is E'@behavior -filterBy -orderBy\nThe day it was redeemed; null while unredeemed.';

-- Sorted and filtered only by columns an index serves (issue 16): voucher_id (the key), shop_id and mobile_no.
comment on column telecom.physical_store_vouchers.name is E'@behavior -filterBy -orderBy\nShop name.';
comment on column telecom.physical_store_vouchers.address is E'@behavior -filterBy -orderBy\nAddress of the physical shop.';
comment on column telecom.physical_store_vouchers.value is E'@behavior -filterBy -orderBy\nThe voucher''s value (EGP).';

grant select on telecom.physical_store_vouchers to telecom_admin;
--! EndIncluded reports/physical_store_vouchers.sql

--! split: 40-card-payments.sql
-- Card payments settled by a processor (issue 13, SPEC §10): settle_payment, the stale-payment
-- rejection and the server's maintenance tick, and the log of card refunds due.

-- Pending payments by age, for reject_stale_payments (a few pending among millions settled).
create index if not exists payment_pending_initiated_at_idx on telecom.payment (initiated_at) where status = 'pending';

-- A successful report the system refused (the payment was already rejected: declined, or stale):
-- the processor took the customer's money, so it is owed back.
create table if not exists telecom.card_refund (
  payment_id integer primary key references telecom.payment (payment_id) on delete restrict,
  provider_reference text not null,
  amount numeric(12,2) not null check (amount > 0),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  reported_at timestamptz not null default now(),
  refunded_at timestamptz
);
alter table telecom.card_refund enable row level security;

--! Included payments/card_refund.sql
-- Table telecom.card_refund: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in migrations (sql/schema.sql shows them).

drop policy if exists select_admin on telecom.card_refund;
create policy select_admin on telecom.card_refund for select to telecom_admin using ((select telecom.current_role_is_admin()));

drop policy if exists update_admin on telecom.card_refund;
create policy update_admin on telecom.card_refund for update to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.card_refund from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
grant select, update (refunded_at) on telecom.card_refund to telecom_admin;

comment on table telecom.card_refund is 'Card payments to refund: the card processor reported them successful after they had been rejected (declined, or pending too long and rejected as stale), so the customer''s money was taken but never applied. An admin refunds it through the processor and sets refunded_at.';
comment on column telecom.card_refund.payment_id is 'The rejected payment.';
comment on column telecom.card_refund.provider_reference is 'The card processor''s id of the payment, to quote when refunding.';
comment on column telecom.card_refund.amount is 'The amount to refund.';
comment on column telecom.card_refund.currency is 'The currency of the amount.';
comment on column telecom.card_refund.reported_at is 'When the late successful report arrived.';
comment on column telecom.card_refund.refunded_at is 'When an admin refunded it; null while it is owed.';
--! EndIncluded payments/card_refund.sql
--! Included payments/settle_payment.sql
-- The card processor's report of a card payment (SPEC §10): a pending payment becomes successful or
-- rejected, once. Its effects (balance, plan renewal with paid_until, the extra to the balance,
-- cashback eligibility) happen when it becomes successful, through apply_successful_payment. The
-- provider_reference is the report's own idempotency key: a second report with the same outcome
-- returns the payment unchanged, one with the other outcome is refused (TC321, TC322). Locks: the
-- account, then the payment, for no key update; the status is checked again under the lock, so a
-- report racing another report or reject_stale_payments settles the payment once.
create or replace function telecom.settle_payment(provider_reference text, outcome telecom.payment_status) returns telecom.payment
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_payment telecom.payment;
begin
  if telecom_private.caller_role() <> 'telecom_payment_processor' and not telecom.current_role_is_admin() then
    raise exception 'Only the card processor or an admin can settle a payment.' using errcode = '42501';
  end if;
  if settle_payment.outcome is null or settle_payment.outcome = 'pending' then
    raise exception 'A payment is settled as successful or rejected.' using errcode = 'TC323';
  end if;
  select *
  into v_payment
  from telecom.payment as payment
  where payment.provider_reference = settle_payment.provider_reference;
  if not found then
    raise exception 'There is no card payment with the reference %.', settle_payment.provider_reference using errcode = 'TC320';
  end if;
  if v_payment.status = 'pending' then
    perform telecom_private.begin_money_operation(
      'settle_payment',
      null,
      jsonb_build_object('provider_reference', settle_payment.provider_reference, 'outcome', settle_payment.outcome)
    );
    perform
    from telecom.customer_account as account
    where account.mobile_no = v_payment.mobile_no
    for no key update;
    select *
    into v_payment
    from telecom.payment as payment
    where payment.payment_id = v_payment.payment_id
    for no key update;
    if v_payment.status = 'pending' then
      update telecom.payment as payment
      set status = settle_payment.outcome
      where payment.payment_id = v_payment.payment_id
      returning * into v_payment;
      if v_payment.status = 'successful' then
        perform telecom_private.apply_successful_payment(v_payment);
      end if;
    end if;
    perform telecom_private.finish_money_operation(to_jsonb(v_payment));
  end if;
  if v_payment.status = settle_payment.outcome then
    return v_payment;
  end if;
  if v_payment.status = 'successful' then
    raise exception 'The payment % was already successful: it cannot be rejected now.', v_payment.provider_reference using errcode = 'TC321';
  end if;
  raise exception 'The payment % was already rejected (declined, or pending too long): a successful report now is refused and the amount must be refunded.', v_payment.provider_reference using errcode = 'TC322';
end;
$$;

comment on function telecom.settle_payment(text, telecom.payment_status) is 'The card processor''s report of a card payment: the pending payment with that provider_reference becomes successful (its effects applied once) or rejected. A repeat with the same outcome returns the payment unchanged; the other outcome is refused (TC321, TC322). For the card processor and admins.';

grant execute on function telecom.settle_payment(text, telecom.payment_status) to telecom_payment_processor, telecom_admin;
--! EndIncluded payments/settle_payment.sql
--! Included payments/record_card_refund.sql
-- Logs a card payment to refund (SPEC §10): the processor reported it successful after it was
-- rejected, and settle_payment refused that report (TC322, which rolls back whatever its transaction
-- wrote), so the webhook records it in a transaction of its own. Only a rejected card payment can be
-- owed; a repeat returns the first entry.
create or replace function telecom.record_card_refund(provider_reference text) returns telecom.card_refund
  language plpgsql
  volatile
  strict
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_payment telecom.payment;
  v_refund telecom.card_refund;
begin
  if telecom_private.caller_role() <> 'telecom_payment_processor' and not telecom.current_role_is_admin() then
    raise exception 'Only the card processor or an admin can log a refund.' using errcode = '42501';
  end if;
  select *
  into v_payment
  from telecom.payment as payment
  where payment.provider_reference = record_card_refund.provider_reference;
  if not found then
    raise exception 'There is no card payment with the reference %.', record_card_refund.provider_reference using errcode = 'TC320';
  end if;
  if v_payment.status <> 'rejected' then
    raise exception 'Only a rejected payment can be owed back.' using errcode = 'TC324';
  end if;
  insert into telecom.card_refund (payment_id, provider_reference, amount, currency)
  values (v_payment.payment_id, v_payment.provider_reference, v_payment.amount, v_payment.currency)
  on conflict (payment_id) do nothing;
  select *
  into v_refund
  from telecom.card_refund as refund
  where refund.payment_id = v_payment.payment_id;
  return v_refund;
end;
$$;

comment on function telecom.record_card_refund(text) is E'@behavior -queryField -mutationField -typeField\nLogs a rejected card payment that the card processor reported successful after all: the amount is owed back to the customer (table card_refund). A repeat returns the first entry. For the card processor and admins.';

grant execute on function telecom.record_card_refund(text) to telecom_payment_processor, telecom_admin;
--! EndIncluded payments/record_card_refund.sql
--! Included payments/reject_stale_payments.sql
-- Card payments the processor never reported (SPEC §10): pending longer than older_than (by
-- initiated_at) they are rejected, with no effect; a later successful report is refused and logged
-- for a refund (settle_payment, record_card_refund). Runs from the server's maintenance tick.
-- A payment being settled right now is locked by its report and skipped (skip locked): the report
-- wins, and if it does not settle the payment the next tick rejects it.
create or replace function telecom.reject_stale_payments(older_than interval default '30 minutes') returns integer
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_rejected integer;
begin
  if telecom_private.caller_role() <> 'telecom_payment_processor' and not telecom.current_role_is_admin() then
    raise exception 'Only the card processor or an admin can reject stale payments.' using errcode = '42501';
  end if;
  if reject_stale_payments.older_than is null or reject_stale_payments.older_than < interval '0' then
    raise exception 'Give the age of a stale payment (an interval of zero or more).' using errcode = 'TC325';
  end if;
  with stale as (
    select payment.payment_id
    from telecom.payment as payment
    where payment.status = 'pending'
      and payment.initiated_at < now() - reject_stale_payments.older_than
    order by payment.payment_id
    for no key update skip locked
  )
  update telecom.payment as payment
  set status = 'rejected'
  from stale
  where payment.payment_id = stale.payment_id
    and payment.status = 'pending';
  get diagnostics v_rejected = row_count;
  return v_rejected;
end;
$$;

comment on function telecom.reject_stale_payments(interval) is 'Rejects the card payments still pending older_than after they were initiated (default 30 minutes), with no effect, and returns how many. A later successful report for one of them is refused and logged for a refund. For the card processor and admins; the server''s maintenance tick runs it every minute.';

grant execute on function telecom.reject_stale_payments(interval) to telecom_payment_processor, telecom_admin;
--! EndIncluded payments/reject_stale_payments.sql
-- The tick also refreshes the admin figures (issue 16) now: one tick, no other timer.
drop function if exists telecom.maintenance_tick(interval);
--! Included journal/maintenance_tick.sql
-- The server's one maintenance tick (SPEC §10): every minute the API server calls this function on
-- its owner connection (a trusted session), and it runs the scheduled work in one place. There is
-- no pg_cron and no other timer. Add each new job here with its own key in the result (usage
-- partitions, ...). Arguments are for tests and operators; the defaults are the product's.
--   stale_payments_rejected: card payments pending longer than stale_payment_age, rejected.
--   admin_figures_refreshed: 1 when the admin figures (issue 16) were older than figures_age and were
--     recomputed (telecom_private.refresh_admin_figures()), else 0. The figures are refreshed together,
--     so the newest as_of of any of them is the time of the last refresh.
--   usage_partitions: what telecom_private.ensure_usage_partitions() did (this and next month's
--     partitions always exist; months older than four full months are detached).
--   login_failures_purged: failed logins older than 24 hours, forgotten.
create or replace function telecom.maintenance_tick(
  stale_payment_age interval default '30 minutes',
  figures_age interval default '5 minutes'
) returns jsonb
  language plpgsql
  volatile
as $$
declare
  v_figures_as_of timestamptz;
  v_figures_refreshed integer := 0;
begin
  if not telecom_private.session_is_trusted() then
    raise exception 'Only the server''s own database session runs the maintenance tick.' using errcode = '42501';
  end if;
  select greatest(
    (select max(as_of) from telecom.revenue_per_month),
    (select max(as_of) from telecom.usage_per_month),
    (select max(as_of) from telecom.new_accounts_per_month),
    (select max(as_of) from telecom.wallet_volume_per_month),
    (select max(as_of) from telecom.open_tickets_by_priority),
    (select max(as_of) from telecom.account_status_counts)
  ) into v_figures_as_of;
  if v_figures_as_of is null or v_figures_as_of <= now() - maintenance_tick.figures_age then
    perform telecom_private.refresh_admin_figures();
    v_figures_refreshed := 1;
  end if;
  return jsonb_build_object(
    'stale_payments_rejected', telecom.reject_stale_payments(maintenance_tick.stale_payment_age),
    'admin_figures_refreshed', v_figures_refreshed,
    'usage_partitions', to_jsonb(telecom_private.ensure_usage_partitions()),
    'login_failures_purged', telecom_private.purge_login_failures()
  );
end;
$$;

comment on function telecom.maintenance_tick(interval, interval) is E'@behavior -queryField -mutationField -typeField\nThe scheduled work the API server runs every minute as the database owner: rejects stale card payments, refreshes the admin figures when they are older than figures_age, keeps the usage partitions ahead and forgets old failed logins. Returns what each job did.';

revoke all on function telecom.maintenance_tick(interval, interval) from public;
--! EndIncluded journal/maintenance_tick.sql

--! split: 50-online-access.sql
-- Issue 14, the SQL side: throttled logins (SPEC §12), online access by a code sent by SMS (§5),
-- no enumeration through refusals, transfer_recipient. Table changes first (re-runnable), then the
-- rules from migrations/fixtures.

-- Failures are keyed by (login, client address); logins and addresses have sane lengths.
alter table telecom_private.login_failure add column if not exists client_address text not null default '';
alter table telecom_private.login_failure drop constraint if exists login_failure_login_check;
alter table telecom_private.login_failure add constraint login_failure_login_check check (char_length(login) between 1 and 80);
alter table telecom_private.login_failure drop constraint if exists login_failure_client_address_check;
alter table telecom_private.login_failure add constraint login_failure_client_address_check check (char_length(client_address) <= 64);
drop index if exists telecom_private.login_failure_login_idx;
create index if not exists login_failure_login_client_address_idx on telecom_private.login_failure (login, client_address, failed_at);
create index if not exists login_failure_client_address_idx on telecom_private.login_failure (client_address, failed_at);

create table if not exists telecom_private.verification_code (
  code_id bigint generated always as identity primary key,
  mobile_no text not null references telecom.customer_account (mobile_no) on delete cascade,
  purpose text not null check (purpose in ('register', 'reset')),
  code_hash text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  attempts integer not null default 0 check (attempts between 0 and 5),
  used_at timestamptz
);
alter table telecom_private.verification_code enable row level security;
create index if not exists verification_code_mobile_no_idx on telecom_private.verification_code (mobile_no, created_at);

create table if not exists telecom_private.sms_outbox (
  sms_id bigint generated always as identity primary key,
  mobile_no text not null check (mobile_no ~ '^[0-9]{11}$'),
  body text not null check (char_length(body) between 1 and 480),
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
alter table telecom_private.sms_outbox enable row level security;
create index if not exists sms_outbox_unsent_idx on telecom_private.sms_outbox (sms_id) where sent_at is null;

create table if not exists telecom_private.recipient_lookup (
  national_id integer not null references telecom.customer_profile (national_id) on delete cascade,
  looked_up_at timestamptz not null default now()
);
alter table telecom_private.recipient_lookup enable row level security;
create index if not exists recipient_lookup_national_id_idx on telecom_private.recipient_lookup (national_id, looked_up_at);

drop type if exists telecom.wallet_recipient cascade;
create type telecom.wallet_recipient as (
  display_name text,
  currency text
);
comment on type telecom.wallet_recipient is 'Who a transfer would reach: a display name (first name and last initial) and the wallet''s currency.';

-- Anyone could claim any number with the old registration: online access now needs the number's code.
drop function if exists telecom.register_customer(integer, text, text, text, date, text, text);

--! Included identity/client_address.sql
-- The client address of the request (SPEC §12): the API server sets telecom.client_address from
-- req.ip (behind TRUST_PROXY) in every request's settings. The one place SQL reads it; a session
-- without it (psql, a script) is the address ''.
create or replace function telecom_private.client_address() returns text
  language sql
  stable
as $$
  select left(coalesce(current_setting('telecom.client_address', true), ''), 64)
$$;

comment on function telecom_private.client_address() is 'The client address of the request (the setting telecom.client_address, at most 64 characters), the key of the throttles; '''' when none is set.';
--! EndIncluded identity/client_address.sql
--! Included identity/password_hash_cost.sql
-- The bcrypt cost of every password hash (SPEC §12: at least 10), and of the dummy hash that an
-- unknown login is checked against, so that unknown and known logins take the same time.
create or replace function telecom_private.password_hash_cost() returns integer
  language sql
  immutable
as $$
  select 10
$$;

comment on function telecom_private.password_hash_cost() is 'The bcrypt cost of every stored password hash and of the dummy hash (SPEC §12: at least 10).';
--! EndIncluded identity/password_hash_cost.sql
--! Included identity/dummy_password_hash.sql
-- What a login without a stored hash is checked against: a bcrypt hash at the same cost as the
-- real ones, which no password matches in practice (checking it is what takes the time).
create or replace function telecom_private.dummy_password_hash() returns text
  language sql
  immutable
as $$
  select '$2a$' || lpad(telecom_private.password_hash_cost()::text, 2, '0') || '$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy'
$$;

comment on function telecom_private.dummy_password_hash() is 'A bcrypt hash at telecom_private.password_hash_cost(), checked when a login has no password hash, so that unknown logins cost the same as known ones.';
--! EndIncluded identity/dummy_password_hash.sql
--! Included identity/assert_password_length.sql
-- bcrypt reads at most 72 bytes: a longer password is refused, never truncated (SPEC §12).
create or replace function telecom_private.assert_password_length(p_password text) returns void
  language plpgsql
  immutable
as $$
begin
  if octet_length(coalesce(p_password, '')) > 72 then
    raise exception 'A password has at most 72 bytes (72 letters without accents, fewer with them).' using errcode = 'TC221';
  end if;
end;
$$;

comment on function telecom_private.assert_password_length(text) is 'Refuses a password longer than 72 bytes (TC221): bcrypt would ignore the rest.';
--! EndIncluded identity/assert_password_length.sql
--! Included identity/hash_password.sql
-- Every new password goes through here: at least 8 characters, at most 72 bytes (bcrypt ignores the
-- rest, so a longer one is refused rather than silently cut), bcrypt at password_hash_cost().
create or replace function telecom_private.hash_password(p_password text) returns text
  language plpgsql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  perform telecom_private.assert_password_length(p_password);
  if char_length(coalesce(p_password, '')) < 8 then
    raise exception 'The password must have at least 8 characters.' using errcode = 'TC212';
  end if;
  return public.crypt(p_password, public.gen_salt('bf', telecom_private.password_hash_cost()));
end;
$$;

comment on function telecom_private.hash_password(text) is 'The bcrypt hash of a new password (cost telecom_private.password_hash_cost()); refuses one shorter than 8 characters (TC212) or longer than 72 bytes (TC221).';
--! EndIncluded identity/hash_password.sql
--! Included identity/login_failure.sql
-- Table telecom_private.login_failure: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations and migrations/current/50-online-access.sql.

comment on table telecom_private.login_failure is 'Failed attempts (wrong passwords, wrong codes) and code requests, the input of the throttle of SPEC §12 (login_retry_after); forgotten after 24 hours.';
comment on column telecom_private.login_failure.login is 'What was tried: a mobile number, ''admin:'' and a username, ''code:'' and a number (a wrong code), ''sms:'' and a number (a code asked for).';
comment on column telecom_private.login_failure.failed_at is 'When the attempt failed.';
comment on column telecom_private.login_failure.client_address is 'The client address it came from (telecom.client_address); '''' for a session without one.';
--! EndIncluded identity/login_failure.sql
--! Included identity/purge_login_failures.sql
-- Failures older than the longest window (24 hours) no longer count: forget them.
create or replace function telecom_private.purge_login_failures() returns integer
  language sql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
  with purged as (
    delete from telecom_private.login_failure as failure
    where failure.failed_at < now() - interval '24 hours'
    returning 1
  )
  select count(*)::integer from purged
$$;

comment on function telecom_private.purge_login_failures() is 'Deletes failed attempts older than 24 hours (no throttle reads them); returns how many. Called now and then by record_login_failure.';
--! EndIncluded identity/purge_login_failures.sql
--! Included identity/login_retry_after.sql
-- The throttle of logins and codes (SPEC §12), as seconds to wait (0: go ahead). Two keys:
-- - (login, client address): after 3 failures in 24 hours, each further attempt waits 1 s after the
--   last failure, doubling with every failure up to 15 minutes;
-- - the client address alone: 100 failures an hour, whatever the logins.
-- A login alone never locks: failures from other addresses do not count, so nobody can lock another
-- person out. Nothing waits here: the caller refuses the attempt and says how long to wait.
create or replace function telecom_private.login_retry_after(p_login text) returns integer
  language sql
  stable
  set search_path to pg_catalog, public, pg_temp
as $$
  with
    mine as (
      select
        count(*) as failures,
        max(failure.failed_at) as last_failed_at
      from telecom_private.login_failure as failure
      where failure.login = p_login
        and failure.client_address = telecom_private.client_address()
        and failure.failed_at > now() - interval '24 hours'
    ),
    address_budget as (
      -- The 100th latest failure of the address in the hour: the budget opens again when it ages out.
      select failure.failed_at as hundredth_failed_at
      from telecom_private.login_failure as failure
      where failure.client_address = telecom_private.client_address()
        and failure.failed_at > now() - interval '1 hour'
      order by failure.failed_at desc
      offset 99
      limit 1
    )
  select greatest(
    0,
    (
      select ceil(extract(epoch from mine.last_failed_at + make_interval(secs => least(900, power(2, mine.failures - 3))) - now()))::integer
      from mine
      where mine.failures >= 3
    ),
    (
      select ceil(extract(epoch from address_budget.hundredth_failed_at + interval '1 hour' - now()))::integer
      from address_budget
    )
  )
$$;

comment on function telecom_private.login_retry_after(text) is 'Seconds the caller''s client address must wait before the next attempt on this login (0: none): after 3 failures of the pair, 1 s doubling per failure up to 15 minutes; after 100 failures of the address in an hour, until the hour has room.';
--! EndIncluded identity/login_retry_after.sql
--! Included identity/assert_login_allowed.sql
-- Refuses an attempt that the throttle says must wait, with the wait in the hint (retry-after=N);
-- the API server turns it into an HTTP Retry-After header and extensions.retryAfter.
create or replace function telecom_private.assert_login_allowed(p_login text) returns void
  language plpgsql
  stable
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_wait integer := telecom_private.login_retry_after(p_login);
begin
  if v_wait > 0 then
    raise exception 'Too many failed attempts: try again in % %.', v_wait, case when v_wait = 1 then 'second' else 'seconds' end
      using errcode = 'TC220', hint = 'retry-after=' || v_wait;
  end if;
end;
$$;

comment on function telecom_private.assert_login_allowed(text) is 'Refuses with TC220 (hint retry-after=<seconds>) an attempt the throttle says must wait; see login_retry_after.';
--! EndIncluded identity/assert_login_allowed.sql
--! Included identity/record_login_failure.sql
-- Records a failed attempt (a wrong password, a wrong code, a code asked for) under the caller's
-- client address; the caller has validated the login's shape. Old failures are purged now and then.
create or replace function telecom_private.record_login_failure(p_login text) returns void
  language plpgsql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  insert into telecom_private.login_failure (login, client_address)
  values (left(p_login, 80), telecom_private.client_address());
  -- Opportunistic: about one attempt in a hundred clears what no throttle reads any more.
  if random() < 0.01 then
    perform telecom_private.purge_login_failures();
  end if;
end;
$$;

comment on function telecom_private.record_login_failure(text) is 'Records a failed attempt on a login from the caller''s client address (the throttle''s input).';
--! EndIncluded identity/record_login_failure.sql
--! Included identity/clear_login_failures.sql
-- A success from an address clears that address's failures on the login (and only those).
create or replace function telecom_private.clear_login_failures(p_login text) returns void
  language sql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
  delete from telecom_private.login_failure as failure
  where failure.login = p_login
    and failure.client_address = telecom_private.client_address()
$$;

comment on function telecom_private.clear_login_failures(text) is 'Forgets the failures of a login from the caller''s client address, after a success from it.';
--! EndIncluded identity/clear_login_failures.sql
--! Included identity/check_password.sql
-- The one password check behind every login: throttled (login_retry_after), constant work whether or
-- not the login exists (the dummy hash at the same cost is checked when there is none), failures
-- recorded, a success clears the failures of its address.
create or replace function telecom_private.check_password(p_login text, p_password text, p_hash text) returns boolean
  language plpgsql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_hash text := coalesce(p_hash, telecom_private.dummy_password_hash());
  v_checked text;
begin
  -- Attempts on one (login, address) queue up, so concurrent guesses cannot all pass the throttle.
  perform pg_advisory_xact_lock(hashtext('login:' || p_login || '@' || telecom_private.client_address()));
  perform telecom_private.assert_login_allowed(p_login);
  perform telecom_private.assert_password_length(p_password);
  v_checked := public.crypt(coalesce(p_password, ''), v_hash);
  if p_hash is not null and v_checked = p_hash then
    perform telecom_private.clear_login_failures(p_login);
    return true;
  end if;
  perform telecom_private.record_login_failure(p_login);
  return false;
end;
$$;

comment on function telecom_private.check_password(text, text, text) is 'Checks a password against a bcrypt hash (the dummy hash when null) under the throttle of SPEC §12: refuses with TC220 and a retry-after when the caller must wait; records a failure, or clears the address''s failures on success.';
--! EndIncluded identity/check_password.sql
--! Included identity/account_login_validation.sql
create or replace function telecom.account_login_validation(mobile_no text, password text) returns boolean
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  -- Validated before anything is stored or checked: a mobile number has 11 digits.
  if account_login_validation.mobile_no is null or account_login_validation.mobile_no !~ '^[0-9]{11}$' then
    return false;
  end if;
  return telecom_private.check_password(
    account_login_validation.mobile_no,
    account_login_validation.password,
    (select credential.password_hash from telecom_private.customer_credential as credential where credential.mobile_no = account_login_validation.mobile_no)
  );
end;
$$;

comment on function telecom.account_login_validation(text, text) is 'Whether the mobile number and password match. Throttled like a login (TC220 with a retry-after).';

grant execute on function telecom.account_login_validation(text, text) to telecom_anonymous, telecom_customer, telecom_admin;
--! EndIncluded identity/account_login_validation.sql
--! Included identity/authenticate.sql
create or replace function telecom.authenticate(mobile_no text, password text) returns telecom.jwt_token
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_account telecom.customer_account;
begin
  if not telecom.account_login_validation(authenticate.mobile_no, authenticate.password) then
    return null;
  end if;
  select * into v_account from telecom.customer_account as account where account.mobile_no = authenticate.mobile_no;
  return ('telecom_customer', extract(epoch from now() + interval '1 hour')::bigint, v_account.mobile_no, v_account.national_id, null, null)::telecom.jwt_token;
end;
$$;

comment on function telecom.authenticate(text, text) is 'Logs a customer in with their mobile number and password; returns a token valid for one hour, or null when the pair is wrong. Throttled per number and client address: after 3 failures each attempt waits 1 s, doubling up to 15 minutes, and an address has 100 failures an hour; a refused attempt is TC220 with a retry-after. A password over 72 bytes is refused (TC221).';

grant execute on function telecom.authenticate(text, text) to telecom_anonymous, telecom_customer, telecom_admin;
--! EndIncluded identity/authenticate.sql
--! Included identity/authenticate_admin.sql
create or replace function telecom.authenticate_admin(username text, password text) returns telecom.jwt_token
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_admin telecom_private.admin_user;
begin
  -- Validated before anything is stored or checked: a username has 1 to 64 characters.
  if char_length(coalesce(authenticate_admin.username, '')) not between 1 and 64 then
    return null;
  end if;
  select * into v_admin from telecom_private.admin_user as admin where admin.username = authenticate_admin.username::public.citext;
  if not telecom_private.check_password('admin:' || lower(authenticate_admin.username), authenticate_admin.password, nullif(v_admin.password_hash, '')) then
    return null;
  end if;
  return ('telecom_admin', extract(epoch from now() + interval '1 hour')::bigint, null, null, v_admin.admin_id, null)::telecom.jwt_token;
end;
$$;

comment on function telecom.authenticate_admin(text, text) is 'Logs an admin in; returns a token valid for one hour, or null when the pair is wrong. Throttled like customer logins (TC220 with a retry-after).';

grant execute on function telecom.authenticate_admin(text, text) to telecom_anonymous, telecom_customer, telecom_admin;
--! EndIncluded identity/authenticate_admin.sql
--! Included identity/change_password.sql
create or replace function telecom.change_password(old_password text, new_password text) returns boolean
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_hash text;
begin
  if telecom.current_mobile_no() is null then
    raise exception 'Log in as a customer to change your password.' using errcode = '42501';
  end if;
  -- Checked first (TC212, TC221), so a refused new password costs no attempt.
  v_hash := telecom_private.hash_password(change_password.new_password);
  -- The same throttled check as a login, so a stolen token cannot be used to guess the password.
  -- A wrong password returns false instead of raising: raising would roll back the recorded failure.
  if not telecom_private.check_password(
    telecom.current_mobile_no(),
    change_password.old_password,
    (select credential.password_hash from telecom_private.customer_credential as credential where credential.mobile_no = telecom.current_mobile_no())
  ) then
    return false;
  end if;
  update telecom_private.customer_credential as credential
  set password_hash = v_hash
  where credential.mobile_no = telecom.current_mobile_no();
  return true;
end;
$$;

comment on function telecom.change_password(text, text) is 'Changes the password of the number the customer is logged in with. Returns true when changed, false when the current password is wrong (the failure counts like a failed login, throttled with TC220). A new password shorter than 8 characters (TC212) or longer than 72 bytes (TC221) is refused.';

grant execute on function telecom.change_password(text, text) to telecom_customer;
--! EndIncluded identity/change_password.sql
--! Included identity/verification_code.sql
-- Table telecom_private.verification_code: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in migrations/current/50-online-access.sql.

revoke all on telecom_private.verification_code from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;

comment on table telecom_private.verification_code is 'One-time codes sent by SMS to prove that one holds a number (SPEC §5): 6 digits, valid 10 minutes, 5 attempts, one purpose each. Only the bcrypt hash is kept.';
comment on column telecom_private.verification_code.code_id is 'The code''s id.';
comment on column telecom_private.verification_code.mobile_no is 'The number the code was sent to.';
comment on column telecom_private.verification_code.purpose is 'What the code may be used for: register (activate online access) or reset (a forgotten password).';
comment on column telecom_private.verification_code.code_hash is 'bcrypt hash of the 6 digits.';
comment on column telecom_private.verification_code.created_at is 'When the code was made.';
comment on column telecom_private.verification_code.expires_at is 'After this the code is refused (10 minutes after it was made).';
comment on column telecom_private.verification_code.attempts is 'Wrong attempts so far; at 5 the code is refused.';
comment on column telecom_private.verification_code.used_at is 'When the code was used, or replaced by a newer one; a used code is refused.';
--! EndIncluded identity/verification_code.sql
--! Included identity/sms_outbox.sql
-- Table telecom_private.sms_outbox: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in migrations/current/50-online-access.sql.

revoke all on telecom_private.sms_outbox from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;

comment on table telecom_private.sms_outbox is 'SMS waiting to be sent, and those sent. The API server''s one SMS sender (api/src/server/sms.ts) takes unsent rows, hands them to the gateway (the console in development) and marks them sent.';
comment on column telecom_private.sms_outbox.sms_id is 'The message''s id.';
comment on column telecom_private.sms_outbox.mobile_no is 'The number to send it to.';
comment on column telecom_private.sms_outbox.body is 'The text of the message.';
comment on column telecom_private.sms_outbox.created_at is 'When the message was queued.';
comment on column telecom_private.sms_outbox.sent_at is 'When the sender handed it to the gateway; null while it waits.';
--! EndIncluded identity/sms_outbox.sql
--! Included identity/tg_sms_outbox__notify.sql
-- A queued SMS wakes the sender (LISTEN telecom_sms_outbox) when the transaction commits.
create or replace function telecom_private.tg_sms_outbox__notify() returns trigger
  language plpgsql
  volatile
as $$
begin
  perform pg_notify('telecom_sms_outbox', '');
  return null;
end;
$$;

comment on function telecom_private.tg_sms_outbox__notify() is 'Notifies telecom_sms_outbox after SMS are queued, so the server''s sender sends them at once.';

create or replace trigger _900_notify
  after insert on telecom_private.sms_outbox
  for each statement
  execute function telecom_private.tg_sms_outbox__notify();
--! EndIncluded identity/tg_sms_outbox__notify.sql
--! Included identity/request_verification_code.sql
-- Online access by proof of the number (SPEC §5): a one-time code sent by SMS to the number. The
-- answer is always true, whether or not the number exists, and costs the same (one bcrypt either
-- way); only the holder of the number learns anything, from the SMS.
create or replace function telecom.request_verification_code(mobile_no text) returns boolean
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_login text := 'sms:' || request_verification_code.mobile_no;
  v_code text := lpad((('x' || encode(public.gen_random_bytes(4), 'hex'))::bit(32)::bigint % 1000000)::text, 6, '0');
  v_code_hash text;
  v_purpose text;
begin
  if request_verification_code.mobile_no is null or request_verification_code.mobile_no !~ '^[0-9]{11}$' then
    raise exception 'A mobile number has 11 digits.' using errcode = 'TC224';
  end if;
  -- Every request counts against the throttle (number and client address, and the address's budget):
  -- three codes, then a wait that doubles.
  perform pg_advisory_xact_lock(hashtext(v_login || '@' || telecom_private.client_address()));
  perform telecom_private.assert_login_allowed(v_login);
  perform telecom_private.record_login_failure(v_login);
  v_code_hash := public.crypt(v_code, public.gen_salt('bf', telecom_private.password_hash_cost()));
  select
    case when exists (
      select from telecom_private.customer_credential as credential where credential.mobile_no = account.mobile_no
    ) then 'reset' else 'register' end
  into v_purpose
  from telecom.customer_account as account
  where account.mobile_no = request_verification_code.mobile_no;
  if v_purpose is null then
    return true;
  end if;
  -- A new code replaces the earlier ones.
  update telecom_private.verification_code as code
  set used_at = now()
  where code.mobile_no = request_verification_code.mobile_no
    and code.used_at is null;
  insert into telecom_private.verification_code (mobile_no, purpose, code_hash, expires_at)
  values (request_verification_code.mobile_no, v_purpose, v_code_hash, now() + interval '10 minutes');
  insert into telecom_private.sms_outbox (mobile_no, body)
  values (
    request_verification_code.mobile_no,
    format(
      'Telecom: your code to %s is %s. It is valid for 10 minutes. Never give it to anyone.',
      case v_purpose when 'register' then 'activate online access' else 'reset your password' end,
      v_code
    )
  );
  return true;
end;
$$;

comment on function telecom.request_verification_code(text) is 'Sends a one-time code by SMS to the number, for activating online access (a number without a password) or resetting a forgotten password: 6 digits, valid 10 minutes, 5 attempts; a new code replaces the earlier ones. Always returns true, whether or not the number exists. Throttled per number and client address (TC220 with a retry-after).';

grant execute on function telecom.request_verification_code(text) to telecom_anonymous;
--! EndIncluded identity/request_verification_code.sql
--! Included identity/use_verification_code.sql
-- Checks and spends a code of the number for one purpose, under the login throttle (key
-- 'code:<number>'). A wrong code costs one of the code's 5 attempts and counts as a failure; an
-- unknown number, an expired, used or exhausted code, or the wrong purpose get the same false, after
-- the same bcrypt work.
create or replace function telecom_private.use_verification_code(p_mobile_no text, p_purpose text, p_code text) returns boolean
  language plpgsql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_login text := 'code:' || p_mobile_no;
  v_code telecom_private.verification_code;
  v_checked text;
begin
  perform pg_advisory_xact_lock(hashtext(v_login || '@' || telecom_private.client_address()));
  perform telecom_private.assert_login_allowed(v_login);
  select * into v_code
  from telecom_private.verification_code as code
  where code.mobile_no = p_mobile_no
    and code.used_at is null
    and code.expires_at > now()
    and code.attempts < 5
  order by code.created_at desc
  limit 1
  for update;
  v_checked := public.crypt(left(coalesce(p_code, ''), 6), coalesce(v_code.code_hash, telecom_private.dummy_password_hash()));
  if v_code.code_id is not null and v_code.purpose = p_purpose and p_code ~ '^[0-9]{6}$' and v_checked = v_code.code_hash then
    update telecom_private.verification_code as code set used_at = now() where code.code_id = v_code.code_id;
    perform telecom_private.clear_login_failures(v_login);
    return true;
  end if;
  if v_code.code_id is not null then
    update telecom_private.verification_code as code set attempts = code.attempts + 1 where code.code_id = v_code.code_id;
  end if;
  perform telecom_private.record_login_failure(v_login);
  return false;
end;
$$;

comment on function telecom_private.use_verification_code(text, text, text) is 'Spends the number''s current code for a purpose (register or reset) when it matches; otherwise counts an attempt (5 per code) and a throttled failure, and returns false.';
--! EndIncluded identity/use_verification_code.sql
--! Included identity/register_customer.sql
-- Online access for the person a number was issued to (SPEC §5): whoever holds the number proves it
-- with the code sent to it, and chooses a password. Numbers themselves are issued by the operator.
create or replace function telecom.register_customer(mobile_no text, code text, password text) returns telecom.jwt_token
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_hash text;
  v_account telecom.customer_account;
begin
  if register_customer.mobile_no is null or register_customer.mobile_no !~ '^[0-9]{11}$' then
    raise exception 'A mobile number has 11 digits.' using errcode = 'TC224';
  end if;
  -- Checked first (TC212, TC221), so a refused password costs no attempt of the code.
  v_hash := telecom_private.hash_password(register_customer.password);
  if not telecom_private.use_verification_code(register_customer.mobile_no, 'register', register_customer.code) then
    return null;
  end if;
  select * into strict v_account from telecom.customer_account as account where account.mobile_no = register_customer.mobile_no;
  insert into telecom_private.customer_credential (mobile_no, password_hash)
  values (v_account.mobile_no, v_hash)
  on conflict on constraint customer_credential_pkey do update set password_hash = excluded.password_hash;
  perform telecom_private.clear_login_failures(v_account.mobile_no);
  return ('telecom_customer', extract(epoch from now() + interval '1 hour')::bigint, v_account.mobile_no, v_account.national_id, null, null)::telecom.jwt_token;
end;
$$;

comment on function telecom.register_customer(text, text, text) is 'Activates online access for a number: with the code sent to it by request_verification_code, sets its password (8 characters to 72 bytes) and returns a login token. Returns null when the code is wrong, expired, used, for another purpose or out of attempts (the same answer whether or not the number exists); throttled like a login (TC220).';

grant execute on function telecom.register_customer(text, text, text) to telecom_anonymous;
--! EndIncluded identity/register_customer.sql
--! Included identity/reset_password.sql
-- A forgotten password (SPEC §5): whoever holds the number proves it with the code sent to it, and
-- chooses a new password.
create or replace function telecom.reset_password(mobile_no text, code text, new_password text) returns telecom.jwt_token
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_hash text;
  v_account telecom.customer_account;
begin
  if reset_password.mobile_no is null or reset_password.mobile_no !~ '^[0-9]{11}$' then
    raise exception 'A mobile number has 11 digits.' using errcode = 'TC224';
  end if;
  -- Checked first (TC212, TC221), so a refused password costs no attempt of the code.
  v_hash := telecom_private.hash_password(reset_password.new_password);
  if not telecom_private.use_verification_code(reset_password.mobile_no, 'reset', reset_password.code) then
    return null;
  end if;
  select * into strict v_account from telecom.customer_account as account where account.mobile_no = reset_password.mobile_no;
  insert into telecom_private.customer_credential (mobile_no, password_hash)
  values (v_account.mobile_no, v_hash)
  on conflict on constraint customer_credential_pkey do update set password_hash = excluded.password_hash;
  perform telecom_private.clear_login_failures(v_account.mobile_no);
  return ('telecom_customer', extract(epoch from now() + interval '1 hour')::bigint, v_account.mobile_no, v_account.national_id, null, null)::telecom.jwt_token;
end;
$$;

comment on function telecom.reset_password(text, text, text) is 'Resets a forgotten password: with the code sent to the number by request_verification_code, sets its new password (8 characters to 72 bytes) and returns a login token. Returns null when the code is wrong, expired, used, for another purpose or out of attempts (the same answer whether or not the number exists); throttled like a login (TC220).';

grant execute on function telecom.reset_password(text, text, text) to telecom_anonymous;
--! EndIncluded identity/reset_password.sql
--! Included accounts/tg_customer_profile__email_available.sql
-- A customer who picks an e-mail address another person has is told "this e-mail cannot be used"
-- (SPEC §12, one of the two allowed disclosures), never the unique violation (23505) that names the
-- constraint. Security definer: the customer cannot see the other person's row.
create or replace function telecom_private.tg_customer_profile__email_available() returns trigger
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  if new.email is not null
    and new.email is distinct from old.email
    and exists (
      select
      from telecom.customer_profile as profile
      where profile.email = new.email
        and profile.national_id <> new.national_id
    )
  then
    raise exception 'This e-mail cannot be used: choose another.' using errcode = 'TC223';
  end if;
  return new;
end;
$$;

comment on function telecom_private.tg_customer_profile__email_available() is 'Refuses an e-mail address another person has with TC223 ("this e-mail cannot be used"), instead of a unique violation.';

create or replace trigger _100_email_available
  before update of email
  on telecom.customer_profile
  for each row
  execute function telecom_private.tg_customer_profile__email_available();
--! EndIncluded accounts/tg_customer_profile__email_available.sql
--! Included wallets/recipient_lookup.sql
-- Table telecom_private.recipient_lookup: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in migrations/current/50-online-access.sql.

revoke all on telecom_private.recipient_lookup from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;

comment on table telecom_private.recipient_lookup is 'Look-ups of transfer recipients (transfer_recipient) in the last hour, the input of its per-person throttle.';
comment on column telecom_private.recipient_lookup.national_id is 'The person who looked a number up.';
comment on column telecom_private.recipient_lookup.looked_up_at is 'When.';
--! EndIncluded wallets/recipient_lookup.sql
--! Included wallets/transfer_recipient.sql
-- Who a transfer would reach (SPEC §5, §12): the one look-up of another person a customer has, for
-- the transfer's confirmation. It answers a display name (first name and last initial) and the
-- wallet's currency, or nothing; throttled per person (30 look-ups an hour), so it cannot be used to
-- list who holds which number.
create or replace function telecom.transfer_recipient(to_mobile_no text) returns telecom.wallet_recipient
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_national_id integer := telecom.current_national_id();
  v_wait integer;
  v_recipient telecom.wallet_recipient;
begin
  if not (telecom_private.caller_role() = 'telecom_customer' or telecom.current_role_is_admin()) then
    raise exception 'Only a customer can look up who a transfer goes to.' using errcode = '42501';
  end if;
  if transfer_recipient.to_mobile_no is null or transfer_recipient.to_mobile_no !~ '^[0-9]{11}$' then
    raise exception 'The number to transfer to must have 11 digits.' using errcode = 'TC312';
  end if;
  if telecom_private.caller_role() = 'telecom_customer' then
    perform pg_advisory_xact_lock(hashtext('recipient:' || v_national_id));
    -- The 30th latest look-up of the hour: the budget opens again when it ages out.
    select ceil(extract(epoch from lookup.looked_up_at + interval '1 hour' - now()))::integer
    into v_wait
    from telecom_private.recipient_lookup as lookup
    where lookup.national_id = v_national_id
      and lookup.looked_up_at > now() - interval '1 hour'
    order by lookup.looked_up_at desc
    offset 29
    limit 1;
    if v_wait > 0 then
      raise exception 'Too many look-ups: try again in % seconds.', v_wait using errcode = 'TC220', hint = 'retry-after=' || v_wait;
    end if;
    delete from telecom_private.recipient_lookup as lookup
    where lookup.national_id = v_national_id
      and lookup.looked_up_at < now() - interval '1 hour';
    insert into telecom_private.recipient_lookup (national_id) values (v_national_id);
  end if;
  select
    profile.first_name || coalesce(' ' || left(profile.last_name, 1) || '.', ''),
    wallet.currency
  into v_recipient.display_name, v_recipient.currency
  from telecom.wallet as wallet
  inner join telecom.customer_profile as profile on profile.national_id = wallet.national_id
  where wallet.mobile_no = transfer_recipient.to_mobile_no;
  if not found then
    return null;
  end if;
  return v_recipient;
end;
$$;

comment on function telecom.transfer_recipient(text) is 'Who a transfer to this number would reach: the display name (first name and last initial) and the currency of the wallet linked to it, or null when it cannot receive a transfer. The only look-up of another person a customer has; 30 an hour per person (TC220 with a retry-after beyond).';

grant execute on function telecom.transfer_recipient(text) to telecom_customer, telecom_admin;
--! EndIncluded wallets/transfer_recipient.sql
--! Included wallets/transfer_to_mobile.sql
create or replace function telecom.transfer_to_mobile(to_mobile_no text, amount numeric, idempotency_key uuid default null) returns telecom.transfer_money
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_replay jsonb;
  v_from_mobile_no text := telecom.current_mobile_no();
  v_from_wallet_id integer;
  v_to_wallet_id integer;
  v_from telecom.wallet;
  v_to telecom.wallet;
  v_transfer telecom.transfer_money;
begin
  -- The caller's number: a customer's from their token; a trusted session names one with
  -- set_config('jwt.claims.mobile_no', ...) (SPEC §2). Admins have no wallet of their own.
  if v_from_mobile_no is null
    or not (telecom_private.caller_role() = 'telecom_customer' or telecom_private.session_is_trusted())
  then
    raise exception 'Only a customer can transfer money, from the wallet of the number they logged in with (admins have no wallet).'
      using errcode = 'TC310';
  end if;
  v_replay := telecom_private.begin_money_operation(
    'transfer_to_mobile',
    transfer_to_mobile.idempotency_key,
    jsonb_build_object('to_mobile_no', transfer_to_mobile.to_mobile_no, 'amount', transfer_to_mobile.amount)
  );
  if v_replay is not null then
    return jsonb_populate_record(null::telecom.transfer_money, v_replay);
  end if;
  -- The sender's account is locked first, as every money mover does (account, then wallets).
  perform telecom_private.lock_active_account(v_from_mobile_no);
  perform telecom_private.assert_money_amount(transfer_to_mobile.amount);
  if transfer_to_mobile.to_mobile_no is null or transfer_to_mobile.to_mobile_no !~ '^[0-9]{11}$' then
    raise exception 'The number to transfer to must have 11 digits.'
      using errcode = 'TC312';
  end if;

  select wallet.wallet_id
  into v_from_wallet_id
  from telecom.wallet
  where wallet.mobile_no = v_from_mobile_no;
  if v_from_wallet_id is null then
    raise exception 'Your number % has no wallet to transfer from.', v_from_mobile_no
      using errcode = 'TC311';
  end if;
  select wallet.wallet_id
  into v_to_wallet_id
  from telecom.wallet
  where wallet.mobile_no = transfer_to_mobile.to_mobile_no;
  -- One answer for every reason the other number cannot receive (no wallet, another currency, a
  -- full wallet): a refusal tells nothing about another person's wallet (SPEC §12).
  if v_to_wallet_id is null then
    raise exception 'You cannot transfer to %.', transfer_to_mobile.to_mobile_no
      using errcode = 'TC313';
  end if;
  if v_to_wallet_id = v_from_wallet_id then
    raise exception 'You cannot transfer money to your own wallet.'
      using errcode = 'TC314';
  end if;

  -- Both wallets locked in id order, so that two opposite transfers cannot deadlock.
  perform 1
  from telecom.wallet
  where wallet.wallet_id in (v_from_wallet_id, v_to_wallet_id)
  order by wallet.wallet_id
  for no key update;
  select * into v_from from telecom.wallet where wallet.wallet_id = v_from_wallet_id;
  select * into v_to from telecom.wallet where wallet.wallet_id = v_to_wallet_id;
  if v_from.currency <> v_to.currency then
    raise exception 'You cannot transfer to %.', v_to.mobile_no
      using errcode = 'TC313';
  end if;
  if v_from.current_balance < transfer_to_mobile.amount then
    raise exception 'Insufficient wallet balance: you have % %, the transfer needs %.', v_from.current_balance, v_from.currency, transfer_to_mobile.amount
      using errcode = 'TC316';
  end if;

  if v_to.current_balance + transfer_to_mobile.amount > 9999999999.99 then
    raise exception 'You cannot transfer to %.', v_to.mobile_no
      using errcode = 'TC313';
  end if;
  update telecom.wallet
  set
    current_balance = wallet.current_balance
      + case when wallet.wallet_id = v_from_wallet_id then -transfer_to_mobile.amount else transfer_to_mobile.amount end,
    last_modified_date = current_date
  where wallet.wallet_id in (v_from_wallet_id, v_to_wallet_id);
  insert into telecom.transfer_money (from_wallet_id, to_wallet_id, amount)
  values (v_from_wallet_id, v_to_wallet_id, transfer_to_mobile.amount)
  returning * into v_transfer;

  perform telecom_private.finish_money_operation(to_jsonb(v_transfer));
  return v_transfer;
end;
$$;

comment on function telecom.transfer_to_mobile(text, numeric, uuid) is 'Moves money from the wallet of the number you logged in with to the wallet linked to another number, atomically, and records the transfer. Same currency only, no overdraft, not to yourself; every reason the other number cannot receive gets the one answer TC313 ("You cannot transfer to …"), so a refusal tells nothing about another person''s wallet (use transfer_recipient to confirm first). With an idempotency key, a repeat returns the first transfer and moves nothing.';

grant execute on function telecom.transfer_to_mobile(text, numeric, uuid) to telecom_customer, telecom_admin;
--! EndIncluded wallets/transfer_to_mobile.sql
--! Included vouchers/redeem_voucher_points.sql
create or replace function telecom.redeem_voucher_points(mobile_no text, voucher_id integer, idempotency_key uuid default null) returns telecom.voucher
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_replay jsonb;
  v_account telecom.customer_account;
  v_voucher telecom.voucher;
begin
  v_replay := telecom_private.begin_money_operation(
    'redeem_voucher_points',
    redeem_voucher_points.idempotency_key,
    jsonb_build_object('mobile_no', mobile_no, 'voucher_id', voucher_id)
  );
  if v_replay is not null then
    return jsonb_populate_record(null::telecom.voucher, v_replay);
  end if;
  v_account := telecom_private.lock_active_account(redeem_voucher_points.mobile_no);
  select *
  into v_voucher
  from telecom.voucher as voucher
  where voucher.voucher_id = redeem_voucher_points.voucher_id
  for no key update;
  if not found then
    raise exception 'There is no voucher %.', redeem_voucher_points.voucher_id using errcode = 'TC120';
  end if;
  -- A voucher another person redeemed is hidden from the customer (row-level security): it answers
  -- like an unknown one, so a refusal tells nothing another person's rows would not (SPEC §12).
  if v_voucher.mobile_no is not null
    and not telecom.current_role_is_admin()
    and not exists (
      select
      from telecom.customer_account as redeemer
      where redeemer.mobile_no = v_voucher.mobile_no
        and redeemer.national_id = v_account.national_id
    )
  then
    raise exception 'There is no voucher %.', redeem_voucher_points.voucher_id using errcode = 'TC120';
  end if;
  if v_voucher.mobile_no is not null then
    raise exception 'Voucher % has already been redeemed.', v_voucher.voucher_id using errcode = 'TC121';
  end if;
  if v_voucher.expiry_date < current_date then
    raise exception 'Voucher % expired on %.', v_voucher.voucher_id, v_voucher.expiry_date using errcode = 'TC122';
  end if;
  if v_account.points < v_voucher.points then
    raise exception 'Voucher % costs % points; % has %.', v_voucher.voucher_id, v_voucher.points, v_account.mobile_no, v_account.points using errcode = 'TC123';
  end if;
  update telecom.customer_account as account
  set points = account.points - v_voucher.points
  where account.mobile_no = v_account.mobile_no;
  update telecom.voucher as voucher
  set mobile_no = v_account.mobile_no,
    redeem_date = current_date
  where voucher.voucher_id = v_voucher.voucher_id
  returning * into v_voucher;
  perform telecom_private.finish_money_operation(to_jsonb(v_voucher));
  return v_voucher;
end;
$$;

comment on function telecom.redeem_voucher_points(text, integer, uuid) is 'Redeems an unredeemed voucher that expires today or later with the account''s points: deducts its points and marks it redeemed by the account today. The account must be active. A voucher another person redeemed answers like an unknown one (TC120). A repeat with the same idempotency_key returns the first result.';

grant execute on function telecom.redeem_voucher_points(text, integer, uuid) to telecom_customer, telecom_admin;
--! EndIncluded vouchers/redeem_voucher_points.sql

--! split: 51-online-access-2.sql
-- Issue 14, second part: "this e-mail cannot be used" is throttled and uniform (SPEC §12). A customer
-- changes their e-mail and address through update_my_profile, which counts refused e-mail addresses
-- per person and answers with a status row instead of raising, so the count survives the refusal.
-- Table changes first (re-runnable), then the rules from migrations/fixtures.

create table if not exists telecom_private.email_refusal (
  national_id integer not null references telecom.customer_profile (national_id) on delete cascade,
  refused_at timestamptz not null default now()
);
alter table telecom_private.email_refusal enable row level security;
create index if not exists email_refusal_national_id_idx on telecom_private.email_refusal (national_id, refused_at);

drop type if exists telecom.profile_update cascade;
create type telecom.profile_update as (
  status text,
  message text,
  email text,
  address text
);
comment on type telecom.profile_update is E'The outcome of update_my_profile: `saved`, or `email_cannot_be_used` (nothing changed), with the message for the customer and the e-mail and address as they now are.';

--! Included accounts/email_refusal.sql
-- Table telecom_private.email_refusal: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in migrations/current/51-online-access-2.sql.

revoke all on telecom_private.email_refusal from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;

comment on table telecom_private.email_refusal is 'E-mail addresses a customer picked that could not be used (update_my_profile) in the last hour, the input of its per-person throttle.';
comment on column telecom_private.email_refusal.national_id is 'The person who picked the address.';
comment on column telecom_private.email_refusal.refused_at is 'When.';
--! EndIncluded accounts/email_refusal.sql
--! Included accounts/customer_profile.sql
-- Table telecom.customer_profile: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.customer_profile;
create policy select_own on telecom.customer_profile for select to telecom_customer using (national_id = telecom.current_national_id());

-- A customer changes their e-mail and address through update_my_profile (throttled "this e-mail cannot be used", SPEC §12), not directly.
drop policy if exists update_own on telecom.customer_profile;

drop policy if exists manage_admin on telecom.customer_profile;
create policy manage_admin on telecom.customer_profile for all to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.customer_profile from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
grant select on telecom.customer_profile to telecom_customer;
grant select, insert, update, delete on telecom.customer_profile to telecom_admin;

comment on table telecom.customer_profile is 'A customer: one person, identified by their national id, who may hold several mobile accounts.';
comment on column telecom.customer_profile.national_id is 'The national id number of the person; the key of the customer.';
comment on column telecom.customer_profile.first_name is 'Given name.';
comment on column telecom.customer_profile.last_name is 'Family name.';
comment on column telecom.customer_profile.email is 'E-mail address, unique regardless of letter case; optional.';
comment on column telecom.customer_profile.address is 'Postal address; optional.';
comment on column telecom.customer_profile.date_of_birth is 'Date of birth.';
--! EndIncluded accounts/customer_profile.sql
--! Included accounts/update_my_profile.sql
-- A customer changes their own e-mail and address (SPEC §5 self-service). Picking an address another
-- person has is one of the two allowed disclosures of SPEC §12: the answer is always the same status
-- row (`email_cannot_be_used`, nothing changed), never an error that names a constraint, and it is
-- throttled per person: after 5 refused addresses in an hour, every change of e-mail is refused with
-- TC220 and a retry-after until the oldest refusal ages out. The refusal is returned, not raised, so
-- the attempt it records is kept.
create or replace function telecom.update_my_profile(email text, address text) returns telecom.profile_update
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_national_id integer := telecom.current_national_id();
  v_current telecom.customer_profile;
  v_wait integer;
  v_result telecom.profile_update;
begin
  if telecom_private.caller_role() is distinct from 'telecom_customer' or v_national_id is null then
    raise exception 'Only a customer can change their own details.' using errcode = '42501';
  end if;
  select profile.* into v_current
  from telecom.customer_profile as profile
  where profile.national_id = v_national_id
  for update;
  if not found then
    raise exception 'Only a customer can change their own details.' using errcode = '42501';
  end if;
  if update_my_profile.email is not null and update_my_profile.email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' then
    raise exception 'Enter an e-mail address like name@example.com.' using errcode = 'TC225';
  end if;
  -- A new address (not the same one in other letter case, not a removal) is what the throttle counts.
  if update_my_profile.email is not null and update_my_profile.email::public.citext is distinct from v_current.email then
    perform pg_advisory_xact_lock(hashtext('email:' || v_national_id));
    -- The 5th latest refusal of the hour: the budget opens again when it ages out.
    select ceil(extract(epoch from refusal.refused_at + interval '1 hour' - now()))::integer
    into v_wait
    from telecom_private.email_refusal as refusal
    where refusal.national_id = v_national_id
      and refusal.refused_at > now() - interval '1 hour'
    order by refusal.refused_at desc
    offset 4
    limit 1;
    if v_wait > 0 then
      raise exception 'Too many e-mail addresses tried: try again in % seconds.', v_wait using errcode = 'TC220', hint = 'retry-after=' || v_wait;
    end if;
  end if;
  begin
    update telecom.customer_profile as profile
    set email = update_my_profile.email, address = update_my_profile.address
    where profile.national_id = v_national_id
    returning 'saved', null, profile.email, profile.address
    into v_result.status, v_result.message, v_result.email, v_result.address;
  exception
    -- The trigger's TC223, or the unique index when another person took it at the same moment.
    when sqlstate 'TC223' or unique_violation then
      delete from telecom_private.email_refusal as refusal
      where refusal.national_id = v_national_id
        and refusal.refused_at < now() - interval '1 hour';
      insert into telecom_private.email_refusal (national_id) values (v_national_id);
      v_result := row('email_cannot_be_used', 'This e-mail cannot be used: choose another.', v_current.email, v_current.address);
  end;
  return v_result;
end;
$$;

comment on function telecom.update_my_profile(text, text) is 'Sets the e-mail and address of the logged-in customer (null removes one). Returns status `saved`, or `email_cannot_be_used` when another person has the e-mail (nothing changes; the same answer whatever the reason). After 5 such refusals in an hour, a change of e-mail is refused with TC220 and a retry-after. A malformed e-mail is refused with TC225.';

grant execute on function telecom.update_my_profile(text, text) to telecom_customer;
--! EndIncluded accounts/update_my_profile.sql

--! split: 60-usage.sql
-- Usage in real time (SPEC §11, §5 authenticate_network): the network's login, usage events rated
-- as they arrive, alerts, recommendations. Table changes are written out here (re-runnable); every
-- rule is a file of migrations/fixtures, included below.

-- The network's credentials (SPEC §5): managed by admins, never exposed.
create table if not exists telecom_private.network_credential (
  client_id text primary key,
  network_id text not null,
  secret_hash text not null,
  created_at timestamptz not null default now(),
  constraint network_credential_client_id_check check (client_id ~ '^[A-Za-z0-9_.-]{3,64}$'),
  constraint network_credential_network_id_check check (network_id ~ '^[A-Za-z0-9_.-]{1,64}$')
);
alter table telecom_private.network_credential enable row level security;

-- A token may now name the network it was issued to.
do $$
begin
  if not exists (
    select
    from pg_catalog.pg_attribute
    where attrelid = 'telecom.jwt_token'::regclass
      and attname = 'network_id'
      and not attisdropped
  ) then
    alter type telecom.jwt_token add attribute network_id text;
  end if;
end;
$$;

do $$
begin
  if not exists (select from pg_catalog.pg_type where typname = 'usage_kind' and typnamespace = 'telecom'::regnamespace) then
    create type telecom.usage_kind as enum ('data', 'voice', 'sms');
  end if;
  if not exists (select from pg_catalog.pg_type where typname = 'usage_outcome' and typnamespace = 'telecom'::regnamespace) then
    create type telecom.usage_outcome as enum ('in_allowance', 'charged', 'refused');
  end if;
end;
$$;

create table if not exists telecom.tariff (
  kind telecom.usage_kind primary key,
  unit_price numeric(12,4) not null,
  constraint tariff_unit_price_check check (unit_price > 0)
);
alter table telecom.tariff enable row level security;
insert into telecom.tariff (kind, unit_price)
values ('data', 0.0500), ('voice', 0.5000), ('sms', 0.2500)
on conflict (kind) do nothing;

-- Every event, partitioned by the operator's calendar month of occurred_at. Partitions live in
-- telecom_private (PostGraphile sees only the parent) and are made by ensure_usage_partitions().
create table if not exists telecom.usage_event (
  event_id uuid not null,
  mobile_no text not null references telecom.customer_account (mobile_no) on delete restrict,
  kind telecom.usage_kind not null,
  quantity numeric not null,
  occurred_at timestamptz not null,
  received_at timestamptz not null default now(),
  plan_id integer references telecom.service_plan (plan_id) on delete restrict,
  charged numeric(12,2) not null default 0,
  outcome telecom.usage_outcome not null,
  network_id text,
  primary key (event_id, occurred_at),
  constraint usage_event_quantity_check check (quantity > 0),
  constraint usage_event_charged_check check (charged >= 0)
) partition by range (occurred_at);
alter table telecom.usage_event enable row level security;
create index if not exists usage_event_mobile_no_idx on telecom.usage_event (mobile_no, occurred_at);
create index if not exists usage_event_plan_id_idx on telecom.usage_event (plan_id);
create index if not exists usage_event_received_at_idx on telecom.usage_event (received_at);

-- Duplicates are found here: keyed by event_id alone (usage_event's key includes occurred_at).
create table if not exists telecom_private.usage_event_key (
  event_id uuid primary key,
  occurred_at timestamptz not null
);
alter table telecom_private.usage_event_key enable row level security;
create index if not exists usage_event_key_occurred_at_idx on telecom_private.usage_event_key (occurred_at);

create table if not exists telecom.usage_allocation (
  event_id uuid not null references telecom_private.usage_event_key (event_id) on delete cascade,
  plan_id integer not null references telecom.service_plan (plan_id) on delete restrict,
  mobile_no text not null references telecom.customer_account (mobile_no) on delete restrict,
  quantity integer not null,
  primary key (event_id, plan_id),
  constraint usage_allocation_quantity_check check (quantity > 0)
);
alter table telecom.usage_allocation enable row level security;
create index if not exists usage_allocation_plan_id_idx on telecom.usage_allocation (plan_id);
create index if not exists usage_allocation_mobile_no_idx on telecom.usage_allocation (mobile_no);

create table if not exists telecom.usage_alert (
  mobile_no text not null references telecom.customer_account (mobile_no) on delete restrict,
  plan_id integer not null references telecom.service_plan (plan_id) on delete restrict,
  kind telecom.usage_kind not null,
  period_start date not null,
  threshold smallint not null,
  raised_at timestamptz not null default now(),
  primary key (mobile_no, plan_id, kind, period_start, threshold),
  constraint usage_alert_threshold_check check (threshold in (80, 100)),
  constraint usage_alert_period_start_check check (extract(day from period_start) = 1)
);
alter table telecom.usage_alert enable row level security;
create index if not exists usage_alert_plan_id_idx on telecom.usage_alert (plan_id);

-- One plan_usage record per account, plan and day: record_usage finds it by this index.
create index if not exists plan_usage_day_idx on telecom.plan_usage (mobile_no, plan_id, start_date) where start_date = end_date;

-- Tokens gain network_id: every login function builds the whole token.
--! Included identity/authenticate.sql
create or replace function telecom.authenticate(mobile_no text, password text) returns telecom.jwt_token
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_account telecom.customer_account;
begin
  if not telecom.account_login_validation(authenticate.mobile_no, authenticate.password) then
    return null;
  end if;
  select * into v_account from telecom.customer_account as account where account.mobile_no = authenticate.mobile_no;
  return ('telecom_customer', extract(epoch from now() + interval '1 hour')::bigint, v_account.mobile_no, v_account.national_id, null, null)::telecom.jwt_token;
end;
$$;

comment on function telecom.authenticate(text, text) is 'Logs a customer in with their mobile number and password; returns a token valid for one hour, or null when the pair is wrong. Throttled per number and client address: after 3 failures each attempt waits 1 s, doubling up to 15 minutes, and an address has 100 failures an hour; a refused attempt is TC220 with a retry-after. A password over 72 bytes is refused (TC221).';

grant execute on function telecom.authenticate(text, text) to telecom_anonymous, telecom_customer, telecom_admin;
--! EndIncluded identity/authenticate.sql
--! Included identity/authenticate_admin.sql
create or replace function telecom.authenticate_admin(username text, password text) returns telecom.jwt_token
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_admin telecom_private.admin_user;
begin
  -- Validated before anything is stored or checked: a username has 1 to 64 characters.
  if char_length(coalesce(authenticate_admin.username, '')) not between 1 and 64 then
    return null;
  end if;
  select * into v_admin from telecom_private.admin_user as admin where admin.username = authenticate_admin.username::public.citext;
  if not telecom_private.check_password('admin:' || lower(authenticate_admin.username), authenticate_admin.password, nullif(v_admin.password_hash, '')) then
    return null;
  end if;
  return ('telecom_admin', extract(epoch from now() + interval '1 hour')::bigint, null, null, v_admin.admin_id, null)::telecom.jwt_token;
end;
$$;

comment on function telecom.authenticate_admin(text, text) is 'Logs an admin in; returns a token valid for one hour, or null when the pair is wrong. Throttled like customer logins (TC220 with a retry-after).';

grant execute on function telecom.authenticate_admin(text, text) to telecom_anonymous, telecom_customer, telecom_admin;
--! EndIncluded identity/authenticate_admin.sql
--! Included identity/register_customer.sql
-- Online access for the person a number was issued to (SPEC §5): whoever holds the number proves it
-- with the code sent to it, and chooses a password. Numbers themselves are issued by the operator.
create or replace function telecom.register_customer(mobile_no text, code text, password text) returns telecom.jwt_token
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_hash text;
  v_account telecom.customer_account;
begin
  if register_customer.mobile_no is null or register_customer.mobile_no !~ '^[0-9]{11}$' then
    raise exception 'A mobile number has 11 digits.' using errcode = 'TC224';
  end if;
  -- Checked first (TC212, TC221), so a refused password costs no attempt of the code.
  v_hash := telecom_private.hash_password(register_customer.password);
  if not telecom_private.use_verification_code(register_customer.mobile_no, 'register', register_customer.code) then
    return null;
  end if;
  select * into strict v_account from telecom.customer_account as account where account.mobile_no = register_customer.mobile_no;
  insert into telecom_private.customer_credential (mobile_no, password_hash)
  values (v_account.mobile_no, v_hash)
  on conflict on constraint customer_credential_pkey do update set password_hash = excluded.password_hash;
  perform telecom_private.clear_login_failures(v_account.mobile_no);
  return ('telecom_customer', extract(epoch from now() + interval '1 hour')::bigint, v_account.mobile_no, v_account.national_id, null, null)::telecom.jwt_token;
end;
$$;

comment on function telecom.register_customer(text, text, text) is 'Activates online access for a number: with the code sent to it by request_verification_code, sets its password (8 characters to 72 bytes) and returns a login token. Returns null when the code is wrong, expired, used, for another purpose or out of attempts (the same answer whether or not the number exists); throttled like a login (TC220).';

grant execute on function telecom.register_customer(text, text, text) to telecom_anonymous;
--! EndIncluded identity/register_customer.sql
--! Included identity/switch_number.sql
-- switch_number (SPEC §5 "Several numbers"): a customer who holds several numbers reissues their
-- login for another of them, so every "caller's number" operation (transfer_to_mobile, open_ticket,
-- change_password) follows the number they chose.

create or replace function telecom.switch_number(mobile_no text) returns telecom.jwt_token
  language plpgsql
  volatile
  security invoker
as $$
declare
  v_account telecom.customer_account;
  v_expires_at bigint := extract(epoch from now() + interval '1 hour')::bigint;
begin
  if telecom.current_national_id() is null then
    raise exception 'Only a logged-in customer can switch numbers.' using errcode = '42501';
  end if;
  -- Unknown numbers and other people's numbers get the same answer: nothing tells whether they exist.
  select * into v_account
  from telecom.customer_account as account
  where account.mobile_no = switch_number.mobile_no
    and account.national_id = telecom.current_national_id();
  if not found then
    raise exception 'You can only switch to one of your own numbers.' using errcode = '42501';
  end if;
  -- A held account can still be viewed; the operations that need an active one refuse it themselves
  -- (TC103). The new token ends when the current one does (the server passes its expiry as
  -- jwt.claims.exp), so switching never prolongs a login; without that claim, one hour as a login.
  return (
    'telecom_customer',
    least(v_expires_at, coalesce(nullif(current_setting('jwt.claims.exp', true), '')::bigint, v_expires_at)),
    v_account.mobile_no,
    v_account.national_id,
    null,
    null
  )::telecom.jwt_token;
end;
$$;

comment on function telecom.switch_number(text) is 'Reissues the logged-in customer''s token for another of their own numbers (an account on hold too: it can be viewed, and operations that need an active account refuse it). The new token expires when the current one does. Another person''s number, or one that does not exist, is refused with 42501.';

grant execute on function telecom.switch_number(text) to telecom_customer;
--! EndIncluded identity/switch_number.sql
--! Included identity/network_credential.sql
-- Table telecom_private.network_credential: who may read and write it and what it means.
-- Its columns and constraints are table changes (migrations/current, then committed).
-- No API role reads or writes it: admins manage it through set_network_credential and
-- remove_network_credential, the network logs in through authenticate_network.

revoke all on telecom_private.network_credential from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;

comment on table telecom_private.network_credential is 'A login of the network''s mediation system (SPEC §5): its client id, the network it speaks for and the bcrypt hash of its secret.';
comment on column telecom_private.network_credential.client_id is 'The client id the mediation system logs in with.';
comment on column telecom_private.network_credential.network_id is 'The network the client speaks for: the network_id claim of its tokens, recorded with each usage event.';
comment on column telecom_private.network_credential.secret_hash is 'bcrypt hash (crypt() with gen_salt(''bf'', 10)) of the secret.';
comment on column telecom_private.network_credential.created_at is 'When the credential was set.';
--! EndIncluded identity/network_credential.sql
--! Included identity/set_network_credential.sql
-- Admins (and trusted sessions) create a network login or give it a new secret (SPEC §5).
create or replace function telecom.set_network_credential(client_id text, network_id text, secret text) returns boolean
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  if not telecom.current_role_is_admin() then
    raise exception 'Only an admin can manage the network''s logins.' using errcode = '42501';
  end if;
  if set_network_credential.client_id is null or set_network_credential.client_id !~ '^[A-Za-z0-9_.-]{3,64}$' then
    raise exception 'A client id has 3 to 64 letters, digits, dots, dashes or underscores.' using errcode = 'TC615';
  end if;
  if set_network_credential.network_id is null or set_network_credential.network_id !~ '^[A-Za-z0-9_.-]{1,64}$' then
    raise exception 'A network id has 1 to 64 letters, digits, dots, dashes or underscores.' using errcode = 'TC615';
  end if;
  if set_network_credential.secret is null or length(set_network_credential.secret) < 16 or octet_length(set_network_credential.secret) > 72 then
    raise exception 'A network secret has at least 16 characters and at most 72 bytes.' using errcode = 'TC616';
  end if;
  insert into telecom_private.network_credential (client_id, network_id, secret_hash)
  values (
    set_network_credential.client_id,
    set_network_credential.network_id,
    public.crypt(set_network_credential.secret, public.gen_salt('bf', 10))
  )
  on conflict on constraint network_credential_pkey do update
  set network_id = excluded.network_id, secret_hash = excluded.secret_hash, created_at = now();
  return true;
end;
$$;

comment on function telecom.set_network_credential(text, text, text) is 'Creates the network login client_id for network_id, or gives it a new secret (16 characters to 72 bytes). Admins only.';

revoke all on function telecom.set_network_credential(text, text, text) from public;
grant execute on function telecom.set_network_credential(text, text, text) to telecom_admin;
--! EndIncluded identity/set_network_credential.sql
--! Included identity/remove_network_credential.sql
-- Admins (and trusted sessions) remove a network login; tokens already issued run out within the hour.
create or replace function telecom.remove_network_credential(client_id text) returns boolean
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  if not telecom.current_role_is_admin() then
    raise exception 'Only an admin can manage the network''s logins.' using errcode = '42501';
  end if;
  delete from telecom_private.network_credential as credential
  where credential.client_id = remove_network_credential.client_id;
  return found;
end;
$$;

comment on function telecom.remove_network_credential(text) is 'Removes the network login client_id; true when there was one. Admins only.';

revoke all on function telecom.remove_network_credential(text) from public;
grant execute on function telecom.remove_network_credential(text) to telecom_admin;
--! EndIncluded identity/remove_network_credential.sql
--! Included identity/authenticate_network.sql
-- The network's mediation system logs in (SPEC §5): a token of role telecom_network with the claim
-- network_id, valid one hour. Throttled like every login (check_password), bcrypt.
create or replace function telecom.authenticate_network(client_id text, secret text) returns telecom.jwt_token
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_credential telecom_private.network_credential;
begin
  select *
  into v_credential
  from telecom_private.network_credential as credential
  where credential.client_id = authenticate_network.client_id;
  if not telecom_private.check_password('network:' || coalesce(authenticate_network.client_id, ''), authenticate_network.secret, v_credential.secret_hash) then
    return null;
  end if;
  return ('telecom_network', extract(epoch from now() + interval '1 hour')::bigint, null, null, null, v_credential.network_id)::telecom.jwt_token;
end;
$$;

comment on function telecom.authenticate_network(text, text) is 'Logs the network''s mediation system in; returns a token (role telecom_network, claim network_id) valid for one hour, or null when the pair is wrong. Throttled like every login.';

revoke all on function telecom.authenticate_network(text, text) from public;
grant execute on function telecom.authenticate_network(text, text) to telecom_anonymous;
--! EndIncluded identity/authenticate_network.sql

--! Included usage/operator_time_zone.sql
-- The operator's time zone (SPEC §11): the setting telecom.time_zone (ALTER DATABASE … SET
-- telecom.time_zone = '…'), Africa/Cairo by default. A usage event's day and month are its
-- occurred_at in this zone.
create or replace function telecom_private.operator_time_zone() returns text
  language sql
  stable
as $$
  select coalesce(nullif(current_setting('telecom.time_zone', true), ''), 'Africa/Cairo')
$$;

comment on function telecom_private.operator_time_zone() is 'The operator''s time zone: the setting telecom.time_zone, Africa/Cairo by default.';

grant execute on function telecom_private.operator_time_zone() to telecom_customer, telecom_admin, telecom_network;

-- The operator's calendar day of a moment.
create or replace function telecom_private.operator_date(p_moment timestamptz) returns date
  language sql
  stable
as $$
  select (p_moment at time zone telecom_private.operator_time_zone())::date
$$;

comment on function telecom_private.operator_date(timestamptz) is 'The day a moment falls on in the operator''s time zone.';

grant execute on function telecom_private.operator_date(timestamptz) to telecom_customer, telecom_admin, telecom_network;
--! EndIncluded usage/operator_time_zone.sql
--! Included usage/tariff.sql
-- Table telecom.tariff: who may read and write it and what it means.
drop policy if exists select_all on telecom.tariff;
create policy select_all on telecom.tariff for select to telecom_anonymous, telecom_customer, telecom_network using (true);

drop policy if exists manage_admin on telecom.tariff;
create policy manage_admin on telecom.tariff for all to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.tariff from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
grant select on telecom.tariff to telecom_anonymous, telecom_customer, telecom_network;
grant select, update (unit_price) on telecom.tariff to telecom_admin;

comment on table telecom.tariff is 'The price of usage beyond a plan''s allowances, per unit of each kind.';
comment on column telecom.tariff.kind is 'The kind of usage: data (MB), voice (minutes) or sms (messages).';
comment on column telecom.tariff.unit_price is 'Price of one MB, minute or message beyond the allowances (EGP); a charge is round(units × unit_price, 2).';
--! EndIncluded usage/tariff.sql
--! Included usage/usage_event.sql
-- Table telecom.usage_event: who may read it and what it means. Only record_usage (and the bulk
-- load) write it; its partitions are kept by ensure_usage_partitions.
drop policy if exists select_own on telecom.usage_event;
create policy select_own on telecom.usage_event for select to telecom_customer
  using (mobile_no = any (array(select telecom.current_mobile_nos())));

drop policy if exists select_admin on telecom.usage_event;
create policy select_admin on telecom.usage_event for select to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.usage_event from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
grant select on telecom.usage_event to telecom_customer, telecom_admin;

comment on table telecom.usage_event is E'A usage event from the network, as rated when it arrived (one row per event_id).\n@behavior -insert -update -delete';
comment on column telecom.usage_event.event_id is 'The network''s id of the event; a replay with the same id returns the first result.';
comment on column telecom.usage_event.mobile_no is 'The account that used the service.';
comment on column telecom.usage_event.kind is 'data (MB), voice (minutes) or sms (messages).';
comment on column telecom.usage_event.quantity is 'The quantity as the network sent it; it is rated rounded up to whole MB, minutes or messages.';
comment on column telecom.usage_event.occurred_at is 'When the usage happened; its day in the operator''s time zone is the day it counts for.';
comment on column telecom.usage_event.received_at is 'When the event was rated.';
comment on column telecom.usage_event.plan_id is 'The first plan whose allowance took (part of) it; null when none did.';
comment on column telecom.usage_event.charged is 'What was charged beyond the allowances (EGP); 0 when none.';
comment on column telecom.usage_event.outcome is 'in_allowance (allowances covered all of it), charged (some was charged) or refused (account on hold, or the balance could not cover it).';
comment on column telecom.usage_event.network_id is 'The network_id claim of the network''s token that sent it, when there was one.';
--! EndIncluded usage/usage_event.sql
--! Included usage/usage_event_key.sql
-- Table telecom_private.usage_event_key: the duplicate check of record_usage. usage_event is
-- partitioned by month, so its key includes occurred_at; this table is keyed by event_id alone.
revoke all on telecom_private.usage_event_key from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;

comment on table telecom_private.usage_event_key is 'Every usage event id seen, with its occurred_at (to find its row in usage_event). Rows go when their partition is detached.';
comment on column telecom_private.usage_event_key.event_id is 'The network''s id of the event.';
comment on column telecom_private.usage_event_key.occurred_at is 'The event''s occurred_at: with event_id, the key of its usage_event row.';
--! EndIncluded usage/usage_event_key.sql
--! Included usage/usage_allocation.sql
-- Table telecom.usage_allocation: who may read it and what it means. Only record_usage writes it.
drop policy if exists select_own on telecom.usage_allocation;
create policy select_own on telecom.usage_allocation for select to telecom_customer
  using (mobile_no = any (array(select telecom.current_mobile_nos())));

drop policy if exists select_admin on telecom.usage_allocation;
create policy select_admin on telecom.usage_allocation for select to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.usage_allocation from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
grant select on telecom.usage_allocation to telecom_customer, telecom_admin;

comment on table telecom.usage_allocation is E'How a usage event was split across the allowances of the account''s plans (what was left was charged).\n@behavior -insert -update -delete';
comment on column telecom.usage_allocation.event_id is 'The usage event.';
comment on column telecom.usage_allocation.plan_id is 'The plan whose allowance took this part.';
comment on column telecom.usage_allocation.mobile_no is 'The account of the event.';
comment on column telecom.usage_allocation.quantity is 'Whole MB, minutes or messages taken from that plan''s allowance.';
--! EndIncluded usage/usage_allocation.sql
--! Included usage/usage_alert.sql
-- Table telecom.usage_alert: who may read it and what it means. Only record_usage writes it.
drop policy if exists select_own on telecom.usage_alert;
create policy select_own on telecom.usage_alert for select to telecom_customer
  using (mobile_no = any (array(select telecom.current_mobile_nos())));

drop policy if exists select_admin on telecom.usage_alert;
create policy select_admin on telecom.usage_alert for select to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.usage_alert from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
grant select on telecom.usage_alert to telecom_customer, telecom_admin;

comment on table telecom.usage_alert is E'An allowance crossing 80 % or 100 % of a plan''s monthly amount: raised once per account, plan, kind, month and threshold.\n@behavior -insert -update -delete';
comment on column telecom.usage_alert.mobile_no is 'The account.';
comment on column telecom.usage_alert.plan_id is 'The plan whose allowance it is.';
comment on column telecom.usage_alert.kind is 'data, voice or sms.';
comment on column telecom.usage_alert.period_start is 'The first day of the calendar month of the allowance.';
comment on column telecom.usage_alert.threshold is '80 or 100 (per cent of the allowance used).';
comment on column telecom.usage_alert.raised_at is 'When the usage crossed the threshold.';
--! EndIncluded usage/usage_alert.sql
--! Included usage/ensure_usage_partitions.sql
-- Partitions of telecom.usage_event (SPEC §11): one per calendar month of the operator's time zone,
-- named telecom_private.usage_event_pYYYY_MM. This keeps the month of seven days ago (record_usage
-- takes events up to 7 days old), this month and the next; the server's maintenance tick calls it
-- every minute (telecom.maintenance_tick), and the migration once, so record_usage never lacks one.
-- Retention: a month's partition is detached once at least four full months have ended after it
-- (recommended_plans reads the three full months before this one). The detached table stays in
-- telecom_private for the DBA to archive or drop; its event ids leave usage_event_key (with their
-- usage_allocation rows), since a replay that old is refused as more than 7 days old anyway.
create or replace function telecom_private.ensure_usage_partitions() returns text[]
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_zone text := telecom_private.operator_time_zone();
  v_this_month date := date_trunc('month', telecom_private.operator_date(now()))::date;
  v_month date;
  v_name text;
  v_done text[] := '{}';
  v_partition record;
begin
  for v_month in
    select month::date
    from generate_series(
      date_trunc('month', telecom_private.operator_date(now() - interval '7 days')),
      v_this_month + interval '1 month',
      interval '1 month'
    ) as month
  loop
    v_name := 'usage_event_p' || to_char(v_month, 'YYYY_MM');
    if to_regclass('telecom_private.' || v_name) is null then
      execute format(
        'create table telecom_private.%I partition of telecom.usage_event for values from (%L) to (%L)',
        v_name,
        (v_month::timestamp at time zone v_zone),
        ((v_month + interval '1 month')::timestamp at time zone v_zone)
      );
      v_done := v_done || ('created ' || v_name);
    end if;
  end loop;
  for v_partition in
    select child.relname, to_date(substring(child.relname from 'usage_event_p(\d{4}_\d{2})$'), 'YYYY_MM') as month
    from pg_catalog.pg_inherits as inheritance
    inner join pg_catalog.pg_class as child
      on child.oid = inheritance.inhrelid
    where inheritance.inhparent = 'telecom.usage_event'::regclass
      and child.relname ~ '^usage_event_p\d{4}_\d{2}$'
  loop
    -- Four full months have ended after the partition's month.
    if v_partition.month + interval '1 month' <= v_this_month - interval '4 months' then
      execute format('alter table telecom.usage_event detach partition telecom_private.%I', v_partition.relname);
      delete from telecom_private.usage_event_key as usage_key
      where usage_key.occurred_at >= (v_partition.month::timestamp at time zone v_zone)
        and usage_key.occurred_at < ((v_partition.month + interval '1 month')::timestamp at time zone v_zone);
      v_done := v_done || ('detached ' || v_partition.relname);
    end if;
  end loop;
  return v_done;
end;
$$;

comment on function telecom_private.ensure_usage_partitions() is 'Creates the usage_event partitions of the month seven days ago, this month and the next (operator''s time zone), and detaches those whose month ended at least four full months ago. Returns what it did. Called by the maintenance tick.';

revoke all on function telecom_private.ensure_usage_partitions() from public;
--! EndIncluded usage/ensure_usage_partitions.sql
--! Included usage/tg_plan_usage__dates_and_plan.sql
-- A usage record (SPEC §3) is not in the future, does not start before its account, and is
-- recorded only against a plan the account has a subscription to. "Today" is the later of the
-- database's and the operator's (record_usage dates events in the operator's time zone).
create or replace function telecom_private.tg_plan_usage__dates_and_plan() returns trigger
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  if new.end_date > greatest(current_date, telecom_private.operator_date(now())) then
    raise exception 'Usage cannot be recorded for the future (%).', new.end_date using errcode = 'TC011';
  end if;
  if exists (
    select
    from telecom.customer_account as account
    where account.mobile_no = new.mobile_no
      and account.start_date > new.start_date
  ) then
    raise exception 'Usage cannot start (%) before its account.', new.start_date using errcode = 'TC012';
  end if;
  if not exists (
    select
    from telecom.subscription as subscription
    where subscription.mobile_no = new.mobile_no
      and subscription.plan_id = new.plan_id
  ) then
    raise exception '% has no subscription to plan %: usage is recorded only against its plans.', new.mobile_no, new.plan_id using errcode = 'TC014';
  end if;
  return new;
end;
$$;

create or replace trigger _100_dates_and_plan
  before insert or update
  on telecom.plan_usage
  for each row
  execute function telecom_private.tg_plan_usage__dates_and_plan();
--! EndIncluded usage/tg_plan_usage__dates_and_plan.sql
--! Included usage/notify_live.sql
-- Live updates (SPEC §11): what changed for a person goes out with NOTIFY on the channel
-- telecom_live:person:<national_id>, and a summary of each usage event on telecom_live:admin. The
-- server's GraphQL subscriptions LISTEN on the channel the verified token names; payloads carry no
-- more than the person may see.
create or replace function telecom_private.notify_live(p_national_id integer, p_what text, p_mobile_no text, p_detail jsonb default '{}') returns void
  language sql
  volatile
as $$
  select pg_catalog.pg_notify(
    'telecom_live:person:' || p_national_id,
    (jsonb_build_object('what', p_what, 'mobile_no', p_mobile_no) || p_detail)::text
  )
$$;

comment on function telecom_private.notify_live(integer, text, text, jsonb) is 'Tells the person''s live subscriptions that their usage, balance or alerts changed.';
--! EndIncluded usage/notify_live.sql
--! Included usage/tg_customer_account__notify.sql
-- Balance changes of any cause (usage charges, payments, recharges) reach the person's app.
create or replace function telecom_private.tg_customer_account__notify() returns trigger
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  perform telecom_private.notify_live(new.national_id, 'balance', new.mobile_no, jsonb_build_object('balance', new.balance));
  return null;
end;
$$;

create or replace trigger _900_notify
  after update of balance
  on telecom.customer_account
  for each row
  when (old.balance is distinct from new.balance)
  execute function telecom_private.tg_customer_account__notify();
--! EndIncluded usage/tg_customer_account__notify.sql
--! Included usage/find_usage_event.sql
-- The duplicate check of record_usage, first of all (SPEC §11): the first row of a known event_id
-- when the data is the same, TC406 when the id was used for other data, null for a new id. A replay
-- after 7 days still finds its row.
create or replace function telecom_private.find_usage_event(p_event_id uuid, p_mobile_no text, p_kind telecom.usage_kind, p_quantity numeric, p_occurred_at timestamptz) returns telecom.usage_event
  language plpgsql
  stable
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_event telecom.usage_event;
begin
  select event.*
  into v_event
  from telecom_private.usage_event_key as usage_key
  inner join telecom.usage_event as event
    on event.event_id = usage_key.event_id
    and event.occurred_at = usage_key.occurred_at
  where usage_key.event_id = p_event_id;
  if not found then
    return null;
  end if;
  if (v_event.mobile_no, v_event.kind, v_event.quantity, v_event.occurred_at) is distinct from (p_mobile_no, p_kind, p_quantity, p_occurred_at) then
    raise exception 'The event id % was already used for another event.', p_event_id using errcode = 'TC406';
  end if;
  return v_event;
end;
$$;

comment on function telecom_private.find_usage_event(uuid, text, telecom.usage_kind, numeric, timestamptz) is 'The stored row of a usage event id with the same data, null for a new id; TC406 when the id was used for other data.';
--! EndIncluded usage/find_usage_event.sql
--! Included usage/usage_units.sql
-- What record_usage (and the bulk load) refuse before rating an event, and its rated units: the
-- quantity rounded up to whole MB, minutes or messages (SPEC §11). Raises the TC4xx code.
create or replace function telecom_private.usage_units(p_event_id uuid, p_kind telecom.usage_kind, p_quantity numeric, p_occurred_at timestamptz) returns integer
  language plpgsql
  stable
as $$
begin
  if p_event_id is null then
    raise exception 'A usage event needs its id.' using errcode = 'TC407';
  end if;
  if p_kind is null then
    raise exception 'A usage event needs its kind: data, voice or sms.' using errcode = 'TC403';
  end if;
  if p_quantity is null or p_quantity <= 0 then
    raise exception 'The quantity of a usage event must be more than zero.' using errcode = 'TC402';
  end if;
  if p_quantity > (case p_kind when 'data' then 1048576 when 'voice' then 1440 else 1000 end) then
    raise exception 'The quantity % is too large for one % event.', p_quantity, p_kind using errcode = 'TC402';
  end if;
  if p_occurred_at is null or p_occurred_at > now() then
    raise exception 'A usage event cannot happen in the future (%).', p_occurred_at using errcode = 'TC404';
  end if;
  if p_occurred_at < now() - interval '7 days' then
    raise exception 'The usage event of % is more than 7 days old.', p_occurred_at using errcode = 'TC405';
  end if;
  return ceil(p_quantity)::integer;
end;
$$;

comment on function telecom_private.usage_units(uuid, telecom.usage_kind, numeric, timestamptz) is 'Checks a usage event (TC402–TC407) and returns its quantity rounded up to whole units.';
--! EndIncluded usage/usage_units.sql
--! Included usage/record_usage.sql
-- Rates one usage event from the network as it arrives (SPEC §11):
-- 1. the duplicate check first: a known event_id with the same data returns its first row (TC406
--    with other data), also after 7 days;
-- 2. the event is checked (TC401–TC407) and the account locked, the first lock as in every money
--    function (for no key update);
-- 3. the quantity, rounded up, is drawn from the allowances of the subscriptions covering the
--    event's day (active, day < paid_until), oldest subscription first, each plan's offered amount
--    minus its usage that calendar month; the rest is charged at the tariff, round(rest × price, 2);
-- 4. an account on hold, or a prepaid / pay-as-you-go balance that cannot cover the charge, stores
--    the event as refused and counts nothing; post-paid balances go below zero;
-- 5. each part drawn goes to the plan_usage record of (account, plan, day) and to usage_allocation;
--    crossing 80 % or 100 % of an allowance raises usage_alert once per month; the person's live
--    subscriptions are told.
create or replace function telecom.record_usage(event_id uuid, mobile_no text, kind telecom.usage_kind, quantity numeric, occurred_at timestamptz) returns telecom.usage_event
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_event telecom.usage_event;
  v_account telecom.customer_account;
  v_units integer;
  v_day date;
  v_month date;
  v_rest integer;
  v_take integer;
  v_used integer;
  v_plans integer[] := '{}';
  v_takes integer[] := '{}';
  v_useds integer[] := '{}';
  v_offereds integer[] := '{}';
  v_unit_price numeric;
  v_charged numeric(12,2) := 0;
  v_outcome telecom.usage_outcome;
  v_subscription record;
  v_index integer;
  v_threshold smallint;
begin
  if not (telecom_private.session_is_trusted() or telecom_private.caller_role() = 'telecom_network') then
    raise exception 'Only the network records usage.' using errcode = '42501';
  end if;
  v_event := telecom_private.find_usage_event(record_usage.event_id, record_usage.mobile_no, record_usage.kind, record_usage.quantity, record_usage.occurred_at);
  if v_event.event_id is not null then
    return v_event;
  end if;
  v_units := telecom_private.usage_units(record_usage.event_id, record_usage.kind, record_usage.quantity, record_usage.occurred_at);
  select *
  into v_account
  from telecom.customer_account as account
  where account.mobile_no = record_usage.mobile_no
  for no key update;
  if not found then
    raise exception 'There is no account with mobile number %.', record_usage.mobile_no using errcode = 'TC401';
  end if;
  -- A twin sent at the same time: it waited for the first (same account lock, or the key's row).
  insert into telecom_private.usage_event_key (event_id, occurred_at)
  values (record_usage.event_id, record_usage.occurred_at)
  on conflict on constraint usage_event_key_pkey do nothing;
  if not found then
    return telecom_private.find_usage_event(record_usage.event_id, record_usage.mobile_no, record_usage.kind, record_usage.quantity, record_usage.occurred_at);
  end if;

  v_day := telecom_private.operator_date(record_usage.occurred_at);
  v_month := date_trunc('month', v_day)::date;
  v_rest := v_units;
  if v_account.status = 'active' then
    for v_subscription in
      select
        subscription.plan_id,
        case record_usage.kind
          when 'data' then plan.data_offered
          when 'voice' then plan.minutes_offered
          else plan.sms_offered
        end as offered
      from telecom.subscription as subscription
      inner join telecom.service_plan as plan
        on plan.plan_id = subscription.plan_id
      where subscription.mobile_no = record_usage.mobile_no
        and subscription.status = 'active'
        and v_day < subscription.paid_until
      order by subscription.subscription_date, subscription.plan_id
    loop
      exit when v_rest = 0;
      select coalesce(sum(
        case record_usage.kind
          when 'data' then usage.data_consumption
          when 'voice' then usage.minutes_used
          else usage.sms_sent
        end
      ), 0)
      into v_used
      from telecom.plan_usage as usage
      where usage.mobile_no = record_usage.mobile_no
        and usage.plan_id = v_subscription.plan_id
        and usage.start_date >= v_month
        and usage.start_date < v_month + interval '1 month';
      v_take := least(v_rest, greatest(v_subscription.offered - v_used, 0));
      if v_take > 0 then
        v_plans := v_plans || v_subscription.plan_id;
        v_takes := v_takes || v_take;
        v_useds := v_useds || v_used;
        v_offereds := v_offereds || v_subscription.offered;
        v_rest := v_rest - v_take;
      end if;
    end loop;
    if v_rest > 0 then
      select tariff.unit_price into v_unit_price from telecom.tariff as tariff where tariff.kind = record_usage.kind;
      if not found then
        raise exception 'There is no tariff for % beyond the allowances.', record_usage.kind using errcode = 'TC408';
      end if;
      v_charged := round(v_rest * v_unit_price, 2);
    end if;
  end if;
  v_outcome := case
    when v_account.status <> 'active' then 'refused'
    when v_account.account_type <> 'post_paid' and v_account.balance < v_charged then 'refused'
    when v_rest > 0 then 'charged'
    else 'in_allowance'
  end;

  insert into telecom.usage_event (event_id, mobile_no, kind, quantity, occurred_at, plan_id, charged, outcome, network_id)
  values (
    record_usage.event_id,
    record_usage.mobile_no,
    record_usage.kind,
    record_usage.quantity,
    record_usage.occurred_at,
    case when v_outcome <> 'refused' then v_plans[1] end,
    case when v_outcome <> 'refused' then v_charged else 0 end,
    v_outcome,
    case when telecom_private.caller_role() = 'telecom_network' then nullif(current_setting('jwt.claims.network_id', true), '') end
  )
  returning * into v_event;

  if v_outcome <> 'refused' then
    for v_index in 1 .. coalesce(array_length(v_plans, 1), 0) loop
      update telecom.plan_usage as usage
      set
        data_consumption = usage.data_consumption + case when record_usage.kind = 'data' then v_takes[v_index] else 0 end,
        minutes_used = usage.minutes_used + case when record_usage.kind = 'voice' then v_takes[v_index] else 0 end,
        sms_sent = usage.sms_sent + case when record_usage.kind = 'sms' then v_takes[v_index] else 0 end
      where usage.mobile_no = record_usage.mobile_no
        and usage.plan_id = v_plans[v_index]
        and usage.start_date = v_day
        and usage.end_date = v_day;
      if not found then
        insert into telecom.plan_usage (mobile_no, plan_id, start_date, end_date, data_consumption, minutes_used, sms_sent)
        values (
          record_usage.mobile_no,
          v_plans[v_index],
          v_day,
          v_day,
          case when record_usage.kind = 'data' then v_takes[v_index] else 0 end,
          case when record_usage.kind = 'voice' then v_takes[v_index] else 0 end,
          case when record_usage.kind = 'sms' then v_takes[v_index] else 0 end
        );
      end if;
      insert into telecom.usage_allocation (event_id, plan_id, mobile_no, quantity)
      values (record_usage.event_id, v_plans[v_index], record_usage.mobile_no, v_takes[v_index]);
      foreach v_threshold in array array[80, 100]::smallint[] loop
        if v_useds[v_index] * 100 < v_threshold * v_offereds[v_index]
          and (v_useds[v_index] + v_takes[v_index]) * 100 >= v_threshold * v_offereds[v_index] then
          insert into telecom.usage_alert (mobile_no, plan_id, kind, period_start, threshold)
          values (record_usage.mobile_no, v_plans[v_index], record_usage.kind, v_month, v_threshold)
          on conflict do nothing;
          if found then
            perform telecom_private.notify_live(v_account.national_id, 'alert', record_usage.mobile_no, jsonb_build_object('plan_id', v_plans[v_index], 'threshold', v_threshold));
          end if;
        end if;
      end loop;
    end loop;
    if v_charged > 0 then
      perform telecom_private.begin_money_operation('record_usage', null, jsonb_build_object('event_id', record_usage.event_id));
      if v_account.balance - v_charged < -9999999999.99 then
        raise exception 'The balance of % cannot owe % more.', record_usage.mobile_no, v_charged using errcode = 'TC317';
      end if;
      update telecom.customer_account as account
      set balance = account.balance - v_charged
      where account.mobile_no = record_usage.mobile_no;
      perform telecom_private.finish_money_operation(to_jsonb(v_event));
    end if;
  end if;
  perform telecom_private.notify_live(v_account.national_id, 'usage', record_usage.mobile_no, jsonb_build_object('event_id', record_usage.event_id, 'outcome', v_outcome));
  perform pg_catalog.pg_notify('telecom_live:admin', jsonb_build_object('mobile_no', record_usage.mobile_no, 'kind', record_usage.kind, 'outcome', v_outcome, 'charged', v_event.charged)::text);
  return v_event;
end;
$$;

comment on function telecom.record_usage(uuid, text, telecom.usage_kind, numeric, timestamptz) is 'Rates one usage event from the network: draws it from the allowances of the plans that cover its day (oldest subscription first), charges the rest at the tariff, and returns the stored event (outcome in_allowance, charged or refused). A repeated event_id with the same data returns the first result. The network and trusted sessions only.';

revoke all on function telecom.record_usage(uuid, text, telecom.usage_kind, numeric, timestamptz) from public;
grant execute on function telecom.record_usage(uuid, text, telecom.usage_kind, numeric, timestamptz) to telecom_network;
--! EndIncluded usage/record_usage.sql
--! Included usage/recommended_plans.sql
-- Personalised plans (SPEC §11): what the account's usage in the three full calendar months before
-- this one (operator's time zone) would have cost per month on each plan — its price plus the tariff
-- beyond its allowances, month by month — against what the account paid per month (successful plan
-- payments and usage charges of those months). Best first. Usage counts what plan_usage records hold
-- plus the charged remainders of usage events (refused events count nothing). Security definer
-- for the operator's time zone (telecom_private); assert_account_access checks the caller itself.
create or replace function telecom.recommended_plans(mobile_no text)
returns table (plan_id integer, plan_name text, monthly_cost numeric, current_monthly_cost numeric, monthly_saving numeric)
  language sql
  stable
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
  with window_months as (
    select
      (date_trunc('month', telecom_private.operator_date(now())) - interval '3 months')::date as first_day,
      date_trunc('month', telecom_private.operator_date(now()))::date as end_day
    -- The caller's check comes first: every step below reads this one.
    where telecom.assert_account_access(recommended_plans.mobile_no)
  ),
  months as (
    select month::date as month_start
    from window_months
    cross join generate_series(window_months.first_day, window_months.end_day - interval '1 month', interval '1 month') as month
  ),
  recorded as (
    select
      date_trunc('month', usage.start_date)::date as month_start,
      sum(usage.data_consumption) as data_units,
      sum(usage.minutes_used) as voice_units,
      sum(usage.sms_sent) as sms_units
    from telecom.plan_usage as usage
    cross join window_months
    where usage.mobile_no = recommended_plans.mobile_no
      and usage.start_date >= window_months.first_day
      and usage.start_date < window_months.end_day
    group by 1
  ),
  charged_rest as (
    select
      date_trunc('month', telecom_private.operator_date(event.occurred_at))::date as month_start,
      event.kind,
      sum(ceil(event.quantity) - coalesce((
        select sum(allocation.quantity)
        from telecom.usage_allocation as allocation
        where allocation.event_id = event.event_id
      ), 0)) as units,
      sum(event.charged) as charged
    from telecom.usage_event as event
    cross join window_months
    where event.mobile_no = recommended_plans.mobile_no
      and event.outcome = 'charged'
      and event.occurred_at >= (window_months.first_day::timestamp at time zone telecom_private.operator_time_zone())
      and event.occurred_at < (window_months.end_day::timestamp at time zone telecom_private.operator_time_zone())
    group by 1, 2
  ),
  monthly_usage as (
    select
      months.month_start,
      coalesce(recorded.data_units, 0) + coalesce((select rest.units from charged_rest as rest where rest.month_start = months.month_start and rest.kind = 'data'), 0) as data_units,
      coalesce(recorded.voice_units, 0) + coalesce((select rest.units from charged_rest as rest where rest.month_start = months.month_start and rest.kind = 'voice'), 0) as voice_units,
      coalesce(recorded.sms_units, 0) + coalesce((select rest.units from charged_rest as rest where rest.month_start = months.month_start and rest.kind = 'sms'), 0) as sms_units
    from months
    left join recorded
      on recorded.month_start = months.month_start
  ),
  paid as (
    select
      coalesce((
        select sum(payment.amount)
        from telecom.payment as payment
        inner join telecom.process_payment as plan_payment
          on plan_payment.payment_id = payment.payment_id
        cross join window_months
        where payment.mobile_no = recommended_plans.mobile_no
          and payment.status = 'successful'
          and payment.date_of_payment >= window_months.first_day
          and payment.date_of_payment < window_months.end_day
      ), 0)
      + coalesce((select sum(rest.charged) from charged_rest as rest), 0) as total
  ),
  prices as (
    select
      coalesce(max(tariff.unit_price) filter (where tariff.kind = 'data'), 0) as data_price,
      coalesce(max(tariff.unit_price) filter (where tariff.kind = 'voice'), 0) as voice_price,
      coalesce(max(tariff.unit_price) filter (where tariff.kind = 'sms'), 0) as sms_price
    from telecom.tariff as tariff
  ),
  costs as (
    select
      plan.plan_id,
      plan.name as plan_name,
      round(avg(
        plan.price
        + round(greatest(usage.data_units - plan.data_offered, 0) * prices.data_price, 2)
        + round(greatest(usage.voice_units - plan.minutes_offered, 0) * prices.voice_price, 2)
        + round(greatest(usage.sms_units - plan.sms_offered, 0) * prices.sms_price, 2)
      ), 2) as monthly_cost
    from telecom.service_plan as plan
    cross join monthly_usage as usage
    cross join prices
    group by plan.plan_id, plan.name
  )
  select
    costs.plan_id,
    costs.plan_name,
    costs.monthly_cost,
    round(paid.total / 3, 2) as current_monthly_cost,
    round(paid.total / 3, 2) - costs.monthly_cost as monthly_saving
  from costs
  cross join paid
  order by costs.monthly_cost, costs.plan_id
$$;

comment on function telecom.recommended_plans(text) is 'The plans that would have cost the account least: for each plan, what the usage of the three full calendar months before this one would have cost per month (price plus the tariff beyond its allowances), what the account paid per month (plan payments and usage charges), and the monthly saving. Best first.';

grant execute on function telecom.recommended_plans(text) to telecom_customer, telecom_admin;
--! EndIncluded usage/recommended_plans.sql

select telecom_private.ensure_usage_partitions();

--! split: 61-usage-bulk.sql
-- Bulk loads of usage events (SPEC §11, `npm run usage:load -- FILE.csv`): the staging table is the
-- session's own (temporary), so this migration only adds the rules.
--! Included usage/rate_usage_batch.sql
-- The bulk load of usage events (SPEC §11, `npm run usage:load -- FILE.csv`): the file is copied
-- into the session's staging table pg_temp.usage_load (begin_usage_load makes it), then
-- check_usage_load sorts every line set-based, and rate_usage_batch rates the new events in order.
-- The result is exactly that of calling record_usage once per line in occurred_at order (then line):
-- 1. set-based, the duplicate check first: an event_id already stored (or on an earlier valid line)
--    with the same data is a duplicate and counts nothing; with other data it is TC406;
-- 2. set-based, the checks of usage_units and the account (TC401–TC407): such a line is reported
--    and stores nothing;
-- 3. ordered, the rating itself: record_usage's one rule, per new event in occurred_at order, in
--    chunks of one transaction each, so the allowances, refusals where a balance runs short, the
--    journal, plan_usage, alerts and live notifications are those of single events.

-- The session's staging table (the COPY target): every column text, as in the file.
create or replace function telecom_private.begin_usage_load() returns void
  language plpgsql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  if not telecom_private.session_is_trusted() then
    raise exception 'Only a trusted session loads usage in bulk.' using errcode = '42501';
  end if;
  drop table if exists pg_temp.usage_load;
  create temporary table usage_load (
    line bigint generated always as identity primary key,
    event_id text,
    mobile_no text,
    kind text,
    quantity text,
    occurred_at text,
    -- Filled by check_usage_load: 'new', 'duplicate', 'invalid'; then 'rated'.
    state text,
    error_code text,
    error_message text,
    outcome telecom.usage_outcome,
    charged numeric(12,2)
  );
end;
$$;

comment on function telecom_private.begin_usage_load() is 'Makes the session''s staging table pg_temp.usage_load for a bulk load of usage events (trusted sessions only).';

-- A text the file gives as a timestamp, or null when it is none.
create or replace function telecom_private.try_timestamptz(p_text text) returns timestamptz
  language plpgsql
  stable
as $$
begin
  return p_text::timestamptz;
exception
  when others then
    return null;
end;
$$;

comment on function telecom_private.try_timestamptz(text) is 'The text as a timestamptz, or null when it is not one (bulk loads report such lines).';

-- Sorts the staged lines set-based (steps 1 and 2 above); returns how many of each state.
create or replace function telecom_private.check_usage_load() returns table (state text, lines bigint)
  language plpgsql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  if not telecom_private.session_is_trusted() then
    raise exception 'Only a trusted session loads usage in bulk.' using errcode = '42501';
  end if;
  -- Parse: a field that does not parse is null, so the checks below name it.
  create temporary table usage_load_parsed on commit drop as
  select
    load.line,
    case when load.event_id ~* '^\s*[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\s*$' then trim(load.event_id)::uuid end as event_id,
    trim(load.mobile_no) as mobile_no,
    case when trim(load.kind) in ('data', 'voice', 'sms') then trim(load.kind)::telecom.usage_kind end as kind,
    case when load.quantity ~ '^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)\s*$' then trim(load.quantity)::numeric end as quantity,
    telecom_private.try_timestamptz(nullif(trim(load.occurred_at), '')) as occurred_at
  from pg_temp.usage_load as load
  where load.state is null;
  create index on usage_load_parsed (event_id);
  analyze usage_load_parsed;

  -- 1. Known ids first (as record_usage's find_usage_event), also after 7 days.
  update pg_temp.usage_load as load
  set
    state = case when same then 'duplicate' else 'invalid' end,
    error_code = case when same then null else 'TC406' end,
    error_message = case when same then null else format('The event id %s was already used for another event.', parsed.event_id) end
  from usage_load_parsed as parsed
  inner join telecom_private.usage_event_key as usage_key
    on usage_key.event_id = parsed.event_id
  inner join telecom.usage_event as event
    on event.event_id = usage_key.event_id
    and event.occurred_at = usage_key.occurred_at
  cross join lateral (
    select (event.mobile_no, event.kind, event.quantity, event.occurred_at) is not distinct from (parsed.mobile_no, parsed.kind, parsed.quantity, parsed.occurred_at) as same
  ) as comparison
  where load.line = parsed.line;

  -- 2. The checks of usage_units, in its order, then the account (TC401).
  update pg_temp.usage_load as load
  set
    state = 'invalid',
    error_code = problem.code,
    error_message = problem.message
  from usage_load_parsed as parsed
  cross join lateral (
    select code, message
    from (
      values
        (1, parsed.event_id is null, 'TC407', 'A usage event needs its id.'),
        (2, parsed.kind is null, 'TC403', 'A usage event needs its kind: data, voice or sms.'),
        (3, parsed.quantity is null or parsed.quantity <= 0, 'TC402', 'The quantity of a usage event must be more than zero.'),
        (4, parsed.quantity > (case parsed.kind when 'data' then 1048576 when 'voice' then 1440 else 1000 end), 'TC402', format('The quantity %s is too large for one %s event.', parsed.quantity, parsed.kind)),
        (5, parsed.occurred_at is null or parsed.occurred_at > now(), 'TC404', format('A usage event cannot happen in the future (%s).', coalesce(parsed.occurred_at::text, 'no time'))),
        (6, parsed.occurred_at < now() - interval '7 days', 'TC405', format('The usage event of %s is more than 7 days old.', parsed.occurred_at)),
        (7, not exists (select from telecom.customer_account as account where account.mobile_no = parsed.mobile_no), 'TC401', format('There is no account with mobile number %s.', parsed.mobile_no))
    ) as checks (position, failed, code, message)
    where failed
    order by position
    limit 1
  ) as problem
  where load.line = parsed.line
    and load.state is null;

  -- 3. Among the valid lines, the first of an id (in rating order) is new; a later one is a
  --    duplicate with the same data, TC406 with other data.
  update pg_temp.usage_load as load
  set
    state = case when ranked.same then 'duplicate' when ranked.first then 'new' else 'invalid' end,
    error_code = case when ranked.same or ranked.first then null else 'TC406' end,
    error_message = case when ranked.same or ranked.first then null else format('The event id %s was already used for another event.', ranked.event_id) end
  from (
    select
      parsed.line,
      parsed.event_id,
      row_number() over by_id = 1 as first,
      row_number() over by_id > 1
        and (parsed.mobile_no, parsed.kind, parsed.quantity, parsed.occurred_at)
          is not distinct from (first_value(parsed.mobile_no) over by_id, first_value(parsed.kind) over by_id, first_value(parsed.quantity) over by_id, first_value(parsed.occurred_at) over by_id) as same
    from usage_load_parsed as parsed
    inner join pg_temp.usage_load as unsorted
      on unsorted.line = parsed.line
      and unsorted.state is null
    window by_id as (partition by parsed.event_id order by parsed.occurred_at, parsed.line)
  ) as ranked
  where load.line = ranked.line;

  return query
  select load.state, count(*)
  from pg_temp.usage_load as load
  group by load.state
  order by load.state;
end;
$$;

comment on function telecom_private.check_usage_load() is 'Sorts the staged lines of a bulk usage load set-based: duplicates (also of stored events), TC4xx-invalid lines (reported, never stored) and new events.';

-- Rates the next p_limit new events of the staging table in occurred_at order (then line), each
-- through record_usage; returns the outcomes of this chunk. Call it until it returns no rows.
create or replace function telecom_private.rate_usage_batch(p_limit integer) returns table (outcome telecom.usage_outcome, events bigint, charged numeric)
  language plpgsql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_line record;
  v_event telecom.usage_event;
begin
  if not telecom_private.session_is_trusted() then
    raise exception 'Only a trusted session loads usage in bulk.' using errcode = '42501';
  end if;
  create temporary table usage_load_chunk (line bigint, outcome telecom.usage_outcome, charged numeric(12,2)) on commit drop;
  for v_line in
    select load.line, load.event_id, load.mobile_no, load.kind, load.quantity, load.occurred_at
    from pg_temp.usage_load as load
    where load.state = 'new'
    order by telecom_private.try_timestamptz(trim(load.occurred_at)), load.line
    limit p_limit
  loop
    v_event := telecom.record_usage(trim(v_line.event_id)::uuid, trim(v_line.mobile_no), trim(v_line.kind)::telecom.usage_kind, trim(v_line.quantity)::numeric, trim(v_line.occurred_at)::timestamptz);
    insert into usage_load_chunk values (v_line.line, v_event.outcome, v_event.charged);
  end loop;
  update pg_temp.usage_load as load
  set state = 'rated', outcome = chunk.outcome, charged = chunk.charged
  from usage_load_chunk as chunk
  where load.line = chunk.line;
  return query
  select chunk.outcome, count(*), sum(chunk.charged)
  from usage_load_chunk as chunk
  group by chunk.outcome
  order by chunk.outcome;
end;
$$;

comment on function telecom_private.rate_usage_batch(integer) is 'Rates the next new events of a bulk usage load in occurred_at order through record_usage (one rule, one place); returns the chunk''s outcomes.';
--! EndIncluded usage/rate_usage_batch.sql

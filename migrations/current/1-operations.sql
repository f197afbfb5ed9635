-- Reference operations of SPEC §4: the admin report views (§4.1), the admin operations (§4.2), the
-- customer operations (§4.3) and the self-service operations of §5, with their execute grants.
--
-- Read operations are `stable` and `language sql` where they can be (they inline into PostGraphile's
-- queries); writing operations are `volatile` plpgsql, one transaction each, locking rows in a fixed
-- order (account, then wallet, then payment or voucher) and raising a readable message with a
-- project SQLSTATE (README, "Error codes") when a precondition fails. Functions that move money or
-- points are `security definer` because no API role may update a balance column directly (see
-- 2-security.sql); they check the caller themselves with telecom.assert_account_access.

drop view if exists telecom.num_of_cashback;
drop view if exists telecom.physical_store_vouchers;
drop view if exists telecom.e_shop_vouchers;
drop view if exists telecom.customer_wallet;
drop view if exists telecom.all_resolved_tickets;
drop view if exists telecom.all_shops;
drop view if exists telecom.account_payments;
drop view if exists telecom.all_benefits;
drop view if exists telecom.all_service_plans;
drop view if exists telecom.all_customer_accounts;

drop function if exists telecom.resolve_ticket(integer);
drop function if exists telecom.open_ticket(text, integer);
drop function if exists telecom.hold_subscription(text, integer);
drop function if exists telecom.subscribe_plan(text, integer);
drop function if exists telecom.redeem_voucher_points(text, integer, uuid);
drop function if exists telecom.initiate_balance_payment(text, numeric, telecom.payment_method, uuid);
drop function if exists telecom.payment_wallet_cashback(text, integer, integer, uuid);
drop function if exists telecom.initiate_plan_payment(text, numeric, telecom.payment_method, integer, uuid);
drop function if exists telecom.subscribed_plans_5_months(text);
drop function if exists telecom.top_successful_payments(text);
drop function if exists telecom.extra_plan_amount(text, text);
drop function if exists telecom.remaining_plan_amount(text, text);
drop function if exists telecom.account_highest_voucher(text);
drop function if exists telecom.ticket_account_customer(integer);
drop function if exists telecom.cashback_wallet_customer(integer);
drop function if exists telecom.usage_plan_current_month(text);
drop function if exists telecom.unsubscribed_plans(text);
drop function if exists telecom.consumption(text, date, date);
drop function if exists telecom.total_points_account(text);
drop function if exists telecom.wallet_mobile_no(text);
drop function if exists telecom.wallet_transfer_amount(integer, date, date);
drop function if exists telecom.wallet_cashback_amount(integer, integer);
drop function if exists telecom.account_payment_points(text);
drop function if exists telecom.account_sms_offers(text);
drop function if exists telecom.benefits_account(text, integer);
drop function if exists telecom.account_usage_plan(text, date);
drop function if exists telecom.account_plan_date(date, integer);
drop function if exists telecom.account_plan();
drop function if exists telecom_private.assert_money_amount(numeric);
drop function if exists telecom_private.lock_active_account(text);
drop function if exists telecom.assert_person_access(integer);
drop function if exists telecom.assert_account_access(text);
drop function if exists telecom.assert_date_range(date, date);

--------------------------------------------------------------------------------
-- Access checks shared by the operations

create function telecom.assert_account_access(mobile_no text) returns boolean
  language plpgsql
  stable
as $$
begin
  if telecom.current_role_is_admin() then
    return true;
  end if;
  if exists (
    select
    from telecom.customer_account as account
    where account.mobile_no = assert_account_access.mobile_no
      and account.national_id = telecom.current_national_id()
  ) then
    return true;
  end if;
  raise exception 'You can only use your own mobile numbers.' using errcode = '42501';
end;
$$;
comment on function telecom.assert_account_access(text) is E'@behavior -queryField -mutationField -typeField\nTrue when the caller is an admin or owns the account; raises 42501 otherwise.';

create function telecom.assert_person_access(national_id integer) returns boolean
  language plpgsql
  stable
as $$
begin
  if telecom.current_role_is_admin() or assert_person_access.national_id = telecom.current_national_id() then
    return true;
  end if;
  raise exception 'You can only see your own data.' using errcode = '42501';
end;
$$;
comment on function telecom.assert_person_access(integer) is E'@behavior -queryField -mutationField -typeField\nTrue when the caller is an admin or is that person; raises 42501 otherwise.';

-- Periods come from users: both dates, in order. Called from HAVING in the report functions, where it
-- runs exactly once even when no row matches.
create function telecom.assert_date_range(start_date date, end_date date) returns boolean
  language plpgsql
  immutable
as $$
begin
  if assert_date_range.start_date is null or assert_date_range.end_date is null then
    raise exception 'Give both the first and the last day of the period.' using errcode = 'TC150';
  end if;
  if assert_date_range.end_date < assert_date_range.start_date then
    raise exception 'The period ends (%) before it starts (%).', assert_date_range.end_date, assert_date_range.start_date using errcode = 'TC151';
  end if;
  return true;
end;
$$;
comment on function telecom.assert_date_range(date, date) is E'@behavior -queryField -mutationField -typeField\nTrue when both dates are given and the period does not end before it starts; raises TC150 or TC151 otherwise.';

-- Locks the account (always the first lock a writing operation takes) after checking the caller may
-- use it and that it exists and is active.
create function telecom_private.lock_active_account(p_mobile_no text) returns telecom.customer_account
  language plpgsql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_account telecom.customer_account;
begin
  perform telecom.assert_account_access(p_mobile_no);
  select *
  into v_account
  from telecom.customer_account as account
  where account.mobile_no = p_mobile_no
  for update;
  if not found then
    raise exception 'There is no account with mobile number %.', p_mobile_no using errcode = 'TC101';
  end if;
  if v_account.status <> 'active' then
    raise exception 'The account % is on hold.', p_mobile_no using errcode = 'TC103';
  end if;
  return v_account;
end;
$$;

-- Money arguments come from users: positive, whole cents, and within numeric(12,2).
create function telecom_private.assert_money_amount(p_amount numeric) returns void
  language plpgsql
  immutable
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  if p_amount is null or p_amount <= 0 then
    raise exception 'The amount must be more than zero.' using errcode = 'TC104';
  end if;
  if p_amount <> round(p_amount, 2) then
    raise exception 'The amount % has more than two decimals.', p_amount using errcode = 'TC105';
  end if;
  if p_amount > 9999999999.99 then
    raise exception 'The amount % is too large.', p_amount using errcode = 'TC104';
  end if;
end;
$$;

--------------------------------------------------------------------------------
-- §4.1 Views: admin reports. security_invoker, so a role sees only the rows its policies allow.

create view telecom.all_customer_accounts
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
comment on view telecom.all_customer_accounts is 'Active accounts with their customer''s profile.';

create view telecom.all_service_plans
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
comment on view telecom.all_service_plans is 'Every service plan.';

create view telecom.all_benefits
with (security_invoker = true)
as
select
  benefit.benefit_id,
  benefit.description,
  benefit.validity_date,
  benefit.status,
  benefit.mobile_no
from telecom.benefit as benefit
where benefit.status = 'active';
comment on view telecom.all_benefits is 'Benefits that are still active.';

create view telecom.account_payments
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
comment on view telecom.account_payments is 'Every payment with the account that made it.';

create view telecom.all_shops
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
comment on view telecom.all_shops is 'Every shop with its kind (physical or online; null while neither is recorded) and that kind''s details.';

create view telecom.all_resolved_tickets
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
comment on view telecom.all_resolved_tickets is 'Support tickets that are resolved.';

create view telecom.customer_wallet
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
comment on view telecom.customer_wallet is 'Every wallet with its owner''s first and last name.';

create view telecom.e_shop_vouchers
with (security_invoker = true)
as
select
  shop.shop_id,
  shop.name,
  e_shop.url,
  voucher.voucher_id,
  voucher.value
from telecom.e_shop as e_shop
inner join telecom.shop as shop
  on shop.shop_id = e_shop.shop_id
inner join telecom.voucher as voucher
  on voucher.shop_id = e_shop.shop_id;
comment on view telecom.e_shop_vouchers is 'Online shops with their vouchers.';

create view telecom.physical_store_vouchers
with (security_invoker = true)
as
select
  shop.shop_id,
  shop.name,
  physical_shop.address,
  voucher.voucher_id,
  voucher.value
from telecom.physical_shop as physical_shop
inner join telecom.shop as shop
  on shop.shop_id = physical_shop.shop_id
inner join telecom.voucher as voucher
  on voucher.shop_id = physical_shop.shop_id;
comment on view telecom.physical_store_vouchers is 'Physical shops with their vouchers.';

create view telecom.num_of_cashback
with (security_invoker = true)
as
select
  cashback.wallet_id,
  count(*)::integer as cashback_count
from telecom.cashback as cashback
group by cashback.wallet_id;
comment on view telecom.num_of_cashback is 'How many cashback credits each wallet received (wallets without any are not listed).';
comment on column telecom.num_of_cashback.cashback_count is 'Number of cashback credits.';

--------------------------------------------------------------------------------
-- §4.2 Admin operations

create function telecom.account_plan()
returns table (
  mobile_no text,
  national_id integer,
  balance numeric(12, 2),
  account_type telecom.account_type,
  start_date date,
  status telecom.account_status,
  points integer,
  plan_id integer,
  plan_name text
)
  language sql
  stable
as $$
  select
    account.mobile_no,
    account.national_id,
    account.balance,
    account.account_type,
    account.start_date,
    account.status,
    account.points,
    plan.plan_id,
    plan.name
  from telecom.customer_account as account
  inner join telecom.subscription as subscription
    on subscription.mobile_no = account.mobile_no
  inner join telecom.service_plan as plan
    on plan.plan_id = subscription.plan_id
  order by account.mobile_no, plan.plan_id
$$;
comment on function telecom.account_plan() is 'Every account with each plan it subscribes to (active or on hold), one row per subscription.';

create function telecom.account_plan_date(subscription_date date, plan_id integer)
returns table (mobile_no text, plan_id integer, plan_name text)
  language sql
  stable
as $$
  select
    subscription.mobile_no,
    plan.plan_id,
    plan.name
  from telecom.subscription as subscription
  inner join telecom.service_plan as plan
    on plan.plan_id = subscription.plan_id
  where subscription.plan_id = account_plan_date.plan_id
    and subscription.subscription_date = account_plan_date.subscription_date
  order by subscription.mobile_no
$$;
comment on function telecom.account_plan_date(date, integer) is 'Accounts whose subscription to the plan is dated that day.';

create function telecom.account_usage_plan(mobile_no text, from_date date)
returns table (plan_id integer, total_data integer, total_minutes integer, total_sms integer)
  language sql
  stable
as $$
  select
    subscription.plan_id,
    coalesce(sum(usage.data_consumption), 0)::integer,
    coalesce(sum(usage.minutes_used), 0)::integer,
    coalesce(sum(usage.sms_sent), 0)::integer
  from telecom.subscription as subscription
  left join telecom.plan_usage as usage
    on usage.mobile_no = subscription.mobile_no
    and usage.plan_id = subscription.plan_id
    and usage.start_date >= account_usage_plan.from_date
  where subscription.mobile_no = account_usage_plan.mobile_no
  group by subscription.plan_id
  order by subscription.plan_id
$$;
comment on function telecom.account_usage_plan(text, date) is 'The account''s usage per plan it subscribes to, summed over usage records starting on or after from_date (data in MB); plans without such records show zeros.';

create function telecom.benefits_account(mobile_no text, plan_id integer) returns integer
  language plpgsql
  volatile
as $$
declare
  v_removed integer;
begin
  if not exists (select from telecom.customer_account as account where account.mobile_no = benefits_account.mobile_no) then
    raise exception 'There is no account with mobile number %.', benefits_account.mobile_no using errcode = 'TC101';
  end if;
  if not exists (select from telecom.service_plan as plan where plan.plan_id = benefits_account.plan_id) then
    raise exception 'There is no plan %.', benefits_account.plan_id using errcode = 'TC102';
  end if;
  -- Points groups, exclusive offers, cashback rows and plan links go with their benefit (on delete cascade).
  delete from telecom.benefit as benefit
  where benefit.mobile_no = benefits_account.mobile_no
    and exists (
      select
      from telecom.plan_provides_benefits as provides
      where provides.plan_id = benefits_account.plan_id
        and provides.benefit_id = benefit.benefit_id
    );
  get diagnostics v_removed = row_count;
  return v_removed;
end;
$$;
comment on function telecom.benefits_account(text, integer) is 'Removes the account''s benefits that the plan provides, with their points groups, exclusive offers and cashback records (credited money stays in the wallet); returns how many benefits were removed.';

create function telecom.account_sms_offers(mobile_no text) returns setof telecom.exclusive_offer
  language sql
  stable
as $$
  select offer.*
  from telecom.exclusive_offer as offer
  inner join telecom.benefit as benefit
    on benefit.benefit_id = offer.benefit_id
  where benefit.mobile_no = account_sms_offers.mobile_no
    and offer.sms_offered > 0
  order by offer.offer_id
$$;
comment on function telecom.account_sms_offers(text) is 'The account''s exclusive offers that include SMS.';

create function telecom.account_payment_points(mobile_no text, out payment_count integer, out total_points integer)
  language sql
  stable
as $$
  with recent_payment as (
    select payment.payment_id
    from telecom.payment as payment
    where payment.mobile_no = account_payment_points.mobile_no
      and payment.status = 'successful'
      and payment.date_of_payment >= current_date - 365
  )
  select
    (select count(*)::integer from recent_payment),
    coalesce((
      select sum(points.points_amount)::integer
      from telecom.points_group as points
      inner join recent_payment
        on recent_payment.payment_id = points.payment_id
    ), 0)
$$;
comment on function telecom.account_payment_points(text) is 'How many successful payments the account made in the last 365 days (from current_date - 365 on) and the loyalty points those payments earned.';

create function telecom.wallet_cashback_amount(wallet_id integer, plan_id integer) returns numeric
  language sql
  stable
as $$
  select coalesce(sum(cashback.amount), 0)
  from telecom.cashback as cashback
  where cashback.wallet_id = wallet_cashback_amount.wallet_id
    and exists (
      select
      from telecom.plan_provides_benefits as provides
      where provides.plan_id = wallet_cashback_amount.plan_id
        and provides.benefit_id = cashback.benefit_id
    )
$$;
comment on function telecom.wallet_cashback_amount(integer, integer) is 'Total cashback credited to the wallet through benefits the plan provides; 0 when none.';

create function telecom.wallet_transfer_amount(wallet_id integer, start_date date, end_date date) returns numeric
  language sql
  stable
as $$
  select round(avg(transfer.amount), 2)
  from telecom.transfer_money as transfer
  where transfer.from_wallet_id = wallet_transfer_amount.wallet_id
    and transfer.transfer_date between wallet_transfer_amount.start_date and wallet_transfer_amount.end_date
  having telecom.assert_date_range(wallet_transfer_amount.start_date, wallet_transfer_amount.end_date)
$$;
comment on function telecom.wallet_transfer_amount(integer, date, date) is 'Average amount (rounded to the cent) of the transfers sent from the wallet between the dates, both included; null when there were none. Both dates are required and must be in order (TC150, TC151).';

create function telecom.wallet_mobile_no(mobile_no text) returns boolean
  language sql
  stable
as $$
  select exists (
    select
    from telecom.wallet as wallet
    where wallet.mobile_no = wallet_mobile_no.mobile_no
  )
$$;
comment on function telecom.wallet_mobile_no(text) is 'Whether the mobile number is linked to a wallet.';

create function telecom.total_points_account(mobile_no text) returns integer
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_points integer;
begin
  if not telecom.current_role_is_admin() then
    raise exception 'Only an admin can recompute points.' using errcode = '42501';
  end if;
  perform set_config('telecom.operation', 'total_points_account', true);
  update telecom.customer_account as account
  set points = coalesce((
    select sum(points.points_amount)::integer
    from telecom.points_group as points
    inner join telecom.payment as payment
      on payment.payment_id = points.payment_id
    where payment.mobile_no = account.mobile_no
  ), 0)
  where account.mobile_no = total_points_account.mobile_no
  returning account.points into v_points;
  if not found then
    raise exception 'There is no account with mobile number %.', total_points_account.mobile_no using errcode = 'TC101';
  end if;
  return v_points;
end;
$$;
comment on function telecom.total_points_account(text) is 'Recomputes the account''s points as the sum of the points groups of its payments, stores and returns it.';

--------------------------------------------------------------------------------
-- §4.3 Customer operations (a customer on their own numbers; an admin on any)

create function telecom.consumption(plan_name text, start_date date, end_date date, out data_consumption integer, out minutes_used integer, out sms_sent integer)
  language sql
  stable
as $$
  select
    coalesce(sum(usage.data_consumption), 0)::integer,
    coalesce(sum(usage.minutes_used), 0)::integer,
    coalesce(sum(usage.sms_sent), 0)::integer
  from telecom.plan_usage as usage
  inner join telecom.service_plan as plan
    on plan.plan_id = usage.plan_id
  where plan.name = consumption.plan_name
    and usage.start_date >= consumption.start_date
    and usage.end_date <= consumption.end_date
  having telecom.assert_date_range(consumption.start_date, consumption.end_date)
$$;
comment on function telecom.consumption(text, date, date) is 'Usage of the plan in records lying within the dates (record start on or after start_date, record end on or before end_date); zeros when none. Both dates are required and must be in order (TC150, TC151). A customer sees their own usage, an admin everyone''s.';

create function telecom.unsubscribed_plans(mobile_no text) returns setof telecom.service_plan
  language sql
  stable
as $$
  select plan.*
  from telecom.service_plan as plan
  where telecom.assert_account_access(unsubscribed_plans.mobile_no)
    and not exists (
      select
      from telecom.subscription as subscription
      where subscription.mobile_no = unsubscribed_plans.mobile_no
        and subscription.plan_id = plan.plan_id
    )
  order by plan.price, plan.plan_id
$$;
comment on function telecom.unsubscribed_plans(text) is 'Plans the account does not subscribe to (neither active nor on hold), cheapest first.';

create function telecom.usage_plan_current_month(mobile_no text)
returns table (plan_id integer, plan_name text, data_consumption integer, minutes_used integer, sms_sent integer)
  language sql
  stable
as $$
  select
    plan.plan_id,
    plan.name,
    coalesce(sum(usage.data_consumption), 0)::integer,
    coalesce(sum(usage.minutes_used), 0)::integer,
    coalesce(sum(usage.sms_sent), 0)::integer
  from telecom.subscription as subscription
  inner join telecom.service_plan as plan
    on plan.plan_id = subscription.plan_id
  left join telecom.plan_usage as usage
    on usage.mobile_no = subscription.mobile_no
    and usage.plan_id = subscription.plan_id
    and usage.start_date >= date_trunc('month', current_date)::date
    and usage.start_date < (date_trunc('month', current_date) + interval '1 month')::date
  where telecom.assert_account_access(usage_plan_current_month.mobile_no)
    and subscription.mobile_no = usage_plan_current_month.mobile_no
    and subscription.status = 'active'
  group by plan.plan_id, plan.name
  order by plan.plan_id
$$;
comment on function telecom.usage_plan_current_month(text) is 'Usage this calendar month (records starting this month) of each of the account''s active subscriptions; zeros for a plan not used yet.';

create function telecom.cashback_wallet_customer(national_id integer) returns setof telecom.cashback
  language sql
  stable
as $$
  select cashback.*
  from telecom.cashback as cashback
  inner join telecom.wallet as wallet
    on wallet.wallet_id = cashback.wallet_id
  where telecom.assert_person_access(cashback_wallet_customer.national_id)
    and wallet.national_id = cashback_wallet_customer.national_id
  order by cashback.credit_date desc, cashback.cashback_id desc
$$;
comment on function telecom.cashback_wallet_customer(integer) is 'Cashback credited to the customer''s wallets, latest first.';

create function telecom.ticket_account_customer(national_id integer) returns integer
  language sql
  stable
as $$
  select count(*)::integer
  from telecom.technical_support_ticket as ticket
  inner join telecom.customer_account as account
    on account.mobile_no = ticket.mobile_no
  where telecom.assert_person_access(ticket_account_customer.national_id)
    and account.national_id = ticket_account_customer.national_id
    and ticket.status <> 'resolved'
$$;
comment on function telecom.ticket_account_customer(integer) is 'How many of the customer''s tickets, across all their accounts, are not resolved.';

create function telecom.account_highest_voucher(mobile_no text) returns integer
  language sql
  stable
as $$
  select voucher.voucher_id
  from telecom.voucher as voucher
  where telecom.assert_account_access(account_highest_voucher.mobile_no)
    and voucher.mobile_no = account_highest_voucher.mobile_no
  order by voucher.value desc, voucher.redeem_date desc, voucher.voucher_id desc
  limit 1
$$;
comment on function telecom.account_highest_voucher(text) is 'The id of the account''s redeemed voucher with the highest value (ties: the latest redeemed); null when none.';

create function telecom.remaining_plan_amount(mobile_no text, plan_name text) returns numeric
  language sql
  stable
as $$
  select processed.remaining_balance
  from telecom.payment as payment
  inner join telecom.process_payment as processed
    on processed.payment_id = payment.payment_id
  inner join telecom.service_plan as plan
    on plan.plan_id = processed.plan_id
  where telecom.assert_account_access(remaining_plan_amount.mobile_no)
    and payment.mobile_no = remaining_plan_amount.mobile_no
    and payment.status = 'successful'
    and plan.name = remaining_plan_amount.plan_name
  order by payment.date_of_payment desc, payment.payment_id desc
  limit 1
$$;
comment on function telecom.remaining_plan_amount(text, text) is 'What is left to pay for the plan after the account''s latest successful payment for it; null when it never paid for the plan.';

create function telecom.extra_plan_amount(mobile_no text, plan_name text) returns numeric
  language sql
  stable
as $$
  select processed.extra_amount
  from telecom.payment as payment
  inner join telecom.process_payment as processed
    on processed.payment_id = payment.payment_id
  inner join telecom.service_plan as plan
    on plan.plan_id = processed.plan_id
  where telecom.assert_account_access(extra_plan_amount.mobile_no)
    and payment.mobile_no = extra_plan_amount.mobile_no
    and payment.status = 'successful'
    and plan.name = extra_plan_amount.plan_name
  order by payment.date_of_payment desc, payment.payment_id desc
  limit 1
$$;
comment on function telecom.extra_plan_amount(text, text) is 'How much the account''s latest successful payment for the plan exceeded its price; null when it never paid for the plan.';

create function telecom.top_successful_payments(mobile_no text) returns setof telecom.payment
  language sql
  stable
as $$
  select payment.*
  from telecom.payment as payment
  where telecom.assert_account_access(top_successful_payments.mobile_no)
    and payment.mobile_no = top_successful_payments.mobile_no
    and payment.status = 'successful'
  order by payment.amount desc, payment.date_of_payment desc, payment.payment_id desc
  limit 10
$$;
comment on function telecom.top_successful_payments(text) is 'The account''s 10 highest successful payments, highest first (ties: latest first).';

create function telecom.subscribed_plans_5_months(mobile_no text) returns setof telecom.service_plan
  language sql
  stable
as $$
  select plan.*
  from telecom.service_plan as plan
  inner join telecom.subscription as subscription
    on subscription.plan_id = plan.plan_id
  where telecom.assert_account_access(subscribed_plans_5_months.mobile_no)
    and subscription.mobile_no = subscribed_plans_5_months.mobile_no
    and subscription.subscription_date >= current_date - interval '5 months'
  order by subscription.subscription_date desc, plan.plan_id
$$;
comment on function telecom.subscribed_plans_5_months(text) is 'Plans whose subscription by the account (active or on hold) is dated within the last 5 months, latest first.';

create function telecom.initiate_plan_payment(mobile_no text, amount numeric, payment_method telecom.payment_method, plan_id integer, idempotency_key uuid default null) returns telecom.payment
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_replay jsonb;
  v_payment telecom.payment;
begin
  if idempotency_key is not null then
    v_replay := telecom_private.idempotency_replay(idempotency_key, 'initiate_plan_payment', jsonb_build_object('mobile_no', mobile_no, 'amount', amount, 'payment_method', payment_method, 'plan_id', plan_id));
    if v_replay is not null then
      return jsonb_populate_record(null::telecom.payment, v_replay);
    end if;
  end if;
  perform telecom_private.lock_active_account(initiate_plan_payment.mobile_no);
  perform telecom_private.assert_money_amount(initiate_plan_payment.amount);
  if initiate_plan_payment.payment_method is null then
    raise exception 'Choose a payment method.' using errcode = 'TC106';
  end if;
  if not exists (select from telecom.service_plan as plan where plan.plan_id = initiate_plan_payment.plan_id) then
    raise exception 'There is no plan %.', initiate_plan_payment.plan_id using errcode = 'TC102';
  end if;
  insert into telecom.payment (mobile_no, amount, date_of_payment, payment_method, status)
  values (initiate_plan_payment.mobile_no, initiate_plan_payment.amount, current_date, initiate_plan_payment.payment_method, 'successful')
  returning * into v_payment;
  -- remaining_balance and extra_amount are computed by the trigger from the amount and the price.
  insert into telecom.process_payment (payment_id, plan_id, remaining_balance, extra_amount)
  values (v_payment.payment_id, initiate_plan_payment.plan_id, 0, 0);
  insert into telecom.subscription as subscription (mobile_no, plan_id, subscription_date, status)
  values (initiate_plan_payment.mobile_no, initiate_plan_payment.plan_id, current_date, 'active')
  on conflict on constraint subscription_pkey do update
  set subscription_date = excluded.subscription_date,
    status = excluded.status;
  if idempotency_key is not null then
    perform telecom_private.idempotency_store(idempotency_key, to_jsonb(v_payment));
  end if;
  return v_payment;
end;
$$;
comment on function telecom.initiate_plan_payment(text, numeric, telecom.payment_method, integer, uuid) is 'Pays for a plan: records a successful payment dated today with its remaining and extra amounts (from the plan''s price), and renews the subscription (active, dated today; created if absent). The account must be active. A repeat with the same idempotency_key returns the first payment.';

create function telecom.payment_wallet_cashback(mobile_no text, payment_id integer, benefit_id integer, idempotency_key uuid default null) returns telecom.cashback
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_replay jsonb;
  v_account telecom.customer_account;
  v_wallet telecom.wallet;
  v_payment telecom.payment;
  v_amount numeric(12, 2);
  v_cashback telecom.cashback;
begin
  if idempotency_key is not null then
    v_replay := telecom_private.idempotency_replay(idempotency_key, 'payment_wallet_cashback', jsonb_build_object('mobile_no', mobile_no, 'payment_id', payment_id, 'benefit_id', benefit_id));
    if v_replay is not null then
      return jsonb_populate_record(null::telecom.cashback, v_replay);
    end if;
  end if;
  v_account := telecom_private.lock_active_account(payment_wallet_cashback.mobile_no);
  -- The wallet linked to this number, otherwise the owner's first wallet.
  select *
  into v_wallet
  from telecom.wallet as wallet
  where wallet.national_id = v_account.national_id
  order by wallet.mobile_no = v_account.mobile_no desc, wallet.wallet_id
  limit 1
  for update;
  if not found then
    raise exception 'The owner of % has no wallet to credit.', v_account.mobile_no using errcode = 'TC115';
  end if;
  select *
  into v_payment
  from telecom.payment as payment
  where payment.payment_id = payment_wallet_cashback.payment_id
    and payment.mobile_no = v_account.mobile_no
  for update;
  if not found then
    raise exception 'Payment % is not a payment of %.', payment_wallet_cashback.payment_id, v_account.mobile_no using errcode = 'TC110';
  end if;
  if v_payment.status <> 'successful' then
    raise exception 'Payment % is %, only successful payments earn cashback.', v_payment.payment_id, v_payment.status using errcode = 'TC111';
  end if;
  if not exists (
    select
    from telecom.benefit as benefit
    where benefit.benefit_id = payment_wallet_cashback.benefit_id
      and benefit.mobile_no = v_account.mobile_no
  ) then
    raise exception 'Benefit % is not a benefit of %.', payment_wallet_cashback.benefit_id, v_account.mobile_no using errcode = 'TC112';
  end if;
  if not exists (
    select
    from telecom.benefit as benefit
    where benefit.benefit_id = payment_wallet_cashback.benefit_id
      and benefit.status = 'active'
  ) then
    raise exception 'Benefit % has expired.', payment_wallet_cashback.benefit_id using errcode = 'TC113';
  end if;
  if exists (select from telecom.cashback as cashback where cashback.payment_id = v_payment.payment_id) then
    raise exception 'Payment % has already earned cashback.', v_payment.payment_id using errcode = 'TC114';
  end if;
  v_amount := round(v_payment.amount * 0.10, 2);
  if v_amount = 0 then
    raise exception 'Payment % is too small to earn cashback.', v_payment.payment_id using errcode = 'TC116';
  end if;
  perform set_config('telecom.operation', 'payment_wallet_cashback', true);
  update telecom.wallet as wallet
  set current_balance = wallet.current_balance + v_amount,
    last_modified_date = current_date
  where wallet.wallet_id = v_wallet.wallet_id;
  insert into telecom.cashback (benefit_id, wallet_id, amount, credit_date, payment_id)
  values (payment_wallet_cashback.benefit_id, v_wallet.wallet_id, v_amount, current_date, v_payment.payment_id)
  returning * into v_cashback;
  if idempotency_key is not null then
    perform telecom_private.idempotency_store(idempotency_key, to_jsonb(v_cashback));
  end if;
  return v_cashback;
end;
$$;
comment on function telecom.payment_wallet_cashback(text, integer, integer, uuid) is 'Credits 10% of a successful payment of the account (rounded to the cent) as cashback, through one of the account''s active benefits, to the wallet linked to the number (otherwise the owner''s first wallet). A payment earns cashback once. A repeat with the same idempotency_key returns the first credit.';

create function telecom.initiate_balance_payment(mobile_no text, amount numeric, payment_method telecom.payment_method, idempotency_key uuid default null) returns telecom.payment
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_replay jsonb;
  v_payment telecom.payment;
begin
  if idempotency_key is not null then
    v_replay := telecom_private.idempotency_replay(idempotency_key, 'initiate_balance_payment', jsonb_build_object('mobile_no', mobile_no, 'amount', amount, 'payment_method', payment_method));
    if v_replay is not null then
      return jsonb_populate_record(null::telecom.payment, v_replay);
    end if;
  end if;
  perform telecom_private.lock_active_account(initiate_balance_payment.mobile_no);
  perform telecom_private.assert_money_amount(initiate_balance_payment.amount);
  if initiate_balance_payment.payment_method is null then
    raise exception 'Choose a payment method.' using errcode = 'TC106';
  end if;
  if exists (
    select
    from telecom.customer_account as account
    where account.mobile_no = initiate_balance_payment.mobile_no
      and account.balance + initiate_balance_payment.amount > 9999999999.99
  ) then
    raise exception 'The balance of % cannot hold that much.', initiate_balance_payment.mobile_no using errcode = 'TC104';
  end if;
  insert into telecom.payment (mobile_no, amount, date_of_payment, payment_method, status)
  values (initiate_balance_payment.mobile_no, initiate_balance_payment.amount, current_date, initiate_balance_payment.payment_method, 'successful')
  returning * into v_payment;
  perform set_config('telecom.operation', 'initiate_balance_payment', true);
  update telecom.customer_account as account
  set balance = account.balance + v_payment.amount
  where account.mobile_no = v_payment.mobile_no;
  if idempotency_key is not null then
    perform telecom_private.idempotency_store(idempotency_key, to_jsonb(v_payment));
  end if;
  return v_payment;
end;
$$;
comment on function telecom.initiate_balance_payment(text, numeric, telecom.payment_method, uuid) is 'Recharges the account: records a successful payment dated today and adds its amount to the balance. The account must be active. A repeat with the same idempotency_key returns the first payment.';

create function telecom.redeem_voucher_points(mobile_no text, voucher_id integer, idempotency_key uuid default null) returns telecom.voucher
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
  if idempotency_key is not null then
    v_replay := telecom_private.idempotency_replay(idempotency_key, 'redeem_voucher_points', jsonb_build_object('mobile_no', mobile_no, 'voucher_id', voucher_id));
    if v_replay is not null then
      return jsonb_populate_record(null::telecom.voucher, v_replay);
    end if;
  end if;
  v_account := telecom_private.lock_active_account(redeem_voucher_points.mobile_no);
  select *
  into v_voucher
  from telecom.voucher as voucher
  where voucher.voucher_id = redeem_voucher_points.voucher_id
  for update;
  if not found then
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
  perform set_config('telecom.operation', 'redeem_voucher_points', true);
  update telecom.customer_account as account
  set points = account.points - v_voucher.points
  where account.mobile_no = v_account.mobile_no;
  update telecom.voucher as voucher
  set mobile_no = v_account.mobile_no,
    redeem_date = current_date
  where voucher.voucher_id = v_voucher.voucher_id
  returning * into v_voucher;
  if idempotency_key is not null then
    perform telecom_private.idempotency_store(idempotency_key, to_jsonb(v_voucher));
  end if;
  return v_voucher;
end;
$$;
comment on function telecom.redeem_voucher_points(text, integer, uuid) is 'Redeems an unredeemed voucher that expires today or later with the account''s points: deducts its points and marks it redeemed by the account today. The account must be active. A repeat with the same idempotency_key returns the first result.';

--------------------------------------------------------------------------------
-- §5 Self-service: subscriptions and tickets

create function telecom.subscribe_plan(mobile_no text, plan_id integer) returns telecom.subscription
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_subscription telecom.subscription;
begin
  perform telecom_private.lock_active_account(subscribe_plan.mobile_no);
  if not exists (select from telecom.service_plan as plan where plan.plan_id = subscribe_plan.plan_id) then
    raise exception 'There is no plan %.', subscribe_plan.plan_id using errcode = 'TC102';
  end if;
  if exists (
    select
    from telecom.subscription as subscription
    where subscription.mobile_no = subscribe_plan.mobile_no
      and subscription.plan_id = subscribe_plan.plan_id
      and subscription.status = 'active'
  ) then
    raise exception '% is already subscribed to plan %.', subscribe_plan.mobile_no, subscribe_plan.plan_id using errcode = 'TC130';
  end if;
  insert into telecom.subscription as subscription (mobile_no, plan_id, subscription_date, status)
  values (subscribe_plan.mobile_no, subscribe_plan.plan_id, current_date, 'active')
  on conflict on constraint subscription_pkey do update
  set subscription_date = excluded.subscription_date,
    status = excluded.status
  returning * into v_subscription;
  return v_subscription;
end;
$$;
comment on function telecom.subscribe_plan(text, integer) is 'Subscribes the account to a plan from today, or reactivates a subscription on hold (dated today). The account must be active.';

create function telecom.hold_subscription(mobile_no text, plan_id integer) returns telecom.subscription
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_subscription telecom.subscription;
begin
  perform telecom.assert_account_access(hold_subscription.mobile_no);
  perform 1
  from telecom.customer_account as account
  where account.mobile_no = hold_subscription.mobile_no
  for update;
  update telecom.subscription as subscription
  set status = 'onhold'
  where subscription.mobile_no = hold_subscription.mobile_no
    and subscription.plan_id = hold_subscription.plan_id
    and subscription.status = 'active'
  returning * into v_subscription;
  if not found then
    raise exception '% has no active subscription to plan %.', hold_subscription.mobile_no, hold_subscription.plan_id using errcode = 'TC131';
  end if;
  return v_subscription;
end;
$$;
comment on function telecom.hold_subscription(text, integer) is 'Puts the account''s active subscription to a plan on hold.';

create function telecom.open_ticket(issue_description text, priority_level integer) returns telecom.technical_support_ticket
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_ticket telecom.technical_support_ticket;
begin
  if telecom.current_mobile_no() is null then
    raise exception 'Log in as a customer to open a ticket.' using errcode = '42501';
  end if;
  if coalesce(btrim(open_ticket.issue_description), '') = '' then
    raise exception 'Describe the issue.' using errcode = 'TC140';
  end if;
  if length(open_ticket.issue_description) > 2000 then
    raise exception 'The description is too long (at most 2000 characters).' using errcode = 'TC140';
  end if;
  if open_ticket.priority_level is null or open_ticket.priority_level not between 1 and 5 then
    raise exception 'The priority must be from 1 to 5.' using errcode = 'TC141';
  end if;
  insert into telecom.technical_support_ticket (mobile_no, issue_description, priority_level, status)
  values (telecom.current_mobile_no(), btrim(open_ticket.issue_description), open_ticket.priority_level, 'open')
  returning * into v_ticket;
  return v_ticket;
end;
$$;
comment on function telecom.open_ticket(text, integer) is 'Opens a support ticket for the number the customer is logged in with (priority 1 lowest to 5 most urgent).';

create function telecom.resolve_ticket(ticket_id integer) returns telecom.technical_support_ticket
  language plpgsql
  volatile
as $$
declare
  v_ticket telecom.technical_support_ticket;
begin
  update telecom.technical_support_ticket as ticket
  set status = 'resolved'
  where ticket.ticket_id = resolve_ticket.ticket_id
    and ticket.status <> 'resolved'
  returning * into v_ticket;
  if not found then
    if exists (select from telecom.technical_support_ticket as ticket where ticket.ticket_id = resolve_ticket.ticket_id) then
      raise exception 'Ticket % is already resolved.', resolve_ticket.ticket_id using errcode = 'TC143';
    end if;
    raise exception 'There is no ticket %.', resolve_ticket.ticket_id using errcode = 'TC142';
  end if;
  return v_ticket;
end;
$$;
comment on function telecom.resolve_ticket(integer) is 'Marks a ticket resolved (admins).';

--------------------------------------------------------------------------------
-- Execute grants: admin reports to admins; customer operations to customers and admins.

grant execute on function telecom.assert_account_access(text) to telecom_customer, telecom_admin;
grant execute on function telecom.assert_person_access(integer) to telecom_customer, telecom_admin;
grant execute on function telecom.assert_date_range(date, date) to telecom_customer, telecom_admin;

grant execute on function telecom.account_plan() to telecom_admin;
grant execute on function telecom.account_plan_date(date, integer) to telecom_admin;
grant execute on function telecom.account_usage_plan(text, date) to telecom_admin;
grant execute on function telecom.benefits_account(text, integer) to telecom_admin;
grant execute on function telecom.account_sms_offers(text) to telecom_admin;
grant execute on function telecom.account_payment_points(text) to telecom_admin;
grant execute on function telecom.wallet_cashback_amount(integer, integer) to telecom_admin;
grant execute on function telecom.wallet_transfer_amount(integer, date, date) to telecom_admin;
grant execute on function telecom.wallet_mobile_no(text) to telecom_admin;
grant execute on function telecom.total_points_account(text) to telecom_admin;
grant execute on function telecom.resolve_ticket(integer) to telecom_admin;

grant execute on function telecom.consumption(text, date, date) to telecom_customer, telecom_admin;
grant execute on function telecom.unsubscribed_plans(text) to telecom_customer, telecom_admin;
grant execute on function telecom.usage_plan_current_month(text) to telecom_customer, telecom_admin;
grant execute on function telecom.cashback_wallet_customer(integer) to telecom_customer, telecom_admin;
grant execute on function telecom.ticket_account_customer(integer) to telecom_customer, telecom_admin;
grant execute on function telecom.account_highest_voucher(text) to telecom_customer, telecom_admin;
grant execute on function telecom.remaining_plan_amount(text, text) to telecom_customer, telecom_admin;
grant execute on function telecom.extra_plan_amount(text, text) to telecom_customer, telecom_admin;
grant execute on function telecom.top_successful_payments(text) to telecom_customer, telecom_admin;
grant execute on function telecom.subscribed_plans_5_months(text) to telecom_customer, telecom_admin;
grant execute on function telecom.initiate_plan_payment(text, numeric, telecom.payment_method, integer, uuid) to telecom_customer, telecom_admin;
grant execute on function telecom.payment_wallet_cashback(text, integer, integer, uuid) to telecom_customer, telecom_admin;
grant execute on function telecom.initiate_balance_payment(text, numeric, telecom.payment_method, uuid) to telecom_customer, telecom_admin;
grant execute on function telecom.redeem_voucher_points(text, integer, uuid) to telecom_customer, telecom_admin;
grant execute on function telecom.subscribe_plan(text, integer) to telecom_customer, telecom_admin;
grant execute on function telecom.hold_subscription(text, integer) to telecom_customer, telecom_admin;
grant execute on function telecom.open_ticket(text, integer) to telecom_customer;

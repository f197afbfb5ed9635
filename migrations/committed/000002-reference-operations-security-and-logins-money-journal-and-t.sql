--! Previous: sha1:d7ee62adc53b45181b2600934ec6150867383299
--! Hash: sha1:c470202c555f348be4cfeb7e049eff2351b753a3
--! Message: Reference operations, security and logins, money journal and transfers

--! split: 1-operations.sql
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

--! split: 2-security.sql
-- Security of SPEC §2 and §5 (issue 4): grants and row-level security policies on tables, logins, JWT.

drop type if exists telecom.jwt_token cascade;

-- What a signed token carries; PostGraphile signs any function result of this type (pgJwtTypes).
create type telecom.jwt_token as (
  role text,
  exp bigint,
  mobile_no text,
  national_id integer,
  admin_id integer
);
comment on type telecom.jwt_token is 'A login token: the API role, the identity claims and the expiry (seconds since the epoch).';

--------------------------------------------------------------------------------
-- Row-level security: who sees and changes which rows (SPEC §2, §3 "Ownership").
-- A customer is a person: their rows are those linked to any account of their national_id, and
-- their wallets. Anonymous visitors read only the catalogue (plans and shops). Admins manage
-- everything, except balances and points, which only the operations of 1-operations.sql move.

drop policy if exists select_own on telecom.customer_profile;
drop policy if exists update_own on telecom.customer_profile;
drop policy if exists manage_admin on telecom.customer_profile;
drop policy if exists select_own on telecom.customer_account;
drop policy if exists manage_admin on telecom.customer_account;
drop policy if exists select_all on telecom.service_plan;
drop policy if exists manage_admin on telecom.service_plan;
drop policy if exists select_own on telecom.subscription;
drop policy if exists manage_admin on telecom.subscription;
drop policy if exists select_own on telecom.plan_usage;
drop policy if exists manage_admin on telecom.plan_usage;
drop policy if exists select_own on telecom.payment;
drop policy if exists manage_admin on telecom.payment;
drop policy if exists select_own on telecom.process_payment;
drop policy if exists manage_admin on telecom.process_payment;
drop policy if exists select_own on telecom.wallet;
drop policy if exists manage_admin on telecom.wallet;
drop policy if exists select_own on telecom.transfer_money;
drop policy if exists manage_admin on telecom.transfer_money;
drop policy if exists select_own on telecom.benefit;
drop policy if exists manage_admin on telecom.benefit;
drop policy if exists select_own on telecom.points_group;
drop policy if exists manage_admin on telecom.points_group;
drop policy if exists select_own on telecom.exclusive_offer;
drop policy if exists manage_admin on telecom.exclusive_offer;
drop policy if exists select_own on telecom.cashback;
drop policy if exists manage_admin on telecom.cashback;
drop policy if exists select_own on telecom.plan_provides_benefits;
drop policy if exists manage_admin on telecom.plan_provides_benefits;
drop policy if exists select_all on telecom.shop;
drop policy if exists manage_admin on telecom.shop;
drop policy if exists select_all on telecom.physical_shop;
drop policy if exists manage_admin on telecom.physical_shop;
drop policy if exists select_all on telecom.e_shop;
drop policy if exists manage_admin on telecom.e_shop;
drop policy if exists select_own on telecom.voucher;
drop policy if exists manage_admin on telecom.voucher;
drop policy if exists select_own on telecom.technical_support_ticket;
drop policy if exists manage_admin on telecom.technical_support_ticket;

-- The numbers of the logged-in person: the one subquery every "own" policy starts from.
create or replace function telecom.current_mobile_nos() returns setof text
  language sql
  stable
as $$
  select account.mobile_no
  from telecom.customer_account as account
  where account.national_id = telecom.current_national_id()
$$;
comment on function telecom.current_mobile_nos() is E'@behavior -queryField -mutationField -typeField\nEvery mobile number of the logged-in customer (a person may hold several).';
grant execute on function telecom.current_mobile_nos() to telecom_customer, telecom_admin;

create policy select_own on telecom.customer_profile for select to telecom_customer using (national_id = telecom.current_national_id());
create policy update_own on telecom.customer_profile for update to telecom_customer using (national_id = telecom.current_national_id());
create policy manage_admin on telecom.customer_profile for all to telecom_admin using (true);
grant select, update (email, address) on telecom.customer_profile to telecom_customer;
grant select, insert, update, delete on telecom.customer_profile to telecom_admin;

create policy select_own on telecom.customer_account for select to telecom_customer using (national_id = telecom.current_national_id());
create policy manage_admin on telecom.customer_account for all to telecom_admin using (true);
grant select on telecom.customer_account to telecom_customer;
grant select, delete on telecom.customer_account to telecom_admin;
grant insert (mobile_no, national_id, account_type, start_date, status) on telecom.customer_account to telecom_admin;
grant update (national_id, account_type, start_date, status) on telecom.customer_account to telecom_admin;

create policy select_all on telecom.service_plan for select using (true);
create policy manage_admin on telecom.service_plan for all to telecom_admin using (true);
grant select on telecom.service_plan to telecom_anonymous, telecom_customer;
grant select, insert, update, delete on telecom.service_plan to telecom_admin;

create policy select_own on telecom.subscription for select to telecom_customer using (mobile_no in (select telecom.current_mobile_nos()));
create policy manage_admin on telecom.subscription for all to telecom_admin using (true);
grant select on telecom.subscription to telecom_customer;
grant select, insert, update, delete on telecom.subscription to telecom_admin;

create policy select_own on telecom.plan_usage for select to telecom_customer using (mobile_no in (select telecom.current_mobile_nos()));
create policy manage_admin on telecom.plan_usage for all to telecom_admin using (true);
grant select on telecom.plan_usage to telecom_customer;
grant select, insert, update, delete on telecom.plan_usage to telecom_admin;

-- Payments are made through initiate_plan_payment and initiate_balance_payment; an admin may only
-- correct a payment's status (e.g. settle a pending one).
create policy select_own on telecom.payment for select to telecom_customer using (mobile_no in (select telecom.current_mobile_nos()));
create policy manage_admin on telecom.payment for all to telecom_admin using (true);
grant select on telecom.payment to telecom_customer;
grant select, update (status) on telecom.payment to telecom_admin;

create policy select_own on telecom.process_payment for select to telecom_customer using (payment_id in (select payment.payment_id from telecom.payment as payment));
create policy manage_admin on telecom.process_payment for all to telecom_admin using (true);
grant select on telecom.process_payment to telecom_customer;
grant select on telecom.process_payment to telecom_admin;

create policy select_own on telecom.wallet for select to telecom_customer using (national_id = telecom.current_national_id());
create policy manage_admin on telecom.wallet for all to telecom_admin using (true);
grant select on telecom.wallet to telecom_customer;
grant select on telecom.wallet to telecom_admin;
grant insert (national_id, mobile_no, currency) on telecom.wallet to telecom_admin;

-- `= any (array(...))` rather than `in (...)`: each side of the `or` can then use its index.
create policy select_own on telecom.transfer_money for select to telecom_customer using (from_wallet_id = any (array(select wallet.wallet_id from telecom.wallet as wallet)) or to_wallet_id = any (array(select wallet.wallet_id from telecom.wallet as wallet)));
create policy manage_admin on telecom.transfer_money for all to telecom_admin using (true);
grant select on telecom.transfer_money to telecom_customer;
grant select on telecom.transfer_money to telecom_admin;

create policy select_own on telecom.benefit for select to telecom_customer using (mobile_no in (select telecom.current_mobile_nos()));
create policy manage_admin on telecom.benefit for all to telecom_admin using (true);
grant select on telecom.benefit to telecom_customer;
grant select, insert, update, delete on telecom.benefit to telecom_admin;

create policy select_own on telecom.points_group for select to telecom_customer using (benefit_id in (select benefit.benefit_id from telecom.benefit as benefit));
create policy manage_admin on telecom.points_group for all to telecom_admin using (true);
grant select on telecom.points_group to telecom_customer;
grant select, insert, update, delete on telecom.points_group to telecom_admin;

create policy select_own on telecom.exclusive_offer for select to telecom_customer using (benefit_id in (select benefit.benefit_id from telecom.benefit as benefit));
create policy manage_admin on telecom.exclusive_offer for all to telecom_admin using (true);
grant select on telecom.exclusive_offer to telecom_customer;
grant select, insert, update, delete on telecom.exclusive_offer to telecom_admin;

-- Cashback is credited only by payment_wallet_cashback (it moves money into a wallet).
create policy select_own on telecom.cashback for select to telecom_customer using (wallet_id = any (array(select wallet.wallet_id from telecom.wallet as wallet)) or benefit_id = any (array(select benefit.benefit_id from telecom.benefit as benefit)));
create policy manage_admin on telecom.cashback for all to telecom_admin using (true);
grant select on telecom.cashback to telecom_customer;
grant select on telecom.cashback to telecom_admin;

create policy select_own on telecom.plan_provides_benefits for select to telecom_customer using (benefit_id in (select benefit.benefit_id from telecom.benefit as benefit));
create policy manage_admin on telecom.plan_provides_benefits for all to telecom_admin using (true);
grant select on telecom.plan_provides_benefits to telecom_customer;
grant select, insert, delete on telecom.plan_provides_benefits to telecom_admin;

create policy select_all on telecom.shop for select using (true);
create policy manage_admin on telecom.shop for all to telecom_admin using (true);
grant select on telecom.shop to telecom_anonymous, telecom_customer;
grant select, insert, update, delete on telecom.shop to telecom_admin;

create policy select_all on telecom.physical_shop for select using (true);
create policy manage_admin on telecom.physical_shop for all to telecom_admin using (true);
grant select on telecom.physical_shop to telecom_anonymous, telecom_customer;
grant select, insert, update, delete on telecom.physical_shop to telecom_admin;

create policy select_all on telecom.e_shop for select using (true);
create policy manage_admin on telecom.e_shop for all to telecom_admin using (true);
grant select on telecom.e_shop to telecom_anonymous, telecom_customer;
grant select, insert, update, delete on telecom.e_shop to telecom_admin;

-- A customer sees the vouchers on offer (unredeemed) and those they redeemed; redeeming goes through
-- redeem_voucher_points, so no API role writes the redemption columns.
create policy select_own on telecom.voucher for select to telecom_customer using (mobile_no is null or mobile_no in (select telecom.current_mobile_nos()));
create policy manage_admin on telecom.voucher for all to telecom_admin using (true);
grant select on telecom.voucher to telecom_customer;
grant select, delete on telecom.voucher to telecom_admin;
grant insert (value, expiry_date, points, shop_id), update (value, expiry_date, points, shop_id) on telecom.voucher to telecom_admin;

create policy select_own on telecom.technical_support_ticket for select to telecom_customer using (mobile_no in (select telecom.current_mobile_nos()));
create policy manage_admin on telecom.technical_support_ticket for all to telecom_admin using (true);
grant select on telecom.technical_support_ticket to telecom_customer;
grant select, insert, update, delete on telecom.technical_support_ticket to telecom_admin;

-- Admins create rows with generated ids; nobody else inserts directly.
grant usage on all sequences in schema telecom to telecom_admin;

-- Admin reports (SPEC §4.1).
grant select on telecom.all_customer_accounts, telecom.all_service_plans, telecom.all_benefits, telecom.account_payments, telecom.all_shops, telecom.all_resolved_tickets, telecom.customer_wallet, telecom.e_shop_vouchers, telecom.physical_store_vouchers, telecom.num_of_cashback to telecom_admin;

--------------------------------------------------------------------------------
-- Logins (SPEC §5): bcrypt hashes in telecom_private, tokens signed by PostGraphile (pgJwtTypes).

drop function if exists telecom.change_password(text, text);
drop function if exists telecom.register_customer(integer, text, text, text, date, text, text);
drop function if exists telecom.account_login_validation(text, text);
drop function if exists telecom_private.check_password(text, text, text);
drop table if exists telecom_private.login_failure;

-- Failed logins of the last 15 minutes, per login (a mobile number, or 'admin:' || username).
create table telecom_private.login_failure (
  login text not null,
  failed_at timestamptz not null default now()
);
create index login_failure_login_idx on telecom_private.login_failure (login, failed_at);
comment on table telecom_private.login_failure is 'Failed login attempts; five within 15 minutes lock the login until the window passes.';
comment on column telecom_private.login_failure.login is 'The mobile number, or ''admin:'' followed by the username.';
comment on column telecom_private.login_failure.failed_at is 'When the attempt failed.';

-- The one password check behind every login: throttled, constant work whether or not the login
-- exists (a dummy hash is checked when there is none), failures recorded, successes clear them.
create function telecom_private.check_password(p_login text, p_password text, p_hash text) returns boolean
  language plpgsql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_valid boolean;
begin
  -- Attempts on one login queue up, so concurrent guesses cannot all pass the count below.
  perform pg_advisory_xact_lock(hashtext('login:' || p_login));
  delete from telecom_private.login_failure as failure
  where failure.login = p_login
    and failure.failed_at < now() - interval '15 minutes';
  if (select count(*) from telecom_private.login_failure as failure where failure.login = p_login) >= 5 then
    raise exception 'Too many failed attempts: try again in 15 minutes.' using errcode = 'TC203';
  end if;
  v_valid := public.crypt(coalesce(p_password, ''), coalesce(p_hash, public.gen_salt('bf', 10))) = coalesce(p_hash, '-');
  if v_valid then
    delete from telecom_private.login_failure as failure where failure.login = p_login;
  else
    insert into telecom_private.login_failure (login) values (p_login);
  end if;
  return v_valid;
end;
$$;

create function telecom.account_login_validation(mobile_no text, password text) returns boolean
  language sql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
  select telecom_private.check_password(
    account_login_validation.mobile_no,
    account_login_validation.password,
    (select credential.password_hash from telecom_private.customer_credential as credential where credential.mobile_no = account_login_validation.mobile_no)
  )
$$;
comment on function telecom.account_login_validation(text, text) is 'Whether the mobile number and password match. Throttled like a login: after 5 failures in 15 minutes it refuses (TC203) until the window passes.';

create function telecom.authenticate(mobile_no text, password text) returns telecom.jwt_token
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
  return ('telecom_customer', extract(epoch from now() + interval '1 hour')::bigint, v_account.mobile_no, v_account.national_id, null)::telecom.jwt_token;
end;
$$;
comment on function telecom.authenticate(text, text) is 'Logs a customer in with their mobile number and password; returns a token valid for one hour, or null when the pair is wrong. Throttled: after 5 failures in 15 minutes the number is refused (TC203) for the rest of the window.';

create function telecom.authenticate_admin(username text, password text) returns telecom.jwt_token
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_admin telecom_private.admin_user;
begin
  select * into v_admin from telecom_private.admin_user as admin where admin.username = authenticate_admin.username::public.citext;
  if not telecom_private.check_password('admin:' || lower(coalesce(authenticate_admin.username, '')), authenticate_admin.password, v_admin.password_hash) then
    return null;
  end if;
  return ('telecom_admin', extract(epoch from now() + interval '1 hour')::bigint, null, null, v_admin.admin_id)::telecom.jwt_token;
end;
$$;
comment on function telecom.authenticate_admin(text, text) is 'Logs an admin in; returns a token valid for one hour, or null when the pair is wrong. Throttled like customer logins.';

create function telecom.register_customer(national_id integer, first_name text, last_name text, email text, date_of_birth date, mobile_no text, password text) returns telecom.jwt_token
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  if length(coalesce(register_customer.password, '')) < 8 then
    raise exception 'The password must have at least 8 characters.' using errcode = 'TC212';
  end if;
  if exists (select from telecom.customer_profile as profile where profile.national_id = register_customer.national_id) then
    raise exception 'This national id is already registered: log in instead.' using errcode = 'TC210';
  end if;
  if exists (select from telecom.customer_account as account where account.mobile_no = register_customer.mobile_no) then
    raise exception 'The mobile number % is already in use.', register_customer.mobile_no using errcode = 'TC211';
  end if;
  insert into telecom.customer_profile (national_id, first_name, last_name, email, date_of_birth)
  values (register_customer.national_id, btrim(register_customer.first_name), btrim(register_customer.last_name), nullif(btrim(register_customer.email), ''), register_customer.date_of_birth);
  insert into telecom.customer_account (mobile_no, national_id, account_type, start_date, status)
  values (register_customer.mobile_no, register_customer.national_id, 'prepaid', current_date, 'active');
  insert into telecom_private.customer_credential (mobile_no, password_hash)
  values (register_customer.mobile_no, public.crypt(register_customer.password, public.gen_salt('bf', 10)));
  return ('telecom_customer', extract(epoch from now() + interval '1 hour')::bigint, register_customer.mobile_no, register_customer.national_id, null)::telecom.jwt_token;
end;
$$;
comment on function telecom.register_customer(integer, text, text, text, date, text, text) is 'Registers a new customer: their profile, a prepaid account for the mobile number and its password (at least 8 characters); returns a login token.';

create function telecom.change_password(old_password text, new_password text) returns boolean
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  if telecom.current_mobile_no() is null then
    raise exception 'Log in as a customer to change your password.' using errcode = '42501';
  end if;
  if length(coalesce(change_password.new_password, '')) < 8 then
    raise exception 'The new password must have at least 8 characters.' using errcode = 'TC212';
  end if;
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
  set password_hash = public.crypt(change_password.new_password, public.gen_salt('bf', 10))
  where credential.mobile_no = telecom.current_mobile_no();
  return true;
end;
$$;
comment on function telecom.change_password(text, text) is 'Changes the password of the number the customer is logged in with. Returns true when changed, false when the current password is wrong (the failure counts like a failed login: after 5 in 15 minutes it refuses with TC203). A new password shorter than 8 characters is refused with TC212.';

grant execute on function telecom.account_login_validation(text, text) to telecom_anonymous, telecom_customer, telecom_admin;
grant execute on function telecom.authenticate(text, text) to telecom_anonymous, telecom_customer, telecom_admin;
grant execute on function telecom.authenticate_admin(text, text) to telecom_anonymous, telecom_customer, telecom_admin;
grant execute on function telecom.register_customer(integer, text, text, text, date, text, text) to telecom_anonymous;
grant execute on function telecom.change_password(text, text) to telecom_customer;

--! split: 3-money.sql
-- Money that cannot be lost (SPEC §5, issue 6): idempotency keys, the money journal and its audit,
-- and wallet transfers. The money movers of 1-operations.sql call the idempotency helpers and name
-- themselves in the setting `telecom.operation`, which the journal records as the cause.

drop function if exists telecom.transfer_to_mobile(text, numeric, uuid);
drop function if exists telecom.audit_balances();
drop trigger if exists _200_journal on telecom.wallet;
drop trigger if exists _200_journal on telecom.customer_account;
drop function if exists telecom_private.tg_wallet__journal();
drop function if exists telecom_private.tg_customer_account__journal();
drop table if exists telecom.money_journal;
drop function if exists telecom_private.idempotency_store(uuid, jsonb);
drop function if exists telecom_private.idempotency_replay(uuid, text, jsonb);
drop table if exists telecom_private.idempotency_key;
drop function if exists telecom_private.current_actor();

--------------------------------------------------------------------------------
-- Idempotency: a request repeated with the same key by the same person returns the first result.

create function telecom_private.current_actor() returns text
  language sql
  stable
as $$
  select case
    when telecom.current_role_is_admin() then 'admin:' || current_setting('jwt.claims.admin_id', true)
    when telecom.current_national_id() is not null then 'customer:' || telecom.current_national_id()
    -- A DBA in psql, without claims: keys are scoped to the login.
    else 'database:' || session_user
  end
$$;

comment on function telecom_private.current_actor() is 'Who makes the request, as idempotency keys are scoped: customer:<national_id>, admin:<admin_id>, or database:<login> without claims.';

create table telecom_private.idempotency_key (
  actor text not null,
  idempotency_key uuid not null,
  operation text not null,
  arguments jsonb not null,
  result jsonb,
  created_at timestamptz not null default now(),
  primary key (actor, idempotency_key)
);
-- No policies: only the owner (the security definer helpers below) reads or writes it.
alter table telecom_private.idempotency_key enable row level security;

comment on table telecom_private.idempotency_key is 'Requests made with an idempotency key, and their results: a repeat returns the stored result.';
comment on column telecom_private.idempotency_key.actor is 'Who made the request (telecom_private.current_actor()); keys of different people never collide.';
comment on column telecom_private.idempotency_key.idempotency_key is 'The key the client chose for the request.';
comment on column telecom_private.idempotency_key.operation is 'The function called.';
comment on column telecom_private.idempotency_key.arguments is 'The arguments of the first request; a repeat must match them.';
comment on column telecom_private.idempotency_key.result is 'The first request''s result (a row as JSON); a repeat returns it.';
comment on column telecom_private.idempotency_key.created_at is 'When the first request was made.';

-- Claims a key for this request. A concurrent twin blocks on the primary key until the first
-- transaction ends, then sees its stored result (or claims the key itself if the first rolled back).
-- A request that fails rolls its claim back with it, so the key can be used again.
create function telecom_private.idempotency_replay(p_key uuid, p_operation text, p_arguments jsonb) returns jsonb
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_actor text := telecom_private.current_actor();
  v_stored telecom_private.idempotency_key;
begin
  if p_key is null then
    return null;
  end if;
  insert into telecom_private.idempotency_key (actor, idempotency_key, operation, arguments)
  values (v_actor, p_key, p_operation, p_arguments)
  on conflict do nothing;
  if found then
    return null;
  end if;
  select *
  into v_stored
  from telecom_private.idempotency_key
  where idempotency_key.actor = v_actor
    and idempotency_key.idempotency_key = p_key;
  if v_stored.operation <> p_operation or v_stored.arguments <> p_arguments then
    raise exception 'This idempotency key was already used for a different request.'
      using errcode = 'TC301';
  end if;
  return v_stored.result;
end;
$$;

comment on function telecom_private.idempotency_replay(uuid, text, jsonb) is 'Null when the request is new (or has no key): the caller proceeds. Otherwise the stored result of the first request with this key; TC301 if that request was a different one.';

create function telecom_private.idempotency_store(p_key uuid, p_result jsonb) returns void
  language sql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
  update telecom_private.idempotency_key
  set result = p_result
  where idempotency_key.actor = telecom_private.current_actor()
    and idempotency_key.idempotency_key = p_key
$$;

comment on function telecom_private.idempotency_store(uuid, jsonb) is 'Stores the result of a request claimed by idempotency_replay; does nothing without a key.';

--------------------------------------------------------------------------------
-- The money journal: one row per change of an account balance, an account's points or a wallet
-- balance, written by triggers in the same transaction as the change.

create table telecom.money_journal (
  journal_id bigint primary key generated always as identity,
  account_kind text not null check (account_kind in ('account_balance', 'account_points', 'wallet_balance')),
  mobile_no text not null,
  wallet_id integer,
  national_id integer not null,
  change numeric(12, 2) not null check (change <> 0),
  balance_after numeric(12, 2) not null,
  operation text not null,
  actor text not null,
  transaction_id bigint not null default txid_current(),
  recorded_at timestamptz not null default now(),
  check ((account_kind = 'wallet_balance') = (wallet_id is not null))
);
alter table telecom.money_journal enable row level security;
create index money_journal_account_idx on telecom.money_journal (mobile_no, account_kind, journal_id);
create index money_journal_wallet_id_idx on telecom.money_journal (wallet_id, journal_id) where wallet_id is not null;
create index money_journal_national_id_idx on telecom.money_journal (national_id, journal_id);

create policy select_own on telecom.money_journal
  for select to telecom_customer
  using (national_id = telecom.current_national_id());
create policy select_admin on telecom.money_journal
  for select to telecom_admin
  using (telecom.current_role_is_admin());

-- Read only for the API: rows are written by the triggers alone.
grant select on telecom.money_journal to telecom_customer, telecom_admin;

comment on table telecom.money_journal is 'Every change of an account balance, an account''s loyalty points or a wallet balance, with its cause. Summing the changes re-derives any balance (see audit_balances). Written by the database only.';
comment on column telecom.money_journal.journal_id is 'Order of the entries: a later entry of the same balance has a higher id.';
comment on column telecom.money_journal.account_kind is 'What changed: account_balance (money on the account), account_points (loyalty points) or wallet_balance.';
comment on column telecom.money_journal.mobile_no is 'The account, or for a wallet the number it is linked to.';
comment on column telecom.money_journal.wallet_id is 'The wallet, for wallet_balance entries; null otherwise.';
comment on column telecom.money_journal.national_id is 'The customer who owned the balance at the time.';
comment on column telecom.money_journal.change is 'How much the balance changed: positive in, negative out. Opening a balance is a change from 0, closing one a change to 0.';
comment on column telecom.money_journal.balance_after is 'The balance after the change.';
comment on column telecom.money_journal.operation is 'The function that made the change (e.g. transfer_to_mobile), or direct for a change made outside the functions (migrations, sample data, a DBA).';
comment on column telecom.money_journal.actor is 'Who made the request: customer:<national_id>, admin:<admin_id> or database:<login>.';
comment on column telecom.money_journal.transaction_id is 'The database transaction: entries of one operation (both sides of a transfer) share it.';
comment on column telecom.money_journal.recorded_at is 'When the change was made.';

-- The changed quantities of one row as journal entries; zero changes are left out. `old` is null
-- on insert (an opening entry) and `new` on delete (a closing one).
create function telecom_private.tg_customer_account__journal() returns trigger
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  insert into telecom.money_journal (account_kind, mobile_no, national_id, change, balance_after, operation, actor)
  select
    entry.account_kind,
    coalesce(new.mobile_no, old.mobile_no),
    coalesce(new.national_id, old.national_id),
    entry.balance_after - entry.balance_before,
    entry.balance_after,
    coalesce(nullif(current_setting('telecom.operation', true), ''), 'direct'),
    telecom_private.current_actor()
  from (
    values
      ('account_balance', coalesce(old.balance, 0), coalesce(new.balance, 0)),
      ('account_points', coalesce(old.points, 0), coalesce(new.points, 0))
  ) as entry (account_kind, balance_before, balance_after)
  where entry.balance_after <> entry.balance_before;
  return null;
end;
$$;

create trigger _200_journal
  after insert or update or delete
  on telecom.customer_account
  for each row
  execute function telecom_private.tg_customer_account__journal();

create function telecom_private.tg_wallet__journal() returns trigger
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  if coalesce(new.current_balance, 0) <> coalesce(old.current_balance, 0) then
    insert into telecom.money_journal (account_kind, mobile_no, wallet_id, national_id, change, balance_after, operation, actor)
    values (
      'wallet_balance',
      coalesce(new.mobile_no, old.mobile_no),
      coalesce(new.wallet_id, old.wallet_id),
      coalesce(new.national_id, old.national_id),
      coalesce(new.current_balance, 0) - coalesce(old.current_balance, 0),
      coalesce(new.current_balance, 0),
      coalesce(nullif(current_setting('telecom.operation', true), ''), 'direct'),
      telecom_private.current_actor()
    );
  end if;
  return null;
end;
$$;

create trigger _200_journal
  after insert or update or delete
  on telecom.wallet
  for each row
  execute function telecom_private.tg_wallet__journal();

-- Rebuilding this migration starts a new journal: every existing balance is its opening entry.
insert into telecom.money_journal (account_kind, mobile_no, wallet_id, national_id, change, balance_after, operation, actor)
select entry.account_kind, entry.mobile_no, entry.wallet_id, entry.national_id, entry.amount, entry.amount, 'migration', telecom_private.current_actor()
from (
  select 'account_balance' as account_kind, mobile_no, null::integer as wallet_id, national_id, balance as amount
  from telecom.customer_account
  union all
  select 'account_points', mobile_no, null, national_id, points
  from telecom.customer_account
  union all
  select 'wallet_balance', mobile_no, wallet_id, national_id, current_balance
  from telecom.wallet
) as entry
where entry.amount <> 0
order by entry.account_kind, entry.mobile_no;

--------------------------------------------------------------------------------
-- The audit: re-derive every balance from the journal.

create function telecom.audit_balances()
  returns table (
    account_kind text,
    mobile_no text,
    wallet_id integer,
    recorded_balance numeric,
    journal_balance numeric,
    last_balance_after numeric
  )
  language plpgsql
  stable
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
#variable_conflict use_column
begin
  if not telecom.current_role_is_admin() then
    raise exception 'Only an admin may audit the balances.'
      using errcode = '42501';
  end if;
  return query
  with recorded as (
    select 'account_balance' as account_kind, customer_account.mobile_no, null::integer as wallet_id, customer_account.balance::numeric as amount
    from telecom.customer_account
    union all
    select 'account_points', customer_account.mobile_no, null, customer_account.points
    from telecom.customer_account
    union all
    select 'wallet_balance', wallet.mobile_no, wallet.wallet_id, wallet.current_balance
    from telecom.wallet
  ),
  -- A wallet is followed by its id (its linked number may change); an account by its number.
  journaled as (
    select
      money_journal.account_kind,
      (array_agg(money_journal.mobile_no order by money_journal.journal_id desc))[1] as mobile_no,
      money_journal.wallet_id,
      sum(money_journal.change) as amount,
      (array_agg(money_journal.balance_after order by money_journal.journal_id desc))[1] as last_balance_after
    from telecom.money_journal
    group by
      money_journal.account_kind,
      money_journal.wallet_id,
      case when money_journal.wallet_id is null then money_journal.mobile_no end
  )
  select
    coalesce(recorded.account_kind, journaled.account_kind),
    coalesce(recorded.mobile_no, journaled.mobile_no),
    coalesce(recorded.wallet_id, journaled.wallet_id),
    coalesce(recorded.amount, 0),
    coalesce(journaled.amount, 0),
    coalesce(journaled.last_balance_after, 0)
  from recorded
  full join journaled
    on journaled.account_kind = recorded.account_kind
    and (
      journaled.wallet_id = recorded.wallet_id
      or (journaled.wallet_id is null and recorded.wallet_id is null and journaled.mobile_no = recorded.mobile_no)
    )
  where coalesce(recorded.amount, 0) <> coalesce(journaled.amount, 0)
    or coalesce(recorded.amount, 0) <> coalesce(journaled.last_balance_after, 0)
  order by 1, 2, 3;
end;
$$;

comment on function telecom.audit_balances() is 'Admin only. Every balance (account balance, account points, wallet balance) that disagrees with its money journal: the sum of its changes or the balance after its latest change. No rows means every balance is accounted for.';

grant execute on function telecom.audit_balances() to telecom_admin;

--------------------------------------------------------------------------------
-- Wallet transfers

create function telecom.transfer_to_mobile(to_mobile_no text, amount numeric, idempotency_key uuid default null) returns telecom.transfer_money
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
  if v_from_mobile_no is null or telecom.current_national_id() is null then
    raise exception 'Only a customer can transfer money, from the wallet of the number they logged in with (admins have no wallet).'
      using errcode = 'TC310';
  end if;
  v_replay := telecom_private.idempotency_replay(
    transfer_to_mobile.idempotency_key,
    'transfer_to_mobile',
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
  if v_to_wallet_id is null then
    raise exception 'No wallet is linked to the number %.', transfer_to_mobile.to_mobile_no
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
  for update;
  select * into v_from from telecom.wallet where wallet.wallet_id = v_from_wallet_id;
  select * into v_to from telecom.wallet where wallet.wallet_id = v_to_wallet_id;
  if v_from.currency <> v_to.currency then
    raise exception 'Your wallet holds % and the wallet of % holds %: transfers are only possible in the same currency.', v_from.currency, v_to.mobile_no, v_to.currency
      using errcode = 'TC315';
  end if;
  if v_from.current_balance < transfer_to_mobile.amount then
    raise exception 'Insufficient wallet balance: you have % %, the transfer needs %.', v_from.current_balance, v_from.currency, transfer_to_mobile.amount
      using errcode = 'TC316';
  end if;

  perform set_config('telecom.operation', 'transfer_to_mobile', true);
  update telecom.wallet
  set
    current_balance = wallet.current_balance
      + case when wallet.wallet_id = v_from_wallet_id then -transfer_to_mobile.amount else transfer_to_mobile.amount end,
    last_modified_date = current_date
  where wallet.wallet_id in (v_from_wallet_id, v_to_wallet_id);
  insert into telecom.transfer_money (from_wallet_id, to_wallet_id, amount)
  values (v_from_wallet_id, v_to_wallet_id, transfer_to_mobile.amount)
  returning * into v_transfer;

  perform telecom_private.idempotency_store(transfer_to_mobile.idempotency_key, to_jsonb(v_transfer));
  return v_transfer;
end;
$$;

comment on function telecom.transfer_to_mobile(text, numeric, uuid) is 'Moves money from the wallet of the number you logged in with to the wallet linked to another number, atomically, and records the transfer. Same currency only, no overdraft, not to yourself. With an idempotency key, a repeat returns the first transfer and moves nothing.';

-- Admins may call it only to be told clearly that they have no wallet (TC310).
grant execute on function telecom.transfer_to_mobile(text, numeric, uuid) to telecom_customer, telecom_admin;

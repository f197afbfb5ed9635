--
-- PostgreSQL database dump
--

\restrict telecom


SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: telecom; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA telecom;


--
-- Name: SCHEMA telecom; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA telecom IS 'Everything the API exposes: customers, accounts, plans, usage, payments, wallets, benefits, shops, vouchers and tickets.';


--
-- Name: telecom_private; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA telecom_private;


--
-- Name: SCHEMA telecom_private; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA telecom_private IS 'Credentials and internals; never exposed to the API.';


--
-- Name: citext; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;


--
-- Name: EXTENSION citext; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION citext IS 'data type for case-insensitive character strings';


--
-- Name: pg_stat_statements; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_stat_statements WITH SCHEMA public;


--
-- Name: EXTENSION pg_stat_statements; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pg_stat_statements IS 'track planning and execution statistics of all SQL statements executed';


--
-- Name: pg_trgm; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;


--
-- Name: EXTENSION pg_trgm; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';


--
-- Name: pgcrypto; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;


--
-- Name: EXTENSION pgcrypto; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';


--
-- Name: account_status; Type: TYPE; Schema: telecom; Owner: -
--

CREATE TYPE telecom.account_status AS ENUM (
    'active',
    'onhold'
);


--
-- Name: TYPE account_status; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TYPE telecom.account_status IS 'Whether an account may be used (active) or is suspended (onhold).';


--
-- Name: account_type; Type: TYPE; Schema: telecom; Owner: -
--

CREATE TYPE telecom.account_type AS ENUM (
    'post_paid',
    'prepaid',
    'pay_as_you_go'
);


--
-- Name: TYPE account_type; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TYPE telecom.account_type IS 'How an account is billed: after the month (post_paid), from a balance topped up in advance (prepaid), or per use from the balance (pay_as_you_go).';


--
-- Name: benefit_status; Type: TYPE; Schema: telecom; Owner: -
--

CREATE TYPE telecom.benefit_status AS ENUM (
    'active',
    'expired'
);


--
-- Name: TYPE benefit_status; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TYPE telecom.benefit_status IS 'Whether a benefit can still be used (active) or has lapsed (expired).';


--
-- Name: collection_step_kind; Type: TYPE; Schema: telecom; Owner: -
--

CREATE TYPE telecom.collection_step_kind AS ENUM (
    'reminder',
    'overdue',
    'barred'
);


--
-- Name: invoice_line_kind; Type: TYPE; Schema: telecom; Owner: -
--

CREATE TYPE telecom.invoice_line_kind AS ENUM (
    'plan_fee',
    'usage'
);


--
-- Name: invoice_status; Type: TYPE; Schema: telecom; Owner: -
--

CREATE TYPE telecom.invoice_status AS ENUM (
    'issued',
    'paid',
    'carried'
);


--
-- Name: jwt_token; Type: TYPE; Schema: telecom; Owner: -
--

CREATE TYPE telecom.jwt_token AS (
	role text,
	exp bigint,
	mobile_no text,
	national_id integer,
	admin_id integer,
	network_id text
);


--
-- Name: TYPE jwt_token; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TYPE telecom.jwt_token IS 'A login token: the API role, the identity claims and the expiry (seconds since the epoch).';


--
-- Name: payment_method; Type: TYPE; Schema: telecom; Owner: -
--

CREATE TYPE telecom.payment_method AS ENUM (
    'cash',
    'credit',
    'wallet'
);


--
-- Name: TYPE payment_method; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TYPE telecom.payment_method IS 'How a payment was made.';


--
-- Name: payment_status; Type: TYPE; Schema: telecom; Owner: -
--

CREATE TYPE telecom.payment_status AS ENUM (
    'successful',
    'pending',
    'rejected'
);


--
-- Name: TYPE payment_status; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TYPE telecom.payment_status IS 'Outcome of a payment: only successful payments count towards plans, points and cashback.';


--
-- Name: profile_update; Type: TYPE; Schema: telecom; Owner: -
--

CREATE TYPE telecom.profile_update AS (
	status text,
	message text,
	email text,
	address text
);


--
-- Name: TYPE profile_update; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TYPE telecom.profile_update IS 'The outcome of update_my_profile: `saved`, or `email_cannot_be_used` (nothing changed), with the message for the customer and the e-mail and address as they now are.';


--
-- Name: subscription_status; Type: TYPE; Schema: telecom; Owner: -
--

CREATE TYPE telecom.subscription_status AS ENUM (
    'active',
    'onhold'
);


--
-- Name: TYPE subscription_status; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TYPE telecom.subscription_status IS 'Whether a plan subscription is running (active) or paused (onhold).';


--
-- Name: ticket_status; Type: TYPE; Schema: telecom; Owner: -
--

CREATE TYPE telecom.ticket_status AS ENUM (
    'open',
    'in_progress',
    'resolved'
);


--
-- Name: TYPE ticket_status; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TYPE telecom.ticket_status IS 'Progress of a support ticket.';


--
-- Name: usage_kind; Type: TYPE; Schema: telecom; Owner: -
--

CREATE TYPE telecom.usage_kind AS ENUM (
    'data',
    'voice',
    'sms'
);


--
-- Name: usage_outcome; Type: TYPE; Schema: telecom; Owner: -
--

CREATE TYPE telecom.usage_outcome AS ENUM (
    'in_allowance',
    'charged',
    'refused'
);


--
-- Name: wallet_recipient; Type: TYPE; Schema: telecom; Owner: -
--

CREATE TYPE telecom.wallet_recipient AS (
	display_name text,
	currency text
);


--
-- Name: TYPE wallet_recipient; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TYPE telecom.wallet_recipient IS 'Who a transfer would reach: a display name (first name and last initial) and the wallet''s currency.';


--
-- Name: account_highest_voucher(text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.account_highest_voucher(mobile_no text) RETURNS integer
    LANGUAGE sql STABLE
    AS $$
  select voucher.voucher_id
  from telecom.voucher as voucher
  where telecom.assert_account_access(account_highest_voucher.mobile_no)
    and voucher.mobile_no = account_highest_voucher.mobile_no
  order by voucher.value desc, voucher.redeem_date desc, voucher.voucher_id desc
  limit 1
$$;


--
-- Name: FUNCTION account_highest_voucher(mobile_no text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.account_highest_voucher(mobile_no text) IS 'The id of the account''s redeemed voucher with the highest value (ties: the latest redeemed); null when none.';


--
-- Name: account_login_validation(text, text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.account_login_validation(mobile_no text, password text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
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
$_$;


--
-- Name: FUNCTION account_login_validation(mobile_no text, password text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.account_login_validation(mobile_no text, password text) IS 'Whether the mobile number and password match. Throttled like a login (TC220 with a retry-after).';


--
-- Name: account_payment_points(text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.account_payment_points(mobile_no text, OUT payment_count integer, OUT total_points integer) RETURNS record
    LANGUAGE sql STABLE
    AS $$
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
  where telecom.assert_account_access(account_payment_points.mobile_no)
$$;


--
-- Name: FUNCTION account_payment_points(mobile_no text, OUT payment_count integer, OUT total_points integer); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.account_payment_points(mobile_no text, OUT payment_count integer, OUT total_points integer) IS 'How many successful payments the account made in the last 365 days (from current_date - 365 on) and the loyalty points those payments earned. An unknown number is TC101.';


--
-- Name: account_plan(); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.account_plan() RETURNS TABLE(mobile_no text, national_id integer, balance numeric, account_type telecom.account_type, start_date date, status telecom.account_status, points integer, plan_id integer, plan_name text, subscription_status telecom.subscription_status)
    LANGUAGE sql STABLE
    AS $$
  select
    account.mobile_no,
    account.national_id,
    account.balance,
    account.account_type,
    account.start_date,
    account.status,
    account.points,
    plan.plan_id,
    plan.name,
    subscription.status
  from telecom.customer_account as account
  inner join telecom.subscription as subscription
    on subscription.mobile_no = account.mobile_no
  inner join telecom.service_plan as plan
    on plan.plan_id = subscription.plan_id
  order by account.mobile_no, plan.plan_id
$$;


--
-- Name: FUNCTION account_plan(); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.account_plan() IS 'Every account with each plan it subscribes to (active or on hold), one row per subscription, with its status.';


--
-- Name: account_plan_date(date, integer); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.account_plan_date(subscription_date date, plan_id integer) RETURNS TABLE(mobile_no text, plan_id integer, plan_name text)
    LANGUAGE sql STABLE
    AS $$
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


--
-- Name: FUNCTION account_plan_date(subscription_date date, plan_id integer); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.account_plan_date(subscription_date date, plan_id integer) IS 'Accounts whose subscription to the plan is dated that day.';


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: exclusive_offer; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.exclusive_offer (
    offer_id integer NOT NULL,
    benefit_id integer NOT NULL,
    internet_offered integer DEFAULT 0 NOT NULL,
    sms_offered integer DEFAULT 0 NOT NULL,
    minutes_offered integer DEFAULT 0 NOT NULL,
    CONSTRAINT exclusive_offer_internet_offered_check CHECK ((internet_offered >= 0)),
    CONSTRAINT exclusive_offer_minutes_offered_check CHECK ((minutes_offered >= 0)),
    CONSTRAINT exclusive_offer_sms_offered_check CHECK ((sms_offered >= 0))
);


--
-- Name: TABLE exclusive_offer; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.exclusive_offer IS 'Extra allowances offered to an account through a benefit.';


--
-- Name: COLUMN exclusive_offer.offer_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.exclusive_offer.offer_id IS 'Identifier of the offer.';


--
-- Name: COLUMN exclusive_offer.benefit_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.exclusive_offer.benefit_id IS 'The benefit the offer belongs to.';


--
-- Name: COLUMN exclusive_offer.internet_offered; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.exclusive_offer.internet_offered IS 'Extra mobile data, in megabytes.';


--
-- Name: COLUMN exclusive_offer.sms_offered; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.exclusive_offer.sms_offered IS 'Extra text messages.';


--
-- Name: COLUMN exclusive_offer.minutes_offered; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.exclusive_offer.minutes_offered IS 'Extra call minutes.';


--
-- Name: account_sms_offers(text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.account_sms_offers(mobile_no text) RETURNS SETOF telecom.exclusive_offer
    LANGUAGE sql STABLE
    AS $$
  select offer.*
  from telecom.exclusive_offer as offer
  inner join telecom.benefit as benefit
    on benefit.benefit_id = offer.benefit_id
  where telecom.assert_account_access(account_sms_offers.mobile_no)
    and benefit.mobile_no = account_sms_offers.mobile_no
    and benefit.status = 'active'
    and benefit.validity_date >= current_date
    and offer.sms_offered > 0
  order by offer.offer_id
$$;


--
-- Name: FUNCTION account_sms_offers(mobile_no text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.account_sms_offers(mobile_no text) IS 'The account''s exclusive offers that include SMS, of its benefits that count (active and unexpired). An unknown number is TC101.';


--
-- Name: account_usage_plan(text, date); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.account_usage_plan(mobile_no text, from_date date) RETURNS TABLE(plan_id integer, total_data integer, total_minutes integer, total_sms integer)
    LANGUAGE plpgsql STABLE
    AS $$
begin
  perform telecom.assert_account_access(account_usage_plan.mobile_no);
  if account_usage_plan.from_date is null then
    raise exception 'Give the first day of the period.' using errcode = 'TC150';
  end if;
  return query
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
  order by subscription.plan_id;
end;
$$;


--
-- Name: FUNCTION account_usage_plan(mobile_no text, from_date date); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.account_usage_plan(mobile_no text, from_date date) IS 'The account''s usage per plan it subscribes to, summed over usage records starting on or after from_date (data in MB); plans without such records show zeros. An unknown number is TC101.';


--
-- Name: assert_account_access(text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.assert_account_access(mobile_no text) RETURNS boolean
    LANGUAGE plpgsql STABLE
    AS $$
begin
  if telecom.current_role_is_admin() then
    if not exists (select from telecom.customer_account as account where account.mobile_no = assert_account_access.mobile_no) then
      raise exception 'There is no account with mobile number %.', assert_account_access.mobile_no using errcode = 'TC101';
    end if;
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


--
-- Name: FUNCTION assert_account_access(mobile_no text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.assert_account_access(mobile_no text) IS '@behavior -queryField -mutationField -typeField
True when the caller owns the account, or is an admin or a trusted session and the account exists; raises 42501 or TC101 otherwise.';


--
-- Name: assert_admin(text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.assert_admin(refusal text) RETURNS void
    LANGUAGE plpgsql STABLE
    AS $$
begin
  if not telecom.current_role_is_admin() then
    raise exception '%', assert_admin.refusal using errcode = '42501';
  end if;
end;
$$;


--
-- Name: FUNCTION assert_admin(refusal text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.assert_admin(refusal text) IS '@behavior -queryField -mutationField -typeField
Raises 42501 with the refusal unless the caller is an admin or a trusted session.';


--
-- Name: assert_date_range(date, date); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.assert_date_range(start_date date, end_date date) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE
    AS $$
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


--
-- Name: FUNCTION assert_date_range(start_date date, end_date date); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.assert_date_range(start_date date, end_date date) IS '@behavior -queryField -mutationField -typeField
True when both dates are given and the period does not end before it starts; raises TC150 or TC151 otherwise.';


--
-- Name: assert_person_access(integer); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.assert_person_access(national_id integer) RETURNS boolean
    LANGUAGE plpgsql STABLE
    AS $$
begin
  if telecom.current_role_is_admin() or assert_person_access.national_id = telecom.current_national_id() then
    return true;
  end if;
  raise exception 'You can only see your own data.' using errcode = '42501';
end;
$$;


--
-- Name: FUNCTION assert_person_access(national_id integer); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.assert_person_access(national_id integer) IS '@behavior -queryField -mutationField -typeField
True when the caller is an admin or is that person; raises 42501 otherwise.';


--
-- Name: service_plan; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.service_plan (
    plan_id integer NOT NULL,
    name text NOT NULL,
    price numeric(12,2) NOT NULL,
    sms_offered integer NOT NULL,
    minutes_offered integer NOT NULL,
    data_offered integer NOT NULL,
    description text,
    CONSTRAINT service_plan_data_offered_check CHECK ((data_offered >= 0)),
    CONSTRAINT service_plan_minutes_offered_check CHECK ((minutes_offered >= 0)),
    CONSTRAINT service_plan_name_check CHECK ((btrim(name) <> ''::text)),
    CONSTRAINT service_plan_price_check CHECK ((price > (0)::numeric)),
    CONSTRAINT service_plan_sms_offered_check CHECK ((sms_offered >= 0))
);


--
-- Name: TABLE service_plan; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.service_plan IS 'A service plan of the public catalogue: a monthly price and its allowances.';


--
-- Name: COLUMN service_plan.plan_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.service_plan.plan_id IS 'Identifier of the plan.';


--
-- Name: COLUMN service_plan.name; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.service_plan.name IS 'Unique name shown to customers.';


--
-- Name: COLUMN service_plan.price; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.service_plan.price IS 'Monthly price.';


--
-- Name: COLUMN service_plan.sms_offered; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.service_plan.sms_offered IS 'Text messages included per month.';


--
-- Name: COLUMN service_plan.minutes_offered; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.service_plan.minutes_offered IS 'Call minutes included per month.';


--
-- Name: COLUMN service_plan.data_offered; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.service_plan.data_offered IS 'Mobile data included per month, in megabytes.';


--
-- Name: COLUMN service_plan.description; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.service_plan.description IS 'Marketing description of the plan.';


--
-- Name: assert_plan_exists(integer); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.assert_plan_exists(plan_id integer) RETURNS telecom.service_plan
    LANGUAGE plpgsql STABLE
    AS $$
declare
  v_plan telecom.service_plan;
begin
  select * into v_plan from telecom.service_plan as plan where plan.plan_id = assert_plan_exists.plan_id;
  if not found then
    raise exception 'There is no plan %.', assert_plan_exists.plan_id using errcode = 'TC102';
  end if;
  return v_plan;
end;
$$;


--
-- Name: FUNCTION assert_plan_exists(plan_id integer); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.assert_plan_exists(plan_id integer) IS '@behavior -queryField -mutationField -typeField
The plan with this id; raises TC102 when there is none.';


--
-- Name: assert_plan_name_exists(text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.assert_plan_name_exists(plan_name text) RETURNS boolean
    LANGUAGE plpgsql STABLE
    AS $$
begin
  if not exists (select from telecom.service_plan as plan where plan.name = assert_plan_name_exists.plan_name) then
    raise exception 'There is no plan named %.', quote_nullable(assert_plan_name_exists.plan_name) using errcode = 'TC102';
  end if;
  return true;
end;
$$;


--
-- Name: FUNCTION assert_plan_name_exists(plan_name text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.assert_plan_name_exists(plan_name text) IS '@behavior -queryField -mutationField -typeField
True when a plan has this name; raises TC102 when none has.';


--
-- Name: audit_balances(); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.audit_balances() RETURNS TABLE(account_kind text, mobile_no text, wallet_id integer, recorded_balance numeric, journal_balance numeric, last_balance_after numeric)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
#variable_conflict use_column
begin
  perform telecom.assert_admin('Only an admin may audit the balances.');
  -- Each kind of balance is compared with its own entries through a join on equal keys (a hash
  -- join), so the audit takes time linear in the journal's size. An account is followed by its
  -- number; a wallet by its id (its linked number may change).
  return query
  with account_entries as (
    select
      money_journal.account_kind,
      money_journal.mobile_no,
      sum(money_journal.change) as amount,
      (array_agg(money_journal.balance_after order by money_journal.journal_id desc))[1] as last_balance_after
    from telecom.money_journal
    where money_journal.wallet_id is null
    group by money_journal.account_kind, money_journal.mobile_no
  ),
  wallet_entries as (
    select
      money_journal.wallet_id,
      (array_agg(money_journal.mobile_no order by money_journal.journal_id desc))[1] as mobile_no,
      sum(money_journal.change) as amount,
      (array_agg(money_journal.balance_after order by money_journal.journal_id desc))[1] as last_balance_after
    from telecom.money_journal
    where money_journal.wallet_id is not null
    group by money_journal.wallet_id
  ),
  recorded_accounts as (
    select entry.account_kind, customer_account.mobile_no, entry.amount
    from telecom.customer_account
    cross join lateral (
      values
        ('account_balance', customer_account.balance::numeric),
        ('account_points', customer_account.points::numeric)
    ) as entry (account_kind, amount)
  ),
  compared as (
    select
      coalesce(recorded.account_kind, journaled.account_kind) as account_kind,
      coalesce(recorded.mobile_no, journaled.mobile_no) as mobile_no,
      null::integer as wallet_id,
      coalesce(recorded.amount, 0) as recorded_balance,
      coalesce(journaled.amount, 0) as journal_balance,
      coalesce(journaled.last_balance_after, 0) as last_balance_after
    from recorded_accounts as recorded
    full join account_entries as journaled
      on journaled.account_kind = recorded.account_kind
      and journaled.mobile_no = recorded.mobile_no
    union all
    select
      'wallet_balance',
      coalesce(wallet.mobile_no, journaled.mobile_no),
      coalesce(wallet.wallet_id, journaled.wallet_id),
      coalesce(wallet.current_balance, 0),
      coalesce(journaled.amount, 0),
      coalesce(journaled.last_balance_after, 0)
    from telecom.wallet
    full join wallet_entries as journaled
      on journaled.wallet_id = wallet.wallet_id
  )
  select
    compared.account_kind,
    compared.mobile_no,
    compared.wallet_id,
    compared.recorded_balance,
    compared.journal_balance,
    compared.last_balance_after
  from compared
  where compared.recorded_balance <> compared.journal_balance
    or compared.recorded_balance <> compared.last_balance_after
  order by 1, 2, 3;
end;
$$;


--
-- Name: FUNCTION audit_balances(); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.audit_balances() IS 'Admin only. Every balance (account balance, account points, wallet balance) that disagrees with its money journal: the sum of its changes or the balance after its latest change. No rows means every balance is accounted for.';


--
-- Name: authenticate(text, text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.authenticate(mobile_no text, password text) RETURNS telecom.jwt_token
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION authenticate(mobile_no text, password text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.authenticate(mobile_no text, password text) IS 'Logs a customer in with their mobile number and password; returns a token valid for one hour, or null when the pair is wrong. Throttled per number and client address: after 3 failures each attempt waits 1 s, doubling up to 15 minutes, and an address has 100 failures an hour; a refused attempt is TC220 with a retry-after. A password over 72 bytes is refused (TC221).';


--
-- Name: authenticate_admin(text, text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.authenticate_admin(username text, password text) RETURNS telecom.jwt_token
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION authenticate_admin(username text, password text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.authenticate_admin(username text, password text) IS 'Logs an admin in; returns a token valid for one hour, or null when the pair is wrong. Throttled like customer logins (TC220 with a retry-after).';


--
-- Name: authenticate_network(text, text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.authenticate_network(client_id text, secret text) RETURNS telecom.jwt_token
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION authenticate_network(client_id text, secret text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.authenticate_network(client_id text, secret text) IS 'Logs the network''s mediation system in; returns a token (role telecom_network, claim network_id) valid for one hour, or null when the pair is wrong. Throttled like every login.';


--
-- Name: benefits_account(text, integer); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.benefits_account(mobile_no text, plan_id integer) RETURNS integer
    LANGUAGE plpgsql
    AS $$
declare
  v_ended integer;
begin
  -- Checked first: row-level security would otherwise make another caller's refusal read "no account".
  perform telecom.assert_admin('Only an admin can end benefits.');
  if not exists (select from telecom.customer_account as account where account.mobile_no = benefits_account.mobile_no) then
    raise exception 'There is no account with mobile number %.', benefits_account.mobile_no using errcode = 'TC101';
  end if;
  perform telecom.assert_plan_exists(benefits_account.plan_id);
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


--
-- Name: FUNCTION benefits_account(mobile_no text, plan_id integer); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.benefits_account(mobile_no text, plan_id integer) IS 'Admin only. Ends the account''s active benefits that the plan provides (expired as of today), so they no longer count in reports, offers or cashback; the cashback and points they credited stay. Returns how many benefits were ended.';


--
-- Name: bill_run_request; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.bill_run_request (
    request_id integer NOT NULL,
    bill_date date NOT NULL,
    requested_at timestamp with time zone DEFAULT now() NOT NULL,
    requested_by text NOT NULL,
    started_at timestamp with time zone,
    finished_at timestamp with time zone,
    bills_issued integer,
    error text,
    CONSTRAINT bill_run_request_bills_issued_check CHECK ((bills_issued >= 0)),
    CONSTRAINT bill_run_request_finished_check CHECK (((finished_at IS NULL) OR (started_at IS NOT NULL)))
);


--
-- Name: TABLE bill_run_request; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.bill_run_request IS 'A bill run an admin asked for (request_bill_run). The maintenance process runs the oldest waiting request on its next tick, about a minute later; status says whether it is queued, running, done or failed.';


--
-- Name: COLUMN bill_run_request.request_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.bill_run_request.request_id IS 'Identifier of the request.';


--
-- Name: COLUMN bill_run_request.bill_date; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.bill_run_request.bill_date IS 'The 1st of the month to bill.';


--
-- Name: COLUMN bill_run_request.requested_at; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.bill_run_request.requested_at IS 'When the admin asked for the run.';


--
-- Name: COLUMN bill_run_request.requested_by; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.bill_run_request.requested_by IS 'Who asked: admin:<admin_id>, or database:<login> for a trusted session.';


--
-- Name: COLUMN bill_run_request.started_at; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.bill_run_request.started_at IS 'When the run started; shown once it has finished (the run is one transaction), meanwhile status is running.';


--
-- Name: COLUMN bill_run_request.finished_at; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.bill_run_request.finished_at IS 'When the run finished, done or failed; null while queued or running.';


--
-- Name: COLUMN bill_run_request.bills_issued; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.bill_run_request.bills_issued IS 'The bills the run issued (0 when the month was already billed); null until done, and when it failed.';


--
-- Name: COLUMN bill_run_request.error; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.bill_run_request.error IS 'Why the run failed (SQLSTATE: message); it wrote nothing then. Null otherwise.';


--
-- Name: bill_run_request_status(telecom.bill_run_request); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.bill_run_request_status(request telecom.bill_run_request) RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select case
    when request.error is not null then 'failed'
    when request.finished_at is not null then 'done'
    when exists (
      select
      from pg_catalog.pg_locks as lock
      where lock.locktype = 'advisory'
        and lock.database = (select database.oid from pg_catalog.pg_database as database where database.datname = pg_catalog.current_database())
        and lock.classid = 9::oid
        and lock.objid = request.request_id::oid
        and lock.objsubid = 2
        and lock.granted
    ) then 'running'
    else 'queued'
  end
$$;


--
-- Name: FUNCTION bill_run_request_status(request telecom.bill_run_request); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.bill_run_request_status(request telecom.bill_run_request) IS 'queued (waiting for the next maintenance tick), running, done (bills_issued says how many) or failed (error says why; nothing was written).';


--
-- Name: cashback; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.cashback (
    cashback_id integer NOT NULL,
    benefit_id integer NOT NULL,
    wallet_id integer NOT NULL,
    amount numeric(12,2) NOT NULL,
    credit_date date DEFAULT CURRENT_DATE NOT NULL,
    payment_id integer,
    CONSTRAINT cashback_amount_check CHECK ((amount > (0)::numeric))
);


--
-- Name: TABLE cashback; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.cashback IS 'Money credited to a wallet through a benefit, usually for a payment.';


--
-- Name: COLUMN cashback.cashback_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.cashback.cashback_id IS 'Identifier of the cashback credit.';


--
-- Name: COLUMN cashback.benefit_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.cashback.benefit_id IS 'The benefit that granted the cashback.';


--
-- Name: COLUMN cashback.wallet_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.cashback.wallet_id IS 'The wallet credited.';


--
-- Name: COLUMN cashback.amount; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.cashback.amount IS 'Amount credited.';


--
-- Name: COLUMN cashback.credit_date; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.cashback.credit_date IS 'The day it was credited.';


--
-- Name: COLUMN cashback.payment_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.cashback.payment_id IS 'The payment the cashback was earned for, if any; each payment earns cashback at most once.';


--
-- Name: cashback_wallet_customer(integer); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.cashback_wallet_customer(national_id integer) RETURNS SETOF telecom.cashback
    LANGUAGE sql STABLE
    AS $$
  select cashback.*
  from telecom.cashback as cashback
  inner join telecom.wallet as wallet
    on wallet.wallet_id = cashback.wallet_id
  where telecom.assert_person_access(cashback_wallet_customer.national_id)
    and wallet.national_id = cashback_wallet_customer.national_id
  order by cashback.credit_date desc, cashback.cashback_id desc
$$;


--
-- Name: FUNCTION cashback_wallet_customer(national_id integer); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.cashback_wallet_customer(national_id integer) IS 'Cashback credited to the customer''s wallets, latest first.';


--
-- Name: change_password(text, text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.change_password(old_password text, new_password text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  if telecom.current_mobile_no() is null then
    raise exception 'Log in as a customer to change your password.' using errcode = '42501';
  end if;
  -- Checked first (TC212, TC221), so a refused new password costs no attempt.
  perform telecom_private.assert_new_password(change_password.new_password);
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
  set password_hash = telecom_private.hash_password(change_password.new_password)
  where credential.mobile_no = telecom.current_mobile_no();
  return true;
end;
$$;


--
-- Name: FUNCTION change_password(old_password text, new_password text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.change_password(old_password text, new_password text) IS 'Changes the password of the number the customer is logged in with. Returns true when changed, false when the current password is wrong (the failure counts like a failed login, throttled with TC220). A new password shorter than 8 characters (TC212) or longer than 72 bytes (TC221) is refused. The new password is hashed only once the current one is right.';


--
-- Name: consumption(text, date, date); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.consumption(plan_name text, start_date date, end_date date, OUT data_consumption integer, OUT minutes_used integer, OUT sms_sent integer) RETURNS record
    LANGUAGE sql STABLE
    AS $$
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
    and telecom.assert_plan_name_exists(consumption.plan_name)
$$;


--
-- Name: FUNCTION consumption(plan_name text, start_date date, end_date date, OUT data_consumption integer, OUT minutes_used integer, OUT sms_sent integer); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.consumption(plan_name text, start_date date, end_date date, OUT data_consumption integer, OUT minutes_used integer, OUT sms_sent integer) IS 'Usage of the plan in records lying within the dates (record start on or after start_date, record end on or before end_date); zeros when none. Both dates are required and must be in order (TC150, TC151). An unknown plan is TC102. A customer sees their own usage, an admin everyone''s.';


--
-- Name: current_mobile_no(); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.current_mobile_no() RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select nullif(current_setting('jwt.claims.mobile_no', true), '')
$$;


--
-- Name: FUNCTION current_mobile_no(); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.current_mobile_no() IS 'The mobile number the logged-in customer signed in with; null for admins and visitors.';


--
-- Name: current_mobile_nos(); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.current_mobile_nos() RETURNS SETOF text
    LANGUAGE sql STABLE ROWS 3
    AS $$
  select account.mobile_no
  from telecom.customer_account as account
  where account.national_id = telecom.current_national_id()
$$;


--
-- Name: FUNCTION current_mobile_nos(); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.current_mobile_nos() IS '@behavior -queryField -mutationField -typeField
Every mobile number of the logged-in customer (a person may hold several).';


--
-- Name: current_national_id(); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.current_national_id() RETURNS integer
    LANGUAGE sql STABLE
    AS $$
  select nullif(current_setting('jwt.claims.national_id', true), '')::integer
$$;


--
-- Name: FUNCTION current_national_id(); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.current_national_id() IS 'The national id of the logged-in customer; null for admins and visitors.';


--
-- Name: current_role_is_admin(); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.current_role_is_admin() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select telecom_private.session_is_trusted()
    or (
      telecom_private.caller_role() = 'telecom_admin'
      and exists (
        select
        from telecom_private.admin_user
        where admin_user.admin_id::text = current_setting('jwt.claims.admin_id', true)
      )
    )
$$;


--
-- Name: FUNCTION current_role_is_admin(); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.current_role_is_admin() IS 'Whether the request comes from a logged-in admin (the admin role with the id of an existing admin), or from a trusted database session (the owner or a superuser).';


--
-- Name: customer_account; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.customer_account (
    mobile_no text NOT NULL,
    national_id integer NOT NULL,
    balance numeric(12,2) DEFAULT 0 NOT NULL,
    account_type telecom.account_type NOT NULL,
    start_date date DEFAULT CURRENT_DATE NOT NULL,
    status telecom.account_status DEFAULT 'active'::telecom.account_status NOT NULL,
    points integer DEFAULT 0 NOT NULL,
    credit_limit numeric(12,2) DEFAULT 2000.00 NOT NULL,
    CONSTRAINT customer_account_check CHECK (((account_type = 'post_paid'::telecom.account_type) OR (balance >= (0)::numeric))),
    CONSTRAINT customer_account_credit_limit_check CHECK ((credit_limit >= (0)::numeric)),
    CONSTRAINT customer_account_mobile_no_check CHECK ((mobile_no ~ '^[0-9]{11}$'::text)),
    CONSTRAINT customer_account_points_check CHECK ((points >= 0))
)
WITH (fillfactor='90');


--
-- Name: TABLE customer_account; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.customer_account IS 'A mobile line (an account) of a customer.';


--
-- Name: COLUMN customer_account.mobile_no; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_account.mobile_no IS 'The 11-digit mobile number; the key of the account.';


--
-- Name: COLUMN customer_account.national_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_account.national_id IS 'The customer who owns the account.';


--
-- Name: COLUMN customer_account.balance; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_account.balance IS 'Money on the account; never negative unless the account is post-paid.';


--
-- Name: COLUMN customer_account.account_type; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_account.account_type IS 'How the account is billed.';


--
-- Name: COLUMN customer_account.start_date; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_account.start_date IS 'The day the line was opened.';


--
-- Name: COLUMN customer_account.status; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_account.status IS 'Whether the account is active or on hold.';


--
-- Name: COLUMN customer_account.points; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_account.points IS 'Loyalty points available to spend on vouchers.';


--
-- Name: COLUMN customer_account.credit_limit; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_account.credit_limit IS 'How far below zero usage may take a post-paid balance: an event whose charge would take it below -credit_limit is refused (docs/bills.md). Set by admins.';


--
-- Name: invoice; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.invoice (
    invoice_id integer NOT NULL,
    invoice_no text NOT NULL,
    mobile_no text NOT NULL,
    bill_date date NOT NULL,
    period_start date NOT NULL,
    period_end date NOT NULL,
    issued_on date NOT NULL,
    due_date date NOT NULL,
    subtotal numeric(12,2) NOT NULL,
    vat_rate numeric(5,4) NOT NULL,
    vat numeric(12,2) NOT NULL,
    total numeric(12,2) NOT NULL,
    previous_due numeric(12,2) DEFAULT 0 NOT NULL,
    amount_due numeric(12,2) NOT NULL,
    paid_amount numeric(12,2) DEFAULT 0 NOT NULL,
    status telecom.invoice_status NOT NULL,
    CONSTRAINT invoice_amount_due_check CHECK ((amount_due >= (0)::numeric)),
    CONSTRAINT invoice_bill_date_check CHECK ((bill_date = (date_trunc('month'::text, (bill_date)::timestamp with time zone))::date)),
    CONSTRAINT invoice_paid_amount_check CHECK ((paid_amount >= (0)::numeric)),
    CONSTRAINT invoice_previous_due_check CHECK ((previous_due >= (0)::numeric)),
    CONSTRAINT invoice_subtotal_check CHECK ((subtotal >= (0)::numeric)),
    CONSTRAINT invoice_total_check CHECK ((total >= (0)::numeric)),
    CONSTRAINT invoice_vat_check CHECK ((vat >= (0)::numeric))
);


--
-- Name: TABLE invoice; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.invoice IS 'A monthly bill of a post-paid account, issued by the bill run (run_bills): the month''s plan fees in advance and the previous month''s usage, with VAT, the unpaid remainder of the earlier bill and what is to be paid by the due date.';


--
-- Name: COLUMN invoice.invoice_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.invoice.invoice_id IS 'Identifier of the bill.';


--
-- Name: COLUMN invoice.invoice_no; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.invoice.invoice_no IS 'The bill''s number, INV-<year issued>-<7 digits>, gapless per year in the order issued.';


--
-- Name: COLUMN invoice.mobile_no; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.invoice.mobile_no IS 'The billed account.';


--
-- Name: COLUMN invoice.bill_date; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.invoice.bill_date IS 'The 1st of the month the bill is for: its plan fees are for this month.';


--
-- Name: COLUMN invoice.period_start; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.invoice.period_start IS 'The first day of the usage billed (the month before bill_date).';


--
-- Name: COLUMN invoice.period_end; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.invoice.period_end IS 'The last day of the usage billed.';


--
-- Name: COLUMN invoice.issued_on; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.invoice.issued_on IS 'The day the bill run issued the bill.';


--
-- Name: COLUMN invoice.due_date; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.invoice.due_date IS 'The day the bill is due: 14 days after it was issued.';


--
-- Name: COLUMN invoice.subtotal; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.invoice.subtotal IS 'The sum of the bill''s lines, before VAT.';


--
-- Name: COLUMN invoice.vat_rate; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.invoice.vat_rate IS 'The VAT rate valid on bill_date.';


--
-- Name: COLUMN invoice.vat; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.invoice.vat IS 'The VAT: subtotal × vat_rate, rounded to the piastre.';


--
-- Name: COLUMN invoice.total; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.invoice.total IS 'subtotal + vat: what this month billed.';


--
-- Name: COLUMN invoice.previous_due; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.invoice.previous_due IS 'The unpaid remainder of the account''s earlier bill, carried into this one (0 when none).';


--
-- Name: COLUMN invoice.amount_due; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.invoice.amount_due IS 'What the account owes when the bill is issued (its negative balance after the VAT), to be paid by due_date.';


--
-- Name: COLUMN invoice.paid_amount; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.invoice.paid_amount IS 'What payments and credit notes have settled of amount_due so far.';


--
-- Name: COLUMN invoice.status; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.invoice.status IS 'issued (to be paid), paid (paid_amount reached amount_due), or carried (its remainder moved into the next bill).';


--
-- Name: customer_account_issued_invoice(telecom.customer_account); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.customer_account_issued_invoice(account telecom.customer_account) RETURNS telecom.invoice
    LANGUAGE sql STABLE
    AS $$
  select invoice.*
  from telecom.invoice as invoice
  where telecom.assert_account_access(customer_account_issued_invoice.account.mobile_no)
    and invoice.mobile_no = customer_account_issued_invoice.account.mobile_no
    and invoice.status = 'issued'
$$;


--
-- Name: FUNCTION customer_account_issued_invoice(account telecom.customer_account); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.customer_account_issued_invoice(account telecom.customer_account) IS 'The account''s bill to pay: amount_due − paid_amount is still due by due_date. Null when no bill is due.';


--
-- Name: customer_account_unbilled_amount(telecom.customer_account); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.customer_account_unbilled_amount(account telecom.customer_account) RETURNS numeric
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  with subtotal as (
    select
      coalesce((
        select sum(fee.amount)
        from telecom.plan_charge as fee
        where fee.mobile_no = customer_account_unbilled_amount.account.mobile_no
          and fee.invoice_id is null
      ), 0)
      + coalesce((
        select sum(event.charged)
        from telecom.usage_event as event
        where event.mobile_no = customer_account_unbilled_amount.account.mobile_no
          and event.occurred_at >= date_trunc('month', telecom_private.operator_date(now()))::timestamp at time zone telecom_private.operator_time_zone()
      ), 0) as amount
  )
  select subtotal.amount + round(subtotal.amount * coalesce((
      select vat.rate
      from telecom.vat_rate as vat
      where vat.valid_from <= telecom_private.operator_date(now())
      order by vat.valid_from desc
      limit 1
    ), 0), 2)
  from subtotal
  where telecom.assert_account_access(customer_account_unbilled_amount.account.mobile_no)
$$;


--
-- Name: FUNCTION customer_account_unbilled_amount(account telecom.customer_account); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.customer_account_unbilled_amount(account telecom.customer_account) IS 'What the account''s next bill charges so far, VAT included: the plan fees not billed yet and this month''s usage beyond the allowances. 0 for an account with nothing unbilled.';


--
-- Name: customer_account_usage_current_month(telecom.customer_account); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.customer_account_usage_current_month(account telecom.customer_account) RETURNS TABLE(plan_id integer, plan_name text, data_consumption integer, minutes_used integer, sms_sent integer)
    LANGUAGE sql STABLE
    AS $$
  select *
  from telecom.usage_plan_current_month(account.mobile_no)
$$;


--
-- Name: FUNCTION customer_account_usage_current_month(account telecom.customer_account); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.customer_account_usage_current_month(account telecom.customer_account) IS 'This calendar month''s usage of each of the account''s active subscriptions, as usage_plan_current_month.';


--
-- Name: customer_profile; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.customer_profile (
    national_id integer NOT NULL,
    first_name text NOT NULL,
    last_name text NOT NULL,
    email public.citext,
    address text,
    date_of_birth date NOT NULL,
    CONSTRAINT customer_profile_address_check CHECK ((btrim(address) <> ''::text)),
    CONSTRAINT customer_profile_date_of_birth_check CHECK ((date_of_birth >= '1900-01-01'::date)),
    CONSTRAINT customer_profile_email_check CHECK ((email OPERATOR(public.~) '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'::public.citext)),
    CONSTRAINT customer_profile_first_name_check CHECK ((btrim(first_name) <> ''::text)),
    CONSTRAINT customer_profile_last_name_check CHECK ((btrim(last_name) <> ''::text))
);


--
-- Name: TABLE customer_profile; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.customer_profile IS 'A customer: one person, identified by their national id, who may hold several mobile accounts.';


--
-- Name: COLUMN customer_profile.national_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_profile.national_id IS 'The national id number of the person; the key of the customer.';


--
-- Name: COLUMN customer_profile.first_name; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_profile.first_name IS 'Given name.';


--
-- Name: COLUMN customer_profile.last_name; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_profile.last_name IS 'Family name.';


--
-- Name: COLUMN customer_profile.email; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_profile.email IS 'E-mail address, unique regardless of letter case; optional.';


--
-- Name: COLUMN customer_profile.address; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_profile.address IS 'Postal address; optional.';


--
-- Name: COLUMN customer_profile.date_of_birth; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_profile.date_of_birth IS 'Date of birth.';


--
-- Name: customer_profile_open_ticket_count(telecom.customer_profile); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.customer_profile_open_ticket_count(profile telecom.customer_profile) RETURNS integer
    LANGUAGE sql STABLE
    AS $$
  select telecom.ticket_account_customer(profile.national_id)
$$;


--
-- Name: FUNCTION customer_profile_open_ticket_count(profile telecom.customer_profile); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.customer_profile_open_ticket_count(profile telecom.customer_profile) IS 'How many of the person''s tickets are not resolved, as ticket_account_customer.';


--
-- Name: customer_transfers(text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.customer_transfers(mobile_no text) RETURNS TABLE(reference text, transfer_id integer, transfer_date date, direction text, other_mobile_no text, other_name text, amount numeric, currency text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION customer_transfers(mobile_no text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.customer_transfers(mobile_no text) IS 'The transfers of the wallet linked to a number, newest first, as its owner may see them: the direction (`sent` or `received`), the other number, the other person''s name masked to first name and last initial (the same disclosure as `transfer_recipient`), the amount and the currency. Reference `TRF-<transfer id>`, as in the receipts. A customer on their own numbers, an admin on any (42501 otherwise).';


--
-- Name: estimated_row_count(text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.estimated_row_count(relation_name text) RETURNS bigint
    LANGUAGE plpgsql STRICT
    AS $$
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


--
-- Name: FUNCTION estimated_row_count(relation_name text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.estimated_row_count(relation_name text) IS '@behavior +queryField -mutationField
About how many rows a report (for example account_payments) has: PostgreSQL''s estimate from its statistics, not a count. Shown as "about N".';


--
-- Name: extra_plan_amount(text, text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.extra_plan_amount(mobile_no text, plan_name text) RETURNS numeric
    LANGUAGE sql STABLE
    AS $$
  select (telecom.latest_plan_payment(extra_plan_amount.mobile_no, extra_plan_amount.plan_name)).extra_amount
$$;


--
-- Name: FUNCTION extra_plan_amount(mobile_no text, plan_name text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.extra_plan_amount(mobile_no text, plan_name text) IS 'How much the account''s latest successful payment for the plan exceeded its price; null when it never paid for the plan. An unknown number is TC101, an unknown plan TC102.';


--
-- Name: subscription; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.subscription (
    mobile_no text NOT NULL,
    plan_id integer NOT NULL,
    subscription_date date DEFAULT CURRENT_DATE NOT NULL,
    status telecom.subscription_status DEFAULT 'active'::telecom.subscription_status NOT NULL,
    paid_until date
);


--
-- Name: TABLE subscription; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.subscription IS '@name plan_subscription
An account''s subscription to a service plan.';


--
-- Name: COLUMN subscription.mobile_no; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.subscription.mobile_no IS 'The subscribed account.';


--
-- Name: COLUMN subscription.plan_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.subscription.plan_id IS 'The plan subscribed to.';


--
-- Name: COLUMN subscription.subscription_date; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.subscription.subscription_date IS 'The day the account first subscribed to the plan; it never changes (renewals move paid_until).';


--
-- Name: COLUMN subscription.status; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.subscription.status IS 'Whether the subscription is running or on hold.';


--
-- Name: COLUMN subscription.paid_until; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.subscription.paid_until IS 'The first day the subscription is not paid for: it covers a day while active and before this date. Null until a payment covers the plan''s price.';


--
-- Name: hold_subscription(text, integer); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.hold_subscription(mobile_no text, plan_id integer) RETURNS telecom.subscription
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_subscription telecom.subscription := telecom_private.change_subscription_status(hold_subscription.mobile_no, hold_subscription.plan_id, 'active', 'onhold');
begin
  if v_subscription is null then
    raise exception '% has no active subscription to plan %.', hold_subscription.mobile_no, hold_subscription.plan_id using errcode = 'TC131';
  end if;
  return v_subscription;
end;
$$;


--
-- Name: FUNCTION hold_subscription(mobile_no text, plan_id integer); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.hold_subscription(mobile_no text, plan_id integer) IS 'Puts the account''s active subscription to a plan on hold; its dates stay as they are.';


--
-- Name: payment; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.payment (
    payment_id integer NOT NULL,
    mobile_no text NOT NULL,
    amount numeric(12,2) NOT NULL,
    date_of_payment date DEFAULT CURRENT_DATE NOT NULL,
    payment_method telecom.payment_method NOT NULL,
    status telecom.payment_status DEFAULT 'pending'::telecom.payment_status NOT NULL,
    initiated_at timestamp with time zone DEFAULT now() NOT NULL,
    currency text DEFAULT 'EGP'::text NOT NULL,
    provider_reference text,
    CONSTRAINT payment_amount_check CHECK ((amount > (0)::numeric)),
    CONSTRAINT payment_currency_check CHECK ((currency ~ '^[A-Z]{3}$'::text))
);


--
-- Name: TABLE payment; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.payment IS 'A payment made by an account, for a plan or to top up the balance.';


--
-- Name: COLUMN payment.payment_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.payment.payment_id IS 'Identifier of the payment.';


--
-- Name: COLUMN payment.mobile_no; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.payment.mobile_no IS 'The paying account.';


--
-- Name: COLUMN payment.amount; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.payment.amount IS 'Amount paid.';


--
-- Name: COLUMN payment.date_of_payment; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.payment.date_of_payment IS 'The day of the payment.';


--
-- Name: COLUMN payment.payment_method; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.payment.payment_method IS 'How it was paid.';


--
-- Name: COLUMN payment.status; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.payment.status IS 'Outcome of the payment.';


--
-- Name: COLUMN payment.initiated_at; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.payment.initiated_at IS 'When the payment was started; a card payment still pending long after it is rejected as stale.';


--
-- Name: COLUMN payment.currency; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.payment.currency IS 'The currency of the amount (EGP for every payment the operations make).';


--
-- Name: COLUMN payment.provider_reference; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.payment.provider_reference IS 'The card processor''s id of a card payment (the checkout), set when it is initiated; null for cash and wallet payments.';


--
-- Name: initiate_balance_payment(text, numeric, telecom.payment_method, uuid); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.initiate_balance_payment(mobile_no text, amount numeric, payment_method telecom.payment_method, idempotency_key uuid DEFAULT NULL::uuid) RETURNS telecom.payment
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_replay jsonb;
  v_account telecom.customer_account;
  v_payment telecom.payment;
begin
  v_replay := telecom_private.begin_money_operation(
    'initiate_balance_payment',
    initiate_balance_payment.idempotency_key,
    jsonb_build_object('mobile_no', mobile_no, 'amount', amount, 'payment_method', payment_method)
  );
  if v_replay is not null then
    return jsonb_populate_record(null::telecom.payment, v_replay);
  end if;
  v_account := telecom_private.lock_payable_account(initiate_balance_payment.mobile_no);
  perform telecom_private.assert_money_amount(initiate_balance_payment.amount);
  v_payment := telecom_private.record_payment(v_account, initiate_balance_payment.amount, initiate_balance_payment.payment_method);
  perform telecom_private.finish_money_operation(to_jsonb(v_payment));
  return v_payment;
end;
$$;


--
-- Name: FUNCTION initiate_balance_payment(mobile_no text, amount numeric, payment_method telecom.payment_method, idempotency_key uuid); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.initiate_balance_payment(mobile_no text, amount numeric, payment_method telecom.payment_method, idempotency_key uuid) IS 'Recharges the account. Admins record cash and card at a shop, successful at once; a customer pays by card (pending until the card processor settles it) or from the EGP wallet linked to the number. Once successful, the amount is added to the balance; for a post-paid account it counts toward the issued bill, and an account barred for an unpaid bill may pay it (paying the bill lifts the bar). A repeat with the same idempotency_key returns the first payment.';


--
-- Name: initiate_plan_payment(text, numeric, telecom.payment_method, integer, uuid); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.initiate_plan_payment(mobile_no text, amount numeric, payment_method telecom.payment_method, plan_id integer, idempotency_key uuid DEFAULT NULL::uuid) RETURNS telecom.payment
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_account telecom.customer_account;
  v_price numeric(12, 2);
  v_payment telecom.payment;
begin
  call telecom_private.begin_account_money_operation(
    'initiate_plan_payment',
    initiate_plan_payment.idempotency_key,
    jsonb_build_object('mobile_no', mobile_no, 'amount', amount, 'payment_method', payment_method, 'plan_id', plan_id),
    initiate_plan_payment.mobile_no,
    v_payment,
    v_account
  );
  if v_account is null then
    return v_payment;
  end if;
  if v_account.account_type = 'post_paid' then
    raise exception 'The plans of % are billed: pay the bill with a balance payment.', initiate_plan_payment.mobile_no using errcode = 'TC701';
  end if;
  perform telecom_private.assert_money_amount(initiate_plan_payment.amount);
  v_price := (telecom.assert_plan_exists(initiate_plan_payment.plan_id)).price;
  if initiate_plan_payment.amount < v_price and not telecom.current_role_is_admin() then
    raise exception 'The plan costs % EGP: pay at least that much.', v_price using errcode = 'TC319';
  end if;
  v_payment := telecom_private.record_payment(v_account, initiate_plan_payment.amount, initiate_plan_payment.payment_method, initiate_plan_payment.plan_id);
  perform telecom_private.finish_money_operation(to_jsonb(v_payment));
  return v_payment;
end;
$$;


--
-- Name: FUNCTION initiate_plan_payment(mobile_no text, amount numeric, payment_method telecom.payment_method, plan_id integer, idempotency_key uuid); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.initiate_plan_payment(mobile_no text, amount numeric, payment_method telecom.payment_method, plan_id integer, idempotency_key uuid) IS 'Pays for a plan. Admins record cash and card at a shop, successful at once; a customer pays by card (pending until the card processor settles it, provider_reference is the checkout) or from the EGP wallet linked to the number, and at least the plan''s price. Once successful, a payment that covers the price activates the subscription (created if absent, dated today) and moves paid_until one month on; an admin''s partial payment leaves it as it was. Any extra is credited to the balance. A post-paid account''s plans are billed (TC701): it pays its bill with initiate_balance_payment. A repeat with the same idempotency_key returns the first payment.';


--
-- Name: invoice_ageing(); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.invoice_ageing(OUT due_1_to_30 numeric, OUT due_31_to_60 numeric, OUT due_61_to_90 numeric, OUT due_over_90 numeric, OUT bills_overdue integer) RETURNS record
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform telecom.assert_admin('Only an admin reads the ageing report.');
  select
    coalesce(sum(overdue.still_due) filter (where overdue.days <= 30), 0),
    coalesce(sum(overdue.still_due) filter (where overdue.days between 31 and 60), 0),
    coalesce(sum(overdue.still_due) filter (where overdue.days between 61 and 90), 0),
    coalesce(sum(overdue.still_due) filter (where overdue.days > 90), 0),
    count(*)::integer
  into invoice_ageing.due_1_to_30, invoice_ageing.due_31_to_60, invoice_ageing.due_61_to_90, invoice_ageing.due_over_90, invoice_ageing.bills_overdue
  from (
    select invoice.amount_due - invoice.paid_amount as still_due, telecom_private.operator_date(now()) - invoice.due_date as days
    from telecom.invoice as invoice
    where invoice.status = 'issued'
      and invoice.due_date < telecom_private.operator_date(now())
      and invoice.paid_amount < invoice.amount_due
  ) as overdue;
end;
$$;


--
-- Name: FUNCTION invoice_ageing(OUT due_1_to_30 numeric, OUT due_31_to_60 numeric, OUT due_61_to_90 numeric, OUT due_over_90 numeric, OUT bills_overdue integer); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.invoice_ageing(OUT due_1_to_30 numeric, OUT due_31_to_60 numeric, OUT due_61_to_90 numeric, OUT due_over_90 numeric, OUT bills_overdue integer) IS 'What is still due on bills past their due date, by days overdue: 1–30, 31–60, 61–90 and over 90, and how many such bills. Admins only.';


--
-- Name: issue_account(integer, text, telecom.account_type, text, text, text, text, date); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.issue_account(national_id integer, mobile_no text, account_type telecom.account_type, first_name text DEFAULT NULL::text, last_name text DEFAULT NULL::text, email text DEFAULT NULL::text, address text DEFAULT NULL::text, date_of_birth date DEFAULT NULL::date) RETURNS telecom.customer_account
    LANGUAGE plpgsql
    AS $_$
declare
  v_account telecom.customer_account;
begin
  perform telecom.assert_admin('Only an admin can issue numbers.');
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
$_$;


--
-- Name: FUNCTION issue_account(national_id integer, mobile_no text, account_type telecom.account_type, first_name text, last_name text, email text, address text, date_of_birth date); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.issue_account(national_id integer, mobile_no text, account_type telecom.account_type, first_name text, last_name text, email text, address text, date_of_birth date) IS 'Admin only. Issues a new number, active from today, to the person with that national id; for a new person, give first_name, last_name and date_of_birth (email and address are optional).';


--
-- Name: credit_note; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.credit_note (
    credit_note_id integer NOT NULL,
    credit_note_no text NOT NULL,
    invoice_id integer NOT NULL,
    amount numeric(12,2) NOT NULL,
    vat numeric(12,2) NOT NULL,
    reason text NOT NULL,
    issued_on date DEFAULT CURRENT_DATE NOT NULL,
    issued_by text NOT NULL,
    CONSTRAINT credit_note_amount_check CHECK ((amount > (0)::numeric)),
    CONSTRAINT credit_note_reason_check CHECK ((btrim(reason) <> ''::text)),
    CONSTRAINT credit_note_vat_check CHECK ((vat >= (0)::numeric))
);


--
-- Name: TABLE credit_note; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.credit_note IS 'Money forgiven on a bill by an admin, with the reason: credited to the balance and counted toward the account''s issued bill like a payment.';


--
-- Name: COLUMN credit_note.credit_note_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.credit_note.credit_note_id IS 'Identifier of the credit note.';


--
-- Name: COLUMN credit_note.credit_note_no; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.credit_note.credit_note_no IS 'Its number, CN-<year issued>-<7 digits>, gapless per year.';


--
-- Name: COLUMN credit_note.invoice_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.credit_note.invoice_id IS 'The bill it credits.';


--
-- Name: COLUMN credit_note.amount; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.credit_note.amount IS 'The amount credited, VAT included; all credit notes of a bill together are at most its total.';


--
-- Name: COLUMN credit_note.vat; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.credit_note.vat IS 'The VAT part of the amount, at the bill''s rate: amount × rate / (1 + rate), rounded to the piastre.';


--
-- Name: COLUMN credit_note.reason; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.credit_note.reason IS 'Why the money was forgiven.';


--
-- Name: COLUMN credit_note.issued_on; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.credit_note.issued_on IS 'The day it was issued.';


--
-- Name: COLUMN credit_note.issued_by; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.credit_note.issued_by IS 'Who issued it, as the money journal names actors (admin:<id>, database:<login>).';


--
-- Name: issue_credit_note(text, numeric, text, uuid); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.issue_credit_note(invoice_no text, amount numeric, reason text, idempotency_key uuid DEFAULT NULL::uuid) RETURNS telecom.credit_note
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_replay jsonb;
  v_invoice telecom.invoice;
  v_credited numeric(12,2);
  v_year integer := extract(year from current_date)::integer;
  v_note telecom.credit_note;
begin
  perform telecom.assert_admin('Only an admin issues credit notes.');
  v_replay := telecom_private.begin_money_operation(
    'issue_credit_note',
    issue_credit_note.idempotency_key,
    jsonb_build_object('invoice_no', issue_credit_note.invoice_no, 'amount', issue_credit_note.amount, 'reason', issue_credit_note.reason)
  );
  if v_replay is not null then
    return jsonb_populate_record(null::telecom.credit_note, v_replay);
  end if;
  select *
  into v_invoice
  from telecom.invoice as invoice
  where invoice.invoice_no = issue_credit_note.invoice_no;
  if not found then
    raise exception 'There is no bill %.', issue_credit_note.invoice_no using errcode = 'TC704';
  end if;
  perform telecom_private.assert_money_amount(issue_credit_note.amount);
  if issue_credit_note.reason is null or btrim(issue_credit_note.reason) = '' then
    raise exception 'A credit note needs a reason.' using errcode = 'TC706';
  end if;
  perform
  from telecom.customer_account as account
  where account.mobile_no = v_invoice.mobile_no
  for no key update;
  select coalesce(sum(note.amount), 0)
  into v_credited
  from telecom.credit_note as note
  where note.invoice_id = v_invoice.invoice_id;
  if issue_credit_note.amount > v_invoice.total - v_credited then
    raise exception 'The bill % can be credited at most % EGP more.', v_invoice.invoice_no, v_invoice.total - v_credited using errcode = 'TC705';
  end if;
  insert into telecom.credit_note (credit_note_no, invoice_id, amount, vat, reason, issued_on, issued_by)
  values (
    telecom_private.document_no('CN', v_year, telecom_private.take_document_numbers('CN', v_year) + 1),
    v_invoice.invoice_id,
    issue_credit_note.amount,
    round(issue_credit_note.amount * v_invoice.vat_rate / (1 + v_invoice.vat_rate), 2),
    btrim(issue_credit_note.reason),
    current_date,
    telecom_private.current_actor()
  )
  returning * into v_note;
  perform telecom_private.give_document_numbers('CN', v_year, 1);
  perform telecom_private.credit_account_balance(v_invoice.mobile_no, v_note.amount);
  perform telecom_private.settle_issued_invoice(v_invoice.mobile_no, v_note.amount);
  perform telecom_private.finish_money_operation(to_jsonb(v_note));
  return v_note;
end;
$$;


--
-- Name: FUNCTION issue_credit_note(invoice_no text, amount numeric, reason text, idempotency_key uuid); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.issue_credit_note(invoice_no text, amount numeric, reason text, idempotency_key uuid) IS 'Forgives part of a bill: credits the amount (VAT included, at most the bill''s total less its earlier credit notes) to the account''s balance and counts it toward the account''s issued bill, with the reason and the admin recorded. TC704 unknown bill, TC104/TC105 bad amount, TC705 over the bill, TC706 no reason. A repeat with the same idempotency_key returns the first credit note. Admins and trusted sessions.';


--
-- Name: process_payment; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.process_payment (
    payment_id integer NOT NULL,
    plan_id integer NOT NULL,
    remaining_balance numeric(12,2) NOT NULL,
    extra_amount numeric(12,2) NOT NULL,
    CONSTRAINT process_payment_extra_amount_check CHECK ((extra_amount >= (0)::numeric)),
    CONSTRAINT process_payment_remaining_balance_check CHECK ((remaining_balance >= (0)::numeric))
);


--
-- Name: TABLE process_payment; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.process_payment IS 'The plan a payment paid for, and how it compared with the plan''s price. Computed by the database.';


--
-- Name: COLUMN process_payment.payment_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.process_payment.payment_id IS 'The payment.';


--
-- Name: COLUMN process_payment.plan_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.process_payment.plan_id IS 'The plan paid for.';


--
-- Name: COLUMN process_payment.remaining_balance; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.process_payment.remaining_balance IS 'What was still owed for the plan: greatest(price - amount, 0) at the time of the payment.';


--
-- Name: COLUMN process_payment.extra_amount; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.process_payment.extra_amount IS 'What was paid beyond the plan''s price: greatest(amount - price, 0) at the time of the payment.';


--
-- Name: latest_plan_payment(text, text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.latest_plan_payment(mobile_no text, plan_name text) RETURNS telecom.process_payment
    LANGUAGE sql STABLE
    AS $$
  select processed.*
  from telecom.payment as payment
  inner join telecom.process_payment as processed
    on processed.payment_id = payment.payment_id
  inner join telecom.service_plan as plan
    on plan.plan_id = processed.plan_id
  where telecom.assert_account_access(latest_plan_payment.mobile_no)
    and telecom.assert_plan_name_exists(latest_plan_payment.plan_name)
    and payment.mobile_no = latest_plan_payment.mobile_no
    and payment.status = 'successful'
    and plan.name = latest_plan_payment.plan_name
  order by payment.date_of_payment desc, payment.payment_id desc
  limit 1
$$;


--
-- Name: FUNCTION latest_plan_payment(mobile_no text, plan_name text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.latest_plan_payment(mobile_no text, plan_name text) IS '@behavior -queryField -mutationField -typeField
The account''s latest successful payment for the plan (its process_payment row); null when it never paid for the plan.';


--
-- Name: maintenance_tick(interval, interval); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.maintenance_tick(stale_payment_age interval DEFAULT '00:30:00'::interval, figures_age interval DEFAULT '00:05:00'::interval) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
declare
  v_figures_as_of timestamptz;
  v_figures_refreshed integer := 0;
  v_codes_purged integer;
  v_guesses_purged integer;
  v_result jsonb;
  v_today date := telecom_private.operator_date(now());
  v_last_tick_day date;
  v_bills_issued integer;
  v_bill_run_requests integer;
begin
  perform telecom_private.assert_trusted_session('Only the server''s own database session runs the maintenance tick.');
  if not pg_try_advisory_xact_lock(8, 1) then
    return jsonb_build_object('skipped', true);
  end if;
  select telecom_private.operator_date(state.last_tick_at)
  into v_last_tick_day
  from telecom_private.maintenance_state as state;
  if v_last_tick_day is null or date_trunc('month', v_last_tick_day) < date_trunc('month', v_today) then
    v_bills_issued := telecom.run_bills();
  end if;
  v_bill_run_requests := telecom_private.run_requested_bill_run();
  select greatest(
    (select max(as_of) from telecom.revenue_per_month),
    (select max(as_of) from telecom.usage_per_month),
    (select max(as_of) from telecom.new_accounts_per_month),
    (select max(as_of) from telecom.wallet_volume_per_month),
    (select max(as_of) from telecom.open_tickets_by_priority),
    (select max(as_of) from telecom.account_status_counts)
  ) into v_figures_as_of;
  if v_figures_as_of is null or v_figures_as_of <= now() - maintenance_tick.figures_age or v_bills_issued > 0 or v_bill_run_requests > 0 then
    perform telecom.refresh_admin_figures();
    v_figures_refreshed := 1;
  end if;
  select purged.codes_purged, purged.guesses_purged
  into v_codes_purged, v_guesses_purged
  from telecom_private.purge_verification_codes() as purged;
  v_result := jsonb_build_object(
    'stale_payments_rejected', telecom.reject_stale_payments(maintenance_tick.stale_payment_age),
    'admin_figures_refreshed', v_figures_refreshed,
    'usage_partitions', to_jsonb(telecom_private.ensure_usage_partitions()),
    'login_failures_purged', telecom_private.purge_login_failures(),
    'idempotency_keys_purged', telecom_private.purge_idempotency_keys(),
    'sent_sms_purged', telecom_private.purge_sent_sms(),
    'verification_codes_purged', v_codes_purged,
    'verification_code_guesses_purged', v_guesses_purged,
    'bills_issued', v_bills_issued,
    'bill_run_requests', v_bill_run_requests,
    'collection_steps', case
      when v_last_tick_day is null or v_last_tick_day < v_today then telecom.run_collections()
    end
  );
  insert into telecom_private.maintenance_state (last_tick_at, last_result)
  values (now(), v_result)
  on conflict ((true)) do update
    set last_tick_at = excluded.last_tick_at,
      last_result = excluded.last_result;
  return v_result;
end;
$$;


--
-- Name: FUNCTION maintenance_tick(stale_payment_age interval, figures_age interval); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.maintenance_tick(stale_payment_age interval, figures_age interval) IS '@behavior -queryField -mutationField -typeField
The scheduled work the API server runs every minute as the database owner: rejects stale card payments, refreshes the admin figures when they are older than figures_age, keeps the usage partitions ahead and forgets what has served its time (failed logins, idempotency keys, sent SMS, expired one-time codes), runs the bills on the first tick of a month and collections on the first tick of a day (the operator''s), and the bill run an admin asked for. Never runs beside another tick: then it returns {"skipped": true} and does nothing. Returns what each job did, and records it with the time in telecom_private.maintenance_state.';


--
-- Name: technical_support_ticket; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.technical_support_ticket (
    ticket_id integer NOT NULL,
    mobile_no text NOT NULL,
    issue_description text NOT NULL,
    priority_level integer NOT NULL,
    status telecom.ticket_status DEFAULT 'open'::telecom.ticket_status NOT NULL,
    CONSTRAINT technical_support_ticket_issue_description_check CHECK ((btrim(issue_description) <> ''::text)),
    CONSTRAINT technical_support_ticket_priority_level_check CHECK (((priority_level >= 1) AND (priority_level <= 5)))
);


--
-- Name: TABLE technical_support_ticket; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.technical_support_ticket IS 'A support request raised for an account.';


--
-- Name: COLUMN technical_support_ticket.ticket_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.technical_support_ticket.ticket_id IS 'Identifier of the ticket.';


--
-- Name: COLUMN technical_support_ticket.mobile_no; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.technical_support_ticket.mobile_no IS 'The account the ticket is about.';


--
-- Name: COLUMN technical_support_ticket.issue_description; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.technical_support_ticket.issue_description IS 'What the customer reported.';


--
-- Name: COLUMN technical_support_ticket.priority_level; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.technical_support_ticket.priority_level IS 'Priority from 1 (lowest) to 5 (most urgent).';


--
-- Name: COLUMN technical_support_ticket.status; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.technical_support_ticket.status IS 'Progress of the ticket.';


--
-- Name: open_ticket(text, integer); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.open_ticket(issue_description text, priority_level integer) RETURNS telecom.technical_support_ticket
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION open_ticket(issue_description text, priority_level integer); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.open_ticket(issue_description text, priority_level integer) IS 'Opens a support ticket for the number the customer is logged in with (priority 1 lowest to 5 most urgent).';


--
-- Name: payment_wallet_cashback(text, integer, integer, uuid); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.payment_wallet_cashback(mobile_no text, payment_id integer, benefit_id integer, idempotency_key uuid DEFAULT NULL::uuid) RETURNS telecom.cashback
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_account telecom.customer_account;
  v_wallet telecom.wallet;
  v_payment telecom.payment;
  v_benefit telecom.benefit;
  v_amount numeric(12, 2);
  v_cashback telecom.cashback;
begin
  call telecom_private.begin_account_money_operation(
    'payment_wallet_cashback',
    payment_wallet_cashback.idempotency_key,
    jsonb_build_object('mobile_no', mobile_no, 'payment_id', payment_id, 'benefit_id', benefit_id),
    payment_wallet_cashback.mobile_no,
    v_cashback,
    v_account
  );
  if v_account is null then
    return v_cashback;
  end if;
  select *
  into v_payment
  from telecom.payment as payment
  where payment.payment_id = payment_wallet_cashback.payment_id
    and payment.mobile_no = v_account.mobile_no;
  if not found then
    raise exception 'Payment % is not a payment of %.', payment_wallet_cashback.payment_id, v_account.mobile_no using errcode = 'TC110';
  end if;
  v_wallet := telecom_private.lock_payment_wallet(v_account, v_payment.currency);
  -- Locked after the wallet: account, wallet, then payment (docs/money.md's order).
  select *
  into v_payment
  from telecom.payment as payment
  where payment.payment_id = v_payment.payment_id
  for no key update;
  if v_payment.status <> 'successful' then
    raise exception 'Payment % is %, only successful payments earn cashback.', v_payment.payment_id, v_payment.status using errcode = 'TC111';
  end if;
  if v_payment.payment_method not in ('cash', 'credit') then
    raise exception 'Payment % was made from the wallet: only cash and card payments earn cashback, or money would loop through the wallet.', v_payment.payment_id using errcode = 'TC117';
  end if;
  select *
  into v_benefit
  from telecom.benefit as benefit
  where benefit.benefit_id = payment_wallet_cashback.benefit_id
    and benefit.mobile_no = v_account.mobile_no
  for share;
  if not found then
    raise exception 'Benefit % is not a benefit of %.', payment_wallet_cashback.benefit_id, v_account.mobile_no using errcode = 'TC112';
  end if;
  if v_benefit.status <> 'active' or v_benefit.validity_date < current_date then
    raise exception 'Benefit % has ended.', v_benefit.benefit_id using errcode = 'TC113';
  end if;
  if exists (select from telecom.cashback as cashback where cashback.payment_id = v_payment.payment_id) then
    raise exception 'Payment % has already earned cashback.', v_payment.payment_id using errcode = 'TC114';
  end if;
  v_amount := telecom_private.cashback_amount(v_payment.amount);
  if v_amount = 0 then
    raise exception 'Payment % is too small to earn cashback.', v_payment.payment_id using errcode = 'TC116';
  end if;
  perform telecom_private.credit_wallet(v_wallet.wallet_id, v_amount);
  insert into telecom.cashback (benefit_id, wallet_id, amount, credit_date, payment_id)
  values (v_benefit.benefit_id, v_wallet.wallet_id, v_amount, current_date, v_payment.payment_id)
  returning * into v_cashback;
  perform telecom_private.finish_money_operation(to_jsonb(v_cashback));
  return v_cashback;
end;
$$;


--
-- Name: FUNCTION payment_wallet_cashback(mobile_no text, payment_id integer, benefit_id integer, idempotency_key uuid); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.payment_wallet_cashback(mobile_no text, payment_id integer, benefit_id integer, idempotency_key uuid) IS 'Credits 10% of a successful payment of the account (rounded to the cent) as cashback, through one of the account''s benefits that counts (active, unexpired), to the owner''s wallet in the payment''s currency (the one linked to the number first). Only cash and card payments earn it: a payment made from the wallet is refused (TC117). A payment earns cashback once, ever. A repeat with the same idempotency_key returns the first credit.';


--
-- Name: recommended_plans(text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.recommended_plans(mobile_no text) RETURNS TABLE(plan_id integer, plan_name text, monthly_cost numeric, current_monthly_cost numeric, monthly_saving numeric)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION recommended_plans(mobile_no text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.recommended_plans(mobile_no text) IS 'The plans that would have cost the account least: for each plan, what the usage of the three full calendar months before this one would have cost per month (price plus the tariff beyond its allowances), what the account paid per month (plan payments and usage charges), and the monthly saving. Best first.';


--
-- Name: card_refund; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.card_refund (
    payment_id integer NOT NULL,
    provider_reference text NOT NULL,
    amount numeric(12,2) NOT NULL,
    currency text NOT NULL,
    reported_at timestamp with time zone DEFAULT now() NOT NULL,
    refunded_at timestamp with time zone,
    reason text DEFAULT 'reported_after_rejection'::text NOT NULL,
    CONSTRAINT card_refund_amount_check CHECK ((amount > (0)::numeric)),
    CONSTRAINT card_refund_currency_check CHECK ((currency ~ '^[A-Z]{3}$'::text)),
    CONSTRAINT card_refund_reason_check CHECK ((reason = ANY (ARRAY['reported_after_rejection'::text, 'balance_cannot_hold'::text])))
);


--
-- Name: TABLE card_refund; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.card_refund IS 'Card payments to refund: the card processor took the customer''s money, but it was never applied, because the payment had been rejected before (declined, or pending too long and rejected as stale) or because the balance could not hold it. An admin refunds it through the processor and sets refunded_at.';


--
-- Name: COLUMN card_refund.payment_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.card_refund.payment_id IS 'The rejected payment.';


--
-- Name: COLUMN card_refund.provider_reference; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.card_refund.provider_reference IS 'The card processor''s id of the payment, to quote when refunding.';


--
-- Name: COLUMN card_refund.amount; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.card_refund.amount IS 'The amount to refund.';


--
-- Name: COLUMN card_refund.currency; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.card_refund.currency IS 'The currency of the amount.';


--
-- Name: COLUMN card_refund.reported_at; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.card_refund.reported_at IS 'When the successful report that could not be applied arrived.';


--
-- Name: COLUMN card_refund.refunded_at; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.card_refund.refunded_at IS 'When an admin refunded it; null while it is owed.';


--
-- Name: COLUMN card_refund.reason; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.card_refund.reason IS 'Why the money was not applied: reported_after_rejection (the payment had been rejected: declined, or stale) or balance_cannot_hold (the balance plus the amount would pass 9,999,999,999.99).';


--
-- Name: record_card_refund(text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.record_card_refund(provider_reference text) RETURNS telecom.card_refund
    LANGUAGE plpgsql STRICT SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_payment telecom.payment;
  v_refund telecom.card_refund;
begin
  if telecom_private.caller_role() <> 'telecom_payment_processor' and not telecom.current_role_is_admin() then
    raise exception 'Only the card processor or an admin can log a refund.' using errcode = '42501';
  end if;
  v_payment := telecom_private.card_payment_by_reference(record_card_refund.provider_reference);
  if v_payment.status <> 'rejected' then
    raise exception 'Only a rejected payment can be owed back.' using errcode = 'TC324';
  end if;
  v_refund := telecom_private.log_card_refund(v_payment, 'reported_after_rejection');
  return v_refund;
end;
$$;


--
-- Name: FUNCTION record_card_refund(provider_reference text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.record_card_refund(provider_reference text) IS '@behavior -queryField -mutationField -typeField
Logs a rejected card payment that the card processor reported successful after all: the amount is owed back to the customer (table card_refund). A repeat returns the first entry. For the card processor and admins.';


--
-- Name: usage_event; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.usage_event (
    event_id uuid NOT NULL,
    mobile_no text NOT NULL,
    kind telecom.usage_kind NOT NULL,
    quantity numeric NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    plan_id integer,
    charged numeric(12,2) DEFAULT 0 NOT NULL,
    outcome telecom.usage_outcome NOT NULL,
    network_id text,
    CONSTRAINT usage_event_charged_check CHECK ((charged >= (0)::numeric)),
    CONSTRAINT usage_event_quantity_check CHECK ((quantity > (0)::numeric))
)
PARTITION BY RANGE (occurred_at);


--
-- Name: TABLE usage_event; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.usage_event IS 'A usage event from the network, as rated when it arrived (one row per event_id).
@behavior -insert -update -delete';


--
-- Name: COLUMN usage_event.event_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_event.event_id IS 'The network''s id of the event; a replay with the same id returns the first result.';


--
-- Name: COLUMN usage_event.mobile_no; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_event.mobile_no IS 'The account that used the service.';


--
-- Name: COLUMN usage_event.kind; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_event.kind IS 'data (MB), voice (minutes) or sms (messages).';


--
-- Name: COLUMN usage_event.quantity; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_event.quantity IS 'The quantity as the network sent it; it is rated rounded up to whole MB, minutes or messages.';


--
-- Name: COLUMN usage_event.occurred_at; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_event.occurred_at IS 'When the usage happened; its day in the operator''s time zone is the day it counts for.';


--
-- Name: COLUMN usage_event.received_at; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_event.received_at IS 'When the event was rated.';


--
-- Name: COLUMN usage_event.plan_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_event.plan_id IS 'The first plan whose allowance took (part of) it; null when none did.';


--
-- Name: COLUMN usage_event.charged; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_event.charged IS 'What was charged beyond the allowances (EGP); 0 when none.';


--
-- Name: COLUMN usage_event.outcome; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_event.outcome IS 'in_allowance (allowances covered all of it), charged (some was charged) or refused (account on hold, or the balance could not cover it).';


--
-- Name: COLUMN usage_event.network_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_event.network_id IS 'The network_id claim of the network''s token that sent it, when there was one.';


--
-- Name: record_usage(uuid, text, telecom.usage_kind, numeric, timestamp with time zone); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.record_usage(event_id uuid, mobile_no text, kind telecom.usage_kind, quantity numeric, occurred_at timestamp with time zone) RETURNS telecom.usage_event
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_event telecom.usage_event;
  v_account telecom.customer_account;
  v_problem text[];
  v_units integer;
  v_day date;
  v_month date;
  v_rest integer;
  v_take integer;
  v_used integer;
  v_plans integer[] := '{}'::integer[];
  v_takes integer[] := '{}'::integer[];
  v_useds integer[] := '{}'::integer[];
  v_offereds integer[] := '{}'::integer[];
  v_unit_price numeric;
  v_charged numeric(12,2) := 0;
  v_outcome telecom.usage_outcome;
  v_subscription record;
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
  v_problem := telecom_private.usage_account_problem(record_usage.mobile_no, v_account.start_date, record_usage.occurred_at);
  if v_problem is not null then
    raise exception '%', v_problem[2] using errcode = v_problem[1];
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
    when v_account.account_type = 'post_paid' and v_account.balance - v_charged < -v_account.credit_limit then 'refused'
    when v_rest > 0 then 'charged'
    else 'in_allowance'
  end::telecom.usage_outcome;

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


--
-- Name: FUNCTION record_usage(event_id uuid, mobile_no text, kind telecom.usage_kind, quantity numeric, occurred_at timestamp with time zone); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.record_usage(event_id uuid, mobile_no text, kind telecom.usage_kind, quantity numeric, occurred_at timestamp with time zone) IS 'Rates one usage event from the network: draws it from the allowances of the plans that cover its day (oldest subscription first), charges the rest at the tariff, and returns the stored event (outcome in_allowance, charged or refused). A repeated event_id with the same data returns the first result. The network and trusted sessions only.';


--
-- Name: voucher; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.voucher (
    voucher_id integer NOT NULL,
    value numeric(12,2) NOT NULL,
    expiry_date date NOT NULL,
    points integer NOT NULL,
    shop_id integer NOT NULL,
    mobile_no text,
    redeem_date date,
    CONSTRAINT voucher_check CHECK (((mobile_no IS NULL) = (redeem_date IS NULL))),
    CONSTRAINT voucher_points_check CHECK ((points > 0)),
    CONSTRAINT voucher_value_check CHECK ((value > (0)::numeric))
);


--
-- Name: TABLE voucher; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.voucher IS 'A voucher for a partner shop, bought with loyalty points.';


--
-- Name: COLUMN voucher.voucher_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.voucher.voucher_id IS 'Identifier of the voucher.';


--
-- Name: COLUMN voucher.value; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.voucher.value IS 'What the voucher is worth in the shop.';


--
-- Name: COLUMN voucher.expiry_date; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.voucher.expiry_date IS 'The last day the voucher can be redeemed.';


--
-- Name: COLUMN voucher.points; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.voucher.points IS 'Loyalty points it costs.';


--
-- Name: COLUMN voucher.shop_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.voucher.shop_id IS 'The shop that accepts it.';


--
-- Name: COLUMN voucher.mobile_no; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.voucher.mobile_no IS 'The account that redeemed it; null while unredeemed.';


--
-- Name: COLUMN voucher.redeem_date; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.voucher.redeem_date IS 'The day it was redeemed; null while unredeemed.';


--
-- Name: redeem_voucher_points(text, integer, uuid); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.redeem_voucher_points(mobile_no text, voucher_id integer, idempotency_key uuid DEFAULT NULL::uuid) RETURNS telecom.voucher
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_account telecom.customer_account;
  v_voucher telecom.voucher;
begin
  call telecom_private.begin_account_money_operation(
    'redeem_voucher_points',
    redeem_voucher_points.idempotency_key,
    jsonb_build_object('mobile_no', mobile_no, 'voucher_id', voucher_id),
    redeem_voucher_points.mobile_no,
    v_voucher,
    v_account
  );
  if v_account is null then
    return v_voucher;
  end if;
  select *
  into v_voucher
  from telecom.voucher as voucher
  where voucher.voucher_id = redeem_voucher_points.voucher_id
  for no key update;
  if not found then
    raise exception 'There is no voucher %.', redeem_voucher_points.voucher_id using errcode = 'TC120';
  end if;
  -- A voucher another person redeemed is hidden from the customer (row-level security): it answers
  -- like an unknown one, so a refusal tells nothing another person's rows would not (docs/security.md).
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


--
-- Name: FUNCTION redeem_voucher_points(mobile_no text, voucher_id integer, idempotency_key uuid); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.redeem_voucher_points(mobile_no text, voucher_id integer, idempotency_key uuid) IS 'Redeems an unredeemed voucher that expires today or later with the account''s points: deducts its points and marks it redeemed by the account today. The account must be active. A voucher another person redeemed answers like an unknown one (TC120). A repeat with the same idempotency_key returns the first result.';


--
-- Name: refresh_admin_figures(); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.refresh_admin_figures() RETURNS timestamp with time zone
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform telecom.assert_admin('Only an administrator may refresh the figures.');
  refresh materialized view concurrently telecom.revenue_per_month;
  refresh materialized view concurrently telecom.usage_per_month;
  refresh materialized view concurrently telecom.new_accounts_per_month;
  refresh materialized view concurrently telecom.wallet_volume_per_month;
  refresh materialized view concurrently telecom.open_tickets_by_priority;
  refresh materialized view concurrently telecom.account_status_counts;
  refresh materialized view concurrently telecom.paying_subscribers_per_plan;
  refresh materialized view concurrently telecom.arpu;
  refresh materialized view concurrently telecom.bill_run_summary;
  return now();
end;
$$;


--
-- Name: FUNCTION refresh_admin_figures(); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.refresh_admin_figures() IS 'Recomputes the business figures now (they are otherwise refreshed every few minutes) and returns their as_of time. Admins only.';


--
-- Name: register_customer(text, text, text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.register_customer(mobile_no text, code text, password text) RETURNS telecom.jwt_token
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select telecom_private.set_password_with_code(register_customer.mobile_no, 'register', register_customer.code, register_customer.password)
$$;


--
-- Name: FUNCTION register_customer(mobile_no text, code text, password text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.register_customer(mobile_no text, code text, password text) IS 'Activates online access for a number: with the code sent to it by request_verification_code, sets its password (8 characters to 72 bytes) and returns a login token. Returns null when the code is wrong, expired, used, for another purpose or out of attempts (the same answer whether or not the number exists); throttled like a login (TC220).';


--
-- Name: reject_stale_payments(interval); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.reject_stale_payments(older_than interval DEFAULT '00:30:00'::interval) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION reject_stale_payments(older_than interval); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.reject_stale_payments(older_than interval) IS 'Rejects the card payments still pending older_than after they were initiated (default 30 minutes), with no effect, and returns how many. A later successful report for one of them is refused and logged for a refund. For the card processor and admins; the server''s maintenance tick runs it every minute.';


--
-- Name: remaining_plan_amount(text, text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.remaining_plan_amount(mobile_no text, plan_name text) RETURNS numeric
    LANGUAGE sql STABLE
    AS $$
  select (telecom.latest_plan_payment(remaining_plan_amount.mobile_no, remaining_plan_amount.plan_name)).remaining_balance
$$;


--
-- Name: FUNCTION remaining_plan_amount(mobile_no text, plan_name text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.remaining_plan_amount(mobile_no text, plan_name text) IS 'What is left to pay for the plan after the account''s latest successful payment for it; null when it never paid for the plan. An unknown number is TC101, an unknown plan TC102.';


--
-- Name: remove_network_credential(text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.remove_network_credential(client_id text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform telecom.assert_admin('Only an admin can manage the network''s logins.');
  delete from telecom_private.network_credential as credential
  where credential.client_id = remove_network_credential.client_id;
  return found;
end;
$$;


--
-- Name: FUNCTION remove_network_credential(client_id text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.remove_network_credential(client_id text) IS 'Removes the network login client_id; true when there was one. Admins only.';


--
-- Name: request_bill_run(date); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.request_bill_run(bill_date date DEFAULT (date_trunc('month'::text, (CURRENT_DATE)::timestamp with time zone))::date) RETURNS telecom.bill_run_request
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_request telecom.bill_run_request;
begin
  perform telecom.assert_admin('Only an admin runs the bills.');
  perform telecom_private.assert_bill_date(request_bill_run.bill_date);
  begin
    insert into telecom.bill_run_request (bill_date, requested_by)
    values (request_bill_run.bill_date, telecom_private.current_actor())
    returning * into v_request;
  exception
    when unique_violation then
      raise exception 'A bill run for % is already queued or running.', request_bill_run.bill_date using errcode = 'TC707';
  end;
  return v_request;
end;
$$;


--
-- Name: FUNCTION request_bill_run(bill_date date); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.request_bill_run(bill_date date) IS 'Asks for the bill run of bill_date (the 1st of a month that has begun; default this month''s): the maintenance process runs it on its next tick, about a minute later. Returns the request, whose row in bill_run_request (its status) goes from queued to running to done. Refused while a run for that date is queued or running. Admins only.';


--
-- Name: request_verification_code(text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.request_verification_code(mobile_no text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
declare
  v_login text := 'sms:' || request_verification_code.mobile_no;
  v_code text := lpad((('x' || encode(public.gen_random_bytes(4), 'hex'))::bit(32)::bigint % 1000000)::text, 6, '0');
  v_code_hash text;
  v_purpose text;
  v_code_id bigint;
  v_body text;
begin
  if request_verification_code.mobile_no is null or request_verification_code.mobile_no !~ '^[0-9]{11}$' then
    raise exception 'A mobile number has 11 digits.' using errcode = 'TC224';
  end if;
  -- Requests of one (number, address) queue up, so concurrent ones cannot all pass the throttle.
  perform pg_advisory_xact_lock(hashtext(v_login || '@' || telecom_private.client_address()));
  perform telecom_private.assert_login_allowed(v_login);
  perform telecom_private.record_login_failure(v_login);
  v_code_hash := public.crypt(v_code, public.gen_salt('bf', telecom_private.password_hash_cost()));
  -- Then one request for the number at a time, from whatever address, so that the cap counts what
  -- the others sent. Taken after the bcrypt work, so the lock is held only for a few reads.
  perform pg_advisory_xact_lock(hashtext(v_login));
  select
    case when exists (
      select from telecom_private.customer_credential as credential where credential.mobile_no = account.mobile_no
    ) then 'reset' else 'register' end
  into v_purpose
  from telecom.customer_account as account
  where account.mobile_no = request_verification_code.mobile_no;
  if v_purpose is null or not telecom_private.code_message_allowed(request_verification_code.mobile_no) then
    return true;
  end if;
  -- The live code with the message it first went out in (every code since the messages keep their
  -- code has one; an older code has none and is left to expire).
  select code.code_id, first_sms.body
  into v_code_id, v_body
  from telecom_private.verification_code as code
  cross join lateral (
    select sms.body
    from telecom_private.sms_outbox as sms
    where sms.code_id = code.code_id
    order by sms.sms_id
    limit 1
  ) as first_sms
  where code.mobile_no = request_verification_code.mobile_no
    and code.purpose = v_purpose
    and code.used_at is null
    and code.expires_at > now()
  order by code.created_at desc
  limit 1
  for update of code;
  if not found then
    insert into telecom_private.verification_code (mobile_no, purpose, code_hash, expires_at)
    values (request_verification_code.mobile_no, v_purpose, v_code_hash, now() + interval '10 minutes')
    returning code_id into v_code_id;
    v_body := format(
      'Telecom: your code to %s is %s. It is valid for 10 minutes. Never give it to anyone.',
      case v_purpose when 'register' then 'activate online access' else 'reset your password' end,
      v_code
    );
  end if;
  insert into telecom_private.sms_outbox (mobile_no, body, code_id, client_address)
  values (request_verification_code.mobile_no, v_body, v_code_id, telecom_private.client_address());
  return true;
end;
$_$;


--
-- Name: FUNCTION request_verification_code(mobile_no text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.request_verification_code(mobile_no text) IS 'Sends a one-time code by SMS to the number, for activating online access (a number without a password) or resetting a forgotten password: 6 digits, valid 10 minutes. While a code is live, a request sends the same code again (nothing is replaced); at most 5 code messages an hour and 10 a day go to one number, whoever asks. Always returns true, whether or not the number exists or a message is sent. Throttled per number and client address (TC220 with a retry-after).';


--
-- Name: reset_password(text, text, text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.reset_password(mobile_no text, code text, new_password text) RETURNS telecom.jwt_token
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select telecom_private.set_password_with_code(reset_password.mobile_no, 'reset', reset_password.code, reset_password.new_password)
$$;


--
-- Name: FUNCTION reset_password(mobile_no text, code text, new_password text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.reset_password(mobile_no text, code text, new_password text) IS 'Resets a forgotten password: with the code sent to the number by request_verification_code, sets its new password (8 characters to 72 bytes) and returns a login token. Returns null when the code is wrong, expired, used, for another purpose or out of attempts (the same answer whether or not the number exists); throttled like a login (TC220).';


--
-- Name: resolve_ticket(integer); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.resolve_ticket(ticket_id integer) RETURNS telecom.technical_support_ticket
    LANGUAGE plpgsql
    AS $$
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


--
-- Name: FUNCTION resolve_ticket(ticket_id integer); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.resolve_ticket(ticket_id integer) IS 'Marks a ticket resolved (admins).';


--
-- Name: resume_subscription(text, integer); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.resume_subscription(mobile_no text, plan_id integer) RETURNS telecom.subscription
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_subscription telecom.subscription := telecom_private.change_subscription_status(resume_subscription.mobile_no, resume_subscription.plan_id, 'onhold', 'active');
begin
  if v_subscription is null then
    raise exception '% has no subscription on hold to plan %.', resume_subscription.mobile_no, resume_subscription.plan_id using errcode = 'TC133';
  end if;
  if (v_subscription.paid_until is null or v_subscription.paid_until <= current_date)
    and exists (
      select
      from telecom.customer_account as account
      where account.mobile_no = resume_subscription.mobile_no
        and account.account_type = 'post_paid'
    ) then
    v_subscription := telecom_private.charge_plan_rest_of_month(resume_subscription.mobile_no, resume_subscription.plan_id);
  end if;
  return v_subscription;
end;
$$;


--
-- Name: FUNCTION resume_subscription(mobile_no text, plan_id integer); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.resume_subscription(mobile_no text, plan_id integer) IS 'Makes the account''s subscription on hold to a plan active again; its subscription date stays as it is. A post-paid subscription not covered today is charged the fee for the rest of the month and covered until the 1st of next month; otherwise paid_until stays as it is.';


--
-- Name: run_bills(date); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.run_bills(bill_date date DEFAULT (date_trunc('month'::text, (CURRENT_DATE)::timestamp with time zone))::date) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET work_mem TO '256MB'
    AS $$
declare
  v_next_month date;
  v_period_start date;
  v_rate numeric(5,4);
  -- The operator's today, whatever time zone the session has set.
  v_today date := telecom_private.operator_date(now());
  v_year integer := extract(year from v_today)::integer;
  v_last_number integer;
  v_issued integer;
  v_period_from timestamptz;
  v_period_to timestamptz;
begin
  perform telecom.assert_admin('Only an admin runs the bills.');
  perform telecom_private.assert_bill_date(run_bills.bill_date);
  select vat.rate
  into v_rate
  from telecom.vat_rate as vat
  where vat.valid_from <= run_bills.bill_date
  order by vat.valid_from desc
  limit 1;
  if not found then
    raise exception 'No VAT rate is valid on %: add one to telecom.vat_rate.', run_bills.bill_date using errcode = 'TC703';
  end if;
  perform pg_catalog.pg_advisory_xact_lock(7, 1);
  v_next_month := (run_bills.bill_date + interval '1 month')::date;
  v_period_start := (run_bills.bill_date - interval '1 month')::date;
  v_period_from := v_period_start::timestamp at time zone telecom_private.operator_time_zone();
  v_period_to := run_bills.bill_date::timestamp at time zone telecom_private.operator_time_zone();

  perform
  from telecom.customer_account as account
  where account.mobile_no in (select telecom_private.accounts_to_bill(run_bills.bill_date))
  order by account.mobile_no
  for no key update;

  -- The bills, their lines, the month's fees, the VAT, the carried bills, the charges billed.
  perform telecom_private.begin_money_operation('run_bills', null, jsonb_build_object('bill_date', run_bills.bill_date));
  v_last_number := telecom_private.take_document_numbers('INV', v_year);
  with billed_account as materialized (
    select account.mobile_no, account.balance
    from telecom.customer_account as account
    where account.mobile_no in (select telecom_private.accounts_to_bill(run_bills.bill_date))
  ),
  renewed as (
    update telecom.subscription as subscription
    set paid_until = v_next_month
    from billed_account
    where subscription.mobile_no = billed_account.mobile_no
      and subscription.status = 'active'
      and (subscription.paid_until is null or subscription.paid_until <= run_bills.bill_date)
    returning subscription.mobile_no, subscription.plan_id
  ),
  new_fee as materialized (
    select renewed.mobile_no, renewed.plan_id, plan.name, plan.price as amount
    from renewed
    inner join telecom.service_plan as plan
      on plan.plan_id = renewed.plan_id
  ),
  line as materialized (
    select
      fee.mobile_no,
      1 as part,
      fee.charge_from,
      fee.plan_id,
      null::telecom.usage_kind as usage_kind,
      'plan_fee'::telecom.invoice_line_kind as kind,
      plan.name || ', ' || to_char(fee.charge_from, 'DD Mon YYYY') || ' – ' || to_char(fee.charge_to, 'DD Mon YYYY') as description,
      (fee.charge_to - fee.charge_from + 1)::numeric as quantity,
      fee.amount,
      fee.plan_charge_id
    from telecom.plan_charge as fee
    inner join billed_account
      on billed_account.mobile_no = fee.mobile_no
    inner join telecom.service_plan as plan
      on plan.plan_id = fee.plan_id
    where fee.invoice_id is null
      and fee.charge_from < v_next_month
    union all
    select
      new_fee.mobile_no,
      1,
      run_bills.bill_date,
      new_fee.plan_id,
      null,
      'plan_fee',
      new_fee.name || ', ' || to_char(run_bills.bill_date, 'DD Mon YYYY') || ' – ' || to_char(v_next_month - 1, 'DD Mon YYYY'),
      (v_next_month - run_bills.bill_date)::numeric,
      new_fee.amount,
      null
    from new_fee
    union all
    select
      event.mobile_no,
      2,
      null,
      null,
      event.kind,
      'usage',
      case event.kind
        when 'data' then 'Data beyond the allowances (MB)'
        when 'voice' then 'Calls beyond the allowances (minutes)'
        else 'SMS beyond the allowances (messages)'
      end,
      sum(ceil(event.quantity) - coalesce(allocated.quantity, 0)),
      sum(event.charged),
      null
    from telecom.usage_event as event
    inner join billed_account
      on billed_account.mobile_no = event.mobile_no
    left join lateral (
      select sum(allocation.quantity) as quantity
      from telecom.usage_allocation as allocation
      where allocation.event_id = event.event_id
    ) as allocated
      on true
    where event.occurred_at >= v_period_from
      and event.occurred_at < v_period_to
      and event.charged > 0
    group by event.mobile_no, event.kind
  ),
  bill as materialized (
    select
      billed_account.mobile_no,
      coalesce(lines.subtotal, 0) as subtotal,
      round(coalesce(lines.subtotal, 0) * v_rate, 2) as vat,
      -- The debit: this month's fees (earlier charges and usage were debited when incurred) and the VAT.
      coalesce(lines.new_fees, 0) + round(coalesce(lines.subtotal, 0) * v_rate, 2) as debit,
      coalesce(earlier.amount_due - earlier.paid_amount, 0) as previous_due,
      greatest(-(billed_account.balance - coalesce(lines.new_fees, 0) - round(coalesce(lines.subtotal, 0) * v_rate, 2)), 0) as amount_due,
      earlier.invoice_id as earlier_invoice_id
    from billed_account
    left join (
      select
        line.mobile_no,
        sum(line.amount) as subtotal,
        sum(line.amount) filter (where line.kind = 'plan_fee' and line.plan_charge_id is null) as new_fees
      from line
      group by line.mobile_no
    ) as lines
      on lines.mobile_no = billed_account.mobile_no
    left join telecom.invoice as earlier
      on earlier.mobile_no = billed_account.mobile_no
      and earlier.status = 'issued'
  ),
  numbered as (
    select bill.*, row_number() over (order by bill.mobile_no collate "C") as number
    from bill
    where bill.subtotal > 0
      or bill.amount_due > 0
  ),
  issued as (
    insert into telecom.invoice (
      invoice_no, mobile_no, bill_date, period_start, period_end, issued_on, due_date,
      subtotal, vat_rate, vat, total, previous_due, amount_due, paid_amount, status
    )
    select
      telecom_private.document_no('INV', v_year, v_last_number + numbered.number),
      numbered.mobile_no,
      run_bills.bill_date,
      v_period_start,
      run_bills.bill_date - 1,
      v_today,
      v_today + 14,
      numbered.subtotal,
      v_rate,
      numbered.vat,
      numbered.subtotal + numbered.vat,
      numbered.previous_due,
      numbered.amount_due,
      0,
      case when numbered.amount_due = 0 then 'paid' else 'issued' end::telecom.invoice_status
    from numbered
    order by numbered.number
    returning invoice.invoice_id, invoice.mobile_no, invoice.status
  ),
  lines_written as (
    insert into telecom.invoice_line (invoice_id, line_no, kind, plan_id, usage_kind, description, quantity, amount)
    select
      issued.invoice_id,
      row_number() over (partition by line.mobile_no order by line.part, line.charge_from, line.plan_id, line.usage_kind),
      line.kind,
      line.plan_id,
      line.usage_kind,
      line.description,
      line.quantity,
      line.amount
    from line
    inner join issued
      on issued.mobile_no = line.mobile_no
  ),
  charged as (
    insert into telecom.plan_charge (mobile_no, plan_id, charge_from, charge_to, amount, invoice_id)
    select new_fee.mobile_no, new_fee.plan_id, run_bills.bill_date, v_next_month - 1, new_fee.amount, issued.invoice_id
    from new_fee
    inner join issued
      on issued.mobile_no = new_fee.mobile_no
  ),
  fees_billed as (
    update telecom.plan_charge as fee
    set invoice_id = issued.invoice_id
    from line
    inner join issued
      on issued.mobile_no = line.mobile_no
    where fee.plan_charge_id = line.plan_charge_id
  ),
  carried as (
    update telecom.invoice as earlier
    set status = 'carried'
    from numbered
    where earlier.invoice_id = numbered.earlier_invoice_id
  ),
  lifted as (
    delete from telecom.account_bar as bar
    using issued
    where bar.mobile_no = issued.mobile_no
      and issued.status = 'paid'
    returning bar.mobile_no, bar.previous_status
  ),
  debited as (
    update telecom.customer_account as account
    set
      balance = account.balance - bill.debit,
      status = coalesce(lifted.previous_status, account.status)
    from issued
    inner join bill
      on bill.mobile_no = issued.mobile_no
    left join lifted
      on lifted.mobile_no = issued.mobile_no
    where account.mobile_no = issued.mobile_no
      and (bill.debit > 0 or lifted.mobile_no is not null)
  )
  select count(*)::integer
  into v_issued
  from issued;
  perform telecom_private.give_document_numbers('INV', v_year, v_issued);
  perform telecom_private.finish_money_operation(jsonb_build_object('bill_date', run_bills.bill_date, 'issued', v_issued));
  return v_issued;
end;
$$;


--
-- Name: FUNCTION run_bills(bill_date date); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.run_bills(bill_date date) IS 'The monthly bill run for bill_date (the 1st of a month that has begun; default this month''s): bills every post-paid account opened before it that has no bill for it yet, the month''s plan fees in advance and the previous month''s charged usage, with VAT; carries the earlier unpaid bill; numbers the bills gaplessly. Returns the number of bills issued (0 for a second run). Admins and trusted sessions; at a million customers it runs longer than a request may, so the admin app asks the maintenance process to run it.';


--
-- Name: run_collections(); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.run_collections() RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_steps integer;
begin
  perform telecom.assert_admin('Only an admin runs collections.');
  -- The accounts to bar, locked first.
  perform
  from telecom.customer_account as account
  where account.mobile_no in (
    select invoice.mobile_no
    from telecom.invoice as invoice
    where invoice.status = 'issued'
      and invoice.paid_amount < invoice.amount_due
      and invoice.due_date + 14 <= current_date
  )
  order by account.mobile_no
  for no key update;
  -- A step taken before is skipped by its key (on conflict), not looked up: a lookup in the table
  -- being written would read the statement's own new rows too, for every bill.
  with due_step as (
    select invoice.invoice_id, step.step
    from telecom.invoice as invoice
    cross join lateral (
      values
        ('reminder'::telecom.collection_step_kind, invoice.due_date - 3),
        ('overdue', invoice.due_date + 1),
        ('barred', invoice.due_date + 14)
    ) as step (step, day)
    where invoice.status = 'issued'
      and invoice.paid_amount < invoice.amount_due
      and step.day <= current_date
  ),
  recorded as materialized (
    insert into telecom.collection_step (invoice_id, step, taken_at)
    select due_step.invoice_id, due_step.step, now()
    from due_step
    on conflict on constraint collection_step_pkey do nothing
    returning collection_step.invoice_id, collection_step.step
  ),
  recorded_step as materialized (
    select recorded.step, invoice.invoice_id, invoice.invoice_no, invoice.mobile_no, invoice.due_date, invoice.amount_due - invoice.paid_amount as still_due
    from recorded
    inner join telecom.invoice as invoice
      on invoice.invoice_id = recorded.invoice_id
  ),
  barred as (
    insert into telecom.account_bar (mobile_no, invoice_id, barred_at, previous_status)
    select recorded_step.mobile_no, recorded_step.invoice_id, now(), account.status
    from recorded_step
    inner join telecom.customer_account as account
      on account.mobile_no = recorded_step.mobile_no
    where recorded_step.step = 'barred'
    on conflict on constraint account_bar_pkey do nothing
    returning account_bar.mobile_no
  ),
  held as (
    update telecom.customer_account as account
    set status = 'onhold'
    from barred
    where account.mobile_no = barred.mobile_no
      and account.status <> 'onhold'
  ),
  told as (
    insert into telecom_private.sms_outbox (mobile_no, body)
    select last_step.mobile_no, telecom_private.collection_sms(last_step.step, last_step.invoice_no, last_step.still_due, last_step.due_date)
    from (
      select distinct on (recorded_step.invoice_id) recorded_step.*
      from recorded_step
      order by recorded_step.invoice_id, recorded_step.step desc
    ) as last_step
  )
  select count(*)::integer
  into v_steps
  from recorded;
  return v_steps;
end;
$$;


--
-- Name: FUNCTION run_collections(); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.run_collections() IS 'Takes the collection steps whose day has come for every issued bill not paid in full, each once per bill: reminder (3 days before the due date), overdue (the day after), barred (14 days after: the account is put on hold until the bill is paid). Only the last step recorded for a bill sends an SMS, in Arabic and English. Returns the number of steps recorded. Admins and trusted sessions; the maintenance tick runs it.';


--
-- Name: search_customers(text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.search_customers(query text) RETURNS SETOF telecom.customer_profile
    LANGUAGE sql STABLE STRICT SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET plan_cache_mode TO 'force_custom_plan'
    AS $_$
  with needle as not materialized (
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
    (
      -- A common name is shared by tens of thousands of people at 1M customers: the first 1,000
      -- are enough to choose from (or to refine the query), and the scan stops there.
      select profile.national_id
      from telecom.customer_profile as profile, needle
      where length(needle.text) >= 3
        and needle.text !~ '^[0-9]+$'
        and (profile.first_name || ' ' || profile.last_name) ilike '%' || replace(replace(replace(needle.text, E'\\', E'\\\\'), '%', '\%'), '_', '\_') || '%'
      limit 1000
    )
  )
  select profile.*
  from telecom.customer_profile as profile
  where profile.national_id in (select matches.national_id from matches)
    and telecom.current_role_is_admin()
$_$;


--
-- Name: FUNCTION search_customers(query text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.search_customers(query text) IS 'Customers whose mobile number (11 digits) or national id (digits) is exactly the query, whose e-mail is the query (any case), or whose "first last" name contains it (3 characters or more, any case; the first 1,000 such names). Page with first/after.';


--
-- Name: set_network_credential(text, text, text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.set_network_credential(client_id text, network_id text, secret text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
begin
  perform telecom.assert_admin('Only an admin can manage the network''s logins.');
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
$_$;


--
-- Name: FUNCTION set_network_credential(client_id text, network_id text, secret text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.set_network_credential(client_id text, network_id text, secret text) IS 'Creates the network login client_id for network_id, or gives it a new secret (16 characters to 72 bytes). Admins only.';


--
-- Name: settle_payment(text, telecom.payment_status); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.settle_payment(provider_reference text, outcome telecom.payment_status) RETURNS telecom.payment
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_payment telecom.payment;
begin
  if telecom_private.caller_role() <> 'telecom_payment_processor' and not telecom.current_role_is_admin() then
    raise exception 'Only the card processor or an admin can settle a payment.' using errcode = '42501';
  end if;
  if settle_payment.outcome is null or settle_payment.outcome = 'pending' then
    raise exception 'A payment is settled as successful or rejected.' using errcode = 'TC323';
  end if;
  v_payment := telecom_private.card_payment_by_reference(settle_payment.provider_reference);
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
      begin
        update telecom.payment as payment
        set status = settle_payment.outcome
        where payment.payment_id = v_payment.payment_id
        returning * into v_payment;
        if v_payment.status = 'successful' then
          perform telecom_private.apply_successful_payment(v_payment);
        end if;
      exception
        when sqlstate 'TC317' then
          -- The card was charged but the balance cannot hold the money: the payment can never be
          -- applied, so it is rejected and its refund logged in this transaction, which commits
          -- (raising would roll the log back with it).
          update telecom.payment as payment
          set status = 'rejected'
          where payment.payment_id = v_payment.payment_id
          returning * into v_payment;
          perform telecom_private.log_card_refund(v_payment, 'balance_cannot_hold');
      end;
    end if;
    perform telecom_private.finish_money_operation(to_jsonb(v_payment));
  end if;
  -- A successful report answered with a refund (just now, or when it was first sent) gets that answer.
  if v_payment.status = settle_payment.outcome
    or (
      settle_payment.outcome = 'successful'
      and exists (
        select
        from telecom.card_refund as refund
        where refund.payment_id = v_payment.payment_id
          and refund.reason = 'balance_cannot_hold'
      )
    ) then
    return v_payment;
  end if;
  if v_payment.status = 'successful' then
    raise exception 'The payment % was already successful: it cannot be rejected now.', v_payment.provider_reference using errcode = 'TC321';
  end if;
  raise exception 'The payment % was already rejected (declined, or pending too long): a successful report now is refused and the amount must be refunded.', v_payment.provider_reference using errcode = 'TC322';
end;
$$;


--
-- Name: FUNCTION settle_payment(provider_reference text, outcome telecom.payment_status); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.settle_payment(provider_reference text, outcome telecom.payment_status) IS 'The card processor''s report of a card payment: the pending payment with that provider_reference becomes successful (its effects applied once) or rejected. A repeat with the same outcome returns the payment unchanged; the other outcome is refused (TC321, TC322). A successful report whose money the balance cannot hold rejects the payment and logs it for a refund (card_refund); the rejected payment is returned, also to a repeat of that report. For the card processor and admins.';


--
-- Name: subscribe_plan(text, integer); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.subscribe_plan(mobile_no text, plan_id integer) RETURNS telecom.subscription
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_account telecom.customer_account;
  v_subscription telecom.subscription;
begin
  v_account := telecom_private.lock_active_account(subscribe_plan.mobile_no);
  perform telecom.assert_plan_exists(subscribe_plan.plan_id);
  select *
  into v_subscription
  from telecom.subscription as subscription
  where subscription.mobile_no = subscribe_plan.mobile_no
    and subscription.plan_id = subscribe_plan.plan_id;
  if v_subscription.status = 'active' then
    raise exception '% is already subscribed to plan %.', subscribe_plan.mobile_no, subscribe_plan.plan_id using errcode = 'TC130';
  end if;
  if v_subscription.status = 'onhold' then
    raise exception 'The subscription of % to plan % is on hold: resume it.', subscribe_plan.mobile_no, subscribe_plan.plan_id using errcode = 'TC132';
  end if;
  insert into telecom.subscription (mobile_no, plan_id, subscription_date, status)
  values (subscribe_plan.mobile_no, subscribe_plan.plan_id, current_date, 'active')
  returning * into v_subscription;
  if v_account.account_type = 'post_paid' then
    v_subscription := telecom_private.charge_plan_rest_of_month(subscribe_plan.mobile_no, subscribe_plan.plan_id);
  end if;
  return v_subscription;
end;
$$;


--
-- Name: FUNCTION subscribe_plan(mobile_no text, plan_id integer); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.subscribe_plan(mobile_no text, plan_id integer) IS 'Subscribes the account to a plan from today. Prepaid and pay-as-you-go: not yet paid, paid_until stays empty until a payment covers the price. Post-paid: covered until the 1st of next month, its fee for the rest of this month charged to the balance (billed with the next bill). A subscription on hold is resumed with resume_subscription. The account must be active.';


--
-- Name: subscribed_plans_5_months(text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.subscribed_plans_5_months(mobile_no text) RETURNS SETOF telecom.service_plan
    LANGUAGE sql STABLE
    AS $$
  select plan.*
  from telecom.service_plan as plan
  inner join telecom.subscription as subscription
    on subscription.plan_id = plan.plan_id
  where telecom.assert_account_access(subscribed_plans_5_months.mobile_no)
    and subscription.mobile_no = subscribed_plans_5_months.mobile_no
    and subscription.subscription_date >= current_date - interval '5 months'
  order by subscription.subscription_date desc, plan.plan_id
$$;


--
-- Name: FUNCTION subscribed_plans_5_months(mobile_no text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.subscribed_plans_5_months(mobile_no text) IS 'Plans whose subscription by the account (active or on hold) is dated within the last 5 months, latest first.';


--
-- Name: switch_number(text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.switch_number(mobile_no text) RETURNS telecom.jwt_token
    LANGUAGE plpgsql
    AS $$
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


--
-- Name: FUNCTION switch_number(mobile_no text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.switch_number(mobile_no text) IS 'Reissues the logged-in customer''s token for another of their own numbers (an account on hold too: it can be viewed, and operations that need an active account refuse it). The new token expires when the current one does. Another person''s number, or one that does not exist, is refused with 42501.';


--
-- Name: ticket_account_customer(integer); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.ticket_account_customer(national_id integer) RETURNS integer
    LANGUAGE sql STABLE
    AS $$
  select count(*)::integer
  from telecom.technical_support_ticket as ticket
  inner join telecom.customer_account as account
    on account.mobile_no = ticket.mobile_no
  where telecom.assert_person_access(ticket_account_customer.national_id)
    and account.national_id = ticket_account_customer.national_id
    and ticket.status <> 'resolved'
$$;


--
-- Name: FUNCTION ticket_account_customer(national_id integer); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.ticket_account_customer(national_id integer) IS 'How many of the customer''s tickets, across all their accounts, are not resolved.';


--
-- Name: top_successful_payments(text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.top_successful_payments(mobile_no text) RETURNS SETOF telecom.payment
    LANGUAGE sql STABLE
    AS $$
  select payment.*
  from telecom.payment as payment
  where telecom.assert_account_access(top_successful_payments.mobile_no)
    and payment.mobile_no = top_successful_payments.mobile_no
    and payment.status = 'successful'
  order by payment.amount desc, payment.date_of_payment desc, payment.payment_id desc
  limit 10
$$;


--
-- Name: FUNCTION top_successful_payments(mobile_no text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.top_successful_payments(mobile_no text) IS 'The account''s 10 highest successful payments, highest first (ties: latest first).';


--
-- Name: total_points_account(text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.total_points_account(mobile_no text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_points integer;
begin
  perform telecom.assert_admin('Only an admin can recompute points.');
  perform telecom_private.begin_money_operation('total_points_account', null, null);
  perform
  from telecom.customer_account as account
  where account.mobile_no = total_points_account.mobile_no
  for no key update;
  if not found then
    raise exception 'There is no account with mobile number %.', total_points_account.mobile_no using errcode = 'TC101';
  end if;
  update telecom.customer_account as account
  set points = greatest(
    coalesce((
      select sum(points.points_amount)
      from telecom.points_group as points
      inner join telecom.payment as payment
        on payment.payment_id = points.payment_id
      where payment.mobile_no = account.mobile_no
        and payment.status = 'successful'
    ), 0)
    - coalesce((
      select sum(voucher.points)
      from telecom.voucher as voucher
      where voucher.mobile_no = account.mobile_no
    ), 0),
    0
  )
  where account.mobile_no = total_points_account.mobile_no
  returning account.points into v_points;
  perform telecom_private.finish_money_operation(null);
  return v_points;
end;
$$;


--
-- Name: FUNCTION total_points_account(mobile_no text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.total_points_account(mobile_no text) IS 'Admin only. Recomputes the account''s points as the points earned by its successful payments minus the points it spent on vouchers, stores and returns them.';


--
-- Name: transfer_recipient(text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.transfer_recipient(to_mobile_no text) RETURNS telecom.wallet_recipient
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
declare
  v_national_id integer := telecom.current_national_id();
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
    perform telecom_private.assert_hourly_budget(
      array(
        select lookup.looked_up_at
        from telecom_private.recipient_lookup as lookup
        where lookup.national_id = v_national_id
          and lookup.looked_up_at > now() - interval '1 hour'
      ),
      30,
      'Too many look-ups'
    );
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
$_$;


--
-- Name: FUNCTION transfer_recipient(to_mobile_no text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.transfer_recipient(to_mobile_no text) IS 'Who a transfer to this number would reach: the display name (first name and last initial) and the currency of the wallet linked to it, or null when it cannot receive a transfer. The only look-up of another person a customer has; 30 an hour per person (TC220 with a retry-after beyond).';


--
-- Name: transfer_money; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.transfer_money (
    transfer_id integer NOT NULL,
    from_wallet_id integer NOT NULL,
    to_wallet_id integer NOT NULL,
    amount numeric(12,2) NOT NULL,
    transfer_date date DEFAULT CURRENT_DATE NOT NULL,
    CONSTRAINT transfer_money_amount_check CHECK ((amount > (0)::numeric)),
    CONSTRAINT transfer_money_check CHECK ((from_wallet_id <> to_wallet_id))
);


--
-- Name: TABLE transfer_money; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.transfer_money IS 'A transfer of money from one wallet to another.';


--
-- Name: COLUMN transfer_money.transfer_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.transfer_money.transfer_id IS 'Identifier of the transfer.';


--
-- Name: COLUMN transfer_money.from_wallet_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.transfer_money.from_wallet_id IS 'The wallet the money left.';


--
-- Name: COLUMN transfer_money.to_wallet_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.transfer_money.to_wallet_id IS 'The wallet the money reached.';


--
-- Name: COLUMN transfer_money.amount; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.transfer_money.amount IS 'Amount transferred.';


--
-- Name: COLUMN transfer_money.transfer_date; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.transfer_money.transfer_date IS 'The day of the transfer.';


--
-- Name: transfer_to_mobile(text, numeric, uuid); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.transfer_to_mobile(to_mobile_no text, amount numeric, idempotency_key uuid DEFAULT NULL::uuid) RETURNS telecom.transfer_money
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
declare
  v_from_mobile_no text := telecom.current_mobile_no();
  v_account telecom.customer_account;
  v_from_wallet_id integer;
  v_to_wallet_id integer;
  v_moved integer;
  v_currencies integer;
  v_sender_moved boolean;
  v_transfer telecom.transfer_money;
begin
  -- The caller's number: a customer's from their token; a trusted session names one with
  -- set_config('jwt.claims.mobile_no', ...) (docs/security.md). Admins have no wallet of their own.
  if v_from_mobile_no is null
    or not (telecom_private.caller_role() = 'telecom_customer' or telecom_private.session_is_trusted())
  then
    raise exception 'Only a customer can transfer money, from the wallet of the number they logged in with (admins have no wallet).'
      using errcode = 'TC310';
  end if;
  -- The sender's account is locked first, as every money mover does (account, then wallets).
  call telecom_private.begin_account_money_operation(
    'transfer_to_mobile',
    transfer_to_mobile.idempotency_key,
    jsonb_build_object('to_mobile_no', transfer_to_mobile.to_mobile_no, 'amount', transfer_to_mobile.amount),
    v_from_mobile_no,
    v_transfer,
    v_account
  );
  if v_account is null then
    return v_transfer;
  end if;
  perform telecom_private.assert_money_amount(transfer_to_mobile.amount);
  if transfer_to_mobile.to_mobile_no is null or transfer_to_mobile.to_mobile_no !~ '^[0-9]{11}$' then
    raise exception 'The number to transfer to must have 11 digits.'
      using errcode = 'TC312';
  end if;

  select
    min(wallet.wallet_id) filter (where wallet.mobile_no = v_from_mobile_no),
    min(wallet.wallet_id) filter (where wallet.mobile_no = transfer_to_mobile.to_mobile_no)
  into v_from_wallet_id, v_to_wallet_id
  from telecom.wallet
  where wallet.mobile_no in (v_from_mobile_no, transfer_to_mobile.to_mobile_no);
  if v_from_wallet_id is null then
    raise exception 'Your number % has no wallet to transfer from.', v_from_mobile_no
      using errcode = 'TC311';
  end if;
  if transfer_to_mobile.to_mobile_no = v_from_mobile_no then
    raise exception 'You cannot transfer money to your own wallet.'
      using errcode = 'TC314';
  end if;
  -- One answer for every reason the other number cannot receive (no wallet, another currency, a
  -- full wallet): a refusal tells nothing about another person's wallet (docs/security.md).
  if v_to_wallet_id is null then
    raise exception 'You cannot transfer to %.', transfer_to_mobile.to_mobile_no
      using errcode = 'TC313';
  end if;

  -- Both balances in one update, which locks the two rows as its primary-key scan of the sorted
  -- ids reaches them: in id order, so two opposite transfers cannot deadlock. The balance
  -- conditions are evaluated on each row as locked; a refused transfer raises below, which undoes
  -- the update.
  with moved as (
    update telecom.wallet
    set
      current_balance = wallet.current_balance
        + case when wallet.wallet_id = v_from_wallet_id then -transfer_to_mobile.amount else transfer_to_mobile.amount end,
      last_modified_date = current_date
    where wallet.wallet_id in (v_from_wallet_id, v_to_wallet_id)
      and case
        when wallet.wallet_id = v_from_wallet_id then wallet.current_balance >= transfer_to_mobile.amount
        else wallet.current_balance + transfer_to_mobile.amount <= 9999999999.99
      end
    returning wallet.wallet_id, wallet.currency
  )
  select count(*), count(distinct moved.currency), coalesce(bool_or(moved.wallet_id = v_from_wallet_id), false)
  into v_moved, v_currencies, v_sender_moved
  from moved;
  if v_moved < 2 or v_currencies > 1 then
    perform telecom_private.refuse_transfer(v_from_wallet_id, v_to_wallet_id, transfer_to_mobile.amount, not v_sender_moved);
  end if;
  insert into telecom.transfer_money (from_wallet_id, to_wallet_id, amount)
  values (v_from_wallet_id, v_to_wallet_id, transfer_to_mobile.amount)
  returning * into v_transfer;

  perform telecom_private.finish_money_operation(to_jsonb(v_transfer));
  return v_transfer;
end;
$_$;


--
-- Name: FUNCTION transfer_to_mobile(to_mobile_no text, amount numeric, idempotency_key uuid); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.transfer_to_mobile(to_mobile_no text, amount numeric, idempotency_key uuid) IS 'Moves money from the wallet of the number you logged in with to the wallet linked to another number, atomically, and records the transfer. Same currency only, no overdraft, not to yourself; every reason the other number cannot receive gets the one answer TC313 ("You cannot transfer to …"), so a refusal tells nothing about another person''s wallet (use transfer_recipient to confirm first). With an idempotency key, a repeat returns the first transfer and moves nothing.';


--
-- Name: unsubscribed_plans(text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.unsubscribed_plans(mobile_no text) RETURNS SETOF telecom.service_plan
    LANGUAGE sql STABLE
    AS $$
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


--
-- Name: FUNCTION unsubscribed_plans(mobile_no text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.unsubscribed_plans(mobile_no text) IS 'Plans the account does not subscribe to (neither active nor on hold), cheapest first.';


--
-- Name: update_my_profile(text, text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.update_my_profile(email text, address text) RETURNS telecom.profile_update
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
declare
  v_national_id integer := telecom.current_national_id();
  v_current telecom.customer_profile;
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
    perform telecom_private.assert_hourly_budget(
      array(
        select refusal.refused_at
        from telecom_private.email_refusal as refusal
        where refusal.national_id = v_national_id
          and refusal.refused_at > now() - interval '1 hour'
      ),
      5,
      'Too many e-mail addresses tried'
    );
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
$_$;


--
-- Name: FUNCTION update_my_profile(email text, address text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.update_my_profile(email text, address text) IS 'Sets the e-mail and address of the logged-in customer (null removes one). Returns status `saved`, or `email_cannot_be_used` when another person has the e-mail (nothing changes; the same answer whatever the reason). After 5 such refusals in an hour, a change of e-mail is refused with TC220 and a retry-after. A malformed e-mail is refused with TC225.';


--
-- Name: usage_plan_current_month(text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.usage_plan_current_month(mobile_no text) RETURNS TABLE(plan_id integer, plan_name text, data_consumption integer, minutes_used integer, sms_sent integer)
    LANGUAGE sql STABLE
    AS $$
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


--
-- Name: FUNCTION usage_plan_current_month(mobile_no text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.usage_plan_current_month(mobile_no text) IS 'Usage this calendar month (records starting this month) of each of the account''s active subscriptions; zeros for a plan not used yet.';


--
-- Name: wallet_cashback_amount(integer, integer); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.wallet_cashback_amount(wallet_id integer, plan_id integer) RETURNS numeric
    LANGUAGE sql STABLE
    AS $$
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


--
-- Name: FUNCTION wallet_cashback_amount(wallet_id integer, plan_id integer); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.wallet_cashback_amount(wallet_id integer, plan_id integer) IS 'Total cashback credited to the wallet through benefits the plan provides; 0 when none.';


--
-- Name: wallet_mobile_no(text); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.wallet_mobile_no(mobile_no text) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
  select exists (
    select
    from telecom.wallet as wallet
    where wallet.mobile_no = wallet_mobile_no.mobile_no
  )
  where telecom.assert_account_access(wallet_mobile_no.mobile_no)
$$;


--
-- Name: FUNCTION wallet_mobile_no(mobile_no text); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.wallet_mobile_no(mobile_no text) IS 'Whether the account''s mobile number is linked to a wallet; an unknown number is TC101.';


--
-- Name: wallet_transfer_amount(integer, date, date); Type: FUNCTION; Schema: telecom; Owner: -
--

CREATE FUNCTION telecom.wallet_transfer_amount(wallet_id integer, start_date date, end_date date) RETURNS numeric
    LANGUAGE sql STABLE
    AS $$
  select round(avg(transfer.amount), 2)
  from telecom.transfer_money as transfer
  where transfer.from_wallet_id = wallet_transfer_amount.wallet_id
    and transfer.transfer_date between wallet_transfer_amount.start_date and wallet_transfer_amount.end_date
  having telecom.assert_date_range(wallet_transfer_amount.start_date, wallet_transfer_amount.end_date)
$$;


--
-- Name: FUNCTION wallet_transfer_amount(wallet_id integer, start_date date, end_date date); Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON FUNCTION telecom.wallet_transfer_amount(wallet_id integer, start_date date, end_date date) IS 'Average amount (rounded to the cent) of the transfers sent from the wallet between the dates, both included; null when there were none. Both dates are required and must be in order (TC150, TC151).';


--
-- Name: account_journal_entries(numeric, numeric, integer, integer); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.account_journal_entries(p_balance_before numeric, p_balance_after numeric, p_points_before integer, p_points_after integer) RETURNS TABLE(account_kind text, change numeric, balance_after numeric)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  select entry.account_kind, entry.quantity_after - entry.quantity_before, entry.quantity_after
  from (
    values
      ('account_balance', coalesce(p_balance_before, 0), coalesce(p_balance_after, 0)),
      ('account_points', coalesce(p_points_before, 0), coalesce(p_points_after, 0))
  ) as entry (account_kind, quantity_before, quantity_after)
  where entry.quantity_after <> entry.quantity_before
$$;


--
-- Name: accounts_to_bill(date); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.accounts_to_bill(p_bill_date date) RETURNS SETOF text
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select account.mobile_no
  from telecom.customer_account as account
  where account.account_type = 'post_paid'
    and account.start_date < p_bill_date
    and not exists (
      select
      from telecom.invoice as invoice
      where invoice.mobile_no = account.mobile_no
        and invoice.bill_date = p_bill_date
    )
$$;


--
-- Name: FUNCTION accounts_to_bill(p_bill_date date); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.accounts_to_bill(p_bill_date date) IS 'The post-paid accounts opened before the bill date that have no bill for it yet.';


--
-- Name: apply_successful_payment(telecom.payment); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.apply_successful_payment(p_payment telecom.payment) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_process telecom.process_payment;
begin
  select *
  into v_process
  from telecom.process_payment
  where process_payment.payment_id = p_payment.payment_id;
  if not found then
    perform telecom_private.credit_account_balance(p_payment.mobile_no, p_payment.amount);
    if exists (
      select
      from telecom.customer_account as account
      where account.mobile_no = p_payment.mobile_no
        and account.account_type = 'post_paid'
    ) then
      perform telecom_private.settle_issued_invoice(p_payment.mobile_no, p_payment.amount);
    end if;
    return;
  end if;
  if v_process.remaining_balance = 0 then
    insert into telecom.subscription as subscription (mobile_no, plan_id, subscription_date, status, paid_until)
    values (p_payment.mobile_no, v_process.plan_id, current_date, 'active', (current_date + interval '1 month')::date)
    on conflict on constraint subscription_pkey do update
    set status = 'active',
      paid_until = (greatest(current_date, coalesce(subscription.paid_until, current_date)) + interval '1 month')::date;
  else
    insert into telecom.subscription (mobile_no, plan_id, subscription_date, status)
    values (p_payment.mobile_no, v_process.plan_id, current_date, 'onhold')
    on conflict on constraint subscription_pkey do nothing;
  end if;
  if v_process.extra_amount > 0 then
    perform telecom_private.credit_account_balance(p_payment.mobile_no, v_process.extra_amount);
  end if;
end;
$$;


--
-- Name: FUNCTION apply_successful_payment(p_payment telecom.payment); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.apply_successful_payment(p_payment telecom.payment) IS 'Applies a successful payment once: renews or creates the plan''s subscription and credits any extra amount, or credits a recharge to the balance (post-paid: toward the issued bill too).';


--
-- Name: assert_balance_can_hold(text, numeric); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.assert_balance_can_hold(p_mobile_no text, p_amount numeric) RETURNS void
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  if not exists (
    select
    from telecom.customer_account as account
    where account.mobile_no = p_mobile_no
      and account.balance + p_amount <= 9999999999.99
  ) then
    raise exception 'The balance of % cannot hold % more.', p_mobile_no, p_amount using errcode = 'TC317';
  end if;
end;
$$;


--
-- Name: FUNCTION assert_balance_can_hold(p_mobile_no text, p_amount numeric); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.assert_balance_can_hold(p_mobile_no text, p_amount numeric) IS 'Refuses with TC317 a credit that would take the account balance past 9,999,999,999.99 (numeric(12,2)).';


--
-- Name: assert_bill_date(date); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.assert_bill_date(p_bill_date date) RETURNS void
    LANGUAGE plpgsql STABLE
    AS $$
begin
  if p_bill_date is null
    or p_bill_date <> date_trunc('month', p_bill_date)::date
    or p_bill_date > telecom_private.operator_date(now()) then
    raise exception 'Bills are run for the 1st of a month that has begun, not for %.', coalesce(p_bill_date::text, 'no date') using errcode = 'TC702';
  end if;
end;
$$;


--
-- Name: FUNCTION assert_bill_date(p_bill_date date); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.assert_bill_date(p_bill_date date) IS 'Raises TC702 unless the day is the 1st of a month and not after today (the operator''s).';


--
-- Name: assert_hourly_budget(timestamp with time zone[], integer, text); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.assert_hourly_budget(used_at timestamp with time zone[], budget integer, refusal text) RETURNS void
    LANGUAGE plpgsql STABLE
    AS $$
declare
  v_wait integer;
begin
  select ceil(extract(epoch from use.at + interval '1 hour' - now()))::integer
  into v_wait
  from unnest(assert_hourly_budget.used_at) as use (at)
  where use.at > now() - interval '1 hour'
  order by use.at desc
  offset assert_hourly_budget.budget - 1
  limit 1;
  if v_wait > 0 then
    raise exception '%: try again in % seconds.', assert_hourly_budget.refusal, v_wait
      using errcode = 'TC220', hint = 'retry-after=' || v_wait;
  end if;
end;
$$;


--
-- Name: FUNCTION assert_hourly_budget(used_at timestamp with time zone[], budget integer, refusal text); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.assert_hourly_budget(used_at timestamp with time zone[], budget integer, refusal text) IS 'Refuses with TC220 (hint retry-after=<seconds>) when budget of the uses fall within the last hour.';


--
-- Name: assert_login_allowed(text); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.assert_login_allowed(p_login text) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_wait integer := telecom_private.login_retry_after(p_login);
begin
  if v_wait > 0 then
    raise exception 'Too many failed attempts: try again in % %.', v_wait, case when v_wait = 1 then 'second' else 'seconds' end
      using errcode = 'TC220', hint = 'retry-after=' || v_wait;
  end if;
end;
$$;


--
-- Name: FUNCTION assert_login_allowed(p_login text); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.assert_login_allowed(p_login text) IS 'Refuses with TC220 (hint retry-after=<seconds>) an attempt the throttle says must wait; see login_retry_after.';


--
-- Name: assert_money_amount(numeric); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.assert_money_amount(p_amount numeric) RETURNS void
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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


--
-- Name: assert_new_password(text); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.assert_new_password(p_password text) RETURNS void
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform telecom_private.assert_password_length(p_password);
  if char_length(coalesce(p_password, '')) < 8 then
    raise exception 'The password must have at least 8 characters.' using errcode = 'TC212';
  end if;
end;
$$;


--
-- Name: FUNCTION assert_new_password(p_password text); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.assert_new_password(p_password text) IS 'Refuses a new password shorter than 8 characters (TC212) or longer than 72 bytes (TC221), without hashing it.';


--
-- Name: assert_password_length(text); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.assert_password_length(p_password text) RETURNS void
    LANGUAGE plpgsql IMMUTABLE
    AS $$
begin
  if octet_length(coalesce(p_password, '')) > 72 then
    raise exception 'A password has at most 72 bytes (72 letters without accents, fewer with them).' using errcode = 'TC221';
  end if;
end;
$$;


--
-- Name: FUNCTION assert_password_length(p_password text); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.assert_password_length(p_password text) IS 'Refuses a password longer than 72 bytes (TC221): bcrypt would ignore the rest.';


--
-- Name: assert_trusted_session(text); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.assert_trusted_session(p_refusal text) RETURNS void
    LANGUAGE plpgsql STABLE
    AS $$
begin
  if not telecom_private.session_is_trusted() then
    raise exception '%', p_refusal using errcode = '42501';
  end if;
end;
$$;


--
-- Name: FUNCTION assert_trusted_session(p_refusal text); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.assert_trusted_session(p_refusal text) IS 'Raises 42501 with the refusal unless the caller is a trusted session (the owner or a superuser).';


--
-- Name: begin_account_money_operation(text, uuid, jsonb, text, anyelement, telecom.customer_account); Type: PROCEDURE; Schema: telecom_private; Owner: -
--

CREATE PROCEDURE telecom_private.begin_account_money_operation(IN p_operation text, IN p_idempotency_key uuid, IN p_arguments jsonb, IN p_mobile_no text, INOUT p_result anyelement, INOUT p_account telecom.customer_account)
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
-- plpgsql_check accepts "composite OUT variable "p_account" is not single argument": the account
-- comes back beside the replayed result on purpose, so that the caller gets both in one call.
declare
  v_replay jsonb;
begin
  v_replay := telecom_private.begin_money_operation(p_operation, p_idempotency_key, p_arguments);
  if v_replay is null then
    p_account := telecom_private.lock_active_account(p_mobile_no);
  else
    p_result := jsonb_populate_record(p_result, v_replay);
  end if;
end;
$$;


--
-- Name: PROCEDURE begin_account_money_operation(IN p_operation text, IN p_idempotency_key uuid, IN p_arguments jsonb, IN p_mobile_no text, INOUT p_result anyelement, INOUT p_account telecom.customer_account); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON PROCEDURE telecom_private.begin_account_money_operation(IN p_operation text, IN p_idempotency_key uuid, IN p_arguments jsonb, IN p_mobile_no text, INOUT p_result anyelement, INOUT p_account telecom.customer_account) IS 'Begins a money operation on an account: the stored result of a repeated request in p_result (and p_account null), otherwise the account, locked after checking the caller may use it and that it is active.';


--
-- Name: begin_money_operation(text, uuid, jsonb); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.begin_money_operation(p_operation text, p_idempotency_key uuid, p_arguments jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_actor text := telecom_private.current_actor();
  v_stored telecom_private.idempotency_key;
begin
  if p_idempotency_key is not null then
    insert into telecom_private.idempotency_key (actor, idempotency_key, operation, arguments)
    values (v_actor, p_idempotency_key, p_operation, p_arguments)
    on conflict do nothing;
    if not found then
      select *
      into v_stored
      from telecom_private.idempotency_key
      where idempotency_key.actor = v_actor
        and idempotency_key.idempotency_key = p_idempotency_key;
      if v_stored.operation <> p_operation or v_stored.arguments <> p_arguments then
        raise exception 'This idempotency key was already used for a different request.' using errcode = 'TC301';
      end if;
      return v_stored.result;
    end if;
  end if;
  insert into telecom_private.money_operation (transaction_id, operation, actor, idempotency_key)
  values (txid_current(), p_operation, v_actor, p_idempotency_key);
  return null;
end;
$$;


--
-- Name: FUNCTION begin_money_operation(p_operation text, p_idempotency_key uuid, p_arguments jsonb); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.begin_money_operation(p_operation text, p_idempotency_key uuid, p_arguments jsonb) IS 'Starts a money operation: null when the request is new (the caller proceeds, its journal entries name the operation), or the stored result of the first request with this idempotency key (TC301 if that was a different request).';


--
-- Name: begin_usage_load(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.begin_usage_load() RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform telecom_private.assert_trusted_session('Only a trusted session loads usage in bulk.');
  delete from telecom_private.usage_load_event as event
  using telecom_private.usage_load_chunk as chunk
  where chunk.load_id = event.load_id
    and chunk.queued_at < now() - interval '1 day';
  delete from telecom_private.usage_load_chunk as chunk
  where chunk.queued_at < now() - interval '1 day';
  drop table if exists pg_temp.usage_load;
  drop table if exists pg_temp.usage_load_rejected;
  create temporary table usage_load (
    line bigint generated always as identity primary key,
    event_id text,
    mobile_no text,
    kind text,
    quantity text,
    occurred_at text
  );
  return nextval('telecom_private.usage_load_id_seq');
end;
$$;


--
-- Name: FUNCTION begin_usage_load(); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.begin_usage_load() IS 'Names a new bulk load of usage events and makes the session''s staging table pg_temp.usage_load (trusted sessions only).';


--
-- Name: caller_role(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.caller_role() RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select case current_setting('role')
    when 'none' then session_user::text
    else current_setting('role')
  end
$$;


--
-- Name: FUNCTION caller_role(); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.caller_role() IS 'The caller''s role: current_setting(''role''), or session_user when no role was set.';


--
-- Name: card_payment_by_reference(text); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.card_payment_by_reference(p_provider_reference text) RETURNS telecom.payment
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_payment telecom.payment;
begin
  select *
  into v_payment
  from telecom.payment as payment
  where payment.provider_reference = p_provider_reference;
  if not found then
    raise exception 'There is no card payment with the reference %.', p_provider_reference using errcode = 'TC320';
  end if;
  return v_payment;
end;
$$;


--
-- Name: FUNCTION card_payment_by_reference(p_provider_reference text); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.card_payment_by_reference(p_provider_reference text) IS 'The card payment with this provider_reference (TC320 when there is none), unlocked.';


--
-- Name: cashback_amount(numeric); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.cashback_amount(p_payment_amount numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
  select round(p_payment_amount * 0.10, 2)
$$;


--
-- Name: FUNCTION cashback_amount(p_payment_amount numeric); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.cashback_amount(p_payment_amount numeric) IS 'The cashback a payment of this amount earns: 10%, rounded to the cent.';


--
-- Name: change_subscription_status(text, integer, telecom.subscription_status, telecom.subscription_status); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.change_subscription_status(p_mobile_no text, p_plan_id integer, p_from telecom.subscription_status, p_to telecom.subscription_status) RETURNS telecom.subscription
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_subscription telecom.subscription;
begin
  perform telecom_private.lock_active_account(p_mobile_no);
  update telecom.subscription as subscription
  set status = p_to
  where subscription.mobile_no = p_mobile_no
    and subscription.plan_id = p_plan_id
    and subscription.status = p_from
  returning * into v_subscription;
  return v_subscription;
end;
$$;


--
-- Name: charge_plan_rest_of_month(text, integer); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.charge_plan_rest_of_month(p_mobile_no text, p_plan_id integer) RETURNS telecom.subscription
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_next_month date := (date_trunc('month', current_date) + interval '1 month')::date;
  v_charge telecom.plan_charge;
  v_subscription telecom.subscription;
begin
  perform telecom_private.begin_money_operation('plan_charge', null, jsonb_build_object('mobile_no', p_mobile_no, 'plan_id', p_plan_id));
  insert into telecom.plan_charge (mobile_no, plan_id, charge_from, charge_to, amount)
  select p_mobile_no, plan.plan_id, current_date, v_next_month - 1, telecom_private.prorated_plan_fee(plan.price, current_date)
  from telecom.service_plan as plan
  where plan.plan_id = p_plan_id
  returning * into v_charge;
  if exists (
    select
    from telecom.customer_account as account
    where account.mobile_no = p_mobile_no
      and account.balance - v_charge.amount < -9999999999.99
  ) then
    raise exception 'The balance of % cannot owe % more.', p_mobile_no, v_charge.amount using errcode = 'TC317';
  end if;
  update telecom.customer_account as account
  set balance = account.balance - v_charge.amount
  where account.mobile_no = p_mobile_no;
  update telecom.subscription as subscription
  set paid_until = v_next_month
  where subscription.mobile_no = p_mobile_no
    and subscription.plan_id = p_plan_id
  returning * into v_subscription;
  perform telecom_private.finish_money_operation(to_jsonb(v_charge));
  return v_subscription;
end;
$$;


--
-- Name: FUNCTION charge_plan_rest_of_month(p_mobile_no text, p_plan_id integer); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.charge_plan_rest_of_month(p_mobile_no text, p_plan_id integer) IS 'Charges a post-paid account the plan''s fee for the rest of this month (a plan_charge, debited at once) and covers the subscription until the 1st of next month.';


--
-- Name: check_password(text, text, text); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.check_password(p_login text, p_password text, p_hash text) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION check_password(p_login text, p_password text, p_hash text); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.check_password(p_login text, p_password text, p_hash text) IS 'Checks a password against a bcrypt hash (the dummy hash when null) under the throttle of docs/security.md: refuses with TC220 and a retry-after when the caller must wait; records a failure, or clears the address''s failures on success.';


--
-- Name: check_usage_load(bigint, integer); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.check_usage_load(p_load bigint, p_chunk_size integer) RETURNS TABLE(state text, lines bigint)
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET work_mem TO '128MB'
    AS $_$
begin
  perform telecom_private.assert_trusted_session('Only a trusted session loads usage in bulk.');
  -- The COPY left the staging table without statistics; the joins below need them.
  analyze pg_temp.usage_load;
  create temporary table usage_load_checked on commit drop as
  with parsed as materialized (
    -- A field that does not parse is null, so the checks name it.
    select
      load.line,
      load.event_id as given_event_id,
      case when telecom_private.parses_as(trim(load.event_id), 'uuid') then trim(load.event_id)::uuid end as event_id,
      trim(load.mobile_no) as mobile_no,
      case when trim(load.kind) in ('data', 'voice', 'sms') then trim(load.kind)::telecom.usage_kind end as kind,
      case when load.quantity ~ '^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)\s*$' then trim(load.quantity)::numeric end as quantity,
      case when telecom_private.parses_as(trim(load.occurred_at), 'timestamptz') then trim(load.occurred_at)::timestamptz end as occurred_at
    from pg_temp.usage_load as load
  ),
  checked as materialized (
    select
      parsed.*,
      stored.same as same_as_stored,
      case
        when stored.same is null then coalesce(
          telecom_private.usage_event_problem(parsed.event_id, parsed.kind, parsed.quantity, parsed.occurred_at),
          telecom_private.usage_account_problem(parsed.mobile_no, account.start_date, parsed.occurred_at)
        )
      end as problem
    from parsed
    -- Known ids first (as record_usage's find_usage_event), also after 7 days: one look-up per line
    -- in the key's index, however many events are stored (`offset 0` keeps the planner from turning
    -- it into a join that reads every stored key).
    left join lateral (
      select (event.mobile_no, event.kind, event.quantity, event.occurred_at) is not distinct from (parsed.mobile_no, parsed.kind, parsed.quantity, parsed.occurred_at) as same
      from telecom_private.stored_usage_event(parsed.event_id) as event
      offset 0
    ) as stored on true
    left join telecom.customer_account as account
      on account.mobile_no = parsed.mobile_no
  ),
  compared as (
    -- Among the other valid lines, the first of an id (in rating order) is new; a later one is a
    -- duplicate with the same data, TC406 with other data.
    select
      checked.*,
      coalesce(
        checked.same_as_stored,
        case
          when checked.problem is null and row_number() over by_id > 1 then
            (checked.mobile_no, checked.kind, checked.quantity, checked.occurred_at) is not distinct from
              (first_value(checked.mobile_no) over by_id, first_value(checked.kind) over by_id, first_value(checked.quantity) over by_id, first_value(checked.occurred_at) over by_id)
        end
      ) as same_as_earlier
    from checked
    window by_id as (partition by checked.same_as_stored is null and checked.problem is null, checked.event_id order by checked.occurred_at, checked.line)
  )
  select
    compared.line,
    compared.given_event_id,
    compared.event_id,
    compared.mobile_no,
    compared.kind,
    compared.quantity,
    compared.occurred_at,
    case
      when compared.same_as_earlier then 'duplicate'
      when compared.same_as_earlier is not null or compared.problem is not null then 'invalid'
      else 'new'
    end as state,
    case
      when not compared.same_as_earlier then telecom_private.usage_event_reused_problem(compared.event_id)
      else compared.problem
    end as problem
  from compared;

  create temporary table usage_load_rejected as
  select checked.line, checked.given_event_id as event_id, checked.problem[1] as code, checked.problem[2] as message
  from usage_load_checked as checked
  where checked.state = 'invalid';

  -- The queue: position in rating order; chunk from the position of the account's first event.
  insert into telecom_private.usage_load_event (load_id, chunk, position, line, event_id, mobile_no, kind, quantity, occurred_at, units, day)
  select
    check_usage_load.p_load,
    ((min(numbered.position) over (partition by numbered.mobile_no collate "C")) - 1) / greatest(check_usage_load.p_chunk_size, 1),
    numbered.*
  from (
    select
      row_number() over (order by checked.mobile_no collate "C", checked.occurred_at, checked.line) as position,
      checked.line,
      checked.event_id,
      checked.mobile_no,
      checked.kind,
      checked.quantity,
      checked.occurred_at,
      ceil(checked.quantity)::integer,
      telecom_private.operator_date(checked.occurred_at)
    from usage_load_checked as checked
    where checked.state = 'new'
  ) as numbered;
  insert into telecom_private.usage_load_chunk (load_id, chunk, events)
  select event.load_id, event.chunk, count(*)
  from telecom_private.usage_load_event as event
  where event.load_id = check_usage_load.p_load
  group by event.load_id, event.chunk;

  return query
  select checked.state, count(*)
  from usage_load_checked as checked
  group by checked.state
  order by checked.state;
end;
$_$;


--
-- Name: FUNCTION check_usage_load(p_load bigint, p_chunk_size integer); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.check_usage_load(p_load bigint, p_chunk_size integer) IS 'Sorts the staged lines of a bulk usage load set-based: duplicates (also of stored events), TC4xx-invalid lines (into pg_temp.usage_load_rejected, never stored) and new events (queued in chunks of whole accounts for rate_usage_batch).';


--
-- Name: clear_login_failures(text); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.clear_login_failures(p_login text) RETURNS void
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  delete from telecom_private.login_failure as failure
  where failure.login = p_login
    and failure.client_address = telecom_private.client_address()
$$;


--
-- Name: FUNCTION clear_login_failures(p_login text); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.clear_login_failures(p_login text) IS 'Forgets the failures of a login from the caller''s client address, after a success from it.';


--
-- Name: client_address(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.client_address() RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select left(coalesce(current_setting('telecom.client_address', true), ''), 64)
$$;


--
-- Name: FUNCTION client_address(); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.client_address() IS 'The client address of the request (the setting telecom.client_address, at most 64 characters), the key of the throttles; '''' when none is set.';


--
-- Name: code_message_allowed(text); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.code_message_allowed(p_mobile_no text) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select
    count(*) filter (where sms.created_at > now() - interval '1 hour') < 5
    and count(*) < 10
  from telecom_private.sms_outbox as sms
  where sms.mobile_no = p_mobile_no
    and sms.code_id is not null
    and sms.created_at > now() - interval '24 hours 10 minutes'
$$;


--
-- Name: FUNCTION code_message_allowed(p_mobile_no text); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.code_message_allowed(p_mobile_no text) IS 'Whether another code message may go to the number: fewer than 5 in the last hour and fewer than 10 in the last 24 hours and 10 minutes, whoever asked for them.';


--
-- Name: collection_sms(telecom.collection_step_kind, text, numeric, date); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.collection_sms(p_step telecom.collection_step_kind, p_invoice_no text, p_still_due numeric, p_due_date date) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
    AS $$
  select case p_step
    when 'reminder' then
      format('تذكير: فاتورتك %s بمبلغ %s جنيه مستحقة في %s.', p_invoice_no, p_still_due, to_char(p_due_date, 'YYYY-MM-DD'))
        || E'\n' || format('Reminder: your bill %s of %s EGP is due on %s.', p_invoice_no, p_still_due, to_char(p_due_date, 'YYYY-MM-DD'))
    when 'overdue' then
      format('فاتورتك %s متأخرة: %s جنيه كانت مستحقة في %s. ادفع لتجنب إيقاف الخط.', p_invoice_no, p_still_due, to_char(p_due_date, 'YYYY-MM-DD'))
        || E'\n' || format('Your bill %s is overdue: %s EGP was due on %s. Pay it to keep your line.', p_invoice_no, p_still_due, to_char(p_due_date, 'YYYY-MM-DD'))
    else
      format('تم إيقاف خطك لعدم سداد الفاتورة %s (%s جنيه، مستحقة في %s). ادفعها لإعادة الخط.', p_invoice_no, p_still_due, to_char(p_due_date, 'YYYY-MM-DD'))
        || E'\n' || format('Your line is barred for the unpaid bill %s (%s EGP, due on %s). Pay it to get your line back.', p_invoice_no, p_still_due, to_char(p_due_date, 'YYYY-MM-DD'))
  end
$$;


--
-- Name: FUNCTION collection_sms(p_step telecom.collection_step_kind, p_invoice_no text, p_still_due numeric, p_due_date date); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.collection_sms(p_step telecom.collection_step_kind, p_invoice_no text, p_still_due numeric, p_due_date date) IS 'The text of a collection step''s SMS, in Arabic then English.';


--
-- Name: credit_account_balance(text, numeric); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.credit_account_balance(p_mobile_no text, p_amount numeric) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform telecom_private.assert_balance_can_hold(p_mobile_no, p_amount);
  update telecom.customer_account as account
  set balance = account.balance + p_amount
  where account.mobile_no = p_mobile_no;
end;
$$;


--
-- Name: credit_wallet(integer, numeric); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.credit_wallet(p_wallet_id integer, p_amount numeric) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  update telecom.wallet as wallet
  set current_balance = wallet.current_balance + p_amount,
    last_modified_date = current_date
  where wallet.wallet_id = p_wallet_id
    and wallet.current_balance + p_amount <= 9999999999.99;
  if not found then
    raise exception 'The wallet cannot hold % more.', p_amount using errcode = 'TC317';
  end if;
end;
$$;


--
-- Name: current_actor(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.current_actor() RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select case
    -- A DBA in psql, a migration or a script: the database login.
    when telecom_private.session_is_trusted() then 'database:' || session_user
    when telecom_private.caller_role() = 'telecom_admin' then 'admin:' || current_setting('jwt.claims.admin_id', true)
    when telecom_private.caller_role() = 'telecom_customer' then 'customer:' || telecom.current_national_id()
    when telecom_private.caller_role() = 'telecom_payment_processor' then 'payment_processor'
    when telecom_private.caller_role() = 'telecom_network' then 'network:' || coalesce(nullif(current_setting('jwt.claims.network_id', true), ''), 'unnamed')
    else 'database:' || session_user
  end
$$;


--
-- Name: FUNCTION current_actor(); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.current_actor() IS 'Who makes the request: database:<login> for a trusted session, admin:<admin_id>, customer:<national_id>, payment_processor or network:<network_id>.';


--
-- Name: database_kind(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.database_kind() RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select kind from telecom_private.database_kind
$$;


--
-- Name: FUNCTION database_kind(); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.database_kind() IS 'The database''s kind: development or production (null only before the migration that records it).';


--
-- Name: document_no(text, integer, bigint); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.document_no(p_series text, p_year integer, p_number bigint) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
  select p_series || '-' || p_year || '-' || lpad(p_number::text, 7, '0')
$$;


--
-- Name: FUNCTION document_no(p_series text, p_year integer, p_number bigint); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.document_no(p_series text, p_year integer, p_number bigint) IS 'A document''s number: <series>-<year>-<7 digits>.';


--
-- Name: dummy_password_hash(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.dummy_password_hash() RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $_$
  select '$2a$' || lpad(telecom_private.password_hash_cost()::text, 2, '0') || '$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy'
$_$;


--
-- Name: FUNCTION dummy_password_hash(); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.dummy_password_hash() IS 'A bcrypt hash at telecom_private.password_hash_cost(), checked when a login has no password hash, so that unknown logins cost the same as known ones.';


--
-- Name: ensure_usage_partitions(timestamp with time zone); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.ensure_usage_partitions(p_now timestamp with time zone DEFAULT now()) RETURNS text[]
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
declare
  v_zone text := telecom_private.operator_time_zone();
  v_this_month date := date_trunc('month', telecom_private.operator_date(p_now))::date;
  v_month date;
  v_name text;
  v_done text[] := '{}'::text[];
  v_partition record;
begin
  for v_month in
    select month::date
    from generate_series(
      date_trunc('month', telecom_private.operator_date(p_now - interval '7 days')),
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
      execute format(
        'delete from telecom_private.usage_event_key as usage_key using telecom_private.%I as detached where usage_key.event_id = detached.event_id',
        v_partition.relname
      );
      v_done := v_done || ('detached ' || v_partition.relname);
    end if;
  end loop;
  return v_done;
end;
$_$;


--
-- Name: FUNCTION ensure_usage_partitions(p_now timestamp with time zone); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.ensure_usage_partitions(p_now timestamp with time zone) IS 'Creates the usage_event partitions of the month seven days before p_now, this month and the next (operator''s time zone), and detaches those whose month ended at least four full months ago. Returns what it did. Called by the maintenance tick.';


--
-- Name: find_usage_event(uuid, text, telecom.usage_kind, numeric, timestamp with time zone); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.find_usage_event(p_event_id uuid, p_mobile_no text, p_kind telecom.usage_kind, p_quantity numeric, p_occurred_at timestamp with time zone) RETURNS telecom.usage_event
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_event telecom.usage_event;
  v_problem text[];
begin
  select *
  into v_event
  from telecom_private.stored_usage_event(p_event_id);
  if not found then
    return null;
  end if;
  if (v_event.mobile_no, v_event.kind, v_event.quantity, v_event.occurred_at) is distinct from (p_mobile_no, p_kind, p_quantity, p_occurred_at) then
    v_problem := telecom_private.usage_event_reused_problem(p_event_id);
    raise exception '%', v_problem[2] using errcode = v_problem[1];
  end if;
  return v_event;
end;
$$;


--
-- Name: FUNCTION find_usage_event(p_event_id uuid, p_mobile_no text, p_kind telecom.usage_kind, p_quantity numeric, p_occurred_at timestamp with time zone); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.find_usage_event(p_event_id uuid, p_mobile_no text, p_kind telecom.usage_kind, p_quantity numeric, p_occurred_at timestamp with time zone) IS 'The stored row of a usage event id with the same data, null for a new id; TC406 when the id was used for other data.';


--
-- Name: finish_money_operation(jsonb); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.finish_money_operation(p_result jsonb) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_operation telecom_private.money_operation;
begin
  delete from telecom_private.money_operation
  where money_operation.transaction_id = txid_current()
  returning * into v_operation;
  if v_operation.idempotency_key is not null then
    update telecom_private.idempotency_key
    set result = p_result
    where idempotency_key.actor = v_operation.actor
      and idempotency_key.idempotency_key = v_operation.idempotency_key;
  end if;
end;
$$;


--
-- Name: FUNCTION finish_money_operation(p_result jsonb); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.finish_money_operation(p_result jsonb) IS 'Ends the money operation begun in this transaction and stores its result for its idempotency key.';


--
-- Name: finish_usage_load(bigint); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.finish_usage_load(p_load bigint) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform telecom_private.assert_trusted_session('Only a trusted session loads usage in bulk.');
  delete from telecom_private.usage_load_event as event where event.load_id = finish_usage_load.p_load;
  delete from telecom_private.usage_load_chunk as chunk where chunk.load_id = finish_usage_load.p_load;
end;
$$;


--
-- Name: FUNCTION finish_usage_load(p_load bigint); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.finish_usage_load(p_load bigint) IS 'Clears what is left of a bulk usage load''s queue.';


--
-- Name: give_document_numbers(text, integer, integer); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.give_document_numbers(p_series text, p_year integer, p_count integer) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  update telecom_private.document_number as counter
  set last_number = counter.last_number + p_count
  where counter.series = p_series
    and counter.year = p_year
$$;


--
-- Name: FUNCTION give_document_numbers(p_series text, p_year integer, p_count integer); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.give_document_numbers(p_series text, p_year integer, p_count integer) IS 'Adds the numbers this transaction gave to the year''s counter of the series (after take_document_numbers).';


--
-- Name: hash_password(text); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.hash_password(p_password text) RETURNS text
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform telecom_private.assert_new_password(p_password);
  return public.crypt(p_password, public.gen_salt('bf', telecom_private.password_hash_cost()));
end;
$$;


--
-- Name: FUNCTION hash_password(p_password text); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.hash_password(p_password text) IS 'The bcrypt hash of a new password (cost telecom_private.password_hash_cost()); refuses one shorter than 8 characters (TC212) or longer than 72 bytes (TC221).';


--
-- Name: last_maintenance_tick(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.last_maintenance_tick() RETURNS timestamp with time zone
    LANGUAGE sql STABLE
    AS $$
  select last_tick_at from telecom_private.maintenance_state
$$;


--
-- Name: FUNCTION last_maintenance_tick(); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.last_maintenance_tick() IS 'When the last completed maintenance tick ran; null before the first.';


--
-- Name: lift_account_bars(text[]); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.lift_account_bars(p_mobile_nos text[]) RETURNS integer
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  with lifted as (
    delete from telecom.account_bar as bar
    where bar.mobile_no = any (p_mobile_nos)
    returning bar.mobile_no, bar.previous_status
  ),
  restored as (
    update telecom.customer_account as account
    set status = lifted.previous_status
    from lifted
    where account.mobile_no = lifted.mobile_no
      and account.status is distinct from lifted.previous_status
    returning account.mobile_no
  )
  select count(*)::integer
  from lifted
$$;


--
-- Name: FUNCTION lift_account_bars(p_mobile_nos text[]); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.lift_account_bars(p_mobile_nos text[]) IS 'Lifts the bars of these accounts: deletes their account_bar rows and restores the status each had before its bar. Returns how many were lifted.';


--
-- Name: lock_active_account(text); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.lock_active_account(p_mobile_no text) RETURNS telecom.customer_account
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_account telecom.customer_account;
begin
  v_account := telecom_private.lock_payable_account(p_mobile_no);
  if v_account.status <> 'active' then
    raise exception 'The account % is on hold.', p_mobile_no using errcode = 'TC103';
  end if;
  return v_account;
end;
$$;


--
-- Name: lock_payable_account(text); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.lock_payable_account(p_mobile_no text) RETURNS telecom.customer_account
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_account telecom.customer_account;
begin
  perform telecom.assert_account_access(p_mobile_no);
  select *
  into v_account
  from telecom.customer_account as account
  where account.mobile_no = p_mobile_no
  for no key update;
  if not found then
    raise exception 'There is no account with mobile number %.', p_mobile_no using errcode = 'TC101';
  end if;
  if v_account.status <> 'active'
    and not exists (select from telecom.account_bar as bar where bar.mobile_no = p_mobile_no) then
    raise exception 'The account % is on hold.', p_mobile_no using errcode = 'TC103';
  end if;
  return v_account;
end;
$$;


--
-- Name: FUNCTION lock_payable_account(p_mobile_no text); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.lock_payable_account(p_mobile_no text) IS 'Locks an account that may pay: active, or barred for an unpaid bill (account_bar); TC101, TC103 otherwise.';


--
-- Name: wallet; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.wallet (
    wallet_id integer NOT NULL,
    national_id integer NOT NULL,
    mobile_no text NOT NULL,
    current_balance numeric(12,2) DEFAULT 0 NOT NULL,
    currency text DEFAULT 'EGP'::text NOT NULL,
    last_modified_date date DEFAULT CURRENT_DATE NOT NULL,
    CONSTRAINT wallet_currency_check CHECK ((currency ~ '^[A-Z]{3}$'::text)),
    CONSTRAINT wallet_current_balance_check CHECK ((current_balance >= (0)::numeric))
)
WITH (fillfactor='90');


--
-- Name: TABLE wallet; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.wallet IS 'A customer''s wallet: money that can be transferred or receive cashback, linked to one of their numbers.';


--
-- Name: COLUMN wallet.wallet_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.wallet.wallet_id IS 'Identifier of the wallet.';


--
-- Name: COLUMN wallet.national_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.wallet.national_id IS 'The customer who owns the wallet.';


--
-- Name: COLUMN wallet.mobile_no; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.wallet.mobile_no IS 'The number the wallet is linked to (one wallet per number), an account of the owner.';


--
-- Name: COLUMN wallet.current_balance; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.wallet.current_balance IS 'Money in the wallet; never negative.';


--
-- Name: COLUMN wallet.currency; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.wallet.currency IS 'ISO 4217 currency code of the wallet.';


--
-- Name: COLUMN wallet.last_modified_date; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.wallet.last_modified_date IS 'The day the balance last changed.';


--
-- Name: lock_payment_wallet(telecom.customer_account, text); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.lock_payment_wallet(p_account telecom.customer_account, p_currency text) RETURNS telecom.wallet
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_wallet telecom.wallet;
begin
  select wallet.*
  into v_wallet
  from telecom.wallet as wallet
  where wallet.national_id = p_account.national_id
    and wallet.currency = p_currency
    and (
      wallet.mobile_no = p_account.mobile_no
      or (
        select count(*)
        from telecom.wallet as same_currency
        where same_currency.national_id = p_account.national_id
          and same_currency.currency = p_currency
      ) = 1
    )
  order by wallet.mobile_no = p_account.mobile_no desc
  limit 1
  for no key update;
  if not found then
    if not exists (select from telecom.wallet as wallet where wallet.national_id = p_account.national_id) then
      raise exception 'The owner of % has no wallet.', p_account.mobile_no using errcode = 'TC115';
    end if;
    raise exception 'No % wallet is linked to %.', p_currency, p_account.mobile_no using errcode = 'TC315';
  end if;
  return v_wallet;
end;
$$;


--
-- Name: FUNCTION lock_payment_wallet(p_account telecom.customer_account, p_currency text); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.lock_payment_wallet(p_account telecom.customer_account, p_currency text) IS 'The wallet that pays for, or receives cashback of, a payment of the account in that currency; locked.';


--
-- Name: log_card_refund(telecom.payment, text); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.log_card_refund(p_payment telecom.payment, p_reason text) RETURNS telecom.card_refund
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_refund telecom.card_refund;
begin
  insert into telecom.card_refund (payment_id, provider_reference, amount, currency, reason)
  values (p_payment.payment_id, p_payment.provider_reference, p_payment.amount, p_payment.currency, p_reason)
  on conflict (payment_id) do nothing;
  select *
  into v_refund
  from telecom.card_refund as refund
  where refund.payment_id = p_payment.payment_id;
  return v_refund;
end;
$$;


--
-- Name: FUNCTION log_card_refund(p_payment telecom.payment, p_reason text); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.log_card_refund(p_payment telecom.payment, p_reason text) IS 'Logs a card payment whose money is owed back (table card_refund), once; returns the entry.';


--
-- Name: login_retry_after(text); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.login_retry_after(p_login text) RETURNS integer
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION login_retry_after(p_login text); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.login_retry_after(p_login text) IS 'Seconds the caller''s client address must wait before the next attempt on this login (0: none): after 3 failures of the pair, 1 s doubling per failure up to 15 minutes; after 100 failures of the address in an hour, until the hour has room.';


--
-- Name: notify_live(integer, text, text, jsonb); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.notify_live(p_national_id integer, p_what text, p_mobile_no text, p_detail jsonb DEFAULT '{}'::jsonb) RETURNS void
    LANGUAGE sql
    AS $$
  select pg_catalog.pg_notify(
    'telecom_live:person:' || p_national_id,
    (jsonb_build_object('what', p_what, 'mobile_no', p_mobile_no) || p_detail)::text
  )
$$;


--
-- Name: FUNCTION notify_live(p_national_id integer, p_what text, p_mobile_no text, p_detail jsonb); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.notify_live(p_national_id integer, p_what text, p_mobile_no text, p_detail jsonb) IS 'Tells the person''s live subscriptions that their usage, balance or alerts changed.';


--
-- Name: operator_date(timestamp with time zone); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.operator_date(p_moment timestamp with time zone) RETURNS date
    LANGUAGE sql STABLE
    AS $$
  select (p_moment at time zone telecom_private.operator_time_zone())::date
$$;


--
-- Name: FUNCTION operator_date(p_moment timestamp with time zone); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.operator_date(p_moment timestamp with time zone) IS 'The day a moment falls on in the operator''s time zone.';


--
-- Name: operator_time_zone(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.operator_time_zone() RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select 'Africa/Cairo'::text
$$;


--
-- Name: FUNCTION operator_time_zone(); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.operator_time_zone() IS 'The operator''s time zone (Africa/Cairo), which is also the database''s timezone setting.';


--
-- Name: parses_as(text, text); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.parses_as(p_text text, p_type text) RETURNS boolean
    LANGUAGE plpgsql STABLE
    AS $$
      begin
        execute format('select %L::%s', p_text, p_type::regtype);
        return true;
      exception
        when data_exception then
          return false;
      end;
      $$;


--
-- Name: FUNCTION parses_as(p_text text, p_type text); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.parses_as(p_text text, p_type text) IS 'Whether the text is a valid input of the type (pg_input_is_valid on PostgreSQL 16 and later; a cast in a subtransaction on 15).';


--
-- Name: password_hash_cost(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.password_hash_cost() RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$
  select 10
$$;


--
-- Name: FUNCTION password_hash_cost(); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.password_hash_cost() IS 'The bcrypt cost of every stored password hash and of the dummy hash (docs/security.md: at least 10).';


--
-- Name: plan_payment_amounts(numeric, numeric); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.plan_payment_amounts(p_price numeric, p_amount numeric) RETURNS TABLE(remaining_balance numeric, extra_amount numeric)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  select greatest(p_price - p_amount, 0), greatest(p_amount - p_price, 0)
$$;


--
-- Name: FUNCTION plan_payment_amounts(p_price numeric, p_amount numeric); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.plan_payment_amounts(p_price numeric, p_amount numeric) IS 'What a payment of p_amount for a plan of price p_price leaves owing, greatest(price - amount, 0), and pays beyond the price, greatest(amount - price, 0).';


--
-- Name: prorated_plan_fee(numeric, date); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.prorated_plan_fee(p_price numeric, p_day date) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
  select round(
    p_price
      * ((date_trunc('month', p_day) + interval '1 month')::date - p_day)
      / ((date_trunc('month', p_day) + interval '1 month')::date - date_trunc('month', p_day)::date),
    2
  )
$$;


--
-- Name: FUNCTION prorated_plan_fee(p_price numeric, p_day date); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.prorated_plan_fee(p_price numeric, p_day date) IS 'A plan''s fee for the days from p_day to the end of its month: round(price × days left / days in the month, 2).';


--
-- Name: purge_idempotency_keys(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.purge_idempotency_keys() RETURNS integer
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  with purged as (
    delete from telecom_private.idempotency_key as stored
    where stored.created_at < now() - interval '30 days'
    returning 1
  )
  select count(*)::integer from purged
$$;


--
-- Name: FUNCTION purge_idempotency_keys(); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.purge_idempotency_keys() IS 'Deletes idempotency keys older than 30 days (a repeat after that is a new request); returns how many. Run by the maintenance tick.';


--
-- Name: purge_login_failures(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.purge_login_failures() RETURNS integer
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  with purged as (
    delete from telecom_private.login_failure as failure
    where failure.failed_at < now() - interval '24 hours'
    returning 1
  )
  select count(*)::integer from purged
$$;


--
-- Name: FUNCTION purge_login_failures(); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.purge_login_failures() IS 'Deletes failed attempts older than 24 hours (no throttle reads them); returns how many. Called now and then by record_login_failure.';


--
-- Name: purge_sent_sms(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.purge_sent_sms() RETURNS integer
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  with purged as (
    delete from telecom_private.sms_outbox as sms
    where sms.sent_at < now() - interval '90 days'
    returning 1
  )
  select count(*)::integer from purged
$$;


--
-- Name: FUNCTION purge_sent_sms(); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.purge_sent_sms() IS 'Deletes SMS sent more than 90 days ago; returns how many. Run by the maintenance tick.';


--
-- Name: purge_verification_codes(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.purge_verification_codes(OUT codes_purged integer, OUT guesses_purged integer) RETURNS record
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  delete from telecom_private.verification_code_guess as guess
  using telecom_private.verification_code as code
  where guess.code_id = code.code_id
    and code.expires_at < now() - interval '2 days';
  get diagnostics guesses_purged = row_count;
  delete from telecom_private.verification_code as code
  where code.expires_at < now() - interval '2 days';
  get diagnostics codes_purged = row_count;
end;
$$;


--
-- Name: FUNCTION purge_verification_codes(OUT codes_purged integer, OUT guesses_purged integer); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.purge_verification_codes(OUT codes_purged integer, OUT guesses_purged integer) IS 'Deletes one-time codes that expired more than two days ago, with the wrong guesses at them; returns how many of each. Run by the maintenance tick.';


--
-- Name: rate_usage_batch(bigint); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.rate_usage_batch(p_load bigint) RETURNS TABLE(outcome telecom.usage_outcome, events bigint, charged numeric, one_by_one bigint)
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET work_mem TO '64MB'
    AS $$
declare
  v_chunk integer;
  v_keys bigint;
  v_line record;
  v_event telecom.usage_event;
begin
  perform telecom_private.assert_trusted_session('Only a trusted session loads usage in bulk.');
  -- Taken until this transaction ends: rated (and removed) at commit, free again after a failure.
  select queued.chunk
  into v_chunk
  from telecom_private.usage_load_chunk as queued
  where queued.load_id = rate_usage_batch.p_load
  order by queued.chunk
  limit 1
  for update skip locked;
  if not found then
    return;
  end if;
  create temporary table usage_chunk_event on commit drop as
  select event.position, event.line, event.event_id, event.mobile_no, event.kind, event.quantity, event.occurred_at, event.units, event.day
  from telecom_private.usage_load_event as event
  where event.load_id = rate_usage_batch.p_load
    and event.chunk = v_chunk;

  -- The accounts, locked in number order like every money function (live events wait for them).
  create temporary table usage_chunk_account on commit drop as
  select account.mobile_no, account.national_id, account.status, account.account_type, account.balance, account.credit_limit
  from telecom.customer_account as account
  where account.mobile_no in (select new.mobile_no from usage_chunk_event as new)
  order by account.mobile_no
  for no key update;
  analyze usage_chunk_account;

  -- The days a subscription stops covering (paid_until) between an account's first and last event:
  -- from each such day on, the account's events draw on fewer plans.
  create temporary table usage_chunk_lapse on commit drop as
  select span.mobile_no, array_agg(distinct subscription.paid_until) as days
  from (
    select new.mobile_no, min(new.day) as first_day, max(new.day) as last_day
    from usage_chunk_event as new
    group by new.mobile_no
  ) as span
  inner join telecom.subscription as subscription
    on subscription.mobile_no = span.mobile_no
    and subscription.status = 'active'
    and subscription.paid_until > span.first_day
    and subscription.paid_until <= span.last_day
  group by span.mobile_no;

  -- Each event with its segment (how many of those days have come: the same plans cover all the
  -- events of a segment) and the units its account, kind, month and segment took before it.
  create temporary table usage_chunk on commit drop as
  select
    segmented.*,
    coalesce(sum(segmented.units) over (
      partition by segmented.mobile_no collate "C", segmented.kind, segmented.month, segmented.segment
      order by segmented.position
      rows between unbounded preceding and 1 preceding
    ), 0) as units_before
  from (
    select
      new.*,
      date_trunc('month', new.day)::date as month,
      case when lapse.days is null then 0 else (select count(*) from unnest(lapse.days) as lapse_day where lapse_day <= new.day) end as segment
    from usage_chunk_event as new
    left join usage_chunk_lapse as lapse
      on lapse.mobile_no = new.mobile_no
  ) as segmented;
  -- Temporary tables have no statistics until analyzed: the joins below need them.
  analyze usage_chunk;

  -- The parts drawn, segment after segment. An allowance is a plan covering the segment's first
  -- day, oldest subscription first: what it still offers that month (its plan_usage and the parts
  -- of earlier segments taken off), and what the plans before it offer together. A part is where
  -- an event's running units overlap an allowance's range; used_before is what the plan had used
  -- before it (for the alerts).
  create temporary table usage_chunk_take (
    position bigint,
    event_id uuid,
    mobile_no text,
    kind telecom.usage_kind,
    month date,
    day date,
    plan_id integer,
    offered integer,
    available_before bigint,
    used_before bigint,
    quantity bigint
  ) on commit drop;
  for v_segment in 0 .. (select max(chunk.segment) from usage_chunk as chunk) loop
    drop table if exists usage_chunk_allowance;
    create temporary table usage_chunk_allowance on commit drop as
      select
        offering.*,
        coalesce(sum(offering.available) over (
          partition by offering.mobile_no collate "C", offering.kind, offering.month
          order by offering.subscription_date, offering.plan_id
          rows between unbounded preceding and 1 preceding
        ), 0) as available_before
      from (
        select
          usage_group.mobile_no,
          usage_group.kind,
          usage_group.month,
          subscription.subscription_date,
          subscription.plan_id,
          offer.offered,
          coalesce(used.units, 0) + coalesce(taken.quantity, 0) as used,
          greatest(offer.offered - coalesce(used.units, 0) - coalesce(taken.quantity, 0), 0) as available
        from (
          select chunk.mobile_no, chunk.kind, chunk.month, min(chunk.day) as first_day
          from usage_chunk as chunk
          inner join usage_chunk_account as account
            on account.mobile_no = chunk.mobile_no
            and account.status = 'active'
          where chunk.segment = v_segment
          group by chunk.mobile_no, chunk.kind, chunk.month
        ) as usage_group
        inner join telecom.subscription as subscription
          on subscription.mobile_no = usage_group.mobile_no
          and subscription.status = 'active'
          and usage_group.first_day < subscription.paid_until
        inner join telecom.service_plan as plan
          on plan.plan_id = subscription.plan_id
        cross join lateral (
          select case usage_group.kind
            when 'data' then plan.data_offered
            when 'voice' then plan.minutes_offered
            else plan.sms_offered
          end as offered
        ) as offer
        left join (
          select
            usage.mobile_no,
            usage.plan_id,
            date_trunc('month', usage.start_date)::date as month,
            sum(usage.data_consumption) as data,
            sum(usage.minutes_used) as voice,
            sum(usage.sms_sent) as sms
          from telecom.plan_usage as usage
          where usage.mobile_no in (select chunk.mobile_no from usage_chunk as chunk where chunk.segment = v_segment)
            and usage.start_date >= (select min(chunk.month) from usage_chunk as chunk where chunk.segment = v_segment)
          group by usage.mobile_no, usage.plan_id, date_trunc('month', usage.start_date)
        ) as used_month
          on used_month.mobile_no = usage_group.mobile_no
          and used_month.plan_id = subscription.plan_id
          and used_month.month = usage_group.month
        cross join lateral (
          select case usage_group.kind
            when 'data' then used_month.data
            when 'voice' then used_month.voice
            else used_month.sms
          end as units
        ) as used
        left join (
          select earlier.mobile_no, earlier.plan_id, earlier.kind, earlier.month, sum(earlier.quantity) as quantity
          from usage_chunk_take as earlier
          group by earlier.mobile_no, earlier.plan_id, earlier.kind, earlier.month
        ) as taken
          on taken.mobile_no = usage_group.mobile_no
          and taken.plan_id = subscription.plan_id
          and taken.kind = usage_group.kind
          and taken.month = usage_group.month
      ) as offering;
    analyze usage_chunk_allowance;
    insert into usage_chunk_take
    select
      chunk.position,
      chunk.event_id,
      chunk.mobile_no,
      chunk.kind,
      chunk.month,
      chunk.day,
      allowance.plan_id,
      allowance.offered,
      allowance.available_before,
      allowance.used + least(greatest(chunk.units_before - allowance.available_before, 0), allowance.available),
      least(chunk.units_before + chunk.units, allowance.available_before + allowance.available)
        - greatest(chunk.units_before, allowance.available_before)
    from usage_chunk as chunk
    inner join usage_chunk_allowance as allowance
      on allowance.mobile_no = chunk.mobile_no
      and allowance.kind = chunk.kind
      and allowance.month = chunk.month
      and allowance.available > 0
      and chunk.units_before < allowance.available_before + allowance.available
      and chunk.units_before + chunk.units > allowance.available_before
    where chunk.segment = v_segment;
  end loop;
  analyze usage_chunk_take;

  -- Each event rated: the rest charged at the tariff (TC408 without one), the outcome as if the
  -- balance covered it.
  create temporary table usage_chunk_rated on commit drop as
  select
    chunk.position,
    chunk.line,
    chunk.event_id,
    chunk.mobile_no,
    chunk.kind,
    chunk.quantity,
    chunk.occurred_at,
    chunk.day,
    taken.plan_id,
    case
      when account.status = 'active' and chunk.units > coalesce(taken.quantity, 0) then round((chunk.units - coalesce(taken.quantity, 0)) * tariff.unit_price, 2)
      else 0
    end as charged,
    case
      when account.status <> 'active' then 'refused'
      when chunk.units > coalesce(taken.quantity, 0) then 'charged'
      else 'in_allowance'
    end::telecom.usage_outcome as outcome,
    tariff.unit_price is null as no_tariff
  from usage_chunk as chunk
  inner join usage_chunk_account as account
    on account.mobile_no = chunk.mobile_no
  left join (
    select take.position, sum(take.quantity) as quantity, (array_agg(take.plan_id order by take.available_before))[1] as plan_id
    from usage_chunk_take as take
    group by take.position
  ) as taken
    on taken.position = chunk.position
  left join telecom.tariff as tariff
    on tariff.kind = chunk.kind;
  analyze usage_chunk_rated;
  if exists (select from usage_chunk_rated as rated where rated.outcome = 'charged' and rated.no_tariff) then
    raise exception 'There is no tariff for % beyond the allowances.',
      (select rated.kind from usage_chunk_rated as rated where rated.outcome = 'charged' and rated.no_tariff limit 1)
      using errcode = 'TC408';
  end if;

  -- One by one where the order decides: a prepaid or pay-as-you-go balance that cannot cover all
  -- the account's charges, or a post-paid one they would take below its credit limit (a refused
  -- event consumes nothing, so what follows it changes).
  alter table usage_chunk_account add column one_by_one boolean;
  update usage_chunk_account as account
  set one_by_one = account.status = 'active'
    and case
      when account.account_type = 'post_paid' then account.balance - summary.charged < -account.credit_limit
      else account.balance < summary.charged
    end
  from (
    select rated.mobile_no, sum(rated.charged) as charged
    from usage_chunk_rated as rated
    group by rated.mobile_no
  ) as summary
  where summary.mobile_no = account.mobile_no;

  create temporary table usage_chunk_result (outcome telecom.usage_outcome, charged numeric(12,2), one_by_one boolean) on commit drop;
  for v_line in
    select rated.position, rated.line, rated.event_id, rated.mobile_no, rated.kind, rated.quantity, rated.occurred_at
    from usage_chunk_rated as rated
    inner join usage_chunk_account as account
      on account.mobile_no = rated.mobile_no
    where account.one_by_one
    order by rated.position
  loop
    v_event := telecom.record_usage(v_line.event_id, v_line.mobile_no, v_line.kind, v_line.quantity, v_line.occurred_at);
    insert into usage_chunk_result values (v_event.outcome, v_event.charged, true);
  end loop;
  delete from usage_chunk_rated as rated
  using usage_chunk_account as account
  where account.mobile_no = rated.mobile_no
    and account.one_by_one;
  delete from usage_chunk_take as take
  using usage_chunk_account as account
  where account.mobile_no = take.mobile_no
    and account.one_by_one;

  -- Set-based, the rest: what record_usage writes, for all their events at once. An id claimed
  -- since the checks (a live event) refuses the chunk; a re-run reports it as a duplicate.
  insert into telecom_private.usage_event_key (event_id, occurred_at)
  select rated.event_id, rated.occurred_at
  from usage_chunk_rated as rated
  on conflict on constraint usage_event_key_pkey do nothing;
  get diagnostics v_keys = row_count;
  if v_keys < (select count(*) from usage_chunk_rated) then
    raise exception 'An event id of this file was recorded meanwhile by the network; load the file again to see it reported.' using errcode = 'TC406';
  end if;

  insert into telecom.usage_event (event_id, mobile_no, kind, quantity, occurred_at, plan_id, charged, outcome)
  select rated.event_id, rated.mobile_no, rated.kind, rated.quantity, rated.occurred_at, rated.plan_id, rated.charged, rated.outcome
  from usage_chunk_rated as rated;

  insert into telecom.usage_allocation (event_id, plan_id, mobile_no, quantity)
  select take.event_id, take.plan_id, take.mobile_no, take.quantity
  from usage_chunk_take as take;

  -- plan_usage: the parts drawn added up per account, plan and day, into that day's record, found
  -- by its index for each (a day's records are too many to scan, and the planner cannot tell).
  create temporary table usage_chunk_day on commit drop as
  select
    take.mobile_no,
    take.plan_id,
    take.day,
    coalesce(sum(take.quantity) filter (where take.kind = 'data'), 0) as data_consumption,
    coalesce(sum(take.quantity) filter (where take.kind = 'voice'), 0) as minutes_used,
    coalesce(sum(take.quantity) filter (where take.kind = 'sms'), 0) as sms_sent,
    array(
      select usage.usage_id
      from telecom.plan_usage as usage
      where usage.mobile_no = take.mobile_no
        and usage.plan_id = take.plan_id
        and usage.start_date = take.day
        and usage.end_date = take.day
    ) as usage_ids
  from usage_chunk_take as take
  group by take.mobile_no, take.plan_id, take.day;
  update telecom.plan_usage as usage
  set
    data_consumption = usage.data_consumption + day.data_consumption,
    minutes_used = usage.minutes_used + day.minutes_used,
    sms_sent = usage.sms_sent + day.sms_sent
  from usage_chunk_day as day
  where usage.usage_id = any(day.usage_ids);
  insert into telecom.plan_usage (mobile_no, plan_id, start_date, end_date, data_consumption, minutes_used, sms_sent)
  select day.mobile_no, day.plan_id, day.day, day.day, day.data_consumption, day.minutes_used, day.sms_sent
  from usage_chunk_day as day
  where cardinality(day.usage_ids) = 0;

  -- Alerts: the part that crossed 80 % or 100 % of an allowance, once per month; the person is told.
  for v_line in
    with raised as (
      insert into telecom.usage_alert (mobile_no, plan_id, kind, period_start, threshold)
      select distinct take.mobile_no, take.plan_id, take.kind, take.month, threshold.value
      from usage_chunk_take as take
      cross join (values (80::smallint), (100::smallint)) as threshold (value)
      where take.used_before * 100 < threshold.value * take.offered
        and (take.used_before + take.quantity) * 100 >= threshold.value * take.offered
      on conflict do nothing
      returning usage_alert.mobile_no, usage_alert.plan_id, usage_alert.threshold
    )
    select account.national_id, raised.mobile_no, raised.plan_id, raised.threshold
    from raised
    inner join usage_chunk_account as account
      on account.mobile_no = raised.mobile_no
  loop
    perform telecom_private.notify_live(v_line.national_id, 'alert', v_line.mobile_no, jsonb_build_object('plan_id', v_line.plan_id, 'threshold', v_line.threshold));
  end loop;

  -- The charges, through the money protocol: one balance change (and journal entry) per account.
  if exists (select from usage_chunk_rated as rated where rated.charged > 0) then
    perform telecom_private.begin_money_operation('rate_usage_batch', null, jsonb_build_object('lines', (select count(*) from usage_chunk_rated)));
    create temporary table usage_chunk_charge on commit drop as
    select rated.mobile_no, sum(rated.charged) as charged
    from usage_chunk_rated as rated
    group by rated.mobile_no
    having sum(rated.charged) > 0;
    select charge.mobile_no, charge.charged
    into v_line
    from usage_chunk_charge as charge
    inner join usage_chunk_account as account
      on account.mobile_no = charge.mobile_no
    where account.balance - charge.charged < -9999999999.99
    limit 1;
    if found then
      raise exception 'The balance of % cannot owe % more.', v_line.mobile_no, v_line.charged using errcode = 'TC317';
    end if;
    update telecom.customer_account as account
    set balance = account.balance - charge.charged
    from usage_chunk_charge as charge
    where account.mobile_no = charge.mobile_no;
    perform telecom_private.finish_money_operation(jsonb_build_object('accounts', (select count(*) from usage_chunk_charge)));
  end if;

  -- Live: each person once per account, the admins once per account, kind and outcome.
  perform telecom_private.notify_live(account.national_id, 'usage', account.mobile_no, jsonb_build_object('events', summary.events))
  from (
    select rated.mobile_no, count(*) as events
    from usage_chunk_rated as rated
    group by rated.mobile_no
  ) as summary
  inner join usage_chunk_account as account
    on account.mobile_no = summary.mobile_no;
  perform pg_catalog.pg_notify(
    'telecom_live:admin',
    jsonb_build_object('mobile_no', rated.mobile_no, 'kind', rated.kind, 'outcome', rated.outcome, 'charged', sum(rated.charged), 'events', count(*))::text
  )
  from usage_chunk_rated as rated
  group by rated.mobile_no, rated.kind, rated.outcome;

  insert into usage_chunk_result
  select rated.outcome, rated.charged, false
  from usage_chunk_rated as rated;
  delete from telecom_private.usage_load_event as event
  where event.load_id = rate_usage_batch.p_load
    and event.chunk = v_chunk;
  delete from telecom_private.usage_load_chunk as queued
  where queued.load_id = rate_usage_batch.p_load
    and queued.chunk = v_chunk;
  return query
  select result.outcome, count(*), sum(result.charged), count(*) filter (where result.one_by_one)
  from usage_chunk_result as result
  group by result.outcome
  order by result.outcome;
end;
$$;


--
-- Name: FUNCTION rate_usage_batch(p_load bigint); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.rate_usage_batch(p_load bigint) IS 'Rates the next chunk of a bulk usage load that no other connection is rating (whole accounts, one transaction): set-based with running totals, through record_usage one by one for the accounts whose balance runs short. Returns the chunk''s outcomes.';


--
-- Name: record_login_failure(text); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.record_login_failure(p_login text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  insert into telecom_private.login_failure (login, client_address)
  values (left(p_login, 80), telecom_private.client_address());
  -- Opportunistic: about one attempt in a hundred clears what no throttle reads any more.
  if random() < 0.01 then
    perform telecom_private.purge_login_failures();
  end if;
end;
$$;


--
-- Name: FUNCTION record_login_failure(p_login text); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.record_login_failure(p_login text) IS 'Records a failed attempt on a login from the caller''s client address (the throttle''s input).';


--
-- Name: record_payment(telecom.customer_account, numeric, telecom.payment_method, integer); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.record_payment(p_account telecom.customer_account, p_amount numeric, p_method telecom.payment_method, p_plan_id integer DEFAULT NULL::integer) RETURNS telecom.payment
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_at_shop boolean := telecom.current_role_is_admin();
  v_wallet telecom.wallet;
  v_payment telecom.payment;
begin
  if p_method is null then
    raise exception 'Choose a payment method.' using errcode = 'TC106';
  end if;
  if p_method = 'cash' and not v_at_shop then
    raise exception 'Cash is paid at a shop: pay by card or from your wallet.' using errcode = 'TC318';
  end if;
  if p_method = 'wallet' then
    v_wallet := telecom_private.lock_payment_wallet(p_account, 'EGP');
    if v_wallet.current_balance < p_amount then
      raise exception 'Insufficient wallet balance: you have % %, the payment needs %.', v_wallet.current_balance, v_wallet.currency, p_amount using errcode = 'TC316';
    end if;
    update telecom.wallet as wallet
    set current_balance = wallet.current_balance - p_amount,
      last_modified_date = current_date
    where wallet.wallet_id = v_wallet.wallet_id;
  end if;
  insert into telecom.payment (mobile_no, amount, currency, date_of_payment, payment_method, status, provider_reference)
  values (
    p_account.mobile_no,
    p_amount,
    'EGP',
    current_date,
    p_method,
    case when p_method = 'credit' and not v_at_shop then 'pending' else 'successful' end::telecom.payment_status,
    case when p_method = 'credit' and not v_at_shop then 'chk_' || gen_random_uuid() end
  )
  returning * into v_payment;
  if p_plan_id is not null then
    -- remaining_balance and extra_amount are computed by the trigger from the amount and the price.
    insert into telecom.process_payment (payment_id, plan_id, remaining_balance, extra_amount)
    values (v_payment.payment_id, p_plan_id, 0, 0);
  end if;
  if v_payment.status = 'successful' then
    perform telecom_private.apply_successful_payment(v_payment);
  else
    -- A pending card payment takes effect when the processor reports it, after the card is charged:
    -- what it will credit to the balance (a recharge's amount, a plan payment's extra) must fit now,
    -- or the customer is charged for money the balance cannot take (TC317).
    perform telecom_private.assert_balance_can_hold(
      p_account.mobile_no,
      coalesce(
        (select process.extra_amount from telecom.process_payment as process where process.payment_id = v_payment.payment_id),
        v_payment.amount
      )
    );
  end if;
  return v_payment;
end;
$$;


--
-- Name: FUNCTION record_payment(p_account telecom.customer_account, p_amount numeric, p_method telecom.payment_method, p_plan_id integer); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.record_payment(p_account telecom.customer_account, p_amount numeric, p_method telecom.payment_method, p_plan_id integer) IS 'Records a payment of the (locked) account, for a plan or not, as docs/money.md allows the caller: successful at once (and applied), or pending for a customer''s card; debits the wallet for a wallet payment.';


--
-- Name: refuse_transfer(integer, integer, numeric, boolean); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.refuse_transfer(p_from_wallet_id integer, p_to_wallet_id integer, p_amount numeric, p_sender_refused boolean) RETURNS void
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_from telecom.wallet;
  v_to telecom.wallet;
begin
  select * into v_from from telecom.wallet where wallet.wallet_id = p_from_wallet_id;
  select * into v_to from telecom.wallet where wallet.wallet_id = p_to_wallet_id;
  if v_from.currency = v_to.currency and p_sender_refused then
    raise exception 'Insufficient wallet balance: you have % %, the transfer needs %.', v_from.current_balance, v_from.currency, p_amount
      using errcode = 'TC316';
  end if;
  raise exception 'You cannot transfer to %.', v_to.mobile_no
    using errcode = 'TC313';
end;
$$;


--
-- Name: FUNCTION refuse_transfer(p_from_wallet_id integer, p_to_wallet_id integer, p_amount numeric, p_sender_refused boolean); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.refuse_transfer(p_from_wallet_id integer, p_to_wallet_id integer, p_amount numeric, p_sender_refused boolean) IS 'Raises the error of a transfer that cannot be made: TC316 when the sender has too little, TC313 (you cannot transfer to …) for every reason the recipient cannot receive.';


--
-- Name: run_requested_bill_run(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.run_requested_bill_run() RETURNS integer
    LANGUAGE plpgsql
    AS $$
declare
  v_request_id integer;
  v_bill_date date;
  v_started_at timestamptz;
  v_issued integer;
  v_error text;
begin
  select request.request_id, request.bill_date
  into v_request_id, v_bill_date
  from telecom.bill_run_request as request
  where request.finished_at is null
  order by request.request_id
  limit 1
  for update;
  if not found then
    return 0;
  end if;
  perform pg_catalog.pg_advisory_xact_lock(9, v_request_id);
  v_started_at := clock_timestamp();
  begin
    v_issued := telecom.run_bills(v_bill_date);
  exception
    -- Whatever stopped the run is the request's outcome, for the admin to read.
    when others then
      v_error := sqlstate || ': ' || sqlerrm;
  end;
  update telecom.bill_run_request as request
  set started_at = v_started_at, finished_at = clock_timestamp(), bills_issued = v_issued, error = v_error
  where request.request_id = v_request_id;
  return 1;
end;
$$;


--
-- Name: FUNCTION run_requested_bill_run(); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.run_requested_bill_run() IS 'Runs the oldest queued bill run request (the maintenance tick calls it) and records its outcome; returns 1, or 0 when none was queued.';


--
-- Name: session_is_trusted(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.session_is_trusted() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select exists (
    select
    from pg_catalog.pg_roles as role
    where role.rolname = telecom_private.caller_role()
      and (role.rolname = 'telecom_owner' or role.rolsuper)
  )
$$;


--
-- Name: FUNCTION session_is_trusted(); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.session_is_trusted() IS 'Whether the caller is telecom_owner or a superuser, not an API role.';


--
-- Name: set_password_with_code(text, text, text, text); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.set_password_with_code(p_mobile_no text, p_purpose text, p_code text, p_password text) RETURNS telecom.jwt_token
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
declare
  v_account telecom.customer_account;
begin
  if p_mobile_no is null or p_mobile_no !~ '^[0-9]{11}$' then
    raise exception 'A mobile number has 11 digits.' using errcode = 'TC224';
  end if;
  -- Checked first (TC212, TC221), so a refused password costs no attempt of the code.
  perform telecom_private.assert_new_password(p_password);
  if not telecom_private.use_verification_code(p_mobile_no, p_purpose, p_code) then
    return null;
  end if;
  select * into strict v_account from telecom.customer_account as account where account.mobile_no = p_mobile_no;
  insert into telecom_private.customer_credential (mobile_no, password_hash)
  values (v_account.mobile_no, telecom_private.hash_password(p_password))
  on conflict on constraint customer_credential_pkey do update set password_hash = excluded.password_hash;
  perform telecom_private.clear_login_failures(v_account.mobile_no);
  return ('telecom_customer', extract(epoch from now() + interval '1 hour')::bigint, v_account.mobile_no, v_account.national_id, null, null)::telecom.jwt_token;
end;
$_$;


--
-- Name: settle_issued_invoice(text, numeric); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.settle_issued_invoice(p_mobile_no text, p_amount numeric) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_status telecom.invoice_status;
begin
  update telecom.invoice as invoice
  set
    paid_amount = least(invoice.amount_due, invoice.paid_amount + p_amount),
    status = case when invoice.paid_amount + p_amount >= invoice.amount_due then 'paid' else 'issued' end::telecom.invoice_status
  where invoice.mobile_no = p_mobile_no
    and invoice.status = 'issued'
  returning invoice.status into v_status;
  if v_status = 'paid' then
    perform telecom_private.lift_account_bars(array[p_mobile_no]);
  end if;
end;
$$;


--
-- Name: FUNCTION settle_issued_invoice(p_mobile_no text, p_amount numeric); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.settle_issued_invoice(p_mobile_no text, p_amount numeric) IS 'Counts money that reached a post-paid account toward its issued bill (up to what is due): a bill paid in full becomes paid, and the account''s bar is lifted.';


--
-- Name: stored_usage_event(uuid); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.stored_usage_event(p_event_id uuid) RETURNS SETOF telecom.usage_event
    LANGUAGE sql STABLE
    AS $$
  select event.*
  from telecom_private.usage_event_key as usage_key
  inner join telecom.usage_event as event
    on event.event_id = usage_key.event_id
    and event.occurred_at = usage_key.occurred_at
  where usage_key.event_id = p_event_id
$$;


--
-- Name: FUNCTION stored_usage_event(p_event_id uuid); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.stored_usage_event(p_event_id uuid) IS 'The stored row of a usage event id (none for a new id).';


--
-- Name: synthetic_mobile_no(integer, integer); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.synthetic_mobile_no(p_customer integer, p_line integer DEFAULT 0) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
  select '019' || lpad((p_customer + (p_customer + 4) / 5 + p_line)::text, 8, '0')
$$;


--
-- Name: FUNCTION synthetic_mobile_no(p_customer integer, p_line integer); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.synthetic_mobile_no(p_customer integer, p_line integer) IS 'The mobile number of line p_line of synthetic customer p_customer.';


--
-- Name: take_document_numbers(text, integer); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.take_document_numbers(p_series text, p_year integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_last integer;
begin
  insert into telecom_private.document_number (series, year, last_number)
  values (p_series, p_year, 0)
  on conflict on constraint document_number_pkey do nothing;
  select counter.last_number
  into v_last
  from telecom_private.document_number as counter
  where counter.series = p_series
    and counter.year = p_year
  for update;
  return v_last;
end;
$$;


--
-- Name: FUNCTION take_document_numbers(p_series text, p_year integer); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.take_document_numbers(p_series text, p_year integer) IS 'Locks the year''s counter of bill (INV) or credit note (CN) numbers for this transaction and returns the last number given.';


--
-- Name: tg__not_in_future(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.tg__not_in_future() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
declare
  v_date date := (to_jsonb(new) ->> tg_argv[0])::date;
begin
  if v_date > current_date then
    raise exception '%', format(tg_argv[1], v_date) using errcode = 'TC011';
  end if;
  return new;
end;
$$;


--
-- Name: tg__one_currency(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.tg__one_currency() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_new jsonb := to_jsonb(new);
begin
  if (
    select count(distinct currencies.currency) > 1
    from (
      select payment.currency
      from telecom.payment as payment
      where payment.payment_id = (v_new ->> 'payment_id')::integer
      union all
      select wallet.currency
      from telecom.wallet as wallet
      where wallet.wallet_id in ((v_new ->> 'wallet_id')::integer, (v_new ->> 'from_wallet_id')::integer, (v_new ->> 'to_wallet_id')::integer)
    ) as currencies
  ) then
    raise exception '%', tg_argv[0] using errcode = 'TC016';
  end if;
  return new;
end;
$$;


--
-- Name: tg_benefit__keep_history(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.tg_benefit__keep_history() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  if exists (select from telecom.cashback as cashback where cashback.benefit_id = old.benefit_id)
    or exists (select from telecom.points_group as points where points.benefit_id = old.benefit_id)
  then
    raise exception 'Benefit % has credited cashback or points: end it instead of deleting it.', old.benefit_id using errcode = 'TC021';
  end if;
  return old;
end;
$$;


--
-- Name: tg_customer_account__journal(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.tg_customer_account__journal() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  insert into telecom.money_journal (account_kind, mobile_no, national_id, change, balance_after, operation, actor)
  select
    entry.account_kind,
    coalesce(new.mobile_no, old.mobile_no),
    coalesce(new.national_id, old.national_id),
    entry.change,
    entry.balance_after,
    coalesce(operation.operation, 'direct'),
    coalesce(operation.actor, 'database:' || session_user)
  from telecom_private.account_journal_entries(old.balance, new.balance, old.points, new.points) as entry
  left join telecom_private.money_operation as operation
    on operation.transaction_id = txid_current();
  return null;
end;
$$;


--
-- Name: tg_customer_account__notify(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.tg_customer_account__notify() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform telecom_private.notify_live(new.national_id, 'balance', new.mobile_no, jsonb_build_object('balance', new.balance));
  return null;
end;
$$;


--
-- Name: tg_customer_profile__date_of_birth(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.tg_customer_profile__date_of_birth() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if new.date_of_birth >= current_date then
    raise exception 'The date of birth (%) must be in the past.', new.date_of_birth using errcode = 'TC010';
  end if;
  return new;
end;
$$;


--
-- Name: tg_customer_profile__email_available(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.tg_customer_profile__email_available() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION tg_customer_profile__email_available(); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.tg_customer_profile__email_available() IS 'Refuses an e-mail address another person has with TC223 ("this e-mail cannot be used"), instead of a unique violation.';


--
-- Name: tg_database_kind__set_once(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.tg_database_kind__set_once() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  raise exception 'The database''s kind (development or production) is set once, when the database is created.' using errcode = 'TC022';
end;
$$;


--
-- Name: FUNCTION tg_database_kind__set_once(); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.tg_database_kind__set_once() IS 'Refuses any change of the database''s kind (TC022): it is written once, by the migration that creates the database.';


--
-- Name: tg_money_history__append_only(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.tg_money_history__append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  raise exception '% cannot be changed or deleted: it is money history.', tg_argv[0] using errcode = 'TC020';
end;
$$;


--
-- Name: tg_money_history__no_truncate(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.tg_money_history__no_truncate() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if current_setting('telecom.clearing', true) = 'on' and telecom_private.database_kind() = 'development' then
    return null;
  end if;
  raise exception '% are money history: TRUNCATE is refused (only npm run db:clear empties them, on a development database).', tg_argv[0]
    using errcode = 'TC020';
end;
$$;


--
-- Name: FUNCTION tg_money_history__no_truncate(); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.tg_money_history__no_truncate() IS 'Refuses TRUNCATE of a money-history table (TC020), except in db:clear''s transaction (telecom.clearing on) on a development database.';


--
-- Name: tg_plan_usage__dates_and_plan(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.tg_plan_usage__dates_and_plan() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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


--
-- Name: tg_points_group__history(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.tg_points_group__history() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  if tg_op in ('UPDATE', 'DELETE') and exists (
    select
    from telecom.payment as payment
    where payment.payment_id = old.payment_id
      and payment.status = 'successful'
  ) then
    raise exception 'Points earned by a successful payment cannot be changed or deleted: they are money history.' using errcode = 'TC020';
  end if;
  if tg_op in ('INSERT', 'UPDATE') and not exists (
    select
    from telecom.benefit as benefit
    inner join telecom.payment as payment
      on payment.mobile_no = benefit.mobile_no
    where benefit.benefit_id = new.benefit_id
      and payment.payment_id = new.payment_id
  ) then
    raise exception 'A points group joins a benefit and a payment of the same account.' using errcode = 'TC015';
  end if;
  return coalesce(new, old);
end;
$$;


--
-- Name: tg_process_payment__compute_amounts(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.tg_process_payment__compute_amounts() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_amount numeric(12, 2);
  v_price numeric(12, 2);
begin
  select payment.amount into v_amount from telecom.payment where payment.payment_id = new.payment_id;
  select service_plan.price into v_price from telecom.service_plan where service_plan.plan_id = new.plan_id;
  select amounts.remaining_balance, amounts.extra_amount
  into new.remaining_balance, new.extra_amount
  from telecom_private.plan_payment_amounts(v_price, v_amount) as amounts;
  return new;
end;
$$;


--
-- Name: tg_service_plan__delete_unused(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.tg_service_plan__delete_unused() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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


--
-- Name: tg_shop__delete_unused(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.tg_shop__delete_unused() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if exists (select from telecom.voucher as voucher where voucher.shop_id = old.shop_id) then
    raise exception 'The shop "%" offers vouchers: delete its unredeemed vouchers first (redeemed ones stay as history).', old.name
      using errcode = 'TC603';
  end if;
  return old;
end;
$$;


--
-- Name: tg_shop__one_kind(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.tg_shop__one_kind() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform 1 from telecom.shop where shop.shop_id = new.shop_id for update;
  if (tg_table_name = 'physical_shop' and exists (select from telecom.e_shop where e_shop.shop_id = new.shop_id))
    or (tg_table_name = 'e_shop' and exists (select from telecom.physical_shop where physical_shop.shop_id = new.shop_id))
  then
    raise exception 'Shop % is already registered as the other kind of shop: a shop is either physical or online.', new.shop_id
      using errcode = 'TC001';
  end if;
  return new;
end;
$$;


--
-- Name: tg_sms_outbox__notify(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.tg_sms_outbox__notify() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  perform pg_notify('telecom_sms_outbox', '');
  return null;
end;
$$;


--
-- Name: FUNCTION tg_sms_outbox__notify(); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.tg_sms_outbox__notify() IS 'Notifies telecom_sms_outbox after SMS are queued, so the server''s sender sends them at once.';


--
-- Name: tg_subscription__dates(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.tg_subscription__dates() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  if tg_op = 'UPDATE' and new.subscription_date <> old.subscription_date then
    raise exception 'A subscription keeps the date it was first made (%).', old.subscription_date using errcode = 'TC013';
  end if;
  if new.subscription_date > current_date then
    raise exception 'A subscription cannot be dated in the future (%).', new.subscription_date using errcode = 'TC011';
  end if;
  if exists (
    select
    from telecom.customer_account as account
    where account.mobile_no = new.mobile_no
      and account.start_date > new.subscription_date
  ) then
    raise exception 'A subscription cannot start (%) before its account.', new.subscription_date using errcode = 'TC012';
  end if;
  return new;
end;
$$;


--
-- Name: tg_usage_event_default__no_month(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.tg_usage_event_default__no_month() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  raise exception 'Usage of % cannot be stored: its month has no partition yet. Run npm run maintenance, which creates this month''s and next month''s.',
    telecom_private.operator_date(new.occurred_at)
    using errcode = 'TC409';
end;
$$;


--
-- Name: FUNCTION tg_usage_event_default__no_month(); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.tg_usage_event_default__no_month() IS 'Refuses a usage event whose month has no partition (TC409), telling to run npm run maintenance.';


--
-- Name: tg_voucher__redeemed_by_expiry(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.tg_voucher__redeemed_by_expiry() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if new.redeem_date > new.expiry_date then
    raise exception 'Voucher % expired on % and cannot be redeemed after that.', new.voucher_id, new.expiry_date using errcode = 'TC017';
  end if;
  return new;
end;
$$;


--
-- Name: tg_wallet__journal(); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.tg_wallet__journal() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
-- The transition tables of its triggers, for plpgsql_check (api/test/schema/plpgsql-check.test.ts):
-- @plpgsql_check_options: oldtable = old_rows, newtable = new_rows
declare
  v_old telecom.wallet[] := '{}'::telecom.wallet[];
  v_new telecom.wallet[] := '{}'::telecom.wallet[];
begin
  if tg_op <> 'INSERT' then
    v_old := array(select old_row from old_rows as old_row);
  end if;
  if tg_op <> 'DELETE' then
    v_new := array(select new_row from new_rows as new_row);
  end if;
  insert into telecom.money_journal (account_kind, mobile_no, wallet_id, national_id, change, balance_after, operation, actor)
  select
    entry.account_kind,
    coalesce(new_row.mobile_no, old_row.mobile_no),
    coalesce(new_row.wallet_id, old_row.wallet_id),
    coalesce(new_row.national_id, old_row.national_id),
    entry.change,
    entry.balance_after,
    coalesce(operation.operation, 'direct'),
    coalesce(operation.actor, 'database:' || session_user)
  from unnest(v_old) as old_row
  full join unnest(v_new) as new_row
    on new_row.wallet_id = old_row.wallet_id
  cross join lateral telecom_private.wallet_journal_entries(old_row.current_balance, new_row.current_balance) as entry
  left join telecom_private.money_operation as operation
    on operation.transaction_id = txid_current()
  order by coalesce(new_row.wallet_id, old_row.wallet_id);
  return null;
end;
$$;


--
-- Name: usage_account_problem(text, date, timestamp with time zone); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.usage_account_problem(p_mobile_no text, p_start_date date, p_occurred_at timestamp with time zone) RETURNS text[]
    LANGUAGE sql STABLE
    AS $$
  select case
    when p_start_date is null then
      array['TC401', format('There is no account with mobile number %s.', p_mobile_no)]
    when telecom_private.operator_date(p_occurred_at) < p_start_date then
      array['TC012', format('Usage cannot start (%s) before its account.', telecom_private.operator_date(p_occurred_at))]
  end
$$;


--
-- Name: FUNCTION usage_account_problem(p_mobile_no text, p_start_date date, p_occurred_at timestamp with time zone); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.usage_account_problem(p_mobile_no text, p_start_date date, p_occurred_at timestamp with time zone) IS 'What is wrong with a usage event given its account''s first day (null: no such account): null, or its code and message (TC401, TC012).';


--
-- Name: usage_event_problem(uuid, telecom.usage_kind, numeric, timestamp with time zone); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.usage_event_problem(p_event_id uuid, p_kind telecom.usage_kind, p_quantity numeric, p_occurred_at timestamp with time zone) RETURNS text[]
    LANGUAGE sql STABLE
    AS $$
  select case
    when p_event_id is null then
      array['TC407', 'A usage event needs its id.']
    when p_kind is null then
      array['TC403', 'A usage event needs its kind: data, voice or sms.']
    when p_quantity is null or p_quantity <= 0 then
      array['TC402', 'The quantity of a usage event must be more than zero.']
    when p_quantity > (case p_kind when 'data' then 1048576 when 'voice' then 1440 else 1000 end) then
      array['TC402', format('The quantity %s is too large for one %s event.', p_quantity, p_kind)]
    when p_occurred_at is null or p_occurred_at > now() then
      array['TC404', format('A usage event cannot happen in the future (%s).', coalesce(p_occurred_at::text, 'no time'))]
    when p_occurred_at < now() - interval '7 days' then
      array['TC405', format('The usage event of %s is more than 7 days old.', p_occurred_at)]
  end
$$;


--
-- Name: FUNCTION usage_event_problem(p_event_id uuid, p_kind telecom.usage_kind, p_quantity numeric, p_occurred_at timestamp with time zone); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.usage_event_problem(p_event_id uuid, p_kind telecom.usage_kind, p_quantity numeric, p_occurred_at timestamp with time zone) IS 'What is wrong with a usage event before its account is looked at: null, or its TC4xx code and message (TC402–TC407).';


--
-- Name: usage_event_reused_problem(uuid); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.usage_event_reused_problem(p_event_id uuid) RETURNS text[]
    LANGUAGE sql IMMUTABLE
    AS $$
  select array['TC406', format('The event id %s was already used for another event.', p_event_id)]
$$;


--
-- Name: FUNCTION usage_event_reused_problem(p_event_id uuid); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.usage_event_reused_problem(p_event_id uuid) IS 'The code and message of an event id used again for another event (TC406).';


--
-- Name: usage_units(uuid, telecom.usage_kind, numeric, timestamp with time zone); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.usage_units(p_event_id uuid, p_kind telecom.usage_kind, p_quantity numeric, p_occurred_at timestamp with time zone) RETURNS integer
    LANGUAGE plpgsql STABLE
    AS $$
declare
  v_problem text[] := telecom_private.usage_event_problem(p_event_id, p_kind, p_quantity, p_occurred_at);
begin
  if v_problem is not null then
    raise exception '%', v_problem[2] using errcode = v_problem[1];
  end if;
  return ceil(p_quantity)::integer;
end;
$$;


--
-- Name: FUNCTION usage_units(p_event_id uuid, p_kind telecom.usage_kind, p_quantity numeric, p_occurred_at timestamp with time zone); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.usage_units(p_event_id uuid, p_kind telecom.usage_kind, p_quantity numeric, p_occurred_at timestamp with time zone) IS 'Checks a usage event (TC402–TC407, usage_event_problem) and returns its quantity rounded up to whole units.';


--
-- Name: use_verification_code(text, text, text); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.use_verification_code(p_mobile_no text, p_purpose text, p_code text) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
declare
  v_login text := 'code:' || p_mobile_no;
  v_address text := telecom_private.client_address();
  v_code telecom_private.verification_code;
  v_asked boolean;
  v_may_guess boolean := false;
  v_checked text;
begin
  -- Attempts of one (number, address) queue up, so concurrent guesses cannot all pass the throttle.
  perform pg_advisory_xact_lock(hashtext(v_login || '@' || v_address));
  perform telecom_private.assert_login_allowed(v_login);
  select *
  into v_code
  from telecom_private.verification_code as code
  where code.mobile_no = p_mobile_no
    and code.purpose = p_purpose
    and code.used_at is null
    and code.expires_at > now()
  order by code.created_at desc
  limit 1;
  -- The bcrypt work first, outside the number's lock: a flood of guesses from many addresses then
  -- never queues the holder behind other people's hashing.
  v_checked := public.crypt(left(coalesce(p_code, ''), 6), coalesce(v_code.code_hash, telecom_private.dummy_password_hash()));
  -- Then, one guess at the number at a time, the code must still be live, and the guess within the
  -- address's tries and, for an address that did not ask for it, within the number's budget; a guess
  -- beyond them is answered false whatever it is, and not counted.
  perform pg_advisory_xact_lock(hashtext(v_login));
  if v_code.code_id is not null then
    select *
    into v_code
    from telecom_private.verification_code as code
    where code.code_id = v_code.code_id
      and code.used_at is null
      and code.expires_at > now()
    for update;
  end if;
  if v_code.code_id is not null then
    v_asked := exists (
      select
      from telecom_private.sms_outbox as sms
      where sms.code_id = v_code.code_id
        and sms.client_address = v_address
    );
    v_may_guess := (
      select count(*) < 5
      from telecom_private.verification_code_guess as guess
      where guess.code_id = v_code.code_id
        and guess.client_address = v_address
    )
    and (
      v_asked
      or (
        select count(*) < 40
        from telecom_private.verification_code as code
        inner join telecom_private.verification_code_guess as guess on guess.code_id = code.code_id
        where code.mobile_no = p_mobile_no
          and code.created_at > now() - interval '24 hours 10 minutes'
          and not guess.by_asking_address
          and guess.guessed_at > now() - interval '24 hours'
      )
    );
  end if;
  if v_may_guess and p_code ~ '^[0-9]{6}$' and v_checked = v_code.code_hash then
    update telecom_private.verification_code as code set used_at = now() where code.code_id = v_code.code_id;
    perform telecom_private.clear_login_failures(v_login);
    return true;
  end if;
  if v_may_guess then
    insert into telecom_private.verification_code_guess (code_id, client_address, by_asking_address)
    values (v_code.code_id, v_address, v_asked);
  end if;
  perform telecom_private.record_login_failure(v_login);
  return false;
end;
$_$;


--
-- Name: FUNCTION use_verification_code(p_mobile_no text, p_purpose text, p_code text); Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON FUNCTION telecom_private.use_verification_code(p_mobile_no text, p_purpose text, p_code text) IS 'Spends the number''s live code for a purpose (register or reset) when it matches. Otherwise returns false and counts a throttled failure, and a wrong guess of the address: 5 per code and address, and for addresses that did not ask for the code also 40 a day per number.';


--
-- Name: wallet_journal_entries(numeric, numeric); Type: FUNCTION; Schema: telecom_private; Owner: -
--

CREATE FUNCTION telecom_private.wallet_journal_entries(p_balance_before numeric, p_balance_after numeric) RETURNS TABLE(account_kind text, change numeric, balance_after numeric)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  select 'wallet_balance', coalesce(p_balance_after, 0) - coalesce(p_balance_before, 0), coalesce(p_balance_after, 0)
  where coalesce(p_balance_after, 0) <> coalesce(p_balance_before, 0)
$$;


--
-- Name: account_bar; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.account_bar (
    mobile_no text NOT NULL,
    invoice_id integer NOT NULL,
    barred_at timestamp with time zone DEFAULT now() NOT NULL,
    previous_status telecom.account_status NOT NULL
);


--
-- Name: TABLE account_bar; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.account_bar IS 'An account put on hold for an unpaid bill (run_collections). It can still pay its bill; when the bill (or a later one) is paid, the row is deleted and the account gets back the status it had before.';


--
-- Name: COLUMN account_bar.mobile_no; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.account_bar.mobile_no IS 'The barred account.';


--
-- Name: COLUMN account_bar.invoice_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.account_bar.invoice_id IS 'The unpaid bill it was barred for.';


--
-- Name: COLUMN account_bar.barred_at; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.account_bar.barred_at IS 'When it was barred.';


--
-- Name: COLUMN account_bar.previous_status; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.account_bar.previous_status IS 'The account''s status before the bar, which lifting the bar restores (an admin''s hold stays).';


--
-- Name: account_payments; Type: VIEW; Schema: telecom; Owner: -
--

CREATE VIEW telecom.account_payments WITH (security_invoker='true') AS
 SELECT payment.payment_id,
    payment.amount,
    payment.date_of_payment,
    payment.payment_method,
    payment.status,
    account.mobile_no,
    account.national_id,
    account.account_type,
    account.status AS account_status
   FROM (telecom.payment payment
     JOIN telecom.customer_account account ON ((account.mobile_no = payment.mobile_no)));


--
-- Name: VIEW account_payments; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON VIEW telecom.account_payments IS '@primaryKey payment_id
Every payment with the account that made it.';


--
-- Name: COLUMN account_payments.amount; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.account_payments.amount IS '@behavior -filterBy -orderBy
Amount paid (EGP).';


--
-- Name: COLUMN account_payments.payment_method; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.account_payments.payment_method IS '@behavior -filterBy -orderBy
cash, credit or wallet.';


--
-- Name: COLUMN account_payments.status; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.account_payments.status IS '@behavior -filterBy -orderBy
Status.';


--
-- Name: COLUMN account_payments.national_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.account_payments.national_id IS '@behavior -orderBy
National id of the account''s owner.';


--
-- Name: COLUMN account_payments.account_type; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.account_payments.account_type IS '@behavior -filterBy -orderBy
post_paid, prepaid or pay_as_you_go.';


--
-- Name: COLUMN account_payments.account_status; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.account_payments.account_status IS '@behavior -filterBy -orderBy
Status of the paying account.';


--
-- Name: account_status_counts; Type: MATERIALIZED VIEW; Schema: telecom; Owner: -
--

CREATE MATERIALIZED VIEW telecom.account_status_counts AS
 SELECT account.status,
    (count(*))::integer AS accounts,
    now() AS as_of
   FROM telecom.customer_account account
  GROUP BY account.status
  WITH NO DATA;


--
-- Name: MATERIALIZED VIEW account_status_counts; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON MATERIALIZED VIEW telecom.account_status_counts IS '@primaryKey status
Accounts per status (active, onhold). Figures as of as_of (refreshed periodically).';


--
-- Name: COLUMN account_status_counts.status; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.account_status_counts.status IS 'The account status.';


--
-- Name: COLUMN account_status_counts.accounts; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.account_status_counts.accounts IS 'Accounts with that status.';


--
-- Name: COLUMN account_status_counts.as_of; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.account_status_counts.as_of IS 'When these figures were computed.';


--
-- Name: benefit; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.benefit (
    benefit_id integer NOT NULL,
    description text NOT NULL,
    validity_date date NOT NULL,
    status telecom.benefit_status DEFAULT 'active'::telecom.benefit_status NOT NULL,
    mobile_no text NOT NULL,
    CONSTRAINT benefit_description_check CHECK ((btrim(description) <> ''::text))
);


--
-- Name: TABLE benefit; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.benefit IS 'A benefit granted to an account: loyalty points, an exclusive offer or cashback.';


--
-- Name: COLUMN benefit.benefit_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.benefit.benefit_id IS 'Identifier of the benefit.';


--
-- Name: COLUMN benefit.description; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.benefit.description IS 'What the benefit is.';


--
-- Name: COLUMN benefit.validity_date; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.benefit.validity_date IS 'The last day the benefit is valid.';


--
-- Name: COLUMN benefit.status; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.benefit.status IS 'Whether the benefit is active or expired.';


--
-- Name: COLUMN benefit.mobile_no; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.benefit.mobile_no IS 'The account the benefit belongs to.';


--
-- Name: all_benefits; Type: VIEW; Schema: telecom; Owner: -
--

CREATE VIEW telecom.all_benefits WITH (security_invoker='true') AS
 SELECT benefit.benefit_id,
    benefit.description,
    benefit.validity_date,
    benefit.status,
    benefit.mobile_no
   FROM telecom.benefit benefit
  WHERE ((benefit.status = 'active'::telecom.benefit_status) AND (benefit.validity_date >= CURRENT_DATE));


--
-- Name: VIEW all_benefits; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON VIEW telecom.all_benefits IS '@primaryKey benefit_id
Benefits that count: active and valid today or later.';


--
-- Name: COLUMN all_benefits.description; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_benefits.description IS '@behavior -filterBy -orderBy
What the benefit gives.';


--
-- Name: COLUMN all_benefits.validity_date; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_benefits.validity_date IS '@behavior -filterBy -orderBy
The last day it is valid.';


--
-- Name: COLUMN all_benefits.status; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_benefits.status IS '@behavior -filterBy -orderBy
active (the view shows no other).';


--
-- Name: COLUMN all_benefits.mobile_no; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_benefits.mobile_no IS 'The account the benefit belongs to.';


--
-- Name: all_customer_accounts; Type: VIEW; Schema: telecom; Owner: -
--

CREATE VIEW telecom.all_customer_accounts WITH (security_invoker='true') AS
 SELECT account.mobile_no,
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
   FROM (telecom.customer_account account
     JOIN telecom.customer_profile profile ON ((profile.national_id = account.national_id)))
  WHERE (account.status = 'active'::telecom.account_status);


--
-- Name: VIEW all_customer_accounts; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON VIEW telecom.all_customer_accounts IS '@primaryKey mobile_no
Active accounts with their customer''s profile.';


--
-- Name: COLUMN all_customer_accounts.first_name; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_customer_accounts.first_name IS '@behavior -filterBy -orderBy
First name of the account''s owner.';


--
-- Name: COLUMN all_customer_accounts.last_name; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_customer_accounts.last_name IS '@behavior -filterBy -orderBy
Last name of the account''s owner.';


--
-- Name: COLUMN all_customer_accounts.email; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_customer_accounts.email IS '@behavior -orderBy
E-mail of the owner; null when none was given.';


--
-- Name: COLUMN all_customer_accounts.address; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_customer_accounts.address IS '@behavior -filterBy -orderBy
Postal address of the owner.';


--
-- Name: COLUMN all_customer_accounts.date_of_birth; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_customer_accounts.date_of_birth IS '@behavior -filterBy -orderBy
Date of birth of the owner.';


--
-- Name: COLUMN all_customer_accounts.balance; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_customer_accounts.balance IS '@behavior -filterBy -orderBy
Account balance (EGP).';


--
-- Name: COLUMN all_customer_accounts.account_type; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_customer_accounts.account_type IS '@behavior -filterBy -orderBy
post_paid, prepaid or pay_as_you_go.';


--
-- Name: COLUMN all_customer_accounts.status; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_customer_accounts.status IS '@behavior -filterBy -orderBy
Always active here.';


--
-- Name: COLUMN all_customer_accounts.points; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_customer_accounts.points IS '@behavior -filterBy -orderBy
Loyalty points.';


--
-- Name: all_resolved_tickets; Type: VIEW; Schema: telecom; Owner: -
--

CREATE VIEW telecom.all_resolved_tickets WITH (security_invoker='true') AS
 SELECT ticket.ticket_id,
    ticket.mobile_no,
    ticket.issue_description,
    ticket.priority_level,
    ticket.status
   FROM telecom.technical_support_ticket ticket
  WHERE (ticket.status = 'resolved'::telecom.ticket_status);


--
-- Name: VIEW all_resolved_tickets; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON VIEW telecom.all_resolved_tickets IS '@primaryKey ticket_id
Support tickets that are resolved.';


--
-- Name: COLUMN all_resolved_tickets.issue_description; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_resolved_tickets.issue_description IS '@behavior -filterBy -orderBy
What the customer reported.';


--
-- Name: COLUMN all_resolved_tickets.status; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_resolved_tickets.status IS '@behavior -filterBy -orderBy
Always resolved here.';


--
-- Name: all_service_plans; Type: VIEW; Schema: telecom; Owner: -
--

CREATE VIEW telecom.all_service_plans WITH (security_invoker='true') AS
 SELECT plan.plan_id,
    plan.name,
    plan.price,
    plan.sms_offered,
    plan.minutes_offered,
    plan.data_offered,
    plan.description
   FROM telecom.service_plan plan;


--
-- Name: VIEW all_service_plans; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON VIEW telecom.all_service_plans IS '@primaryKey plan_id
Every service plan.';


--
-- Name: COLUMN all_service_plans.price; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_service_plans.price IS '@behavior -filterBy -orderBy
Monthly price (EGP).';


--
-- Name: COLUMN all_service_plans.sms_offered; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_service_plans.sms_offered IS '@behavior -filterBy -orderBy
Text messages included per month.';


--
-- Name: COLUMN all_service_plans.minutes_offered; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_service_plans.minutes_offered IS '@behavior -filterBy -orderBy
Call minutes included per month.';


--
-- Name: COLUMN all_service_plans.data_offered; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_service_plans.data_offered IS '@behavior -filterBy -orderBy
Mobile data included per month, in megabytes.';


--
-- Name: COLUMN all_service_plans.description; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_service_plans.description IS '@behavior -filterBy -orderBy
Description.';


--
-- Name: e_shop; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.e_shop (
    shop_id integer NOT NULL,
    url text NOT NULL,
    rating integer NOT NULL,
    CONSTRAINT e_shop_rating_check CHECK (((rating >= 1) AND (rating <= 5))),
    CONSTRAINT e_shop_url_check CHECK ((url ~ '^https?://[^[:space:]]+$'::text))
);


--
-- Name: TABLE e_shop; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.e_shop IS 'An online shop.';


--
-- Name: COLUMN e_shop.shop_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.e_shop.shop_id IS 'The shop.';


--
-- Name: COLUMN e_shop.url; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.e_shop.url IS 'Web address of the shop.';


--
-- Name: COLUMN e_shop.rating; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.e_shop.rating IS 'Customer rating from 1 to 5.';


--
-- Name: physical_shop; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.physical_shop (
    shop_id integer NOT NULL,
    address text NOT NULL,
    working_hours text NOT NULL,
    CONSTRAINT physical_shop_address_check CHECK ((btrim(address) <> ''::text)),
    CONSTRAINT physical_shop_working_hours_check CHECK ((btrim(working_hours) <> ''::text))
);


--
-- Name: TABLE physical_shop; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.physical_shop IS 'A shop with a street address.';


--
-- Name: COLUMN physical_shop.shop_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.physical_shop.shop_id IS 'The shop.';


--
-- Name: COLUMN physical_shop.address; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.physical_shop.address IS 'Street address.';


--
-- Name: COLUMN physical_shop.working_hours; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.physical_shop.working_hours IS 'Opening hours, as shown to customers.';


--
-- Name: shop; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.shop (
    shop_id integer NOT NULL,
    name text NOT NULL,
    category text NOT NULL,
    CONSTRAINT shop_category_check CHECK ((btrim(category) <> ''::text)),
    CONSTRAINT shop_name_check CHECK ((btrim(name) <> ''::text))
);


--
-- Name: TABLE shop; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.shop IS 'A partner shop where vouchers can be spent: either a physical shop or an online shop.';


--
-- Name: COLUMN shop.shop_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.shop.shop_id IS 'Identifier of the shop.';


--
-- Name: COLUMN shop.name; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.shop.name IS 'Name of the shop.';


--
-- Name: COLUMN shop.category; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.shop.category IS 'What the shop sells.';


--
-- Name: all_shops; Type: VIEW; Schema: telecom; Owner: -
--

CREATE VIEW telecom.all_shops WITH (security_invoker='true') AS
 SELECT shop.shop_id,
    shop.name,
    shop.category,
        CASE
            WHEN (physical_shop.shop_id IS NOT NULL) THEN 'physical'::text
            WHEN (e_shop.shop_id IS NOT NULL) THEN 'online'::text
            ELSE NULL::text
        END AS kind,
    physical_shop.address,
    physical_shop.working_hours,
    e_shop.url,
    e_shop.rating
   FROM ((telecom.shop shop
     LEFT JOIN telecom.physical_shop physical_shop ON ((physical_shop.shop_id = shop.shop_id)))
     LEFT JOIN telecom.e_shop e_shop ON ((e_shop.shop_id = shop.shop_id)));


--
-- Name: VIEW all_shops; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON VIEW telecom.all_shops IS '@primaryKey shop_id
Every shop with its kind (physical or online; null while neither is recorded) and that kind''s details.';


--
-- Name: COLUMN all_shops.name; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_shops.name IS '@behavior -filterBy -orderBy
Shop name.';


--
-- Name: COLUMN all_shops.category; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_shops.category IS '@behavior -filterBy -orderBy
Shop category.';


--
-- Name: COLUMN all_shops.kind; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_shops.kind IS '@behavior -filterBy -orderBy
physical or online.';


--
-- Name: COLUMN all_shops.address; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_shops.address IS '@behavior -filterBy -orderBy
Address of a physical shop.';


--
-- Name: COLUMN all_shops.working_hours; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_shops.working_hours IS '@behavior -filterBy -orderBy
Opening hours of a physical shop.';


--
-- Name: COLUMN all_shops.url; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_shops.url IS '@behavior -filterBy -orderBy
Web address of an online shop.';


--
-- Name: COLUMN all_shops.rating; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.all_shops.rating IS '@behavior -filterBy -orderBy
Rating of an online shop, 1 to 5.';


--
-- Name: arpu; Type: MATERIALIZED VIEW; Schema: telecom; Owner: -
--

CREATE MATERIALIZED VIEW telecom.arpu AS
 WITH revenue AS (
         SELECT COALESCE(sum(payment.amount), (0)::numeric) AS revenue
           FROM telecom.payment payment
          WHERE ((payment.status = 'successful'::telecom.payment_status) AND (payment.date_of_payment > (CURRENT_DATE - 30)) AND (payment.date_of_payment <= CURRENT_DATE))
        ), paying AS (
         SELECT (count(DISTINCT subscription.mobile_no))::integer AS paying_subscribers
           FROM telecom.subscription subscription
          WHERE ((subscription.status = 'active'::telecom.subscription_status) AND (CURRENT_DATE < subscription.paid_until))
        )
 SELECT CURRENT_DATE AS as_of_date,
    revenue.revenue,
    paying.paying_subscribers,
        CASE
            WHEN (paying.paying_subscribers > 0) THEN round((revenue.revenue / (paying.paying_subscribers)::numeric), 2)
            ELSE NULL::numeric
        END AS arpu,
    now() AS as_of
   FROM (revenue
     CROSS JOIN paying)
  WITH NO DATA;


--
-- Name: MATERIALIZED VIEW arpu; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON MATERIALIZED VIEW telecom.arpu IS '@primaryKey as_of_date
Average revenue per paying subscriber: the successful payments dated in the 30 days up to the refresh (plans and balance recharges), over the accounts with at least one paid subscription that day (docs/usage.md). Figures as of as_of (refreshed periodically).';


--
-- Name: COLUMN arpu.as_of_date; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.arpu.as_of_date IS 'The day the figure is for (the last day of the 30).';


--
-- Name: COLUMN arpu.revenue; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.arpu.revenue IS 'Sum of the successful payments dated in the 30 days up to as_of_date (EGP).';


--
-- Name: COLUMN arpu.paying_subscribers; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.arpu.paying_subscribers IS 'Accounts with at least one subscription that is active and paid for as_of_date (as_of_date < paid_until).';


--
-- Name: COLUMN arpu.arpu; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.arpu.arpu IS 'revenue / paying_subscribers (EGP); null while nobody pays.';


--
-- Name: COLUMN arpu.as_of; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.arpu.as_of IS 'When the figure was computed.';


--
-- Name: barred_accounts; Type: VIEW; Schema: telecom; Owner: -
--

CREATE VIEW telecom.barred_accounts WITH (security_invoker='true') AS
 SELECT bar.mobile_no,
    ((profile.first_name || ' '::text) || profile.last_name) AS customer_name,
    barring.invoice_no,
    COALESCE((due.amount_due - due.paid_amount), (0)::numeric) AS amount_still_due,
    bar.barred_at
   FROM ((((telecom.account_bar bar
     JOIN telecom.customer_account account ON ((account.mobile_no = bar.mobile_no)))
     JOIN telecom.customer_profile profile ON ((profile.national_id = account.national_id)))
     JOIN telecom.invoice barring ON ((barring.invoice_id = bar.invoice_id)))
     LEFT JOIN telecom.invoice due ON (((due.mobile_no = bar.mobile_no) AND (due.status = 'issued'::telecom.invoice_status))));


--
-- Name: VIEW barred_accounts; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON VIEW telecom.barred_accounts IS '@primaryKey mobile_no
Accounts on hold for an unpaid bill. Paying the bill due lifts the bar at once (initiate_balance_payment).';


--
-- Name: COLUMN barred_accounts.mobile_no; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.barred_accounts.mobile_no IS 'The barred number.';


--
-- Name: COLUMN barred_accounts.customer_name; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.barred_accounts.customer_name IS '@behavior -filterBy -orderBy
The account owner''s first and last name.';


--
-- Name: COLUMN barred_accounts.invoice_no; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.barred_accounts.invoice_no IS '@behavior -filterBy -orderBy
The unpaid bill it was barred for (its remainder may since be carried into a later bill).';


--
-- Name: COLUMN barred_accounts.amount_still_due; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.barred_accounts.amount_still_due IS '@behavior -filterBy -orderBy
What is still due on the account''s bill to pay.';


--
-- Name: COLUMN barred_accounts.barred_at; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.barred_accounts.barred_at IS '@behavior -filterBy
When it was barred.';


--
-- Name: benefit_benefit_id_seq; Type: SEQUENCE; Schema: telecom; Owner: -
--

ALTER TABLE telecom.benefit ALTER COLUMN benefit_id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME telecom.benefit_benefit_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: bill_run_request_request_id_seq; Type: SEQUENCE; Schema: telecom; Owner: -
--

ALTER TABLE telecom.bill_run_request ALTER COLUMN request_id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME telecom.bill_run_request_request_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: bill_run_summary; Type: MATERIALIZED VIEW; Schema: telecom; Owner: -
--

CREATE MATERIALIZED VIEW telecom.bill_run_summary AS
 SELECT invoice.bill_date,
    (count(*))::integer AS bills_issued,
    sum(invoice.total) AS amount_billed,
    sum(invoice.vat) AS vat,
    sum(invoice.paid_amount) AS paid_amount,
    COALESCE(sum((invoice.amount_due - invoice.paid_amount)) FILTER (WHERE (invoice.status = 'issued'::telecom.invoice_status)), (0)::numeric) AS open_amount,
    now() AS as_of
   FROM telecom.invoice invoice
  GROUP BY invoice.bill_date
  WITH NO DATA;


--
-- Name: MATERIALIZED VIEW bill_run_summary; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON MATERIALIZED VIEW telecom.bill_run_summary IS '@primaryKey bill_date
Each bill run: the bills it issued, what they billed and what has been paid of them. Figures as of as_of (refreshed every few minutes and after each bill run).';


--
-- Name: COLUMN bill_run_summary.bill_date; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.bill_run_summary.bill_date IS 'The 1st of the month billed.';


--
-- Name: COLUMN bill_run_summary.bills_issued; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.bill_run_summary.bills_issued IS 'Bills issued for that month.';


--
-- Name: COLUMN bill_run_summary.amount_billed; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.bill_run_summary.amount_billed IS 'The sum of their totals (plan fees, usage and VAT; the earlier bills carried into them not counted).';


--
-- Name: COLUMN bill_run_summary.vat; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.bill_run_summary.vat IS 'The VAT they charged.';


--
-- Name: COLUMN bill_run_summary.paid_amount; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.bill_run_summary.paid_amount IS 'What payments and credit notes have settled of them so far.';


--
-- Name: COLUMN bill_run_summary.open_amount; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.bill_run_summary.open_amount IS 'What is still due on those of them still issued (a carried bill''s remainder is due on the next month''s bill).';


--
-- Name: COLUMN bill_run_summary.as_of; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.bill_run_summary.as_of IS 'When these figures were computed.';


--
-- Name: cashback_cashback_id_seq; Type: SEQUENCE; Schema: telecom; Owner: -
--

ALTER TABLE telecom.cashback ALTER COLUMN cashback_id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME telecom.cashback_cashback_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: collection_step; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.collection_step (
    invoice_id integer NOT NULL,
    step telecom.collection_step_kind NOT NULL,
    taken_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: TABLE collection_step; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.collection_step IS 'The steps taken to collect an unpaid bill (run_collections), each at most once per bill: a reminder 3 days before the due date, overdue the day after it, barred 14 days after it.';


--
-- Name: COLUMN collection_step.invoice_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.collection_step.invoice_id IS 'The unpaid bill.';


--
-- Name: COLUMN collection_step.step; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.collection_step.step IS 'reminder, overdue or barred.';


--
-- Name: COLUMN collection_step.taken_at; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.collection_step.taken_at IS 'When the step was taken.';


--
-- Name: credit_note_credit_note_id_seq; Type: SEQUENCE; Schema: telecom; Owner: -
--

ALTER TABLE telecom.credit_note ALTER COLUMN credit_note_id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME telecom.credit_note_credit_note_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: customer_receipts; Type: VIEW; Schema: telecom; Owner: -
--

CREATE VIEW telecom.customer_receipts WITH (security_invoker='true') AS
 SELECT ('PAY-'::text || payment.payment_id) AS reference,
    account.national_id,
    payment.mobile_no,
    'payment'::text AS kind,
    payment.date_of_payment AS receipt_date,
    payment.amount,
    payment.currency,
    ((((COALESCE(('Plan '::text || plan.name), 'Balance recharge'::text) || ' by '::text) || payment.payment_method) || ': '::text) || payment.status) AS description
   FROM (((telecom.payment payment
     JOIN telecom.customer_account account ON ((account.mobile_no = payment.mobile_no)))
     LEFT JOIN telecom.process_payment process ON ((process.payment_id = payment.payment_id)))
     LEFT JOIN telecom.service_plan plan ON ((plan.plan_id = process.plan_id)))
UNION ALL
 SELECT ('TRF-'::text || transfer.transfer_id) AS reference,
    sender.national_id,
    sender.mobile_no,
    'transfer_sent'::text AS kind,
    transfer.transfer_date AS receipt_date,
    transfer.amount,
    sender.currency,
    'Transfer sent'::text AS description
   FROM (telecom.transfer_money transfer
     JOIN telecom.wallet sender ON ((sender.wallet_id = transfer.from_wallet_id)))
UNION ALL
 SELECT ('TRF-'::text || transfer.transfer_id) AS reference,
    recipient.national_id,
    recipient.mobile_no,
    'transfer_received'::text AS kind,
    transfer.transfer_date AS receipt_date,
    transfer.amount,
    recipient.currency,
    'Transfer received'::text AS description
   FROM (telecom.transfer_money transfer
     JOIN telecom.wallet recipient ON ((recipient.wallet_id = transfer.to_wallet_id)))
UNION ALL
 SELECT ('CSH-'::text || cashback.cashback_id) AS reference,
    wallet.national_id,
    wallet.mobile_no,
    'cashback'::text AS kind,
    cashback.credit_date AS receipt_date,
    cashback.amount,
    wallet.currency,
    ('Cashback: '::text || benefit.description) AS description
   FROM ((telecom.cashback cashback
     JOIN telecom.wallet wallet ON ((wallet.wallet_id = cashback.wallet_id)))
     JOIN telecom.benefit benefit ON ((benefit.benefit_id = cashback.benefit_id)))
UNION ALL
 SELECT ('VCH-'::text || voucher.voucher_id) AS reference,
    account.national_id,
    voucher.mobile_no,
    'voucher'::text AS kind,
    voucher.redeem_date AS receipt_date,
    voucher.value AS amount,
    'EGP'::text AS currency,
    (((('Voucher of '::text || shop.name) || ' for '::text) || voucher.points) || ' points'::text) AS description
   FROM ((telecom.voucher voucher
     JOIN telecom.customer_account account ON ((account.mobile_no = voucher.mobile_no)))
     JOIN telecom.shop shop ON ((shop.shop_id = voucher.shop_id)));


--
-- Name: VIEW customer_receipts; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON VIEW telecom.customer_receipts IS '@primaryKey reference,kind
Receipts: every payment (PAY-), transfer sent or received (TRF-), cashback credit (CSH-) and voucher redemption (VCH-) of a person, with its date, amount and what it was for. Customers see their own.';


--
-- Name: COLUMN customer_receipts.reference; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_receipts.reference IS 'What to quote: PAY-, TRF-, CSH- or VCH- and the id.';


--
-- Name: COLUMN customer_receipts.national_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_receipts.national_id IS 'The person the receipt belongs to.';


--
-- Name: COLUMN customer_receipts.mobile_no; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_receipts.mobile_no IS 'The number (or the wallet''s number) concerned.';


--
-- Name: COLUMN customer_receipts.kind; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_receipts.kind IS 'payment, transfer_sent, transfer_received, cashback or voucher.';


--
-- Name: COLUMN customer_receipts.receipt_date; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_receipts.receipt_date IS 'The day it happened.';


--
-- Name: COLUMN customer_receipts.amount; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_receipts.amount IS 'The amount (a voucher''s value), always positive; kind says the direction.';


--
-- Name: COLUMN customer_receipts.currency; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_receipts.currency IS 'The currency of the amount.';


--
-- Name: COLUMN customer_receipts.description; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_receipts.description IS 'What it was for.';


--
-- Name: customer_wallet; Type: VIEW; Schema: telecom; Owner: -
--

CREATE VIEW telecom.customer_wallet WITH (security_invoker='true') AS
 SELECT wallet.wallet_id,
    wallet.national_id,
    wallet.mobile_no,
    wallet.current_balance,
    wallet.currency,
    wallet.last_modified_date,
    profile.first_name,
    profile.last_name
   FROM (telecom.wallet wallet
     JOIN telecom.customer_profile profile ON ((profile.national_id = wallet.national_id)));


--
-- Name: VIEW customer_wallet; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON VIEW telecom.customer_wallet IS '@primaryKey wallet_id
Every wallet with its owner''s first and last name.';


--
-- Name: COLUMN customer_wallet.currency; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_wallet.currency IS '@behavior -filterBy -orderBy
Currency of the wallet.';


--
-- Name: COLUMN customer_wallet.last_modified_date; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_wallet.last_modified_date IS '@behavior -filterBy -orderBy
Day of the last change of the balance.';


--
-- Name: COLUMN customer_wallet.first_name; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_wallet.first_name IS '@behavior -filterBy -orderBy
First name of the account''s owner.';


--
-- Name: COLUMN customer_wallet.last_name; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.customer_wallet.last_name IS '@behavior -filterBy -orderBy
Last name of the account''s owner.';


--
-- Name: e_shop_vouchers; Type: VIEW; Schema: telecom; Owner: -
--

CREATE VIEW telecom.e_shop_vouchers WITH (security_invoker='true') AS
 SELECT shop.shop_id,
    shop.name,
    e_shop.url,
    voucher.voucher_id,
    voucher.value,
    voucher.mobile_no,
    voucher.redeem_date
   FROM ((telecom.e_shop e_shop
     JOIN telecom.shop shop ON ((shop.shop_id = e_shop.shop_id)))
     JOIN telecom.voucher voucher ON ((voucher.shop_id = e_shop.shop_id)));


--
-- Name: VIEW e_shop_vouchers; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON VIEW telecom.e_shop_vouchers IS '@primaryKey voucher_id
Online shops with every voucher they offer and its redemption (mobile_no and redeem_date, null while unredeemed).';


--
-- Name: COLUMN e_shop_vouchers.name; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.e_shop_vouchers.name IS '@behavior -filterBy -orderBy
Shop name.';


--
-- Name: COLUMN e_shop_vouchers.url; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.e_shop_vouchers.url IS '@behavior -filterBy -orderBy
Web address of the online shop.';


--
-- Name: COLUMN e_shop_vouchers.value; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.e_shop_vouchers.value IS '@behavior -filterBy -orderBy
The voucher''s value (EGP).';


--
-- Name: COLUMN e_shop_vouchers.mobile_no; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.e_shop_vouchers.mobile_no IS 'The account that redeemed the voucher; null while unredeemed.';


--
-- Name: COLUMN e_shop_vouchers.redeem_date; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.e_shop_vouchers.redeem_date IS '@behavior -filterBy -orderBy
The day it was redeemed; null while unredeemed.';


--
-- Name: exclusive_offer_offer_id_seq; Type: SEQUENCE; Schema: telecom; Owner: -
--

ALTER TABLE telecom.exclusive_offer ALTER COLUMN offer_id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME telecom.exclusive_offer_offer_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: invoice_invoice_id_seq; Type: SEQUENCE; Schema: telecom; Owner: -
--

ALTER TABLE telecom.invoice ALTER COLUMN invoice_id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME telecom.invoice_invoice_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: invoice_line; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.invoice_line (
    invoice_id integer NOT NULL,
    line_no integer NOT NULL,
    kind telecom.invoice_line_kind NOT NULL,
    plan_id integer,
    usage_kind telecom.usage_kind,
    description text NOT NULL,
    quantity numeric NOT NULL,
    amount numeric(12,2) NOT NULL,
    CONSTRAINT invoice_line_line_no_check CHECK ((line_no >= 1))
);


--
-- Name: TABLE invoice_line; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.invoice_line IS 'A line of a bill: a plan''s fee for the days charged, or the month''s charged usage of one kind.';


--
-- Name: COLUMN invoice_line.invoice_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.invoice_line.invoice_id IS 'The bill.';


--
-- Name: COLUMN invoice_line.line_no; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.invoice_line.line_no IS 'The line''s place on the bill, from 1: plan fees by the first day charged then plan, then usage (data, voice, sms).';


--
-- Name: COLUMN invoice_line.kind; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.invoice_line.kind IS 'plan_fee or usage.';


--
-- Name: COLUMN invoice_line.plan_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.invoice_line.plan_id IS 'The plan of a plan fee; null for usage.';


--
-- Name: COLUMN invoice_line.usage_kind; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.invoice_line.usage_kind IS 'The kind of usage of a usage line; null for a plan fee.';


--
-- Name: COLUMN invoice_line.description; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.invoice_line.description IS 'What the line is, as the bill prints it.';


--
-- Name: COLUMN invoice_line.quantity; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.invoice_line.quantity IS 'The days charged (a plan fee) or the units charged beyond the allowances (MB, minutes, messages).';


--
-- Name: COLUMN invoice_line.amount; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.invoice_line.amount IS 'The line''s amount, before VAT.';


--
-- Name: money_journal; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.money_journal (
    journal_id bigint NOT NULL,
    account_kind text NOT NULL,
    mobile_no text NOT NULL,
    wallet_id integer,
    national_id integer NOT NULL,
    change numeric(12,2) NOT NULL,
    balance_after numeric(12,2) NOT NULL,
    operation text NOT NULL,
    actor text NOT NULL,
    transaction_id bigint DEFAULT txid_current() NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT money_journal_account_kind_check CHECK ((account_kind = ANY (ARRAY['account_balance'::text, 'account_points'::text, 'wallet_balance'::text]))),
    CONSTRAINT money_journal_change_check CHECK ((change <> (0)::numeric)),
    CONSTRAINT money_journal_check CHECK (((account_kind = 'wallet_balance'::text) = (wallet_id IS NOT NULL)))
);


--
-- Name: TABLE money_journal; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.money_journal IS 'Every change of an account balance, an account''s loyalty points or a wallet balance, with its cause. Summing the changes re-derives any balance (see audit_balances). Written by the database only.';


--
-- Name: COLUMN money_journal.journal_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.money_journal.journal_id IS 'Order of the entries: a later entry of the same balance has a higher id.';


--
-- Name: COLUMN money_journal.account_kind; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.money_journal.account_kind IS 'What changed: account_balance (money on the account), account_points (loyalty points) or wallet_balance.';


--
-- Name: COLUMN money_journal.mobile_no; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.money_journal.mobile_no IS 'The account, or for a wallet the number it is linked to.';


--
-- Name: COLUMN money_journal.wallet_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.money_journal.wallet_id IS 'The wallet, for wallet_balance entries; null otherwise.';


--
-- Name: COLUMN money_journal.national_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.money_journal.national_id IS 'The customer who owned the balance at the time.';


--
-- Name: COLUMN money_journal.change; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.money_journal.change IS 'How much the balance changed: positive in, negative out. Opening a balance is a change from 0, closing one a change to 0.';


--
-- Name: COLUMN money_journal.balance_after; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.money_journal.balance_after IS 'The balance after the change.';


--
-- Name: COLUMN money_journal.operation; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.money_journal.operation IS 'The function that made the change (e.g. transfer_to_mobile), or direct for a change made outside the functions (migrations, sample data, a DBA).';


--
-- Name: COLUMN money_journal.actor; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.money_journal.actor IS 'Who made the request: customer:<national_id>, admin:<admin_id> or database:<login>.';


--
-- Name: COLUMN money_journal.transaction_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.money_journal.transaction_id IS 'The database transaction: entries of one operation (both sides of a transfer) share it.';


--
-- Name: COLUMN money_journal.recorded_at; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.money_journal.recorded_at IS 'When the change was made.';


--
-- Name: money_journal_journal_id_seq; Type: SEQUENCE; Schema: telecom; Owner: -
--

ALTER TABLE telecom.money_journal ALTER COLUMN journal_id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME telecom.money_journal_journal_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: new_accounts_per_month; Type: MATERIALIZED VIEW; Schema: telecom; Owner: -
--

CREATE MATERIALIZED VIEW telecom.new_accounts_per_month AS
 SELECT (date_trunc('month'::text, (account.start_date)::timestamp with time zone))::date AS month,
    (count(*))::integer AS new_accounts,
    now() AS as_of
   FROM telecom.customer_account account
  GROUP BY ((date_trunc('month'::text, (account.start_date)::timestamp with time zone))::date)
  WITH NO DATA;


--
-- Name: MATERIALIZED VIEW new_accounts_per_month; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON MATERIALIZED VIEW telecom.new_accounts_per_month IS '@primaryKey month
Accounts (numbers) opened per calendar month, by their start_date. Figures as of as_of (refreshed periodically).';


--
-- Name: COLUMN new_accounts_per_month.month; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.new_accounts_per_month.month IS 'The first day of the month.';


--
-- Name: COLUMN new_accounts_per_month.new_accounts; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.new_accounts_per_month.new_accounts IS 'Accounts whose start_date is in the month.';


--
-- Name: COLUMN new_accounts_per_month.as_of; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.new_accounts_per_month.as_of IS 'When these figures were computed.';


--
-- Name: num_of_cashback; Type: VIEW; Schema: telecom; Owner: -
--

CREATE VIEW telecom.num_of_cashback WITH (security_invoker='true') AS
 SELECT wallet.wallet_id,
    ( SELECT (count(*))::integer AS count
           FROM telecom.cashback cashback
          WHERE (cashback.wallet_id = wallet.wallet_id)) AS cashback_count
   FROM telecom.wallet wallet
  WHERE (EXISTS ( SELECT
           FROM telecom.cashback cashback
          WHERE (cashback.wallet_id = wallet.wallet_id)));


--
-- Name: VIEW num_of_cashback; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON VIEW telecom.num_of_cashback IS '@primaryKey wallet_id
How many cashback credits each wallet received (wallets without any are not listed).';


--
-- Name: COLUMN num_of_cashback.cashback_count; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.num_of_cashback.cashback_count IS '@behavior -filterBy -orderBy
Number of cashback credits.';


--
-- Name: open_tickets_by_priority; Type: MATERIALIZED VIEW; Schema: telecom; Owner: -
--

CREATE MATERIALIZED VIEW telecom.open_tickets_by_priority AS
 SELECT ticket.priority_level,
    (count(*) FILTER (WHERE (ticket.status = 'open'::telecom.ticket_status)))::integer AS open_tickets,
    (count(*) FILTER (WHERE (ticket.status = 'in_progress'::telecom.ticket_status)))::integer AS in_progress_tickets,
    now() AS as_of
   FROM telecom.technical_support_ticket ticket
  WHERE (ticket.status <> 'resolved'::telecom.ticket_status)
  GROUP BY ticket.priority_level
  WITH NO DATA;


--
-- Name: MATERIALIZED VIEW open_tickets_by_priority; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON MATERIALIZED VIEW telecom.open_tickets_by_priority IS '@primaryKey priority_level
Support tickets not yet resolved, per priority (1 to 5). Figures as of as_of (refreshed periodically).';


--
-- Name: COLUMN open_tickets_by_priority.priority_level; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.open_tickets_by_priority.priority_level IS 'The priority, 1 to 5.';


--
-- Name: COLUMN open_tickets_by_priority.open_tickets; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.open_tickets_by_priority.open_tickets IS 'Tickets with status open.';


--
-- Name: COLUMN open_tickets_by_priority.in_progress_tickets; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.open_tickets_by_priority.in_progress_tickets IS 'Tickets with status in_progress.';


--
-- Name: COLUMN open_tickets_by_priority.as_of; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.open_tickets_by_priority.as_of IS 'When these figures were computed.';


--
-- Name: payment_payment_id_seq; Type: SEQUENCE; Schema: telecom; Owner: -
--

ALTER TABLE telecom.payment ALTER COLUMN payment_id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME telecom.payment_payment_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: physical_store_vouchers; Type: VIEW; Schema: telecom; Owner: -
--

CREATE VIEW telecom.physical_store_vouchers WITH (security_invoker='true') AS
 SELECT shop.shop_id,
    shop.name,
    physical_shop.address,
    voucher.voucher_id,
    voucher.value,
    voucher.mobile_no,
    voucher.redeem_date
   FROM ((telecom.physical_shop physical_shop
     JOIN telecom.shop shop ON ((shop.shop_id = physical_shop.shop_id)))
     JOIN telecom.voucher voucher ON ((voucher.shop_id = physical_shop.shop_id)));


--
-- Name: VIEW physical_store_vouchers; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON VIEW telecom.physical_store_vouchers IS '@primaryKey voucher_id
Physical shops with every voucher they offer and its redemption (mobile_no and redeem_date, null while unredeemed).';


--
-- Name: COLUMN physical_store_vouchers.name; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.physical_store_vouchers.name IS '@behavior -filterBy -orderBy
Shop name.';


--
-- Name: COLUMN physical_store_vouchers.address; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.physical_store_vouchers.address IS '@behavior -filterBy -orderBy
Address of the physical shop.';


--
-- Name: COLUMN physical_store_vouchers.value; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.physical_store_vouchers.value IS '@behavior -filterBy -orderBy
The voucher''s value (EGP).';


--
-- Name: COLUMN physical_store_vouchers.mobile_no; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.physical_store_vouchers.mobile_no IS 'The account that redeemed the voucher; null while unredeemed.';


--
-- Name: COLUMN physical_store_vouchers.redeem_date; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.physical_store_vouchers.redeem_date IS '@behavior -filterBy -orderBy
The day it was redeemed; null while unredeemed.';


--
-- Name: plan_charge; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.plan_charge (
    plan_charge_id integer NOT NULL,
    mobile_no text NOT NULL,
    plan_id integer NOT NULL,
    charge_from date NOT NULL,
    charge_to date NOT NULL,
    amount numeric(12,2) NOT NULL,
    invoice_id integer,
    CONSTRAINT plan_charge_amount_check CHECK ((amount > (0)::numeric)),
    CONSTRAINT plan_charge_dates_check CHECK ((charge_to >= charge_from))
);


--
-- Name: TABLE plan_charge; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.plan_charge IS 'A post-paid plan''s fee for some days, debited from the balance when it was charged (on subscribing or resuming, or by the bill run) and billed once.';


--
-- Name: COLUMN plan_charge.plan_charge_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.plan_charge.plan_charge_id IS 'Identifier of the charge.';


--
-- Name: COLUMN plan_charge.mobile_no; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.plan_charge.mobile_no IS 'The charged account.';


--
-- Name: COLUMN plan_charge.plan_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.plan_charge.plan_id IS 'The plan whose fee it is.';


--
-- Name: COLUMN plan_charge.charge_from; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.plan_charge.charge_from IS 'The first day the fee pays for.';


--
-- Name: COLUMN plan_charge.charge_to; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.plan_charge.charge_to IS 'The last day the fee pays for.';


--
-- Name: COLUMN plan_charge.amount; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.plan_charge.amount IS 'The fee: the price, prorated to the days left in the month when the plan started mid-month.';


--
-- Name: COLUMN plan_charge.invoice_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.plan_charge.invoice_id IS 'The bill it is on; null until a bill run bills it.';


--
-- Name: plan_charge_plan_charge_id_seq; Type: SEQUENCE; Schema: telecom; Owner: -
--

ALTER TABLE telecom.plan_charge ALTER COLUMN plan_charge_id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME telecom.plan_charge_plan_charge_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: plan_provides_benefits; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.plan_provides_benefits (
    plan_id integer NOT NULL,
    benefit_id integer NOT NULL
);


--
-- Name: TABLE plan_provides_benefits; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.plan_provides_benefits IS 'Which benefits came with which plan.';


--
-- Name: COLUMN plan_provides_benefits.plan_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.plan_provides_benefits.plan_id IS 'The plan.';


--
-- Name: COLUMN plan_provides_benefits.benefit_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.plan_provides_benefits.benefit_id IS 'A benefit the plan provides.';


--
-- Name: plan_usage; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.plan_usage (
    usage_id integer NOT NULL,
    mobile_no text NOT NULL,
    plan_id integer NOT NULL,
    start_date date NOT NULL,
    end_date date NOT NULL,
    data_consumption integer DEFAULT 0 NOT NULL,
    minutes_used integer DEFAULT 0 NOT NULL,
    sms_sent integer DEFAULT 0 NOT NULL,
    CONSTRAINT plan_usage_check CHECK ((end_date >= start_date)),
    CONSTRAINT plan_usage_data_consumption_check CHECK ((data_consumption >= 0)),
    CONSTRAINT plan_usage_minutes_used_check CHECK ((minutes_used >= 0)),
    CONSTRAINT plan_usage_sms_sent_check CHECK ((sms_sent >= 0))
);


--
-- Name: TABLE plan_usage; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.plan_usage IS 'A usage record: what an account consumed of a plan between two dates.';


--
-- Name: COLUMN plan_usage.usage_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.plan_usage.usage_id IS 'Identifier of the usage record.';


--
-- Name: COLUMN plan_usage.mobile_no; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.plan_usage.mobile_no IS 'The account that used the service.';


--
-- Name: COLUMN plan_usage.plan_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.plan_usage.plan_id IS 'The plan the usage counts against.';


--
-- Name: COLUMN plan_usage.start_date; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.plan_usage.start_date IS 'First day covered by the record.';


--
-- Name: COLUMN plan_usage.end_date; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.plan_usage.end_date IS 'Last day covered by the record.';


--
-- Name: COLUMN plan_usage.data_consumption; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.plan_usage.data_consumption IS 'Mobile data used, in megabytes.';


--
-- Name: COLUMN plan_usage.minutes_used; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.plan_usage.minutes_used IS 'Call minutes used.';


--
-- Name: COLUMN plan_usage.sms_sent; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.plan_usage.sms_sent IS 'Text messages sent.';


--
-- Name: plan_usage_usage_id_seq; Type: SEQUENCE; Schema: telecom; Owner: -
--

ALTER TABLE telecom.plan_usage ALTER COLUMN usage_id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME telecom.plan_usage_usage_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: points_group; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.points_group (
    point_id integer NOT NULL,
    benefit_id integer NOT NULL,
    points_amount integer NOT NULL,
    payment_id integer NOT NULL,
    CONSTRAINT points_group_points_amount_check CHECK ((points_amount > 0))
);


--
-- Name: TABLE points_group; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.points_group IS 'Loyalty points a payment earned through a benefit.';


--
-- Name: COLUMN points_group.point_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.points_group.point_id IS 'Identifier of the points group.';


--
-- Name: COLUMN points_group.benefit_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.points_group.benefit_id IS 'The benefit that granted the points.';


--
-- Name: COLUMN points_group.points_amount; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.points_group.points_amount IS 'How many points were earned.';


--
-- Name: COLUMN points_group.payment_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.points_group.payment_id IS 'The payment that earned them.';


--
-- Name: points_group_point_id_seq; Type: SEQUENCE; Schema: telecom; Owner: -
--

ALTER TABLE telecom.points_group ALTER COLUMN point_id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME telecom.points_group_point_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: revenue_per_month; Type: MATERIALIZED VIEW; Schema: telecom; Owner: -
--

CREATE MATERIALIZED VIEW telecom.revenue_per_month AS
 SELECT (date_trunc('month'::text, (payment.date_of_payment)::timestamp with time zone))::date AS month,
    sum(payment.amount) AS revenue,
    (count(*))::integer AS payment_count,
    (count(DISTINCT payment.mobile_no))::integer AS paying_accounts,
    round((sum(payment.amount) / (count(DISTINCT payment.mobile_no))::numeric), 2) AS arpu,
    now() AS as_of
   FROM telecom.payment payment
  WHERE (payment.status = 'successful'::telecom.payment_status)
  GROUP BY ((date_trunc('month'::text, (payment.date_of_payment)::timestamp with time zone))::date)
  WITH NO DATA;


--
-- Name: MATERIALIZED VIEW revenue_per_month; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON MATERIALIZED VIEW telecom.revenue_per_month IS '@primaryKey month
Revenue per calendar month: successful payments by their date_of_payment. Figures as of as_of (refreshed periodically).';


--
-- Name: COLUMN revenue_per_month.month; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.revenue_per_month.month IS 'The first day of the month.';


--
-- Name: COLUMN revenue_per_month.revenue; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.revenue_per_month.revenue IS 'Sum of the successful payments dated in the month (EGP).';


--
-- Name: COLUMN revenue_per_month.payment_count; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.revenue_per_month.payment_count IS 'Number of successful payments dated in the month.';


--
-- Name: COLUMN revenue_per_month.paying_accounts; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.revenue_per_month.paying_accounts IS 'Accounts with at least one successful payment dated in the month.';


--
-- Name: COLUMN revenue_per_month.arpu; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.revenue_per_month.arpu IS 'Average revenue per paying account: revenue / paying_accounts (EGP).';


--
-- Name: COLUMN revenue_per_month.as_of; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.revenue_per_month.as_of IS 'When these figures were computed.';


--
-- Name: service_plan_plan_id_seq; Type: SEQUENCE; Schema: telecom; Owner: -
--

ALTER TABLE telecom.service_plan ALTER COLUMN plan_id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME telecom.service_plan_plan_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: shop_shop_id_seq; Type: SEQUENCE; Schema: telecom; Owner: -
--

ALTER TABLE telecom.shop ALTER COLUMN shop_id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME telecom.shop_shop_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: tariff; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.tariff (
    kind telecom.usage_kind NOT NULL,
    unit_price numeric(12,4) NOT NULL,
    CONSTRAINT tariff_unit_price_check CHECK ((unit_price > (0)::numeric))
);


--
-- Name: TABLE tariff; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.tariff IS 'The price of usage beyond a plan''s allowances, per unit of each kind.';


--
-- Name: COLUMN tariff.kind; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.tariff.kind IS 'The kind of usage: data (MB), voice (minutes) or sms (messages).';


--
-- Name: COLUMN tariff.unit_price; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.tariff.unit_price IS 'Price of one MB, minute or message beyond the allowances (EGP); a charge is round(units × unit_price, 2).';


--
-- Name: technical_support_ticket_ticket_id_seq; Type: SEQUENCE; Schema: telecom; Owner: -
--

ALTER TABLE telecom.technical_support_ticket ALTER COLUMN ticket_id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME telecom.technical_support_ticket_ticket_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: transfer_money_transfer_id_seq; Type: SEQUENCE; Schema: telecom; Owner: -
--

ALTER TABLE telecom.transfer_money ALTER COLUMN transfer_id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME telecom.transfer_money_transfer_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: usage_alert; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.usage_alert (
    mobile_no text NOT NULL,
    plan_id integer NOT NULL,
    kind telecom.usage_kind NOT NULL,
    period_start date NOT NULL,
    threshold smallint NOT NULL,
    raised_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT usage_alert_period_start_check CHECK ((EXTRACT(day FROM period_start) = (1)::numeric)),
    CONSTRAINT usage_alert_threshold_check CHECK ((threshold = ANY (ARRAY[80, 100])))
);


--
-- Name: TABLE usage_alert; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.usage_alert IS 'An allowance crossing 80 % or 100 % of a plan''s monthly amount: raised once per account, plan, kind, month and threshold.
@behavior -insert -update -delete';


--
-- Name: COLUMN usage_alert.mobile_no; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_alert.mobile_no IS 'The account.';


--
-- Name: COLUMN usage_alert.plan_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_alert.plan_id IS 'The plan whose allowance it is.';


--
-- Name: COLUMN usage_alert.kind; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_alert.kind IS 'data, voice or sms.';


--
-- Name: COLUMN usage_alert.period_start; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_alert.period_start IS 'The first day of the calendar month of the allowance.';


--
-- Name: COLUMN usage_alert.threshold; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_alert.threshold IS '80 or 100 (per cent of the allowance used).';


--
-- Name: COLUMN usage_alert.raised_at; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_alert.raised_at IS 'When the usage crossed the threshold.';


--
-- Name: usage_allocation; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.usage_allocation (
    event_id uuid NOT NULL,
    plan_id integer NOT NULL,
    mobile_no text NOT NULL,
    quantity integer NOT NULL,
    CONSTRAINT usage_allocation_quantity_check CHECK ((quantity > 0))
);


--
-- Name: TABLE usage_allocation; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.usage_allocation IS 'How a usage event was split across the allowances of the account''s plans (what was left was charged).
@behavior -insert -update -delete';


--
-- Name: COLUMN usage_allocation.event_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_allocation.event_id IS 'The usage event.';


--
-- Name: COLUMN usage_allocation.plan_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_allocation.plan_id IS 'The plan whose allowance took this part.';


--
-- Name: COLUMN usage_allocation.mobile_no; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_allocation.mobile_no IS 'The account of the event.';


--
-- Name: COLUMN usage_allocation.quantity; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_allocation.quantity IS 'Whole MB, minutes or messages taken from that plan''s allowance.';


--
-- Name: usage_per_month; Type: MATERIALIZED VIEW; Schema: telecom; Owner: -
--

CREATE MATERIALIZED VIEW telecom.usage_per_month AS
 SELECT (date_trunc('month'::text, (usage.start_date)::timestamp with time zone))::date AS month,
    sum(usage.data_consumption) AS data_mb,
    sum(usage.minutes_used) AS minutes,
    sum(usage.sms_sent) AS sms,
    (count(DISTINCT usage.mobile_no))::integer AS accounts,
    now() AS as_of
   FROM telecom.plan_usage usage
  GROUP BY ((date_trunc('month'::text, (usage.start_date)::timestamp with time zone))::date)
  WITH NO DATA;


--
-- Name: MATERIALIZED VIEW usage_per_month; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON MATERIALIZED VIEW telecom.usage_per_month IS '@primaryKey month
Usage drawn from plan allowances per calendar month (usage records by their start_date), by kind. Figures as of as_of (refreshed periodically).';


--
-- Name: COLUMN usage_per_month.month; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_per_month.month IS 'The first day of the month.';


--
-- Name: COLUMN usage_per_month.data_mb; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_per_month.data_mb IS 'Mobile data used, in megabytes.';


--
-- Name: COLUMN usage_per_month.minutes; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_per_month.minutes IS 'Call minutes used.';


--
-- Name: COLUMN usage_per_month.sms; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_per_month.sms IS 'Text messages sent.';


--
-- Name: COLUMN usage_per_month.accounts; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_per_month.accounts IS 'Accounts with usage in the month.';


--
-- Name: COLUMN usage_per_month.as_of; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.usage_per_month.as_of IS 'When these figures were computed.';


--
-- Name: vat_rate; Type: TABLE; Schema: telecom; Owner: -
--

CREATE TABLE telecom.vat_rate (
    valid_from date NOT NULL,
    rate numeric(5,4) NOT NULL,
    CONSTRAINT vat_rate_rate_max_check CHECK ((rate < (1)::numeric)),
    CONSTRAINT vat_rate_rate_min_check CHECK ((rate >= (0)::numeric))
);


--
-- Name: TABLE vat_rate; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON TABLE telecom.vat_rate IS 'The VAT rates, each valid from its day until the next: a bill takes the rate valid on its bill date.';


--
-- Name: COLUMN vat_rate.valid_from; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.vat_rate.valid_from IS 'The first day the rate applies.';


--
-- Name: COLUMN vat_rate.rate; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.vat_rate.rate IS 'The rate as a fraction (0.1400 is 14 %).';


--
-- Name: voucher_voucher_id_seq; Type: SEQUENCE; Schema: telecom; Owner: -
--

ALTER TABLE telecom.voucher ALTER COLUMN voucher_id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME telecom.voucher_voucher_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: wallet_volume_per_month; Type: MATERIALIZED VIEW; Schema: telecom; Owner: -
--

CREATE MATERIALIZED VIEW telecom.wallet_volume_per_month AS
 WITH transfers AS (
         SELECT (date_trunc('month'::text, (transfer.transfer_date)::timestamp with time zone))::date AS month,
            (count(*))::integer AS transfer_count,
            sum(transfer.amount) AS transfer_amount
           FROM telecom.transfer_money transfer
          GROUP BY ((date_trunc('month'::text, (transfer.transfer_date)::timestamp with time zone))::date)
        ), cashbacks AS (
         SELECT (date_trunc('month'::text, (cashback.credit_date)::timestamp with time zone))::date AS month,
            (count(*))::integer AS cashback_count,
            sum(cashback.amount) AS cashback_amount
           FROM telecom.cashback cashback
          GROUP BY ((date_trunc('month'::text, (cashback.credit_date)::timestamp with time zone))::date)
        )
 SELECT COALESCE(transfers.month, cashbacks.month) AS month,
    COALESCE(transfers.transfer_count, 0) AS transfer_count,
    COALESCE(transfers.transfer_amount, (0)::numeric) AS transfer_amount,
    COALESCE(cashbacks.cashback_count, 0) AS cashback_count,
    COALESCE(cashbacks.cashback_amount, (0)::numeric) AS cashback_amount,
    now() AS as_of
   FROM (transfers
     FULL JOIN cashbacks ON ((cashbacks.month = transfers.month)))
  WITH NO DATA;


--
-- Name: MATERIALIZED VIEW wallet_volume_per_month; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON MATERIALIZED VIEW telecom.wallet_volume_per_month IS '@primaryKey month
Money moved through wallets per calendar month: transfers by transfer_date and cashback credits by credit_date. Figures as of as_of (refreshed periodically).';


--
-- Name: COLUMN wallet_volume_per_month.month; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.wallet_volume_per_month.month IS 'The first day of the month.';


--
-- Name: COLUMN wallet_volume_per_month.transfer_count; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.wallet_volume_per_month.transfer_count IS 'Wallet-to-wallet transfers in the month.';


--
-- Name: COLUMN wallet_volume_per_month.transfer_amount; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.wallet_volume_per_month.transfer_amount IS 'Sum of those transfers (in their wallets'' currency, EGP for almost all).';


--
-- Name: COLUMN wallet_volume_per_month.cashback_count; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.wallet_volume_per_month.cashback_count IS 'Cashback credits in the month.';


--
-- Name: COLUMN wallet_volume_per_month.cashback_amount; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.wallet_volume_per_month.cashback_amount IS 'Sum of those cashback credits.';


--
-- Name: COLUMN wallet_volume_per_month.as_of; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.wallet_volume_per_month.as_of IS 'When these figures were computed.';


--
-- Name: wallet_wallet_id_seq; Type: SEQUENCE; Schema: telecom; Owner: -
--

ALTER TABLE telecom.wallet ALTER COLUMN wallet_id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME telecom.wallet_wallet_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: admin_user; Type: TABLE; Schema: telecom_private; Owner: -
--

CREATE TABLE telecom_private.admin_user (
    admin_id integer NOT NULL,
    username public.citext NOT NULL,
    password_hash text NOT NULL,
    CONSTRAINT admin_user_username_check CHECK ((btrim((username)::text) <> ''::text))
);


--
-- Name: TABLE admin_user; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON TABLE telecom_private.admin_user IS 'An administrator of the operator.';


--
-- Name: COLUMN admin_user.admin_id; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.admin_user.admin_id IS 'Identifier of the admin.';


--
-- Name: COLUMN admin_user.username; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.admin_user.username IS 'Login name, case-insensitive.';


--
-- Name: COLUMN admin_user.password_hash; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.admin_user.password_hash IS 'bcrypt hash (crypt() with gen_salt(''bf'')).';


--
-- Name: admin_user_admin_id_seq; Type: SEQUENCE; Schema: telecom_private; Owner: -
--

ALTER TABLE telecom_private.admin_user ALTER COLUMN admin_id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME telecom_private.admin_user_admin_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: customer_credential; Type: TABLE; Schema: telecom_private; Owner: -
--

CREATE TABLE telecom_private.customer_credential (
    mobile_no text NOT NULL,
    password_hash text NOT NULL
);


--
-- Name: TABLE customer_credential; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON TABLE telecom_private.customer_credential IS 'Login of a customer account: a bcrypt hash of its password.';


--
-- Name: COLUMN customer_credential.mobile_no; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.customer_credential.mobile_no IS 'The account that logs in with this password.';


--
-- Name: COLUMN customer_credential.password_hash; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.customer_credential.password_hash IS 'bcrypt hash (crypt() with gen_salt(''bf'')).';


--
-- Name: database_kind; Type: TABLE; Schema: telecom_private; Owner: -
--

CREATE TABLE telecom_private.database_kind (
    kind text NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT database_kind_kind_check CHECK ((kind = ANY (ARRAY['development'::text, 'production'::text])))
);


--
-- Name: TABLE database_kind; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON TABLE telecom_private.database_kind IS '@schemaData
What the database is for, written once when it is created: db:reset, db:clear, db:seed and the tests refuse a production database, and money history refuses TRUNCATE there.';


--
-- Name: COLUMN database_kind.kind; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.database_kind.kind IS 'development (sample data and demo logins allowed) or production.';


--
-- Name: COLUMN database_kind.recorded_at; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.database_kind.recorded_at IS 'When the database was created with this kind.';


--
-- Name: document_number; Type: TABLE; Schema: telecom_private; Owner: -
--

CREATE TABLE telecom_private.document_number (
    series text NOT NULL,
    year integer NOT NULL,
    last_number integer NOT NULL,
    CONSTRAINT document_number_last_number_check CHECK ((last_number >= 0)),
    CONSTRAINT document_number_series_check CHECK ((series = ANY (ARRAY['INV'::text, 'CN'::text])))
);


--
-- Name: TABLE document_number; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON TABLE telecom_private.document_number IS 'The last number given to a bill (INV) or a credit note (CN) in each year. The transaction that numbers locks its row until it ends, so numbers are gapless: one that rolls back gives its numbers back.';


--
-- Name: COLUMN document_number.series; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.document_number.series IS 'INV (bills) or CN (credit notes).';


--
-- Name: COLUMN document_number.year; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.document_number.year IS 'The year of the documents'' issue.';


--
-- Name: COLUMN document_number.last_number; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.document_number.last_number IS 'The last number given in that series and year (0 before the first).';


--
-- Name: email_refusal; Type: TABLE; Schema: telecom_private; Owner: -
--

CREATE TABLE telecom_private.email_refusal (
    national_id integer NOT NULL,
    refused_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: TABLE email_refusal; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON TABLE telecom_private.email_refusal IS 'E-mail addresses a customer picked that could not be used (update_my_profile) in the last hour, the input of its per-person throttle.';


--
-- Name: COLUMN email_refusal.national_id; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.email_refusal.national_id IS 'The person who picked the address.';


--
-- Name: COLUMN email_refusal.refused_at; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.email_refusal.refused_at IS 'When.';


--
-- Name: error_code; Type: TABLE; Schema: telecom_private; Owner: -
--

CREATE TABLE telecom_private.error_code (
    code text NOT NULL,
    area text GENERATED ALWAYS AS (
CASE substr(code, 3, 1)
    WHEN '0'::text THEN 'schema integrity'::text
    WHEN '1'::text THEN 'reference operations'::text
    WHEN '2'::text THEN 'logins and identity'::text
    WHEN '3'::text THEN 'money'::text
    WHEN '4'::text THEN 'usage'::text
    WHEN '5'::text THEN 'API limits'::text
    WHEN '6'::text THEN 'admin management'::text
    WHEN '7'::text THEN 'bills'::text
    WHEN '8'::text THEN 'operations'::text
    ELSE NULL::text
END) STORED NOT NULL,
    meaning text NOT NULL,
    CONSTRAINT error_code_code_check CHECK ((code ~ '^TC[0-9]{3}$'::text)),
    CONSTRAINT error_code_meaning_check CHECK ((meaning <> ''::text))
);


--
-- Name: TABLE error_code; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON TABLE telecom_private.error_code IS '@schemaData
Every project error code (TC…) with its area and meaning: the one registry, from which docs/error-codes.md and shared/error-codes.ts are generated.';


--
-- Name: COLUMN error_code.code; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.error_code.code IS 'The SQLSTATE a refusal carries (extensions.code in GraphQL): TC and three digits.';


--
-- Name: COLUMN error_code.area; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.error_code.area IS 'The business area of the code''s hundreds: 0 schema integrity, 1 reference operations, 2 logins and identity, 3 money, 4 usage, 5 API limits, 6 admin management, 7 bills, 8 operations.';


--
-- Name: COLUMN error_code.meaning; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.error_code.meaning IS 'What the code means, for the reader of docs/error-codes.md (Markdown).';


--
-- Name: idempotency_key; Type: TABLE; Schema: telecom_private; Owner: -
--

CREATE TABLE telecom_private.idempotency_key (
    actor text NOT NULL,
    idempotency_key uuid NOT NULL,
    operation text NOT NULL,
    arguments jsonb NOT NULL,
    result jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL
)
WITH (autovacuum_vacuum_scale_factor='0.02', autovacuum_vacuum_threshold='500');


--
-- Name: TABLE idempotency_key; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON TABLE telecom_private.idempotency_key IS 'Requests made with an idempotency key, and their results: a repeat returns the stored result.';


--
-- Name: COLUMN idempotency_key.actor; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.idempotency_key.actor IS 'Who made the request (telecom_private.current_actor()); keys of different people never collide.';


--
-- Name: COLUMN idempotency_key.idempotency_key; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.idempotency_key.idempotency_key IS 'The key the client chose for the request.';


--
-- Name: COLUMN idempotency_key.operation; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.idempotency_key.operation IS 'The function called.';


--
-- Name: COLUMN idempotency_key.arguments; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.idempotency_key.arguments IS 'The arguments of the first request; a repeat must match them.';


--
-- Name: COLUMN idempotency_key.result; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.idempotency_key.result IS 'The first request''s result (a row as JSON); a repeat returns it.';


--
-- Name: COLUMN idempotency_key.created_at; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.idempotency_key.created_at IS 'When the first request was made.';


--
-- Name: login_failure; Type: TABLE; Schema: telecom_private; Owner: -
--

CREATE TABLE telecom_private.login_failure (
    login text NOT NULL,
    failed_at timestamp with time zone DEFAULT now() NOT NULL,
    client_address text DEFAULT ''::text NOT NULL,
    CONSTRAINT login_failure_client_address_check CHECK ((char_length(client_address) <= 64)),
    CONSTRAINT login_failure_login_check CHECK (((char_length(login) >= 1) AND (char_length(login) <= 80)))
)
WITH (autovacuum_vacuum_scale_factor='0.02', autovacuum_vacuum_threshold='500');


--
-- Name: TABLE login_failure; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON TABLE telecom_private.login_failure IS 'Failed attempts (wrong passwords, wrong codes) and code requests, the input of the throttle of docs/security.md (login_retry_after); forgotten after 24 hours.';


--
-- Name: COLUMN login_failure.login; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.login_failure.login IS 'What was tried: a mobile number, ''admin:'' and a username, ''code:'' and a number (a wrong code), ''sms:'' and a number (a code asked for).';


--
-- Name: COLUMN login_failure.failed_at; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.login_failure.failed_at IS 'When the attempt failed.';


--
-- Name: COLUMN login_failure.client_address; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.login_failure.client_address IS 'The client address it came from (telecom.client_address); '''' for a session without one.';


--
-- Name: maintenance_state; Type: TABLE; Schema: telecom_private; Owner: -
--

CREATE TABLE telecom_private.maintenance_state (
    last_tick_at timestamp with time zone NOT NULL,
    last_result jsonb NOT NULL
);


--
-- Name: TABLE maintenance_state; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON TABLE telecom_private.maintenance_state IS 'The last completed maintenance tick: when it ran and what it did (one row, absent until the first tick).';


--
-- Name: COLUMN maintenance_state.last_tick_at; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.maintenance_state.last_tick_at IS 'When the last completed tick started (its transaction''s time).';


--
-- Name: COLUMN maintenance_state.last_result; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.maintenance_state.last_result IS 'What that tick did: its result, one key per job.';


--
-- Name: money_operation; Type: TABLE; Schema: telecom_private; Owner: -
--

CREATE UNLOGGED TABLE telecom_private.money_operation (
    transaction_id bigint NOT NULL,
    operation text NOT NULL,
    actor text NOT NULL,
    idempotency_key uuid
)
WITH (autovacuum_vacuum_scale_factor='0', autovacuum_vacuum_threshold='1000', autovacuum_vacuum_cost_delay='0');


--
-- Name: TABLE money_operation; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON TABLE telecom_private.money_operation IS 'The money operation running in each transaction, written by begin_money_operation and removed by finish_money_operation; the journal triggers take the operation and actor of their entries from it. No API role can read or write it.';


--
-- Name: COLUMN money_operation.transaction_id; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.money_operation.transaction_id IS 'The transaction (txid_current()) the operation runs in.';


--
-- Name: COLUMN money_operation.operation; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.money_operation.operation IS 'The money function running, e.g. transfer_to_mobile.';


--
-- Name: COLUMN money_operation.actor; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.money_operation.actor IS 'Who called it (telecom_private.current_actor()).';


--
-- Name: COLUMN money_operation.idempotency_key; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.money_operation.idempotency_key IS 'The request''s idempotency key, if it has one: its result is stored when the operation finishes.';


--
-- Name: network_credential; Type: TABLE; Schema: telecom_private; Owner: -
--

CREATE TABLE telecom_private.network_credential (
    client_id text NOT NULL,
    network_id text NOT NULL,
    secret_hash text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT network_credential_client_id_check CHECK ((client_id ~ '^[A-Za-z0-9_.-]{3,64}$'::text)),
    CONSTRAINT network_credential_network_id_check CHECK ((network_id ~ '^[A-Za-z0-9_.-]{1,64}$'::text))
);


--
-- Name: TABLE network_credential; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON TABLE telecom_private.network_credential IS 'A login of the network''s mediation system (docs/api.md): its client id, the network it speaks for and the bcrypt hash of its secret.';


--
-- Name: COLUMN network_credential.client_id; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.network_credential.client_id IS 'The client id the mediation system logs in with.';


--
-- Name: COLUMN network_credential.network_id; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.network_credential.network_id IS 'The network the client speaks for: the network_id claim of its tokens, recorded with each usage event.';


--
-- Name: COLUMN network_credential.secret_hash; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.network_credential.secret_hash IS 'bcrypt hash (crypt() with gen_salt(''bf'', 10)) of the secret.';


--
-- Name: COLUMN network_credential.created_at; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.network_credential.created_at IS 'When the credential was set.';


--
-- Name: recipient_lookup; Type: TABLE; Schema: telecom_private; Owner: -
--

CREATE TABLE telecom_private.recipient_lookup (
    national_id integer NOT NULL,
    looked_up_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: TABLE recipient_lookup; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON TABLE telecom_private.recipient_lookup IS 'Look-ups of transfer recipients (transfer_recipient) in the last hour, the input of its per-person throttle.';


--
-- Name: COLUMN recipient_lookup.national_id; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.recipient_lookup.national_id IS 'The person who looked a number up.';


--
-- Name: COLUMN recipient_lookup.looked_up_at; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.recipient_lookup.looked_up_at IS 'When.';


--
-- Name: sms_outbox; Type: TABLE; Schema: telecom_private; Owner: -
--

CREATE TABLE telecom_private.sms_outbox (
    sms_id bigint NOT NULL,
    mobile_no text NOT NULL,
    body text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    sent_at timestamp with time zone,
    code_id bigint,
    client_address text,
    CONSTRAINT sms_outbox_body_check CHECK (((char_length(body) >= 1) AND (char_length(body) <= 480))),
    CONSTRAINT sms_outbox_client_address_check CHECK ((char_length(client_address) <= 64)),
    CONSTRAINT sms_outbox_mobile_no_check CHECK ((mobile_no ~ '^[0-9]{11}$'::text))
)
WITH (autovacuum_vacuum_scale_factor='0.02', autovacuum_vacuum_threshold='500');


--
-- Name: TABLE sms_outbox; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON TABLE telecom_private.sms_outbox IS 'SMS waiting to be sent, and those sent. The API server''s one SMS sender (api/src/server/sms.ts) takes unsent rows, hands them to the gateway (the console in development) and marks them sent.';


--
-- Name: COLUMN sms_outbox.sms_id; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.sms_outbox.sms_id IS 'The message''s id.';


--
-- Name: COLUMN sms_outbox.mobile_no; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.sms_outbox.mobile_no IS 'The number to send it to.';


--
-- Name: COLUMN sms_outbox.body; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.sms_outbox.body IS 'The text of the message.';


--
-- Name: COLUMN sms_outbox.created_at; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.sms_outbox.created_at IS 'When the message was queued.';


--
-- Name: COLUMN sms_outbox.sent_at; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.sms_outbox.sent_at IS 'When the sender handed it to the gateway; null while it waits.';


--
-- Name: COLUMN sms_outbox.code_id; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.sms_outbox.code_id IS 'The one-time code the message carries (a request while it is live sends the same message again); it counts against the cap of code messages to the number.';


--
-- Name: COLUMN sms_outbox.client_address; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.sms_outbox.client_address IS 'The client address that asked for the message (telecom.client_address): it has 5 tries of its own at the code.';


--
-- Name: sms_outbox_sms_id_seq; Type: SEQUENCE; Schema: telecom_private; Owner: -
--

ALTER TABLE telecom_private.sms_outbox ALTER COLUMN sms_id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME telecom_private.sms_outbox_sms_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: usage_event_default; Type: TABLE; Schema: telecom_private; Owner: -
--

CREATE TABLE telecom_private.usage_event_default (
    event_id uuid NOT NULL,
    mobile_no text NOT NULL,
    kind telecom.usage_kind NOT NULL,
    quantity numeric NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    plan_id integer,
    charged numeric(12,2) DEFAULT 0 NOT NULL,
    outcome telecom.usage_outcome NOT NULL,
    network_id text,
    CONSTRAINT usage_event_charged_check CHECK ((charged >= (0)::numeric)),
    CONSTRAINT usage_event_quantity_check CHECK ((quantity > (0)::numeric))
);


--
-- Name: TABLE usage_event_default; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON TABLE telecom_private.usage_event_default IS 'The default partition of usage_event, always empty: an event of a month without its partition is refused here (TC409) instead of failing with 23514.';


--
-- Name: usage_event_key; Type: TABLE; Schema: telecom_private; Owner: -
--

CREATE TABLE telecom_private.usage_event_key (
    event_id uuid NOT NULL,
    occurred_at timestamp with time zone NOT NULL
);


--
-- Name: TABLE usage_event_key; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON TABLE telecom_private.usage_event_key IS 'Every usage event id seen, with its occurred_at (to find its row in usage_event). Rows go when their partition is detached.';


--
-- Name: COLUMN usage_event_key.event_id; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.usage_event_key.event_id IS 'The network''s id of the event.';


--
-- Name: COLUMN usage_event_key.occurred_at; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.usage_event_key.occurred_at IS 'The event''s occurred_at: with event_id, the key of its usage_event row.';


--
-- Name: usage_load_chunk; Type: TABLE; Schema: telecom_private; Owner: -
--

CREATE UNLOGGED TABLE telecom_private.usage_load_chunk (
    load_id bigint NOT NULL,
    chunk integer NOT NULL,
    events integer NOT NULL,
    queued_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT usage_load_chunk_events_check CHECK ((events > 0))
);


--
-- Name: TABLE usage_load_chunk; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON TABLE telecom_private.usage_load_chunk IS 'The chunks of whole accounts of a bulk usage load still to be rated; a connection rating one holds its row locked.';


--
-- Name: COLUMN usage_load_chunk.load_id; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.usage_load_chunk.load_id IS 'The load (begin_usage_load).';


--
-- Name: COLUMN usage_load_chunk.chunk; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.usage_load_chunk.chunk IS 'The chunk''s number within the load.';


--
-- Name: COLUMN usage_load_chunk.events; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.usage_load_chunk.events IS 'How many new events the chunk holds.';


--
-- Name: COLUMN usage_load_chunk.queued_at; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.usage_load_chunk.queued_at IS 'When check_usage_load queued it; a load left over for a day is cleared.';


--
-- Name: usage_load_event; Type: TABLE; Schema: telecom_private; Owner: -
--

CREATE UNLOGGED TABLE telecom_private.usage_load_event (
    load_id bigint NOT NULL,
    chunk integer NOT NULL,
    "position" bigint NOT NULL,
    line bigint NOT NULL,
    event_id uuid NOT NULL,
    mobile_no text NOT NULL,
    kind telecom.usage_kind NOT NULL,
    quantity numeric NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    units integer NOT NULL,
    day date NOT NULL
);


--
-- Name: TABLE usage_load_event; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON TABLE telecom_private.usage_load_event IS 'The new events of a bulk usage load, checked and numbered, until their chunk is rated.';


--
-- Name: COLUMN usage_load_event."position"; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.usage_load_event."position" IS 'Rating order within the load: by account, then occurred_at, then line.';


--
-- Name: COLUMN usage_load_event.line; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.usage_load_event.line IS 'The line of the file (without a header line).';


--
-- Name: COLUMN usage_load_event.units; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.usage_load_event.units IS 'The quantity rounded up to whole units.';


--
-- Name: COLUMN usage_load_event.day; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.usage_load_event.day IS 'The event''s date in the operator''s time zone.';


--
-- Name: usage_load_id_seq; Type: SEQUENCE; Schema: telecom_private; Owner: -
--

CREATE SEQUENCE telecom_private.usage_load_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: verification_code; Type: TABLE; Schema: telecom_private; Owner: -
--

CREATE TABLE telecom_private.verification_code (
    code_id bigint NOT NULL,
    mobile_no text NOT NULL,
    purpose text NOT NULL,
    code_hash text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone,
    CONSTRAINT verification_code_purpose_check CHECK ((purpose = ANY (ARRAY['register'::text, 'reset'::text])))
)
WITH (autovacuum_vacuum_scale_factor='0.02', autovacuum_vacuum_threshold='500');


--
-- Name: TABLE verification_code; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON TABLE telecom_private.verification_code IS 'One-time codes sent by SMS to prove that one holds a number: 6 digits, valid 10 minutes, one purpose each, 5 tries per client address (verification_code_guess). A request while a code is live sends it again instead of replacing it. Only the bcrypt hash is kept here; the digits are in the messages of sms_outbox.';


--
-- Name: COLUMN verification_code.code_id; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.verification_code.code_id IS 'The code''s id.';


--
-- Name: COLUMN verification_code.mobile_no; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.verification_code.mobile_no IS 'The number the code was sent to.';


--
-- Name: COLUMN verification_code.purpose; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.verification_code.purpose IS 'What the code may be used for: register (activate online access) or reset (a forgotten password).';


--
-- Name: COLUMN verification_code.code_hash; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.verification_code.code_hash IS 'bcrypt hash of the 6 digits.';


--
-- Name: COLUMN verification_code.created_at; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.verification_code.created_at IS 'When the code was made.';


--
-- Name: COLUMN verification_code.expires_at; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.verification_code.expires_at IS 'After this the code is refused (10 minutes after it was made).';


--
-- Name: COLUMN verification_code.used_at; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.verification_code.used_at IS 'When the code was used; a used code is refused.';


--
-- Name: verification_code_code_id_seq; Type: SEQUENCE; Schema: telecom_private; Owner: -
--

ALTER TABLE telecom_private.verification_code ALTER COLUMN code_id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME telecom_private.verification_code_code_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: verification_code_guess; Type: TABLE; Schema: telecom_private; Owner: -
--

CREATE TABLE telecom_private.verification_code_guess (
    guess_id bigint NOT NULL,
    code_id bigint NOT NULL,
    client_address text NOT NULL,
    by_asking_address boolean NOT NULL,
    guessed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT verification_code_guess_client_address_check CHECK ((char_length(client_address) <= 64))
)
WITH (autovacuum_vacuum_scale_factor='0.02', autovacuum_vacuum_threshold='500');


--
-- Name: TABLE verification_code_guess; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON TABLE telecom_private.verification_code_guess IS 'Wrong guesses at one-time codes, one row each: the input of use_verification_code''s limits (5 per code and client address; 40 a day per number from addresses that did not ask for the code). Deleted with their code.';


--
-- Name: COLUMN verification_code_guess.guess_id; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.verification_code_guess.guess_id IS 'The guess''s id.';


--
-- Name: COLUMN verification_code_guess.code_id; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.verification_code_guess.code_id IS 'The code that was guessed at.';


--
-- Name: COLUMN verification_code_guess.client_address; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.verification_code_guess.client_address IS 'The client address the guess came from (telecom.client_address); '''' for a session without one.';


--
-- Name: COLUMN verification_code_guess.by_asking_address; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.verification_code_guess.by_asking_address IS 'Whether that address had asked for the code (it used one of its own 5 tries, not the number''s daily budget).';


--
-- Name: COLUMN verification_code_guess.guessed_at; Type: COMMENT; Schema: telecom_private; Owner: -
--

COMMENT ON COLUMN telecom_private.verification_code_guess.guessed_at IS 'When the guess was made.';


--
-- Name: verification_code_guess_guess_id_seq; Type: SEQUENCE; Schema: telecom_private; Owner: -
--

ALTER TABLE telecom_private.verification_code_guess ALTER COLUMN guess_id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME telecom_private.verification_code_guess_guess_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: usage_event_default; Type: TABLE ATTACH; Schema: telecom_private; Owner: -
--

ALTER TABLE ONLY telecom.usage_event ATTACH PARTITION telecom_private.usage_event_default DEFAULT;


--
-- Name: service_plan service_plan_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.service_plan
    ADD CONSTRAINT service_plan_pkey PRIMARY KEY (plan_id);


--
-- Name: paying_subscribers_per_plan; Type: MATERIALIZED VIEW; Schema: telecom; Owner: -
--

CREATE MATERIALIZED VIEW telecom.paying_subscribers_per_plan AS
 SELECT plan.plan_id,
    plan.name,
    plan.price,
    (count(subscription.mobile_no))::integer AS paying_subscribers,
    now() AS as_of
   FROM (telecom.service_plan plan
     LEFT JOIN telecom.subscription subscription ON (((subscription.plan_id = plan.plan_id) AND (subscription.status = 'active'::telecom.subscription_status) AND (CURRENT_DATE < subscription.paid_until))))
  GROUP BY plan.plan_id
  WITH NO DATA;


--
-- Name: MATERIALIZED VIEW paying_subscribers_per_plan; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON MATERIALIZED VIEW telecom.paying_subscribers_per_plan IS '@primaryKey plan_id
Paying subscribers per plan: subscriptions that cover the day of the refresh (status active and that day before paid_until, docs/usage.md). Every plan, with 0 when nobody pays for it. Figures as of as_of (refreshed periodically).';


--
-- Name: COLUMN paying_subscribers_per_plan.plan_id; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.paying_subscribers_per_plan.plan_id IS 'The plan.';


--
-- Name: COLUMN paying_subscribers_per_plan.name; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.paying_subscribers_per_plan.name IS '@behavior -filterBy -orderBy
The plan''s name.';


--
-- Name: COLUMN paying_subscribers_per_plan.price; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.paying_subscribers_per_plan.price IS '@behavior -filterBy -orderBy
The plan''s monthly price (EGP).';


--
-- Name: COLUMN paying_subscribers_per_plan.paying_subscribers; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.paying_subscribers_per_plan.paying_subscribers IS '@behavior -filterBy -orderBy
Subscriptions to the plan that are active and paid for the day (current_date < paid_until).';


--
-- Name: COLUMN paying_subscribers_per_plan.as_of; Type: COMMENT; Schema: telecom; Owner: -
--

COMMENT ON COLUMN telecom.paying_subscribers_per_plan.as_of IS '@behavior -filterBy -orderBy
When these figures were computed.';


--
-- Name: account_bar account_bar_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.account_bar
    ADD CONSTRAINT account_bar_pkey PRIMARY KEY (mobile_no);


--
-- Name: benefit benefit_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.benefit
    ADD CONSTRAINT benefit_pkey PRIMARY KEY (benefit_id);


--
-- Name: bill_run_request bill_run_request_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.bill_run_request
    ADD CONSTRAINT bill_run_request_pkey PRIMARY KEY (request_id);


--
-- Name: card_refund card_refund_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.card_refund
    ADD CONSTRAINT card_refund_pkey PRIMARY KEY (payment_id);


--
-- Name: cashback cashback_payment_id_key; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.cashback
    ADD CONSTRAINT cashback_payment_id_key UNIQUE (payment_id);


--
-- Name: cashback cashback_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.cashback
    ADD CONSTRAINT cashback_pkey PRIMARY KEY (cashback_id);


--
-- Name: collection_step collection_step_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.collection_step
    ADD CONSTRAINT collection_step_pkey PRIMARY KEY (invoice_id, step);


--
-- Name: credit_note credit_note_credit_note_no_key; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.credit_note
    ADD CONSTRAINT credit_note_credit_note_no_key UNIQUE (credit_note_no);


--
-- Name: credit_note credit_note_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.credit_note
    ADD CONSTRAINT credit_note_pkey PRIMARY KEY (credit_note_id);


--
-- Name: customer_account customer_account_mobile_no_national_id_key; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.customer_account
    ADD CONSTRAINT customer_account_mobile_no_national_id_key UNIQUE (mobile_no, national_id);


--
-- Name: customer_account customer_account_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.customer_account
    ADD CONSTRAINT customer_account_pkey PRIMARY KEY (mobile_no);


--
-- Name: customer_profile customer_profile_email_key; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.customer_profile
    ADD CONSTRAINT customer_profile_email_key UNIQUE (email);


--
-- Name: customer_profile customer_profile_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.customer_profile
    ADD CONSTRAINT customer_profile_pkey PRIMARY KEY (national_id);


--
-- Name: e_shop e_shop_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.e_shop
    ADD CONSTRAINT e_shop_pkey PRIMARY KEY (shop_id);


--
-- Name: exclusive_offer exclusive_offer_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.exclusive_offer
    ADD CONSTRAINT exclusive_offer_pkey PRIMARY KEY (offer_id);


--
-- Name: invoice invoice_invoice_no_key; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.invoice
    ADD CONSTRAINT invoice_invoice_no_key UNIQUE (invoice_no);


--
-- Name: invoice_line invoice_line_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.invoice_line
    ADD CONSTRAINT invoice_line_pkey PRIMARY KEY (invoice_id, line_no);


--
-- Name: invoice invoice_mobile_no_bill_date_key; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.invoice
    ADD CONSTRAINT invoice_mobile_no_bill_date_key UNIQUE (mobile_no, bill_date);


--
-- Name: invoice invoice_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.invoice
    ADD CONSTRAINT invoice_pkey PRIMARY KEY (invoice_id);


--
-- Name: money_journal money_journal_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.money_journal
    ADD CONSTRAINT money_journal_pkey PRIMARY KEY (journal_id);


--
-- Name: payment payment_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.payment
    ADD CONSTRAINT payment_pkey PRIMARY KEY (payment_id);


--
-- Name: payment payment_provider_reference_key; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.payment
    ADD CONSTRAINT payment_provider_reference_key UNIQUE (provider_reference);


--
-- Name: physical_shop physical_shop_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.physical_shop
    ADD CONSTRAINT physical_shop_pkey PRIMARY KEY (shop_id);


--
-- Name: plan_charge plan_charge_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.plan_charge
    ADD CONSTRAINT plan_charge_pkey PRIMARY KEY (plan_charge_id);


--
-- Name: plan_provides_benefits plan_provides_benefits_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.plan_provides_benefits
    ADD CONSTRAINT plan_provides_benefits_pkey PRIMARY KEY (plan_id, benefit_id);


--
-- Name: plan_usage plan_usage_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.plan_usage
    ADD CONSTRAINT plan_usage_pkey PRIMARY KEY (usage_id);


--
-- Name: points_group points_group_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.points_group
    ADD CONSTRAINT points_group_pkey PRIMARY KEY (point_id);


--
-- Name: process_payment process_payment_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.process_payment
    ADD CONSTRAINT process_payment_pkey PRIMARY KEY (payment_id);


--
-- Name: service_plan service_plan_name_key; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.service_plan
    ADD CONSTRAINT service_plan_name_key UNIQUE (name);


--
-- Name: shop shop_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.shop
    ADD CONSTRAINT shop_pkey PRIMARY KEY (shop_id);


--
-- Name: subscription subscription_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.subscription
    ADD CONSTRAINT subscription_pkey PRIMARY KEY (mobile_no, plan_id);


--
-- Name: tariff tariff_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.tariff
    ADD CONSTRAINT tariff_pkey PRIMARY KEY (kind);


--
-- Name: technical_support_ticket technical_support_ticket_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.technical_support_ticket
    ADD CONSTRAINT technical_support_ticket_pkey PRIMARY KEY (ticket_id);


--
-- Name: transfer_money transfer_money_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.transfer_money
    ADD CONSTRAINT transfer_money_pkey PRIMARY KEY (transfer_id);


--
-- Name: usage_alert usage_alert_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.usage_alert
    ADD CONSTRAINT usage_alert_pkey PRIMARY KEY (mobile_no, plan_id, kind, period_start, threshold);


--
-- Name: usage_allocation usage_allocation_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.usage_allocation
    ADD CONSTRAINT usage_allocation_pkey PRIMARY KEY (event_id, plan_id);


--
-- Name: usage_event usage_event_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.usage_event
    ADD CONSTRAINT usage_event_pkey PRIMARY KEY (event_id, occurred_at);


--
-- Name: vat_rate vat_rate_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.vat_rate
    ADD CONSTRAINT vat_rate_pkey PRIMARY KEY (valid_from);


--
-- Name: voucher voucher_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.voucher
    ADD CONSTRAINT voucher_pkey PRIMARY KEY (voucher_id);


--
-- Name: wallet wallet_mobile_no_key; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.wallet
    ADD CONSTRAINT wallet_mobile_no_key UNIQUE (mobile_no);


--
-- Name: wallet wallet_pkey; Type: CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.wallet
    ADD CONSTRAINT wallet_pkey PRIMARY KEY (wallet_id);


--
-- Name: admin_user admin_user_pkey; Type: CONSTRAINT; Schema: telecom_private; Owner: -
--

ALTER TABLE ONLY telecom_private.admin_user
    ADD CONSTRAINT admin_user_pkey PRIMARY KEY (admin_id);


--
-- Name: admin_user admin_user_username_key; Type: CONSTRAINT; Schema: telecom_private; Owner: -
--

ALTER TABLE ONLY telecom_private.admin_user
    ADD CONSTRAINT admin_user_username_key UNIQUE (username);


--
-- Name: customer_credential customer_credential_pkey; Type: CONSTRAINT; Schema: telecom_private; Owner: -
--

ALTER TABLE ONLY telecom_private.customer_credential
    ADD CONSTRAINT customer_credential_pkey PRIMARY KEY (mobile_no);


--
-- Name: document_number document_number_pkey; Type: CONSTRAINT; Schema: telecom_private; Owner: -
--

ALTER TABLE ONLY telecom_private.document_number
    ADD CONSTRAINT document_number_pkey PRIMARY KEY (series, year);


--
-- Name: error_code error_code_pkey; Type: CONSTRAINT; Schema: telecom_private; Owner: -
--

ALTER TABLE ONLY telecom_private.error_code
    ADD CONSTRAINT error_code_pkey PRIMARY KEY (code);


--
-- Name: idempotency_key idempotency_key_pkey; Type: CONSTRAINT; Schema: telecom_private; Owner: -
--

ALTER TABLE ONLY telecom_private.idempotency_key
    ADD CONSTRAINT idempotency_key_pkey PRIMARY KEY (actor, idempotency_key);


--
-- Name: money_operation money_operation_pkey; Type: CONSTRAINT; Schema: telecom_private; Owner: -
--

ALTER TABLE ONLY telecom_private.money_operation
    ADD CONSTRAINT money_operation_pkey PRIMARY KEY (transaction_id);


--
-- Name: network_credential network_credential_pkey; Type: CONSTRAINT; Schema: telecom_private; Owner: -
--

ALTER TABLE ONLY telecom_private.network_credential
    ADD CONSTRAINT network_credential_pkey PRIMARY KEY (client_id);


--
-- Name: sms_outbox sms_outbox_pkey; Type: CONSTRAINT; Schema: telecom_private; Owner: -
--

ALTER TABLE ONLY telecom_private.sms_outbox
    ADD CONSTRAINT sms_outbox_pkey PRIMARY KEY (sms_id);


--
-- Name: usage_event_default usage_event_default_pkey; Type: CONSTRAINT; Schema: telecom_private; Owner: -
--

ALTER TABLE ONLY telecom_private.usage_event_default
    ADD CONSTRAINT usage_event_default_pkey PRIMARY KEY (event_id, occurred_at);


--
-- Name: usage_event_key usage_event_key_pkey; Type: CONSTRAINT; Schema: telecom_private; Owner: -
--

ALTER TABLE ONLY telecom_private.usage_event_key
    ADD CONSTRAINT usage_event_key_pkey PRIMARY KEY (event_id);


--
-- Name: usage_load_chunk usage_load_chunk_pkey; Type: CONSTRAINT; Schema: telecom_private; Owner: -
--

ALTER TABLE ONLY telecom_private.usage_load_chunk
    ADD CONSTRAINT usage_load_chunk_pkey PRIMARY KEY (load_id, chunk);


--
-- Name: usage_load_event usage_load_event_pkey; Type: CONSTRAINT; Schema: telecom_private; Owner: -
--

ALTER TABLE ONLY telecom_private.usage_load_event
    ADD CONSTRAINT usage_load_event_pkey PRIMARY KEY (load_id, chunk, "position");


--
-- Name: verification_code_guess verification_code_guess_pkey; Type: CONSTRAINT; Schema: telecom_private; Owner: -
--

ALTER TABLE ONLY telecom_private.verification_code_guess
    ADD CONSTRAINT verification_code_guess_pkey PRIMARY KEY (guess_id);


--
-- Name: verification_code verification_code_pkey; Type: CONSTRAINT; Schema: telecom_private; Owner: -
--

ALTER TABLE ONLY telecom_private.verification_code
    ADD CONSTRAINT verification_code_pkey PRIMARY KEY (code_id);


--
-- Name: account_bar_barred_at_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX account_bar_barred_at_idx ON telecom.account_bar USING btree (barred_at, mobile_no);


--
-- Name: account_bar_invoice_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX account_bar_invoice_id_idx ON telecom.account_bar USING btree (invoice_id);


--
-- Name: account_status_counts_status_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE UNIQUE INDEX account_status_counts_status_idx ON telecom.account_status_counts USING btree (status);


--
-- Name: arpu_as_of_date_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE UNIQUE INDEX arpu_as_of_date_idx ON telecom.arpu USING btree (as_of_date);


--
-- Name: benefit_mobile_no_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX benefit_mobile_no_idx ON telecom.benefit USING btree (mobile_no);


--
-- Name: bill_run_request_pending_key; Type: INDEX; Schema: telecom; Owner: -
--

CREATE UNIQUE INDEX bill_run_request_pending_key ON telecom.bill_run_request USING btree (bill_date) WHERE (finished_at IS NULL);


--
-- Name: bill_run_summary_bill_date_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE UNIQUE INDEX bill_run_summary_bill_date_idx ON telecom.bill_run_summary USING btree (bill_date);


--
-- Name: cashback_benefit_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX cashback_benefit_id_idx ON telecom.cashback USING btree (benefit_id);


--
-- Name: cashback_wallet_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX cashback_wallet_id_idx ON telecom.cashback USING btree (wallet_id);


--
-- Name: credit_note_invoice_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX credit_note_invoice_id_idx ON telecom.credit_note USING btree (invoice_id);


--
-- Name: customer_account_national_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX customer_account_national_id_idx ON telecom.customer_account USING btree (national_id);


--
-- Name: customer_account_start_date_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX customer_account_start_date_idx ON telecom.customer_account USING btree (start_date, mobile_no);


--
-- Name: customer_profile_full_name_trgm_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX customer_profile_full_name_trgm_idx ON telecom.customer_profile USING gin ((((first_name || ' '::text) || last_name)) public.gin_trgm_ops);


--
-- Name: exclusive_offer_benefit_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX exclusive_offer_benefit_id_idx ON telecom.exclusive_offer USING btree (benefit_id);


--
-- Name: invoice_bill_date_invoice_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX invoice_bill_date_invoice_id_idx ON telecom.invoice USING btree (bill_date, invoice_id);


--
-- Name: invoice_issued_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX invoice_issued_idx ON telecom.invoice USING btree (mobile_no) WHERE (status = 'issued'::telecom.invoice_status);


--
-- Name: invoice_line_plan_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX invoice_line_plan_id_idx ON telecom.invoice_line USING btree (plan_id);


--
-- Name: invoice_overdue_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX invoice_overdue_idx ON telecom.invoice USING btree (due_date) INCLUDE (amount_due, paid_amount) WHERE (status = 'issued'::telecom.invoice_status);


--
-- Name: money_journal_account_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX money_journal_account_idx ON telecom.money_journal USING btree (mobile_no, account_kind, journal_id);


--
-- Name: money_journal_national_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX money_journal_national_id_idx ON telecom.money_journal USING btree (national_id, journal_id);


--
-- Name: money_journal_wallet_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX money_journal_wallet_id_idx ON telecom.money_journal USING btree (wallet_id, journal_id) WHERE (wallet_id IS NOT NULL);


--
-- Name: new_accounts_per_month_month_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE UNIQUE INDEX new_accounts_per_month_month_idx ON telecom.new_accounts_per_month USING btree (month);


--
-- Name: open_tickets_by_priority_priority_level_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE UNIQUE INDEX open_tickets_by_priority_priority_level_idx ON telecom.open_tickets_by_priority USING btree (priority_level);


--
-- Name: paying_subscribers_per_plan_plan_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE UNIQUE INDEX paying_subscribers_per_plan_plan_id_idx ON telecom.paying_subscribers_per_plan USING btree (plan_id);


--
-- Name: payment_date_of_payment_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX payment_date_of_payment_idx ON telecom.payment USING btree (date_of_payment, payment_id);


--
-- Name: payment_mobile_no_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX payment_mobile_no_idx ON telecom.payment USING btree (mobile_no, date_of_payment);


--
-- Name: payment_pending_initiated_at_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX payment_pending_initiated_at_idx ON telecom.payment USING btree (initiated_at) WHERE (status = 'pending'::telecom.payment_status);


--
-- Name: plan_charge_invoice_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX plan_charge_invoice_id_idx ON telecom.plan_charge USING btree (invoice_id);


--
-- Name: plan_charge_mobile_no_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX plan_charge_mobile_no_idx ON telecom.plan_charge USING btree (mobile_no, charge_from);


--
-- Name: plan_charge_plan_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX plan_charge_plan_id_idx ON telecom.plan_charge USING btree (plan_id);


--
-- Name: plan_charge_unbilled_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX plan_charge_unbilled_idx ON telecom.plan_charge USING btree (mobile_no) WHERE (invoice_id IS NULL);


--
-- Name: plan_provides_benefits_benefit_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX plan_provides_benefits_benefit_id_idx ON telecom.plan_provides_benefits USING btree (benefit_id);


--
-- Name: plan_usage_day_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX plan_usage_day_idx ON telecom.plan_usage USING btree (mobile_no, plan_id, start_date) WHERE (start_date = end_date);


--
-- Name: plan_usage_mobile_no_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX plan_usage_mobile_no_idx ON telecom.plan_usage USING btree (mobile_no, plan_id, start_date);


--
-- Name: plan_usage_plan_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX plan_usage_plan_id_idx ON telecom.plan_usage USING btree (plan_id);


--
-- Name: points_group_benefit_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX points_group_benefit_id_idx ON telecom.points_group USING btree (benefit_id);


--
-- Name: points_group_payment_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX points_group_payment_id_idx ON telecom.points_group USING btree (payment_id);


--
-- Name: process_payment_plan_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX process_payment_plan_id_idx ON telecom.process_payment USING btree (plan_id);


--
-- Name: revenue_per_month_month_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE UNIQUE INDEX revenue_per_month_month_idx ON telecom.revenue_per_month USING btree (month);


--
-- Name: subscription_plan_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX subscription_plan_id_idx ON telecom.subscription USING btree (plan_id, subscription_date);


--
-- Name: technical_support_ticket_mobile_no_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX technical_support_ticket_mobile_no_idx ON telecom.technical_support_ticket USING btree (mobile_no, status);


--
-- Name: technical_support_ticket_priority_level_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX technical_support_ticket_priority_level_idx ON telecom.technical_support_ticket USING btree (priority_level, ticket_id);


--
-- Name: transfer_money_from_wallet_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX transfer_money_from_wallet_id_idx ON telecom.transfer_money USING btree (from_wallet_id, transfer_date);


--
-- Name: transfer_money_to_wallet_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX transfer_money_to_wallet_id_idx ON telecom.transfer_money USING btree (to_wallet_id);


--
-- Name: usage_alert_plan_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX usage_alert_plan_id_idx ON telecom.usage_alert USING btree (plan_id);


--
-- Name: usage_allocation_mobile_no_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX usage_allocation_mobile_no_idx ON telecom.usage_allocation USING btree (mobile_no);


--
-- Name: usage_allocation_plan_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX usage_allocation_plan_id_idx ON telecom.usage_allocation USING btree (plan_id);


--
-- Name: usage_event_mobile_no_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX usage_event_mobile_no_idx ON ONLY telecom.usage_event USING btree (mobile_no, occurred_at);


--
-- Name: usage_event_plan_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX usage_event_plan_id_idx ON ONLY telecom.usage_event USING btree (plan_id);


--
-- Name: usage_per_month_month_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE UNIQUE INDEX usage_per_month_month_idx ON telecom.usage_per_month USING btree (month);


--
-- Name: voucher_mobile_no_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX voucher_mobile_no_idx ON telecom.voucher USING btree (mobile_no, value);


--
-- Name: voucher_mobile_no_voucher_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX voucher_mobile_no_voucher_id_idx ON telecom.voucher USING btree (mobile_no, voucher_id);


--
-- Name: voucher_shop_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX voucher_shop_id_idx ON telecom.voucher USING btree (shop_id);


--
-- Name: wallet_current_balance_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX wallet_current_balance_idx ON telecom.wallet USING btree (current_balance, wallet_id);


--
-- Name: wallet_national_id_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE INDEX wallet_national_id_idx ON telecom.wallet USING btree (national_id);


--
-- Name: wallet_volume_per_month_month_idx; Type: INDEX; Schema: telecom; Owner: -
--

CREATE UNIQUE INDEX wallet_volume_per_month_month_idx ON telecom.wallet_volume_per_month USING btree (month);


--
-- Name: database_kind_one_row_idx; Type: INDEX; Schema: telecom_private; Owner: -
--

CREATE UNIQUE INDEX database_kind_one_row_idx ON telecom_private.database_kind USING btree ((true));


--
-- Name: email_refusal_national_id_idx; Type: INDEX; Schema: telecom_private; Owner: -
--

CREATE INDEX email_refusal_national_id_idx ON telecom_private.email_refusal USING btree (national_id, refused_at);


--
-- Name: idempotency_key_created_at_idx; Type: INDEX; Schema: telecom_private; Owner: -
--

CREATE INDEX idempotency_key_created_at_idx ON telecom_private.idempotency_key USING btree (created_at);


--
-- Name: login_failure_client_address_idx; Type: INDEX; Schema: telecom_private; Owner: -
--

CREATE INDEX login_failure_client_address_idx ON telecom_private.login_failure USING btree (client_address, failed_at);


--
-- Name: login_failure_failed_at_idx; Type: INDEX; Schema: telecom_private; Owner: -
--

CREATE INDEX login_failure_failed_at_idx ON telecom_private.login_failure USING btree (failed_at);


--
-- Name: login_failure_login_client_address_idx; Type: INDEX; Schema: telecom_private; Owner: -
--

CREATE INDEX login_failure_login_client_address_idx ON telecom_private.login_failure USING btree (login, client_address, failed_at);


--
-- Name: maintenance_state_one_row_idx; Type: INDEX; Schema: telecom_private; Owner: -
--

CREATE UNIQUE INDEX maintenance_state_one_row_idx ON telecom_private.maintenance_state USING btree ((true));


--
-- Name: recipient_lookup_national_id_idx; Type: INDEX; Schema: telecom_private; Owner: -
--

CREATE INDEX recipient_lookup_national_id_idx ON telecom_private.recipient_lookup USING btree (national_id, looked_up_at);


--
-- Name: sms_outbox_code_id_idx; Type: INDEX; Schema: telecom_private; Owner: -
--

CREATE INDEX sms_outbox_code_id_idx ON telecom_private.sms_outbox USING btree (code_id, client_address);


--
-- Name: sms_outbox_mobile_no_created_at_idx; Type: INDEX; Schema: telecom_private; Owner: -
--

CREATE INDEX sms_outbox_mobile_no_created_at_idx ON telecom_private.sms_outbox USING btree (mobile_no, created_at);


--
-- Name: sms_outbox_sent_at_idx; Type: INDEX; Schema: telecom_private; Owner: -
--

CREATE INDEX sms_outbox_sent_at_idx ON telecom_private.sms_outbox USING btree (sent_at);


--
-- Name: sms_outbox_unsent_idx; Type: INDEX; Schema: telecom_private; Owner: -
--

CREATE INDEX sms_outbox_unsent_idx ON telecom_private.sms_outbox USING btree (sms_id) WHERE (sent_at IS NULL);


--
-- Name: usage_event_default_mobile_no_occurred_at_idx; Type: INDEX; Schema: telecom_private; Owner: -
--

CREATE INDEX usage_event_default_mobile_no_occurred_at_idx ON telecom_private.usage_event_default USING btree (mobile_no, occurred_at);


--
-- Name: usage_event_default_plan_id_idx; Type: INDEX; Schema: telecom_private; Owner: -
--

CREATE INDEX usage_event_default_plan_id_idx ON telecom_private.usage_event_default USING btree (plan_id);


--
-- Name: verification_code_expires_at_idx; Type: INDEX; Schema: telecom_private; Owner: -
--

CREATE INDEX verification_code_expires_at_idx ON telecom_private.verification_code USING btree (expires_at);


--
-- Name: verification_code_guess_code_id_idx; Type: INDEX; Schema: telecom_private; Owner: -
--

CREATE INDEX verification_code_guess_code_id_idx ON telecom_private.verification_code_guess USING btree (code_id, client_address);


--
-- Name: verification_code_mobile_no_idx; Type: INDEX; Schema: telecom_private; Owner: -
--

CREATE INDEX verification_code_mobile_no_idx ON telecom_private.verification_code USING btree (mobile_no, created_at);


--
-- Name: usage_event_default_mobile_no_occurred_at_idx; Type: INDEX ATTACH; Schema: telecom_private; Owner: -
--

ALTER INDEX telecom.usage_event_mobile_no_idx ATTACH PARTITION telecom_private.usage_event_default_mobile_no_occurred_at_idx;


--
-- Name: usage_event_default_pkey; Type: INDEX ATTACH; Schema: telecom_private; Owner: -
--

ALTER INDEX telecom.usage_event_pkey ATTACH PARTITION telecom_private.usage_event_default_pkey;


--
-- Name: usage_event_default_plan_id_idx; Type: INDEX ATTACH; Schema: telecom_private; Owner: -
--

ALTER INDEX telecom.usage_event_plan_id_idx ATTACH PARTITION telecom_private.usage_event_default_plan_id_idx;


--
-- Name: cashback _050_append_only; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _050_append_only BEFORE DELETE OR UPDATE ON telecom.cashback FOR EACH ROW EXECUTE FUNCTION telecom_private.tg_money_history__append_only('A cashback credit');


--
-- Name: credit_note _050_append_only; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _050_append_only BEFORE DELETE OR UPDATE ON telecom.credit_note FOR EACH ROW EXECUTE FUNCTION telecom_private.tg_money_history__append_only('A credit note');


--
-- Name: invoice _050_append_only; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _050_append_only BEFORE UPDATE ON telecom.invoice FOR EACH ROW WHEN (((old.status <> 'issued'::telecom.invoice_status) OR ((((((((((((((new.invoice_id IS DISTINCT FROM old.invoice_id) OR (new.invoice_no IS DISTINCT FROM old.invoice_no)) OR (new.mobile_no IS DISTINCT FROM old.mobile_no)) OR (new.bill_date IS DISTINCT FROM old.bill_date)) OR (new.period_start IS DISTINCT FROM old.period_start)) OR (new.period_end IS DISTINCT FROM old.period_end)) OR (new.issued_on IS DISTINCT FROM old.issued_on)) OR (new.due_date IS DISTINCT FROM old.due_date)) OR (new.subtotal IS DISTINCT FROM old.subtotal)) OR (new.vat_rate IS DISTINCT FROM old.vat_rate)) OR (new.vat IS DISTINCT FROM old.vat)) OR (new.total IS DISTINCT FROM old.total)) OR (new.previous_due IS DISTINCT FROM old.previous_due)) OR (new.amount_due IS DISTINCT FROM old.amount_due)))) EXECUTE FUNCTION telecom_private.tg_money_history__append_only('A bill (beyond the paid amount and status of an issued one)');


--
-- Name: invoice_line _050_append_only; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _050_append_only BEFORE DELETE OR UPDATE ON telecom.invoice_line FOR EACH ROW EXECUTE FUNCTION telecom_private.tg_money_history__append_only('A bill''s line');


--
-- Name: money_journal _050_append_only; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _050_append_only BEFORE DELETE OR UPDATE ON telecom.money_journal FOR EACH ROW EXECUTE FUNCTION telecom_private.tg_money_history__append_only('A money journal entry');


--
-- Name: payment _050_append_only; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _050_append_only BEFORE DELETE OR UPDATE ON telecom.payment FOR EACH ROW WHEN ((old.status <> 'pending'::telecom.payment_status)) EXECUTE FUNCTION telecom_private.tg_money_history__append_only('A settled payment');


--
-- Name: plan_charge _050_append_only; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _050_append_only BEFORE UPDATE ON telecom.plan_charge FOR EACH ROW WHEN (((old.invoice_id IS NOT NULL) OR (new.invoice_id IS NULL) OR ((((((new.plan_charge_id IS DISTINCT FROM old.plan_charge_id) OR (new.mobile_no IS DISTINCT FROM old.mobile_no)) OR (new.plan_id IS DISTINCT FROM old.plan_id)) OR (new.charge_from IS DISTINCT FROM old.charge_from)) OR (new.charge_to IS DISTINCT FROM old.charge_to)) OR (new.amount IS DISTINCT FROM old.amount)))) EXECUTE FUNCTION telecom_private.tg_money_history__append_only('A plan charge (beyond the bill it is put on, once)');


--
-- Name: transfer_money _050_append_only; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _050_append_only BEFORE DELETE OR UPDATE ON telecom.transfer_money FOR EACH ROW EXECUTE FUNCTION telecom_private.tg_money_history__append_only('A transfer');


--
-- Name: voucher _050_append_only; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _050_append_only BEFORE DELETE OR UPDATE ON telecom.voucher FOR EACH ROW WHEN ((old.mobile_no IS NOT NULL)) EXECUTE FUNCTION telecom_private.tg_money_history__append_only('A redeemed voucher');


--
-- Name: invoice _050_no_delete; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _050_no_delete BEFORE DELETE ON telecom.invoice FOR EACH ROW EXECUTE FUNCTION telecom_private.tg_money_history__append_only('A bill');


--
-- Name: plan_charge _050_no_delete; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _050_no_delete BEFORE DELETE ON telecom.plan_charge FOR EACH ROW EXECUTE FUNCTION telecom_private.tg_money_history__append_only('A plan charge');


--
-- Name: cashback _050_no_truncate; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _050_no_truncate BEFORE TRUNCATE ON telecom.cashback FOR EACH STATEMENT EXECUTE FUNCTION telecom_private.tg_money_history__no_truncate('Cashback credits');


--
-- Name: credit_note _050_no_truncate; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _050_no_truncate BEFORE TRUNCATE ON telecom.credit_note FOR EACH STATEMENT EXECUTE FUNCTION telecom_private.tg_money_history__no_truncate('Credit notes');


--
-- Name: invoice _050_no_truncate; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _050_no_truncate BEFORE TRUNCATE ON telecom.invoice FOR EACH STATEMENT EXECUTE FUNCTION telecom_private.tg_money_history__no_truncate('Bills');


--
-- Name: invoice_line _050_no_truncate; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _050_no_truncate BEFORE TRUNCATE ON telecom.invoice_line FOR EACH STATEMENT EXECUTE FUNCTION telecom_private.tg_money_history__no_truncate('Bill lines');


--
-- Name: money_journal _050_no_truncate; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _050_no_truncate BEFORE TRUNCATE ON telecom.money_journal FOR EACH STATEMENT EXECUTE FUNCTION telecom_private.tg_money_history__no_truncate('Money journal entries');


--
-- Name: payment _050_no_truncate; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _050_no_truncate BEFORE TRUNCATE ON telecom.payment FOR EACH STATEMENT EXECUTE FUNCTION telecom_private.tg_money_history__no_truncate('Payments');


--
-- Name: plan_charge _050_no_truncate; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _050_no_truncate BEFORE TRUNCATE ON telecom.plan_charge FOR EACH STATEMENT EXECUTE FUNCTION telecom_private.tg_money_history__no_truncate('Plan charges');


--
-- Name: points_group _050_no_truncate; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _050_no_truncate BEFORE TRUNCATE ON telecom.points_group FOR EACH STATEMENT EXECUTE FUNCTION telecom_private.tg_money_history__no_truncate('Points earned by payments');


--
-- Name: transfer_money _050_no_truncate; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _050_no_truncate BEFORE TRUNCATE ON telecom.transfer_money FOR EACH STATEMENT EXECUTE FUNCTION telecom_private.tg_money_history__no_truncate('Transfers');


--
-- Name: voucher _050_no_truncate; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _050_no_truncate BEFORE TRUNCATE ON telecom.voucher FOR EACH STATEMENT EXECUTE FUNCTION telecom_private.tg_money_history__no_truncate('Vouchers');


--
-- Name: process_payment _100_compute_amounts; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _100_compute_amounts BEFORE INSERT OR UPDATE OF payment_id, plan_id, remaining_balance, extra_amount ON telecom.process_payment FOR EACH ROW EXECUTE FUNCTION telecom_private.tg_process_payment__compute_amounts();


--
-- Name: payment _100_date; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _100_date BEFORE INSERT OR UPDATE OF date_of_payment ON telecom.payment FOR EACH ROW EXECUTE FUNCTION telecom_private.tg__not_in_future('date_of_payment', 'A payment cannot be dated in the future (%s).');


--
-- Name: customer_profile _100_date_of_birth; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _100_date_of_birth BEFORE INSERT OR UPDATE OF date_of_birth ON telecom.customer_profile FOR EACH ROW EXECUTE FUNCTION telecom_private.tg_customer_profile__date_of_birth();


--
-- Name: subscription _100_dates; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _100_dates BEFORE INSERT OR UPDATE OF subscription_date, mobile_no ON telecom.subscription FOR EACH ROW EXECUTE FUNCTION telecom_private.tg_subscription__dates();


--
-- Name: plan_usage _100_dates_and_plan; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _100_dates_and_plan BEFORE INSERT OR UPDATE ON telecom.plan_usage FOR EACH ROW EXECUTE FUNCTION telecom_private.tg_plan_usage__dates_and_plan();


--
-- Name: service_plan _100_delete_unused; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _100_delete_unused BEFORE DELETE ON telecom.service_plan FOR EACH ROW EXECUTE FUNCTION telecom_private.tg_service_plan__delete_unused();


--
-- Name: shop _100_delete_unused; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _100_delete_unused BEFORE DELETE ON telecom.shop FOR EACH ROW EXECUTE FUNCTION telecom_private.tg_shop__delete_unused();


--
-- Name: customer_profile _100_email_available; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _100_email_available BEFORE UPDATE OF email ON telecom.customer_profile FOR EACH ROW EXECUTE FUNCTION telecom_private.tg_customer_profile__email_available();


--
-- Name: points_group _100_history; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _100_history BEFORE INSERT OR DELETE OR UPDATE ON telecom.points_group FOR EACH ROW EXECUTE FUNCTION telecom_private.tg_points_group__history();


--
-- Name: benefit _100_keep_history; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _100_keep_history BEFORE DELETE ON telecom.benefit FOR EACH ROW EXECUTE FUNCTION telecom_private.tg_benefit__keep_history();


--
-- Name: cashback _100_one_currency; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _100_one_currency BEFORE INSERT ON telecom.cashback FOR EACH ROW EXECUTE FUNCTION telecom_private.tg__one_currency('Cashback is credited in the payment''s currency: the wallet holds another one.');


--
-- Name: transfer_money _100_one_currency; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _100_one_currency BEFORE INSERT ON telecom.transfer_money FOR EACH ROW EXECUTE FUNCTION telecom_private.tg__one_currency('A transfer stays within one currency: the two wallets hold different ones.');


--
-- Name: e_shop _100_one_kind; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _100_one_kind BEFORE INSERT OR UPDATE OF shop_id ON telecom.e_shop FOR EACH ROW EXECUTE FUNCTION telecom_private.tg_shop__one_kind();


--
-- Name: physical_shop _100_one_kind; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _100_one_kind BEFORE INSERT OR UPDATE OF shop_id ON telecom.physical_shop FOR EACH ROW EXECUTE FUNCTION telecom_private.tg_shop__one_kind();


--
-- Name: voucher _100_redeemed_by_expiry; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _100_redeemed_by_expiry BEFORE INSERT OR UPDATE OF redeem_date, expiry_date ON telecom.voucher FOR EACH ROW EXECUTE FUNCTION telecom_private.tg_voucher__redeemed_by_expiry();


--
-- Name: customer_account _100_start_date; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _100_start_date BEFORE INSERT OR UPDATE OF start_date ON telecom.customer_account FOR EACH ROW EXECUTE FUNCTION telecom_private.tg__not_in_future('start_date', 'The account cannot start in the future (%s).');


--
-- Name: customer_account _200_journal; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _200_journal AFTER INSERT OR DELETE OR UPDATE ON telecom.customer_account FOR EACH ROW EXECUTE FUNCTION telecom_private.tg_customer_account__journal();


--
-- Name: wallet _200_journal_delete; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _200_journal_delete AFTER DELETE ON telecom.wallet REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION telecom_private.tg_wallet__journal();


--
-- Name: wallet _200_journal_insert; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _200_journal_insert AFTER INSERT ON telecom.wallet REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION telecom_private.tg_wallet__journal();


--
-- Name: wallet _200_journal_update; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _200_journal_update AFTER UPDATE ON telecom.wallet REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION telecom_private.tg_wallet__journal();


--
-- Name: customer_account _900_notify; Type: TRIGGER; Schema: telecom; Owner: -
--

CREATE TRIGGER _900_notify AFTER UPDATE OF balance ON telecom.customer_account FOR EACH ROW WHEN ((old.balance IS DISTINCT FROM new.balance)) EXECUTE FUNCTION telecom_private.tg_customer_account__notify();


--
-- Name: database_kind _050_set_once; Type: TRIGGER; Schema: telecom_private; Owner: -
--

CREATE TRIGGER _050_set_once BEFORE DELETE OR UPDATE ON telecom_private.database_kind FOR EACH ROW EXECUTE FUNCTION telecom_private.tg_database_kind__set_once();


--
-- Name: database_kind _050_set_once_truncate; Type: TRIGGER; Schema: telecom_private; Owner: -
--

CREATE TRIGGER _050_set_once_truncate BEFORE TRUNCATE ON telecom_private.database_kind FOR EACH STATEMENT EXECUTE FUNCTION telecom_private.tg_database_kind__set_once();


--
-- Name: usage_event_default _100_no_month; Type: TRIGGER; Schema: telecom_private; Owner: -
--

CREATE TRIGGER _100_no_month BEFORE INSERT ON telecom_private.usage_event_default FOR EACH ROW EXECUTE FUNCTION telecom_private.tg_usage_event_default__no_month();


--
-- Name: sms_outbox _900_notify; Type: TRIGGER; Schema: telecom_private; Owner: -
--

CREATE TRIGGER _900_notify AFTER INSERT ON telecom_private.sms_outbox FOR EACH STATEMENT EXECUTE FUNCTION telecom_private.tg_sms_outbox__notify();


--
-- Name: account_bar account_bar_invoice_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.account_bar
    ADD CONSTRAINT account_bar_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES telecom.invoice(invoice_id) ON DELETE RESTRICT;


--
-- Name: account_bar account_bar_mobile_no_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.account_bar
    ADD CONSTRAINT account_bar_mobile_no_fkey FOREIGN KEY (mobile_no) REFERENCES telecom.customer_account(mobile_no) ON DELETE RESTRICT;


--
-- Name: benefit benefit_mobile_no_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.benefit
    ADD CONSTRAINT benefit_mobile_no_fkey FOREIGN KEY (mobile_no) REFERENCES telecom.customer_account(mobile_no);


--
-- Name: card_refund card_refund_payment_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.card_refund
    ADD CONSTRAINT card_refund_payment_id_fkey FOREIGN KEY (payment_id) REFERENCES telecom.payment(payment_id) ON DELETE RESTRICT;


--
-- Name: cashback cashback_benefit_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.cashback
    ADD CONSTRAINT cashback_benefit_id_fkey FOREIGN KEY (benefit_id) REFERENCES telecom.benefit(benefit_id) ON DELETE RESTRICT;


--
-- Name: cashback cashback_payment_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.cashback
    ADD CONSTRAINT cashback_payment_id_fkey FOREIGN KEY (payment_id) REFERENCES telecom.payment(payment_id);


--
-- Name: cashback cashback_wallet_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.cashback
    ADD CONSTRAINT cashback_wallet_id_fkey FOREIGN KEY (wallet_id) REFERENCES telecom.wallet(wallet_id);


--
-- Name: collection_step collection_step_invoice_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.collection_step
    ADD CONSTRAINT collection_step_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES telecom.invoice(invoice_id) ON DELETE RESTRICT;


--
-- Name: credit_note credit_note_invoice_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.credit_note
    ADD CONSTRAINT credit_note_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES telecom.invoice(invoice_id) ON DELETE RESTRICT;


--
-- Name: customer_account customer_account_national_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.customer_account
    ADD CONSTRAINT customer_account_national_id_fkey FOREIGN KEY (national_id) REFERENCES telecom.customer_profile(national_id);


--
-- Name: e_shop e_shop_shop_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.e_shop
    ADD CONSTRAINT e_shop_shop_id_fkey FOREIGN KEY (shop_id) REFERENCES telecom.shop(shop_id) ON DELETE CASCADE;


--
-- Name: exclusive_offer exclusive_offer_benefit_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.exclusive_offer
    ADD CONSTRAINT exclusive_offer_benefit_id_fkey FOREIGN KEY (benefit_id) REFERENCES telecom.benefit(benefit_id) ON DELETE CASCADE;


--
-- Name: invoice_line invoice_line_invoice_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.invoice_line
    ADD CONSTRAINT invoice_line_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES telecom.invoice(invoice_id) ON DELETE RESTRICT;


--
-- Name: invoice_line invoice_line_plan_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.invoice_line
    ADD CONSTRAINT invoice_line_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES telecom.service_plan(plan_id) ON DELETE RESTRICT;


--
-- Name: invoice invoice_mobile_no_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.invoice
    ADD CONSTRAINT invoice_mobile_no_fkey FOREIGN KEY (mobile_no) REFERENCES telecom.customer_account(mobile_no) ON DELETE RESTRICT;


--
-- Name: payment payment_mobile_no_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.payment
    ADD CONSTRAINT payment_mobile_no_fkey FOREIGN KEY (mobile_no) REFERENCES telecom.customer_account(mobile_no);


--
-- Name: physical_shop physical_shop_shop_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.physical_shop
    ADD CONSTRAINT physical_shop_shop_id_fkey FOREIGN KEY (shop_id) REFERENCES telecom.shop(shop_id) ON DELETE CASCADE;


--
-- Name: plan_charge plan_charge_invoice_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.plan_charge
    ADD CONSTRAINT plan_charge_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES telecom.invoice(invoice_id) ON DELETE RESTRICT;


--
-- Name: plan_charge plan_charge_mobile_no_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.plan_charge
    ADD CONSTRAINT plan_charge_mobile_no_fkey FOREIGN KEY (mobile_no) REFERENCES telecom.customer_account(mobile_no) ON DELETE RESTRICT;


--
-- Name: plan_charge plan_charge_plan_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.plan_charge
    ADD CONSTRAINT plan_charge_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES telecom.service_plan(plan_id) ON DELETE RESTRICT;


--
-- Name: plan_provides_benefits plan_provides_benefits_benefit_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.plan_provides_benefits
    ADD CONSTRAINT plan_provides_benefits_benefit_id_fkey FOREIGN KEY (benefit_id) REFERENCES telecom.benefit(benefit_id) ON DELETE CASCADE;


--
-- Name: plan_provides_benefits plan_provides_benefits_plan_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.plan_provides_benefits
    ADD CONSTRAINT plan_provides_benefits_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES telecom.service_plan(plan_id) ON DELETE CASCADE;


--
-- Name: plan_usage plan_usage_mobile_no_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.plan_usage
    ADD CONSTRAINT plan_usage_mobile_no_fkey FOREIGN KEY (mobile_no) REFERENCES telecom.customer_account(mobile_no);


--
-- Name: plan_usage plan_usage_plan_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.plan_usage
    ADD CONSTRAINT plan_usage_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES telecom.service_plan(plan_id);


--
-- Name: points_group points_group_benefit_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.points_group
    ADD CONSTRAINT points_group_benefit_id_fkey FOREIGN KEY (benefit_id) REFERENCES telecom.benefit(benefit_id) ON DELETE RESTRICT;


--
-- Name: points_group points_group_payment_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.points_group
    ADD CONSTRAINT points_group_payment_id_fkey FOREIGN KEY (payment_id) REFERENCES telecom.payment(payment_id);


--
-- Name: process_payment process_payment_payment_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.process_payment
    ADD CONSTRAINT process_payment_payment_id_fkey FOREIGN KEY (payment_id) REFERENCES telecom.payment(payment_id) ON DELETE CASCADE;


--
-- Name: process_payment process_payment_plan_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.process_payment
    ADD CONSTRAINT process_payment_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES telecom.service_plan(plan_id);


--
-- Name: subscription subscription_mobile_no_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.subscription
    ADD CONSTRAINT subscription_mobile_no_fkey FOREIGN KEY (mobile_no) REFERENCES telecom.customer_account(mobile_no);


--
-- Name: subscription subscription_plan_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.subscription
    ADD CONSTRAINT subscription_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES telecom.service_plan(plan_id);


--
-- Name: technical_support_ticket technical_support_ticket_mobile_no_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.technical_support_ticket
    ADD CONSTRAINT technical_support_ticket_mobile_no_fkey FOREIGN KEY (mobile_no) REFERENCES telecom.customer_account(mobile_no);


--
-- Name: transfer_money transfer_money_from_wallet_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.transfer_money
    ADD CONSTRAINT transfer_money_from_wallet_id_fkey FOREIGN KEY (from_wallet_id) REFERENCES telecom.wallet(wallet_id);


--
-- Name: transfer_money transfer_money_to_wallet_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.transfer_money
    ADD CONSTRAINT transfer_money_to_wallet_id_fkey FOREIGN KEY (to_wallet_id) REFERENCES telecom.wallet(wallet_id);


--
-- Name: usage_alert usage_alert_mobile_no_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.usage_alert
    ADD CONSTRAINT usage_alert_mobile_no_fkey FOREIGN KEY (mobile_no) REFERENCES telecom.customer_account(mobile_no) ON DELETE RESTRICT;


--
-- Name: usage_alert usage_alert_plan_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.usage_alert
    ADD CONSTRAINT usage_alert_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES telecom.service_plan(plan_id) ON DELETE RESTRICT;


--
-- Name: usage_allocation usage_allocation_event_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.usage_allocation
    ADD CONSTRAINT usage_allocation_event_id_fkey FOREIGN KEY (event_id) REFERENCES telecom_private.usage_event_key(event_id) ON DELETE CASCADE;


--
-- Name: usage_allocation usage_allocation_mobile_no_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.usage_allocation
    ADD CONSTRAINT usage_allocation_mobile_no_fkey FOREIGN KEY (mobile_no) REFERENCES telecom.customer_account(mobile_no) ON DELETE RESTRICT;


--
-- Name: usage_allocation usage_allocation_plan_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.usage_allocation
    ADD CONSTRAINT usage_allocation_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES telecom.service_plan(plan_id) ON DELETE RESTRICT;


--
-- Name: usage_event usage_event_mobile_no_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE telecom.usage_event
    ADD CONSTRAINT usage_event_mobile_no_fkey FOREIGN KEY (mobile_no) REFERENCES telecom.customer_account(mobile_no) ON DELETE RESTRICT;


--
-- Name: usage_event usage_event_plan_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE telecom.usage_event
    ADD CONSTRAINT usage_event_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES telecom.service_plan(plan_id) ON DELETE RESTRICT;


--
-- Name: voucher voucher_mobile_no_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.voucher
    ADD CONSTRAINT voucher_mobile_no_fkey FOREIGN KEY (mobile_no) REFERENCES telecom.customer_account(mobile_no);


--
-- Name: voucher voucher_shop_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.voucher
    ADD CONSTRAINT voucher_shop_id_fkey FOREIGN KEY (shop_id) REFERENCES telecom.shop(shop_id);


--
-- Name: wallet wallet_mobile_no_national_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.wallet
    ADD CONSTRAINT wallet_mobile_no_national_id_fkey FOREIGN KEY (mobile_no, national_id) REFERENCES telecom.customer_account(mobile_no, national_id);


--
-- Name: wallet wallet_national_id_fkey; Type: FK CONSTRAINT; Schema: telecom; Owner: -
--

ALTER TABLE ONLY telecom.wallet
    ADD CONSTRAINT wallet_national_id_fkey FOREIGN KEY (national_id) REFERENCES telecom.customer_profile(national_id);


--
-- Name: customer_credential customer_credential_mobile_no_fkey; Type: FK CONSTRAINT; Schema: telecom_private; Owner: -
--

ALTER TABLE ONLY telecom_private.customer_credential
    ADD CONSTRAINT customer_credential_mobile_no_fkey FOREIGN KEY (mobile_no) REFERENCES telecom.customer_account(mobile_no) ON DELETE CASCADE;


--
-- Name: email_refusal email_refusal_national_id_fkey; Type: FK CONSTRAINT; Schema: telecom_private; Owner: -
--

ALTER TABLE ONLY telecom_private.email_refusal
    ADD CONSTRAINT email_refusal_national_id_fkey FOREIGN KEY (national_id) REFERENCES telecom.customer_profile(national_id) ON DELETE CASCADE;


--
-- Name: recipient_lookup recipient_lookup_national_id_fkey; Type: FK CONSTRAINT; Schema: telecom_private; Owner: -
--

ALTER TABLE ONLY telecom_private.recipient_lookup
    ADD CONSTRAINT recipient_lookup_national_id_fkey FOREIGN KEY (national_id) REFERENCES telecom.customer_profile(national_id) ON DELETE CASCADE;


--
-- Name: sms_outbox sms_outbox_code_id_fkey; Type: FK CONSTRAINT; Schema: telecom_private; Owner: -
--

ALTER TABLE ONLY telecom_private.sms_outbox
    ADD CONSTRAINT sms_outbox_code_id_fkey FOREIGN KEY (code_id) REFERENCES telecom_private.verification_code(code_id) ON DELETE SET NULL;


--
-- Name: verification_code_guess verification_code_guess_code_id_fkey; Type: FK CONSTRAINT; Schema: telecom_private; Owner: -
--

ALTER TABLE ONLY telecom_private.verification_code_guess
    ADD CONSTRAINT verification_code_guess_code_id_fkey FOREIGN KEY (code_id) REFERENCES telecom_private.verification_code(code_id) ON DELETE CASCADE;


--
-- Name: verification_code verification_code_mobile_no_fkey; Type: FK CONSTRAINT; Schema: telecom_private; Owner: -
--

ALTER TABLE ONLY telecom_private.verification_code
    ADD CONSTRAINT verification_code_mobile_no_fkey FOREIGN KEY (mobile_no) REFERENCES telecom.customer_account(mobile_no) ON DELETE CASCADE;


--
-- Name: account_bar; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.account_bar ENABLE ROW LEVEL SECURITY;

--
-- Name: benefit; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.benefit ENABLE ROW LEVEL SECURITY;

--
-- Name: bill_run_request; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.bill_run_request ENABLE ROW LEVEL SECURITY;

--
-- Name: card_refund; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.card_refund ENABLE ROW LEVEL SECURITY;

--
-- Name: cashback; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.cashback ENABLE ROW LEVEL SECURITY;

--
-- Name: collection_step; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.collection_step ENABLE ROW LEVEL SECURITY;

--
-- Name: credit_note; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.credit_note ENABLE ROW LEVEL SECURITY;

--
-- Name: customer_account; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.customer_account ENABLE ROW LEVEL SECURITY;

--
-- Name: customer_profile; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.customer_profile ENABLE ROW LEVEL SECURITY;

--
-- Name: e_shop; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.e_shop ENABLE ROW LEVEL SECURITY;

--
-- Name: exclusive_offer; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.exclusive_offer ENABLE ROW LEVEL SECURITY;

--
-- Name: invoice; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.invoice ENABLE ROW LEVEL SECURITY;

--
-- Name: invoice_line; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.invoice_line ENABLE ROW LEVEL SECURITY;

--
-- Name: benefit manage_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY manage_admin ON telecom.benefit TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: cashback manage_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY manage_admin ON telecom.cashback TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: customer_account manage_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY manage_admin ON telecom.customer_account TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: customer_profile manage_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY manage_admin ON telecom.customer_profile TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: e_shop manage_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY manage_admin ON telecom.e_shop TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: exclusive_offer manage_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY manage_admin ON telecom.exclusive_offer TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: payment manage_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY manage_admin ON telecom.payment TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: physical_shop manage_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY manage_admin ON telecom.physical_shop TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: plan_provides_benefits manage_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY manage_admin ON telecom.plan_provides_benefits TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: plan_usage manage_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY manage_admin ON telecom.plan_usage TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: points_group manage_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY manage_admin ON telecom.points_group TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: process_payment manage_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY manage_admin ON telecom.process_payment TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: service_plan manage_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY manage_admin ON telecom.service_plan TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: shop manage_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY manage_admin ON telecom.shop TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: subscription manage_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY manage_admin ON telecom.subscription TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: tariff manage_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY manage_admin ON telecom.tariff TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: technical_support_ticket manage_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY manage_admin ON telecom.technical_support_ticket TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: transfer_money manage_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY manage_admin ON telecom.transfer_money TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: voucher manage_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY manage_admin ON telecom.voucher TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: wallet manage_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY manage_admin ON telecom.wallet TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: money_journal; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.money_journal ENABLE ROW LEVEL SECURITY;

--
-- Name: payment; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.payment ENABLE ROW LEVEL SECURITY;

--
-- Name: physical_shop; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.physical_shop ENABLE ROW LEVEL SECURITY;

--
-- Name: plan_charge; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.plan_charge ENABLE ROW LEVEL SECURITY;

--
-- Name: plan_provides_benefits; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.plan_provides_benefits ENABLE ROW LEVEL SECURITY;

--
-- Name: plan_usage; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.plan_usage ENABLE ROW LEVEL SECURITY;

--
-- Name: points_group; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.points_group ENABLE ROW LEVEL SECURITY;

--
-- Name: process_payment; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.process_payment ENABLE ROW LEVEL SECURITY;

--
-- Name: account_bar select_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_admin ON telecom.account_bar FOR SELECT TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: bill_run_request select_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_admin ON telecom.bill_run_request FOR SELECT TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: card_refund select_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_admin ON telecom.card_refund FOR SELECT TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: collection_step select_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_admin ON telecom.collection_step FOR SELECT TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: credit_note select_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_admin ON telecom.credit_note FOR SELECT TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: invoice select_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_admin ON telecom.invoice FOR SELECT TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: invoice_line select_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_admin ON telecom.invoice_line FOR SELECT TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: money_journal select_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_admin ON telecom.money_journal FOR SELECT TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: plan_charge select_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_admin ON telecom.plan_charge FOR SELECT TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: usage_alert select_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_admin ON telecom.usage_alert FOR SELECT TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: usage_allocation select_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_admin ON telecom.usage_allocation FOR SELECT TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: usage_event select_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_admin ON telecom.usage_event FOR SELECT TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: e_shop select_all; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_all ON telecom.e_shop FOR SELECT USING (true);


--
-- Name: physical_shop select_all; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_all ON telecom.physical_shop FOR SELECT USING (true);


--
-- Name: service_plan select_all; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_all ON telecom.service_plan FOR SELECT USING (true);


--
-- Name: shop select_all; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_all ON telecom.shop FOR SELECT USING (true);


--
-- Name: tariff select_all; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_all ON telecom.tariff FOR SELECT TO telecom_anonymous, telecom_customer, telecom_network USING (true);


--
-- Name: vat_rate select_all; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_all ON telecom.vat_rate FOR SELECT TO telecom_anonymous, telecom_customer, telecom_admin USING (true);


--
-- Name: benefit select_own; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_own ON telecom.benefit FOR SELECT TO telecom_customer USING ((mobile_no = ANY (ARRAY( SELECT telecom.current_mobile_nos() AS current_mobile_nos))));


--
-- Name: cashback select_own; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_own ON telecom.cashback FOR SELECT TO telecom_customer USING (((wallet_id = ANY (ARRAY( SELECT wallet.wallet_id
   FROM telecom.wallet wallet))) OR (benefit_id = ANY (ARRAY( SELECT benefit.benefit_id
   FROM telecom.benefit benefit)))));


--
-- Name: credit_note select_own; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_own ON telecom.credit_note FOR SELECT TO telecom_customer USING ((invoice_id IN ( SELECT invoice.invoice_id
   FROM telecom.invoice invoice
  WHERE (invoice.mobile_no = ANY (ARRAY( SELECT telecom.current_mobile_nos() AS current_mobile_nos))))));


--
-- Name: customer_account select_own; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_own ON telecom.customer_account FOR SELECT TO telecom_customer USING ((national_id = telecom.current_national_id()));


--
-- Name: customer_profile select_own; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_own ON telecom.customer_profile FOR SELECT TO telecom_customer USING ((national_id = telecom.current_national_id()));


--
-- Name: exclusive_offer select_own; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_own ON telecom.exclusive_offer FOR SELECT TO telecom_customer USING ((benefit_id = ANY (ARRAY( SELECT benefit.benefit_id
   FROM telecom.benefit benefit))));


--
-- Name: invoice select_own; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_own ON telecom.invoice FOR SELECT TO telecom_customer USING ((mobile_no = ANY (ARRAY( SELECT telecom.current_mobile_nos() AS current_mobile_nos))));


--
-- Name: invoice_line select_own; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_own ON telecom.invoice_line FOR SELECT TO telecom_customer USING ((invoice_id IN ( SELECT invoice.invoice_id
   FROM telecom.invoice invoice
  WHERE (invoice.mobile_no = ANY (ARRAY( SELECT telecom.current_mobile_nos() AS current_mobile_nos))))));


--
-- Name: money_journal select_own; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_own ON telecom.money_journal FOR SELECT TO telecom_customer USING ((national_id = telecom.current_national_id()));


--
-- Name: payment select_own; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_own ON telecom.payment FOR SELECT TO telecom_customer USING ((mobile_no = ANY (ARRAY( SELECT telecom.current_mobile_nos() AS current_mobile_nos))));


--
-- Name: plan_charge select_own; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_own ON telecom.plan_charge FOR SELECT TO telecom_customer USING ((mobile_no = ANY (ARRAY( SELECT telecom.current_mobile_nos() AS current_mobile_nos))));


--
-- Name: plan_provides_benefits select_own; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_own ON telecom.plan_provides_benefits FOR SELECT TO telecom_customer USING ((benefit_id = ANY (ARRAY( SELECT benefit.benefit_id
   FROM telecom.benefit benefit))));


--
-- Name: plan_usage select_own; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_own ON telecom.plan_usage FOR SELECT TO telecom_customer USING ((mobile_no = ANY (ARRAY( SELECT telecom.current_mobile_nos() AS current_mobile_nos))));


--
-- Name: points_group select_own; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_own ON telecom.points_group FOR SELECT TO telecom_customer USING ((benefit_id = ANY (ARRAY( SELECT benefit.benefit_id
   FROM telecom.benefit benefit))));


--
-- Name: process_payment select_own; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_own ON telecom.process_payment FOR SELECT TO telecom_customer USING ((payment_id = ANY (ARRAY( SELECT payment.payment_id
   FROM telecom.payment payment))));


--
-- Name: subscription select_own; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_own ON telecom.subscription FOR SELECT TO telecom_customer USING ((mobile_no = ANY (ARRAY( SELECT telecom.current_mobile_nos() AS current_mobile_nos))));


--
-- Name: technical_support_ticket select_own; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_own ON telecom.technical_support_ticket FOR SELECT TO telecom_customer USING ((mobile_no = ANY (ARRAY( SELECT telecom.current_mobile_nos() AS current_mobile_nos))));


--
-- Name: transfer_money select_own; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_own ON telecom.transfer_money FOR SELECT TO telecom_customer USING (((from_wallet_id = ANY (ARRAY( SELECT wallet.wallet_id
   FROM telecom.wallet wallet))) OR (to_wallet_id = ANY (ARRAY( SELECT wallet.wallet_id
   FROM telecom.wallet wallet)))));


--
-- Name: usage_alert select_own; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_own ON telecom.usage_alert FOR SELECT TO telecom_customer USING ((mobile_no = ANY (ARRAY( SELECT telecom.current_mobile_nos() AS current_mobile_nos))));


--
-- Name: usage_allocation select_own; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_own ON telecom.usage_allocation FOR SELECT TO telecom_customer USING ((mobile_no = ANY (ARRAY( SELECT telecom.current_mobile_nos() AS current_mobile_nos))));


--
-- Name: usage_event select_own; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_own ON telecom.usage_event FOR SELECT TO telecom_customer USING ((mobile_no = ANY (ARRAY( SELECT telecom.current_mobile_nos() AS current_mobile_nos))));


--
-- Name: voucher select_own; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_own ON telecom.voucher FOR SELECT TO telecom_customer USING (((mobile_no IS NULL) OR (mobile_no = ANY (ARRAY( SELECT telecom.current_mobile_nos() AS current_mobile_nos)))));


--
-- Name: wallet select_own; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY select_own ON telecom.wallet FOR SELECT TO telecom_customer USING ((national_id = telecom.current_national_id()));


--
-- Name: service_plan; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.service_plan ENABLE ROW LEVEL SECURITY;

--
-- Name: shop; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.shop ENABLE ROW LEVEL SECURITY;

--
-- Name: subscription; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.subscription ENABLE ROW LEVEL SECURITY;

--
-- Name: tariff; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.tariff ENABLE ROW LEVEL SECURITY;

--
-- Name: technical_support_ticket; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.technical_support_ticket ENABLE ROW LEVEL SECURITY;

--
-- Name: transfer_money; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.transfer_money ENABLE ROW LEVEL SECURITY;

--
-- Name: card_refund update_admin; Type: POLICY; Schema: telecom; Owner: -
--

CREATE POLICY update_admin ON telecom.card_refund FOR UPDATE TO telecom_admin USING (( SELECT telecom.current_role_is_admin() AS current_role_is_admin));


--
-- Name: usage_alert; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.usage_alert ENABLE ROW LEVEL SECURITY;

--
-- Name: usage_allocation; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.usage_allocation ENABLE ROW LEVEL SECURITY;

--
-- Name: usage_event; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.usage_event ENABLE ROW LEVEL SECURITY;

--
-- Name: vat_rate; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.vat_rate ENABLE ROW LEVEL SECURITY;

--
-- Name: voucher; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.voucher ENABLE ROW LEVEL SECURITY;

--
-- Name: wallet; Type: ROW SECURITY; Schema: telecom; Owner: -
--

ALTER TABLE telecom.wallet ENABLE ROW LEVEL SECURITY;

--
-- Name: database_kind; Type: ROW SECURITY; Schema: telecom_private; Owner: -
--

ALTER TABLE telecom_private.database_kind ENABLE ROW LEVEL SECURITY;

--
-- Name: document_number; Type: ROW SECURITY; Schema: telecom_private; Owner: -
--

ALTER TABLE telecom_private.document_number ENABLE ROW LEVEL SECURITY;

--
-- Name: email_refusal; Type: ROW SECURITY; Schema: telecom_private; Owner: -
--

ALTER TABLE telecom_private.email_refusal ENABLE ROW LEVEL SECURITY;

--
-- Name: error_code; Type: ROW SECURITY; Schema: telecom_private; Owner: -
--

ALTER TABLE telecom_private.error_code ENABLE ROW LEVEL SECURITY;

--
-- Name: idempotency_key; Type: ROW SECURITY; Schema: telecom_private; Owner: -
--

ALTER TABLE telecom_private.idempotency_key ENABLE ROW LEVEL SECURITY;

--
-- Name: maintenance_state; Type: ROW SECURITY; Schema: telecom_private; Owner: -
--

ALTER TABLE telecom_private.maintenance_state ENABLE ROW LEVEL SECURITY;

--
-- Name: money_operation; Type: ROW SECURITY; Schema: telecom_private; Owner: -
--

ALTER TABLE telecom_private.money_operation ENABLE ROW LEVEL SECURITY;

--
-- Name: network_credential; Type: ROW SECURITY; Schema: telecom_private; Owner: -
--

ALTER TABLE telecom_private.network_credential ENABLE ROW LEVEL SECURITY;

--
-- Name: recipient_lookup; Type: ROW SECURITY; Schema: telecom_private; Owner: -
--

ALTER TABLE telecom_private.recipient_lookup ENABLE ROW LEVEL SECURITY;

--
-- Name: sms_outbox; Type: ROW SECURITY; Schema: telecom_private; Owner: -
--

ALTER TABLE telecom_private.sms_outbox ENABLE ROW LEVEL SECURITY;

--
-- Name: usage_event_key; Type: ROW SECURITY; Schema: telecom_private; Owner: -
--

ALTER TABLE telecom_private.usage_event_key ENABLE ROW LEVEL SECURITY;

--
-- Name: usage_load_chunk; Type: ROW SECURITY; Schema: telecom_private; Owner: -
--

ALTER TABLE telecom_private.usage_load_chunk ENABLE ROW LEVEL SECURITY;

--
-- Name: usage_load_event; Type: ROW SECURITY; Schema: telecom_private; Owner: -
--

ALTER TABLE telecom_private.usage_load_event ENABLE ROW LEVEL SECURITY;

--
-- Name: verification_code; Type: ROW SECURITY; Schema: telecom_private; Owner: -
--

ALTER TABLE telecom_private.verification_code ENABLE ROW LEVEL SECURITY;

--
-- Name: verification_code_guess; Type: ROW SECURITY; Schema: telecom_private; Owner: -
--

ALTER TABLE telecom_private.verification_code_guess ENABLE ROW LEVEL SECURITY;

--
-- Name: SCHEMA public; Type: ACL; Schema: -; Owner: -
--

REVOKE USAGE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO telecom_anonymous;
GRANT USAGE ON SCHEMA public TO telecom_customer;
GRANT USAGE ON SCHEMA public TO telecom_admin;
GRANT USAGE ON SCHEMA public TO telecom_payment_processor;
GRANT USAGE ON SCHEMA public TO telecom_network;


--
-- Name: SCHEMA telecom; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA telecom TO telecom_anonymous;
GRANT USAGE ON SCHEMA telecom TO telecom_customer;
GRANT USAGE ON SCHEMA telecom TO telecom_admin;
GRANT USAGE ON SCHEMA telecom TO telecom_payment_processor;
GRANT USAGE ON SCHEMA telecom TO telecom_network;


--
-- Name: FUNCTION account_highest_voucher(mobile_no text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.account_highest_voucher(mobile_no text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.account_highest_voucher(mobile_no text) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.account_highest_voucher(mobile_no text) TO telecom_admin;


--
-- Name: FUNCTION account_login_validation(mobile_no text, password text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.account_login_validation(mobile_no text, password text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.account_login_validation(mobile_no text, password text) TO telecom_anonymous;
GRANT ALL ON FUNCTION telecom.account_login_validation(mobile_no text, password text) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.account_login_validation(mobile_no text, password text) TO telecom_admin;


--
-- Name: FUNCTION account_payment_points(mobile_no text, OUT payment_count integer, OUT total_points integer); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.account_payment_points(mobile_no text, OUT payment_count integer, OUT total_points integer) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.account_payment_points(mobile_no text, OUT payment_count integer, OUT total_points integer) TO telecom_admin;


--
-- Name: FUNCTION account_plan(); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.account_plan() FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.account_plan() TO telecom_admin;


--
-- Name: FUNCTION account_plan_date(subscription_date date, plan_id integer); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.account_plan_date(subscription_date date, plan_id integer) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.account_plan_date(subscription_date date, plan_id integer) TO telecom_admin;


--
-- Name: TABLE exclusive_offer; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.exclusive_offer TO telecom_customer;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE telecom.exclusive_offer TO telecom_admin;


--
-- Name: FUNCTION account_sms_offers(mobile_no text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.account_sms_offers(mobile_no text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.account_sms_offers(mobile_no text) TO telecom_admin;


--
-- Name: FUNCTION account_usage_plan(mobile_no text, from_date date); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.account_usage_plan(mobile_no text, from_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.account_usage_plan(mobile_no text, from_date date) TO telecom_admin;


--
-- Name: FUNCTION assert_account_access(mobile_no text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.assert_account_access(mobile_no text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.assert_account_access(mobile_no text) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.assert_account_access(mobile_no text) TO telecom_admin;


--
-- Name: FUNCTION assert_admin(refusal text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.assert_admin(refusal text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.assert_admin(refusal text) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.assert_admin(refusal text) TO telecom_admin;


--
-- Name: FUNCTION assert_date_range(start_date date, end_date date); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.assert_date_range(start_date date, end_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.assert_date_range(start_date date, end_date date) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.assert_date_range(start_date date, end_date date) TO telecom_admin;


--
-- Name: FUNCTION assert_person_access(national_id integer); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.assert_person_access(national_id integer) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.assert_person_access(national_id integer) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.assert_person_access(national_id integer) TO telecom_admin;


--
-- Name: TABLE service_plan; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.service_plan TO telecom_anonymous;
GRANT SELECT ON TABLE telecom.service_plan TO telecom_customer;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE telecom.service_plan TO telecom_admin;


--
-- Name: FUNCTION assert_plan_exists(plan_id integer); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.assert_plan_exists(plan_id integer) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.assert_plan_exists(plan_id integer) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.assert_plan_exists(plan_id integer) TO telecom_admin;


--
-- Name: FUNCTION assert_plan_name_exists(plan_name text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.assert_plan_name_exists(plan_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.assert_plan_name_exists(plan_name text) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.assert_plan_name_exists(plan_name text) TO telecom_admin;


--
-- Name: FUNCTION audit_balances(); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.audit_balances() FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.audit_balances() TO telecom_admin;


--
-- Name: FUNCTION authenticate(mobile_no text, password text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.authenticate(mobile_no text, password text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.authenticate(mobile_no text, password text) TO telecom_anonymous;
GRANT ALL ON FUNCTION telecom.authenticate(mobile_no text, password text) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.authenticate(mobile_no text, password text) TO telecom_admin;


--
-- Name: FUNCTION authenticate_admin(username text, password text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.authenticate_admin(username text, password text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.authenticate_admin(username text, password text) TO telecom_anonymous;
GRANT ALL ON FUNCTION telecom.authenticate_admin(username text, password text) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.authenticate_admin(username text, password text) TO telecom_admin;


--
-- Name: FUNCTION authenticate_network(client_id text, secret text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.authenticate_network(client_id text, secret text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.authenticate_network(client_id text, secret text) TO telecom_anonymous;


--
-- Name: FUNCTION benefits_account(mobile_no text, plan_id integer); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.benefits_account(mobile_no text, plan_id integer) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.benefits_account(mobile_no text, plan_id integer) TO telecom_admin;


--
-- Name: TABLE bill_run_request; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.bill_run_request TO telecom_admin;


--
-- Name: FUNCTION bill_run_request_status(request telecom.bill_run_request); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.bill_run_request_status(request telecom.bill_run_request) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.bill_run_request_status(request telecom.bill_run_request) TO telecom_admin;


--
-- Name: TABLE cashback; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.cashback TO telecom_customer;
GRANT SELECT ON TABLE telecom.cashback TO telecom_admin;


--
-- Name: FUNCTION cashback_wallet_customer(national_id integer); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.cashback_wallet_customer(national_id integer) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.cashback_wallet_customer(national_id integer) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.cashback_wallet_customer(national_id integer) TO telecom_admin;


--
-- Name: FUNCTION change_password(old_password text, new_password text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.change_password(old_password text, new_password text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.change_password(old_password text, new_password text) TO telecom_customer;


--
-- Name: FUNCTION consumption(plan_name text, start_date date, end_date date, OUT data_consumption integer, OUT minutes_used integer, OUT sms_sent integer); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.consumption(plan_name text, start_date date, end_date date, OUT data_consumption integer, OUT minutes_used integer, OUT sms_sent integer) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.consumption(plan_name text, start_date date, end_date date, OUT data_consumption integer, OUT minutes_used integer, OUT sms_sent integer) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.consumption(plan_name text, start_date date, end_date date, OUT data_consumption integer, OUT minutes_used integer, OUT sms_sent integer) TO telecom_admin;


--
-- Name: FUNCTION current_mobile_no(); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.current_mobile_no() FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.current_mobile_no() TO telecom_anonymous;
GRANT ALL ON FUNCTION telecom.current_mobile_no() TO telecom_customer;
GRANT ALL ON FUNCTION telecom.current_mobile_no() TO telecom_admin;


--
-- Name: FUNCTION current_mobile_nos(); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.current_mobile_nos() FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.current_mobile_nos() TO telecom_customer;
GRANT ALL ON FUNCTION telecom.current_mobile_nos() TO telecom_admin;


--
-- Name: FUNCTION current_national_id(); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.current_national_id() FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.current_national_id() TO telecom_anonymous;
GRANT ALL ON FUNCTION telecom.current_national_id() TO telecom_customer;
GRANT ALL ON FUNCTION telecom.current_national_id() TO telecom_admin;


--
-- Name: FUNCTION current_role_is_admin(); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.current_role_is_admin() FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.current_role_is_admin() TO telecom_anonymous;
GRANT ALL ON FUNCTION telecom.current_role_is_admin() TO telecom_customer;
GRANT ALL ON FUNCTION telecom.current_role_is_admin() TO telecom_admin;
GRANT ALL ON FUNCTION telecom.current_role_is_admin() TO telecom_payment_processor;
GRANT ALL ON FUNCTION telecom.current_role_is_admin() TO telecom_network;


--
-- Name: TABLE customer_account; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.customer_account TO telecom_customer;
GRANT SELECT,DELETE ON TABLE telecom.customer_account TO telecom_admin;


--
-- Name: COLUMN customer_account.mobile_no; Type: ACL; Schema: telecom; Owner: -
--

GRANT INSERT(mobile_no) ON TABLE telecom.customer_account TO telecom_admin;


--
-- Name: COLUMN customer_account.national_id; Type: ACL; Schema: telecom; Owner: -
--

GRANT INSERT(national_id),UPDATE(national_id) ON TABLE telecom.customer_account TO telecom_admin;


--
-- Name: COLUMN customer_account.account_type; Type: ACL; Schema: telecom; Owner: -
--

GRANT INSERT(account_type),UPDATE(account_type) ON TABLE telecom.customer_account TO telecom_admin;


--
-- Name: COLUMN customer_account.start_date; Type: ACL; Schema: telecom; Owner: -
--

GRANT INSERT(start_date),UPDATE(start_date) ON TABLE telecom.customer_account TO telecom_admin;


--
-- Name: COLUMN customer_account.status; Type: ACL; Schema: telecom; Owner: -
--

GRANT INSERT(status),UPDATE(status) ON TABLE telecom.customer_account TO telecom_admin;


--
-- Name: COLUMN customer_account.credit_limit; Type: ACL; Schema: telecom; Owner: -
--

GRANT INSERT(credit_limit),UPDATE(credit_limit) ON TABLE telecom.customer_account TO telecom_admin;


--
-- Name: TABLE invoice; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.invoice TO telecom_customer;
GRANT SELECT ON TABLE telecom.invoice TO telecom_admin;


--
-- Name: FUNCTION customer_account_issued_invoice(account telecom.customer_account); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.customer_account_issued_invoice(account telecom.customer_account) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.customer_account_issued_invoice(account telecom.customer_account) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.customer_account_issued_invoice(account telecom.customer_account) TO telecom_admin;


--
-- Name: FUNCTION customer_account_unbilled_amount(account telecom.customer_account); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.customer_account_unbilled_amount(account telecom.customer_account) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.customer_account_unbilled_amount(account telecom.customer_account) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.customer_account_unbilled_amount(account telecom.customer_account) TO telecom_admin;


--
-- Name: FUNCTION customer_account_usage_current_month(account telecom.customer_account); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.customer_account_usage_current_month(account telecom.customer_account) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.customer_account_usage_current_month(account telecom.customer_account) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.customer_account_usage_current_month(account telecom.customer_account) TO telecom_admin;


--
-- Name: TABLE customer_profile; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.customer_profile TO telecom_customer;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE telecom.customer_profile TO telecom_admin;


--
-- Name: FUNCTION customer_profile_open_ticket_count(profile telecom.customer_profile); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.customer_profile_open_ticket_count(profile telecom.customer_profile) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.customer_profile_open_ticket_count(profile telecom.customer_profile) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.customer_profile_open_ticket_count(profile telecom.customer_profile) TO telecom_admin;


--
-- Name: FUNCTION customer_transfers(mobile_no text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.customer_transfers(mobile_no text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.customer_transfers(mobile_no text) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.customer_transfers(mobile_no text) TO telecom_admin;


--
-- Name: FUNCTION estimated_row_count(relation_name text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.estimated_row_count(relation_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.estimated_row_count(relation_name text) TO telecom_admin;


--
-- Name: FUNCTION extra_plan_amount(mobile_no text, plan_name text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.extra_plan_amount(mobile_no text, plan_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.extra_plan_amount(mobile_no text, plan_name text) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.extra_plan_amount(mobile_no text, plan_name text) TO telecom_admin;


--
-- Name: TABLE subscription; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.subscription TO telecom_customer;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE telecom.subscription TO telecom_admin;


--
-- Name: FUNCTION hold_subscription(mobile_no text, plan_id integer); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.hold_subscription(mobile_no text, plan_id integer) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.hold_subscription(mobile_no text, plan_id integer) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.hold_subscription(mobile_no text, plan_id integer) TO telecom_admin;


--
-- Name: TABLE payment; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.payment TO telecom_customer;
GRANT SELECT ON TABLE telecom.payment TO telecom_admin;


--
-- Name: FUNCTION initiate_balance_payment(mobile_no text, amount numeric, payment_method telecom.payment_method, idempotency_key uuid); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.initiate_balance_payment(mobile_no text, amount numeric, payment_method telecom.payment_method, idempotency_key uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.initiate_balance_payment(mobile_no text, amount numeric, payment_method telecom.payment_method, idempotency_key uuid) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.initiate_balance_payment(mobile_no text, amount numeric, payment_method telecom.payment_method, idempotency_key uuid) TO telecom_admin;


--
-- Name: FUNCTION initiate_plan_payment(mobile_no text, amount numeric, payment_method telecom.payment_method, plan_id integer, idempotency_key uuid); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.initiate_plan_payment(mobile_no text, amount numeric, payment_method telecom.payment_method, plan_id integer, idempotency_key uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.initiate_plan_payment(mobile_no text, amount numeric, payment_method telecom.payment_method, plan_id integer, idempotency_key uuid) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.initiate_plan_payment(mobile_no text, amount numeric, payment_method telecom.payment_method, plan_id integer, idempotency_key uuid) TO telecom_admin;


--
-- Name: FUNCTION invoice_ageing(OUT due_1_to_30 numeric, OUT due_31_to_60 numeric, OUT due_61_to_90 numeric, OUT due_over_90 numeric, OUT bills_overdue integer); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.invoice_ageing(OUT due_1_to_30 numeric, OUT due_31_to_60 numeric, OUT due_61_to_90 numeric, OUT due_over_90 numeric, OUT bills_overdue integer) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.invoice_ageing(OUT due_1_to_30 numeric, OUT due_31_to_60 numeric, OUT due_61_to_90 numeric, OUT due_over_90 numeric, OUT bills_overdue integer) TO telecom_admin;


--
-- Name: FUNCTION issue_account(national_id integer, mobile_no text, account_type telecom.account_type, first_name text, last_name text, email text, address text, date_of_birth date); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.issue_account(national_id integer, mobile_no text, account_type telecom.account_type, first_name text, last_name text, email text, address text, date_of_birth date) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.issue_account(national_id integer, mobile_no text, account_type telecom.account_type, first_name text, last_name text, email text, address text, date_of_birth date) TO telecom_admin;


--
-- Name: TABLE credit_note; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.credit_note TO telecom_customer;
GRANT SELECT ON TABLE telecom.credit_note TO telecom_admin;


--
-- Name: FUNCTION issue_credit_note(invoice_no text, amount numeric, reason text, idempotency_key uuid); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.issue_credit_note(invoice_no text, amount numeric, reason text, idempotency_key uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.issue_credit_note(invoice_no text, amount numeric, reason text, idempotency_key uuid) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.issue_credit_note(invoice_no text, amount numeric, reason text, idempotency_key uuid) TO telecom_admin;


--
-- Name: TABLE process_payment; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.process_payment TO telecom_customer;
GRANT SELECT ON TABLE telecom.process_payment TO telecom_admin;


--
-- Name: FUNCTION latest_plan_payment(mobile_no text, plan_name text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.latest_plan_payment(mobile_no text, plan_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.latest_plan_payment(mobile_no text, plan_name text) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.latest_plan_payment(mobile_no text, plan_name text) TO telecom_admin;


--
-- Name: FUNCTION maintenance_tick(stale_payment_age interval, figures_age interval); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.maintenance_tick(stale_payment_age interval, figures_age interval) FROM PUBLIC;


--
-- Name: TABLE technical_support_ticket; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.technical_support_ticket TO telecom_customer;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE telecom.technical_support_ticket TO telecom_admin;


--
-- Name: FUNCTION open_ticket(issue_description text, priority_level integer); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.open_ticket(issue_description text, priority_level integer) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.open_ticket(issue_description text, priority_level integer) TO telecom_customer;


--
-- Name: FUNCTION payment_wallet_cashback(mobile_no text, payment_id integer, benefit_id integer, idempotency_key uuid); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.payment_wallet_cashback(mobile_no text, payment_id integer, benefit_id integer, idempotency_key uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.payment_wallet_cashback(mobile_no text, payment_id integer, benefit_id integer, idempotency_key uuid) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.payment_wallet_cashback(mobile_no text, payment_id integer, benefit_id integer, idempotency_key uuid) TO telecom_admin;


--
-- Name: FUNCTION recommended_plans(mobile_no text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.recommended_plans(mobile_no text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.recommended_plans(mobile_no text) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.recommended_plans(mobile_no text) TO telecom_admin;


--
-- Name: TABLE card_refund; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.card_refund TO telecom_admin;


--
-- Name: COLUMN card_refund.refunded_at; Type: ACL; Schema: telecom; Owner: -
--

GRANT UPDATE(refunded_at) ON TABLE telecom.card_refund TO telecom_admin;


--
-- Name: FUNCTION record_card_refund(provider_reference text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.record_card_refund(provider_reference text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.record_card_refund(provider_reference text) TO telecom_payment_processor;
GRANT ALL ON FUNCTION telecom.record_card_refund(provider_reference text) TO telecom_admin;


--
-- Name: TABLE usage_event; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.usage_event TO telecom_customer;
GRANT SELECT ON TABLE telecom.usage_event TO telecom_admin;


--
-- Name: FUNCTION record_usage(event_id uuid, mobile_no text, kind telecom.usage_kind, quantity numeric, occurred_at timestamp with time zone); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.record_usage(event_id uuid, mobile_no text, kind telecom.usage_kind, quantity numeric, occurred_at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.record_usage(event_id uuid, mobile_no text, kind telecom.usage_kind, quantity numeric, occurred_at timestamp with time zone) TO telecom_network;


--
-- Name: TABLE voucher; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.voucher TO telecom_customer;
GRANT SELECT,DELETE ON TABLE telecom.voucher TO telecom_admin;


--
-- Name: COLUMN voucher.value; Type: ACL; Schema: telecom; Owner: -
--

GRANT INSERT(value),UPDATE(value) ON TABLE telecom.voucher TO telecom_admin;


--
-- Name: COLUMN voucher.expiry_date; Type: ACL; Schema: telecom; Owner: -
--

GRANT INSERT(expiry_date),UPDATE(expiry_date) ON TABLE telecom.voucher TO telecom_admin;


--
-- Name: COLUMN voucher.points; Type: ACL; Schema: telecom; Owner: -
--

GRANT INSERT(points),UPDATE(points) ON TABLE telecom.voucher TO telecom_admin;


--
-- Name: COLUMN voucher.shop_id; Type: ACL; Schema: telecom; Owner: -
--

GRANT INSERT(shop_id),UPDATE(shop_id) ON TABLE telecom.voucher TO telecom_admin;


--
-- Name: FUNCTION redeem_voucher_points(mobile_no text, voucher_id integer, idempotency_key uuid); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.redeem_voucher_points(mobile_no text, voucher_id integer, idempotency_key uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.redeem_voucher_points(mobile_no text, voucher_id integer, idempotency_key uuid) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.redeem_voucher_points(mobile_no text, voucher_id integer, idempotency_key uuid) TO telecom_admin;


--
-- Name: FUNCTION refresh_admin_figures(); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.refresh_admin_figures() FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.refresh_admin_figures() TO telecom_admin;


--
-- Name: FUNCTION register_customer(mobile_no text, code text, password text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.register_customer(mobile_no text, code text, password text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.register_customer(mobile_no text, code text, password text) TO telecom_anonymous;


--
-- Name: FUNCTION reject_stale_payments(older_than interval); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.reject_stale_payments(older_than interval) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.reject_stale_payments(older_than interval) TO telecom_payment_processor;
GRANT ALL ON FUNCTION telecom.reject_stale_payments(older_than interval) TO telecom_admin;


--
-- Name: FUNCTION remaining_plan_amount(mobile_no text, plan_name text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.remaining_plan_amount(mobile_no text, plan_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.remaining_plan_amount(mobile_no text, plan_name text) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.remaining_plan_amount(mobile_no text, plan_name text) TO telecom_admin;


--
-- Name: FUNCTION remove_network_credential(client_id text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.remove_network_credential(client_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.remove_network_credential(client_id text) TO telecom_admin;


--
-- Name: FUNCTION request_bill_run(bill_date date); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.request_bill_run(bill_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.request_bill_run(bill_date date) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.request_bill_run(bill_date date) TO telecom_admin;


--
-- Name: FUNCTION request_verification_code(mobile_no text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.request_verification_code(mobile_no text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.request_verification_code(mobile_no text) TO telecom_anonymous;


--
-- Name: FUNCTION reset_password(mobile_no text, code text, new_password text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.reset_password(mobile_no text, code text, new_password text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.reset_password(mobile_no text, code text, new_password text) TO telecom_anonymous;


--
-- Name: FUNCTION resolve_ticket(ticket_id integer); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.resolve_ticket(ticket_id integer) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.resolve_ticket(ticket_id integer) TO telecom_admin;


--
-- Name: FUNCTION resume_subscription(mobile_no text, plan_id integer); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.resume_subscription(mobile_no text, plan_id integer) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.resume_subscription(mobile_no text, plan_id integer) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.resume_subscription(mobile_no text, plan_id integer) TO telecom_admin;


--
-- Name: FUNCTION run_bills(bill_date date); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.run_bills(bill_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.run_bills(bill_date date) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.run_bills(bill_date date) TO telecom_admin;


--
-- Name: FUNCTION run_collections(); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.run_collections() FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.run_collections() TO telecom_customer;
GRANT ALL ON FUNCTION telecom.run_collections() TO telecom_admin;


--
-- Name: FUNCTION search_customers(query text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.search_customers(query text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.search_customers(query text) TO telecom_admin;


--
-- Name: FUNCTION set_network_credential(client_id text, network_id text, secret text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.set_network_credential(client_id text, network_id text, secret text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.set_network_credential(client_id text, network_id text, secret text) TO telecom_admin;


--
-- Name: FUNCTION settle_payment(provider_reference text, outcome telecom.payment_status); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.settle_payment(provider_reference text, outcome telecom.payment_status) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.settle_payment(provider_reference text, outcome telecom.payment_status) TO telecom_payment_processor;
GRANT ALL ON FUNCTION telecom.settle_payment(provider_reference text, outcome telecom.payment_status) TO telecom_admin;


--
-- Name: FUNCTION subscribe_plan(mobile_no text, plan_id integer); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.subscribe_plan(mobile_no text, plan_id integer) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.subscribe_plan(mobile_no text, plan_id integer) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.subscribe_plan(mobile_no text, plan_id integer) TO telecom_admin;


--
-- Name: FUNCTION subscribed_plans_5_months(mobile_no text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.subscribed_plans_5_months(mobile_no text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.subscribed_plans_5_months(mobile_no text) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.subscribed_plans_5_months(mobile_no text) TO telecom_admin;


--
-- Name: FUNCTION switch_number(mobile_no text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.switch_number(mobile_no text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.switch_number(mobile_no text) TO telecom_customer;


--
-- Name: FUNCTION ticket_account_customer(national_id integer); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.ticket_account_customer(national_id integer) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.ticket_account_customer(national_id integer) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.ticket_account_customer(national_id integer) TO telecom_admin;


--
-- Name: FUNCTION top_successful_payments(mobile_no text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.top_successful_payments(mobile_no text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.top_successful_payments(mobile_no text) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.top_successful_payments(mobile_no text) TO telecom_admin;


--
-- Name: FUNCTION total_points_account(mobile_no text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.total_points_account(mobile_no text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.total_points_account(mobile_no text) TO telecom_admin;


--
-- Name: FUNCTION transfer_recipient(to_mobile_no text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.transfer_recipient(to_mobile_no text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.transfer_recipient(to_mobile_no text) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.transfer_recipient(to_mobile_no text) TO telecom_admin;


--
-- Name: TABLE transfer_money; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.transfer_money TO telecom_customer;
GRANT SELECT ON TABLE telecom.transfer_money TO telecom_admin;


--
-- Name: FUNCTION transfer_to_mobile(to_mobile_no text, amount numeric, idempotency_key uuid); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.transfer_to_mobile(to_mobile_no text, amount numeric, idempotency_key uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.transfer_to_mobile(to_mobile_no text, amount numeric, idempotency_key uuid) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.transfer_to_mobile(to_mobile_no text, amount numeric, idempotency_key uuid) TO telecom_admin;


--
-- Name: FUNCTION unsubscribed_plans(mobile_no text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.unsubscribed_plans(mobile_no text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.unsubscribed_plans(mobile_no text) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.unsubscribed_plans(mobile_no text) TO telecom_admin;


--
-- Name: FUNCTION update_my_profile(email text, address text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.update_my_profile(email text, address text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.update_my_profile(email text, address text) TO telecom_customer;


--
-- Name: FUNCTION usage_plan_current_month(mobile_no text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.usage_plan_current_month(mobile_no text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.usage_plan_current_month(mobile_no text) TO telecom_customer;
GRANT ALL ON FUNCTION telecom.usage_plan_current_month(mobile_no text) TO telecom_admin;


--
-- Name: FUNCTION wallet_cashback_amount(wallet_id integer, plan_id integer); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.wallet_cashback_amount(wallet_id integer, plan_id integer) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.wallet_cashback_amount(wallet_id integer, plan_id integer) TO telecom_admin;


--
-- Name: FUNCTION wallet_mobile_no(mobile_no text); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.wallet_mobile_no(mobile_no text) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.wallet_mobile_no(mobile_no text) TO telecom_admin;


--
-- Name: FUNCTION wallet_transfer_amount(wallet_id integer, start_date date, end_date date); Type: ACL; Schema: telecom; Owner: -
--

REVOKE ALL ON FUNCTION telecom.wallet_transfer_amount(wallet_id integer, start_date date, end_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom.wallet_transfer_amount(wallet_id integer, start_date date, end_date date) TO telecom_admin;


--
-- Name: FUNCTION account_journal_entries(p_balance_before numeric, p_balance_after numeric, p_points_before integer, p_points_after integer); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.account_journal_entries(p_balance_before numeric, p_balance_after numeric, p_points_before integer, p_points_after integer) FROM PUBLIC;


--
-- Name: FUNCTION accounts_to_bill(p_bill_date date); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.accounts_to_bill(p_bill_date date) FROM PUBLIC;


--
-- Name: FUNCTION apply_successful_payment(p_payment telecom.payment); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.apply_successful_payment(p_payment telecom.payment) FROM PUBLIC;


--
-- Name: FUNCTION assert_balance_can_hold(p_mobile_no text, p_amount numeric); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.assert_balance_can_hold(p_mobile_no text, p_amount numeric) FROM PUBLIC;


--
-- Name: FUNCTION assert_bill_date(p_bill_date date); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.assert_bill_date(p_bill_date date) FROM PUBLIC;


--
-- Name: FUNCTION assert_hourly_budget(used_at timestamp with time zone[], budget integer, refusal text); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.assert_hourly_budget(used_at timestamp with time zone[], budget integer, refusal text) FROM PUBLIC;


--
-- Name: FUNCTION assert_login_allowed(p_login text); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.assert_login_allowed(p_login text) FROM PUBLIC;


--
-- Name: FUNCTION assert_money_amount(p_amount numeric); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.assert_money_amount(p_amount numeric) FROM PUBLIC;


--
-- Name: FUNCTION assert_new_password(p_password text); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.assert_new_password(p_password text) FROM PUBLIC;


--
-- Name: FUNCTION assert_password_length(p_password text); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.assert_password_length(p_password text) FROM PUBLIC;


--
-- Name: FUNCTION assert_trusted_session(p_refusal text); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.assert_trusted_session(p_refusal text) FROM PUBLIC;


--
-- Name: PROCEDURE begin_account_money_operation(IN p_operation text, IN p_idempotency_key uuid, IN p_arguments jsonb, IN p_mobile_no text, INOUT p_result anyelement, INOUT p_account telecom.customer_account); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON PROCEDURE telecom_private.begin_account_money_operation(IN p_operation text, IN p_idempotency_key uuid, IN p_arguments jsonb, IN p_mobile_no text, INOUT p_result anyelement, INOUT p_account telecom.customer_account) FROM PUBLIC;


--
-- Name: FUNCTION begin_money_operation(p_operation text, p_idempotency_key uuid, p_arguments jsonb); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.begin_money_operation(p_operation text, p_idempotency_key uuid, p_arguments jsonb) FROM PUBLIC;


--
-- Name: FUNCTION begin_usage_load(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.begin_usage_load() FROM PUBLIC;


--
-- Name: FUNCTION caller_role(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.caller_role() FROM PUBLIC;


--
-- Name: FUNCTION card_payment_by_reference(p_provider_reference text); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.card_payment_by_reference(p_provider_reference text) FROM PUBLIC;


--
-- Name: FUNCTION cashback_amount(p_payment_amount numeric); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.cashback_amount(p_payment_amount numeric) FROM PUBLIC;


--
-- Name: FUNCTION change_subscription_status(p_mobile_no text, p_plan_id integer, p_from telecom.subscription_status, p_to telecom.subscription_status); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.change_subscription_status(p_mobile_no text, p_plan_id integer, p_from telecom.subscription_status, p_to telecom.subscription_status) FROM PUBLIC;


--
-- Name: FUNCTION charge_plan_rest_of_month(p_mobile_no text, p_plan_id integer); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.charge_plan_rest_of_month(p_mobile_no text, p_plan_id integer) FROM PUBLIC;


--
-- Name: FUNCTION check_password(p_login text, p_password text, p_hash text); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.check_password(p_login text, p_password text, p_hash text) FROM PUBLIC;


--
-- Name: FUNCTION check_usage_load(p_load bigint, p_chunk_size integer); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.check_usage_load(p_load bigint, p_chunk_size integer) FROM PUBLIC;


--
-- Name: FUNCTION clear_login_failures(p_login text); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.clear_login_failures(p_login text) FROM PUBLIC;


--
-- Name: FUNCTION client_address(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.client_address() FROM PUBLIC;


--
-- Name: FUNCTION code_message_allowed(p_mobile_no text); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.code_message_allowed(p_mobile_no text) FROM PUBLIC;


--
-- Name: FUNCTION collection_sms(p_step telecom.collection_step_kind, p_invoice_no text, p_still_due numeric, p_due_date date); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.collection_sms(p_step telecom.collection_step_kind, p_invoice_no text, p_still_due numeric, p_due_date date) FROM PUBLIC;


--
-- Name: FUNCTION credit_account_balance(p_mobile_no text, p_amount numeric); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.credit_account_balance(p_mobile_no text, p_amount numeric) FROM PUBLIC;


--
-- Name: FUNCTION credit_wallet(p_wallet_id integer, p_amount numeric); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.credit_wallet(p_wallet_id integer, p_amount numeric) FROM PUBLIC;


--
-- Name: FUNCTION current_actor(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.current_actor() FROM PUBLIC;


--
-- Name: FUNCTION database_kind(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.database_kind() FROM PUBLIC;


--
-- Name: FUNCTION document_no(p_series text, p_year integer, p_number bigint); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.document_no(p_series text, p_year integer, p_number bigint) FROM PUBLIC;


--
-- Name: FUNCTION dummy_password_hash(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.dummy_password_hash() FROM PUBLIC;


--
-- Name: FUNCTION ensure_usage_partitions(p_now timestamp with time zone); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.ensure_usage_partitions(p_now timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION find_usage_event(p_event_id uuid, p_mobile_no text, p_kind telecom.usage_kind, p_quantity numeric, p_occurred_at timestamp with time zone); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.find_usage_event(p_event_id uuid, p_mobile_no text, p_kind telecom.usage_kind, p_quantity numeric, p_occurred_at timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION finish_money_operation(p_result jsonb); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.finish_money_operation(p_result jsonb) FROM PUBLIC;


--
-- Name: FUNCTION finish_usage_load(p_load bigint); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.finish_usage_load(p_load bigint) FROM PUBLIC;


--
-- Name: FUNCTION give_document_numbers(p_series text, p_year integer, p_count integer); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.give_document_numbers(p_series text, p_year integer, p_count integer) FROM PUBLIC;


--
-- Name: FUNCTION hash_password(p_password text); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.hash_password(p_password text) FROM PUBLIC;


--
-- Name: FUNCTION last_maintenance_tick(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.last_maintenance_tick() FROM PUBLIC;


--
-- Name: FUNCTION lift_account_bars(p_mobile_nos text[]); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.lift_account_bars(p_mobile_nos text[]) FROM PUBLIC;


--
-- Name: FUNCTION lock_active_account(p_mobile_no text); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.lock_active_account(p_mobile_no text) FROM PUBLIC;


--
-- Name: FUNCTION lock_payable_account(p_mobile_no text); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.lock_payable_account(p_mobile_no text) FROM PUBLIC;


--
-- Name: TABLE wallet; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.wallet TO telecom_customer;
GRANT SELECT ON TABLE telecom.wallet TO telecom_admin;


--
-- Name: COLUMN wallet.national_id; Type: ACL; Schema: telecom; Owner: -
--

GRANT INSERT(national_id) ON TABLE telecom.wallet TO telecom_admin;


--
-- Name: COLUMN wallet.mobile_no; Type: ACL; Schema: telecom; Owner: -
--

GRANT INSERT(mobile_no) ON TABLE telecom.wallet TO telecom_admin;


--
-- Name: COLUMN wallet.currency; Type: ACL; Schema: telecom; Owner: -
--

GRANT INSERT(currency) ON TABLE telecom.wallet TO telecom_admin;


--
-- Name: FUNCTION lock_payment_wallet(p_account telecom.customer_account, p_currency text); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.lock_payment_wallet(p_account telecom.customer_account, p_currency text) FROM PUBLIC;


--
-- Name: FUNCTION log_card_refund(p_payment telecom.payment, p_reason text); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.log_card_refund(p_payment telecom.payment, p_reason text) FROM PUBLIC;


--
-- Name: FUNCTION login_retry_after(p_login text); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.login_retry_after(p_login text) FROM PUBLIC;


--
-- Name: FUNCTION notify_live(p_national_id integer, p_what text, p_mobile_no text, p_detail jsonb); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.notify_live(p_national_id integer, p_what text, p_mobile_no text, p_detail jsonb) FROM PUBLIC;


--
-- Name: FUNCTION operator_date(p_moment timestamp with time zone); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.operator_date(p_moment timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION telecom_private.operator_date(p_moment timestamp with time zone) TO telecom_customer;
GRANT ALL ON FUNCTION telecom_private.operator_date(p_moment timestamp with time zone) TO telecom_admin;
GRANT ALL ON FUNCTION telecom_private.operator_date(p_moment timestamp with time zone) TO telecom_network;


--
-- Name: FUNCTION operator_time_zone(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.operator_time_zone() FROM PUBLIC;
GRANT ALL ON FUNCTION telecom_private.operator_time_zone() TO telecom_customer;
GRANT ALL ON FUNCTION telecom_private.operator_time_zone() TO telecom_admin;
GRANT ALL ON FUNCTION telecom_private.operator_time_zone() TO telecom_network;


--
-- Name: FUNCTION parses_as(p_text text, p_type text); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.parses_as(p_text text, p_type text) FROM PUBLIC;


--
-- Name: FUNCTION password_hash_cost(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.password_hash_cost() FROM PUBLIC;


--
-- Name: FUNCTION plan_payment_amounts(p_price numeric, p_amount numeric); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.plan_payment_amounts(p_price numeric, p_amount numeric) FROM PUBLIC;


--
-- Name: FUNCTION prorated_plan_fee(p_price numeric, p_day date); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.prorated_plan_fee(p_price numeric, p_day date) FROM PUBLIC;


--
-- Name: FUNCTION purge_idempotency_keys(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.purge_idempotency_keys() FROM PUBLIC;


--
-- Name: FUNCTION purge_login_failures(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.purge_login_failures() FROM PUBLIC;


--
-- Name: FUNCTION purge_sent_sms(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.purge_sent_sms() FROM PUBLIC;


--
-- Name: FUNCTION purge_verification_codes(OUT codes_purged integer, OUT guesses_purged integer); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.purge_verification_codes(OUT codes_purged integer, OUT guesses_purged integer) FROM PUBLIC;


--
-- Name: FUNCTION rate_usage_batch(p_load bigint); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.rate_usage_batch(p_load bigint) FROM PUBLIC;


--
-- Name: FUNCTION record_login_failure(p_login text); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.record_login_failure(p_login text) FROM PUBLIC;


--
-- Name: FUNCTION record_payment(p_account telecom.customer_account, p_amount numeric, p_method telecom.payment_method, p_plan_id integer); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.record_payment(p_account telecom.customer_account, p_amount numeric, p_method telecom.payment_method, p_plan_id integer) FROM PUBLIC;


--
-- Name: FUNCTION refuse_transfer(p_from_wallet_id integer, p_to_wallet_id integer, p_amount numeric, p_sender_refused boolean); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.refuse_transfer(p_from_wallet_id integer, p_to_wallet_id integer, p_amount numeric, p_sender_refused boolean) FROM PUBLIC;


--
-- Name: FUNCTION run_requested_bill_run(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.run_requested_bill_run() FROM PUBLIC;


--
-- Name: FUNCTION session_is_trusted(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.session_is_trusted() FROM PUBLIC;


--
-- Name: FUNCTION set_password_with_code(p_mobile_no text, p_purpose text, p_code text, p_password text); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.set_password_with_code(p_mobile_no text, p_purpose text, p_code text, p_password text) FROM PUBLIC;


--
-- Name: FUNCTION settle_issued_invoice(p_mobile_no text, p_amount numeric); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.settle_issued_invoice(p_mobile_no text, p_amount numeric) FROM PUBLIC;


--
-- Name: FUNCTION stored_usage_event(p_event_id uuid); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.stored_usage_event(p_event_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION synthetic_mobile_no(p_customer integer, p_line integer); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.synthetic_mobile_no(p_customer integer, p_line integer) FROM PUBLIC;


--
-- Name: FUNCTION take_document_numbers(p_series text, p_year integer); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.take_document_numbers(p_series text, p_year integer) FROM PUBLIC;


--
-- Name: FUNCTION tg__not_in_future(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.tg__not_in_future() FROM PUBLIC;


--
-- Name: FUNCTION tg__one_currency(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.tg__one_currency() FROM PUBLIC;


--
-- Name: FUNCTION tg_benefit__keep_history(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.tg_benefit__keep_history() FROM PUBLIC;


--
-- Name: FUNCTION tg_customer_account__journal(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.tg_customer_account__journal() FROM PUBLIC;


--
-- Name: FUNCTION tg_customer_account__notify(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.tg_customer_account__notify() FROM PUBLIC;


--
-- Name: FUNCTION tg_customer_profile__date_of_birth(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.tg_customer_profile__date_of_birth() FROM PUBLIC;


--
-- Name: FUNCTION tg_customer_profile__email_available(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.tg_customer_profile__email_available() FROM PUBLIC;


--
-- Name: FUNCTION tg_database_kind__set_once(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.tg_database_kind__set_once() FROM PUBLIC;


--
-- Name: FUNCTION tg_money_history__append_only(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.tg_money_history__append_only() FROM PUBLIC;


--
-- Name: FUNCTION tg_money_history__no_truncate(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.tg_money_history__no_truncate() FROM PUBLIC;


--
-- Name: FUNCTION tg_plan_usage__dates_and_plan(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.tg_plan_usage__dates_and_plan() FROM PUBLIC;


--
-- Name: FUNCTION tg_points_group__history(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.tg_points_group__history() FROM PUBLIC;


--
-- Name: FUNCTION tg_process_payment__compute_amounts(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.tg_process_payment__compute_amounts() FROM PUBLIC;


--
-- Name: FUNCTION tg_service_plan__delete_unused(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.tg_service_plan__delete_unused() FROM PUBLIC;


--
-- Name: FUNCTION tg_shop__delete_unused(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.tg_shop__delete_unused() FROM PUBLIC;


--
-- Name: FUNCTION tg_shop__one_kind(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.tg_shop__one_kind() FROM PUBLIC;


--
-- Name: FUNCTION tg_sms_outbox__notify(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.tg_sms_outbox__notify() FROM PUBLIC;


--
-- Name: FUNCTION tg_subscription__dates(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.tg_subscription__dates() FROM PUBLIC;


--
-- Name: FUNCTION tg_usage_event_default__no_month(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.tg_usage_event_default__no_month() FROM PUBLIC;


--
-- Name: FUNCTION tg_voucher__redeemed_by_expiry(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.tg_voucher__redeemed_by_expiry() FROM PUBLIC;


--
-- Name: FUNCTION tg_wallet__journal(); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.tg_wallet__journal() FROM PUBLIC;


--
-- Name: FUNCTION usage_account_problem(p_mobile_no text, p_start_date date, p_occurred_at timestamp with time zone); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.usage_account_problem(p_mobile_no text, p_start_date date, p_occurred_at timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION usage_event_problem(p_event_id uuid, p_kind telecom.usage_kind, p_quantity numeric, p_occurred_at timestamp with time zone); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.usage_event_problem(p_event_id uuid, p_kind telecom.usage_kind, p_quantity numeric, p_occurred_at timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION usage_event_reused_problem(p_event_id uuid); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.usage_event_reused_problem(p_event_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION usage_units(p_event_id uuid, p_kind telecom.usage_kind, p_quantity numeric, p_occurred_at timestamp with time zone); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.usage_units(p_event_id uuid, p_kind telecom.usage_kind, p_quantity numeric, p_occurred_at timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION use_verification_code(p_mobile_no text, p_purpose text, p_code text); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.use_verification_code(p_mobile_no text, p_purpose text, p_code text) FROM PUBLIC;


--
-- Name: FUNCTION wallet_journal_entries(p_balance_before numeric, p_balance_after numeric); Type: ACL; Schema: telecom_private; Owner: -
--

REVOKE ALL ON FUNCTION telecom_private.wallet_journal_entries(p_balance_before numeric, p_balance_after numeric) FROM PUBLIC;


--
-- Name: TABLE account_bar; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.account_bar TO telecom_admin;


--
-- Name: TABLE account_payments; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.account_payments TO telecom_admin;


--
-- Name: TABLE account_status_counts; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.account_status_counts TO telecom_admin;


--
-- Name: TABLE benefit; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.benefit TO telecom_customer;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE telecom.benefit TO telecom_admin;


--
-- Name: TABLE all_benefits; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.all_benefits TO telecom_admin;


--
-- Name: TABLE all_customer_accounts; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.all_customer_accounts TO telecom_admin;


--
-- Name: TABLE all_resolved_tickets; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.all_resolved_tickets TO telecom_admin;


--
-- Name: TABLE all_service_plans; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.all_service_plans TO telecom_admin;


--
-- Name: TABLE e_shop; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.e_shop TO telecom_anonymous;
GRANT SELECT ON TABLE telecom.e_shop TO telecom_customer;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE telecom.e_shop TO telecom_admin;


--
-- Name: TABLE physical_shop; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.physical_shop TO telecom_anonymous;
GRANT SELECT ON TABLE telecom.physical_shop TO telecom_customer;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE telecom.physical_shop TO telecom_admin;


--
-- Name: TABLE shop; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.shop TO telecom_anonymous;
GRANT SELECT ON TABLE telecom.shop TO telecom_customer;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE telecom.shop TO telecom_admin;


--
-- Name: TABLE all_shops; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.all_shops TO telecom_admin;


--
-- Name: TABLE arpu; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.arpu TO telecom_admin;


--
-- Name: TABLE barred_accounts; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.barred_accounts TO telecom_admin;


--
-- Name: SEQUENCE benefit_benefit_id_seq; Type: ACL; Schema: telecom; Owner: -
--

GRANT USAGE ON SEQUENCE telecom.benefit_benefit_id_seq TO telecom_admin;


--
-- Name: TABLE bill_run_summary; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.bill_run_summary TO telecom_admin;


--
-- Name: SEQUENCE cashback_cashback_id_seq; Type: ACL; Schema: telecom; Owner: -
--

GRANT USAGE ON SEQUENCE telecom.cashback_cashback_id_seq TO telecom_admin;


--
-- Name: TABLE collection_step; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.collection_step TO telecom_admin;


--
-- Name: TABLE customer_receipts; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.customer_receipts TO telecom_customer;
GRANT SELECT ON TABLE telecom.customer_receipts TO telecom_admin;


--
-- Name: TABLE customer_wallet; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.customer_wallet TO telecom_admin;


--
-- Name: TABLE e_shop_vouchers; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.e_shop_vouchers TO telecom_admin;


--
-- Name: SEQUENCE exclusive_offer_offer_id_seq; Type: ACL; Schema: telecom; Owner: -
--

GRANT USAGE ON SEQUENCE telecom.exclusive_offer_offer_id_seq TO telecom_admin;


--
-- Name: TABLE invoice_line; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.invoice_line TO telecom_customer;
GRANT SELECT ON TABLE telecom.invoice_line TO telecom_admin;


--
-- Name: TABLE money_journal; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.money_journal TO telecom_customer;
GRANT SELECT ON TABLE telecom.money_journal TO telecom_admin;


--
-- Name: TABLE new_accounts_per_month; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.new_accounts_per_month TO telecom_admin;


--
-- Name: TABLE num_of_cashback; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.num_of_cashback TO telecom_admin;


--
-- Name: TABLE open_tickets_by_priority; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.open_tickets_by_priority TO telecom_admin;


--
-- Name: SEQUENCE payment_payment_id_seq; Type: ACL; Schema: telecom; Owner: -
--

GRANT USAGE ON SEQUENCE telecom.payment_payment_id_seq TO telecom_admin;


--
-- Name: TABLE physical_store_vouchers; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.physical_store_vouchers TO telecom_admin;


--
-- Name: TABLE plan_charge; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.plan_charge TO telecom_customer;
GRANT SELECT ON TABLE telecom.plan_charge TO telecom_admin;


--
-- Name: TABLE plan_provides_benefits; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.plan_provides_benefits TO telecom_customer;
GRANT SELECT,INSERT,DELETE ON TABLE telecom.plan_provides_benefits TO telecom_admin;


--
-- Name: TABLE plan_usage; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.plan_usage TO telecom_customer;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE telecom.plan_usage TO telecom_admin;


--
-- Name: SEQUENCE plan_usage_usage_id_seq; Type: ACL; Schema: telecom; Owner: -
--

GRANT USAGE ON SEQUENCE telecom.plan_usage_usage_id_seq TO telecom_admin;


--
-- Name: TABLE points_group; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.points_group TO telecom_customer;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE telecom.points_group TO telecom_admin;


--
-- Name: SEQUENCE points_group_point_id_seq; Type: ACL; Schema: telecom; Owner: -
--

GRANT USAGE ON SEQUENCE telecom.points_group_point_id_seq TO telecom_admin;


--
-- Name: TABLE revenue_per_month; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.revenue_per_month TO telecom_admin;


--
-- Name: SEQUENCE service_plan_plan_id_seq; Type: ACL; Schema: telecom; Owner: -
--

GRANT USAGE ON SEQUENCE telecom.service_plan_plan_id_seq TO telecom_admin;


--
-- Name: SEQUENCE shop_shop_id_seq; Type: ACL; Schema: telecom; Owner: -
--

GRANT USAGE ON SEQUENCE telecom.shop_shop_id_seq TO telecom_admin;


--
-- Name: TABLE tariff; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.tariff TO telecom_anonymous;
GRANT SELECT ON TABLE telecom.tariff TO telecom_customer;
GRANT SELECT ON TABLE telecom.tariff TO telecom_network;
GRANT SELECT ON TABLE telecom.tariff TO telecom_admin;


--
-- Name: COLUMN tariff.unit_price; Type: ACL; Schema: telecom; Owner: -
--

GRANT UPDATE(unit_price) ON TABLE telecom.tariff TO telecom_admin;


--
-- Name: SEQUENCE technical_support_ticket_ticket_id_seq; Type: ACL; Schema: telecom; Owner: -
--

GRANT USAGE ON SEQUENCE telecom.technical_support_ticket_ticket_id_seq TO telecom_admin;


--
-- Name: SEQUENCE transfer_money_transfer_id_seq; Type: ACL; Schema: telecom; Owner: -
--

GRANT USAGE ON SEQUENCE telecom.transfer_money_transfer_id_seq TO telecom_admin;


--
-- Name: TABLE usage_alert; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.usage_alert TO telecom_customer;
GRANT SELECT ON TABLE telecom.usage_alert TO telecom_admin;


--
-- Name: TABLE usage_allocation; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.usage_allocation TO telecom_customer;
GRANT SELECT ON TABLE telecom.usage_allocation TO telecom_admin;


--
-- Name: TABLE usage_per_month; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.usage_per_month TO telecom_admin;


--
-- Name: TABLE vat_rate; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.vat_rate TO telecom_anonymous;
GRANT SELECT ON TABLE telecom.vat_rate TO telecom_customer;
GRANT SELECT ON TABLE telecom.vat_rate TO telecom_admin;


--
-- Name: SEQUENCE voucher_voucher_id_seq; Type: ACL; Schema: telecom; Owner: -
--

GRANT USAGE ON SEQUENCE telecom.voucher_voucher_id_seq TO telecom_admin;


--
-- Name: TABLE wallet_volume_per_month; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.wallet_volume_per_month TO telecom_admin;


--
-- Name: SEQUENCE wallet_wallet_id_seq; Type: ACL; Schema: telecom; Owner: -
--

GRANT USAGE ON SEQUENCE telecom.wallet_wallet_id_seq TO telecom_admin;


--
-- Name: TABLE paying_subscribers_per_plan; Type: ACL; Schema: telecom; Owner: -
--

GRANT SELECT ON TABLE telecom.paying_subscribers_per_plan TO telecom_admin;


--
-- Name: DEFAULT PRIVILEGES FOR FUNCTIONS; Type: DEFAULT ACL; Schema: -; Owner: -
--

ALTER DEFAULT PRIVILEGES FOR ROLE telecom_owner REVOKE ALL ON FUNCTIONS  FROM PUBLIC;


--
-- PostgreSQL database dump complete
--

\unrestrict telecom


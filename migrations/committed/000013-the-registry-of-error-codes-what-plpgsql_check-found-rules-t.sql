--! Previous: sha1:0b578656137953f0f7e67de282a5910ab15ad04a
--! Hash: sha1:4bc758d61176101ce27efc640b94e9479ad98dba
--! Message: The registry of error codes, what plpgsql_check found, rules that cite the project's own docs

--! split: 1-current.sql
-- Table changes here; rules are pulled in from migrations/fixtures (see migrations/CONVENTIONS.md).

-- The registry of error codes (docs/error-codes.md is generated from it).
create table if not exists telecom_private.error_code (
  code text primary key check (code ~ '^TC[0-9]{3}$'),
  area text not null generated always as (
    case substr(code, 3, 1)
      when '0' then 'schema integrity'
      when '1' then 'reference operations'
      when '2' then 'logins and identity'
      when '3' then 'money'
      when '4' then 'usage'
      when '5' then 'API limits'
      when '6' then 'admin management'
      when '7' then 'bills'
      when '8' then 'operations'
    end
  ) stored,
  meaning text not null check (meaning <> '')
);
alter table telecom_private.error_code enable row level security;
--! Included errors/error_code.sql
-- The registry of project error codes: every code a function of the database or the API server
-- raises, with what it means. It is the one list: docs/error-codes.md and the web app's type of codes
-- (shared/error-codes.ts) are generated from it, and api/test/schema/error-codes.test.ts fails when a
-- function raises a code that is not here or a code here is raised nowhere. Add a code here when you
-- first raise it, in the range of its area (the hundreds: see the table's area column). Meanings are
-- written for the reader of docs/error-codes.md (Markdown).

comment on table telecom_private.error_code is 'Every project error code (TC…) with its area and meaning: the one registry, from which docs/error-codes.md and shared/error-codes.ts are generated.';
comment on column telecom_private.error_code.code is 'The SQLSTATE a refusal carries (extensions.code in GraphQL): TC and three digits.';
comment on column telecom_private.error_code.area is 'The business area of the code''s hundreds: 0 schema integrity, 1 reference operations, 2 logins and identity, 3 money, 4 usage, 5 API limits, 6 admin management, 7 bills, 8 operations.';
comment on column telecom_private.error_code.meaning is 'What the code means, for the reader of docs/error-codes.md (Markdown).';

revoke all on telecom_private.error_code from public;

with registry (code, meaning) as (
  values
    ('TC001', 'a shop is physical or online, not both'),
    ('TC010', 'a date of birth must be in the past'),
    ('TC011', 'a date in the future: an account''s start, a subscription, a payment, usage'),
    ('TC012', 'a subscription or usage that starts before its account'),
    ('TC013', 'a subscription keeps the date it was first made (renewals move `paid_until`)'),
    ('TC014', 'usage recorded against a plan the account has no subscription to'),
    ('TC015', 'a points group joins a benefit and a payment of the same account'),
    ('TC016', 'a transfer or a cashback credit across currencies'),
    ('TC017', 'a voucher redeemed after its expiry'),
    ('TC020', 'money history (settled payments, transfers, cashback, redeemed vouchers, points of successful payments, the journal) cannot be changed or deleted'),
    ('TC021', 'a benefit that credited cashback or points is ended, not deleted'),
    ('TC101', 'no account with that mobile number'),
    ('TC102', 'no such plan'),
    ('TC103', 'the account is on hold'),
    ('TC104', 'the amount must be more than zero and fit in numeric(12,2); through the API also an amount that is not a plain decimal (digits, at most one point: no hexadecimal, exponent, underscore, sign, space, list, boolean or number), refused before SQL'),
    ('TC105', 'the amount has more than two decimals'),
    ('TC106', 'no payment method given'),
    ('TC110', 'the payment is not one of the account''s'),
    ('TC111', 'only successful payments earn cashback'),
    ('TC112', 'the benefit is not one of the account''s'),
    ('TC113', 'the benefit has ended (expired, or past its validity date)'),
    ('TC114', 'the payment already earned cashback'),
    ('TC115', 'the account''s owner has no wallet to credit'),
    ('TC116', 'the payment is too small to earn a cent of cashback'),
    ('TC117', 'a payment made from the wallet earns no cashback: only cash and card payments bring money in from outside, or money would loop through the wallet'),
    ('TC120', 'no such voucher'),
    ('TC121', 'the voucher was already redeemed'),
    ('TC122', 'the voucher has expired'),
    ('TC123', 'not enough points for the voucher'),
    ('TC130', 'already subscribed to the plan'),
    ('TC131', 'no active subscription to that plan'),
    ('TC132', 'the subscription is on hold: resume it'),
    ('TC133', 'no subscription on hold to that plan'),
    ('TC140', 'the ticket needs a description (at most 2000 characters)'),
    ('TC141', 'the priority must be from 1 to 5'),
    ('TC142', 'no such ticket'),
    ('TC143', 'the ticket is already resolved'),
    ('TC150', 'a period without its first or last day'),
    ('TC151', 'a period that ends before it starts'),
    ('TC201', 'the login token is invalid (HTTP 401)'),
    ('TC202', 'the login token has expired (HTTP 401)'),
    ('TC212', 'the password must have at least 8 characters'),
    ('TC220', 'too many failed attempts (a login, a code, code requests, `transfer_recipient` look-ups, e-mail addresses that cannot be used): wait the seconds in `extensions.retryAfter` (HTTP `Retry-After`)'),
    ('TC221', 'a password has at most 72 bytes (bcrypt would ignore the rest)'),
    ('TC223', 'this e-mail cannot be used (another person has it; an admin''s direct update, customers get the status `email_cannot_be_used` of `update_my_profile`)'),
    ('TC224', 'a mobile number has 11 digits (`request_verification_code`, `register_customer`, `reset_password`)'),
    ('TC225', 'an e-mail address must look like name@example.com (`update_my_profile`)'),
    ('TC301', 'the idempotency key was already used for a different request'),
    ('TC310', 'only a customer can transfer, from their own wallet (admins and visitors have none)'),
    ('TC311', 'the caller''s number has no wallet'),
    ('TC312', 'the number to transfer to is not 11 digits'),
    ('TC313', 'you cannot transfer to that number: one answer whatever the reason (no wallet, another currency, a full wallet, an unknown number)'),
    ('TC314', 'a transfer to one''s own wallet'),
    ('TC315', 'no wallet in the payment''s currency (EGP) is linked to the number'),
    ('TC316', 'insufficient wallet balance'),
    ('TC317', 'a balance cannot hold that much more (numeric(12,2)); a card payment is refused when it is initiated if what it would credit does not fit'),
    ('TC318', 'a customer cannot pay cash: it is paid at a shop'),
    ('TC319', 'a customer pays at least the plan''s price'),
    ('TC320', 'no card payment with that `provider_reference` (webhook: HTTP 404)'),
    ('TC321', 'the card payment was already successful: a rejection now is refused (webhook: HTTP 409)'),
    ('TC322', 'the card payment was already rejected (declined, or pending too long): a successful report now is refused and logged for a refund in `card_refund` (webhook: HTTP 409)'),
    ('TC323', 'a payment is settled as `successful` or `rejected`, nothing else'),
    ('TC324', 'only a rejected card payment can be logged for a refund'),
    ('TC325', 'the age of a stale payment must be an interval of zero or more'),
    ('TC401', 'usage for a number that has no account'),
    ('TC402', 'a usage quantity that is missing, not more than zero, or too large for one event (data 1,048,576 MB, voice 1,440 minutes, sms 1,000)'),
    ('TC403', 'a usage event without its kind (an unknown kind is refused by the type, `22P02`)'),
    ('TC404', 'a usage event in the future, or without its moment'),
    ('TC405', 'a usage event more than 7 days old'),
    ('TC406', 'a usage event id already used for another event (other number, kind, quantity or moment)'),
    ('TC407', 'a usage event without its id'),
    ('TC408', 'no tariff for that kind of usage beyond the allowances'),
    ('TC500', 'an unexpected error on the server: the client gets an error id, the log has the details under it (HTTP 500 when nothing ran)'),
    ('TC501', 'not one of the web app''s trusted documents (production, anyone but an admin), or an unknown document id (HTTP 400)'),
    ('TC502', 'the document has more than 10,000 tokens (HTTP 400)'),
    ('TC503', 'fields nested more than 12 levels deep (HTTP 400)'),
    ('TC504', 'more than 50 aliases (HTTP 400)'),
    ('TC505', 'more than 2,000 fields once every fragment is expanded (HTTP 400)'),
    ('TC506', '`first` or `last` above 100 (customers and visitors)'),
    ('TC507', 'a batch (a JSON array of requests) (HTTP 400)'),
    ('TC508', 'too many requests of one person (or visitor address) running at once (HTTP 429, `Retry-After`)'),
    ('TC509', 'introspection by anyone but an admin in production (HTTP 403)'),
    ('TC510', 'a serialization failure or deadlock (`40001`, `40P01`): retry, with the same idempotency key (`extensions.retryable`)'),
    ('TC511', 'a live subscription without the login it needs: `myLiveUpdates` is a customer''s, `adminLiveUsage` an admin''s (HTTP 403)'),
    ('TC512', 'a cursor (`after`, `before`) that is not one the server gave'),
    ('TC513', 'a variable that does not fit its type'),
    ('TC514', 'an `operationName` the document does not have (or none, for a document of several operations)'),
    ('TC515', 'an update with nothing to change (an empty `patch`)'),
    ('TC516', 'a `filter` that is null or empty: leave it out to ask for everything'),
    ('TC517', 'a request that is not GraphQL this server can run: a document that does not fit the schema, a malformed body'),
    ('TC518', 'a request body over 100 kB (HTTP 413)'),
    ('TC601', 'the plan has subscribers: it can be deleted only while nobody has subscribed to it'),
    ('TC602', 'the plan has payments or usage on record: it stays as history'),
    ('TC603', 'the shop offers vouchers: delete its unredeemed vouchers first'),
    ('TC604', 'no row estimate for that name (only the admin reports and lists have one)'),
    ('TC610', 'the number is already issued'),
    ('TC611', 'a mobile number has 11 digits'),
    ('TC612', 'no account type given'),
    ('TC613', 'no customer with that national id, and no name and date of birth to register them'),
    ('TC614', 'a new customer''s national id or e-mail is already registered'),
    ('TC615', 'a network client id or network id that is not 3–64 (1–64) letters, digits, dots, dashes or underscores'),
    ('TC616', 'a network secret shorter than 16 characters or longer than 72 bytes')
), written as (
  insert into telecom_private.error_code (code, meaning)
  select registry.code, registry.meaning
  from registry
  on conflict (code) do update
    set meaning = excluded.meaning
    where error_code.meaning is distinct from excluded.meaning
  returning error_code.code
)
delete from telecom_private.error_code as old_code
where not exists (
  select
  from registry
  where registry.code = old_code.code
);
--! EndIncluded errors/error_code.sql

-- What plpgsql_check found (api/test/schema/plpgsql-check.test.ts): text literals cast implicitly
-- into arrays and an enum, and loop variables declared twice (a loop declares its own).
--! Included usage/record_usage.sql
-- Rates one usage event from the network as it arrives (docs/usage.md):
-- 1. the duplicate check first: a known event_id with the same data returns its first row (TC406
--    with other data), also after 7 days;
-- 2. the event is checked (TC401–TC407, and TC012 for a day before the account's first) and the
--    account locked, the first lock as in every money function (for no key update);
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

comment on function telecom.record_usage(uuid, text, telecom.usage_kind, numeric, timestamptz) is 'Rates one usage event from the network: draws it from the allowances of the plans that cover its day (oldest subscription first), charges the rest at the tariff, and returns the stored event (outcome in_allowance, charged or refused). A repeated event_id with the same data returns the first result. The network and trusted sessions only.';

revoke all on function telecom.record_usage(uuid, text, telecom.usage_kind, numeric, timestamptz) from public;
grant execute on function telecom.record_usage(uuid, text, telecom.usage_kind, numeric, timestamptz) to telecom_network;
--! EndIncluded usage/record_usage.sql
--! Included usage/rate_usage_batch.sql
-- The bulk load of usage events (docs/usage.md, `npm run usage:load -- FILE.csv`): the file is copied
-- into the session's staging table pg_temp.usage_load (begin_usage_load makes it and names the
-- load), check_usage_load sorts every line set-based and queues the new events in chunks of whole
-- accounts, and rate_usage_batch rates one chunk per transaction; several connections may call it
-- at once, each taking the next chunk nobody else has (accounts share no allowance or balance, and
-- the chunks share no account). The result is that of calling record_usage once per line in
-- occurred_at order (then line):
-- 1. set-based, the duplicate check first: an event_id already stored (or on an earlier valid line)
--    with the same data is a duplicate and counts nothing; with other data it is TC406;
-- 2. set-based, the checks of usage_event_problem and usage_account_problem (TC401–TC407, TC012):
--    such a line is reported and stores nothing;
-- 3. the rating. Each account's events are rated in occurred_at order on their own: set-based with
--    running totals per account, kind and month (in segments where a subscription's paid_until
--    falls between the account's events), through record_usage one by one where the order changes
--    an outcome: a prepaid or pay-as-you-go balance that cannot cover all the account's charges,
--    since a refused event consumes nothing.
--    The set-based path writes what record_usage writes, in a coarser grain in two places: an
--    account's charges in one chunk are one balance change (one journal entry, operation
--    rate_usage_batch), and live notifications are one per account and chunk (the admins': one per
--    account, kind and outcome), besides one per alert and one per balance change.

-- Names a new load and makes the session's staging table (the COPY target): every column text, as
-- in the file. The queue of a load whose process died before finish_usage_load goes after a day.
create or replace function telecom_private.begin_usage_load() returns bigint
  language plpgsql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
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

comment on function telecom_private.begin_usage_load() is 'Names a new bulk load of usage events and makes the session''s staging table pg_temp.usage_load (trusted sessions only).';

-- Sorts the staged lines set-based (steps 1 and 2 above) in one pass: the invalid ones into
-- pg_temp.usage_load_rejected (line, event_id, code, message), the new events into the load's
-- queue, numbered by account (bytewise, collation "C": any order of the accounts will do) then in
-- rating order, in chunks of whole accounts of about p_chunk_size events. Returns how many lines
-- are new, duplicates or invalid.
create or replace function telecom_private.check_usage_load(p_load bigint, p_chunk_size integer) returns table (state text, lines bigint)
  language plpgsql
  volatile
  set search_path to pg_catalog, public, pg_temp
  -- Its sorts and hashes hold a whole file (200,000 lines: about 30 MB) in memory, not on disk.
  set work_mem to '128MB'
as $$
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
$$;

comment on function telecom_private.check_usage_load(bigint, integer) is 'Sorts the staged lines of a bulk usage load set-based: duplicates (also of stored events), TC4xx-invalid lines (into pg_temp.usage_load_rejected, never stored) and new events (queued in chunks of whole accounts for rate_usage_batch).';

-- Clears what is left of a load's queue (after a failed chunk: a re-run of the file rates it).
create or replace function telecom_private.finish_usage_load(p_load bigint) returns void
  language plpgsql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  perform telecom_private.assert_trusted_session('Only a trusted session loads usage in bulk.');
  delete from telecom_private.usage_load_event as event where event.load_id = finish_usage_load.p_load;
  delete from telecom_private.usage_load_chunk as chunk where chunk.load_id = finish_usage_load.p_load;
end;
$$;

comment on function telecom_private.finish_usage_load(bigint) is 'Clears what is left of a bulk usage load''s queue.';

-- Rates the next chunk of a load that no other connection is rating (step 3 above), in one
-- transaction. Returns the chunk's outcomes, and how many of each were rated one by one through
-- record_usage; no rows when no chunk is left. Call it until then (from several connections at once).
create or replace function telecom_private.rate_usage_batch(p_load bigint) returns table (outcome telecom.usage_outcome, events bigint, charged numeric, one_by_one bigint)
  language plpgsql
  volatile
  set search_path to pg_catalog, public, pg_temp
  -- Its sorts and hashes hold a chunk and the day's plan_usage records in memory, not on disk.
  set work_mem to '64MB'
as $$
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
  select account.mobile_no, account.national_id, account.status, account.account_type, account.balance
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
  -- the account's charges (a refused event consumes nothing, so what follows it changes).
  alter table usage_chunk_account add column one_by_one boolean;
  update usage_chunk_account as account
  set one_by_one = account.status = 'active' and account.account_type <> 'post_paid' and account.balance < summary.charged
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

comment on function telecom_private.rate_usage_batch(bigint) is 'Rates the next chunk of a bulk usage load that no other connection is rating (whole accounts, one transaction): set-based with running totals, through record_usage one by one for the accounts whose balance runs short. Returns the chunk''s outcomes.';
--! EndIncluded usage/rate_usage_batch.sql
--! Included usage/ensure_usage_partitions.sql
-- Partitions of telecom.usage_event (docs/usage.md): one per calendar month of the operator's time zone,
-- named telecom_private.usage_event_pYYYY_MM. This keeps the month of seven days ago (record_usage
-- takes events up to 7 days old), this month and the next; the server's maintenance tick calls it
-- every minute (telecom.maintenance_tick), and the migration once, so record_usage never lacks one.
-- Retention: a month's partition is detached once at least four full months have ended after it
-- (recommended_plans reads the three full months before this one). The detached table stays in
-- telecom_private for the DBA to archive or drop; its event ids leave usage_event_key (with their
-- usage_allocation rows), since a replay that old is refused as more than 7 days old anyway.
-- p_now is the clock it keeps ahead of: now() but in the test that the schema dump does not change
-- with the month (api/test/schema/schema-docs.test.ts).
create or replace function telecom_private.ensure_usage_partitions(p_now timestamptz default now()) returns text[]
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
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
$$;

comment on function telecom_private.ensure_usage_partitions(timestamptz) is 'Creates the usage_event partitions of the month seven days before p_now, this month and the next (operator''s time zone), and detaches those whose month ended at least four full months ago. Returns what it did. Called by the maintenance tick.';

revoke all on function telecom_private.ensure_usage_partitions(timestamptz) from public;
--! EndIncluded usage/ensure_usage_partitions.sql
--! Included journal/tg_wallet__journal.sql
-- The changes of wallet balances made by one statement as journal entries (wallet_journal_entries),
-- one insert per statement (a transfer's two wallets are one update, so one insert of two entries),
-- with the operation and actor of the money operation running in this transaction (`direct` by the
-- database login without one). Statement-level, so it still catches every direct insert, update and
-- delete. `old_rows` is absent for an insert (opening entries) and `new_rows` for a delete (closing ones).
create or replace function telecom_private.tg_wallet__journal() returns trigger
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
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

create or replace trigger _200_journal_insert
  after insert
  on telecom.wallet
  referencing new table as new_rows
  for each statement
  execute function telecom_private.tg_wallet__journal();

create or replace trigger _200_journal_update
  after update
  on telecom.wallet
  referencing old table as old_rows new table as new_rows
  for each statement
  execute function telecom_private.tg_wallet__journal();

create or replace trigger _200_journal_delete
  after delete
  on telecom.wallet
  referencing old table as old_rows
  for each statement
  execute function telecom_private.tg_wallet__journal();
--! EndIncluded journal/tg_wallet__journal.sql
--! Included journal/begin_account_money_operation.sql
-- The prologue of a money function that acts on one account (docs/money.md), written once:
-- begin_money_operation, then the account locked first of all (lock_active_account: TC101, TC103).
-- A repeated request (same idempotency key) gets the first request's result in p_result and no
-- account: the caller returns p_result when p_account is null. A procedure, so that the caller
-- receives both in its own variables: `call ...(..., v_result, v_account)`.
create or replace procedure telecom_private.begin_account_money_operation(
  p_operation text,
  p_idempotency_key uuid,
  p_arguments jsonb,
  p_mobile_no text,
  inout p_result anyelement,
  inout p_account telecom.customer_account
)
  language plpgsql
  set search_path to pg_catalog, public, pg_temp
as $$
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

comment on procedure telecom_private.begin_account_money_operation(text, uuid, jsonb, text, anyelement, telecom.customer_account) is 'Begins a money operation on an account: the stored result of a repeated request in p_result (and p_account null), otherwise the account, locked after checking the caller may use it and that it is active.';
--! EndIncluded journal/begin_account_money_operation.sql

-- The rules cite the project's own documents (docs/…) in their comments.
--! Included accounts/customer_profile.sql
-- Table telecom.customer_profile: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.customer_profile;
create policy select_own on telecom.customer_profile for select to telecom_customer using (national_id = telecom.current_national_id());

-- A customer changes their e-mail and address through update_my_profile (throttled "this e-mail cannot be used", docs/security.md), not directly.
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
--! Included accounts/issue_account.sql
-- Issues a number (docs/api.md): numbers belong to the operator, which gives one to an existing person,
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
$$;

comment on function telecom.issue_account(integer, text, telecom.account_type, text, text, text, text, date) is 'Admin only. Issues a new number, active from today, to the person with that national id; for a new person, give first_name, last_name and date_of_birth (email and address are optional).';

grant execute on function telecom.issue_account(integer, text, telecom.account_type, text, text, text, text, date) to telecom_admin;
--! EndIncluded accounts/issue_account.sql
--! Included accounts/tg__not_in_future.sql
-- What has happened is not dated in the future (docs/data-model.md): an account's start, a payment. One check
-- for both; the trigger's arguments are the date column and the refusal (`%s` stands for the date).
create or replace function telecom_private.tg__not_in_future() returns trigger
  language plpgsql
  volatile
as $$
declare
  v_date date := (to_jsonb(new) ->> tg_argv[0])::date;
begin
  if v_date > current_date then
    raise exception '%', format(tg_argv[1], v_date) using errcode = 'TC011';
  end if;
  return new;
end;
$$;

create or replace trigger _100_start_date
  before insert or update of start_date
  on telecom.customer_account
  for each row
  execute function telecom_private.tg__not_in_future('start_date', 'The account cannot start in the future (%s).');

create or replace trigger _100_date
  before insert or update of date_of_payment
  on telecom.payment
  for each row
  execute function telecom_private.tg__not_in_future('date_of_payment', 'A payment cannot be dated in the future (%s).');
--! EndIncluded accounts/tg__not_in_future.sql
--! Included accounts/tg_customer_profile__date_of_birth.sql
-- A date of birth is in the past (docs/data-model.md; the table's check keeps it after 1900).
create or replace function telecom_private.tg_customer_profile__date_of_birth() returns trigger
  language plpgsql
  volatile
as $$
begin
  if new.date_of_birth >= current_date then
    raise exception 'The date of birth (%) must be in the past.', new.date_of_birth using errcode = 'TC010';
  end if;
  return new;
end;
$$;

create or replace trigger _100_date_of_birth
  before insert or update of date_of_birth
  on telecom.customer_profile
  for each row
  execute function telecom_private.tg_customer_profile__date_of_birth();
--! EndIncluded accounts/tg_customer_profile__date_of_birth.sql
--! Included accounts/tg_customer_profile__email_available.sql
-- A customer who picks an e-mail address another person has is told "this e-mail cannot be used"
-- (docs/security.md, one of the two allowed disclosures), never the unique violation (23505) that names the
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
--! Included accounts/update_my_profile.sql
-- A customer changes their own e-mail and address (docs/api.md self-service). Picking an address another
-- person has is one of the two allowed disclosures of docs/security.md: the answer is always the same status
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
$$;

comment on function telecom.update_my_profile(text, text) is 'Sets the e-mail and address of the logged-in customer (null removes one). Returns status `saved`, or `email_cannot_be_used` when another person has the e-mail (nothing changes; the same answer whatever the reason). After 5 such refusals in an hour, a change of e-mail is refused with TC220 and a retry-after. A malformed e-mail is refused with TC225.';

grant execute on function telecom.update_my_profile(text, text) to telecom_customer;
--! EndIncluded accounts/update_my_profile.sql
--! Included benefits/benefits_account.sql
-- Ends the account's active benefits that the plan provides (docs/api.md): they become expired as of
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

comment on function telecom.benefits_account(text, integer) is 'Admin only. Ends the account''s active benefits that the plan provides (expired as of today), so they no longer count in reports, offers or cashback; the cashback and points they credited stay. Returns how many benefits were ended.';

grant execute on function telecom.benefits_account(text, integer) to telecom_admin;
--! EndIncluded benefits/benefits_account.sql
--! Included benefits/cashback_amount.sql
-- The cashback a payment earns (docs/api.md): 10% of its amount, rounded to the cent. The one place
-- the share is written: payment_wallet_cashback credits it, the synthetic data computes it.
create or replace function telecom_private.cashback_amount(p_payment_amount numeric) returns numeric
  language sql
  immutable
  strict
  parallel safe
as $$
  select round(p_payment_amount * 0.10, 2)
$$;

comment on function telecom_private.cashback_amount(numeric) is 'The cashback a payment of this amount earns: 10%, rounded to the cent.';
--! EndIncluded benefits/cashback_amount.sql
--! Included benefits/payment_wallet_cashback.sql
-- Credits 10% of a successful payment as cashback (docs/api.md): through a benefit of the account that
-- counts (active and unexpired), to the owner's wallet in the payment's currency, once per payment,
-- ever. The benefit is locked (for share) so that it cannot be ended or deleted while it pays.
-- Only money that came in from outside earns it (cash or card): a payment made from the wallet would
-- pay cashback back into the wallet it came from, and a top-up and its cashback, repeated, would
-- make money out of nothing (TC117).
create or replace function telecom.payment_wallet_cashback(mobile_no text, payment_id integer, benefit_id integer, idempotency_key uuid default null) returns telecom.cashback
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
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

comment on function telecom.payment_wallet_cashback(text, integer, integer, uuid) is 'Credits 10% of a successful payment of the account (rounded to the cent) as cashback, through one of the account''s benefits that counts (active, unexpired), to the owner''s wallet in the payment''s currency (the one linked to the number first). Only cash and card payments earn it: a payment made from the wallet is refused (TC117). A payment earns cashback once, ever. A repeat with the same idempotency_key returns the first credit.';

grant execute on function telecom.payment_wallet_cashback(text, integer, integer, uuid) to telecom_customer, telecom_admin;
--! EndIncluded benefits/payment_wallet_cashback.sql
--! Included benefits/tg_points_group__history.sql
-- Points earned by a successful payment are money history, like the payment (docs/data-model.md); a points
-- group joins a benefit and a payment of the same account.
create or replace function telecom_private.tg_points_group__history() returns trigger
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
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

create or replace trigger _100_history
  before insert or update or delete
  on telecom.points_group
  for each row
  execute function telecom_private.tg_points_group__history();
--! EndIncluded benefits/tg_points_group__history.sql
--! Included benefits/total_points_account.sql
-- Recomputes the account's points (docs/api.md): earned (the points groups of its successful
-- payments) minus spent (the vouchers it redeemed). The account row is locked first, as a redeem
-- locks it, so a recompute and a concurrent redeem take turns and neither is lost. Points never go
-- below zero: history that spent more than it earned (hand-made data) leaves 0.
create or replace function telecom.total_points_account(mobile_no text) returns integer
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
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

comment on function telecom.total_points_account(text) is 'Admin only. Recomputes the account''s points as the points earned by its successful payments minus the points it spent on vouchers, stores and returns them.';

grant execute on function telecom.total_points_account(text) to telecom_admin;
--! EndIncluded benefits/total_points_account.sql
--! Included identity/assert_hourly_budget.sql
-- The check of every hourly budget of a person (docs/security.md): the uses of the last hour, read by the
-- caller under its advisory lock; when `budget` of them fall within the hour the attempt waits until
-- the budget-th latest ages out, refused with TC220 and the wait in the hint (retry-after=N).
create or replace function telecom_private.assert_hourly_budget(used_at timestamptz[], budget integer, refusal text) returns void
  language plpgsql
  stable
as $$
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

comment on function telecom_private.assert_hourly_budget(timestamptz[], integer, text) is 'Refuses with TC220 (hint retry-after=<seconds>) when budget of the uses fall within the last hour.';

revoke all on function telecom_private.assert_hourly_budget(timestamptz[], integer, text) from public;
--! EndIncluded identity/assert_hourly_budget.sql
--! Included identity/assert_password_length.sql
-- bcrypt reads at most 72 bytes: a longer password is refused, never truncated (docs/security.md).
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
--! Included identity/authenticate_network.sql
-- The network's mediation system logs in (docs/api.md): a token of role telecom_network with the claim
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
--! Included identity/caller_role.sql
-- Who is calling (docs/security.md): the role the session switched to, or the login itself. Never
-- current_user, which inside a security definer function is the function's owner.
create or replace function telecom_private.caller_role() returns text
  language sql
  stable
as $$
  select case current_setting('role')
    when 'none' then session_user::text
    else current_setting('role')
  end
$$;

comment on function telecom_private.caller_role() is 'The caller''s role: current_setting(''role''), or session_user when no role was set.';
--! EndIncluded identity/caller_role.sql
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

comment on function telecom_private.check_password(text, text, text) is 'Checks a password against a bcrypt hash (the dummy hash when null) under the throttle of docs/security.md: refuses with TC220 and a retry-after when the caller must wait; records a failure, or clears the address''s failures on success.';
--! EndIncluded identity/check_password.sql
--! Included identity/client_address.sql
-- The client address of the request (docs/security.md): the API server sets telecom.client_address from
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
--! Included identity/login_failure.sql
-- Table telecom_private.login_failure: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations and migrations/current/50-online-access.sql.

comment on table telecom_private.login_failure is 'Failed attempts (wrong passwords, wrong codes) and code requests, the input of the throttle of docs/security.md (login_retry_after); forgotten after 24 hours.';
comment on column telecom_private.login_failure.login is 'What was tried: a mobile number, ''admin:'' and a username, ''code:'' and a number (a wrong code), ''sms:'' and a number (a code asked for).';
comment on column telecom_private.login_failure.failed_at is 'When the attempt failed.';
comment on column telecom_private.login_failure.client_address is 'The client address it came from (telecom.client_address); '''' for a session without one.';
--! EndIncluded identity/login_failure.sql
--! Included identity/login_retry_after.sql
-- The throttle of logins and codes (docs/security.md), as seconds to wait (0: go ahead). Two keys:
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
--! Included identity/network_credential.sql
-- Table telecom_private.network_credential: who may read and write it and what it means.
-- Its columns and constraints are table changes (migrations/current, then committed).
-- No API role reads or writes it: admins manage it through set_network_credential and
-- remove_network_credential, the network logs in through authenticate_network.

revoke all on telecom_private.network_credential from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;

comment on table telecom_private.network_credential is 'A login of the network''s mediation system (docs/api.md): its client id, the network it speaks for and the bcrypt hash of its secret.';
comment on column telecom_private.network_credential.client_id is 'The client id the mediation system logs in with.';
comment on column telecom_private.network_credential.network_id is 'The network the client speaks for: the network_id claim of its tokens, recorded with each usage event.';
comment on column telecom_private.network_credential.secret_hash is 'bcrypt hash (crypt() with gen_salt(''bf'', 10)) of the secret.';
comment on column telecom_private.network_credential.created_at is 'When the credential was set.';
--! EndIncluded identity/network_credential.sql
--! Included identity/password_hash_cost.sql
-- The bcrypt cost of every password hash (docs/security.md: at least 10), and of the dummy hash that an
-- unknown login is checked against, so that unknown and known logins take the same time.
create or replace function telecom_private.password_hash_cost() returns integer
  language sql
  immutable
as $$
  select 10
$$;

comment on function telecom_private.password_hash_cost() is 'The bcrypt cost of every stored password hash and of the dummy hash (docs/security.md: at least 10).';
--! EndIncluded identity/password_hash_cost.sql
--! Included identity/register_customer.sql
-- Online access for the person a number was issued to (docs/api.md): whoever holds the number proves it
-- with the code sent to it, and chooses a password. Numbers themselves are issued by the operator.
create or replace function telecom.register_customer(mobile_no text, code text, password text) returns telecom.jwt_token
  language sql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
  select telecom_private.set_password_with_code(register_customer.mobile_no, 'register', register_customer.code, register_customer.password)
$$;

comment on function telecom.register_customer(text, text, text) is 'Activates online access for a number: with the code sent to it by request_verification_code, sets its password (8 characters to 72 bytes) and returns a login token. Returns null when the code is wrong, expired, used, for another purpose or out of attempts (the same answer whether or not the number exists); throttled like a login (TC220).';

grant execute on function telecom.register_customer(text, text, text) to telecom_anonymous;
--! EndIncluded identity/register_customer.sql
--! Included identity/reset_password.sql
-- A forgotten password (docs/api.md): whoever holds the number proves it with the code sent to it, and
-- chooses a new password.
create or replace function telecom.reset_password(mobile_no text, code text, new_password text) returns telecom.jwt_token
  language sql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
  select telecom_private.set_password_with_code(reset_password.mobile_no, 'reset', reset_password.code, reset_password.new_password)
$$;

comment on function telecom.reset_password(text, text, text) is 'Resets a forgotten password: with the code sent to the number by request_verification_code, sets its new password (8 characters to 72 bytes) and returns a login token. Returns null when the code is wrong, expired, used, for another purpose or out of attempts (the same answer whether or not the number exists); throttled like a login (TC220).';

grant execute on function telecom.reset_password(text, text, text) to telecom_anonymous;
--! EndIncluded identity/reset_password.sql
--! Included identity/session_is_trusted.sql
-- A trusted session (docs/security.md) is the owner or a superuser calling as itself: a DBA in psql, a
-- migration, a script. It can already read and write every table, so every operation works for it
-- as for an admin; the security boundary is the API roles.
create or replace function telecom_private.session_is_trusted() returns boolean
  language sql
  stable
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
  select exists (
    select
    from pg_catalog.pg_roles as role
    where role.rolname = telecom_private.caller_role()
      and (role.rolname = 'telecom_owner' or role.rolsuper)
  )
$$;

comment on function telecom_private.session_is_trusted() is 'Whether the caller is telecom_owner or a superuser, not an API role.';
--! EndIncluded identity/session_is_trusted.sql
--! Included identity/set_network_credential.sql
-- Admins (and trusted sessions) create a network login or give it a new secret (docs/api.md).
create or replace function telecom.set_network_credential(client_id text, network_id text, secret text) returns boolean
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
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
$$;

comment on function telecom.set_network_credential(text, text, text) is 'Creates the network login client_id for network_id, or gives it a new secret (16 characters to 72 bytes). Admins only.';

revoke all on function telecom.set_network_credential(text, text, text) from public;
grant execute on function telecom.set_network_credential(text, text, text) to telecom_admin;
--! EndIncluded identity/set_network_credential.sql
--! Included identity/switch_number.sql
-- switch_number (docs/api.md "Several numbers"): a customer who holds several numbers reissues their
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
--! Included journal/account_journal_entries.sql
-- The journal entries of a change of an account's balance and points (docs/money.md): one per quantity
-- that changed, from 0 when there was no row before (the opening entries of a new account) and to 0
-- when there is none after. The account's journal trigger writes them for every change; the
-- synthetic data writes a new account's opening entries with them.
create or replace function telecom_private.account_journal_entries(
  p_balance_before numeric,
  p_balance_after numeric,
  p_points_before integer,
  p_points_after integer
) returns table (account_kind text, change numeric, balance_after numeric)
  language sql
  immutable
  parallel safe
as $$
  select entry.account_kind, entry.quantity_after - entry.quantity_before, entry.quantity_after
  from (
    values
      ('account_balance', coalesce(p_balance_before, 0), coalesce(p_balance_after, 0)),
      ('account_points', coalesce(p_points_before, 0), coalesce(p_points_after, 0))
  ) as entry (account_kind, quantity_before, quantity_after)
  where entry.quantity_after <> entry.quantity_before
$$;
--! EndIncluded journal/account_journal_entries.sql
--! Included journal/begin_money_operation.sql
-- The prologue of every money function (docs/money.md, one protocol for all):
-- 1. a request repeated with the same idempotency key by the same actor returns the first result:
--    the key is claimed in telecom_private.idempotency_key, and a concurrent twin blocks on its
--    primary key until the first transaction ends, then sees its result (or claims the key itself
--    if the first rolled back);
-- 2. otherwise the operation is recorded for this transaction in telecom_private.money_operation,
--    where the journal triggers read its name and actor. Only these functions write that table, so
--    an API role cannot forge the journal's provenance (a session setting could be).
-- The caller then locks in the fixed order: the account, wallets by id, then the payment or voucher.
create or replace function telecom_private.begin_money_operation(p_operation text, p_idempotency_key uuid, p_arguments jsonb) returns jsonb
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
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

comment on function telecom_private.begin_money_operation(text, uuid, jsonb) is 'Starts a money operation: null when the request is new (the caller proceeds, its journal entries name the operation), or the stored result of the first request with this idempotency key (TC301 if that was a different request).';
--! EndIncluded journal/begin_money_operation.sql
--! Included journal/maintenance_tick.sql
-- The server's one maintenance tick (docs/money.md): every minute the API server calls this function on
-- its owner connection (a trusted session), and it runs the scheduled work in one place. There is
-- no pg_cron and no other timer. Add each new job here with its own key in the result (usage
-- partitions, ...). Arguments are for tests and operators; the defaults are the product's.
--   stale_payments_rejected: card payments pending longer than stale_payment_age, rejected.
--   admin_figures_refreshed: 1 when the admin figures were older than figures_age and were
--     recomputed (telecom.refresh_admin_figures()), else 0. The figures are refreshed together,
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
  perform telecom_private.assert_trusted_session('Only the server''s own database session runs the maintenance tick.');
  select greatest(
    (select max(as_of) from telecom.revenue_per_month),
    (select max(as_of) from telecom.usage_per_month),
    (select max(as_of) from telecom.new_accounts_per_month),
    (select max(as_of) from telecom.wallet_volume_per_month),
    (select max(as_of) from telecom.open_tickets_by_priority),
    (select max(as_of) from telecom.account_status_counts)
  ) into v_figures_as_of;
  if v_figures_as_of is null or v_figures_as_of <= now() - maintenance_tick.figures_age then
    perform telecom.refresh_admin_figures();
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
--! Included journal/tg_money_history__append_only.sql
-- Money history is append-only (docs/data-model.md, docs/money.md): settled payments, transfers, cashback, redeemed
-- vouchers and the journal are never updated or deleted, by any writer, admins and DBAs included.
-- `db:clear` truncates (row triggers do not fire); a DBA may only break the rule by disabling
-- triggers on purpose. The message says which history the row is (the trigger's argument).
create or replace function telecom_private.tg_money_history__append_only() returns trigger
  language plpgsql
  volatile
as $$
begin
  raise exception '% cannot be changed or deleted: it is money history.', tg_argv[0] using errcode = 'TC020';
end;
$$;

create or replace trigger _050_append_only
  before update or delete
  on telecom.money_journal
  for each row
  execute function telecom_private.tg_money_history__append_only('A money journal entry');

create or replace trigger _050_append_only
  before update or delete
  on telecom.transfer_money
  for each row
  execute function telecom_private.tg_money_history__append_only('A transfer');

create or replace trigger _050_append_only
  before update or delete
  on telecom.cashback
  for each row
  execute function telecom_private.tg_money_history__append_only('A cashback credit');

create or replace trigger _050_append_only
  before update or delete
  on telecom.payment
  for each row
  when (old.status <> 'pending')
  execute function telecom_private.tg_money_history__append_only('A settled payment');

create or replace trigger _050_append_only
  before update or delete
  on telecom.voucher
  for each row
  when (old.mobile_no is not null)
  execute function telecom_private.tg_money_history__append_only('A redeemed voucher');
--! EndIncluded journal/tg_money_history__append_only.sql
--! Included journal/wallet_journal_entries.sql
-- The journal entry of a change of a wallet's balance (docs/money.md): none when it did not change, from
-- 0 when there was no row before (a new wallet's opening entry) and to 0 when there is none after.
-- The wallet's journal trigger writes it for every change; the synthetic data writes a new wallet's
-- opening entry with it.
create or replace function telecom_private.wallet_journal_entries(p_balance_before numeric, p_balance_after numeric) returns table (account_kind text, change numeric, balance_after numeric)
  language sql
  immutable
  parallel safe
as $$
  select 'wallet_balance', coalesce(p_balance_after, 0) - coalesce(p_balance_before, 0), coalesce(p_balance_after, 0)
  where coalesce(p_balance_after, 0) <> coalesce(p_balance_before, 0)
$$;
--! EndIncluded journal/wallet_journal_entries.sql
--! Included payments/card_payment_by_reference.sql
-- The card payment a report of the card processor names (docs/money.md), for settle_payment and
-- record_card_refund: TC320 when no payment has that provider_reference. Not locked.
create or replace function telecom_private.card_payment_by_reference(p_provider_reference text) returns telecom.payment
  language plpgsql
  stable
  set search_path to pg_catalog, public, pg_temp
as $$
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

comment on function telecom_private.card_payment_by_reference(text) is 'The card payment with this provider_reference (TC320 when there is none), unlocked.';
--! EndIncluded payments/card_payment_by_reference.sql
--! Included payments/initiate_balance_payment.sql
-- Recharges the account (docs/api.md, docs/money.md): once the payment is successful its amount is added to
-- the balance.
create or replace function telecom.initiate_balance_payment(mobile_no text, amount numeric, payment_method telecom.payment_method, idempotency_key uuid default null) returns telecom.payment
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_account telecom.customer_account;
  v_payment telecom.payment;
begin
  call telecom_private.begin_account_money_operation(
    'initiate_balance_payment',
    initiate_balance_payment.idempotency_key,
    jsonb_build_object('mobile_no', mobile_no, 'amount', amount, 'payment_method', payment_method),
    initiate_balance_payment.mobile_no,
    v_payment,
    v_account
  );
  if v_account is null then
    return v_payment;
  end if;
  perform telecom_private.assert_money_amount(initiate_balance_payment.amount);
  v_payment := telecom_private.record_payment(v_account, initiate_balance_payment.amount, initiate_balance_payment.payment_method);
  perform telecom_private.finish_money_operation(to_jsonb(v_payment));
  return v_payment;
end;
$$;

comment on function telecom.initiate_balance_payment(text, numeric, telecom.payment_method, uuid) is 'Recharges the account. Admins record cash and card at a shop, successful at once; a customer pays by card (pending until the card processor settles it) or from the EGP wallet linked to the number. Once successful, the amount is added to the balance. A repeat with the same idempotency_key returns the first payment.';

grant execute on function telecom.initiate_balance_payment(text, numeric, telecom.payment_method, uuid) to telecom_customer, telecom_admin;
--! EndIncluded payments/initiate_balance_payment.sql
--! Included payments/initiate_plan_payment.sql
-- Pays for a plan (docs/api.md, docs/money.md). The process_payment row, with the price at this moment, is
-- written at once, also for a pending card payment; the effects follow when the payment is successful.
create or replace function telecom.initiate_plan_payment(mobile_no text, amount numeric, payment_method telecom.payment_method, plan_id integer, idempotency_key uuid default null) returns telecom.payment
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
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

comment on function telecom.initiate_plan_payment(text, numeric, telecom.payment_method, integer, uuid) is 'Pays for a plan. Admins record cash and card at a shop, successful at once; a customer pays by card (pending until the card processor settles it, provider_reference is the checkout) or from the EGP wallet linked to the number, and at least the plan''s price. Once successful, a payment that covers the price activates the subscription (created if absent, dated today) and moves paid_until one month on; an admin''s partial payment leaves it as it was. Any extra is credited to the balance. A repeat with the same idempotency_key returns the first payment.';

grant execute on function telecom.initiate_plan_payment(text, numeric, telecom.payment_method, integer, uuid) to telecom_customer, telecom_admin;
--! EndIncluded payments/initiate_plan_payment.sql
--! Included payments/record_payment.sql
-- Who may pay how (docs/money.md), once for both kinds of payment. Runs inside a money operation, after
-- the account is locked. An admin or a trusted session takes cash and card at a shop: successful at
-- once. A customer cannot declare cash; their card payment is pending until the card processor
-- settles it (provider_reference is the checkout's id). A wallet payment debits the EGP wallet
-- linked to the number in the same transaction, whoever makes it. A plan payment (p_plan_id) gets
-- its process_payment row at once, also when pending; a successful payment takes effect at once,
-- and a pending one is refused when its amount could not fit the balance (TC317).
create or replace function telecom_private.record_payment(p_account telecom.customer_account, p_amount numeric, p_method telecom.payment_method, p_plan_id integer default null) returns telecom.payment
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
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

comment on function telecom_private.record_payment(telecom.customer_account, numeric, telecom.payment_method, integer) is 'Records a payment of the (locked) account, for a plan or not, as docs/money.md allows the caller: successful at once (and applied), or pending for a customer''s card; debits the wallet for a wallet payment.';
--! EndIncluded payments/record_payment.sql
--! Included payments/reject_stale_payments.sql
-- Card payments the processor never reported (docs/money.md): pending longer than older_than (by
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
--! Included plans/resume_subscription.sql
-- Makes a held subscription active again without touching its dates (docs/api.md).
create or replace function telecom.resume_subscription(mobile_no text, plan_id integer) returns telecom.subscription
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_subscription telecom.subscription := telecom_private.change_subscription_status(resume_subscription.mobile_no, resume_subscription.plan_id, 'onhold', 'active');
begin
  if v_subscription is null then
    raise exception '% has no subscription on hold to plan %.', resume_subscription.mobile_no, resume_subscription.plan_id using errcode = 'TC133';
  end if;
  return v_subscription;
end;
$$;

comment on function telecom.resume_subscription(text, integer) is 'Makes the account''s subscription on hold to a plan active again; its subscription date and paid_until stay as they are.';

grant execute on function telecom.resume_subscription(text, integer) to telecom_customer, telecom_admin;
--! EndIncluded plans/resume_subscription.sql
--! Included plans/subscription.sql
-- Table telecom.subscription: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.subscription;
create policy select_own on telecom.subscription for select to telecom_customer
  using (mobile_no = any (array(select telecom.current_mobile_nos())));

drop policy if exists manage_admin on telecom.subscription;
create policy manage_admin on telecom.subscription for all to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.subscription from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
grant select on telecom.subscription to telecom_customer;
grant select, insert, update, delete on telecom.subscription to telecom_admin;

-- The table keeps its SQL name; in GraphQL it is PlanSubscription (fields planSubscriptions…), so
-- the root Subscription type of GraphQL subscriptions can exist (docs/usage.md).
comment on table telecom.subscription is E'@name plan_subscription\nAn account''s subscription to a service plan.';
comment on column telecom.subscription.mobile_no is 'The subscribed account.';
comment on column telecom.subscription.plan_id is 'The plan subscribed to.';
comment on column telecom.subscription.subscription_date is 'The day the account first subscribed to the plan; it never changes (renewals move paid_until).';
comment on column telecom.subscription.status is 'Whether the subscription is running or on hold.';
comment on column telecom.subscription.paid_until is 'The first day the subscription is not paid for: it covers a day while active and before this date. Null until a payment covers the plan''s price.';
--! EndIncluded plans/subscription.sql
--! Included plans/tg_service_plan__delete_unused.sql
-- A plan may be deleted only while nobody has subscribed to it and no payment or usage names it
--; its benefit links go with it. The refusal is a sentence for the admin's form.
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
--! Included plans/tg_subscription__dates.sql
-- A subscription is dated when the account first subscribed (docs/data-model.md): not in the future, not
-- before the account started, and never moved afterwards (renewals move paid_until).
create or replace function telecom_private.tg_subscription__dates() returns trigger
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
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

create or replace trigger _100_dates
  before insert or update of subscription_date, mobile_no
  on telecom.subscription
  for each row
  execute function telecom_private.tg_subscription__dates();
--! EndIncluded plans/tg_subscription__dates.sql
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

-- Sorted and filtered only by columns an index serves; the others are tagged.
comment on column telecom.account_payments.amount is E'@behavior -filterBy -orderBy\nAmount paid (EGP).';
comment on column telecom.account_payments.payment_method is E'@behavior -filterBy -orderBy\ncash, credit or wallet.';
comment on column telecom.account_payments.status is E'@behavior -filterBy -orderBy\nStatus.';
comment on column telecom.account_payments.national_id is E'@behavior -orderBy\nNational id of the account''s owner.';
comment on column telecom.account_payments.account_type is E'@behavior -filterBy -orderBy\npost_paid, prepaid or pay_as_you_go.';
comment on column telecom.account_payments.account_status is E'@behavior -filterBy -orderBy\nStatus of the paying account.';

grant select on telecom.account_payments to telecom_admin;
--! EndIncluded reports/account_payments.sql
--! Included reports/account_status_counts.sql
-- Figure: accounts by status, among them the accounts on hold. Defined in the migration;
-- refreshed by telecom.refresh_admin_figures().
comment on materialized view telecom.account_status_counts is E'@primaryKey status\nAccounts per status (active, onhold). Figures as of as_of (refreshed periodically).';
comment on column telecom.account_status_counts.status is 'The account status.';
comment on column telecom.account_status_counts.accounts is 'Accounts with that status.';
comment on column telecom.account_status_counts.as_of is 'When these figures were computed.';

grant select on telecom.account_status_counts to telecom_admin;
--! EndIncluded reports/account_status_counts.sql
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

-- Sorted and filtered only by columns an index serves: benefit_id (the key) and mobile_no.
comment on column telecom.all_benefits.description is E'@behavior -filterBy -orderBy\nWhat the benefit gives.';
comment on column telecom.all_benefits.validity_date is E'@behavior -filterBy -orderBy\nThe last day it is valid.';
comment on column telecom.all_benefits.status is E'@behavior -filterBy -orderBy\nactive (the view shows no other).';
comment on column telecom.all_benefits.mobile_no is 'The account the benefit belongs to.';

grant select on telecom.all_benefits to telecom_admin;
--! EndIncluded reports/all_benefits.sql
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

-- Sorted and filtered only by columns an index serves; the others are tagged.
-- E-mail filters (its unique index) but does not sort: descending, the people without one come
-- first and are ordered by number across two tables, which no index serves (1.5 s at 1M customers).
comment on column telecom.all_customer_accounts.email is E'@behavior -orderBy\nE-mail of the owner; null when none was given.';
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

-- Sorted and filtered only by columns an index serves; the others are tagged.
comment on column telecom.all_resolved_tickets.issue_description is E'@behavior -filterBy -orderBy\nWhat the customer reported.';
comment on column telecom.all_resolved_tickets.status is E'@behavior -filterBy -orderBy\nAlways resolved here.';

grant select on telecom.all_resolved_tickets to telecom_admin;
--! EndIncluded reports/all_resolved_tickets.sql
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

-- Sorted and filtered only by columns an index serves; the others are tagged.
comment on column telecom.all_service_plans.price is E'@behavior -filterBy -orderBy\nMonthly price (EGP).';
comment on column telecom.all_service_plans.sms_offered is E'@behavior -filterBy -orderBy\nText messages included per month.';
comment on column telecom.all_service_plans.minutes_offered is E'@behavior -filterBy -orderBy\nCall minutes included per month.';
comment on column telecom.all_service_plans.data_offered is E'@behavior -filterBy -orderBy\nMobile data included per month, in megabytes.';
comment on column telecom.all_service_plans.description is E'@behavior -filterBy -orderBy\nDescription.';

grant select on telecom.all_service_plans to telecom_admin;
--! EndIncluded reports/all_service_plans.sql
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

-- Sorted and filtered only by columns an index serves; the others are tagged.
comment on column telecom.all_shops.name is E'@behavior -filterBy -orderBy\nShop name.';
comment on column telecom.all_shops.category is E'@behavior -filterBy -orderBy\nShop category.';
comment on column telecom.all_shops.kind is E'@behavior -filterBy -orderBy\nphysical or online.';
comment on column telecom.all_shops.address is E'@behavior -filterBy -orderBy\nAddress of a physical shop.';
comment on column telecom.all_shops.working_hours is E'@behavior -filterBy -orderBy\nOpening hours of a physical shop.';
comment on column telecom.all_shops.url is E'@behavior -filterBy -orderBy\nWeb address of an online shop.';
comment on column telecom.all_shops.rating is E'@behavior -filterBy -orderBy\nRating of an online shop, 1 to 5.';

grant select on telecom.all_shops to telecom_admin;
--! EndIncluded reports/all_shops.sql
--! Included reports/arpu.sql
-- Figure: ARPU, one row. Defined in the migration; refreshed by
-- telecom.refresh_admin_figures().
comment on materialized view telecom.arpu is E'@primaryKey as_of_date\nAverage revenue per paying subscriber: the successful payments dated in the 30 days up to the refresh (plans and balance recharges), over the accounts with at least one paid subscription that day (docs/usage.md). Figures as of as_of (refreshed periodically).';
comment on column telecom.arpu.as_of_date is 'The day the figure is for (the last day of the 30).';
comment on column telecom.arpu.revenue is 'Sum of the successful payments dated in the 30 days up to as_of_date (EGP).';
comment on column telecom.arpu.paying_subscribers is 'Accounts with at least one subscription that is active and paid for as_of_date (as_of_date < paid_until).';
comment on column telecom.arpu.arpu is 'revenue / paying_subscribers (EGP); null while nobody pays.';
comment on column telecom.arpu.as_of is 'When the figure was computed.';

grant select on telecom.arpu to telecom_admin;
--! EndIncluded reports/arpu.sql
--! Included reports/customer_receipts.sql
-- Receipts (docs/api.md): every payment, transfer, cashback credit and voucher redemption of a person,
-- each with a reference a customer can quote. security_invoker: a customer sees their own (the
-- tables' policies), an admin everyone's. A transfer is a receipt for each side: sent and received.
create or replace view telecom.customer_receipts
with (security_invoker = true)
as
select
  'PAY-' || payment.payment_id as reference,
  account.national_id,
  payment.mobile_no,
  'payment' as kind,
  payment.date_of_payment as receipt_date,
  payment.amount,
  payment.currency,
  coalesce('Plan ' || plan.name, 'Balance recharge') || ' by ' || payment.payment_method || ': ' || payment.status as description
from telecom.payment as payment
inner join telecom.customer_account as account
  on account.mobile_no = payment.mobile_no
left join telecom.process_payment as process
  on process.payment_id = payment.payment_id
left join telecom.service_plan as plan
  on plan.plan_id = process.plan_id
union all
select
  'TRF-' || transfer.transfer_id,
  sender.national_id,
  sender.mobile_no,
  'transfer_sent',
  transfer.transfer_date,
  transfer.amount,
  sender.currency,
  'Transfer sent'
from telecom.transfer_money as transfer
inner join telecom.wallet as sender
  on sender.wallet_id = transfer.from_wallet_id
union all
select
  'TRF-' || transfer.transfer_id,
  recipient.national_id,
  recipient.mobile_no,
  'transfer_received',
  transfer.transfer_date,
  transfer.amount,
  recipient.currency,
  'Transfer received'
from telecom.transfer_money as transfer
inner join telecom.wallet as recipient
  on recipient.wallet_id = transfer.to_wallet_id
union all
select
  'CSH-' || cashback.cashback_id,
  wallet.national_id,
  wallet.mobile_no,
  'cashback',
  cashback.credit_date,
  cashback.amount,
  wallet.currency,
  'Cashback: ' || benefit.description
from telecom.cashback as cashback
inner join telecom.wallet as wallet
  on wallet.wallet_id = cashback.wallet_id
inner join telecom.benefit as benefit
  on benefit.benefit_id = cashback.benefit_id
union all
select
  'VCH-' || voucher.voucher_id,
  account.national_id,
  voucher.mobile_no,
  'voucher',
  voucher.redeem_date,
  voucher.value,
  'EGP',
  'Voucher of ' || shop.name || ' for ' || voucher.points || ' points'
from telecom.voucher as voucher
inner join telecom.customer_account as account
  on account.mobile_no = voucher.mobile_no
inner join telecom.shop as shop
  on shop.shop_id = voucher.shop_id;

comment on view telecom.customer_receipts is E'@primaryKey reference,kind\nReceipts: every payment (PAY-), transfer sent or received (TRF-), cashback credit (CSH-) and voucher redemption (VCH-) of a person, with its date, amount and what it was for. Customers see their own.';
comment on column telecom.customer_receipts.reference is 'What to quote: PAY-, TRF-, CSH- or VCH- and the id.';
comment on column telecom.customer_receipts.national_id is 'The person the receipt belongs to.';
comment on column telecom.customer_receipts.mobile_no is 'The number (or the wallet''s number) concerned.';
comment on column telecom.customer_receipts.kind is 'payment, transfer_sent, transfer_received, cashback or voucher.';
comment on column telecom.customer_receipts.receipt_date is 'The day it happened.';
comment on column telecom.customer_receipts.amount is 'The amount (a voucher''s value), always positive; kind says the direction.';
comment on column telecom.customer_receipts.currency is 'The currency of the amount.';
comment on column telecom.customer_receipts.description is 'What it was for.';

grant select on telecom.customer_receipts to telecom_customer, telecom_admin;
--! EndIncluded reports/customer_receipts.sql
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

-- Sorted and filtered only by columns an index serves; the others are tagged.
comment on column telecom.customer_wallet.currency is E'@behavior -filterBy -orderBy\nCurrency of the wallet.';
comment on column telecom.customer_wallet.last_modified_date is E'@behavior -filterBy -orderBy\nDay of the last change of the balance.';
comment on column telecom.customer_wallet.first_name is E'@behavior -filterBy -orderBy\nFirst name of the account''s owner.';
comment on column telecom.customer_wallet.last_name is E'@behavior -filterBy -orderBy\nLast name of the account''s owner.';

grant select on telecom.customer_wallet to telecom_admin;
--! EndIncluded reports/customer_wallet.sql
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

-- Sorted and filtered only by columns an index serves: voucher_id (the key), shop_id and mobile_no.
comment on column telecom.e_shop_vouchers.name is E'@behavior -filterBy -orderBy\nShop name.';
comment on column telecom.e_shop_vouchers.url is E'@behavior -filterBy -orderBy\nWeb address of the online shop.';
comment on column telecom.e_shop_vouchers.value is E'@behavior -filterBy -orderBy\nThe voucher''s value (EGP).';

grant select on telecom.e_shop_vouchers to telecom_admin;
--! EndIncluded reports/e_shop_vouchers.sql
--! Included reports/estimated_row_count.sql
-- "rows 1–50 of about N": the planner's estimate of a report's rows, never a count, so it
-- costs the same at a million customers as at twenty. Only the admin reports of docs/api.md and the
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
--! Included reports/new_accounts_per_month.sql
-- Figure: new accounts per month. Defined in the migration; refreshed by
-- telecom.refresh_admin_figures().
comment on materialized view telecom.new_accounts_per_month is E'@primaryKey month\nAccounts (numbers) opened per calendar month, by their start_date. Figures as of as_of (refreshed periodically).';
comment on column telecom.new_accounts_per_month.month is 'The first day of the month.';
comment on column telecom.new_accounts_per_month.new_accounts is 'Accounts whose start_date is in the month.';
comment on column telecom.new_accounts_per_month.as_of is 'When these figures were computed.';

grant select on telecom.new_accounts_per_month to telecom_admin;
--! EndIncluded reports/new_accounts_per_month.sql
--! Included reports/num_of_cashback.sql
create or replace view telecom.num_of_cashback
with (security_invoker = true)
as
-- Wallets with their counts rather than a group by over every cashback: a page in wallet_id order,
-- either way, reads the wallet's key and counts 50 wallets, where grouping first counted them all.
select
  wallet.wallet_id,
  (select count(*)::integer from telecom.cashback as cashback where cashback.wallet_id = wallet.wallet_id) as cashback_count
from telecom.wallet as wallet
where exists (select from telecom.cashback as cashback where cashback.wallet_id = wallet.wallet_id);

comment on view telecom.num_of_cashback is E'@primaryKey wallet_id\nHow many cashback credits each wallet received (wallets without any are not listed).';

-- Sorted and filtered only by columns an index serves; the others are tagged.
comment on column telecom.num_of_cashback.cashback_count is E'@behavior -filterBy -orderBy\nNumber of cashback credits.';

grant select on telecom.num_of_cashback to telecom_admin;
--! EndIncluded reports/num_of_cashback.sql
--! Included reports/open_tickets_by_priority.sql
-- Figure: open tickets by priority. Defined in the migration; refreshed by
-- telecom.refresh_admin_figures().
comment on materialized view telecom.open_tickets_by_priority is E'@primaryKey priority_level\nSupport tickets not yet resolved, per priority (1 to 5). Figures as of as_of (refreshed periodically).';
comment on column telecom.open_tickets_by_priority.priority_level is 'The priority, 1 to 5.';
comment on column telecom.open_tickets_by_priority.open_tickets is 'Tickets with status open.';
comment on column telecom.open_tickets_by_priority.in_progress_tickets is 'Tickets with status in_progress.';
comment on column telecom.open_tickets_by_priority.as_of is 'When these figures were computed.';

grant select on telecom.open_tickets_by_priority to telecom_admin;
--! EndIncluded reports/open_tickets_by_priority.sql
--! Included reports/paying_subscribers_per_plan.sql
-- Figure: paying subscribers per plan. Defined in the migration; refreshed by
-- telecom.refresh_admin_figures(). "Paying" is docs/usage.md's "paid": the subscription is active
-- and covers today (current_date < paid_until); status active alone is not enough.
comment on materialized view telecom.paying_subscribers_per_plan is E'@primaryKey plan_id\nPaying subscribers per plan: subscriptions that cover the day of the refresh (status active and that day before paid_until, docs/usage.md). Every plan, with 0 when nobody pays for it. Figures as of as_of (refreshed periodically).';
comment on column telecom.paying_subscribers_per_plan.plan_id is 'The plan.';
comment on column telecom.paying_subscribers_per_plan.name is E'@behavior -filterBy -orderBy\nThe plan''s name.';
comment on column telecom.paying_subscribers_per_plan.price is E'@behavior -filterBy -orderBy\nThe plan''s monthly price (EGP).';
comment on column telecom.paying_subscribers_per_plan.paying_subscribers is E'@behavior -filterBy -orderBy\nSubscriptions to the plan that are active and paid for the day (current_date < paid_until).';
comment on column telecom.paying_subscribers_per_plan.as_of is E'@behavior -filterBy -orderBy\nWhen these figures were computed.';

grant select on telecom.paying_subscribers_per_plan to telecom_admin;
--! EndIncluded reports/paying_subscribers_per_plan.sql
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

-- Sorted and filtered only by columns an index serves: voucher_id (the key), shop_id and mobile_no.
comment on column telecom.physical_store_vouchers.name is E'@behavior -filterBy -orderBy\nShop name.';
comment on column telecom.physical_store_vouchers.address is E'@behavior -filterBy -orderBy\nAddress of the physical shop.';
comment on column telecom.physical_store_vouchers.value is E'@behavior -filterBy -orderBy\nThe voucher''s value (EGP).';

grant select on telecom.physical_store_vouchers to telecom_admin;
--! EndIncluded reports/physical_store_vouchers.sql
--! Included reports/refresh_admin_figures.sql
-- The admin figures' refresh: every materialized view of the figures, concurrently, so
-- the dashboard keeps reading the previous figures meanwhile. Called by the server's maintenance
-- tick (docs/money.md, a trusted session) and by an admin who asks for fresh figures; returns the new
-- "as of" time.
create or replace function telecom.refresh_admin_figures() returns timestamptz
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
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
  return now();
end;
$$;

comment on function telecom.refresh_admin_figures() is
  'Recomputes the business figures now (they are otherwise refreshed every few minutes) and returns their as_of time. Admins only.';

revoke execute on function telecom.refresh_admin_figures() from public;
grant execute on function telecom.refresh_admin_figures() to telecom_admin;
--! EndIncluded reports/refresh_admin_figures.sql
--! Included reports/revenue_per_month.sql
-- Figure: revenue per month. The materialized view is defined in the migration; this
-- file holds what it means and who reads it. Refreshed by telecom.refresh_admin_figures().
comment on materialized view telecom.revenue_per_month is E'@primaryKey month\nRevenue per calendar month: successful payments by their date_of_payment. Figures as of as_of (refreshed periodically).';
comment on column telecom.revenue_per_month.month is 'The first day of the month.';
comment on column telecom.revenue_per_month.revenue is 'Sum of the successful payments dated in the month (EGP).';
comment on column telecom.revenue_per_month.payment_count is 'Number of successful payments dated in the month.';
comment on column telecom.revenue_per_month.paying_accounts is 'Accounts with at least one successful payment dated in the month.';
comment on column telecom.revenue_per_month.arpu is 'Average revenue per paying account: revenue / paying_accounts (EGP).';
comment on column telecom.revenue_per_month.as_of is 'When these figures were computed.';

grant select on telecom.revenue_per_month to telecom_admin;
--! EndIncluded reports/revenue_per_month.sql
--! Included reports/search_customers.sql
-- Customer 360: find a person by number, national id, e-mail or part of their name.
-- Every branch is an index condition: the account's key, the profile's key, the e-mail's unique
-- index (citext), and the trigram index on "first_name last_name" (customer_profile_full_name_trgm_idx,
-- pg_trgm) for three characters or more of a name, at most 1,000 names (a common name would
-- otherwise read every person who has it before the first page).
--
-- What keeps it an index condition at 1M customers (the admin bench): security definer, because
-- under row-level security `ilike`, not leakproof, is checked after the policy and never reaches
-- the index (the function checks the admin as the policy does, and only admins may run it); and a
-- plan made for each query with the needle inlined, so the planner sees the pattern. Otherwise the
-- profiles were scanned until 1,000 names matched: a third of them for "first last", 0.6 s.
create or replace function telecom.search_customers(query text)
returns setof telecom.customer_profile
language sql
stable
strict
security definer
set search_path to pg_catalog, public, pg_temp
set plan_cache_mode to force_custom_plan
as $$
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
$$;

comment on function telecom.search_customers(text) is
  'Customers whose mobile number (11 digits) or national id (digits) is exactly the query, whose e-mail is the query (any case), or whose "first last" name contains it (3 characters or more, any case; the first 1,000 such names). Page with first/after.';

revoke execute on function telecom.search_customers(text) from public;
grant execute on function telecom.search_customers(text) to telecom_admin;
--! EndIncluded reports/search_customers.sql
--! Included reports/usage_per_month.sql
-- Figure: usage per month by kind. Defined in the migration; refreshed by
-- telecom.refresh_admin_figures().
comment on materialized view telecom.usage_per_month is E'@primaryKey month\nUsage drawn from plan allowances per calendar month (usage records by their start_date), by kind. Figures as of as_of (refreshed periodically).';
comment on column telecom.usage_per_month.month is 'The first day of the month.';
comment on column telecom.usage_per_month.data_mb is 'Mobile data used, in megabytes.';
comment on column telecom.usage_per_month.minutes is 'Call minutes used.';
comment on column telecom.usage_per_month.sms is 'Text messages sent.';
comment on column telecom.usage_per_month.accounts is 'Accounts with usage in the month.';
comment on column telecom.usage_per_month.as_of is 'When these figures were computed.';

grant select on telecom.usage_per_month to telecom_admin;
--! EndIncluded reports/usage_per_month.sql
--! Included reports/wallet_volume_per_month.sql
-- Figure: wallet volume per month. Defined in the migration; refreshed by
-- telecom.refresh_admin_figures().
comment on materialized view telecom.wallet_volume_per_month is E'@primaryKey month\nMoney moved through wallets per calendar month: transfers by transfer_date and cashback credits by credit_date. Figures as of as_of (refreshed periodically).';
comment on column telecom.wallet_volume_per_month.month is 'The first day of the month.';
comment on column telecom.wallet_volume_per_month.transfer_count is 'Wallet-to-wallet transfers in the month.';
comment on column telecom.wallet_volume_per_month.transfer_amount is 'Sum of those transfers (in their wallets'' currency, EGP for almost all).';
comment on column telecom.wallet_volume_per_month.cashback_count is 'Cashback credits in the month.';
comment on column telecom.wallet_volume_per_month.cashback_amount is 'Sum of those cashback credits.';
comment on column telecom.wallet_volume_per_month.as_of is 'When these figures were computed.';

grant select on telecom.wallet_volume_per_month to telecom_admin;
--! EndIncluded reports/wallet_volume_per_month.sql
--! Included usage/find_usage_event.sql
-- The stored row of a usage event id, through usage_event_key (usage_event's key includes
-- occurred_at): one look-up in the key's index. Set-returning SQL, so a set-based caller (the bulk
-- load's checks) inlines it for each of its lines.
create or replace function telecom_private.stored_usage_event(p_event_id uuid) returns setof telecom.usage_event
  language sql
  stable
as $$
  select event.*
  from telecom_private.usage_event_key as usage_key
  inner join telecom.usage_event as event
    on event.event_id = usage_key.event_id
    and event.occurred_at = usage_key.occurred_at
  where usage_key.event_id = p_event_id
$$;

comment on function telecom_private.stored_usage_event(uuid) is 'The stored row of a usage event id (none for a new id).';

-- The refusal of an event id used again for another event (TC406): {code, message}.
create or replace function telecom_private.usage_event_reused_problem(p_event_id uuid) returns text[]
  language sql
  immutable
as $$
  select array['TC406', format('The event id %s was already used for another event.', p_event_id)]
$$;

comment on function telecom_private.usage_event_reused_problem(uuid) is 'The code and message of an event id used again for another event (TC406).';

-- The duplicate check of record_usage, first of all (docs/usage.md): the first row of a known event_id
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

comment on function telecom_private.find_usage_event(uuid, text, telecom.usage_kind, numeric, timestamptz) is 'The stored row of a usage event id with the same data, null for a new id; TC406 when the id was used for other data.';
--! EndIncluded usage/find_usage_event.sql
--! Included usage/notify_live.sql
-- Live updates (docs/usage.md): what changed for a person goes out with NOTIFY on the channel
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
--! Included usage/operator_time_zone.sql
-- The operator's time zone (docs/usage.md): the setting telecom.time_zone (ALTER DATABASE … SET
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
--! Included usage/parses_as.sql
-- Whether a text is a valid input of a type, without raising: how the bulk load parses the fields
-- of a file (docs/usage.md), so that a bad line is reported instead of aborting the load. PostgreSQL 16
-- and later answer with pg_input_is_valid (no subtransaction, inlined); on 15 each text is cast in
-- a subtransaction of its own (right, and slower). The function is made for the server it runs on.
do $$
begin
  if current_setting('server_version_num')::integer >= 160000 then
    execute $function$
      create or replace function telecom_private.parses_as(p_text text, p_type text) returns boolean
        language sql
        stable
      as 'select pg_catalog.pg_input_is_valid(p_text, p_type)'
    $function$;
  else
    execute $function$
      create or replace function telecom_private.parses_as(p_text text, p_type text) returns boolean
        language plpgsql
        stable
      as $body$
      begin
        execute format('select %L::%s', p_text, p_type::regtype);
        return true;
      exception
        when data_exception then
          return false;
      end;
      $body$
    $function$;
  end if;
end;
$$;

comment on function telecom_private.parses_as(text, text) is 'Whether the text is a valid input of the type (pg_input_is_valid on PostgreSQL 16 and later; a cast in a subtransaction on 15).';
--! EndIncluded usage/parses_as.sql
--! Included usage/recommended_plans.sql
-- Personalised plans (docs/usage.md): what the account's usage in the three full calendar months before
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
--! Included usage/tg_plan_usage__dates_and_plan.sql
-- A usage record (docs/data-model.md) is not in the future, does not start before its account, and is
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
--! Included usage/usage_account_problem.sql
-- What is wrong with a usage event given its account (docs/usage.md, docs/data-model.md): null when nothing is, else
-- {code, message}: no such account (TC401), or an event before the account's first day (TC012, as
-- plan_usage refuses usage before its account). A plain SQL expression, so the bulk load's
-- set-based checks inline it; record_usage raises it once the account is locked.
create or replace function telecom_private.usage_account_problem(p_mobile_no text, p_start_date date, p_occurred_at timestamptz) returns text[]
  language sql
  stable
as $$
  select case
    when p_start_date is null then
      array['TC401', format('There is no account with mobile number %s.', p_mobile_no)]
    when telecom_private.operator_date(p_occurred_at) < p_start_date then
      array['TC012', format('Usage cannot start (%s) before its account.', telecom_private.operator_date(p_occurred_at))]
  end
$$;

comment on function telecom_private.usage_account_problem(text, date, timestamptz) is 'What is wrong with a usage event given its account''s first day (null: no such account): null, or its code and message (TC401, TC012).';
--! EndIncluded usage/usage_account_problem.sql
--! Included usage/usage_event_problem.sql
-- What is wrong with a usage event before its account is looked at (docs/usage.md), in the order
-- record_usage checks it: null when nothing is, else {TC4xx code, message}. A plain SQL expression,
-- so the bulk load's set-based checks inline it; usage_units raises it for record_usage.
create or replace function telecom_private.usage_event_problem(p_event_id uuid, p_kind telecom.usage_kind, p_quantity numeric, p_occurred_at timestamptz) returns text[]
  language sql
  stable
as $$
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

comment on function telecom_private.usage_event_problem(uuid, telecom.usage_kind, numeric, timestamptz) is 'What is wrong with a usage event before its account is looked at: null, or its TC4xx code and message (TC402–TC407).';
--! EndIncluded usage/usage_event_problem.sql
--! Included usage/usage_units.sql
-- What record_usage refuses before rating an event (usage_event_problem raised), and its rated
-- units: the quantity rounded up to whole MB, minutes or messages (docs/usage.md).
create or replace function telecom_private.usage_units(p_event_id uuid, p_kind telecom.usage_kind, p_quantity numeric, p_occurred_at timestamptz) returns integer
  language plpgsql
  stable
as $$
declare
  v_problem text[] := telecom_private.usage_event_problem(p_event_id, p_kind, p_quantity, p_occurred_at);
begin
  if v_problem is not null then
    raise exception '%', v_problem[2] using errcode = v_problem[1];
  end if;
  return ceil(p_quantity)::integer;
end;
$$;

comment on function telecom_private.usage_units(uuid, telecom.usage_kind, numeric, timestamptz) is 'Checks a usage event (TC402–TC407, usage_event_problem) and returns its quantity rounded up to whole units.';
--! EndIncluded usage/usage_units.sql
--! Included vouchers/redeem_voucher_points.sql
create or replace function telecom.redeem_voucher_points(mobile_no text, voucher_id integer, idempotency_key uuid default null) returns telecom.voucher
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
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

comment on function telecom.redeem_voucher_points(text, integer, uuid) is 'Redeems an unredeemed voucher that expires today or later with the account''s points: deducts its points and marks it redeemed by the account today. The account must be active. A voucher another person redeemed answers like an unknown one (TC120). A repeat with the same idempotency_key returns the first result.';

grant execute on function telecom.redeem_voucher_points(text, integer, uuid) to telecom_customer, telecom_admin;
--! EndIncluded vouchers/redeem_voucher_points.sql
--! Included vouchers/tg_shop__delete_unused.sql
-- A shop may be deleted only while it offers no voucher: vouchers are the customers'
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
--! Included vouchers/tg_voucher__redeemed_by_expiry.sql
-- A voucher is redeemed on or before its expiry, and its two redemption columns go together (docs/data-model.md).
create or replace function telecom_private.tg_voucher__redeemed_by_expiry() returns trigger
  language plpgsql
  volatile
as $$
begin
  if new.redeem_date > new.expiry_date then
    raise exception 'Voucher % expired on % and cannot be redeemed after that.', new.voucher_id, new.expiry_date using errcode = 'TC017';
  end if;
  return new;
end;
$$;

create or replace trigger _100_redeemed_by_expiry
  before insert or update of redeem_date, expiry_date
  on telecom.voucher
  for each row
  execute function telecom_private.tg_voucher__redeemed_by_expiry();
--! EndIncluded vouchers/tg_voucher__redeemed_by_expiry.sql
--! Included wallets/lock_payment_wallet.sql
-- The wallet a payment of the account debits, or its cashback credits (docs/money.md): the wallet linked
-- to the number when it holds the currency, otherwise the owner's only wallet in that currency.
-- Locked after the account, as every money function does.
create or replace function telecom_private.lock_payment_wallet(p_account telecom.customer_account, p_currency text) returns telecom.wallet
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
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

comment on function telecom_private.lock_payment_wallet(telecom.customer_account, text) is 'The wallet that pays for, or receives cashback of, a payment of the account in that currency; locked.';
--! EndIncluded wallets/lock_payment_wallet.sql
--! Included wallets/refuse_transfer.sql
-- Why a transfer's update did not move both balances, as the error the sender gets, in the order of
-- the checks: another currency (TC313), too little in the sender's wallet (the update refused the
-- sender's row: TC316), a recipient's wallet that cannot hold the amount (TC313, the same answer as
-- no wallet at all, docs/security.md).
create or replace function telecom_private.refuse_transfer(
  p_from_wallet_id integer,
  p_to_wallet_id integer,
  p_amount numeric,
  p_sender_refused boolean
) returns void
  language plpgsql
  stable
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
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

comment on function telecom_private.refuse_transfer(integer, integer, numeric, boolean) is 'Raises the error of a transfer that cannot be made: TC316 when the sender has too little, TC313 (you cannot transfer to …) for every reason the recipient cannot receive.';
--! EndIncluded wallets/refuse_transfer.sql
--! Included wallets/tg__one_currency.sql
-- Money moves within one currency (docs/data-model.md): a transfer between two wallets that hold the same one,
-- cashback into a wallet that holds the currency of the payment that earned it. One check for both:
-- the currencies of the payment and the wallets the new row names (payment_id, wallet_id,
-- from_wallet_id, to_wallet_id, whichever it has) must be one; the trigger's argument is the refusal.
-- Unknown payments and wallets are left to the foreign keys.
create or replace function telecom_private.tg__one_currency() returns trigger
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
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

create or replace trigger _100_one_currency
  before insert
  on telecom.cashback
  for each row
  execute function telecom_private.tg__one_currency('Cashback is credited in the payment''s currency: the wallet holds another one.');

create or replace trigger _100_one_currency
  before insert
  on telecom.transfer_money
  for each row
  execute function telecom_private.tg__one_currency('A transfer stays within one currency: the two wallets hold different ones.');
--! EndIncluded wallets/tg__one_currency.sql
--! Included wallets/transfer_recipient.sql
-- Who a transfer would reach (docs/api.md, docs/security.md): the one look-up of another person a customer has, for
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
$$;

comment on function telecom.transfer_to_mobile(text, numeric, uuid) is 'Moves money from the wallet of the number you logged in with to the wallet linked to another number, atomically, and records the transfer. Same currency only, no overdraft, not to yourself; every reason the other number cannot receive gets the one answer TC313 ("You cannot transfer to …"), so a refusal tells nothing about another person''s wallet (use transfer_recipient to confirm first). With an idempotency key, a repeat returns the first transfer and moves nothing.';

grant execute on function telecom.transfer_to_mobile(text, numeric, uuid) to telecom_customer, telecom_admin;
--! EndIncluded wallets/transfer_to_mobile.sql

--! Previous: sha1:b66efd916d573ab9453c2ceccf5aebc6e991abe8
--! Hash: sha1:fc9481c7458bad83874a748d785eace555a5a34c
--! Message: Bulk usage on several connections, one trusted-session check, each money prologue once

--! split: 1-current.sql
-- Table changes here; rules are pulled in from migrations/fixtures (see migrations/CONVENTIONS.md).

--! split: 05-usage.sql
-- The bulk load rates on several connections (issue 15): the queue of a load's new events, shared
-- by the connections that rate it. Unlogged: a crash empties it, and the file is loaded again
-- (what was rated is then recognised as duplicates).
create unlogged table if not exists telecom_private.usage_load_chunk (
  load_id bigint not null,
  chunk integer not null,
  events integer not null check (events > 0),
  queued_at timestamptz not null default now(),
  primary key (load_id, chunk)
);
alter table telecom_private.usage_load_chunk enable row level security;

create unlogged table if not exists telecom_private.usage_load_event (
  load_id bigint not null,
  chunk integer not null,
  position bigint not null,
  line bigint not null,
  event_id uuid not null,
  mobile_no text not null,
  kind telecom.usage_kind not null,
  quantity numeric not null,
  occurred_at timestamptz not null,
  units integer not null,
  day date not null,
  primary key (load_id, chunk, position)
);
alter table telecom_private.usage_load_event enable row level security;

create sequence if not exists telecom_private.usage_load_id_seq;

-- Nothing reads usage events by received_at (the admins' live panel counts notifications).
drop index if exists telecom.usage_event_received_at_idx;
-- A detached partition's keys are found through its own rows (ensure_usage_partitions).
drop index if exists telecom_private.usage_event_key_occurred_at_idx;

drop function if exists telecom_private.begin_usage_load();
drop function if exists telecom_private.check_usage_load();
drop function if exists telecom_private.rate_usage_batch(integer);

--! Included identity/assert_trusted_session.sql
-- The check of every operation only a trusted session (the owner or a superuser, never an API
-- role) may run: 42501 with the operation's own refusal otherwise.
create or replace function telecom_private.assert_trusted_session(p_refusal text) returns void
  language plpgsql
  stable
as $$
begin
  if not telecom_private.session_is_trusted() then
    raise exception '%', p_refusal using errcode = '42501';
  end if;
end;
$$;

comment on function telecom_private.assert_trusted_session(text) is 'Raises 42501 with the refusal unless the caller is a trusted session (the owner or a superuser).';
--! EndIncluded identity/assert_trusted_session.sql
--! Included usage/usage_load_queue.sql
-- Tables telecom_private.usage_load_chunk and usage_load_event: the queue of a bulk usage load
-- (rate_usage_batch.sql). Only the bulk load's functions, in trusted sessions, touch them.
revoke all on telecom_private.usage_load_chunk, telecom_private.usage_load_event from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
revoke all on sequence telecom_private.usage_load_id_seq from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;

comment on table telecom_private.usage_load_chunk is 'The chunks of whole accounts of a bulk usage load still to be rated; a connection rating one holds its row locked.';
comment on column telecom_private.usage_load_chunk.load_id is 'The load (begin_usage_load).';
comment on column telecom_private.usage_load_chunk.chunk is 'The chunk''s number within the load.';
comment on column telecom_private.usage_load_chunk.events is 'How many new events the chunk holds.';
comment on column telecom_private.usage_load_chunk.queued_at is 'When check_usage_load queued it; a load left over for a day is cleared.';

comment on table telecom_private.usage_load_event is 'The new events of a bulk usage load, checked and numbered, until their chunk is rated.';
comment on column telecom_private.usage_load_event.position is 'Rating order within the load: by account, then occurred_at, then line.';
comment on column telecom_private.usage_load_event.line is 'The line of the file (without a header line).';
comment on column telecom_private.usage_load_event.units is 'The quantity rounded up to whole units.';
comment on column telecom_private.usage_load_event.day is 'The event''s date in the operator''s time zone.';
--! EndIncluded usage/usage_load_queue.sql
--! Included usage/parses_as.sql
-- Whether a text is a valid input of a type, without raising: how the bulk load parses the fields
-- of a file (SPEC §11), so that a bad line is reported instead of aborting the load. PostgreSQL 16
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
--! Included usage/usage_event_problem.sql
-- What is wrong with a usage event before its account is looked at (SPEC §11), in the order
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
-- units: the quantity rounded up to whole MB, minutes or messages (SPEC §11).
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
--! Included usage/usage_account_problem.sql
-- What is wrong with a usage event given its account (SPEC §11, §3): null when nothing is, else
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
--! Included usage/record_usage.sql
-- Rates one usage event from the network as it arrives (SPEC §11):
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
--! Included usage/rate_usage_batch.sql
-- The bulk load of usage events (SPEC §11, `npm run usage:load -- FILE.csv`): the file is copied
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
    -- in the key's index, however many events are stored.
    left join lateral (
      select (event.mobile_no, event.kind, event.quantity, event.occurred_at) is not distinct from (parsed.mobile_no, parsed.kind, parsed.quantity, parsed.occurred_at) as same
      from telecom_private.usage_event_key as usage_key
      inner join telecom.usage_event as event
        on event.event_id = usage_key.event_id
        and event.occurred_at = usage_key.occurred_at
      where usage_key.event_id = parsed.event_id
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
      when not compared.same_as_earlier then array['TC406', format('The event id %s was already used for another event.', compared.event_id)]
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
  v_segment integer;
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

comment on function telecom_private.ensure_usage_partitions() is 'Creates the usage_event partitions of the month seven days ago, this month and the next (operator''s time zone), and detaches those whose month ended at least four full months ago. Returns what it did. Called by the maintenance tick.';

revoke all on function telecom_private.ensure_usage_partitions() from public;
--! EndIncluded usage/ensure_usage_partitions.sql

--! split: 1810-own-each-rule.sql
-- Each rule written once (issue 18): the prologue of the money functions on one account (begin the
-- operation, replay a repeated request, lock the account), a payment's recording and effects for
-- both kinds of payment, the card payment a processor's report names, one currency check for
-- cashback and transfers, one check that an account's start or a payment is not in the future, and
-- one refresh of the admin figures for the maintenance tick and the admins.
--! Included journal/begin_account_money_operation.sql
-- The prologue of a money function that acts on one account (SPEC §10), written once:
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
drop function if exists telecom_private.record_payment(telecom.customer_account, numeric, telecom.payment_method);
--! Included payments/record_payment.sql
-- Who may pay how (SPEC §10), once for both kinds of payment. Runs inside a money operation, after
-- the account is locked. An admin or a trusted session takes cash and card at a shop: successful at
-- once. A customer cannot declare cash; their card payment is pending until the card processor
-- settles it (provider_reference is the checkout's id). A wallet payment debits the EGP wallet
-- linked to the number in the same transaction, whoever makes it. A plan payment (p_plan_id) gets
-- its process_payment row at once, also when pending; a successful payment takes effect at once.
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
  end if;
  return v_payment;
end;
$$;

comment on function telecom_private.record_payment(telecom.customer_account, numeric, telecom.payment_method, integer) is 'Records a payment of the (locked) account, for a plan or not, as SPEC §10 allows the caller: successful at once (and applied), or pending for a customer''s card; debits the wallet for a wallet payment.';
--! EndIncluded payments/record_payment.sql
--! Included payments/card_payment_by_reference.sql
-- The card payment a report of the card processor names (SPEC §10), for settle_payment and
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
  v_payment := telecom_private.card_payment_by_reference(record_card_refund.provider_reference);
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
--! Included payments/initiate_balance_payment.sql
-- Recharges the account (SPEC §4.3, §10): once the payment is successful its amount is added to
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
-- Pays for a plan (SPEC §4.3, §10). The process_payment row, with the price at this moment, is
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
--! Included benefits/payment_wallet_cashback.sql
-- Credits 10% of a successful payment as cashback (SPEC §4.3): through a benefit of the account that
-- counts (active and unexpired), to the owner's wallet in the payment's currency, once per payment,
-- ever. The benefit is locked (for share) so that it cannot be ended or deleted while it pays.
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
  -- Locked after the wallet: account, wallet, then payment (SPEC §10's order).
  select *
  into v_payment
  from telecom.payment as payment
  where payment.payment_id = v_payment.payment_id
  for no key update;
  if v_payment.status <> 'successful' then
    raise exception 'Payment % is %, only successful payments earn cashback.', v_payment.payment_id, v_payment.status using errcode = 'TC111';
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

comment on function telecom.payment_wallet_cashback(text, integer, integer, uuid) is 'Credits 10% of a successful payment of the account (rounded to the cent) as cashback, through one of the account''s benefits that counts (active, unexpired), to the owner''s wallet in the payment''s currency (the one linked to the number first). A payment earns cashback once, ever. A repeat with the same idempotency_key returns the first credit.';

grant execute on function telecom.payment_wallet_cashback(text, integer, integer, uuid) to telecom_customer, telecom_admin;
--! EndIncluded benefits/payment_wallet_cashback.sql
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
  -- set_config('jwt.claims.mobile_no', ...) (SPEC §2). Admins have no wallet of their own.
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
  -- full wallet): a refusal tells nothing about another person's wallet (SPEC §12).
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
--! Included wallets/tg__one_currency.sql
-- Money moves within one currency (SPEC §3): a transfer between two wallets that hold the same one,
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
drop function if exists telecom_private.tg_cashback__one_currency();
drop function if exists telecom_private.tg_transfer_money__one_currency();
--! Included reports/refresh_admin_figures.sql
-- The admin figures' refresh (issue 16): every materialized view of the figures, concurrently, so
-- the dashboard keeps reading the previous figures meanwhile. Called by the server's maintenance
-- tick (SPEC §10, a trusted session) and by an admin who asks for fresh figures; returns the new
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
--! Included journal/maintenance_tick.sql
-- The server's one maintenance tick (SPEC §10): every minute the API server calls this function on
-- its owner connection (a trusted session), and it runs the scheduled work in one place. There is
-- no pg_cron and no other timer. Add each new job here with its own key in the result (usage
-- partitions, ...). Arguments are for tests and operators; the defaults are the product's.
--   stale_payments_rejected: card payments pending longer than stale_payment_age, rejected.
--   admin_figures_refreshed: 1 when the admin figures (issue 16) were older than figures_age and were
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
drop function if exists telecom_private.refresh_admin_figures();
--! Included accounts/tg__not_in_future.sql
-- What has happened is not dated in the future (SPEC §3): an account's start, a payment. One check
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
drop function if exists telecom_private.tg_customer_account__start_date();
drop function if exists telecom_private.tg_payment__date();

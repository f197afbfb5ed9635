--! Previous: sha1:fc9481c7458bad83874a748d785eace555a5a34c
--! Hash: sha1:e723ce5f7a2e9393f3c5df2a87ff1c3680851bf2
--! Message: The duplicate check of usage events written once

--! split: 1-current.sql
-- Table changes here; rules are pulled in from migrations/fixtures (see migrations/CONVENTIONS.md).

--! split: 05-usage.sql
-- The duplicate check of usage events written once (find_usage_event and the bulk load's checks).
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

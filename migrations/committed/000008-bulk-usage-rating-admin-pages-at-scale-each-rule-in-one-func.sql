--! Previous: sha1:d108593dd98259ce0a6f9aa3b6254c43ae480875
--! Hash: sha1:49825a0e2226b6a48c13cf651e439d88f3a9d374
--! Message: Bulk usage rating, admin pages at scale, each rule in one function, leaner transfers

--! split: 1-current.sql
-- Table changes here; rules are pulled in from migrations/fixtures (see migrations/CONVENTIONS.md).

--! split: 1521-usage-bulk.sql
-- Issue 15 (items 6, 8): the bulk load of usage events rates set-based (SPEC §11).
drop function if exists telecom_private.rate_usage_batch(integer);
-- Timestamps are checked with pg_input_is_valid (no subtransaction per line).
drop function if exists telecom_private.try_timestamptz(text);
--! Included usage/rate_usage_batch.sql
-- The bulk load of usage events (SPEC §11, `npm run usage:load -- FILE.csv`): the file is copied
-- into the session's staging table pg_temp.usage_load (begin_usage_load makes it), then
-- check_usage_load sorts every line set-based, and rate_usage_batch rates the new events, a chunk
-- of whole accounts per transaction. The result is that of calling record_usage once per line in
-- occurred_at order (then line):
-- 1. set-based, the duplicate check first: an event_id already stored (or on an earlier valid line)
--    with the same data is a duplicate and counts nothing; with other data it is TC406;
-- 2. set-based, the checks of usage_units and the account (TC401–TC407): such a line is reported
--    and stores nothing;
-- 3. the rating. Accounts share no allowance or balance, so each account's events are rated in
--    occurred_at order on their own: set-based with running totals per account, kind and month
--    (in segments where a subscription's paid_until falls between the account's events), through
--    record_usage one by one where the order changes an outcome: a prepaid or pay-as-you-go balance
--    that cannot cover all the account's charges, since a refused event consumes nothing.
--    The set-based path writes what record_usage writes, in a coarser grain in two places: an
--    account's charges in one chunk are one balance change (one journal entry, operation
--    rate_usage_batch), and live notifications are one per account and chunk (the admins': one per
--    account, kind and outcome), besides one per alert and one per balance change.

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
  drop table if exists pg_temp.usage_load_new;
  create temporary table usage_load (
    line bigint generated always as identity primary key,
    event_id text,
    mobile_no text,
    kind text,
    quantity text,
    occurred_at text,
    -- Filled by check_usage_load: 'duplicate' or 'invalid'; null for a new event (in usage_load_new).
    state text,
    error_code text,
    error_message text
  );
end;
$$;

comment on function telecom_private.begin_usage_load() is 'Makes the session''s staging table pg_temp.usage_load for a bulk load of usage events (trusted sessions only).';

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
  -- The COPY left the staging table without statistics; the joins below need them.
  analyze pg_temp.usage_load;
  -- Parse: a field that does not parse is null, so the checks below name it.
  create temporary table usage_load_parsed on commit drop as
  select
    load.line,
    case when pg_catalog.pg_input_is_valid(trim(load.event_id), 'uuid') then trim(load.event_id)::uuid end as event_id,
    trim(load.mobile_no) as mobile_no,
    case when trim(load.kind) in ('data', 'voice', 'sms') then trim(load.kind)::telecom.usage_kind end as kind,
    case when load.quantity ~ '^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)\s*$' then trim(load.quantity)::numeric end as quantity,
    case when pg_catalog.pg_input_is_valid(trim(load.occurred_at), 'timestamptz') then trim(load.occurred_at)::timestamptz end as occurred_at
  from pg_temp.usage_load as load
  where load.state is null;
  create index on usage_load_parsed (event_id);
  analyze usage_load_parsed;

  -- 1. Known ids first (as record_usage's find_usage_event), also after 7 days: the lines whose
  --    id is in usage_event_key first, then their stored events (not every stored event).
  with known as materialized (
    select parsed.*, usage_key.occurred_at as stored_at
    from usage_load_parsed as parsed
    inner join telecom_private.usage_event_key as usage_key
      on usage_key.event_id = parsed.event_id
  )
  update pg_temp.usage_load as load
  set
    state = case when same then 'duplicate' else 'invalid' end,
    error_code = case when same then null else 'TC406' end,
    error_message = case when same then null else format('The event id %s was already used for another event.', known.event_id) end
  from known
  inner join telecom.usage_event as event
    on event.event_id = known.event_id
    and event.occurred_at = known.stored_at
  cross join lateral (
    select (event.mobile_no, event.kind, event.quantity, event.occurred_at) is not distinct from (known.mobile_no, known.kind, known.quantity, known.occurred_at) as same
  ) as comparison
  where load.line = known.line;

  -- 2. The checks of usage_units, in its order, then the account (TC401); the messages are made
  --    for the lines that fail only.
  update pg_temp.usage_load as load
  set
    state = 'invalid',
    error_code = problem.code,
    error_message = problem.message
  from usage_load_parsed as parsed
  left join telecom.customer_account as account
    on account.mobile_no = parsed.mobile_no
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
        (7, account.mobile_no is null, 'TC401', format('There is no account with mobile number %s.', parsed.mobile_no))
    ) as checks (position, failed, code, message)
    where failed
    order by position
    limit 1
  ) as problem
  where load.line = parsed.line
    and load.state is null
    and (
      parsed.event_id is null
      or parsed.kind is null
      or parsed.quantity is null
      or parsed.quantity <= 0
      or parsed.quantity > (case parsed.kind when 'data' then 1048576 when 'voice' then 1440 else 1000 end)
      or parsed.occurred_at is null
      or parsed.occurred_at > now()
      or parsed.occurred_at < now() - interval '7 days'
      or account.mobile_no is null
    );

  -- 3. Among the valid lines, the first of an id (in rating order) is new (its state stays null);
  --    a later one is a duplicate with the same data, TC406 with other data.
  update pg_temp.usage_load as load
  set
    state = case when ranked.same then 'duplicate' else 'invalid' end,
    error_code = case when ranked.same then null else 'TC406' end,
    error_message = case when ranked.same then null else format('The event id %s was already used for another event.', ranked.event_id) end
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
  where load.line = ranked.line
    and not ranked.first;

  -- The new events, typed, for rate_usage_batch: numbered by account, then in rating order;
  -- account_end is the number of the account's last event (a chunk ends there). Sorted bytewise
  -- (collation "C"): any order of the accounts will do, and each chunk locks its own in order.
  drop table if exists pg_temp.usage_load_new;
  create temporary table usage_load_new as
  select numbered.*, max(numbered.position) over (partition by numbered.mobile_no collate "C") as account_end
  from (
    select
      row_number() over (order by parsed.mobile_no collate "C", parsed.occurred_at, parsed.line) as position,
      parsed.line,
      parsed.event_id,
      parsed.mobile_no,
      parsed.kind,
      parsed.quantity,
      parsed.occurred_at,
      ceil(parsed.quantity)::integer as units,
      telecom_private.operator_date(parsed.occurred_at) as day
    from usage_load_parsed as parsed
    inner join pg_temp.usage_load as load
      on load.line = parsed.line
      and load.state is null
  ) as numbered;
  alter table pg_temp.usage_load_new add primary key (position);
  analyze pg_temp.usage_load_new;

  return query
  select coalesce(load.state, 'new'), count(*)
  from pg_temp.usage_load as load
  group by 1
  order by 1;
end;
$$;

comment on function telecom_private.check_usage_load() is 'Sorts the staged lines of a bulk usage load set-based: duplicates (also of stored events), TC4xx-invalid lines (reported, never stored) and new events.';

-- Rates the next chunk of new events: whole accounts in number order, about p_limit events, in one
-- transaction (step 3 above). Returns the chunk's outcomes, and how many of each were rated one by
-- one through record_usage; no rows when every new event is rated. Call it until then.
create or replace function telecom_private.rate_usage_batch(p_limit integer) returns table (outcome telecom.usage_outcome, events bigint, charged numeric, one_by_one bigint)
  language plpgsql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_from bigint;
  v_to bigint;
  v_segment integer;
  v_keys bigint;
  v_line record;
  v_event telecom.usage_event;
begin
  if not telecom_private.session_is_trusted() then
    raise exception 'Only a trusted session loads usage in bulk.' using errcode = '42501';
  end if;
  select min(new.position) into v_from from pg_temp.usage_load_new as new;
  if v_from is null then
    return;
  end if;
  select new.account_end
  into v_to
  from pg_temp.usage_load_new as new
  where new.position <= v_from + greatest(p_limit, 1) - 1
  order by new.position desc
  limit 1;

  -- The accounts, locked in number order like every money function (live events wait for them).
  create temporary table usage_chunk_account on commit drop as
  select account.mobile_no, account.national_id, account.status, account.account_type, account.balance
  from telecom.customer_account as account
  where account.mobile_no in (select new.mobile_no from pg_temp.usage_load_new as new where new.position between v_from and v_to)
  order by account.mobile_no
  for no key update;
  analyze usage_chunk_account;

  -- The days a subscription stops covering (paid_until) between an account's first and last event:
  -- from each such day on, the account's events draw on fewer plans.
  create temporary table usage_chunk_lapse on commit drop as
  select span.mobile_no, array_agg(distinct subscription.paid_until) as days
  from (
    select new.mobile_no, min(new.day) as first_day, max(new.day) as last_day
    from pg_temp.usage_load_new as new
    where new.position between v_from and v_to
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
    from pg_temp.usage_load_new as new
    left join usage_chunk_lapse as lapse
      on lapse.mobile_no = new.mobile_no
    where new.position between v_from and v_to
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

  -- plan_usage: the parts drawn added up per account, plan and day, into that day's record.
  create temporary table usage_chunk_day on commit drop as
  select
    take.mobile_no,
    take.plan_id,
    take.day,
    coalesce(sum(take.quantity) filter (where take.kind = 'data'), 0) as data_consumption,
    coalesce(sum(take.quantity) filter (where take.kind = 'voice'), 0) as minutes_used,
    coalesce(sum(take.quantity) filter (where take.kind = 'sms'), 0) as sms_sent
  from usage_chunk_take as take
  group by take.mobile_no, take.plan_id, take.day;
  update telecom.plan_usage as usage
  set
    data_consumption = usage.data_consumption + day.data_consumption,
    minutes_used = usage.minutes_used + day.minutes_used,
    sms_sent = usage.sms_sent + day.sms_sent
  from usage_chunk_day as day
  where usage.mobile_no = day.mobile_no
    and usage.plan_id = day.plan_id
    and usage.start_date = day.day
    and usage.end_date = day.day;
  insert into telecom.plan_usage (mobile_no, plan_id, start_date, end_date, data_consumption, minutes_used, sms_sent)
  select day.mobile_no, day.plan_id, day.day, day.day, day.data_consumption, day.minutes_used, day.sms_sent
  from usage_chunk_day as day
  where not exists (
    select
    from telecom.plan_usage as usage
    where usage.mobile_no = day.mobile_no
      and usage.plan_id = day.plan_id
      and usage.start_date = day.day
      and usage.end_date = day.day
  );

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
  delete from pg_temp.usage_load_new as new
  where new.position between v_from and v_to;
  return query
  select result.outcome, count(*), sum(result.charged), count(*) filter (where result.one_by_one)
  from usage_chunk_result as result
  group by result.outcome
  order by result.outcome;
end;
$$;

comment on function telecom_private.rate_usage_batch(integer) is 'Rates the next chunk of a bulk usage load (whole accounts, about p_limit events, one transaction): set-based with running totals, through record_usage one by one for the accounts whose balance runs short. Returns the chunk''s outcomes.';
--! EndIncluded usage/rate_usage_batch.sql

--! split: 1620-admin-scale.sql
-- Admins at 1M customers (issue 16): what the admin bench (`npm run bench:admin`) found slower than 1 s.

-- The voucher reports sorted by the redeeming number break ties by the key, in the same direction
-- (PostGraphile's order: mobile_no desc, voucher_id desc). Descending, the unredeemed vouchers come
-- first (a null mobile_no sorts first), and with an index on mobile_no alone every one of them was
-- sorted by voucher_id before the first page (0.4-1 s at 1M customers). This index has both orders.
drop index if exists telecom.voucher_mobile_no_voucher_id_idx;
create index voucher_mobile_no_voucher_id_idx on telecom.voucher (mobile_no, voucher_id);

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

-- Sorted and filtered only by columns an index serves (issue 16); the others are tagged.
comment on column telecom.num_of_cashback.cashback_count is E'@behavior -filterBy -orderBy\nNumber of cashback credits.';

grant select on telecom.num_of_cashback to telecom_admin;
--! EndIncluded reports/num_of_cashback.sql
--! Included reports/search_customers.sql
-- Customer 360 (issue 16): find a person by number, national id, e-mail or part of their name.
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

--! split: 1800-shared-rules.sql
-- Each rule written once (issue 18): the pure amounts of cashback and plan payments, the latest plan
-- payment behind remaining_plan_amount and extra_plan_amount, one check per precondition, one
-- password-by-code step behind register_customer and reset_password, the journal entries of a
-- change that the journal triggers and the seeder write, and the synthetic numbers the seeder and
-- the benchmark share.
--! Included benefits/cashback_amount.sql
-- The cashback a payment earns (SPEC §4.3): 10% of its amount, rounded to the cent. The one place
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
--! Included payments/plan_payment_amounts.sql
-- What a payment of `p_amount` for a plan of price `p_price` leaves owing and pays beyond the price
-- (credited to the balance), never negative. The trigger on process_payment and the synthetic data
-- compute them here. A table of one row, so that a query calling it from its from clause inlines it.
create or replace function telecom_private.plan_payment_amounts(p_price numeric, p_amount numeric) returns table (remaining_balance numeric, extra_amount numeric)
  language sql
  immutable
  parallel safe
as $$
  select greatest(p_price - p_amount, 0), greatest(p_amount - p_price, 0)
$$;

comment on function telecom_private.plan_payment_amounts(numeric, numeric) is 'What a payment of p_amount for a plan of price p_price leaves owing, greatest(price - amount, 0), and pays beyond the price, greatest(amount - price, 0).';
--! EndIncluded payments/plan_payment_amounts.sql
--! Included payments/latest_plan_payment.sql
-- The account's latest successful payment for a plan, as its process_payment row: what
-- remaining_plan_amount and extra_plan_amount read their one column from.
create or replace function telecom.latest_plan_payment(mobile_no text, plan_name text) returns telecom.process_payment
  language sql
  stable
as $$
  select processed.*
  from telecom.payment as payment
  inner join telecom.process_payment as processed
    on processed.payment_id = payment.payment_id
  inner join telecom.service_plan as plan
    on plan.plan_id = processed.plan_id
  where telecom.assert_account_access(latest_plan_payment.mobile_no)
    and payment.mobile_no = latest_plan_payment.mobile_no
    and payment.status = 'successful'
    and plan.name = latest_plan_payment.plan_name
  order by payment.date_of_payment desc, payment.payment_id desc
  limit 1
$$;

comment on function telecom.latest_plan_payment(text, text) is E'@behavior -queryField -mutationField -typeField\nThe account''s latest successful payment for the plan (its process_payment row); null when it never paid for the plan.';

grant execute on function telecom.latest_plan_payment(text, text) to telecom_customer, telecom_admin;
--! EndIncluded payments/latest_plan_payment.sql
--! Included plans/assert_plan_exists.sql
-- The check of every operation that names a plan: the plan, or TC102 when there is none.
create or replace function telecom.assert_plan_exists(plan_id integer) returns telecom.service_plan
  language plpgsql
  stable
as $$
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

comment on function telecom.assert_plan_exists(integer) is E'@behavior -queryField -mutationField -typeField\nThe plan with this id; raises TC102 when there is none.';

grant execute on function telecom.assert_plan_exists(integer) to telecom_customer, telecom_admin;
--! EndIncluded plans/assert_plan_exists.sql
--! Included plans/change_subscription_status.sql
-- Moves the account's subscription to a plan from one status to another, after locking the account
-- (lock_active_account: the caller's access, the account exists and is active). Null when there is
-- no such subscription in p_from: hold_subscription and resume_subscription say so in their words.
create or replace function telecom_private.change_subscription_status(
  p_mobile_no text,
  p_plan_id integer,
  p_from telecom.subscription_status,
  p_to telecom.subscription_status
) returns telecom.subscription
  language plpgsql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
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
--! EndIncluded plans/change_subscription_status.sql
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
  v_replay jsonb;
  v_account telecom.customer_account;
  v_wallet telecom.wallet;
  v_payment telecom.payment;
  v_benefit telecom.benefit;
  v_amount numeric(12, 2);
  v_cashback telecom.cashback;
begin
  v_replay := telecom_private.begin_money_operation(
    'payment_wallet_cashback',
    payment_wallet_cashback.idempotency_key,
    jsonb_build_object('mobile_no', mobile_no, 'payment_id', payment_id, 'benefit_id', benefit_id)
  );
  if v_replay is not null then
    return jsonb_populate_record(null::telecom.cashback, v_replay);
  end if;
  v_account := telecom_private.lock_active_account(payment_wallet_cashback.mobile_no);
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
--! Included payments/tg_process_payment__compute_amounts.sql
-- remaining_balance and extra_amount are derived from the payment and the plan's price when the
-- row is written; whatever the client sent is overwritten.
create or replace function telecom_private.tg_process_payment__compute_amounts() returns trigger
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
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

create or replace trigger _100_compute_amounts
  before insert or update of payment_id, plan_id, remaining_balance, extra_amount
  on telecom.process_payment
  for each row
  execute function telecom_private.tg_process_payment__compute_amounts();
--! EndIncluded payments/tg_process_payment__compute_amounts.sql
--! Included payments/remaining_plan_amount.sql
create or replace function telecom.remaining_plan_amount(mobile_no text, plan_name text) returns numeric
  language sql
  stable
as $$
  select (telecom.latest_plan_payment(remaining_plan_amount.mobile_no, remaining_plan_amount.plan_name)).remaining_balance
$$;

comment on function telecom.remaining_plan_amount(text, text) is 'What is left to pay for the plan after the account''s latest successful payment for it; null when it never paid for the plan.';

grant execute on function telecom.remaining_plan_amount(text, text) to telecom_customer, telecom_admin;
--! EndIncluded payments/remaining_plan_amount.sql
--! Included payments/extra_plan_amount.sql
create or replace function telecom.extra_plan_amount(mobile_no text, plan_name text) returns numeric
  language sql
  stable
as $$
  select (telecom.latest_plan_payment(extra_plan_amount.mobile_no, extra_plan_amount.plan_name)).extra_amount
$$;

comment on function telecom.extra_plan_amount(text, text) is 'How much the account''s latest successful payment for the plan exceeded its price; null when it never paid for the plan.';

grant execute on function telecom.extra_plan_amount(text, text) to telecom_customer, telecom_admin;
--! EndIncluded payments/extra_plan_amount.sql
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
  v_replay jsonb;
  v_account telecom.customer_account;
  v_price numeric(12, 2);
  v_payment telecom.payment;
begin
  v_replay := telecom_private.begin_money_operation(
    'initiate_plan_payment',
    initiate_plan_payment.idempotency_key,
    jsonb_build_object('mobile_no', mobile_no, 'amount', amount, 'payment_method', payment_method, 'plan_id', plan_id)
  );
  if v_replay is not null then
    return jsonb_populate_record(null::telecom.payment, v_replay);
  end if;
  v_account := telecom_private.lock_active_account(initiate_plan_payment.mobile_no);
  perform telecom_private.assert_money_amount(initiate_plan_payment.amount);
  v_price := (telecom.assert_plan_exists(initiate_plan_payment.plan_id)).price;
  if initiate_plan_payment.amount < v_price and not telecom.current_role_is_admin() then
    raise exception 'The plan costs % EGP: pay at least that much.', v_price using errcode = 'TC319';
  end if;
  v_payment := telecom_private.record_payment(v_account, initiate_plan_payment.amount, initiate_plan_payment.payment_method);
  -- remaining_balance and extra_amount are computed by the trigger from the amount and the price.
  insert into telecom.process_payment (payment_id, plan_id, remaining_balance, extra_amount)
  values (v_payment.payment_id, initiate_plan_payment.plan_id, 0, 0);
  if v_payment.status = 'successful' then
    perform telecom_private.apply_successful_payment(v_payment);
  end if;
  perform telecom_private.finish_money_operation(to_jsonb(v_payment));
  return v_payment;
end;
$$;

comment on function telecom.initiate_plan_payment(text, numeric, telecom.payment_method, integer, uuid) is 'Pays for a plan. Admins record cash and card at a shop, successful at once; a customer pays by card (pending until the card processor settles it, provider_reference is the checkout) or from the EGP wallet linked to the number, and at least the plan''s price. Once successful, a payment that covers the price activates the subscription (created if absent, dated today) and moves paid_until one month on; an admin''s partial payment leaves it as it was. Any extra is credited to the balance. A repeat with the same idempotency_key returns the first payment.';

grant execute on function telecom.initiate_plan_payment(text, numeric, telecom.payment_method, integer, uuid) to telecom_customer, telecom_admin;
--! EndIncluded payments/initiate_plan_payment.sql
--! Included plans/subscribe_plan.sql
create or replace function telecom.subscribe_plan(mobile_no text, plan_id integer) returns telecom.subscription
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_subscription telecom.subscription;
begin
  perform telecom_private.lock_active_account(subscribe_plan.mobile_no);
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
  return v_subscription;
end;
$$;

comment on function telecom.subscribe_plan(text, integer) is 'Subscribes the account to a plan from today (not yet paid: paid_until stays empty until a payment covers the price). A subscription on hold is resumed with resume_subscription. The account must be active.';

grant execute on function telecom.subscribe_plan(text, integer) to telecom_customer, telecom_admin;
--! EndIncluded plans/subscribe_plan.sql
--! Included plans/hold_subscription.sql
create or replace function telecom.hold_subscription(mobile_no text, plan_id integer) returns telecom.subscription
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_subscription telecom.subscription := telecom_private.change_subscription_status(hold_subscription.mobile_no, hold_subscription.plan_id, 'active', 'onhold');
begin
  if v_subscription is null then
    raise exception '% has no active subscription to plan %.', hold_subscription.mobile_no, hold_subscription.plan_id using errcode = 'TC131';
  end if;
  return v_subscription;
end;
$$;

comment on function telecom.hold_subscription(text, integer) is 'Puts the account''s active subscription to a plan on hold; its dates stay as they are.';

grant execute on function telecom.hold_subscription(text, integer) to telecom_customer, telecom_admin;
--! EndIncluded plans/hold_subscription.sql
--! Included plans/resume_subscription.sql
-- Makes a held subscription active again without touching its dates (SPEC §5).
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
--! Included accounts/synthetic_mobile_no.sql
-- The numbers of the synthetic subscribers (`npm run db:seed`, the benchmark): customer i (0-based)
-- owns line 0, and line 1 when i is a multiple of 5 (1.2 accounts per customer). Their accounts are
-- numbered a = i + ceil(i / 5) + line, and the mobile number is '019' followed by a on 8 digits: the
-- sample data uses 010, 011, 012 and 015, so they never collide. The seeder writes the numbers with
-- this function, and the benchmark and its tests find the customers with it.
create or replace function telecom_private.synthetic_mobile_no(p_customer integer, p_line integer default 0) returns text
  language sql
  immutable
  strict
  parallel safe
as $$
  select '019' || lpad((p_customer + (p_customer + 4) / 5 + p_line)::text, 8, '0')
$$;

comment on function telecom_private.synthetic_mobile_no(integer, integer) is 'The mobile number of line p_line of synthetic customer p_customer.';
--! EndIncluded accounts/synthetic_mobile_no.sql
--! Included identity/set_password_with_code.sql
-- What register_customer and reset_password share (SPEC §5): whoever holds the number proves it
-- with the code sent to it for `p_purpose`, and sets the password of its online access; the answer
-- is a login token, or null when the code does not count.
create or replace function telecom_private.set_password_with_code(p_mobile_no text, p_purpose text, p_code text, p_password text) returns telecom.jwt_token
  language plpgsql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_hash text;
  v_account telecom.customer_account;
begin
  if p_mobile_no is null or p_mobile_no !~ '^[0-9]{11}$' then
    raise exception 'A mobile number has 11 digits.' using errcode = 'TC224';
  end if;
  -- Checked first (TC212, TC221), so a refused password costs no attempt of the code.
  v_hash := telecom_private.hash_password(p_password);
  if not telecom_private.use_verification_code(p_mobile_no, p_purpose, p_code) then
    return null;
  end if;
  select * into strict v_account from telecom.customer_account as account where account.mobile_no = p_mobile_no;
  insert into telecom_private.customer_credential (mobile_no, password_hash)
  values (v_account.mobile_no, v_hash)
  on conflict on constraint customer_credential_pkey do update set password_hash = excluded.password_hash;
  perform telecom_private.clear_login_failures(v_account.mobile_no);
  return ('telecom_customer', extract(epoch from now() + interval '1 hour')::bigint, v_account.mobile_no, v_account.national_id, null, null)::telecom.jwt_token;
end;
$$;
--! EndIncluded identity/set_password_with_code.sql
--! Included identity/register_customer.sql
-- Online access for the person a number was issued to (SPEC §5): whoever holds the number proves it
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
-- A forgotten password (SPEC §5): whoever holds the number proves it with the code sent to it, and
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
--! Included journal/account_journal_entries.sql
-- The journal entries of a change of an account's balance and points (SPEC §10): one per quantity
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
--! Included journal/wallet_journal_entries.sql
-- The journal entry of a change of a wallet's balance (SPEC §10): none when it did not change, from
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
--! Included journal/tg_customer_account__journal.sql
-- The changed quantities of one account row as journal entries (account_journal_entries). `old` is
-- null on insert (the opening entries) and `new` on delete (the closing ones). The operation and actor
-- come from the money operation running in this transaction; without one the change is `direct`,
-- made by the database login (a migration, sample data, a DBA).
create or replace function telecom_private.tg_customer_account__journal() returns trigger
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

create or replace trigger _200_journal
  after insert or update or delete
  on telecom.customer_account
  for each row
  execute function telecom_private.tg_customer_account__journal();
--! EndIncluded journal/tg_customer_account__journal.sql
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
declare
  v_old telecom.wallet[] := '{}';
  v_new telecom.wallet[] := '{}';
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

--! split: 1916-lean-transfers.sql
-- Issue 19 (b): the leanest correct shape of a transfer.

-- The running money operation lives only inside its own transaction (begin_money_operation inserts
-- it, finish_money_operation deletes it), so it needs no crash safety: unlogged, it costs no WAL.
alter table telecom_private.money_operation set unlogged;

-- The wallet journal is written per statement (one insert for a transfer's two wallets).
drop trigger if exists _200_journal on telecom.wallet;
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
declare
  v_old telecom.wallet[] := '{}';
  v_new telecom.wallet[] := '{}';
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

--! Included wallets/refuse_transfer.sql
-- Why a transfer's update did not move both balances, as the error the sender gets, in the order of
-- the checks: another currency (TC313), too little in the sender's wallet (the update refused the
-- sender's row: TC316), a recipient's wallet that cannot hold the amount (TC313, the same answer as
-- no wallet at all, SPEC §12).
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

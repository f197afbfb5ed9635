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

--!include identity/assert_trusted_session.sql
--!include usage/usage_load_queue.sql
--!include usage/parses_as.sql
--!include usage/usage_event_problem.sql
--!include usage/usage_units.sql
--!include usage/usage_account_problem.sql
--!include usage/record_usage.sql
--!include usage/rate_usage_batch.sql
--!include usage/ensure_usage_partitions.sql

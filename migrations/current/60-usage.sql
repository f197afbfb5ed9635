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
--!include identity/authenticate.sql
--!include identity/authenticate_admin.sql
--!include identity/register_customer.sql
--!include identity/switch_number.sql
--!include identity/network_credential.sql
--!include identity/set_network_credential.sql
--!include identity/remove_network_credential.sql
--!include identity/authenticate_network.sql

--!include usage/operator_time_zone.sql
--!include usage/tariff.sql
--!include usage/usage_event.sql
--!include usage/usage_event_key.sql
--!include usage/usage_allocation.sql
--!include usage/usage_alert.sql
--!include usage/ensure_usage_partitions.sql
--!include usage/tg_plan_usage__dates_and_plan.sql
--!include usage/notify_live.sql
--!include usage/tg_customer_account__notify.sql
--!include usage/find_usage_event.sql
--!include usage/usage_units.sql
--!include usage/record_usage.sql
--!include usage/recommended_plans.sql

select telecom_private.ensure_usage_partitions();

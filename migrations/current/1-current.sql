-- Table changes here; rules are pulled in from migrations/fixtures (see migrations/CONVENTIONS.md).

-- What the database is for (docs/operations.md): development or production, written once when the
-- database is created, from the placeholder :DATABASE_KIND (the environment variable DATABASE_KIND that
-- `npm run db:*` sets from NODE_ENV). The commands that destroy data refuse a production database.
create table if not exists telecom_private.database_kind (
  kind text not null check (kind in ('development', 'production')),
  recorded_at timestamptz not null default now()
);
alter table telecom_private.database_kind enable row level security;
create unique index if not exists database_kind_one_row_idx on telecom_private.database_kind ((true));
insert into telecom_private.database_kind (kind) values (':DATABASE_KIND') on conflict do nothing;

-- When the maintenance tick last completed, and what it did (docs/operations.md).
create table if not exists telecom_private.maintenance_state (
  last_tick_at timestamptz not null,
  last_result jsonb not null
);
alter table telecom_private.maintenance_state enable row level security;
create unique index if not exists maintenance_state_one_row_idx on telecom_private.maintenance_state ((true));

-- The maintenance tick's purges find what has served its time by these (docs/operations.md).
create index if not exists idempotency_key_created_at_idx on telecom_private.idempotency_key (created_at);
create index if not exists sms_outbox_sent_at_idx on telecom_private.sms_outbox (sent_at);
create index if not exists verification_code_expires_at_idx on telecom_private.verification_code (expires_at);
create index if not exists login_failure_failed_at_idx on telecom_private.login_failure (failed_at);

-- A usage event of a month without its partition is TC409, not a bare 23514 (docs/usage.md).
create table if not exists telecom_private.usage_event_default partition of telecom.usage_event default;

-- Room in each page for a new version of a row, so an update that changes no indexed column is HOT
-- (no new index entries); autovacuum keeps the tables that churn small (docs/operations.md).
alter table telecom.customer_account set (fillfactor = 90);
alter table telecom.wallet set (fillfactor = 90);
alter table telecom_private.sms_outbox set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 500);
alter table telecom_private.idempotency_key set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 500);
alter table telecom_private.login_failure set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 500);
alter table telecom_private.verification_code set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 500);
alter table telecom_private.verification_code_guess set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 500);
alter table telecom_private.money_operation set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_cost_delay = 0);

-- A refunded report found by its refund alone (no flag beside it).
--!include payments/settle_payment.sql

-- The database's kind, set once; the tables db:clear keeps are tagged @schemaData.
--!include operations/tg_database_kind__set_once.sql
--!include operations/database_kind.sql
--!include errors/error_code.sql

-- Money history refuses TRUNCATE, except db:clear's on a development database.
--!include journal/tg_money_history__no_truncate.sql
--!include payments/payment.sql
--!include benefits/points_group.sql
--!include benefits/cashback.sql
--!include vouchers/voucher.sql
--!include wallets/transfer_money.sql
--!include journal/money_journal.sql

-- The maintenance tick never overlaps another, records when it ran, and purges what has served its time.
--!include operations/maintenance_state.sql
--!include operations/last_maintenance_tick.sql
--!include journal/purge_idempotency_keys.sql
--!include identity/purge_sent_sms.sql
--!include identity/purge_verification_codes.sql
--!include operations/maintenance_tick.sql

-- The default partition of usage_event refuses what no month takes (TC409).
--!include usage/tg_usage_event_default__no_month.sql
--!include usage/usage_event_default.sql

-- The operator's time zone is written once, and is the database's timezone too.
--!include usage/operator_time_zone.sql

-- An unknown number is TC101 in every account operation, an unknown plan name TC102.
--!include plans/assert_plan_name_exists.sql
--!include usage/account_usage_plan.sql
--!include benefits/account_sms_offers.sql
--!include benefits/account_payment_points.sql
--!include wallets/wallet_mobile_no.sql
--!include payments/latest_plan_payment.sql
--!include payments/remaining_plan_amount.sql
--!include payments/extra_plan_amount.sql
--!include usage/consumption.sql

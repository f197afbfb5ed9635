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
--!include errors/error_code.sql

-- What plpgsql_check found (api/test/schema/plpgsql-check.test.ts): text literals cast implicitly
-- into arrays and an enum, and loop variables declared twice (a loop declares its own).
--!include usage/record_usage.sql
--!include usage/rate_usage_batch.sql
--!include usage/ensure_usage_partitions.sql
--!include journal/tg_wallet__journal.sql
--!include journal/begin_account_money_operation.sql

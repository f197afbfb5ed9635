-- Table changes here; rules are pulled in from migrations/fixtures (see migrations/CONVENTIONS.md).

-- The partition maker takes the clock it keeps ahead of (the schema dump's month test).
drop function if exists telecom_private.ensure_usage_partitions();
--!include usage/ensure_usage_partitions.sql

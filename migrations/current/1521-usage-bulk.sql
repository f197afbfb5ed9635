-- Issue 15 (items 6, 8): the bulk load of usage events rates set-based (SPEC §11).
drop function if exists telecom_private.rate_usage_batch(integer);
-- Timestamps are checked with pg_input_is_valid (no subtransaction per line).
drop function if exists telecom_private.try_timestamptz(text);
--!include usage/rate_usage_batch.sql

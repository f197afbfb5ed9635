-- Issue 15 (items 6, 8): the bulk load of usage events rates set-based (SPEC §11).
drop function if exists telecom_private.rate_usage_batch(integer);
--!include usage/rate_usage_batch.sql

-- Issue 19 (b): the leanest correct shape of a transfer.

-- The running money operation lives only inside its own transaction (begin_money_operation inserts
-- it, finish_money_operation deletes it), so it needs no crash safety: unlogged, it costs no WAL.
alter table telecom_private.money_operation set unlogged;

-- The wallet journal is written per statement (one insert for a transfer's two wallets).
drop trigger if exists _200_journal on telecom.wallet;
--!include journal/tg_wallet__journal.sql

--!include wallets/refuse_transfer.sql
--!include wallets/transfer_to_mobile.sql

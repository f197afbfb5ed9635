-- Money you can trust, part 1 (SPEC §2, §3, §10): table changes. The rules that use them are the
-- files included by the other files of current/.

-- The card processor (§10) and the network (§11) reach the exposed schema only through functions.
grant usage on schema public, telecom to telecom_payment_processor, telecom_network;

-- Payments: when they were initiated (stale card payments are rejected by it), their currency, and
-- the card processor's id of a card payment.
alter table telecom.payment add column if not exists initiated_at timestamptz not null default now();
alter table telecom.payment add column if not exists currency text not null default 'EGP';
alter table telecom.payment drop constraint if exists payment_currency_check;
alter table telecom.payment add constraint payment_currency_check check (currency ~ '^[A-Z]{3}$');
alter table telecom.payment add column if not exists provider_reference text;
alter table telecom.payment drop constraint if exists payment_provider_reference_key;
alter table telecom.payment add constraint payment_provider_reference_key unique (provider_reference);

-- A subscription is paid up to (not including) paid_until; null until a payment covers the price.
alter table telecom.subscription add column if not exists paid_until date;

-- Cashback and points earned by payments are money history: a benefit that has them is ended, not deleted.
alter table telecom.cashback drop constraint if exists cashback_benefit_id_fkey;
alter table telecom.cashback add constraint cashback_benefit_id_fkey
  foreign key (benefit_id) references telecom.benefit (benefit_id) on delete restrict;
alter table telecom.points_group drop constraint if exists points_group_benefit_id_fkey;
alter table telecom.points_group add constraint points_group_benefit_id_fkey
  foreign key (benefit_id) references telecom.benefit (benefit_id) on delete restrict;

-- The money operation running in each transaction, where the journal takes its provenance from.
-- Unlogged: a row lives only inside its transaction, so there is nothing to recover after a crash.
create unlogged table if not exists telecom_private.money_operation (
  transaction_id bigint primary key,
  operation text not null,
  actor text not null,
  idempotency_key uuid
);
alter table telecom_private.money_operation enable row level security;

-- The flags of 000002 named the operation in a session setting; the private record replaces them.
drop function if exists telecom_private.idempotency_replay(uuid, text, jsonb);
drop function if exists telecom_private.idempotency_store(uuid, jsonb);

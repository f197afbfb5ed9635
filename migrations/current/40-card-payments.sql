-- Card payments settled by a processor (issue 13, SPEC §10): settle_payment, the stale-payment
-- rejection and the server's maintenance tick, and the log of card refunds due.

-- Pending payments by age, for reject_stale_payments (a few pending among millions settled).
create index if not exists payment_pending_initiated_at_idx on telecom.payment (initiated_at) where status = 'pending';

-- A successful report the system refused (the payment was already rejected: declined, or stale):
-- the processor took the customer's money, so it is owed back.
create table if not exists telecom.card_refund (
  payment_id integer primary key references telecom.payment (payment_id) on delete restrict,
  provider_reference text not null,
  amount numeric(12,2) not null check (amount > 0),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  reported_at timestamptz not null default now(),
  refunded_at timestamptz
);
alter table telecom.card_refund enable row level security;

--!include payments/card_refund.sql
--!include payments/settle_payment.sql
--!include payments/record_card_refund.sql
--!include payments/reject_stale_payments.sql
-- The tick also refreshes the admin figures (issue 16) now: one tick, no other timer.
drop function if exists telecom.maintenance_tick(interval);
--!include journal/maintenance_tick.sql

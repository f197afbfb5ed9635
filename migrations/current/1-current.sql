-- Table changes here; rules are pulled in from migrations/fixtures (see migrations/CONVENTIONS.md).

-- The partition maker takes the clock it keeps ahead of (the schema dump's month test).
drop function if exists telecom_private.ensure_usage_partitions();
--!include usage/ensure_usage_partitions.sql

-- One-time codes that an attacker without the phone cannot spoil (README, "Security in production"):
-- a message keeps the code it carries and the address that asked for it (a request while a code is
-- live sends the same message again; the cap counts a number's code messages), and wrong guesses are
-- counted per code and client address instead of per code.
alter table telecom_private.sms_outbox add column if not exists code_id bigint references telecom_private.verification_code (code_id) on delete set null;
alter table telecom_private.sms_outbox add column if not exists client_address text;
alter table telecom_private.sms_outbox drop constraint if exists sms_outbox_client_address_check;
alter table telecom_private.sms_outbox add constraint sms_outbox_client_address_check check (char_length(client_address) <= 64);
create index if not exists sms_outbox_code_id_idx on telecom_private.sms_outbox (code_id, client_address);
create index if not exists sms_outbox_mobile_no_created_at_idx on telecom_private.sms_outbox (mobile_no, created_at);

create table if not exists telecom_private.verification_code_guess (
  guess_id bigint generated always as identity primary key,
  code_id bigint not null references telecom_private.verification_code (code_id) on delete cascade,
  client_address text not null check (char_length(client_address) <= 64),
  by_asking_address boolean not null,
  guessed_at timestamptz not null default now()
);
alter table telecom_private.verification_code_guess enable row level security;
create index if not exists verification_code_guess_code_id_idx on telecom_private.verification_code_guess (code_id, client_address);

-- The tries of a code are now per address (verification_code_guess).
alter table telecom_private.verification_code drop column if exists attempts;

--!include identity/verification_code.sql
--!include identity/sms_outbox.sql
--!include identity/verification_code_guess.sql
--!include identity/code_message_allowed.sql
--!include identity/use_verification_code.sql
--!include identity/request_verification_code.sql

-- Throttles and codes before any password hash: a new password's shape is checked on its own, and
-- hashed only once the code or the current password is right.
--!include identity/assert_new_password.sql
--!include identity/hash_password.sql
--!include identity/set_password_with_code.sql
--!include identity/change_password.sql

-- Money accounts: the balance check written once, also used when a card payment is initiated.
--!include accounts/assert_balance_can_hold.sql
--!include accounts/credit_account_balance.sql

-- Card reports that cannot be applied are logged for a refund, with why (the rows so far, and by
-- default, a late report of a rejected payment).
alter table telecom.card_refund add column if not exists reason text not null default 'reported_after_rejection';
alter table telecom.card_refund drop constraint if exists card_refund_reason_check;
alter table telecom.card_refund add constraint card_refund_reason_check check (reason in ('reported_after_rejection', 'balance_cannot_hold'));
--!include payments/card_refund.sql
--!include payments/log_card_refund.sql
--!include payments/record_card_refund.sql
--!include payments/record_payment.sql
--!include payments/settle_payment.sql

-- Cashback only on money that came in from outside (TC117).
--!include benefits/payment_wallet_cashback.sql

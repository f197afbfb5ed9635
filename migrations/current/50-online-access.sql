-- Issue 14, the SQL side: throttled logins (SPEC §12), online access by a code sent by SMS (§5),
-- no enumeration through refusals, transfer_recipient. Table changes first (re-runnable), then the
-- rules from migrations/fixtures.

-- Failures are keyed by (login, client address); logins and addresses have sane lengths.
alter table telecom_private.login_failure add column if not exists client_address text not null default '';
alter table telecom_private.login_failure drop constraint if exists login_failure_login_check;
alter table telecom_private.login_failure add constraint login_failure_login_check check (char_length(login) between 1 and 80);
alter table telecom_private.login_failure drop constraint if exists login_failure_client_address_check;
alter table telecom_private.login_failure add constraint login_failure_client_address_check check (char_length(client_address) <= 64);
drop index if exists telecom_private.login_failure_login_idx;
create index if not exists login_failure_login_client_address_idx on telecom_private.login_failure (login, client_address, failed_at);
create index if not exists login_failure_client_address_idx on telecom_private.login_failure (client_address, failed_at);

create table if not exists telecom_private.verification_code (
  code_id bigint generated always as identity primary key,
  mobile_no text not null references telecom.customer_account (mobile_no) on delete cascade,
  purpose text not null check (purpose in ('register', 'reset')),
  code_hash text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  attempts integer not null default 0 check (attempts between 0 and 5),
  used_at timestamptz
);
alter table telecom_private.verification_code enable row level security;
create index if not exists verification_code_mobile_no_idx on telecom_private.verification_code (mobile_no, created_at);

create table if not exists telecom_private.sms_outbox (
  sms_id bigint generated always as identity primary key,
  mobile_no text not null check (mobile_no ~ '^[0-9]{11}$'),
  body text not null check (char_length(body) between 1 and 480),
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
alter table telecom_private.sms_outbox enable row level security;
create index if not exists sms_outbox_unsent_idx on telecom_private.sms_outbox (sms_id) where sent_at is null;

create table if not exists telecom_private.recipient_lookup (
  national_id integer not null references telecom.customer_profile (national_id) on delete cascade,
  looked_up_at timestamptz not null default now()
);
alter table telecom_private.recipient_lookup enable row level security;
create index if not exists recipient_lookup_national_id_idx on telecom_private.recipient_lookup (national_id, looked_up_at);

drop type if exists telecom.wallet_recipient cascade;
create type telecom.wallet_recipient as (
  display_name text,
  currency text
);
comment on type telecom.wallet_recipient is 'Who a transfer would reach: a display name (first name and last initial) and the wallet''s currency.';

-- Anyone could claim any number with the old registration: online access now needs the number's code.
drop function if exists telecom.register_customer(integer, text, text, text, date, text, text);

--!include identity/client_address.sql
--!include identity/password_hash_cost.sql
--!include identity/dummy_password_hash.sql
--!include identity/assert_password_length.sql
--!include identity/hash_password.sql
--!include identity/login_failure.sql
--!include identity/purge_login_failures.sql
--!include identity/login_retry_after.sql
--!include identity/assert_login_allowed.sql
--!include identity/record_login_failure.sql
--!include identity/clear_login_failures.sql
--!include identity/check_password.sql
--!include identity/account_login_validation.sql
--!include identity/authenticate.sql
--!include identity/authenticate_admin.sql
--!include identity/change_password.sql
--!include identity/verification_code.sql
--!include identity/sms_outbox.sql
--!include identity/tg_sms_outbox__notify.sql
--!include identity/request_verification_code.sql
--!include identity/use_verification_code.sql
--!include identity/register_customer.sql
--!include identity/reset_password.sql
--!include accounts/tg_customer_profile__email_available.sql
--!include wallets/recipient_lookup.sql
--!include wallets/transfer_recipient.sql
--!include wallets/transfer_to_mobile.sql
--!include vouchers/redeem_voucher_points.sql

-- Issue 14, second part: "this e-mail cannot be used" is throttled and uniform (SPEC §12). A customer
-- changes their e-mail and address through update_my_profile, which counts refused e-mail addresses
-- per person and answers with a status row instead of raising, so the count survives the refusal.
-- Table changes first (re-runnable), then the rules from migrations/fixtures.

create table if not exists telecom_private.email_refusal (
  national_id integer not null references telecom.customer_profile (national_id) on delete cascade,
  refused_at timestamptz not null default now()
);
alter table telecom_private.email_refusal enable row level security;
create index if not exists email_refusal_national_id_idx on telecom_private.email_refusal (national_id, refused_at);

drop type if exists telecom.profile_update cascade;
create type telecom.profile_update as (
  status text,
  message text,
  email text,
  address text
);
comment on type telecom.profile_update is E'The outcome of update_my_profile: `saved`, or `email_cannot_be_used` (nothing changed), with the message for the customer and the e-mail and address as they now are.';

--!include accounts/email_refusal.sql
--!include accounts/customer_profile.sql
--!include accounts/update_my_profile.sql

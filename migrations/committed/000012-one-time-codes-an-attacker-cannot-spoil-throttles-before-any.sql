--! Previous: sha1:e723ce5f7a2e9393f3c5df2a87ff1c3680851bf2
--! Hash: sha1:0b578656137953f0f7e67de282a5910ab15ad04a
--! Message: One-time codes an attacker cannot spoil, throttles before any hash, cashback only on outside money, card reports that cannot be applied logged for a refund, a schema dump independent of the month

--! split: 1-current.sql
-- Table changes here; rules are pulled in from migrations/fixtures (see migrations/CONVENTIONS.md).

-- The partition maker takes the clock it keeps ahead of (the schema dump's month test).
drop function if exists telecom_private.ensure_usage_partitions();
--! Included usage/ensure_usage_partitions.sql
-- Partitions of telecom.usage_event (SPEC §11): one per calendar month of the operator's time zone,
-- named telecom_private.usage_event_pYYYY_MM. This keeps the month of seven days ago (record_usage
-- takes events up to 7 days old), this month and the next; the server's maintenance tick calls it
-- every minute (telecom.maintenance_tick), and the migration once, so record_usage never lacks one.
-- Retention: a month's partition is detached once at least four full months have ended after it
-- (recommended_plans reads the three full months before this one). The detached table stays in
-- telecom_private for the DBA to archive or drop; its event ids leave usage_event_key (with their
-- usage_allocation rows), since a replay that old is refused as more than 7 days old anyway.
-- p_now is the clock it keeps ahead of: now() but in the test that the schema dump does not change
-- with the month (api/test/schema/schema-docs.test.ts).
create or replace function telecom_private.ensure_usage_partitions(p_now timestamptz default now()) returns text[]
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_zone text := telecom_private.operator_time_zone();
  v_this_month date := date_trunc('month', telecom_private.operator_date(p_now))::date;
  v_month date;
  v_name text;
  v_done text[] := '{}';
  v_partition record;
begin
  for v_month in
    select month::date
    from generate_series(
      date_trunc('month', telecom_private.operator_date(p_now - interval '7 days')),
      v_this_month + interval '1 month',
      interval '1 month'
    ) as month
  loop
    v_name := 'usage_event_p' || to_char(v_month, 'YYYY_MM');
    if to_regclass('telecom_private.' || v_name) is null then
      execute format(
        'create table telecom_private.%I partition of telecom.usage_event for values from (%L) to (%L)',
        v_name,
        (v_month::timestamp at time zone v_zone),
        ((v_month + interval '1 month')::timestamp at time zone v_zone)
      );
      v_done := v_done || ('created ' || v_name);
    end if;
  end loop;
  for v_partition in
    select child.relname, to_date(substring(child.relname from 'usage_event_p(\d{4}_\d{2})$'), 'YYYY_MM') as month
    from pg_catalog.pg_inherits as inheritance
    inner join pg_catalog.pg_class as child
      on child.oid = inheritance.inhrelid
    where inheritance.inhparent = 'telecom.usage_event'::regclass
      and child.relname ~ '^usage_event_p\d{4}_\d{2}$'
  loop
    -- Four full months have ended after the partition's month.
    if v_partition.month + interval '1 month' <= v_this_month - interval '4 months' then
      execute format('alter table telecom.usage_event detach partition telecom_private.%I', v_partition.relname);
      execute format(
        'delete from telecom_private.usage_event_key as usage_key using telecom_private.%I as detached where usage_key.event_id = detached.event_id',
        v_partition.relname
      );
      v_done := v_done || ('detached ' || v_partition.relname);
    end if;
  end loop;
  return v_done;
end;
$$;

comment on function telecom_private.ensure_usage_partitions(timestamptz) is 'Creates the usage_event partitions of the month seven days before p_now, this month and the next (operator''s time zone), and detaches those whose month ended at least four full months ago. Returns what it did. Called by the maintenance tick.';

revoke all on function telecom_private.ensure_usage_partitions(timestamptz) from public;
--! EndIncluded usage/ensure_usage_partitions.sql

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

--! Included identity/verification_code.sql
-- Table telecom_private.verification_code: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in migrations (sql/schema.sql shows them).

revoke all on telecom_private.verification_code from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;

comment on table telecom_private.verification_code is 'One-time codes sent by SMS to prove that one holds a number: 6 digits, valid 10 minutes, one purpose each, 5 tries per client address (verification_code_guess). A request while a code is live sends it again instead of replacing it. Only the bcrypt hash is kept here; the digits are in the messages of sms_outbox.';
comment on column telecom_private.verification_code.code_id is 'The code''s id.';
comment on column telecom_private.verification_code.mobile_no is 'The number the code was sent to.';
comment on column telecom_private.verification_code.purpose is 'What the code may be used for: register (activate online access) or reset (a forgotten password).';
comment on column telecom_private.verification_code.code_hash is 'bcrypt hash of the 6 digits.';
comment on column telecom_private.verification_code.created_at is 'When the code was made.';
comment on column telecom_private.verification_code.expires_at is 'After this the code is refused (10 minutes after it was made).';
comment on column telecom_private.verification_code.used_at is 'When the code was used; a used code is refused.';
--! EndIncluded identity/verification_code.sql
--! Included identity/sms_outbox.sql
-- Table telecom_private.sms_outbox: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in migrations (sql/schema.sql shows them).

revoke all on telecom_private.sms_outbox from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;

comment on table telecom_private.sms_outbox is 'SMS waiting to be sent, and those sent. The API server''s one SMS sender (api/src/server/sms.ts) takes unsent rows, hands them to the gateway (the console in development) and marks them sent.';
comment on column telecom_private.sms_outbox.sms_id is 'The message''s id.';
comment on column telecom_private.sms_outbox.mobile_no is 'The number to send it to.';
comment on column telecom_private.sms_outbox.body is 'The text of the message.';
comment on column telecom_private.sms_outbox.created_at is 'When the message was queued.';
comment on column telecom_private.sms_outbox.sent_at is 'When the sender handed it to the gateway; null while it waits.';
comment on column telecom_private.sms_outbox.code_id is 'The one-time code the message carries (a request while it is live sends the same message again); it counts against the cap of code messages to the number.';
comment on column telecom_private.sms_outbox.client_address is 'The client address that asked for the message (telecom.client_address): it has 5 tries of its own at the code.';
--! EndIncluded identity/sms_outbox.sql
--! Included identity/verification_code_guess.sql
-- Table telecom_private.verification_code_guess: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in migrations (sql/schema.sql shows them).

revoke all on telecom_private.verification_code_guess from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;

comment on table telecom_private.verification_code_guess is 'Wrong guesses at one-time codes, one row each: the input of use_verification_code''s limits (5 per code and client address; 40 a day per number from addresses that did not ask for the code). Deleted with their code.';
comment on column telecom_private.verification_code_guess.guess_id is 'The guess''s id.';
comment on column telecom_private.verification_code_guess.code_id is 'The code that was guessed at.';
comment on column telecom_private.verification_code_guess.client_address is 'The client address the guess came from (telecom.client_address); '''' for a session without one.';
comment on column telecom_private.verification_code_guess.by_asking_address is 'Whether that address had asked for the code (it used one of its own 5 tries, not the number''s daily budget).';
comment on column telecom_private.verification_code_guess.guessed_at is 'When the guess was made.';
--! EndIncluded identity/verification_code_guess.sql
--! Included identity/code_message_allowed.sql
-- The cap on code messages to one number, whoever asks (README, "Security in production"): 5 in
-- an hour and 10 a day. The day is counted as 24 hours and 10 minutes, a code's lifetime longer, so
-- that the codes whose life overlaps any 24 hours went out in at most 10 messages: each message
-- gives one client address its own 5 tries (use_verification_code), and that bound is what keeps
-- the guesses at a number under 100 a day. The caller holds the number's lock
-- (request_verification_code), so two requests cannot both take the last place.
create or replace function telecom_private.code_message_allowed(p_mobile_no text) returns boolean
  language sql
  stable
  set search_path to pg_catalog, public, pg_temp
as $$
  select
    count(*) filter (where sms.created_at > now() - interval '1 hour') < 5
    and count(*) < 10
  from telecom_private.sms_outbox as sms
  where sms.mobile_no = p_mobile_no
    and sms.code_id is not null
    and sms.created_at > now() - interval '24 hours 10 minutes'
$$;

comment on function telecom_private.code_message_allowed(text) is 'Whether another code message may go to the number: fewer than 5 in the last hour and fewer than 10 in the last 24 hours and 10 minutes, whoever asked for them.';
--! EndIncluded identity/code_message_allowed.sql
--! Included identity/use_verification_code.sql
-- Checks and spends the live code of the number for one purpose. An attacker who does not hold the
-- phone may guess from any number of client addresses, so the tries are counted per address and
-- never shared with the holder (README, "Security in production"):
-- - each (code, client address) has 5 tries (wrong guesses, in verification_code_guess);
-- - an address that asked for the code (a message of request_verification_code went out for it)
--   uses only those 5 of its own: nobody else can use them up, and a wrong guess voids nothing;
-- - every other address also draws on one budget of the number: 40 wrong guesses in 24 hours, all
--   codes and addresses together; when it is spent, their guesses count for nothing (false, even the
--   right code).
-- So a number takes fewer than 100 wrong guesses a day: at most 10 messages reach it in any 24 hours
-- of codes (code_message_allowed), 10 asking addresses x 5 tries, plus the 40, is 90, and a guess at
-- a 6-digit code succeeds with a chance of 1 in 1,000,000: under 1 in 10,000 a day.
-- The login throttle (key 'code:<number>' with the address) is checked first, before any bcrypt
-- work. An unknown number, an expired or used code, the wrong purpose or spent tries give the same
-- false after the same bcrypt work (the dummy hash when there is no code), and count as a failure of
-- the throttle.
create or replace function telecom_private.use_verification_code(p_mobile_no text, p_purpose text, p_code text) returns boolean
  language plpgsql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_login text := 'code:' || p_mobile_no;
  v_address text := telecom_private.client_address();
  v_code telecom_private.verification_code;
  v_asked boolean;
  v_may_guess boolean := false;
  v_checked text;
begin
  -- Attempts of one (number, address) queue up, so concurrent guesses cannot all pass the throttle.
  perform pg_advisory_xact_lock(hashtext(v_login || '@' || v_address));
  perform telecom_private.assert_login_allowed(v_login);
  select *
  into v_code
  from telecom_private.verification_code as code
  where code.mobile_no = p_mobile_no
    and code.purpose = p_purpose
    and code.used_at is null
    and code.expires_at > now()
  order by code.created_at desc
  limit 1;
  -- The bcrypt work first, outside the number's lock: a flood of guesses from many addresses then
  -- never queues the holder behind other people's hashing.
  v_checked := public.crypt(left(coalesce(p_code, ''), 6), coalesce(v_code.code_hash, telecom_private.dummy_password_hash()));
  -- Then, one guess at the number at a time, the code must still be live, and the guess within the
  -- address's tries and, for an address that did not ask for it, within the number's budget; a guess
  -- beyond them is answered false whatever it is, and not counted.
  perform pg_advisory_xact_lock(hashtext(v_login));
  if v_code.code_id is not null then
    select *
    into v_code
    from telecom_private.verification_code as code
    where code.code_id = v_code.code_id
      and code.used_at is null
      and code.expires_at > now()
    for update;
  end if;
  if v_code.code_id is not null then
    v_asked := exists (
      select
      from telecom_private.sms_outbox as sms
      where sms.code_id = v_code.code_id
        and sms.client_address = v_address
    );
    v_may_guess := (
      select count(*) < 5
      from telecom_private.verification_code_guess as guess
      where guess.code_id = v_code.code_id
        and guess.client_address = v_address
    )
    and (
      v_asked
      or (
        select count(*) < 40
        from telecom_private.verification_code as code
        inner join telecom_private.verification_code_guess as guess on guess.code_id = code.code_id
        where code.mobile_no = p_mobile_no
          and code.created_at > now() - interval '24 hours 10 minutes'
          and not guess.by_asking_address
          and guess.guessed_at > now() - interval '24 hours'
      )
    );
  end if;
  if v_may_guess and p_code ~ '^[0-9]{6}$' and v_checked = v_code.code_hash then
    update telecom_private.verification_code as code set used_at = now() where code.code_id = v_code.code_id;
    perform telecom_private.clear_login_failures(v_login);
    return true;
  end if;
  if v_may_guess then
    insert into telecom_private.verification_code_guess (code_id, client_address, by_asking_address)
    values (v_code.code_id, v_address, v_asked);
  end if;
  perform telecom_private.record_login_failure(v_login);
  return false;
end;
$$;

comment on function telecom_private.use_verification_code(text, text, text) is 'Spends the number''s live code for a purpose (register or reset) when it matches. Otherwise returns false and counts a throttled failure, and a wrong guess of the address: 5 per code and address, and for addresses that did not ask for the code also 40 a day per number.';
--! EndIncluded identity/use_verification_code.sql
--! Included identity/request_verification_code.sql
-- Online access by proof of the number: a one-time code sent by SMS to the number. The answer is
-- always true, whether or not the number exists, whether or not a message goes out, and costs the
-- same (one bcrypt either way); only the holder of the number learns anything, from the SMS.
--
-- An attacker who does not hold the phone can ask for codes too, so a request never harms the
-- holder's code (README, "Security in production"):
-- - while a code of that purpose is live, a request sends the same code again, in the message it
--   first went out in: nothing is replaced, its expiry and tries stay as they are;
-- - messages to one number are capped, whoever asks (code_message_allowed: 5 an hour, 10 a day);
--   a request beyond the cap sends nothing and still answers true;
-- - each message records the client address that asked for it: that address has 5 tries of its own
--   at the code, which nobody else can use up (use_verification_code).
-- A (number, address) pair is also throttled like a login (three requests, then a wait that
-- doubles), and so is the address's hourly budget.
create or replace function telecom.request_verification_code(mobile_no text) returns boolean
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_login text := 'sms:' || request_verification_code.mobile_no;
  v_code text := lpad((('x' || encode(public.gen_random_bytes(4), 'hex'))::bit(32)::bigint % 1000000)::text, 6, '0');
  v_code_hash text;
  v_purpose text;
  v_code_id bigint;
  v_body text;
begin
  if request_verification_code.mobile_no is null or request_verification_code.mobile_no !~ '^[0-9]{11}$' then
    raise exception 'A mobile number has 11 digits.' using errcode = 'TC224';
  end if;
  -- Requests of one (number, address) queue up, so concurrent ones cannot all pass the throttle.
  perform pg_advisory_xact_lock(hashtext(v_login || '@' || telecom_private.client_address()));
  perform telecom_private.assert_login_allowed(v_login);
  perform telecom_private.record_login_failure(v_login);
  v_code_hash := public.crypt(v_code, public.gen_salt('bf', telecom_private.password_hash_cost()));
  -- Then one request for the number at a time, from whatever address, so that the cap counts what
  -- the others sent. Taken after the bcrypt work, so the lock is held only for a few reads.
  perform pg_advisory_xact_lock(hashtext(v_login));
  select
    case when exists (
      select from telecom_private.customer_credential as credential where credential.mobile_no = account.mobile_no
    ) then 'reset' else 'register' end
  into v_purpose
  from telecom.customer_account as account
  where account.mobile_no = request_verification_code.mobile_no;
  if v_purpose is null or not telecom_private.code_message_allowed(request_verification_code.mobile_no) then
    return true;
  end if;
  -- The live code with the message it first went out in (every code since the messages keep their
  -- code has one; an older code has none and is left to expire).
  select code.code_id, first_sms.body
  into v_code_id, v_body
  from telecom_private.verification_code as code
  cross join lateral (
    select sms.body
    from telecom_private.sms_outbox as sms
    where sms.code_id = code.code_id
    order by sms.sms_id
    limit 1
  ) as first_sms
  where code.mobile_no = request_verification_code.mobile_no
    and code.purpose = v_purpose
    and code.used_at is null
    and code.expires_at > now()
  order by code.created_at desc
  limit 1
  for update of code;
  if not found then
    insert into telecom_private.verification_code (mobile_no, purpose, code_hash, expires_at)
    values (request_verification_code.mobile_no, v_purpose, v_code_hash, now() + interval '10 minutes')
    returning code_id into v_code_id;
    v_body := format(
      'Telecom: your code to %s is %s. It is valid for 10 minutes. Never give it to anyone.',
      case v_purpose when 'register' then 'activate online access' else 'reset your password' end,
      v_code
    );
  end if;
  insert into telecom_private.sms_outbox (mobile_no, body, code_id, client_address)
  values (request_verification_code.mobile_no, v_body, v_code_id, telecom_private.client_address());
  return true;
end;
$$;

comment on function telecom.request_verification_code(text) is 'Sends a one-time code by SMS to the number, for activating online access (a number without a password) or resetting a forgotten password: 6 digits, valid 10 minutes. While a code is live, a request sends the same code again (nothing is replaced); at most 5 code messages an hour and 10 a day go to one number, whoever asks. Always returns true, whether or not the number exists or a message is sent. Throttled per number and client address (TC220 with a retry-after).';

grant execute on function telecom.request_verification_code(text) to telecom_anonymous;
--! EndIncluded identity/request_verification_code.sql

-- Throttles and codes before any password hash: a new password's shape is checked on its own, and
-- hashed only once the code or the current password is right.
--! Included identity/assert_new_password.sql
-- What a new password must be, checked before anything costs bcrypt work (README, "Security in
-- production"): at least 8 characters, at most 72 bytes (bcrypt ignores the rest, so a longer one is
-- refused rather than silently cut). Cheap, so register_customer, reset_password and change_password
-- refuse a bad password before their throttle and their code or password check, and hash it after.
create or replace function telecom_private.assert_new_password(p_password text) returns void
  language plpgsql
  immutable
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  perform telecom_private.assert_password_length(p_password);
  if char_length(coalesce(p_password, '')) < 8 then
    raise exception 'The password must have at least 8 characters.' using errcode = 'TC212';
  end if;
end;
$$;

comment on function telecom_private.assert_new_password(text) is 'Refuses a new password shorter than 8 characters (TC212) or longer than 72 bytes (TC221), without hashing it.';
--! EndIncluded identity/assert_new_password.sql
--! Included identity/hash_password.sql
-- Every new password goes through here: checked by assert_new_password, then bcrypt at
-- password_hash_cost(). Callers check their throttle, and the code or current password, first: a
-- refused attempt computes no hash.
create or replace function telecom_private.hash_password(p_password text) returns text
  language plpgsql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  perform telecom_private.assert_new_password(p_password);
  return public.crypt(p_password, public.gen_salt('bf', telecom_private.password_hash_cost()));
end;
$$;

comment on function telecom_private.hash_password(text) is 'The bcrypt hash of a new password (cost telecom_private.password_hash_cost()); refuses one shorter than 8 characters (TC212) or longer than 72 bytes (TC221).';
--! EndIncluded identity/hash_password.sql
--! Included identity/set_password_with_code.sql
-- What register_customer and reset_password share: whoever holds the number proves it with the code
-- sent to it for `p_purpose`, and sets the password of its online access; the answer is a login
-- token, or null when the code does not count. The order keeps wrong codes cheap (README, "Security
-- in production"): the shapes of the number and the password first (no hash), then the throttle and
-- the code (use_verification_code), and the new password's bcrypt hash only once the code is right.
create or replace function telecom_private.set_password_with_code(p_mobile_no text, p_purpose text, p_code text, p_password text) returns telecom.jwt_token
  language plpgsql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_account telecom.customer_account;
begin
  if p_mobile_no is null or p_mobile_no !~ '^[0-9]{11}$' then
    raise exception 'A mobile number has 11 digits.' using errcode = 'TC224';
  end if;
  -- Checked first (TC212, TC221), so a refused password costs no attempt of the code.
  perform telecom_private.assert_new_password(p_password);
  if not telecom_private.use_verification_code(p_mobile_no, p_purpose, p_code) then
    return null;
  end if;
  select * into strict v_account from telecom.customer_account as account where account.mobile_no = p_mobile_no;
  insert into telecom_private.customer_credential (mobile_no, password_hash)
  values (v_account.mobile_no, telecom_private.hash_password(p_password))
  on conflict on constraint customer_credential_pkey do update set password_hash = excluded.password_hash;
  perform telecom_private.clear_login_failures(v_account.mobile_no);
  return ('telecom_customer', extract(epoch from now() + interval '1 hour')::bigint, v_account.mobile_no, v_account.national_id, null, null)::telecom.jwt_token;
end;
$$;
--! EndIncluded identity/set_password_with_code.sql
--! Included identity/change_password.sql
-- The order is what keeps a flood of guesses cheap (README, "Security in production"): the new
-- password's shape first (no hash), then the throttled check of the current password, and only
-- when that succeeds the bcrypt hash of the new one.
create or replace function telecom.change_password(old_password text, new_password text) returns boolean
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  if telecom.current_mobile_no() is null then
    raise exception 'Log in as a customer to change your password.' using errcode = '42501';
  end if;
  -- Checked first (TC212, TC221), so a refused new password costs no attempt.
  perform telecom_private.assert_new_password(change_password.new_password);
  -- The same throttled check as a login, so a stolen token cannot be used to guess the password.
  -- A wrong password returns false instead of raising: raising would roll back the recorded failure.
  if not telecom_private.check_password(
    telecom.current_mobile_no(),
    change_password.old_password,
    (select credential.password_hash from telecom_private.customer_credential as credential where credential.mobile_no = telecom.current_mobile_no())
  ) then
    return false;
  end if;
  update telecom_private.customer_credential as credential
  set password_hash = telecom_private.hash_password(change_password.new_password)
  where credential.mobile_no = telecom.current_mobile_no();
  return true;
end;
$$;

comment on function telecom.change_password(text, text) is 'Changes the password of the number the customer is logged in with. Returns true when changed, false when the current password is wrong (the failure counts like a failed login, throttled with TC220). A new password shorter than 8 characters (TC212) or longer than 72 bytes (TC221) is refused. The new password is hashed only once the current one is right.';

grant execute on function telecom.change_password(text, text) to telecom_customer;
--! EndIncluded identity/change_password.sql

-- Money accounts: the balance check written once, also used when a card payment is initiated.
--! Included accounts/assert_balance_can_hold.sql
-- An account balance is numeric(12,2): a credit that would take it past 9,999,999,999.99 is refused
-- with a money code (TC317) instead of a bare 22003. credit_account_balance checks it on the locked
-- account before it credits; record_payment checks it when a card payment is initiated, so that an
-- amount the balance cannot hold is refused before the card is charged.
create or replace function telecom_private.assert_balance_can_hold(p_mobile_no text, p_amount numeric) returns void
  language plpgsql
  stable
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  if not exists (
    select
    from telecom.customer_account as account
    where account.mobile_no = p_mobile_no
      and account.balance + p_amount <= 9999999999.99
  ) then
    raise exception 'The balance of % cannot hold % more.', p_mobile_no, p_amount using errcode = 'TC317';
  end if;
end;
$$;

comment on function telecom_private.assert_balance_can_hold(text, numeric) is 'Refuses with TC317 a credit that would take the account balance past 9,999,999,999.99 (numeric(12,2)).';
--! EndIncluded accounts/assert_balance_can_hold.sql
--! Included accounts/credit_account_balance.sql
-- Adds money to an account's balance inside a money operation, refusing an overflow of
-- numeric(12,2) with a money code instead of a bare 22003. The money operation holds the account's
-- lock, so the check still holds at the update.
create or replace function telecom_private.credit_account_balance(p_mobile_no text, p_amount numeric) returns void
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  perform telecom_private.assert_balance_can_hold(p_mobile_no, p_amount);
  update telecom.customer_account as account
  set balance = account.balance + p_amount
  where account.mobile_no = p_mobile_no;
end;
$$;
--! EndIncluded accounts/credit_account_balance.sql

-- Card reports that cannot be applied are logged for a refund, with why (the rows so far, and by
-- default, a late report of a rejected payment).
alter table telecom.card_refund add column if not exists reason text not null default 'reported_after_rejection';
alter table telecom.card_refund drop constraint if exists card_refund_reason_check;
alter table telecom.card_refund add constraint card_refund_reason_check check (reason in ('reported_after_rejection', 'balance_cannot_hold'));
--! Included payments/card_refund.sql
-- Table telecom.card_refund: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in migrations (sql/schema.sql shows them).

drop policy if exists select_admin on telecom.card_refund;
create policy select_admin on telecom.card_refund for select to telecom_admin using ((select telecom.current_role_is_admin()));

drop policy if exists update_admin on telecom.card_refund;
create policy update_admin on telecom.card_refund for update to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.card_refund from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
grant select, update (refunded_at) on telecom.card_refund to telecom_admin;

comment on table telecom.card_refund is 'Card payments to refund: the card processor took the customer''s money, but it was never applied, because the payment had been rejected before (declined, or pending too long and rejected as stale) or because the balance could not hold it. An admin refunds it through the processor and sets refunded_at.';
comment on column telecom.card_refund.payment_id is 'The rejected payment.';
comment on column telecom.card_refund.provider_reference is 'The card processor''s id of the payment, to quote when refunding.';
comment on column telecom.card_refund.amount is 'The amount to refund.';
comment on column telecom.card_refund.currency is 'The currency of the amount.';
comment on column telecom.card_refund.reported_at is 'When the successful report that could not be applied arrived.';
comment on column telecom.card_refund.reason is 'Why the money was not applied: reported_after_rejection (the payment had been rejected: declined, or stale) or balance_cannot_hold (the balance plus the amount would pass 9,999,999,999.99).';
comment on column telecom.card_refund.refunded_at is 'When an admin refunded it; null while it is owed.';
--! EndIncluded payments/card_refund.sql
--! Included payments/log_card_refund.sql
-- The one place a refund is logged (table card_refund): the card processor took money for a
-- payment that will never be applied. settle_payment logs a successful report that cannot be
-- applied (the balance cannot hold it, TC317) in its own transaction; record_card_refund logs a
-- successful report of an already rejected payment (TC322), which settle_payment refuses. A payment
-- is logged once: a repeat returns the first entry.
create or replace function telecom_private.log_card_refund(p_payment telecom.payment, p_reason text) returns telecom.card_refund
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_refund telecom.card_refund;
begin
  insert into telecom.card_refund (payment_id, provider_reference, amount, currency, reason)
  values (p_payment.payment_id, p_payment.provider_reference, p_payment.amount, p_payment.currency, p_reason)
  on conflict (payment_id) do nothing;
  select *
  into v_refund
  from telecom.card_refund as refund
  where refund.payment_id = p_payment.payment_id;
  return v_refund;
end;
$$;

comment on function telecom_private.log_card_refund(telecom.payment, text) is 'Logs a card payment whose money is owed back (table card_refund), once; returns the entry.';
--! EndIncluded payments/log_card_refund.sql
--! Included payments/record_card_refund.sql
-- Logs a card payment to refund: the processor reported it successful after it was rejected, and
-- settle_payment refused that report (TC322, which rolls back whatever its transaction wrote), so
-- the webhook (api/src/server/payments-webhook.ts) records it in a transaction of its own. Only a
-- rejected card payment can be owed; a repeat returns the first entry (log_card_refund).
create or replace function telecom.record_card_refund(provider_reference text) returns telecom.card_refund
  language plpgsql
  volatile
  strict
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_payment telecom.payment;
  v_refund telecom.card_refund;
begin
  if telecom_private.caller_role() <> 'telecom_payment_processor' and not telecom.current_role_is_admin() then
    raise exception 'Only the card processor or an admin can log a refund.' using errcode = '42501';
  end if;
  v_payment := telecom_private.card_payment_by_reference(record_card_refund.provider_reference);
  if v_payment.status <> 'rejected' then
    raise exception 'Only a rejected payment can be owed back.' using errcode = 'TC324';
  end if;
  v_refund := telecom_private.log_card_refund(v_payment, 'reported_after_rejection');
  return v_refund;
end;
$$;

comment on function telecom.record_card_refund(text) is E'@behavior -queryField -mutationField -typeField\nLogs a rejected card payment that the card processor reported successful after all: the amount is owed back to the customer (table card_refund). A repeat returns the first entry. For the card processor and admins.';

grant execute on function telecom.record_card_refund(text) to telecom_payment_processor, telecom_admin;
--! EndIncluded payments/record_card_refund.sql
--! Included payments/record_payment.sql
-- Who may pay how (SPEC §10), once for both kinds of payment. Runs inside a money operation, after
-- the account is locked. An admin or a trusted session takes cash and card at a shop: successful at
-- once. A customer cannot declare cash; their card payment is pending until the card processor
-- settles it (provider_reference is the checkout's id). A wallet payment debits the EGP wallet
-- linked to the number in the same transaction, whoever makes it. A plan payment (p_plan_id) gets
-- its process_payment row at once, also when pending; a successful payment takes effect at once,
-- and a pending one is refused when its amount could not fit the balance (TC317).
create or replace function telecom_private.record_payment(p_account telecom.customer_account, p_amount numeric, p_method telecom.payment_method, p_plan_id integer default null) returns telecom.payment
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_at_shop boolean := telecom.current_role_is_admin();
  v_wallet telecom.wallet;
  v_payment telecom.payment;
begin
  if p_method is null then
    raise exception 'Choose a payment method.' using errcode = 'TC106';
  end if;
  if p_method = 'cash' and not v_at_shop then
    raise exception 'Cash is paid at a shop: pay by card or from your wallet.' using errcode = 'TC318';
  end if;
  if p_method = 'wallet' then
    v_wallet := telecom_private.lock_payment_wallet(p_account, 'EGP');
    if v_wallet.current_balance < p_amount then
      raise exception 'Insufficient wallet balance: you have % %, the payment needs %.', v_wallet.current_balance, v_wallet.currency, p_amount using errcode = 'TC316';
    end if;
    update telecom.wallet as wallet
    set current_balance = wallet.current_balance - p_amount,
      last_modified_date = current_date
    where wallet.wallet_id = v_wallet.wallet_id;
  end if;
  insert into telecom.payment (mobile_no, amount, currency, date_of_payment, payment_method, status, provider_reference)
  values (
    p_account.mobile_no,
    p_amount,
    'EGP',
    current_date,
    p_method,
    case when p_method = 'credit' and not v_at_shop then 'pending' else 'successful' end::telecom.payment_status,
    case when p_method = 'credit' and not v_at_shop then 'chk_' || gen_random_uuid() end
  )
  returning * into v_payment;
  if p_plan_id is not null then
    -- remaining_balance and extra_amount are computed by the trigger from the amount and the price.
    insert into telecom.process_payment (payment_id, plan_id, remaining_balance, extra_amount)
    values (v_payment.payment_id, p_plan_id, 0, 0);
  end if;
  if v_payment.status = 'successful' then
    perform telecom_private.apply_successful_payment(v_payment);
  else
    -- A pending card payment takes effect when the processor reports it, after the card is charged:
    -- what it will credit to the balance (a recharge's amount, a plan payment's extra) must fit now,
    -- or the customer is charged for money the balance cannot take (TC317).
    perform telecom_private.assert_balance_can_hold(
      p_account.mobile_no,
      coalesce(
        (select process.extra_amount from telecom.process_payment as process where process.payment_id = v_payment.payment_id),
        v_payment.amount
      )
    );
  end if;
  return v_payment;
end;
$$;

comment on function telecom_private.record_payment(telecom.customer_account, numeric, telecom.payment_method, integer) is 'Records a payment of the (locked) account, for a plan or not, as SPEC §10 allows the caller: successful at once (and applied), or pending for a customer''s card; debits the wallet for a wallet payment.';
--! EndIncluded payments/record_payment.sql
--! Included payments/settle_payment.sql
-- The card processor's report of a card payment: a pending payment becomes successful or rejected,
-- once. Its effects (balance, plan renewal with paid_until, the extra to the balance, cashback
-- eligibility) happen when it becomes successful, through apply_successful_payment. The
-- provider_reference is the report's own idempotency key: a second report with the same outcome
-- returns the payment unchanged, one with the other outcome is refused (TC321, TC322; the webhook
-- logs a late success for a refund with record_card_refund). A successful report that cannot be
-- applied, because the balance cannot hold the money (TC317, although initiation checked it: the
-- balance grew since), rejects the payment and logs its refund (card_refund), and the rejected
-- payment is returned, not raised, so that the log is committed; the same report again gets the
-- same answer. Locks: the account, then the
-- payment, for no key update; the status is checked again under the lock, so a report racing
-- another report or reject_stale_payments settles the payment once.
create or replace function telecom.settle_payment(provider_reference text, outcome telecom.payment_status) returns telecom.payment
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_payment telecom.payment;
  v_refunded boolean := false;
begin
  if telecom_private.caller_role() <> 'telecom_payment_processor' and not telecom.current_role_is_admin() then
    raise exception 'Only the card processor or an admin can settle a payment.' using errcode = '42501';
  end if;
  if settle_payment.outcome is null or settle_payment.outcome = 'pending' then
    raise exception 'A payment is settled as successful or rejected.' using errcode = 'TC323';
  end if;
  v_payment := telecom_private.card_payment_by_reference(settle_payment.provider_reference);
  if v_payment.status = 'pending' then
    perform telecom_private.begin_money_operation(
      'settle_payment',
      null,
      jsonb_build_object('provider_reference', settle_payment.provider_reference, 'outcome', settle_payment.outcome)
    );
    perform
    from telecom.customer_account as account
    where account.mobile_no = v_payment.mobile_no
    for no key update;
    select *
    into v_payment
    from telecom.payment as payment
    where payment.payment_id = v_payment.payment_id
    for no key update;
    if v_payment.status = 'pending' then
      begin
        update telecom.payment as payment
        set status = settle_payment.outcome
        where payment.payment_id = v_payment.payment_id
        returning * into v_payment;
        if v_payment.status = 'successful' then
          perform telecom_private.apply_successful_payment(v_payment);
        end if;
      exception
        when sqlstate 'TC317' then
          -- The card was charged but the balance cannot hold the money: the payment can never be
          -- applied, so it is rejected and its refund logged in this transaction, which commits
          -- (raising would roll the log back with it).
          update telecom.payment as payment
          set status = 'rejected'
          where payment.payment_id = v_payment.payment_id
          returning * into v_payment;
          perform telecom_private.log_card_refund(v_payment, 'balance_cannot_hold');
          v_refunded := true;
      end;
    end if;
    perform telecom_private.finish_money_operation(to_jsonb(v_payment));
  end if;
  -- A successful report answered with a refund, sent again, gets the same answer (the processor
  -- retries; the webhook's select also evaluates the function once per column).
  if v_payment.status = settle_payment.outcome
    or v_refunded
    or (
      settle_payment.outcome = 'successful'
      and exists (
        select
        from telecom.card_refund as refund
        where refund.payment_id = v_payment.payment_id
          and refund.reason = 'balance_cannot_hold'
      )
    ) then
    return v_payment;
  end if;
  if v_payment.status = 'successful' then
    raise exception 'The payment % was already successful: it cannot be rejected now.', v_payment.provider_reference using errcode = 'TC321';
  end if;
  raise exception 'The payment % was already rejected (declined, or pending too long): a successful report now is refused and the amount must be refunded.', v_payment.provider_reference using errcode = 'TC322';
end;
$$;

comment on function telecom.settle_payment(text, telecom.payment_status) is 'The card processor''s report of a card payment: the pending payment with that provider_reference becomes successful (its effects applied once) or rejected. A repeat with the same outcome returns the payment unchanged; the other outcome is refused (TC321, TC322). A successful report whose money the balance cannot hold rejects the payment and logs it for a refund (card_refund); the rejected payment is returned, also to a repeat of that report. For the card processor and admins.';

grant execute on function telecom.settle_payment(text, telecom.payment_status) to telecom_payment_processor, telecom_admin;
--! EndIncluded payments/settle_payment.sql

-- Cashback only on money that came in from outside (TC117).
--! Included benefits/payment_wallet_cashback.sql
-- Credits 10% of a successful payment as cashback (SPEC §4.3): through a benefit of the account that
-- counts (active and unexpired), to the owner's wallet in the payment's currency, once per payment,
-- ever. The benefit is locked (for share) so that it cannot be ended or deleted while it pays.
-- Only money that came in from outside earns it (cash or card): a payment made from the wallet would
-- pay cashback back into the wallet it came from, and a top-up and its cashback, repeated, would
-- make money out of nothing (TC117).
create or replace function telecom.payment_wallet_cashback(mobile_no text, payment_id integer, benefit_id integer, idempotency_key uuid default null) returns telecom.cashback
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_account telecom.customer_account;
  v_wallet telecom.wallet;
  v_payment telecom.payment;
  v_benefit telecom.benefit;
  v_amount numeric(12, 2);
  v_cashback telecom.cashback;
begin
  call telecom_private.begin_account_money_operation(
    'payment_wallet_cashback',
    payment_wallet_cashback.idempotency_key,
    jsonb_build_object('mobile_no', mobile_no, 'payment_id', payment_id, 'benefit_id', benefit_id),
    payment_wallet_cashback.mobile_no,
    v_cashback,
    v_account
  );
  if v_account is null then
    return v_cashback;
  end if;
  select *
  into v_payment
  from telecom.payment as payment
  where payment.payment_id = payment_wallet_cashback.payment_id
    and payment.mobile_no = v_account.mobile_no;
  if not found then
    raise exception 'Payment % is not a payment of %.', payment_wallet_cashback.payment_id, v_account.mobile_no using errcode = 'TC110';
  end if;
  v_wallet := telecom_private.lock_payment_wallet(v_account, v_payment.currency);
  -- Locked after the wallet: account, wallet, then payment (SPEC §10's order).
  select *
  into v_payment
  from telecom.payment as payment
  where payment.payment_id = v_payment.payment_id
  for no key update;
  if v_payment.status <> 'successful' then
    raise exception 'Payment % is %, only successful payments earn cashback.', v_payment.payment_id, v_payment.status using errcode = 'TC111';
  end if;
  if v_payment.payment_method not in ('cash', 'credit') then
    raise exception 'Payment % was made from the wallet: only cash and card payments earn cashback, or money would loop through the wallet.', v_payment.payment_id using errcode = 'TC117';
  end if;
  select *
  into v_benefit
  from telecom.benefit as benefit
  where benefit.benefit_id = payment_wallet_cashback.benefit_id
    and benefit.mobile_no = v_account.mobile_no
  for share;
  if not found then
    raise exception 'Benefit % is not a benefit of %.', payment_wallet_cashback.benefit_id, v_account.mobile_no using errcode = 'TC112';
  end if;
  if v_benefit.status <> 'active' or v_benefit.validity_date < current_date then
    raise exception 'Benefit % has ended.', v_benefit.benefit_id using errcode = 'TC113';
  end if;
  if exists (select from telecom.cashback as cashback where cashback.payment_id = v_payment.payment_id) then
    raise exception 'Payment % has already earned cashback.', v_payment.payment_id using errcode = 'TC114';
  end if;
  v_amount := telecom_private.cashback_amount(v_payment.amount);
  if v_amount = 0 then
    raise exception 'Payment % is too small to earn cashback.', v_payment.payment_id using errcode = 'TC116';
  end if;
  perform telecom_private.credit_wallet(v_wallet.wallet_id, v_amount);
  insert into telecom.cashback (benefit_id, wallet_id, amount, credit_date, payment_id)
  values (v_benefit.benefit_id, v_wallet.wallet_id, v_amount, current_date, v_payment.payment_id)
  returning * into v_cashback;
  perform telecom_private.finish_money_operation(to_jsonb(v_cashback));
  return v_cashback;
end;
$$;

comment on function telecom.payment_wallet_cashback(text, integer, integer, uuid) is 'Credits 10% of a successful payment of the account (rounded to the cent) as cashback, through one of the account''s benefits that counts (active, unexpired), to the owner''s wallet in the payment''s currency (the one linked to the number first). Only cash and card payments earn it: a payment made from the wallet is refused (TC117). A payment earns cashback once, ever. A repeat with the same idempotency_key returns the first credit.';

grant execute on function telecom.payment_wallet_cashback(text, integer, integer, uuid) to telecom_customer, telecom_admin;
--! EndIncluded benefits/payment_wallet_cashback.sql

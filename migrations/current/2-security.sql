-- Security of SPEC §2 and §5 (issue 4): grants and row-level security policies on tables, logins, JWT.

drop type if exists telecom.jwt_token cascade;

-- What a signed token carries; PostGraphile signs any function result of this type (pgJwtTypes).
create type telecom.jwt_token as (
  role text,
  exp bigint,
  mobile_no text,
  national_id integer,
  admin_id integer
);
comment on type telecom.jwt_token is 'A login token: the API role, the identity claims and the expiry (seconds since the epoch).';

--------------------------------------------------------------------------------
-- Row-level security: who sees and changes which rows (SPEC §2, §3 "Ownership").
-- A customer is a person: their rows are those linked to any account of their national_id, and
-- their wallets. Anonymous visitors read only the catalogue (plans and shops). Admins manage
-- everything, except balances and points, which only the operations of 1-operations.sql move.

drop policy if exists select_own on telecom.customer_profile;
drop policy if exists update_own on telecom.customer_profile;
drop policy if exists manage_admin on telecom.customer_profile;
drop policy if exists select_own on telecom.customer_account;
drop policy if exists manage_admin on telecom.customer_account;
drop policy if exists select_all on telecom.service_plan;
drop policy if exists manage_admin on telecom.service_plan;
drop policy if exists select_own on telecom.subscription;
drop policy if exists manage_admin on telecom.subscription;
drop policy if exists select_own on telecom.plan_usage;
drop policy if exists manage_admin on telecom.plan_usage;
drop policy if exists select_own on telecom.payment;
drop policy if exists manage_admin on telecom.payment;
drop policy if exists select_own on telecom.process_payment;
drop policy if exists manage_admin on telecom.process_payment;
drop policy if exists select_own on telecom.wallet;
drop policy if exists manage_admin on telecom.wallet;
drop policy if exists select_own on telecom.transfer_money;
drop policy if exists manage_admin on telecom.transfer_money;
drop policy if exists select_own on telecom.benefit;
drop policy if exists manage_admin on telecom.benefit;
drop policy if exists select_own on telecom.points_group;
drop policy if exists manage_admin on telecom.points_group;
drop policy if exists select_own on telecom.exclusive_offer;
drop policy if exists manage_admin on telecom.exclusive_offer;
drop policy if exists select_own on telecom.cashback;
drop policy if exists manage_admin on telecom.cashback;
drop policy if exists select_own on telecom.plan_provides_benefits;
drop policy if exists manage_admin on telecom.plan_provides_benefits;
drop policy if exists select_all on telecom.shop;
drop policy if exists manage_admin on telecom.shop;
drop policy if exists select_all on telecom.physical_shop;
drop policy if exists manage_admin on telecom.physical_shop;
drop policy if exists select_all on telecom.e_shop;
drop policy if exists manage_admin on telecom.e_shop;
drop policy if exists select_own on telecom.voucher;
drop policy if exists manage_admin on telecom.voucher;
drop policy if exists select_own on telecom.technical_support_ticket;
drop policy if exists manage_admin on telecom.technical_support_ticket;

-- The numbers of the logged-in person: the one subquery every "own" policy starts from.
create or replace function telecom.current_mobile_nos() returns setof text
  language sql
  stable
as $$
  select account.mobile_no
  from telecom.customer_account as account
  where account.national_id = telecom.current_national_id()
$$;
comment on function telecom.current_mobile_nos() is E'@behavior -queryField -mutationField -typeField\nEvery mobile number of the logged-in customer (a person may hold several).';
grant execute on function telecom.current_mobile_nos() to telecom_customer, telecom_admin;

create policy select_own on telecom.customer_profile for select to telecom_customer using (national_id = telecom.current_national_id());
create policy update_own on telecom.customer_profile for update to telecom_customer using (national_id = telecom.current_national_id());
create policy manage_admin on telecom.customer_profile for all to telecom_admin using (true);
grant select, update (email, address) on telecom.customer_profile to telecom_customer;
grant select, insert, update, delete on telecom.customer_profile to telecom_admin;

create policy select_own on telecom.customer_account for select to telecom_customer using (national_id = telecom.current_national_id());
create policy manage_admin on telecom.customer_account for all to telecom_admin using (true);
grant select on telecom.customer_account to telecom_customer;
grant select, delete on telecom.customer_account to telecom_admin;
grant insert (mobile_no, national_id, account_type, start_date, status) on telecom.customer_account to telecom_admin;
grant update (national_id, account_type, start_date, status) on telecom.customer_account to telecom_admin;

create policy select_all on telecom.service_plan for select using (true);
create policy manage_admin on telecom.service_plan for all to telecom_admin using (true);
grant select on telecom.service_plan to telecom_anonymous, telecom_customer;
grant select, insert, update, delete on telecom.service_plan to telecom_admin;

create policy select_own on telecom.subscription for select to telecom_customer using (mobile_no in (select telecom.current_mobile_nos()));
create policy manage_admin on telecom.subscription for all to telecom_admin using (true);
grant select on telecom.subscription to telecom_customer;
grant select, insert, update, delete on telecom.subscription to telecom_admin;

create policy select_own on telecom.plan_usage for select to telecom_customer using (mobile_no in (select telecom.current_mobile_nos()));
create policy manage_admin on telecom.plan_usage for all to telecom_admin using (true);
grant select on telecom.plan_usage to telecom_customer;
grant select, insert, update, delete on telecom.plan_usage to telecom_admin;

-- Payments are made through initiate_plan_payment and initiate_balance_payment; an admin may only
-- correct a payment's status (e.g. settle a pending one).
create policy select_own on telecom.payment for select to telecom_customer using (mobile_no in (select telecom.current_mobile_nos()));
create policy manage_admin on telecom.payment for all to telecom_admin using (true);
grant select on telecom.payment to telecom_customer;
grant select, update (status) on telecom.payment to telecom_admin;

create policy select_own on telecom.process_payment for select to telecom_customer using (payment_id in (select payment.payment_id from telecom.payment as payment));
create policy manage_admin on telecom.process_payment for all to telecom_admin using (true);
grant select on telecom.process_payment to telecom_customer;
grant select on telecom.process_payment to telecom_admin;

create policy select_own on telecom.wallet for select to telecom_customer using (national_id = telecom.current_national_id());
create policy manage_admin on telecom.wallet for all to telecom_admin using (true);
grant select on telecom.wallet to telecom_customer;
grant select on telecom.wallet to telecom_admin;
grant insert (national_id, mobile_no, currency) on telecom.wallet to telecom_admin;

-- `= any (array(...))` rather than `in (...)`: each side of the `or` can then use its index.
create policy select_own on telecom.transfer_money for select to telecom_customer using (from_wallet_id = any (array(select wallet.wallet_id from telecom.wallet as wallet)) or to_wallet_id = any (array(select wallet.wallet_id from telecom.wallet as wallet)));
create policy manage_admin on telecom.transfer_money for all to telecom_admin using (true);
grant select on telecom.transfer_money to telecom_customer;
grant select on telecom.transfer_money to telecom_admin;

create policy select_own on telecom.benefit for select to telecom_customer using (mobile_no in (select telecom.current_mobile_nos()));
create policy manage_admin on telecom.benefit for all to telecom_admin using (true);
grant select on telecom.benefit to telecom_customer;
grant select, insert, update, delete on telecom.benefit to telecom_admin;

create policy select_own on telecom.points_group for select to telecom_customer using (benefit_id in (select benefit.benefit_id from telecom.benefit as benefit));
create policy manage_admin on telecom.points_group for all to telecom_admin using (true);
grant select on telecom.points_group to telecom_customer;
grant select, insert, update, delete on telecom.points_group to telecom_admin;

create policy select_own on telecom.exclusive_offer for select to telecom_customer using (benefit_id in (select benefit.benefit_id from telecom.benefit as benefit));
create policy manage_admin on telecom.exclusive_offer for all to telecom_admin using (true);
grant select on telecom.exclusive_offer to telecom_customer;
grant select, insert, update, delete on telecom.exclusive_offer to telecom_admin;

-- Cashback is credited only by payment_wallet_cashback (it moves money into a wallet).
create policy select_own on telecom.cashback for select to telecom_customer using (wallet_id = any (array(select wallet.wallet_id from telecom.wallet as wallet)) or benefit_id = any (array(select benefit.benefit_id from telecom.benefit as benefit)));
create policy manage_admin on telecom.cashback for all to telecom_admin using (true);
grant select on telecom.cashback to telecom_customer;
grant select on telecom.cashback to telecom_admin;

create policy select_own on telecom.plan_provides_benefits for select to telecom_customer using (benefit_id in (select benefit.benefit_id from telecom.benefit as benefit));
create policy manage_admin on telecom.plan_provides_benefits for all to telecom_admin using (true);
grant select on telecom.plan_provides_benefits to telecom_customer;
grant select, insert, delete on telecom.plan_provides_benefits to telecom_admin;

create policy select_all on telecom.shop for select using (true);
create policy manage_admin on telecom.shop for all to telecom_admin using (true);
grant select on telecom.shop to telecom_anonymous, telecom_customer;
grant select, insert, update, delete on telecom.shop to telecom_admin;

create policy select_all on telecom.physical_shop for select using (true);
create policy manage_admin on telecom.physical_shop for all to telecom_admin using (true);
grant select on telecom.physical_shop to telecom_anonymous, telecom_customer;
grant select, insert, update, delete on telecom.physical_shop to telecom_admin;

create policy select_all on telecom.e_shop for select using (true);
create policy manage_admin on telecom.e_shop for all to telecom_admin using (true);
grant select on telecom.e_shop to telecom_anonymous, telecom_customer;
grant select, insert, update, delete on telecom.e_shop to telecom_admin;

-- A customer sees the vouchers on offer (unredeemed) and those they redeemed; redeeming goes through
-- redeem_voucher_points, so no API role writes the redemption columns.
create policy select_own on telecom.voucher for select to telecom_customer using (mobile_no is null or mobile_no in (select telecom.current_mobile_nos()));
create policy manage_admin on telecom.voucher for all to telecom_admin using (true);
grant select on telecom.voucher to telecom_customer;
grant select, delete on telecom.voucher to telecom_admin;
grant insert (value, expiry_date, points, shop_id), update (value, expiry_date, points, shop_id) on telecom.voucher to telecom_admin;

create policy select_own on telecom.technical_support_ticket for select to telecom_customer using (mobile_no in (select telecom.current_mobile_nos()));
create policy manage_admin on telecom.technical_support_ticket for all to telecom_admin using (true);
grant select on telecom.technical_support_ticket to telecom_customer;
grant select, insert, update, delete on telecom.technical_support_ticket to telecom_admin;

-- Admins create rows with generated ids; nobody else inserts directly.
grant usage on all sequences in schema telecom to telecom_admin;

-- Admin reports (SPEC §4.1).
grant select on telecom.all_customer_accounts, telecom.all_service_plans, telecom.all_benefits, telecom.account_payments, telecom.all_shops, telecom.all_resolved_tickets, telecom.customer_wallet, telecom.e_shop_vouchers, telecom.physical_store_vouchers, telecom.num_of_cashback to telecom_admin;

--------------------------------------------------------------------------------
-- Logins (SPEC §5): bcrypt hashes in telecom_private, tokens signed by PostGraphile (pgJwtTypes).

drop function if exists telecom.change_password(text, text);
drop function if exists telecom.register_customer(integer, text, text, text, date, text, text);
drop function if exists telecom.account_login_validation(text, text);
drop function if exists telecom_private.check_password(text, text, text);
drop table if exists telecom_private.login_failure;

-- Failed logins of the last 15 minutes, per login (a mobile number, or 'admin:' || username).
create table telecom_private.login_failure (
  login text not null,
  failed_at timestamptz not null default now()
);
create index login_failure_login_idx on telecom_private.login_failure (login, failed_at);
comment on table telecom_private.login_failure is 'Failed login attempts; five within 15 minutes lock the login until the window passes.';
comment on column telecom_private.login_failure.login is 'The mobile number, or ''admin:'' followed by the username.';
comment on column telecom_private.login_failure.failed_at is 'When the attempt failed.';

-- The one password check behind every login: throttled, constant work whether or not the login
-- exists (a dummy hash is checked when there is none), failures recorded, successes clear them.
create function telecom_private.check_password(p_login text, p_password text, p_hash text) returns boolean
  language plpgsql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_valid boolean;
begin
  -- Attempts on one login queue up, so concurrent guesses cannot all pass the count below.
  perform pg_advisory_xact_lock(hashtext('login:' || p_login));
  delete from telecom_private.login_failure as failure
  where failure.login = p_login
    and failure.failed_at < now() - interval '15 minutes';
  if (select count(*) from telecom_private.login_failure as failure where failure.login = p_login) >= 5 then
    raise exception 'Too many failed attempts: try again in 15 minutes.' using errcode = 'TC203';
  end if;
  v_valid := public.crypt(coalesce(p_password, ''), coalesce(p_hash, public.gen_salt('bf', 10))) = coalesce(p_hash, '-');
  if v_valid then
    delete from telecom_private.login_failure as failure where failure.login = p_login;
  else
    insert into telecom_private.login_failure (login) values (p_login);
  end if;
  return v_valid;
end;
$$;

create function telecom.account_login_validation(mobile_no text, password text) returns boolean
  language sql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
  select telecom_private.check_password(
    account_login_validation.mobile_no,
    account_login_validation.password,
    (select credential.password_hash from telecom_private.customer_credential as credential where credential.mobile_no = account_login_validation.mobile_no)
  )
$$;
comment on function telecom.account_login_validation(text, text) is 'Whether the mobile number and password match. Throttled like a login: after 5 failures in 15 minutes it refuses (TC203) until the window passes.';

create function telecom.authenticate(mobile_no text, password text) returns telecom.jwt_token
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_account telecom.customer_account;
begin
  if not telecom.account_login_validation(authenticate.mobile_no, authenticate.password) then
    return null;
  end if;
  select * into v_account from telecom.customer_account as account where account.mobile_no = authenticate.mobile_no;
  return ('telecom_customer', extract(epoch from now() + interval '1 hour')::bigint, v_account.mobile_no, v_account.national_id, null)::telecom.jwt_token;
end;
$$;
comment on function telecom.authenticate(text, text) is 'Logs a customer in with their mobile number and password; returns a token valid for one hour, or null when the pair is wrong. Throttled: after 5 failures in 15 minutes the number is refused (TC203) for the rest of the window.';

create function telecom.authenticate_admin(username text, password text) returns telecom.jwt_token
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_admin telecom_private.admin_user;
begin
  select * into v_admin from telecom_private.admin_user as admin where admin.username = authenticate_admin.username::public.citext;
  if not telecom_private.check_password('admin:' || lower(coalesce(authenticate_admin.username, '')), authenticate_admin.password, v_admin.password_hash) then
    return null;
  end if;
  return ('telecom_admin', extract(epoch from now() + interval '1 hour')::bigint, null, null, v_admin.admin_id)::telecom.jwt_token;
end;
$$;
comment on function telecom.authenticate_admin(text, text) is 'Logs an admin in; returns a token valid for one hour, or null when the pair is wrong. Throttled like customer logins.';

create function telecom.register_customer(national_id integer, first_name text, last_name text, email text, date_of_birth date, mobile_no text, password text) returns telecom.jwt_token
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  if length(coalesce(register_customer.password, '')) < 8 then
    raise exception 'The password must have at least 8 characters.' using errcode = 'TC212';
  end if;
  if exists (select from telecom.customer_profile as profile where profile.national_id = register_customer.national_id) then
    raise exception 'This national id is already registered: log in instead.' using errcode = 'TC210';
  end if;
  if exists (select from telecom.customer_account as account where account.mobile_no = register_customer.mobile_no) then
    raise exception 'The mobile number % is already in use.', register_customer.mobile_no using errcode = 'TC211';
  end if;
  insert into telecom.customer_profile (national_id, first_name, last_name, email, date_of_birth)
  values (register_customer.national_id, btrim(register_customer.first_name), btrim(register_customer.last_name), nullif(btrim(register_customer.email), ''), register_customer.date_of_birth);
  insert into telecom.customer_account (mobile_no, national_id, account_type, start_date, status)
  values (register_customer.mobile_no, register_customer.national_id, 'prepaid', current_date, 'active');
  insert into telecom_private.customer_credential (mobile_no, password_hash)
  values (register_customer.mobile_no, public.crypt(register_customer.password, public.gen_salt('bf', 10)));
  return ('telecom_customer', extract(epoch from now() + interval '1 hour')::bigint, register_customer.mobile_no, register_customer.national_id, null)::telecom.jwt_token;
end;
$$;
comment on function telecom.register_customer(integer, text, text, text, date, text, text) is 'Registers a new customer: their profile, a prepaid account for the mobile number and its password (at least 8 characters); returns a login token.';

create function telecom.change_password(old_password text, new_password text) returns boolean
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  if telecom.current_mobile_no() is null then
    raise exception 'Log in as a customer to change your password.' using errcode = '42501';
  end if;
  if length(coalesce(change_password.new_password, '')) < 8 then
    raise exception 'The new password must have at least 8 characters.' using errcode = 'TC212';
  end if;
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
  set password_hash = public.crypt(change_password.new_password, public.gen_salt('bf', 10))
  where credential.mobile_no = telecom.current_mobile_no();
  return true;
end;
$$;
comment on function telecom.change_password(text, text) is 'Changes the password of the number the customer is logged in with. Returns true when changed, false when the current password is wrong (the failure counts like a failed login: after 5 in 15 minutes it refuses with TC203). A new password shorter than 8 characters is refused with TC212.';

grant execute on function telecom.account_login_validation(text, text) to telecom_anonymous, telecom_customer, telecom_admin;
grant execute on function telecom.authenticate(text, text) to telecom_anonymous, telecom_customer, telecom_admin;
grant execute on function telecom.authenticate_admin(text, text) to telecom_anonymous, telecom_customer, telecom_admin;
grant execute on function telecom.register_customer(integer, text, text, text, date, text, text) to telecom_anonymous;
grant execute on function telecom.change_password(text, text) to telecom_customer;

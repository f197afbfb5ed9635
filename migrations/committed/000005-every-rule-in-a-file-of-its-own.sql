--! Previous: sha1:3d0eb9bf18c2ab439bf2f15bb758f60193987045
--! Hash: sha1:62286ec7456602625a22d93b47d73c022a7cfb07
--! Message: Every rule in a file of its own

--! split: 01-identity.sql
-- Identity and access: claims, access checks, logins: every rule re-declared from its file in migrations/fixtures/identity/.
--! Included identity/current_mobile_no.sql
create or replace function telecom.current_mobile_no() returns text
  language sql
  stable
as $$
  select nullif(current_setting('jwt.claims.mobile_no', true), '')
$$;

comment on function telecom.current_mobile_no() is 'The mobile number the logged-in customer signed in with; null for admins and visitors.';

grant execute on function telecom.current_mobile_no() to telecom_anonymous, telecom_customer, telecom_admin;
--! EndIncluded identity/current_mobile_no.sql
--! Included identity/current_national_id.sql
create or replace function telecom.current_national_id() returns integer
  language sql
  stable
as $$
  select nullif(current_setting('jwt.claims.national_id', true), '')::integer
$$;

comment on function telecom.current_national_id() is 'The national id of the logged-in customer; null for admins and visitors.';

grant execute on function telecom.current_national_id() to telecom_anonymous, telecom_customer, telecom_admin;
--! EndIncluded identity/current_national_id.sql
--! Included identity/current_role_is_admin.sql
create or replace function telecom.current_role_is_admin() returns boolean
  language sql
  stable
as $$
  select coalesce(nullif(current_setting('jwt.claims.admin_id', true), '') is not null, false)
$$;

comment on function telecom.current_role_is_admin() is 'Whether the request comes from a logged-in admin.';

grant execute on function telecom.current_role_is_admin() to telecom_anonymous, telecom_customer, telecom_admin;
--! EndIncluded identity/current_role_is_admin.sql
--! Included identity/customer_credential.sql
-- Table telecom_private.customer_credential: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

comment on table telecom_private.customer_credential is 'Login of a customer account: a bcrypt hash of its password.';
comment on column telecom_private.customer_credential.mobile_no is 'The account that logs in with this password.';
comment on column telecom_private.customer_credential.password_hash is 'bcrypt hash (crypt() with gen_salt(''bf'')).';
--! EndIncluded identity/customer_credential.sql
--! Included identity/admin_user.sql
-- Table telecom_private.admin_user: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

comment on table telecom_private.admin_user is 'An administrator of the operator.';
comment on column telecom_private.admin_user.admin_id is 'Identifier of the admin.';
comment on column telecom_private.admin_user.username is 'Login name, case-insensitive.';
comment on column telecom_private.admin_user.password_hash is 'bcrypt hash (crypt() with gen_salt(''bf'')).';
--! EndIncluded identity/admin_user.sql
--! Included identity/assert_account_access.sql
create or replace function telecom.assert_account_access(mobile_no text) returns boolean
  language plpgsql
  stable
as $$
begin
  if telecom.current_role_is_admin() then
    return true;
  end if;
  if exists (
    select
    from telecom.customer_account as account
    where account.mobile_no = assert_account_access.mobile_no
      and account.national_id = telecom.current_national_id()
  ) then
    return true;
  end if;
  raise exception 'You can only use your own mobile numbers.' using errcode = '42501';
end;
$$;

comment on function telecom.assert_account_access(text) is E'@behavior -queryField -mutationField -typeField\nTrue when the caller is an admin or owns the account; raises 42501 otherwise.';

grant execute on function telecom.assert_account_access(text) to telecom_customer, telecom_admin;
--! EndIncluded identity/assert_account_access.sql
--! Included identity/assert_person_access.sql
create or replace function telecom.assert_person_access(national_id integer) returns boolean
  language plpgsql
  stable
as $$
begin
  if telecom.current_role_is_admin() or assert_person_access.national_id = telecom.current_national_id() then
    return true;
  end if;
  raise exception 'You can only see your own data.' using errcode = '42501';
end;
$$;

comment on function telecom.assert_person_access(integer) is E'@behavior -queryField -mutationField -typeField\nTrue when the caller is an admin or is that person; raises 42501 otherwise.';

grant execute on function telecom.assert_person_access(integer) to telecom_customer, telecom_admin;
--! EndIncluded identity/assert_person_access.sql
--! Included identity/current_mobile_nos.sql
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
alter function telecom.current_mobile_nos() rows 3;

grant execute on function telecom.current_mobile_nos() to telecom_customer, telecom_admin;
--! EndIncluded identity/current_mobile_nos.sql
--! Included identity/login_failure.sql
-- Table telecom_private.login_failure: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

comment on table telecom_private.login_failure is 'Failed login attempts; five within 15 minutes lock the login until the window passes.';
comment on column telecom_private.login_failure.login is 'The mobile number, or ''admin:'' followed by the username.';
comment on column telecom_private.login_failure.failed_at is 'When the attempt failed.';
--! EndIncluded identity/login_failure.sql
--! Included identity/check_password.sql
-- The one password check behind every login: throttled, constant work whether or not the login
-- exists (a dummy hash is checked when there is none), failures recorded, successes clear them.
create or replace function telecom_private.check_password(p_login text, p_password text, p_hash text) returns boolean
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
--! EndIncluded identity/check_password.sql
--! Included identity/account_login_validation.sql
create or replace function telecom.account_login_validation(mobile_no text, password text) returns boolean
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

grant execute on function telecom.account_login_validation(text, text) to telecom_anonymous, telecom_customer, telecom_admin;
--! EndIncluded identity/account_login_validation.sql
--! Included identity/authenticate.sql
create or replace function telecom.authenticate(mobile_no text, password text) returns telecom.jwt_token
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

grant execute on function telecom.authenticate(text, text) to telecom_anonymous, telecom_customer, telecom_admin;
--! EndIncluded identity/authenticate.sql
--! Included identity/authenticate_admin.sql
create or replace function telecom.authenticate_admin(username text, password text) returns telecom.jwt_token
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

grant execute on function telecom.authenticate_admin(text, text) to telecom_anonymous, telecom_customer, telecom_admin;
--! EndIncluded identity/authenticate_admin.sql
--! Included identity/register_customer.sql
create or replace function telecom.register_customer(national_id integer, first_name text, last_name text, email text, date_of_birth date, mobile_no text, password text) returns telecom.jwt_token
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

grant execute on function telecom.register_customer(integer, text, text, text, date, text, text) to telecom_anonymous;
--! EndIncluded identity/register_customer.sql
--! Included identity/change_password.sql
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

grant execute on function telecom.change_password(text, text) to telecom_customer;
--! EndIncluded identity/change_password.sql

--! split: 02-accounts.sql
-- Accounts and customer profiles: every rule re-declared from its file in migrations/fixtures/accounts/.
--! Included accounts/customer_profile.sql
-- Table telecom.customer_profile: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.customer_profile;
create policy select_own on telecom.customer_profile for select to telecom_customer using (national_id = telecom.current_national_id());

drop policy if exists update_own on telecom.customer_profile;
create policy update_own on telecom.customer_profile for update to telecom_customer using (national_id = telecom.current_national_id());

drop policy if exists manage_admin on telecom.customer_profile;
create policy manage_admin on telecom.customer_profile for all to telecom_admin using (true);

grant select, update (email, address) on telecom.customer_profile to telecom_customer;
grant select, insert, update, delete on telecom.customer_profile to telecom_admin;

comment on table telecom.customer_profile is 'A customer: one person, identified by their national id, who may hold several mobile accounts.';
comment on column telecom.customer_profile.national_id is 'The national id number of the person; the key of the customer.';
comment on column telecom.customer_profile.first_name is 'Given name.';
comment on column telecom.customer_profile.last_name is 'Family name.';
comment on column telecom.customer_profile.email is 'E-mail address, unique regardless of letter case; optional.';
comment on column telecom.customer_profile.address is 'Postal address; optional.';
comment on column telecom.customer_profile.date_of_birth is 'Date of birth.';
--! EndIncluded accounts/customer_profile.sql
--! Included accounts/customer_account.sql
-- Table telecom.customer_account: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.customer_account;
create policy select_own on telecom.customer_account for select to telecom_customer using (national_id = telecom.current_national_id());

drop policy if exists manage_admin on telecom.customer_account;
create policy manage_admin on telecom.customer_account for all to telecom_admin using (true);

grant select on telecom.customer_account to telecom_customer;
grant select, delete on telecom.customer_account to telecom_admin;
grant insert (mobile_no, national_id, account_type, start_date, status) on telecom.customer_account to telecom_admin;
grant update (national_id, account_type, start_date, status) on telecom.customer_account to telecom_admin;

comment on table telecom.customer_account is 'A mobile line (an account) of a customer.';
comment on column telecom.customer_account.mobile_no is 'The 11-digit mobile number; the key of the account.';
comment on column telecom.customer_account.national_id is 'The customer who owns the account.';
comment on column telecom.customer_account.balance is 'Money on the account; never negative unless the account is post-paid.';
comment on column telecom.customer_account.account_type is 'How the account is billed.';
comment on column telecom.customer_account.start_date is 'The day the line was opened.';
comment on column telecom.customer_account.status is 'Whether the account is active or on hold.';
comment on column telecom.customer_account.points is 'Loyalty points available to spend on vouchers.';
--! EndIncluded accounts/customer_account.sql
--! Included accounts/lock_active_account.sql
-- Locks the account (always the first lock a writing operation takes) after checking the caller may
-- use it and that it exists and is active.
create or replace function telecom_private.lock_active_account(p_mobile_no text) returns telecom.customer_account
  language plpgsql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_account telecom.customer_account;
begin
  perform telecom.assert_account_access(p_mobile_no);
  select *
  into v_account
  from telecom.customer_account as account
  where account.mobile_no = p_mobile_no
  for update;
  if not found then
    raise exception 'There is no account with mobile number %.', p_mobile_no using errcode = 'TC101';
  end if;
  if v_account.status <> 'active' then
    raise exception 'The account % is on hold.', p_mobile_no using errcode = 'TC103';
  end if;
  return v_account;
end;
$$;
--! EndIncluded accounts/lock_active_account.sql

--! split: 03-plans.sql
-- Service plans and subscriptions: every rule re-declared from its file in migrations/fixtures/plans/.
--! Included plans/service_plan.sql
-- Table telecom.service_plan: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_all on telecom.service_plan;
create policy select_all on telecom.service_plan for select using (true);

drop policy if exists manage_admin on telecom.service_plan;
create policy manage_admin on telecom.service_plan for all to telecom_admin using (true);

grant select on telecom.service_plan to telecom_anonymous, telecom_customer;
grant select, insert, update, delete on telecom.service_plan to telecom_admin;

comment on table telecom.service_plan is 'A service plan of the public catalogue: a monthly price and its allowances.';
comment on column telecom.service_plan.plan_id is 'Identifier of the plan.';
comment on column telecom.service_plan.name is 'Unique name shown to customers.';
comment on column telecom.service_plan.price is 'Monthly price.';
comment on column telecom.service_plan.sms_offered is 'Text messages included per month.';
comment on column telecom.service_plan.minutes_offered is 'Call minutes included per month.';
comment on column telecom.service_plan.data_offered is 'Mobile data included per month, in megabytes.';
comment on column telecom.service_plan.description is 'Marketing description of the plan.';
--! EndIncluded plans/service_plan.sql
--! Included plans/subscription.sql
-- Table telecom.subscription: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.subscription;
create policy select_own on telecom.subscription for select to telecom_customer
  using (mobile_no = any (array(select telecom.current_mobile_nos())));

drop policy if exists manage_admin on telecom.subscription;
create policy manage_admin on telecom.subscription for all to telecom_admin using (true);

grant select on telecom.subscription to telecom_customer;
grant select, insert, update, delete on telecom.subscription to telecom_admin;

comment on table telecom.subscription is 'An account''s subscription to a service plan.';
comment on column telecom.subscription.mobile_no is 'The subscribed account.';
comment on column telecom.subscription.plan_id is 'The plan subscribed to.';
comment on column telecom.subscription.subscription_date is 'The day the subscription was last started or renewed.';
comment on column telecom.subscription.status is 'Whether the subscription is running or on hold.';
--! EndIncluded plans/subscription.sql
--! Included plans/account_plan.sql
create or replace function telecom.account_plan()
returns table (
  mobile_no text,
  national_id integer,
  balance numeric(12, 2),
  account_type telecom.account_type,
  start_date date,
  status telecom.account_status,
  points integer,
  plan_id integer,
  plan_name text
)
  language sql
  stable
as $$
  select
    account.mobile_no,
    account.national_id,
    account.balance,
    account.account_type,
    account.start_date,
    account.status,
    account.points,
    plan.plan_id,
    plan.name
  from telecom.customer_account as account
  inner join telecom.subscription as subscription
    on subscription.mobile_no = account.mobile_no
  inner join telecom.service_plan as plan
    on plan.plan_id = subscription.plan_id
  order by account.mobile_no, plan.plan_id
$$;

comment on function telecom.account_plan() is 'Every account with each plan it subscribes to (active or on hold), one row per subscription.';

grant execute on function telecom.account_plan() to telecom_admin;
--! EndIncluded plans/account_plan.sql
--! Included plans/account_plan_date.sql
create or replace function telecom.account_plan_date(subscription_date date, plan_id integer)
returns table (mobile_no text, plan_id integer, plan_name text)
  language sql
  stable
as $$
  select
    subscription.mobile_no,
    plan.plan_id,
    plan.name
  from telecom.subscription as subscription
  inner join telecom.service_plan as plan
    on plan.plan_id = subscription.plan_id
  where subscription.plan_id = account_plan_date.plan_id
    and subscription.subscription_date = account_plan_date.subscription_date
  order by subscription.mobile_no
$$;

comment on function telecom.account_plan_date(date, integer) is 'Accounts whose subscription to the plan is dated that day.';

grant execute on function telecom.account_plan_date(date, integer) to telecom_admin;
--! EndIncluded plans/account_plan_date.sql
--! Included plans/unsubscribed_plans.sql
create or replace function telecom.unsubscribed_plans(mobile_no text) returns setof telecom.service_plan
  language sql
  stable
as $$
  select plan.*
  from telecom.service_plan as plan
  where telecom.assert_account_access(unsubscribed_plans.mobile_no)
    and not exists (
      select
      from telecom.subscription as subscription
      where subscription.mobile_no = unsubscribed_plans.mobile_no
        and subscription.plan_id = plan.plan_id
    )
  order by plan.price, plan.plan_id
$$;

comment on function telecom.unsubscribed_plans(text) is 'Plans the account does not subscribe to (neither active nor on hold), cheapest first.';

grant execute on function telecom.unsubscribed_plans(text) to telecom_customer, telecom_admin;
--! EndIncluded plans/unsubscribed_plans.sql
--! Included plans/subscribed_plans_5_months.sql
create or replace function telecom.subscribed_plans_5_months(mobile_no text) returns setof telecom.service_plan
  language sql
  stable
as $$
  select plan.*
  from telecom.service_plan as plan
  inner join telecom.subscription as subscription
    on subscription.plan_id = plan.plan_id
  where telecom.assert_account_access(subscribed_plans_5_months.mobile_no)
    and subscription.mobile_no = subscribed_plans_5_months.mobile_no
    and subscription.subscription_date >= current_date - interval '5 months'
  order by subscription.subscription_date desc, plan.plan_id
$$;

comment on function telecom.subscribed_plans_5_months(text) is 'Plans whose subscription by the account (active or on hold) is dated within the last 5 months, latest first.';

grant execute on function telecom.subscribed_plans_5_months(text) to telecom_customer, telecom_admin;
--! EndIncluded plans/subscribed_plans_5_months.sql
--! Included plans/subscribe_plan.sql
create or replace function telecom.subscribe_plan(mobile_no text, plan_id integer) returns telecom.subscription
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_subscription telecom.subscription;
begin
  perform telecom_private.lock_active_account(subscribe_plan.mobile_no);
  if not exists (select from telecom.service_plan as plan where plan.plan_id = subscribe_plan.plan_id) then
    raise exception 'There is no plan %.', subscribe_plan.plan_id using errcode = 'TC102';
  end if;
  if exists (
    select
    from telecom.subscription as subscription
    where subscription.mobile_no = subscribe_plan.mobile_no
      and subscription.plan_id = subscribe_plan.plan_id
      and subscription.status = 'active'
  ) then
    raise exception '% is already subscribed to plan %.', subscribe_plan.mobile_no, subscribe_plan.plan_id using errcode = 'TC130';
  end if;
  insert into telecom.subscription as subscription (mobile_no, plan_id, subscription_date, status)
  values (subscribe_plan.mobile_no, subscribe_plan.plan_id, current_date, 'active')
  on conflict on constraint subscription_pkey do update
  set subscription_date = excluded.subscription_date,
    status = excluded.status
  returning * into v_subscription;
  return v_subscription;
end;
$$;

comment on function telecom.subscribe_plan(text, integer) is 'Subscribes the account to a plan from today, or reactivates a subscription on hold (dated today). The account must be active.';

grant execute on function telecom.subscribe_plan(text, integer) to telecom_customer, telecom_admin;
--! EndIncluded plans/subscribe_plan.sql
--! Included plans/hold_subscription.sql
create or replace function telecom.hold_subscription(mobile_no text, plan_id integer) returns telecom.subscription
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_subscription telecom.subscription;
begin
  perform telecom.assert_account_access(hold_subscription.mobile_no);
  perform 1
  from telecom.customer_account as account
  where account.mobile_no = hold_subscription.mobile_no
  for update;
  update telecom.subscription as subscription
  set status = 'onhold'
  where subscription.mobile_no = hold_subscription.mobile_no
    and subscription.plan_id = hold_subscription.plan_id
    and subscription.status = 'active'
  returning * into v_subscription;
  if not found then
    raise exception '% has no active subscription to plan %.', hold_subscription.mobile_no, hold_subscription.plan_id using errcode = 'TC131';
  end if;
  return v_subscription;
end;
$$;

comment on function telecom.hold_subscription(text, integer) is 'Puts the account''s active subscription to a plan on hold.';

grant execute on function telecom.hold_subscription(text, integer) to telecom_customer, telecom_admin;
--! EndIncluded plans/hold_subscription.sql

--! split: 04-usage.sql
-- Usage: every rule re-declared from its file in migrations/fixtures/usage/.
--! Included usage/plan_usage.sql
-- Table telecom.plan_usage: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.plan_usage;
create policy select_own on telecom.plan_usage for select to telecom_customer
  using (mobile_no = any (array(select telecom.current_mobile_nos())));

drop policy if exists manage_admin on telecom.plan_usage;
create policy manage_admin on telecom.plan_usage for all to telecom_admin using (true);

grant select on telecom.plan_usage to telecom_customer;
grant select, insert, update, delete on telecom.plan_usage to telecom_admin;

comment on table telecom.plan_usage is 'A usage record: what an account consumed of a plan between two dates.';
comment on column telecom.plan_usage.usage_id is 'Identifier of the usage record.';
comment on column telecom.plan_usage.mobile_no is 'The account that used the service.';
comment on column telecom.plan_usage.plan_id is 'The plan the usage counts against.';
comment on column telecom.plan_usage.start_date is 'First day covered by the record.';
comment on column telecom.plan_usage.end_date is 'Last day covered by the record.';
comment on column telecom.plan_usage.data_consumption is 'Mobile data used, in megabytes.';
comment on column telecom.plan_usage.minutes_used is 'Call minutes used.';
comment on column telecom.plan_usage.sms_sent is 'Text messages sent.';
--! EndIncluded usage/plan_usage.sql
--! Included usage/account_usage_plan.sql
create or replace function telecom.account_usage_plan(mobile_no text, from_date date)
returns table (plan_id integer, total_data integer, total_minutes integer, total_sms integer)
  language sql
  stable
as $$
  select
    subscription.plan_id,
    coalesce(sum(usage.data_consumption), 0)::integer,
    coalesce(sum(usage.minutes_used), 0)::integer,
    coalesce(sum(usage.sms_sent), 0)::integer
  from telecom.subscription as subscription
  left join telecom.plan_usage as usage
    on usage.mobile_no = subscription.mobile_no
    and usage.plan_id = subscription.plan_id
    and usage.start_date >= account_usage_plan.from_date
  where subscription.mobile_no = account_usage_plan.mobile_no
  group by subscription.plan_id
  order by subscription.plan_id
$$;

comment on function telecom.account_usage_plan(text, date) is 'The account''s usage per plan it subscribes to, summed over usage records starting on or after from_date (data in MB); plans without such records show zeros.';

grant execute on function telecom.account_usage_plan(text, date) to telecom_admin;
--! EndIncluded usage/account_usage_plan.sql
--! Included usage/consumption.sql
create or replace function telecom.consumption(plan_name text, start_date date, end_date date, out data_consumption integer, out minutes_used integer, out sms_sent integer)
  language sql
  stable
as $$
  select
    coalesce(sum(usage.data_consumption), 0)::integer,
    coalesce(sum(usage.minutes_used), 0)::integer,
    coalesce(sum(usage.sms_sent), 0)::integer
  from telecom.plan_usage as usage
  inner join telecom.service_plan as plan
    on plan.plan_id = usage.plan_id
  where plan.name = consumption.plan_name
    and usage.start_date >= consumption.start_date
    and usage.end_date <= consumption.end_date
  having telecom.assert_date_range(consumption.start_date, consumption.end_date)
$$;

comment on function telecom.consumption(text, date, date) is 'Usage of the plan in records lying within the dates (record start on or after start_date, record end on or before end_date); zeros when none. Both dates are required and must be in order (TC150, TC151). A customer sees their own usage, an admin everyone''s.';

grant execute on function telecom.consumption(text, date, date) to telecom_customer, telecom_admin;
--! EndIncluded usage/consumption.sql
--! Included usage/usage_plan_current_month.sql
create or replace function telecom.usage_plan_current_month(mobile_no text)
returns table (plan_id integer, plan_name text, data_consumption integer, minutes_used integer, sms_sent integer)
  language sql
  stable
as $$
  select
    plan.plan_id,
    plan.name,
    coalesce(sum(usage.data_consumption), 0)::integer,
    coalesce(sum(usage.minutes_used), 0)::integer,
    coalesce(sum(usage.sms_sent), 0)::integer
  from telecom.subscription as subscription
  inner join telecom.service_plan as plan
    on plan.plan_id = subscription.plan_id
  left join telecom.plan_usage as usage
    on usage.mobile_no = subscription.mobile_no
    and usage.plan_id = subscription.plan_id
    and usage.start_date >= date_trunc('month', current_date)::date
    and usage.start_date < (date_trunc('month', current_date) + interval '1 month')::date
  where telecom.assert_account_access(usage_plan_current_month.mobile_no)
    and subscription.mobile_no = usage_plan_current_month.mobile_no
    and subscription.status = 'active'
  group by plan.plan_id, plan.name
  order by plan.plan_id
$$;

comment on function telecom.usage_plan_current_month(text) is 'Usage this calendar month (records starting this month) of each of the account''s active subscriptions; zeros for a plan not used yet.';

grant execute on function telecom.usage_plan_current_month(text) to telecom_customer, telecom_admin;
--! EndIncluded usage/usage_plan_current_month.sql
--! Included usage/customer_account_usage_current_month.sql
create or replace function telecom.customer_account_usage_current_month(account telecom.customer_account)
returns table (plan_id integer, plan_name text, data_consumption integer, minutes_used integer, sms_sent integer)
  language sql
  stable
as $$
  select *
  from telecom.usage_plan_current_month(account.mobile_no)
$$;

comment on function telecom.customer_account_usage_current_month(telecom.customer_account) is 'This calendar month''s usage of each of the account''s active subscriptions, as usage_plan_current_month.';

grant execute on function telecom.customer_account_usage_current_month(telecom.customer_account) to telecom_customer, telecom_admin;
--! EndIncluded usage/customer_account_usage_current_month.sql

--! split: 05-payments.sql
-- Payments: every rule re-declared from its file in migrations/fixtures/payments/.
--! Included payments/payment.sql
-- Table telecom.payment: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.payment;
create policy select_own on telecom.payment for select to telecom_customer
  using (mobile_no = any (array(select telecom.current_mobile_nos())));

drop policy if exists manage_admin on telecom.payment;
create policy manage_admin on telecom.payment for all to telecom_admin using (true);

grant select on telecom.payment to telecom_customer;
grant select, update (status) on telecom.payment to telecom_admin;

comment on table telecom.payment is 'A payment made by an account, for a plan or to top up the balance.';
comment on column telecom.payment.payment_id is 'Identifier of the payment.';
comment on column telecom.payment.mobile_no is 'The paying account.';
comment on column telecom.payment.amount is 'Amount paid.';
comment on column telecom.payment.date_of_payment is 'The day of the payment.';
comment on column telecom.payment.payment_method is 'How it was paid.';
comment on column telecom.payment.status is 'Outcome of the payment.';
--! EndIncluded payments/payment.sql
--! Included payments/process_payment.sql
-- Table telecom.process_payment: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.process_payment;
create policy select_own on telecom.process_payment for select to telecom_customer
  using (payment_id = any (array(select payment.payment_id from telecom.payment as payment)));

drop policy if exists manage_admin on telecom.process_payment;
create policy manage_admin on telecom.process_payment for all to telecom_admin using (true);

grant select on telecom.process_payment to telecom_customer;
grant select on telecom.process_payment to telecom_admin;

comment on table telecom.process_payment is 'The plan a payment paid for, and how it compared with the plan''s price. Computed by the database.';
comment on column telecom.process_payment.payment_id is 'The payment.';
comment on column telecom.process_payment.plan_id is 'The plan paid for.';
comment on column telecom.process_payment.remaining_balance is 'What was still owed for the plan: greatest(price - amount, 0) at the time of the payment.';
comment on column telecom.process_payment.extra_amount is 'What was paid beyond the plan''s price: greatest(amount - price, 0) at the time of the payment.';
--! EndIncluded payments/process_payment.sql
--! Included payments/tg_process_payment__compute_amounts.sql
-- remaining_balance and extra_amount are derived from the payment and the plan's price when the
-- row is written; whatever the client sent is overwritten.
create or replace function telecom_private.tg_process_payment__compute_amounts() returns trigger
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_amount numeric(12, 2);
  v_price numeric(12, 2);
begin
  select payment.amount into v_amount from telecom.payment where payment.payment_id = new.payment_id;
  select service_plan.price into v_price from telecom.service_plan where service_plan.plan_id = new.plan_id;
  new.remaining_balance := greatest(v_price - v_amount, 0);
  new.extra_amount := greatest(v_amount - v_price, 0);
  return new;
end;
$$;

create or replace trigger _100_compute_amounts
  before insert or update of payment_id, plan_id, remaining_balance, extra_amount
  on telecom.process_payment
  for each row
  execute function telecom_private.tg_process_payment__compute_amounts();
--! EndIncluded payments/tg_process_payment__compute_amounts.sql
--! Included payments/remaining_plan_amount.sql
create or replace function telecom.remaining_plan_amount(mobile_no text, plan_name text) returns numeric
  language sql
  stable
as $$
  select processed.remaining_balance
  from telecom.payment as payment
  inner join telecom.process_payment as processed
    on processed.payment_id = payment.payment_id
  inner join telecom.service_plan as plan
    on plan.plan_id = processed.plan_id
  where telecom.assert_account_access(remaining_plan_amount.mobile_no)
    and payment.mobile_no = remaining_plan_amount.mobile_no
    and payment.status = 'successful'
    and plan.name = remaining_plan_amount.plan_name
  order by payment.date_of_payment desc, payment.payment_id desc
  limit 1
$$;

comment on function telecom.remaining_plan_amount(text, text) is 'What is left to pay for the plan after the account''s latest successful payment for it; null when it never paid for the plan.';

grant execute on function telecom.remaining_plan_amount(text, text) to telecom_customer, telecom_admin;
--! EndIncluded payments/remaining_plan_amount.sql
--! Included payments/extra_plan_amount.sql
create or replace function telecom.extra_plan_amount(mobile_no text, plan_name text) returns numeric
  language sql
  stable
as $$
  select processed.extra_amount
  from telecom.payment as payment
  inner join telecom.process_payment as processed
    on processed.payment_id = payment.payment_id
  inner join telecom.service_plan as plan
    on plan.plan_id = processed.plan_id
  where telecom.assert_account_access(extra_plan_amount.mobile_no)
    and payment.mobile_no = extra_plan_amount.mobile_no
    and payment.status = 'successful'
    and plan.name = extra_plan_amount.plan_name
  order by payment.date_of_payment desc, payment.payment_id desc
  limit 1
$$;

comment on function telecom.extra_plan_amount(text, text) is 'How much the account''s latest successful payment for the plan exceeded its price; null when it never paid for the plan.';

grant execute on function telecom.extra_plan_amount(text, text) to telecom_customer, telecom_admin;
--! EndIncluded payments/extra_plan_amount.sql
--! Included payments/top_successful_payments.sql
create or replace function telecom.top_successful_payments(mobile_no text) returns setof telecom.payment
  language sql
  stable
as $$
  select payment.*
  from telecom.payment as payment
  where telecom.assert_account_access(top_successful_payments.mobile_no)
    and payment.mobile_no = top_successful_payments.mobile_no
    and payment.status = 'successful'
  order by payment.amount desc, payment.date_of_payment desc, payment.payment_id desc
  limit 10
$$;

comment on function telecom.top_successful_payments(text) is 'The account''s 10 highest successful payments, highest first (ties: latest first).';

grant execute on function telecom.top_successful_payments(text) to telecom_customer, telecom_admin;
--! EndIncluded payments/top_successful_payments.sql
--! Included payments/initiate_plan_payment.sql
create or replace function telecom.initiate_plan_payment(mobile_no text, amount numeric, payment_method telecom.payment_method, plan_id integer, idempotency_key uuid default null) returns telecom.payment
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_replay jsonb;
  v_payment telecom.payment;
begin
  if idempotency_key is not null then
    v_replay := telecom_private.idempotency_replay(idempotency_key, 'initiate_plan_payment', jsonb_build_object('mobile_no', mobile_no, 'amount', amount, 'payment_method', payment_method, 'plan_id', plan_id));
    if v_replay is not null then
      return jsonb_populate_record(null::telecom.payment, v_replay);
    end if;
  end if;
  perform telecom_private.lock_active_account(initiate_plan_payment.mobile_no);
  perform telecom_private.assert_money_amount(initiate_plan_payment.amount);
  if initiate_plan_payment.payment_method is null then
    raise exception 'Choose a payment method.' using errcode = 'TC106';
  end if;
  if not exists (select from telecom.service_plan as plan where plan.plan_id = initiate_plan_payment.plan_id) then
    raise exception 'There is no plan %.', initiate_plan_payment.plan_id using errcode = 'TC102';
  end if;
  insert into telecom.payment (mobile_no, amount, date_of_payment, payment_method, status)
  values (initiate_plan_payment.mobile_no, initiate_plan_payment.amount, current_date, initiate_plan_payment.payment_method, 'successful')
  returning * into v_payment;
  -- remaining_balance and extra_amount are computed by the trigger from the amount and the price.
  insert into telecom.process_payment (payment_id, plan_id, remaining_balance, extra_amount)
  values (v_payment.payment_id, initiate_plan_payment.plan_id, 0, 0);
  insert into telecom.subscription as subscription (mobile_no, plan_id, subscription_date, status)
  values (initiate_plan_payment.mobile_no, initiate_plan_payment.plan_id, current_date, 'active')
  on conflict on constraint subscription_pkey do update
  set subscription_date = excluded.subscription_date,
    status = excluded.status;
  if idempotency_key is not null then
    perform telecom_private.idempotency_store(idempotency_key, to_jsonb(v_payment));
  end if;
  return v_payment;
end;
$$;

comment on function telecom.initiate_plan_payment(text, numeric, telecom.payment_method, integer, uuid) is 'Pays for a plan: records a successful payment dated today with its remaining and extra amounts (from the plan''s price), and renews the subscription (active, dated today; created if absent). The account must be active. A repeat with the same idempotency_key returns the first payment.';

grant execute on function telecom.initiate_plan_payment(text, numeric, telecom.payment_method, integer, uuid) to telecom_customer, telecom_admin;
--! EndIncluded payments/initiate_plan_payment.sql
--! Included payments/initiate_balance_payment.sql
create or replace function telecom.initiate_balance_payment(mobile_no text, amount numeric, payment_method telecom.payment_method, idempotency_key uuid default null) returns telecom.payment
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_replay jsonb;
  v_payment telecom.payment;
begin
  if idempotency_key is not null then
    v_replay := telecom_private.idempotency_replay(idempotency_key, 'initiate_balance_payment', jsonb_build_object('mobile_no', mobile_no, 'amount', amount, 'payment_method', payment_method));
    if v_replay is not null then
      return jsonb_populate_record(null::telecom.payment, v_replay);
    end if;
  end if;
  perform telecom_private.lock_active_account(initiate_balance_payment.mobile_no);
  perform telecom_private.assert_money_amount(initiate_balance_payment.amount);
  if initiate_balance_payment.payment_method is null then
    raise exception 'Choose a payment method.' using errcode = 'TC106';
  end if;
  if exists (
    select
    from telecom.customer_account as account
    where account.mobile_no = initiate_balance_payment.mobile_no
      and account.balance + initiate_balance_payment.amount > 9999999999.99
  ) then
    raise exception 'The balance of % cannot hold that much.', initiate_balance_payment.mobile_no using errcode = 'TC104';
  end if;
  insert into telecom.payment (mobile_no, amount, date_of_payment, payment_method, status)
  values (initiate_balance_payment.mobile_no, initiate_balance_payment.amount, current_date, initiate_balance_payment.payment_method, 'successful')
  returning * into v_payment;
  perform set_config('telecom.operation', 'initiate_balance_payment', true);
  update telecom.customer_account as account
  set balance = account.balance + v_payment.amount
  where account.mobile_no = v_payment.mobile_no;
  if idempotency_key is not null then
    perform telecom_private.idempotency_store(idempotency_key, to_jsonb(v_payment));
  end if;
  return v_payment;
end;
$$;

comment on function telecom.initiate_balance_payment(text, numeric, telecom.payment_method, uuid) is 'Recharges the account: records a successful payment dated today and adds its amount to the balance. The account must be active. A repeat with the same idempotency_key returns the first payment.';

grant execute on function telecom.initiate_balance_payment(text, numeric, telecom.payment_method, uuid) to telecom_customer, telecom_admin;
--! EndIncluded payments/initiate_balance_payment.sql

--! split: 06-benefits.sql
-- Benefits, points and cashback: every rule re-declared from its file in migrations/fixtures/benefits/.
--! Included benefits/benefit.sql
-- Table telecom.benefit: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.benefit;
create policy select_own on telecom.benefit for select to telecom_customer
  using (mobile_no = any (array(select telecom.current_mobile_nos())));

drop policy if exists manage_admin on telecom.benefit;
create policy manage_admin on telecom.benefit for all to telecom_admin using (true);

grant select on telecom.benefit to telecom_customer;
grant select, insert, update, delete on telecom.benefit to telecom_admin;

comment on table telecom.benefit is 'A benefit granted to an account: loyalty points, an exclusive offer or cashback.';
comment on column telecom.benefit.benefit_id is 'Identifier of the benefit.';
comment on column telecom.benefit.description is 'What the benefit is.';
comment on column telecom.benefit.validity_date is 'The last day the benefit is valid.';
comment on column telecom.benefit.status is 'Whether the benefit is active or expired.';
comment on column telecom.benefit.mobile_no is 'The account the benefit belongs to.';
--! EndIncluded benefits/benefit.sql
--! Included benefits/points_group.sql
-- Table telecom.points_group: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.points_group;
create policy select_own on telecom.points_group for select to telecom_customer
  using (benefit_id = any (array(select benefit.benefit_id from telecom.benefit as benefit)));

drop policy if exists manage_admin on telecom.points_group;
create policy manage_admin on telecom.points_group for all to telecom_admin using (true);

grant select on telecom.points_group to telecom_customer;
grant select, insert, update, delete on telecom.points_group to telecom_admin;

comment on table telecom.points_group is 'Loyalty points a payment earned through a benefit.';
comment on column telecom.points_group.point_id is 'Identifier of the points group.';
comment on column telecom.points_group.benefit_id is 'The benefit that granted the points.';
comment on column telecom.points_group.points_amount is 'How many points were earned.';
comment on column telecom.points_group.payment_id is 'The payment that earned them.';
--! EndIncluded benefits/points_group.sql
--! Included benefits/exclusive_offer.sql
-- Table telecom.exclusive_offer: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.exclusive_offer;
create policy select_own on telecom.exclusive_offer for select to telecom_customer
  using (benefit_id = any (array(select benefit.benefit_id from telecom.benefit as benefit)));

drop policy if exists manage_admin on telecom.exclusive_offer;
create policy manage_admin on telecom.exclusive_offer for all to telecom_admin using (true);

grant select on telecom.exclusive_offer to telecom_customer;
grant select, insert, update, delete on telecom.exclusive_offer to telecom_admin;

comment on table telecom.exclusive_offer is 'Extra allowances offered to an account through a benefit.';
comment on column telecom.exclusive_offer.offer_id is 'Identifier of the offer.';
comment on column telecom.exclusive_offer.benefit_id is 'The benefit the offer belongs to.';
comment on column telecom.exclusive_offer.internet_offered is 'Extra mobile data, in megabytes.';
comment on column telecom.exclusive_offer.sms_offered is 'Extra text messages.';
comment on column telecom.exclusive_offer.minutes_offered is 'Extra call minutes.';
--! EndIncluded benefits/exclusive_offer.sql
--! Included benefits/cashback.sql
-- Table telecom.cashback: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

-- Cashback is credited only by payment_wallet_cashback (it moves money into a wallet).
drop policy if exists select_own on telecom.cashback;
create policy select_own on telecom.cashback for select to telecom_customer using (wallet_id = any (array(select wallet.wallet_id from telecom.wallet as wallet)) or benefit_id = any (array(select benefit.benefit_id from telecom.benefit as benefit)));

drop policy if exists manage_admin on telecom.cashback;
create policy manage_admin on telecom.cashback for all to telecom_admin using (true);

grant select on telecom.cashback to telecom_customer;
grant select on telecom.cashback to telecom_admin;

comment on table telecom.cashback is 'Money credited to a wallet through a benefit, usually for a payment.';
comment on column telecom.cashback.cashback_id is 'Identifier of the cashback credit.';
comment on column telecom.cashback.benefit_id is 'The benefit that granted the cashback.';
comment on column telecom.cashback.wallet_id is 'The wallet credited.';
comment on column telecom.cashback.amount is 'Amount credited.';
comment on column telecom.cashback.credit_date is 'The day it was credited.';
comment on column telecom.cashback.payment_id is 'The payment the cashback was earned for, if any; each payment earns cashback at most once.';
--! EndIncluded benefits/cashback.sql
--! Included benefits/plan_provides_benefits.sql
-- Table telecom.plan_provides_benefits: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.plan_provides_benefits;
create policy select_own on telecom.plan_provides_benefits for select to telecom_customer
  using (benefit_id = any (array(select benefit.benefit_id from telecom.benefit as benefit)));

drop policy if exists manage_admin on telecom.plan_provides_benefits;
create policy manage_admin on telecom.plan_provides_benefits for all to telecom_admin using (true);

grant select on telecom.plan_provides_benefits to telecom_customer;
grant select, insert, delete on telecom.plan_provides_benefits to telecom_admin;

comment on table telecom.plan_provides_benefits is 'Which benefits came with which plan.';
comment on column telecom.plan_provides_benefits.plan_id is 'The plan.';
comment on column telecom.plan_provides_benefits.benefit_id is 'A benefit the plan provides.';
--! EndIncluded benefits/plan_provides_benefits.sql
--! Included benefits/benefits_account.sql
create or replace function telecom.benefits_account(mobile_no text, plan_id integer) returns integer
  language plpgsql
  volatile
as $$
declare
  v_removed integer;
begin
  if not exists (select from telecom.customer_account as account where account.mobile_no = benefits_account.mobile_no) then
    raise exception 'There is no account with mobile number %.', benefits_account.mobile_no using errcode = 'TC101';
  end if;
  if not exists (select from telecom.service_plan as plan where plan.plan_id = benefits_account.plan_id) then
    raise exception 'There is no plan %.', benefits_account.plan_id using errcode = 'TC102';
  end if;
  -- Points groups, exclusive offers, cashback rows and plan links go with their benefit (on delete cascade).
  delete from telecom.benefit as benefit
  where benefit.mobile_no = benefits_account.mobile_no
    and exists (
      select
      from telecom.plan_provides_benefits as provides
      where provides.plan_id = benefits_account.plan_id
        and provides.benefit_id = benefit.benefit_id
    );
  get diagnostics v_removed = row_count;
  return v_removed;
end;
$$;

comment on function telecom.benefits_account(text, integer) is 'Removes the account''s benefits that the plan provides, with their points groups, exclusive offers and cashback records (credited money stays in the wallet); returns how many benefits were removed.';

grant execute on function telecom.benefits_account(text, integer) to telecom_admin;
--! EndIncluded benefits/benefits_account.sql
--! Included benefits/account_sms_offers.sql
create or replace function telecom.account_sms_offers(mobile_no text) returns setof telecom.exclusive_offer
  language sql
  stable
as $$
  select offer.*
  from telecom.exclusive_offer as offer
  inner join telecom.benefit as benefit
    on benefit.benefit_id = offer.benefit_id
  where benefit.mobile_no = account_sms_offers.mobile_no
    and offer.sms_offered > 0
  order by offer.offer_id
$$;

comment on function telecom.account_sms_offers(text) is 'The account''s exclusive offers that include SMS.';

grant execute on function telecom.account_sms_offers(text) to telecom_admin;
--! EndIncluded benefits/account_sms_offers.sql
--! Included benefits/account_payment_points.sql
create or replace function telecom.account_payment_points(mobile_no text, out payment_count integer, out total_points integer)
  language sql
  stable
as $$
  with recent_payment as (
    select payment.payment_id
    from telecom.payment as payment
    where payment.mobile_no = account_payment_points.mobile_no
      and payment.status = 'successful'
      and payment.date_of_payment >= current_date - 365
  )
  select
    (select count(*)::integer from recent_payment),
    coalesce((
      select sum(points.points_amount)::integer
      from telecom.points_group as points
      inner join recent_payment
        on recent_payment.payment_id = points.payment_id
    ), 0)
$$;

comment on function telecom.account_payment_points(text) is 'How many successful payments the account made in the last 365 days (from current_date - 365 on) and the loyalty points those payments earned.';

grant execute on function telecom.account_payment_points(text) to telecom_admin;
--! EndIncluded benefits/account_payment_points.sql
--! Included benefits/wallet_cashback_amount.sql
create or replace function telecom.wallet_cashback_amount(wallet_id integer, plan_id integer) returns numeric
  language sql
  stable
as $$
  select coalesce(sum(cashback.amount), 0)
  from telecom.cashback as cashback
  where cashback.wallet_id = wallet_cashback_amount.wallet_id
    and exists (
      select
      from telecom.plan_provides_benefits as provides
      where provides.plan_id = wallet_cashback_amount.plan_id
        and provides.benefit_id = cashback.benefit_id
    )
$$;

comment on function telecom.wallet_cashback_amount(integer, integer) is 'Total cashback credited to the wallet through benefits the plan provides; 0 when none.';

grant execute on function telecom.wallet_cashback_amount(integer, integer) to telecom_admin;
--! EndIncluded benefits/wallet_cashback_amount.sql
--! Included benefits/total_points_account.sql
create or replace function telecom.total_points_account(mobile_no text) returns integer
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_points integer;
begin
  if not telecom.current_role_is_admin() then
    raise exception 'Only an admin can recompute points.' using errcode = '42501';
  end if;
  perform set_config('telecom.operation', 'total_points_account', true);
  update telecom.customer_account as account
  set points = coalesce((
    select sum(points.points_amount)::integer
    from telecom.points_group as points
    inner join telecom.payment as payment
      on payment.payment_id = points.payment_id
    where payment.mobile_no = account.mobile_no
  ), 0)
  where account.mobile_no = total_points_account.mobile_no
  returning account.points into v_points;
  if not found then
    raise exception 'There is no account with mobile number %.', total_points_account.mobile_no using errcode = 'TC101';
  end if;
  return v_points;
end;
$$;

comment on function telecom.total_points_account(text) is 'Recomputes the account''s points as the sum of the points groups of its payments, stores and returns it.';

grant execute on function telecom.total_points_account(text) to telecom_admin;
--! EndIncluded benefits/total_points_account.sql
--! Included benefits/cashback_wallet_customer.sql
create or replace function telecom.cashback_wallet_customer(national_id integer) returns setof telecom.cashback
  language sql
  stable
as $$
  select cashback.*
  from telecom.cashback as cashback
  inner join telecom.wallet as wallet
    on wallet.wallet_id = cashback.wallet_id
  where telecom.assert_person_access(cashback_wallet_customer.national_id)
    and wallet.national_id = cashback_wallet_customer.national_id
  order by cashback.credit_date desc, cashback.cashback_id desc
$$;

comment on function telecom.cashback_wallet_customer(integer) is 'Cashback credited to the customer''s wallets, latest first.';

grant execute on function telecom.cashback_wallet_customer(integer) to telecom_customer, telecom_admin;
--! EndIncluded benefits/cashback_wallet_customer.sql
--! Included benefits/payment_wallet_cashback.sql
create or replace function telecom.payment_wallet_cashback(mobile_no text, payment_id integer, benefit_id integer, idempotency_key uuid default null) returns telecom.cashback
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_replay jsonb;
  v_account telecom.customer_account;
  v_wallet telecom.wallet;
  v_payment telecom.payment;
  v_amount numeric(12, 2);
  v_cashback telecom.cashback;
begin
  if idempotency_key is not null then
    v_replay := telecom_private.idempotency_replay(idempotency_key, 'payment_wallet_cashback', jsonb_build_object('mobile_no', mobile_no, 'payment_id', payment_id, 'benefit_id', benefit_id));
    if v_replay is not null then
      return jsonb_populate_record(null::telecom.cashback, v_replay);
    end if;
  end if;
  v_account := telecom_private.lock_active_account(payment_wallet_cashback.mobile_no);
  -- The wallet linked to this number, otherwise the owner's first wallet.
  select *
  into v_wallet
  from telecom.wallet as wallet
  where wallet.national_id = v_account.national_id
  order by wallet.mobile_no = v_account.mobile_no desc, wallet.wallet_id
  limit 1
  for update;
  if not found then
    raise exception 'The owner of % has no wallet to credit.', v_account.mobile_no using errcode = 'TC115';
  end if;
  select *
  into v_payment
  from telecom.payment as payment
  where payment.payment_id = payment_wallet_cashback.payment_id
    and payment.mobile_no = v_account.mobile_no
  for update;
  if not found then
    raise exception 'Payment % is not a payment of %.', payment_wallet_cashback.payment_id, v_account.mobile_no using errcode = 'TC110';
  end if;
  if v_payment.status <> 'successful' then
    raise exception 'Payment % is %, only successful payments earn cashback.', v_payment.payment_id, v_payment.status using errcode = 'TC111';
  end if;
  if not exists (
    select
    from telecom.benefit as benefit
    where benefit.benefit_id = payment_wallet_cashback.benefit_id
      and benefit.mobile_no = v_account.mobile_no
  ) then
    raise exception 'Benefit % is not a benefit of %.', payment_wallet_cashback.benefit_id, v_account.mobile_no using errcode = 'TC112';
  end if;
  if not exists (
    select
    from telecom.benefit as benefit
    where benefit.benefit_id = payment_wallet_cashback.benefit_id
      and benefit.status = 'active'
  ) then
    raise exception 'Benefit % has expired.', payment_wallet_cashback.benefit_id using errcode = 'TC113';
  end if;
  if exists (select from telecom.cashback as cashback where cashback.payment_id = v_payment.payment_id) then
    raise exception 'Payment % has already earned cashback.', v_payment.payment_id using errcode = 'TC114';
  end if;
  v_amount := round(v_payment.amount * 0.10, 2);
  if v_amount = 0 then
    raise exception 'Payment % is too small to earn cashback.', v_payment.payment_id using errcode = 'TC116';
  end if;
  perform set_config('telecom.operation', 'payment_wallet_cashback', true);
  update telecom.wallet as wallet
  set current_balance = wallet.current_balance + v_amount,
    last_modified_date = current_date
  where wallet.wallet_id = v_wallet.wallet_id;
  insert into telecom.cashback (benefit_id, wallet_id, amount, credit_date, payment_id)
  values (payment_wallet_cashback.benefit_id, v_wallet.wallet_id, v_amount, current_date, v_payment.payment_id)
  returning * into v_cashback;
  if idempotency_key is not null then
    perform telecom_private.idempotency_store(idempotency_key, to_jsonb(v_cashback));
  end if;
  return v_cashback;
end;
$$;

comment on function telecom.payment_wallet_cashback(text, integer, integer, uuid) is 'Credits 10% of a successful payment of the account (rounded to the cent) as cashback, through one of the account''s active benefits, to the wallet linked to the number (otherwise the owner''s first wallet). A payment earns cashback once. A repeat with the same idempotency_key returns the first credit.';

grant execute on function telecom.payment_wallet_cashback(text, integer, integer, uuid) to telecom_customer, telecom_admin;
--! EndIncluded benefits/payment_wallet_cashback.sql

--! split: 07-wallets.sql
-- Wallets and transfers: every rule re-declared from its file in migrations/fixtures/wallets/.
--! Included wallets/wallet.sql
-- Table telecom.wallet: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.wallet;
create policy select_own on telecom.wallet for select to telecom_customer using (national_id = telecom.current_national_id());

drop policy if exists manage_admin on telecom.wallet;
create policy manage_admin on telecom.wallet for all to telecom_admin using (true);

grant select on telecom.wallet to telecom_customer;
grant select on telecom.wallet to telecom_admin;
grant insert (national_id, mobile_no, currency) on telecom.wallet to telecom_admin;

comment on table telecom.wallet is 'A customer''s wallet: money that can be transferred or receive cashback, linked to one of their numbers.';
comment on column telecom.wallet.wallet_id is 'Identifier of the wallet.';
comment on column telecom.wallet.national_id is 'The customer who owns the wallet.';
comment on column telecom.wallet.mobile_no is 'The number the wallet is linked to (one wallet per number), an account of the owner.';
comment on column telecom.wallet.current_balance is 'Money in the wallet; never negative.';
comment on column telecom.wallet.currency is 'ISO 4217 currency code of the wallet.';
comment on column telecom.wallet.last_modified_date is 'The day the balance last changed.';
--! EndIncluded wallets/wallet.sql
--! Included wallets/transfer_money.sql
-- Table telecom.transfer_money: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

-- `= any (array(...))` rather than `in (...)`: each side of the `or` can then use its index.
drop policy if exists select_own on telecom.transfer_money;
create policy select_own on telecom.transfer_money for select to telecom_customer using (from_wallet_id = any (array(select wallet.wallet_id from telecom.wallet as wallet)) or to_wallet_id = any (array(select wallet.wallet_id from telecom.wallet as wallet)));

drop policy if exists manage_admin on telecom.transfer_money;
create policy manage_admin on telecom.transfer_money for all to telecom_admin using (true);

grant select on telecom.transfer_money to telecom_customer;
grant select on telecom.transfer_money to telecom_admin;

comment on table telecom.transfer_money is 'A transfer of money from one wallet to another.';
comment on column telecom.transfer_money.transfer_id is 'Identifier of the transfer.';
comment on column telecom.transfer_money.from_wallet_id is 'The wallet the money left.';
comment on column telecom.transfer_money.to_wallet_id is 'The wallet the money reached.';
comment on column telecom.transfer_money.amount is 'Amount transferred.';
comment on column telecom.transfer_money.transfer_date is 'The day of the transfer.';
--! EndIncluded wallets/transfer_money.sql
--! Included wallets/wallet_transfer_amount.sql
create or replace function telecom.wallet_transfer_amount(wallet_id integer, start_date date, end_date date) returns numeric
  language sql
  stable
as $$
  select round(avg(transfer.amount), 2)
  from telecom.transfer_money as transfer
  where transfer.from_wallet_id = wallet_transfer_amount.wallet_id
    and transfer.transfer_date between wallet_transfer_amount.start_date and wallet_transfer_amount.end_date
  having telecom.assert_date_range(wallet_transfer_amount.start_date, wallet_transfer_amount.end_date)
$$;

comment on function telecom.wallet_transfer_amount(integer, date, date) is 'Average amount (rounded to the cent) of the transfers sent from the wallet between the dates, both included; null when there were none. Both dates are required and must be in order (TC150, TC151).';

grant execute on function telecom.wallet_transfer_amount(integer, date, date) to telecom_admin;
--! EndIncluded wallets/wallet_transfer_amount.sql
--! Included wallets/wallet_mobile_no.sql
create or replace function telecom.wallet_mobile_no(mobile_no text) returns boolean
  language sql
  stable
as $$
  select exists (
    select
    from telecom.wallet as wallet
    where wallet.mobile_no = wallet_mobile_no.mobile_no
  )
$$;

comment on function telecom.wallet_mobile_no(text) is 'Whether the mobile number is linked to a wallet.';

grant execute on function telecom.wallet_mobile_no(text) to telecom_admin;
--! EndIncluded wallets/wallet_mobile_no.sql
--! Included wallets/transfer_to_mobile.sql
create or replace function telecom.transfer_to_mobile(to_mobile_no text, amount numeric, idempotency_key uuid default null) returns telecom.transfer_money
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_replay jsonb;
  v_from_mobile_no text := telecom.current_mobile_no();
  v_from_wallet_id integer;
  v_to_wallet_id integer;
  v_from telecom.wallet;
  v_to telecom.wallet;
  v_transfer telecom.transfer_money;
begin
  if v_from_mobile_no is null or telecom.current_national_id() is null then
    raise exception 'Only a customer can transfer money, from the wallet of the number they logged in with (admins have no wallet).'
      using errcode = 'TC310';
  end if;
  v_replay := telecom_private.idempotency_replay(
    transfer_to_mobile.idempotency_key,
    'transfer_to_mobile',
    jsonb_build_object('to_mobile_no', transfer_to_mobile.to_mobile_no, 'amount', transfer_to_mobile.amount)
  );
  if v_replay is not null then
    return jsonb_populate_record(null::telecom.transfer_money, v_replay);
  end if;

  -- The sender's account is locked first, as every money mover does (account, then wallets).
  perform telecom_private.lock_active_account(v_from_mobile_no);
  perform telecom_private.assert_money_amount(transfer_to_mobile.amount);
  if transfer_to_mobile.to_mobile_no is null or transfer_to_mobile.to_mobile_no !~ '^[0-9]{11}$' then
    raise exception 'The number to transfer to must have 11 digits.'
      using errcode = 'TC312';
  end if;

  select wallet.wallet_id
  into v_from_wallet_id
  from telecom.wallet
  where wallet.mobile_no = v_from_mobile_no;
  if v_from_wallet_id is null then
    raise exception 'Your number % has no wallet to transfer from.', v_from_mobile_no
      using errcode = 'TC311';
  end if;
  select wallet.wallet_id
  into v_to_wallet_id
  from telecom.wallet
  where wallet.mobile_no = transfer_to_mobile.to_mobile_no;
  if v_to_wallet_id is null then
    raise exception 'No wallet is linked to the number %.', transfer_to_mobile.to_mobile_no
      using errcode = 'TC313';
  end if;
  if v_to_wallet_id = v_from_wallet_id then
    raise exception 'You cannot transfer money to your own wallet.'
      using errcode = 'TC314';
  end if;

  -- Both wallets locked in id order, so that two opposite transfers cannot deadlock.
  perform 1
  from telecom.wallet
  where wallet.wallet_id in (v_from_wallet_id, v_to_wallet_id)
  order by wallet.wallet_id
  for update;
  select * into v_from from telecom.wallet where wallet.wallet_id = v_from_wallet_id;
  select * into v_to from telecom.wallet where wallet.wallet_id = v_to_wallet_id;
  if v_from.currency <> v_to.currency then
    raise exception 'Your wallet holds % and the wallet of % holds %: transfers are only possible in the same currency.', v_from.currency, v_to.mobile_no, v_to.currency
      using errcode = 'TC315';
  end if;
  if v_from.current_balance < transfer_to_mobile.amount then
    raise exception 'Insufficient wallet balance: you have % %, the transfer needs %.', v_from.current_balance, v_from.currency, transfer_to_mobile.amount
      using errcode = 'TC316';
  end if;

  perform set_config('telecom.operation', 'transfer_to_mobile', true);
  update telecom.wallet
  set
    current_balance = wallet.current_balance
      + case when wallet.wallet_id = v_from_wallet_id then -transfer_to_mobile.amount else transfer_to_mobile.amount end,
    last_modified_date = current_date
  where wallet.wallet_id in (v_from_wallet_id, v_to_wallet_id);
  insert into telecom.transfer_money (from_wallet_id, to_wallet_id, amount)
  values (v_from_wallet_id, v_to_wallet_id, transfer_to_mobile.amount)
  returning * into v_transfer;

  perform telecom_private.idempotency_store(transfer_to_mobile.idempotency_key, to_jsonb(v_transfer));
  return v_transfer;
end;
$$;

comment on function telecom.transfer_to_mobile(text, numeric, uuid) is 'Moves money from the wallet of the number you logged in with to the wallet linked to another number, atomically, and records the transfer. Same currency only, no overdraft, not to yourself. With an idempotency key, a repeat returns the first transfer and moves nothing.';

grant execute on function telecom.transfer_to_mobile(text, numeric, uuid) to telecom_customer, telecom_admin;
--! EndIncluded wallets/transfer_to_mobile.sql

--! split: 08-vouchers.sql
-- Shops and vouchers: every rule re-declared from its file in migrations/fixtures/vouchers/.
--! Included vouchers/shop.sql
-- Table telecom.shop: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_all on telecom.shop;
create policy select_all on telecom.shop for select using (true);

drop policy if exists manage_admin on telecom.shop;
create policy manage_admin on telecom.shop for all to telecom_admin using (true);

grant select on telecom.shop to telecom_anonymous, telecom_customer;
grant select, insert, update, delete on telecom.shop to telecom_admin;

comment on table telecom.shop is 'A partner shop where vouchers can be spent: either a physical shop or an online shop.';
comment on column telecom.shop.shop_id is 'Identifier of the shop.';
comment on column telecom.shop.name is 'Name of the shop.';
comment on column telecom.shop.category is 'What the shop sells.';
--! EndIncluded vouchers/shop.sql
--! Included vouchers/physical_shop.sql
-- Table telecom.physical_shop: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_all on telecom.physical_shop;
create policy select_all on telecom.physical_shop for select using (true);

drop policy if exists manage_admin on telecom.physical_shop;
create policy manage_admin on telecom.physical_shop for all to telecom_admin using (true);

grant select on telecom.physical_shop to telecom_anonymous, telecom_customer;
grant select, insert, update, delete on telecom.physical_shop to telecom_admin;

comment on table telecom.physical_shop is 'A shop with a street address.';
comment on column telecom.physical_shop.shop_id is 'The shop.';
comment on column telecom.physical_shop.address is 'Street address.';
comment on column telecom.physical_shop.working_hours is 'Opening hours, as shown to customers.';
--! EndIncluded vouchers/physical_shop.sql
--! Included vouchers/e_shop.sql
-- Table telecom.e_shop: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_all on telecom.e_shop;
create policy select_all on telecom.e_shop for select using (true);

drop policy if exists manage_admin on telecom.e_shop;
create policy manage_admin on telecom.e_shop for all to telecom_admin using (true);

grant select on telecom.e_shop to telecom_anonymous, telecom_customer;
grant select, insert, update, delete on telecom.e_shop to telecom_admin;

comment on table telecom.e_shop is 'An online shop.';
comment on column telecom.e_shop.shop_id is 'The shop.';
comment on column telecom.e_shop.url is 'Web address of the shop.';
comment on column telecom.e_shop.rating is 'Customer rating from 1 to 5.';
--! EndIncluded vouchers/e_shop.sql
--! Included vouchers/tg_shop__one_kind.sql
-- A shop is physical or online, not both. The shop row is locked first so that two transactions
-- adding the two kinds at once are serialised and the second one sees the first.
create or replace function telecom_private.tg_shop__one_kind() returns trigger
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  perform 1 from telecom.shop where shop.shop_id = new.shop_id for update;
  if (tg_table_name = 'physical_shop' and exists (select from telecom.e_shop where e_shop.shop_id = new.shop_id))
    or (tg_table_name = 'e_shop' and exists (select from telecom.physical_shop where physical_shop.shop_id = new.shop_id))
  then
    raise exception 'Shop % is already registered as the other kind of shop: a shop is either physical or online.', new.shop_id
      using errcode = 'TC001';
  end if;
  return new;
end;
$$;

create or replace trigger _100_one_kind
  before insert or update of shop_id
  on telecom.physical_shop
  for each row
  execute function telecom_private.tg_shop__one_kind();

create or replace trigger _100_one_kind
  before insert or update of shop_id
  on telecom.e_shop
  for each row
  execute function telecom_private.tg_shop__one_kind();
--! EndIncluded vouchers/tg_shop__one_kind.sql
--! Included vouchers/voucher.sql
-- Table telecom.voucher: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.voucher;
create policy select_own on telecom.voucher for select to telecom_customer
  using (mobile_no is null or mobile_no = any (array(select telecom.current_mobile_nos())));

drop policy if exists manage_admin on telecom.voucher;
create policy manage_admin on telecom.voucher for all to telecom_admin using (true);

grant select on telecom.voucher to telecom_customer;
grant select, delete on telecom.voucher to telecom_admin;
grant insert (value, expiry_date, points, shop_id), update (value, expiry_date, points, shop_id) on telecom.voucher to telecom_admin;

comment on table telecom.voucher is 'A voucher for a partner shop, bought with loyalty points.';
comment on column telecom.voucher.voucher_id is 'Identifier of the voucher.';
comment on column telecom.voucher.value is 'What the voucher is worth in the shop.';
comment on column telecom.voucher.expiry_date is 'The last day the voucher can be redeemed.';
comment on column telecom.voucher.points is 'Loyalty points it costs.';
comment on column telecom.voucher.shop_id is 'The shop that accepts it.';
comment on column telecom.voucher.mobile_no is 'The account that redeemed it; null while unredeemed.';
comment on column telecom.voucher.redeem_date is 'The day it was redeemed; null while unredeemed.';
--! EndIncluded vouchers/voucher.sql
--! Included vouchers/account_highest_voucher.sql
create or replace function telecom.account_highest_voucher(mobile_no text) returns integer
  language sql
  stable
as $$
  select voucher.voucher_id
  from telecom.voucher as voucher
  where telecom.assert_account_access(account_highest_voucher.mobile_no)
    and voucher.mobile_no = account_highest_voucher.mobile_no
  order by voucher.value desc, voucher.redeem_date desc, voucher.voucher_id desc
  limit 1
$$;

comment on function telecom.account_highest_voucher(text) is 'The id of the account''s redeemed voucher with the highest value (ties: the latest redeemed); null when none.';

grant execute on function telecom.account_highest_voucher(text) to telecom_customer, telecom_admin;
--! EndIncluded vouchers/account_highest_voucher.sql
--! Included vouchers/redeem_voucher_points.sql
create or replace function telecom.redeem_voucher_points(mobile_no text, voucher_id integer, idempotency_key uuid default null) returns telecom.voucher
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_replay jsonb;
  v_account telecom.customer_account;
  v_voucher telecom.voucher;
begin
  if idempotency_key is not null then
    v_replay := telecom_private.idempotency_replay(idempotency_key, 'redeem_voucher_points', jsonb_build_object('mobile_no', mobile_no, 'voucher_id', voucher_id));
    if v_replay is not null then
      return jsonb_populate_record(null::telecom.voucher, v_replay);
    end if;
  end if;
  v_account := telecom_private.lock_active_account(redeem_voucher_points.mobile_no);
  select *
  into v_voucher
  from telecom.voucher as voucher
  where voucher.voucher_id = redeem_voucher_points.voucher_id
  for update;
  if not found then
    raise exception 'There is no voucher %.', redeem_voucher_points.voucher_id using errcode = 'TC120';
  end if;
  if v_voucher.mobile_no is not null then
    raise exception 'Voucher % has already been redeemed.', v_voucher.voucher_id using errcode = 'TC121';
  end if;
  if v_voucher.expiry_date < current_date then
    raise exception 'Voucher % expired on %.', v_voucher.voucher_id, v_voucher.expiry_date using errcode = 'TC122';
  end if;
  if v_account.points < v_voucher.points then
    raise exception 'Voucher % costs % points; % has %.', v_voucher.voucher_id, v_voucher.points, v_account.mobile_no, v_account.points using errcode = 'TC123';
  end if;
  perform set_config('telecom.operation', 'redeem_voucher_points', true);
  update telecom.customer_account as account
  set points = account.points - v_voucher.points
  where account.mobile_no = v_account.mobile_no;
  update telecom.voucher as voucher
  set mobile_no = v_account.mobile_no,
    redeem_date = current_date
  where voucher.voucher_id = v_voucher.voucher_id
  returning * into v_voucher;
  if idempotency_key is not null then
    perform telecom_private.idempotency_store(idempotency_key, to_jsonb(v_voucher));
  end if;
  return v_voucher;
end;
$$;

comment on function telecom.redeem_voucher_points(text, integer, uuid) is 'Redeems an unredeemed voucher that expires today or later with the account''s points: deducts its points and marks it redeemed by the account today. The account must be active. A repeat with the same idempotency_key returns the first result.';

grant execute on function telecom.redeem_voucher_points(text, integer, uuid) to telecom_customer, telecom_admin;
--! EndIncluded vouchers/redeem_voucher_points.sql

--! split: 09-support.sql
-- Technical support: every rule re-declared from its file in migrations/fixtures/support/.
--! Included support/technical_support_ticket.sql
-- Table telecom.technical_support_ticket: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.technical_support_ticket;
create policy select_own on telecom.technical_support_ticket for select to telecom_customer
  using (mobile_no = any (array(select telecom.current_mobile_nos())));

drop policy if exists manage_admin on telecom.technical_support_ticket;
create policy manage_admin on telecom.technical_support_ticket for all to telecom_admin using (true);

grant select on telecom.technical_support_ticket to telecom_customer;
grant select, insert, update, delete on telecom.technical_support_ticket to telecom_admin;

comment on table telecom.technical_support_ticket is 'A support request raised for an account.';
comment on column telecom.technical_support_ticket.ticket_id is 'Identifier of the ticket.';
comment on column telecom.technical_support_ticket.mobile_no is 'The account the ticket is about.';
comment on column telecom.technical_support_ticket.issue_description is 'What the customer reported.';
comment on column telecom.technical_support_ticket.priority_level is 'Priority from 1 (lowest) to 5 (most urgent).';
comment on column telecom.technical_support_ticket.status is 'Progress of the ticket.';
--! EndIncluded support/technical_support_ticket.sql
--! Included support/ticket_account_customer.sql
create or replace function telecom.ticket_account_customer(national_id integer) returns integer
  language sql
  stable
as $$
  select count(*)::integer
  from telecom.technical_support_ticket as ticket
  inner join telecom.customer_account as account
    on account.mobile_no = ticket.mobile_no
  where telecom.assert_person_access(ticket_account_customer.national_id)
    and account.national_id = ticket_account_customer.national_id
    and ticket.status <> 'resolved'
$$;

comment on function telecom.ticket_account_customer(integer) is 'How many of the customer''s tickets, across all their accounts, are not resolved.';

grant execute on function telecom.ticket_account_customer(integer) to telecom_customer, telecom_admin;
--! EndIncluded support/ticket_account_customer.sql
--! Included support/open_ticket.sql
create or replace function telecom.open_ticket(issue_description text, priority_level integer) returns telecom.technical_support_ticket
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_ticket telecom.technical_support_ticket;
begin
  if telecom.current_mobile_no() is null then
    raise exception 'Log in as a customer to open a ticket.' using errcode = '42501';
  end if;
  if coalesce(btrim(open_ticket.issue_description), '') = '' then
    raise exception 'Describe the issue.' using errcode = 'TC140';
  end if;
  if length(open_ticket.issue_description) > 2000 then
    raise exception 'The description is too long (at most 2000 characters).' using errcode = 'TC140';
  end if;
  if open_ticket.priority_level is null or open_ticket.priority_level not between 1 and 5 then
    raise exception 'The priority must be from 1 to 5.' using errcode = 'TC141';
  end if;
  insert into telecom.technical_support_ticket (mobile_no, issue_description, priority_level, status)
  values (telecom.current_mobile_no(), btrim(open_ticket.issue_description), open_ticket.priority_level, 'open')
  returning * into v_ticket;
  return v_ticket;
end;
$$;

comment on function telecom.open_ticket(text, integer) is 'Opens a support ticket for the number the customer is logged in with (priority 1 lowest to 5 most urgent).';

grant execute on function telecom.open_ticket(text, integer) to telecom_customer;
--! EndIncluded support/open_ticket.sql
--! Included support/resolve_ticket.sql
create or replace function telecom.resolve_ticket(ticket_id integer) returns telecom.technical_support_ticket
  language plpgsql
  volatile
as $$
declare
  v_ticket telecom.technical_support_ticket;
begin
  update telecom.technical_support_ticket as ticket
  set status = 'resolved'
  where ticket.ticket_id = resolve_ticket.ticket_id
    and ticket.status <> 'resolved'
  returning * into v_ticket;
  if not found then
    if exists (select from telecom.technical_support_ticket as ticket where ticket.ticket_id = resolve_ticket.ticket_id) then
      raise exception 'Ticket % is already resolved.', resolve_ticket.ticket_id using errcode = 'TC143';
    end if;
    raise exception 'There is no ticket %.', resolve_ticket.ticket_id using errcode = 'TC142';
  end if;
  return v_ticket;
end;
$$;

comment on function telecom.resolve_ticket(integer) is 'Marks a ticket resolved (admins).';

grant execute on function telecom.resolve_ticket(integer) to telecom_admin;
--! EndIncluded support/resolve_ticket.sql
--! Included support/customer_profile_open_ticket_count.sql
create or replace function telecom.customer_profile_open_ticket_count(profile telecom.customer_profile) returns integer
  language sql
  stable
as $$
  select telecom.ticket_account_customer(profile.national_id)
$$;

comment on function telecom.customer_profile_open_ticket_count(telecom.customer_profile) is 'How many of the person''s tickets are not resolved, as ticket_account_customer.';

grant execute on function telecom.customer_profile_open_ticket_count(telecom.customer_profile) to telecom_customer, telecom_admin;
--! EndIncluded support/customer_profile_open_ticket_count.sql

--! split: 10-reports.sql
-- Admin reports (SPEC §4.1): every rule re-declared from its file in migrations/fixtures/reports/.
--! Included reports/assert_date_range.sql
-- Periods come from users: both dates, in order. Called from HAVING in the report functions, where it
-- runs exactly once even when no row matches.
create or replace function telecom.assert_date_range(start_date date, end_date date) returns boolean
  language plpgsql
  immutable
as $$
begin
  if assert_date_range.start_date is null or assert_date_range.end_date is null then
    raise exception 'Give both the first and the last day of the period.' using errcode = 'TC150';
  end if;
  if assert_date_range.end_date < assert_date_range.start_date then
    raise exception 'The period ends (%) before it starts (%).', assert_date_range.end_date, assert_date_range.start_date using errcode = 'TC151';
  end if;
  return true;
end;
$$;

comment on function telecom.assert_date_range(date, date) is E'@behavior -queryField -mutationField -typeField\nTrue when both dates are given and the period does not end before it starts; raises TC150 or TC151 otherwise.';

grant execute on function telecom.assert_date_range(date, date) to telecom_customer, telecom_admin;
--! EndIncluded reports/assert_date_range.sql
--! Included reports/all_customer_accounts.sql
create or replace view telecom.all_customer_accounts
with (security_invoker = true)
as
select
  account.mobile_no,
  account.national_id,
  profile.first_name,
  profile.last_name,
  profile.email,
  profile.address,
  profile.date_of_birth,
  account.balance,
  account.account_type,
  account.start_date,
  account.status,
  account.points
from telecom.customer_account as account
inner join telecom.customer_profile as profile
  on profile.national_id = account.national_id
where account.status = 'active';

comment on view telecom.all_customer_accounts is 'Active accounts with their customer''s profile.';

grant select on telecom.all_customer_accounts to telecom_admin;
--! EndIncluded reports/all_customer_accounts.sql
--! Included reports/all_service_plans.sql
create or replace view telecom.all_service_plans
with (security_invoker = true)
as
select
  plan.plan_id,
  plan.name,
  plan.price,
  plan.sms_offered,
  plan.minutes_offered,
  plan.data_offered,
  plan.description
from telecom.service_plan as plan;

comment on view telecom.all_service_plans is 'Every service plan.';

grant select on telecom.all_service_plans to telecom_admin;
--! EndIncluded reports/all_service_plans.sql
--! Included reports/all_benefits.sql
create or replace view telecom.all_benefits
with (security_invoker = true)
as
select
  benefit.benefit_id,
  benefit.description,
  benefit.validity_date,
  benefit.status,
  benefit.mobile_no
from telecom.benefit as benefit
where benefit.status = 'active';

comment on view telecom.all_benefits is 'Benefits that are still active.';

grant select on telecom.all_benefits to telecom_admin;
--! EndIncluded reports/all_benefits.sql
--! Included reports/account_payments.sql
create or replace view telecom.account_payments
with (security_invoker = true)
as
select
  payment.payment_id,
  payment.amount,
  payment.date_of_payment,
  payment.payment_method,
  payment.status,
  account.mobile_no,
  account.national_id,
  account.account_type,
  account.status as account_status
from telecom.payment as payment
inner join telecom.customer_account as account
  on account.mobile_no = payment.mobile_no;

comment on view telecom.account_payments is 'Every payment with the account that made it.';

grant select on telecom.account_payments to telecom_admin;
--! EndIncluded reports/account_payments.sql
--! Included reports/all_shops.sql
create or replace view telecom.all_shops
with (security_invoker = true)
as
select
  shop.shop_id,
  shop.name,
  shop.category,
  case
    when physical_shop.shop_id is not null then 'physical'
    when e_shop.shop_id is not null then 'online'
  end as kind,
  physical_shop.address,
  physical_shop.working_hours,
  e_shop.url,
  e_shop.rating
from telecom.shop as shop
left join telecom.physical_shop as physical_shop
  on physical_shop.shop_id = shop.shop_id
left join telecom.e_shop as e_shop
  on e_shop.shop_id = shop.shop_id;

comment on view telecom.all_shops is 'Every shop with its kind (physical or online; null while neither is recorded) and that kind''s details.';

grant select on telecom.all_shops to telecom_admin;
--! EndIncluded reports/all_shops.sql
--! Included reports/all_resolved_tickets.sql
create or replace view telecom.all_resolved_tickets
with (security_invoker = true)
as
select
  ticket.ticket_id,
  ticket.mobile_no,
  ticket.issue_description,
  ticket.priority_level,
  ticket.status
from telecom.technical_support_ticket as ticket
where ticket.status = 'resolved';

comment on view telecom.all_resolved_tickets is 'Support tickets that are resolved.';

grant select on telecom.all_resolved_tickets to telecom_admin;
--! EndIncluded reports/all_resolved_tickets.sql
--! Included reports/customer_wallet.sql
create or replace view telecom.customer_wallet
with (security_invoker = true)
as
select
  wallet.wallet_id,
  wallet.national_id,
  wallet.mobile_no,
  wallet.current_balance,
  wallet.currency,
  wallet.last_modified_date,
  profile.first_name,
  profile.last_name
from telecom.wallet as wallet
inner join telecom.customer_profile as profile
  on profile.national_id = wallet.national_id;

comment on view telecom.customer_wallet is 'Every wallet with its owner''s first and last name.';

grant select on telecom.customer_wallet to telecom_admin;
--! EndIncluded reports/customer_wallet.sql
--! Included reports/e_shop_vouchers.sql
create or replace view telecom.e_shop_vouchers
with (security_invoker = true)
as
select
  shop.shop_id,
  shop.name,
  e_shop.url,
  voucher.voucher_id,
  voucher.value
from telecom.e_shop as e_shop
inner join telecom.shop as shop
  on shop.shop_id = e_shop.shop_id
inner join telecom.voucher as voucher
  on voucher.shop_id = e_shop.shop_id;

comment on view telecom.e_shop_vouchers is 'Online shops with their vouchers.';

grant select on telecom.e_shop_vouchers to telecom_admin;
--! EndIncluded reports/e_shop_vouchers.sql
--! Included reports/physical_store_vouchers.sql
create or replace view telecom.physical_store_vouchers
with (security_invoker = true)
as
select
  shop.shop_id,
  shop.name,
  physical_shop.address,
  voucher.voucher_id,
  voucher.value
from telecom.physical_shop as physical_shop
inner join telecom.shop as shop
  on shop.shop_id = physical_shop.shop_id
inner join telecom.voucher as voucher
  on voucher.shop_id = physical_shop.shop_id;

comment on view telecom.physical_store_vouchers is 'Physical shops with their vouchers.';

grant select on telecom.physical_store_vouchers to telecom_admin;
--! EndIncluded reports/physical_store_vouchers.sql
--! Included reports/num_of_cashback.sql
create or replace view telecom.num_of_cashback
with (security_invoker = true)
as
select
  cashback.wallet_id,
  count(*)::integer as cashback_count
from telecom.cashback as cashback
group by cashback.wallet_id;

comment on view telecom.num_of_cashback is 'How many cashback credits each wallet received (wallets without any are not listed).';
comment on column telecom.num_of_cashback.cashback_count is 'Number of cashback credits.';

grant select on telecom.num_of_cashback to telecom_admin;
--! EndIncluded reports/num_of_cashback.sql

--! split: 11-journal.sql
-- The money journal, idempotency keys and the audit: every rule re-declared from its file in migrations/fixtures/journal/.
--! Included journal/assert_money_amount.sql
-- Money arguments come from users: positive, whole cents, and within numeric(12,2).
create or replace function telecom_private.assert_money_amount(p_amount numeric) returns void
  language plpgsql
  immutable
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  if p_amount is null or p_amount <= 0 then
    raise exception 'The amount must be more than zero.' using errcode = 'TC104';
  end if;
  if p_amount <> round(p_amount, 2) then
    raise exception 'The amount % has more than two decimals.', p_amount using errcode = 'TC105';
  end if;
  if p_amount > 9999999999.99 then
    raise exception 'The amount % is too large.', p_amount using errcode = 'TC104';
  end if;
end;
$$;
--! EndIncluded journal/assert_money_amount.sql
--! Included journal/current_actor.sql
create or replace function telecom_private.current_actor() returns text
  language sql
  stable
as $$
  select case
    when telecom.current_role_is_admin() then 'admin:' || current_setting('jwt.claims.admin_id', true)
    when telecom.current_national_id() is not null then 'customer:' || telecom.current_national_id()
    -- A DBA in psql, without claims: keys are scoped to the login.
    else 'database:' || session_user
  end
$$;

comment on function telecom_private.current_actor() is 'Who makes the request, as idempotency keys are scoped: customer:<national_id>, admin:<admin_id>, or database:<login> without claims.';
--! EndIncluded journal/current_actor.sql
--! Included journal/idempotency_key.sql
-- Table telecom_private.idempotency_key: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

comment on table telecom_private.idempotency_key is 'Requests made with an idempotency key, and their results: a repeat returns the stored result.';
comment on column telecom_private.idempotency_key.actor is 'Who made the request (telecom_private.current_actor()); keys of different people never collide.';
comment on column telecom_private.idempotency_key.idempotency_key is 'The key the client chose for the request.';
comment on column telecom_private.idempotency_key.operation is 'The function called.';
comment on column telecom_private.idempotency_key.arguments is 'The arguments of the first request; a repeat must match them.';
comment on column telecom_private.idempotency_key.result is 'The first request''s result (a row as JSON); a repeat returns it.';
comment on column telecom_private.idempotency_key.created_at is 'When the first request was made.';
--! EndIncluded journal/idempotency_key.sql
--! Included journal/idempotency_replay.sql
-- Claims a key for this request. A concurrent twin blocks on the primary key until the first
-- transaction ends, then sees its stored result (or claims the key itself if the first rolled back).
-- A request that fails rolls its claim back with it, so the key can be used again.
create or replace function telecom_private.idempotency_replay(p_key uuid, p_operation text, p_arguments jsonb) returns jsonb
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_actor text := telecom_private.current_actor();
  v_stored telecom_private.idempotency_key;
begin
  if p_key is null then
    return null;
  end if;
  insert into telecom_private.idempotency_key (actor, idempotency_key, operation, arguments)
  values (v_actor, p_key, p_operation, p_arguments)
  on conflict do nothing;
  if found then
    return null;
  end if;
  select *
  into v_stored
  from telecom_private.idempotency_key
  where idempotency_key.actor = v_actor
    and idempotency_key.idempotency_key = p_key;
  if v_stored.operation <> p_operation or v_stored.arguments <> p_arguments then
    raise exception 'This idempotency key was already used for a different request.'
      using errcode = 'TC301';
  end if;
  return v_stored.result;
end;
$$;

comment on function telecom_private.idempotency_replay(uuid, text, jsonb) is 'Null when the request is new (or has no key): the caller proceeds. Otherwise the stored result of the first request with this key; TC301 if that request was a different one.';
--! EndIncluded journal/idempotency_replay.sql
--! Included journal/idempotency_store.sql
create or replace function telecom_private.idempotency_store(p_key uuid, p_result jsonb) returns void
  language sql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
  update telecom_private.idempotency_key
  set result = p_result
  where idempotency_key.actor = telecom_private.current_actor()
    and idempotency_key.idempotency_key = p_key
$$;

comment on function telecom_private.idempotency_store(uuid, jsonb) is 'Stores the result of a request claimed by idempotency_replay; does nothing without a key.';
--! EndIncluded journal/idempotency_store.sql
--! Included journal/money_journal.sql
-- Table telecom.money_journal: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.money_journal;
create policy select_own on telecom.money_journal
  for select to telecom_customer
  using (national_id = telecom.current_national_id());

drop policy if exists select_admin on telecom.money_journal;
create policy select_admin on telecom.money_journal
  for select to telecom_admin
  using (telecom.current_role_is_admin());

grant select on telecom.money_journal to telecom_customer, telecom_admin;

comment on table telecom.money_journal is 'Every change of an account balance, an account''s loyalty points or a wallet balance, with its cause. Summing the changes re-derives any balance (see audit_balances). Written by the database only.';
comment on column telecom.money_journal.journal_id is 'Order of the entries: a later entry of the same balance has a higher id.';
comment on column telecom.money_journal.account_kind is 'What changed: account_balance (money on the account), account_points (loyalty points) or wallet_balance.';
comment on column telecom.money_journal.mobile_no is 'The account, or for a wallet the number it is linked to.';
comment on column telecom.money_journal.wallet_id is 'The wallet, for wallet_balance entries; null otherwise.';
comment on column telecom.money_journal.national_id is 'The customer who owned the balance at the time.';
comment on column telecom.money_journal.change is 'How much the balance changed: positive in, negative out. Opening a balance is a change from 0, closing one a change to 0.';
comment on column telecom.money_journal.balance_after is 'The balance after the change.';
comment on column telecom.money_journal.operation is 'The function that made the change (e.g. transfer_to_mobile), or direct for a change made outside the functions (migrations, sample data, a DBA).';
comment on column telecom.money_journal.actor is 'Who made the request: customer:<national_id>, admin:<admin_id> or database:<login>.';
comment on column telecom.money_journal.transaction_id is 'The database transaction: entries of one operation (both sides of a transfer) share it.';
comment on column telecom.money_journal.recorded_at is 'When the change was made.';
--! EndIncluded journal/money_journal.sql
--! Included journal/tg_customer_account__journal.sql
-- The changed quantities of one row as journal entries; zero changes are left out. `old` is null
-- on insert (an opening entry) and `new` on delete (a closing one).
create or replace function telecom_private.tg_customer_account__journal() returns trigger
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  insert into telecom.money_journal (account_kind, mobile_no, national_id, change, balance_after, operation, actor)
  select
    entry.account_kind,
    coalesce(new.mobile_no, old.mobile_no),
    coalesce(new.national_id, old.national_id),
    entry.balance_after - entry.balance_before,
    entry.balance_after,
    coalesce(nullif(current_setting('telecom.operation', true), ''), 'direct'),
    telecom_private.current_actor()
  from (
    values
      ('account_balance', coalesce(old.balance, 0), coalesce(new.balance, 0)),
      ('account_points', coalesce(old.points, 0), coalesce(new.points, 0))
  ) as entry (account_kind, balance_before, balance_after)
  where entry.balance_after <> entry.balance_before;
  return null;
end;
$$;

create or replace trigger _200_journal
  after insert or update or delete
  on telecom.customer_account
  for each row
  execute function telecom_private.tg_customer_account__journal();
--! EndIncluded journal/tg_customer_account__journal.sql
--! Included journal/tg_wallet__journal.sql
create or replace function telecom_private.tg_wallet__journal() returns trigger
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  if coalesce(new.current_balance, 0) <> coalesce(old.current_balance, 0) then
    insert into telecom.money_journal (account_kind, mobile_no, wallet_id, national_id, change, balance_after, operation, actor)
    values (
      'wallet_balance',
      coalesce(new.mobile_no, old.mobile_no),
      coalesce(new.wallet_id, old.wallet_id),
      coalesce(new.national_id, old.national_id),
      coalesce(new.current_balance, 0) - coalesce(old.current_balance, 0),
      coalesce(new.current_balance, 0),
      coalesce(nullif(current_setting('telecom.operation', true), ''), 'direct'),
      telecom_private.current_actor()
    );
  end if;
  return null;
end;
$$;

create or replace trigger _200_journal
  after insert or update or delete
  on telecom.wallet
  for each row
  execute function telecom_private.tg_wallet__journal();
--! EndIncluded journal/tg_wallet__journal.sql
--! Included journal/audit_balances.sql
create or replace function telecom.audit_balances()
  returns table (
    account_kind text,
    mobile_no text,
    wallet_id integer,
    recorded_balance numeric,
    journal_balance numeric,
    last_balance_after numeric
  )
  language plpgsql
  stable
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
#variable_conflict use_column
begin
  if not telecom.current_role_is_admin() then
    raise exception 'Only an admin may audit the balances.'
      using errcode = '42501';
  end if;
  return query
  with recorded as (
    select 'account_balance' as account_kind, customer_account.mobile_no, null::integer as wallet_id, customer_account.balance::numeric as amount
    from telecom.customer_account
    union all
    select 'account_points', customer_account.mobile_no, null, customer_account.points
    from telecom.customer_account
    union all
    select 'wallet_balance', wallet.mobile_no, wallet.wallet_id, wallet.current_balance
    from telecom.wallet
  ),
  -- A wallet is followed by its id (its linked number may change); an account by its number.
  journaled as (
    select
      money_journal.account_kind,
      (array_agg(money_journal.mobile_no order by money_journal.journal_id desc))[1] as mobile_no,
      money_journal.wallet_id,
      sum(money_journal.change) as amount,
      (array_agg(money_journal.balance_after order by money_journal.journal_id desc))[1] as last_balance_after
    from telecom.money_journal
    group by
      money_journal.account_kind,
      money_journal.wallet_id,
      case when money_journal.wallet_id is null then money_journal.mobile_no end
  )
  select
    coalesce(recorded.account_kind, journaled.account_kind),
    coalesce(recorded.mobile_no, journaled.mobile_no),
    coalesce(recorded.wallet_id, journaled.wallet_id),
    coalesce(recorded.amount, 0),
    coalesce(journaled.amount, 0),
    coalesce(journaled.last_balance_after, 0)
  from recorded
  full join journaled
    on journaled.account_kind = recorded.account_kind
    and (
      journaled.wallet_id = recorded.wallet_id
      or (journaled.wallet_id is null and recorded.wallet_id is null and journaled.mobile_no = recorded.mobile_no)
    )
  where coalesce(recorded.amount, 0) <> coalesce(journaled.amount, 0)
    or coalesce(recorded.amount, 0) <> coalesce(journaled.last_balance_after, 0)
  order by 1, 2, 3;
end;
$$;

comment on function telecom.audit_balances() is 'Admin only. Every balance (account balance, account points, wallet balance) that disagrees with its money journal: the sum of its changes or the balance after its latest change. No rows means every balance is accounted for.';

grant execute on function telecom.audit_balances() to telecom_admin;
--! EndIncluded journal/audit_balances.sql

--! Previous: sha1:62286ec7456602625a22d93b47d73c022a7cfb07
--! Hash: sha1:146af9de6be8dcf79f7743bf67feea5fd69de3f2
--! Message: Money you can trust

--! split: 01-tables.sql
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

--! split: 02-identity.sql
-- Identity and access: who is calling, trusted sessions, the admin check.
--! Included identity/caller_role.sql
-- Who is calling (SPEC §2): the role the session switched to, or the login itself. Never
-- current_user, which inside a security definer function is the function's owner.
create or replace function telecom_private.caller_role() returns text
  language sql
  stable
as $$
  select case current_setting('role')
    when 'none' then session_user::text
    else current_setting('role')
  end
$$;

comment on function telecom_private.caller_role() is 'The caller''s role: current_setting(''role''), or session_user when no role was set.';
--! EndIncluded identity/caller_role.sql
--! Included identity/session_is_trusted.sql
-- A trusted session (SPEC §2) is the owner or a superuser calling as itself: a DBA in psql, a
-- migration, a script. It can already read and write every table, so every operation works for it
-- as for an admin; the security boundary is the API roles.
create or replace function telecom_private.session_is_trusted() returns boolean
  language sql
  stable
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
  select exists (
    select
    from pg_catalog.pg_roles as role
    where role.rolname = telecom_private.caller_role()
      and (role.rolname = 'telecom_owner' or role.rolsuper)
  )
$$;

comment on function telecom_private.session_is_trusted() is 'Whether the caller is telecom_owner or a superuser, not an API role.';
--! EndIncluded identity/session_is_trusted.sql
--! Included identity/current_role_is_admin.sql
-- A claim never raises a role's rights: admin_id counts only for the admin role, and only when it
-- names an admin. Policies call it as (select telecom.current_role_is_admin()): once per statement.
create or replace function telecom.current_role_is_admin() returns boolean
  language sql
  stable
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
  select telecom_private.session_is_trusted()
    or (
      telecom_private.caller_role() = 'telecom_admin'
      and exists (
        select
        from telecom_private.admin_user
        where admin_user.admin_id::text = current_setting('jwt.claims.admin_id', true)
      )
    )
$$;

comment on function telecom.current_role_is_admin() is 'Whether the request comes from a logged-in admin (the admin role with the id of an existing admin), or from a trusted database session (the owner or a superuser).';

grant execute on function telecom.current_role_is_admin() to telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
--! EndIncluded identity/current_role_is_admin.sql
--! Included identity/assert_account_access.sql
-- The gate of every operation scoped to an account: a customer may use only their own numbers
-- (42501 otherwise, whether or not the number exists); an admin or a trusted session any existing one.
create or replace function telecom.assert_account_access(mobile_no text) returns boolean
  language plpgsql
  stable
as $$
begin
  if telecom.current_role_is_admin() then
    if not exists (select from telecom.customer_account as account where account.mobile_no = assert_account_access.mobile_no) then
      raise exception 'There is no account with mobile number %.', assert_account_access.mobile_no using errcode = 'TC101';
    end if;
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

comment on function telecom.assert_account_access(text) is E'@behavior -queryField -mutationField -typeField\nTrue when the caller owns the account, or is an admin or a trusted session and the account exists; raises 42501 or TC101 otherwise.';

grant execute on function telecom.assert_account_access(text) to telecom_customer, telecom_admin;
--! EndIncluded identity/assert_account_access.sql
--! Included identity/switch_number.sql
-- switch_number (SPEC §5 "Several numbers"): a customer who holds several numbers reissues their
-- login for another of them, so every "caller's number" operation (transfer_to_mobile, open_ticket,
-- change_password) follows the number they chose.

create or replace function telecom.switch_number(mobile_no text) returns telecom.jwt_token
  language plpgsql
  volatile
  security invoker
as $$
declare
  v_account telecom.customer_account;
  v_expires_at bigint := extract(epoch from now() + interval '1 hour')::bigint;
begin
  if telecom.current_national_id() is null then
    raise exception 'Only a logged-in customer can switch numbers.' using errcode = '42501';
  end if;
  -- Unknown numbers and other people's numbers get the same answer: nothing tells whether they exist.
  select * into v_account
  from telecom.customer_account as account
  where account.mobile_no = switch_number.mobile_no
    and account.national_id = telecom.current_national_id();
  if not found then
    raise exception 'You can only switch to one of your own numbers.' using errcode = '42501';
  end if;
  -- A held account can still be viewed; the operations that need an active one refuse it themselves
  -- (TC103). The new token ends when the current one does (the server passes its expiry as
  -- jwt.claims.exp), so switching never prolongs a login; without that claim, one hour as a login.
  return (
    'telecom_customer',
    least(v_expires_at, coalesce(nullif(current_setting('jwt.claims.exp', true), '')::bigint, v_expires_at)),
    v_account.mobile_no,
    v_account.national_id,
    null
  )::telecom.jwt_token;
end;
$$;

comment on function telecom.switch_number(text) is 'Reissues the logged-in customer''s token for another of their own numbers (an account on hold too: it can be viewed, and operations that need an active account refuse it). The new token expires when the current one does. Another person''s number, or one that does not exist, is refused with 42501.';

grant execute on function telecom.switch_number(text) to telecom_customer;
--! EndIncluded identity/switch_number.sql

--! split: 03-accounts.sql
-- Accounts: issuing numbers, locks and balance credits, date rules.
--! Included accounts/customer_profile.sql
-- Table telecom.customer_profile: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.customer_profile;
create policy select_own on telecom.customer_profile for select to telecom_customer using (national_id = telecom.current_national_id());

drop policy if exists update_own on telecom.customer_profile;
create policy update_own on telecom.customer_profile for update to telecom_customer using (national_id = telecom.current_national_id());

drop policy if exists manage_admin on telecom.customer_profile;
create policy manage_admin on telecom.customer_profile for all to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.customer_profile from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
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
create policy manage_admin on telecom.customer_account for all to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.customer_account from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
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
--! Included accounts/tg_customer_profile__date_of_birth.sql
-- A date of birth is in the past (SPEC §3; the table's check keeps it after 1900).
create or replace function telecom_private.tg_customer_profile__date_of_birth() returns trigger
  language plpgsql
  volatile
as $$
begin
  if new.date_of_birth >= current_date then
    raise exception 'The date of birth (%) must be in the past.', new.date_of_birth using errcode = 'TC010';
  end if;
  return new;
end;
$$;

create or replace trigger _100_date_of_birth
  before insert or update of date_of_birth
  on telecom.customer_profile
  for each row
  execute function telecom_private.tg_customer_profile__date_of_birth();
--! EndIncluded accounts/tg_customer_profile__date_of_birth.sql
--! Included accounts/tg_customer_account__start_date.sql
-- An account cannot start in the future (SPEC §3).
create or replace function telecom_private.tg_customer_account__start_date() returns trigger
  language plpgsql
  volatile
as $$
begin
  if new.start_date > current_date then
    raise exception 'The account cannot start in the future (%).', new.start_date using errcode = 'TC011';
  end if;
  return new;
end;
$$;

create or replace trigger _100_start_date
  before insert or update of start_date
  on telecom.customer_account
  for each row
  execute function telecom_private.tg_customer_account__start_date();
--! EndIncluded accounts/tg_customer_account__start_date.sql
--! Included accounts/lock_active_account.sql
-- Locks the account (always the first lock a writing operation takes) after checking the caller
-- may use it and that it exists and is active. `for no key update`: inserts that reference the
-- account (payments, tickets, usage) do not wait for it.
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
  for no key update;
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
--! Included accounts/credit_account_balance.sql
-- Adds money to an account's balance inside a money operation, refusing an overflow of
-- numeric(12,2) with a money code instead of a bare 22003.
create or replace function telecom_private.credit_account_balance(p_mobile_no text, p_amount numeric) returns void
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  update telecom.customer_account as account
  set balance = account.balance + p_amount
  where account.mobile_no = p_mobile_no
    and account.balance + p_amount <= 9999999999.99;
  if not found then
    raise exception 'The balance of % cannot hold % more.', p_mobile_no, p_amount using errcode = 'TC317';
  end if;
end;
$$;
--! EndIncluded accounts/credit_account_balance.sql
--! Included accounts/issue_account.sql
-- Issues a number (SPEC §5): numbers belong to the operator, which gives one to an existing person,
-- or to a new person when the profile fields are given (they are ignored for an existing person).
-- Two admins issuing one number at once: the second gets TC601, never a bare 23505.
create or replace function telecom.issue_account(
  national_id integer,
  mobile_no text,
  account_type telecom.account_type,
  first_name text default null,
  last_name text default null,
  email text default null,
  address text default null,
  date_of_birth date default null
) returns telecom.customer_account
  language plpgsql
  volatile
as $$
declare
  v_account telecom.customer_account;
begin
  if not telecom.current_role_is_admin() then
    raise exception 'Only an admin can issue numbers.' using errcode = '42501';
  end if;
  if issue_account.mobile_no is null or issue_account.mobile_no !~ '^[0-9]{11}$' then
    raise exception 'A mobile number has 11 digits.' using errcode = 'TC611';
  end if;
  if issue_account.account_type is null then
    raise exception 'Choose the account type.' using errcode = 'TC612';
  end if;
  if not exists (select from telecom.customer_profile as profile where profile.national_id = issue_account.national_id) then
    if issue_account.first_name is null or issue_account.last_name is null or issue_account.date_of_birth is null then
      raise exception 'There is no customer with national id %: give their first name, last name and date of birth to register them.', issue_account.national_id
        using errcode = 'TC613';
    end if;
    begin
      insert into telecom.customer_profile (national_id, first_name, last_name, email, address, date_of_birth)
      values (issue_account.national_id, issue_account.first_name, issue_account.last_name, issue_account.email, issue_account.address, issue_account.date_of_birth);
    exception
      when unique_violation then
        raise exception 'A customer with national id % or e-mail % is already registered.', issue_account.national_id, issue_account.email
          using errcode = 'TC614';
    end;
  end if;
  begin
    insert into telecom.customer_account (mobile_no, national_id, account_type, start_date, status)
    values (issue_account.mobile_no, issue_account.national_id, issue_account.account_type, current_date, 'active')
    returning * into v_account;
  exception
    when unique_violation then
      raise exception 'The number % is already issued.', issue_account.mobile_no using errcode = 'TC610';
  end;
  return v_account;
end;
$$;

comment on function telecom.issue_account(integer, text, telecom.account_type, text, text, text, text, date) is 'Admin only. Issues a new number, active from today, to the person with that national id; for a new person, give first_name, last_name and date_of_birth (email and address are optional).';

grant execute on function telecom.issue_account(integer, text, telecom.account_type, text, text, text, text, date) to telecom_admin;
--! EndIncluded accounts/issue_account.sql

--! split: 04-plans.sql
-- Plans and subscriptions: paid_until, resume, subscription dates.
--! Included plans/service_plan.sql
-- Table telecom.service_plan: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_all on telecom.service_plan;
create policy select_all on telecom.service_plan for select using (true);

drop policy if exists manage_admin on telecom.service_plan;
create policy manage_admin on telecom.service_plan for all to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.service_plan from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
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
drop function if exists telecom.account_plan();
--! Included plans/subscription.sql
-- Table telecom.subscription: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.subscription;
create policy select_own on telecom.subscription for select to telecom_customer
  using (mobile_no = any (array(select telecom.current_mobile_nos())));

drop policy if exists manage_admin on telecom.subscription;
create policy manage_admin on telecom.subscription for all to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.subscription from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
grant select on telecom.subscription to telecom_customer;
grant select, insert, update, delete on telecom.subscription to telecom_admin;

-- The table keeps its SQL name; in GraphQL it is PlanSubscription (fields planSubscriptions…), so
-- the root Subscription type of GraphQL subscriptions can exist (SPEC §11).
comment on table telecom.subscription is E'@name plan_subscription\nAn account''s subscription to a service plan.';
comment on column telecom.subscription.mobile_no is 'The subscribed account.';
comment on column telecom.subscription.plan_id is 'The plan subscribed to.';
comment on column telecom.subscription.subscription_date is 'The day the account first subscribed to the plan; it never changes (renewals move paid_until).';
comment on column telecom.subscription.status is 'Whether the subscription is running or on hold.';
comment on column telecom.subscription.paid_until is 'The first day the subscription is not paid for: it covers a day while active and before this date. Null until a payment covers the plan''s price.';
--! EndIncluded plans/subscription.sql
--! Included plans/tg_subscription__dates.sql
-- A subscription is dated when the account first subscribed (SPEC §3): not in the future, not
-- before the account started, and never moved afterwards (renewals move paid_until).
create or replace function telecom_private.tg_subscription__dates() returns trigger
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  if tg_op = 'UPDATE' and new.subscription_date <> old.subscription_date then
    raise exception 'A subscription keeps the date it was first made (%).', old.subscription_date using errcode = 'TC013';
  end if;
  if new.subscription_date > current_date then
    raise exception 'A subscription cannot be dated in the future (%).', new.subscription_date using errcode = 'TC011';
  end if;
  if exists (
    select
    from telecom.customer_account as account
    where account.mobile_no = new.mobile_no
      and account.start_date > new.subscription_date
  ) then
    raise exception 'A subscription cannot start (%) before its account.', new.subscription_date using errcode = 'TC012';
  end if;
  return new;
end;
$$;

create or replace trigger _100_dates
  before insert or update of subscription_date, mobile_no
  on telecom.subscription
  for each row
  execute function telecom_private.tg_subscription__dates();
--! EndIncluded plans/tg_subscription__dates.sql
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
  plan_name text,
  subscription_status telecom.subscription_status
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
    plan.name,
    subscription.status
  from telecom.customer_account as account
  inner join telecom.subscription as subscription
    on subscription.mobile_no = account.mobile_no
  inner join telecom.service_plan as plan
    on plan.plan_id = subscription.plan_id
  order by account.mobile_no, plan.plan_id
$$;

comment on function telecom.account_plan() is 'Every account with each plan it subscribes to (active or on hold), one row per subscription, with its status.';

grant execute on function telecom.account_plan() to telecom_admin;
--! EndIncluded plans/account_plan.sql
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
  select *
  into v_subscription
  from telecom.subscription as subscription
  where subscription.mobile_no = subscribe_plan.mobile_no
    and subscription.plan_id = subscribe_plan.plan_id;
  if v_subscription.status = 'active' then
    raise exception '% is already subscribed to plan %.', subscribe_plan.mobile_no, subscribe_plan.plan_id using errcode = 'TC130';
  end if;
  if v_subscription.status = 'onhold' then
    raise exception 'The subscription of % to plan % is on hold: resume it.', subscribe_plan.mobile_no, subscribe_plan.plan_id using errcode = 'TC132';
  end if;
  insert into telecom.subscription (mobile_no, plan_id, subscription_date, status)
  values (subscribe_plan.mobile_no, subscribe_plan.plan_id, current_date, 'active')
  returning * into v_subscription;
  return v_subscription;
end;
$$;

comment on function telecom.subscribe_plan(text, integer) is 'Subscribes the account to a plan from today (not yet paid: paid_until stays empty until a payment covers the price). A subscription on hold is resumed with resume_subscription. The account must be active.';

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
  perform telecom_private.lock_active_account(hold_subscription.mobile_no);
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

comment on function telecom.hold_subscription(text, integer) is 'Puts the account''s active subscription to a plan on hold; its dates stay as they are.';

grant execute on function telecom.hold_subscription(text, integer) to telecom_customer, telecom_admin;
--! EndIncluded plans/hold_subscription.sql
--! Included plans/resume_subscription.sql
-- Makes a held subscription active again without touching its dates (SPEC §5).
create or replace function telecom.resume_subscription(mobile_no text, plan_id integer) returns telecom.subscription
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_subscription telecom.subscription;
begin
  perform telecom_private.lock_active_account(resume_subscription.mobile_no);
  update telecom.subscription as subscription
  set status = 'active'
  where subscription.mobile_no = resume_subscription.mobile_no
    and subscription.plan_id = resume_subscription.plan_id
    and subscription.status = 'onhold'
  returning * into v_subscription;
  if not found then
    raise exception '% has no subscription on hold to plan %.', resume_subscription.mobile_no, resume_subscription.plan_id using errcode = 'TC133';
  end if;
  return v_subscription;
end;
$$;

comment on function telecom.resume_subscription(text, integer) is 'Makes the account''s subscription on hold to a plan active again; its subscription date and paid_until stay as they are.';

grant execute on function telecom.resume_subscription(text, integer) to telecom_customer, telecom_admin;
--! EndIncluded plans/resume_subscription.sql

--! split: 05-usage.sql
-- Usage: records only against subscribed plans, dates; a missing date refused.
--! Included usage/plan_usage.sql
-- Table telecom.plan_usage: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.plan_usage;
create policy select_own on telecom.plan_usage for select to telecom_customer
  using (mobile_no = any (array(select telecom.current_mobile_nos())));

drop policy if exists manage_admin on telecom.plan_usage;
create policy manage_admin on telecom.plan_usage for all to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.plan_usage from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
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
--! Included usage/tg_plan_usage__dates_and_plan.sql
-- A usage record (SPEC §3) is not in the future, does not start before its account, and is
-- recorded only against a plan the account has a subscription to.
create or replace function telecom_private.tg_plan_usage__dates_and_plan() returns trigger
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  if new.end_date > current_date then
    raise exception 'Usage cannot be recorded for the future (%).', new.end_date using errcode = 'TC011';
  end if;
  if exists (
    select
    from telecom.customer_account as account
    where account.mobile_no = new.mobile_no
      and account.start_date > new.start_date
  ) then
    raise exception 'Usage cannot start (%) before its account.', new.start_date using errcode = 'TC012';
  end if;
  if not exists (
    select
    from telecom.subscription as subscription
    where subscription.mobile_no = new.mobile_no
      and subscription.plan_id = new.plan_id
  ) then
    raise exception '% has no subscription to plan %: usage is recorded only against its plans.', new.mobile_no, new.plan_id using errcode = 'TC014';
  end if;
  return new;
end;
$$;

create or replace trigger _100_dates_and_plan
  before insert or update
  on telecom.plan_usage
  for each row
  execute function telecom_private.tg_plan_usage__dates_and_plan();
--! EndIncluded usage/tg_plan_usage__dates_and_plan.sql
--! Included usage/account_usage_plan.sql
create or replace function telecom.account_usage_plan(mobile_no text, from_date date)
returns table (plan_id integer, total_data integer, total_minutes integer, total_sms integer)
  language plpgsql
  stable
as $$
begin
  if account_usage_plan.from_date is null then
    raise exception 'Give the first day of the period.' using errcode = 'TC150';
  end if;
  return query
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
  order by subscription.plan_id;
end;
$$;

comment on function telecom.account_usage_plan(text, date) is 'The account''s usage per plan it subscribes to, summed over usage records starting on or after from_date (data in MB); plans without such records show zeros.';

grant execute on function telecom.account_usage_plan(text, date) to telecom_admin;
--! EndIncluded usage/account_usage_plan.sql

--! split: 06-payments.sql
-- Payments: who may pay how (SPEC §10), effects applied once.
--! Included payments/payment.sql
-- Table telecom.payment: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.payment;
create policy select_own on telecom.payment for select to telecom_customer
  using (mobile_no = any (array(select telecom.current_mobile_nos())));

drop policy if exists manage_admin on telecom.payment;
create policy manage_admin on telecom.payment for all to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.payment from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
grant select on telecom.payment to telecom_customer;
grant select on telecom.payment to telecom_admin;

comment on table telecom.payment is 'A payment made by an account, for a plan or to top up the balance.';
comment on column telecom.payment.payment_id is 'Identifier of the payment.';
comment on column telecom.payment.mobile_no is 'The paying account.';
comment on column telecom.payment.amount is 'Amount paid.';
comment on column telecom.payment.date_of_payment is 'The day of the payment.';
comment on column telecom.payment.payment_method is 'How it was paid.';
comment on column telecom.payment.status is 'Outcome of the payment.';
comment on column telecom.payment.currency is 'The currency of the amount (EGP for every payment the operations make).';
comment on column telecom.payment.initiated_at is 'When the payment was started; a card payment still pending long after it is rejected as stale.';
comment on column telecom.payment.provider_reference is 'The card processor''s id of a card payment (the checkout), set when it is initiated; null for cash and wallet payments.';
--! EndIncluded payments/payment.sql
--! Included payments/process_payment.sql
-- Table telecom.process_payment: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.process_payment;
create policy select_own on telecom.process_payment for select to telecom_customer
  using (payment_id = any (array(select payment.payment_id from telecom.payment as payment)));

drop policy if exists manage_admin on telecom.process_payment;
create policy manage_admin on telecom.process_payment for all to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.process_payment from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
grant select on telecom.process_payment to telecom_customer;
grant select on telecom.process_payment to telecom_admin;

comment on table telecom.process_payment is 'The plan a payment paid for, and how it compared with the plan''s price. Computed by the database.';
comment on column telecom.process_payment.payment_id is 'The payment.';
comment on column telecom.process_payment.plan_id is 'The plan paid for.';
comment on column telecom.process_payment.remaining_balance is 'What was still owed for the plan: greatest(price - amount, 0) at the time of the payment.';
comment on column telecom.process_payment.extra_amount is 'What was paid beyond the plan''s price: greatest(amount - price, 0) at the time of the payment.';
--! EndIncluded payments/process_payment.sql
--! Included payments/tg_payment__date.sql
-- A payment is not dated in the future (SPEC §3).
create or replace function telecom_private.tg_payment__date() returns trigger
  language plpgsql
  volatile
as $$
begin
  if new.date_of_payment > current_date then
    raise exception 'A payment cannot be dated in the future (%).', new.date_of_payment using errcode = 'TC011';
  end if;
  return new;
end;
$$;

create or replace trigger _100_date
  before insert or update of date_of_payment
  on telecom.payment
  for each row
  execute function telecom_private.tg_payment__date();
--! EndIncluded payments/tg_payment__date.sql
--! Included payments/record_payment.sql
-- Who may pay how (SPEC §10), once for both kinds of payment. Runs inside a money operation, after
-- the account is locked. An admin or a trusted session takes cash and card at a shop: successful at
-- once. A customer cannot declare cash; their card payment is pending until the card processor
-- settles it (provider_reference is the checkout's id). A wallet payment debits the EGP wallet
-- linked to the number in the same transaction, whoever makes it.
create or replace function telecom_private.record_payment(p_account telecom.customer_account, p_amount numeric, p_method telecom.payment_method) returns telecom.payment
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
  return v_payment;
end;
$$;

comment on function telecom_private.record_payment(telecom.customer_account, numeric, telecom.payment_method) is 'Records a payment of the (locked) account as SPEC §10 allows the caller: successful at once, or pending for a customer''s card; debits the wallet for a wallet payment.';
--! EndIncluded payments/record_payment.sql
--! Included payments/apply_successful_payment.sql
-- The effects of a payment, applied exactly once, when it becomes successful (at once, or when the
-- card processor settles it). A plan payment that covers the price (remaining 0) activates the
-- subscription and moves paid_until one month past the later of today and its old paid_until; a
-- partial one leaves an existing subscription as it was and creates a missing one on hold. What a
-- plan payment pays beyond the price, and a recharge as a whole, is credited to the balance.
create or replace function telecom_private.apply_successful_payment(p_payment telecom.payment) returns void
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_process telecom.process_payment;
begin
  select *
  into v_process
  from telecom.process_payment
  where process_payment.payment_id = p_payment.payment_id;
  if not found then
    perform telecom_private.credit_account_balance(p_payment.mobile_no, p_payment.amount);
    return;
  end if;
  if v_process.remaining_balance = 0 then
    insert into telecom.subscription as subscription (mobile_no, plan_id, subscription_date, status, paid_until)
    values (p_payment.mobile_no, v_process.plan_id, current_date, 'active', (current_date + interval '1 month')::date)
    on conflict on constraint subscription_pkey do update
    set status = 'active',
      paid_until = (greatest(current_date, coalesce(subscription.paid_until, current_date)) + interval '1 month')::date;
  else
    insert into telecom.subscription (mobile_no, plan_id, subscription_date, status)
    values (p_payment.mobile_no, v_process.plan_id, current_date, 'onhold')
    on conflict on constraint subscription_pkey do nothing;
  end if;
  if v_process.extra_amount > 0 then
    perform telecom_private.credit_account_balance(p_payment.mobile_no, v_process.extra_amount);
  end if;
end;
$$;

comment on function telecom_private.apply_successful_payment(telecom.payment) is 'Applies a successful payment once: renews or creates the plan''s subscription and credits any extra amount, or credits a recharge to the balance.';
--! EndIncluded payments/apply_successful_payment.sql
--! Included payments/initiate_plan_payment.sql
-- Pays for a plan (SPEC §4.3, §10). The process_payment row, with the price at this moment, is
-- written at once, also for a pending card payment; the effects follow when the payment is successful.
create or replace function telecom.initiate_plan_payment(mobile_no text, amount numeric, payment_method telecom.payment_method, plan_id integer, idempotency_key uuid default null) returns telecom.payment
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_replay jsonb;
  v_account telecom.customer_account;
  v_price numeric(12, 2);
  v_payment telecom.payment;
begin
  v_replay := telecom_private.begin_money_operation(
    'initiate_plan_payment',
    initiate_plan_payment.idempotency_key,
    jsonb_build_object('mobile_no', mobile_no, 'amount', amount, 'payment_method', payment_method, 'plan_id', plan_id)
  );
  if v_replay is not null then
    return jsonb_populate_record(null::telecom.payment, v_replay);
  end if;
  v_account := telecom_private.lock_active_account(initiate_plan_payment.mobile_no);
  perform telecom_private.assert_money_amount(initiate_plan_payment.amount);
  select plan.price
  into v_price
  from telecom.service_plan as plan
  where plan.plan_id = initiate_plan_payment.plan_id;
  if not found then
    raise exception 'There is no plan %.', initiate_plan_payment.plan_id using errcode = 'TC102';
  end if;
  if initiate_plan_payment.amount < v_price and not telecom.current_role_is_admin() then
    raise exception 'The plan costs % EGP: pay at least that much.', v_price using errcode = 'TC319';
  end if;
  v_payment := telecom_private.record_payment(v_account, initiate_plan_payment.amount, initiate_plan_payment.payment_method);
  -- remaining_balance and extra_amount are computed by the trigger from the amount and the price.
  insert into telecom.process_payment (payment_id, plan_id, remaining_balance, extra_amount)
  values (v_payment.payment_id, initiate_plan_payment.plan_id, 0, 0);
  if v_payment.status = 'successful' then
    perform telecom_private.apply_successful_payment(v_payment);
  end if;
  perform telecom_private.finish_money_operation(to_jsonb(v_payment));
  return v_payment;
end;
$$;

comment on function telecom.initiate_plan_payment(text, numeric, telecom.payment_method, integer, uuid) is 'Pays for a plan. Admins record cash and card at a shop, successful at once; a customer pays by card (pending until the card processor settles it, provider_reference is the checkout) or from the EGP wallet linked to the number, and at least the plan''s price. Once successful, a payment that covers the price activates the subscription (created if absent, dated today) and moves paid_until one month on; an admin''s partial payment leaves it as it was. Any extra is credited to the balance. A repeat with the same idempotency_key returns the first payment.';

grant execute on function telecom.initiate_plan_payment(text, numeric, telecom.payment_method, integer, uuid) to telecom_customer, telecom_admin;
--! EndIncluded payments/initiate_plan_payment.sql
--! Included payments/initiate_balance_payment.sql
-- Recharges the account (SPEC §4.3, §10): once the payment is successful its amount is added to
-- the balance.
create or replace function telecom.initiate_balance_payment(mobile_no text, amount numeric, payment_method telecom.payment_method, idempotency_key uuid default null) returns telecom.payment
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_replay jsonb;
  v_account telecom.customer_account;
  v_payment telecom.payment;
begin
  v_replay := telecom_private.begin_money_operation(
    'initiate_balance_payment',
    initiate_balance_payment.idempotency_key,
    jsonb_build_object('mobile_no', mobile_no, 'amount', amount, 'payment_method', payment_method)
  );
  if v_replay is not null then
    return jsonb_populate_record(null::telecom.payment, v_replay);
  end if;
  v_account := telecom_private.lock_active_account(initiate_balance_payment.mobile_no);
  perform telecom_private.assert_money_amount(initiate_balance_payment.amount);
  v_payment := telecom_private.record_payment(v_account, initiate_balance_payment.amount, initiate_balance_payment.payment_method);
  if v_payment.status = 'successful' then
    perform telecom_private.apply_successful_payment(v_payment);
  end if;
  perform telecom_private.finish_money_operation(to_jsonb(v_payment));
  return v_payment;
end;
$$;

comment on function telecom.initiate_balance_payment(text, numeric, telecom.payment_method, uuid) is 'Recharges the account. Admins record cash and card at a shop, successful at once; a customer pays by card (pending until the card processor settles it) or from the EGP wallet linked to the number. Once successful, the amount is added to the balance. A repeat with the same idempotency_key returns the first payment.';

grant execute on function telecom.initiate_balance_payment(text, numeric, telecom.payment_method, uuid) to telecom_customer, telecom_admin;
--! EndIncluded payments/initiate_balance_payment.sql

--! split: 07-benefits.sql
-- Benefits and cashback: benefits that count, history kept, points earned minus spent.
--! Included benefits/benefit.sql
-- Table telecom.benefit: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.benefit;
create policy select_own on telecom.benefit for select to telecom_customer
  using (mobile_no = any (array(select telecom.current_mobile_nos())));

drop policy if exists manage_admin on telecom.benefit;
create policy manage_admin on telecom.benefit for all to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.benefit from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
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
create policy manage_admin on telecom.points_group for all to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.points_group from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
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
create policy manage_admin on telecom.exclusive_offer for all to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.exclusive_offer from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
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
create policy manage_admin on telecom.cashback for all to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.cashback from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
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
create policy manage_admin on telecom.plan_provides_benefits for all to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.plan_provides_benefits from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
grant select on telecom.plan_provides_benefits to telecom_customer;
grant select, insert, delete on telecom.plan_provides_benefits to telecom_admin;

comment on table telecom.plan_provides_benefits is 'Which benefits came with which plan.';
comment on column telecom.plan_provides_benefits.plan_id is 'The plan.';
comment on column telecom.plan_provides_benefits.benefit_id is 'A benefit the plan provides.';
--! EndIncluded benefits/plan_provides_benefits.sql
--! Included benefits/tg_benefit__keep_history.sql
-- A benefit that credited cashback or points is part of money history: it is ended
-- (benefits_account), never deleted. Checked before the foreign keys, so the refusal reads well.
create or replace function telecom_private.tg_benefit__keep_history() returns trigger
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  if exists (select from telecom.cashback as cashback where cashback.benefit_id = old.benefit_id)
    or exists (select from telecom.points_group as points where points.benefit_id = old.benefit_id)
  then
    raise exception 'Benefit % has credited cashback or points: end it instead of deleting it.', old.benefit_id using errcode = 'TC021';
  end if;
  return old;
end;
$$;

create or replace trigger _100_keep_history
  before delete
  on telecom.benefit
  for each row
  execute function telecom_private.tg_benefit__keep_history();
--! EndIncluded benefits/tg_benefit__keep_history.sql
--! Included benefits/tg_points_group__history.sql
-- Points earned by a successful payment are money history, like the payment (SPEC §3); a points
-- group joins a benefit and a payment of the same account.
create or replace function telecom_private.tg_points_group__history() returns trigger
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  if tg_op in ('UPDATE', 'DELETE') and exists (
    select
    from telecom.payment as payment
    where payment.payment_id = old.payment_id
      and payment.status = 'successful'
  ) then
    raise exception 'Points earned by a successful payment cannot be changed or deleted: they are money history.' using errcode = 'TC020';
  end if;
  if tg_op in ('INSERT', 'UPDATE') and not exists (
    select
    from telecom.benefit as benefit
    inner join telecom.payment as payment
      on payment.mobile_no = benefit.mobile_no
    where benefit.benefit_id = new.benefit_id
      and payment.payment_id = new.payment_id
  ) then
    raise exception 'A points group joins a benefit and a payment of the same account.' using errcode = 'TC015';
  end if;
  return coalesce(new, old);
end;
$$;

create or replace trigger _100_history
  before insert or update or delete
  on telecom.points_group
  for each row
  execute function telecom_private.tg_points_group__history();
--! EndIncluded benefits/tg_points_group__history.sql
--! Included benefits/tg_cashback__one_currency.sql
-- Cashback is credited in the currency of the payment that earned it (SPEC §3).
create or replace function telecom_private.tg_cashback__one_currency() returns trigger
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  -- Unknown payments and wallets are left to the foreign keys.
  if exists (
    select
    from telecom.payment as payment
    inner join telecom.wallet as wallet
      on wallet.wallet_id = new.wallet_id
    where payment.payment_id = new.payment_id
      and payment.currency <> wallet.currency
  ) then
    raise exception 'Cashback is credited in the payment''s currency: the wallet holds another one.' using errcode = 'TC016';
  end if;
  return new;
end;
$$;

create or replace trigger _100_one_currency
  before insert
  on telecom.cashback
  for each row
  execute function telecom_private.tg_cashback__one_currency();
--! EndIncluded benefits/tg_cashback__one_currency.sql
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
    and benefit.status = 'active'
    and benefit.validity_date >= current_date
    and offer.sms_offered > 0
  order by offer.offer_id
$$;

comment on function telecom.account_sms_offers(text) is 'The account''s exclusive offers that include SMS, of its benefits that count (active and unexpired).';

grant execute on function telecom.account_sms_offers(text) to telecom_admin;
--! EndIncluded benefits/account_sms_offers.sql
--! Included benefits/payment_wallet_cashback.sql
-- Credits 10% of a successful payment as cashback (SPEC §4.3): through a benefit of the account that
-- counts (active and unexpired), to the owner's wallet in the payment's currency, once per payment,
-- ever. The benefit is locked (for share) so that it cannot be ended or deleted while it pays.
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
  v_benefit telecom.benefit;
  v_amount numeric(12, 2);
  v_cashback telecom.cashback;
begin
  v_replay := telecom_private.begin_money_operation(
    'payment_wallet_cashback',
    payment_wallet_cashback.idempotency_key,
    jsonb_build_object('mobile_no', mobile_no, 'payment_id', payment_id, 'benefit_id', benefit_id)
  );
  if v_replay is not null then
    return jsonb_populate_record(null::telecom.cashback, v_replay);
  end if;
  v_account := telecom_private.lock_active_account(payment_wallet_cashback.mobile_no);
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
  v_amount := round(v_payment.amount * 0.10, 2);
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

comment on function telecom.payment_wallet_cashback(text, integer, integer, uuid) is 'Credits 10% of a successful payment of the account (rounded to the cent) as cashback, through one of the account''s benefits that counts (active, unexpired), to the owner''s wallet in the payment''s currency (the one linked to the number first). A payment earns cashback once, ever. A repeat with the same idempotency_key returns the first credit.';

grant execute on function telecom.payment_wallet_cashback(text, integer, integer, uuid) to telecom_customer, telecom_admin;
--! EndIncluded benefits/payment_wallet_cashback.sql
--! Included benefits/total_points_account.sql
-- Recomputes the account's points (SPEC §4.2): earned (the points groups of its successful
-- payments) minus spent (the vouchers it redeemed). The account row is locked first, as a redeem
-- locks it, so a recompute and a concurrent redeem take turns and neither is lost. Points never go
-- below zero: history that spent more than it earned (hand-made data) leaves 0.
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
  perform telecom_private.begin_money_operation('total_points_account', null, null);
  perform
  from telecom.customer_account as account
  where account.mobile_no = total_points_account.mobile_no
  for no key update;
  if not found then
    raise exception 'There is no account with mobile number %.', total_points_account.mobile_no using errcode = 'TC101';
  end if;
  update telecom.customer_account as account
  set points = greatest(
    coalesce((
      select sum(points.points_amount)
      from telecom.points_group as points
      inner join telecom.payment as payment
        on payment.payment_id = points.payment_id
      where payment.mobile_no = account.mobile_no
        and payment.status = 'successful'
    ), 0)
    - coalesce((
      select sum(voucher.points)
      from telecom.voucher as voucher
      where voucher.mobile_no = account.mobile_no
    ), 0),
    0
  )
  where account.mobile_no = total_points_account.mobile_no
  returning account.points into v_points;
  perform telecom_private.finish_money_operation(null);
  return v_points;
end;
$$;

comment on function telecom.total_points_account(text) is 'Admin only. Recomputes the account''s points as the points earned by its successful payments minus the points it spent on vouchers, stores and returns them.';

grant execute on function telecom.total_points_account(text) to telecom_admin;
--! EndIncluded benefits/total_points_account.sql
--! Included benefits/benefits_account.sql
-- Ends the account's active benefits that the plan provides (SPEC §4.2): they become expired as of
-- today and no longer count anywhere (reports, offers, cashback). Nothing is deleted: cashback and
-- points they credited stay, and a payment that earned cashback never earns it again.
create or replace function telecom.benefits_account(mobile_no text, plan_id integer) returns integer
  language plpgsql
  volatile
as $$
declare
  v_ended integer;
begin
  if not exists (select from telecom.customer_account as account where account.mobile_no = benefits_account.mobile_no) then
    raise exception 'There is no account with mobile number %.', benefits_account.mobile_no using errcode = 'TC101';
  end if;
  if not exists (select from telecom.service_plan as plan where plan.plan_id = benefits_account.plan_id) then
    raise exception 'There is no plan %.', benefits_account.plan_id using errcode = 'TC102';
  end if;
  update telecom.benefit as benefit
  set status = 'expired',
    validity_date = current_date
  where benefit.mobile_no = benefits_account.mobile_no
    and benefit.status = 'active'
    and exists (
      select
      from telecom.plan_provides_benefits as provides
      where provides.plan_id = benefits_account.plan_id
        and provides.benefit_id = benefit.benefit_id
    );
  get diagnostics v_ended = row_count;
  return v_ended;
end;
$$;

comment on function telecom.benefits_account(text, integer) is 'Admin only. Ends the account''s active benefits that the plan provides (expired as of today), so they no longer count in reports, offers or cashback; the cashback and points they credited stay. Returns how many benefits were ended.';

grant execute on function telecom.benefits_account(text, integer) to telecom_admin;
--! EndIncluded benefits/benefits_account.sql

--! split: 08-wallets.sql
-- Wallets and transfers: the payment wallet, overflow refused, one currency.
--! Included wallets/wallet.sql
-- Table telecom.wallet: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.wallet;
create policy select_own on telecom.wallet for select to telecom_customer using (national_id = telecom.current_national_id());

drop policy if exists manage_admin on telecom.wallet;
create policy manage_admin on telecom.wallet for all to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.wallet from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
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
create policy manage_admin on telecom.transfer_money for all to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.transfer_money from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
grant select on telecom.transfer_money to telecom_customer;
grant select on telecom.transfer_money to telecom_admin;

comment on table telecom.transfer_money is 'A transfer of money from one wallet to another.';
comment on column telecom.transfer_money.transfer_id is 'Identifier of the transfer.';
comment on column telecom.transfer_money.from_wallet_id is 'The wallet the money left.';
comment on column telecom.transfer_money.to_wallet_id is 'The wallet the money reached.';
comment on column telecom.transfer_money.amount is 'Amount transferred.';
comment on column telecom.transfer_money.transfer_date is 'The day of the transfer.';
--! EndIncluded wallets/transfer_money.sql
--! Included wallets/tg_transfer_money__one_currency.sql
-- A transfer stays within one currency (SPEC §3).
create or replace function telecom_private.tg_transfer_money__one_currency() returns trigger
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  -- Unknown wallets are left to the foreign keys.
  if exists (
    select
    from telecom.wallet as sender
    inner join telecom.wallet as recipient
      on recipient.wallet_id = new.to_wallet_id
    where sender.wallet_id = new.from_wallet_id
      and sender.currency <> recipient.currency
  ) then
    raise exception 'A transfer stays within one currency: the two wallets hold different ones.' using errcode = 'TC016';
  end if;
  return new;
end;
$$;

create or replace trigger _100_one_currency
  before insert
  on telecom.transfer_money
  for each row
  execute function telecom_private.tg_transfer_money__one_currency();
--! EndIncluded wallets/tg_transfer_money__one_currency.sql
--! Included wallets/lock_payment_wallet.sql
-- The wallet a payment of the account debits, or its cashback credits (SPEC §10): the wallet linked
-- to the number when it holds the currency, otherwise the owner's only wallet in that currency.
-- Locked after the account, as every money function does.
create or replace function telecom_private.lock_payment_wallet(p_account telecom.customer_account, p_currency text) returns telecom.wallet
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_wallet telecom.wallet;
begin
  select wallet.*
  into v_wallet
  from telecom.wallet as wallet
  where wallet.national_id = p_account.national_id
    and wallet.currency = p_currency
    and (
      wallet.mobile_no = p_account.mobile_no
      or (
        select count(*)
        from telecom.wallet as same_currency
        where same_currency.national_id = p_account.national_id
          and same_currency.currency = p_currency
      ) = 1
    )
  order by wallet.mobile_no = p_account.mobile_no desc
  limit 1
  for no key update;
  if not found then
    if not exists (select from telecom.wallet as wallet where wallet.national_id = p_account.national_id) then
      raise exception 'The owner of % has no wallet.', p_account.mobile_no using errcode = 'TC115';
    end if;
    raise exception 'No % wallet is linked to %.', p_currency, p_account.mobile_no using errcode = 'TC315';
  end if;
  return v_wallet;
end;
$$;

comment on function telecom_private.lock_payment_wallet(telecom.customer_account, text) is 'The wallet that pays for, or receives cashback of, a payment of the account in that currency; locked.';
--! EndIncluded wallets/lock_payment_wallet.sql
--! Included wallets/credit_wallet.sql
-- Adds money to a (locked) wallet inside a money operation, refusing an overflow of numeric(12,2)
-- with a money code instead of a bare 22003.
create or replace function telecom_private.credit_wallet(p_wallet_id integer, p_amount numeric) returns void
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  update telecom.wallet as wallet
  set current_balance = wallet.current_balance + p_amount,
    last_modified_date = current_date
  where wallet.wallet_id = p_wallet_id
    and wallet.current_balance + p_amount <= 9999999999.99;
  if not found then
    raise exception 'The wallet cannot hold % more.', p_amount using errcode = 'TC317';
  end if;
end;
$$;
--! EndIncluded wallets/credit_wallet.sql
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
  -- The caller's number: a customer's from their token; a trusted session names one with
  -- set_config('jwt.claims.mobile_no', ...) (SPEC §2). Admins have no wallet of their own.
  if v_from_mobile_no is null
    or not (telecom_private.caller_role() = 'telecom_customer' or telecom_private.session_is_trusted())
  then
    raise exception 'Only a customer can transfer money, from the wallet of the number they logged in with (admins have no wallet).'
      using errcode = 'TC310';
  end if;
  v_replay := telecom_private.begin_money_operation(
    'transfer_to_mobile',
    transfer_to_mobile.idempotency_key,
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
  for no key update;
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

  if v_to.current_balance + transfer_to_mobile.amount > 9999999999.99 then
    raise exception 'The wallet of % cannot hold % more.', v_to.mobile_no, transfer_to_mobile.amount
      using errcode = 'TC317';
  end if;
  update telecom.wallet
  set
    current_balance = wallet.current_balance
      + case when wallet.wallet_id = v_from_wallet_id then -transfer_to_mobile.amount else transfer_to_mobile.amount end,
    last_modified_date = current_date
  where wallet.wallet_id in (v_from_wallet_id, v_to_wallet_id);
  insert into telecom.transfer_money (from_wallet_id, to_wallet_id, amount)
  values (v_from_wallet_id, v_to_wallet_id, transfer_to_mobile.amount)
  returning * into v_transfer;

  perform telecom_private.finish_money_operation(to_jsonb(v_transfer));
  return v_transfer;
end;
$$;

comment on function telecom.transfer_to_mobile(text, numeric, uuid) is 'Moves money from the wallet of the number you logged in with to the wallet linked to another number, atomically, and records the transfer. Same currency only, no overdraft, not to yourself. With an idempotency key, a repeat returns the first transfer and moves nothing.';

grant execute on function telecom.transfer_to_mobile(text, numeric, uuid) to telecom_customer, telecom_admin;
--! EndIncluded wallets/transfer_to_mobile.sql

--! split: 09-vouchers.sql
-- Vouchers: redeemed by expiry, the money protocol.
--! Included vouchers/shop.sql
-- Table telecom.shop: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_all on telecom.shop;
create policy select_all on telecom.shop for select using (true);

drop policy if exists manage_admin on telecom.shop;
create policy manage_admin on telecom.shop for all to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.shop from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
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
create policy manage_admin on telecom.physical_shop for all to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.physical_shop from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
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
create policy manage_admin on telecom.e_shop for all to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.e_shop from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
grant select on telecom.e_shop to telecom_anonymous, telecom_customer;
grant select, insert, update, delete on telecom.e_shop to telecom_admin;

comment on table telecom.e_shop is 'An online shop.';
comment on column telecom.e_shop.shop_id is 'The shop.';
comment on column telecom.e_shop.url is 'Web address of the shop.';
comment on column telecom.e_shop.rating is 'Customer rating from 1 to 5.';
--! EndIncluded vouchers/e_shop.sql
--! Included vouchers/voucher.sql
-- Table telecom.voucher: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.voucher;
create policy select_own on telecom.voucher for select to telecom_customer
  using (mobile_no is null or mobile_no = any (array(select telecom.current_mobile_nos())));

drop policy if exists manage_admin on telecom.voucher;
create policy manage_admin on telecom.voucher for all to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.voucher from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
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
--! Included vouchers/tg_voucher__redeemed_by_expiry.sql
-- A voucher is redeemed on or before its expiry, and its two redemption columns go together (SPEC §3).
create or replace function telecom_private.tg_voucher__redeemed_by_expiry() returns trigger
  language plpgsql
  volatile
as $$
begin
  if new.redeem_date > new.expiry_date then
    raise exception 'Voucher % expired on % and cannot be redeemed after that.', new.voucher_id, new.expiry_date using errcode = 'TC017';
  end if;
  return new;
end;
$$;

create or replace trigger _100_redeemed_by_expiry
  before insert or update of redeem_date, expiry_date
  on telecom.voucher
  for each row
  execute function telecom_private.tg_voucher__redeemed_by_expiry();
--! EndIncluded vouchers/tg_voucher__redeemed_by_expiry.sql
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
  v_replay := telecom_private.begin_money_operation(
    'redeem_voucher_points',
    redeem_voucher_points.idempotency_key,
    jsonb_build_object('mobile_no', mobile_no, 'voucher_id', voucher_id)
  );
  if v_replay is not null then
    return jsonb_populate_record(null::telecom.voucher, v_replay);
  end if;
  v_account := telecom_private.lock_active_account(redeem_voucher_points.mobile_no);
  select *
  into v_voucher
  from telecom.voucher as voucher
  where voucher.voucher_id = redeem_voucher_points.voucher_id
  for no key update;
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
  update telecom.customer_account as account
  set points = account.points - v_voucher.points
  where account.mobile_no = v_account.mobile_no;
  update telecom.voucher as voucher
  set mobile_no = v_account.mobile_no,
    redeem_date = current_date
  where voucher.voucher_id = v_voucher.voucher_id
  returning * into v_voucher;
  perform telecom_private.finish_money_operation(to_jsonb(v_voucher));
  return v_voucher;
end;
$$;

comment on function telecom.redeem_voucher_points(text, integer, uuid) is 'Redeems an unredeemed voucher that expires today or later with the account''s points: deducts its points and marks it redeemed by the account today. The account must be active. A repeat with the same idempotency_key returns the first result.';

grant execute on function telecom.redeem_voucher_points(text, integer, uuid) to telecom_customer, telecom_admin;
--! EndIncluded vouchers/redeem_voucher_points.sql

--! split: 10-support.sql
-- Support: the admin check in the policies.
--! Included support/technical_support_ticket.sql
-- Table telecom.technical_support_ticket: who may read and write it (row-level security, grants) and what it means (comments).
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

drop policy if exists select_own on telecom.technical_support_ticket;
create policy select_own on telecom.technical_support_ticket for select to telecom_customer
  using (mobile_no = any (array(select telecom.current_mobile_nos())));

drop policy if exists manage_admin on telecom.technical_support_ticket;
create policy manage_admin on telecom.technical_support_ticket for all to telecom_admin using ((select telecom.current_role_is_admin()));

revoke all on telecom.technical_support_ticket from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
grant select on telecom.technical_support_ticket to telecom_customer;
grant select, insert, update, delete on telecom.technical_support_ticket to telecom_admin;

comment on table telecom.technical_support_ticket is 'A support request raised for an account.';
comment on column telecom.technical_support_ticket.ticket_id is 'Identifier of the ticket.';
comment on column telecom.technical_support_ticket.mobile_no is 'The account the ticket is about.';
comment on column telecom.technical_support_ticket.issue_description is 'What the customer reported.';
comment on column telecom.technical_support_ticket.priority_level is 'Priority from 1 (lowest) to 5 (most urgent).';
comment on column telecom.technical_support_ticket.status is 'Progress of the ticket.';
--! EndIncluded support/technical_support_ticket.sql

--! split: 11-reports.sql
-- Reports: benefits that count, voucher redemptions, receipts.
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
where benefit.status = 'active'
  and benefit.validity_date >= current_date;

comment on view telecom.all_benefits is 'Benefits that count: active and valid today or later.';

grant select on telecom.all_benefits to telecom_admin;
--! EndIncluded reports/all_benefits.sql
--! Included reports/e_shop_vouchers.sql
create or replace view telecom.e_shop_vouchers
with (security_invoker = true)
as
select
  shop.shop_id,
  shop.name,
  e_shop.url,
  voucher.voucher_id,
  voucher.value,
  voucher.mobile_no,
  voucher.redeem_date
from telecom.e_shop as e_shop
inner join telecom.shop as shop
  on shop.shop_id = e_shop.shop_id
inner join telecom.voucher as voucher
  on voucher.shop_id = e_shop.shop_id;

comment on view telecom.e_shop_vouchers is 'Online shops with every voucher they offer and its redemption (mobile_no and redeem_date, null while unredeemed).';

comment on column telecom.e_shop_vouchers.mobile_no is 'The account that redeemed the voucher; null while unredeemed.';
comment on column telecom.e_shop_vouchers.redeem_date is 'The day it was redeemed; null while unredeemed.';

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
  voucher.value,
  voucher.mobile_no,
  voucher.redeem_date
from telecom.physical_shop as physical_shop
inner join telecom.shop as shop
  on shop.shop_id = physical_shop.shop_id
inner join telecom.voucher as voucher
  on voucher.shop_id = physical_shop.shop_id;

comment on view telecom.physical_store_vouchers is 'Physical shops with every voucher they offer and its redemption (mobile_no and redeem_date, null while unredeemed).';

comment on column telecom.physical_store_vouchers.mobile_no is 'The account that redeemed the voucher; null while unredeemed.';
comment on column telecom.physical_store_vouchers.redeem_date is 'The day it was redeemed; null while unredeemed.';

grant select on telecom.physical_store_vouchers to telecom_admin;
--! EndIncluded reports/physical_store_vouchers.sql
--! Included reports/customer_receipts.sql
-- Receipts (SPEC §5): every payment, transfer, cashback credit and voucher redemption of a person,
-- each with a reference a customer can quote. security_invoker: a customer sees their own (the
-- tables' policies), an admin everyone's. A transfer is a receipt for each side: sent and received.
create or replace view telecom.customer_receipts
with (security_invoker = true)
as
select
  'PAY-' || payment.payment_id as reference,
  account.national_id,
  payment.mobile_no,
  'payment' as kind,
  payment.date_of_payment as receipt_date,
  payment.amount,
  payment.currency,
  coalesce('Plan ' || plan.name, 'Balance recharge') || ' by ' || payment.payment_method || ': ' || payment.status as description
from telecom.payment as payment
inner join telecom.customer_account as account
  on account.mobile_no = payment.mobile_no
left join telecom.process_payment as process
  on process.payment_id = payment.payment_id
left join telecom.service_plan as plan
  on plan.plan_id = process.plan_id
union all
select
  'TRF-' || transfer.transfer_id,
  sender.national_id,
  sender.mobile_no,
  'transfer_sent',
  transfer.transfer_date,
  transfer.amount,
  sender.currency,
  'Transfer sent'
from telecom.transfer_money as transfer
inner join telecom.wallet as sender
  on sender.wallet_id = transfer.from_wallet_id
union all
select
  'TRF-' || transfer.transfer_id,
  recipient.national_id,
  recipient.mobile_no,
  'transfer_received',
  transfer.transfer_date,
  transfer.amount,
  recipient.currency,
  'Transfer received'
from telecom.transfer_money as transfer
inner join telecom.wallet as recipient
  on recipient.wallet_id = transfer.to_wallet_id
union all
select
  'CSH-' || cashback.cashback_id,
  wallet.national_id,
  wallet.mobile_no,
  'cashback',
  cashback.credit_date,
  cashback.amount,
  wallet.currency,
  'Cashback: ' || benefit.description
from telecom.cashback as cashback
inner join telecom.wallet as wallet
  on wallet.wallet_id = cashback.wallet_id
inner join telecom.benefit as benefit
  on benefit.benefit_id = cashback.benefit_id
union all
select
  'VCH-' || voucher.voucher_id,
  account.national_id,
  voucher.mobile_no,
  'voucher',
  voucher.redeem_date,
  voucher.value,
  'EGP',
  'Voucher of ' || shop.name || ' for ' || voucher.points || ' points'
from telecom.voucher as voucher
inner join telecom.customer_account as account
  on account.mobile_no = voucher.mobile_no
inner join telecom.shop as shop
  on shop.shop_id = voucher.shop_id;

comment on view telecom.customer_receipts is E'@primaryKey reference,kind\nReceipts: every payment (PAY-), transfer sent or received (TRF-), cashback credit (CSH-) and voucher redemption (VCH-) of a person, with its date, amount and what it was for. Customers see their own.';
comment on column telecom.customer_receipts.reference is 'What to quote: PAY-, TRF-, CSH- or VCH- and the id.';
comment on column telecom.customer_receipts.national_id is 'The person the receipt belongs to.';
comment on column telecom.customer_receipts.mobile_no is 'The number (or the wallet''s number) concerned.';
comment on column telecom.customer_receipts.kind is 'payment, transfer_sent, transfer_received, cashback or voucher.';
comment on column telecom.customer_receipts.receipt_date is 'The day it happened.';
comment on column telecom.customer_receipts.amount is 'The amount (a voucher''s value), always positive; kind says the direction.';
comment on column telecom.customer_receipts.currency is 'The currency of the amount.';
comment on column telecom.customer_receipts.description is 'What it was for.';

grant select on telecom.customer_receipts to telecom_customer, telecom_admin;
--! EndIncluded reports/customer_receipts.sql

--! split: 12-journal.sql
-- The money journal: provenance from a private record, append-only history, a linear audit.
--! Included journal/current_actor.sql
-- Who makes a request, as the journal records it and idempotency keys are scoped.
create or replace function telecom_private.current_actor() returns text
  language sql
  stable
as $$
  select case
    -- A DBA in psql, a migration or a script: the database login.
    when telecom_private.session_is_trusted() then 'database:' || session_user
    when telecom_private.caller_role() = 'telecom_admin' then 'admin:' || current_setting('jwt.claims.admin_id', true)
    when telecom_private.caller_role() = 'telecom_customer' then 'customer:' || telecom.current_national_id()
    when telecom_private.caller_role() = 'telecom_payment_processor' then 'payment_processor'
    when telecom_private.caller_role() = 'telecom_network' then 'network:' || coalesce(nullif(current_setting('jwt.claims.network_id', true), ''), 'unnamed')
    else 'database:' || session_user
  end
$$;

comment on function telecom_private.current_actor() is 'Who makes the request: database:<login> for a trusted session, admin:<admin_id>, customer:<national_id>, payment_processor or network:<network_id>.';
--! EndIncluded journal/current_actor.sql
--! Included journal/money_operation.sql
-- Table telecom_private.money_operation: who may read and write it and what it means.
-- Its columns and constraints are table changes, made in the committed migrations (sql/schema.sql shows them).

comment on table telecom_private.money_operation is 'The money operation running in each transaction, written by begin_money_operation and removed by finish_money_operation; the journal triggers take the operation and actor of their entries from it. No API role can read or write it.';
comment on column telecom_private.money_operation.transaction_id is 'The transaction (txid_current()) the operation runs in.';
comment on column telecom_private.money_operation.operation is 'The money function running, e.g. transfer_to_mobile.';
comment on column telecom_private.money_operation.actor is 'Who called it (telecom_private.current_actor()).';
comment on column telecom_private.money_operation.idempotency_key is 'The request''s idempotency key, if it has one: its result is stored when the operation finishes.';
--! EndIncluded journal/money_operation.sql
--! Included journal/begin_money_operation.sql
-- The prologue of every money function (SPEC §10, one protocol for all):
-- 1. a request repeated with the same idempotency key by the same actor returns the first result:
--    the key is claimed in telecom_private.idempotency_key, and a concurrent twin blocks on its
--    primary key until the first transaction ends, then sees its result (or claims the key itself
--    if the first rolled back);
-- 2. otherwise the operation is recorded for this transaction in telecom_private.money_operation,
--    where the journal triggers read its name and actor. Only these functions write that table, so
--    an API role cannot forge the journal's provenance (a session setting could be).
-- The caller then locks in the fixed order: the account, wallets by id, then the payment or voucher.
create or replace function telecom_private.begin_money_operation(p_operation text, p_idempotency_key uuid, p_arguments jsonb) returns jsonb
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_actor text := telecom_private.current_actor();
  v_stored telecom_private.idempotency_key;
begin
  if p_idempotency_key is not null then
    insert into telecom_private.idempotency_key (actor, idempotency_key, operation, arguments)
    values (v_actor, p_idempotency_key, p_operation, p_arguments)
    on conflict do nothing;
    if not found then
      select *
      into v_stored
      from telecom_private.idempotency_key
      where idempotency_key.actor = v_actor
        and idempotency_key.idempotency_key = p_idempotency_key;
      if v_stored.operation <> p_operation or v_stored.arguments <> p_arguments then
        raise exception 'This idempotency key was already used for a different request.' using errcode = 'TC301';
      end if;
      return v_stored.result;
    end if;
  end if;
  insert into telecom_private.money_operation (transaction_id, operation, actor, idempotency_key)
  values (txid_current(), p_operation, v_actor, p_idempotency_key);
  return null;
end;
$$;

comment on function telecom_private.begin_money_operation(text, uuid, jsonb) is 'Starts a money operation: null when the request is new (the caller proceeds, its journal entries name the operation), or the stored result of the first request with this idempotency key (TC301 if that was a different request).';
--! EndIncluded journal/begin_money_operation.sql
--! Included journal/finish_money_operation.sql
-- The epilogue of every money function: stores the result for its idempotency key and ends the
-- operation record, so that later statements of the same transaction are journaled as what they are.
create or replace function telecom_private.finish_money_operation(p_result jsonb) returns void
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_operation telecom_private.money_operation;
begin
  delete from telecom_private.money_operation
  where money_operation.transaction_id = txid_current()
  returning * into v_operation;
  if v_operation.idempotency_key is not null then
    update telecom_private.idempotency_key
    set result = p_result
    where idempotency_key.actor = v_operation.actor
      and idempotency_key.idempotency_key = v_operation.idempotency_key;
  end if;
end;
$$;

comment on function telecom_private.finish_money_operation(jsonb) is 'Ends the money operation begun in this transaction and stores its result for its idempotency key.';
--! EndIncluded journal/finish_money_operation.sql
--! Included journal/tg_customer_account__journal.sql
-- The changed quantities of one account row as journal entries; zero changes are left out. `old` is
-- null on insert (an opening entry) and `new` on delete (a closing one). The operation and actor
-- come from the money operation running in this transaction; without one the change is `direct`,
-- made by the database login (a migration, sample data, a DBA).
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
    coalesce(operation.operation, 'direct'),
    coalesce(operation.actor, 'database:' || session_user)
  from (
    values
      ('account_balance', coalesce(old.balance, 0), coalesce(new.balance, 0)),
      ('account_points', coalesce(old.points, 0), coalesce(new.points, 0))
  ) as entry (account_kind, balance_before, balance_after)
  left join telecom_private.money_operation as operation
    on operation.transaction_id = txid_current()
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
-- A change of a wallet's balance as a journal entry, with the operation and actor of the money
-- operation running in this transaction (`direct` by the database login without one).
create or replace function telecom_private.tg_wallet__journal() returns trigger
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  insert into telecom.money_journal (account_kind, mobile_no, wallet_id, national_id, change, balance_after, operation, actor)
  select
    'wallet_balance',
    coalesce(new.mobile_no, old.mobile_no),
    coalesce(new.wallet_id, old.wallet_id),
    coalesce(new.national_id, old.national_id),
    coalesce(new.current_balance, 0) - coalesce(old.current_balance, 0),
    coalesce(new.current_balance, 0),
    coalesce(operation.operation, 'direct'),
    coalesce(operation.actor, 'database:' || session_user)
  from (select) as one_row
  left join telecom_private.money_operation as operation
    on operation.transaction_id = txid_current()
  where coalesce(new.current_balance, 0) <> coalesce(old.current_balance, 0);
  return null;
end;
$$;

create or replace trigger _200_journal
  after insert or update or delete
  on telecom.wallet
  for each row
  execute function telecom_private.tg_wallet__journal();
--! EndIncluded journal/tg_wallet__journal.sql
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
  using ((select telecom.current_role_is_admin()));

revoke all on telecom.money_journal from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;
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
--! Included journal/tg_money_history__append_only.sql
-- Money history is append-only (SPEC §3, §10): settled payments, transfers, cashback, redeemed
-- vouchers and the journal are never updated or deleted, by any writer, admins and DBAs included.
-- `db:clear` truncates (row triggers do not fire); a DBA may only break the rule by disabling
-- triggers on purpose. The message says which history the row is (the trigger's argument).
create or replace function telecom_private.tg_money_history__append_only() returns trigger
  language plpgsql
  volatile
as $$
begin
  raise exception '% cannot be changed or deleted: it is money history.', tg_argv[0] using errcode = 'TC020';
end;
$$;

create or replace trigger _050_append_only
  before update or delete
  on telecom.money_journal
  for each row
  execute function telecom_private.tg_money_history__append_only('A money journal entry');

create or replace trigger _050_append_only
  before update or delete
  on telecom.transfer_money
  for each row
  execute function telecom_private.tg_money_history__append_only('A transfer');

create or replace trigger _050_append_only
  before update or delete
  on telecom.cashback
  for each row
  execute function telecom_private.tg_money_history__append_only('A cashback credit');

create or replace trigger _050_append_only
  before update or delete
  on telecom.payment
  for each row
  when (old.status <> 'pending')
  execute function telecom_private.tg_money_history__append_only('A settled payment');

create or replace trigger _050_append_only
  before update or delete
  on telecom.voucher
  for each row
  when (old.mobile_no is not null)
  execute function telecom_private.tg_money_history__append_only('A redeemed voucher');
--! EndIncluded journal/tg_money_history__append_only.sql
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
  -- Each kind of balance is compared with its own entries through a join on equal keys (a hash
  -- join), so the audit takes time linear in the journal's size. An account is followed by its
  -- number; a wallet by its id (its linked number may change).
  return query
  with account_entries as (
    select
      money_journal.account_kind,
      money_journal.mobile_no,
      sum(money_journal.change) as amount,
      (array_agg(money_journal.balance_after order by money_journal.journal_id desc))[1] as last_balance_after
    from telecom.money_journal
    where money_journal.wallet_id is null
    group by money_journal.account_kind, money_journal.mobile_no
  ),
  wallet_entries as (
    select
      money_journal.wallet_id,
      (array_agg(money_journal.mobile_no order by money_journal.journal_id desc))[1] as mobile_no,
      sum(money_journal.change) as amount,
      (array_agg(money_journal.balance_after order by money_journal.journal_id desc))[1] as last_balance_after
    from telecom.money_journal
    where money_journal.wallet_id is not null
    group by money_journal.wallet_id
  ),
  recorded_accounts as (
    select entry.account_kind, customer_account.mobile_no, entry.amount
    from telecom.customer_account
    cross join lateral (
      values
        ('account_balance', customer_account.balance::numeric),
        ('account_points', customer_account.points::numeric)
    ) as entry (account_kind, amount)
  ),
  compared as (
    select
      coalesce(recorded.account_kind, journaled.account_kind) as account_kind,
      coalesce(recorded.mobile_no, journaled.mobile_no) as mobile_no,
      null::integer as wallet_id,
      coalesce(recorded.amount, 0) as recorded_balance,
      coalesce(journaled.amount, 0) as journal_balance,
      coalesce(journaled.last_balance_after, 0) as last_balance_after
    from recorded_accounts as recorded
    full join account_entries as journaled
      on journaled.account_kind = recorded.account_kind
      and journaled.mobile_no = recorded.mobile_no
    union all
    select
      'wallet_balance',
      coalesce(wallet.mobile_no, journaled.mobile_no),
      coalesce(wallet.wallet_id, journaled.wallet_id),
      coalesce(wallet.current_balance, 0),
      coalesce(journaled.amount, 0),
      coalesce(journaled.last_balance_after, 0)
    from telecom.wallet
    full join wallet_entries as journaled
      on journaled.wallet_id = wallet.wallet_id
  )
  select
    compared.account_kind,
    compared.mobile_no,
    compared.wallet_id,
    compared.recorded_balance,
    compared.journal_balance,
    compared.last_balance_after
  from compared
  where compared.recorded_balance <> compared.journal_balance
    or compared.recorded_balance <> compared.last_balance_after
  order by 1, 2, 3;
end;
$$;

comment on function telecom.audit_balances() is 'Admin only. Every balance (account balance, account points, wallet balance) that disagrees with its money journal: the sum of its changes or the balance after its latest change. No rows means every balance is accounted for.';

grant execute on function telecom.audit_balances() to telecom_admin;
--! EndIncluded journal/audit_balances.sql

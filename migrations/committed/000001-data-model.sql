--! Previous: -
--! Hash: sha1:d7ee62adc53b45181b2600934ec6150867383299
--! Message: data model

-- The telecom data model (SPEC §3): schemas, enum types, tables, the private credential tables and
-- the identity helpers. Security policies and grants come in later migrations; every table already
-- has row-level security enabled, so until a policy exists the API roles see nothing.

-- public holds only extensions: nobody may create objects there, and nothing new is executable by
-- default.
revoke all on schema public from public;
grant usage on schema public to telecom_anonymous, telecom_customer, telecom_admin;
alter default privileges revoke all on sequences from public;
alter default privileges revoke all on functions from public;

create schema telecom;
create schema telecom_private;
grant usage on schema telecom to telecom_anonymous, telecom_customer, telecom_admin;
alter default privileges in schema telecom revoke all on functions from public;
alter default privileges in schema telecom_private revoke all on functions from public;

comment on schema telecom is 'Everything the API exposes: customers, accounts, plans, usage, payments, wallets, benefits, shops, vouchers and tickets.';
comment on schema telecom_private is 'Credentials and internals; never exposed to the API.';

--------------------------------------------------------------------------------
-- Enumerations

create type telecom.account_type as enum ('post_paid', 'prepaid', 'pay_as_you_go');
create type telecom.account_status as enum ('active', 'onhold');
create type telecom.subscription_status as enum ('active', 'onhold');
create type telecom.payment_method as enum ('cash', 'credit', 'wallet');
create type telecom.payment_status as enum ('successful', 'pending', 'rejected');
create type telecom.benefit_status as enum ('active', 'expired');
create type telecom.ticket_status as enum ('open', 'in_progress', 'resolved');

comment on type telecom.account_type is 'How an account is billed: after the month (post_paid), from a balance topped up in advance (prepaid), or per use from the balance (pay_as_you_go).';
comment on type telecom.account_status is 'Whether an account may be used (active) or is suspended (onhold).';
comment on type telecom.subscription_status is 'Whether a plan subscription is running (active) or paused (onhold).';
comment on type telecom.payment_method is 'How a payment was made.';
comment on type telecom.payment_status is 'Outcome of a payment: only successful payments count towards plans, points and cashback.';
comment on type telecom.benefit_status is 'Whether a benefit can still be used (active) or has lapsed (expired).';
comment on type telecom.ticket_status is 'Progress of a support ticket.';

--------------------------------------------------------------------------------
-- Identity helpers: the claims of the verified JWT, set per transaction by the API server.

create function telecom.current_mobile_no() returns text
  language sql
  stable
as $$
  select nullif(current_setting('jwt.claims.mobile_no', true), '')
$$;

create function telecom.current_national_id() returns integer
  language sql
  stable
as $$
  select nullif(current_setting('jwt.claims.national_id', true), '')::integer
$$;

create function telecom.current_role_is_admin() returns boolean
  language sql
  stable
as $$
  select coalesce(nullif(current_setting('jwt.claims.admin_id', true), '') is not null, false)
$$;

comment on function telecom.current_mobile_no() is 'The mobile number the logged-in customer signed in with; null for admins and visitors.';
comment on function telecom.current_national_id() is 'The national id of the logged-in customer; null for admins and visitors.';
comment on function telecom.current_role_is_admin() is 'Whether the request comes from a logged-in admin.';

grant execute on function telecom.current_mobile_no() to telecom_anonymous, telecom_customer, telecom_admin;
grant execute on function telecom.current_national_id() to telecom_anonymous, telecom_customer, telecom_admin;
grant execute on function telecom.current_role_is_admin() to telecom_anonymous, telecom_customer, telecom_admin;

--------------------------------------------------------------------------------
-- Customers and their accounts

create table telecom.customer_profile (
  national_id integer primary key,
  first_name text not null check (btrim(first_name) <> ''),
  last_name text not null check (btrim(last_name) <> ''),
  email citext unique check (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
  address text check (btrim(address) <> ''),
  date_of_birth date not null check (date_of_birth >= date '1900-01-01')
);
alter table telecom.customer_profile enable row level security;

comment on table telecom.customer_profile is 'A customer: one person, identified by their national id, who may hold several mobile accounts.';
comment on column telecom.customer_profile.national_id is 'The national id number of the person; the key of the customer.';
comment on column telecom.customer_profile.first_name is 'Given name.';
comment on column telecom.customer_profile.last_name is 'Family name.';
comment on column telecom.customer_profile.email is 'E-mail address, unique regardless of letter case; optional.';
comment on column telecom.customer_profile.address is 'Postal address; optional.';
comment on column telecom.customer_profile.date_of_birth is 'Date of birth.';

create table telecom.customer_account (
  mobile_no text primary key check (mobile_no ~ '^[0-9]{11}$'),
  national_id integer not null references telecom.customer_profile (national_id),
  balance numeric(12, 2) not null default 0,
  account_type telecom.account_type not null,
  start_date date not null default current_date,
  status telecom.account_status not null default 'active',
  points integer not null default 0 check (points >= 0),
  -- Only post-paid accounts may owe money; the others pay in advance.
  check (account_type = 'post_paid' or balance >= 0),
  -- Lets wallet reference the pair, so a wallet always belongs to the owner of its number.
  unique (mobile_no, national_id)
);
alter table telecom.customer_account enable row level security;
create index customer_account_national_id_idx on telecom.customer_account (national_id);

comment on table telecom.customer_account is 'A mobile line (an account) of a customer.';
comment on column telecom.customer_account.mobile_no is 'The 11-digit mobile number; the key of the account.';
comment on column telecom.customer_account.national_id is 'The customer who owns the account.';
comment on column telecom.customer_account.balance is 'Money on the account; never negative unless the account is post-paid.';
comment on column telecom.customer_account.account_type is 'How the account is billed.';
comment on column telecom.customer_account.start_date is 'The day the line was opened.';
comment on column telecom.customer_account.status is 'Whether the account is active or on hold.';
comment on column telecom.customer_account.points is 'Loyalty points available to spend on vouchers.';

--------------------------------------------------------------------------------
-- Plans, subscriptions and usage

create table telecom.service_plan (
  plan_id integer primary key generated by default as identity,
  name text not null unique check (btrim(name) <> ''),
  price numeric(12, 2) not null check (price > 0),
  sms_offered integer not null check (sms_offered >= 0),
  minutes_offered integer not null check (minutes_offered >= 0),
  data_offered integer not null check (data_offered >= 0),
  description text
);
alter table telecom.service_plan enable row level security;

comment on table telecom.service_plan is 'A service plan of the public catalogue: a monthly price and its allowances.';
comment on column telecom.service_plan.plan_id is 'Identifier of the plan.';
comment on column telecom.service_plan.name is 'Unique name shown to customers.';
comment on column telecom.service_plan.price is 'Monthly price.';
comment on column telecom.service_plan.sms_offered is 'Text messages included per month.';
comment on column telecom.service_plan.minutes_offered is 'Call minutes included per month.';
comment on column telecom.service_plan.data_offered is 'Mobile data included per month, in megabytes.';
comment on column telecom.service_plan.description is 'Marketing description of the plan.';

create table telecom.subscription (
  mobile_no text not null references telecom.customer_account (mobile_no),
  plan_id integer not null references telecom.service_plan (plan_id),
  subscription_date date not null default current_date,
  status telecom.subscription_status not null default 'active',
  primary key (mobile_no, plan_id)
);
alter table telecom.subscription enable row level security;
create index subscription_plan_id_idx on telecom.subscription (plan_id, subscription_date);

comment on table telecom.subscription is 'An account''s subscription to a service plan.';
comment on column telecom.subscription.mobile_no is 'The subscribed account.';
comment on column telecom.subscription.plan_id is 'The plan subscribed to.';
comment on column telecom.subscription.subscription_date is 'The day the subscription was last started or renewed.';
comment on column telecom.subscription.status is 'Whether the subscription is running or on hold.';

create table telecom.plan_usage (
  usage_id integer primary key generated by default as identity,
  mobile_no text not null references telecom.customer_account (mobile_no),
  plan_id integer not null references telecom.service_plan (plan_id),
  start_date date not null,
  end_date date not null,
  data_consumption integer not null default 0 check (data_consumption >= 0),
  minutes_used integer not null default 0 check (minutes_used >= 0),
  sms_sent integer not null default 0 check (sms_sent >= 0),
  check (end_date >= start_date)
);
alter table telecom.plan_usage enable row level security;
create index plan_usage_mobile_no_idx on telecom.plan_usage (mobile_no, plan_id, start_date);
create index plan_usage_plan_id_idx on telecom.plan_usage (plan_id);

comment on table telecom.plan_usage is 'A usage record: what an account consumed of a plan between two dates.';
comment on column telecom.plan_usage.usage_id is 'Identifier of the usage record.';
comment on column telecom.plan_usage.mobile_no is 'The account that used the service.';
comment on column telecom.plan_usage.plan_id is 'The plan the usage counts against.';
comment on column telecom.plan_usage.start_date is 'First day covered by the record.';
comment on column telecom.plan_usage.end_date is 'Last day covered by the record.';
comment on column telecom.plan_usage.data_consumption is 'Mobile data used, in megabytes.';
comment on column telecom.plan_usage.minutes_used is 'Call minutes used.';
comment on column telecom.plan_usage.sms_sent is 'Text messages sent.';

--------------------------------------------------------------------------------
-- Payments

create table telecom.payment (
  payment_id integer primary key generated by default as identity,
  mobile_no text not null references telecom.customer_account (mobile_no),
  amount numeric(12, 2) not null check (amount > 0),
  date_of_payment date not null default current_date,
  payment_method telecom.payment_method not null,
  status telecom.payment_status not null default 'pending'
);
alter table telecom.payment enable row level security;
create index payment_mobile_no_idx on telecom.payment (mobile_no, date_of_payment);

comment on table telecom.payment is 'A payment made by an account, for a plan or to top up the balance.';
comment on column telecom.payment.payment_id is 'Identifier of the payment.';
comment on column telecom.payment.mobile_no is 'The paying account.';
comment on column telecom.payment.amount is 'Amount paid.';
comment on column telecom.payment.date_of_payment is 'The day of the payment.';
comment on column telecom.payment.payment_method is 'How it was paid.';
comment on column telecom.payment.status is 'Outcome of the payment.';

create table telecom.process_payment (
  payment_id integer primary key references telecom.payment (payment_id) on delete cascade,
  plan_id integer not null references telecom.service_plan (plan_id),
  remaining_balance numeric(12, 2) not null check (remaining_balance >= 0),
  extra_amount numeric(12, 2) not null check (extra_amount >= 0)
);
alter table telecom.process_payment enable row level security;
create index process_payment_plan_id_idx on telecom.process_payment (plan_id);

comment on table telecom.process_payment is 'The plan a payment paid for, and how it compared with the plan''s price. Computed by the database.';
comment on column telecom.process_payment.payment_id is 'The payment.';
comment on column telecom.process_payment.plan_id is 'The plan paid for.';
comment on column telecom.process_payment.remaining_balance is 'What was still owed for the plan: greatest(price - amount, 0) at the time of the payment.';
comment on column telecom.process_payment.extra_amount is 'What was paid beyond the plan''s price: greatest(amount - price, 0) at the time of the payment.';

-- remaining_balance and extra_amount are derived from the payment and the plan's price when the
-- row is written; whatever the client sent is overwritten.
create function telecom_private.tg_process_payment__compute_amounts() returns trigger
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

create trigger _100_compute_amounts
  before insert or update of payment_id, plan_id, remaining_balance, extra_amount
  on telecom.process_payment
  for each row
  execute function telecom_private.tg_process_payment__compute_amounts();

--------------------------------------------------------------------------------
-- Wallets and transfers

create table telecom.wallet (
  wallet_id integer primary key generated by default as identity,
  national_id integer not null references telecom.customer_profile (national_id),
  mobile_no text not null unique,
  current_balance numeric(12, 2) not null default 0 check (current_balance >= 0),
  currency text not null default 'EGP' check (currency ~ '^[A-Z]{3}$'),
  last_modified_date date not null default current_date,
  -- The linked number must belong to the wallet's owner.
  foreign key (mobile_no, national_id) references telecom.customer_account (mobile_no, national_id)
);
alter table telecom.wallet enable row level security;
create index wallet_national_id_idx on telecom.wallet (national_id);

comment on table telecom.wallet is 'A customer''s wallet: money that can be transferred or receive cashback, linked to one of their numbers.';
comment on column telecom.wallet.wallet_id is 'Identifier of the wallet.';
comment on column telecom.wallet.national_id is 'The customer who owns the wallet.';
comment on column telecom.wallet.mobile_no is 'The number the wallet is linked to (one wallet per number), an account of the owner.';
comment on column telecom.wallet.current_balance is 'Money in the wallet; never negative.';
comment on column telecom.wallet.currency is 'ISO 4217 currency code of the wallet.';
comment on column telecom.wallet.last_modified_date is 'The day the balance last changed.';

create table telecom.transfer_money (
  transfer_id integer primary key generated by default as identity,
  from_wallet_id integer not null references telecom.wallet (wallet_id),
  to_wallet_id integer not null references telecom.wallet (wallet_id),
  amount numeric(12, 2) not null check (amount > 0),
  transfer_date date not null default current_date,
  check (from_wallet_id <> to_wallet_id)
);
alter table telecom.transfer_money enable row level security;
create index transfer_money_from_wallet_id_idx on telecom.transfer_money (from_wallet_id, transfer_date);
create index transfer_money_to_wallet_id_idx on telecom.transfer_money (to_wallet_id);

comment on table telecom.transfer_money is 'A transfer of money from one wallet to another.';
comment on column telecom.transfer_money.transfer_id is 'Identifier of the transfer.';
comment on column telecom.transfer_money.from_wallet_id is 'The wallet the money left.';
comment on column telecom.transfer_money.to_wallet_id is 'The wallet the money reached.';
comment on column telecom.transfer_money.amount is 'Amount transferred.';
comment on column telecom.transfer_money.transfer_date is 'The day of the transfer.';

--------------------------------------------------------------------------------
-- Benefits: points, exclusive offers and cashback

create table telecom.benefit (
  benefit_id integer primary key generated by default as identity,
  description text not null check (btrim(description) <> ''),
  validity_date date not null,
  status telecom.benefit_status not null default 'active',
  mobile_no text not null references telecom.customer_account (mobile_no)
);
alter table telecom.benefit enable row level security;
create index benefit_mobile_no_idx on telecom.benefit (mobile_no);

comment on table telecom.benefit is 'A benefit granted to an account: loyalty points, an exclusive offer or cashback.';
comment on column telecom.benefit.benefit_id is 'Identifier of the benefit.';
comment on column telecom.benefit.description is 'What the benefit is.';
comment on column telecom.benefit.validity_date is 'The last day the benefit is valid.';
comment on column telecom.benefit.status is 'Whether the benefit is active or expired.';
comment on column telecom.benefit.mobile_no is 'The account the benefit belongs to.';

create table telecom.points_group (
  point_id integer primary key generated by default as identity,
  benefit_id integer not null references telecom.benefit (benefit_id) on delete cascade,
  points_amount integer not null check (points_amount > 0),
  payment_id integer not null references telecom.payment (payment_id)
);
alter table telecom.points_group enable row level security;
create index points_group_benefit_id_idx on telecom.points_group (benefit_id);
create index points_group_payment_id_idx on telecom.points_group (payment_id);

comment on table telecom.points_group is 'Loyalty points a payment earned through a benefit.';
comment on column telecom.points_group.point_id is 'Identifier of the points group.';
comment on column telecom.points_group.benefit_id is 'The benefit that granted the points.';
comment on column telecom.points_group.points_amount is 'How many points were earned.';
comment on column telecom.points_group.payment_id is 'The payment that earned them.';

create table telecom.exclusive_offer (
  offer_id integer primary key generated by default as identity,
  benefit_id integer not null references telecom.benefit (benefit_id) on delete cascade,
  internet_offered integer not null default 0 check (internet_offered >= 0),
  sms_offered integer not null default 0 check (sms_offered >= 0),
  minutes_offered integer not null default 0 check (minutes_offered >= 0)
);
alter table telecom.exclusive_offer enable row level security;
create index exclusive_offer_benefit_id_idx on telecom.exclusive_offer (benefit_id);

comment on table telecom.exclusive_offer is 'Extra allowances offered to an account through a benefit.';
comment on column telecom.exclusive_offer.offer_id is 'Identifier of the offer.';
comment on column telecom.exclusive_offer.benefit_id is 'The benefit the offer belongs to.';
comment on column telecom.exclusive_offer.internet_offered is 'Extra mobile data, in megabytes.';
comment on column telecom.exclusive_offer.sms_offered is 'Extra text messages.';
comment on column telecom.exclusive_offer.minutes_offered is 'Extra call minutes.';

create table telecom.cashback (
  cashback_id integer primary key generated by default as identity,
  benefit_id integer not null references telecom.benefit (benefit_id) on delete cascade,
  wallet_id integer not null references telecom.wallet (wallet_id),
  amount numeric(12, 2) not null check (amount > 0),
  credit_date date not null default current_date,
  -- A payment earns cashback at most once.
  payment_id integer unique references telecom.payment (payment_id)
);
alter table telecom.cashback enable row level security;
create index cashback_benefit_id_idx on telecom.cashback (benefit_id);
create index cashback_wallet_id_idx on telecom.cashback (wallet_id);

comment on table telecom.cashback is 'Money credited to a wallet through a benefit, usually for a payment.';
comment on column telecom.cashback.cashback_id is 'Identifier of the cashback credit.';
comment on column telecom.cashback.benefit_id is 'The benefit that granted the cashback.';
comment on column telecom.cashback.wallet_id is 'The wallet credited.';
comment on column telecom.cashback.amount is 'Amount credited.';
comment on column telecom.cashback.credit_date is 'The day it was credited.';
comment on column telecom.cashback.payment_id is 'The payment the cashback was earned for, if any; each payment earns cashback at most once.';

create table telecom.plan_provides_benefits (
  plan_id integer not null references telecom.service_plan (plan_id) on delete cascade,
  benefit_id integer not null references telecom.benefit (benefit_id) on delete cascade,
  primary key (plan_id, benefit_id)
);
alter table telecom.plan_provides_benefits enable row level security;
create index plan_provides_benefits_benefit_id_idx on telecom.plan_provides_benefits (benefit_id);

comment on table telecom.plan_provides_benefits is 'Which benefits came with which plan.';
comment on column telecom.plan_provides_benefits.plan_id is 'The plan.';
comment on column telecom.plan_provides_benefits.benefit_id is 'A benefit the plan provides.';

--------------------------------------------------------------------------------
-- Shops and vouchers

create table telecom.shop (
  shop_id integer primary key generated by default as identity,
  name text not null check (btrim(name) <> ''),
  category text not null check (btrim(category) <> '')
);
alter table telecom.shop enable row level security;

comment on table telecom.shop is 'A partner shop where vouchers can be spent: either a physical shop or an online shop.';
comment on column telecom.shop.shop_id is 'Identifier of the shop.';
comment on column telecom.shop.name is 'Name of the shop.';
comment on column telecom.shop.category is 'What the shop sells.';

create table telecom.physical_shop (
  shop_id integer primary key references telecom.shop (shop_id) on delete cascade,
  address text not null check (btrim(address) <> ''),
  working_hours text not null check (btrim(working_hours) <> '')
);
alter table telecom.physical_shop enable row level security;

comment on table telecom.physical_shop is 'A shop with a street address.';
comment on column telecom.physical_shop.shop_id is 'The shop.';
comment on column telecom.physical_shop.address is 'Street address.';
comment on column telecom.physical_shop.working_hours is 'Opening hours, as shown to customers.';

create table telecom.e_shop (
  shop_id integer primary key references telecom.shop (shop_id) on delete cascade,
  url text not null check (url ~ '^https?://[^[:space:]]+$'),
  rating integer not null check (rating between 1 and 5)
);
alter table telecom.e_shop enable row level security;

comment on table telecom.e_shop is 'An online shop.';
comment on column telecom.e_shop.shop_id is 'The shop.';
comment on column telecom.e_shop.url is 'Web address of the shop.';
comment on column telecom.e_shop.rating is 'Customer rating from 1 to 5.';

-- A shop is physical or online, not both. The shop row is locked first so that two transactions
-- adding the two kinds at once are serialised and the second one sees the first.
create function telecom_private.tg_shop__one_kind() returns trigger
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

create trigger _100_one_kind
  before insert or update of shop_id
  on telecom.physical_shop
  for each row
  execute function telecom_private.tg_shop__one_kind();

create trigger _100_one_kind
  before insert or update of shop_id
  on telecom.e_shop
  for each row
  execute function telecom_private.tg_shop__one_kind();

create table telecom.voucher (
  voucher_id integer primary key generated by default as identity,
  value numeric(12, 2) not null check (value > 0),
  expiry_date date not null,
  points integer not null check (points > 0),
  shop_id integer not null references telecom.shop (shop_id),
  mobile_no text references telecom.customer_account (mobile_no),
  redeem_date date,
  -- Redeemed means both: by whom and when.
  check ((mobile_no is null) = (redeem_date is null))
);
alter table telecom.voucher enable row level security;
create index voucher_shop_id_idx on telecom.voucher (shop_id);
create index voucher_mobile_no_idx on telecom.voucher (mobile_no, value);

comment on table telecom.voucher is 'A voucher for a partner shop, bought with loyalty points.';
comment on column telecom.voucher.voucher_id is 'Identifier of the voucher.';
comment on column telecom.voucher.value is 'What the voucher is worth in the shop.';
comment on column telecom.voucher.expiry_date is 'The last day the voucher can be redeemed.';
comment on column telecom.voucher.points is 'Loyalty points it costs.';
comment on column telecom.voucher.shop_id is 'The shop that accepts it.';
comment on column telecom.voucher.mobile_no is 'The account that redeemed it; null while unredeemed.';
comment on column telecom.voucher.redeem_date is 'The day it was redeemed; null while unredeemed.';

--------------------------------------------------------------------------------
-- Support

create table telecom.technical_support_ticket (
  ticket_id integer primary key generated by default as identity,
  mobile_no text not null references telecom.customer_account (mobile_no),
  issue_description text not null check (btrim(issue_description) <> ''),
  priority_level integer not null check (priority_level between 1 and 5),
  status telecom.ticket_status not null default 'open'
);
alter table telecom.technical_support_ticket enable row level security;
create index technical_support_ticket_mobile_no_idx on telecom.technical_support_ticket (mobile_no, status);

comment on table telecom.technical_support_ticket is 'A support request raised for an account.';
comment on column telecom.technical_support_ticket.ticket_id is 'Identifier of the ticket.';
comment on column telecom.technical_support_ticket.mobile_no is 'The account the ticket is about.';
comment on column telecom.technical_support_ticket.issue_description is 'What the customer reported.';
comment on column telecom.technical_support_ticket.priority_level is 'Priority from 1 (lowest) to 5 (most urgent).';
comment on column telecom.technical_support_ticket.status is 'Progress of the ticket.';

--------------------------------------------------------------------------------
-- Credentials (private)

create table telecom_private.customer_credential (
  mobile_no text primary key references telecom.customer_account (mobile_no) on delete cascade,
  password_hash text not null
);

comment on table telecom_private.customer_credential is 'Login of a customer account: a bcrypt hash of its password.';
comment on column telecom_private.customer_credential.mobile_no is 'The account that logs in with this password.';
comment on column telecom_private.customer_credential.password_hash is 'bcrypt hash (crypt() with gen_salt(''bf'')).';

create table telecom_private.admin_user (
  admin_id integer primary key generated by default as identity,
  username citext not null unique check (btrim(username::text) <> ''),
  password_hash text not null
);

comment on table telecom_private.admin_user is 'An administrator of the operator.';
comment on column telecom_private.admin_user.admin_id is 'Identifier of the admin.';
comment on column telecom_private.admin_user.username is 'Login name, case-insensitive.';
comment on column telecom_private.admin_user.password_hash is 'bcrypt hash (crypt() with gen_salt(''bf'')).';

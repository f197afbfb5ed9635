--! Previous: sha1:4bc758d61176101ce27efc640b94e9479ad98dba
--! Hash: sha1:4881e1c2c07f6a3a08fec5544b7d887fb12f046d
--! Message: Operations: the database's kind, TRUNCATE of money history refused, a maintenance tick that never overlaps and purges, TC409 for a missing usage partition, the operator's time zone on the database, TC101/TC102 in every account operation, room for HOT updates

--! split: 1-current.sql
-- Table changes here; rules are pulled in from migrations/fixtures (see migrations/CONVENTIONS.md).

-- What the database is for (docs/operations.md): development or production, written once when the
-- database is created, from the placeholder :DATABASE_KIND (the environment variable DATABASE_KIND that
-- `npm run db:*` sets from NODE_ENV). The commands that destroy data refuse a production database.
create table if not exists telecom_private.database_kind (
  kind text not null check (kind in ('development', 'production')),
  recorded_at timestamptz not null default now()
);
alter table telecom_private.database_kind enable row level security;
create unique index if not exists database_kind_one_row_idx on telecom_private.database_kind ((true));
insert into telecom_private.database_kind (kind) values (':DATABASE_KIND') on conflict do nothing;

-- When the maintenance tick last completed, and what it did (docs/operations.md).
create table if not exists telecom_private.maintenance_state (
  last_tick_at timestamptz not null,
  last_result jsonb not null
);
alter table telecom_private.maintenance_state enable row level security;
create unique index if not exists maintenance_state_one_row_idx on telecom_private.maintenance_state ((true));

-- The maintenance tick's purges find what has served its time by these (docs/operations.md).
create index if not exists idempotency_key_created_at_idx on telecom_private.idempotency_key (created_at);
create index if not exists sms_outbox_sent_at_idx on telecom_private.sms_outbox (sent_at);
create index if not exists verification_code_expires_at_idx on telecom_private.verification_code (expires_at);
create index if not exists login_failure_failed_at_idx on telecom_private.login_failure (failed_at);

-- A usage event of a month without its partition is TC409, not a bare 23514 (docs/usage.md).
create table if not exists telecom_private.usage_event_default partition of telecom.usage_event default;

-- Room in each page for a new version of a row, so an update that changes no indexed column is HOT
-- (no new index entries); autovacuum keeps the tables that churn small (docs/operations.md).
alter table telecom.customer_account set (fillfactor = 90);
alter table telecom.wallet set (fillfactor = 90);
alter table telecom_private.sms_outbox set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 500);
alter table telecom_private.idempotency_key set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 500);
alter table telecom_private.login_failure set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 500);
alter table telecom_private.verification_code set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 500);
alter table telecom_private.verification_code_guess set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 500);
alter table telecom_private.money_operation set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_cost_delay = 0);

-- A refunded report found by its refund alone (no flag beside it).
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
-- same answer. Locks: the account, then the payment, for no key update; the status is checked again
-- under the lock, so a report racing another report or reject_stale_payments settles the payment once.
create or replace function telecom.settle_payment(provider_reference text, outcome telecom.payment_status) returns telecom.payment
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_payment telecom.payment;
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
      end;
    end if;
    perform telecom_private.finish_money_operation(to_jsonb(v_payment));
  end if;
  -- A successful report answered with a refund (just now, or when it was first sent) gets that answer.
  if v_payment.status = settle_payment.outcome
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

-- The database's kind, set once; the tables db:clear keeps are tagged @schemaData.
--! Included operations/tg_database_kind__set_once.sql
-- A database's kind is what keeps the destructive commands away from production (docs/operations.md):
-- the migration writes it once, when the database is created, and nothing changes or removes it
-- afterwards. A DBA who must turn a copy of production into a development database makes a new one.
create or replace function telecom_private.tg_database_kind__set_once() returns trigger
  language plpgsql
  volatile
as $$
begin
  raise exception 'The database''s kind (development or production) is set once, when the database is created.' using errcode = 'TC022';
end;
$$;

comment on function telecom_private.tg_database_kind__set_once() is 'Refuses any change of the database''s kind (TC022): it is written once, by the migration that creates the database.';
--! EndIncluded operations/tg_database_kind__set_once.sql
--! Included operations/database_kind.sql
-- Table telecom_private.database_kind, and the function of the same name that reads it (docs/operations.md).
-- Its columns and constraints are table changes, made in the migrations (sql/schema.sql shows them).
-- The migration writes its one row from the placeholder :DATABASE_KIND when the database is created.

revoke all on telecom_private.database_kind from public;

-- @schemaData: the schema's own data, which db:clear keeps (api/src/db/clear.ts).
comment on table telecom_private.database_kind is E'@schemaData\nWhat the database is for, written once when it is created: db:reset, db:clear, db:seed and the tests refuse a production database, and money history refuses TRUNCATE there.';
comment on column telecom_private.database_kind.kind is 'development (sample data and demo logins allowed) or production.';
comment on column telecom_private.database_kind.recorded_at is 'When the database was created with this kind.';

-- The triggers on the table, in the order they fire (each function's own file says why).
create or replace trigger _050_set_once
  before update or delete
  on telecom_private.database_kind
  for each row
  execute function telecom_private.tg_database_kind__set_once();

create or replace trigger _050_set_once_truncate
  before truncate
  on telecom_private.database_kind
  for each statement
  execute function telecom_private.tg_database_kind__set_once();

create or replace function telecom_private.database_kind() returns text
  language sql
  stable
as $$
  select kind from telecom_private.database_kind
$$;

comment on function telecom_private.database_kind() is 'The database''s kind: development or production (null only before the migration that records it).';

revoke all on function telecom_private.database_kind() from public;
--! EndIncluded operations/database_kind.sql
--! Included errors/error_code.sql
-- The registry of project error codes: every code a function of the database or the API server
-- raises, with what it means. It is the one list: docs/error-codes.md and the web app's type of codes
-- (shared/error-codes.ts) are generated from it, and api/test/schema/error-codes.test.ts fails when a
-- function raises a code that is not here or a code here is raised nowhere. Add a code here when you
-- first raise it, in the range of its area (the hundreds: see the table's area column). Meanings are
-- written for the reader of docs/error-codes.md (Markdown).

-- @schemaData: the schema's own data, which db:clear keeps (api/src/db/clear.ts).
comment on table telecom_private.error_code is E'@schemaData\nEvery project error code (TC…) with its area and meaning: the one registry, from which docs/error-codes.md and shared/error-codes.ts are generated.';
comment on column telecom_private.error_code.code is 'The SQLSTATE a refusal carries (extensions.code in GraphQL): TC and three digits.';
comment on column telecom_private.error_code.area is 'The business area of the code''s hundreds: 0 schema integrity, 1 reference operations, 2 logins and identity, 3 money, 4 usage, 5 API limits, 6 admin management, 7 bills, 8 operations.';
comment on column telecom_private.error_code.meaning is 'What the code means, for the reader of docs/error-codes.md (Markdown).';

revoke all on telecom_private.error_code from public;

with registry (code, meaning) as (
  values
    ('TC001', 'a shop is physical or online, not both'),
    ('TC010', 'a date of birth must be in the past'),
    ('TC011', 'a date in the future: an account''s start, a subscription, a payment, usage'),
    ('TC012', 'a subscription or usage that starts before its account'),
    ('TC013', 'a subscription keeps the date it was first made (renewals move `paid_until`)'),
    ('TC014', 'usage recorded against a plan the account has no subscription to'),
    ('TC015', 'a points group joins a benefit and a payment of the same account'),
    ('TC016', 'a transfer or a cashback credit across currencies'),
    ('TC017', 'a voucher redeemed after its expiry'),
    ('TC020', 'money history (settled payments, transfers, cashback, redeemed vouchers, points of successful payments, the journal) cannot be changed or deleted, and its tables refuse `TRUNCATE` (except `npm run db:clear` on a development database)'),
    ('TC021', 'a benefit that credited cashback or points is ended, not deleted'),
    ('TC022', 'the database''s kind (development or production) is set once, when the database is created'),
    ('TC101', 'no account with that mobile number'),
    ('TC102', 'no such plan'),
    ('TC103', 'the account is on hold'),
    ('TC104', 'the amount must be more than zero and fit in numeric(12,2); through the API also an amount that is not a plain decimal (digits, at most one point: no hexadecimal, exponent, underscore, sign, space, list, boolean or number), refused before SQL'),
    ('TC105', 'the amount has more than two decimals'),
    ('TC106', 'no payment method given'),
    ('TC110', 'the payment is not one of the account''s'),
    ('TC111', 'only successful payments earn cashback'),
    ('TC112', 'the benefit is not one of the account''s'),
    ('TC113', 'the benefit has ended (expired, or past its validity date)'),
    ('TC114', 'the payment already earned cashback'),
    ('TC115', 'the account''s owner has no wallet to credit'),
    ('TC116', 'the payment is too small to earn a cent of cashback'),
    ('TC117', 'a payment made from the wallet earns no cashback: only cash and card payments bring money in from outside, or money would loop through the wallet'),
    ('TC120', 'no such voucher'),
    ('TC121', 'the voucher was already redeemed'),
    ('TC122', 'the voucher has expired'),
    ('TC123', 'not enough points for the voucher'),
    ('TC130', 'already subscribed to the plan'),
    ('TC131', 'no active subscription to that plan'),
    ('TC132', 'the subscription is on hold: resume it'),
    ('TC133', 'no subscription on hold to that plan'),
    ('TC140', 'the ticket needs a description (at most 2000 characters)'),
    ('TC141', 'the priority must be from 1 to 5'),
    ('TC142', 'no such ticket'),
    ('TC143', 'the ticket is already resolved'),
    ('TC150', 'a period without its first or last day'),
    ('TC151', 'a period that ends before it starts'),
    ('TC201', 'the login token is invalid (HTTP 401)'),
    ('TC202', 'the login token has expired (HTTP 401)'),
    ('TC212', 'the password must have at least 8 characters'),
    ('TC220', 'too many failed attempts (a login, a code, code requests, `transfer_recipient` look-ups, e-mail addresses that cannot be used): wait the seconds in `extensions.retryAfter` (HTTP `Retry-After`)'),
    ('TC221', 'a password has at most 72 bytes (bcrypt would ignore the rest)'),
    ('TC223', 'this e-mail cannot be used (another person has it; an admin''s direct update, customers get the status `email_cannot_be_used` of `update_my_profile`)'),
    ('TC224', 'a mobile number has 11 digits (`request_verification_code`, `register_customer`, `reset_password`)'),
    ('TC225', 'an e-mail address must look like name@example.com (`update_my_profile`)'),
    ('TC301', 'the idempotency key was already used for a different request'),
    ('TC310', 'only a customer can transfer, from their own wallet (admins and visitors have none)'),
    ('TC311', 'the caller''s number has no wallet'),
    ('TC312', 'the number to transfer to is not 11 digits'),
    ('TC313', 'you cannot transfer to that number: one answer whatever the reason (no wallet, another currency, a full wallet, an unknown number)'),
    ('TC314', 'a transfer to one''s own wallet'),
    ('TC315', 'no wallet in the payment''s currency (EGP) is linked to the number'),
    ('TC316', 'insufficient wallet balance'),
    ('TC317', 'a balance cannot hold that much more (numeric(12,2)); a card payment is refused when it is initiated if what it would credit does not fit'),
    ('TC318', 'a customer cannot pay cash: it is paid at a shop'),
    ('TC319', 'a customer pays at least the plan''s price'),
    ('TC320', 'no card payment with that `provider_reference` (webhook: HTTP 404)'),
    ('TC321', 'the card payment was already successful: a rejection now is refused (webhook: HTTP 409)'),
    ('TC322', 'the card payment was already rejected (declined, or pending too long): a successful report now is refused and logged for a refund in `card_refund` (webhook: HTTP 409)'),
    ('TC323', 'a payment is settled as `successful` or `rejected`, nothing else'),
    ('TC324', 'only a rejected card payment can be logged for a refund'),
    ('TC325', 'the age of a stale payment must be an interval of zero or more'),
    ('TC401', 'usage for a number that has no account'),
    ('TC402', 'a usage quantity that is missing, not more than zero, or too large for one event (data 1,048,576 MB, voice 1,440 minutes, sms 1,000)'),
    ('TC403', 'a usage event without its kind (an unknown kind is refused by the type, `22P02`)'),
    ('TC404', 'a usage event in the future, or without its moment'),
    ('TC405', 'a usage event more than 7 days old'),
    ('TC406', 'a usage event id already used for another event (other number, kind, quantity or moment)'),
    ('TC407', 'a usage event without its id'),
    ('TC408', 'no tariff for that kind of usage beyond the allowances'),
    ('TC409', 'a usage event of a month that has no partition yet: run `npm run maintenance` (the maintenance tick keeps this and next month''s partitions)'),
    ('TC500', 'an unexpected error on the server: the client gets an error id, the log has the details under it (HTTP 500 when nothing ran)'),
    ('TC501', 'not one of the web app''s trusted documents (production, anyone but an admin), or an unknown document id (HTTP 400)'),
    ('TC502', 'the document has more than 10,000 tokens (HTTP 400)'),
    ('TC503', 'fields nested more than 12 levels deep (HTTP 400)'),
    ('TC504', 'more than 50 aliases (HTTP 400)'),
    ('TC505', 'more than 2,000 fields once every fragment is expanded (HTTP 400)'),
    ('TC506', '`first` or `last` above 100 (customers and visitors)'),
    ('TC507', 'a batch (a JSON array of requests) (HTTP 400)'),
    ('TC508', 'too many requests of one person (or visitor address) running at once (HTTP 429, `Retry-After`)'),
    ('TC509', 'introspection by anyone but an admin in production (HTTP 403)'),
    ('TC510', 'a serialization failure or deadlock (`40001`, `40P01`): retry, with the same idempotency key (`extensions.retryable`)'),
    ('TC511', 'a live subscription without the login it needs: `myLiveUpdates` is a customer''s, `adminLiveUsage` an admin''s (HTTP 403)'),
    ('TC512', 'a cursor (`after`, `before`) that is not one the server gave'),
    ('TC513', 'a variable that does not fit its type'),
    ('TC514', 'an `operationName` the document does not have (or none, for a document of several operations)'),
    ('TC515', 'an update with nothing to change (an empty `patch`)'),
    ('TC516', 'a `filter` that is null or empty: leave it out to ask for everything'),
    ('TC517', 'a request that is not GraphQL this server can run: a document that does not fit the schema, a malformed body'),
    ('TC518', 'a request body over 100 kB (HTTP 413)'),
    ('TC601', 'the plan has subscribers: it can be deleted only while nobody has subscribed to it'),
    ('TC602', 'the plan has payments or usage on record: it stays as history'),
    ('TC603', 'the shop offers vouchers: delete its unredeemed vouchers first'),
    ('TC604', 'no row estimate for that name (only the admin reports and lists have one)'),
    ('TC610', 'the number is already issued'),
    ('TC611', 'a mobile number has 11 digits'),
    ('TC612', 'no account type given'),
    ('TC613', 'no customer with that national id, and no name and date of birth to register them'),
    ('TC614', 'a new customer''s national id or e-mail is already registered'),
    ('TC615', 'a network client id or network id that is not 3–64 (1–64) letters, digits, dots, dashes or underscores'),
    ('TC616', 'a network secret shorter than 16 characters or longer than 72 bytes')
), written as (
  insert into telecom_private.error_code (code, meaning)
  select registry.code, registry.meaning
  from registry
  on conflict (code) do update
    set meaning = excluded.meaning
    where error_code.meaning is distinct from excluded.meaning
  returning error_code.code
)
delete from telecom_private.error_code as old_code
where not exists (
  select
  from registry
  where registry.code = old_code.code
);
--! EndIncluded errors/error_code.sql

-- Money history refuses TRUNCATE, except db:clear's on a development database.
--! Included journal/tg_money_history__no_truncate.sql
-- Money history is append-only (docs/money.md), and TRUNCATE fires no row trigger: so every table of
-- money history refuses it by a statement trigger as well. The one exception is `npm run db:clear`
-- on a development database (docs/operations.md): its transaction sets telecom.clearing to on. A
-- production database refuses it whatever the session sets. The argument names the history.
create or replace function telecom_private.tg_money_history__no_truncate() returns trigger
  language plpgsql
  volatile
as $$
begin
  if current_setting('telecom.clearing', true) = 'on' and telecom_private.database_kind() = 'development' then
    return null;
  end if;
  raise exception '% are money history: TRUNCATE is refused (only npm run db:clear empties them, on a development database).', tg_argv[0]
    using errcode = 'TC020';
end;
$$;

comment on function telecom_private.tg_money_history__no_truncate() is 'Refuses TRUNCATE of a money-history table (TC020), except in db:clear''s transaction (telecom.clearing on) on a development database.';
--! EndIncluded journal/tg_money_history__no_truncate.sql
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

-- The triggers on the table, in the order they fire (each function's own file says why).
create or replace trigger _050_append_only
  before update or delete
  on telecom.payment
  for each row
  when (old.status <> 'pending')
  execute function telecom_private.tg_money_history__append_only('A settled payment');

create or replace trigger _050_no_truncate
  before truncate
  on telecom.payment
  for each statement
  execute function telecom_private.tg_money_history__no_truncate('Payments');

create or replace trigger _100_date
  before insert or update of date_of_payment
  on telecom.payment
  for each row
  execute function telecom_private.tg__not_in_future('date_of_payment', 'A payment cannot be dated in the future (%s).');
--! EndIncluded payments/payment.sql
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

-- The triggers on the table, in the order they fire (each function's own file says why).
create or replace trigger _050_no_truncate
  before truncate
  on telecom.points_group
  for each statement
  execute function telecom_private.tg_money_history__no_truncate('Points earned by payments');

create or replace trigger _100_history
  before insert or update or delete
  on telecom.points_group
  for each row
  execute function telecom_private.tg_points_group__history();
--! EndIncluded benefits/points_group.sql
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

-- The triggers on the table, in the order they fire (each function's own file says why).
create or replace trigger _050_append_only
  before update or delete
  on telecom.cashback
  for each row
  execute function telecom_private.tg_money_history__append_only('A cashback credit');

create or replace trigger _050_no_truncate
  before truncate
  on telecom.cashback
  for each statement
  execute function telecom_private.tg_money_history__no_truncate('Cashback credits');

create or replace trigger _100_one_currency
  before insert
  on telecom.cashback
  for each row
  execute function telecom_private.tg__one_currency('Cashback is credited in the payment''s currency: the wallet holds another one.');
--! EndIncluded benefits/cashback.sql
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

-- The triggers on the table, in the order they fire (each function's own file says why).
create or replace trigger _050_append_only
  before update or delete
  on telecom.voucher
  for each row
  when (old.mobile_no is not null)
  execute function telecom_private.tg_money_history__append_only('A redeemed voucher');

create or replace trigger _050_no_truncate
  before truncate
  on telecom.voucher
  for each statement
  execute function telecom_private.tg_money_history__no_truncate('Vouchers');

create or replace trigger _100_redeemed_by_expiry
  before insert or update of redeem_date, expiry_date
  on telecom.voucher
  for each row
  execute function telecom_private.tg_voucher__redeemed_by_expiry();
--! EndIncluded vouchers/voucher.sql
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

-- The triggers on the table, in the order they fire (each function's own file says why).
create or replace trigger _050_append_only
  before update or delete
  on telecom.transfer_money
  for each row
  execute function telecom_private.tg_money_history__append_only('A transfer');

create or replace trigger _050_no_truncate
  before truncate
  on telecom.transfer_money
  for each statement
  execute function telecom_private.tg_money_history__no_truncate('Transfers');

create or replace trigger _100_one_currency
  before insert
  on telecom.transfer_money
  for each row
  execute function telecom_private.tg__one_currency('A transfer stays within one currency: the two wallets hold different ones.');
--! EndIncluded wallets/transfer_money.sql
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

-- The triggers on the table, in the order they fire (each function's own file says why).
create or replace trigger _050_append_only
  before update or delete
  on telecom.money_journal
  for each row
  execute function telecom_private.tg_money_history__append_only('A money journal entry');

create or replace trigger _050_no_truncate
  before truncate
  on telecom.money_journal
  for each statement
  execute function telecom_private.tg_money_history__no_truncate('Money journal entries');
--! EndIncluded journal/money_journal.sql

-- The maintenance tick never overlaps another, records when it ran, and purges what has served its time.
--! Included operations/maintenance_state.sql
-- Table telecom_private.maintenance_state: what it means (comments). Its one row is written by every
-- completed maintenance tick (telecom.maintenance_tick); /health reads it through last_maintenance_tick.
-- Its columns and constraints are table changes, made in the migrations (sql/schema.sql shows them).

revoke all on telecom_private.maintenance_state from public;

comment on table telecom_private.maintenance_state is 'The last completed maintenance tick: when it ran and what it did (one row, absent until the first tick).';
comment on column telecom_private.maintenance_state.last_tick_at is 'When the last completed tick started (its transaction''s time).';
comment on column telecom_private.maintenance_state.last_result is 'What that tick did: its result, one key per job.';
--! EndIncluded operations/maintenance_state.sql
--! Included operations/last_maintenance_tick.sql
-- When the maintenance tick last completed (docs/operations.md): what /health reports, so that a
-- stopped timer (cron, systemd, the API's own) shows.
create or replace function telecom_private.last_maintenance_tick() returns timestamptz
  language sql
  stable
as $$
  select last_tick_at from telecom_private.maintenance_state
$$;

comment on function telecom_private.last_maintenance_tick() is 'When the last completed maintenance tick ran; null before the first.';

revoke all on function telecom_private.last_maintenance_tick() from public;
--! EndIncluded operations/last_maintenance_tick.sql
--! Included journal/purge_idempotency_keys.sql
-- Idempotency keys serve a client that retries a request (docs/money.md): after 30 days none will, so
-- the maintenance tick forgets them (docs/operations.md). A request repeated later is a new request.
create or replace function telecom_private.purge_idempotency_keys() returns integer
  language sql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
  with purged as (
    delete from telecom_private.idempotency_key as stored
    where stored.created_at < now() - interval '30 days'
    returning 1
  )
  select count(*)::integer from purged
$$;

comment on function telecom_private.purge_idempotency_keys() is 'Deletes idempotency keys older than 30 days (a repeat after that is a new request); returns how many. Run by the maintenance tick.';

revoke all on function telecom_private.purge_idempotency_keys() from public;
--! EndIncluded journal/purge_idempotency_keys.sql
--! Included identity/purge_sent_sms.sql
-- A sent SMS is kept 90 days (docs/operations.md), for the operator's questions about what went out;
-- then the maintenance tick deletes it. The cap on code messages (code_message_allowed) reads only
-- the last 24 hours and 10 minutes. Unsent messages stay until the sender sends them.
create or replace function telecom_private.purge_sent_sms() returns integer
  language sql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
  with purged as (
    delete from telecom_private.sms_outbox as sms
    where sms.sent_at < now() - interval '90 days'
    returning 1
  )
  select count(*)::integer from purged
$$;

comment on function telecom_private.purge_sent_sms() is 'Deletes SMS sent more than 90 days ago; returns how many. Run by the maintenance tick.';

revoke all on function telecom_private.purge_sent_sms() from public;
--! EndIncluded identity/purge_sent_sms.sql
--! Included identity/purge_verification_codes.sql
-- One-time codes and the wrong guesses at them are forgotten two days after the code expired
-- (docs/operations.md). The longest window that reads them is 24 hours and 10 minutes: the cap on
-- code messages counts messages that still name their code (code_message_allowed; a message goes out
-- before its code expires, and loses its code_id when the code goes), and the number's daily budget
-- of guesses reads the codes of that window (use_verification_code). Two days leave a margin.
-- The guesses are deleted first, to count them (their foreign key's cascade would take them too).
create or replace function telecom_private.purge_verification_codes(out codes_purged integer, out guesses_purged integer)
  language plpgsql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  delete from telecom_private.verification_code_guess as guess
  using telecom_private.verification_code as code
  where guess.code_id = code.code_id
    and code.expires_at < now() - interval '2 days';
  get diagnostics guesses_purged = row_count;
  delete from telecom_private.verification_code as code
  where code.expires_at < now() - interval '2 days';
  get diagnostics codes_purged = row_count;
end;
$$;

comment on function telecom_private.purge_verification_codes() is 'Deletes one-time codes that expired more than two days ago, with the wrong guesses at them; returns how many of each. Run by the maintenance tick.';

revoke all on function telecom_private.purge_verification_codes() from public;
--! EndIncluded identity/purge_verification_codes.sql
--! Included operations/maintenance_tick.sql
-- The maintenance tick (docs/operations.md): the API server calls this function every minute on its
-- owner connection (a trusted session), and `npm run maintenance` does from cron or a timer; it runs
-- the scheduled work in one place. There is no pg_cron. Ticks never overlap: the first thing a tick
-- does is take the transaction-level advisory lock (8, 1) (the two-key form, which no other lock of
-- the schema uses); a tick that finds it taken returns {"skipped": true} at once and does nothing.
-- A completed tick records when it ran and its result in telecom_private.maintenance_state.
-- Add each new job here with its own key in the result. Arguments are for tests and operators; the
-- defaults are the product's.
--   stale_payments_rejected: card payments pending longer than stale_payment_age, rejected.
--   admin_figures_refreshed: 1 when the admin figures were older than figures_age and were
--     recomputed (telecom.refresh_admin_figures()), else 0. The figures are refreshed together,
--     so the newest as_of of any of them is the time of the last refresh.
--   usage_partitions: what telecom_private.ensure_usage_partitions() did (this and next month's
--     partitions always exist; months older than four full months are detached).
--   login_failures_purged: failed logins older than 24 hours, forgotten.
--   idempotency_keys_purged: idempotency keys older than 30 days, forgotten.
--   sent_sms_purged: SMS sent more than 90 days ago, deleted.
--   verification_codes_purged, verification_code_guesses_purged: one-time codes that expired more
--     than two days ago, and the wrong guesses at them, deleted.
create or replace function telecom.maintenance_tick(
  stale_payment_age interval default '30 minutes',
  figures_age interval default '5 minutes'
) returns jsonb
  language plpgsql
  volatile
as $$
declare
  v_figures_as_of timestamptz;
  v_figures_refreshed integer := 0;
  v_codes_purged integer;
  v_guesses_purged integer;
  v_result jsonb;
begin
  perform telecom_private.assert_trusted_session('Only the server''s own database session runs the maintenance tick.');
  if not pg_try_advisory_xact_lock(8, 1) then
    return jsonb_build_object('skipped', true);
  end if;
  select greatest(
    (select max(as_of) from telecom.revenue_per_month),
    (select max(as_of) from telecom.usage_per_month),
    (select max(as_of) from telecom.new_accounts_per_month),
    (select max(as_of) from telecom.wallet_volume_per_month),
    (select max(as_of) from telecom.open_tickets_by_priority),
    (select max(as_of) from telecom.account_status_counts)
  ) into v_figures_as_of;
  if v_figures_as_of is null or v_figures_as_of <= now() - maintenance_tick.figures_age then
    perform telecom.refresh_admin_figures();
    v_figures_refreshed := 1;
  end if;
  select purged.codes_purged, purged.guesses_purged
  into v_codes_purged, v_guesses_purged
  from telecom_private.purge_verification_codes() as purged;
  v_result := jsonb_build_object(
    'stale_payments_rejected', telecom.reject_stale_payments(maintenance_tick.stale_payment_age),
    'admin_figures_refreshed', v_figures_refreshed,
    'usage_partitions', to_jsonb(telecom_private.ensure_usage_partitions()),
    'login_failures_purged', telecom_private.purge_login_failures(),
    'idempotency_keys_purged', telecom_private.purge_idempotency_keys(),
    'sent_sms_purged', telecom_private.purge_sent_sms(),
    'verification_codes_purged', v_codes_purged,
    'verification_code_guesses_purged', v_guesses_purged
  );
  insert into telecom_private.maintenance_state (last_tick_at, last_result)
  values (now(), v_result)
  on conflict ((true)) do update
    set last_tick_at = excluded.last_tick_at,
      last_result = excluded.last_result;
  return v_result;
end;
$$;

comment on function telecom.maintenance_tick(interval, interval) is E'@behavior -queryField -mutationField -typeField\nThe scheduled work the API server runs every minute as the database owner: rejects stale card payments, refreshes the admin figures when they are older than figures_age, keeps the usage partitions ahead and forgets what has served its time (failed logins, idempotency keys, sent SMS, expired one-time codes). Never runs beside another tick: then it returns {"skipped": true} and does nothing. Returns what each job did, and records it with the time in telecom_private.maintenance_state.';

revoke all on function telecom.maintenance_tick(interval, interval) from public;
--! EndIncluded operations/maintenance_tick.sql

-- The default partition of usage_event refuses what no month takes (TC409).
--! Included usage/tg_usage_event_default__no_month.sql
-- A usage event whose month has no partition lands in the default partition, which keeps no rows: it
-- refuses the event with TC409 and says what to run (docs/usage.md), where PostgreSQL alone would
-- answer a bare 23514 ("no partition of relation found"). Both writers of usage_event meet it:
-- record_usage and the bulk load (rate_usage_batch). The maintenance tick keeps this month's and
-- next month's partitions, so only a tick stopped for weeks (or a clock far off) gets here.
create or replace function telecom_private.tg_usage_event_default__no_month() returns trigger
  language plpgsql
  volatile
as $$
begin
  raise exception 'Usage of % cannot be stored: its month has no partition yet. Run npm run maintenance, which creates this month''s and next month''s.',
    telecom_private.operator_date(new.occurred_at)
    using errcode = 'TC409';
end;
$$;

comment on function telecom_private.tg_usage_event_default__no_month() is 'Refuses a usage event whose month has no partition (TC409), telling to run npm run maintenance.';
--! EndIncluded usage/tg_usage_event_default__no_month.sql
--! Included usage/usage_event_default.sql
-- Table telecom_private.usage_event_default, the default partition of telecom.usage_event: it never
-- holds a row (its trigger refuses each with TC409), so creating a month's partition beside it
-- finds nothing to move. Its columns and indexes are usage_event's.
revoke all on telecom_private.usage_event_default from telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network;

comment on table telecom_private.usage_event_default is 'The default partition of usage_event, always empty: an event of a month without its partition is refused here (TC409) instead of failing with 23514.';

-- The triggers on the table, in the order they fire (each function's own file says why).
create or replace trigger _100_no_month
  before insert
  on telecom_private.usage_event_default
  for each row
  execute function telecom_private.tg_usage_event_default__no_month();
--! EndIncluded usage/usage_event_default.sql

-- The operator's time zone is written once, and is the database's timezone too.
--! Included usage/operator_time_zone.sql
-- The operator's time zone (docs/operations.md), written here once: a usage event's day and month are
-- its occurred_at in this zone, whatever time zone a session has set. The statement below makes it
-- the database's own `timezone` too, so `current_date` gives the operator's day in every session that
-- does not choose another (new connections: the API's open ones keep theirs until it restarts), and a
-- restored database (pg_dump --create) keeps it. To move the operator to another zone, change the
-- name here and include this file in the current migration.
create or replace function telecom_private.operator_time_zone() returns text
  language sql
  stable
as $$
  select 'Africa/Cairo'::text
$$;

comment on function telecom_private.operator_time_zone() is 'The operator''s time zone (Africa/Cairo), which is also the database''s timezone setting.';

grant execute on function telecom_private.operator_time_zone() to telecom_customer, telecom_admin, telecom_network;

do $$
begin
  execute format('alter database %I set timezone = %L', current_database(), telecom_private.operator_time_zone());
end;
$$;
--! EndIncluded usage/operator_time_zone.sql

-- An unknown number is TC101 in every account operation, an unknown plan name TC102.
--! Included plans/assert_plan_name_exists.sql
-- The check of every operation that names a plan by its name (remaining_plan_amount,
-- extra_plan_amount, consumption): TC102 when no plan has it, as assert_plan_exists for an id. Plans
-- are no secret (every caller may list them), so the answer is the same for everyone.
create or replace function telecom.assert_plan_name_exists(plan_name text) returns boolean
  language plpgsql
  stable
as $$
begin
  if not exists (select from telecom.service_plan as plan where plan.name = assert_plan_name_exists.plan_name) then
    raise exception 'There is no plan named %.', quote_nullable(assert_plan_name_exists.plan_name) using errcode = 'TC102';
  end if;
  return true;
end;
$$;

comment on function telecom.assert_plan_name_exists(text) is E'@behavior -queryField -mutationField -typeField\nTrue when a plan has this name; raises TC102 when none has.';

grant execute on function telecom.assert_plan_name_exists(text) to telecom_customer, telecom_admin;
--! EndIncluded plans/assert_plan_name_exists.sql
--! Included usage/account_usage_plan.sql
create or replace function telecom.account_usage_plan(mobile_no text, from_date date)
returns table (plan_id integer, total_data integer, total_minutes integer, total_sms integer)
  language plpgsql
  stable
as $$
begin
  perform telecom.assert_account_access(account_usage_plan.mobile_no);
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

comment on function telecom.account_usage_plan(text, date) is 'The account''s usage per plan it subscribes to, summed over usage records starting on or after from_date (data in MB); plans without such records show zeros. An unknown number is TC101.';

grant execute on function telecom.account_usage_plan(text, date) to telecom_admin;
--! EndIncluded usage/account_usage_plan.sql
--! Included benefits/account_sms_offers.sql
create or replace function telecom.account_sms_offers(mobile_no text) returns setof telecom.exclusive_offer
  language sql
  stable
as $$
  select offer.*
  from telecom.exclusive_offer as offer
  inner join telecom.benefit as benefit
    on benefit.benefit_id = offer.benefit_id
  where telecom.assert_account_access(account_sms_offers.mobile_no)
    and benefit.mobile_no = account_sms_offers.mobile_no
    and benefit.status = 'active'
    and benefit.validity_date >= current_date
    and offer.sms_offered > 0
  order by offer.offer_id
$$;

comment on function telecom.account_sms_offers(text) is 'The account''s exclusive offers that include SMS, of its benefits that count (active and unexpired). An unknown number is TC101.';

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
  where telecom.assert_account_access(account_payment_points.mobile_no)
$$;

comment on function telecom.account_payment_points(text) is 'How many successful payments the account made in the last 365 days (from current_date - 365 on) and the loyalty points those payments earned. An unknown number is TC101.';

grant execute on function telecom.account_payment_points(text) to telecom_admin;
--! EndIncluded benefits/account_payment_points.sql
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
  where telecom.assert_account_access(wallet_mobile_no.mobile_no)
$$;

comment on function telecom.wallet_mobile_no(text) is 'Whether the account''s mobile number is linked to a wallet; an unknown number is TC101.';

grant execute on function telecom.wallet_mobile_no(text) to telecom_admin;
--! EndIncluded wallets/wallet_mobile_no.sql
--! Included payments/latest_plan_payment.sql
-- The account's latest successful payment for a plan, as its process_payment row: what
-- remaining_plan_amount and extra_plan_amount read their one column from.
create or replace function telecom.latest_plan_payment(mobile_no text, plan_name text) returns telecom.process_payment
  language sql
  stable
as $$
  select processed.*
  from telecom.payment as payment
  inner join telecom.process_payment as processed
    on processed.payment_id = payment.payment_id
  inner join telecom.service_plan as plan
    on plan.plan_id = processed.plan_id
  where telecom.assert_account_access(latest_plan_payment.mobile_no)
    and telecom.assert_plan_name_exists(latest_plan_payment.plan_name)
    and payment.mobile_no = latest_plan_payment.mobile_no
    and payment.status = 'successful'
    and plan.name = latest_plan_payment.plan_name
  order by payment.date_of_payment desc, payment.payment_id desc
  limit 1
$$;

comment on function telecom.latest_plan_payment(text, text) is E'@behavior -queryField -mutationField -typeField\nThe account''s latest successful payment for the plan (its process_payment row); null when it never paid for the plan.';

grant execute on function telecom.latest_plan_payment(text, text) to telecom_customer, telecom_admin;
--! EndIncluded payments/latest_plan_payment.sql
--! Included payments/remaining_plan_amount.sql
create or replace function telecom.remaining_plan_amount(mobile_no text, plan_name text) returns numeric
  language sql
  stable
as $$
  select (telecom.latest_plan_payment(remaining_plan_amount.mobile_no, remaining_plan_amount.plan_name)).remaining_balance
$$;

comment on function telecom.remaining_plan_amount(text, text) is 'What is left to pay for the plan after the account''s latest successful payment for it; null when it never paid for the plan. An unknown number is TC101, an unknown plan TC102.';

grant execute on function telecom.remaining_plan_amount(text, text) to telecom_customer, telecom_admin;
--! EndIncluded payments/remaining_plan_amount.sql
--! Included payments/extra_plan_amount.sql
create or replace function telecom.extra_plan_amount(mobile_no text, plan_name text) returns numeric
  language sql
  stable
as $$
  select (telecom.latest_plan_payment(extra_plan_amount.mobile_no, extra_plan_amount.plan_name)).extra_amount
$$;

comment on function telecom.extra_plan_amount(text, text) is 'How much the account''s latest successful payment for the plan exceeded its price; null when it never paid for the plan. An unknown number is TC101, an unknown plan TC102.';

grant execute on function telecom.extra_plan_amount(text, text) to telecom_customer, telecom_admin;
--! EndIncluded payments/extra_plan_amount.sql
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
    and telecom.assert_plan_name_exists(consumption.plan_name)
$$;

comment on function telecom.consumption(text, date, date) is 'Usage of the plan in records lying within the dates (record start on or after start_date, record end on or before end_date); zeros when none. Both dates are required and must be in order (TC150, TC151). An unknown plan is TC102. A customer sees their own usage, an admin everyone''s.';

grant execute on function telecom.consumption(text, date, date) to telecom_customer, telecom_admin;
--! EndIncluded usage/consumption.sql

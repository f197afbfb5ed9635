-- Money that cannot be lost (SPEC §5, issue 6): idempotency keys, the money journal and its audit,
-- and wallet transfers. The money movers of 1-operations.sql call the idempotency helpers and name
-- themselves in the setting `telecom.operation`, which the journal records as the cause.

drop function if exists telecom.transfer_to_mobile(text, numeric, uuid);
drop function if exists telecom.audit_balances();
drop trigger if exists _200_journal on telecom.wallet;
drop trigger if exists _200_journal on telecom.customer_account;
drop function if exists telecom_private.tg_wallet__journal();
drop function if exists telecom_private.tg_customer_account__journal();
drop table if exists telecom.money_journal;
drop function if exists telecom_private.idempotency_store(uuid, jsonb);
drop function if exists telecom_private.idempotency_replay(uuid, text, jsonb);
drop table if exists telecom_private.idempotency_key;
drop function if exists telecom_private.current_actor();

--------------------------------------------------------------------------------
-- Idempotency: a request repeated with the same key by the same person returns the first result.

create function telecom_private.current_actor() returns text
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

create table telecom_private.idempotency_key (
  actor text not null,
  idempotency_key uuid not null,
  operation text not null,
  arguments jsonb not null,
  result jsonb,
  created_at timestamptz not null default now(),
  primary key (actor, idempotency_key)
);
-- No policies: only the owner (the security definer helpers below) reads or writes it.
alter table telecom_private.idempotency_key enable row level security;

comment on table telecom_private.idempotency_key is 'Requests made with an idempotency key, and their results: a repeat returns the stored result.';
comment on column telecom_private.idempotency_key.actor is 'Who made the request (telecom_private.current_actor()); keys of different people never collide.';
comment on column telecom_private.idempotency_key.idempotency_key is 'The key the client chose for the request.';
comment on column telecom_private.idempotency_key.operation is 'The function called.';
comment on column telecom_private.idempotency_key.arguments is 'The arguments of the first request; a repeat must match them.';
comment on column telecom_private.idempotency_key.result is 'The first request''s result (a row as JSON); a repeat returns it.';
comment on column telecom_private.idempotency_key.created_at is 'When the first request was made.';

-- Claims a key for this request. A concurrent twin blocks on the primary key until the first
-- transaction ends, then sees its stored result (or claims the key itself if the first rolled back).
-- A request that fails rolls its claim back with it, so the key can be used again.
create function telecom_private.idempotency_replay(p_key uuid, p_operation text, p_arguments jsonb) returns jsonb
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

create function telecom_private.idempotency_store(p_key uuid, p_result jsonb) returns void
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

--------------------------------------------------------------------------------
-- The money journal: one row per change of an account balance, an account's points or a wallet
-- balance, written by triggers in the same transaction as the change.

create table telecom.money_journal (
  journal_id bigint primary key generated always as identity,
  account_kind text not null check (account_kind in ('account_balance', 'account_points', 'wallet_balance')),
  mobile_no text not null,
  wallet_id integer,
  national_id integer not null,
  change numeric(12, 2) not null check (change <> 0),
  balance_after numeric(12, 2) not null,
  operation text not null,
  actor text not null,
  transaction_id bigint not null default txid_current(),
  recorded_at timestamptz not null default now(),
  check ((account_kind = 'wallet_balance') = (wallet_id is not null))
);
alter table telecom.money_journal enable row level security;
create index money_journal_account_idx on telecom.money_journal (mobile_no, account_kind, journal_id);
create index money_journal_wallet_id_idx on telecom.money_journal (wallet_id, journal_id) where wallet_id is not null;
create index money_journal_national_id_idx on telecom.money_journal (national_id, journal_id);

create policy select_own on telecom.money_journal
  for select to telecom_customer
  using (national_id = telecom.current_national_id());
create policy select_admin on telecom.money_journal
  for select to telecom_admin
  using (telecom.current_role_is_admin());

-- Read only for the API: rows are written by the triggers alone.
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

-- The changed quantities of one row as journal entries; zero changes are left out. `old` is null
-- on insert (an opening entry) and `new` on delete (a closing one).
create function telecom_private.tg_customer_account__journal() returns trigger
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

create trigger _200_journal
  after insert or update or delete
  on telecom.customer_account
  for each row
  execute function telecom_private.tg_customer_account__journal();

create function telecom_private.tg_wallet__journal() returns trigger
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

create trigger _200_journal
  after insert or update or delete
  on telecom.wallet
  for each row
  execute function telecom_private.tg_wallet__journal();

-- Rebuilding this migration starts a new journal: every existing balance is its opening entry.
insert into telecom.money_journal (account_kind, mobile_no, wallet_id, national_id, change, balance_after, operation, actor)
select entry.account_kind, entry.mobile_no, entry.wallet_id, entry.national_id, entry.amount, entry.amount, 'migration', telecom_private.current_actor()
from (
  select 'account_balance' as account_kind, mobile_no, null::integer as wallet_id, national_id, balance as amount
  from telecom.customer_account
  union all
  select 'account_points', mobile_no, null, national_id, points
  from telecom.customer_account
  union all
  select 'wallet_balance', mobile_no, wallet_id, national_id, current_balance
  from telecom.wallet
) as entry
where entry.amount <> 0
order by entry.account_kind, entry.mobile_no;

--------------------------------------------------------------------------------
-- The audit: re-derive every balance from the journal.

create function telecom.audit_balances()
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

--------------------------------------------------------------------------------
-- Wallet transfers

create function telecom.transfer_to_mobile(to_mobile_no text, amount numeric, idempotency_key uuid default null) returns telecom.transfer_money
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

-- Admins may call it only to be told clearly that they have no wallet (TC310).
grant execute on function telecom.transfer_to_mobile(text, numeric, uuid) to telecom_customer, telecom_admin;

--! Previous: sha1:49825a0e2226b6a48c13cf651e439d88f3a9d374
--! Hash: sha1:b66efd916d573ab9453c2ceccf5aebc6e991abe8
--! Message: One check per precondition

--! split: 1-current.sql
-- Table changes here; rules are pulled in from migrations/fixtures (see migrations/CONVENTIONS.md).

-- One check per precondition (issue 18): the admin check and the hourly budget of a person, each in
-- one function that every operation concerned calls.
--! Included identity/assert_admin.sql
-- The check of every operation only admins (and trusted sessions) may run: 42501 with the
-- operation's own refusal otherwise. Invoker's rights, so it sees the caller as its caller does.
create or replace function telecom.assert_admin(refusal text) returns void
  language plpgsql
  stable
as $$
begin
  if not telecom.current_role_is_admin() then
    raise exception '%', assert_admin.refusal using errcode = '42501';
  end if;
end;
$$;

comment on function telecom.assert_admin(text) is E'@behavior -queryField -mutationField -typeField\nRaises 42501 with the refusal unless the caller is an admin or a trusted session.';

grant execute on function telecom.assert_admin(text) to telecom_customer, telecom_admin;
--! EndIncluded identity/assert_admin.sql
--! Included identity/assert_hourly_budget.sql
-- The check of every hourly budget of a person (SPEC §12): the uses of the last hour, read by the
-- caller under its advisory lock; when `budget` of them fall within the hour the attempt waits until
-- the budget-th latest ages out, refused with TC220 and the wait in the hint (retry-after=N).
create or replace function telecom_private.assert_hourly_budget(used_at timestamptz[], budget integer, refusal text) returns void
  language plpgsql
  stable
as $$
declare
  v_wait integer;
begin
  select ceil(extract(epoch from use.at + interval '1 hour' - now()))::integer
  into v_wait
  from unnest(assert_hourly_budget.used_at) as use (at)
  where use.at > now() - interval '1 hour'
  order by use.at desc
  offset assert_hourly_budget.budget - 1
  limit 1;
  if v_wait > 0 then
    raise exception '%: try again in % seconds.', assert_hourly_budget.refusal, v_wait
      using errcode = 'TC220', hint = 'retry-after=' || v_wait;
  end if;
end;
$$;

comment on function telecom_private.assert_hourly_budget(timestamptz[], integer, text) is 'Refuses with TC220 (hint retry-after=<seconds>) when budget of the uses fall within the last hour.';

revoke all on function telecom_private.assert_hourly_budget(timestamptz[], integer, text) from public;
--! EndIncluded identity/assert_hourly_budget.sql
--! Included identity/set_network_credential.sql
-- Admins (and trusted sessions) create a network login or give it a new secret (SPEC §5).
create or replace function telecom.set_network_credential(client_id text, network_id text, secret text) returns boolean
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  perform telecom.assert_admin('Only an admin can manage the network''s logins.');
  if set_network_credential.client_id is null or set_network_credential.client_id !~ '^[A-Za-z0-9_.-]{3,64}$' then
    raise exception 'A client id has 3 to 64 letters, digits, dots, dashes or underscores.' using errcode = 'TC615';
  end if;
  if set_network_credential.network_id is null or set_network_credential.network_id !~ '^[A-Za-z0-9_.-]{1,64}$' then
    raise exception 'A network id has 1 to 64 letters, digits, dots, dashes or underscores.' using errcode = 'TC615';
  end if;
  if set_network_credential.secret is null or length(set_network_credential.secret) < 16 or octet_length(set_network_credential.secret) > 72 then
    raise exception 'A network secret has at least 16 characters and at most 72 bytes.' using errcode = 'TC616';
  end if;
  insert into telecom_private.network_credential (client_id, network_id, secret_hash)
  values (
    set_network_credential.client_id,
    set_network_credential.network_id,
    public.crypt(set_network_credential.secret, public.gen_salt('bf', 10))
  )
  on conflict on constraint network_credential_pkey do update
  set network_id = excluded.network_id, secret_hash = excluded.secret_hash, created_at = now();
  return true;
end;
$$;

comment on function telecom.set_network_credential(text, text, text) is 'Creates the network login client_id for network_id, or gives it a new secret (16 characters to 72 bytes). Admins only.';

revoke all on function telecom.set_network_credential(text, text, text) from public;
grant execute on function telecom.set_network_credential(text, text, text) to telecom_admin;
--! EndIncluded identity/set_network_credential.sql
--! Included identity/remove_network_credential.sql
-- Admins (and trusted sessions) remove a network login; tokens already issued run out within the hour.
create or replace function telecom.remove_network_credential(client_id text) returns boolean
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
begin
  perform telecom.assert_admin('Only an admin can manage the network''s logins.');
  delete from telecom_private.network_credential as credential
  where credential.client_id = remove_network_credential.client_id;
  return found;
end;
$$;

comment on function telecom.remove_network_credential(text) is 'Removes the network login client_id; true when there was one. Admins only.';

revoke all on function telecom.remove_network_credential(text) from public;
grant execute on function telecom.remove_network_credential(text) to telecom_admin;
--! EndIncluded identity/remove_network_credential.sql
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
  -- Checked first: row-level security would otherwise make another caller's refusal read "no account".
  perform telecom.assert_admin('Only an admin can end benefits.');
  if not exists (select from telecom.customer_account as account where account.mobile_no = benefits_account.mobile_no) then
    raise exception 'There is no account with mobile number %.', benefits_account.mobile_no using errcode = 'TC101';
  end if;
  perform telecom.assert_plan_exists(benefits_account.plan_id);
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
  perform telecom.assert_admin('Only an admin can recompute points.');
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
--! Included reports/refresh_admin_figures.sql
-- The admin figures' refresh (issue 16): every materialized view of the figures, concurrently, so
-- the dashboard keeps reading the previous figures meanwhile. Called by the server's maintenance
-- tick (SPEC §10) and by an admin who asks for fresh figures; returns the new "as of" time.
create or replace function telecom_private.refresh_admin_figures()
returns timestamptz
language plpgsql
volatile
security definer
set search_path to pg_catalog, public, pg_temp
as $$
begin
  refresh materialized view concurrently telecom.revenue_per_month;
  refresh materialized view concurrently telecom.usage_per_month;
  refresh materialized view concurrently telecom.new_accounts_per_month;
  refresh materialized view concurrently telecom.wallet_volume_per_month;
  refresh materialized view concurrently telecom.open_tickets_by_priority;
  refresh materialized view concurrently telecom.account_status_counts;
  refresh materialized view concurrently telecom.paying_subscribers_per_plan;
  refresh materialized view concurrently telecom.arpu;
  return now();
end;
$$;

comment on function telecom_private.refresh_admin_figures() is
  'Recomputes the admin figures (revenue_per_month, usage_per_month, new_accounts_per_month, wallet_volume_per_month, open_tickets_by_priority, account_status_counts, paying_subscribers_per_plan, arpu) and returns their new as_of time.';

revoke execute on function telecom_private.refresh_admin_figures() from public;

create or replace function telecom.refresh_admin_figures()
returns timestamptz
language plpgsql
volatile
security definer
set search_path to pg_catalog, public, pg_temp
as $$
begin
  perform telecom.assert_admin('Only an administrator may refresh the figures.');
  return telecom_private.refresh_admin_figures();
end;
$$;

comment on function telecom.refresh_admin_figures() is
  'Recomputes the business figures now (they are otherwise refreshed every few minutes) and returns their as_of time. Admins only.';

revoke execute on function telecom.refresh_admin_figures() from public;
grant execute on function telecom.refresh_admin_figures() to telecom_admin;
--! EndIncluded reports/refresh_admin_figures.sql
--! Included accounts/issue_account.sql
-- Issues a number (SPEC §5): numbers belong to the operator, which gives one to an existing person,
-- or to a new person when the profile fields are given (they are ignored for an existing person).
-- Two admins issuing one number at once: the second gets TC610, never a bare 23505.
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
  perform telecom.assert_admin('Only an admin can issue numbers.');
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
  perform telecom.assert_admin('Only an admin may audit the balances.');
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
--! Included accounts/update_my_profile.sql
-- A customer changes their own e-mail and address (SPEC §5 self-service). Picking an address another
-- person has is one of the two allowed disclosures of SPEC §12: the answer is always the same status
-- row (`email_cannot_be_used`, nothing changed), never an error that names a constraint, and it is
-- throttled per person: after 5 refused addresses in an hour, every change of e-mail is refused with
-- TC220 and a retry-after until the oldest refusal ages out. The refusal is returned, not raised, so
-- the attempt it records is kept.
create or replace function telecom.update_my_profile(email text, address text) returns telecom.profile_update
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_national_id integer := telecom.current_national_id();
  v_current telecom.customer_profile;
  v_result telecom.profile_update;
begin
  if telecom_private.caller_role() is distinct from 'telecom_customer' or v_national_id is null then
    raise exception 'Only a customer can change their own details.' using errcode = '42501';
  end if;
  select profile.* into v_current
  from telecom.customer_profile as profile
  where profile.national_id = v_national_id
  for update;
  if not found then
    raise exception 'Only a customer can change their own details.' using errcode = '42501';
  end if;
  if update_my_profile.email is not null and update_my_profile.email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' then
    raise exception 'Enter an e-mail address like name@example.com.' using errcode = 'TC225';
  end if;
  -- A new address (not the same one in other letter case, not a removal) is what the throttle counts.
  if update_my_profile.email is not null and update_my_profile.email::public.citext is distinct from v_current.email then
    perform pg_advisory_xact_lock(hashtext('email:' || v_national_id));
    perform telecom_private.assert_hourly_budget(
      array(
        select refusal.refused_at
        from telecom_private.email_refusal as refusal
        where refusal.national_id = v_national_id
          and refusal.refused_at > now() - interval '1 hour'
      ),
      5,
      'Too many e-mail addresses tried'
    );
  end if;
  begin
    update telecom.customer_profile as profile
    set email = update_my_profile.email, address = update_my_profile.address
    where profile.national_id = v_national_id
    returning 'saved', null, profile.email, profile.address
    into v_result.status, v_result.message, v_result.email, v_result.address;
  exception
    -- The trigger's TC223, or the unique index when another person took it at the same moment.
    when sqlstate 'TC223' or unique_violation then
      delete from telecom_private.email_refusal as refusal
      where refusal.national_id = v_national_id
        and refusal.refused_at < now() - interval '1 hour';
      insert into telecom_private.email_refusal (national_id) values (v_national_id);
      v_result := row('email_cannot_be_used', 'This e-mail cannot be used: choose another.', v_current.email, v_current.address);
  end;
  return v_result;
end;
$$;

comment on function telecom.update_my_profile(text, text) is 'Sets the e-mail and address of the logged-in customer (null removes one). Returns status `saved`, or `email_cannot_be_used` when another person has the e-mail (nothing changes; the same answer whatever the reason). After 5 such refusals in an hour, a change of e-mail is refused with TC220 and a retry-after. A malformed e-mail is refused with TC225.';

grant execute on function telecom.update_my_profile(text, text) to telecom_customer;
--! EndIncluded accounts/update_my_profile.sql
--! Included wallets/transfer_recipient.sql
-- Who a transfer would reach (SPEC §5, §12): the one look-up of another person a customer has, for
-- the transfer's confirmation. It answers a display name (first name and last initial) and the
-- wallet's currency, or nothing; throttled per person (30 look-ups an hour), so it cannot be used to
-- list who holds which number.
create or replace function telecom.transfer_recipient(to_mobile_no text) returns telecom.wallet_recipient
  language plpgsql
  volatile
  security definer
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_national_id integer := telecom.current_national_id();
  v_recipient telecom.wallet_recipient;
begin
  if not (telecom_private.caller_role() = 'telecom_customer' or telecom.current_role_is_admin()) then
    raise exception 'Only a customer can look up who a transfer goes to.' using errcode = '42501';
  end if;
  if transfer_recipient.to_mobile_no is null or transfer_recipient.to_mobile_no !~ '^[0-9]{11}$' then
    raise exception 'The number to transfer to must have 11 digits.' using errcode = 'TC312';
  end if;
  if telecom_private.caller_role() = 'telecom_customer' then
    perform pg_advisory_xact_lock(hashtext('recipient:' || v_national_id));
    perform telecom_private.assert_hourly_budget(
      array(
        select lookup.looked_up_at
        from telecom_private.recipient_lookup as lookup
        where lookup.national_id = v_national_id
          and lookup.looked_up_at > now() - interval '1 hour'
      ),
      30,
      'Too many look-ups'
    );
    delete from telecom_private.recipient_lookup as lookup
    where lookup.national_id = v_national_id
      and lookup.looked_up_at < now() - interval '1 hour';
    insert into telecom_private.recipient_lookup (national_id) values (v_national_id);
  end if;
  select
    profile.first_name || coalesce(' ' || left(profile.last_name, 1) || '.', ''),
    wallet.currency
  into v_recipient.display_name, v_recipient.currency
  from telecom.wallet as wallet
  inner join telecom.customer_profile as profile on profile.national_id = wallet.national_id
  where wallet.mobile_no = transfer_recipient.to_mobile_no;
  if not found then
    return null;
  end if;
  return v_recipient;
end;
$$;

comment on function telecom.transfer_recipient(text) is 'Who a transfer to this number would reach: the display name (first name and last initial) and the currency of the wallet linked to it, or null when it cannot receive a transfer. The only look-up of another person a customer has; 30 an hour per person (TC220 with a retry-after beyond).';

grant execute on function telecom.transfer_recipient(text) to telecom_customer, telecom_admin;
--! EndIncluded wallets/transfer_recipient.sql

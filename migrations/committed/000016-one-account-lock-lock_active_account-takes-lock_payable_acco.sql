--! Previous: sha1:6fda80201afa544f1cb116fda66d703e1ccc461a
--! Hash: sha1:3a5b80537e14debcaa4bb0f3073b78bbe6dca5f7
--! Message: One account lock: lock_active_account takes lock_payable_account's lock and checks, and adds that the account is active

--! split: 1-current.sql
-- Table changes here; rules are pulled in from migrations/fixtures (see migrations/CONVENTIONS.md).

-- One account lock: lock_active_account takes lock_payable_account's, and adds that the account is active.
--! Included accounts/lock_payable_account.sql
-- Locks an account that may pay, after checking the caller may use it and that it exists: active, or
-- barred for an unpaid bill, which is how it is reinstated (docs/bills.md); an account on hold
-- without a bar (an admin's hold) is refused like any operation on it (TC103). Every account lock
-- goes through here (lock_active_account adds that the account is active); `for no key update`.
create or replace function telecom_private.lock_payable_account(p_mobile_no text) returns telecom.customer_account
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
  if v_account.status <> 'active'
    and not exists (select from telecom.account_bar as bar where bar.mobile_no = p_mobile_no) then
    raise exception 'The account % is on hold.', p_mobile_no using errcode = 'TC103';
  end if;
  return v_account;
end;
$$;

comment on function telecom_private.lock_payable_account(text) is 'Locks an account that may pay: active, or barred for an unpaid bill (account_bar); TC101, TC103 otherwise.';
--! EndIncluded accounts/lock_payable_account.sql
--! Included accounts/lock_active_account.sql
-- Locks the account (always the first lock a writing operation takes) after checking the caller
-- may use it and that it exists and is active: lock_payable_account's lock and checks, and then no
-- bar either (a barred account may only pay). `for no key update`: inserts that reference the
-- account (payments, tickets, usage) do not wait for it.
create or replace function telecom_private.lock_active_account(p_mobile_no text) returns telecom.customer_account
  language plpgsql
  volatile
  set search_path to pg_catalog, public, pg_temp
as $$
declare
  v_account telecom.customer_account;
begin
  v_account := telecom_private.lock_payable_account(p_mobile_no);
  if v_account.status <> 'active' then
    raise exception 'The account % is on hold.', p_mobile_no using errcode = 'TC103';
  end if;
  return v_account;
end;
$$;
--! EndIncluded accounts/lock_active_account.sql

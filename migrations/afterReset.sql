-- Runs as a superuser after `graphile-migrate reset` (re)creates the database. Idempotent: the roles
-- are cluster-wide and survive the database, so each is created only when it is missing.
begin;

do $$
begin
  if not exists (select from pg_catalog.pg_roles where rolname = 'telecom_anonymous') then
    create role telecom_anonymous nologin;
  end if;
  if not exists (select from pg_catalog.pg_roles where rolname = 'telecom_customer') then
    create role telecom_customer nologin;
  end if;
  if not exists (select from pg_catalog.pg_roles where rolname = 'telecom_admin') then
    create role telecom_admin nologin;
  end if;
  -- The card processor's reports (docs/money.md) and the network's mediation system (docs/usage.md).
  if not exists (select from pg_catalog.pg_roles where rolname = 'telecom_payment_processor') then
    create role telecom_payment_processor nologin;
  end if;
  if not exists (select from pg_catalog.pg_roles where rolname = 'telecom_network') then
    create role telecom_network nologin;
  end if;
end
$$;

-- The authenticator logs in, inherits nothing and may only switch to the API roles.
alter role :DATABASE_AUTHENTICATOR with noinherit;
grant telecom_anonymous, telecom_customer, telecom_admin, telecom_payment_processor, telecom_network to :DATABASE_AUTHENTICATOR;

revoke all on database :DATABASE_NAME from public;
grant all on database :DATABASE_NAME to :DATABASE_OWNER;
grant connect on database :DATABASE_NAME to :DATABASE_AUTHENTICATOR;

-- Extensions live in public (docs/data-model.md): pgcrypto hashes passwords, citext makes e-mail and
-- usernames case-insensitive.
create extension if not exists pgcrypto with schema public;
create extension if not exists citext with schema public;
create extension if not exists pg_stat_statements with schema public; -- every statement's figures (docs/observability.md)

commit;

--! Previous: sha1:f6ed1c2dec9d5d79ce4d0212722a3bdb1b845cbe
--! Hash: sha1:3d0eb9bf18c2ab439bf2f15bb758f60193987045
--! Message: Customer dashboard computed columns

--! split: 1-current.sql
-- The customer dashboard in one GraphQL field (issue 7). PostGraphile 5 runs every root field in a
-- transaction of its own, so the dashboard's six root fields cost six transactions. From the account,
-- relations and these two computed columns give everything in one field, compiled to one query.

drop function if exists telecom.customer_account_usage_current_month(telecom.customer_account);
drop function if exists telecom.customer_profile_open_ticket_count(telecom.customer_profile);

create function telecom.customer_account_usage_current_month(account telecom.customer_account)
returns table (plan_id integer, plan_name text, data_consumption integer, minutes_used integer, sms_sent integer)
  language sql
  stable
as $$
  select *
  from telecom.usage_plan_current_month(account.mobile_no)
$$;
comment on function telecom.customer_account_usage_current_month(telecom.customer_account) is 'This calendar month''s usage of each of the account''s active subscriptions, as usage_plan_current_month.';

create function telecom.customer_profile_open_ticket_count(profile telecom.customer_profile) returns integer
  language sql
  stable
as $$
  select telecom.ticket_account_customer(profile.national_id)
$$;
comment on function telecom.customer_profile_open_ticket_count(telecom.customer_profile) is 'How many of the person''s tickets are not resolved, as ticket_account_customer.';

grant execute on function telecom.customer_account_usage_current_month(telecom.customer_account) to telecom_customer, telecom_admin;
grant execute on function telecom.customer_profile_open_ticket_count(telecom.customer_profile) to telecom_customer, telecom_admin;

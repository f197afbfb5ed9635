-- Plans and subscriptions: paid_until, resume, subscription dates.
--!include plans/service_plan.sql
drop function if exists telecom.account_plan();
--!include plans/subscription.sql
--!include plans/tg_subscription__dates.sql
--!include plans/account_plan.sql
--!include plans/subscribe_plan.sql
--!include plans/hold_subscription.sql
--!include plans/resume_subscription.sql

-- Table changes here; rules are pulled in from migrations/fixtures (see migrations/CONVENTIONS.md).

-- The registry of error codes (docs/error-codes.md is generated from it).
create table if not exists telecom_private.error_code (
  code text primary key check (code ~ '^TC[0-9]{3}$'),
  area text not null generated always as (
    case substr(code, 3, 1)
      when '0' then 'schema integrity'
      when '1' then 'reference operations'
      when '2' then 'logins and identity'
      when '3' then 'money'
      when '4' then 'usage'
      when '5' then 'API limits'
      when '6' then 'admin management'
      when '7' then 'bills'
      when '8' then 'operations'
    end
  ) stored,
  meaning text not null check (meaning <> '')
);
alter table telecom_private.error_code enable row level security;
--!include errors/error_code.sql

-- What plpgsql_check found (api/test/schema/plpgsql-check.test.ts): text literals cast implicitly
-- into arrays and an enum, and loop variables declared twice (a loop declares its own).
--!include usage/record_usage.sql
--!include usage/rate_usage_batch.sql
--!include usage/ensure_usage_partitions.sql
--!include journal/tg_wallet__journal.sql
--!include journal/begin_account_money_operation.sql

-- The rules cite the project's own documents (docs/…) in their comments.
--!include accounts/customer_profile.sql
--!include accounts/issue_account.sql
--!include accounts/tg__not_in_future.sql
--!include accounts/tg_customer_profile__date_of_birth.sql
--!include accounts/tg_customer_profile__email_available.sql
--!include accounts/update_my_profile.sql
--!include benefits/benefits_account.sql
--!include benefits/cashback_amount.sql
--!include benefits/payment_wallet_cashback.sql
--!include benefits/tg_points_group__history.sql
--!include benefits/total_points_account.sql
--!include identity/assert_hourly_budget.sql
--!include identity/assert_password_length.sql
--!include identity/authenticate_network.sql
--!include identity/caller_role.sql
--!include identity/check_password.sql
--!include identity/client_address.sql
--!include identity/login_failure.sql
--!include identity/login_retry_after.sql
--!include identity/network_credential.sql
--!include identity/password_hash_cost.sql
--!include identity/register_customer.sql
--!include identity/reset_password.sql
--!include identity/session_is_trusted.sql
--!include identity/set_network_credential.sql
--!include identity/switch_number.sql
--!include journal/account_journal_entries.sql
--!include journal/begin_money_operation.sql
--!include journal/maintenance_tick.sql
--!include journal/tg_money_history__append_only.sql
--!include journal/wallet_journal_entries.sql
--!include payments/card_payment_by_reference.sql
--!include payments/initiate_balance_payment.sql
--!include payments/initiate_plan_payment.sql
--!include payments/record_payment.sql
--!include payments/reject_stale_payments.sql
--!include plans/resume_subscription.sql
--!include plans/subscription.sql
--!include plans/tg_service_plan__delete_unused.sql
--!include plans/tg_subscription__dates.sql
--!include reports/account_payments.sql
--!include reports/account_status_counts.sql
--!include reports/all_benefits.sql
--!include reports/all_customer_accounts.sql
--!include reports/all_resolved_tickets.sql
--!include reports/all_service_plans.sql
--!include reports/all_shops.sql
--!include reports/arpu.sql
--!include reports/customer_receipts.sql
--!include reports/customer_wallet.sql
--!include reports/e_shop_vouchers.sql
--!include reports/estimated_row_count.sql
--!include reports/new_accounts_per_month.sql
--!include reports/num_of_cashback.sql
--!include reports/open_tickets_by_priority.sql
--!include reports/paying_subscribers_per_plan.sql
--!include reports/physical_store_vouchers.sql
--!include reports/refresh_admin_figures.sql
--!include reports/revenue_per_month.sql
--!include reports/search_customers.sql
--!include reports/usage_per_month.sql
--!include reports/wallet_volume_per_month.sql
--!include usage/find_usage_event.sql
--!include usage/notify_live.sql
--!include usage/operator_time_zone.sql
--!include usage/parses_as.sql
--!include usage/recommended_plans.sql
--!include usage/tg_plan_usage__dates_and_plan.sql
--!include usage/usage_account_problem.sql
--!include usage/usage_event_problem.sql
--!include usage/usage_units.sql
--!include vouchers/redeem_voucher_points.sql
--!include vouchers/tg_shop__delete_unused.sql
--!include vouchers/tg_voucher__redeemed_by_expiry.sql
--!include wallets/lock_payment_wallet.sql
--!include wallets/refuse_transfer.sql
--!include wallets/tg__one_currency.sql
--!include wallets/transfer_recipient.sql
--!include wallets/transfer_to_mobile.sql

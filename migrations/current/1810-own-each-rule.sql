-- Each rule written once (issue 18): the prologue of the money functions on one account (begin the
-- operation, replay a repeated request, lock the account), a payment's recording and effects for
-- both kinds of payment, the card payment a processor's report names, one currency check for
-- cashback and transfers, one check that an account's start or a payment is not in the future, and
-- one refresh of the admin figures for the maintenance tick and the admins.
--!include journal/begin_account_money_operation.sql
drop function if exists telecom_private.record_payment(telecom.customer_account, numeric, telecom.payment_method);
--!include payments/record_payment.sql
--!include payments/card_payment_by_reference.sql
--!include payments/settle_payment.sql
--!include payments/record_card_refund.sql
--!include payments/initiate_balance_payment.sql
--!include payments/initiate_plan_payment.sql
--!include benefits/payment_wallet_cashback.sql
--!include vouchers/redeem_voucher_points.sql
--!include wallets/transfer_to_mobile.sql
--!include wallets/tg__one_currency.sql
drop function if exists telecom_private.tg_cashback__one_currency();
drop function if exists telecom_private.tg_transfer_money__one_currency();
--!include reports/refresh_admin_figures.sql
--!include journal/maintenance_tick.sql
drop function if exists telecom_private.refresh_admin_figures();
--!include accounts/tg__not_in_future.sql
drop function if exists telecom_private.tg_customer_account__start_date();
drop function if exists telecom_private.tg_payment__date();

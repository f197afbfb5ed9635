-- Admins at 1M customers (issue 16): what the admin bench (`npm run bench:admin`) found slower than 1 s.

-- The voucher reports sorted by the redeeming number break ties by the key, in the same direction
-- (PostGraphile's order: mobile_no desc, voucher_id desc). Descending, the unredeemed vouchers come
-- first (a null mobile_no sorts first), and with an index on mobile_no alone every one of them was
-- sorted by voucher_id before the first page (0.4-1 s at 1M customers). This index has both orders.
drop index if exists telecom.voucher_mobile_no_voucher_id_idx;
create index voucher_mobile_no_voucher_id_idx on telecom.voucher (mobile_no, voucher_id);

--!include reports/all_customer_accounts.sql
--!include reports/num_of_cashback.sql
--!include reports/search_customers.sql

-- Table changes here; rules are pulled in from migrations/fixtures (see migrations/CONVENTIONS.md).

-- A refunded report found by its refund alone (no flag beside it).
--!include payments/settle_payment.sql

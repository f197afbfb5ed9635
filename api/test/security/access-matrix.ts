/**
 * The access matrix's expectations and its driver (access-matrix.test.ts runs it on the test database,
 * operations/restore.test.ts on a restored copy): every table, view and function of schema `telecom`
 * × {anonymous, customer on their own data, customer on another person's data, admin} × {read,
 * create, update, delete, call}, each cell found by running the statement as that role inside a
 * savepoint that is rolled back, on the fixture of ./fixture.ts.
 */
import type pg from "pg";
import * as assert from "uvu/assert";
import { asRole, asSuperuser, type ApiRole, type Claims } from "../support/roles.ts";
import { Builder } from "../support/builder.ts";
import { createFixture, fixtureIds, PASSWORD } from "./fixture.ts";

const ids = new Builder();
export const F = await fixtureIds(ids);

/** The four columns of the matrix. */
export const WHO = ["anonymous", "own", "other", "admin"] as const;
export type Who = (typeof WHO)[number];

/**
 * The expectation table.
 * - Tables: four characters for read, create, update, delete. Views: the same four (writes are
 *   checked as privileges, see VIEW_WRITES). Functions: one character for call.
 * - A letter (r, c, u, d, x for call): allowed, and it reaches exactly the fixture rows the superuser
 *   sees (a delete stopped by a foreign key after reaching its row counts as allowed).
 * - "-": refused by privileges (42501 "permission denied ...").
 * - "0": the statement runs but reaches none of the rows: row-level security hides them.
 * - "!": refused with 42501 by a policy or by the function's own check (not "permission denied").
 * - Anything longer: the SQLSTATE of another refusal.
 * Columns: anonymous acts on person A's rows; "own" is customer A on A's rows and numbers; "other"
 * is customer A on person B's; admin acts on B's. Functions without a person argument get the same
 * arguments in "own" and "other". Catalogue tables (plans, shops) use the same rows in both.
 */
export const EXPECTED: Record<string, [kind: "table" | "view" | "function", anonymous: string, own: string, other: string, admin: string]> =
  {
    // A customer changes their e-mail and address through update_my_profile only (throttled, docs/security.md).
    customer_profile: ["table", "----", "r---", "0---", "rcud"],
    customer_account: ["table", "----", "r---", "0---", "rcud"],
    service_plan: ["table", "r---", "r---", "r---", "rcud"],
    subscription: ["table", "----", "r---", "0---", "rcud"],
    plan_usage: ["table", "----", "r---", "0---", "rcud"],
    // Payments change only through the money functions (docs/money.md): nobody updates a status.
    payment: ["table", "----", "r---", "0---", "r---"],
    process_payment: ["table", "----", "r---", "0---", "r---"],
    wallet: ["table", "----", "r---", "0---", "rc--"],
    transfer_money: ["table", "----", "r---", "0---", "r---"],
    // A benefit that credited points or cashback is ended, never deleted (TC021).
    benefit: ["table", "----", "r---", "0---", "rcuTC021"],
    // Points earned by a successful payment are money history (TC020).
    points_group: ["table", "----", "r---", "0---", "rcTC020TC020"],
    exclusive_offer: ["table", "----", "r---", "0---", "rcud"],
    cashback: ["table", "----", "r---", "0---", "r---"],
    plan_provides_benefits: ["table", "----", "r---", "0---", "rc-d"],
    shop: ["table", "r---", "r---", "r---", "rcud"],
    physical_shop: ["table", "r---", "r---", "r---", "rcud"],
    e_shop: ["table", "r---", "r---", "r---", "rcud"],
    // B's redeemed voucher is money history (TC020).
    voucher: ["table", "----", "r---", "0---", "rcTC020TC020"],
    technical_support_ticket: ["table", "----", "r---", "0---", "rcud"],
    money_journal: ["table", "----", "r---", "0---", "r---"],
    // Usage (docs/usage.md): written only by record_usage; the tariff's kinds are the enum's, admins set prices.
    usage_event: ["table", "----", "r---", "0---", "r---"],
    usage_allocation: ["table", "----", "r---", "0---", "r---"],
    usage_alert: ["table", "----", "r---", "0---", "r---"],
    tariff: ["table", "r---", "r---", "r---", "r-u-"],
    // Card payments owed back: admins read them and mark them refunded; nobody else sees them.
    card_refund: ["table", "----", "----", "----", "r-u-"],
    // Bills (docs/bills.md): written only by the bill functions; customers read their own, admins all.
    plan_charge: ["table", "----", "r---", "0---", "r---"],
    invoice: ["table", "----", "r---", "0---", "r---"],
    invoice_line: ["table", "----", "r---", "0---", "r---"],
    credit_note: ["table", "----", "r---", "0---", "r---"],
    vat_rate: ["table", "r---", "r---", "r---", "r---"],
    collection_step: ["table", "----", "----", "----", "r---"],
    account_bar: ["table", "----", "----", "----", "r---"],
    run_bills: ["function", "-", "!", "!", "x"],
    run_collections: ["function", "-", "!", "!", "x"],
    issue_credit_note: ["function", "-", "!", "!", "x"],
    bill_run_request: ["table", "----", "----", "----", "r---"],
    request_bill_run: ["function", "-", "!", "!", "x"],
    bill_run_request_status: ["function", "-", "-", "-", "x"],
    // The dashboard of a post-paid number: computed columns of customer_account.
    customer_account_issued_invoice: ["function", "-", "x", "!", "x"],
    customer_account_unbilled_amount: ["function", "-", "x", "!", "x"],
    // The admin pages of bills.
    bill_run_summary: ["view", "----", "----", "----", "r---"],
    barred_accounts: ["view", "----", "----", "----", "r---"],
    invoice_ageing: ["function", "-", "-", "-", "x"],

    all_customer_accounts: ["view", "----", "----", "----", "r---"],
    all_service_plans: ["view", "----", "----", "----", "r---"],
    all_benefits: ["view", "----", "----", "----", "r---"],
    account_payments: ["view", "----", "----", "----", "r---"],
    all_shops: ["view", "----", "----", "----", "r---"],
    all_resolved_tickets: ["view", "----", "----", "----", "r---"],
    customer_wallet: ["view", "----", "----", "----", "r---"],
    e_shop_vouchers: ["view", "----", "----", "----", "r---"],
    physical_store_vouchers: ["view", "----", "----", "----", "r---"],
    num_of_cashback: ["view", "----", "----", "----", "r---"],
    customer_receipts: ["view", "----", "r---", "0---", "r---"],
    // Business figures: materialized views, admins only.
    revenue_per_month: ["view", "----", "----", "----", "r---"],
    usage_per_month: ["view", "----", "----", "----", "r---"],
    new_accounts_per_month: ["view", "----", "----", "----", "r---"],
    wallet_volume_per_month: ["view", "----", "----", "----", "r---"],
    open_tickets_by_priority: ["view", "----", "----", "----", "r---"],
    account_status_counts: ["view", "----", "----", "----", "r---"],
    paying_subscribers_per_plan: ["view", "----", "----", "----", "r---"],
    arpu: ["view", "----", "----", "----", "r---"],
    refresh_admin_figures: ["function", "-", "-", "-", "x"],
    estimated_row_count: ["function", "-", "-", "-", "x"],
    search_customers: ["function", "-", "-", "-", "x"],

    current_mobile_no: ["function", "x", "x", "x", "x"],
    current_national_id: ["function", "x", "x", "x", "x"],
    current_role_is_admin: ["function", "x", "x", "x", "x"],
    current_mobile_nos: ["function", "-", "x", "x", "x"],
    assert_account_access: ["function", "-", "x", "!", "x"],
    assert_person_access: ["function", "-", "x", "!", "x"],
    assert_date_range: ["function", "-", "x", "x", "x"],
    assert_plan_exists: ["function", "-", "x", "x", "x"],
    assert_plan_name_exists: ["function", "-", "x", "x", "x"],
    assert_admin: ["function", "-", "!", "!", "x"],
    account_plan: ["function", "-", "-", "-", "x"],
    account_plan_date: ["function", "-", "-", "-", "x"],
    account_usage_plan: ["function", "-", "-", "-", "x"],
    benefits_account: ["function", "-", "-", "-", "x"],
    account_sms_offers: ["function", "-", "-", "-", "x"],
    account_payment_points: ["function", "-", "-", "-", "x"],
    wallet_cashback_amount: ["function", "-", "-", "-", "x"],
    wallet_transfer_amount: ["function", "-", "-", "-", "x"],
    wallet_mobile_no: ["function", "-", "-", "-", "x"],
    total_points_account: ["function", "-", "-", "-", "x"],
    resolve_ticket: ["function", "-", "-", "-", "x"],
    audit_balances: ["function", "-", "-", "-", "x"],
    consumption: ["function", "-", "x", "x", "x"],
    unsubscribed_plans: ["function", "-", "x", "!", "x"],
    usage_plan_current_month: ["function", "-", "x", "!", "x"],
    customer_transfers: ["function", "-", "x", "!", "x"],
    cashback_wallet_customer: ["function", "-", "x", "!", "x"],
    ticket_account_customer: ["function", "-", "x", "!", "x"],
    customer_account_usage_current_month: ["function", "-", "x", "!", "x"],
    customer_profile_open_ticket_count: ["function", "-", "x", "!", "x"],
    account_highest_voucher: ["function", "-", "x", "!", "x"],
    remaining_plan_amount: ["function", "-", "x", "!", "x"],
    latest_plan_payment: ["function", "-", "x", "!", "x"],
    extra_plan_amount: ["function", "-", "x", "!", "x"],
    top_successful_payments: ["function", "-", "x", "!", "x"],
    subscribed_plans_5_months: ["function", "-", "x", "!", "x"],
    initiate_plan_payment: ["function", "-", "x", "!", "x"],
    payment_wallet_cashback: ["function", "-", "x", "!", "x"],
    initiate_balance_payment: ["function", "-", "x", "!", "x"],
    redeem_voucher_points: ["function", "-", "x", "!", "x"],
    subscribe_plan: ["function", "-", "x", "!", "x"],
    hold_subscription: ["function", "-", "x", "!", "x"],
    resume_subscription: ["function", "-", "x", "!", "x"],
    issue_account: ["function", "-", "-", "-", "x"],
    open_ticket: ["function", "-", "x", "x", "-"],
    // Admins may call it, to be told they have no wallet (TC310).
    transfer_to_mobile: ["function", "-", "x", "x", "TC310"],
    account_login_validation: ["function", "x", "x", "x", "x"],
    authenticate: ["function", "x", "x", "x", "x"],
    authenticate_admin: ["function", "x", "x", "x", "x"],
    // Visitors prove the number with its code; without one they get no token (null), see online-access.test.ts.
    request_verification_code: ["function", "x", "-", "-", "-"],
    register_customer: ["function", "x", "-", "-", "-"],
    reset_password: ["function", "x", "-", "-", "-"],
    // The one look-up of another person a customer has (docs/api.md, docs/security.md).
    transfer_recipient: ["function", "-", "x", "x", "x"],
    change_password: ["function", "-", "x", "x", "-"],
    // The caller's own profile, whatever the target: "this e-mail cannot be used" is counted and throttled.
    update_my_profile: ["function", "-", "x", "x", "-"],
    switch_number: ["function", "-", "x", "!", "-"],
    // The network's login and usage (docs/api.md, docs/usage.md): record_usage is the network's (and trusted sessions') only.
    authenticate_network: ["function", "x", "-", "-", "-"],
    set_network_credential: ["function", "-", "-", "-", "x"],
    remove_network_credential: ["function", "-", "-", "-", "x"],
    record_usage: ["function", "-", "-", "-", "-"],
    recommended_plans: ["function", "-", "x", "!", "x"],
    // The card processor's (and admins') functions; the fixture's reference is unknown (TC320).
    settle_payment: ["function", "-", "-", "-", "TC320"],
    record_card_refund: ["function", "-", "-", "-", "TC320"],
    reject_stale_payments: ["function", "-", "-", "-", "x"],
    // The server's own tick, on its owner connection: no API role.
    maintenance_tick: ["function", "-", "-", "-", "-"],
  };

/** A person's rows in the fixture: what "own" (A) and "other" (B) statements aim at. */
interface Target {
  national_id: number;
  mobile_no: string;
  wallet: number;
  payment: number;
  uncreditedPayment: number;
  benefit: number;
  pointsGroup: number;
  offer: number;
  cashback: number;
  transfer: number;
  usage: number;
  voucher: number;
  openTicket: number;
  bill: number;
}

const A: Target = {
  national_id: F.a.national_id,
  mobile_no: F.a.mobile_nos[0],
  wallet: F.wallets.a1,
  payment: F.payments.a,
  uncreditedPayment: F.payments.aUncredited,
  benefit: F.benefits.a,
  pointsGroup: F.pointsGroups.a,
  offer: F.offers.a,
  cashback: F.cashbacks.a,
  transfer: F.transfers.a,
  usage: F.usages.a,
  voucher: F.vouchers.redeemedByA,
  openTicket: F.tickets.aOpen,
  bill: F.bills.a,
};
const B: Target = {
  national_id: F.b.national_id,
  mobile_no: F.b.mobile_no,
  wallet: F.wallets.b1,
  payment: F.payments.b,
  uncreditedPayment: F.payments.bUncredited,
  benefit: F.benefits.b,
  pointsGroup: F.pointsGroups.b,
  offer: F.offers.b,
  cashback: F.cashbacks.b,
  transfer: F.transfers.b,
  usage: F.usages.b,
  voucher: F.vouchers.redeemedByB,
  openTicket: F.tickets.bOpen,
  bill: F.bills.b,
};
const targetOf = (who: Who): Target => (who === "anonymous" || who === "own" ? A : B);

/** Numbers and national ids nobody has, for the inserts, updates and calls of the matrix. */
export const NEW_NUMBER = await ids.mobileNo();
const ISSUED_NUMBER = await ids.mobileNo();
const NEW_PERSON = await ids.nationalId();
export const FORGED_NATIONAL_ID = await ids.nationalId();

/** How each table is exercised: the rows aimed at, a column to update (one the admin may write when any role may), and a valid insert. */
export const TABLES: Record<string, { rows: (t: Target) => string; update: string; insert: (t: Target) => string }> = {
  customer_profile: {
    rows: (t) => `national_id = ${t.national_id}`,
    update: "address",
    insert: () => `(national_id, first_name, last_name, date_of_birth) values (${NEW_PERSON}, 'New', 'Person', '2000-01-01')`,
  },
  customer_account: {
    rows: (t) => `mobile_no = '${t.mobile_no}'`,
    update: "status",
    insert: (t) =>
      `(mobile_no, national_id, account_type, start_date, status) values ('${NEW_NUMBER}', ${t.national_id}, 'prepaid', current_date, 'active')`,
  },
  service_plan: {
    rows: () => `plan_id = ${F.plan.id}`,
    update: "price",
    insert: () => `(name, price, sms_offered, minutes_offered, data_offered) values ('Security new plan', 10, 1, 1, 1)`,
  },
  subscription: {
    rows: (t) => `mobile_no = '${t.mobile_no}'`,
    update: "status",
    insert: (t) => `(mobile_no, plan_id, subscription_date, status) values ('${t.mobile_no}', ${F.otherPlan.id}, current_date, 'active')`,
  },
  plan_usage: {
    rows: (t) => `usage_id = ${t.usage}`,
    update: "minutes_used",
    insert: (t) => `(mobile_no, plan_id, start_date, end_date) values ('${t.mobile_no}', ${F.plan.id}, current_date, current_date)`,
  },
  payment: {
    rows: (t) => `payment_id = ${t.payment}`,
    update: "status",
    insert: (t) => `(mobile_no, amount, payment_method, status) values ('${t.mobile_no}', 10, 'cash', 'successful')`,
  },
  process_payment: {
    rows: (t) => `payment_id = ${t.payment}`,
    update: "plan_id",
    insert: (t) => `(payment_id, plan_id, remaining_balance, extra_amount) values (${t.uncreditedPayment}, ${F.plan.id}, 0, 0)`,
  },
  wallet: {
    rows: (t) => `wallet_id = ${t.wallet}`,
    update: "last_modified_date",
    // C2 is the fixture's one number without a wallet.
    insert: () => `(national_id, mobile_no, currency) values (${F.c.national_id}, '${F.c.mobile_nos[1]}', 'EGP')`,
  },
  transfer_money: {
    rows: (t) => `transfer_id = ${t.transfer}`,
    update: "amount",
    insert: (t) => `(from_wallet_id, to_wallet_id, amount) values (${t.wallet}, ${F.wallets.c1}, 1)`,
  },
  benefit: {
    rows: (t) => `benefit_id = ${t.benefit}`,
    update: "status",
    insert: (t) => `(description, validity_date, mobile_no) values ('New benefit', current_date, '${t.mobile_no}')`,
  },
  points_group: {
    rows: (t) => `point_id = ${t.pointsGroup}`,
    update: "points_amount",
    insert: (t) => `(benefit_id, points_amount, payment_id) values (${t.benefit}, 1, ${t.payment})`,
  },
  exclusive_offer: {
    rows: (t) => `offer_id = ${t.offer}`,
    update: "sms_offered",
    insert: (t) => `(benefit_id, sms_offered) values (${t.benefit}, 1)`,
  },
  cashback: {
    rows: (t) => `cashback_id = ${t.cashback}`,
    update: "amount",
    insert: (t) => `(benefit_id, wallet_id, amount) values (${t.benefit}, ${t.wallet}, 1)`,
  },
  plan_provides_benefits: {
    rows: (t) => `benefit_id = ${t.benefit}`,
    update: "plan_id",
    insert: (t) => `(plan_id, benefit_id) values (${F.otherPlan.id}, ${t.benefit})`,
  },
  shop: {
    rows: () => `shop_id = ${F.shops.physical}`,
    update: "name",
    insert: () => `(name, category) values ('New shop', 'misc')`,
  },
  physical_shop: {
    rows: () => `shop_id = ${F.shops.physical}`,
    update: "working_hours",
    insert: () => `(shop_id, address, working_hours) values (${F.shops.kindless}, 'New street', '9-17')`,
  },
  e_shop: {
    rows: () => `shop_id = ${F.shops.online}`,
    update: "rating",
    insert: () => `(shop_id, url, rating) values (${F.shops.kindless}, 'https://new.example.com', 3)`,
  },
  voucher: {
    rows: (t) => `voucher_id = ${t.voucher}`,
    update: "value",
    insert: () => `(value, expiry_date, points, shop_id) values (5, current_date + 1, 1, ${F.shops.online})`,
  },
  technical_support_ticket: {
    rows: (t) => `ticket_id = ${t.openTicket}`,
    update: "priority_level",
    insert: (t) => `(mobile_no, issue_description, priority_level) values ('${t.mobile_no}', 'New issue', 1)`,
  },
  card_refund: {
    rows: (t) => `payment_id = ${t.uncreditedPayment}`,
    update: "refunded_at",
    insert: (t) => `(payment_id, provider_reference, amount, currency) values (${t.payment}, 'chk_security_new', 1, 'EGP')`,
  },
  money_journal: {
    rows: (t) => `national_id = ${t.national_id}`,
    update: "operation",
    insert: (t) =>
      `(account_kind, mobile_no, national_id, change, balance_after, operation, actor) values ('account_balance', '${t.mobile_no}', ${t.national_id}, 1, 1, 'forged', 'forged')`,
  },
  usage_event: {
    rows: (t) => `mobile_no = '${t.mobile_no}'`,
    update: "charged",
    insert: (t) =>
      `(event_id, mobile_no, kind, quantity, occurred_at, outcome) values (gen_random_uuid(), '${t.mobile_no}', 'sms', 1, now(), 'in_allowance')`,
  },
  usage_allocation: {
    rows: (t) => `mobile_no = '${t.mobile_no}'`,
    update: "quantity",
    insert: (t) =>
      `(event_id, plan_id, mobile_no, quantity) select event_id, ${F.otherPlan.id}, mobile_no, 1 from telecom.usage_event where mobile_no = '${t.mobile_no}'`,
  },
  usage_alert: {
    rows: (t) => `mobile_no = '${t.mobile_no}'`,
    update: "raised_at",
    insert: (t) =>
      `(mobile_no, plan_id, kind, period_start, threshold) values ('${t.mobile_no}', ${F.plan.id}, 'sms', date_trunc('month', current_date)::date, 100)`,
  },
  plan_charge: {
    rows: (t) => `plan_charge_id = ${t.bill}`,
    update: "amount",
    insert: (t) =>
      `(mobile_no, plan_id, charge_from, charge_to, amount) values ('${t.mobile_no}', ${F.plan.id}, current_date, current_date, 1)`,
  },
  invoice: {
    rows: (t) => `invoice_id = ${t.bill}`,
    update: "paid_amount",
    insert: (t) =>
      `(invoice_no, mobile_no, bill_date, period_start, period_end, issued_on, due_date, subtotal, vat_rate, vat, total, amount_due, status)
       values ('INV-SEC-NEW', '${t.mobile_no}', '2020-01-01', '2019-12-01', '2019-12-31', '2020-01-01', '2020-01-15', 0, 0.14, 0, 0, 0, 'paid')`,
  },
  invoice_line: {
    rows: (t) => `invoice_id = ${t.bill}`,
    update: "amount",
    insert: (t) => `(invoice_id, line_no, kind, description, quantity, amount) values (${t.bill}, 9, 'usage', 'Forged', 1, 1)`,
  },
  credit_note: {
    rows: (t) => `credit_note_id = ${t.bill}`,
    update: "reason",
    insert: (t) =>
      `(credit_note_no, invoice_id, amount, vat, reason, issued_by) values ('CN-SEC-NEW', ${t.bill}, 1, 0, 'Forged', 'forged')`,
  },
  vat_rate: {
    rows: () => `valid_from = '2017-07-01'`,
    update: "rate",
    insert: () => `(valid_from, rate) values ('2030-01-01', 0.2)`,
  },
  collection_step: {
    rows: (t) => `invoice_id = ${t.bill}`,
    update: "taken_at",
    insert: (t) => `(invoice_id, step) values (${t.bill}, 'overdue')`,
  },
  account_bar: {
    rows: (t) => `mobile_no = '${t.mobile_no}'`,
    update: "barred_at",
    insert: (t) => `(mobile_no, invoice_id, previous_status) values ('${F.c.mobile_nos[0]}', ${t.bill}, 'active')`,
  },
  bill_run_request: {
    rows: () => `request_id = ${F.bills.a}`,
    update: "error",
    insert: () => `(bill_date, requested_by) values ('2020-02-01', 'forged')`,
  },
  tariff: {
    rows: () => `kind = 'data'`,
    update: "unit_price",
    insert: () => `(kind, unit_price) values ('sms', 1)`,
  },
};

/**
 * The rows each view is read on. Most views join several tables, and PostgreSQL refuses writes to
 * those while rewriting, before it checks privileges; so a view's create/update/delete are its
 * privileges (on any column, for insert and update), which the admin has none of either.
 */
export const VIEWS: Record<string, (t: Target) => string> = {
  all_customer_accounts: (t) => `national_id = ${t.national_id}`,
  all_service_plans: () => `plan_id = ${F.plan.id}`,
  all_benefits: (t) => `mobile_no = '${t.mobile_no}'`,
  account_payments: (t) => `national_id = ${t.national_id}`,
  all_shops: () => `shop_id in (${F.shops.physical}, ${F.shops.online})`,
  all_resolved_tickets: (t) => `mobile_no in (select mobile_no from telecom.customer_account where national_id = ${t.national_id})`,
  customer_wallet: (t) => `national_id = ${t.national_id}`,
  e_shop_vouchers: () => `shop_id = ${F.shops.online}`,
  physical_store_vouchers: () => `shop_id = ${F.shops.physical}`,
  num_of_cashback: (t) => `wallet_id = ${t.wallet}`,
  customer_receipts: (t) => `national_id = ${t.national_id}`,
  // The figures hold no person's rows: every row, refreshed after the fixture is built.
  revenue_per_month: () => "true",
  usage_per_month: () => "true",
  new_accounts_per_month: () => "true",
  wallet_volume_per_month: () => "true",
  open_tickets_by_priority: () => "true",
  account_status_counts: () => "true",
  paying_subscribers_per_plan: () => "true",
  arpu: () => "true",
  bill_run_summary: () => "true",
  barred_accounts: (t) => `mobile_no = '${t.mobile_no}'`,
};

const MONTH = `date_trunc('month', current_date)::date`;
const NEXT_MONTH = `(date_trunc('month', current_date) + interval '1 month')::date`;

/** How each function is called, and for some the result it must give (a role's row-level security shows in it). */
export const FUNCTIONS: Record<
  string,
  { args: (t: Target) => string; result?: { pick: (rows: any[]) => unknown; expect: Partial<Record<Who, unknown>> } }
> = {
  current_mobile_no: {
    args: () => "",
    result: { pick: (rows) => rows[0].current_mobile_no, expect: { anonymous: null, own: A.mobile_no, admin: null } },
  },
  current_national_id: {
    args: () => "",
    result: { pick: (rows) => rows[0].current_national_id, expect: { anonymous: null, own: A.national_id, admin: null } },
  },
  current_role_is_admin: {
    args: () => "",
    result: { pick: (rows) => rows[0].current_role_is_admin, expect: { anonymous: false, own: false, admin: true } },
  },
  current_mobile_nos: {
    args: () => "",
    result: { pick: (rows) => rows.map((row) => row.current_mobile_nos).sort(), expect: { own: [...F.a.mobile_nos].sort(), admin: [] } },
  },
  assert_account_access: { args: (t) => `'${t.mobile_no}'` },
  assert_person_access: { args: (t) => `${t.national_id}` },
  assert_plan_exists: { args: () => `${F.plan.id}` },
  assert_plan_name_exists: { args: () => `'${F.plan.name}'` },
  assert_admin: { args: () => "'Only an admin may.'" },
  assert_date_range: { args: () => "current_date - 1, current_date" },
  account_plan: { args: () => "" },
  account_plan_date: { args: () => `current_date, ${F.plan.id}` },
  account_usage_plan: { args: (t) => `'${t.mobile_no}', current_date - 365` },
  benefits_account: { args: (t) => `'${t.mobile_no}', ${F.plan.id}` },
  account_sms_offers: { args: (t) => `'${t.mobile_no}'` },
  account_payment_points: { args: (t) => `'${t.mobile_no}'` },
  wallet_cashback_amount: { args: (t) => `${t.wallet}, ${F.plan.id}` },
  wallet_transfer_amount: { args: (t) => `${t.wallet}, current_date - 1, current_date` },
  wallet_mobile_no: { args: (t) => `'${t.mobile_no}'` },
  total_points_account: { args: (t) => `'${t.mobile_no}'` },
  resolve_ticket: { args: (t) => `${t.openTicket}` },
  audit_balances: { args: () => "" },
  refresh_admin_figures: { args: () => "" },
  estimated_row_count: { args: () => "'account_payments'" },
  search_customers: { args: (t) => `'${t.national_id}'` },
  // Row-level security decides whose usage counts: A's 100 MB for a customer, A's and B's for an admin.
  consumption: {
    args: () => `'${F.plan.name}', ${MONTH}, ${NEXT_MONTH}`,
    result: { pick: (rows) => rows[0].data_consumption, expect: { own: 100, other: 100, admin: 300 } },
  },
  unsubscribed_plans: { args: (t) => `'${t.mobile_no}'` },
  usage_plan_current_month: { args: (t) => `'${t.mobile_no}'` },
  customer_transfers: { args: (t) => `'${t.mobile_no}'` },
  cashback_wallet_customer: { args: (t) => `${t.national_id}` },
  ticket_account_customer: { args: (t) => `${t.national_id}` },
  // Computed columns take a row; a forged one (not read through row-level security) must be refused too.
  customer_account_usage_current_month: {
    args: (t) => `jsonb_populate_record(null::telecom.customer_account, '{"mobile_no": "${t.mobile_no}"}')`,
  },
  customer_profile_open_ticket_count: {
    args: (t) => `jsonb_populate_record(null::telecom.customer_profile, '{"national_id": ${t.national_id}}')`,
  },
  account_highest_voucher: { args: (t) => `'${t.mobile_no}'` },
  remaining_plan_amount: { args: (t) => `'${t.mobile_no}', '${F.plan.name}'` },
  latest_plan_payment: { args: (t) => `'${t.mobile_no}', '${F.plan.name}'` },
  extra_plan_amount: { args: (t) => `'${t.mobile_no}', '${F.plan.name}'` },
  top_successful_payments: { args: (t) => `'${t.mobile_no}'` },
  subscribed_plans_5_months: { args: (t) => `'${t.mobile_no}'` },
  // By card: a customer's is pending until the processor settles it, an admin's is taken at a shop.
  initiate_plan_payment: { args: (t) => `'${t.mobile_no}', 100, 'credit', ${F.plan.id}` },
  payment_wallet_cashback: { args: (t) => `'${t.mobile_no}', ${t.uncreditedPayment}, ${t.benefit}` },
  initiate_balance_payment: { args: (t) => `'${t.mobile_no}', 10, 'credit'` },
  redeem_voucher_points: { args: (t) => `'${t.mobile_no}', ${F.vouchers.unredeemed}` },
  subscribe_plan: { args: (t) => `'${t.mobile_no}', ${F.otherPlan.id}` },
  hold_subscription: { args: (t) => `'${t.mobile_no}', ${F.plan.id}` },
  resume_subscription: { args: (t) => `'${t.mobile_no}', ${F.heldPlan.id}` },
  issue_account: { args: (t) => `${t.national_id}, '${ISSUED_NUMBER}', 'prepaid'` },
  open_ticket: { args: () => `'The security test has an issue', 2` },
  transfer_to_mobile: { args: () => `'${F.b.mobile_no}', 5` },
  account_login_validation: {
    args: (t) => `'${t.mobile_no}', '${PASSWORD}'`,
    result: { pick: (rows) => rows[0].account_login_validation, expect: { anonymous: true, own: true, other: true, admin: true } },
  },
  authenticate: {
    args: (t) => `'${t.mobile_no}', '${PASSWORD}'`,
    result: {
      pick: (rows) => [rows[0].role, rows[0].mobile_no],
      expect: { anonymous: ["telecom_customer", A.mobile_no], own: ["telecom_customer", A.mobile_no] },
    },
  },
  authenticate_admin: {
    args: () => `'${F.admin.username}', '${PASSWORD}'`,
    result: { pick: (rows) => [rows[0].role, rows[0].admin_id], expect: { anonymous: ["telecom_admin", F.admin.admin_id] } },
  },
  request_verification_code: {
    args: (t) => `'${t.mobile_no}'`,
    result: { pick: (rows) => rows[0].request_verification_code, expect: { anonymous: true } },
  },
  register_customer: {
    args: (t) => `'${t.mobile_no}', '000000', 'a-long-enough-password'`,
    result: { pick: (rows) => rows[0].role, expect: { anonymous: null } },
  },
  reset_password: {
    args: (t) => `'${t.mobile_no}', '000000', 'a-long-enough-password'`,
    result: { pick: (rows) => rows[0].role, expect: { anonymous: null } },
  },
  transfer_recipient: {
    args: (t) => `'${t.mobile_no}'`,
    result: {
      pick: (rows) => [rows[0].display_name, rows[0].currency],
      expect: { own: ["Amal S.", "EGP"], other: ["Badr S.", "EGP"] },
    },
  },
  change_password: { args: () => `'${PASSWORD}', 'another-long-password'` },
  update_my_profile: { args: () => `null, 'Matrix street 1'` },
  authenticate_network: { args: () => `'matrix-client', 'not-the-secret-at-all'` },
  set_network_credential: { args: () => `'matrix-client', 'matrix-net', 'a-long-enough-secret'` },
  remove_network_credential: { args: () => `'matrix-client'` },
  record_usage: { args: (t) => `gen_random_uuid(), '${t.mobile_no}', 'sms', 1, now()` },
  recommended_plans: { args: (t) => `'${t.mobile_no}'` },
  switch_number: {
    args: (t) => `'${t.mobile_no}'`,
    result: { pick: (rows) => [rows[0].role, rows[0].mobile_no], expect: { own: ["telecom_customer", A.mobile_no] } },
  },
  settle_payment: { args: () => `'chk_security_unknown', 'successful'` },
  record_card_refund: { args: () => `'chk_security_unknown'` },
  reject_stale_payments: { args: () => `'30 minutes'` },
  maintenance_tick: { args: () => "" },
  run_bills: { args: () => "" },
  run_collections: { args: () => "" },
  issue_credit_note: { args: (t) => `'INV-SEC-${t.bill}', 1, 'The access matrix'` },
  request_bill_run: { args: () => "" },
  bill_run_request_status: {
    args: () =>
      `jsonb_populate_record(null::telecom.bill_run_request, '{"request_id": ${F.bills.a}, "finished_at": "2020-01-01T00:00:00Z"}')`,
    result: { pick: (rows) => rows[0].bill_run_request_status, expect: { admin: "done" } },
  },
  customer_account_issued_invoice: {
    args: (t) => `jsonb_populate_record(null::telecom.customer_account, '{"mobile_no": "${t.mobile_no}"}')`,
    result: { pick: (rows) => rows[0].invoice_no, expect: { own: `INV-SEC-${A.bill}`, admin: `INV-SEC-${B.bill}` } },
  },
  customer_account_unbilled_amount: {
    args: (t) => `jsonb_populate_record(null::telecom.customer_account, '{"mobile_no": "${t.mobile_no}"}')`,
  },
  invoice_ageing: { args: () => "" },
};

export const ROLE: Record<Who, [ApiRole, Claims]> = {
  anonymous: ["telecom_anonymous", {}],
  own: ["telecom_customer", { mobile_no: F.a.mobile_nos[0], national_id: F.a.national_id }],
  other: ["telecom_customer", { mobile_no: F.a.mobile_nos[0], national_id: F.a.national_id }],
  admin: ["telecom_admin", { admin_id: F.admin.admin_id }],
};

export type Result = { rows: any[]; rowCount: number } | { error: pg.DatabaseError };

/** Runs a statement as `who` inside a savepoint that is always rolled back, so cases never see each other's writes. */
export async function runAs(db: pg.ClientBase, who: Who, statement: string): Promise<Result> {
  await db.query("savepoint matrix_case");
  try {
    await asRole(db, ...ROLE[who]);
    const { rows, rowCount } = await db.query(statement);
    return { rows, rowCount: rowCount ?? 0 };
  } catch (error) {
    return { error: error as pg.DatabaseError };
  } finally {
    await db.query("rollback to savepoint matrix_case");
    await asSuperuser(db);
  }
}

/** The matrix character of a result: `allowed` when it reached `expected` rows, "0" when none, else the refusal. */
export function outcome(result: Result, allowed: string, expected: number): string {
  if ("error" in result) {
    const { code, message } = result.error;
    if (code === "42501") return message.startsWith("permission denied") ? "-" : "!";
    // The delete reached the row: only a reference to it stopped it.
    // The delete reached the row: only a reference to it (or the history rule of the admin pages at a million customers, TC6xx) stopped it.
    if ((code === "23503" || /^TC60[1-5]$/.test(code ?? "")) && allowed === "d") return allowed;
    return `${code}`;
  }
  if (result.rowCount === 0 || (allowed === "r" && result.rows[0].n === 0)) return "0";
  const reached = allowed === "r" ? result.rows[0].n : result.rowCount;
  return reached === expected ? allowed : `(${allowed}: ${reached} of ${expected} rows)`;
}

async function superuserCount(db: pg.ClientBase, relation: string, where: string): Promise<number> {
  const { rows } = await db.query(`select count(*)::integer as n from telecom.${relation} where ${where}`);
  assert.ok(rows[0].n > 0, `the fixture has no rows of ${relation} where ${where}`);
  return rows[0].n;
}

async function tableRow(db: pg.ClientBase, name: string, who: Who): Promise<string> {
  const { rows, update, insert } = TABLES[name];
  const where = rows(targetOf(who));
  const count = await superuserCount(db, name, where);
  const read = outcome(await runAs(db, who, `select count(*)::integer as n from telecom.${name} where ${where}`), "r", count);
  const create = outcome(await runAs(db, who, `insert into telecom.${name} ${insert(targetOf(who))}`), "c", 1);
  const change = outcome(await runAs(db, who, `update telecom.${name} set ${update} = ${update} where ${where}`), "u", count);
  const remove = outcome(await runAs(db, who, `delete from telecom.${name} where ${where}`), "d", count);
  return read + create + change + remove;
}

async function viewRow(db: pg.ClientBase, name: string, who: Who): Promise<string> {
  const where = VIEWS[name](targetOf(who));
  const count = await superuserCount(db, name, where);
  const read = outcome(await runAs(db, who, `select count(*)::integer as n from telecom.${name} where ${where}`), "r", count);
  const role = ROLE[who][0];
  const { rows } = await db.query(
    `select has_any_column_privilege($1, $2, 'insert') as c, has_any_column_privilege($1, $2, 'update') as u, has_table_privilege($1, $2, 'delete') as d`,
    [role, `telecom.${name}`],
  );
  return read + (["c", "u", "d"] as const).map((op) => (rows[0][op] ? op : "-")).join("");
}

async function functionCell(db: pg.ClientBase, name: string, who: Who): Promise<string> {
  const { args, result } = FUNCTIONS[name];
  const called = await runAs(db, who, `select * from telecom.${name}(${args(targetOf(who))})`);
  if ("error" in called) return outcome(called, "x", 0);
  if (result && who in result.expect) {
    const got = result.pick(called.rows);
    if (JSON.stringify(got) !== JSON.stringify(result.expect[who])) return `x but returned ${JSON.stringify(got)}`;
  }
  return "x";
}

/** Builds the matrix's fixture in `db`'s transaction, and the admin figures it reads. */
export async function prepareMatrix(db: pg.ClientBase): Promise<void> {
  await createFixture(new Builder(db), F);
  await db.query("select telecom.refresh_admin_figures()");
}

/** One object's row of the matrix, a cell per column of WHO, on `db` (a superuser's transaction holding the fixture). */
export async function matrixRow(db: pg.ClientBase, name: string): Promise<string[]> {
  const [kind] = EXPECTED[name];
  const cells: string[] = [];
  for (const who of WHO) {
    if (kind === "table") cells.push(await tableRow(db, name, who));
    else if (kind === "view") cells.push(await viewRow(db, name, who));
    else cells.push(await functionCell(db, name, who));
  }
  return cells;
}

/** A row's cells named by their column, so a failure says whose cell differs. */
export const byWho = (cells: string[]): Record<Who, string> =>
  Object.fromEntries(WHO.map((who, index) => [who, cells[index]])) as Record<Who, string>;

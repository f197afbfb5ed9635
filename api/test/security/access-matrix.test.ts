/**
 * The access matrix of the roles and logins: every table, view and function of schema `telecom` (read from the
 * catalog) × {anonymous, customer on their own data, customer on another person's data, admin} ×
 * {read, create, update, delete, call}, checked against the explicit expectation table below by
 * running the statements as each role, inside the test's rolled-back transaction. A second suite
 * checks a slice of it over real HTTP.
 */
import type pg from "pg";
import * as assert from "uvu/assert";
import { suite } from "uvu";
import { dbSuite, getRootPool } from "../support/database.ts";
import { asRole, asSuperuser, type ApiRole, type Claims } from "../support/roles.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { createFixture, dropFixture, fixtureIds, PASSWORD } from "./fixture.ts";

const F = fixtureIds(90010000, "01991");

/** The four columns of the matrix. */
const WHO = ["anonymous", "own", "other", "admin"] as const;
type Who = (typeof WHO)[number];

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
const EXPECTED: Record<string, [kind: "table" | "view" | "function", anonymous: string, own: string, other: string, admin: string]> = {
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

const NEW_NUMBER = `${F.numberPrefix}000099`;

/** How each table is exercised: the rows aimed at, a column to update (one the admin may write when any role may), and a valid insert. */
const TABLES: Record<string, { rows: (t: Target) => string; update: string; insert: (t: Target) => string }> = {
  customer_profile: {
    rows: (t) => `national_id = ${t.national_id}`,
    update: "address",
    insert: () => `(national_id, first_name, last_name, date_of_birth) values (${F.base + 50}, 'New', 'Person', '2000-01-01')`,
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
const VIEWS: Record<string, (t: Target) => string> = {
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
};

const MONTH = `date_trunc('month', current_date)::date`;
const NEXT_MONTH = `(date_trunc('month', current_date) + interval '1 month')::date`;

/** How each function is called, and for some the result it must give (a role's row-level security shows in it). */
const FUNCTIONS: Record<
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
  issue_account: { args: (t) => `${t.national_id}, '${F.numberPrefix}000098', 'prepaid'` },
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
};

const ROLE: Record<Who, [ApiRole, Claims]> = {
  anonymous: ["telecom_anonymous", {}],
  own: ["telecom_customer", { mobile_no: F.a.mobile_nos[0], national_id: F.a.national_id }],
  other: ["telecom_customer", { mobile_no: F.a.mobile_nos[0], national_id: F.a.national_id }],
  admin: ["telecom_admin", { admin_id: F.admin.admin_id }],
};

type Result = { rows: any[]; rowCount: number } | { error: pg.DatabaseError };

/** Runs a statement as `who` inside a savepoint that is always rolled back, so cases never see each other's writes. */
async function runAs(db: pg.PoolClient, who: Who, statement: string): Promise<Result> {
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
function outcome(result: Result, allowed: string, expected: number): string {
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

async function superuserCount(db: pg.PoolClient, relation: string, where: string): Promise<number> {
  const { rows } = await db.query(`select count(*)::integer as n from telecom.${relation} where ${where}`);
  assert.ok(rows[0].n > 0, `the fixture has no rows of ${relation} where ${where}`);
  return rows[0].n;
}

async function tableRow(db: pg.PoolClient, name: string, who: Who): Promise<string> {
  const { rows, update, insert } = TABLES[name];
  const where = rows(targetOf(who));
  const count = await superuserCount(db, name, where);
  const read = outcome(await runAs(db, who, `select count(*)::integer as n from telecom.${name} where ${where}`), "r", count);
  const create = outcome(await runAs(db, who, `insert into telecom.${name} ${insert(targetOf(who))}`), "c", 1);
  const change = outcome(await runAs(db, who, `update telecom.${name} set ${update} = ${update} where ${where}`), "u", count);
  const remove = outcome(await runAs(db, who, `delete from telecom.${name} where ${where}`), "d", count);
  return read + create + change + remove;
}

async function viewRow(db: pg.PoolClient, name: string, who: Who): Promise<string> {
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

async function functionCell(db: pg.PoolClient, name: string, who: Who): Promise<string> {
  const { args, result } = FUNCTIONS[name];
  const called = await runAs(db, who, `select * from telecom.${name}(${args(targetOf(who))})`);
  if ("error" in called) return outcome(called, "x", 0);
  if (result && who in result.expect) {
    const got = result.pick(called.rows);
    if (JSON.stringify(got) !== JSON.stringify(result.expect[who])) return `x but returned ${JSON.stringify(got)}`;
  }
  return "x";
}

const test = dbSuite("access matrix (database)");

test.before.each(async ({ db }) => {
  await createFixture(db, F);
  await db.query("select telecom.refresh_admin_figures()");
});

test("the expectation table lists exactly the tables, views and functions of schema telecom", async ({ db }) => {
  const { rows } = await db.query<{ name: string; kind: string }>(`
    select class.relname as name, case when class.relkind in ('v', 'm') then 'view' else 'table' end as kind
    from pg_catalog.pg_class as class
    where class.relnamespace = 'telecom'::regnamespace
      and class.relkind in ('r', 'p', 'v', 'm', 'f')
    union all
    select proc.proname, 'function'
    from pg_catalog.pg_proc as proc
    where proc.pronamespace = 'telecom'::regnamespace
    order by 1`);
  const names = rows.map((row) => row.name);
  const overloaded = names.filter((name, index) => names.indexOf(name) !== index);
  assert.equal(overloaded, [], "overloaded functions: give each signature its own expectation");
  const catalog = Object.fromEntries(rows.map((row) => [row.name, row.kind]));
  const expected = Object.fromEntries(Object.entries(EXPECTED).map(([name, [kind]]) => [name, kind]));
  assert.equal(
    Object.keys(catalog).filter((name) => !(name in expected)),
    [],
    "objects of schema telecom without an expectation (add them to EXPECTED, with policies and grants)",
  );
  assert.equal(
    Object.keys(expected).filter((name) => !(name in catalog)),
    [],
    "expectations without an object",
  );
  assert.equal(catalog, expected, "kinds");
  const cases = [...Object.keys(TABLES), ...Object.keys(VIEWS), ...Object.keys(FUNCTIONS)].sort();
  assert.equal(cases, Object.keys(EXPECTED).sort(), "every expectation has a way to exercise it");
});

test("every table of schema telecom has row-level security enabled", async ({ db }) => {
  const { rows } = await db.query(`
    select relname from pg_catalog.pg_class
    where relnamespace = 'telecom'::regnamespace and relkind in ('r', 'p') and not relrowsecurity
    order by 1`);
  assert.equal(rows, []);
});

for (const [name, [kind, ...expected]] of Object.entries(EXPECTED)) {
  test(`${kind} ${name}`, async ({ db }) => {
    const actual: string[] = [];
    for (const who of WHO) {
      if (kind === "table") actual.push(await tableRow(db, name, who));
      else if (kind === "view") actual.push(await viewRow(db, name, who));
      else actual.push(await functionCell(db, name, who));
    }
    const label = (cells: string[]) => Object.fromEntries(WHO.map((who, index) => [who, cells[index]]));
    assert.equal(label(actual), label(expected));
  });
}

test("a customer is a person: logged in with one number, they use and see all their numbers", async ({ db }) => {
  const [, a2] = F.a.mobile_nos;
  await asRole(db, ...ROLE.own);
  const { rows } = await db.query(
    `select telecom.assert_account_access($1) as access,
       (select count(*)::integer from telecom.technical_support_ticket where mobile_no = $1) as tickets,
       (select count(*)::integer from telecom.wallet where mobile_no = $1) as wallets`,
    [a2],
  );
  assert.equal(rows, [{ access: true, tickets: 1, wallets: 1 }]);
  const subscribed = await db.query("select status from telecom.subscribe_plan($1, $2)", [a2, F.plan.id]);
  assert.equal(subscribed.rows, [{ status: "active" }]);
});

test("no API role may write balances, points or voucher redemptions, even on its own rows", async ({ db }) => {
  const [a1] = F.a.mobile_nos;
  const statements = [
    `update telecom.customer_account set balance = balance + 1 where mobile_no = '${a1}'`,
    `update telecom.customer_account set points = points + 1 where mobile_no = '${a1}'`,
    `update telecom.wallet set current_balance = current_balance + 1 where wallet_id = ${F.wallets.a1}`,
    `update telecom.voucher set mobile_no = '${a1}', redeem_date = current_date where voucher_id = ${F.vouchers.unredeemed}`,
    `update telecom.voucher set redeem_date = current_date where voucher_id = ${F.vouchers.redeemedByA}`,
    `insert into telecom.customer_account (mobile_no, national_id, account_type, balance) values ('${NEW_NUMBER}', ${F.a.national_id}, 'prepaid', 1000)`,
    `insert into telecom.customer_account (mobile_no, national_id, account_type, points) values ('${NEW_NUMBER}', ${F.a.national_id}, 'prepaid', 1000)`,
    `insert into telecom.wallet (national_id, mobile_no, current_balance) values (${F.c.national_id}, '${F.c.mobile_nos[1]}', 1000)`,
    `insert into telecom.voucher (value, expiry_date, points, shop_id, mobile_no, redeem_date) values (5, current_date, 1, ${F.shops.online}, '${a1}', current_date)`,
  ];
  const allowed: string[] = [];
  for (const who of ["anonymous", "own", "admin"] as const) {
    for (const statement of statements) {
      const result = await runAs(db, who, statement);
      if (outcome(result, "w", 1) !== "-")
        allowed.push(`${who}: ${statement} → ${"error" in result ? result.error.message : `${result.rowCount} rows`}`);
    }
  }
  assert.equal(allowed, []);
});

test("a customer changes no profile directly: only their own e-mail and address, through update_my_profile", async ({ db }) => {
  const own = `national_id = ${F.a.national_id}`;
  const other = `national_id = ${F.b.national_id}`;
  const results: Record<string, string> = {};
  for (const [label, set, where] of [
    ["own email", `email = 'amal.new@example.com'`, own],
    ["own address", `address = 'New street 9'`, own],
    ["own first_name", `first_name = 'Forged'`, own],
    ["own last_name", `last_name = 'Forged'`, own],
    ["own date_of_birth", `date_of_birth = '2001-01-01'`, own],
    ["own national_id", `national_id = ${F.base + 70}`, own],
    ["other email", `email = 'badr.new@example.com'`, other],
    ["other address", `address = 'Forged street'`, other],
  ]) {
    results[label] = outcome(await runAs(db, "own", `update telecom.customer_profile set ${set} where ${where}`), "u", 1);
  }
  assert.equal(results, {
    "own email": "-",
    "own address": "-",
    "own first_name": "-",
    "own last_name": "-",
    "own date_of_birth": "-",
    "own national_id": "-",
    "other email": "-",
    "other address": "-",
  });
  // The function changes the caller's own row (runAs rolls back, so make it for real here).
  await asRole(db, ...ROLE.own, () =>
    db.query(`select telecom.update_my_profile(email, 'New street 9') from telecom.customer_profile where ${own}`),
  );
  const { rows } = await db.query(`select address from telecom.customer_profile where ${own}`);
  assert.equal(rows, [{ address: "New street 9" }]);
});

test("the API roles cannot reach telecom_private, nor create anything (schemas telecom and public, the database, temporary tables)", async ({
  db,
}) => {
  const { rows } = await db.query(`
    select role.rolname, privilege.schema, privilege.kind
    from unnest(array['telecom_anonymous', 'telecom_customer', 'telecom_admin']) as role (rolname),
      lateral (values ('telecom_private', 'usage'), ('telecom_private', 'create'), ('telecom', 'create'), ('public', 'create')) as privilege (schema, kind)
    where has_schema_privilege(role.rolname, privilege.schema, privilege.kind)
    union all
    select role.rolname, current_database(), privilege.kind
    from unnest(array['telecom_anonymous', 'telecom_customer', 'telecom_admin']) as role (rolname),
      unnest(array['create', 'temporary']) as privilege (kind)
    where has_database_privilege(role.rolname, current_database(), privilege.kind)`);
  assert.equal(rows, []);
  for (const who of WHO) {
    const result = await runAs(db, who, "select count(*) from telecom_private.customer_credential");
    assert.is(outcome(result, "r", 1), "-", who);
  }
});

test("nothing in telecom or telecom_private is granted to PUBLIC", async ({ db }) => {
  const { rows } = await db.query(`
    select class.relnamespace::regnamespace::text || '.' || class.relname as object, acl.privilege_type
    from pg_catalog.pg_class as class,
      lateral aclexplode(coalesce(class.relacl, acldefault('r', class.relowner))) as acl
    where class.relnamespace in ('telecom'::regnamespace, 'telecom_private'::regnamespace) and acl.grantee = 0
    union all
    select proc.oid::regprocedure::text, acl.privilege_type
    from pg_catalog.pg_proc as proc,
      lateral aclexplode(coalesce(proc.proacl, acldefault('f', proc.proowner))) as acl
    where proc.pronamespace in ('telecom'::regnamespace, 'telecom_private'::regnamespace) and acl.grantee = 0
    order by 1`);
  assert.equal(rows, []);
});

test("default privileges: a new function or table of telecom_owner is reachable by no API role", async ({ db }) => {
  await db.query(`
    set local role telecom_owner;
    create function telecom.security_probe() returns integer language sql as 'select 1';
    create table telecom.security_probe_table (id integer);
    reset role`);
  const { rows } = await db.query(`
    select role.rolname,
      has_function_privilege(role.rolname, 'telecom.security_probe()', 'execute') as execute,
      has_table_privilege(role.rolname, 'telecom.security_probe_table', 'select, insert, update, delete') as write
    from unnest(array['telecom_anonymous', 'telecom_customer', 'telecom_admin']) as role (rolname)
    order by 1`);
  assert.equal(
    rows.map((row) => [row.rolname, row.execute, row.write]),
    [
      ["telecom_admin", false, false],
      ["telecom_anonymous", false, false],
      ["telecom_customer", false, false],
    ],
  );
});

test("the authenticator inherits nothing and may become only the API roles", async ({ db }) => {
  const { rows } = await db.query(`
    select member.rolinherit, array_agg(granted.rolname::text order by granted.rolname) as roles
    from pg_catalog.pg_roles as member
    join pg_catalog.pg_auth_members as membership on membership.member = member.oid
    join pg_catalog.pg_roles as granted on granted.oid = membership.roleid
    where member.rolname = 'telecom_authenticator'
    group by member.rolinherit`);
  assert.equal(rows, [
    {
      rolinherit: false,
      roles: ["telecom_admin", "telecom_anonymous", "telecom_customer", "telecom_network", "telecom_payment_processor"],
    },
  ]);
});

test.run();

// ---------------------------------------------------------------------------------------------
// A slice of the matrix over real HTTP: the server's own connections see only committed rows, so
// this fixture is committed (its own id and number range) and deleted afterwards.

const H = fixtureIds(90020000, "01992");
const http = suite<{ server: TestServer; customer: string; admin: string }>("access matrix (HTTP)", {} as never);

http.before(async (context) => {
  const client = await getRootPool().connect();
  try {
    await dropFixture(client, H);
    await createFixture(client, H);
  } finally {
    client.release();
  }
  context.server = await startTestServer();
  context.customer = context.server.tokenFor({ role: "telecom_customer", mobile_no: H.a.mobile_nos[0], national_id: H.a.national_id });
  context.admin = context.server.tokenFor({ role: "telecom_admin", admin_id: H.admin.admin_id });
});

http.after(async (context) => {
  await context.server?.close();
  const client = await getRootPool().connect();
  try {
    await dropFixture(client, H);
  } finally {
    client.release();
  }
});

/** The SQLSTATE of each error of a response (one per refused field). */
const codes = (body: { errors?: { extensions?: Record<string, unknown> }[] }) => (body.errors ?? []).map((error) => error.extensions?.code);

http("anonymous reads the catalogue and nothing else", async ({ server }) => {
  const catalogue = await server.graphql(
    `query ($plan: Int!, $shop: Int!) {
    servicePlans(condition: { planId: $plan }) { nodes { name } }
    shops(condition: { shopId: $shop }) { nodes { name physicalShop { address } } }
  }`,
    { plan: H.plan.id, shop: H.shops.physical },
  );
  assert.equal(catalogue.body, {
    data: {
      servicePlans: { nodes: [{ name: H.plan.name }] },
      shops: { nodes: [{ name: "Security kiosk", physicalShop: { address: "Kiosk street 1" } }] },
    },
  });
  for (const query of [
    "{ customerProfiles { nodes { nationalId } } }",
    "{ customerAccounts { nodes { mobileNo } } }",
    "{ payments { nodes { paymentId } } }",
    "{ allCustomerAccounts { nodes { mobileNo } } }",
    `{ unsubscribedPlans(mobileNo: "${H.a.mobile_nos[0]}") { nodes { planId } } }`,
  ]) {
    const { body } = await server.graphql(query);
    assert.equal(codes(body), ["42501"], query);
  }
});

http("a customer reads exactly their own rows", async ({ server, customer }) => {
  const { body } = await server.graphql(
    `query ($other: Int!) {
      customerProfiles { nodes { nationalId } }
      customerAccounts(orderBy: MOBILE_NO_ASC) { nodes { mobileNo } }
      payments(orderBy: PAYMENT_ID_ASC) { nodes { paymentId } }
      wallets(orderBy: WALLET_ID_ASC) { nodes { walletId } }
      technicalSupportTickets(orderBy: TICKET_ID_ASC) { nodes { ticketId } }
      other: customerProfile(nationalId: $other) { nationalId }
    }`,
    { other: H.b.national_id },
    customer,
  );
  assert.equal(body, {
    data: {
      customerProfiles: { nodes: [{ nationalId: H.a.national_id }] },
      customerAccounts: { nodes: H.a.mobile_nos.map((mobileNo) => ({ mobileNo })) },
      payments: { nodes: [{ paymentId: H.payments.a }, { paymentId: H.payments.aUncredited }] },
      wallets: { nodes: [{ walletId: H.wallets.a1 }, { walletId: H.wallets.a2 }] },
      technicalSupportTickets: { nodes: [{ ticketId: H.tickets.aOpen }, { ticketId: H.tickets.aResolved }] },
      other: null,
    },
  });
});

http(
  "a customer changes their own address through updateMyProfile, not their name, nor another person's profile",
  async ({ server, customer }) => {
    const mine = `mutation ($email: String, $address: String) {
    updateMyProfile(input: { email: $email, address: $address }) { profileUpdate { status address } }
  }`;
    const [before] = (await getRootPool().query("select email from telecom.customer_profile where national_id = $1", [H.a.national_id]))
      .rows;
    const own = await server.graphql(mine, { email: before.email, address: "HTTP street 5" }, customer);
    assert.equal(own.body, { data: { updateMyProfile: { profileUpdate: { status: "saved", address: "HTTP street 5" } } } });
    const update = `mutation ($id: Int!, $patch: CustomerProfilePatch!) {
    updateCustomerProfile(input: { nationalId: $id, patch: $patch }) { customerProfile { address firstName } }
  }`;
    for (const [id, patch] of [
      [H.a.national_id, { firstName: "Forged" }],
      [H.a.national_id, { address: "Direct street" }],
      [H.b.national_id, { address: "Forged street" }],
    ] as const) {
      assert.equal(codes((await server.graphql(update, { id, patch }, customer)).body), ["42501"]);
    }
    const { rows } = await getRootPool().query(
      "select national_id, first_name, address from telecom.customer_profile where national_id = any($1) order by 1",
      [[H.a.national_id, H.b.national_id]],
    );
    assert.equal(rows, [
      { national_id: H.a.national_id, first_name: "Amal", address: "HTTP street 5" },
      { national_id: H.b.national_id, first_name: "Badr", address: "B street 2" },
    ]);
  },
);

http("a customer is refused another person's number and the admin operations with 42501", async ({ server, customer }) => {
  const b1 = H.b.mobile_no;
  for (const query of [
    `{ topSuccessfulPayments(mobileNo: "${b1}") { nodes { paymentId } } }`,
    `{ ticketAccountCustomer(nationalId: ${H.b.national_id}) }`,
    `mutation { initiateBalancePayment(input: { mobileNo: "${b1}", amount: "10", paymentMethod: cash }) { payment { paymentId } } }`,
    "{ allCustomerAccounts { nodes { mobileNo } } }",
    "{ auditBalances { nodes { mobileNo } } }",
    `mutation { totalPointsAccount(input: { mobileNo: "${H.a.mobile_nos[0]}" }) { clientMutationId } }`,
  ]) {
    const { body } = await server.graphql(query, {}, customer);
    assert.equal(codes(body), ["42501"], query);
  }
  const { rows } = await getRootPool().query("select count(*)::integer as n from telecom.payment where mobile_no = $1", [b1]);
  assert.is(rows[0].n, 2, "B's payments are untouched");
});

http("an admin reads everyone's rows and the reports, and calls operations on any number", async ({ server, admin }) => {
  const { body } = await server.graphql(
    `query ($a: Int!, $b: Int!, $b1: String!) {
      allCustomerAccounts(condition: { nationalId: $b }) { nodes { mobileNo firstName } }
      customerAccounts(condition: { nationalId: $a }, orderBy: MOBILE_NO_ASC) { nodes { mobileNo } }
      topSuccessfulPayments(mobileNo: $b1) { nodes { paymentId } }
    }`,
    { a: H.a.national_id, b: H.b.national_id, b1: H.b.mobile_no },
    admin,
  );
  assert.equal(body, {
    data: {
      allCustomerAccounts: { nodes: [{ mobileNo: H.b.mobile_no, firstName: "Badr" }] },
      customerAccounts: { nodes: H.a.mobile_nos.map((mobileNo) => ({ mobileNo })) },
      topSuccessfulPayments: { nodes: [{ paymentId: H.payments.b }, { paymentId: H.payments.bUncredited }] },
    },
  });
});

http("an admin cannot set a balance directly", async ({ server, admin }) => {
  const { body } = await server.graphql(
    `mutation ($b1: String!) { updateCustomerAccount(input: { mobileNo: $b1, patch: { balance: "999" } }) { customerAccount { balance } } }`,
    { b1: H.b.mobile_no },
    admin,
  );
  assert.ok(body.errors?.length, "the update is refused");
  const { rows } = await getRootPool().query("select balance from telecom.customer_account where mobile_no = $1", [H.b.mobile_no]);
  assert.equal(rows, [{ balance: "100.00" }]);
});

http.run();

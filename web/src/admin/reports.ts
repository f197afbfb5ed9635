/**
 * The admin reports: every view of SPEC §4.1 and operation of §4.2, described once so that one
 * `<admin-report>` element can show any of them (form for the arguments, table, chart).
 */
import type { ChartSeries } from "../components/bar-chart.ts";
import type { Column, Row } from "../components/data-table.ts";
import type { Field, Values } from "../components/op-form.ts";
import { mobileField } from "../fields.ts";

export interface Report {
  key: string;
  title: string;
  kind: "view" | "operation";
  description: string;
  /** Arguments asked for before running; none means the report loads at once. */
  fields?: Field[];
  /** Changes data (shown with a warning, never run on page load). */
  writes?: boolean;
  query: string;
  /** Turns the form values into the query's variables. */
  variables?: (values: Values) => Record<string, unknown>;
  rows: (data: any) => Row[];
  columns?: Column[];
  chart?: (rows: Row[]) => { labels: string[]; series: ChartSeries[]; yLabel: string; summary: string };
}

const int = (name: string, label: string): Field => ({ name, label, type: "number", required: true, min: 1, step: "1" });
const date = (name: string, label: string): Field => ({ name, label, type: "date", required: true });
const money: Column["kind"] = "money";

/** Connection results: `{ field: { nodes } }` → the nodes. */
const nodes = (field: string) => (data: any) => data[field].nodes as Row[];
/** Scalar results → one row with the value. */
const scalar = (field: string, label: string) => (data: any) => [{ [label]: data[field] }];

const view = (key: string, title: string, field: string, columns: string, description: string, extra: Partial<Report> = {}): Report => ({
  key,
  title,
  kind: "view",
  description,
  query: `{ ${field} { nodes { ${columns} } } }`,
  rows: nodes(field),
  ...extra,
});

/** Sums a money column per label (e.g. per month), in label order. */
function totals(rows: Row[], label: (row: Row) => string, value: (row: Row) => number): [string[], number[]] {
  const sums = new Map<string, number>();
  for (const row of rows) sums.set(label(row), (sums.get(label(row)) ?? 0) + value(row));
  const labels = [...sums.keys()].sort();
  return [labels, labels.map((l) => Math.round((sums.get(l) ?? 0) * 100) / 100)];
}

export const REPORTS: Report[] = [
  view(
    "all-customer-accounts",
    "Active accounts",
    "allCustomerAccounts",
    "mobileNo nationalId firstName lastName email accountType status balance points startDate",
    "Active accounts with their customer's profile.",
    {
      columns: [
        { key: "mobileNo", label: "Mobile" },
        { key: "firstName" },
        { key: "lastName" },
        { key: "email" },
        { key: "accountType", label: "Type" },
        { key: "balance", kind: money },
        { key: "points", kind: "number" },
        { key: "startDate", label: "Since" },
      ],
    },
  ),
  view(
    "all-service-plans",
    "Service plans",
    "allServicePlans",
    "planId name price dataOffered minutesOffered smsOffered description",
    "Every service plan.",
    {
      columns: [
        { key: "planId", label: "Plan", kind: "number" },
        { key: "name" },
        { key: "price", kind: money },
        { key: "dataOffered", label: "Data (MB)", kind: "number" },
        { key: "minutesOffered", label: "Minutes", kind: "number" },
        { key: "smsOffered", label: "SMS", kind: "number" },
        { key: "description" },
      ],
    },
  ),
  view(
    "all-benefits",
    "Active benefits",
    "allBenefits",
    "benefitId description validityDate status mobileNo",
    "Benefits that are still active.",
  ),
  view(
    "account-payments",
    "Payments",
    "accountPayments",
    "paymentId mobileNo nationalId amount dateOfPayment paymentMethod status accountType accountStatus",
    "Every payment with the account that made it.",
    {
      columns: [
        { key: "paymentId", label: "Payment", kind: "number" },
        { key: "dateOfPayment", label: "Date" },
        { key: "mobileNo", label: "Mobile" },
        { key: "amount", kind: money },
        { key: "paymentMethod", label: "Method" },
        { key: "status" },
        { key: "accountType", label: "Account type" },
      ],
      chart: (rows) => {
        const successful = rows.filter((r) => r.status === "successful");
        const [labels, values] = totals(
          successful,
          (r) => String(r.dateOfPayment).slice(0, 7),
          (r) => Number(r.amount),
        );
        return {
          labels,
          series: [{ label: "Successful payments (EGP)", values, color: "#1d4ed8" }],
          yLabel: "EGP",
          summary: `Successful payments per month: ${labels.map((l, i) => `${l} ${values[i]} EGP`).join(", ")}`,
        };
      },
    },
  ),
  view(
    "all-shops",
    "Shops",
    "allShops",
    "shopId name category kind address workingHours url rating",
    "Every shop with its kind and details.",
  ),
  view(
    "all-resolved-tickets",
    "Resolved tickets",
    "allResolvedTickets",
    "ticketId mobileNo issueDescription priorityLevel status",
    "Support tickets that are resolved.",
  ),
  view(
    "customer-wallets",
    "Wallets",
    "customerWallets",
    "walletId firstName lastName mobileNo currentBalance currency lastModifiedDate",
    "Every wallet with its owner's name.",
    {
      columns: [
        { key: "walletId", label: "Wallet", kind: "number" },
        { key: "firstName" },
        { key: "lastName" },
        { key: "mobileNo", label: "Mobile" },
        { key: "currentBalance", label: "Balance", kind: money },
        { key: "currency" },
        { key: "lastModifiedDate", label: "Changed" },
      ],
    },
  ),
  view("e-shop-vouchers", "Online shop vouchers", "eShopVouchers", "shopId name url voucherId value", "Online shops with their vouchers.", {
    columns: [
      { key: "shopId", label: "Shop", kind: "number" },
      { key: "name" },
      { key: "url", label: "URL" },
      { key: "voucherId", label: "Voucher", kind: "number" },
      { key: "value", kind: money },
    ],
  }),
  view(
    "physical-store-vouchers",
    "Physical store vouchers",
    "physicalStoreVouchers",
    "shopId name address voucherId value",
    "Physical shops with their vouchers.",
    {
      columns: [
        { key: "shopId", label: "Shop", kind: "number" },
        { key: "name" },
        { key: "address" },
        { key: "voucherId", label: "Voucher", kind: "number" },
        { key: "value", kind: money },
      ],
    },
  ),
  view(
    "num-of-cashback",
    "Cashback per wallet",
    "numOfCashbacks",
    "walletId cashbackCount",
    "How many cashback credits each wallet received.",
    {
      columns: [
        { key: "walletId", label: "Wallet", kind: "number" },
        { key: "cashbackCount", label: "Cashback credits", kind: "number" },
      ],
      chart: (rows) => {
        const sorted = [...rows].sort((a, b) => Number(a.walletId) - Number(b.walletId));
        const labels = sorted.map((r) => `#${r.walletId}`);
        const values = sorted.map((r) => Number(r.cashbackCount));
        return {
          labels,
          series: [{ label: "Cashback credits", values, color: "#15803d" }],
          yLabel: "credits",
          summary: `Cashback credits per wallet: ${labels.map((l, i) => `${l} ${values[i]}`).join(", ")}`,
        };
      },
    },
  ),
  {
    key: "account-plan",
    title: "Accounts and their plans",
    kind: "operation",
    description: "account_plan(): every account with each plan it subscribes to.",
    query: `{ accountPlan { nodes { mobileNo nationalId accountType status balance points planId planName } } }`,
    rows: nodes("accountPlan"),
  },
  {
    key: "account-plan-date",
    title: "Subscriptions on a date",
    kind: "operation",
    description: "account_plan_date(subscription_date, plan_id): accounts subscribed to the plan on that date.",
    fields: [date("subscriptionDate", "Subscription date"), int("planId", "Plan id")],
    variables: (v) => ({ subscriptionDate: v.subscriptionDate, planId: Number(v.planId) }),
    query: `query ($subscriptionDate: Date!, $planId: Int!) { accountPlanDate(subscriptionDate: $subscriptionDate, planId: $planId) { nodes { mobileNo planId planName } } }`,
    rows: nodes("accountPlanDate"),
  },
  {
    key: "account-usage-plan",
    title: "Usage per plan of an account",
    kind: "operation",
    description: "account_usage_plan(mobile_no, from_date): the account's usage per subscribed plan since the date.",
    fields: [mobileField(), date("fromDate", "From")],
    query: `query ($mobileNo: String!, $fromDate: Date!) { accountUsagePlan(mobileNo: $mobileNo, fromDate: $fromDate) { nodes { planId totalData totalMinutes totalSms } } }`,
    rows: nodes("accountUsagePlan"),
    chart: (rows) => {
      const labels = rows.map((r) => `Plan ${r.planId}`);
      return {
        labels,
        series: [
          { label: "Data (MB ÷ 10)", values: rows.map((r) => Number(r.totalData) / 10), color: "#1d4ed8" },
          { label: "Minutes", values: rows.map((r) => Number(r.totalMinutes)), kind: "line", color: "#b91c1c" },
          { label: "SMS", values: rows.map((r) => Number(r.totalSms)), kind: "line", color: "#15803d" },
        ],
        yLabel: "amount",
        summary: `Usage per plan: ${rows.map((r) => `plan ${r.planId}: ${r.totalData} MB, ${r.totalMinutes} minutes, ${r.totalSms} SMS`).join("; ")}`,
      };
    },
  },
  {
    key: "benefits-account",
    title: "Remove an account's plan benefits",
    kind: "operation",
    writes: true,
    description:
      "benefits_account(mobile_no, plan_id): deletes the account's benefits that the plan provides, with their points, offers and cashback.",
    fields: [mobileField(), int("planId", "Plan id")],
    variables: (v) => ({ mobileNo: v.mobileNo, planId: Number(v.planId) }),
    query: `mutation ($mobileNo: String!, $planId: Int!) { benefitsAccount(input: { mobileNo: $mobileNo, planId: $planId }) { result } }`,
    rows: (data) => [{ "Benefits removed": data.benefitsAccount.result }],
  },
  {
    key: "account-sms-offers",
    title: "SMS offers of an account",
    kind: "operation",
    description: "account_sms_offers(mobile_no): the account's exclusive offers that include SMS.",
    fields: [mobileField()],
    query: `query ($mobileNo: String!) { accountSmsOffers(mobileNo: $mobileNo) { nodes { offerId benefitId internetOffered smsOffered minutesOffered } } }`,
    rows: nodes("accountSmsOffers"),
  },
  {
    key: "account-payment-points",
    title: "Payments and points of the last year",
    kind: "operation",
    description: "account_payment_points(mobile_no): successful payments of the last 365 days and the points they earned.",
    fields: [mobileField()],
    query: `query ($mobileNo: String!) { accountPaymentPoints(mobileNo: $mobileNo) { paymentCount totalPoints } }`,
    rows: (data) => (data.accountPaymentPoints ? [data.accountPaymentPoints] : []),
  },
  {
    key: "wallet-cashback-amount",
    title: "Cashback of a wallet through a plan",
    kind: "operation",
    description: "wallet_cashback_amount(wallet_id, plan_id): cashback credited to the wallet through the plan's benefits.",
    fields: [int("walletId", "Wallet id"), int("planId", "Plan id")],
    variables: (v) => ({ walletId: Number(v.walletId), planId: Number(v.planId) }),
    query: `query ($walletId: Int!, $planId: Int!) { walletCashbackAmount(walletId: $walletId, planId: $planId) }`,
    rows: scalar("walletCashbackAmount", "Cashback (EGP)"),
  },
  {
    key: "wallet-transfer-amount",
    title: "Average transfer of a wallet",
    kind: "operation",
    description: "wallet_transfer_amount(wallet_id, start_date, end_date): average amount sent between the dates.",
    fields: [
      int("walletId", "Wallet id"),
      date("startDate", "From"),
      { ...date("endDate", "To"), check: (v, all) => (v < all.startDate ? "The end must not be before the start." : null) },
    ],
    variables: (v) => ({ walletId: Number(v.walletId), startDate: v.startDate, endDate: v.endDate }),
    query: `query ($walletId: Int!, $startDate: Date!, $endDate: Date!) { walletTransferAmount(walletId: $walletId, startDate: $startDate, endDate: $endDate) }`,
    rows: scalar("walletTransferAmount", "Average transfer (EGP)"),
  },
  {
    key: "wallet-mobile-no",
    title: "Is a number linked to a wallet?",
    kind: "operation",
    description: "wallet_mobile_no(mobile_no): whether the number has a wallet.",
    fields: [mobileField()],
    query: `query ($mobileNo: String!) { walletMobileNo(mobileNo: $mobileNo) }`,
    rows: scalar("walletMobileNo", "Linked to a wallet"),
  },
  {
    key: "total-points-account",
    title: "Recompute an account's points",
    kind: "operation",
    writes: true,
    description: "total_points_account(mobile_no): recomputes and stores the account's points from its points groups.",
    fields: [mobileField()],
    query: `mutation ($mobileNo: String!) { totalPointsAccount(input: { mobileNo: $mobileNo }) { result } }`,
    rows: (data) => [{ Points: data.totalPointsAccount.result }],
  },
];

export const reportByKey = (key: string): Report | undefined => REPORTS.find((r) => r.key === key);

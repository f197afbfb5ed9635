/**
 * The admin reports: every admin view and operation of docs/api.md, described once so that one
 * `<admin-report>` element can show any of them (form for the arguments, table, chart). Each has its
 * own static document, typed against the schema.
 */
import type { ChartSeries } from "./chart-series.ts";
import type { Column, Row } from "./column.ts";
import type { Field, Values } from "./field.ts";
import { graphql, nodesOf, type ResultOf, type VariablesOf } from "./graphql.ts";
import type { TadaDocumentNode } from "gql.tada";
import { mobileNumberField } from "./mobile-number-field.ts";

type AnyDocument = TadaDocumentNode<any, any>;

/** One page of a report that pages in the database, and the planner's estimate of its rows. */
export interface Page {
  rows: Row[];
  hasNextPage: boolean;
  endCursor: string | null;
  estimate: number | null;
}

/** A filter of a paged report: a form field, and the connection filter it becomes when filled in. */
export interface Filter {
  field: Field;
  filter: (value: string) => Record<string, unknown>;
}

/** How a paged report pages: the columns an index lets the database sort by, and its filters. */
export interface Paging {
  sortKeys: string[];
  filters: Filter[];
}

interface ReportOf<Document extends AnyDocument> {
  key: string;
  title: string;
  kind: "view" | "operation";
  description: string;
  /** Arguments asked for before running; none means the report loads at once. */
  fields?: Field[];
  /** Changes data (shown with a warning, never run on page load). */
  writes?: boolean;
  document: Document;
  /** Turns the form values into the document's variables. */
  variables?: (values: Values) => VariablesOf<Document>;
  /** A report without `page` returns all its rows at once. */
  rows: (data: ResultOf<Document>) => Row[];
  /** A paged report: variables first, after, orderBy and filter; one page of rows at a time. */
  page?: (data: ResultOf<Document>) => Page;
  paging?: Paging;
  columns?: Column[];
  chart?: (rows: Row[]) => { labels: string[]; series: ChartSeries[]; yLabel: string; summary: string };
}

/** A report whose document, variables and rows are checked together, then stored without its types. */
export type Report = ReportOf<AnyDocument>;
const report = <Document extends AnyDocument>(definition: ReportOf<Document>): Report => definition as Report;

const int = (name: string, label: string): Field => ({ name, label, type: "number", required: true, min: 1, step: "1" });
const date = (name: string, label: string): Field => ({ name, label, type: "date", required: true });
const money: Column["kind"] = "money";

/** Scalar results → one row with the value. */
const scalar = (label: string, value: unknown): Row[] => [{ [label]: value }];

/** The rows of a page a report asks for. */
export const PAGE_ROWS = 50;

/** "dateOfPayment", descending → "DATE_OF_PAYMENT_DESC" (PostGraphile's orderBy enum). */
export function orderByOf(key: string, descending: boolean): string {
  return `${key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}_${descending ? "DESC" : "ASC"}`;
}

/** What a page of a paged report shows: its sort (default the first sort key, ascending), filters and cursor. */
export interface PageState {
  sortKey?: string;
  descending?: boolean;
  filters?: Values;
  after?: string | null;
}

/** The variables the page sends for one page of a paged report (the bench sends the same). */
export function pageVariables(
  report: Report,
  { sortKey, descending = false, filters = {}, after = null }: PageState,
): Record<string, unknown> {
  const variables: Record<string, unknown> = { first: PAGE_ROWS, after };
  if (report.paging?.sortKeys.length) variables.orderBy = [orderByOf(sortKey || report.paging.sortKeys[0], descending)];
  const filter = Object.assign(
    {},
    ...(report.paging?.filters ?? []).filter((f) => filters[f.field.name]).map((f) => f.filter(filters[f.field.name])),
  );
  // The connection filter refuses an empty object: no filter filled in, no filter sent.
  if (Object.keys(filter).length) variables.filter = filter;
  return variables;
}

/** A view of docs/api.md, paged, sorted and filtered in the database. */
const view = <Document extends AnyDocument>(
  key: string,
  title: string,
  document: Document,
  page: (data: ResultOf<Document>) => Page,
  paging: Paging,
  description: string,
  extra: Partial<ReportOf<Document>> = {},
): Report => report({ key, title, kind: "view", description, document, rows: (data) => page(data).rows, page, paging, ...extra });

interface ConnectionOf {
  readonly nodes: readonly (Row | null)[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
}

function pageOf(connection: ConnectionOf | null | undefined, estimate: string | null | undefined): Page {
  return {
    rows: nodesOf(connection),
    hasNextPage: connection?.pageInfo.hasNextPage ?? false,
    endCursor: connection?.pageInfo.endCursor ?? null,
    estimate: estimate == null ? null : Number(estimate),
  };
}

/** The admin pages are in English. */
const mobileField = () =>
  mobileNumberField("mobileNo", { label: "Mobile number", missing: "Enter a mobile number.", hint: "11 digits, e.g. 01012345678" });

const mobileFilter: Filter = {
  field: { ...mobileField(), required: false },
  filter: (value) => ({ mobileNo: { equalTo: value } }),
};
const nationalIdFilter: Filter = {
  field: { name: "nationalId", label: "National id", type: "number", min: 1, step: "1" },
  filter: (value) => ({ nationalId: { equalTo: Number(value) } }),
};
const emailFilter: Filter = {
  field: { name: "email", label: "E-mail", type: "email" },
  filter: (value) => ({ email: { equalTo: value } }),
};
const paidFromFilter: Filter = {
  field: { name: "paidFrom", label: "Paid on or after", type: "date" },
  filter: (value) => ({ dateOfPayment: { greaterThanOrEqualTo: value } }),
};

const shopIdFilter: Filter = {
  field: { name: "shopId", label: "Shop", type: "number", min: 1, step: "1" },
  filter: (value) => ({ shopId: { equalTo: Number(value) } }),
};

/** The two voucher reports page alike and show the same columns but for their kind of shop's own. */
const voucherPaging: Paging = { sortKeys: ["voucherId", "shopId", "mobileNo"], filters: [shopIdFilter, mobileFilter] };
const voucherColumns = (shopColumn: Column): Column[] => [
  { key: "shopId", label: "Shop", kind: "number" },
  { key: "name" },
  shopColumn,
  { key: "voucherId", label: "Voucher", kind: "number" },
  { key: "value", kind: money },
  { key: "mobileNo", label: "Redeemed by" },
  { key: "redeemDate", label: "Redeemed on" },
];

export const REPORTS: Report[] = [
  view(
    "all-customer-accounts",
    "Active accounts",
    graphql(`
      query AllCustomerAccountsReport(
        $first: Int!
        $after: Cursor
        $orderBy: [AllCustomerAccountOrderBy!]
        $filter: AllCustomerAccountFilter
      ) {
        allCustomerAccounts(first: $first, after: $after, orderBy: $orderBy, filter: $filter) {
          nodes {
            mobileNo
            nationalId
            firstName
            lastName
            email
            accountType
            status
            balance
            points
            startDate
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
        estimatedRowCount(relationName: "all_customer_accounts")
      }
    `),
    (data) => pageOf(data.allCustomerAccounts, data.estimatedRowCount),
    { sortKeys: ["mobileNo", "nationalId", "startDate"], filters: [mobileFilter, nationalIdFilter, emailFilter] },
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
    graphql(`
      query AllServicePlansReport($first: Int!, $after: Cursor, $orderBy: [AllServicePlanOrderBy!], $filter: AllServicePlanFilter) {
        allServicePlans(first: $first, after: $after, orderBy: $orderBy, filter: $filter) {
          nodes {
            planId
            name
            price
            dataOffered
            minutesOffered
            smsOffered
            description
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
        estimatedRowCount(relationName: "all_service_plans")
      }
    `),
    (data) => pageOf(data.allServicePlans, data.estimatedRowCount),
    { sortKeys: ["planId", "name"], filters: [] },
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
    graphql(`
      query AllBenefitsReport($first: Int!, $after: Cursor, $orderBy: [AllBenefitOrderBy!], $filter: AllBenefitFilter) {
        allBenefits(first: $first, after: $after, orderBy: $orderBy, filter: $filter) {
          nodes {
            benefitId
            description
            validityDate
            status
            mobileNo
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
        estimatedRowCount(relationName: "all_benefits")
      }
    `),
    (data) => pageOf(data.allBenefits, data.estimatedRowCount),
    { sortKeys: ["benefitId", "mobileNo"], filters: [mobileFilter] },
    "Benefits that are still active.",
  ),
  view(
    "account-payments",
    "Payments",
    graphql(`
      query AccountPaymentsReport($first: Int!, $after: Cursor, $orderBy: [AccountPaymentOrderBy!], $filter: AccountPaymentFilter) {
        accountPayments(first: $first, after: $after, orderBy: $orderBy, filter: $filter) {
          nodes {
            paymentId
            mobileNo
            nationalId
            amount
            dateOfPayment
            paymentMethod
            status
            accountType
            accountStatus
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
        estimatedRowCount(relationName: "account_payments")
      }
    `),
    (data) => pageOf(data.accountPayments, data.estimatedRowCount),
    { sortKeys: ["paymentId", "dateOfPayment", "mobileNo"], filters: [mobileFilter, nationalIdFilter, paidFromFilter] },
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
    },
  ),
  view(
    "all-shops",
    "Shops",
    graphql(`
      query AllShopsReport($first: Int!, $after: Cursor, $orderBy: [AllShopOrderBy!], $filter: AllShopFilter) {
        allShops(first: $first, after: $after, orderBy: $orderBy, filter: $filter) {
          nodes {
            shopId
            name
            category
            kind
            address
            workingHours
            url
            rating
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
        estimatedRowCount(relationName: "all_shops")
      }
    `),
    (data) => pageOf(data.allShops, data.estimatedRowCount),
    { sortKeys: ["shopId"], filters: [] },
    "Every shop with its kind and details.",
  ),
  view(
    "all-resolved-tickets",
    "Resolved tickets",
    graphql(`
      query AllResolvedTicketsReport(
        $first: Int!
        $after: Cursor
        $orderBy: [AllResolvedTicketOrderBy!]
        $filter: AllResolvedTicketFilter
      ) {
        allResolvedTickets(first: $first, after: $after, orderBy: $orderBy, filter: $filter) {
          nodes {
            ticketId
            mobileNo
            issueDescription
            priorityLevel
            status
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
        estimatedRowCount(relationName: "all_resolved_tickets")
      }
    `),
    (data) => pageOf(data.allResolvedTickets, data.estimatedRowCount),
    { sortKeys: ["ticketId", "mobileNo", "priorityLevel"], filters: [mobileFilter] },
    "Support tickets that are resolved.",
  ),
  view(
    "customer-wallets",
    "Wallets",
    graphql(`
      query CustomerWalletsReport($first: Int!, $after: Cursor, $orderBy: [CustomerWalletOrderBy!], $filter: CustomerWalletFilter) {
        customerWallets(first: $first, after: $after, orderBy: $orderBy, filter: $filter) {
          nodes {
            walletId
            firstName
            lastName
            mobileNo
            currentBalance
            currency
            lastModifiedDate
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
        estimatedRowCount(relationName: "customer_wallet")
      }
    `),
    (data) => pageOf(data.customerWallets, data.estimatedRowCount),
    { sortKeys: ["walletId", "mobileNo", "nationalId", "currentBalance"], filters: [mobileFilter, nationalIdFilter] },
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
  view(
    "e-shop-vouchers",
    "Online shop vouchers",
    graphql(`
      query EShopVouchersReport($first: Int!, $after: Cursor, $orderBy: [EShopVoucherOrderBy!], $filter: EShopVoucherFilter) {
        eShopVouchers(first: $first, after: $after, orderBy: $orderBy, filter: $filter) {
          nodes {
            shopId
            name
            url
            voucherId
            value
            mobileNo
            redeemDate
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
        estimatedRowCount(relationName: "e_shop_vouchers")
      }
    `),
    (data) => pageOf(data.eShopVouchers, data.estimatedRowCount),
    voucherPaging,
    "Online shops with their vouchers.",
    { columns: voucherColumns({ key: "url", label: "URL" }) },
  ),
  view(
    "physical-store-vouchers",
    "Physical store vouchers",
    graphql(`
      query PhysicalStoreVouchersReport(
        $first: Int!
        $after: Cursor
        $orderBy: [PhysicalStoreVoucherOrderBy!]
        $filter: PhysicalStoreVoucherFilter
      ) {
        physicalStoreVouchers(first: $first, after: $after, orderBy: $orderBy, filter: $filter) {
          nodes {
            shopId
            name
            address
            voucherId
            value
            mobileNo
            redeemDate
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
        estimatedRowCount(relationName: "physical_store_vouchers")
      }
    `),
    (data) => pageOf(data.physicalStoreVouchers, data.estimatedRowCount),
    voucherPaging,
    "Physical shops with their vouchers.",
    { columns: voucherColumns({ key: "address" }) },
  ),
  view(
    "num-of-cashback",
    "Cashback per wallet",
    graphql(`
      query NumOfCashbacksReport($first: Int!, $after: Cursor, $orderBy: [NumOfCashbackOrderBy!], $filter: NumOfCashbackFilter) {
        numOfCashbacks(first: $first, after: $after, orderBy: $orderBy, filter: $filter) {
          nodes {
            walletId
            cashbackCount
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
        estimatedRowCount(relationName: "num_of_cashback")
      }
    `),
    (data) => pageOf(data.numOfCashbacks, data.estimatedRowCount),
    { sortKeys: ["walletId"], filters: [] },
    "How many cashback credits each wallet received.",
    {
      columns: [
        { key: "walletId", label: "Wallet", kind: "number" },
        { key: "cashbackCount", label: "Cashback credits", kind: "number" },
      ],
    },
  ),
  report({
    key: "account-plan",
    title: "Accounts and their plans",
    kind: "operation",
    description: "account_plan(): every account with each plan it subscribes to.",
    document: graphql(`
      query AccountPlanReport($first: Int!, $after: Cursor) {
        accountPlan(first: $first, after: $after) {
          pageInfo {
            hasNextPage
            endCursor
          }
          nodes {
            mobileNo
            nationalId
            accountType
            status
            balance
            points
            planId
            planName
          }
        }
      }
    `),
    rows: (data) => nodesOf(data.accountPlan),
    page: (data) => pageOf(data.accountPlan, null),
    paging: { sortKeys: [], filters: [] },
  }),
  report({
    key: "account-plan-date",
    title: "Subscriptions on a date",
    kind: "operation",
    description: "account_plan_date(subscription_date, plan_id): accounts subscribed to the plan on that date.",
    fields: [date("subscriptionDate", "Subscription date"), int("planId", "Plan id")],
    variables: (v) => ({ subscriptionDate: v.subscriptionDate, planId: Number(v.planId) }),
    document: graphql(`
      query AccountPlanDateReport($subscriptionDate: Date!, $planId: Int!) {
        accountPlanDate(subscriptionDate: $subscriptionDate, planId: $planId) {
          nodes {
            mobileNo
            planId
            planName
          }
        }
      }
    `),
    rows: (data) => nodesOf(data.accountPlanDate),
  }),
  report({
    key: "account-usage-plan",
    title: "Usage per plan of an account",
    kind: "operation",
    description: "account_usage_plan(mobile_no, from_date): the account's usage per subscribed plan since the date.",
    fields: [mobileField(), date("fromDate", "From")],
    variables: (v) => ({ mobileNo: v.mobileNo, fromDate: v.fromDate }),
    document: graphql(`
      query AccountUsagePlanReport($mobileNo: String!, $fromDate: Date!) {
        accountUsagePlan(mobileNo: $mobileNo, fromDate: $fromDate) {
          nodes {
            planId
            totalData
            totalMinutes
            totalSms
          }
        }
      }
    `),
    rows: (data) => nodesOf(data.accountUsagePlan),
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
  }),
  report({
    key: "benefits-account",
    title: "End an account's plan benefits",
    kind: "operation",
    writes: true,
    description:
      "benefits_account(mobile_no, plan_id): deletes the account's benefits that the plan provides, with their points, offers and cashback.",
    fields: [mobileField(), int("planId", "Plan id")],
    variables: (v) => ({ mobileNo: v.mobileNo, planId: Number(v.planId) }),
    document: graphql(`
      mutation BenefitsAccountReport($mobileNo: String!, $planId: Int!) {
        benefitsAccount(input: { mobileNo: $mobileNo, planId: $planId }) {
          result
        }
      }
    `),
    rows: (data) => scalar("Benefits ended", data.benefitsAccount?.result),
  }),
  report({
    key: "account-sms-offers",
    title: "SMS offers of an account",
    kind: "operation",
    description: "account_sms_offers(mobile_no): the account's exclusive offers that include SMS.",
    fields: [mobileField()],
    variables: (v) => ({ mobileNo: v.mobileNo }),
    document: graphql(`
      query AccountSmsOffersReport($mobileNo: String!) {
        accountSmsOffers(mobileNo: $mobileNo) {
          nodes {
            offerId
            benefitId
            internetOffered
            smsOffered
            minutesOffered
          }
        }
      }
    `),
    rows: (data) => nodesOf(data.accountSmsOffers),
  }),
  report({
    key: "account-payment-points",
    title: "Payments and points of the last year",
    kind: "operation",
    description: "account_payment_points(mobile_no): successful payments of the last 365 days and the points they earned.",
    fields: [mobileField()],
    variables: (v) => ({ mobileNo: v.mobileNo }),
    document: graphql(`
      query AccountPaymentPointsReport($mobileNo: String!) {
        accountPaymentPoints(mobileNo: $mobileNo) {
          paymentCount
          totalPoints
        }
      }
    `),
    rows: (data) => (data.accountPaymentPoints ? [data.accountPaymentPoints] : []),
  }),
  report({
    key: "wallet-cashback-amount",
    title: "Cashback of a wallet through a plan",
    kind: "operation",
    description: "wallet_cashback_amount(wallet_id, plan_id): cashback credited to the wallet through the plan's benefits.",
    fields: [int("walletId", "Wallet id"), int("planId", "Plan id")],
    variables: (v) => ({ walletId: Number(v.walletId), planId: Number(v.planId) }),
    document: graphql(`
      query WalletCashbackAmountReport($walletId: Int!, $planId: Int!) {
        walletCashbackAmount(walletId: $walletId, planId: $planId)
      }
    `),
    rows: (data) => scalar("Cashback (EGP)", data.walletCashbackAmount),
  }),
  report({
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
    document: graphql(`
      query WalletTransferAmountReport($walletId: Int!, $startDate: Date!, $endDate: Date!) {
        walletTransferAmount(walletId: $walletId, startDate: $startDate, endDate: $endDate)
      }
    `),
    rows: (data) => scalar("Average transfer (EGP)", data.walletTransferAmount),
  }),
  report({
    key: "wallet-mobile-no",
    title: "Is a number linked to a wallet?",
    kind: "operation",
    description: "wallet_mobile_no(mobile_no): whether the number has a wallet.",
    fields: [mobileField()],
    variables: (v) => ({ mobileNo: v.mobileNo }),
    document: graphql(`
      query WalletMobileNoReport($mobileNo: String!) {
        walletMobileNo(mobileNo: $mobileNo)
      }
    `),
    rows: (data) => scalar("Linked to a wallet", data.walletMobileNo),
  }),
  report({
    key: "total-points-account",
    title: "Recompute an account's points",
    kind: "operation",
    writes: true,
    description: "total_points_account(mobile_no): recomputes and stores the account's points from its points groups.",
    fields: [mobileField()],
    variables: (v) => ({ mobileNo: v.mobileNo }),
    document: graphql(`
      mutation TotalPointsAccountReport($mobileNo: String!) {
        totalPointsAccount(input: { mobileNo: $mobileNo }) {
          result
        }
      }
    `),
    rows: (data) => scalar("Points", data.totalPointsAccount?.result),
  }),
];

export const reportByKey = (key: string): Report | undefined => REPORTS.find((r) => r.key === key);

/**
 * The app's routes, customer and admin alike: the one route table. Each guards in `enter()` (who
 * may open it, else where to go instead) and loads its chunk there, so a page's code is fetched only when someone may see it (the pattern of
 * @lit-labs/router's `enter`, without its URLPattern dependency). `<telecom-app>` renders a route
 * only after its `enter()` resolved to `true`.
 */
import { msg } from "@lit/localize";
import { html, type TemplateResult } from "lit";
import type { Session } from "../session/session-store.ts";

/** Where a guard sends the user instead, with an optional notice. */
export interface Redirect {
  to: string;
  notice?: string;
}

export interface Route {
  /** The path, or a prefix when it ends in `*`. */
  path: string;
  /** The navigation label (customer routes) and the page's `document.title` ("<title> · Telecom"), in the current language. */
  title?: () => string;
  /** False: a page reached from other pages, not listed in the main navigation. */
  nav?: boolean;
  enter(session: Session | null): Promise<true | Redirect>;
  render(path: string): TemplateResult;
}

const home = (session: Session) => (session.role === "telecom_admin" ? "/admin" : "/");

/** A customer page: visitors log in first, admins go to their own pages. */
function customerPage(path: string, title: () => string, load: () => Promise<unknown>, render: (path: string) => TemplateResult): Route {
  return {
    path,
    title,
    async enter(session) {
      if (!session) return { to: "/login" };
      if (session.role !== "telecom_customer") return { to: "/admin" };
      await load();
      return true;
    },
    render,
  };
}

/** A page for visitors (activating online access, a forgotten password): a logged-in user goes home. */
function visitorPage(path: string, render: () => TemplateResult): Route {
  return {
    path,
    async enter(session) {
      if (session) return { to: home(session) };
      await import("../pages/access-code-page.ts");
      return true;
    },
    render,
  };
}

export const CUSTOMER_ROUTES: Route[] = [
  customerPage(
    "/",
    () => msg("Dashboard"),
    () => import("../pages/customer-dashboard.ts"),
    () => html`<customer-dashboard></customer-dashboard>`,
  ),
  customerPage(
    "/usage",
    () => msg("Usage"),
    () => import("../pages/usage-page.ts"),
    () => html`<usage-page></usage-page>`,
  ),
  customerPage(
    "/plans",
    () => msg("Plans"),
    () => import("../pages/plans-page.ts"),
    () => html`<plans-page></plans-page>`,
  ),
  customerPage(
    "/payments",
    () => msg("Payments"),
    () => import("../pages/payments-page.ts"),
    () => html`<payments-page></payments-page>`,
  ),
  customerPage(
    "/bills",
    () => msg("Bills"),
    () => import("../pages/bills-page.ts"),
    () => html`<bills-page></bills-page>`,
  ),
  // One bill (`/bills/<invoice no>`), opened from the bills page or the dashboard.
  {
    ...customerPage(
      "/bills/*",
      () => msg("Bill"),
      () => import("../pages/bill-page.ts"),
      (path) => html`<bill-page invoice-no=${decodeURIComponent(path.slice("/bills/".length))}></bill-page>`,
    ),
    nav: false,
  },
  customerPage(
    "/wallet",
    () => msg("Wallet"),
    () => import("../pages/wallet-page.ts"),
    () => html`<wallet-page></wallet-page>`,
  ),
  customerPage(
    "/vouchers",
    () => msg("Vouchers"),
    () => import("../pages/vouchers-page.ts"),
    () => html`<vouchers-page></vouchers-page>`,
  ),
  customerPage(
    "/tickets",
    () => msg("Support"),
    () => import("../pages/tickets-page.ts"),
    () => html`<tickets-page></tickets-page>`,
  ),
  customerPage(
    "/receipts",
    () => msg("Receipts"),
    () => import("../pages/receipts-page.ts"),
    () => html`<receipts-page></receipts-page>`,
  ),
  customerPage(
    "/profile",
    () => msg("Profile"),
    () => import("../pages/profile-page.ts"),
    () => html`<profile-page></profile-page>`,
  ),
];

/** The admin chunk (admin/admin-pages.ts), loaded by the first admin page an admin opens. */
let adminChunk: typeof import("../admin/admin-pages.ts") | undefined;

/** An admin page: visitors log in first, customers are told the page is not theirs. */
function adminPage(path: string, render: (path: string) => TemplateResult, load: () => Promise<unknown> = async () => {}): Route {
  return {
    path,
    title: () => msg("Administration"),
    async enter(session) {
      if (!session) return { to: "/login" };
      if (session.role !== "telecom_admin") return { to: "/", notice: msg("Only administrators can open admin pages.") };
      adminChunk ??= await import("../admin/admin-pages.ts");
      await load();
      return true;
    },
    render,
  };
}

const ADMIN_ROUTES: Route[] = [
  adminPage("/admin", () => html`<admin-dashboard><admin-live-usage slot="usage-live"></admin-live-usage></admin-dashboard>`),
  adminPage("/admin/manage", () => html`<admin-manage></admin-manage>`),
  adminPage("/admin/bills", () => html`<admin-bills></admin-bills>`),
  adminPage(
    "/admin/bills/*",
    (path) => html`<admin-bill invoice-no=${decodeURIComponent(path.slice("/admin/bills/".length))}></admin-bill>`,
  ),
  adminPage(
    "/admin/customers*",
    (path) =>
      html`<admin-customers
        .path=${path.slice("/admin/customers".length)}
        .query=${new URLSearchParams(location.search).get("q") ?? ""}
      ></admin-customers>`,
  ),
  // The data model page (a large image) is a chunk of its own, loaded on its first visit.
  adminPage(
    "/admin/data-model",
    () => html`<admin-data-model></admin-data-model>`,
    () => import("../admin/admin-data-model.ts"),
  ),
  // Every other admin path is a report (shared/admin-reports.ts), or not found.
  adminPage("/admin/*", (path) => {
    const report = adminChunk?.reportByKey(path.slice("/admin/".length));
    return report
      ? html`<admin-report .report=${report}></admin-report>`
      : html`<h1>Page not found</h1>
          <p><a href="/admin">Back to the reports</a></p>`;
  }),
];

export const ROUTES: Route[] = [
  {
    path: "/login",
    title: () => msg("Log in"),
    async enter(session) {
      if (session) return { to: home(session) };
      await import("../pages/login-page.ts");
      return true;
    },
    render: () => html`<login-page></login-page>`,
  },
  visitorPage("/activate", () => html`<access-code-page purpose="activate"></access-code-page>`),
  visitorPage("/forgot-password", () => html`<access-code-page purpose="reset"></access-code-page>`),
  ...CUSTOMER_ROUTES,
  ...ADMIN_ROUTES,
];

/** Any other path: a customer sees "not found", an admin goes to the admin pages, a visitor logs in. */
export const NOT_FOUND: Route = {
  path: "*",
  title: () => msg("Page not found"),
  async enter(session) {
    if (!session) return { to: "/login" };
    if (session.role === "telecom_admin") return { to: "/admin" };
    return true;
  },
  render: () =>
    html`<h1 tabindex="-1">${msg("Page not found")}</h1>
      <p><a href="/">${msg("Back to the dashboard")}</a></p>`,
};

/** The route of a path (a trailing slash aside), the first that matches. */
export function routeFor(path: string): Route {
  const plain = path.length > 1 ? path.replace(/\/+$/, "") : path;
  return ROUTES.find((route) => (route.path.endsWith("*") ? plain.startsWith(route.path.slice(0, -1)) : route.path === plain)) ?? NOT_FOUND;
}

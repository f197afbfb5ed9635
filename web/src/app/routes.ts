/**
 * The app's routes. Each guards in `enter()` (who may open it, else where to go instead) and loads
 * its chunk there, so a page's code is fetched only when someone may see it (the pattern of
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
function customerPage(path: string, title: () => string, load: () => Promise<unknown>, render: () => TemplateResult): Route {
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
  ...CUSTOMER_ROUTES,
  {
    path: "/admin*",
    title: () => msg("Administration"),
    async enter(session) {
      if (!session) return { to: "/login" };
      if (session.role !== "telecom_admin") return { to: "/", notice: msg("Only administrators can open admin pages.") };
      await import("../admin/admin-pages.ts");
      return true;
    },
    render: (path) => html`<admin-router .path=${path}></admin-router>`,
  },
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

export function routeFor(path: string): Route {
  return ROUTES.find((route) => (route.path.endsWith("*") ? path.startsWith(route.path.slice(0, -1)) : route.path === path)) ?? NOT_FOUND;
}

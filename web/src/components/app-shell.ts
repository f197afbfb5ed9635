/**
 * `<app-shell>`: header, navigation for the logged-in role, and the page for the current URL.
 * Guards: no valid token → /login; a customer on /admin… → their dashboard; an admin on a customer
 * page → /admin. Admin pages are a separate chunk, loaded on an admin's first visit.
 */
import { LitElement, css, html, nothing, type TemplateResult } from "lit";
import { customElement, state } from "lit/decorators.js";
import { claims, logOut, token } from "../api/session.ts";
import { navigate } from "../router.ts";
import "../pages/login-page.ts";
import "../pages/customer-dashboard.ts";
import "../pages/usage-page.ts";
import "../pages/plans-page.ts";
import "../pages/payments-page.ts";
import "../pages/wallet-page.ts";
import "../pages/vouchers-page.ts";
import "../pages/tickets-page.ts";
import "../pages/profile-page.ts";

const CUSTOMER_PAGES: Record<string, { title: string; render: () => TemplateResult }> = {
  "/": { title: "Dashboard", render: () => html`<customer-dashboard></customer-dashboard>` },
  "/usage": { title: "Usage", render: () => html`<usage-page></usage-page>` },
  "/plans": { title: "Plans", render: () => html`<plans-page></plans-page>` },
  "/payments": { title: "Payments", render: () => html`<payments-page></payments-page>` },
  "/wallet": { title: "Wallet", render: () => html`<wallet-page></wallet-page>` },
  "/vouchers": { title: "Vouchers", render: () => html`<vouchers-page></vouchers-page>` },
  "/tickets": { title: "Support", render: () => html`<tickets-page></tickets-page>` },
  "/profile": { title: "Profile", render: () => html`<profile-page></profile-page>` },
};

let adminChunk: Promise<unknown> | undefined;

@customElement("app-shell")
export class AppShell extends LitElement {
  static styles = css`
    :host {
      display: block;
      min-height: 100vh;
    }
    header {
      background: var(--tc-primary, #1d4ed8);
      color: var(--tc-primary-text, #fff);
      padding: 0.5rem 1rem;
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem 1.5rem;
    }
    header a {
      color: inherit;
    }
    .brand {
      font-weight: 700;
      font-size: 1.2rem;
      text-decoration: none;
    }
    nav ul {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 0.9rem;
      list-style: none;
      margin: 0;
      padding: 0;
    }
    nav a {
      text-decoration: none;
      padding: 0.2rem 0;
    }
    nav a[aria-current="page"] {
      border-bottom: 2px solid currentColor;
      font-weight: 600;
    }
    .who {
      margin-left: auto;
      display: flex;
      gap: 0.75rem;
      align-items: center;
    }
    button {
      font: inherit;
      border: 1px solid currentColor;
      background: transparent;
      color: inherit;
      border-radius: 6px;
      padding: 0.2rem 0.7rem;
      cursor: pointer;
    }
    a:focus-visible,
    button:focus-visible {
      outline: 3px solid #f59e0b;
      outline-offset: 2px;
    }
    main {
      max-width: 72rem;
      margin: 0 auto;
      padding: 1rem;
    }
    .notice {
      background: #fef3c7;
      border: 1px solid #f59e0b;
      padding: 0.5rem 0.75rem;
      border-radius: 6px;
      margin-bottom: 1rem;
    }
  `;

  @state() private _path = location.pathname;
  @state() private _notice = "";
  @state() private _adminReady = false;

  private _onRoute = () => {
    this._path = location.pathname;
    this._notice = "";
  };
  private _onSessionEnded = () => {
    navigate("/login", true);
    this._notice = "Your session has ended; please log in again.";
  };

  connectedCallback() {
    super.connectedCallback();
    window.addEventListener("route-changed", this._onRoute);
    window.addEventListener("session-ended", this._onSessionEnded);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener("route-changed", this._onRoute);
    window.removeEventListener("session-ended", this._onSessionEnded);
  }

  /** Redirects that the guards demand; runs before each render so the URL is always the page shown. */
  protected willUpdate() {
    const current = claims();
    const path = this._path;
    if (!current) {
      if (path !== "/login") navigate("/login", true);
    } else if (path === "/login") {
      navigate(current.role === "telecom_admin" ? "/admin" : "/", true);
    } else if (path.startsWith("/admin") && current.role !== "telecom_admin") {
      navigate("/", true);
      this._notice = "Only administrators can open admin pages.";
    } else if (!path.startsWith("/admin") && current.role === "telecom_admin") {
      navigate("/admin", true);
    }
    if (current?.role === "telecom_admin" && !this._adminReady) {
      adminChunk ??= import("../admin/admin-pages.ts");
      adminChunk.then(() => (this._adminReady = true));
    }
    this._path = location.pathname;
  }

  private _logOut() {
    logOut();
    navigate("/login");
  }

  private _link(href: string, label: string) {
    const current = this._path === href || (href !== "/" && href !== "/admin" && this._path.startsWith(href));
    return html`<li><a href=${href} aria-current=${current ? "page" : nothing}>${label}</a></li>`;
  }

  private _navigation() {
    const current = claims();
    if (!current) return nothing;
    const admin = current.role === "telecom_admin";
    return html`<nav aria-label="Main">
        <ul>
          ${
            admin
              ? html`${this._link("/admin", "Reports")}${this._link("/admin/manage", "Manage")}
                  <li><a href=${`/graphiql#token=${token()}`} target="_blank" rel="noopener">GraphiQL</a></li>`
              : Object.entries(CUSTOMER_PAGES).map(([href, page]) => this._link(href, page.title))
          }
        </ul>
      </nav>
      <div class="who">
        <span>${admin ? `Admin #${current.admin_id}` : current.mobile_no}</span>
        <button type="button" @click=${this._logOut}>Log out</button>
      </div>`;
  }

  private _page() {
    const current = claims();
    if (!current || this._path === "/login") return html`<login-page></login-page>`;
    if (current.role === "telecom_admin") {
      if (!this._adminReady) return html`<p role="status">Loading…</p>`;
      return html`<admin-router .path=${this._path}></admin-router>`;
    }
    const page = CUSTOMER_PAGES[this._path];
    return page
      ? page.render()
      : html`<h1>Page not found</h1>
          <p><a href="/">Back to the dashboard</a></p>`;
  }

  render() {
    return html`<header>
        <a class="brand" href=${claims()?.role === "telecom_admin" ? "/admin" : "/"}>Telecom</a>
        ${this._navigation()}
      </header>
      <main>${this._notice ? html`<p class="notice" role="alert">${this._notice}</p>` : nothing} ${this._page()}</main>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "app-shell": AppShell;
  }
}

/**
 * `<telecom-app>`: the app root. It owns the login (SessionStore) and provides the session, the
 * chosen number and the language to every element below (@lit/context); it shows the header with
 * the navigation and the number switcher, and the page of the current URL once that route's
 * `enter()` let it in (routes.ts).
 */
import { localized, msg, str } from "@lit/localize";
import { provide } from "@lit/context";
import { LitElement, css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { ApiError, graphql } from "../api/graphql.ts";
import { navigate } from "../router.ts";
import { SessionStore, type ChangeReason, type Session } from "../session/session-store.ts";
import { browserLanguage, LANGUAGES, languageContext, numberContext, rememberLanguage, sessionContext, type Language } from "./contexts.ts";
import { setLocale } from "./localization.ts";
import { CUSTOMER_ROUTES, routeFor, type Route } from "./routes.ts";
import "./number-switcher.ts";

const SwitchNumber = graphql(`
  mutation SwitchNumber($mobileNo: String!) {
    switchNumber(input: { mobileNo: $mobileNo }) {
      jwtToken
    }
  }
`);

/** What the user is told when the session changed without them asking, in this tab. */
function noticeFor(reason: ChangeReason, session: Session | null): string {
  if (reason === "expired") return msg("Your session has ended; please log in again.");
  if (reason === "other-tab" && !session) return msg("You logged out in another tab.");
  return "";
}

@customElement("telecom-app")
@localized()
export class TelecomApp extends LitElement {
  static styles = css`
    :host {
      display: block;
      min-height: 100vh;
    }
    header .skip {
      position: absolute;
      border: 0;
      font-weight: 600;
      inset-inline-start: 0.5rem;
      top: -4rem;
      background: var(--tc-surface);
      color: var(--tc-link);
      padding: 0.6rem 1rem;
      border-radius: 6px;
      z-index: 10;
    }
    header .skip:focus {
      top: 0.5rem;
      outline: 3px solid var(--tc-focus);
    }
    header {
      background: var(--tc-primary);
      color: var(--tc-primary-text);
      padding: 0.25rem 1rem;
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.25rem 1.5rem;
    }
    header a {
      color: inherit;
    }
    .brand {
      font-weight: 700;
      font-size: 1.2rem;
      text-decoration: none;
      min-height: var(--tc-touch);
      display: inline-flex;
      align-items: center;
    }
    nav ul {
      display: flex;
      flex-wrap: wrap;
      gap: 0 0.9rem;
      list-style: none;
      margin: 0;
      padding: 0;
    }
    nav a {
      text-decoration: none;
      min-height: var(--tc-touch);
      display: inline-flex;
      align-items: center;
    }
    nav a[aria-current="page"] {
      text-decoration: underline;
      text-decoration-thickness: 2px;
      text-underline-offset: 0.35em;
      font-weight: 600;
    }
    .who {
      margin-inline-start: auto;
      display: flex;
      flex-wrap: wrap;
      gap: 0.75rem;
      align-items: center;
    }
    button {
      font: inherit;
      min-height: var(--tc-touch);
      min-width: var(--tc-touch);
      border: 1px solid currentColor;
      background: transparent;
      color: inherit;
      border-radius: 6px;
      padding: 0.2rem 0.7rem;
      cursor: pointer;
    }
    a:focus-visible,
    button:focus-visible {
      outline: 3px solid var(--tc-focus-on-primary);
      outline-offset: 2px;
    }
    main a:focus-visible {
      outline-color: var(--tc-focus);
    }
    .visitor {
      margin-inline-start: auto;
    }
    .menu-toggle,
    .phone-only {
      display: none;
    }
    /* Phones: one header row (name, number, menu); the navigation opens as a list under it. */
    @media (max-width: 599.98px) {
      header {
        padding: 0 0.5rem;
        gap: 0 0.5rem;
        flex-wrap: nowrap;
        position: relative;
      }
      .menu-toggle {
        display: inline-block;
        order: 3;
      }
      .who {
        order: 2;
        min-width: 0;
      }
      .who .logout {
        display: none;
      }
      .brand {
        font-size: 1rem;
      }
      .phone-only {
        display: list-item;
      }
      nav {
        display: none;
        position: absolute;
        top: 100%;
        inset-inline: 0;
        background: var(--tc-primary);
        z-index: 5;
        padding: 0 1rem 0.5rem;
      }
      nav.open {
        display: block;
      }
      nav ul {
        flex-direction: column;
      }
      nav li.phone-only {
        padding: 0.25rem 0;
      }
      nav a {
        width: 100%;
      }
      main {
        padding: 0.75rem 0.5rem;
      }
    }
    main {
      max-width: 72rem;
      margin: 0 auto;
      padding: 1rem;
    }
    main:focus {
      outline: none;
    }
    .notice {
      background: var(--tc-notice-background);
      border: 1px solid var(--tc-warning-border);
      padding: 0.5rem 0.75rem;
      border-radius: 6px;
      margin-bottom: 1rem;
    }
    /* Printing (a bill): the page alone, without the header and its navigation. */
    @media print {
      header,
      .notice {
        display: none;
      }
      main {
        max-width: none;
        padding: 0;
      }
    }
  `;

  private readonly _store = new SessionStore();

  @provide({ context: sessionContext })
  @state()
  private _session: Session | null = this._store.session;

  @provide({ context: numberContext })
  @state()
  private _number: string | null = this._store.session?.mobileNo ?? null;

  @provide({ context: languageContext })
  @state()
  private _language: Language = browserLanguage();

  /** The page on screen: a route whose `enter()` let the current session in, and its path. */
  @state() private _page?: { route: Route; path: string };
  @state() private _notice = "";
  @state() private _switchError = "";
  /** A login from this tab's form: its first page takes the focus. */
  private _focusAfterLogin = false;
  /** The phone navigation is open. */
  @state() private _menuOpen = false;

  /** Each resolution gets a number; a slower, older one never replaces a newer page. */
  private _resolution = 0;

  private _onRoute = () => {
    this._notice = "";
    this._menuOpen = false;
    void this._resolve().then((shown) => {
      if (shown) void this._focusHeading();
    });
  };

  private _onSessionChange = (event: Event) => {
    const reason = (event as CustomEvent<ChangeReason>).detail;
    this._session = this._store.session;
    this._number = this._session?.mobileNo ?? null;
    this._switchError = "";
    // Nothing of the previous login stays on screen while the guards run.
    if (!this._session) this._page = undefined;
    const notice = noticeFor(reason, this._session);
    const focus = this._focusAfterLogin;
    this._focusAfterLogin = false;
    // After a login from /login, the guard redirects: the redirect's own resolution focuses the page.
    void this._resolve().then((shown) => {
      if (notice) this._notice = notice;
      if (focus && shown) void this._focusHeading();
    });
  };

  connectedCallback() {
    super.connectedCallback();
    window.addEventListener("route-changed", this._onRoute);
    this._store.addEventListener("session-change", this._onSessionChange);
    this._applyLanguage();
    void this._resolve();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener("route-changed", this._onRoute);
    this._store.removeEventListener("session-change", this._onSessionChange);
  }

  /**
   * Runs the guard of the current URL's route: a redirect replaces the URL (and resolves again).
   * True when this resolution put its page on screen (false: redirected, or overtaken by a newer one).
   */
  private async _resolve(): Promise<boolean> {
    const resolution = ++this._resolution;
    const path = location.pathname;
    const route = routeFor(path);
    const outcome = await route.enter(this._session);
    if (resolution !== this._resolution) return false;
    if (outcome === true) {
      this._page = { route, path };
      this._setTitle();
      return true;
    }
    navigate(outcome.to, true);
    if (outcome.notice) this._notice = outcome.notice;
    return false;
  }

  /** `<html lang dir>` and the messages follow the language; the title is set again in it. */
  private _applyLanguage() {
    document.documentElement.lang = this._language.lang;
    document.documentElement.dir = this._language.dir;
    void setLocale(this._language.lang).then(() => this._setTitle());
  }

  private _setTitle() {
    const title = this._page?.route.title?.();
    document.title = title ? `${title} · ${msg("Telecom")}` : msg("Telecom");
  }

  private _switchLanguage() {
    this._language = LANGUAGES[this._language.lang === "ar" ? "en" : "ar"];
    rememberLanguage(this._language);
    this._applyLanguage();
  }

  /** Switches between English and Arabic without a reload; named in the language it switches to. */
  private _languageButton() {
    const other = this._language.lang === "ar" ? { lang: "en", name: "English" } : { lang: "ar", name: "العربية" };
    return html`<button type="button" class="language" lang=${other.lang} data-testid="language" @click=${this._switchLanguage}>
      ${other.name}
    </button>`;
  }

  private _onLoggedIn(event: CustomEvent<string>) {
    this._focusAfterLogin = true;
    this._store.logIn(event.detail);
  }

  /**
   * After a route change the page's h1 takes the focus, so a screen reader announces the new page and
   * the keyboard starts from its top (the page renders its heading at once, before its data).
   */
  private async _focusHeading(): Promise<void> {
    await this.updateComplete;
    const main = this.renderRoot.querySelector("main");
    const page = [...(main?.children ?? [])].find((element) => element.tagName.includes("-")) as
      (HTMLElement & { updateComplete?: Promise<unknown> }) | undefined;
    await page?.updateComplete;
    const heading = page?.shadowRoot?.querySelector<HTMLElement>("h1") ?? main?.querySelector<HTMLElement>("h1");
    if (heading) {
      if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }

  private _skip(event: Event) {
    event.preventDefault();
    void this._focusHeading().then(() => {
      const main = this.renderRoot.querySelector("main");
      if (main && !main.contains(document.activeElement) && !this.shadowRoot?.activeElement?.closest("main")) main.focus();
    });
  }

  private _logOut() {
    this._store.end("logout");
  }

  private async _onNumberChosen(event: CustomEvent<string>) {
    const session = this._session;
    if (!session || event.detail === session.mobileNo) return;
    this._switchError = "";
    try {
      const data = await session.request(SwitchNumber, { mobileNo: event.detail });
      const token = data.switchNumber?.jwtToken;
      if (!token) throw new Error(msg("The server did not switch the number."));
      this._store.logIn(token, "switch");
    } catch (error) {
      this._switchError = error instanceof ApiError || error instanceof Error ? error.message : String(error);
    }
  }

  private _link(href: string, label: string) {
    const path = this._page?.path ?? location.pathname;
    const current = path === href || (href !== "/" && href !== "/admin" && path.startsWith(href));
    return html`<li><a href=${href} aria-current=${current ? "page" : nothing}>${label}</a></li>`;
  }

  private _navigation(session: Session) {
    const admin = session.role === "telecom_admin";
    return html`<button
        type="button"
        class="menu-toggle"
        aria-expanded=${this._menuOpen ? "true" : "false"}
        aria-controls="main-nav"
        @click=${() => (this._menuOpen = !this._menuOpen)}
      >
        ${msg("Menu")}
      </button>
      <nav aria-label=${msg("Main")} id="main-nav" class=${this._menuOpen ? "open" : ""}>
        <ul>
          ${
            admin
              ? html`${this._link("/admin", msg("Reports"))}${this._link("/admin/manage", msg("Manage"))}
                  <li><a href=${`/graphiql#token=${session.token}`} target="_blank" rel="noopener">GraphiQL</a></li>`
              : CUSTOMER_ROUTES.filter((route) => route.nav !== false).map((route) => this._link(route.path, route.title?.() ?? route.path))
          }
          <li class="phone-only">${this._languageButton()}</li>
          <li class="phone-only"><button type="button" @click=${this._logOut}>${msg("Log out")}</button></li>
        </ul>
      </nav>
      <div class="who">
        ${
          admin
            ? html`<span>${msg(str`Admin #${session.adminId}`)}</span>`
            : html`<number-switcher @number-chosen=${this._onNumberChosen}></number-switcher>`
        }
        <span class="logout">${this._languageButton()}</span>
        <button type="button" class="logout" @click=${this._logOut}>${msg("Log out")}</button>
      </div>`;
  }

  render() {
    const session = this._session;
    const page = this._page;
    // A button, not an in-page link: the target lives in this shadow root, where `#main` does not reach.
    return html`<header>
        <button type="button" class="skip" @click=${this._skip}>${msg("Skip to content")}</button>
        <a class="brand" href=${session?.role === "telecom_admin" ? "/admin" : "/"}>${msg("Telecom")}</a>
        ${session ? this._navigation(session) : html`<span class="visitor">${this._languageButton()}</span>`}
      </header>
      <main id="main" tabindex="-1" @logged-in=${this._onLoggedIn}>
        ${this._notice ? html`<p class="notice" role="alert">${this._notice}</p>` : nothing}
        ${this._switchError ? html`<p class="notice" role="alert">${this._switchError}</p>` : nothing}
        ${page ? page.route.render(page.path) : html`<p role="status">${msg("Loading…")}</p>`}
      </main>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "telecom-app": TelecomApp;
  }
}

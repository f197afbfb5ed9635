/**
 * The base of every customer page: the login, the chosen number and the language, from the app
 * root's contexts. Pages put `_number` and `_session` in their Tasks' args, so switching numbers
 * (or a new login) reloads exactly what depends on them.
 */
import { localized, msg } from "@lit/localize";
import { consume } from "@lit/context";
import { LitElement, type CSSResultGroup } from "lit";
import { state } from "lit/decorators.js";
import { languageContext, numberContext, sessionContext, type Language } from "../app/contexts.ts";
import type { Session } from "../session/session-store.ts";
import { pageStyles } from "../ui.ts";

@localized()
export class CustomerPage extends LitElement {
  static styles: CSSResultGroup = pageStyles;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  protected _session: Session | null = null;

  @consume({ context: numberContext, subscribe: true })
  @state()
  protected _number: string | null = null;

  @consume({ context: languageContext, subscribe: true })
  @state()
  protected _language: Language = { lang: "en", dir: "ltr" };
}

/** The session a task or an action runs with; pages are only shown to a logged-in customer. */
export function customerSession(session: Session | null): Session & { mobileNo: string; nationalId: number } {
  if (!session?.mobileNo || session.nationalId == null) throw new Error(msg("Log in as a customer to see this page."));
  return session as Session & { mobileNo: string; nationalId: number };
}

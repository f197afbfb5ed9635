/** The base of every admin page: the admin's login from the app root's session context. */
import { consume } from "@lit/context";
import { LitElement, type CSSResultGroup } from "lit";
import { state } from "lit/decorators.js";
import { sessionContext } from "../app/contexts.ts";
import type { Session } from "../session/session-store.ts";
import { pageStyles } from "../ui.ts";

export class AdminPage extends LitElement {
  static styles: CSSResultGroup = pageStyles;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  protected _session: Session | null = null;
}

/** The session an admin task or action runs with. */
export function adminSession(session: Session | null): Session {
  if (session?.role !== "telecom_admin") throw new Error("Log in as an administrator to see this page.");
  return session;
}

/**
 * The login, one for every tab of the browser (docs/web-app.md): the token lives in localStorage, and a
 * BroadcastChannel tells the other tabs at once when it changes (login, number switch) or ends
 * (logout, expiry), so a logout in one tab logs out all of them. Claims are decoded once per token,
 * only to choose pages; the server verifies the token on every request. docs/web-app.md's "One login for
 * every tab" gives the security reasoning.
 */
import { ApiError, request, type RequestOptions } from "../api/graphql.ts";
import type { TadaDocumentNode } from "gql.tada";

const STORAGE_KEY = "telecom.token";
const CHANNEL = "telecom.session";

export type Role = "telecom_customer" | "telecom_admin";

/** One login as the app sees it: immutable; a new token (login, switch) is a new Session. */
export interface Session {
  readonly token: string;
  readonly role: Role;
  /** The chosen number of a customer (the token's `mobile_no`); null for an admin. */
  readonly mobileNo: string | null;
  readonly nationalId: number | null;
  readonly adminId: number | null;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
  /** A request with this login; a token the server refuses (401) ends the session in every tab. */
  request<Result, Variables>(document: TadaDocumentNode<Result, Variables>, variables: Variables, signal?: AbortSignal): Promise<Result>;
}

/** Why the session changed: shown to the user when it ended without them asking. */
export type ChangeReason = "login" | "switch" | "logout" | "expired" | "other-tab";

interface Claims {
  role: Role;
  exp: number;
  mobile_no?: string | null;
  national_id?: number | null;
  admin_id?: number | null;
}

function decode(token: string): Claims | null {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(atob(part)) as Claims;
    return (claims.role === "telecom_customer" || claims.role === "telecom_admin") && typeof claims.exp === "number" ? claims : null;
  } catch {
    return null;
  }
}

/**
 * What the tabs tell each other. A change carries its token: another tab's localStorage may not show
 * the new value yet when the message arrives (storage reaches other tabs asynchronously).
 */
type Message = { type: "changed"; token: string } | { type: "ended"; reason: "logout" | "expired" };

/** Fires `session-change` (detail: the ChangeReason) whenever `session` changes. */
export class SessionStore extends EventTarget {
  #session: Session | null = null;
  #channel: BroadcastChannel | null = typeof BroadcastChannel === "function" ? new BroadcastChannel(CHANNEL) : null;
  #expiryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly storage: Storage = localStorage) {
    super();
    this.#load();
    this.#channel?.addEventListener("message", (event: MessageEvent<Message>) => {
      if (event.data.type === "changed") {
        this.#set(this.#sessionOf(event.data.token));
        this.#emit("other-tab");
      } else {
        this.#set(null);
        this.#emit(event.data.reason === "expired" ? "expired" : "other-tab");
      }
    });
  }

  get session(): Session | null {
    return this.#session;
  }

  /** A token from a login function: stored for every tab. */
  logIn(token: string, reason: "login" | "switch" = "login"): Session {
    const session = this.#sessionOf(token);
    if (!session) throw new Error("The server returned an unreadable token.");
    this.storage.setItem(STORAGE_KEY, token);
    this.#set(session);
    this.#post({ type: "changed", token });
    this.#emit(reason);
    return session;
  }

  /** Logout (or an expired token): the token is removed, and every tab goes back to the login page. */
  end(reason: "logout" | "expired" = "logout"): void {
    if (!this.#session && !this.storage.getItem(STORAGE_KEY)) return;
    this.storage.removeItem(STORAGE_KEY);
    this.#set(null);
    this.#post({ type: "ended", reason });
    this.#emit(reason);
  }

  close(): void {
    clearTimeout(this.#expiryTimer);
    this.#channel?.close();
  }

  #load(): void {
    const token = this.storage.getItem(STORAGE_KEY);
    const session = token ? this.#sessionOf(token) : null;
    if (token && !session) this.storage.removeItem(STORAGE_KEY);
    this.#set(session);
  }

  #set(session: Session | null): void {
    this.#session = session;
    clearTimeout(this.#expiryTimer);
    if (session) {
      // setTimeout takes at most 2^31 - 1 ms; tokens live an hour.
      this.#expiryTimer = setTimeout(() => this.end("expired"), Math.min(session.expiresAt - Date.now(), 2 ** 31 - 1));
    }
  }

  #sessionOf(token: string): Session | null {
    const claims = decode(token);
    if (!claims || claims.exp * 1000 <= Date.now()) return null;
    const options: RequestOptions = { token };
    return {
      token,
      role: claims.role,
      mobileNo: claims.mobile_no ?? null,
      nationalId: claims.national_id ?? null,
      adminId: claims.admin_id ?? null,
      expiresAt: claims.exp * 1000,
      request: async (document, variables, signal) => {
        try {
          return await request(document, variables, { ...options, signal });
        } catch (error) {
          if (error instanceof ApiError && error.endsSession && this.#session?.token === token) this.end("expired");
          throw error;
        }
      },
    };
  }

  #post(message: Message): void {
    this.#channel?.postMessage(message);
  }

  #emit(reason: ChangeReason): void {
    this.dispatchEvent(new CustomEvent<ChangeReason>("session-change", { detail: reason }));
  }
}

/**
 * Live updates (docs/usage.md "Live"): one GraphQL subscription over WebSocket at `/graphql` (protocol
 * graphql-transport-ws) for as long as its element is on the page and its login lasts.
 *
 * - The socket sends the login's token in its connection parameters; a new login (or a number
 *   switch, which reissues the token) starts a new subscription, a logout ends it.
 * - The document goes with its trusted-document id, like a request (`api/graphql.ts`): in production
 *   the server accepts only documents of the build's manifest from customers.
 * - NOTIFY is not replayed: whenever the subscription ends (the server's LISTEN connection dropped, a
 *   server restart, the token expired) it is started again after a growing pause (0.5 s doubling up to
 *   30 s, randomised), and `onResync` runs once it is back, to load what happened in between.
 */
import type { TadaDocumentNode } from "gql.tada";
import { createClient, type Client, type SubscribePayload } from "graphql-ws/client";
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { Session } from "../session/session-store.ts";
import { compiled } from "./graphql.ts";

/** connecting: the first time; live: the server accepted the socket; reconnecting: waiting to try again. */
export type LiveState = "connecting" | "live" | "reconnecting";

export interface LiveOptions<Event> {
  /** A subscription without variables (the topic comes from the token). */
  document: TadaDocumentNode<Event, Record<string, never>>;
  session: () => Session | null;
  onEvent: (event: Event) => void;
  /** After a reconnection (not the first connection): what may have changed while nobody listened. */
  onResync?: () => void;
}

/** The close code of a socket whose token the server refused or that expired (api/src/server/live.ts). */
const UNAUTHORIZED = 4401;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;
/** A connection that lasted this long was healthy: the next retry starts from the first pause again. */
const HEALTHY_MS = 30_000;

/** The same origin's WebSocket URL of /graphql (wss: behind HTTPS). */
const liveUrl = () => `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`;

/** A Lit reactive controller: subscribes while its host is connected and a login is there. */
export class LiveSubscription<Event> implements ReactiveController {
  #state: LiveState = "connecting";
  #token: string | null = null;
  #client: Client | null = null;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #attempt = 0;
  #connectedAt = 0;
  /** A subscription of this login was live before: the next one resyncs. */
  #wasLive = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: LiveOptions<Event>,
  ) {
    host.addController(this);
  }

  get state(): LiveState {
    return this.#state;
  }

  hostConnected(): void {
    this.#follow();
  }

  /** Before each render: the session may have changed (login, number switch, logout). */
  hostUpdate(): void {
    this.#follow();
  }

  hostDisconnected(): void {
    this.#stop();
    this.#token = null;
  }

  #follow(): void {
    const token = this.options.session()?.token ?? null;
    if (token === this.#token) return;
    this.#stop();
    this.#token = token;
    this.#attempt = 0;
    this.#wasLive = false;
    this.#setState("connecting");
    if (token) this.#start(token);
  }

  #start(token: string): void {
    const client = createClient({
      url: liveUrl(),
      connectionParams: { Authorization: `Bearer ${token}` },
      // This controller retries, also when the subscription ends on a socket that stays open.
      retryAttempts: 0,
      on: {
        connected: () => {
          this.#connectedAt = Date.now();
          this.#setState("live");
          // After this task the subscribe message is on its way: load what was missed.
          if (this.#wasLive) setTimeout(() => this.#client === client && this.options.onResync?.());
          this.#wasLive = true;
        },
      },
    });
    this.#client = client;
    const { id, text } = compiled(this.options.document);
    const payload = { query: text, ...(id ? { documentId: id } : {}) } as SubscribePayload;
    client.subscribe<Event>(payload, {
      next: (result) => {
        if (this.#client !== client) return;
        // An event the server could not deliver: this subscription no longer follows; start again and reload.
        if (result.errors?.length) this.#ended(client, result.errors[0]);
        else if (result.data) this.options.onEvent(result.data);
      },
      error: (error) => this.#ended(client, error),
      complete: () => this.#ended(client, null),
    });
  }

  #ended(client: Client, error: unknown): void {
    if (this.#client !== client || !this.#token) return;
    this.#client = null;
    void client.dispose();
    // A refused token: a request tells the session store, which ends the login in every tab.
    if ((error as { code?: unknown } | null)?.code === UNAUTHORIZED) this.options.onResync?.();
    if (this.#connectedAt && Date.now() - this.#connectedAt > HEALTHY_MS) this.#attempt = 0;
    this.#connectedAt = 0;
    const pause = Math.min(FIRST_RETRY_MS * 2 ** this.#attempt++, MAX_RETRY_MS) * (0.5 + Math.random() / 2);
    const token = this.#token;
    this.#setState("reconnecting");
    this.#retry = setTimeout(() => this.#start(token), pause);
  }

  #stop(): void {
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = null;
    void client?.dispose();
  }

  #setState(state: LiveState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.host.requestUpdate();
  }
}

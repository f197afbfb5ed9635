/**
 * Live updates (docs/usage.md "Live", docs/security.md): GraphQL subscriptions over WebSocket, fed by PostgreSQL
 * LISTEN/NOTIFY through PostGraphile's `pgSubscriber`.
 *
 * - `myLiveUpdates`: what changed for the person of the verified token (usage, alert, balance) and on
 *   which number; the channel is `telecom_live:person:<national_id>` of the token, never an argument.
 * - `adminLiveUsage`: every usage event as it is rated (admins only), channel `telecom_live:admin`.
 *
 * A socket carries its token in the connection parameters (`Authorization: Bearer …`), verified by
 * jwt.ts exactly like a request's; a socket without a valid token is closed (4401), and a verified
 * one is closed at the token's expiry (4401, TC202). Every operation over the socket goes through the
 * same grafserv and Grafast middleware as a request (trusted documents, document bounds, page caps,
 * via `localsOf`), and through the per-person concurrency cap; the sockets and subscriptions of one
 * person are capped too.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import pg from "pg";
import { CloseCode, makeServer, type ServerOptions } from "graphql-ws";
import { WebSocketServer, type WebSocket } from "ws";
import { jsonParse } from "postgraphile/@dataplan/json";
import { access, context, lambda, listen, SafeError } from "postgraphile/grafast";
import { makeGraphQLWSConfig, normalizeConnectionParams } from "postgraphile/grafserv";
import type { ExpressGrafserv } from "postgraphile/grafserv/express/v4";
import { extendSchema, gql } from "postgraphile/utils";
import { budgetKey, type SlotLimiter } from "./concurrency.ts";
import { expiryOf, TokenError, verifyToken, type TokenClaims } from "./jwt.ts";
import { CONCURRENCY, refusal, refusalError, type ConcurrencyLimits } from "./limits.ts";
import type { TelecomLocals } from "./preset.ts";

/** Close codes of a live socket (4xxx: the application's own, as graphql-ws uses them). */
export const LIVE_CLOSE = {
  /** No token, an invalid one, or an expired one (the reason starts with TC201 or TC202). */
  unauthorized: 4401,
  /** Too many sockets of one person open at once (TC508). */
  tooMany: 4429,
} as const;

/** Sockets one person (or admin, or network) may keep open at once: a few tabs. */
export const MAX_SOCKETS_PER_KEY = 8;
/** Operations running at once on one socket. */
export const MAX_OPERATIONS_PER_SOCKET = 8;
/** How long a new socket may take to send its connection parameters. */
const CONNECTION_INIT_WAIT_MS = 3_000;

/** The verified claims of each open socket, by its upgrade request (what grafserv hands to middleware). */
const socketLocals = new WeakMap<IncomingMessage, TelecomLocals>();

/**
 * The verified claims of a request or socket, from Grafast's request context: Express's
 * `res.locals` for a request, the socket's connection parameters for a WebSocket operation.
 */
export function localsOf(requestContext: Partial<Grafast.RequestContext> | undefined): TelecomLocals | undefined {
  const express = requestContext?.expressv4?.res.locals as TelecomLocals | undefined;
  if (express) return express;
  const request = requestContext?.ws?.request;
  return request ? socketLocals.get(request) : undefined;
}

/** The client address of a request or socket (Express's `req.ip` honours TRUST_PROXY). */
export function clientAddressOf(requestContext: Partial<Grafast.RequestContext> | undefined): string {
  return requestContext?.expressv4?.req.ip ?? requestContext?.ws?.request?.socket.remoteAddress ?? "";
}

/** The claims of the WebSocket connection behind a graphql-ws context. */
export function socketClaimsOf(graphqlWsContext: unknown): TokenClaims | null {
  const request = (graphqlWsContext as { extra?: { request?: IncomingMessage } } | undefined)?.extra?.request;
  return (request && socketLocals.get(request)?.claims) ?? null;
}

interface PgSettings {
  role?: string;
  "jwt.claims.national_id"?: string;
}

/** The topic of `myLiveUpdates`: the person of the verified token (its pgSettings), or a refusal. */
function personTopic(settings: PgSettings | null | undefined): string {
  const nationalId = settings?.["jwt.claims.national_id"];
  if (settings?.role !== "telecom_customer" || !nationalId || !/^[0-9]+$/.test(nationalId)) throw refusal("TC511");
  return `telecom_live:person:${nationalId}`;
}

function adminTopic(settings: PgSettings | null | undefined): string {
  if (settings?.role !== "telecom_admin") throw refusal("TC511");
  return "telecom_live:admin";
}

const upper = (value: unknown) => (typeof value === "string" ? value.toUpperCase() : null);

/** The subscription fields. */
export const LivePlugin = extendSchema(
  () => ({
    typeDefs: gql`
      """
      What changed for a person: their usage (a rated event), an allowance alert (80 % or 100 %) or a balance.
      """
      enum LiveChange {
        USAGE
        ALERT
        BALANCE
      }

      """
      Something changed on one of your numbers: refetch what shows it.
      """
      type LiveUpdate {
        change: LiveChange!
        mobileNo: String!
        """
        The alert's threshold in percent (alerts only).
        """
        threshold: Int
      }

      """
      A usage event as it was rated (admins only).
      """
      type AdminLiveUsage {
        mobileNo: String!
        """
        voice, sms or data.
        """
        kind: String!
        """
        in_allowance, charged or refused.
        """
        outcome: String!
        charged: BigFloat
      }

      extend type Subscription {
        """
        Your own usage, alerts and balance changes as they happen (the person of the login token).
        """
        myLiveUpdates: LiveUpdate!
        """
        Every usage event as it is rated (admins only).
        """
        adminLiveUsage: AdminLiveUsage!
      }
    `,
    objects: {
      Subscription: {
        plans: {
          myLiveUpdates: {
            subscribePlan() {
              const $topic = lambda(context().get("pgSettings") as any, personTopic as any, true);
              return listen(context().get("pgSubscriber"), $topic as any, jsonParse);
            },
            plan($event: any) {
              return $event;
            },
          },
          adminLiveUsage: {
            subscribePlan() {
              const $topic = lambda(context().get("pgSettings") as any, adminTopic as any, true);
              return listen(context().get("pgSubscriber"), $topic as any, jsonParse);
            },
            plan($event: any) {
              return $event;
            },
          },
        },
      },
      LiveUpdate: {
        plans: {
          change: ($event: any) => lambda(access($event, "what"), upper, true),
          mobileNo: ($event: any) => access($event, "mobile_no"),
          threshold: ($event: any) => access($event, "threshold"),
        },
      },
      AdminLiveUsage: {
        plans: {
          mobileNo: ($event: any) => access($event, "mobile_no"),
          kind: ($event: any) => access($event, "kind"),
          outcome: ($event: any) => access($event, "outcome"),
          charged: ($event: any) => lambda(access($event, "charged"), (value: unknown) => (value == null ? null : String(value)), true),
        },
      },
    },
  }),
  "TelecomLivePlugin",
);

/**
 * What PostGraphile's PgSubscriber takes as its pool: it asks for one client, LISTENs on it and gives
 * it back at release after UNLISTENs it does not await. A client of its own (not one of the request
 * pool's) that `end()` closes for sure when the server stops.
 */
export class ListenConnections {
  private readonly clients = new Set<pg.Client>();

  constructor(private readonly connectionString: string) {}

  async connect(): Promise<pg.PoolClient> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on("error", (error) => console.error(`PostgreSQL LISTEN connection lost: ${error.message}`));
    await client.connect();
    this.clients.add(client);
    return Object.assign(client, {
      release: () => {
        this.clients.delete(client);
        client.end().catch(() => {});
      },
    }) as unknown as pg.PoolClient;
  }

  async end(): Promise<void> {
    const clients = [...this.clients];
    this.clients.clear();
    await Promise.all(clients.map((client) => client.end().catch(() => {})));
  }
}

export interface LiveOptions {
  jwtSecret: string;
  concurrency?: ConcurrencyLimits;
  /** The per-person limiter of HTTP requests: operations over a socket spend the same budget. */
  limiter: SlotLimiter;
  maxPayloadBytes: number;
}

/** Reads `Authorization: Bearer <token>` of the connection parameters (any capitalisation). */
function tokenOf(connectionParams: unknown): string {
  const header = normalizeConnectionParams(connectionParams as Record<string, unknown> | undefined)?.authorization;
  if (typeof header !== "string") throw new TokenError("Live updates need a login token.", "TC201");
  const [scheme, token, ...rest] = header.split(" ");
  if (scheme.toLowerCase() !== "bearer" || !token || rest.length > 0) throw new TokenError("The login token is invalid.", "TC201");
  return token;
}

const unlimitedPresets = new WeakMap<GraphileConfig.ResolvedPreset, GraphileConfig.ResolvedPreset>();

/** `preset` with grafast's planning limit but no execution limit (see `subscribe` below), made once per preset. */
function withoutExecutionTimeout(preset: GraphileConfig.ResolvedPreset): GraphileConfig.ResolvedPreset {
  let unlimited = unlimitedPresets.get(preset);
  if (!unlimited) {
    const { execution: _unlimited, ...timeouts } = preset.grafast?.timeouts ?? {};
    unlimited = { ...preset, grafast: { ...preset.grafast, timeouts } };
    unlimitedPresets.set(preset, unlimited);
  }
  return unlimited;
}

/**
 * The upgrade handler of /graphql: grafserv's graphql-ws configuration (so operations go through the
 * same middleware as requests) with the connection's token checked in `onConnect`.
 */
export function makeLiveUpgradeHandler(serv: ExpressGrafserv, options: LiveOptions) {
  const limits = options.concurrency ?? CONCURRENCY;
  const config = makeGraphQLWSConfig(serv) as ServerOptions<Record<string, unknown>, { socket: WebSocket; request: IncomingMessage }>;
  const running = new WeakMap<WebSocket, number>();

  const graphqlWs = makeServer<Record<string, unknown>, { socket: WebSocket; request: IncomingMessage }>({
    ...config,
    connectionInitWaitTimeout: CONNECTION_INIT_WAIT_MS,
    async onConnect(ctx) {
      const { socket, request } = ctx.extra;
      let claims: TokenClaims;
      let expiresAt: number;
      try {
        const token = tokenOf(ctx.connectionParams);
        claims = verifyToken(options.jwtSecret, token);
        expiresAt = expiryOf(token);
      } catch (error) {
        const { code, message } = error instanceof TokenError ? error : { code: "TC201", message: "The login token is invalid." };
        socket.close(LIVE_CLOSE.unauthorized, `${code}: ${message}`);
        return false;
      }
      // The sockets of one person are counted by the same limiter as requests, so across every worker.
      const release = await options.limiter.acquire(
        `sockets:${budgetKey(claims, request.socket.remoteAddress ?? "")}`,
        MAX_SOCKETS_PER_KEY,
        false,
      );
      if (!release) {
        socket.close(LIVE_CLOSE.tooMany, "TC508: Too many live connections are open; close another tab.");
        return false;
      }
      if (socket.readyState !== socket.OPEN) {
        // The client left while the slot was asked for.
        release();
        return false;
      }
      socketLocals.set(request, { claims, expiresAt });
      // The connection ends with the login: the client logs in again and reconnects.
      const timer = setTimeout(
        () => socket.close(LIVE_CLOSE.unauthorized, "TC202: The login has expired; log in again."),
        Math.min(Math.max(expiresAt * 1000 - Date.now(), 0), 2 ** 31 - 1),
      );
      socket.once("close", () => {
        clearTimeout(timer);
        release();
      });
      return true;
    },
    async onSubscribe(ctx, id, payload) {
      const count = running.get(ctx.extra.socket) ?? 0;
      if (count >= MAX_OPERATIONS_PER_SOCKET) return [refusalError("TC508")];
      return config.onSubscribe!(ctx, id, payload);
    },
    async execute(args) {
      // A query or mutation over the socket spends the person's budget like a request does.
      const claims = localsOf((args as { requestContext?: Grafast.RequestContext }).requestContext)?.claims ?? null;
      const limit = claims?.role === "telecom_admin" || claims?.role === "telecom_network" ? limits.perAdmin : limits.perKey;
      const release = await options.limiter.acquire(budgetKey(claims, ""), limit);
      if (!release) return { errors: [refusalError("TC508")] };
      try {
        return await config.execute!(args);
      } finally {
        release();
      }
    },
    async subscribe(args) {
      // grafast measures the execution limit from the operation's start, for every event after it, so
      // the limit would end each subscription after 2 × the statement timeout. A subscription lives as
      // long as its socket; its events carry their data (no database step), so it runs without it.
      const eargs = args as { resolvedPreset?: GraphileConfig.ResolvedPreset };
      if (eargs.resolvedPreset) eargs.resolvedPreset = withoutExecutionTimeout(eargs.resolvedPreset);
      return config.subscribe!(args);
    },
  });

  const wsServer = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  wsServer.on("connection", (socket: WebSocket, request: IncomingMessage) => {
    const closed = graphqlWs.opened(
      {
        protocol: socket.protocol,
        send: (data) => new Promise<void>((resolve, reject) => socket.send(data, (error) => (error ? reject(error) : resolve()))),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (callback) =>
          socket.on("message", async (data) => {
            running.set(socket, (running.get(socket) ?? 0) + 1);
            try {
              await callback(data.toString());
            } catch (error) {
              try {
                socket.close(CloseCode.InternalServerError, error instanceof SafeError ? error.message : "Internal server error.");
              } catch {
                /* already closed */
              }
            } finally {
              running.set(socket, (running.get(socket) ?? 1) - 1);
            }
          }),
      },
      { socket, request },
    );
    socket.once("close", (code, reason) => void closed(code, reason.toString()));
  });

  return {
    handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer) {
      wsServer.handleUpgrade(request, socket, head, (ws) => {
        // A malformed frame (too large, invalid UTF-8, unmasked, a reserved opcode or bit) is an
        // 'error' of this socket: ws has already sent the matching close code (1009, 1007, 1002) and
        // closes it. Unheard, the event would end the process; it is the client's fault, so it is
        // not logged either (anyone could fill the log).
        ws.on("error", () => {});
        wsServer.emit("connection", ws, request);
      });
    },
    close() {
      for (const client of wsServer.clients) client.terminate();
      wsServer.close();
    },
  };
}

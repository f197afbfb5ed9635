/**
 * The HTTP server (docs/api.md): GraphQL at /graphql, Ruru at /graphiql, /health, and the web app's
 * build with a fallback to index.html for the app's own routes. It holds no business logic: it
 * verifies the login token and hands the role and claims to PostgreSQL. What keeps it up on the
 * open internet (docs/security.md) is in guards.ts, limits.ts, concurrency.ts and http-hardening.ts.
 */
import "./graphile-env.ts";
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import pg from "pg";
import { postgraphile } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/express/v4";
import { urlsConnectingAs } from "../db/application-name.ts";
import type { DatabaseUrls } from "../db/cluster.ts";
import { projectRoot } from "../paths.ts";
import { ConcurrencyLimiter, concurrencyCap, type SlotLimiter } from "./concurrency.ts";
import { appCsp, compressResponses, INDEX_HEADERS, ruruCsp, securityHeaders, staticFiles } from "./http-hardening.ts";
import { expiryOf, TokenError, verifyToken } from "./jwt.ts";
import { ListenConnections, makeLiveUpgradeHandler } from "./live.ts";
import { CONCURRENCY, refusalBody, refusalStatus, type ConcurrencyLimits } from "./limits.ts";
import { serverRunsMaintenance, startMaintenance, type MaintenanceOptions } from "./maintenance.ts";
import { paymentsWebhook, paymentWebhookSecret, WEBHOOK_PATH } from "./payments-webhook.ts";
import { makePreset, MAX_REQUEST_BYTES, type TelecomLocals } from "./preset.ts";
import { smsGatewayFor, startSmsSender, type SmsGateway, type SmsSender } from "./sms.ts";
import { checkoutRedirect, sandboxProcessor } from "./sandbox-processor.ts";
import { loadTrustedDocuments, TRUSTED_DOCUMENTS_FILE } from "./trusted-documents.ts";

export const defaultWebRoot = path.join(projectRoot, "web", "dist");

export interface ServerOptions {
  port: number;
  host?: string;
  urls: DatabaseUrls;
  jwtSecret: string;
  /** The web app's build; default web/dist (served only when it exists); null serves no web app. */
  webRoot?: string | null;
  /** One statement timeout for every role (tests); default: each role's own (docs/security.md, limits.ts). */
  statementTimeoutMs?: number;
  /**
   * Production: trusted documents only for everyone but admins, introspection for admins only.
   * Default: NODE_ENV=production.
   */
  production?: boolean;
  /** The trusted-documents manifest; default `<webRoot>/.vite/persisted-documents.json`. */
  trustedDocumentsFile?: string | null;
  /** Express's `trust proxy` (who may set X-Forwarded-For); default env TRUST_PROXY, else none. */
  trustProxy?: boolean | number | string;
  /** Requests running at once per person, admin or visitor address. */
  concurrency?: ConcurrencyLimits;
  /**
   * Who counts the requests running at once; default a ConcurrencyLimiter of this process. A cluster
   * worker passes a ClusterLimiterClient, so the budgets hold across the workers.
   */
  limiter?: SlotLimiter;
  /** Called whenever a request reaches Grafast's planning (tests count them). */
  onPlanning?: () => void;
  /**
   * Where the SMS of `telecom_private.sms_outbox` go (sms.ts); default the console in development, and
   * in production only with SMS_SENDER=console (codes masked). null: no sender (tests read the outbox).
   */
  smsGateway?: SmsGateway | null;
  /** The card processor's signing secret; default env PAYMENT_WEBHOOK_SECRET (required in production). */
  paymentWebhookSecret?: string;
  /** The maintenance tick; default every minute, or none with MAINTENANCE=off (serverRunsMaintenance); false runs none. */
  maintenance?: MaintenanceOptions | false;
  /** Serve the sandbox card processor; default: not in production (never in production). */
  sandbox?: boolean;
  /** How long a client may take to send a whole request, headers and body; default REQUEST_TIMEOUT_MS. */
  requestTimeoutMs?: number;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** A request (headers and body) not received within this time is answered 408 and its connection closed. */
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Node's timeouts for a whole request: `requestTimeout` and `headersTimeout` are only checked every
 * `connectionsCheckingInterval` (30 s by default), so a slow client would get its 408 up to 30 s
 * late; checked every second (or sooner for a shorter limit), the 408 comes at the limit.
 */
export function httpTimeouts(requestTimeoutMs: number = REQUEST_TIMEOUT_MS): http.ServerOptions {
  return {
    requestTimeout: requestTimeoutMs,
    headersTimeout: requestTimeoutMs,
    connectionsCheckingInterval: Math.min(1_000, requestTimeoutMs),
  };
}

/** Paths the server answers itself; everything else is the web app's. */
const API_PATHS = ["/graphql", "/graphiql", "/ruru-static", "/health", "/webhooks", "/checkout", "/sandbox"];

/**
 * TRUST_PROXY as Express takes it: unset or "false" trusts no proxy (req.ip is the peer's address),
 * "true" trusts every hop, a number that many hops, anything else a list of addresses or subnets
 * ("loopback", "10.0.0.0/8, 192.168.1.1").
 */
export function parseTrustProxy(value: string | undefined): boolean | number | string {
  const text = value?.trim() ?? "";
  if (text === "" || text === "false") return false;
  if (text === "true") return true;
  if (/^\d+$/.test(text)) return Number(text);
  return text;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { port, host = "127.0.0.1", jwtSecret, webRoot = defaultWebRoot, statementTimeoutMs, onPlanning } = options;
  // Every connection of the server says it is the API's (pg_stat_activity, the log), whoever started it.
  const urls = urlsConnectingAs(options.urls, "api");
  const production = options.production ?? process.env.NODE_ENV === "production";
  const webhookSecret = options.paymentWebhookSecret ?? paymentWebhookSecret(production);
  const smsGateway = options.smsGateway === undefined ? smsGatewayFor(production) : options.smsGateway;
  const maintenanceOptions = options.maintenance ?? (serverRunsMaintenance() ? {} : false);
  const hasWebApp = webRoot !== null && fs.existsSync(path.join(webRoot, "index.html"));
  const trustedDocuments = loadTrustedDocuments(
    options.trustedDocumentsFile !== undefined ? options.trustedDocumentsFile : webRoot && path.join(webRoot, TRUSTED_DOCUMENTS_FILE),
  );
  if (production && trustedDocuments.count === 0) {
    console.warn("No trusted documents (web build without a persisted-documents manifest): only admins can send GraphQL requests.");
  }
  const pool = new pg.Pool({ connectionString: urls.authenticator, max: Number(process.env.PG_POOL_MAX ?? 10) });
  // An idle connection that dies (database restarted) must not crash the server; the next query reconnects.
  pool.on("error", (error) => console.error(`PostgreSQL connection lost: ${error.message}`));
  // The LISTEN connection of the live updates (live.ts) is a connection of its own.
  const listenPool = new ListenConnections(urls.authenticator);
  const pgl = postgraphile(makePreset({ pool, listenPool, jwtSecret, statementTimeoutMs, production, trustedDocuments, onPlanning }));
  const concurrency = options.concurrency ?? CONCURRENCY;
  const limiter = options.limiter ?? new ConcurrencyLimiter(concurrency);
  // The owner's connection, for the maintenance tick (stale payments, the admin figures), /health's time of the last tick and the sandbox's view of the payment it sells.
  const ownerPool = new pg.Pool({ connectionString: urls.owner, max: 2 });
  ownerPool.on("error", (error) => console.error(`PostgreSQL connection lost: ${error.message}`));

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", options.trustProxy ?? parseTrustProxy(process.env.TRUST_PROXY));
  const server = http.createServer(httpTimeouts(options.requestTimeoutMs), app);

  app.use(compressResponses());
  app.use(securityHeaders());
  // Ruru's page and files get their own policy; everything else the app's.
  const ruruPolicy = ruruCsp();
  const appPolicy = appCsp(hasWebApp ? webRoot : null);
  app.use((req, res, next) => (isRuruPath(req.path) ? ruruPolicy : appPolicy)(req, res, next));

  // For monitors and load balancers, anonymous: whether the API's login reaches the database, and
  // when the last maintenance tick ran (whichever process ran it); nothing else.
  app.get("/health", async (_req, res) => {
    try {
      const [, tick] = await Promise.all([
        pool.query("select 1"),
        ownerPool.query<{ at: Date | null; age: number | null }>(
          "select at, floor(extract(epoch from now() - at))::integer as age from telecom_private.last_maintenance_tick() as at",
        ),
      ]);
      const { at, age } = tick.rows[0];
      res.json({ status: "ok", database: true, lastMaintenanceTick: at?.toISOString() ?? null, lastMaintenanceTickAgeSeconds: age });
    } catch {
      res.status(503).json({ status: "unavailable", database: false });
    }
  });
  // The card processor's reports; signed, so outside the login and the GraphQL limits.
  app.post(WEBHOOK_PATH, ...paymentsWebhook({ pool, secret: webhookSecret }));
  app.get("/checkout/:reference", checkoutRedirect(production));
  if (options.sandbox ?? !production) {
    if (production) throw new Error("The sandbox card processor is never served in production.");
    app.use(
      sandboxProcessor({
        ownerPool,
        secret: webhookSecret,
        selfUrl: () => `http://${urlHost(host)}:${(server.address() as AddressInfo).port}`,
      }),
    );
  }
  app.use(
    "/graphql",
    authenticate(jwtSecret),
    express.json({ limit: MAX_REQUEST_BYTES }),
    refuseBatches,
    concurrencyCap(limiter, concurrency),
  );
  const serv = pgl.createServ(grafserv);
  await serv.addTo(app, server, false);
  // WebSocket upgrades of /graphql (live updates): the connection's token is verified like a
  // request's, and its operations go through the same checks and the same per-person budget.
  const live = makeLiveUpgradeHandler(serv, { jwtSecret, concurrency, limiter, maxPayloadBytes: MAX_REQUEST_BYTES });
  server.on("upgrade", (req, socket, head) => {
    // Node hands the socket over without its own error listener: a reset before ws takes it must not end the process.
    socket.on("error", () => socket.destroy());
    if (serv.shouldHandleUpgrade(req, socket, head)) live.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  if (hasWebApp) {
    app.use(staticFiles(webRoot));
    app.use(spaFallback(webRoot));
  }
  app.use(jsonErrors);

  let smsSender: SmsSender | undefined;
  let maintenance: { stop(): Promise<void> } | null = null;
  /** Lets go of every connection, in the order that leaves none in use: on a failed start and on close. */
  const release = async () => {
    await smsSender?.close();
    await maintenance?.stop();
    await pgl.release();
    await pool.end();
    await ownerPool.end();
    await listenPool.end();
  };
  try {
    // Built now rather than on the first request, so a database or schema problem stops the start.
    await pgl.getSchema();
    if (smsGateway) smsSender = await startSmsSender(urls.owner, smsGateway);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
  } catch (error) {
    await release();
    throw error;
  }
  maintenance = maintenanceOptions === false ? null : startMaintenance(ownerPool, maintenanceOptions);
  const { port: boundPort } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${boundPort}`,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          live.close();
          server.closeAllConnections();
        });
        await release();
      })();
      return closing;
    },
  };
}

/** The host to print in URLs: a server on every interface is reached at localhost. */
function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "localhost";
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * `Authorization: Bearer <token>` → the verified claims in `res.locals.claims`; no header → null
 * (anonymous). A header we cannot trust is refused outright (401) rather than served anonymously, so
 * a client with an expired login learns it instead of seeing an empty account.
 */
function authenticate(secret: string): RequestHandler {
  return (req, res, next) => {
    const locals = res.locals as TelecomLocals;
    const header = req.headers.authorization;
    if (header === undefined) {
      locals.claims = null;
      locals.expiresAt = null;
      return next();
    }
    try {
      const [scheme, token, ...rest] = header.split(" ");
      if (scheme.toLowerCase() !== "bearer" || !token || rest.length > 0) throw new TokenError("The login token is invalid.", "TC201");
      locals.claims = verifyToken(secret, token);
      locals.expiresAt = expiryOf(token);
      next();
    } catch (error) {
      if (!(error instanceof TokenError)) return next(error);
      res
        .status(401)
        .set("WWW-Authenticate", "Bearer")
        .json({ errors: [{ message: error.message, extensions: { code: error.code } }] });
    }
  };
}

function isRuruPath(requestPath: string): boolean {
  return ["/graphiql", "/ruru-static"].some((prefix) => requestPath === prefix || requestPath.startsWith(`${prefix}/`));
}

/** A JSON array of requests (a batch) is refused: one document, one request, one set of limits. */
const refuseBatches: RequestHandler = (req, res, next) => {
  if (!Array.isArray(req.body)) return next();
  res.status(refusalStatus("TC507")).json(refusalBody("TC507"));
};

/** GET of an app route (no file extension) that no file matched → index.html, so deep links work. */
function spaFallback(webRoot: string): RequestHandler {
  const indexFile = path.join(webRoot, "index.html");
  return (req, res, next) => {
    const isAppRoute =
      (req.method === "GET" || req.method === "HEAD") &&
      !API_PATHS.some((prefix) => req.path === prefix || req.path.startsWith(`${prefix}/`)) &&
      !path.posix.basename(req.path).includes(".");
    if (!isAppRoute) return next();
    res.sendFile(indexFile, { cacheControl: false, headers: INDEX_HEADERS });
  };
}

/** Request errors (body too large, malformed JSON) as GraphQL-style JSON; anything else without details. */
const jsonErrors: ErrorRequestHandler = (error, _req, res, _next) => {
  const status = Number(error?.status ?? error?.statusCode ?? 500);
  if (status >= 500) console.error(error);
  const message =
    status >= 500
      ? "Internal server error."
      : status === 404
        ? "Not found."
        : status === 413
          ? "The request is too large."
          : "The request is malformed.";
  const code = status >= 500 ? "TC500" : status === 413 ? "TC518" : "TC517";
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
};

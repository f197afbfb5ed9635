/**
 * The HTTP server (SPEC §6): GraphQL at /graphql, Ruru at /graphiql, /health, and the web app's
 * build with a fallback to index.html for the app's own routes. It holds no business logic: it
 * verifies the login token and hands the role and claims to PostgreSQL.
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
import type { DatabaseUrls } from "../db/cluster.ts";
import { projectRoot } from "../db/migrations.ts";
import { expiryOf, TokenError, verifyToken } from "./jwt.ts";
import { makePreset, MAX_REQUEST_BYTES, type TelecomLocals } from "./preset.ts";

export const defaultWebRoot = path.join(projectRoot, "web", "dist");

export interface ServerOptions {
  port: number;
  host?: string;
  urls: DatabaseUrls;
  jwtSecret: string;
  /** The web app's build; default web/dist (served only when it exists); null serves no web app. */
  webRoot?: string | null;
  /** Per statement, in the database; default env STATEMENT_TIMEOUT_MS or 5 s. */
  statementTimeoutMs?: number;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Paths the server answers itself; everything else is the web app's. */
const API_PATHS = ["/graphql", "/graphiql", "/ruru-static", "/health"];

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { port, host = "127.0.0.1", urls, jwtSecret, webRoot = defaultWebRoot } = options;
  const statementTimeoutMs = options.statementTimeoutMs ?? Number(process.env.STATEMENT_TIMEOUT_MS ?? 5_000);
  const pool = new pg.Pool({ connectionString: urls.authenticator, max: Number(process.env.PG_POOL_MAX ?? 10) });
  // An idle connection that dies (database restarted) must not crash the server; the next query reconnects.
  pool.on("error", (error) => console.error(`PostgreSQL connection lost: ${error.message}`));
  const pgl = postgraphile(makePreset({ pool, jwtSecret, statementTimeoutMs }));

  const app = express();
  app.disable("x-powered-by");
  const server = http.createServer(app);
  server.requestTimeout = 30_000;

  app.get("/health", async (_req, res) => {
    try {
      await pool.query("select 1");
      res.json({ status: "ok", database: true });
    } catch {
      res.status(503).json({ status: "unavailable", database: false });
    }
  });
  app.use("/graphql", authenticate(jwtSecret), express.json({ limit: MAX_REQUEST_BYTES }));
  await pgl.createServ(grafserv).addTo(app, server, false);
  if (webRoot && fs.existsSync(path.join(webRoot, "index.html"))) {
    app.use(express.static(webRoot, { index: "index.html" }));
    app.use(spaFallback(webRoot));
  }
  app.use(jsonErrors);

  try {
    // Built now rather than on the first request, so a database or schema problem stops the start.
    await pgl.getSchema();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
  } catch (error) {
    await pgl.release();
    await pool.end();
    throw error;
  }
  const { port: boundPort } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${boundPort}`,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await pgl.release();
        await pool.end();
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

/** GET of an app route (no file extension) that no file matched → index.html, so deep links work. */
function spaFallback(webRoot: string): RequestHandler {
  const indexFile = path.join(webRoot, "index.html");
  return (req, res, next) => {
    const isAppRoute =
      (req.method === "GET" || req.method === "HEAD") &&
      !API_PATHS.some((prefix) => req.path === prefix || req.path.startsWith(`${prefix}/`)) &&
      !path.posix.basename(req.path).includes(".");
    if (!isAppRoute) return next();
    res.sendFile(indexFile);
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
  res.status(status).json({ errors: [{ message }] });
};

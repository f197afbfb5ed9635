/**
 * HTTP hardening (docs/security.md): security headers on every response, one content security policy for the
 * web app and another for Ruru at /graphiql, compressed responses, and caching that suits a Vite
 * build (hashed assets for a year, index.html revalidated every time).
 *
 * No `upgrade-insecure-requests` and no `Strict-Transport-Security`: plain HTTP on a LAN keeps
 * working; HSTS belongs to the TLS edge in front of the server (docs/security.md).
 */
import type { IncomingMessage } from "node:http";
import compression from "compression";
import express, { type RequestHandler } from "express";
import helmet from "helmet";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** Vite puts content-hashed files here, so they never change under their name. */
const HASHED_ASSETS_DIR = "assets";
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** Headers for every response; the CSP comes from `appCsp` or `ruruCsp`. */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: false,
    strictTransportSecurity: false,
    xFrameOptions: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
  });
}

/** gzip or brotli, as the client accepts; small bodies (under 1 kB) go as they are. */
export function compressResponses(): RequestHandler {
  return compression();
}

/** `'sha256-…'` sources for the inline `<script>` and `<style>` elements of the app's index.html. */
export function inlineHashes(indexHtml: string): { scripts: string[]; styles: string[] } {
  const hashes = (tag: string) =>
    [...indexHtml.matchAll(new RegExp(`<${tag}(?![^>]*\\bsrc=)[^>]*>([\\s\\S]*?)</${tag}>`, "gi"))].map(
      ([, body]) => `'sha256-${crypto.createHash("sha256").update(body).digest("base64")}'`,
    );
  return { scripts: hashes("script"), styles: hashes("style") };
}

const COMMON_DIRECTIVES = {
  "default-src": ["'self'"],
  "base-uri": ["'self'"],
  "connect-src": ["'self'"],
  "font-src": ["'self'", "data:"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'none'"],
  "img-src": ["'self'", "data:"],
  "manifest-src": ["'self'"],
  "object-src": ["'none'"],
  "script-src-attr": ["'none'"],
};

/**
 * The web app's policy: its own scripts and styles only (the inline `<style>` of index.html by its
 * hash). Style attributes stay allowed (`style-src-attr`): Lit templates use a few for spacing, and
 * an injected style attribute cannot load or run anything.
 */
/** `ws://<host>` of the request (a Host header that is not a plain host[:port] gets none). */
function sameOriginWebSocket(scheme: "ws" | "wss") {
  return (req: IncomingMessage) => {
    const host = req.headers.host ?? "";
    return /^[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$/.test(host) ? `${scheme}://${host}` : "'self'";
  };
}

export function appCsp(webRoot: string | null): RequestHandler {
  const indexFile = webRoot && path.join(webRoot, "index.html");
  const inline = indexFile && fs.existsSync(indexFile) ? inlineHashes(fs.readFileSync(indexFile, "utf8")) : { scripts: [], styles: [] };
  return helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      ...COMMON_DIRECTIVES,
      // Live updates: the WebSocket of /graphql on this same host ('self' covers ws:/wss: only in
      // newer browsers).
      "connect-src": ["'self'", sameOriginWebSocket("ws"), sameOriginWebSocket("wss")],
      "script-src": ["'self'", ...inline.scripts],
      "style-src": ["'self'", ...inline.styles],
      "style-src-attr": ["'unsafe-inline'"],
      "worker-src": ["'self'"],
    },
  });
}

/** Where the per-response nonce of Ruru's inline scripts is kept. */
export interface NonceLocals {
  cspNonce?: string;
}

/**
 * Ruru's policy: its inline scripts run by a nonce made for each response (`RuruNoncePlugin` writes
 * it into the page), Monaco gets inline styles and its workers.
 */
export function ruruCsp(): RequestHandler {
  const policy = helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      ...COMMON_DIRECTIVES,
      "img-src": ["'self'", "data:", "blob:"],
      "script-src": ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
      "style-src": ["'self'", "'unsafe-inline'"],
      "worker-src": ["'self'", "blob:"],
    },
  });
  return (req, res, next) => {
    (res.locals as NonceLocals).cspNonce = crypto.randomBytes(16).toString("base64");
    policy(req, res, next);
  };
}

/** Puts the response's nonce on every `<script>` of Ruru's page. */
export const RuruNoncePlugin: GraphileConfig.Plugin = {
  name: "TelecomRuruNoncePlugin",
  version: "1.0.0",
  grafserv: {
    middleware: {
      async ruruHTML(next, event) {
        const html = await next();
        const nonce = (event.request?.requestContext?.expressv4?.res.locals as NonceLocals | undefined)?.cspNonce;
        return nonce ? html.replace(/<script(?=[\s>])/g, `<script nonce="${nonce}"`) : html;
      },
    },
  },
};

/**
 * The web build: files under assets/ are content-hashed, so cached for a year and never revalidated;
 * everything else (index.html, the favicon) is revalidated on every use. Dot-files (the manifests
 * in .vite/) are not served.
 */
export function staticFiles(webRoot: string): RequestHandler {
  const hashedPrefix = HASHED_ASSETS_DIR + path.sep;
  return express.static(webRoot, {
    index: "index.html",
    dotfiles: "ignore",
    cacheControl: false,
    setHeaders(res, filePath) {
      const isHashed = path.relative(webRoot, filePath).startsWith(hashedPrefix);
      res.setHeader("Cache-Control", isHashed ? `public, max-age=${ONE_YEAR_SECONDS}, immutable` : "no-cache");
    },
  });
}

/** The headers of index.html when it answers an app route. */
export const INDEX_HEADERS = { "Cache-Control": "no-cache" };

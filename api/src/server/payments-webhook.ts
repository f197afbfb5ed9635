/**
 * The card processor's reports (docs/money.md): `POST /webhooks/payments`, body
 * `{"provider_reference": …, "outcome": "successful" | "rejected"}`, header
 * `Telecom-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(PAYMENT_WEBHOOK_SECRET, t + "." + raw body)>`.
 *
 * The signature is verified over the raw bytes before anything else (no JSON is parsed, no database
 * is touched for an unsigned request), within 300 s of the signed time, with a constant-time
 * comparison. Then `telecom.settle_payment` runs as `telecom_payment_processor` with that role's
 * statement timeout; the HTTP answer follows its result. Which payment and what it does are the
 * database's business: this file only checks who is speaking and translates the answer.
 */
import express, { type RequestHandler } from "express";
import crypto from "node:crypto";
import type pg from "pg";
import { statementTimeoutFor } from "./limits.ts";

export const WEBHOOK_PATH = "/webhooks/payments";
export const SIGNATURE_HEADER = "Telecom-Signature";
/** How far the signed time may be from the server's clock, in seconds. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
/** A report is a few dozen bytes; anything much larger is not one. */
const MAX_REPORT_BYTES = 4_096;

/** The header a processor sends with `body` (what the sandbox and the tests use). */
export function signReport(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const signature = crypto.createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${signature}`;
}

/** Why a signature is refused, or null when it is good. */
export function signatureProblem(
  secret: string,
  header: string | undefined,
  rawBody: Buffer,
  now = Math.floor(Date.now() / 1000),
): string | null {
  if (!header) return `The ${SIGNATURE_HEADER} header is missing.`;
  const parts = new Map<string, string[]>();
  for (const item of header.split(",")) {
    const at = item.indexOf("=");
    if (at <= 0) return `The ${SIGNATURE_HEADER} header is malformed.`;
    const key = item.slice(0, at).trim();
    parts.set(key, [...(parts.get(key) ?? []), item.slice(at + 1).trim()]);
  }
  const timestamps = parts.get("t") ?? [];
  if (timestamps.length !== 1 || !/^\d{1,12}$/.test(timestamps[0])) return `The ${SIGNATURE_HEADER} header has no valid time (t=).`;
  const timestamp = Number(timestamps[0]);
  if (Math.abs(now - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return "The signature is stale (signed more than 300 s away from now).";
  const expected = crypto
    .createHmac("sha256", secret)
    .update(Buffer.concat([Buffer.from(`${timestamps[0]}.`), rawBody]))
    .digest();
  // Any v1 may match (a processor rolling its secret sends one per secret); each compared in constant time.
  const matches = (parts.get("v1") ?? []).some((hex) => {
    if (!/^[0-9a-f]{64}$/i.test(hex)) return false;
    return crypto.timingSafeEqual(Buffer.from(hex, "hex"), expected);
  });
  return matches ? null : "The signature does not match.";
}

interface Report {
  provider_reference: string;
  outcome: "successful" | "rejected";
}

function parseReport(rawBody: Buffer): Report | null {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString("utf8"));
  } catch {
    return null;
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return null;
  const { provider_reference, outcome } = body as Record<string, unknown>;
  if (typeof provider_reference !== "string" || provider_reference.length === 0 || provider_reference.length > 200) return null;
  if (outcome !== "successful" && outcome !== "rejected") return null;
  return { provider_reference, outcome };
}

/** HTTP answers of settle_payment's refusals (docs/error-codes.md). */
const STATUS_OF_CODE: Record<string, number> = {
  TC320: 404, // unknown reference
  TC321: 409, // already successful, reported rejected
  TC322: 409, // already rejected (declined or stale), reported successful: logged for a refund
  TC323: 400, // not an outcome
};
/** Transient: the processor should send the report again later. */
const RETRYABLE = new Set(["40001", "40P01", "57014", "57P01", "57P03", "53300"]);

export interface WebhookOptions {
  /** Connections as telecom_authenticator (the server's pool). */
  pool: pg.Pool;
  secret: string;
  /** Called after each answer (tests, logs). */
  onReport?: (report: Report | null, status: number) => void;
}

async function asProcessor<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A connection that dies between two statements (the database restarted) reports here; the next
  // statement then fails, and the broken connection is thrown away instead of going back to the pool.
  let broken: unknown = null;
  const onError = (error: unknown) => (broken = error);
  client.on("error", onError);
  try {
    await client.query("begin");
    await client.query("select set_config('role', 'telecom_payment_processor', true), set_config('statement_timeout', $1, true)", [
      String(statementTimeoutFor("telecom_payment_processor")),
    ]);
    const result = await work(client);
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback").catch((rollbackError) => (broken ??= rollbackError));
    throw error;
  } finally {
    client.off("error", onError);
    client.release(broken ? (broken as Error) : undefined);
  }
}

export function paymentsWebhook({ pool, secret, onReport }: WebhookOptions): RequestHandler[] {
  const answer = (res: express.Response, report: Report | null, status: number, body: Record<string, unknown>) => {
    res.status(status).json(body);
    onReport?.(report, status);
  };
  return [
    express.raw({ type: () => true, limit: MAX_REPORT_BYTES }),
    async (req, res) => {
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const problem = signatureProblem(secret, req.get(SIGNATURE_HEADER), rawBody);
      if (problem) return answer(res, null, 400, { error: problem });
      const report = parseReport(rawBody);
      if (!report) {
        return answer(res, null, 400, {
          error: 'The body must be JSON: {"provider_reference": "…", "outcome": "successful" | "rejected"}.',
        });
      }
      try {
        const payment = await asProcessor(pool, async (client) => {
          const { rows } = await client.query("select * from telecom.settle_payment($1, $2::telecom.payment_status)", [
            report.provider_reference,
            report.outcome,
          ]);
          return rows[0];
        });
        answer(res, report, 200, {
          payment_id: payment.payment_id,
          provider_reference: payment.provider_reference,
          status: payment.status,
        });
      } catch (error) {
        const code = (error as { code?: string }).code ?? "";
        const message = error instanceof Error ? error.message : String(error);
        if (code === "TC322") {
          // The processor took money for a payment we had rejected: owed back. Logged in a transaction
          // of its own, since the refusal rolled back settle_payment's.
          try {
            await asProcessor(pool, (client) => client.query("select telecom.record_card_refund($1)", [report.provider_reference]));
            console.warn(`Card payment ${report.provider_reference} reported successful after it was rejected: logged for a refund.`);
          } catch (logError) {
            console.error(`Could not log the refund of ${report.provider_reference}:`, logError);
            return answer(res, report, 503, { error: "Try again later." });
          }
        }
        const status = STATUS_OF_CODE[code];
        if (status) return answer(res, report, status, { error: message, code });
        // A transient database state, or no database answer at all (a connection refused or lost):
        // the processor sends the report again later.
        if (RETRYABLE.has(code) || /^(08|53|57)/.test(code) || !/^[0-9A-Z]{5}$/.test(code)) {
          return answer(res, report, 503, { error: "Try again later.", code });
        }
        console.error("Payment report failed:", error);
        answer(res, report, 500, { error: "Internal server error." });
      }
    },
  ];
}

/**
 * PAYMENT_WEBHOOK_SECRET, shared with the card processor. Production refuses to start without it;
 * development makes a random one for this run (the sandbox processor, in the same process, signs
 * with it) and says so.
 */
export function paymentWebhookSecret(production: boolean, configured = process.env.PAYMENT_WEBHOOK_SECRET): string {
  if (configured) return configured;
  if (production) {
    throw new Error("PAYMENT_WEBHOOK_SECRET must be set in production: it is the secret the card processor signs its reports with.");
  }
  console.log("PAYMENT_WEBHOOK_SECRET is not set: the sandbox card processor signs with a random secret made for this run.");
  return crypto.randomBytes(32).toString("hex");
}

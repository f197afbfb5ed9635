/**
 * The sandbox card processor (docs/money.md), for development and tests; never served in production.
 *
 * `GET /checkout/:reference?return=/path` is where the web app sends a customer to pay a pending
 * card payment: in development it leads to the sandbox's checkout page; in production to the real
 * processor's checkout, `PAYMENT_CHECKOUT_URL` with `{reference}` and `{return}` filled in.
 *
 * The sandbox's page shows the payment's amount and lets the customer approve or decline. It then
 * signs the report with the webhook secret and POSTs it to this server's `/webhooks/payments`,
 * exactly as a real processor would, and sends the customer back. It can be told to report twice
 * (a processor's retry) or never (a processor that goes silent: the maintenance tick then rejects
 * the payment as stale).
 */
import express, { type RequestHandler, type Router } from "express";
import type pg from "pg";
import { SIGNATURE_HEADER, signReport, WEBHOOK_PATH } from "./payments-webhook.ts";

export type ReportMode = "once" | "twice" | "never";

/** A same-origin path to send the customer back to (never another site: no open redirect). */
export function safeReturnPath(value: unknown): string {
  return typeof value === "string" && /^\/(?![/\\])/.test(value) && value.length < 500 ? value : "/";
}

/** Where the web app's "pay by card" leads: the sandbox, or the real processor's checkout. */
export function checkoutRedirect(production: boolean, template = process.env.PAYMENT_CHECKOUT_URL): RequestHandler {
  return (req, res) => {
    const reference = String(req.params.reference);
    const back = safeReturnPath(req.query.return);
    if (template) {
      const target = template
        .replaceAll("{reference}", encodeURIComponent(reference))
        .replaceAll("{return}", encodeURIComponent(`${req.protocol}://${req.get("host")}${back}`));
      return res.redirect(303, target);
    }
    if (production) return res.status(503).json({ error: "No card processor is configured (PAYMENT_CHECKOUT_URL)." });
    res.redirect(303, `/sandbox/checkout/${encodeURIComponent(reference)}?return=${encodeURIComponent(back)}`);
  };
}

/** Posts a signed report to the webhook, as a real processor does; the HTTP status it got. */
export async function postReport(webhookUrl: string, secret: string, providerReference: string, outcome: string): Promise<number> {
  const body = JSON.stringify({ provider_reference: providerReference, outcome });
  const response = await fetch(webhookUrl, {
    method: "POST",
    headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signReport(secret, body) },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const STYLES = `body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#1d2433}
h1{font-size:1.25rem}.amount{font-size:2rem;font-weight:600;margin:.5rem 0}.note{color:#5b6475;font-size:.875rem}
fieldset{border:1px solid #ccd2dc;border-radius:.5rem;margin:1rem 0}.actions{display:flex;gap:.75rem}
button{font:inherit;padding:.6rem 1.2rem;border-radius:.5rem;border:1px solid #ccd2dc;cursor:pointer}
button[value=successful]{background:#1f6feb;color:#fff;border-color:#1f6feb}`;

export interface SandboxOptions {
  /** A connection to read the payment being paid (the owner's: the sandbox stands in for the processor's own records). */
  ownerPool: pg.Pool;
  secret: string;
  /** This server's URL, where the reports go (known once it listens). */
  selfUrl: () => string;
}

export function sandboxProcessor({ ownerPool, secret, selfUrl }: SandboxOptions): Router {
  const router = express.Router();
  router.get("/sandbox/checkout.css", (_req, res) => {
    res.type("text/css").send(STYLES);
  });
  router.get("/sandbox/checkout/:reference", async (req, res, next) => {
    try {
      const reference = String(req.params.reference);
      const back = safeReturnPath(req.query.return);
      const { rows } = await ownerPool.query(
        "select amount, currency, status from telecom.payment where provider_reference = $1 and payment_method = 'credit'",
        [reference],
      );
      const payment = rows[0];
      res.set("Cache-Control", "no-store");
      if (!payment)
        return res
          .status(404)
          .type("html")
          .send(page("Unknown checkout", `<p>There is no card payment ${escapeHtml(reference)}.</p>`));
      const amount = `${escapeHtml(String(payment.amount))} ${escapeHtml(payment.currency)}`;
      const settled = payment.status !== "pending";
      res.type("html").send(
        page(
          "Sandbox checkout",
          `<p class="note">Sandbox card processor: no real card is charged.</p>
<p>Pay</p><p class="amount" data-amount>${amount}</p>
<p class="note">Reference ${escapeHtml(reference)} · ${settled ? `already ${escapeHtml(payment.status)}` : "pending"}</p>
<form method="post">
<input type="hidden" name="return" value="${escapeHtml(back)}">
<fieldset><legend>The processor then reports</legend>
<label><input type="radio" name="report" value="once" checked> once</label>
<label><input type="radio" name="report" value="twice"> twice (a retry)</label>
<label><input type="radio" name="report" value="never"> never</label>
</fieldset>
<div class="actions"><button name="outcome" value="successful">Approve</button><button name="outcome" value="rejected">Decline</button></div>
</form>`,
        ),
      );
    } catch (error) {
      next(error);
    }
  });
  router.post("/sandbox/checkout/:reference", express.urlencoded({ extended: false, limit: 2_000 }), async (req, res) => {
    const reference = String(req.params.reference);
    const outcome = req.body?.outcome === "successful" ? "successful" : "rejected";
    const mode: ReportMode = req.body?.report === "twice" ? "twice" : req.body?.report === "never" ? "never" : "once";
    const back = safeReturnPath(req.body?.return);
    const times = mode === "twice" ? 2 : mode === "never" ? 0 : 1;
    const webhookUrl = `${selfUrl()}${WEBHOOK_PATH}`;
    // Like a real processor, the report goes out on its own, after the customer is sent back.
    void (async () => {
      for (let sent = 0; sent < times; sent++) {
        try {
          const status = await postReport(webhookUrl, secret, reference, outcome);
          console.log(`Sandbox processor: reported ${reference} ${outcome} → HTTP ${status}`);
        } catch (error) {
          console.error(`Sandbox processor: report of ${reference} failed: ${error instanceof Error ? error.message : error}`);
        }
      }
    })();
    res.redirect(303, back);
  });
  return router;
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><link rel="stylesheet" href="/sandbox/checkout.css"></head><body><h1>${title}</h1>${body}</body></html>`;
}

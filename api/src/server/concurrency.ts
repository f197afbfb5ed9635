/**
 * A cap on the GraphQL requests that run at once per person (the `national_id` claim), per admin,
 * and per client address for visitors (docs/security.md), so that one customer cannot take the database
 * pool from everyone else. A request over the cap waits briefly in a short queue, holding no
 * database connection; when the queue is full or the wait too long it is refused with TC508, HTTP
 * 429 and `Retry-After`.
 */
import type { Request, RequestHandler, Response } from "express";
import type { TokenClaims } from "./jwt.ts";
import { CONCURRENCY, refusalBody, RETRY_AFTER_SECONDS, type ConcurrencyLimits } from "./limits.ts";
import type { TelecomLocals } from "./preset.ts";

/** Whose budget a request spends. */
export function budgetKey(claims: TokenClaims | null | undefined, clientAddress: string): string {
  if (claims?.role === "telecom_admin") return `admin:${claims.admin_id ?? ""}`;
  if (claims?.role === "telecom_network") return `network:${claims.network_id ?? ""}`;
  if (claims?.national_id != null) return `person:${claims.national_id}`;
  if (claims) return `role:${claims.role}`;
  return `address:${clientAddress}`;
}

interface Budget {
  running: number;
  waiting: (() => void)[];
}

/**
 * What the cap needs of a limiter: a slot of `key`'s budget (at most `limit` at once), or null when
 * refused. ConcurrencyLimiter keeps the budgets in this process; ClusterLimiterClient
 * (cluster-limiter.ts) asks the cluster's primary, so the budgets hold across workers.
 */
export interface SlotLimiter {
  /** `wait: false` refuses at once when the budget is full, instead of queueing. */
  acquire(key: string, limit: number, wait?: boolean): Promise<(() => void) | null>;
}

export class ConcurrencyLimiter implements SlotLimiter {
  private readonly budgets = new Map<string, Budget>();

  constructor(private readonly limits: ConcurrencyLimits = CONCURRENCY) {}

  /** Resolves with a release function when the request may run, or with null when it is refused. */
  acquire(key: string, limit: number, wait = true): Promise<(() => void) | null> {
    let budget = this.budgets.get(key);
    if (!budget) {
      budget = { running: 0, waiting: [] };
      this.budgets.set(key, budget);
    }
    const release = this.releaser(key, budget);
    if (budget.running < limit) {
      budget.running++;
      return Promise.resolve(release);
    }
    if (!wait || budget.waiting.length >= this.limits.queue) return Promise.resolve(null);
    return new Promise((resolve) => {
      const turn = () => {
        clearTimeout(timer);
        resolve(release);
      };
      const timer = setTimeout(() => {
        budget.waiting.splice(budget.waiting.indexOf(turn), 1);
        this.forgetIfIdle(key, budget);
        resolve(null);
      }, this.limits.maxWaitMs);
      budget.waiting.push(turn);
    });
  }

  /** Requests running or waiting, by key (for tests and diagnostics). */
  snapshot(): Record<string, { running: number; waiting: number }> {
    return Object.fromEntries([...this.budgets].map(([key, { running, waiting }]) => [key, { running, waiting: waiting.length }]));
  }

  private releaser(key: string, budget: Budget): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The slot passes straight to the next in line, so a newcomer cannot jump the queue.
      const next = budget.waiting.shift();
      if (next) return next();
      budget.running--;
      this.forgetIfIdle(key, budget);
    };
  }

  private forgetIfIdle(key: string, budget: Budget): void {
    if (budget.running === 0 && budget.waiting.length === 0) this.budgets.delete(key);
  }
}

/** Express middleware for /graphql, after the token check: one slot per request, freed when the response ends. */
export function concurrencyCap(limiter: SlotLimiter, limits: ConcurrencyLimits = CONCURRENCY): RequestHandler {
  return async (req: Request, res: Response, next) => {
    const claims = (res.locals as TelecomLocals).claims;
    // Admins and the network have budgets of their own (docs/security.md): the network sends events in parallel.
    const limit = claims?.role === "telecom_admin" || claims?.role === "telecom_network" ? limits.perAdmin : limits.perKey;
    const release = await limiter.acquire(budgetKey(claims, req.ip ?? ""), limit);
    if (!release) {
      res.status(429).set("Retry-After", String(RETRY_AFTER_SECONDS)).json(refusalBody("TC508"));
      return;
    }
    // The client left while waiting: `close` has fired already.
    if (!res.socket || res.socket.destroyed) return release();
    // `close` also fires when the client goes away before the answer.
    res.once("close", release);
    next();
  };
}

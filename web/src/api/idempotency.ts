/**
 * Idempotency keys for money actions (docs/api.md, docs/web-app.md): every submission of a money form gets a fresh
 * key, and the same submission sent again after its answer was lost reuses it, so the database
 * applies it once (a repeat with the same key returns the first result and moves nothing).
 */
import { ApiError } from "./graphql.ts";

/** A version 4 UUID; `crypto.randomUUID` exists only in secure contexts, so plain HTTP on a LAN builds one from getRandomValues. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Shown when the server's answer never arrived: whether the action happened is unknown until it is sent again. */
export const LOST_ANSWER = "The connection failed before the answer arrived. Send it again: it will be applied only once.";

/**
 * One money form or button of a page. `run` gives `send` a key: fresh for a new submission, the
 * previous one when the same values are sent again after a lost answer. An answer from the server
 * (success or refusal) closes the submission; the next one gets a new key.
 */
export class MoneyAction {
  private _pending?: { fingerprint: string; key: string };

  async run<Result>(values: unknown, send: (idempotencyKey: string) => Promise<Result>): Promise<Result> {
    const fingerprint = JSON.stringify(values);
    const key = this._pending?.fingerprint === fingerprint ? this._pending.key : newIdempotencyKey();
    this._pending = { fingerprint, key };
    try {
      const result = await send(key);
      this._pending = undefined;
      return result;
    } catch (error) {
      if (error instanceof ApiError && error.status < 500) {
        this._pending = undefined;
        throw error;
      }
      throw new Error(LOST_ANSWER);
    }
  }
}

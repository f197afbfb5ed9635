/**
 * The API's limits (docs/security.md) and the TC5xx codes of their refusals (docs/money.md: TC5xx = API limits).
 * Every number a hostile request could push against is here, with the code that refuses it; the
 * README's error-code table lists the same codes.
 */
import "./graphile-env.ts";
import { SafeError } from "postgraphile/grafast";
import { GraphQLError } from "postgraphile/graphql";
import type { TokenClaims } from "./jwt.ts";

/** Tokens (names, punctuation, values) in one GraphQL document; `parse` stops counting beyond. */
export const MAX_TOKENS = 10_000;
/** Levels of nested fields, counted through fragments (introspection's `__schema`/`__type` trees excepted). */
export const MAX_DEPTH = 12;
/** Aliases in one document, each fragment counted every time it is used. */
export const MAX_ALIASES = 50;
/** Fields in one document after fragment expansion (each fragment counted every time it is used). */
export const MAX_FIELDS = 2_000;
/** Rows per page of a connection for customers and visitors: the most `first`/`last` may ask, and the default. */
export const PAGE_CAP = 100;

/** Statement timeout of each API role, in milliseconds (docs/security.md). */
export const STATEMENT_TIMEOUTS_MS: Readonly<Record<string, number>> = {
  telecom_anonymous: 1_000,
  telecom_customer: 3_000,
  telecom_admin: 15_000,
  telecom_payment_processor: 2_000,
  telecom_network: 2_000,
};

/** Requests of one person (or one client address, for visitors) that may run at once; more wait, briefly. */
export interface ConcurrencyLimits {
  /** Running at once per visitor address, customer (person) and processor. */
  perKey: number;
  /** Running at once per admin (an admin's reports are few but slow). */
  perAdmin: number;
  /** Waiting per key; beyond that a request is refused at once. */
  queue: number;
  /** How long a request may wait for its turn before it is refused. */
  maxWaitMs: number;
}
export const CONCURRENCY: ConcurrencyLimits = { perKey: 4, perAdmin: 8, queue: 16, maxWaitMs: 2_000 };

/** The seconds a refused client is told to wait (`Retry-After`). */
export const RETRY_AFTER_SECONDS = 1;

/** The refusals of this file, by code: docs/error-codes.md lists the same, from the registry. */
export const REFUSALS = {
  TC500: "Something went wrong on the server; the error is logged with the id given here.",
  TC501: "This server answers only the web app's own requests, and this one is not among them.",
  TC502: `The request is too long (more than ${MAX_TOKENS} tokens).`,
  TC503: `The request nests fields too deeply (more than ${MAX_DEPTH} levels).`,
  TC504: `The request uses too many aliases (more than ${MAX_ALIASES}).`,
  TC505: `The request asks for too many fields (more than ${MAX_FIELDS}, counting each fragment every time it is used).`,
  TC506: `A page has at most ${PAGE_CAP} rows: ask for fewer with first or last, and page with after or before.`,
  TC507: "Send one GraphQL request at a time: batches are not accepted.",
  TC508: "Too many of your requests are running at once; try again in a moment.",
  TC509: "Only an admin can explore the schema (introspection) on this server.",
  TC511: "Live updates need a login: a customer's for your own updates, an admin's for the live usage of everyone.",
  TC512: "This cursor is not one the server gave: page with the cursors of a previous answer, or none.",
  TC513: "A variable does not fit its type.",
  TC514: "The document has no operation of that name.",
  TC515: "There is nothing to change: give at least one value in the patch.",
  TC516: "A filter needs at least one condition: leave it out to ask for everything.",
  TC517: "The request is not a GraphQL request this server can run.",
  TC518: "The request is too large.",
} as const;
export type RefusalCode = keyof typeof REFUSALS;

/** The HTTP status of each refusal that ends a request before GraphQL runs. */
const STATUS: Record<RefusalCode, number> = {
  TC500: 500,
  TC501: 400,
  TC502: 400,
  TC503: 400,
  TC504: 400,
  TC505: 400,
  TC506: 400,
  TC507: 400,
  TC508: 429,
  TC509: 403,
  TC511: 403,
  TC512: 400,
  TC513: 400,
  TC514: 400,
  TC515: 400,
  TC516: 400,
  TC517: 400,
  TC518: 413,
};

/** `extensions` with the code only; the HTTP status rides along unseen (grafserv reads it, JSON omits it). */
function extensionsFor(code: RefusalCode): Record<string, unknown> {
  const extensions: Record<string, unknown> = { code };
  Object.defineProperty(extensions, "statusCode", { value: STATUS[code], enumerable: false });
  return extensions;
}

/** A refusal thrown from grafserv middleware: grafserv answers it with its status and `{message, extensions: {code}}`. */
export function refusal(code: RefusalCode, message: string = REFUSALS[code]): SafeError {
  return new SafeError(message, extensionsFor(code));
}

/** The same refusal as a GraphQL error, for a result returned instead of executing. */
export function refusalError(code: RefusalCode, message: string = REFUSALS[code]): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

/** The JSON body of a refusal that Express sends itself (before grafserv). */
export function refusalBody(code: RefusalCode, message: string = REFUSALS[code]) {
  return { errors: [{ message, extensions: { code } }] };
}

export function refusalStatus(code: RefusalCode): number {
  return STATUS[code];
}

/** Customers and visitors page; admins (and trusted tools) do not. */
export function pageCapFor(claims: TokenClaims | null | undefined): number | null {
  return claims?.role === "telecom_admin" ? null : PAGE_CAP;
}

export function statementTimeoutFor(role: string): number {
  return STATEMENT_TIMEOUTS_MS[role] ?? STATEMENT_TIMEOUTS_MS.telecom_anonymous;
}

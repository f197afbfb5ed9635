/**
 * The PostGraphile 5 configuration: the `telecom` schema seen through the authenticator login, the
 * role and claims of the verified token as transaction settings, signed login tokens, and errors that
 * tell the client what the database said and nothing else.
 */
import "./graphile-env.ts";
import type pg from "pg";
import { PgSimplifyInflectionPreset } from "@graphile/simplify-inflection";
import { makePgService, PgSubscriber } from "postgraphile/adaptors/pg";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { defaultMaskError } from "postgraphile/grafserv";
import { GraphQLError } from "postgraphile/graphql";
import { PersistedPlugin } from "@grafserv/persisted";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";
import { GRAPHIQL_EXAMPLES } from "./graphiql-examples.ts";
import { allowsArbitraryDocuments, documentIdOf, makeGuardPlugin } from "./guards.ts";
import { RuruNoncePlugin } from "./http-hardening.ts";
import type { TokenClaims } from "./jwt.ts";
import { clientAddressOf, LivePlugin, localsOf } from "./live.ts";
import { STATEMENT_TIMEOUTS_MS, statementTimeoutFor } from "./limits.ts";
import { MoneyInputPlugin } from "./money-input.ts";
import { libraryRefusal, RequestErrorsPlugin, withCode } from "./request-errors.ts";
import type { TrustedDocuments } from "./trusted-documents.ts";

/** The largest request body accepted, in bytes (a GraphQL document with its variables). */
export const MAX_REQUEST_BYTES = 100_000;

/** The filter operators admins may use (every one of them an index condition on a btree index). */
export const FILTER_OPERATORS = [
  "isNull",
  "equalTo",
  "notEqualTo",
  "in",
  "lessThan",
  "lessThanOrEqualTo",
  "greaterThan",
  "greaterThanOrEqualTo",
];

export interface PresetOptions {
  /** A pool of authenticator connections (the caller owns it and ends it after `pgl.release()`). */
  pool: pg.Pool;
  /** The pool of the LISTEN connection of live updates; none: no subscriptions can be served (schema printing). */
  listenPool?: Pick<pg.Pool, "connect">;
  jwtSecret: string;
  /** One statement timeout for every role (tests); default: each role's own (limits.ts). */
  statementTimeoutMs?: number;
  /** Production: only trusted documents for everyone but admins, introspection for admins only. */
  production: boolean;
  /** The web app's documents that anyone may run by id. */
  trustedDocuments: TrustedDocuments;
  /** Called whenever a request reaches Grafast's planning (tests count them). */
  onPlanning?: () => void;
}

/** Where the authentication middleware leaves the verified claims of a request (null: no token). */
export interface TelecomLocals {
  claims?: TokenClaims | null;
  /** The token's expiry (seconds since the epoch): `switch_number` issues no token that outlives it. */
  expiresAt?: number | null;
}

/**
 * The settings every transaction of a request starts with. All four claims are always set ('' when
 * absent), as the database tests do, so SQL sees the same thing for "no claim" whatever ran before.
 * The statement timeout is the role's own unless one is given; `telecom.client_address` is the
 * request's client address (`req.ip`, see TRUST_PROXY), the key of the login throttles. A token's
 * expiry goes along as `jwt.claims.exp` when there is one.
 */
export function pgSettingsFor(
  claims: TokenClaims | null | undefined,
  statementTimeoutMs?: number | null,
  clientAddress = "",
  expiresAt?: number | null,
): Record<string, string> {
  const role = claims?.role ?? "telecom_anonymous";
  return {
    ...(expiresAt ? { "jwt.claims.exp": String(expiresAt) } : {}),
    role,
    statement_timeout: String(statementTimeoutMs ?? statementTimeoutFor(role)),
    "jwt.claims.mobile_no": claims?.mobile_no ?? "",
    "jwt.claims.national_id": claims?.national_id?.toString() ?? "",
    "jwt.claims.admin_id": claims?.admin_id?.toString() ?? "",
    "jwt.claims.network_id": claims?.network_id ?? "",
    "telecom.client_address": clientAddress,
  };
}

/** What a serialization failure or a deadlock reaches the client as (docs/money.md). */
export const RETRY_CODE = "TC510";

/** A PostgreSQL error as node-postgres reports it: `code` is the SQLSTATE. */
function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  const isDatabaseError = error instanceof Error && "severity" in error;
  return isDatabaseError && typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Database errors keep the SQL message and carry the SQLSTATE in `extensions.code` (what `raise
 * exception ... using errcode` says reaches the client as is). Classes 58 (system) and XX (internal)
 * describe the server, not the request, so they are masked like every other unexpected error: the
 * client gets an error id and `TC500`, the log gets the details. PostGraphile's own refusals get their
 * project codes (request-errors.ts).
 */
export function maskError(error: GraphQLError): GraphQLError {
  const code = sqlStateOf(error.originalError);
  if (!code || code.startsWith("58") || code.startsWith("XX")) {
    const refusal = libraryRefusal(error);
    if (refusal) return refusal;
    const masked = defaultMaskError(error);
    return withCode(masked, masked.extensions?.errorId !== undefined);
  }
  // A serialization failure or a deadlock is decided at commit, where SQL cannot catch it: the one
  // retryable code, so a client retries (with the same idempotency key) instead of giving up.
  if (code === "40001" || code === "40P01") {
    return new GraphQLError("The database was busy with a conflicting change; try again.", {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      originalError: error.originalError,
      extensions: { code: RETRY_CODE, retryable: true },
    });
  }
  const retryAfter = retryAfterOf(error.originalError);
  return new GraphQLError(error.originalError!.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: retryAfter === undefined ? { code } : { code, retryAfter },
  });
}

/**
 * A throttled refusal (TC220, docs/security.md) says how long to wait in its hint, `retry-after=<seconds>`:
 * it reaches the client as `extensions.retryAfter` and as the response's `Retry-After` header.
 */
function retryAfterOf(error: unknown): number | undefined {
  const hint = (error as { hint?: unknown } | null)?.hint;
  const match = typeof hint === "string" ? /^retry-after=(\d{1,7})$/.exec(hint) : null;
  return match ? Number(match[1]) : undefined;
}

/** The longest `extensions.retryAfter` of a GraphQL response body, if any. */
export function retryAfterOfBody(body: string): number | undefined {
  if (!body.includes('"retryAfter"')) return undefined;
  try {
    const { errors } = JSON.parse(body) as { errors?: { extensions?: { retryAfter?: unknown } }[] };
    const waits = (errors ?? []).map((error) => error.extensions?.retryAfter).filter((wait): wait is number => typeof wait === "number");
    return waits.length ? Math.max(...waits) : undefined;
  } catch {
    return undefined;
  }
}

/** Puts a throttled refusal's wait in the HTTP `Retry-After` header of the GraphQL response. */
const RetryAfterPlugin: GraphileConfig.Plugin = {
  name: "TelecomRetryAfterPlugin",
  version: "1.0.0",
  grafserv: {
    middleware: {
      async processRequest(next) {
        const result = await next();
        const wait =
          result?.type === "buffer"
            ? retryAfterOfBody(result.buffer.toString("utf8"))
            : result?.type === "json"
              ? retryAfterOfBody(JSON.stringify(result.json))
              : undefined;
        if (wait !== undefined && result && "headers" in result) result.headers["Retry-After"] = String(wait);
        return result;
      },
    },
  },
};

/**
 * A mutation function's payload names its result after the type it returns (`payment`, `voucher`,
 * `jwtToken`), as a create mutation's payload does; scalars and anonymous records keep `result`.
 * An `@resultFieldName` smart tag on the function still wins.
 */
const ResultFieldNamePlugin: GraphileConfig.Plugin = {
  name: "TelecomResultFieldNamePlugin",
  version: "1.0.0",
  inflection: {
    replace: {
      functionMutationResultFieldName(previous, _options, details) {
        const { resource, returnGraphQLTypeName } = details;
        const { codec } = resource;
        if (resource.extensions?.tags?.resultFieldName || !codec.attributes || codec.isAnonymous) return previous!(details);
        const name = this.camelCase(returnGraphQLTypeName);
        return resource.isUnique ? name : this.pluralize(name);
      },
    },
  },
};

export function makePreset({
  pool,
  listenPool,
  jwtSecret,
  statementTimeoutMs,
  production,
  trustedDocuments,
  onPlanning,
}: PresetOptions): GraphileConfig.Preset {
  const longestStatementMs = statementTimeoutMs ?? Math.max(...Object.values(STATEMENT_TIMEOUTS_MS));
  return {
    extends: [PostGraphileAmberPreset, PgSimplifyInflectionPreset, PostGraphileConnectionFilterPreset],
    // GraphQL subscriptions are the live updates of live.ts. The table telecom.subscription is
    // `PlanSubscription` in GraphQL (smart tag `@name plan_subscription`), so the root `Subscription`
    // type can exist.
    disablePlugins: [
      // The connection filter's plugins that ignore its options: no filters through relations, on
      // computed columns, composite or record-returning functions, and no and/or/not.
      "PgConnectionArgFilterBackwardRelationsPlugin",
      "PgConnectionArgFilterForwardRelationsPlugin",
      "PgConnectionArgFilterComputedAttributesPlugin",
      "PgConnectionArgFilterRecordFunctionsPlugin",
      "PgConnectionArgFilterCompositeTypeAttributesPlugin",
      "PgConnectionArgFilterLogicalOperatorsPlugin",
    ],
    plugins: [
      ResultFieldNamePlugin,
      makeGuardPlugin({ production, onPlanning }),
      PersistedPlugin,
      RuruNoncePlugin,
      RetryAfterPlugin,
      RequestErrorsPlugin,
      MoneyInputPlugin,
      LivePlugin,
    ],
    pgServices: [
      makePgService({
        pool,
        schemas: ["telecom"],
        // One LISTEN connection (pgSubscriber) for the live updates (live.ts), from a pool of its own.
        pubsub: listenPool !== undefined,
        pgSubscriber: listenPool && new PgSubscriber(listenPool as pg.Pool),
        // A request's claims come from Express, a WebSocket operation's from its connection (live.ts).
        pgSettings: (requestContext) => {
          const locals = localsOf(requestContext);
          return pgSettingsFor(locals?.claims, statementTimeoutMs, clientAddressOf(requestContext), locals?.expiresAt);
        },
      }),
    ],
    gather: { pgJwtTypes: "telecom.jwt_token" },
    schema: {
      pgJwtSecret: jwtSecret,
      // Filters (postgraphile-plugin-connection-filter) only where an index can serve them: table
      // columns without an index and view columns tagged `@behavior -filterBy -orderBy` get none; no
      // filters on computed columns, setof functions, arrays or relations, and a short list of
      // operators (no pattern matching, which no btree index serves; search uses
      // telecom.search_customers and its trigram index).
      connectionFilterAllowedOperators: FILTER_OPERATORS,
      connectionFilterComputedColumns: false,
      connectionFilterSetofFunctions: false,
      connectionFilterArrays: false,
      connectionFilterRelations: false,
      connectionFilterLogicalOperators: false,
      connectionFilterAllowNullInput: false,
      connectionFilterAllowEmptyObjectInput: false,
    },
    grafast: {
      // Planning blocks the event loop. The execution limit (checked before each database step) is a
      // backstop for requests made of many statements; a single slow statement meets the database's
      // statement_timeout first, which reports it with its SQLSTATE (57014).
      timeouts: { planning: 5_000, execution: 2 * longestStatementMs },
    },
    grafserv: {
      graphqlPath: "/graphql",
      graphiql: true,
      graphiqlPath: "/graphiql",
      graphiqlOnGraphQLGET: false,
      graphqlOverGET: false,
      // Subscriptions over WebSocket at /graphql; app.ts attaches live.ts's upgrade handler.
      websockets: true,
      watch: false,
      maxRequestLength: MAX_REQUEST_BYTES,
      maskError,
      // Trusted documents (@grafserv/persisted): a request names one by `documentId` (or `id`, or
      // Apollo's persisted-query hash); TelecomGuardPlugin refuses the rest before this runs.
      // In development an id the manifest does not know (no web build) runs the document sent with it.
      hashFromPayload: (payload) => {
        const id = documentIdOf(payload);
        const unknownInDevelopment = !production && id !== undefined && typeof payload.query === "string" && !trustedDocuments.get(id);
        return unknownInDevelopment ? undefined : id;
      },
      persistedOperationsGetter: (id) => trustedDocuments.get(id)!,
      allowUnpersistedOperation: (event) => allowsArbitraryDocuments(production, event),
    },
    ruru: {
      // A first visit opens with worked examples of the reports and figures (a later one keeps the
      // admin's own tabs, which Ruru stores in the browser).
      clientConfig: { defaultQuery: GRAPHIQL_EXAMPLES } as NonNullable<NonNullable<GraphileConfig.Preset["ruru"]>["clientConfig"]>,
      htmlParts: {
        // `/graphiql#token=<jwt>` (the web app's admin link) sends that token with every query; the
        // fragment never reaches the server and is removed from the address bar at once.
        configScript: (original) => `${original}
<script>
  (() => {
    const token = new URLSearchParams(location.hash.slice(1)).get("token");
    if (!token) return;
    history.replaceState(null, "", location.pathname + location.search);
    const headers = JSON.stringify({ Authorization: "Bearer " + token }, null, 2);
    RURU_CONFIG.initialHeaders = headers;
    RURU_CONFIG.defaultHeaders = headers;
  })();
</script>`,
      },
    },
  };
}

/**
 * The Graphile plugin that guards every GraphQL request before Grafast plans it (docs/security.md):
 *
 * - trusted documents: a request that is not an admin's (in production) must name a document of the
 *   web app's manifest (`@grafserv/persisted`, fed by trusted-documents.ts); arbitrary documents are
 *   refused before they are even parsed;
 * - bounded documents: tokens, depth, aliases and fields after fragment expansion (document-bounds.ts),
 *   and introspection for admins only in production; all of it before grafserv's own validation;
 * - page caps: in `prepareArgs`, where the role is known, `first`/`last` above 100 is refused for
 *   customers and visitors, and every connection they ask without either gets `first: 100`;
 * - requests that cannot run as sent (request-errors.ts): an unknown operation name, money that is not
 *   a plain decimal, variables that do not fit their types, refused in `prepareArgs` too.
 *
 * Each refusal carries its TC5xx code (limits.ts). `onPlanning` is called whenever a request reaches
 * Grafast's planning, so tests can prove that a refused request never did.
 */
import type { ProcessGraphQLRequestBodyEvent } from "postgraphile/grafserv";
import { constant, ConstantStep, context, lambda, SafeError, type ExecutableStep } from "postgraphile/grafast";
import type { TokenClaims } from "./jwt.ts";
import { localsOf, socketClaimsOf } from "./live.ts";
import { largestPageAsked, makeDocumentJudge } from "./document-bounds.ts";
import { pageCapFor, refusal, refusalError } from "./limits.ts";
import { requestRefusal } from "./request-errors.ts";
import type { TelecomLocals } from "./preset.ts";

declare global {
  namespace Grafast {
    interface Context {
      /** Rows per page when a connection is asked without `first`/`last`; null: no cap (admins). */
      telecomPageCap?: number | null;
      /** Set in `prepareArgs` when the request must be refused instead of planned. */
      telecomRefusal?: ReturnType<typeof refusalError>;
    }
  }
}

export interface GuardOptions {
  /** Production: trusted documents and admin-only introspection. */
  production: boolean;
  /** Called when a request reaches planning (tests count them). */
  onPlanning?: () => void;
}

function claimsOf(locals: unknown): TokenClaims | null {
  return (locals as TelecomLocals | undefined)?.claims ?? null;
}

/** The claims of a request, or of the WebSocket connection an operation came over (live.ts). */
function claimsOfEvent(event: ProcessGraphQLRequestBodyEvent): TokenClaims | null {
  if (event.graphqlWsContext) return socketClaimsOf(event.graphqlWsContext);
  return claimsOf(localsOf(event.request?.requestContext));
}

const isAdmin = (claims: TokenClaims | null) => claims?.role === "telecom_admin";

/** The id a request names its trusted document by (`documentId`, `id`, or Apollo's persisted-query hash). */
export function documentIdOf(body: ProcessGraphQLRequestBodyEvent["body"]): string | undefined {
  const persistedQuery = (body.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery;
  const id = persistedQuery?.sha256Hash || body.documentId || body.id;
  return typeof id === "string" ? id : undefined;
}

/** Arbitrary (not persisted) documents: admins always, everyone in development (docs/security.md). */
export function allowsArbitraryDocuments(production: boolean, event: ProcessGraphQLRequestBodyEvent): boolean {
  return !production || isAdmin(claimsOfEvent(event));
}

/** The `first` a connection gets: the one asked for, or the cap when neither `first` nor `last` was given. */
function effectiveFirst([first, last, cap]: readonly [number | null | undefined, number | null | undefined, number | null | undefined]) {
  if (cap != null && ((first ?? 0) > cap || (last ?? 0) > cap)) throw refusal("TC506");
  return first ?? (last == null ? (cap ?? null) : null);
}

export function makeGuardPlugin({ production, onPlanning }: GuardOptions): GraphileConfig.Plugin {
  const judge = makeDocumentJudge();
  return {
    name: "TelecomGuardPlugin",
    version: "1.0.0",
    // Outermost: the trusted-document check runs before PersistedPlugin looks up the id (which logs
    // every refusal with its whole payload), and the bounds run on the document it found.
    before: ["PersistedPlugin"],
    grafserv: {
      middleware: {
        async processGraphQLRequestBody(next, event) {
          const { body } = event;
          const arbitraryAllowed = allowsArbitraryDocuments(production, event);
          const id = documentIdOf(body);
          if (id === undefined && !arbitraryAllowed) throw refusal("TC501");
          // Nothing to run (PersistedPlugin would log the body with a stack trace before refusing it).
          if (id === undefined && typeof body.query !== "string") {
            throw refusal("TC517", "The request has no query: send a GraphQL document as query, or the id of a trusted document.");
          }
          try {
            await next();
          } catch (error) {
            // PersistedPlugin: an id that is not in the manifest.
            if (error instanceof SafeError && id !== undefined) {
              throw refusal("TC501", "This request names a document the server does not know; reload the page to get the current app.");
            }
            throw error;
          }
          if (typeof body.query !== "string") return;
          const verdict = judge(body.query);
          if (verdict.refused) throw refusal(verdict.refused);
          if (verdict.introspection && production && !isAdmin(claimsOfEvent(event))) {
            throw refusal("TC509");
          }
        },
      },
    },
    grafast: {
      middleware: {
        prepareArgs(next, event) {
          const { args } = event;
          const cap = pageCapFor(claimsOf(localsOf(args.requestContext)));
          const contextValue = args.contextValue as Grafast.Context;
          contextValue.telecomPageCap = cap;
          const refused = requestRefusal(args);
          if (refused) contextValue.telecomRefusal = refused;
          else if (cap != null && largestPageAsked(args.document, args.variableValues) > cap)
            contextValue.telecomRefusal = refusalError("TC506");
          return next();
        },
        execute(next, event) {
          const refused = (event.args.contextValue as Grafast.Context).telecomRefusal;
          if (refused) return { errors: [refused] };
          return next();
        },
        establishOperationPlan(next) {
          onPlanning?.();
          return next();
        },
      },
    },
    schema: {
      hooks: {
        // Connections take `first`/`last` here, in the field's plan, rather than in the arguments' own
        // plans: only here are both known, so that a connection asked with neither gets the cap.
        GraphQLObjectType_fields_field(field, _build, { scope }) {
          if (!scope.isPgFieldConnection || !field.plan) return field;
          const plan = field.plan;
          return {
            ...field,
            plan($parent, fieldArgs, info) {
              const $connection = plan($parent, fieldArgs, info) as ExecutableStep & {
                setFirst?: (step: ExecutableStep) => void;
                setLast?: (step: ExecutableStep) => void;
              };
              const names = new Set(info.field.args.map((arg) => arg.name));
              if (!names.has("first") || typeof $connection?.setFirst !== "function") return $connection;
              const $first = fieldArgs.getRaw("first");
              const $last = names.has("last") ? fieldArgs.getRaw("last") : constant(undefined);
              $connection.setFirst(lambda([$first, $last, context().get("telecomPageCap")], effectiveFirst, true));
              if (!($last instanceof ConstantStep && $last.data === undefined)) $connection.setLast!($last);
              return $connection;
            },
          };
        },
        GraphQLObjectType_fields_field_args: {
          after: ["PgFirstLastBeforeAfterArgsPlugin"],
          callback(args, _build, { scope }) {
            if (!scope.isPgFieldConnection) return args;
            const replaced = { ...args };
            for (const name of ["first", "last"]) {
              if (replaced[name]) replaced[name] = { ...replaced[name], applyPlan: undefined };
            }
            return replaced;
          },
        },
      },
    },
  };
}

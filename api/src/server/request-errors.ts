/**
 * Every error a client receives carries `extensions.code`, and a client's mistake is logged in one
 * line, without a stack trace:
 *
 * - before planning (`requestRefusal`, called from the guard's `prepareArgs`): an operation name the
 *   document does not have (`TC514`), money that is not a plain decimal (`TC104`/`TC105`,
 *   money-input.ts) and variables that do not fit their types (`TC513`);
 * - the refusals PostGraphile's own steps throw while planning or running (`libraryRefusal`, from
 *   `maskError`): an invalid cursor (`TC512`), an update with nothing to change (`TC515`), a filter
 *   that is null or empty (`TC516`);
 * - whatever is left: an unexpected error is masked with `TC500` (its details, with the stack, go to
 *   the log under the id the client gets), and an error of the GraphQL request itself (a document that
 *   does not fit the schema, a malformed body) gets `TC517` (`RequestErrorsPlugin`, on every response).
 *
 * The same plugin answers `application/json` to a client that accepts anything (`Accept: *\/*`) or
 * sends no Accept header, as the GraphQL-over-HTTP specification says.
 */
import { getOperationAST, getVariableValues, GraphQLError } from "postgraphile/graphql";
import type { GrafastExecutionArgs } from "postgraphile/grafast";
import { refusalError, type RefusalCode } from "./limits.ts";
import { moneyRefusal } from "./money-input.ts";

/** The most characters of a client's own text (an operation name, GraphQL's message about a variable) repeated back. */
const ECHOED_CHARACTERS = 200;

function cut(text: string, length = ECHOED_CHARACTERS): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

/**
 * The refusal of a request that cannot run as sent, checked before Grafast plans it: the operation it
 * names, its money values (before GraphQL coerces them) and its variables.
 */
export function requestRefusal(args: GrafastExecutionArgs): GraphQLError | undefined {
  const { schema, document, operationName } = args;
  const variables = (args.variableValues ?? {}) as Record<string, unknown>;
  const operation = getOperationAST(document, operationName);
  if (!operation) {
    return refusalError(
      "TC514",
      operationName
        ? `The document has no operation named ${JSON.stringify(cut(operationName, 50))}.`
        : "The document has several operations: name the one to run (operationName).",
    );
  }
  const money = moneyRefusal(schema, document, operation, variables);
  if (money) return money;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 1 });
  if (coerced.errors) return refusalError("TC513", cut(coerced.errors[0].message));
  return undefined;
}

/**
 * The refusals that PostGraphile's steps and the connection filter throw as plain errors (which would
 * be masked as internal ones), by their exact message in the versions the project pins.
 */
const LIBRARY_REFUSALS: ReadonlyMap<string, RefusalCode> = new Map([
  ["Invalid cursor, please enter a cursor from a previous request, or null.", "TC512"],
  ["Attempted to update a record, but no new values were specified.", "TC515"],
  ["Null literals are forbidden in filter argument input.", "TC516"],
  ["Empty objects are forbidden in filter argument input.", "TC516"],
]);

/** A GraphQL error with another message and code, at the same place. */
function recoded(error: GraphQLError, code: string, message = error.message): GraphQLError {
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}

/** One line for the log: the code, the message and where. */
export function logClientError(code: string, message: string, path?: readonly (string | number)[]): void {
  console.warn(`GraphQL request refused: ${code} ${message}${path?.length ? ` (at ${path.join(".")})` : ""}`);
}

/** A refusal of PostGraphile's own (invalid cursor, empty patch, empty filter) with its project code, logged in one line. */
export function libraryRefusal(error: GraphQLError): GraphQLError | undefined {
  const original = error.originalError;
  const code = original ? LIBRARY_REFUSALS.get(original.message) : undefined;
  if (!code) return undefined;
  const refusal = recoded(error, code, refusalError(code).message);
  logClientError(code, original!.message, error.path);
  return refusal;
}

/**
 * An error that `maskError` is done with, given a code if it still has none: `TC500` when it was
 * masked (an unexpected error: the client has its id, the log its details), `TC517` otherwise (an
 * error of the request itself that GraphQL reported).
 */
export function withCode(error: GraphQLError, masked: boolean): GraphQLError {
  if (typeof error.extensions?.code === "string") return error;
  return recoded(error, masked ? "TC500" : "TC517");
}

/**
 * GraphQL's message without the values it quotes from the request (`…, found "x"`, `…: 123`), which
 * may be a client's secret: what the log keeps of a request error.
 */
export function reasonOf(message: string): string {
  return cut(message.split(/, found |: |; /)[0], 120);
}

interface ErrorsBody {
  errors?: { message?: unknown; extensions?: Record<string, unknown> }[];
}

/** The JSON of a response body whose errors all have a code (TC517 for those without), or null when nothing changed. */
export function withCodes(body: unknown): ErrorsBody | null {
  const errors = (body as ErrorsBody | null)?.errors;
  if (!Array.isArray(errors) || errors.every((error) => typeof error?.extensions?.code === "string")) return null;
  return {
    ...(body as ErrorsBody),
    errors: errors.map((error) => {
      if (typeof error?.extensions?.code === "string") return error;
      logClientError("TC517", reasonOf(String(error?.message)));
      return { ...error, extensions: { ...error?.extensions, code: "TC517" } };
    }),
  };
}

/** An Accept header that names no media type of its own: absent, or only `*\/*`. */
function acceptsAnything(accept: string | undefined): boolean {
  return accept === undefined || accept.trim() === "" || /^\s*\*\/\*\s*(;[^,]*)?$/.test(accept);
}

/**
 * `application/json` for clients that accept anything (grafserv would pick
 * `application/graphql-response+json`), and a code on every error of a GraphQL response, whatever
 * produced it (grafserv's validation errors are not masked).
 */
export const RequestErrorsPlugin: GraphileConfig.Plugin = {
  name: "TelecomRequestErrorsPlugin",
  version: "1.0.0",
  grafserv: {
    middleware: {
      async processRequest(next, event) {
        const headers = event.requestDigest.headers as Record<string, string | undefined>;
        if (acceptsAnything(headers.accept)) headers.accept = "application/json";
        const result = await next();
        if (result?.type === "buffer" && String(result.headers["content-type"]).includes("json") && result.buffer.includes('"errors"')) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(result.buffer.toString("utf8"));
          } catch {
            return result;
          }
          const coded = withCodes(parsed);
          if (coded) {
            result.buffer = Buffer.from(JSON.stringify(coded), "utf8");
            result.headers["content-length"] = String(result.buffer.length);
          }
        } else if (result?.type === "json") {
          const coded = withCodes(result.json);
          if (coded) result.json = coded as typeof result.json;
        }
        return result;
      },
    },
  },
};

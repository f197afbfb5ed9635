/**
 * The client that sends GraphQL documents (the document function itself is shared with the bench:
 * shared/graphql.ts).
 */
import type { TadaDocumentNode } from "gql.tada";
import { compiled } from "../../../shared/graphql.ts";

export { compiled, graphql, nodesOf, type CompiledDocument, type ResultOf, type VariablesOf } from "../../../shared/graphql.ts";

/** The first error the server returned: the database's own message and its SQLSTATE (or GraphQL code). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly status = 200,
    /** Seconds to wait before trying again (a throttled login or code, TC220). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** The login is no longer accepted (expired, or signed with another secret). */
  get endsSession(): boolean {
    return this.status === 401 || this.code === "TC201" || this.code === "TC202";
  }
}

interface Response<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; retryAfter?: number } }[];
}

export interface RequestOptions {
  /** The session's token; none for a visitor. */
  token?: string | null;
  signal?: AbortSignal;
}

/** POST /graphql with the document's text and id; a GraphQL error is thrown as an ApiError. */
export async function request<Result, Variables>(
  document: TadaDocumentNode<Result, Variables>,
  variables: Variables,
  { token, signal }: RequestOptions = {},
): Promise<Result> {
  const { id, text } = compiled(document);
  const response = await fetch("/graphql", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query: text, ...(id ? { documentId: id } : {}), variables }),
    signal,
  });
  let body: Response<Result>;
  try {
    body = (await response.json()) as Response<Result>;
  } catch {
    throw new ApiError(`The server answered ${response.status} ${response.statusText}.`, String(response.status), response.status);
  }
  const first = body.errors?.[0];
  if (first) throw new ApiError(first.message, first.extensions?.code, response.status, first.extensions?.retryAfter);
  if (!body.data) throw new ApiError(`The server answered ${response.status} without data.`, String(response.status), response.status);
  return body.data;
}

/** Numbers that PostgreSQL returns as numeric arrive as strings (BigFloat); show them with two decimals. */
export function money(value: string | number | null | undefined, lang = "en"): string {
  if (value == null || value === "") return "—";
  return Number(value).toLocaleString(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** A small typed GraphQL client: POST /graphql with the session's token; GraphQL errors are thrown. */
import { logOut, token } from "./session.ts";

/** The first error the server returned: the database's own message and its SQLSTATE (or GraphQL code). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

interface Response<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function graphql<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
  const bearer = token();
  const response = await fetch("/graphql", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  let body: Response<T>;
  try {
    body = (await response.json()) as Response<T>;
  } catch {
    throw new ApiError(`The server answered ${response.status} ${response.statusText}.`, String(response.status));
  }
  const first = body.errors?.[0];
  if (first) {
    // A token the server rejects (expired, wrong secret) ends the session; the shell goes back to login.
    if (response.status === 401 || first.extensions?.code === "UNAUTHENTICATED") {
      logOut();
      window.dispatchEvent(new CustomEvent("session-ended"));
    }
    throw new ApiError(first.message, first.extensions?.code);
  }
  if (!body.data) throw new ApiError(`The server answered ${response.status} without data.`, String(response.status));
  return body.data;
}

/** Connection results come back as `{ nodes: [...] }`. */
export interface Nodes<T> {
  nodes: T[];
}

/** Numbers that PostgreSQL returns as numeric arrive as strings (BigFloat); show them with two decimals. */
export function money(value: string | number | null | undefined): string {
  if (value == null || value === "") return "—";
  return Number(value).toLocaleString("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

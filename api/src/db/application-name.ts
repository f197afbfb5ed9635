/**
 * Who is connected (docs/observability.md): every component of the project connects with its own
 * `application_name`, which `pg_stat_activity` and the server log's `%a` show. It is written into the
 * connection string, the one thing node-postgres, graphile-migrate and libpq's tools (psql, pg_dump,
 * pgbench) all read, so every pool and client made from a component's URLs carries it.
 */
import type { DatabaseUrls } from "./cluster.ts";

export type Component =
  | "api"
  | "maintenance"
  | "migrate"
  | "usage-load"
  | "usage-simulate"
  | "seed"
  | "clear"
  | "schema-docs"
  | "bench"
  | "bank"
  | "test"
  | "admin-create";

/** `url` with `application_name=component` (replacing one it had). */
export function connectingAs(url: string, component: Component): string {
  const parsed = new URL(url);
  parsed.searchParams.set("application_name", component);
  return parsed.toString();
}

/** Every connection string of `urls`, connecting as `component`. */
export function urlsConnectingAs(urls: DatabaseUrls, component: Component): DatabaseUrls {
  const optional = (url: string | undefined) => url && connectingAs(url, component);
  return {
    root: optional(urls.root),
    owner: connectingAs(urls.owner, component),
    shadow: optional(urls.shadow),
    authenticator: connectingAs(urls.authenticator, component),
  };
}

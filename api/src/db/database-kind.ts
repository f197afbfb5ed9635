/**
 * A database is made either for development (the sample operator and its demo logins) or for
 * production (neither), and says which itself: `telecom_private.database_kind()`, written once by the
 * migration that creates it, from DATABASE_KIND (migrationEnv sets it from NODE_ENV). The commands
 * that would empty, rebuild or fill a database ask the database first (docs/production.md).
 */
import { withClient } from "./client.ts";
import { redact } from "./cluster.ts";

export type DatabaseKind = "development" | "production";

/** The kind of a database this process creates: production under NODE_ENV=production, development otherwise. */
export function kindOfNewDatabases(): DatabaseKind {
  return process.env.NODE_ENV === "production" ? "production" : "development";
}

/** Thrown before a command changes anything, with the message it prints (no stack trace: nothing went wrong). */
export class DatabaseRefusal extends Error {}

/**
 * What the database of `url` records: its kind; "unrecorded" when it has none (a database created
 * before databases recorded their kind and not migrated since, or not a Telecom database); undefined
 * when it does not exist.
 */
export async function recordedKind(url: string): Promise<DatabaseKind | "unrecorded" | undefined> {
  try {
    return await withClient(url, async (client) => {
      const { rows } = await client.query<{ known: boolean }>(
        "select to_regprocedure('telecom_private.database_kind()') is not null as known",
      );
      if (!rows[0].known) return "unrecorded";
      const { rows: kinds } = await client.query<{ kind: DatabaseKind | null }>("select telecom_private.database_kind() as kind");
      return kinds[0].kind ?? "unrecorded";
    });
  } catch (error) {
    // invalid_catalog_name: there is no such database, so there is nothing in it to lose.
    if ((error as { code?: string }).code === "3D000") return undefined;
    throw error;
  }
}

/** The database's name and where it is, for a message: `"telecom" (postgres://telecom_owner:***@db:5432/telecom)`. */
export function nameOf(url: string): string {
  return `"${decodeURIComponent(new URL(url).pathname.slice(1))}" (${redact(url)})`;
}

/**
 * Refuses (DatabaseRefusal) to `action` the database of `url` unless it is recorded as a development
 * database or does not exist yet. `action` completes "Refusing to … database X", e.g. "empty".
 */
export async function assertDevelopmentDatabase(url: string, action: string): Promise<void> {
  const kind = await recordedKind(url);
  if (kind === undefined || kind === "development") return;
  const why =
    kind === "production"
      ? "it is a production database (recorded when it was created)"
      : "it does not record whether it is a development or a production database " +
        "(it was created before databases recorded their kind, or it is not a Telecom database); " +
        "a development database records it at its next `npm run db:migrate` without NODE_ENV=production";
  throw new DatabaseRefusal(`Refusing to ${action} database ${nameOf(url)}: ${why}. Nothing was changed.`);
}

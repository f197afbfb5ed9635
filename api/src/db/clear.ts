/** docs/api.md's clearAllTables: empties every table of the two schemas and keeps the schema. */
import type pg from "pg";
import { withClient } from "./client.ts";

/**
 * Truncates every table of `telecom` and `telecom_private`, read from the catalog so tables added by
 * later migrations are included, in one statement (foreign keys between them never block it), and
 * restarts their identity sequences. Takes a connected client (its transaction, if any, applies) or
 * a connection string. Returns the qualified names of the tables emptied.
 */
export async function clearAllTables(target: pg.ClientBase | string): Promise<string[]> {
  if (typeof target === "string") {
    return withClient(target, (client) => clearAllTables(client));
  }
  const { rows } = await target.query<{ name: string }>(
    `select format('%I.%I', namespace.nspname, class.relname) as name
     from pg_catalog.pg_class as class
     inner join pg_catalog.pg_namespace as namespace
       on namespace.oid = class.relnamespace
     where namespace.nspname in ('telecom', 'telecom_private')
       and class.relkind in ('r', 'p')
       and not class.relispartition
     order by namespace.nspname, class.relname`,
  );
  const names = rows.map((row) => row.name);
  if (names.length > 0) await target.query(`truncate table ${names.join(", ")} restart identity cascade`);
  return names;
}

/** docs/api.md's clearAllTables: empties every table of the two schemas and keeps the schema. */
import type pg from "pg";
import { withClient } from "./client.ts";

/**
 * Truncates every table of `telecom` and `telecom_private`, read from the catalog so tables added by
 * later migrations are included, in one statement (foreign keys between them never block it), and
 * restarts their identity sequences. Tables whose comment carries the tag `@schemaData` (the registry
 * of error codes, the database's kind) are the schema's own data and stay. Money history refuses
 * TRUNCATE (TC020) except in a transaction that sets `telecom.clearing` on a development database
 * (docs/operations.md), so a production database is never emptied. With a connection string the
 * work is its own transaction; a client must already be in one (the setting lasts until its end).
 * Returns the qualified names of the tables emptied.
 */
export async function clearAllTables(target: pg.ClientBase | string): Promise<string[]> {
  if (typeof target === "string") {
    return withClient(target, async (client) => {
      await client.query("begin");
      try {
        const names = await clearAllTables(client);
        await client.query("commit");
        return names;
      } catch (error) {
        await client.query("rollback");
        throw error;
      }
    });
  }
  const { rows } = await target.query<{ name: string }>(
    `select format('%I.%I', namespace.nspname, class.relname) as name
     from pg_catalog.pg_class as class
     inner join pg_catalog.pg_namespace as namespace
       on namespace.oid = class.relnamespace
     where namespace.nspname in ('telecom', 'telecom_private')
       and class.relkind in ('r', 'p')
       and not class.relispartition
       and coalesce(pg_catalog.obj_description(class.oid, 'pg_class'), '') !~ '(^|\\n)@schemaData(\\n|$)'
     order by namespace.nspname, class.relname`,
  );
  const names = rows.map((row) => row.name);
  await target.query("set local telecom.clearing = 'on'");
  if (names.length > 0) await target.query(`truncate table ${names.join(", ")} restart identity cascade`);
  return names;
}

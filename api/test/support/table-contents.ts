/** What a database holds, table by table, to show that something changed no row. */
import type pg from "pg";

/** Every table of telecom and telecom_private: its row count and a digest of its rows. */
export async function tableContents(db: pg.ClientBase): Promise<Record<string, string>> {
  const { rows: tables } = await db.query<{ name: string }>(
    `select format('%I.%I', namespace.nspname, class.relname) as name
     from pg_catalog.pg_class as class
     inner join pg_catalog.pg_namespace as namespace on namespace.oid = class.relnamespace
     where namespace.nspname in ('telecom', 'telecom_private') and class.relkind = 'r'
     order by 1`,
  );
  const result: Record<string, string> = {};
  for (const { name } of tables) {
    const { rows } = await db.query<{ digest: string }>(
      `select count(*) || ' ' || coalesce(md5(string_agg(row_text, '|' order by row_text)), '') as digest
       from (select t::text as row_text from ${name} as t) as table_rows`,
    );
    result[name] = rows[0].digest;
  }
  return result;
}

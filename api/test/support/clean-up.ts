/**
 * Removes committed test data (servers and browsers see only committed rows) without a list of
 * tables: every table of `telecom` and `telecom_private` is read from the catalog. A row goes when it
 * is one the builder made (found by its key), when its text names one of the builder's names as a
 * whole word (the national ids and numbers it handed out: `customer:800000012` and
 * `code:01800000013` name them too), or when one of its foreign keys (pg_constraint) leads to a row
 * that went. As rows go, the text and uuid values of their primary keys become names too: an
 * account's number, a usage event's id (which usage_event_key holds without a foreign key). Rounds
 * repeat until one removes nothing more. Money history is append-only for every writer, so this runs
 * as a superuser with triggers disabled on purpose (session_replication_role = replica, which also
 * skips the foreign-key checks), in one transaction.
 */
import pg from "pg";
import { getRootPool } from "./database.ts";

/** A row the builder made: its table and the values of its primary key. */
export interface BuiltRow {
  relation: string;
  key: Record<string, unknown>;
}

interface Table {
  name: string;
  /** The foreign keys of the table, each with the columns on both sides. */
  parents: { parent: string; columns: string[]; parentColumns: string[] }[];
}

/** The tables of both schemas (a partitioned table once, not its partitions), with their foreign keys. */
async function tables(db: pg.ClientBase): Promise<Table[]> {
  const { rows } = await db.query<{ name: string; parents: Table["parents"] }>(
    `select format('%I.%I', namespace.nspname, class.relname) as name,
       coalesce((
         select json_agg(json_build_object(
           'parent', constraint_.confrelid::regclass::text,
           'columns', array(select attname from unnest(constraint_.conkey) with ordinality as key (attnum, position)
             inner join pg_catalog.pg_attribute using (attnum) where attrelid = constraint_.conrelid order by position),
           'parentColumns', array(select attname from unnest(constraint_.confkey) with ordinality as key (attnum, position)
             inner join pg_catalog.pg_attribute using (attnum) where attrelid = constraint_.confrelid order by position)))
         from pg_catalog.pg_constraint as constraint_
         where constraint_.conrelid = class.oid and constraint_.contype = 'f'
       ), '[]') as parents
     from pg_catalog.pg_class as class
     inner join pg_catalog.pg_namespace as namespace on namespace.oid = class.relnamespace
     where namespace.nspname in ('telecom', 'telecom_private') and class.relkind in ('r', 'p') and not class.relispartition
     order by 1`,
  );
  return rows;
}

/** The names as one regular expression of whole words, or null when there are none. */
const PATTERN = String.raw`(select '\m(' || string_agg(regexp_replace(name, '([^[:alnum:]])', '\\\1', 'g'), '|') || ')\M' from doomed_name)`;

/** Deletes the rows of `table` that go in this round, keeping them in `doomed`. */
function deleteStatement({ name, parents }: Table): string {
  const reasons = [
    `target::text ~ ${PATTERN}`,
    `exists (select from doomed_key where relation = '${name}'::regclass and to_jsonb(target) @> key)`,
    ...parents.map(
      ({ parent, columns, parentColumns }) =>
        `(${columns.map((column) => `to_jsonb(target.${pg.escapeIdentifier(column)})`).join(", ")}) in
         (select ${parentColumns.map((column) => `content -> ${pg.escapeLiteral(column)}`).join(", ")} from doomed where relation = '${parent}'::regclass)`,
    ),
  ];
  return `with gone as (delete from ${name} as target where ${reasons.join(" or ")} returning target.*)
    insert into doomed select '${name}'::regclass, to_jsonb(gone) from gone;`;
}

/** The text and uuid values of the primary keys of the rows gone become names. */
const KEYS_AS_NAMES = `
  insert into doomed_name (name)
  select distinct doomed.content ->> attribute.attname
  from doomed
  inner join pg_catalog.pg_constraint as key on key.conrelid = doomed.relation and key.contype = 'p'
  inner join pg_catalog.pg_attribute as attribute on attribute.attrelid = doomed.relation and attribute.attnum = any (key.conkey)
  where attribute.atttypid in ('text'::regtype, 'uuid'::regtype)
  on conflict do nothing`;

/** Deletes every row the builder made or named and every row that depends on them. */
export async function deleteTestData(names: Iterable<string>, built: BuiltRow[]): Promise<void> {
  const db = await getRootPool().connect();
  await db.query("begin");
  try {
    await db.query("set local session_replication_role = replica");
    await db.query(`create temp table doomed (relation regclass not null, content jsonb not null) on commit drop;
      create temp table doomed_name (name text primary key) on commit drop;
      create temp table doomed_key (relation regclass not null, key jsonb not null) on commit drop;`);
    await db.query("insert into doomed_name select distinct unnest($1::text[])", [[...names]]);
    await db.query(
      "insert into doomed_key select (built ->> 'relation')::regclass, built -> 'key' from jsonb_array_elements($1::jsonb) as built",
      [JSON.stringify(built)],
    );
    const round = (await tables(db)).map(deleteStatement).join("\n");
    let gone = 0;
    for (;;) {
      await db.query(round);
      await db.query(KEYS_AS_NAMES);
      const { rows } = await db.query<{ gone: number }>("select count(*)::integer as gone from doomed");
      if (rows[0].gone === gone) break;
      gone = rows[0].gone;
    }
    await db.query("commit");
  } catch (error) {
    await db.query("rollback");
    throw error;
  } finally {
    db.release();
  }
}

/** The committed rows of every table of both schemas, counted (read from the catalog, as the clean-up does). */
export async function rowCounts(): Promise<Record<string, number>> {
  const db = await getRootPool().connect();
  try {
    const counts: Record<string, number> = {};
    for (const { name } of await tables(db)) {
      counts[name] = (await db.query<{ count: number }>(`select count(*)::integer as count from ${name}`)).rows[0].count;
    }
    return counts;
  } finally {
    db.release();
  }
}

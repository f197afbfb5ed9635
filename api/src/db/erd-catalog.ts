/**
 * The tables of `telecom` and `telecom_private` as the PostgreSQL catalog describes them: columns,
 * keys, foreign keys and trigger functions. The ER diagram is drawn from this model, so it shows what
 * the migrations built, never what someone remembers.
 */
import pg from "pg";

export const DIAGRAM_SCHEMAS = ["telecom", "telecom_private"];

export interface Column {
  name: string;
  /** As `format_type` prints it, without the schema (the diagram is about one database). */
  type: string;
  notNull: boolean;
}

export interface ForeignKey {
  columns: string[];
  /** Qualified name of the referenced table, `schema.table`. */
  parent: string;
  parentColumns: string[];
}

export interface Table {
  schema: string;
  name: string;
  /** `schema.table`: how foreign keys name it. */
  qualifiedName: string;
  columns: Column[];
  primaryKey: string[];
  /** Unique constraints and unique indexes on plain columns, without a predicate. */
  uniqueKeys: string[][];
  foreignKeys: ForeignKey[];
  /** Qualified names of the functions its own triggers run. */
  triggerFunctions: string[];
}

/** Base and partitioned tables (never a partition: it repeats its parent). */
const TABLES = `
select
  class.oid,
  namespace.nspname as schema,
  class.relname as name
from pg_catalog.pg_class as class
inner join pg_catalog.pg_namespace as namespace
  on namespace.oid = class.relnamespace
where namespace.nspname = any($1)
  and class.relkind in ('r', 'p')
  and not class.relispartition`;

// Types are printed without their schema so the text does not depend on the session's search_path.
const COLUMNS = `
select
  attribute.attrelid as table_oid,
  attribute.attname as name,
  regexp_replace(
    pg_catalog.format_type(attribute.atttypid, attribute.atttypmod),
    '^(public|pg_catalog|telecom|telecom_private)\\.',
    ''
  ) as type,
  attribute.attnotnull as not_null
from pg_catalog.pg_attribute as attribute
where attribute.attrelid = any($1::oid[])
  and attribute.attnum > 0
  and not attribute.attisdropped
order by attribute.attrelid, attribute.attnum`;

// Unique indexes also back primary keys and unique constraints; partial and expression indexes do
// not make a column unique, and INCLUDE columns are not part of the key.
const UNIQUE_KEYS = `
select
  index.indrelid as table_oid,
  index.indisprimary as is_primary,
  array(
    select attribute.attname::text
    from unnest(index.indkey) with ordinality as key (attnum, ordinal)
    inner join pg_catalog.pg_attribute as attribute
      on attribute.attrelid = index.indrelid
      and attribute.attnum = key.attnum
    where key.ordinal <= index.indnkeyatts
    order by key.ordinal
  ) as columns
from pg_catalog.pg_index as index
where index.indrelid = any($1::oid[])
  and index.indisunique
  and index.indpred is null
  and index.indexprs is null`;

/** The names of a foreign key's columns on one side: `conkey` of `conrelid`, or `confkey` of `confrelid`. */
const keyColumns = (keys: "conkey" | "confkey", table: "conrelid" | "confrelid") => `array(
    select attribute.attname::text
    from unnest(foreign_key.${keys}) with ordinality as key (attnum, ordinal)
    inner join pg_catalog.pg_attribute as attribute
      on attribute.attrelid = foreign_key.${table}
      and attribute.attnum = key.attnum
    order by key.ordinal
  )`;

const FOREIGN_KEYS = `
select
  foreign_key.conrelid as table_oid,
  format('%s.%s', parent_namespace.nspname, parent.relname) as parent,
  ${keyColumns("conkey", "conrelid")} as columns,
  ${keyColumns("confkey", "confrelid")} as parent_columns
from pg_catalog.pg_constraint as foreign_key
inner join pg_catalog.pg_class as parent
  on parent.oid = foreign_key.confrelid
inner join pg_catalog.pg_namespace as parent_namespace
  on parent_namespace.oid = parent.relnamespace
where foreign_key.contype = 'f'
  and foreign_key.conrelid = any($1::oid[])
  and foreign_key.confrelid = any($1::oid[])`;

const TRIGGER_FUNCTIONS = `
select distinct
  trigger.tgrelid as table_oid,
  format('%s.%s', namespace.nspname, function.proname) as function
from pg_catalog.pg_trigger as trigger
inner join pg_catalog.pg_proc as function
  on function.oid = trigger.tgfoid
inner join pg_catalog.pg_namespace as namespace
  on namespace.oid = function.pronamespace
where trigger.tgrelid = any($1::oid[])
  and not trigger.tgisinternal`;

/**
 * Every table of the diagram's schemas, with its columns in their order and its keys. Lists are sorted
 * here rather than in SQL, where the order would depend on the database's collation.
 */
export async function readTables(client: pg.ClientBase, schemas: string[] = DIAGRAM_SCHEMAS): Promise<Table[]> {
  const { rows: tableRows } = await client.query<{ oid: number; schema: string; name: string }>(TABLES, [schemas]);
  const byOid = new Map<number, Table>();
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  tableRows.sort((a, b) => byText(a.schema, b.schema) || byText(a.name, b.name));
  for (const row of tableRows) {
    byOid.set(Number(row.oid), {
      schema: row.schema,
      name: row.name,
      qualifiedName: `${row.schema}.${row.name}`,
      columns: [],
      primaryKey: [],
      uniqueKeys: [],
      foreignKeys: [],
      triggerFunctions: [],
    });
  }
  const oids = [...byOid.keys()];
  const tableOf = (oid: number) => byOid.get(Number(oid))!;

  const columns = await client.query<{ table_oid: number; name: string; type: string; not_null: boolean }>(COLUMNS, [oids]);
  for (const row of columns.rows) tableOf(row.table_oid).columns.push({ name: row.name, type: row.type, notNull: row.not_null });

  const keys = await client.query<{ table_oid: number; is_primary: boolean; columns: string[] }>(UNIQUE_KEYS, [oids]);
  for (const row of keys.rows) {
    const table = tableOf(row.table_oid);
    if (row.is_primary) table.primaryKey = row.columns;
    else table.uniqueKeys.push(row.columns);
  }

  const foreignKeys = await client.query<{ table_oid: number; parent: string; columns: string[]; parent_columns: string[] }>(FOREIGN_KEYS, [
    oids,
  ]);
  for (const row of foreignKeys.rows) {
    tableOf(row.table_oid).foreignKeys.push({ columns: row.columns, parent: row.parent, parentColumns: row.parent_columns });
  }

  const triggers = await client.query<{ table_oid: number; function: string }>(TRIGGER_FUNCTIONS, [oids]);
  for (const row of triggers.rows) tableOf(row.table_oid).triggerFunctions.push(row.function);

  for (const table of byOid.values()) {
    table.uniqueKeys.sort((a, b) => byText(a.join(), b.join()));
    table.foreignKeys.sort((a, b) => byText(a.parent, b.parent) || byText(a.columns.join(), b.columns.join()));
    table.triggerFunctions.sort(byText);
  }
  return [...byOid.values()];
}

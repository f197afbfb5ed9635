/**
 * docs/dba.md's entity-relationship diagram: the tables of `telecom` and `telecom_private` as a Mermaid
 * `erDiagram`, drawn from the catalog. The text is sorted, so the same schema always gives the same
 * text and a test can compare it with the committed copy.
 */
import pg from "pg";
import { readTables, type ForeignKey, type Table } from "./erd-catalog.ts";

/** What a specialisation's relations say (docs/dba.md), instead of the key column. */
export const SPECIALISATION_LABEL = "is a (disjoint)";

export async function entityRelationshipDiagram(client: pg.ClientBase): Promise<string> {
  const tables = await readTables(client);
  const byName = new Map(tables.map((table) => [table.qualifiedName, table]));
  const specialisations = disjointSubtypes(tables);
  const entities = tables.map(entity);
  const relations = tables
    .flatMap((child) => child.foreignKeys.map((foreignKey) => relation(byName.get(foreignKey.parent)!, child, foreignKey, specialisations)))
    .sort();
  return ["erDiagram", ...entities, ...relations].join("\n") + "\n";
}

/**
 * Mermaid names: the exposed schema's tables by their own name, the private ones prefixed with their
 * schema and shown by an alias with the real name (older Mermaid versions, such as GitHub's may be,
 * do not accept a dot in a name).
 */
function entityName(table: Table): string {
  return table.schema === "telecom" ? table.name : `${table.schema}__${table.name}`;
}

function entityHeader(table: Table): string {
  return table.schema === "telecom" ? table.name : `${entityName(table)}["${table.qualifiedName}"]`;
}

/**
 * A table and its columns with their keys. UK marks a column that is unique alone; a column of a
 * unique key of several columns says which, since UK alone would claim it is unique by itself.
 */
function entity(table: Table): string {
  const foreignKeyColumns = new Set(table.foreignKeys.flatMap((foreignKey) => foreignKey.columns));
  const attributes = table.columns.map((column) => {
    const uniqueKeys = table.uniqueKeys.filter((key) => key.includes(column.name));
    const markers = [
      table.primaryKey.includes(column.name) && "PK",
      foreignKeyColumns.has(column.name) && "FK",
      uniqueKeys.some((key) => key.length === 1) && "UK",
    ].filter(Boolean);
    const composite = uniqueKeys.filter((key) => key.length > 1).map((key) => `unique (${key.join(", ")})`);
    return [
      `    ${mermaidType(column.type)} ${column.name}`,
      markers.length ? ` ${markers.join(", ")}` : "",
      composite.length ? ` "${composite.join("; ")}"` : "",
    ].join("");
  });
  return [`  ${entityHeader(table)} {`, ...attributes, "  }"].join("\n");
}

/** A Mermaid attribute type is one word: the long SQL names get their short forms, other spaces an underscore. */
function mermaidType(type: string): string {
  return type
    .replace(/^timestamp(\(\d+\))? with time zone/, "timestamptz$1")
    .replace(/^timestamp(\(\d+\))? without time zone/, "timestamp$1")
    .replace(/^time(\(\d+\))? with time zone/, "timetz$1")
    .replace(/^time(\(\d+\))? without time zone/, "time$1")
    .replace(/^character varying/, "varchar")
    .replace(/^character/, "char")
    .replace(/^double precision/, "float8")
    .replace(/ /g, "_");
}

/**
 * One foreign key as a relation, the parent on the left. Parent side: exactly one when every key
 * column is `not null`, else zero or one. Child side: zero or one when the key columns are unique in
 * the child (they contain its primary key or a unique key), else zero or more.
 */
function relation(parent: Table, child: Table, foreignKey: ForeignKey, specialisations: Set<ForeignKey>): string {
  const notNull = foreignKey.columns.every((name) => child.columns.find((column) => column.name === name)?.notNull);
  const unique = [child.primaryKey, ...child.uniqueKeys].some(
    (key) => key.length > 0 && key.every((name) => foreignKey.columns.includes(name)),
  );
  const label = specialisations.has(foreignKey) ? SPECIALISATION_LABEL : foreignKey.columns.join(", ");
  return `  ${entityName(parent)} ${notNull ? "||" : "|o"}--${unique ? "o|" : "o{"} ${entityName(child)} : "${label}"`;
}

/**
 * A specialisation, as the catalog shows one: two or more subtypes whose primary key references the
 * same parent's primary key, kept disjoint by one trigger function that they all run (docs/data-model.md: a
 * shop is physical or online, not both). Returns the foreign keys that make the subtypes.
 */
function disjointSubtypes(tables: Table[]): Set<ForeignKey> {
  const byName = new Map(tables.map((table) => [table.qualifiedName, table]));
  const groups = new Map<string, { child: Table; foreignKey: ForeignKey }[]>();
  for (const child of tables) {
    for (const foreignKey of child.foreignKeys) {
      const parent = byName.get(foreignKey.parent)!;
      if (
        parent !== child &&
        sameColumns(foreignKey.columns, child.primaryKey) &&
        sameColumns(foreignKey.parentColumns, parent.primaryKey)
      ) {
        groups.set(parent.qualifiedName, [...(groups.get(parent.qualifiedName) ?? []), { child, foreignKey }]);
      }
    }
  }
  const subtypes = new Set<ForeignKey>();
  for (const group of groups.values()) {
    const [first, ...others] = group;
    const shared = first.child.triggerFunctions.filter((name) => others.every(({ child }) => child.triggerFunctions.includes(name)));
    if (others.length > 0 && shared.length > 0) for (const { foreignKey } of group) subtypes.add(foreignKey);
  }
  return subtypes;
}

function sameColumns(a: string[], b: string[]): boolean {
  return a.length > 0 && a.length === b.length && a.every((name) => b.includes(name));
}

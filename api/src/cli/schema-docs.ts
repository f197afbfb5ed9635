/**
 * `npm run db:docs`: rebuilds the generated schema files (sql/schema.sql, sql/schema.graphql, the
 * error codes, the diagram) from the migrations on a PostgreSQL 15 of its own. The project's
 * db:watch, db:commit and db:reset do this themselves; `.gmrc` runs it after a bare graphile-migrate
 * run, so `graphile-migrate watch` keeps the files current too (docs/dba.md).
 */
import { updateSchemaDocsOnce } from "../db/schema-docs.ts";

const changed = await updateSchemaDocsOnce();
console.log(changed.length ? `Schema documentation updated: ${changed.join(", ")}.` : "Schema documentation is up to date.");

/** The GraphQL schema the server serves, as SDL text (`sql/schema.graphql`, SPEC §13). */
import "./graphile-env.ts";
import type pg from "pg";
import { makeSchema } from "postgraphile";
import { printSchema } from "postgraphile/graphql";
import { makePreset } from "./preset.ts";

/** Introspects the database through `pool` (authenticator connections) exactly as the server does. */
export async function printGraphqlSchema(pool: pg.Pool): Promise<string> {
  // The secret signs tokens at run time only; it leaves no trace in the schema.
  const { schema } = await makeSchema(makePreset({ pool, jwtSecret: "schema-only", statementTimeoutMs: 1_000 }));
  return `${printSchema(schema)}\n`;
}

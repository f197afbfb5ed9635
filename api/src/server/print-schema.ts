/**
 * The GraphQL schema the server serves, as SDL: the same preset as `npm start` (makePreset), built
 * once against a database and printed. `sql/schema.graphql` is this text for a database built from
 * the migrations; the web app's documents are typed and checked against that file.
 */
import "./graphile-env.ts";
import pg from "pg";
import { makeSchema } from "postgraphile";
import { printSchema } from "postgraphile/graphql";
import { makePreset } from "./preset.ts";
import { loadTrustedDocuments } from "./trusted-documents.ts";

/**
 * `url`: the database as the API server connects to it (the authenticator, `AUTH_DATABASE_URL`) for
 * the schema that is served. PostGraphile reads the grants too, so an owner URL prints a larger
 * schema (create mutations no API role may use). The secret is a placeholder: printing signs nothing.
 */
export async function printGraphqlSchema(url: string): Promise<string> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const { schema } = await makeSchema(
      makePreset({
        pool,
        jwtSecret: "schema-printing-signs-nothing",
        statementTimeoutMs: 5_000,
        // Development: the schema is the same in production, where only its introspection is gated.
        production: false,
        trustedDocuments: loadTrustedDocuments(null),
      }),
    );
    return `${printSchema(schema)}\n`;
  } finally {
    await pool.end();
  }
}

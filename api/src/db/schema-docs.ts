/**
 * The schema as documentation (docs/dba.md): `sql/schema.sql` (the whole current schema as pg_dump
 * prints it), `sql/schema.graphql` (the whole GraphQL schema), the error codes (error-codes.ts) and
 * the entity-relationship diagram,
 * all built from the migrations on PostgreSQL 15. Debian offers only pg_dump 15, which refuses newer
 * servers, and 15 is the lowest version we support, so building there also proves the migrations on it.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { withClient } from "./client.ts";
import { freePort, startEmbedded, type Database } from "./cluster.ts";
import { writeErdDocs } from "./erd-docs.ts";
import { ERROR_CODES_MARKDOWN, ERROR_CODES_TYPESCRIPT, errorCodesMarkdown, errorCodesTypescript, registeredCodes } from "./error-codes.ts";
import { migrationsDir, projectRoot } from "../paths.ts";
import { resetDatabase } from "./migrations.ts";
import { printGraphqlSchema } from "../server/print-schema.ts";

/** The files this module writes, relative to the project root. */
export const SCHEMA_SQL = "sql/schema.sql";
export const SCHEMA_GRAPHQL = "sql/schema.graphql";

/** pg_dump prints a random `\restrict` key unless it is given one: a fixed key keeps the text stable. */
const RESTRICT_KEY = "telecom";

/**
 * The monthly partitions of telecom.usage_event are named after their month and made relative to
 * today (ensure_usage_partitions), so the dump leaves them out: it would change every month. The
 * partitioned table itself, its indexes and the function that makes the partitions are dumped.
 */
const DATED_TABLES = "telecom_private.usage_event_p[0-9][0-9][0-9][0-9]_[0-9][0-9]";

export type SchemaDocs = Record<string, string>;

/** pg_dump 15: PG_DUMP, Debian's postgresql-client-15, or the pg_dump on the PATH. */
function pgDump15(): string {
  if (process.env.PG_DUMP) return process.env.PG_DUMP;
  const debian = "/usr/lib/postgresql/15/bin/pg_dump";
  return fs.existsSync(debian) ? debian : "pg_dump";
}

async function dumpSchemaSql(url: string): Promise<string> {
  const args = [
    "--schema-only",
    "--no-owner",
    `--restrict-key=${RESTRICT_KEY}`,
    "--exclude-schema=graphile_migrate",
    `--exclude-table=${DATED_TABLES}`,
    url,
  ];
  const { stdout } = await promisify(execFile)(pgDump15(), args, { maxBuffer: 64 * 1024 * 1024 }).catch((error: Error) => {
    throw new Error(`pg_dump 15 failed (apt-get install postgresql-client-15, or set PG_DUMP): ${error.message}`);
  });
  // The server's and pg_dump's minor versions say nothing about the schema.
  return stdout.replace(/^-- Dumped (from database|by pg_dump) version .*\n/gm, "");
}

/** A PostgreSQL 15 cluster in a temporary folder, running while the schema documentation is built. */
export class SchemaDocsBuilder {
  private constructor(
    private readonly db: Database,
    private readonly dir: string,
  ) {}

  static async start(): Promise<SchemaDocsBuilder> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "telecom-schema-docs-"));
    try {
      const db = await startEmbedded({
        dataDir: dir,
        port: await freePort(),
        databaseName: "telecom_docs",
        version: 15,
        application: "schema-docs",
      });
      return new SchemaDocsBuilder(db, dir);
    } catch (error) {
      // A cluster that did not start (Ctrl-C during initdb, say) leaves no folder behind either.
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Builds the database from the migrations (committed, then current) and documents it. */
  async build(): Promise<SchemaDocs> {
    await resetDatabase(this.db.urls);
    const codes = await withClient(this.db.urls.owner, registeredCodes);
    return {
      [SCHEMA_SQL]: await dumpSchemaSql(this.db.urls.owner),
      // As the server sees it: through the authenticator, whose grants decide what is exposed.
      [SCHEMA_GRAPHQL]: await printGraphqlSchema(this.db.urls.authenticator),
      [ERROR_CODES_MARKDOWN]: errorCodesMarkdown(codes),
      [ERROR_CODES_TYPESCRIPT]: errorCodesTypescript(codes),
    };
  }

  /** The schema as pg_dump prints it now, for tests that change the built database. */
  async dump(): Promise<string> {
    return dumpSchemaSql(this.db.urls.owner);
  }

  /** The built database's owner connection string. */
  get ownerUrl(): string {
    return this.db.urls.owner;
  }

  /**
   * Runs every rule file of migrations/fixtures again and returns the dump before and after: equal
   * dumps mean each file holds what the migrations built, so no rule was edited without a migration.
   */
  async replayFixtures(): Promise<{ before: string; after: string }> {
    const before = await dumpSchemaSql(this.db.urls.owner);
    await withClient(this.db.urls.owner, async (client) => {
      await client.query("set search_path to pg_catalog, public");
      for (const file of fixtureFiles()) await client.query(fs.readFileSync(file, "utf8"));
    });
    return { before, after: await dumpSchemaSql(this.db.urls.owner) };
  }

  /** Brings the ER diagram (docs/schema.md, docs/schema.svg, the README block) up to date with the built schema; returns the files rewritten. */
  async writeErd(): Promise<string[]> {
    return withClient(this.db.urls.owner, (client) => writeErdDocs(client));
  }

  /** Stops the cluster and removes its temporary folder (about 66 MB), also when the cluster had stopped already. */
  async stop(): Promise<void> {
    try {
      await this.db.stop();
    } finally {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

/** The rule files, area by area in the order of migrations/fixtures' folders. */
export function fixtureFiles(): string[] {
  const root = path.join(migrationsDir, "fixtures");
  return fs
    .readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".sql"))
    .sort()
    .map((file) => path.join(root, file));
}

function writeSchemaDocs(docs: SchemaDocs): void {
  for (const [file, text] of Object.entries(docs)) fs.writeFileSync(path.join(projectRoot, file), text);
}

/** Rebuilds every generated schema file (dump, GraphQL schema, error codes, diagram) with `builder`; returns the files that changed. */
export async function updateSchemaDocs(builder: SchemaDocsBuilder): Promise<string[]> {
  const docs = await builder.build();
  const changed = staleSchemaDocs(docs);
  writeSchemaDocs(docs);
  return [...changed, ...(await builder.writeErd())];
}

/** updateSchemaDocs on a cluster of its own. */
export async function updateSchemaDocsOnce(): Promise<string[]> {
  const builder = await SchemaDocsBuilder.start();
  try {
    return await updateSchemaDocs(builder);
  } finally {
    await builder.stop();
  }
}

/** The files whose committed text differs from `docs`. */
export function staleSchemaDocs(docs: SchemaDocs): string[] {
  const read = (file: string) => (fs.existsSync(path.join(projectRoot, file)) ? fs.readFileSync(path.join(projectRoot, file), "utf8") : "");
  return Object.entries(docs)
    .filter(([file, text]) => read(file) !== text)
    .map(([file]) => file);
}

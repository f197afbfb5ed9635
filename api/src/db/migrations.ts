/** graphile-migrate, driven with the settings of `.gmrc` and the connection strings of a Database. */
import fs from "node:fs";
import path from "node:path";
import JSON5 from "json5";
import pg from "pg";
import { commit, migrate, reset, watch, type Settings } from "graphile-migrate";
// graphile-migrate keeps its pools open and exits the process if one errors (as it does when the
// server stops): each command below closes them when it is done.
import { clearAllPools } from "graphile-migrate/dist/pgReal.js";
import { withDatabase, type DatabaseUrls } from "./cluster.ts";

export const projectRoot = path.resolve(import.meta.dirname, "../../..");

export function migrationSettings(urls: DatabaseUrls): Settings {
  const gmrc = JSON5.parse(fs.readFileSync(path.join(projectRoot, ".gmrc"), "utf8")) as Settings;
  return {
    ...gmrc,
    migrationsFolder: path.join(projectRoot, "migrations"),
    connectionString: urls.owner,
    rootConnectionString: urls.root,
    shadowConnectionString: urls.shadow,
  };
}

/** Environment for the bare graphile-migrate CLI (used by db:watch, which runs until Ctrl-C). */
export function migrationEnv(urls: DatabaseUrls): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: urls.owner,
    ...(urls.root ? { ROOT_DATABASE_URL: urls.root } : {}),
    ...(urls.shadow ? { SHADOW_DATABASE_URL: urls.shadow } : {}),
  };
}

/** Whether the database of `urls.owner` exists; answers only when a root connection is known. */
export async function databaseExists(urls: DatabaseUrls): Promise<boolean> {
  if (!urls.root) return true;
  const name = decodeURIComponent(new URL(urls.owner).pathname.slice(1));
  const client = new pg.Client({ connectionString: urls.root });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name]);
    return rowCount === 1;
  } finally {
    await client.end();
  }
}

/**
 * Brings the database up to the committed migrations. A database that does not exist yet is
 * created by `reset` (which also runs afterReset.sql); returns true in that case.
 */
export async function migrateDatabase(urls: DatabaseUrls): Promise<boolean> {
  const settings = migrationSettings(urls);
  const created = !(await databaseExists(urls));
  if (!created) await runAfterReset(urls, settings);
  await releasingPools(() => (created ? reset(settings) : migrate(settings)));
  return created;
}

/**
 * afterReset.sql is idempotent: run before the migrations of an existing database too, it creates
 * the roles and extensions a new migration needs (SPEC §2). graphile-migrate allows a superuser
 * action only after a reset, so it runs here. Without a root connection the roles must already exist.
 */
async function runAfterReset(urls: DatabaseUrls, settings: Settings): Promise<void> {
  if (!urls.root) return;
  const owner = new URL(urls.owner);
  const database = decodeURIComponent(owner.pathname.slice(1));
  const placeholders: Record<string, string> = {
    ...settings.placeholders,
    ":DATABASE_NAME": database,
    ":DATABASE_OWNER": decodeURIComponent(owner.username),
  };
  const sql = fs
    .readFileSync(path.join(projectRoot, "migrations", "afterReset.sql"), "utf8")
    .replace(/:[A-Z_]+\b/g, (name) => placeholders[name] ?? name);
  const client = new pg.Client({ connectionString: withDatabase(urls.root, database) });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Drops and recreates the database from the committed migrations, then applies the current migration. */
export async function resetDatabase(urls: DatabaseUrls): Promise<void> {
  const settings = migrationSettings(urls);
  await releasingPools(async () => {
    await reset(settings);
    await watch(settings, true);
  });
}

export async function applyCurrentMigration(urls: DatabaseUrls): Promise<void> {
  await releasingPools(() => watch(migrationSettings(urls), true));
}

export async function commitMigration(urls: DatabaseUrls, message?: string): Promise<void> {
  await releasingPools(() => commit(migrationSettings(urls), message));
}

async function releasingPools(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } finally {
    clearAllPools();
  }
}

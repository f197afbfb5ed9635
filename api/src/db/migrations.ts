/**
 * graphile-migrate, run as its own CLI (with the settings of `.gmrc`) on the connection strings of a
 * Database. A child process per command: graphile-migrate keeps its pools open after a command and
 * exits the process when one of them errors (as they do when the server stops), which a process of
 * its own makes harmless.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import JSON5 from "json5";
import { migrationsDir, projectRoot } from "../paths.ts";
import { urlsConnectingAs } from "./application-name.ts";
import { withClient } from "./client.ts";
import { withDatabase, type DatabaseUrls } from "./cluster.ts";

const cliPath = createRequire(import.meta.url).resolve("graphile-migrate/dist/cli.js");

/** Environment for the graphile-migrate CLI: the connection strings of `urls`, connecting as `migrate`. */
function migrationEnv(given: DatabaseUrls): NodeJS.ProcessEnv {
  const urls = urlsConnectingAs(given, "migrate");
  // Run from a graphile-migrate action (.gmrc), the parent's GM_* variables would make the child refuse to start.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("GM_")));
  return {
    ...inherited,
    DATABASE_URL: urls.owner,
    // .gmrc's :DATABASE_KIND, recorded once when the database is created (docs/operations.md).
    DATABASE_KIND: process.env.NODE_ENV === "production" ? "production" : "development",
    // The project's commands rebuild the schema documentation themselves (.gmrc's after-actions skip it).
    TELECOM_SCHEMA_DOCS: "own",
    ...(urls.root ? { ROOT_DATABASE_URL: urls.root } : {}),
    ...(urls.shadow ? { SHADOW_DATABASE_URL: urls.shadow } : {}),
  };
}

/** Runs `graphile-migrate <args>` in the project folder; resolves with its exit code. */
export function runMigrateCli(urls: DatabaseUrls, args: string[]): Promise<number | null> {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd: projectRoot, env: migrationEnv(urls), stdio: "inherit" });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", resolve);
  });
}

async function graphileMigrate(urls: DatabaseUrls, ...args: string[]): Promise<void> {
  const code = await runMigrateCli(urls, args);
  if (code !== 0) throw new Error(`graphile-migrate ${args.join(" ")} failed (exit code ${code}).`);
}

/** Whether the database of `urls.owner` exists; answers only when a root connection is known. */
async function databaseExists(urls: DatabaseUrls): Promise<boolean> {
  if (!urls.root) return true;
  const name = decodeURIComponent(new URL(urls.owner).pathname.slice(1));
  return withClient(urls.root, async (client) => {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name]);
    return rowCount === 1;
  });
}

/**
 * Brings the database up to the committed migrations. A database that does not exist yet is
 * created by `reset` (which also runs afterReset.sql); returns true in that case.
 */
export async function migrateDatabase(given: DatabaseUrls): Promise<boolean> {
  const urls = urlsConnectingAs(given, "migrate");
  const created = !(await databaseExists(urls));
  if (created) await graphileMigrate(urls, "reset", "--erase");
  else {
    await runAfterReset(urls);
    await graphileMigrate(urls, "migrate");
  }
  return created;
}

/**
 * afterReset.sql is idempotent: run before the migrations of an existing database too, it creates
 * the roles and extensions a new migration needs (docs/security.md). graphile-migrate allows a superuser
 * action only after a reset, so it runs here. Without a root connection the roles must already exist.
 */
async function runAfterReset(urls: DatabaseUrls): Promise<void> {
  if (!urls.root) return;
  const owner = new URL(urls.owner);
  const database = decodeURIComponent(owner.pathname.slice(1));
  const gmrc = JSON5.parse(fs.readFileSync(path.join(projectRoot, ".gmrc"), "utf8")) as { placeholders?: Record<string, string> };
  const placeholders: Record<string, string> = {
    ...gmrc.placeholders,
    ":DATABASE_NAME": database,
    ":DATABASE_OWNER": decodeURIComponent(owner.username),
  };
  const sql = fs
    .readFileSync(path.join(migrationsDir, "afterReset.sql"), "utf8")
    .replace(/:[A-Z_]+\b/g, (name) => placeholders[name] ?? name);
  await withClient(withDatabase(urls.root, database), (client) => client.query(sql));
}

/** Drops and recreates the database from the committed migrations, then applies the current migration. */
export async function resetDatabase(urls: DatabaseUrls): Promise<void> {
  await graphileMigrate(urls, "reset", "--erase");
  await applyCurrentMigration(urls);
}

export async function applyCurrentMigration(urls: DatabaseUrls): Promise<void> {
  await graphileMigrate(urls, "current");
}

export async function commitMigration(urls: DatabaseUrls, message?: string): Promise<void> {
  await graphileMigrate(urls, "commit", ...(message ? ["--message", message] : []));
}

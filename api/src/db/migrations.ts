/**
 * graphile-migrate, run as its own CLI (with the settings of `.gmrc`) on the connection strings of a
 * Database. A child process per command: graphile-migrate keeps its pools open after a command and
 * exits the process when one of them errors (as they do when the server stops), which a process of
 * its own makes harmless.
 */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { stripVTControlCharacters } from "node:util";
import JSON5 from "json5";
import { migrationsDir, projectRoot } from "../paths.ts";
import { urlsConnectingAs } from "./application-name.ts";
import { withClient } from "./client.ts";
import { withDatabase, type DatabaseUrls } from "./cluster.ts";
import { assertDevelopmentDatabase, kindOfNewDatabases } from "./database-kind.ts";

const cliPath = createRequire(import.meta.url).resolve("graphile-migrate/dist/cli.js");

/** The settings of `.gmrc` that the project reads itself: the session settings of every migration, the placeholders. */
export function gmrcSettings(): { pgSettings?: Record<string, string>; placeholders?: Record<string, string> } {
  return JSON5.parse(fs.readFileSync(path.join(projectRoot, ".gmrc"), "utf8"));
}

/** Environment for the graphile-migrate CLI: the connection strings of `urls`, connecting as `migrate`. */
function migrationEnv(given: DatabaseUrls): NodeJS.ProcessEnv {
  const urls = urlsConnectingAs(given, "migrate");
  // Run from a graphile-migrate action (.gmrc), the parent's GM_* variables would make the child refuse to start.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("GM_")));
  return {
    ...inherited,
    DATABASE_URL: urls.owner,
    // .gmrc's :DATABASE_KIND, recorded once when the database is created (docs/operations.md).
    DATABASE_KIND: kindOfNewDatabases(),
    // The project's commands rebuild the schema documentation themselves (.gmrc's after-actions skip it).
    TELECOM_SCHEMA_DOCS: "own",
    ...(urls.root ? { ROOT_DATABASE_URL: urls.root } : {}),
    ...(urls.shadow ? { SHADOW_DATABASE_URL: urls.shadow } : {}),
  };
}

/** `graphile-migrate <args>` as a child process in the project folder, on the connection strings of `urls`. */
function spawnMigrateCli(urls: DatabaseUrls, args: string[], options: Pick<SpawnOptions, "stdio" | "signal">): ChildProcess {
  return spawn(process.execPath, [cliPath, ...args], { cwd: projectRoot, env: migrationEnv(urls), ...options });
}

/**
 * Runs `graphile-migrate <args>`; resolves with its exit code. Aborting `signal` stops it (SIGTERM)
 * and resolves with its code then.
 */
export function runMigrateCli(urls: DatabaseUrls, args: string[], signal?: AbortSignal): Promise<number | null> {
  const child = spawnMigrateCli(urls, args, { stdio: "inherit", signal });
  return new Promise((resolve, reject) => {
    child.on("error", (error) => (error.name === "AbortError" ? undefined : reject(error)));
    child.on("exit", resolve);
  });
}

async function graphileMigrate(urls: DatabaseUrls, ...args: string[]): Promise<void> {
  const code = await runMigrateCli(urls, args);
  if (code !== 0) throw new Error(`graphile-migrate ${args.join(" ")} failed (exit code ${code}).`);
}

/** `graphile-migrate <args>` with its stderr kept: its exit code, and whether it failed on a lock timeout (SQLSTATE 55P03). */
function runMigrateCliForLocks(urls: DatabaseUrls, args: string[]): Promise<{ code: number | null; stderr: string; lockTimeout: boolean }> {
  const child = spawnMigrateCli(urls, args, { stdio: ["ignore", "inherit", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    // graphile-migrate prints the failed query's error, code included, as util.inspect does (in colour when told to).
    child.on("exit", (code) =>
      resolve({ code, stderr, lockTimeout: code !== 0 && /\bcode: '55P03'/.test(stripVTControlCharacters(stderr)) }),
    );
  });
}

export interface LockRetries {
  /** How many times a migration that gave up waiting for a lock is tried again (default 3). */
  retries?: number;
  /** The pause before each new try (default 2 s), in which the API's statements get the locks they queued for. */
  pauseMs?: number;
  /** Where the line of each retry goes (default the console). */
  log?: (line: string) => void;
  /** A graphile-migrate settings file other than the project's `.gmrc` (the lock-timeout test's own migrations). */
  config?: string;
}

/**
 * Applies the committed migrations not yet applied. Every statement waits at most `lock_timeout`
 * (`.gmrc`'s pgSettings: 5 s) for a lock, so a migration queued behind a long transaction holds up
 * the API's statements queued behind it for no longer than that; it then gives up (its migration is
 * rolled back) and is tried again a few times, a line each time, before the command fails (docs/production.md).
 */
export async function applyCommittedMigrations(
  urls: DatabaseUrls,
  { retries = 3, pauseMs = 2_000, log = console.log, config }: LockRetries = {},
): Promise<void> {
  const lockTimeout = gmrcSettings().pgSettings?.lock_timeout ?? "the lock timeout";
  const args = [...(config ? ["--config", config] : []), "migrate"];
  for (let attempt = 1; ; attempt++) {
    const run = await runMigrateCliForLocks(urls, args);
    if (run.code === 0) return;
    if (!run.lockTimeout) {
      process.stderr.write(run.stderr);
      throw new Error(`graphile-migrate migrate failed (exit code ${run.code}).`);
    }
    const waited = `a lock the migration needs was not granted within ${lockTimeout} (55P03: a transaction holds a table it changes)`;
    if (attempt > retries) {
      throw new Error(
        `Migration given up after ${attempt} tries: each time ${waited}. Nothing of the migration that waited was applied. ` +
          "See which sessions hold locks (pg_stat_activity, pg_locks) and run it again.",
      );
    }
    log(`Migration not applied: ${waited}; trying again in ${pauseMs / 1000} s (try ${attempt + 1} of ${retries + 1}).`);
    await delay(pauseMs);
  }
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

/** How many committed migrations the database has applied (graphile-migrate's own record of them). */
async function appliedMigrations(url: string): Promise<number> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ recorded: boolean }>("select to_regclass('graphile_migrate.migrations') is not null as recorded");
    if (!rows[0].recorded) return 0;
    const { rows: counts } = await client.query<{ count: number }>("select count(*)::int as count from graphile_migrate.migrations");
    return counts[0].count;
  });
}

/**
 * Brings the database up to the committed migrations. A database that does not exist yet is
 * created by `reset` (which also runs afterReset.sql): `created` says so. `applied` counts the
 * migrations that ran on an existing database.
 */
export async function migrateDatabase(given: DatabaseUrls): Promise<{ created: boolean; applied: number }> {
  const urls = urlsConnectingAs(given, "migrate");
  if (!(await databaseExists(urls))) {
    await graphileMigrate(urls, "reset", "--erase");
    return { created: true, applied: 0 };
  }
  const before = await appliedMigrations(urls.owner);
  await runAfterReset(urls);
  await applyCommittedMigrations(urls);
  return { created: false, applied: (await appliedMigrations(urls.owner)) - before };
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
  const gmrc = gmrcSettings();
  const placeholders: Record<string, string> = {
    ...gmrc.placeholders,
    ":DATABASE_NAME": database,
    ":DATABASE_OWNER": decodeURIComponent(owner.username),
  };
  const sql = fs
    .readFileSync(path.join(migrationsDir, "afterReset.sql"), "utf8")
    .replace(/:[A-Z_]+\b/g, (name) => placeholders[name] ?? name);
  await withClient(withDatabase(urls.root, database), async (client) => {
    // The session settings of every migration (lock_timeout above all) apply to this part too.
    for (const [name, value] of Object.entries(gmrc.pgSettings ?? {}))
      await client.query("select set_config($1, $2, false)", [name, value]);
    await client.query(sql);
  });
}

/**
 * Drops and recreates the database from the committed migrations, then applies the current
 * migration. A database that exists and is not recorded as a development one is refused first.
 */
export async function resetDatabase(urls: DatabaseUrls): Promise<void> {
  await assertDevelopmentDatabase(urls.owner, "drop and recreate");
  await graphileMigrate(urls, "reset", "--erase");
  await applyCurrentMigration(urls);
}

export async function applyCurrentMigration(urls: DatabaseUrls): Promise<void> {
  await graphileMigrate(urls, "current");
}

export async function commitMigration(urls: DatabaseUrls, message?: string): Promise<void> {
  await graphileMigrate(urls, "commit", ...(message ? ["--message", message] : []));
}

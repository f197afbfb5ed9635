/** The project's own database for the commands: `.data/` and port EMBEDDED_PG_PORT unless DATABASE_URL says otherwise. */
import fs from "node:fs";
import path from "node:path";
import type { Component } from "../db/application-name.ts";
import { openDatabase, type Database } from "../db/cluster.ts";
import { dataDir } from "../paths.ts";

/**
 * Opens the project database for `application` (the name its connections carry); it installs no
 * signal handlers (`npm start` has its own, see start.ts).
 */
export async function openProjectDatabase(application: Component): Promise<Database> {
  const port = Number(process.env.EMBEDDED_PG_PORT ?? 54320);
  const logFile = path.join(dataDir, "postgres.log");
  fs.mkdirSync(dataDir, { recursive: true });
  return openDatabase({
    dataDir,
    port,
    application,
    log: (line) => fs.appendFileSync(logFile, `${line}\n`),
  });
}

/**
 * Runs `main` with the project database open for `application` and stops the database afterwards
 * (also on failure). A failure, in opening the database (a superuser DATABASE_URL, a database that
 * does not exist) or in `main` (a refusal), prints its message alone and sets exit code 1.
 */
export async function withProjectDatabase(application: Component, main: (db: Database) => Promise<void>): Promise<void> {
  const fail = (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  };
  const db = await openProjectDatabase(application).catch(fail);
  if (!db) return;
  try {
    await main(db);
  } catch (error) {
    fail(error);
  } finally {
    await db.stop();
  }
}

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

/** Runs `main` with the project database open and stops the database afterwards (also on failure). */
export async function withProjectDatabase(application: Component, main: (db: Database) => Promise<void>): Promise<void> {
  const db = await openProjectDatabase(application);
  try {
    await main(db);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  } finally {
    await db.stop();
  }
}

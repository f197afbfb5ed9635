/** The project's own database for the commands: `.data/` and port EMBEDDED_PG_PORT unless DATABASE_URL says otherwise. */
import path from "node:path";
import { openDatabase, type Database } from "../db/cluster.ts";
import { projectRoot } from "../db/migrations.ts";

export const dataDir = path.join(projectRoot, ".data");

export async function openProjectDatabase(): Promise<Database> {
  const port = Number(process.env.EMBEDDED_PG_PORT ?? 54320);
  const logFile = path.join(dataDir, "postgres.log");
  const fs = await import("node:fs");
  fs.mkdirSync(dataDir, { recursive: true });
  const db = await openDatabase({
    dataDir,
    port,
    log: (line) => fs.appendFileSync(logFile, `${line}\n`),
  });
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping ${db.description}`);
    await db.stop();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return db;
}

/** Runs `main` with the project database open and stops the database afterwards (also on failure). */
export async function withProjectDatabase(main: (db: Database) => Promise<void>): Promise<void> {
  const db = await openProjectDatabase();
  try {
    await main(db);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  } finally {
    await db.stop();
  }
}

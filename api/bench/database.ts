/**
 * The benchmark's own embedded cluster in `.data/bench/` (port BENCH_PG_PORT, default 54340): it
 * never touches the development database in `.data/pg`.
 */
import fs from "node:fs";
import path from "node:path";
import { startEmbedded, withDatabase, type Database } from "../src/db/cluster.ts";
import { withClient } from "../src/db/client.ts";
import { resetDatabase } from "../src/db/migrations.ts";
import { projectRoot } from "../src/paths.ts";

export const benchDir = path.join(projectRoot, ".data", "bench");
export const benchDatabaseName = "telecom_bench";

/**
 * The defaults (128 MB of shared buffers, a checkpoint every 1 GB of WAL) make a load of tens of
 * millions of rows write every page several times; the machine has memory to spare.
 */
const SERVER_SETTINGS: Record<string, string> = {
  shared_buffers: "2GB",
  max_wal_size: "8GB",
  checkpoint_timeout: "30min",
};

function start(): Promise<Database> {
  fs.mkdirSync(benchDir, { recursive: true });
  const log = path.join(benchDir, "postgres.log");
  return startEmbedded({
    dataDir: benchDir,
    port: Number(process.env.BENCH_PG_PORT ?? 54340),
    databaseName: benchDatabaseName,
    application: "bench",
    log: (line) => fs.appendFileSync(log, `${line}\n`),
  });
}

/** Starts the bench cluster with SERVER_SETTINGS (restarting it once when they were not in force). */
export async function openBenchDatabase(): Promise<Database> {
  const db = await start();
  const restart = await withClient(db.urls.root!, async (client) => {
    let changed = false;
    for (const [name, value] of Object.entries(SERVER_SETTINGS)) {
      const { rows } = await client.query<{ setting: string }>("select setting from pg_file_settings where name = $1 and applied", [name]);
      if (rows[0]?.setting === value) continue;
      await client.query(`alter system set ${name} = '${value}'`);
      changed = true;
    }
    return changed;
  });
  if (!restart) return db;
  await db.stop();
  return start();
}

/**
 * Drops and rebuilds the bench database from the migrations (committed and current), with the admin
 * the measured admin operations act as (an admin's claim counts only when it names an admin).
 */
export async function rebuildBenchDatabase(db: Database): Promise<void> {
  await resetDatabase(db.urls);
  await withClient(db.urls.owner, (client) =>
    client.query("insert into telecom_private.admin_user (admin_id, username, password_hash) values (1, 'bench-admin', '')"),
  );
}

/** A superuser connection to the bench database (for seeding with triggers off, and for pgbench). */
export function benchSuperuserUrl(db: Database, database = benchDatabaseName): string {
  return withDatabase(db.urls.root!, database);
}

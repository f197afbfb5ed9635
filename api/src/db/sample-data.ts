/** The sample operator of `sql/sample_data.sql`: loaded on first start, by db:reset and by db:seed. */
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { projectRoot } from "./migrations.ts";

export const sampleDataFile = path.join(projectRoot, "sql", "sample_data.sql");

/** Runs a SQL file in one transaction: all of it or nothing (the file itself has no begin/commit). */
export async function runSqlFile(connectionString: string, file: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("begin");
    await client.query(fs.readFileSync(file, "utf8"));
    await client.query("commit");
  } catch (error) {
    await client.query("rollback");
    throw error;
  } finally {
    await client.end();
  }
}

export async function loadSampleData(connectionString: string): Promise<void> {
  await runSqlFile(connectionString, sampleDataFile);
}

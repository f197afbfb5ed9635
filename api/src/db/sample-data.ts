/** The sample operator of `sql/sample_data.sql`: loaded on first start, by db:reset and by db:seed. */
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { projectRoot } from "./migrations.ts";

export const sampleDataFile = path.join(projectRoot, "sql", "sample_data.sql");

export async function runSqlFile(connectionString: string, file: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(fs.readFileSync(file, "utf8"));
  } finally {
    await client.end();
  }
}

export async function loadSampleData(connectionString: string): Promise<void> {
  await runSqlFile(connectionString, sampleDataFile);
}

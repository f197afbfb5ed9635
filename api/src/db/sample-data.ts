/** The sample operator of `sql/sample_data.sql`: loaded on first start, by db:reset and by db:seed. */
import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../paths.ts";
import { withClient } from "./client.ts";

export const sampleDataFile = path.join(projectRoot, "sql", "sample_data.sql");

/** Runs a SQL file in one transaction: all of it or nothing (the file itself has no begin/commit). */
export async function runSqlFile(connectionString: string, file: string): Promise<void> {
  await withClient(connectionString, async (client) => {
    await client.query("begin");
    try {
      await client.query(fs.readFileSync(file, "utf8"));
      await client.query("commit");
    } catch (error) {
      await client.query("rollback");
      throw error;
    }
  });
}

export async function loadSampleData(connectionString: string): Promise<void> {
  await runSqlFile(connectionString, sampleDataFile);
}

/**
 * The sample operator of `sql/sample_data.sql`, demo logins included: loaded into a new development
 * database (first start, db:migrate), by db:reset and by db:seed; never into a production database.
 */
import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../paths.ts";
import { withClient } from "./client.ts";
import { assertDevelopmentDatabase, kindOfNewDatabases } from "./database-kind.ts";

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

/** Loads the sample operator; refuses (DatabaseRefusal) a database that is not recorded as a development one. */
export async function loadSampleData(connectionString: string): Promise<void> {
  await assertDevelopmentDatabase(connectionString, "load the sample data and its demo logins into");
  await runSqlFile(connectionString, sampleDataFile);
}

/**
 * What a database this process has just created starts with: the sample operator for development,
 * nothing for production (its first admin comes from `npm run admin:create`). The process chose the
 * kind it was created with, so the database is not asked. Returns whether the sample data was loaded.
 */
export async function loadSampleDataIfDevelopment(connectionString: string): Promise<boolean> {
  if (kindOfNewDatabases() === "production") return false;
  await runSqlFile(connectionString, sampleDataFile);
  return true;
}

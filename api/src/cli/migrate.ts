/**
 * `npm run db:migrate | db:reset | db:watch | db:commit`: graphile-migrate on the project database.
 * `db:reset` also loads the sample data; `db:watch` runs until Ctrl-C.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { applyCurrentMigration, commitMigration, migrateDatabase, migrationEnv, projectRoot, resetDatabase } from "../db/migrations.ts";
import { loadSampleData } from "../db/sample-data.ts";
import { withProjectDatabase } from "./project-database.ts";

const [command, ...rest] = process.argv.slice(2);

await withProjectDatabase(async (db) => {
  switch (command) {
    case "migrate": {
      const created = await migrateDatabase(db.urls);
      if (created) await loadSampleData(db.urls.owner);
      console.log(created ? "Database created, migrated and loaded with sample data." : "Committed migrations applied.");
      break;
    }
    case "reset":
      await resetDatabase(db.urls);
      await loadSampleData(db.urls.owner);
      console.log("Database dropped, recreated from the migrations and loaded with sample data.");
      break;
    case "commit": {
      const messageIndex = rest.indexOf("--message");
      if (await migrateDatabase(db.urls)) await loadSampleData(db.urls.owner);
      await commitMigration(db.urls, messageIndex >= 0 ? rest[messageIndex + 1] : undefined);
      break;
    }
    case "watch": {
      await migrateDatabase(db.urls);
      await applyCurrentMigration(db.urls);
      const bin = createRequire(import.meta.url).resolve("graphile-migrate/dist/cli.js");
      const child = spawn(process.execPath, [bin, "watch", ...rest], { cwd: projectRoot, env: migrationEnv(db.urls), stdio: "inherit" });
      await new Promise((resolve) => child.on("exit", resolve));
      break;
    }
    default:
      throw new Error(`Unknown command ${command}: use migrate, reset, watch or commit.`);
  }
});

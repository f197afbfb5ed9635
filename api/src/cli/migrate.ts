/**
 * `npm run db:migrate | db:reset | db:watch | db:commit`: graphile-migrate on the project database.
 * `db:reset` also loads the sample data; `db:watch` runs until Ctrl-C. `db:reset`, `db:commit` and
 * `db:watch` (after every change it applies) regenerate the schema documentation (docs/dba.md).
 */
import fs from "node:fs";
import { applyCurrentMigration, commitMigration, migrateDatabase, resetDatabase, runMigrateCli } from "../db/migrations.ts";
import { migrationsDir } from "../paths.ts";
import { loadSampleData } from "../db/sample-data.ts";
import { SchemaDocsBuilder, updateSchemaDocs, updateSchemaDocsOnce } from "../db/schema-docs.ts";
import { commandLine, usageError } from "./args.ts";
import { withProjectDatabase } from "./project-database.ts";

const USAGE = "npm run db:migrate | db:reset | db:watch | db:commit [-- --message TEXT]";
const { values, positionals } = commandLine(USAGE, { allowPositionals: true, options: { message: { type: "string" } } });
const [command] = positionals;
if (positionals.length !== 1) usageError(USAGE, "Name one command: migrate, reset, watch or commit.");

function report(changed: string[]): void {
  console.log(changed.length ? `Schema documentation updated: ${changed.join(", ")}.` : "Schema documentation is up to date.");
}

/** Rebuilds the documentation on PostgreSQL 15 a second after the last change under migrations/. */
async function documentWhileWatching(): Promise<() => Promise<void>> {
  const builder = await SchemaDocsBuilder.start();
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const rebuild = () => {
    running = running.then(() =>
      updateSchemaDocs(builder).then(report, (error: Error) => console.error(`Schema documentation not updated: ${error.message}`)),
    );
  };
  const watcher = fs.watch(migrationsDir, { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(rebuild, 1_000);
  });
  rebuild();
  return async () => {
    watcher.close();
    clearTimeout(timer);
    await running;
    await builder.stop();
  };
}

await withProjectDatabase("migrate", async (db) => {
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
      report(await updateSchemaDocsOnce());
      break;
    case "commit": {
      if (await migrateDatabase(db.urls)) await loadSampleData(db.urls.owner);
      await commitMigration(db.urls, values.message);
      report(await updateSchemaDocsOnce());
      break;
    }
    case "watch": {
      await migrateDatabase(db.urls);
      await applyCurrentMigration(db.urls);
      const stopDocumenting = await documentWhileWatching();
      await runMigrateCli(db.urls, ["watch"]);
      await stopDocumenting();
      break;
    }
    default:
      throw new Error(`Unknown command ${command}: use migrate, reset, watch or commit.`);
  }
});

/**
 * `npm run db:migrate | db:reset | db:watch | db:commit`: graphile-migrate on the project database.
 * `db:migrate` creates a missing database for development (with the sample data) or, under
 * NODE_ENV=production, for production (empty). `db:reset` also loads the sample data; `db:watch`
 * runs until Ctrl-C. `db:reset`, `db:commit` and `db:watch` (after every change it applies)
 * regenerate the schema documentation (docs/dba.md). `db:reset`, `db:watch` and `db:commit` are
 * development work: they refuse a database not recorded as a development one (docs/production.md).
 */
import fs from "node:fs";
import { assertDevelopmentDatabase, DatabaseRefusal, kindOfNewDatabases } from "../db/database-kind.ts";
import { applyCurrentMigration, commitMigration, migrateDatabase, resetDatabase, runMigrateCli } from "../db/migrations.ts";
import { migrationsDir } from "../paths.ts";
import { loadSampleData, loadSampleDataIfDevelopment } from "../db/sample-data.ts";
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

/** What `migrate` did, in one line, with what a running API needs to see the change (docs/production.md). */
function migrated(created: boolean, applied: number, sampleData: boolean): string {
  if (created && sampleData) return "Database created, migrated and loaded with sample data.";
  if (created) return "Production database created and migrated, without sample data or demo logins. Its first admin: npm run admin:create";
  if (applied === 0) return "Committed migrations applied: there were none to apply.";
  return (
    `Committed migrations applied: ${applied}. A running API serves their new tables, columns and functions after a restart; ` +
    "changed rules and policies apply at once."
  );
}

await withProjectDatabase("migrate", async (db) => {
  switch (command) {
    case "migrate": {
      const { created, applied } = await migrateDatabase(db.urls);
      const sampleData = created && (await loadSampleDataIfDevelopment(db.urls.owner));
      console.log(migrated(created, applied, sampleData));
      break;
    }
    case "reset":
      if (kindOfNewDatabases() === "production") {
        throw new DatabaseRefusal(
          "db:reset builds a development database (sample data, demo logins) and refuses NODE_ENV=production. Nothing was changed. " +
            "A production database is created by `NODE_ENV=production npm run db:migrate`.",
        );
      }
      await resetDatabase(db.urls);
      await loadSampleData(db.urls.owner);
      console.log("Database dropped, recreated from the migrations and loaded with sample data.");
      report(await updateSchemaDocsOnce());
      break;
    case "commit": {
      await assertDevelopmentDatabase(db.urls.owner, "commit the work-in-progress migration (migrations/current/) on");
      const { created } = await migrateDatabase(db.urls);
      if (created) await loadSampleDataIfDevelopment(db.urls.owner);
      await commitMigration(db.urls, values.message);
      report(await updateSchemaDocsOnce());
      break;
    }
    case "watch": {
      await assertDevelopmentDatabase(db.urls.owner, "apply the work-in-progress migration (migrations/current/) to");
      // Ctrl-C or SIGTERM ends the watch and lets everything below stop in order, so the
      // documentation's PostgreSQL 15 and its temporary folder go too. Every such signal only asks
      // for that: tsx passes a Ctrl-C on to this process a second time when it is slow to say it got one.
      const stop = new AbortController();
      process.on("SIGINT", () => stop.abort());
      process.on("SIGTERM", () => stop.abort());
      await migrateDatabase(db.urls);
      await applyCurrentMigration(db.urls);
      const stopDocumenting = await documentWhileWatching();
      try {
        if (!stop.signal.aborted) await runMigrateCli(db.urls, ["watch"], stop.signal);
      } finally {
        await stopDocumenting();
      }
      break;
    }
    default:
      throw new Error(`Unknown command ${command}: use migrate, reset, watch or commit.`);
  }
});

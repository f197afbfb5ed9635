/** `npm run db:clear -- --yes`: empties every table of the project database, keeping the schema; a development database only. */
import { clearAllTables } from "../db/clear.ts";
import { assertDevelopmentDatabase } from "../db/database-kind.ts";
import { commandLine } from "./args.ts";
import { withProjectDatabase } from "./project-database.ts";

const { values } = commandLine("npm run db:clear -- --yes", { options: { yes: { type: "boolean", default: false } } });
if (!values.yes) {
  console.error(
    "db:clear would delete every row of every table in schemas telecom and telecom_private of the project database " +
      "(DATABASE_URL, or the embedded one in .data/) and restart their id sequences; the schema stays.\n" +
      "Nothing was done. To go ahead: npm run db:clear -- --yes",
  );
  process.exit(2);
}

await withProjectDatabase("clear", async (db) => {
  await assertDevelopmentDatabase(db.urls.owner, "empty");
  const tables = await clearAllTables(db.urls.owner);
  console.log(`Emptied ${tables.length} tables of ${db.description}:\n  ${tables.join("\n  ")}`);
});

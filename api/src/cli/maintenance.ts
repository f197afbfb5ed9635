/**
 * `npm run maintenance [-- --every N]`: the maintenance tick of the API server (server/maintenance.ts)
 * on the owner's connection of the project database, for cron or a systemd timer (docs/operations.md).
 * Without `--every` it ticks once and prints what it did in one line (exit code 0; 1 when the tick
 * fails). With `--every N` it ticks at once and then every N seconds, printing what a tick did when
 * it did something, until SIGINT or SIGTERM: then it lets the running tick finish and exits with 0.
 * A tick while another process's runs is skipped by the database, so it may run beside the server's.
 */
import pg from "pg";
import { describeTick, maintenanceTick, startMaintenance } from "../server/maintenance.ts";
import { commandLine, positiveOption } from "./args.ts";
import { withProjectDatabase } from "./project-database.ts";

const USAGE = "npm run maintenance [-- --every SECONDS]";
const { values } = commandLine(USAGE, { options: { every: { type: "string" } } });
const everySeconds = positiveOption(USAGE, "every", values.every, undefined);

await withProjectDatabase("maintenance", async (db) => {
  const owner = new pg.Pool({ connectionString: db.urls.owner, max: 1 });
  owner.on("error", (error) => console.error(`PostgreSQL connection lost: ${error.message}`));
  try {
    if (everySeconds === undefined) {
      console.log(describeTick(await maintenanceTick(owner)).line);
      return;
    }
    console.log(`Maintenance every ${everySeconds} s on ${db.description}; SIGINT or SIGTERM stops it after the running tick.`);
    const maintenance = startMaintenance(owner, { intervalMs: everySeconds * 1000, tickAtStart: true });
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    console.log(`${signal}: stopping after the running tick.`);
    await maintenance.stop();
    console.log("Maintenance stopped.");
  } finally {
    await owner.end();
  }
});

/**
 * `npm run maintenance` (docs/operations.md) as cron or a systemd timer runs it, on the test database
 * through DATABASE_URL: one tick and one line, a tick skipped while another process's runs, and with
 * `--every` a loop that SIGTERM stops only after the running tick has finished.
 */
import pg from "pg";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startScript, testDatabaseEnv } from "../support/commands.ts";
import { getRootPool, superuserUrl } from "../support/database.ts";

const test = suite<{ db: pg.Client }>("npm run maintenance", {} as { db: pg.Client });

test.before(async (context) => {
  context.db = new pg.Client({ connectionString: superuserUrl() });
  await context.db.connect();
});

test.after(async ({ db }) => {
  await db?.end();
});

const lastTick = async (db: pg.Client): Promise<Date | null> =>
  (await db.query("select telecom_private.last_maintenance_tick() as at")).rows[0].at;

/** `npm run maintenance -- <args>` on the test database, to its end: its exit code and lines. */
async function maintenance(args: string[] = []): Promise<{ code: number | null; output: string[] }> {
  const command = startScript("maintenance", args, testDatabaseEnv());
  const { code } = await command.exited;
  return { code, output: command.output };
}

/** Resolves once `condition` holds; a tick in a child process is not instant. */
async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Still waiting for ${what}.`);
}

test("without --every: one tick, one line saying what it did, exit code 0", async ({ db }) => {
  const before = (await db.query("select now() as now")).rows[0].now as Date;
  const { code, output } = await maintenance();
  assert.is(code, 0, output.join("\n"));
  assert.is(output.length, 1, output.join("\n"));
  assert.match(output[0], /^Maintenance: (nothing to do\.|[a-z_]+ .*)$/);
  const { rows } = await db.query("select last_tick_at, last_result from telecom_private.maintenance_state");
  assert.ok(rows[0].last_tick_at >= before, "the tick was recorded");
  assert.is(rows[0].last_result.skipped, undefined);
});

test("while another process's tick runs, the tick is skipped, said so, and exits with 0", async ({ db }) => {
  await db.query("begin");
  try {
    // This transaction is the running tick: it holds the tick's lock until it ends.
    await db.query("select telecom.maintenance_tick()");
    const { code, output } = await maintenance();
    assert.is(code, 0, output.join("\n"));
    assert.equal(output, ["Maintenance: skipped, another tick was running."]);
  } finally {
    await db.query("rollback");
  }
});

test("with --every: ticks at once, and SIGTERM stops it once the running tick has finished", async ({ db }) => {
  const before = await lastTick(db);
  // Holding off the tick's write of maintenance_state keeps the first tick running until we let go.
  await db.query("begin");
  await db.query("lock table telecom_private.maintenance_state in share mode");
  const command = startScript("maintenance", ["--every", "3600"], testDatabaseEnv());
  try {
    await command.line(/^Maintenance every 3600 s on /);
    // Asked on another connection: a transaction sees pg_stat_activity as it was at its first look.
    await until(async () => {
      const { rows } = await getRootPool().query(
        "select 1 from pg_stat_activity where application_name = 'maintenance' and wait_event_type = 'Lock' and query like '%maintenance_tick%'",
      );
      return rows.length === 1;
    }, "the tick to wait for the lock");
    command.child.kill("SIGTERM");
    await command.line(/^SIGTERM: stopping after the running tick/);
  } finally {
    await db.query("commit");
  }
  const { code } = await command.exited;
  assert.is(code, 0, command.output.join("\n"));
  assert.is(command.output.at(-1), "Maintenance stopped.");
  const after = await lastTick(db);
  assert.ok(after && (!before || after > before), "the running tick was finished and recorded");
});

test("a bad --every is refused with the usage line (exit code 2)", async () => {
  const { code, output } = await maintenance(["--every", "soon"]);
  assert.is(code, 2);
  assert.equal(output, ["--every needs a positive number.", "Usage: npm run maintenance [-- --every SECONDS]"]);
});

test.run();

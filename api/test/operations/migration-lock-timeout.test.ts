/**
 * Migrations fail fast (docs/production.md): with `.gmrc`'s lock_timeout, a migration that needs a
 * stronger lock on telecom.payment than a long report holds gives up instead of queueing for as
 * long as the report runs, and db:migrate's retries (applyCommittedMigrations) try it again before
 * failing. An API read queued behind the waiting migration completes while the report is still
 * open. On a throwaway embedded cluster whose migrations folder is the project's committed
 * migrations and one more, which adds a column to telecom.payment (an ACCESS EXCLUSIVE lock).
 * What is asserted is who waits for what (pg_locks) and what each one gets, never how long it took.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import JSON5 from "json5";
import pg from "pg";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { withClient } from "../../src/db/client.ts";
import { withDatabase, type DatabaseUrls } from "../../src/db/cluster.ts";
import { applyCommittedMigrations, gmrcSettings } from "../../src/db/migrations.ts";
import { loadSampleData } from "../../src/db/sample-data.ts";
import { migrationsDir, projectRoot } from "../../src/paths.ts";
import { buildDatabase, startScratchServer, type ScratchServer } from "../support/commands.ts";
import { claimsSql } from "../support/roles.ts";

interface Context {
  server: ScratchServer;
  urls: DatabaseUrls;
  dir: string;
  /** A graphile-migrate settings file: the project's `.gmrc`, with the migrations folder of `dir`. */
  config: string;
}

const test = suite<Context>("a migration waiting for a lock");

const { calculateHash } = createRequire(import.meta.url)("graphile-migrate/dist/hash.js") as {
  calculateHash(body: string, previousHash: string | null): string;
};

const NEW_COLUMN = "lock_test_note";

/** The project's committed migrations and, after them, one that changes telecom.payment, as graphile-migrate writes one. */
function migrationsFolderWithPaymentChange(dir: string): string {
  const committed = path.join(dir, "migrations", "committed");
  fs.mkdirSync(committed, { recursive: true });
  const files = fs.readdirSync(path.join(migrationsDir, "committed")).sort();
  for (const file of files) fs.copyFileSync(path.join(migrationsDir, "committed", file), path.join(committed, file));
  const last = fs.readFileSync(path.join(committed, files.at(-1)!), "utf8");
  const previousHash = /^--! Hash: (.*)$/m.exec(last)![1];
  const body = `alter table telecom.payment add column ${NEW_COLUMN} text;\n`;
  const number = String(Number(/^\d+/.exec(files.at(-1)!)![0]) + 1).padStart(6, "0");
  fs.writeFileSync(
    path.join(committed, `${number}-lock-test.sql`),
    `--! Previous: ${previousHash}\n--! Hash: ${calculateHash(body, previousHash)}\n\n${body}`,
  );
  return path.join(dir, "migrations");
}

/** Who holds or waits for a lock on telecom.payment. */
async function paymentLocks({ urls }: Context): Promise<{ pid: number; mode: string; granted: boolean; state: string }[]> {
  const { rows } = await withClient(withDatabase(urls.root!, "telecom_locks"), (client) =>
    client.query(
      `select locks.pid, locks.mode, locks.granted, activity.state
       from pg_catalog.pg_locks as locks
       inner join pg_catalog.pg_stat_activity as activity on activity.pid = locks.pid
       where locks.locktype = 'relation'
         and locks.relation = 'telecom.payment'::regclass
       order by locks.pid, locks.mode`,
    ),
  );
  return rows;
}

/** Polls until `seen` holds (a state to reach, not a time to beat); fails after far longer than anything here needs. */
async function until(what: string, seen: () => Promise<boolean>): Promise<void> {
  for (let polls = 0; !(await seen()); polls++) {
    if (polls > 600) throw new Error(`Never saw: ${what}`);
    await delay(50);
  }
}

async function appliedMigrations({ urls }: Context): Promise<number> {
  const { rows } = await withClient(urls.owner, (client) => client.query("select count(*)::int as count from graphile_migrate.migrations"));
  return rows[0].count;
}

async function hasNewColumn({ urls }: Context): Promise<boolean> {
  const { rows } = await withClient(urls.owner, (client) =>
    client.query("select count(*)::int as count from pg_attribute where attrelid = 'telecom.payment'::regclass and attname = $1", [
      NEW_COLUMN,
    ]),
  );
  return rows[0].count === 1;
}

test.before(async (context) => {
  context.server = await startScratchServer();
  context.urls = context.server.urlsFor("telecom_locks");
  await buildDatabase(context.urls, "development");
  // Payments to read, and admin 1 for the API's read.
  await loadSampleData(context.urls.owner);
  context.dir = fs.mkdtempSync(path.join(os.tmpdir(), "telecom-lock-test-"));
  const gmrc = JSON5.parse(fs.readFileSync(path.join(projectRoot, ".gmrc"), "utf8"));
  context.config = path.join(context.dir, ".gmrc");
  fs.writeFileSync(context.config, JSON.stringify({ ...gmrc, migrationsFolder: migrationsFolderWithPaymentChange(context.dir) }));
});

test.after(async ({ server, dir }) => {
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test("every migration runs with lock_timeout 5 s", () => {
  assert.is(gmrcSettings().pgSettings?.lock_timeout, "5s");
});

test("behind a long report the migration gives up, is tried again and fails; an API read behind it completes meanwhile", async (context) => {
  const before = await appliedMigrations(context);
  const report = new pg.Client({ connectionString: context.urls.owner });
  const api = new pg.Client({ connectionString: context.urls.authenticator });
  await report.connect();
  await api.connect();
  try {
    // A report reading payments, its transaction left open: it holds ACCESS SHARE on telecom.payment.
    await report.query("begin");
    const { rows: reported } = await report.query("select count(*)::int as payments from telecom.payment");
    const reportPid = (await report.query("select pg_backend_pid() as pid")).rows[0].pid;

    const retries: string[] = [];
    const migrating = applyCommittedMigrations(context.urls, {
      config: context.config,
      retries: 1,
      pauseMs: 0,
      log: (line) => retries.push(line),
    }).then(
      () => "applied",
      (error: Error) => error.message,
    );
    await until("the migration waiting for ACCESS EXCLUSIVE on telecom.payment", async () =>
      (await paymentLocks(context)).some((lock) => lock.mode === "AccessExclusiveLock" && !lock.granted),
    );

    // An admin's read, as the API sends it, queues behind the waiting migration.
    await api.query("begin");
    await api.query(claimsSql({ role: "telecom_admin", admin_id: 1 }));
    const apiPid = (await api.query("select pg_backend_pid() as pid")).rows[0].pid;
    let read: { payments: number }[] | undefined;
    const reading = api.query("select count(*)::int as payments from telecom.payment").then(({ rows }) => (read = rows));
    await until("the API's read waiting behind the migration", async () => {
      if (read) throw new Error("The API's read was never blocked: nothing was queued before it.");
      return (await paymentLocks(context)).some((lock) => lock.pid === apiPid && lock.mode === "AccessShareLock" && !lock.granted);
    });

    // The migration gives up its place: the read gets its lock and its rows, and the report is still open.
    await reading;
    assert.equal(read, reported);
    const locks = await paymentLocks(context);
    assert.ok(
      locks.some(
        (lock) => lock.pid === reportPid && lock.mode === "AccessShareLock" && lock.granted && lock.state === "idle in transaction",
      ),
      JSON.stringify(locks),
    );
    await api.query("commit");

    assert.match(
      await migrating,
      /^Migration given up after 2 tries: each time a lock the migration needs was not granted within 5s \(55P03: /,
    );
    assert.equal(retries, [
      "Migration not applied: a lock the migration needs was not granted within 5s (55P03: a transaction holds a table it changes); trying again in 0 s (try 2 of 2).",
    ]);
    await report.query("rollback");
  } finally {
    await report.end();
    await api.end();
  }
  assert.is(await appliedMigrations(context), before);
  assert.not.ok(await hasNewColumn(context));
});

test("with no long transaction, the same migration applies at the first try", async (context) => {
  const before = await appliedMigrations(context);
  const retries: string[] = [];
  await applyCommittedMigrations(context.urls, { config: context.config, log: (line) => retries.push(line) });
  assert.equal(retries, []);
  assert.is(await appliedMigrations(context), before + 1);
  assert.ok(await hasNewColumn(context));
});

test.run();

/**
 * `npm test`: starts a throwaway embedded PostgreSQL on a free port in a temp folder (or uses the
 * disposable server of TEST_DATABASE_URL, a superuser URL, on the terms of support/test-server.ts),
 * builds the schema once from the migrations (committed, then current.sql), runs every `*.test.ts`
 * with uvu in a child process and ends with the line `N passed, N failed`. A test database that is
 * not a development one is refused (resetDatabase), like a server that is not the tests' own.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { connectingAs } from "../src/db/application-name.ts";
import { freePort, startEmbedded, withDatabase, type Database } from "../src/db/cluster.ts";
import { DatabaseRefusal } from "../src/db/database-kind.ts";
import { resetDatabase } from "../src/db/migrations.ts";
import { projectRoot } from "../src/paths.ts";
import { claimTestServer, TEST_DATABASE } from "./support/test-server.ts";

interface TestDatabase {
  db: Database;
  /** After the schema's build, which may have created roles. */
  built: () => Promise<void>;
  cleanup: () => Promise<void>;
}

async function openTestDatabase(): Promise<TestDatabase> {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    const server = await claimTestServer(connectingAs(external, "test"));
    return {
      db: { urls: server.urls, description: "TEST_DATABASE_URL", isNew: false, stop: async () => {} },
      built: server.markRoles,
      cleanup: server.release,
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "telecom-test-"));
  const log = path.join(dir, "postgres.log");
  const db = await startEmbedded({
    dataDir: dir,
    port: await freePort(),
    databaseName: TEST_DATABASE,
    application: "test",
    log: (line) => fs.appendFileSync(log, `${line}\n`),
  });
  return {
    db,
    built: async () => {},
    cleanup: async () => {
      await db.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** uvu prints "Total: N", "Passed: N" and "Skipped: N"; a file that crashes prints none. */
function totals(output: string): { passed: number; failed: number } {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, "");
  const count = (label: string) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(plain)?.[1] ?? NaN);
  const [total, passed, skipped] = [count("Total"), count("Passed"), count("Skipped")];
  if (Number.isNaN(total)) return { passed: 0, failed: 1 };
  return { passed, failed: total - passed - skipped };
}

/** Builds the schema and runs the test files; resolves with uvu's totals. */
async function runTests({ db, built }: TestDatabase): Promise<{ passed: number; failed: number }> {
  const started = Date.now();
  process.stdout.write(`Test database: ${db.description}; building the schema from the migrations… `);
  await resetDatabase(db.urls);
  await built();
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const uvu = path.join(projectRoot, "node_modules", "uvu", "bin.js");
  // `npm test -- <regex>` runs only the test files whose path matches.
  const pattern = `(?:${process.argv[2] ?? ""}).*\\.test\\.ts$`;
  const child = spawn(process.execPath, ["--import", "tsx", uvu, ".", pattern, "-i", "node_modules", "-i", "dist"], {
    cwd: projectRoot,
    env: {
      ...process.env,
      TEST_SUPERUSER_URL: withDatabase(db.urls.root!, new URL(db.urls.owner).pathname.slice(1)),
      TEST_OWNER_URL: db.urls.owner,
      TEST_AUTHENTICATOR_URL: db.urls.authenticator,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    process.stdout.write(chunk);
  });
  const exitCode = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  const result = totals(output);
  // uvu's exit code counts as well as its text: a crash after the totals, or a failure it printed oddly, still fails.
  if (exitCode !== 0 && result.failed === 0) result.failed = 1;
  return result;
}

/** A refusal is its message alone; anything else, with its stack. */
const report = (error: unknown) => console.error(error instanceof DatabaseRefusal ? `\n${error.message}` : error);

let result = { passed: 0, failed: 1 };
const testDatabase = await openTestDatabase().catch(report);
if (testDatabase) {
  try {
    result = await runTests(testDatabase);
  } catch (error) {
    report(error);
  } finally {
    await testDatabase.cleanup();
  }
}
console.log(`${result.passed} passed, ${result.failed} failed`);
process.exit(result.failed > 0 ? 1 : 0);

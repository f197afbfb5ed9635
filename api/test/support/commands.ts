/**
 * The project's commands run as `npm run` runs them (the script's file and arguments, from
 * package.json, under this test's Node), as child processes on a PostgreSQL of the test's own: a
 * throwaway embedded cluster standing for a server such as production's.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { EMBEDDED_PASSWORDS, freePort, startEmbedded, withCredentials, withDatabase, type DatabaseUrls } from "../../src/db/cluster.ts";
import type { DatabaseKind } from "../../src/db/database-kind.ts";
import { resetDatabase } from "../../src/db/migrations.ts";
import { projectRoot } from "../../src/paths.ts";

export interface ScratchServer {
  /** A superuser's connection string, to the `postgres` database. */
  rootUrl: string;
  /** The connection strings of a database of this server, with the development passwords of the login roles. */
  urlsFor(database: string): DatabaseUrls;
  stop(): Promise<void>;
}

/** A throwaway embedded PostgreSQL in a temporary folder, with the project's login roles (no database of theirs yet). */
export async function startScratchServer(): Promise<ScratchServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "telecom-scratch-"));
  const db = await startEmbedded({ dataDir: dir, port: await freePort(), application: "test" });
  const rootUrl = db.urls.root!;
  return {
    rootUrl,
    urlsFor: (database) => {
      const as = (role: "telecom_owner" | "telecom_authenticator") =>
        withCredentials(withDatabase(rootUrl, database), role, EMBEDDED_PASSWORDS[role]);
      return { root: rootUrl, owner: as("telecom_owner"), authenticator: as("telecom_authenticator") };
    },
    async stop() {
      await db.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Builds the database of `urls` from the migrations (committed, then current) as one of `kind`: the
 * kind comes from NODE_ENV, as for the commands (migrationEnv), so NODE_ENV is `kind`'s for the while.
 */
export async function buildDatabase(urls: DatabaseUrls, kind: DatabaseKind): Promise<void> {
  const saved = process.env.NODE_ENV;
  process.env.NODE_ENV = kind;
  try {
    await resetDatabase(urls);
  } finally {
    if (saved === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = saved;
  }
}

/** The variables a command reads to find its database and mode: a test gives each it needs, and no other. */
const COMMAND_SETTINGS = ["DATABASE_URL", "ROOT_DATABASE_URL", "SHADOW_DATABASE_URL", "AUTH_DATABASE_URL", "NODE_ENV", "TEST_DATABASE_URL"];

/** `node --import tsx FILE ARGS…` for `npm run <script>`, whose package.json line must be `tsx FILE ARGS…`. */
export function scriptCommand(script: string, args: string[] = []): string[] {
  const scripts = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")).scripts as Record<string, string>;
  const [runner, ...words] = (scripts[script] ?? "").split(" ");
  if (runner !== "tsx") throw new Error(`npm run ${script} is not a tsx script: ${scripts[script]}`);
  return [process.execPath, "--import", "tsx", ...words, ...args];
}

export interface CommandRun {
  code: number | null;
  /** stdout and stderr, as a terminal would show them. */
  output: string;
}

/** A child's environment: this process's, without the command settings, plus `env`. */
export function commandEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !COMMAND_SETTINGS.includes(name))), ...env };
}

/** Runs `argv` in the project folder with `input` on stdin (then closed) and resolves when it exits. */
export function runCommand(argv: string[], env: Record<string, string>, input = ""): Promise<CommandRun> {
  const [command, ...args] = argv;
  const child = spawn(command, args, { cwd: projectRoot, env: commandEnv(env), stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

/**
 * Runs `argv` until it prints a line matching `ready`, then stops it with SIGTERM; resolves when it
 * has exited (by itself, if it never printed the line).
 */
export function runUntil(argv: string[], env: Record<string, string>, ready: RegExp): Promise<CommandRun> {
  const [command, ...args] = argv;
  const child = spawn(command, args, { cwd: projectRoot, env: commandEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    if (ready.test(output) && child.exitCode === null && !child.killed) child.kill("SIGTERM");
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

/** `npm run <script> -- <args>` with `env`. */
export function runScript(script: string, args: string[], env: Record<string, string>, input = ""): Promise<CommandRun> {
  return runCommand(scriptCommand(script, args), env, input);
}

/** Whether the output shows a stack trace (a line `    at function (file:line:column)`). */
export function hasStackTrace(output: string): boolean {
  return /^\s+at .*:\d+:\d+\)?$/m.test(output);
}

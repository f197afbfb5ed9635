/**
 * The project's commands run as `npm run` runs them (the script's file and arguments, from
 * package.json, under this test's Node), as child processes: on the test database through
 * DATABASE_URL (testDatabaseEnv), or on a PostgreSQL of the test's own, a throwaway embedded cluster
 * standing for a server such as production's (startScratchServer). Each run gives its exit and what
 * it printed; a running one, its lines as they come.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { EMBEDDED_PASSWORDS, freePort, startEmbedded, withCredentials, withDatabase, type DatabaseUrls } from "../../src/db/cluster.ts";
import type { DatabaseKind } from "../../src/db/database-kind.ts";
import { resetDatabase } from "../../src/db/migrations.ts";
import { projectRoot } from "../../src/paths.ts";
import { authenticatorUrl, ownerUrl } from "./database.ts";

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

/** The settings of a command on the test database, as on an external server: its owner, no superuser (so it creates nothing). */
export function testDatabaseEnv(): Record<string, string> {
  return { DATABASE_URL: ownerUrl(), AUTH_DATABASE_URL: authenticatorUrl() };
}

/** How long a running command may take to print a line (the production server: to start); far more than any needs. */
const WAIT_MS = 90_000;

export interface RunningCommand {
  child: ChildProcess;
  /** Every line printed so far, stdout and stderr together. */
  output: string[];
  /** Everything printed so far, as a terminal would show it. */
  text(): string;
  /** Resolves with the match of the first line (printed or to come) that matches. */
  line(pattern: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `argv` in the project folder with `env`, `input` on stdin (then closed). */
export function startCommand(argv: string[], env: Record<string, string>, input = ""): RunningCommand {
  const [command, ...args] = argv;
  const child = spawn(command, args, { cwd: projectRoot, env: commandEnv(env), stdio: ["pipe", "pipe", "pipe"] });
  child.stdin!.end(input);
  const output: string[] = [];
  let text = "";
  const watchers: { pattern: RegExp; found: (match: RegExpMatchArray) => void }[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    let partial = "";
    stream.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop()!;
      for (const printed of lines) {
        output.push(printed);
        for (const watcher of watchers.filter(({ pattern }) => pattern.test(printed))) {
          watchers.splice(watchers.indexOf(watcher), 1);
          watcher.found(printed.match(watcher.pattern)!);
        }
      }
    });
  }
  // "close" comes after the process exited and its output streams ended: every line is in `output`.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal }));
  });
  const line = (pattern: RegExp) => {
    const seen = output.map((printed) => printed.match(pattern)).find((match) => match);
    if (seen) return Promise.resolve(seen);
    return new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`No line matching ${pattern} within ${WAIT_MS} ms. Output:\n${output.join("\n")}`)),
        WAIT_MS,
      );
      const watcher = {
        pattern,
        found: (match: RegExpMatchArray) => {
          clearTimeout(timer);
          resolve(match);
        },
      };
      watchers.push(watcher);
      // Every line is in by the exit: a pattern still waited for then never comes.
      exited.then(() => {
        if (!watchers.includes(watcher)) return;
        watchers.splice(watchers.indexOf(watcher), 1);
        clearTimeout(timer);
        reject(new Error(`The command exited with no line matching ${pattern}. Output:\n${output.join("\n")}`));
      }, reject);
    });
  };
  return { child, output, text: () => text, line, exited };
}

/** `npm run <script> -- <args>` started with `env`. */
export function startScript(script: string, args: string[], env: Record<string, string>, input = ""): RunningCommand {
  return startCommand(scriptCommand(script, args), env, input);
}

/** Runs `argv` to its end with `input` on stdin. */
export async function runCommand(argv: string[], env: Record<string, string>, input = ""): Promise<CommandRun> {
  const command = startCommand(argv, env, input);
  const { code } = await command.exited;
  return { code, output: command.text() };
}

/**
 * Runs `argv` until it prints a line matching `ready`, then stops it with SIGTERM; resolves when it
 * has exited (by itself, if it never printed the line).
 */
export async function runUntil(argv: string[], env: Record<string, string>, ready: RegExp): Promise<CommandRun> {
  const command = startCommand(argv, env);
  command.line(ready).then(
    () => command.child.exitCode === null && command.child.kill("SIGTERM"),
    () => {},
  );
  const { code } = await command.exited;
  return { code, output: command.text() };
}

/** `npm run <script> -- <args>` with `env`, to its end. */
export function runScript(script: string, args: string[], env: Record<string, string>, input = ""): Promise<CommandRun> {
  return runCommand(scriptCommand(script, args), env, input);
}

/** Whether the output shows a stack trace (a line `    at function (file:line:column)`). */
export function hasStackTrace(output: string): boolean {
  return /^\s+at .*:\d+:\d+\)?$/m.test(output);
}

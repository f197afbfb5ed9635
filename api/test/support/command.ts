/**
 * A project command as the operator runs it: `api/src/cli/<file>.ts` in a child process on the test
 * database (DATABASE_URL is its owner, as on an external server), with its output lines and its exit.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { projectRoot } from "../../src/paths.ts";
import { authenticatorUrl, ownerUrl } from "./database.ts";

/** How long a command may take to print a line (the production server: to start); far more than any needs. */
const WAIT_MS = 90_000;

export interface RunningCommand {
  child: ChildProcess;
  /** Every line printed so far, stdout and stderr together. */
  output: string[];
  /** Resolves with the match of the first line (printed or to come) that matches. */
  line(pattern: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The environment of a command on the test database: no superuser, so it creates nothing. */
export function testDatabaseEnv(): NodeJS.ProcessEnv {
  const { ROOT_DATABASE_URL: _root, SHADOW_DATABASE_URL: _shadow, ...env } = process.env;
  return { ...env, DATABASE_URL: ownerUrl(), AUTH_DATABASE_URL: authenticatorUrl() };
}

export function startCommand(file: string, args: string[] = [], env: NodeJS.ProcessEnv = testDatabaseEnv()): RunningCommand {
  const child = spawn(process.execPath, ["--import", "tsx", `api/src/cli/${file}.ts`, ...args], {
    cwd: projectRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const watchers: { pattern: RegExp; found: (match: RegExpMatchArray) => void }[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    let partial = "";
    stream.on("data", (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop()!;
      for (const text of lines) {
        output.push(text);
        for (const watcher of watchers.filter(({ pattern }) => pattern.test(text))) {
          watchers.splice(watchers.indexOf(watcher), 1);
          watcher.found(text.match(watcher.pattern)!);
        }
      }
    });
  }
  // "close" comes after the process exited and its output streams ended: every line is in `output`.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal })),
  );
  const line = (pattern: RegExp) => {
    const seen = output.map((text) => text.match(pattern)).find((match) => match);
    if (seen) return Promise.resolve(seen);
    return new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`No line matching ${pattern} within ${WAIT_MS} ms. Output:\n${output.join("\n")}`)),
        WAIT_MS,
      );
      watchers.push({
        pattern,
        found: (match) => {
          clearTimeout(timer);
          resolve(match);
        },
      });
    });
  };
  return { child, output, line, exited };
}

/** Runs the command to its end; resolves with its exit code and every line it printed. */
export async function runCommand(
  file: string,
  args: string[] = [],
  env?: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string[] }> {
  const command = startCommand(file, args, env);
  const { code } = await command.exited;
  return { code, output: command.output };
}

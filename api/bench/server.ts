/**
 * The API server the HTTP comparisons load, in processes of its own (as in production) so that the
 * load generator does not share its event loop; `processes` > 1 runs that many behind one port
 * (node:cluster), on the same cores.
 */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import type { Database } from "../src/db/cluster.ts";
import { projectRoot } from "../src/paths.ts";

export interface BenchServer {
  url: string;
  jwtSecret: string;
  webhookSecret: string;
  stop(): Promise<void>;
}

export interface ServerOptions {
  processes?: number;
  /** Extra arguments for node (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** The web build to serve at / (none by default: the HTTP comparisons call /graphql only). */
  webRoot?: string;
}

export async function startServerProcess(
  db: Database,
  { processes = 1, nodeArgs = [], webRoot }: ServerOptions = {},
): Promise<BenchServer> {
  const jwtSecret = crypto.randomBytes(32).toString("hex");
  const webhookSecret = crypto.randomBytes(32).toString("hex");
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", path.join(import.meta.dirname, "server-process.ts")], {
    cwd: projectRoot,
    env: {
      ...process.env,
      NODE_ENV: "production",
      BENCH_URLS: JSON.stringify(db.urls),
      BENCH_JWT_SECRET: jwtSecret,
      BENCH_WEBHOOK_SECRET: webhookSecret,
      BENCH_PROCESSES: String(processes),
      ...(webRoot ? { BENCH_WEB_ROOT: webRoot } : {}),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const line = output.split("\n").find((candidate) => candidate.startsWith("{"));
      if (line) resolve(JSON.parse(line).url);
    });
    child.once("exit", (code) => reject(new Error(`The server exited (${code}) before it listened.`)));
  });
  return {
    url,
    jwtSecret,
    webhookSecret,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

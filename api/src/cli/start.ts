/**
 * `npm start` (after `prestart` builds the web app): the project database (embedded in .data/ or
 * DATABASE_URL), its migrations, the sample data on first run, then the API and the web app on one
 * port. Ctrl-C (or SIGTERM) stops the server and then the database: the only signal handlers of the
 * commands are here.
 *
 * In development this is one process. With NODE_ENV=production it is a node:cluster (supervisor.ts):
 * this process becomes the primary, which opens the database, runs the migrations and then forks
 * one API worker per core (WEB_CONCURRENCY to choose), replaces a worker that dies, and on a signal
 * stops the workers, then the database. The workers run `worker()` below.
 */
import cluster from "node:cluster";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { withClient } from "../db/client.ts";
import { migrateDatabase } from "../db/migrations.ts";
import { loadSampleDataIfDevelopment } from "../db/sample-data.ts";
import { startServer, type RunningServer } from "../server/app.ts";
import { ClusterLimiterClient } from "../server/cluster-limiter.ts";
import { serverRunsMaintenance } from "../server/maintenance.ts";
import { paymentWebhookSecret } from "../server/payments-webhook.ts";
import { smsGatewayFor } from "../server/sms.ts";
import { superviseWorkers, workerCount, type WorkerConfig, type WorkerReady } from "../server/supervisor.ts";
import { dataDir } from "../paths.ts";
import { openProjectDatabase } from "./project-database.ts";

const secretFile = path.join(dataDir, "jwt-secret");

/**
 * JWT_SECRET, or for local use a random secret made once and kept in .data/jwt-secret (readable by
 * this user only) so logins survive restarts. A production deployment must name its own.
 */
function jwtSecret(): string {
  if (process.env.JWT_SECRET) return process.env.JWT_SECRET;
  if (process.env.DATABASE_URL && process.env.NODE_ENV === "production") {
    throw new Error("JWT_SECRET must be set when NODE_ENV=production and DATABASE_URL are set.");
  }
  if (!fs.existsSync(secretFile)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(secretFile, crypto.randomBytes(48).toString("base64url"), { mode: 0o600, flag: "wx" });
  }
  return fs.readFileSync(secretFile, "utf8").trim();
}

function step(message: string): () => void {
  const started = Date.now();
  console.log(`${message}…`);
  return () => console.log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const production = process.env.NODE_ENV === "production";

/** Admins the database has: a production database starts with none (docs/production.md). */
async function adminCount(ownerUrl: string): Promise<number> {
  return withClient(ownerUrl, async (client) => {
    const { rows } = await client.query<{ count: number }>("select count(*)::int as count from telecom_private.admin_user");
    return rows[0].count;
  });
}

function banner(url: string, workers: string, admins: number): string {
  const demo = production
    ? admins === 0
      ? "\nNo admin yet: create the first one with `npm run admin:create` (docs/production.md).\n"
      : ""
    : `
Demo logins:
  customer  mobile 01012345678, password telecom-demo (every sample customer uses telecom-demo)
  admin     username admin, password telecom-admin
`;
  return `
Telecom is running${workers}.
  App:      ${url}/
  GraphQL:  ${url}/graphql
  GraphiQL: ${url}/graphiql  (for admins: the link in the web app's admin pages carries the login)
  Health:   ${url}/health
${demo}
Press Ctrl-C to stop the server and the database.`;
}

async function main(): Promise<void> {
  const secret = jwtSecret();
  // What every worker would refuse to start without, said once and before the database starts.
  if (production) {
    paymentWebhookSecret(true);
    smsGatewayFor(true);
    serverRunsMaintenance();
  }
  let done = step("Starting the database");
  const db = await openProjectDatabase("api");
  done();
  console.log(`  ${db.description}`);
  try {
    done = step("Applying migrations");
    const { created } = await migrateDatabase(db.urls);
    done();
    if (created) {
      done = step(
        production ? "Leaving the new production database empty (no sample data, no demo logins)" : "Loading the sample data (first run)",
      );
      await loadSampleDataIfDevelopment(db.urls.owner);
      done();
    }
    const port = Number(process.env.PORT ?? 5678);
    const host = process.env.HOST ?? "localhost";
    let server: Pick<RunningServer, "url" | "close">;
    let workers = "";
    if (production) {
      const count = workerCount();
      done = step(`Starting ${count} API worker${count === 1 ? "" : "s"}`);
      const supervisor = await superviseWorkers({ count, urls: db.urls, jwtSecret: secret, port, host });
      done();
      console.log(`  worker pids: ${supervisor.pids().join(", ")}`);
      server = { url: supervisor.url, close: () => supervisor.stop() };
      workers = ` (${count} API worker${count === 1 ? "" : "s"}, supervised by pid ${process.pid})`;
    } else {
      done = step("Starting the API server");
      server = await startServer({ port, host, urls: db.urls, jwtSecret: secret });
      done();
    }
    const stop = async (signal: NodeJS.Signals) => {
      console.log(`\n${signal}: stopping the server, then ${db.description}`);
      try {
        await server.close();
      } finally {
        await db.stop();
      }
      process.exit(0);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    console.log(banner(server.url, workers, await adminCount(db.urls.owner)));
  } catch (error) {
    await db.stop();
    throw error;
  }
}

/**
 * A production worker: the primary sends the database URLs and the secret, the worker serves on the
 * shared port and says so. Only the first worker runs the SMS sender and the maintenance tick.
 * SIGTERM (the primary's, at shutdown) closes its server and exits; so does the loss of the primary.
 */
async function worker(): Promise<void> {
  // Ctrl-C in a terminal reaches every process of its group: the primary stops the workers, then
  // the database, so a worker leaves SIGINT to it (and stops on its SIGTERM, or when it is gone).
  process.on("SIGINT", () => {});
  const config = await new Promise<WorkerConfig>((resolve) => {
    const onMessage = (message: unknown) => {
      if ((message as WorkerConfig | null)?.telecom !== "worker:config") return;
      process.off("message", onMessage);
      resolve(message as WorkerConfig);
    };
    process.on("message", onMessage);
  });
  const server = await startServer({
    port: config.port,
    host: config.host,
    urls: config.urls,
    jwtSecret: config.jwtSecret,
    limiter: new ClusterLimiterClient(),
    ...(config.background ? {} : { smsGateway: null, maintenance: false as const }),
  });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= server.close().finally(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("disconnect", stop);
  process.send!({ telecom: "worker:ready", url: server.url } satisfies WorkerReady);
}

if (cluster.isWorker) {
  worker().catch((error) => {
    console.error(`API worker ${process.pid} failed to start: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
} else {
  main().catch((error) => {
    const hint = error?.code === "EADDRINUSE" ? ` (another server uses the port: stop it, or choose another with PORT)` : "";
    console.error(`\nnpm start failed: ${error instanceof Error ? error.message : error}${hint}`);
    process.exit(1);
  });
}

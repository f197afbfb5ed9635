/** Where the project's files are: every command and test finds them from here, whatever the working directory. */
import path from "node:path";

export const projectRoot = path.resolve(import.meta.dirname, "../..");

/** The commands' own state: the embedded cluster and its log, the JWT secret, the bench's cluster. */
export const dataDir = path.join(projectRoot, ".data");

/** graphile-migrate's folder: committed migrations, current/, fixtures/ and afterReset.sql. */
export const migrationsDir = path.join(projectRoot, "migrations");

/**
 * `npm run admin:create [-- --username NAME]`: makes an admin of the project database, such as the
 * first one of a production database (docs/production.md). On a terminal it asks for the username
 * (unless given) and for the password twice, hidden. Without a terminal (a script) it takes
 * `--username` and reads the password from the first line of stdin. The password is hashed by the
 * database, whose rules apply (telecom_private.hash_password: at least 8 characters, at most 72 bytes).
 */
import type pg from "pg";
import { withClient } from "../db/client.ts";
import { commandLine, usageError } from "./args.ts";
import { withProjectDatabase } from "./project-database.ts";
import { firstLineOfStdin, PromptInterrupted, TerminalPrompt } from "./terminal-prompt.ts";

const USAGE = "npm run admin:create [-- --username NAME]  (without a terminal: --username, and the password on stdin)";
const { values } = commandLine(USAGE, { options: { username: { type: "string" } } });

/** The username and password, asked on the terminal or read from the command line and stdin. */
async function credentials(): Promise<{ username: string; password: string }> {
  if (!process.stdin.isTTY) {
    if (values.username === undefined) usageError(USAGE, "Without a terminal, give --username and the password on stdin.");
    return { username: values.username, password: await firstLineOfStdin() };
  }
  const prompt = new TerminalPrompt();
  try {
    const username = values.username ?? (await prompt.ask("Username: "));
    const password = await prompt.ask("Password: ", { hidden: true });
    if ((await prompt.ask("Password again: ", { hidden: true })) !== password) {
      throw new Error("The two passwords differ: no admin was created.");
    }
    return { username, password };
  } finally {
    prompt.close();
  }
}

/** Stores the admin with the password hashed by the database; what a refusal means, in words. */
async function createAdmin(ownerUrl: string, username: string, password: string): Promise<number> {
  try {
    return await withClient(ownerUrl, async (client) => {
      const { rows } = await client.query<{ admin_id: number }>(
        `insert into telecom_private.admin_user (username, password_hash)
         values ($1, telecom_private.hash_password($2))
         returning admin_id`,
        [username, password],
      );
      return rows[0].admin_id;
    });
  } catch (error) {
    if ((error as pg.DatabaseError).code === "23505") {
      throw new Error(`There is already an admin "${username}" (usernames ignore case): no admin was created.`);
    }
    // The password rules (TC212, TC221) answer in words already.
    throw error;
  }
}

let given: { username: string; password: string };
try {
  given = await credentials();
} catch (error) {
  console.error((error as Error).message);
  process.exit(error instanceof PromptInterrupted ? 130 : 1);
}
const username = given.username.trim();
// authenticate_admin takes a username of 1 to 64 characters: another could never log in.
if ([...username].length < 1 || [...username].length > 64) {
  console.error("A username has 1 to 64 characters: no admin was created.");
  process.exit(1);
}

await withProjectDatabase("admin-create", async (db) => {
  const adminId = await createAdmin(db.urls.owner, username, given.password);
  console.log(`Admin "${username}" created (admin_id ${adminId}) in ${db.description}: they log in with that username and password.`);
});

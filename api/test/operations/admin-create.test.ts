/**
 * `npm run admin:create` (docs/production.md) as a child process on a new production database of a
 * throwaway embedded cluster: from a script (--username, the password on stdin) and on a terminal
 * (`script` from util-linux gives it one), where the password is asked twice and never shown. The
 * admin logs in with what was given; the database's password rules and a taken username are refused
 * in words, with no admin made.
 */
import { spawn } from "node:child_process";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { withClient } from "../../src/db/client.ts";
import type { DatabaseUrls } from "../../src/db/cluster.ts";
import { projectRoot } from "../../src/paths.ts";
import {
  buildDatabase,
  commandEnv,
  hasStackTrace,
  runScript,
  scriptCommand,
  startScratchServer,
  type CommandRun,
  type ScratchServer,
} from "../support/commands.ts";

interface Context {
  server: ScratchServer;
  urls: DatabaseUrls;
}

const test = suite<Context>("npm run admin:create");

const settings = ({ urls }: Context) => ({ DATABASE_URL: urls.owner, ROOT_DATABASE_URL: urls.root! });

/** Whether authenticate_admin signs a token for the pair (as the web app's admin login calls it): an admin's token names them. */
async function logsIn({ urls }: Context, username: string, password: string): Promise<boolean> {
  const { rows } = await withClient(urls.owner, (client) =>
    client.query("select (telecom.authenticate_admin($1, $2)).admin_id is not null as signed", [username, password]),
  );
  return rows[0].signed;
}

async function admins({ urls }: Context): Promise<string[]> {
  const { rows } = await withClient(urls.owner, (client) =>
    client.query("select username::text from telecom_private.admin_user order by admin_id"),
  );
  return rows.map((row) => row.username);
}

/**
 * Runs admin:create on a terminal of its own and types each answer once its question is shown, as a
 * person would; resolves with what the terminal showed.
 */
function onTerminal(context: Context, dialog: [question: string, answer: string][], args: string[] = []): Promise<CommandRun> {
  const command = scriptCommand("admin:create", args)
    .map((word) => `'${word.replaceAll("'", "'\\''")}'`)
    .join(" ");
  const child = spawn("script", ["-q", "-e", "-c", command, "/dev/null"], { cwd: projectRoot, env: commandEnv(settings(context)) });
  let output = "";
  let asked = 0;
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    const next = dialog[asked];
    if (next && output.endsWith(next[0])) {
      asked++;
      child.stdin.write(`${next[1]}\r`);
    }
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

test.before(async (context) => {
  context.server = await startScratchServer();
  context.urls = context.server.urlsFor("telecom_prod");
  await buildDatabase(context.urls, "production");
});

test.after(async ({ server }) => {
  await server?.stop();
});

test("from a script: --username and the password on stdin make an admin who logs in with them", async (context) => {
  const run = await runScript("admin:create", ["--username", "ops-lead"], settings(context), "correct horse battery\n");
  assert.is(run.code, 0, run.output);
  assert.match(
    run.output,
    /^Admin "ops-lead" created \(admin_id \d+\) in PostgreSQL at postgres:\/\/telecom_owner:\*\*\*@localhost:\d+\/telecom_prod: they log in with that username and password\.\n$/,
  );
  assert.ok(await logsIn(context, "ops-lead", "correct horse battery"));
  assert.not.ok(await logsIn(context, "ops-lead", "correct horse"));
});

test("a username taken, in any case, is refused and no admin is made", async (context) => {
  const run = await runScript("admin:create", ["--username", "OPS-LEAD"], settings(context), "another good password\n");
  assert.is(run.code, 1);
  assert.is(run.output, 'There is already an admin "OPS-LEAD" (usernames ignore case): no admin was created.\n');
  assert.equal(await admins(context), ["ops-lead"]);
});

test("the database's password rules apply: too short, and over 72 bytes", async (context) => {
  for (const [password, message] of [
    ["short", "The password must have at least 8 characters.\n"],
    ["é".repeat(37), "A password has at most 72 bytes (72 letters without accents, fewer with them).\n"],
  ]) {
    const run = await runScript("admin:create", ["--username", "night-shift"], settings(context), `${password}\n`);
    assert.is(run.code, 1);
    assert.is(run.output, message);
    assert.not.ok(hasStackTrace(run.output));
  }
  assert.equal(await admins(context), ["ops-lead"]);
});

test("without a terminal, --username is needed; a username has 1 to 64 characters", async (context) => {
  const missing = await runScript("admin:create", [], settings(context), "correct horse battery\n");
  assert.is(missing.code, 2);
  assert.match(missing.output, /^Without a terminal, give --username and the password on stdin\.\nUsage: npm run admin:create/);
  const long = await runScript("admin:create", ["--username", "a".repeat(65)], settings(context), "correct horse battery\n");
  assert.is(long.code, 1);
  assert.is(long.output, "A username has 1 to 64 characters: no admin was created.\n");
  assert.equal(await admins(context), ["ops-lead"]);
});

test("on a terminal: the username is shown as typed, the password asked twice and never shown", async (context) => {
  const password = "tea at four o'clock";
  const run = await onTerminal(context, [
    ["Username: ", "desk"],
    ["Password: ", password],
    ["Password again: ", password],
  ]);
  assert.is(run.code, 0, run.output);
  assert.match(run.output, /^Username: desk\r\nPassword: \r\nPassword again: \r\nAdmin "desk" created/);
  assert.not.match(run.output, "tea");
  assert.ok(await logsIn(context, "desk", password));
});

test("on a terminal: two different passwords make no admin", async (context) => {
  const run = await onTerminal(
    context,
    [
      ["Password: ", "first password"],
      ["Password again: ", "second password"],
    ],
    ["--username", "mismatch"],
  );
  assert.is(run.code, 1);
  assert.match(run.output, /^Password: \r\nPassword again: \r\nThe two passwords differ: no admin was created\.\r\n$/);
  assert.equal(await admins(context), ["ops-lead", "desk"]);
});

test.run();

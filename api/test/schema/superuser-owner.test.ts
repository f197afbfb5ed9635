/** The commands refuse a superuser DATABASE_URL (docs/security.md): objects it created would make security definer functions run as a superuser. */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { openDatabase } from "../../src/db/cluster.ts";
import { ownerUrl, superuserUrl } from "../support/database.ts";

const test = suite("a superuser DATABASE_URL");

async function openWith(url: string): Promise<unknown> {
  const saved = process.env.DATABASE_URL;
  process.env.DATABASE_URL = url;
  try {
    const db = await openDatabase({ dataDir: "/nonexistent", port: 1, application: "test" });
    await db.stop();
    return undefined;
  } catch (error) {
    return error;
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  }
}

test("is refused with the way to set up the owner", async () => {
  const error = await openWith(superuserUrl());
  assert.instance(error, Error);
  assert.match((error as Error).message, /a superuser/);
  assert.match((error as Error).message, /telecom_owner/);
  assert.match((error as Error).message, /ROOT_DATABASE_URL/);
});

test("the owner's URL is accepted", async () => {
  assert.is(await openWith(ownerUrl()), undefined);
});

test.run();

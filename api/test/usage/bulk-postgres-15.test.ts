/**
 * The bulk load on PostgreSQL 15 (the project supports any PostgreSQL 15 or later, such as Debian's), which has no
 * pg_input_is_valid: the file's fields are parsed by parses_as, a cast in a subtransaction there.
 * Its own embedded PostgreSQL 15, built from the migrations.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { freePort, startEmbedded, type Database } from "../../src/db/cluster.ts";
import { withClient } from "../../src/db/client.ts";
import { resetDatabase } from "../../src/db/migrations.ts";
import { loadUsageFile } from "../../src/usage/bulk-load.ts";

const test = suite<{ db: Database; dir: string }>("usage: bulk load on PostgreSQL 15");

test.before(async (context) => {
  context.dir = fs.mkdtempSync(path.join(os.tmpdir(), "telecom-pg15-"));
  context.db = await startEmbedded({
    dataDir: context.dir,
    port: await freePort(),
    databaseName: "telecom_pg15",
    version: 15,
    application: "test",
  });
  await resetDatabase(context.db.urls);
});

test.after(async ({ db, dir }) => {
  await db.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("a file with good and bad ids and times is rated and reported as on later versions", async ({ db, dir }) => {
  const version = await withClient(db.urls.owner, async (owner) => {
    await owner.query(
      `insert into telecom.customer_profile (national_id, first_name, last_name, date_of_birth) values (150001, 'Fifteen', 'Test', '1990-01-01');
       insert into telecom.customer_account (mobile_no, national_id, balance, account_type, start_date, status)
       values ('01150000001', 150001, 0, 'post_paid', current_date - 30, 'active')`,
    );
    return (await owner.query<{ version: string }>("select current_setting('server_version_num') as version")).rows[0].version;
  });
  assert.match(version, /^15/);
  const at = new Date(Date.now() - 60_000).toISOString();
  const file = path.join(dir, "events.csv");
  fs.writeFileSync(
    file,
    [
      "event_id,mobile_no,kind,quantity,occurred_at",
      `${crypto.randomUUID()},01150000001,sms,1,${at}`,
      `not-a-uuid,01150000001,sms,1,${at}`,
      `${crypto.randomUUID()},01150000001,sms,1,2026-02-31T10:00:00Z`,
      `${crypto.randomUUID()},01150000001,sms,1,yesterday-ish`,
    ].join("\n") + "\n",
  );
  const result = await loadUsageFile(db.urls.owner, file);
  assert.is(result.rated, 1);
  assert.is(result.charged, 1, "no plan: the message is charged at the tariff");
  assert.equal(
    result.rejected.map((line) => [line.line, line.code]),
    [
      [3, "TC407"],
      [4, "TC404"],
      [5, "TC404"],
    ],
  );
});

test.run();

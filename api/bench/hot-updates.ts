/**
 * How many updates of `wallet` and `customer_account` are HOT (heap-only: no new index entries),
 * with each table's fillfactor as the migrations set it, with 100 (PostgreSQL's default), and as set
 * but without the wallet's balance index (dropped in the throwaway database only), on a
 * throwaway embedded cluster of `--customers N` synthetic customers (default 20,000). Each round
 * rewrites both tables at that fillfactor (VACUUM FULL), then runs `--operations N` (default 1,000)
 * transfers between customers' wallets and as many cash recharges of their accounts, each on another
 * customer spread over the table (as in production, where an account is rarely updated twice between
 * two vacuums), and reads pg_stat_user_tables' n_tup_upd and n_tup_hot_upd before and after. Run it with
 * `npx tsx api/bench/hot-updates.ts`: it prints the figures and writes them to
 * `.data/bench/hot-updates.json`; docs/money.md explains them.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { freePort, startEmbedded, withDatabase } from "../src/db/cluster.ts";
import { resetDatabase } from "../src/db/migrations.ts";
import { generateSyntheticData } from "../src/db/synthetic-data.ts";
import { projectRoot } from "../src/paths.ts";
import { claimsSql } from "./measure.ts";

const TABLES = ["wallet", "customer_account"] as const;
const OUTPUT = path.join(projectRoot, ".data", "bench", "hot-updates.json");

const { values } = parseArgs({
  options: { customers: { type: "string", default: "20000" }, operations: { type: "string", default: "1000" } },
});
const customers = Number(values.customers);
const operations = Number(values.operations);

type Counts = Record<(typeof TABLES)[number], { updates: number; hot: number }>;

async function counts(client: pg.Client): Promise<Counts> {
  const { rows } = await client.query<{ relname: (typeof TABLES)[number]; updates: string; hot: string }>(
    "select relname, n_tup_upd as updates, n_tup_hot_upd as hot from pg_stat_user_tables where schemaname = 'telecom' and relname = any($1)",
    [TABLES],
  );
  return Object.fromEntries(rows.map((row) => [row.relname, { updates: Number(row.updates), hot: Number(row.hot) }])) as Counts;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "telecom-hot-"));
const db = await startEmbedded({ dataDir: dir, port: await freePort(), databaseName: "telecom_hot", application: "bench" });
try {
  await resetDatabase(db.urls);
  const superuserUrl = withDatabase(db.urls.root!, "telecom_hot");
  await generateSyntheticData(db.urls.owner, { customers, superuserUrl });
  const root = new pg.Client({ connectionString: superuserUrl });
  const worker = new pg.Client({ connectionString: db.urls.authenticator });
  const owner = new pg.Client({ connectionString: db.urls.owner });
  await Promise.all([root.connect(), worker.connect(), owner.connect()]);
  // The cluster stops when the script ends, failed or not: the connections' goodbyes are expected.
  for (const client of [root, worker, owner]) client.on("error", () => {});
  const { rows: migrated } = await root.query<{ relname: string; fillfactor: string | null }>(
    `select relname, (select split_part(option, '=', 2) from unnest(reloptions) as option where option like 'fillfactor=%') as fillfactor
     from pg_class where oid in ('telecom.wallet'::regclass, 'telecom.customer_account'::regclass) order by relname`,
  );
  const { rows: owners } = await root.query<{ mobile_no: string; national_id: number }>(
    `select wallet.mobile_no, wallet.national_id
     from telecom.wallet as wallet
     inner join telecom.customer_account as account on account.mobile_no = wallet.mobile_no
     where account.status = 'active' and wallet.current_balance >= 100 and wallet.currency = 'EGP'
     order by md5(wallet.wallet_id::text)
     limit $1`,
    [operations],
  );
  const results = [];
  // The last round asks what the balance index costs (docs/performance.md): it is dropped in this
  // throwaway database only.
  for (const setting of ["migrations", "100", "migrations, without wallet_current_balance_idx"]) {
    if (setting.endsWith("without wallet_current_balance_idx")) await root.query("drop index telecom.wallet_current_balance_idx");
    for (const table of migrated) {
      const fillfactor = setting.startsWith("migrations") ? (table.fillfactor ?? "100") : setting;
      await root.query(`alter table telecom.${table.relname} set (fillfactor = ${fillfactor})`);
      await root.query(`vacuum full telecom.${table.relname}`);
    }
    const before = await counts(root);
    for (let i = 0; i < operations; i++) {
      const from = owners[i % owners.length];
      const to = owners[(i + 1) % owners.length];
      await worker.query(
        `begin; ${claimsSql(worker, { role: "telecom_customer", mobile_no: from.mobile_no, national_id: from.national_id })}`,
      );
      await worker.query("select telecom.transfer_to_mobile($1, 0.01)", [to.mobile_no]);
      await worker.query("commit");
      await owner.query("select telecom.initiate_balance_payment($1, 1, 'cash')", [from.mobile_no]);
    }
    await worker.query("select pg_stat_force_next_flush()");
    await owner.query("select pg_stat_force_next_flush()");
    await worker.query("select 1");
    await owner.query("select 1");
    const after = await counts(root);
    const { rows: factors } = await root.query<{ relname: string; reloptions: string[] | null }>(
      "select relname, reloptions from pg_class where oid in ('telecom.wallet'::regclass, 'telecom.customer_account'::regclass) order by relname",
    );
    for (const table of TABLES) {
      const updates = after[table].updates - before[table].updates;
      const hot = after[table].hot - before[table].hot;
      results.push({
        round: setting,
        table,
        reloptions: factors.find((row) => row.relname === table)?.reloptions ?? [],
        updates,
        hot,
        hotShare: updates > 0 ? Number((hot / updates).toFixed(3)) : null,
      });
    }
  }
  const report = JSON.stringify(
    {
      command: `npx tsx api/bench/hot-updates.ts --customers ${customers} --operations ${operations}`,
      machine: `${os.cpus().length} cores, ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GB`,
      at: new Date().toISOString(),
      results,
    },
    null,
    2,
  );
  fs.mkdirSync(path.dirname(OUTPUT), { recursive: true });
  fs.writeFileSync(OUTPUT, `${report}\n`);
  console.log(report);
  await Promise.all([root.end(), worker.end(), owner.end()]);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await db.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

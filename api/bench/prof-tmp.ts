import fs from "node:fs";
import { withClient } from "../src/db/client.ts";
import { loadUsageFile } from "../src/usage/bulk-load.ts";
import { benchDir, benchSuperuserUrl, openBenchDatabase } from "./database.ts";
import { SYNTHETIC_NUMBERS } from "./seed.ts";
const events = Number(process.argv[2] ?? 200000);
const explain = process.argv[3] === "explain";
const db = await openBenchDatabase();
try {
  if (process.env.APPLY) await (await import("../src/db/migrations.ts")).applyCurrentMigration(db.urls);
  const su = benchSuperuserUrl(db);
  const nos = await withClient(su, async (c) => {
    await c.query("update telecom.subscription set paid_until = current_date - 10 + floor(random() * 41)::integer where status = 'active'");
    await c.query("vacuum analyze");
    if (explain) await c.query(`alter role telecom_owner in database telecom_bench set session_preload_libraries = 'auto_explain';
      alter role telecom_owner in database telecom_bench set auto_explain.log_min_duration = 3;
      alter role telecom_owner in database telecom_bench set auto_explain.log_analyze = on;
      alter role telecom_owner in database telecom_bench set auto_explain.log_nested_statements = on;
      alter role telecom_owner in database telecom_bench set auto_explain.log_triggers = on;
      alter role telecom_owner in database telecom_bench set auto_explain.log_timing = off;`);
    if (process.env.RPC) await c.query(`alter role telecom_owner in database telecom_bench set random_page_cost = ${process.env.RPC}`);
    return (await c.query(`select mobile_no from telecom.customer_account where mobile_no like ${SYNTHETIC_NUMBERS} and start_date < current_date - 1`)).rows.map((r) => r.mobile_no);
  });
  const file = `${benchDir}/prof.csv`;
  const now = Date.now();
  const lines = ["event_id,mobile_no,kind,quantity,occurred_at"];
  for (let n = 0; n < events; n++) {
    const d = Math.random(); const kind = d < 0.5 ? "data" : d < 0.8 ? "voice" : "sms";
    const q = kind === "data" ? (Math.random() * 60 + 0.1).toFixed(1) : kind === "voice" ? (Math.random() * 8 + 0.05).toFixed(2) : "1";
    lines.push(`${crypto.randomUUID()},${nos[Math.floor(Math.random() * nos.length)]},${kind},${q},${new Date(now - 60000 - Math.floor(Math.random() * 86400000)).toISOString()}`);
  }
  fs.writeFileSync(file, lines.join("\n") + "\n");
  const logSize = fs.statSync(`${benchDir}/postgres.log`).size;
  const url = process.argv[4] === "replica" ? su + (su.includes("?") ? "&" : "?") + "options=-c%20session_replication_role%3Dreplica" : db.urls.owner;
  const r = await loadUsageFile(url, file, { connections: Number(process.env.CONN ?? 2) });
  console.log({ ...r, rejected: r.rejected.length, rate: Math.round(r.rated / (r.elapsedMs / 1000)) });
  fs.writeFileSync("/tmp/prof.log", fs.readFileSync(`${benchDir}/postgres.log`).subarray(logSize));
  await withClient(su, (c) => c.query("alter role telecom_owner in database telecom_bench reset all"));
} finally { await db.stop(); }

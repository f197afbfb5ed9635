/**
 * `npm run bench:attack`: the tight figures of the attack test. A throwaway embedded
 * PostgreSQL with the schema (no data needed), the server in production mode in its own process,
 * then:
 *   1. refusal latency: each hostile document sent one at a time (p50, p95, max);
 *   2. /health under attack: 16 clients send hostile documents as fast as they can for --duration
 *      seconds while /health is asked every 50 ms (p50, p95, max; target ≤ 200 ms each).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { commandLine, positiveOption } from "../src/cli/args.ts";
import { freePort, startEmbedded } from "../src/db/cluster.ts";
import { resetDatabase } from "../src/db/migrations.ts";
import { projectRoot } from "../src/paths.ts";
import { signToken } from "../src/server/jwt.ts";
import { summarize } from "./measure.ts";

const USAGE = "npm run bench:attack -- [--duration SECONDS] [--clients N] [--samples N]";
const { values } = commandLine(USAGE, {
  options: { duration: { type: "string" }, clients: { type: "string" }, samples: { type: "string" } },
});
const durationMs = positiveOption(USAGE, "duration", values.duration, 10) * 1000;
const attackers = positiveOption(USAGE, "clients", values.clients, 16, true);
const samples = positiveOption(USAGE, "samples", values.samples, 200, true);

const doubling = `query Doubling { ...F0 } ${Array.from({ length: 20 }, (_, level) =>
  level < 19
    ? `fragment F${level} on Query { ...F${level + 1} ...F${level + 1} }`
    : `fragment F${level} on Query { servicePlans { totalCount } }`,
).join(" ")}`;
const aliases = `{ ${Array.from({ length: 1_000 }, (_, index) => `a${index}: servicePlans { totalCount }`).join(" ")} }`;
let nested = "shopId";
for (let level = 0; level < 15; level++) nested = `vouchers { nodes { shop { ${nested} } } }`;
const relations = "{ shops { nodes { vouchers { nodes { shop { vouchers { totalCount } } } } } } }";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "telecom-bench-attack-"));
const db = await startEmbedded({ dataDir: dir, port: await freePort(), databaseName: "telecom_bench_attack", application: "bench" });
const secret = "bench-attack-secret";
// Admins may send any document, so theirs meet the bounds; each attacking client is its own admin.
const admins = Array.from({ length: attackers }, (_, index) => signToken(secret, { role: "telecom_admin", admin_id: index + 1 }));
// Every request's text is new (a numbered comment), so no cache of the server's helps it.
let sent = 0;
const attacks: { what: string; body: () => string; asAdmin?: boolean }[] = [
  { what: "fragment doubling, 20 levels (admin)", body: () => JSON.stringify({ query: `${doubling} # ${sent++}` }), asAdmin: true },
  { what: "1,000 aliases (admin)", body: () => JSON.stringify({ query: `${aliases} # ${sent++}` }), asAdmin: true },
  {
    what: "45 levels of relations (admin)",
    body: () => JSON.stringify({ query: `{ shops { nodes { ${nested} } } } # ${sent++}` }),
    asAdmin: true,
  },
  { what: "fragment doubling (visitor)", body: () => JSON.stringify({ query: `${doubling} # ${sent++}` }) },
  { what: "nested relations (visitor)", body: () => JSON.stringify({ query: `${relations} # ${sent++}` }) },
  { what: "batch (visitor)", body: () => JSON.stringify([{ query: relations }, { query: relations }]) },
];

let child: ReturnType<typeof spawn> | undefined;
try {
  await resetDatabase(db.urls);
  child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "server-process.ts")], {
    cwd: projectRoot,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PAYMENT_WEBHOOK_SECRET: "bench-webhook-secret",
      BENCH_URLS: JSON.stringify(db.urls),
      BENCH_JWT_SECRET: secret,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child!.stdout!.on("data", (chunk) => {
      output += chunk;
      const line = output.split("\n").find((candidate) => candidate.startsWith("{"));
      if (line) resolve(JSON.parse(line).url);
    });
    child!.once("exit", (code) => reject(new Error(`The server exited (${code}) before it listened.`)));
  });
  const send = async ({ body, asAdmin }: (typeof attacks)[number], client = 0) => {
    const token = asAdmin ? admins[client] : undefined;
    const response = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body(),
    });
    const answer = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    return answer.errors?.[0]?.extensions?.code ?? `HTTP ${response.status}`;
  };

  console.log(`1. Refusal latency, ${samples} requests each, one at a time (ms)\n`);
  console.log("| document | code | p50 | p95 | max |\n|---|---|---|---|---|");
  for (const attack of attacks) {
    const latencies: number[] = [];
    let code = "";
    for (let index = 0; index < samples; index++) {
      const started = performance.now();
      code = await send(attack);
      latencies.push(performance.now() - started);
    }
    const { p50, p95, max } = summarize(latencies);
    console.log(`| ${attack.what} | ${code} | ${p50.toFixed(1)} | ${p95.toFixed(1)} | ${max.toFixed(1)} |`);
  }

  console.log(`\n2. /health every 50 ms while ${attackers} clients send hostile documents for ${durationMs / 1000} s\n`);
  let running = true;
  let refusals = 0;
  const codes = new Map<string, number>();
  const flood = Array.from({ length: attackers }, async (_, client) => {
    for (let index = client; running; index++) {
      const code = await send(attacks[index % attacks.length], client);
      codes.set(code, (codes.get(code) ?? 0) + 1);
      refusals++;
    }
  });
  const health: number[] = [];
  const until = Date.now() + durationMs;
  while (Date.now() < until) {
    const started = performance.now();
    const response = await fetch(`${url}/health`);
    await response.arrayBuffer();
    health.push(response.status === 200 ? performance.now() - started : Infinity);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  running = false;
  await Promise.all(flood);
  const { p50, p95, max } = summarize(health);
  console.log("| figure | value | target |\n|---|---|---|");
  console.log(
    `| /health p50 / p95 / max | ${p50.toFixed(1)} / ${p95.toFixed(1)} / ${max.toFixed(1)} ms (${health.length} answers) | ≤ 200 ms |`,
  );
  console.log(
    `| refusals | ${(refusals / (durationMs / 1000)).toFixed(0)} per second (${[...codes].map(([code, count]) => `${code} ${count}`).join(", ")}) | |`,
  );
} finally {
  if (child && child.exitCode === null) {
    await new Promise((resolve) => {
      child!.once("exit", resolve);
      child!.kill("SIGTERM");
    });
  }
  await db.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

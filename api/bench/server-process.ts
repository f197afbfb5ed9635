/**
 * The API server of the HTTP comparisons (server.ts starts it): BENCH_PROCESSES processes behind one
 * port (node:cluster shares the listening socket), in production mode (NODE_ENV=production, the web
 * build's trusted documents only), serving the web build at / only when BENCH_WEB_ROOT names it. Prints
 * its URL as one JSON line once every process listens, stops on SIGTERM.
 */
import cluster from "node:cluster";
import { startServer } from "../src/server/app.ts";
import { ClusterLimiterClient, ClusterLimiterHost } from "../src/server/cluster-limiter.ts";
import { PERSISTED_DOCUMENTS_PATH } from "../../web/persisted-documents.ts";

const processes = Number(process.env.BENCH_PROCESSES ?? 1);
const port = Number(process.env.BENCH_PORT ?? 0);

if (cluster.isPrimary && processes > 1) {
  // Workers of one port: listen(0) in a worker would give each its own port, so the primary picks one.
  const { createServer } = await import("node:net");
  const free = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
  let listening = 0;
  // As in production: the concurrency budgets are the primary's, whichever worker serves a request.
  const limiter = new ClusterLimiterHost();
  for (let index = 0; index < processes; index++) {
    const worker = cluster.fork({ BENCH_PORT: String(free) });
    limiter.serve(worker);
    worker.on("message", (message: unknown) => {
      if (message === "listening" && ++listening === processes) console.log(JSON.stringify({ url: `http://127.0.0.1:${free}` }));
    });
  }
  process.once("SIGTERM", () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
    cluster.on("exit", () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  });
} else {
  // The bench sends no SMS anyone reads: the console sender, codes masked, as production allows it.
  process.env.SMS_SENDER ??= "console";
  const server = await startServer({
    port,
    urls: JSON.parse(process.env.BENCH_URLS!),
    jwtSecret: process.env.BENCH_JWT_SECRET!,
    paymentWebhookSecret: process.env.BENCH_WEBHOOK_SECRET!,
    webRoot: process.env.BENCH_WEB_ROOT ?? null,
    // As deployed: the web build's trusted documents only (npm run build writes them).
    production: true,
    trustedDocumentsFile: PERSISTED_DOCUMENTS_PATH,
    limiter: cluster.isWorker ? new ClusterLimiterClient() : undefined,
  });
  if (cluster.isWorker) process.send!("listening");
  else console.log(JSON.stringify({ url: server.url }));
  process.once("SIGTERM", async () => {
    await server.close();
    process.exit(0);
  });
}

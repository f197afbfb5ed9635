/**
 * The API server for the GraphQL comparison, in its own process (as in production) so that the
 * load generator does not share its event loop. Prints its URL as one JSON line, stops on SIGTERM.
 */
import { startServer } from "../src/server/app.ts";

const server = await startServer({
  port: 0,
  urls: JSON.parse(process.env.BENCH_URLS!),
  jwtSecret: process.env.BENCH_JWT_SECRET!,
  webRoot: null,
});
console.log(JSON.stringify({ url: server.url }));
process.once("SIGTERM", async () => {
  await server.close();
  process.exit(0);
});

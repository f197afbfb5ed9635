/**
 * Real connections of their own, for tests of two sessions at once (committed data: each sees only
 * what the other committed), and the wait that orders their events without a timed assertion.
 */
import pg from "pg";
import { getRootPool } from "./database.ts";

/** A connection of its own to `url` (the authenticator's, the owner's…); the test ends it. */
export async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** Resolves once `client`'s backend is waiting for a lock, so the order of events is certain. */
export async function waitingForLock(client: pg.Client): Promise<void> {
  const pid = (client as unknown as { processID: number }).processID;
  for (let tries = 0; tries < 200; tries += 1) {
    const { rows } = await getRootPool().query("select wait_event_type from pg_stat_activity where pid = $1", [pid]);
    if (rows[0]?.wait_event_type === "Lock") return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("The session never waited for a lock.");
}

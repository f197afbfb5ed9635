/**
 * The server's one maintenance tick (docs/money.md): every minute it calls `telecom.maintenance_tick()`
 * on the owner's connection (a trusted session), which runs the scheduled work in SQL (stale card
 * payments, and the admin figures when they are older than five minutes; usage partitions
 * later). There is no pg_cron and no other timer. Ticks never overlap: a slow one delays the next.
 */
import type pg from "pg";

export interface MaintenanceOptions {
  /** Milliseconds between ticks; default a minute. */
  intervalMs?: number;
  /** How long a card payment may stay pending (a PostgreSQL interval); default the SQL's (30 minutes). */
  stalePaymentAge?: string;
  /** How old the admin figures may get before a tick recomputes them (an interval); default the SQL's (5 minutes). */
  figuresAge?: string;
}

export const MAINTENANCE_INTERVAL_MS = 60_000;

export function startMaintenance(ownerPool: pg.Pool, options: MaintenanceOptions = {}): { stop(): Promise<void> } {
  const { intervalMs = MAINTENANCE_INTERVAL_MS, stalePaymentAge, figuresAge } = options;
  let running: Promise<void> | null = null;
  // A database that is down fails every tick: said once, and again when it is back.
  let failing = false;
  const tick = async () => {
    try {
      const { rows } = await ownerPool.query(
        "select telecom.maintenance_tick(coalesce($1::interval, '30 minutes'), coalesce($2::interval, '5 minutes')) as done",
        [stalePaymentAge ?? null, figuresAge ?? null],
      );
      // Each job reports a count, or a list of what it did (the usage partitions); silence when nothing happened.
      const done = rows[0].done as Record<string, number | string[]>;
      const worked = Object.entries(done).filter(([, result]) => (Array.isArray(result) ? result.length > 0 : result));
      if (worked.length > 0) {
        console.log(
          `Maintenance: ${worked.map(([job, result]) => `${job} ${Array.isArray(result) ? result.join("; ") : result}`).join(", ")}`,
        );
      }
      if (failing) console.log("Maintenance tick works again.");
      failing = false;
    } catch (error) {
      if (!failing) console.error(`Maintenance tick failed: ${error instanceof Error ? error.message : error}`);
      failing = true;
    }
  };
  const timer = setInterval(() => {
    if (running) return;
    running = tick().finally(() => (running = null));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

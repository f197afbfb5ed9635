/**
 * The maintenance tick (docs/money.md, docs/operations.md): `telecom.maintenance_tick()` on the owner's
 * connection (a trusted session), which runs the scheduled work in SQL: stale card payments, the
 * admin figures when they are older than five minutes, the usage partitions, and the purges of what
 * has served its time. The API server runs it every minute (unless MAINTENANCE=off) and so can
 * `npm run maintenance` from cron or a systemd timer; there is no pg_cron. Ticks never overlap: in one
 * process a slow one delays the next, and across processes the database skips a tick while another
 * runs (`{"skipped": true}`).
 */
import type pg from "pg";

export interface MaintenanceOptions {
  /** Milliseconds between ticks; default a minute. */
  intervalMs?: number;
  /** How long a card payment may stay pending (a PostgreSQL interval); default the SQL's (30 minutes). */
  stalePaymentAge?: string;
  /** How old the admin figures may get before a tick recomputes them (an interval); default the SQL's (5 minutes). */
  figuresAge?: string;
  /** Tick once at the start rather than an interval later (`npm run maintenance -- --every N`). */
  tickAtStart?: boolean;
}

export const MAINTENANCE_INTERVAL_MS = 60_000;

/** What a tick did: each job's count, or a list of what it did (the usage partitions); `{ skipped: true }` when another tick ran. */
export type TickResult = Record<string, number | string[] | boolean>;

/** Runs one tick on the owner's connection and resolves with what it did. */
export async function maintenanceTick(
  owner: pg.Pool | pg.ClientBase,
  { stalePaymentAge, figuresAge }: Pick<MaintenanceOptions, "stalePaymentAge" | "figuresAge"> = {},
): Promise<TickResult> {
  const { rows } = await owner.query(
    "select telecom.maintenance_tick(coalesce($1::interval, '30 minutes'), coalesce($2::interval, '5 minutes')) as done",
    [stalePaymentAge ?? null, figuresAge ?? null],
  );
  return rows[0].done as TickResult;
}

/** A tick's result in one line, and whether any job did something. */
export function describeTick(done: TickResult): { line: string; worked: boolean } {
  if (done.skipped === true) return { line: "Maintenance: skipped, another tick was running.", worked: false };
  const worked = Object.entries(done).filter(([, result]) => (Array.isArray(result) ? result.length > 0 : result));
  if (worked.length === 0) return { line: "Maintenance: nothing to do.", worked: false };
  const jobs = worked.map(([job, result]) => `${job} ${Array.isArray(result) ? result.join("; ") : result}`);
  return { line: `Maintenance: ${jobs.join(", ")}`, worked: true };
}

/**
 * MAINTENANCE: unset or `on`, the API server runs the tick; `off`, it runs none (cron or a timer runs
 * `npm run maintenance`). Anything else is refused, so a typo does not silently stop the tick.
 */
export function serverRunsMaintenance(value: string | undefined = process.env.MAINTENANCE): boolean {
  const text = value?.trim() ?? "";
  if (text === "" || text === "on") return true;
  if (text === "off") return false;
  throw new Error(`MAINTENANCE=${value} is neither on nor off.`);
}

/** Ticks every `intervalMs` until stopped; logs what a tick did when it did something, and a failure once until it works again. */
export function startMaintenance(ownerPool: pg.Pool, options: MaintenanceOptions = {}): { stop(): Promise<void> } {
  const { intervalMs = MAINTENANCE_INTERVAL_MS, tickAtStart = false } = options;
  let running: Promise<void> | null = null;
  // A database that is down fails every tick: said once, and again when it is back.
  let failing = false;
  const tick = async () => {
    try {
      const { line, worked } = describeTick(await maintenanceTick(ownerPool, options));
      if (worked) console.log(line);
      if (failing) console.log("Maintenance tick works again.");
      failing = false;
    } catch (error) {
      if (!failing) console.error(`Maintenance tick failed: ${error instanceof Error ? error.message : error}`);
      failing = true;
    }
  };
  const next = () => {
    if (running) return;
    running = tick().finally(() => (running = null));
  };
  // Not unref'd: it keeps `npm run maintenance -- --every N` alive; the server stops it when it closes.
  const timer = setInterval(next, intervalMs);
  if (tickAtStart) next();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

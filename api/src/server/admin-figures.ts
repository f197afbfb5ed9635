/**
 * The admin figures' refresh (issue 16): every few minutes the server calls
 * `telecom_private.refresh_admin_figures()` as the database owner, on one connection of its own. This
 * is the piece of the maintenance tick (SPEC §10, issue 13) that exists already: when the tick comes,
 * its one SQL function calls the refresh and this interval goes.
 */
import pg from "pg";

/** How often the figures are recomputed (ADMIN_FIGURES_REFRESH_MS; 0 turns the refresh off). */
export const ADMIN_FIGURES_REFRESH_MS = Number(process.env.ADMIN_FIGURES_REFRESH_MS ?? 5 * 60_000);

export interface FiguresRefresh {
  stop(): Promise<void>;
}

export function startAdminFiguresRefresh(ownerUrl: string, everyMs = ADMIN_FIGURES_REFRESH_MS): FiguresRefresh {
  if (!everyMs) return { stop: async () => {} };
  const pool = new pg.Pool({ connectionString: ownerUrl, max: 1 });
  pool.on("error", (error) => console.error(`Admin figures: connection lost: ${error.message}`));
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = pool.query("select telecom_private.refresh_admin_figures()").catch((error: Error) => {
      console.error(`Admin figures: refresh failed: ${error.message}`);
    });
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await pool.end();
    },
  };
}

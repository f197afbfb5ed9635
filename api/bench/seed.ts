/** Seeding the bench database with synthetic customers, with a progress line every few seconds. */
import type { Database } from "../src/db/cluster.ts";
import { withClient } from "../src/db/client.ts";
import { generateSyntheticData, progressLine, type SyntheticResult } from "../src/db/synthetic-data.ts";
import { benchSuperuserUrl } from "./database.ts";
import { log } from "./report.ts";

/** Adds `customers` synthetic customers, numbered from `first`. */
export async function seedBench(db: Database, customers: number, first = 0): Promise<SyntheticResult> {
  let last = 0;
  return generateSyntheticData(db.urls.owner, {
    customers,
    first,
    superuserUrl: benchSuperuserUrl(db),
    onStep: (message) => log(`${message}…`),
    onProgress: (progress) => {
      if (Date.now() - last < 3000 && progress.customersDone < progress.customers) return;
      last = Date.now();
      log(progressLine("seeding", progress));
    },
  });
}

/** The LIKE pattern of the synthetic customers' numbers, from the function that makes them. */
export const SYNTHETIC_NUMBERS = "(left(telecom_private.synthetic_mobile_no(0), 3) || '%')";

/** How many synthetic accounts the bench database holds (0 when it has no database or schema yet). */
export async function syntheticAccounts(db: Database): Promise<number> {
  return withClient(benchSuperuserUrl(db), async (client) => {
    const { rows } = await client.query<{ count: number }>(
      `select count(*)::int from telecom.customer_account where mobile_no like ${SYNTHETIC_NUMBERS}`,
    );
    return rows[0].count;
  }).catch(() => 0);
}

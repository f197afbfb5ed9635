/**
 * Customers, accounts and wallets for the money tests, built by the superuser inside the test's
 * transaction. Their national ids and numbers come from the builder when the module loads, so the
 * tests can name them.
 */
import type pg from "pg";
import { Builder } from "../support/builder.ts";

const ids = new Builder();
export const ALICE = { ...(await ids.customerIds()), wallet: 500 };
export const BOB = { ...(await ids.customerIds()), wallet: 50 };
/** A wallet in another currency. */
export const CAROL = { ...(await ids.customerIds()), wallet: 80 };
/** An account without a wallet. */
export const DAVE = await ids.customerIds();
export const PEOPLE = [ALICE, BOB, CAROL, DAVE];

/** Alice and Bob hold EGP wallets, Carol a USD one, Dave none; every account is prepaid with 100 on it and 20 points. */
export async function createCustomers(db: pg.PoolClient): Promise<{ aliceWallet: number; bobWallet: number; carolWallet: number }> {
  const data = new Builder(db);
  const customer = (
    person: typeof DAVE,
    first_name: string,
    date_of_birth: string,
    wallet?: { current_balance: number; currency: string },
  ) =>
    data.customer({ ...person, profile: { first_name, last_name: "Money", date_of_birth }, account: { balance: 100, points: 20 }, wallet });
  const alice = await customer(ALICE, "Alice", "1990-01-01", { current_balance: ALICE.wallet, currency: "EGP" });
  const bob = await customer(BOB, "Bob", "1991-01-01", { current_balance: BOB.wallet, currency: "EGP" });
  const carol = await customer(CAROL, "Carol", "1992-01-01", { current_balance: CAROL.wallet, currency: "USD" });
  await customer(DAVE, "Dave", "1993-01-01");
  return { aliceWallet: alice.wallet_id!, bobWallet: bob.wallet_id!, carolWallet: carol.wallet_id! };
}

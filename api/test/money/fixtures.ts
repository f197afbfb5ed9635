/** Customers, accounts and wallets for the money tests, built by the superuser inside the test's transaction. */
import type pg from "pg";

export const ALICE = { national_id: 910001, mobile_no: "01190000001", wallet: 500 };
export const BOB = { national_id: 910002, mobile_no: "01190000002", wallet: 50 };
/** A wallet in another currency. */
export const CAROL = { national_id: 910003, mobile_no: "01190000003", wallet: 80 };
/** An account without a wallet. */
export const DAVE = { national_id: 910004, mobile_no: "01190000004" };

/** Alice and Bob hold EGP wallets, Carol a USD one, Dave none; every account is prepaid with 100 on it and 20 points. */
export async function createCustomers(db: pg.PoolClient): Promise<{ aliceWallet: number; bobWallet: number; carolWallet: number }> {
  await db.query(`
    insert into telecom.customer_profile (national_id, first_name, last_name, date_of_birth)
    values (910001, 'Alice', 'Money', '1990-01-01'), (910002, 'Bob', 'Money', '1991-01-01'),
      (910003, 'Carol', 'Money', '1992-01-01'), (910004, 'Dave', 'Money', '1993-01-01');
    insert into telecom.customer_account (mobile_no, national_id, balance, account_type, points)
    values ('01190000001', 910001, 100, 'prepaid', 20), ('01190000002', 910002, 100, 'prepaid', 20),
      ('01190000003', 910003, 100, 'prepaid', 20), ('01190000004', 910004, 100, 'prepaid', 20);`);
  const { rows } = await db.query(`
    insert into telecom.wallet (national_id, mobile_no, current_balance, currency)
    values (910001, '01190000001', 500, 'EGP'), (910002, '01190000002', 50, 'EGP'), (910003, '01190000003', 80, 'USD')
    returning wallet_id`);
  return { aliceWallet: rows[0].wallet_id, bobWallet: rows[1].wallet_id, carolWallet: rows[2].wallet_id };
}

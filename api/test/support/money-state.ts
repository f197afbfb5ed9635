/**
 * What a refused or repeated operation must leave alone: every row of every table that holds money,
 * points or their history (and the tickets customers write), read as the superuser. Equal states
 * before and after mean nothing changed.
 */
import type pg from "pg";
import { getRootPool } from "./database.ts";

const TABLES = [
  "telecom.customer_profile",
  "telecom.customer_account",
  "telecom.wallet",
  "telecom.subscription",
  "telecom.plan_usage",
  "telecom.payment",
  "telecom.process_payment",
  "telecom.benefit",
  "telecom.points_group",
  "telecom.cashback",
  "telecom.transfer_money",
  "telecom.voucher",
  "telecom.money_journal",
  "telecom.technical_support_ticket",
  "telecom_private.idempotency_key",
];

const STATE = `select ${TABLES.map((table) => `(select json_agg(r order by r::text) from ${table} as r) as "${table}"`).join(",\n  ")}`;

/**
 * In a test's transaction `db` (whatever role it acts as now, which it keeps); without one, the
 * committed rows (tests whose server or sessions commit).
 */
export async function moneyState(db?: pg.ClientBase): Promise<Record<string, unknown>> {
  if (!db) return (await getRootPool().query(STATE)).rows[0];
  await db.query("savepoint money_state; reset role");
  try {
    return (await db.query(STATE)).rows[0];
  } finally {
    await db.query("rollback to savepoint money_state");
  }
}

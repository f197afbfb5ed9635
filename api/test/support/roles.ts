/**
 * Acting as an API role inside a test's transaction, with the settings the server gives a request
 * (pgSettingsFor, as the benchmark does) so SQL sees exactly what it sees behind the API. Tests get
 * no statement timeout: the machine may be loaded.
 */
import pg from "pg";
import type { TokenClaims } from "../../src/server/jwt.ts";
import { pgSettingsFor } from "../../src/server/preset.ts";

export type ApiRole = "telecom_anonymous" | TokenClaims["role"];

export type Claims = Omit<TokenClaims, "role">;

const setLocal = (settings: Record<string, string>) =>
  `select ${Object.entries(settings)
    .map(([name, value]) => `set_config(${pg.escapeLiteral(name)}, ${pg.escapeLiteral(value)}, true)`)
    .join(", ")};`;

/**
 * A statement that gives the current transaction the request settings of `claims` (null: a visitor
 * without a token), to run alone or before other statements of one query.
 */
export function claimsSql(claims: TokenClaims | null): string {
  const { statement_timeout: _none, ...settings } = pgSettingsFor(claims, 0);
  return setLocal(settings);
}

export async function setClaims(db: pg.ClientBase, claims: TokenClaims | null): Promise<void> {
  await db.query(claimsSql(claims));
}

/**
 * Switches the transaction to an API role with the given claims: until `asSuperuser`, or only for
 * `work` when given (then back to the superuser, also when `work` fails). An admin's admin_id names
 * an admin, as in every token authenticate_admin signs: the admin is created in the test's
 * transaction when missing (setClaims makes a claim that names nobody).
 */
export async function asRole<T = void>(
  db: pg.ClientBase,
  role: ApiRole,
  claims: Claims = {},
  work?: () => Promise<T>,
): Promise<T | undefined> {
  if (role === "telecom_admin" && claims.admin_id != null) {
    // As the superuser, also when the transaction acts as another role already.
    await db.query("reset role");
    await db.query(
      "insert into telecom_private.admin_user (admin_id, username, password_hash) values ($1::integer, 'test-admin-' || $1::integer, '') on conflict do nothing",
      [claims.admin_id],
    );
  }
  await setClaims(db, role === "telecom_anonymous" ? null : { ...claims, role });
  if (!work) return undefined;
  try {
    return await work();
  } finally {
    await asSuperuser(db);
  }
}

/** Back to the superuser that built the fixtures (it bypasses row-level security), with no claims. */
export async function asSuperuser(db: pg.ClientBase): Promise<void> {
  const { role: _role, statement_timeout: _none, ...noClaims } = pgSettingsFor(null, 0);
  await db.query(`reset role; ${setLocal(noClaims)}`);
}

/**
 * Database test helpers (after graphile/starter's withUserDb): each test gets one connection in a
 * transaction that is rolled back, so tests never see each other's rows. The connection is a
 * superuser's, which can build fixtures and then act as an API role with chosen JWT claims.
 */
import pg from "pg";
import { suite, type Test } from "uvu";

export type ApiRole = "telecom_anonymous" | "telecom_customer" | "telecom_admin" | "telecom_network";

export interface Claims {
  mobile_no?: string;
  national_id?: number;
  admin_id?: number;
  network_id?: string;
}

export interface DbContext {
  db: pg.PoolClient;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with \`npm test\`.`);
  return value;
}

let rootPool: pg.Pool | undefined;
/** One pool per test process, closed when the process ends. */
export function getRootPool(): pg.Pool {
  rootPool ??= new pg.Pool({ connectionString: superuserUrl(), max: 4, allowExitOnIdle: true });
  return rootPool;
}

export const superuserUrl = (): string => required("TEST_SUPERUSER_URL");
export const ownerUrl = (): string => required("TEST_OWNER_URL");
export const authenticatorUrl = (): string => required("TEST_AUTHENTICATOR_URL");

/** A uvu suite whose every test runs in its own rolled-back transaction, available as `context.db`. */
export function dbSuite(name: string): Test<DbContext> {
  const test = suite<DbContext>(name, {} as DbContext);
  test.before.each(async (context) => {
    context.db = await getRootPool().connect();
    await context.db.query("begin");
  });
  test.after.each(async (context) => {
    await context.db.query("rollback");
    context.db.release();
  });
  return test;
}

/**
 * Switches the transaction to an API role with the given claims (until `asSuperuser`). An admin's
 * admin_id names an admin, as in every token authenticate_admin signs: the admin is created in the
 * test's transaction when missing.
 */
export async function asRole(db: pg.PoolClient, role: ApiRole, claims: Claims = {}): Promise<void> {
  if (role === "telecom_admin" && claims.admin_id !== undefined) {
    // As the superuser, also when the transaction acts as another role already.
    await db.query("reset role");
    await db.query(
      "insert into telecom_private.admin_user (admin_id, username, password_hash) values ($1::integer, 'test-admin-' || $1::integer, '') on conflict do nothing",
      [claims.admin_id],
    );
  }
  await db.query(
    `select set_config('role', $1, true),
            set_config('jwt.claims.mobile_no', $2, true),
            set_config('jwt.claims.national_id', $3, true),
            set_config('jwt.claims.admin_id', $4, true),
            set_config('jwt.claims.network_id', $5, true)`,
    [role, claims.mobile_no ?? "", claims.national_id?.toString() ?? "", claims.admin_id?.toString() ?? "", claims.network_id ?? ""],
  );
}

/** Back to the superuser that built the fixtures (it bypasses row-level security). */
export async function asSuperuser(db: pg.PoolClient): Promise<void> {
  await db.query(
    "reset role; select set_config('jwt.claims.mobile_no', '', true), set_config('jwt.claims.national_id', '', true), set_config('jwt.claims.admin_id', '', true), set_config('jwt.claims.network_id', '', true)",
  );
}

/** Runs `statement` inside a savepoint and returns the error it raised (the transaction stays usable). */
export async function errorOf(db: pg.PoolClient, statement: string, values: unknown[] = []): Promise<pg.DatabaseError> {
  await db.query("savepoint expected_error");
  try {
    await db.query(statement, values);
  } catch (error) {
    await db.query("rollback to savepoint expected_error");
    return error as pg.DatabaseError;
  }
  await db.query("release savepoint expected_error");
  throw new Error(`Expected an error from: ${statement}`);
}

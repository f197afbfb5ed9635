/**
 * Database test helpers (after graphile/starter's withUserDb): each test gets one connection in a
 * transaction that is rolled back, so tests never see each other's rows. The connection is a
 * superuser's, which can build fixtures and then act as an API role with chosen JWT claims
 * (support/roles.ts).
 */
import pg from "pg";
import { suite, type Test } from "uvu";

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

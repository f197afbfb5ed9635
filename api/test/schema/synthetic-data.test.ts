/**
 * Synthetic data (`npm run db:seed -- --customers N`, the benchmark) on a database of its own, built
 * from the migrations: the rows are generated with triggers and foreign-key checks off and the
 * indexes and their constraints dropped, so this checks what those would have checked.
 */
import pg from "pg";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { withClient } from "../../src/db/client.ts";
import { withDatabase, type DatabaseUrls } from "../../src/db/cluster.ts";
import { resetDatabase } from "../../src/db/migrations.ts";
import { SYNTHETIC_PASSWORD, generateSyntheticData, type SyntheticResult } from "../../src/db/synthetic-data.ts";
import { authenticatorUrl, ownerUrl, superuserUrl } from "../support/database.ts";

const DATABASE = "telecom_test_synthetic";
const CUSTOMERS = 2000;

interface Context {
  urls: DatabaseUrls;
  superuser: pg.Client;
  indexesBefore: string[];
  constraintsBefore: string[];
  result: SyntheticResult;
}

const test = suite<Context>("synthetic data", {} as Context);

const CONSTRAINTS = `select conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) as name
  from pg_constraint
  where connamespace = 'telecom'::regnamespace
  order by 1`;

const INDEXES = `select indexrelid::regclass::text as name
  from pg_index
  inner join pg_class on pg_class.oid = pg_index.indrelid
  where pg_class.relnamespace = 'telecom'::regnamespace
  order by 1`;

test.before(async (context) => {
  const root = withDatabase(superuserUrl(), "postgres");
  context.urls = { root, owner: withDatabase(ownerUrl(), DATABASE), authenticator: withDatabase(authenticatorUrl(), DATABASE) };
  await resetDatabase(context.urls);
  context.superuser = new pg.Client({ connectionString: withDatabase(root, DATABASE) });
  await context.superuser.connect();
  context.indexesBefore = (await context.superuser.query(INDEXES)).rows.map((row) => row.name);
  context.constraintsBefore = (await context.superuser.query(CONSTRAINTS)).rows.map((row) => row.name);
  context.result = await generateSyntheticData(context.urls.owner, {
    customers: CUSTOMERS,
    superuserUrl: withDatabase(root, DATABASE),
    chunkSize: 500,
  });
});

test.after(async (context) => {
  await context.superuser?.end();
  await withClient(context.urls.root!, (root) => root.query(`drop database if exists ${DATABASE} with (force)`));
});

test("the fixed shares: 1.2 accounts per customer, a wallet for nine in ten, three subscriptions per account", async ({ result }) => {
  assert.equal(
    {
      profiles: result.rowsPerTable.customer_profile,
      accounts: result.rowsPerTable.customer_account,
      wallets: result.rowsPerTable.wallet,
      subscriptions: result.rowsPerTable.subscription,
    },
    { profiles: 2000, accounts: 2400, wallets: 1800, subscriptions: 7200 },
  );
});

test("the counts reported are the rows in the tables", async ({ superuser, result }) => {
  const counted: Record<string, number> = {};
  for (const table of Object.keys(result.rowsPerTable)) {
    const schema = table === "customer_credential" ? "telecom_private" : "telecom";
    counted[table] = Number((await superuser.query(`select count(*) from ${schema}.${table}`)).rows[0].count);
  }
  assert.equal(counted, result.rowsPerTable);
  assert.is(
    result.rows,
    Object.values(counted).reduce((sum, count) => sum + count, 0),
  );
});

test("every foreign key holds, though the load ran without their checks", async ({ superuser }) => {
  const { rows: keys } = await superuser.query<{
    name: string;
    child: string;
    parent: string;
    child_columns: string[];
    parent_columns: string[];
  }>(
    `select
       constraint_.conname as name,
       constraint_.conrelid::regclass::text as child,
       constraint_.confrelid::regclass::text as parent,
       array(select attname from unnest(constraint_.conkey) with ordinality as key (attnum, n) inner join pg_attribute on attrelid = constraint_.conrelid and pg_attribute.attnum = key.attnum order by n)::text[] as child_columns,
       array(select attname from unnest(constraint_.confkey) with ordinality as key (attnum, n) inner join pg_attribute on attrelid = constraint_.confrelid and pg_attribute.attnum = key.attnum order by n)::text[] as parent_columns
     from pg_constraint as constraint_
     where constraint_.contype = 'f'
       and constraint_.connamespace in ('telecom'::regnamespace, 'telecom_private'::regnamespace)`,
  );
  assert.ok(keys.length >= 20, `only ${keys.length} foreign keys found`);
  const orphans: Record<string, number> = {};
  for (const key of keys) {
    const joined = key.child_columns.map((column, n) => `parent.${key.parent_columns[n]} = child.${column}`).join(" and ");
    const present = key.child_columns.map((column) => `child.${column} is not null`).join(" and ");
    const { rows } = await superuser.query(
      `select count(*)::integer as count from ${key.child} as child where ${present} and not exists (select from ${key.parent} as parent where ${joined})`,
    );
    if (rows[0].count > 0) orphans[key.name] = rows[0].count;
  }
  assert.equal(orphans, {});
});

test("the money journal accounts for every balance", async ({ superuser }) => {
  await superuser.query("begin");
  try {
    // As a trusted session (the superuser), which audits without claims.
    const { rows } = await superuser.query("select * from telecom.audit_balances()");
    assert.equal(rows, []);
  } finally {
    await superuser.query("rollback");
  }
});

test("the derived amounts are the schema's: process_payment's and the cashback's, as their functions compute them", async ({
  superuser,
}) => {
  const { rows } = await superuser.query(
    `select
       (select count(*)::integer from telecom.process_payment) as processed,
       (select count(*)::integer
        from telecom.process_payment as processed
        inner join telecom.payment using (payment_id)
        inner join telecom.service_plan using (plan_id)
        cross join lateral telecom_private.plan_payment_amounts(service_plan.price, payment.amount) as amounts
        where (processed.remaining_balance, processed.extra_amount) is distinct from (amounts.remaining_balance, amounts.extra_amount)) as processed_otherwise,
       (select count(*)::integer from telecom.cashback) as cashback,
       (select count(*)::integer
        from telecom.cashback
        inner join telecom.payment using (payment_id)
        where cashback.amount <> telecom_private.cashback_amount(payment.amount)) as cashback_otherwise`,
  );
  assert.ok(rows[0].processed > 1000 && rows[0].cashback > 100, JSON.stringify(rows[0]));
  assert.equal({ processed: rows[0].processed_otherwise, cashback: rows[0].cashback_otherwise }, { processed: 0, cashback: 0 });
});

test("the indexes and constraints dropped for the load are all back", async ({ superuser, indexesBefore, constraintsBefore }) => {
  const after = (await superuser.query(INDEXES)).rows.map((row) => row.name);
  assert.equal(after, indexesBefore);
  assert.ok(indexesBefore.includes("telecom.plan_usage_mobile_no_idx"));
  assert.equal(
    (await superuser.query(CONSTRAINTS)).rows.map((row) => row.name),
    constraintsBefore,
  );
  assert.ok(constraintsBefore.includes("telecom.customer_profile UNIQUE (email)"));
});

test("a synthetic customer logs in with the synthetic password", async ({ superuser }) => {
  await superuser.query("begin");
  try {
    const { rows: numbered } = await superuser.query("select telecom_private.synthetic_mobile_no(1234) as mobile_no");
    await superuser.query("set local role telecom_anonymous");
    const { rows } = await superuser.query(
      "select telecom.account_login_validation($1, $2) as valid, telecom.account_login_validation($1, 'wrong password') as wrong",
      [numbered[0].mobile_no, SYNTHETIC_PASSWORD],
    );
    assert.equal(rows[0], { valid: true, wrong: false });
  } finally {
    await superuser.query("rollback");
  }
});

test.run();

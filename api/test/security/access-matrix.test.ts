/**
 * The access matrix of the roles and logins: every table, view and function of schema `telecom` (read from the
 * catalog) × {anonymous, customer on their own data, customer on another person's data, admin} ×
 * {read, create, update, delete, call}, checked against the explicit expectation table of
 * access-matrix.ts by running the statements as each role, inside the test's rolled-back
 * transaction. A second suite checks a slice of it over real HTTP.
 */
import * as assert from "uvu/assert";
import { suite } from "uvu";
import { dbSuite, getRootPool } from "../support/database.ts";
import { asRole } from "../support/roles.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import {
  byWho,
  EXPECTED,
  F,
  FORGED_NATIONAL_ID,
  FUNCTIONS,
  matrixRow,
  NEW_NUMBER,
  outcome,
  prepareMatrix,
  ROLE,
  runAs,
  TABLES,
  VIEWS,
  WHO,
} from "./access-matrix.ts";
import { Builder } from "../support/builder.ts";
import { createFixture, fixtureIds } from "./fixture.ts";

const test = dbSuite("access matrix (database)");

test.before.each(async ({ db }) => {
  await prepareMatrix(db);
});

test("the expectation table lists exactly the tables, views and functions of schema telecom", async ({ db }) => {
  const { rows } = await db.query<{ name: string; kind: string }>(`
    select class.relname as name, case when class.relkind in ('v', 'm') then 'view' else 'table' end as kind
    from pg_catalog.pg_class as class
    where class.relnamespace = 'telecom'::regnamespace
      and class.relkind in ('r', 'p', 'v', 'm', 'f')
    union all
    select proc.proname, 'function'
    from pg_catalog.pg_proc as proc
    where proc.pronamespace = 'telecom'::regnamespace
    order by 1`);
  const names = rows.map((row) => row.name);
  const overloaded = names.filter((name, index) => names.indexOf(name) !== index);
  assert.equal(overloaded, [], "overloaded functions: give each signature its own expectation");
  const catalog = Object.fromEntries(rows.map((row) => [row.name, row.kind]));
  const expected = Object.fromEntries(Object.entries(EXPECTED).map(([name, [kind]]) => [name, kind]));
  assert.equal(
    Object.keys(catalog).filter((name) => !(name in expected)),
    [],
    "objects of schema telecom without an expectation (add them to EXPECTED, with policies and grants)",
  );
  assert.equal(
    Object.keys(expected).filter((name) => !(name in catalog)),
    [],
    "expectations without an object",
  );
  assert.equal(catalog, expected, "kinds");
  const cases = [...Object.keys(TABLES), ...Object.keys(VIEWS), ...Object.keys(FUNCTIONS)].sort();
  assert.equal(cases, Object.keys(EXPECTED).sort(), "every expectation has a way to exercise it");
});

test("every table of schema telecom has row-level security enabled", async ({ db }) => {
  const { rows } = await db.query(`
    select relname from pg_catalog.pg_class
    where relnamespace = 'telecom'::regnamespace and relkind in ('r', 'p') and not relrowsecurity
    order by 1`);
  assert.equal(rows, []);
});

for (const [name, [kind, ...expected]] of Object.entries(EXPECTED)) {
  test(`${kind} ${name}`, async ({ db }) => {
    assert.equal(byWho(await matrixRow(db, name)), byWho(expected));
  });
}

test("a customer is a person: logged in with one number, they use and see all their numbers", async ({ db }) => {
  const [, a2] = F.a.mobile_nos;
  await asRole(db, ...ROLE.own);
  const { rows } = await db.query(
    `select telecom.assert_account_access($1) as access,
       (select count(*)::integer from telecom.technical_support_ticket where mobile_no = $1) as tickets,
       (select count(*)::integer from telecom.wallet where mobile_no = $1) as wallets`,
    [a2],
  );
  assert.equal(rows, [{ access: true, tickets: 1, wallets: 1 }]);
  const subscribed = await db.query("select status from telecom.subscribe_plan($1, $2)", [a2, F.plan.id]);
  assert.equal(subscribed.rows, [{ status: "active" }]);
});

test("no API role may write balances, points or voucher redemptions, even on its own rows", async ({ db }) => {
  const [a1] = F.a.mobile_nos;
  const statements = [
    `update telecom.customer_account set balance = balance + 1 where mobile_no = '${a1}'`,
    `update telecom.customer_account set points = points + 1 where mobile_no = '${a1}'`,
    `update telecom.wallet set current_balance = current_balance + 1 where wallet_id = ${F.wallets.a1}`,
    `update telecom.voucher set mobile_no = '${a1}', redeem_date = current_date where voucher_id = ${F.vouchers.unredeemed}`,
    `update telecom.voucher set redeem_date = current_date where voucher_id = ${F.vouchers.redeemedByA}`,
    `insert into telecom.customer_account (mobile_no, national_id, account_type, balance) values ('${NEW_NUMBER}', ${F.a.national_id}, 'prepaid', 1000)`,
    `insert into telecom.customer_account (mobile_no, national_id, account_type, points) values ('${NEW_NUMBER}', ${F.a.national_id}, 'prepaid', 1000)`,
    `insert into telecom.wallet (national_id, mobile_no, current_balance) values (${F.c.national_id}, '${F.c.mobile_nos[1]}', 1000)`,
    `insert into telecom.voucher (value, expiry_date, points, shop_id, mobile_no, redeem_date) values (5, current_date, 1, ${F.shops.online}, '${a1}', current_date)`,
  ];
  const allowed: string[] = [];
  for (const who of ["anonymous", "own", "admin"] as const) {
    for (const statement of statements) {
      const result = await runAs(db, who, statement);
      if (outcome(result, "w", 1) !== "-")
        allowed.push(`${who}: ${statement} → ${"error" in result ? result.error.message : `${result.rowCount} rows`}`);
    }
  }
  assert.equal(allowed, []);
});

test("a customer changes no profile directly: only their own e-mail and address, through update_my_profile", async ({ db }) => {
  const own = `national_id = ${F.a.national_id}`;
  const other = `national_id = ${F.b.national_id}`;
  const results: Record<string, string> = {};
  for (const [label, set, where] of [
    ["own email", `email = 'amal.new@example.com'`, own],
    ["own address", `address = 'New street 9'`, own],
    ["own first_name", `first_name = 'Forged'`, own],
    ["own last_name", `last_name = 'Forged'`, own],
    ["own date_of_birth", `date_of_birth = '2001-01-01'`, own],
    ["own national_id", `national_id = ${FORGED_NATIONAL_ID}`, own],
    ["other email", `email = 'badr.new@example.com'`, other],
    ["other address", `address = 'Forged street'`, other],
  ]) {
    results[label] = outcome(await runAs(db, "own", `update telecom.customer_profile set ${set} where ${where}`), "u", 1);
  }
  assert.equal(results, {
    "own email": "-",
    "own address": "-",
    "own first_name": "-",
    "own last_name": "-",
    "own date_of_birth": "-",
    "own national_id": "-",
    "other email": "-",
    "other address": "-",
  });
  // The function changes the caller's own row (runAs rolls back, so make it for real here).
  await asRole(db, ...ROLE.own, () =>
    db.query(`select telecom.update_my_profile(email, 'New street 9') from telecom.customer_profile where ${own}`),
  );
  const { rows } = await db.query(`select address from telecom.customer_profile where ${own}`);
  assert.equal(rows, [{ address: "New street 9" }]);
});

test("the API roles cannot reach telecom_private, nor create anything (schemas telecom and public, the database, temporary tables)", async ({
  db,
}) => {
  const { rows } = await db.query(`
    select role.rolname, privilege.schema, privilege.kind
    from unnest(array['telecom_anonymous', 'telecom_customer', 'telecom_admin']) as role (rolname),
      lateral (values ('telecom_private', 'usage'), ('telecom_private', 'create'), ('telecom', 'create'), ('public', 'create')) as privilege (schema, kind)
    where has_schema_privilege(role.rolname, privilege.schema, privilege.kind)
    union all
    select role.rolname, current_database(), privilege.kind
    from unnest(array['telecom_anonymous', 'telecom_customer', 'telecom_admin']) as role (rolname),
      unnest(array['create', 'temporary']) as privilege (kind)
    where has_database_privilege(role.rolname, current_database(), privilege.kind)`);
  assert.equal(rows, []);
  for (const who of WHO) {
    const result = await runAs(db, who, "select count(*) from telecom_private.customer_credential");
    assert.is(outcome(result, "r", 1), "-", who);
  }
});

test("nothing in telecom or telecom_private is granted to PUBLIC", async ({ db }) => {
  const { rows } = await db.query(`
    select class.relnamespace::regnamespace::text || '.' || class.relname as object, acl.privilege_type
    from pg_catalog.pg_class as class,
      lateral aclexplode(coalesce(class.relacl, acldefault('r', class.relowner))) as acl
    where class.relnamespace in ('telecom'::regnamespace, 'telecom_private'::regnamespace) and acl.grantee = 0
    union all
    select proc.oid::regprocedure::text, acl.privilege_type
    from pg_catalog.pg_proc as proc,
      lateral aclexplode(coalesce(proc.proacl, acldefault('f', proc.proowner))) as acl
    where proc.pronamespace in ('telecom'::regnamespace, 'telecom_private'::regnamespace) and acl.grantee = 0
    order by 1`);
  assert.equal(rows, []);
});

test("default privileges: a new function or table of telecom_owner is reachable by no API role", async ({ db }) => {
  await db.query(`
    set local role telecom_owner;
    create function telecom.security_probe() returns integer language sql as 'select 1';
    create table telecom.security_probe_table (id integer);
    reset role`);
  const { rows } = await db.query(`
    select role.rolname,
      has_function_privilege(role.rolname, 'telecom.security_probe()', 'execute') as execute,
      has_table_privilege(role.rolname, 'telecom.security_probe_table', 'select, insert, update, delete') as write
    from unnest(array['telecom_anonymous', 'telecom_customer', 'telecom_admin']) as role (rolname)
    order by 1`);
  assert.equal(
    rows.map((row) => [row.rolname, row.execute, row.write]),
    [
      ["telecom_admin", false, false],
      ["telecom_anonymous", false, false],
      ["telecom_customer", false, false],
    ],
  );
});

test("the authenticator inherits nothing and may become only the API roles", async ({ db }) => {
  const { rows } = await db.query(`
    select member.rolinherit, array_agg(granted.rolname::text order by granted.rolname) as roles
    from pg_catalog.pg_roles as member
    join pg_catalog.pg_auth_members as membership on membership.member = member.oid
    join pg_catalog.pg_roles as granted on granted.oid = membership.roleid
    where member.rolname = 'telecom_authenticator'
    group by member.rolinherit`);
  assert.equal(rows, [
    {
      rolinherit: false,
      roles: ["telecom_admin", "telecom_anonymous", "telecom_customer", "telecom_network", "telecom_payment_processor"],
    },
  ]);
});

test.run();

// ---------------------------------------------------------------------------------------------
// A slice of the matrix over real HTTP: the server's own connections see only committed rows, so
// this fixture is committed, and removed afterwards by its builder.

const committed = new Builder();
const H = await fixtureIds(committed);
const http = suite<{ server: TestServer; customer: string; admin: string }>("access matrix (HTTP)", {} as never);

http.before(async (context) => {
  await createFixture(committed, H);
  context.server = await startTestServer();
  context.customer = context.server.tokenFor({ role: "telecom_customer", mobile_no: H.a.mobile_nos[0], national_id: H.a.national_id });
  context.admin = context.server.tokenFor({ role: "telecom_admin", admin_id: H.admin.admin_id });
});

http.after(async (context) => {
  await context.server?.close();
  await committed.remove();
});

/** The SQLSTATE of each error of a response (one per refused field). */
const codes = (body: { errors?: { extensions?: Record<string, unknown> }[] }) => (body.errors ?? []).map((error) => error.extensions?.code);

http("anonymous reads the catalogue and nothing else", async ({ server }) => {
  const catalogue = await server.graphql(
    `query ($plan: Int!, $shop: Int!) {
    servicePlans(condition: { planId: $plan }) { nodes { name } }
    shops(condition: { shopId: $shop }) { nodes { name physicalShop { address } } }
  }`,
    { plan: H.plan.id, shop: H.shops.physical },
  );
  assert.equal(catalogue.body, {
    data: {
      servicePlans: { nodes: [{ name: H.plan.name }] },
      shops: { nodes: [{ name: "Security kiosk", physicalShop: { address: "Kiosk street 1" } }] },
    },
  });
  for (const query of [
    "{ customerProfiles { nodes { nationalId } } }",
    "{ customerAccounts { nodes { mobileNo } } }",
    "{ payments { nodes { paymentId } } }",
    "{ allCustomerAccounts { nodes { mobileNo } } }",
    `{ unsubscribedPlans(mobileNo: "${H.a.mobile_nos[0]}") { nodes { planId } } }`,
  ]) {
    const { body } = await server.graphql(query);
    assert.equal(codes(body), ["42501"], query);
  }
});

http("a customer reads exactly their own rows", async ({ server, customer }) => {
  const { body } = await server.graphql(
    `query ($other: Int!) {
      customerProfiles { nodes { nationalId } }
      customerAccounts(orderBy: MOBILE_NO_ASC) { nodes { mobileNo } }
      payments(orderBy: PAYMENT_ID_ASC) { nodes { paymentId } }
      wallets(orderBy: WALLET_ID_ASC) { nodes { walletId } }
      technicalSupportTickets(orderBy: TICKET_ID_ASC) { nodes { ticketId } }
      other: customerProfile(nationalId: $other) { nationalId }
    }`,
    { other: H.b.national_id },
    customer,
  );
  assert.equal(body, {
    data: {
      customerProfiles: { nodes: [{ nationalId: H.a.national_id }] },
      customerAccounts: { nodes: H.a.mobile_nos.map((mobileNo) => ({ mobileNo })) },
      payments: { nodes: [{ paymentId: H.payments.a }, { paymentId: H.payments.aUncredited }] },
      wallets: { nodes: [{ walletId: H.wallets.a1 }, { walletId: H.wallets.a2 }] },
      technicalSupportTickets: { nodes: [{ ticketId: H.tickets.aOpen }, { ticketId: H.tickets.aResolved }] },
      other: null,
    },
  });
});

http(
  "a customer changes their own address through updateMyProfile, not their name, nor another person's profile",
  async ({ server, customer }) => {
    const mine = `mutation ($email: String, $address: String) {
    updateMyProfile(input: { email: $email, address: $address }) { profileUpdate { status address } }
  }`;
    const [before] = (await getRootPool().query("select email from telecom.customer_profile where national_id = $1", [H.a.national_id]))
      .rows;
    const own = await server.graphql(mine, { email: before.email, address: "HTTP street 5" }, customer);
    assert.equal(own.body, { data: { updateMyProfile: { profileUpdate: { status: "saved", address: "HTTP street 5" } } } });
    const update = `mutation ($id: Int!, $patch: CustomerProfilePatch!) {
    updateCustomerProfile(input: { nationalId: $id, patch: $patch }) { customerProfile { address firstName } }
  }`;
    for (const [id, patch] of [
      [H.a.national_id, { firstName: "Forged" }],
      [H.a.national_id, { address: "Direct street" }],
      [H.b.national_id, { address: "Forged street" }],
    ] as const) {
      assert.equal(codes((await server.graphql(update, { id, patch }, customer)).body), ["42501"]);
    }
    const { rows } = await getRootPool().query(
      "select national_id, first_name, address from telecom.customer_profile where national_id = any($1) order by 1",
      [[H.a.national_id, H.b.national_id]],
    );
    assert.equal(rows, [
      { national_id: H.a.national_id, first_name: "Amal", address: "HTTP street 5" },
      { national_id: H.b.national_id, first_name: "Badr", address: "B street 2" },
    ]);
  },
);

http("a customer is refused another person's number and the admin operations with 42501", async ({ server, customer }) => {
  const b1 = H.b.mobile_no;
  for (const query of [
    `{ topSuccessfulPayments(mobileNo: "${b1}") { nodes { paymentId } } }`,
    `{ ticketAccountCustomer(nationalId: ${H.b.national_id}) }`,
    `mutation { initiateBalancePayment(input: { mobileNo: "${b1}", amount: "10", paymentMethod: cash }) { payment { paymentId } } }`,
    "{ allCustomerAccounts { nodes { mobileNo } } }",
    "{ auditBalances { nodes { mobileNo } } }",
    `mutation { totalPointsAccount(input: { mobileNo: "${H.a.mobile_nos[0]}" }) { clientMutationId } }`,
  ]) {
    const { body } = await server.graphql(query, {}, customer);
    assert.equal(codes(body), ["42501"], query);
  }
  const { rows } = await getRootPool().query("select count(*)::integer as n from telecom.payment where mobile_no = $1", [b1]);
  assert.is(rows[0].n, 2, "B's payments are untouched");
});

http("an admin reads everyone's rows and the reports, and calls operations on any number", async ({ server, admin }) => {
  const { body } = await server.graphql(
    `query ($a: Int!, $b: Int!, $b1: String!) {
      allCustomerAccounts(condition: { nationalId: $b }) { nodes { mobileNo firstName } }
      customerAccounts(condition: { nationalId: $a }, orderBy: MOBILE_NO_ASC) { nodes { mobileNo } }
      topSuccessfulPayments(mobileNo: $b1) { nodes { paymentId } }
    }`,
    { a: H.a.national_id, b: H.b.national_id, b1: H.b.mobile_no },
    admin,
  );
  assert.equal(body, {
    data: {
      allCustomerAccounts: { nodes: [{ mobileNo: H.b.mobile_no, firstName: "Badr" }] },
      customerAccounts: { nodes: H.a.mobile_nos.map((mobileNo) => ({ mobileNo })) },
      topSuccessfulPayments: { nodes: [{ paymentId: H.payments.b }, { paymentId: H.payments.bUncredited }] },
    },
  });
});

http("an admin cannot set a balance directly", async ({ server, admin }) => {
  const { body } = await server.graphql(
    `mutation ($b1: String!) { updateCustomerAccount(input: { mobileNo: $b1, patch: { balance: "999" } }) { customerAccount { balance } } }`,
    { b1: H.b.mobile_no },
    admin,
  );
  assert.ok(body.errors?.length, "the update is refused");
  const { rows } = await getRootPool().query("select balance from telecom.customer_account where mobile_no = $1", [H.b.mobile_no]);
  assert.equal(rows, [{ balance: "100.00" }]);
});

http.run();

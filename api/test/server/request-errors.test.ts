/**
 * What an anonymous caller (or a customer) can send wrong, over HTTP: every error comes back with a
 * project code in `extensions.code` and is logged in one line without a stack trace; money that is
 * not a plain decimal is refused with TC104/TC105 before it reaches SQL, quoting at most 20 characters;
 * and a client that accepts anything gets `application/json`.
 */
import pg from "pg";
import { makeSchema } from "postgraphile";
import { GraphQLInputObjectType } from "postgraphile/graphql";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { moneyValueRefusal } from "../../src/server/money-input.ts";
import { makePreset } from "../../src/server/preset.ts";
import { loadTrustedDocuments } from "../../src/server/trusted-documents.ts";
import { authenticatorUrl } from "../support/database.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const test = suite<{ server: TestServer }>("request errors", {} as { server: TestServer });

test.before(async (context) => {
  context.server = await startTestServer();
});

test.after(async (context) => {
  await context.server?.close();
});

interface Answer {
  status: number;
  contentType: string | null;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  /** What the server logged while it answered. */
  logged: string[];
}

/** POSTs a GraphQL request and records what the server (in this process) logs meanwhile. */
async function send(server: TestServer, body: unknown, options: { token?: string; accept?: string | null } = {}): Promise<Answer> {
  const logged: string[] = [];
  const saved = { log: console.log, warn: console.warn, error: console.error, dir: console.dir };
  const record = (...args: unknown[]) => void logged.push(args.map((arg) => (arg instanceof Error ? arg.stack : String(arg))).join(" "));
  Object.assign(console, { log: record, warn: record, error: record, dir: record });
  try {
    const accept = options.accept === undefined ? "application/json" : options.accept;
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(accept === null ? {} : { accept }),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, contentType: response.headers.get("content-type"), body: await response.json(), logged };
  } finally {
    Object.assign(console, saved);
  }
}

const codesOf = (answer: Answer) => answer.body.errors?.map((error) => error.extensions?.code);

const TRANSFER = `mutation Transfer($amount: BigFloat!) {
  transferToMobile(input: { toMobileNo: "01099900002", amount: $amount }) { clientMutationId }
}`;
const TRANSFER_INPUT = `mutation Transfer($input: TransferToMobileInput!) { transferToMobile(input: $input) { clientMutationId } }`;
const literalTransfer = (amount: string) =>
  `mutation { transferToMobile(input: { toMobileNo: "01099900002", amount: ${JSON.stringify(amount)} }) { clientMutationId } }`;

test("the anonymous mistakes of the issue each get their project code and one line in the log, without a stack", async ({ server }) => {
  const cases: [string, unknown, string][] = [
    ["filter: null", { query: "{ servicePlans(filter: null) { totalCount } }" }, "TC516"],
    ["filter: {}", { query: "{ servicePlans(filter: {}) { totalCount } }" }, "TC516"],
    [
      "filter: {} in a variable",
      { query: "query Plans($filter: ServicePlanFilter) { servicePlans(filter: $filter) { totalCount } }", variables: { filter: {} } },
      "TC516",
    ],
    ["after: not-a-cursor", { query: '{ servicePlans(after: "not-a-cursor") { totalCount } }' }, "TC512"],
    [
      "a variable of the wrong type",
      { query: "query Plans($first: Int) { servicePlans(first: $first) { totalCount } }", variables: { first: "abc" } },
      "TC513",
    ],
    ["a foreign operation name", { query: "query Plans { servicePlans { totalCount } }", operationName: "Foreign" }, "TC514"],
    [
      "an update with nothing to change",
      { query: "mutation { updateTariff(input: { kind: data, patch: {} }) { clientMutationId } }" },
      "TC515",
    ],
    ["a document that does not fit the schema", { query: "{ nope }" }, "TC517"],
  ];
  for (const [what, body, code] of cases) {
    const answer = await send(server, body);
    assert.equal(codesOf(answer), [code], `${what}: ${JSON.stringify(answer.body)}`);
    assert.not.match(answer.body.errors![0].message, /An error occurred|logged with hash/, what);
    assert.ok(answer.logged.length <= 1, `${what}: ${answer.logged.length} log entries`);
    for (const entry of answer.logged) {
      assert.not.match(entry, "\n", `${what}: one line`);
      assert.not.match(entry, /\bat .+:\d+:\d+/, `${what}: no stack trace`);
    }
  }
});

test("money: hexadecimal, exponents, underscores, signs, spaces, commas, lists, booleans and numbers are refused before SQL", async ({
  server,
}) => {
  const customer = server.tokenFor({ role: "telecom_customer", mobile_no: "01099900001", national_id: 9_990_001 });
  const refusals: [unknown, string, string][] = [
    ["0x10", "TC104", 'The amount must be a plain decimal such as 12.50 (digits, at most one point and two decimals), not "0x10".'],
    [" 1", "TC104", 'The amount must be a plain decimal such as 12.50 (digits, at most one point and two decimals), not " 1".'],
    ["1e1", "TC104", 'The amount must be a plain decimal such as 12.50 (digits, at most one point and two decimals), not "1e1".'],
    ["1_0", "TC104", 'The amount must be a plain decimal such as 12.50 (digits, at most one point and two decimals), not "1_0".'],
    ["+1", "TC104", 'The amount must be a plain decimal such as 12.50 (digits, at most one point and two decimals), not "+1".'],
    ["-1", "TC104", 'The amount must be a plain decimal such as 12.50 (digits, at most one point and two decimals), not "-1".'],
    ["1,5", "TC104", 'The amount must be a plain decimal such as 12.50 (digits, at most one point and two decimals), not "1,5".'],
    ["NaN", "TC104", 'The amount must be a plain decimal such as 12.50 (digits, at most one point and two decimals), not "NaN".'],
    ["1.234", "TC105", 'The amount "1.234" has more than two decimals.'],
    ["1".repeat(2_000), "TC104", 'The amount "11111111111111111111…" is too large.'],
    [[1], "TC104", 'The amount must be a plain decimal written as a string, such as "12.50", not a list.'],
    [true, "TC104", 'The amount must be a plain decimal written as a string, such as "12.50", not true.'],
    [16, "TC104", 'The amount must be a plain decimal written as a string, such as "12.50", not a number.'],
  ];
  for (const [amount, code, message] of refusals) {
    // In a variable of its own, inside the whole input, and (strings) written in the document.
    const bodies: unknown[] = [
      { query: TRANSFER, variables: { amount } },
      { query: TRANSFER_INPUT, variables: { input: { toMobileNo: "01099900002", amount } } },
      ...(typeof amount === "string" ? [{ query: literalTransfer(amount) }] : []),
    ];
    for (const body of bodies) {
      const answer = await send(server, body, { token: customer });
      assert.equal(answer.body, { errors: [{ message, extensions: { code } }] }, JSON.stringify(body).slice(0, 200));
    }
  }
  // An admin's money columns too: a plan's price in a patch.
  const admin = server.adminToken();
  const price = await send(
    server,
    {
      query: "mutation Price($patch: ServicePlanPatch!) { updateServicePlan(input: { planId: -1, patch: $patch }) { clientMutationId } }",
      variables: { patch: { price: "0x10" } },
    },
    { token: admin },
  );
  assert.equal(codesOf(price), ["TC104"]);
  // A plain decimal goes through to SQL, which answers for the account (this customer has none).
  for (const amount of ["16", "16.5", "16.50", "0016.00", "1234567890.99"]) {
    const answer = await send(server, { query: TRANSFER, variables: { amount } }, { token: customer });
    assert.equal(codesOf(answer), ["42501"], amount);
  }
});

test("the money arguments: the functions' amounts and the numeric(p, 2) columns of create and update inputs, nothing else", async () => {
  const pool = new pg.Pool({ connectionString: authenticatorUrl(), max: 2 });
  try {
    const { schema } = await makeSchema(
      makePreset({ pool, jwtSecret: "money-fields", production: false, trustedDocuments: loadTrustedDocuments(null) }),
    );
    const money = Object.values(schema.getTypeMap())
      .filter((type): type is GraphQLInputObjectType => type instanceof GraphQLInputObjectType)
      .flatMap((type) =>
        Object.values(type.getFields()).flatMap((field) => (field.extensions.telecomMoney ? [`${type.name}.${field.name}`] : [])),
      )
      .sort();
    assert.equal(money, [
      "CustomerAccountInput.creditLimit",
      "CustomerAccountPatch.creditLimit",
      "InitiateBalancePaymentInput.amount",
      "InitiatePlanPaymentInput.amount",
      "IssueCreditNoteInput.amount",
      "ServicePlanInput.price",
      "ServicePlanPatch.price",
      "TransferToMobileInput.amount",
      "VoucherInput.value",
      "VoucherPatch.value",
    ]);
  } finally {
    await pool.end();
  }
});

test("a plain decimal is digits with at most one point and two decimals, at most ten digits before the point", () => {
  for (const fine of ["0", "1", "1.5", "1.50", "9999999999.99", "0000000000001.00", null, undefined]) {
    assert.is(moneyValueRefusal(fine), undefined, String(fine));
  }
  for (const [refused, code] of [
    ["10000000000", "TC104"],
    [".5", "TC104"],
    ["1.", "TC104"],
    ["１", "TC104"],
    ["1.5\n", "TC104"],
    ["", "TC104"],
    ["0.001", "TC105"],
    [{ amount: "1" }, "TC104"],
  ] as const) {
    assert.is(moneyValueRefusal(refused)?.extensions.code, code, JSON.stringify(refused));
  }
});

test("a request error is logged without the values it quotes from the request", async ({ server }) => {
  const answer = await send(server, {
    query: 'mutation { authenticate(input: { mobileNo: "01099900001", password: 12345678 }) { jwtToken } }',
  });
  assert.equal(codesOf(answer), ["TC517"]);
  assert.match(answer.body.errors![0].message, "12345678");
  assert.equal(answer.logged, ["GraphQL request refused: TC517 String cannot represent a non string value"]);
});

test("Accept: */* or no Accept header gets application/json; asking for application/graphql-response+json still gets it", async ({
  server,
}) => {
  for (const accept of ["*/*", null, "application/json"]) {
    const answer = await send(server, { query: "{ __typename }" }, { accept });
    assert.is(answer.contentType, "application/json;charset=utf-8", String(accept));
    assert.equal(answer.body, { data: { __typename: "Query" } });
  }
  const modern = await send(server, { query: "{ __typename }" }, { accept: "application/graphql-response+json" });
  assert.is(modern.contentType, "application/graphql-response+json;charset=utf-8");
  // A validation error: 200 for application/json (legacy), 400 for the new type, both with a code.
  const legacy = await send(server, { query: "{ nope }" }, { accept: "*/*" });
  assert.equal([legacy.status, codesOf(legacy)], [200, ["TC517"]]);
  const strict = await send(server, { query: "{ nope }" }, { accept: "application/graphql-response+json" });
  assert.equal([strict.status, codesOf(strict)], [400, ["TC517"]]);
});

test.run();

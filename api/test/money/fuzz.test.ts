/**
 * Generated bad input over GraphQL: for the money functions and consumption, a valid request
 * with one field made bad (wrong type, non-positive, huge or 3-decimal amounts, empty, very long and
 * unicode strings, unknown or out-of-range ids, far dates) always gets a clear error, never an HTTP
 * 500, and writes nothing. The fixtures are committed (the server has its own connections) and removed
 * at the end (support/builder.ts).
 */
import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Builder, sql } from "../support/builder.ts";
import { moneyState } from "../support/money-state.ts";
import { startTestServer, type GraphQLResponse, type TestServer } from "../support/server.ts";

interface Context {
  server: TestServer;
  token: string;
  ids: { planId: number; paymentId: number; benefitId: number; voucherId: number };
}

const test = suite<Context>("money: generated bad input over GraphQL", {} as Context);
const NUM_RUNS = 30;
const data = new Builder();
const FUZZ = await data.customerIds();
const OTHER = await data.customerIds();

/** Both people (100 on the account, 50 points, a wallet), a plan, a benefit and a payment of Fuzz, a voucher. */
async function createFixtures(): Promise<Context["ids"]> {
  await data.customer({ ...FUZZ, account: { balance: 100, points: 50 }, wallet: 200 });
  await data.customer({ ...OTHER, account: { balance: 100, points: 50 }, wallet: 50 });
  const { plan_id: planId } = await data.plan({ price: 50, sms_offered: 10, minutes_offered: 10, data_offered: 10 });
  const benefit = await data.insert<{ benefit_id: number }>(
    "telecom.benefit",
    { description: "Fuzz cashback", validity_date: sql("current_date + 30"), mobile_no: FUZZ.mobile_no },
    ["benefit_id"],
  );
  const payment = await data.insert<{ payment_id: number }>(
    "telecom.payment",
    { mobile_no: FUZZ.mobile_no, amount: 100, payment_method: "cash", status: "successful" },
    ["payment_id"],
  );
  const voucher = await data.insert<{ voucher_id: number }>(
    "telecom.voucher",
    { value: 10, expiry_date: sql("current_date + 30"), points: 10, shop_id: await data.shop() },
    ["voucher_id"],
  );
  return { planId, paymentId: payment.payment_id, benefitId: benefit.benefit_id, voucherId: voucher.voucher_id };
}

test.before(async (context) => {
  context.ids = await createFixtures();
  context.server = await startTestServer();
  context.token = context.server.tokenFor({ role: "telecom_customer", mobile_no: FUZZ.mobile_no, national_id: FUZZ.national_id });
});

test.after(async (context) => {
  await context.server?.close();
  await data.remove();
});

// Bad values, by what a field expects.
const longString = fc.string({ minLength: 300, maxLength: 2000 });
const badText = fc.oneof(
  fc.constant(""),
  fc.constant(" "),
  longString,
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }),
  fc.constant("0119200000١"),
  fc.constant("Robert'); drop table telecom.wallet;--"),
);
const badMobileNo = fc.oneof(badText, fc.constant(OTHER.mobile_no), fc.constant("09999999999"), fc.integer().map(String));
const cents = (digits: bigint) => `${digits / 100n}.${(digits % 100n).toString().padStart(2, "0")}`;
const badAmount = fc.oneof(
  fc.bigInt({ min: -(10n ** 14n), max: 0n }).map((value) => (value === 0n ? "0" : `-${cents(-value)}`)),
  fc.bigInt({ min: 10n ** 12n, max: 10n ** 40n }).map(cents),
  fc.tuple(fc.nat(100_000), fc.integer({ min: 1, max: 9 })).map(([units, thousandth]) => `${units}.00${thousandth}`),
  fc.constantFrom("NaN", "Infinity", "-Infinity", "1e400", "0.001", "1,5", "ten", "", " ", "١٠"),
  fc.double({ noNaN: true, max: 0 }),
  badText,
  fc.constant(null),
);
const badId = fc.oneof(
  fc.integer({ min: 100_000_000, max: 2 ** 31 - 1 }),
  fc.integer({ max: 0 }),
  fc.constantFrom(2 ** 31, 2 ** 53, 1.5, "1", null, true),
);
const badKey = fc.oneof(badText, fc.constantFrom("00000000-0000-0000-0000-00000000000g", 42, "{}"));
const badMethod = fc.oneof(badText, fc.constantFrom("CASH", "BITCOIN", 1, null));
const badDate = fc.oneof(badText, fc.constantFrom("0000-01-01", "2024-02-30", "2024-13-01", "10000-01-01", "yesterday", 20240101, null));

interface Mutation {
  name: string;
  document: string;
  valid: (ids: Context["ids"]) => Record<string, unknown>;
  bad: Record<string, fc.Arbitrary<unknown>>;
}

const mutation = (field: string, inputType: string) => `mutation ($input: ${inputType}!) { ${field}(input: $input) { clientMutationId } }`;
const MUTATIONS: Mutation[] = [
  {
    name: "transferToMobile",
    document: mutation("transferToMobile", "TransferToMobileInput"),
    valid: () => ({ toMobileNo: OTHER.mobile_no, amount: "1.00", idempotencyKey: "7d3c6f10-1b2a-4e5f-9a8b-0c1d2e3f4a5b" }),
    bad: {
      toMobileNo: fc.oneof(
        badMobileNo.filter((value) => value !== OTHER.mobile_no),
        fc.constant(FUZZ.mobile_no),
      ),
      amount: badAmount,
      idempotencyKey: badKey,
    },
  },
  {
    name: "initiateBalancePayment",
    document: mutation("initiateBalancePayment", "InitiateBalancePaymentInput"),
    valid: () => ({ mobileNo: FUZZ.mobile_no, amount: "10.00", paymentMethod: "cash" }),
    bad: { mobileNo: badMobileNo, amount: badAmount, paymentMethod: badMethod, idempotencyKey: badKey },
  },
  {
    name: "initiatePlanPayment",
    document: mutation("initiatePlanPayment", "InitiatePlanPaymentInput"),
    valid: (ids) => ({ mobileNo: FUZZ.mobile_no, amount: "50.00", paymentMethod: "credit", planId: ids.planId }),
    bad: { mobileNo: badMobileNo, amount: badAmount, paymentMethod: badMethod, planId: badId, idempotencyKey: badKey },
  },
  {
    name: "paymentWalletCashback",
    document: mutation("paymentWalletCashback", "PaymentWalletCashbackInput"),
    valid: (ids) => ({ mobileNo: FUZZ.mobile_no, paymentId: ids.paymentId, benefitId: ids.benefitId }),
    bad: { mobileNo: badMobileNo, paymentId: badId, benefitId: badId, idempotencyKey: badKey },
  },
  {
    name: "redeemVoucherPoints",
    document: mutation("redeemVoucherPoints", "RedeemVoucherPointsInput"),
    valid: (ids) => ({ mobileNo: FUZZ.mobile_no, voucherId: ids.voucherId }),
    bad: { mobileNo: badMobileNo, voucherId: badId, idempotencyKey: badKey },
  },
];

/**
 * A clear refusal: not a 500, at least one error, each either from the database with its SQLSTATE
 * in `extensions.code`, or GraphQL's refusal of a variable of the wrong type, which names the field
 * (the server gives those no code).
 */
function assertRefused(response: GraphQLResponse, what: string): void {
  assert.ok(response.status < 500, `${what}: HTTP ${response.status}`);
  const errors = response.body.errors ?? [];
  assert.ok(errors.length > 0, `${what}: no error, data ${JSON.stringify(response.body.data)}`);
  for (const error of errors) {
    const isWrongType = error.path === undefined && /^Variable "\$\w+" got invalid value .* at "\$?[\w.]+"/.test(error.message);
    assert.ok(isWrongType || /^[0-9A-Z]{5}$/.test(String(error.extensions?.code)), `${what}: "${error.message}" has no code`);
  }
}

for (const operation of MUTATIONS) {
  test(`${operation.name}: one bad field → an error with a code, no 500, nothing written`, async ({ server, token, ids }) => {
    // The valid input passes the schema and reaches the database, which refuses a visitor: otherwise
    // every generated case would fail for the same wrong reason (a misspelt field).
    const visitor = await server.graphql(operation.document, { input: operation.valid(ids) });
    assert.equal(
      visitor.body.errors?.map((error) => error.extensions?.code),
      ["42501"],
    );
    const before = await moneyState();
    const badField = fc.oneof(
      ...Object.entries(operation.bad).map(([field, values]) => fc.record({ field: fc.constant(field), value: values })),
    );
    await fc.assert(
      fc.asyncProperty(badField, async ({ field, value }) => {
        const input = { ...operation.valid(ids), [field]: value };
        const response = await server.graphql(operation.document, { input }, token);
        assertRefused(response, `${operation.name} with ${field} = ${JSON.stringify(value)?.slice(0, 80)}`);
        assert.equal(
          await moneyState(),
          before,
          `${operation.name} with ${field} = ${JSON.stringify(value)?.slice(0, 80)} wrote something`,
        );
      }),
      { numRuns: NUM_RUNS },
    );
  });
}

test("consumption: any dates or plan name → data or an error with a code, never a 500", async ({ server, token }) => {
  const document = `query ($planName: String, $startDate: Date, $endDate: Date) {
    consumption(planName: $planName, startDate: $startDate, endDate: $endDate) { dataConsumption minutesUsed smsSent }
  }`;
  const farDate = fc
    .date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T00:00:00Z"), noInvalidDate: true })
    .map((date) => date.toISOString().slice(0, 10));
  const before = await moneyState();
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(badText, fc.constant("Fuzz plan")),
      fc.oneof(farDate, badDate),
      fc.oneof(farDate, badDate),
      async (planName, startDate, endDate) => {
        const response = await server.graphql(document, { planName, startDate, endDate }, token);
        const what = `consumption(${JSON.stringify(planName)?.slice(0, 40)}, ${JSON.stringify(startDate)}, ${JSON.stringify(endDate)})`;
        assert.ok(response.status < 500, `${what}: HTTP ${response.status}`);
        if (response.body.errors) assertRefused(response, what);
        else assert.type(response.body.data?.consumption, "object", `${what}: neither data nor errors`);
      },
    ),
    { numRuns: NUM_RUNS },
  );
  assert.equal(await moneyState(), before);
});

test.run();

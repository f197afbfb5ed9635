/**
 * POST /webhooks/payments (docs/money.md) over HTTP: the signature is checked before anything else, the
 * report settles the payment once as telecom_payment_processor, and every bad report gets its own
 * answer and writes nothing. Also: the sandbox processor's checkout, the checkout redirect, and the
 * server's refusal to run in production without the secret or with the sandbox.
 */
import crypto from "node:crypto";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startServer } from "../../src/server/app.ts";
import { signReport, signatureProblem } from "../../src/server/payments-webhook.ts";
import { authenticatorUrl, getRootPool, ownerUrl } from "../support/database.ts";
import { startTestServer, TEST_JWT_SECRET, TEST_WEBHOOK_SECRET, type TestServer } from "../support/server.ts";
import { Builder } from "../support/builder.ts";

const data = new Builder();
const PERSON = await data.customerIds();
/** A person whose balance is nearly full. */
const FULL = await data.customerIds();

const test = suite<{ server: TestServer }>("server: the payments webhook", {} as { server: TestServer });

test.before(async (context) => {
  await data.customer(PERSON);
  await data.customer(FULL);
  context.server = await startTestServer();
});

test.after(async ({ server }) => {
  await server.close();
  await data.remove();
});

/** A customer's pending card recharge, as the web app makes it. */
async function pendingPayment(server: TestServer, amount = 25): Promise<{ reference: string; paymentId: number }> {
  const token = server.tokenFor({ role: "telecom_customer", ...PERSON });
  const { body } = await server.graphql(
    `mutation ($amount: BigFloat!) { initiateBalancePayment(input: { mobileNo: "${PERSON.mobile_no}", amount: $amount, paymentMethod: credit }) { payment { paymentId status providerReference } } }`,
    { amount: String(amount) },
    token,
  );
  if (!body.data?.initiateBalancePayment) throw new Error(JSON.stringify(body.errors));
  const payment = body.data.initiateBalancePayment.payment;
  assert.is(payment.status, "pending");
  return { reference: payment.providerReference, paymentId: payment.paymentId };
}

async function post(server: TestServer, body: string, signature?: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}/webhooks/payments`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(signature === undefined ? {} : { "Telecom-Signature": signature }) },
    body,
  });
  return { status: response.status, body: await response.json() };
}

const report = (reference: string, outcome: string) => JSON.stringify({ provider_reference: reference, outcome });
const signed = (server: TestServer, body: string) => post(server, body, signReport(TEST_WEBHOOK_SECRET, body));

/** What a refused report must leave alone: payments, the balance, the journal, refunds. */
async function state(): Promise<string> {
  const { rows } = await getRootPool().query(
    `select json_build_object(
       'payments', (select json_agg(json_build_object('id', payment_id, 'status', status) order by payment_id) from telecom.payment where mobile_no = $1),
       'balance', (select balance from telecom.customer_account where mobile_no = $1),
       'journal', (select count(*) from telecom.money_journal where mobile_no = $1),
       'refunds', (select count(*) from telecom.card_refund)
     )::text as state`,
    [PERSON.mobile_no],
  );
  return rows[0].state;
}

async function balance(): Promise<string> {
  const { rows } = await getRootPool().query("select balance from telecom.customer_account where mobile_no = $1", [PERSON.mobile_no]);
  return rows[0].balance;
}

test("an approved report settles the payment once; an identical replay answers 200 and moves nothing", async ({ server }) => {
  const { reference, paymentId } = await pendingPayment(server, 25);
  const before = await balance();
  const first = await signed(server, report(reference, "successful"));
  assert.is(first.status, 200);
  assert.equal(first.body, { payment_id: paymentId, provider_reference: reference, status: "successful" });
  assert.is(Number(await balance()) - Number(before), 25);
  const after = await state();
  const replay = await signed(server, report(reference, "successful"));
  assert.is(replay.status, 200);
  assert.is(await state(), after);
  // The journal names the processor.
  const { rows } = await getRootPool().query(
    "select operation, actor from telecom.money_journal where mobile_no = $1 and operation = 'settle_payment'",
    [PERSON.mobile_no],
  );
  assert.equal(rows, [{ operation: "settle_payment", actor: "payment_processor" }]);
  // Conflicting outcome: 409, nothing changes.
  const conflict = await signed(server, report(reference, "rejected"));
  assert.is(conflict.status, 409);
  assert.is(conflict.body.code, "TC321");
  assert.is(await state(), after);
});

test("bad signatures are refused with 400 before anything is read", async ({ server }) => {
  const { reference } = await pendingPayment(server);
  const body = report(reference, "successful");
  const before = await state();
  const now = Math.floor(Date.now() / 1000);
  const forged = signReport("not-the-secret", body);
  // Well outside the 300 s tolerance, so the loop below may take its time on a loaded machine.
  const stale = signReport(TEST_WEBHOOK_SECRET, body, now - 600);
  const future = signReport(TEST_WEBHOOK_SECRET, body, now + 600);
  const otherBody = signReport(TEST_WEBHOOK_SECRET, report(reference, "rejected"));
  for (const [what, signature] of [
    ["missing", undefined],
    ["empty", ""],
    ["forged", forged],
    ["stale", stale],
    ["from the future", future],
    ["for another body", otherBody],
    ["without v1", `t=${now}`],
    ["with a short v1", `t=${now},v1=abcd`],
    ["garbage", "hello"],
  ] as const) {
    const answer = await post(server, body, signature);
    assert.is(answer.status, 400, what);
    assert.ok(answer.body.error, what);
  }
  assert.is(await state(), before);
  // Within the tolerance: accepted.
  const later = Math.floor(Date.now() / 1000);
  assert.is((await post(server, body, signReport(TEST_WEBHOOK_SECRET, body, later - 290))).status, 200);
});

test("a signed body that is not a report gets 400; an unknown reference 404", async ({ server }) => {
  const before = await state();
  for (const body of [
    "not json",
    "",
    "[]",
    "null",
    '{"provider_reference": 12, "outcome": "successful"}',
    '{"provider_reference": "chk_x", "outcome": "pending"}',
    '{"provider_reference": "chk_x"}',
  ]) {
    const answer = await signed(server, body);
    assert.is(answer.status, 400, body);
  }
  const unknown = await signed(server, report(`chk_${crypto.randomUUID()}`, "successful"));
  assert.is(unknown.status, 404);
  assert.is(unknown.body.code, "TC320");
  assert.is(await state(), before);
});

test("a declined payment stays declined; a late success for a payment rejected as stale is refused (409) and logged for a refund", async ({
  server,
}) => {
  const declined = await pendingPayment(server, 12);
  assert.is((await signed(server, report(declined.reference, "rejected"))).status, 200);
  assert.is((await signed(server, report(declined.reference, "rejected"))).status, 200, "identical replay");

  const stale = await pendingPayment(server, 13);
  const root = getRootPool();
  await root.query("update telecom.payment set initiated_at = now() - interval '31 minutes' where payment_id = $1", [stale.paymentId]);
  assert.is((await root.query("select telecom.maintenance_tick() as done")).rows[0].done.stale_payments_rejected, 1);
  const before = await balance();
  const late = await signed(server, report(stale.reference, "successful"));
  assert.is(late.status, 409);
  assert.is(late.body.code, "TC322");
  assert.is(await balance(), before);
  const { rows } = await root.query("select payment_id, amount::text from telecom.card_refund where payment_id = $1", [stale.paymentId]);
  assert.equal(rows, [{ payment_id: stale.paymentId, amount: "13.00" }]);
  // Reported again: still refused, logged once.
  assert.is((await signed(server, report(stale.reference, "successful"))).status, 409);
  assert.is((await root.query("select count(*)::int as n from telecom.card_refund where payment_id = $1", [stale.paymentId])).rows[0].n, 1);
});

test("a report the balance cannot hold is logged for a refund and committed; such an amount is refused at initiation", async ({
  server,
}) => {
  const root = getRootPool();
  // A balance nearly full: a recharge of 9,999,999,999.99 is refused before the card is charged.
  await root.query("update telecom.customer_account set balance = 9999999000 where mobile_no = $1", [FULL.mobile_no]);
  const token = server.tokenFor({ role: "telecom_customer", ...FULL });
  const initiate = (amount: string) =>
    server.graphql(
      `mutation ($amount: BigFloat!) { initiateBalancePayment(input: { mobileNo: "${FULL.mobile_no}", amount: $amount, paymentMethod: credit }) { payment { paymentId providerReference } } }`,
      { amount },
      token,
    );
  const tooMuch = await initiate("9999999999.99");
  assert.equal(
    tooMuch.body.errors?.map((error: { extensions?: { code?: string } }) => error.extensions?.code),
    ["TC317"],
  );
  // Two recharges that fit one by one but not together: the second's success cannot be applied.
  const [first, second] = [(await initiate("600")).body, (await initiate("600")).body].map(
    (body) => body.data!.initiateBalancePayment.payment as { paymentId: number; providerReference: string },
  );
  assert.is((await signed(server, report(first.providerReference, "successful"))).status, 200);
  const unappliable = await signed(server, report(second.providerReference, "successful"));
  assert.equal(unappliable, {
    status: 200,
    body: { payment_id: second.paymentId, provider_reference: second.providerReference, status: "rejected" },
  });
  const { rows } = await root.query(
    `select refund.amount::text, refund.reason, payment.status, account.balance::text
     from telecom.card_refund as refund
     inner join telecom.payment as payment on payment.payment_id = refund.payment_id
     inner join telecom.customer_account as account on account.mobile_no = payment.mobile_no
     where refund.payment_id = $1`,
    [second.paymentId],
  );
  assert.equal(rows, [{ amount: "600.00", reason: "balance_cannot_hold", status: "rejected", balance: "9999999600.00" }]);
  // The processor retries: the same answer, logged once.
  assert.equal(await signed(server, report(second.providerReference, "successful")), unappliable);
  assert.is(
    (await root.query("select count(*)::int as n from telecom.card_refund where payment_id = $1", [second.paymentId])).rows[0].n,
    1,
  );
});

test("the sandbox checkout shows the amount and reports the customer's choice, signed, once or twice or never", async ({ server }) => {
  const approved = await pendingPayment(server, 31.5);
  const redirect = await fetch(`${server.url}/checkout/${approved.reference}?return=/payments`, { redirect: "manual" });
  assert.is(redirect.status, 303);
  assert.is(redirect.headers.get("location"), `/sandbox/checkout/${approved.reference}?return=%2Fpayments`);
  const page = await (await fetch(`${server.url}${redirect.headers.get("location")}`)).text();
  assert.match(page, "31.50 EGP");
  const evil = await fetch(`${server.url}/checkout/${approved.reference}?return=//evil.example/`, { redirect: "manual" });
  assert.is(evil.headers.get("location"), `/sandbox/checkout/${approved.reference}?return=%2F`, "no open redirect");

  const choose = (reference: string, outcome: string, mode: string) =>
    fetch(`${server.url}/sandbox/checkout/${reference}`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ outcome, report: mode, return: "/payments?checkout=1" }),
    });
  const before = Number(await balance());
  const answer = await choose(approved.reference, "successful", "twice");
  assert.is(answer.status, 303);
  assert.is(answer.headers.get("location"), "/payments?checkout=1");
  const statusOf = async (id: number) =>
    (await getRootPool().query("select status from telecom.payment where payment_id = $1", [id])).rows[0].status as string;
  for (let i = 0; i < 50 && (await statusOf(approved.paymentId)) === "pending"; i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 300));
  assert.is(await statusOf(approved.paymentId), "successful");
  assert.is(Number(await balance()) - before, 31.5, "reported twice, applied once");

  const declined = await pendingPayment(server, 7);
  await choose(declined.reference, "rejected", "once");
  for (let i = 0; i < 50 && (await statusOf(declined.paymentId)) === "pending"; i++) await new Promise((r) => setTimeout(r, 100));
  assert.is(await statusOf(declined.paymentId), "rejected");

  const silent = await pendingPayment(server, 8);
  await choose(silent.reference, "successful", "never");
  await new Promise((r) => setTimeout(r, 500));
  assert.is(await statusOf(silent.paymentId), "pending");
});

test("signatureProblem accepts any matching v1 (secret rotation) and compares in constant time", () => {
  const body = Buffer.from(report("chk_a", "successful"));
  const now = Math.floor(Date.now() / 1000);
  const good = signReport("s1", body.toString(), now);
  const other = signReport("s2", body.toString(), now);
  assert.is(signatureProblem("s1", `${other},${good.split(",")[1]}`, body, now), null);
  assert.ok(signatureProblem("s1", other, body, now));
});

test("signatureProblem's tolerance is 300 s either way, at a fixed clock", () => {
  const body = Buffer.from(report("chk_a", "successful"));
  const now = 1_800_000_000;
  for (const offset of [-300, 300]) assert.is(signatureProblem("s1", signReport("s1", body.toString(), now + offset), body, now), null);
  for (const offset of [-301, 301])
    assert.ok(signatureProblem("s1", signReport("s1", body.toString(), now + offset), body, now), `${offset}`);
});

test("production refuses to start without PAYMENT_WEBHOOK_SECRET, and never serves the sandbox", async () => {
  const saved = process.env.PAYMENT_WEBHOOK_SECRET;
  delete process.env.PAYMENT_WEBHOOK_SECRET;
  const urls = { owner: ownerUrl(), authenticator: authenticatorUrl() };
  try {
    await startServer({ port: 0, urls, jwtSecret: TEST_JWT_SECRET, webRoot: null, production: true, maintenance: false });
    assert.unreachable("started without the secret");
  } catch (error) {
    assert.match((error as Error).message, /PAYMENT_WEBHOOK_SECRET/);
  } finally {
    if (saved !== undefined) process.env.PAYMENT_WEBHOOK_SECRET = saved;
  }
  const server = await startServer({
    port: 0,
    urls,
    jwtSecret: TEST_JWT_SECRET,
    webRoot: null,
    production: true,
    maintenance: false,
    paymentWebhookSecret: TEST_WEBHOOK_SECRET,
    trustedDocumentsFile: null,
    smsGateway: null,
  });
  try {
    assert.is((await fetch(`${server.url}/sandbox/checkout/chk_x`)).status, 404);
    assert.is((await fetch(`${server.url}/checkout/chk_x`, { redirect: "manual" })).status, 503, "no processor configured");
    const body = report("chk_unknown", "successful");
    assert.is((await post({ url: server.url } as TestServer, body, signReport(TEST_WEBHOOK_SECRET, body))).status, 404);
  } finally {
    await server.close();
  }
});

test("the maintenance tick runs on its interval and rejects stale payments", async () => {
  const server = await startTestServer({ maintenance: { intervalMs: 200, stalePaymentAge: "1 minute" } });
  try {
    const stale = await pendingPayment(server, 9);
    await getRootPool().query("update telecom.payment set initiated_at = now() - interval '2 minutes' where payment_id = $1", [
      stale.paymentId,
    ]);
    let status = "pending";
    for (let i = 0; i < 40 && status === "pending"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await getRootPool().query("select status from telecom.payment where payment_id = $1", [stale.paymentId])).rows[0].status;
    }
    assert.is(status, "rejected");
  } finally {
    await server.close();
  }
});

test.run();

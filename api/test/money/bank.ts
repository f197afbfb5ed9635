/**
 * The bank test: proves under concurrency and a crash that no money is created, lost or
 * moved twice.
 *
 * It starts its own embedded PostgreSQL in a temp folder, builds the schema from the migrations and
 * seeds customers with accounts, wallets and a cashback benefit each. N clients, each on its own
 * connection as the authenticator switching to telecom_customer with a customer's claims, call the
 * real money functions with idempotency keys: transfer_to_mobile, initiate_balance_payment,
 * initiate_plan_payment and payment_wallet_cashback; some requests are deliberately sent twice.
 * Between operations the clients check, as an admin in one snapshot, that the sum of wallet balances
 * changed only by the cashback credited and the wallet payments made, that no balance is negative and that audit_balances() is
 * empty. Midway the postmaster is killed with SIGKILL and restarted on the same data; clients retry
 * whatever was in flight with the same idempotency key until it is applied or refused. At the end
 * every balance is re-derived from the operations and every key must have been applied exactly once.
 *
 * Card payments are settled as in production: the real API server runs on the bank's
 * database, and a simulated card processor posts signed reports to its /webhooks/payments. Of the
 * customers' card payments some are approved, some declined, some reported twice, some never (the
 * server's maintenance tick rejects them as stale) and some late, after that rejection (refused and
 * logged for a refund). An admin ends benefits during the run (benefits_account). Money enters only
 * through settled payments and cashback, and every settled payment moves money once.
 *
 *   npm run bank -- --clients 16 --seconds 60 [--customers 300] [--no-crash]
 *
 * Exits with 1 when an invariant is violated.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { commandLine, positiveOption } from "../../src/cli/args.ts";
import { withClient } from "../../src/db/client.ts";
import { freePort, startEmbedded, type Database } from "../../src/db/cluster.ts";
import { resetDatabase } from "../../src/db/migrations.ts";
import { startServer, type RunningServer } from "../../src/server/app.ts";
import { SIGNATURE_HEADER, signReport, WEBHOOK_PATH } from "../../src/server/payments-webhook.ts";
import { claimsSql } from "../support/roles.ts";

export interface BankOptions {
  clients: number;
  seconds: number;
  customers: number;
  crash: boolean;
  /** Progress lines; silent when absent. */
  log?: (line: string) => void;
}

type Kind = "transfer_to_mobile" | "initiate_balance_payment" | "initiate_plan_payment" | "payment_wallet_cashback";

/** The id each function's result is known by. */
const RESULT_ID: Record<Kind, string> = {
  transfer_to_mobile: "transfer_id",
  initiate_balance_payment: "payment_id",
  initiate_plan_payment: "payment_id",
  payment_wallet_cashback: "cashback_id",
};

interface Customer {
  mobile_no: string;
  national_id: number;
  benefit_id: number;
}

interface Operation {
  kind: Kind;
  customer: Customer;
  key: string;
  /** The SQL call, arguments as literals (all generated here: digits, enum values and uuids). */
  call: string;
  payment?: { mobile_no: string; payment_id: number };
}

type Outcome = { applied: true; id: number; row: Record<string, unknown> } | { applied: false; code: string };

/** What the simulated card processor does with a pending card payment. */
type Fate = "approve" | "decline" | "approve twice" | "never" | "approve late";

interface CardPayment {
  payment_id: number;
  provider_reference: string;
  fate: Fate;
  /** The outcome the webhook accepted (HTTP 200), if any; refunded: refused as late (409 TC322). */
  settled?: "successful" | "rejected";
  refundLogged?: boolean;
}

export interface BankResult {
  clients: number;
  customers: number;
  seconds: number;
  applied: Record<Kind, number>;
  /** Refused with a business error (SQLSTATE → count): overdrafts, other currencies, cashback twice, … */
  refused: Record<string, number>;
  /** Failed attempts that were retried with the same key (connection lost, server starting, …). */
  retried: Record<string, number>;
  duplicatesReplayed: number;
  invariantChecks: number;
  crash?: { atSeconds: number; downSeconds: number; appliedAfterRestart: number };
  /** Customers' card payments by what the processor did, and the webhook's answers by HTTP status. */
  cards: Record<string, number>;
  webhookAnswers: Record<string, number>;
  benefitsEnded: number;
  violations: string[];
}

/** Seconds a card payment may stay pending in the bank before the tick rejects it; late reports come after. */
const STALE_SECONDS = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)];
/** A random amount of whole cents between the bounds, as SQL text. */
const amount = (minCents: number, maxCents: number) => (Math.floor(minCents + Math.random() * (maxCents - minCents + 1)) / 100).toFixed(2);
const count = (tally: Record<string, number>, key: string) => (tally[key] = (tally[key] ?? 0) + 1);

/** Business refusals are final; everything else (no SQLSTATE, 08 connection, 57 shutdown/starting, 53 resources, 40 serialization/deadlock) is retried. */
function isTransient(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === undefined || code.startsWith("E") || /^(08|57|53|40)/.test(code);
}

/** The SQLSTATE, or the Node error code (ECONNREFUSED, …); pg's own errors for a dead connection have neither. */
function errorKind(error: unknown): string {
  return (error as { code?: string }).code ?? "connection lost";
}

const customerClaims = (customer: Customer) =>
  claimsSql({ role: "telecom_customer", mobile_no: customer.mobile_no, national_id: customer.national_id });
const ADMIN_CLAIMS = claimsSql({ role: "telecom_admin", admin_id: 1 });

/**
 * Money enters the wallets only as cashback and leaves them only as wallet payments (transfers move
 * it between wallets): this figure never changes.
 */
const WALLET_NET = `(
  (select sum(current_balance) from telecom.wallet)
  - (select coalesce(sum(amount), 0) from telecom.cashback)
  + (select coalesce(sum(amount), 0) from telecom.payment where payment_method = 'wallet' and status = 'successful')
)`;

async function seed(ownerUrl: string, customers: number): Promise<{ customers: Customer[]; planIds: number[]; benefitPlanId: number }> {
  return withClient(ownerUrl, async (client) => {
    await client.query(
      `
      insert into telecom.customer_profile (national_id, first_name, last_name, date_of_birth)
      select 700000 + i, 'Bank', 'Customer ' || i, date '1970-01-01' + i
      from generate_series(1, $1) as i;
      insert into telecom.customer_account (mobile_no, national_id, balance, account_type)
      select '015' || lpad(i::text, 8, '0'), 700000 + i, round((random() * 100)::numeric, 2), 'prepaid'
      from generate_series(1, $1) as i;
      -- One wallet in fifty holds dollars, so that some transfers are refused for their currency.
      insert into telecom.wallet (national_id, mobile_no, current_balance, currency)
      select 700000 + i, '015' || lpad(i::text, 8, '0'), round((100 + random() * 900)::numeric, 2), case when i % 50 = 0 then 'USD' else 'EGP' end
      from generate_series(1, $1) as i;
      insert into telecom.benefit (description, validity_date, status, mobile_no)
      select '10% cashback on payments', current_date + 365, 'active', mobile_no
      from telecom.customer_account;
      insert into telecom.service_plan (name, price, sms_offered, minutes_offered, data_offered)
      values ('Bank small', 50, 100, 100, 1000), ('Bank medium', 100, 500, 500, 5000), ('Bank large', 150, 1000, 1000, 20000);
      -- The cashback benefits come with the small plan, so an admin can end them (benefits_account).
      insert into telecom.plan_provides_benefits (plan_id, benefit_id)
      select plan.plan_id, benefit.benefit_id
      from telecom.service_plan as plan
      cross join telecom.benefit as benefit
      where plan.name = 'Bank small';
      -- The admin of the invariant checks: an admin's claim counts only when it names an admin.
      insert into telecom_private.admin_user (admin_id, username, password_hash) values (1, 'bank-admin', '');
      -- The opening figures, to re-derive every balance at the end.
      create table telecom_private.bank_opening as
      select 'wallet' as kind, wallet_id::text as key, current_balance as amount from telecom.wallet
      union all
      select 'account', mobile_no, balance from telecom.customer_account;
      `.replaceAll("$1", String(customers)),
    );
    const rows = await client.query(`
      select account.mobile_no, account.national_id, benefit.benefit_id
      from telecom.customer_account as account
      inner join telecom.benefit as benefit on benefit.mobile_no = account.mobile_no`);
    const plans = await client.query("select plan_id, name from telecom.service_plan order by plan_id");
    return {
      customers: rows.rows,
      planIds: plans.rows.map((row) => row.plan_id),
      benefitPlanId: plans.rows.find((row) => row.name === "Bank small").plan_id,
    };
  });
}

/** The running bank: shared state of the clients. */
class Bank {
  readonly applied: Record<Kind, number> = {
    transfer_to_mobile: 0,
    initiate_balance_payment: 0,
    initiate_plan_payment: 0,
    payment_wallet_cashback: 0,
  };
  readonly refused: Record<string, number> = {};
  readonly retried: Record<string, number> = {};
  readonly violations: string[] = [];
  /** Every applied operation by key, with the id of its result; and in a list, to pick duplicates from. */
  readonly done = new Map<string, { op: Operation; id: number }>();
  readonly doneOps: Operation[] = [];
  /** Payments that may still earn cashback, and payments that have (asking again must be refused). */
  readonly payments: { mobile_no: string; payment_id: number }[] = [];
  readonly credited: { mobile_no: string; payment_id: number }[] = [];
  /** The customers' card payments and what the processor did with them. */
  readonly cards = new Map<number, CardPayment>();
  readonly webhookAnswers: Record<string, number> = {};
  /** The processor's reports still on their way. */
  readonly reports: Promise<void>[] = [];
  webhookUrl = "";
  benefitsEnded = 0;
  duplicatesReplayed = 0;
  invariantChecks = 0;
  appliedAfterRestart = 0;
  restarted = false;
  /** When the clients stop starting operations. */
  until = 0;

  constructor(
    readonly url: string,
    readonly customers: Customer[],
    readonly planIds: number[],
    readonly openingNet: string,
    readonly benefitPlanId: number,
    readonly webhookSecret: string,
  ) {}

  violation(text: string): void {
    if (this.violations.length < 50) this.violations.push(text);
  }

  nextOperation(): Operation {
    const customer = pick(this.customers);
    const key = randomUUID();
    const roll = Math.random();
    const method = pick(["cash", "credit", "wallet"]);
    if (roll < 0.15 && this.payments.length + this.credited.length > 0) {
      // One request in ten asks again for a payment that already earned cashback: it must be refused.
      const again = this.credited.length > 0 && Math.random() < 0.1;
      const list = again ? this.credited : this.payments;
      const payment = again ? pick(list) : list.splice(Math.floor(Math.random() * list.length), 1)[0];
      if (payment) {
        const owner = this.customers.find((candidate) => candidate.mobile_no === payment.mobile_no)!;
        return {
          kind: "payment_wallet_cashback",
          customer: owner,
          key,
          call: `telecom.payment_wallet_cashback('${owner.mobile_no}', ${payment.payment_id}, ${owner.benefit_id}, '${key}')`,
          payment,
        };
      }
    }
    if (roll < 0.3) {
      return {
        kind: "initiate_balance_payment",
        customer,
        key,
        call: `telecom.initiate_balance_payment('${customer.mobile_no}', ${amount(100, 20000)}, '${method}', '${key}')`,
      };
    }
    if (roll < 0.4) {
      return {
        kind: "initiate_plan_payment",
        customer,
        key,
        call: `telecom.initiate_plan_payment('${customer.mobile_no}', ${amount(100, 20000)}, '${method}', ${pick(this.planIds)}, '${key}')`,
      };
    }
    const to = pick(this.customers);
    return {
      kind: "transfer_to_mobile",
      customer,
      key,
      call: `telecom.transfer_to_mobile('${to.mobile_no}', ${amount(1, 6000)}, '${key}')`,
    };
  }

  record(op: Operation, outcome: Outcome, duplicate: boolean): void {
    if (duplicate) {
      const first = this.done.get(op.key)!;
      if (!outcome.applied || outcome.id !== first.id) {
        this.violation(`${op.kind} ${op.key} sent again gave ${JSON.stringify(outcome)}, the first time ${first.id}`);
      }
      this.duplicatesReplayed += 1;
      return;
    }
    if (!outcome.applied) {
      count(this.refused, outcome.code);
      // A payment refused cashback stays creditable unless it was already credited or came from the wallet.
      if (op.payment && outcome.code !== "TC114" && outcome.code !== "TC117") this.payments.push(op.payment);
      return;
    }
    this.applied[op.kind] += 1;
    if (this.restarted) this.appliedAfterRestart += 1;
    this.done.set(op.key, { op, id: outcome.id });
    this.doneOps.push(op);
    if (op.kind === "initiate_balance_payment" || op.kind === "initiate_plan_payment") {
      this.payments.push({ mobile_no: op.customer.mobile_no, payment_id: outcome.id });
      if (outcome.row.status === "pending") this.processCard(outcome.id, String(outcome.row.provider_reference));
    }
    if (op.kind === "payment_wallet_cashback" && op.payment && !this.credited.includes(op.payment)) this.credited.push(op.payment);
  }

  /** The card processor's side of a pending card payment: its fate, then its signed reports. */
  processCard(payment_id: number, provider_reference: string): void {
    const roll = Math.random();
    const fate: Fate =
      roll < 0.5 ? "approve" : roll < 0.7 ? "decline" : roll < 0.8 ? "approve twice" : roll < 0.9 ? "never" : "approve late";
    const card: CardPayment = { payment_id, provider_reference, fate };
    this.cards.set(payment_id, card);
    if (fate === "never") return;
    const outcome = fate === "decline" ? "rejected" : "successful";
    const delay = fate === "approve late" ? (STALE_SECONDS + 2) * 1000 : Math.random() * 300;
    this.reports.push(
      (async () => {
        await sleep(delay);
        for (let sent = 0; sent < (fate === "approve twice" ? 2 : 1); sent++) await this.report(card, outcome);
      })(),
    );
  }

  /** One report, sent again until the webhook gives a definite answer (200, 404, 409), as a processor does. */
  private async report(card: CardPayment, outcome: "successful" | "rejected"): Promise<void> {
    const body = JSON.stringify({ provider_reference: card.provider_reference, outcome });
    for (let attempt = 0; ; attempt++) {
      let status: number;
      let answer: { code?: string } = {};
      try {
        const response = await fetch(this.webhookUrl, {
          method: "POST",
          headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signReport(this.webhookSecret, body) },
          body,
        });
        status = response.status;
        answer = (await response.json().catch(() => ({}))) as { code?: string };
      } catch {
        status = 0;
      }
      count(this.webhookAnswers, String(status));
      if (status === 200) {
        if (card.settled && card.settled !== outcome)
          this.violation(`${card.provider_reference}: 200 for ${outcome} after ${card.settled}`);
        card.settled = outcome;
        return;
      }
      if (status === 409 && answer.code === "TC322" && outcome === "successful") {
        card.settled ??= "rejected";
        card.refundLogged = true;
        return;
      }
      if (status === 404 || status === 409 || status === 400) {
        this.violation(`${card.provider_reference} (${card.fate}) reported ${outcome}: HTTP ${status} ${JSON.stringify(answer)}`);
        return;
      }
      if (Date.now() > this.until + 60_000) {
        this.violation(`${card.provider_reference}: no definite answer from the webhook (last HTTP ${status})`);
        return;
      }
      await sleep(Math.min(50 * 2 ** attempt, 1000));
    }
  }

  /** Whole-bank invariants in one snapshot, as an admin. */
  async check(connection: pg.Client): Promise<void> {
    // One query string is one transaction: the claims hold for it alone.
    const results = (await connection.query(`
      ${ADMIN_CLAIMS}
      select
        ${WALLET_NET} as net,
        (select count(*) from telecom.wallet where current_balance < 0)::int as negative_wallets,
        (select count(*) from telecom.customer_account where balance < 0 and account_type <> 'post_paid')::int as negative_accounts,
        (select count(*) from telecom.audit_balances())::int as audit_mismatches;`)) as unknown as pg.QueryResult[];
    const row = results[1].rows[0];
    this.invariantChecks += 1;
    if (row.net !== this.openingNet) this.violation(`wallets minus cashback plus wallet payments is ${row.net}, was ${this.openingNet}`);
    if (row.negative_wallets > 0) this.violation(`${row.negative_wallets} wallets are negative`);
    if (row.negative_accounts > 0) this.violation(`${row.negative_accounts} prepaid accounts are negative`);
    if (row.audit_mismatches > 0) this.violation(`audit_balances() reports ${row.audit_mismatches} mismatches`);
  }
}

/** One client: its own connection, replaced whenever it breaks. */
class Client {
  private connection: pg.Client | undefined;

  constructor(private readonly bank: Bank) {}

  private async connected(): Promise<pg.Client> {
    if (this.connection) return this.connection;
    const connection = new pg.Client({ connectionString: this.bank.url });
    // A connection that dies while idle reports here; the next query fails and is retried.
    connection.on("error", () => {});
    await connection.connect();
    this.connection = connection;
    return connection;
  }

  private drop(): void {
    this.connection?.end().catch(() => {});
    this.connection = undefined;
  }

  /** Retries transient failures until the database gives a definite answer; the same key each time. */
  private async definitely<T>(work: (connection: pg.Client) => Promise<T>, giveUpAt: number): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await work(await this.connected());
      } catch (error) {
        if (!isTransient(error) || Date.now() > giveUpAt) throw error;
        count(this.bank.retried, errorKind(error));
        this.drop();
        await sleep(Math.min(50 * 2 ** attempt, 1000));
      }
    }
  }

  async send(op: Operation, giveUpAt: number): Promise<Outcome> {
    try {
      return await this.definitely(async (connection) => {
        const results = (await connection.query(
          `${customerClaims(op.customer)} select row_to_json(result) as result from ${op.call} as result;`,
        )) as unknown as pg.QueryResult[];
        const row = results[1].rows[0].result;
        return { applied: true, id: Number(row[RESULT_ID[op.kind]]), row };
      }, giveUpAt);
    } catch (error) {
      if (isTransient(error)) throw error;
      return { applied: false, code: errorKind(error) };
    }
  }

  async run(giveUpAt: number): Promise<void> {
    for (let done = 1; Date.now() < this.bank.until; done += 1) {
      const bank = this.bank;
      // One request in twenty is a duplicate of an earlier one (a client that did not hear the answer).
      const duplicate = bank.doneOps.length > 0 && Math.random() < 0.05;
      // One request in a hundred is an admin ending a customer's benefits: cashback through them is refused from then on.
      if (!duplicate && Math.random() < 0.01) {
        const customer = pick(bank.customers);
        const ended = await this.definitely(async (connection) => {
          const results = (await connection.query(
            `${ADMIN_CLAIMS} select telecom.benefits_account('${customer.mobile_no}', ${bank.benefitPlanId}) as ended;`,
          )) as unknown as pg.QueryResult[];
          return Number(results[1].rows[0].ended);
        }, giveUpAt);
        bank.benefitsEnded += ended;
        continue;
      }
      const op = duplicate ? pick(bank.doneOps) : bank.nextOperation();
      bank.record(op, await this.send(op, giveUpAt), duplicate);
      if (done % 25 === 0) await this.definitely((connection) => bank.check(connection), giveUpAt);
    }
    this.drop();
  }
}

/** The end: every balance re-derived from the operations, every key applied exactly once. */
async function verify(bank: Bank, urls: Database["urls"]): Promise<void> {
  await withClient(urls.authenticator, async (admin) => {
    await bank.check(admin);
  });
  await withClient(urls.owner, async (owner) => {
    const wallets = await owner.query(`
      select wallet.wallet_id, wallet.current_balance::text as actual,
        (opening.amount
          + coalesce((select sum(amount) from telecom.transfer_money where to_wallet_id = wallet.wallet_id), 0)
          - coalesce((select sum(amount) from telecom.transfer_money where from_wallet_id = wallet.wallet_id), 0)
          + coalesce((select sum(amount) from telecom.cashback where cashback.wallet_id = wallet.wallet_id), 0)
          - coalesce((
            select sum(payment.amount)
            from telecom.payment
            where payment.mobile_no = wallet.mobile_no
              and payment.payment_method = 'wallet'
              and payment.status = 'successful'
          ), 0))::text as expected
      from telecom.wallet
      inner join telecom_private.bank_opening as opening on opening.kind = 'wallet' and opening.key = wallet.wallet_id::text`);
    const accounts = await owner.query(`
      select account.mobile_no, account.balance::text as actual,
        (opening.amount + coalesce((
          select sum(coalesce(process_payment.extra_amount, payment.amount))
          from telecom.payment
          left join telecom.process_payment on process_payment.payment_id = payment.payment_id
          where payment.mobile_no = account.mobile_no
            and payment.status = 'successful'
        ), 0))::text as expected
      from telecom.customer_account as account
      inner join telecom_private.bank_opening as opening on opening.kind = 'account' and opening.key = account.mobile_no`);
    for (const row of [...wallets.rows, ...accounts.rows]) {
      if (row.actual !== row.expected)
        bank.violation(`${row.wallet_id ?? row.mobile_no} holds ${row.actual}, its operations add up to ${row.expected}`);
    }
    const counts = (
      await owner.query(`
        select
          (select count(*) from telecom.transfer_money)::int as transfers,
          (select count(*) from telecom.payment)::int as payments,
          (select count(*) from telecom.cashback)::int as cashback`)
    ).rows[0];
    const expected = {
      transfers: bank.applied.transfer_to_mobile,
      payments: bank.applied.initiate_balance_payment + bank.applied.initiate_plan_payment,
      cashback: bank.applied.payment_wallet_cashback,
    };
    for (const [what, n] of Object.entries(expected)) {
      if (counts[what] !== n) bank.violation(`${counts[what]} ${what} rows for ${n} applied keys`);
    }
    // Every card payment is what the processor's accepted report made it; the rest stayed pending or went stale.
    const cards = await owner.query(
      `select payment.payment_id, payment.status, refund.payment_id is not null as refund
       from telecom.payment
       left join telecom.card_refund as refund on refund.payment_id = payment.payment_id
       where payment.provider_reference is not null`,
    );
    if (cards.rowCount !== bank.cards.size) bank.violation(`${cards.rowCount} card payments for ${bank.cards.size} pending ones made`);
    for (const row of cards.rows) {
      const card = bank.cards.get(row.payment_id);
      if (!card) {
        bank.violation(`card payment ${row.payment_id} was never made by a client`);
        continue;
      }
      const expected = card.settled ?? (card.fate === "never" ? row.status : "pending");
      if (card.settled === undefined && card.fate === "never" && row.status === "successful") {
        bank.violation(`card payment ${row.payment_id} never reported is successful`);
      } else if (row.status !== expected) {
        bank.violation(`card payment ${row.payment_id} (${card.fate}) is ${row.status}, the processor's accepted report says ${expected}`);
      }
      if (row.refund !== Boolean(card.refundLogged))
        bank.violation(`card payment ${row.payment_id}: refund logged ${row.refund}, expected ${Boolean(card.refundLogged)}`);
    }
    const keys = await owner.query("select idempotency_key, operation, result from telecom_private.idempotency_key");
    if (keys.rowCount !== bank.done.size) bank.violation(`${keys.rowCount} stored keys for ${bank.done.size} applied operations`);
    for (const row of keys.rows) {
      const done = bank.done.get(row.idempotency_key);
      const id = Number(row.result?.[RESULT_ID[row.operation as Kind]]);
      if (!done) bank.violation(`key ${row.idempotency_key} (${row.operation}) is stored but was never applied`);
      else if (done.op.kind !== row.operation || done.id !== id)
        bank.violation(`key ${row.idempotency_key}: stored ${row.operation} ${id}, applied ${done.op.kind} ${done.id}`);
    }
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGKILL to the postmaster (its pid is the first line of postmaster.pid), then a start on the same data. */
async function crashAndRestart(
  dataDir: string,
  port: number,
  log: (line: string) => void,
  serverLog: (line: string) => void,
): Promise<Database> {
  const pid = Number(fs.readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
  process.kill(pid, "SIGKILL");
  log(`killed the postmaster (pid ${pid}) with SIGKILL`);
  // Until the process is gone, startEmbedded would take the cluster for running and join it.
  while (isAlive(pid)) await sleep(20);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startEmbedded({ dataDir, port, databaseName: "telecom_bank", log: serverLog, application: "bank" });
    } catch (error) {
      // Backends of the killed server may still hold its shared memory for a moment.
      if (attempt >= 40) throw error;
      log(`restart attempt ${attempt} failed: ${error}`);
      await sleep(250);
    }
  }
}

export async function runBank(options: BankOptions): Promise<BankResult> {
  const log = options.log ?? (() => {});
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "telecom-bank-"));
  const serverLogFile = path.join(dataDir, "postgres.log");
  const serverLog = (line: string) => fs.appendFileSync(serverLogFile, `${line}\n`);
  const port = await freePort();
  let db = await startEmbedded({ dataDir, port, databaseName: "telecom_bank", log: serverLog, application: "bank" });
  let server: RunningServer | undefined;
  let failed = true;
  try {
    await resetDatabase(db.urls);
    const { customers, planIds, benefitPlanId } = await seed(db.urls.owner, options.customers);
    const webhookSecret = randomUUID();
    // The real API server on the bank's database: the processor's reports go through its webhook, and
    // its maintenance tick rejects card payments pending longer than STALE_SECONDS.
    server = await startServer({
      port: 0,
      urls: db.urls,
      jwtSecret: randomUUID(),
      webRoot: null,
      production: false,
      sandbox: false,
      paymentWebhookSecret: webhookSecret,
      maintenance: { intervalMs: 500, stalePaymentAge: `${STALE_SECONDS} seconds` },
      // No SMS leave in the bank test.
      smsGateway: null,
    });
    const opening = await withClient(db.urls.authenticator, (admin) => admin.query(`${ADMIN_CLAIMS} select ${WALLET_NET} as net;`));
    const bank = new Bank(
      db.urls.authenticator,
      customers,
      planIds,
      (opening as unknown as pg.QueryResult[])[1].rows[0].net,
      benefitPlanId,
      webhookSecret,
    );
    bank.webhookUrl = `${server.url}${WEBHOOK_PATH}`;
    log(
      `${customers.length} customers seeded; ${options.clients} clients for ${options.seconds} s${options.crash ? ", SIGKILL of the server midway" : ""}`,
    );

    const started = Date.now();
    bank.until = started + options.seconds * 1000;
    // In-flight operations get a generous time to reach a definite answer after the deadline.
    const giveUpAt = bank.until + 60_000;
    const progress = setInterval(() => {
      const applied = Object.values(bank.applied).reduce((a, b) => a + b, 0);
      log(`${((Date.now() - started) / 1000).toFixed(0)} s: ${applied} applied, ${bank.invariantChecks} invariant checks`);
    }, 5000);
    let crash: BankResult["crash"];
    const crasher = options.crash
      ? (async () => {
          await sleep((options.seconds * 1000) / 2);
          const killedAt = Date.now();
          db = await crashAndRestart(dataDir, port, log, serverLog);
          bank.restarted = true;
          // A slow recovery must not end the run: the clients work on for at least 2 s after it.
          bank.until = Math.max(bank.until, Date.now() + 2000);
          crash = { atSeconds: (killedAt - started) / 1000, downSeconds: (Date.now() - killedAt) / 1000, appliedAfterRestart: 0 };
          log(`restarted after ${crash.downSeconds.toFixed(1)} s`);
        })()
      : Promise.resolve();
    await Promise.all([...Array.from({ length: options.clients }, () => new Client(bank).run(giveUpAt)), crasher]);
    // The processor's last reports (late ones come STALE_SECONDS + 2 s after their payment).
    for (let settled = 0; settled < bank.reports.length; settled = bank.reports.length) await Promise.all(bank.reports.slice(settled));
    clearInterval(progress);
    const seconds = (Date.now() - started) / 1000;
    await verify(bank, db.urls);
    if (crash) crash.appliedAfterRestart = bank.appliedAfterRestart;
    failed = bank.violations.length > 0;
    return {
      clients: options.clients,
      customers: customers.length,
      seconds,
      applied: bank.applied,
      refused: bank.refused,
      retried: bank.retried,
      duplicatesReplayed: bank.duplicatesReplayed,
      invariantChecks: bank.invariantChecks,
      crash,
      cards: Object.fromEntries(
        (["approve", "decline", "approve twice", "never", "approve late"] as Fate[]).map((fate) => [
          fate,
          [...bank.cards.values()].filter((card) => card.fate === fate).length,
        ]),
      ),
      webhookAnswers: bank.webhookAnswers,
      benefitsEnded: bank.benefitsEnded,
      violations: bank.violations,
    };
  } finally {
    await server?.close();
    await db.stop();
    // The data folder is kept when something went wrong, for its server log.
    if (failed) log(`data and server log kept in ${dataDir}`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export function formatResult(result: BankResult): string {
  const total = Object.values(result.applied).reduce((a, b) => a + b, 0);
  const tally = (record: Record<string, number>) =>
    Object.entries(record)
      .sort(([, a], [, b]) => b - a)
      .map(([key, n]) => `${key} ${n}`)
      .join(", ") || "none";
  return [
    `clients ${result.clients}, customers ${result.customers}, duration ${result.seconds.toFixed(1)} s`,
    `applied ${total} operations (${(total / result.seconds).toFixed(0)}/s): ${tally(result.applied)}`,
    `duplicates sent again and replayed: ${result.duplicatesReplayed}`,
    `customers' card payments by what the processor did: ${tally(result.cards)}; webhook answers by HTTP status: ${tally(result.webhookAnswers)}`,
    `benefits ended by an admin during the run: ${result.benefitsEnded}`,
    `refused (business errors by SQLSTATE): ${tally(result.refused)}`,
    `retried with the same key (transient errors): ${tally(result.retried)}`,
    result.crash
      ? `crash: SIGKILL at ${result.crash.atSeconds.toFixed(1)} s, back after ${result.crash.downSeconds.toFixed(1)} s, ${result.crash.appliedAfterRestart} operations applied after the restart`
      : "crash: none",
    `invariant checks during the run: ${result.invariantChecks}`,
    result.violations.length === 0
      ? "invariants: OK (wallets change only by cashback and wallet payments, no negative balance, audit_balances() empty, every balance re-derived from settled payments and cashback, every card payment as its processor's accepted report says, late successes logged for a refund, every key applied exactly once)"
      : `invariants VIOLATED:\n  ${result.violations.join("\n  ")}`,
  ].join("\n");
}

if (import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const USAGE = "npm run bank -- [--clients 16] [--seconds 60] [--customers 300] [--no-crash]";
  const { values } = commandLine(USAGE, {
    options: {
      clients: { type: "string" },
      seconds: { type: "string" },
      customers: { type: "string" },
      "no-crash": { type: "boolean", default: false },
    },
  });
  const result = await runBank({
    clients: positiveOption(USAGE, "clients", values.clients, 16, true),
    seconds: positiveOption(USAGE, "seconds", values.seconds, 60),
    customers: positiveOption(USAGE, "customers", values.customers, 300, true),
    crash: !values["no-crash"],
    log: (line) => console.log(line),
  });
  console.log(formatResult(result));
  process.exit(result.violations.length > 0 ? 1 : 0);
}

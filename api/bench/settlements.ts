/**
 * The card-payment settlement path: the card processor's signed report (POST /webhooks/payments)
 * → signature check → telecom.settle_payment as telecom_payment_processor → the recharge applied,
 * journaled. Each request settles a different pending card payment, made beforehand by its customer.
 */
import { withClient } from "../src/db/client.ts";
import type { Database } from "../src/db/cluster.ts";
import { signReport, SIGNATURE_HEADER, WEBHOOK_PATH } from "../src/server/payments-webhook.ts";
import { benchSuperuserUrl } from "./database.ts";
import { httpLoad, type LoadResult } from "./measure.ts";
import type { Sample } from "./operations.ts";
import { log } from "./report.ts";
import { startServerProcess } from "./server.ts";

export interface SettlementResult extends LoadResult {
  /** Pending card payments made for the run; a run that settles them all is cut short. */
  pending: number;
  /** Payments the run settled, counted in the database. */
  settled: number;
}

/**
 * `count` pending card recharges of 10 EGP, made by the sample customers themselves (a customer's
 * card payment waits for the processor); returns their provider references.
 */
async function pendingCardPayments(db: Database, samples: Sample[], count: number): Promise<string[]> {
  return withClient(benchSuperuserUrl(db), async (client) => {
    await client.query(
      "create schema if not exists bench; create table if not exists bench.card_payment (provider_reference text primary key)",
    );
    await client.query("truncate bench.card_payment");
    const owners = JSON.stringify(samples.map((sample) => ({ mobile_no: sample.mobileNo, national_id: sample.nationalId })));
    await client.query(
      `do $$
       declare
         v_owner record;
         v_references text[] := '{}';
       begin
         perform set_config('role', 'telecom_customer', true);
         for v_owner in
           select owner.mobile_no, owner.national_id
           from json_to_recordset(${client.escapeLiteral(owners)}) as owner (mobile_no text, national_id integer),
             generate_series(1, ${Math.ceil(count / samples.length)})
         loop
           perform set_config('jwt.claims.mobile_no', v_owner.mobile_no, true), set_config('jwt.claims.national_id', v_owner.national_id::text, true);
           v_references := v_references || (select payment.provider_reference from telecom.initiate_balance_payment(v_owner.mobile_no, 10, 'credit') as payment);
         end loop;
         perform set_config('role', 'none', true);
         insert into bench.card_payment (provider_reference) select unnest(v_references);
       end;
       $$`,
    );
    const { rows } = await client.query<{ provider_reference: string }>("select provider_reference from bench.card_payment");
    return rows.map((row) => row.provider_reference);
  });
}

async function settledCount(db: Database, references: string[]): Promise<number> {
  return withClient(benchSuperuserUrl(db), async (client) => {
    const { rows } = await client.query<{ settled: string }>(
      "select count(*) as settled from telecom.payment where provider_reference = any($1) and status = 'successful'",
      [references],
    );
    return Number(rows[0].settled);
  });
}

export async function settlementThroughput(
  db: Database,
  samples: Sample[],
  { connections, count = 5_000 }: { connections: number; count?: number },
): Promise<SettlementResult> {
  log(`e. ${count.toLocaleString("en")} pending card payments, made by ${samples.length} customers`);
  const references = await pendingCardPayments(db, samples, count);
  const server = await startServerProcess(db);
  try {
    log(
      `e. card-payment settlements: signed reports to ${WEBHOOK_PATH}, ${connections} connections, each of the ${references.length} pending payments once`,
    );
    let next = 0;
    // Each pending payment once: a second report of one is a cheap replay, which would flatter the rate.
    const result = await httpLoad(`${server.url}${WEBHOOK_PATH}`, connections, { amount: references.length }, () => {
      const body = JSON.stringify({ provider_reference: references[next++ % references.length], outcome: "successful" });
      return { body, headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signReport(server.webhookSecret, body) } };
    });
    return { ...result, pending: references.length, settled: await settledCount(db, references) };
  } finally {
    await server.stop();
  }
}

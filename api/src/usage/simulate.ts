/**
 * Realistic network traffic (docs/usage.md, `npm run usage:simulate`): usage events sent to a running
 * server over GraphQL as the network role (authenticate_network), for active accounts and some on
 * hold. A daily curve (quiet at night, busiest in the evening, in the operator's time zone) scales
 * the rate; a few heavy users send most of the events; about 2 % of sends are replays of an event
 * already sent (duplicates, which must return the first result). It sends the network client's
 * trusted documents (shared/network-documents.ts) by id, with their text, as the web app does, so a
 * production server accepts them.
 */
import { compiled } from "../../../shared/graphql.ts";
import { AuthenticateNetwork, RecordUsage } from "../../../shared/network-documents.ts";
import { persistedDocument, type PersistedDocument } from "../../../web/persisted-documents.ts";
import { withClient } from "../db/client.ts";

export interface SimulateOptions {
  /** The server's base URL, e.g. http://localhost:5678. */
  url: string;
  /** The owner's connection string: picks the accounts and, without `credential`, makes one. */
  ownerUrl: string;
  /** Events per second at the busiest hour of the day. */
  rate: number;
  seconds: number;
  /** Stop after this many sends (tests). */
  maxEvents?: number;
  /** A network login to use; otherwise the simulator sets its own (client usage-simulator). */
  credential?: { clientId: string; secret: string };
  /** Requests in flight at most. */
  concurrency?: number;
  /** The hour of the day (0–23) for the daily curve; default the operator's hour now. */
  hour?: number;
  seed?: number;
  /** Only these numbers (tests); default up to 200 accounts picked at random. */
  mobileNos?: string[];
}

export interface SimulateResult {
  sent: number;
  in_allowance: number;
  charged: number;
  refused: number;
  duplicates: number;
  /** Replays that did not return the first result (should be 0). */
  duplicateMismatches: number;
  errors: Record<string, number>;
  amountCharged: number;
  accounts: { heavy: number; light: number; onHold: number };
  curve: number;
  elapsedMs: number;
}

/** The share of the peak rate per hour of the day (operator's time): 10 % at 2–4 am, 100 % at 8–9 pm. */
const HOURLY = [
  0.3, 0.2, 0.1, 0.1, 0.1, 0.15, 0.25, 0.4, 0.55, 0.65, 0.7, 0.75, 0.8, 0.8, 0.75, 0.75, 0.8, 0.85, 0.9, 0.95, 1, 1, 0.8, 0.5,
];

export function dailyCurve(hour: number): number {
  return HOURLY[((Math.floor(hour) % 24) + 24) % 24];
}

function random(seed: number): () => number {
  let state = seed % 2147483647 || 1;
  return () => {
    state = (state * 16807) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

interface SentEvent {
  eventId: string;
  mobileNo: string;
  kind: "data" | "voice" | "sms";
  quantity: string;
  occurredAt: string;
}

/** The body of a request for a trusted document: its id, its text, and the variables. */
function requestBody({ id, text }: PersistedDocument, variables: Record<string, unknown>): string {
  return JSON.stringify({ query: text, documentId: id, variables });
}

const LOGIN = persistedDocument(compiled(AuthenticateNetwork).text);
const RECORD_USAGE = persistedDocument(compiled(RecordUsage).text);

async function networkToken(options: SimulateOptions): Promise<string> {
  let credential = options.credential;
  if (!credential) {
    credential = { clientId: "usage-simulator", secret: `sim-${crypto.randomUUID()}` };
    const { clientId, secret } = credential;
    await withClient(options.ownerUrl, (owner) =>
      owner.query("select telecom.set_network_credential($1, 'simulator', $2)", [clientId, secret]),
    );
  }
  const response = await fetch(new URL("/graphql", options.url), {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: requestBody(LOGIN, { input: { clientId: credential.clientId, secret: credential.secret } }),
  });
  const body = (await response.json()) as { data?: { authenticateNetwork?: { jwtToken?: string | null } }; errors?: { message: string }[] };
  const token = body.data?.authenticateNetwork?.jwtToken;
  if (!token) throw new Error(`The network login failed: ${body.errors?.[0]?.message ?? "wrong client id or secret"}`);
  return token;
}

/** Up to 200 accounts: 90 % active (a tenth of them heavy users), 10 % on hold. */
async function pickAccounts(ownerUrl: string, next: () => number, mobileNos?: string[]) {
  return withClient(ownerUrl, async (owner) => {
    const { rows } = await owner.query<{ mobile_no: string; status: string }>(
      mobileNos
        ? "select mobile_no, status::text from telecom.customer_account where mobile_no = any($1) order by mobile_no"
        : `(select mobile_no, status::text from telecom.customer_account where status = 'active' order by random() limit 180)
           union all
           (select mobile_no, status::text from telecom.customer_account where status = 'onhold' order by random() limit 20)`,
      mobileNos ? [mobileNos] : [],
    );
    if (rows.length === 0) throw new Error("There are no accounts: load the sample data first (npm run db:seed).");
    return rows.map((row) => ({
      mobileNo: row.mobile_no,
      onHold: row.status === "onhold",
      heavy: row.status === "active" && next() < 0.1,
    }));
  });
}

export async function simulateUsage(options: SimulateOptions): Promise<SimulateResult> {
  const next = random(options.seed ?? Date.now());
  const started = Date.now();
  const token = await networkToken(options);
  const accounts = await pickAccounts(options.ownerUrl, next, options.mobileNos);
  // Heavy users weigh 20, light ones 1: a tenth of the people send about two thirds of the events.
  const weights = accounts.map((account) => (account.heavy ? 20 : 1));
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  const pickAccount = () => {
    let target = next() * totalWeight;
    for (let index = 0; index < accounts.length; index += 1) {
      target -= weights[index];
      if (target < 0) return accounts[index];
    }
    return accounts[accounts.length - 1];
  };
  const hour =
    options.hour ??
    Number(new Intl.DateTimeFormat("en-GB", { hour: "numeric", hourCycle: "h23", timeZone: "Africa/Cairo" }).format(new Date()));
  const curve = dailyCurve(hour);
  const interval = 1000 / Math.max(options.rate * curve, 0.001);
  const limit = Math.min(options.maxEvents ?? Infinity, Math.ceil((options.seconds * 1000) / interval));
  const concurrency = options.concurrency ?? 8;
  const result: SimulateResult = {
    sent: 0,
    in_allowance: 0,
    charged: 0,
    refused: 0,
    duplicates: 0,
    duplicateMismatches: 0,
    errors: {},
    amountCharged: 0,
    accounts: {
      heavy: accounts.filter((account) => account.heavy).length,
      light: accounts.filter((account) => !account.heavy && !account.onHold).length,
      onHold: accounts.filter((account) => account.onHold).length,
    },
    curve,
    elapsedMs: 0,
  };
  const history: SentEvent[] = [];
  const firstResults = new Map<string, string>();
  const inFlight = new Set<Promise<void>>();

  const makeEvent = (): SentEvent => {
    const account = pickAccount();
    const draw = next();
    const kind = draw < 0.6 ? "data" : draw < 0.85 ? "voice" : "sms";
    const size = account.heavy ? 4 : 1;
    const quantity =
      kind === "data"
        ? (Math.exp(next() * 4) * size).toFixed(2) // 1 to 55 MB, heavy users 4 × that
        : kind === "voice"
          ? (0.1 + next() * 6 * size).toFixed(2)
          : String(1 + Math.floor(next() * 2));
    // The network reports a little late: up to 30 s.
    const occurredAt = new Date(Date.now() - 1000 - Math.floor(next() * 29_000)).toISOString();
    return { eventId: crypto.randomUUID(), mobileNo: account.mobileNo, kind, quantity, occurredAt };
  };

  const send = async (event: SentEvent, replay: boolean) => {
    try {
      const response = await fetch(new URL("/graphql", options.url), {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", authorization: `Bearer ${token}` },
        body: requestBody(RECORD_USAGE, { input: event }),
      });
      const body = (await response.json()) as {
        data?: { recordUsage?: { usageEvent?: { outcome: "in_allowance" | "charged" | "refused"; charged: string; receivedAt: string } } };
        errors?: { message: string; extensions?: { code?: string } }[];
      };
      const row = body.data?.recordUsage?.usageEvent;
      if (!row) {
        const code = body.errors?.[0]?.extensions?.code ?? `HTTP ${response.status}`;
        result.errors[code] = (result.errors[code] ?? 0) + 1;
        return;
      }
      const summary = JSON.stringify(row);
      if (replay) {
        result.duplicates += 1;
        if (firstResults.get(event.eventId) !== summary) result.duplicateMismatches += 1;
        return;
      }
      firstResults.set(event.eventId, summary);
      history.push(event);
      result[row.outcome] += 1;
      result.amountCharged += Number(row.charged);
    } catch (error) {
      const code = error instanceof Error ? error.message : String(error);
      result.errors[code] = (result.errors[code] ?? 0) + 1;
    }
  };

  for (let index = 0; index < limit; index += 1) {
    const due = started + index * interval;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    const replay = history.length > 0 && next() < 0.02;
    const event = replay ? history[Math.floor(next() * history.length)] : makeEvent();
    result.sent += 1;
    const promise = send(event, replay).finally(() => inFlight.delete(promise));
    inFlight.add(promise);
  }
  await Promise.all(inFlight);
  result.amountCharged = Math.round(result.amountCharged * 100) / 100;
  result.elapsedMs = Date.now() - started;
  return result;
}

/**
 * Synthetic subscribers at operator scale (`npm run db:seed -- --customers N`, and the benchmark).
 *
 * Everything is generated set-based in SQL: each chunk of customers is one transaction of
 * `insert ... select ... from generate_series(...)` statements, with random() seeded per chunk so a
 * run is repeatable. Chunks are independent (identifiers are computed from the customer index,
 * not drawn from sequences), so several connections can fill them in parallel.
 *
 * The rules come from the schema's own functions, never written again here: the mobile numbers from
 * telecom_private.synthetic_mobile_no, the plan-payment amounts from plan_payment_amounts, the
 * cashback from cashback_amount, and the money journal's opening entries from
 * account_journal_entries and wallet_journal_entries, which the journal triggers write with.
 */
import fs from "node:fs";
import pg from "pg";
import { progressBar } from "../progress.ts";

export interface SyntheticOptions {
  customers: number;
  /** Index of the first customer to generate (default 0): a second run can extend a first one. */
  first?: number;
  /**
   * A superuser connection to the same database. With it the chunks run with triggers off
   * (session_replication_role = replica), which is several times faster: the rows are valid by
   * construction, process_payment's amounts come from the function its trigger calls, and the money
   * journal's opening entries from the functions the journal triggers call, set-based in the same
   * transaction. Without it every trigger and foreign-key check runs row by row.
   */
  superuserUrl?: string;
  /** Customers per transaction. */
  chunkSize?: number;
  /** Parallel connections. */
  jobs?: number;
  onProgress?: (progress: SyntheticProgress) => void;
  /** Told of the steps around the chunks (dropping and rebuilding indexes, analyze). */
  onStep?: (message: string) => void;
}

export interface SyntheticProgress {
  customersDone: number;
  customers: number;
  rows: number;
  elapsedMs: number;
}

export interface SyntheticResult {
  customers: number;
  accounts: number;
  rows: number;
  elapsedMs: number;
  /**
   * CPU seconds the database backends spent on the chunks (from /proc, when the server runs on
   * this machine): on a shared machine the wall time depends on the neighbours, this does not.
   */
  backendCpuSeconds?: number;
  rowsPerTable: Record<string, number>;
}

/** Every synthetic account logs in with this password, like the sample customers. */
export const SYNTHETIC_PASSWORD = "telecom-demo";

/** Identifier bases: synthetic ids start after whatever the tables already hold. */
interface Bases {
  nationalId: number;
  walletId: number;
  paymentId: number;
  benefitId: number;
}

interface Catalogue {
  planIds: number[];
  planPrices: string[];
  shopIds: number[];
}

const FIRST_NAMES = [
  "Ahmed",
  "Mohamed",
  "Mahmoud",
  "Omar",
  "Youssef",
  "Mostafa",
  "Ali",
  "Hassan",
  "Karim",
  "Tarek",
  "Nour",
  "Mariam",
  "Fatma",
  "Aya",
  "Salma",
  "Hana",
  "Yasmin",
  "Sara",
  "Laila",
  "Dina",
];
const LAST_NAMES = [
  "Hassan",
  "Ibrahim",
  "Abdelrahman",
  "Mansour",
  "Fahmy",
  "Saleh",
  "Nasser",
  "Khalil",
  "Farouk",
  "Sayed",
  "Gamal",
  "Ezzat",
  "Shawky",
  "Ramadan",
  "Sherif",
  "Adel",
];
const STREETS = [
  "Tahrir St",
  "Nile Corniche",
  "Abbas El Akkad St",
  "Makram Ebeid St",
  "Gameat El Dowal St",
  "Salah Salem Rd",
  "El Horreya Rd",
  "Port Said St",
];
const CITIES = ["Cairo", "Giza", "Alexandria", "Mansoura", "Tanta", "Asyut", "Ismailia", "Luxor"];

/** Fewer than three plans cannot give each account three different subscriptions: add a catalogue. */
const SYNTHETIC_PLANS = [
  ["Scale Starter", "49.00", 100, 300, 2048],
  ["Scale Basic", "99.00", 300, 600, 6144],
  ["Scale Plus", "149.00", 500, 1000, 12288],
  ["Scale Max", "249.00", 1000, 2000, 30720],
  ["Scale Data", "199.00", 50, 200, 51200],
  ["Scale Talk", "129.00", 1000, 3000, 1024],
] as const;

const SHOP_CATEGORIES = ["electronics", "fashion", "groceries", "restaurants", "books", "travel"];

function textArray(values: readonly string[]): string {
  return `array[${values.map((value) => `'${value.replace(/'/g, "''")}'`).join(", ")}]`;
}

function intArray(values: readonly number[]): string {
  return `array[${values.map((value) => String(Math.trunc(value))).join(", ")}]::integer[]`;
}

/** random() picks from a SQL array. */
function pick(arrayLiteral: string, length: number): string {
  return `(${arrayLiteral})[1 + floor(random() * ${length})::integer]`;
}

async function prepareCatalogue(client: pg.Client): Promise<Catalogue> {
  const { rows: existing } = await client.query<{ count: string }>("select count(*) from telecom.service_plan");
  if (Number(existing[0].count) < 3) {
    for (const [name, price, sms, minutes, data] of SYNTHETIC_PLANS) {
      await client.query(
        `insert into telecom.service_plan (name, price, sms_offered, minutes_offered, data_offered, description)
         values ($1, $2, $3, $4, $5, 'Generated for the scale benchmark.')
         on conflict (name) do nothing`,
        [name, price, sms, minutes, data],
      );
    }
  }
  const { rows: shopCount } = await client.query<{ count: string }>("select count(*) from telecom.shop");
  if (Number(shopCount[0].count) < 10) {
    await client.query(`
      with new_shop as (
        insert into telecom.shop (name, category)
        select
          'Scale Shop ' || n,
          (${textArray(SHOP_CATEGORIES)})[1 + n % ${SHOP_CATEGORIES.length}]
        from generate_series(1, 40) as n
        returning shop_id, name
      ),
      physical as (
        insert into telecom.physical_shop (shop_id, address, working_hours)
        select shop_id, shop_id || ' Tahrir St, Cairo', '10:00-22:00'
        from new_shop
        where shop_id % 2 = 0
      )
      insert into telecom.e_shop (shop_id, url, rating)
      select shop_id, 'https://shop' || shop_id || '.example.com', 1 + shop_id % 5
      from new_shop
      where shop_id % 2 = 1`);
  }
  const plans = await client.query<{ plan_id: number; price: string }>("select plan_id, price from telecom.service_plan order by plan_id");
  const shops = await client.query<{ shop_id: number }>("select shop_id from telecom.shop order by shop_id");
  return {
    planIds: plans.rows.map((row) => row.plan_id),
    planPrices: plans.rows.map((row) => row.price),
    shopIds: shops.rows.map((row) => row.shop_id),
  };
}

async function readBases(client: pg.Client): Promise<Bases> {
  const { rows } = await client.query<Record<keyof Bases, number>>(`
    select
      (select coalesce(max(national_id), 0) from telecom.customer_profile) + 1 as "nationalId",
      (select coalesce(max(wallet_id), 0) from telecom.wallet) + 1 as "walletId",
      (select coalesce(max(payment_id), 0) from telecom.payment) + 1 as "paymentId",
      (select coalesce(max(benefit_id), 0) from telecom.benefit) + 1 as "benefitId"`);
  return rows[0];
}

/** The identity columns continue after the explicit ids the chunks wrote. */
const IDENTITY_COLUMNS = [
  ["wallet", "wallet_id"],
  ["payment", "payment_id"],
  ["benefit", "benefit_id"],
  ["plan_usage", "usage_id"],
  ["transfer_money", "transfer_id"],
  ["points_group", "point_id"],
  ["exclusive_offer", "offer_id"],
  ["cashback", "cashback_id"],
  ["voucher", "voucher_id"],
  ["technical_support_ticket", "ticket_id"],
] as const;

/**
 * The statements of one chunk (customers lo ≤ i < hi), in dependency order. Each entry names the
 * table it fills so the progress can count rows per table ("" for the chunk's temporary tables).
 * `journal`: the statements write the money journal's opening entries themselves, because the
 * chunk runs with triggers off (see generateSyntheticData).
 */
function chunkStatements(
  lo: number,
  hi: number,
  bases: Bases,
  catalogue: Catalogue,
  passwordHash: string,
  journal: boolean,
): Array<[string, string]> {
  const plans = catalogue.planIds.length;
  const planIds = intArray(catalogue.planIds);
  const planPrices = `array[${catalogue.planPrices.join(", ")}]::numeric[]`;
  const shops = intArray(catalogue.shopIds);
  const today = "current_date";
  // Payment k of account a has id paymentBase + a * 8 + k (at most 7 payments per account);
  // benefit t of account a has id benefitBase + a * 3 + t.
  const payment = (a: string, k: string) => `${bases.paymentId} + ${a} * 8 + ${k}`;
  const benefit = (a: string, t: string) => `${bases.benefitId} + ${a} * 3 + ${t}`;
  // The three plans of account a: consecutive entries of the catalogue from a rotating offset.
  const planOf = (a: string, s: string) => `(${planIds})[1 + (${a} * 7 + ${s}) % ${plans}]`;
  const priceOf = (a: string, s: string) => `(${planPrices})[1 + (${a} * 7 + ${s}) % ${plans}]`;
  const passwordLiteral = `'${passwordHash.replace(/'/g, "''")}'`;
  const journalColumns =
    "insert into telecom.money_journal (account_kind, mobile_no, wallet_id, national_id, change, balance_after, operation, actor)";
  const journalFrom = "'seed', 'database:' || session_user";
  const statements: Array<[string, string] | false> = [
    [
      "",
      `create temp table seed_account on commit drop as
       select
         account.*,
         -- The account's number (the digits after the prefix): identifiers and plans rotate on it.
         right(account.mobile_no, 8)::integer as a,
         case
           when kind = 'post_paid' and random() < 0.3 then -round((random() * 300)::numeric, 2)
           else round((random() * 500)::numeric, 2)
         end as balance
       from (
         select
           customer.i,
           line.k,
           telecom_private.synthetic_mobile_no(customer.i, line.k) as mobile_no,
           ${bases.nationalId} + customer.i as national_id,
           line.k = 0 and customer.i % 10 <> 7 as has_wallet,
           customer.i % 10 <> 7 as owner_has_wallet,
           case
             when random() < 0.5 then 'prepaid'
             when random() < 0.6 then 'post_paid'
             else 'pay_as_you_go'
           end::telecom.account_type as kind,
           case when random() < 0.95 then 'active' else 'onhold' end::telecom.account_status as status,
           ${today} - floor(random() * 3650)::integer as start_date,
           floor(random() * 2000)::integer as points,
           round((random() * 2000)::numeric, 2) as wallet_balance,
           5 + floor(random() * 11)::integer as usage_count,
           3 + floor(random() * 5)::integer as payment_count
         from generate_series(${lo}, ${hi - 1}) as customer (i)
         cross join lateral generate_series(0, case when customer.i % 5 = 0 then 1 else 0 end) as line (k)
       ) as account`,
    ],
    [
      "customer_profile",
      `insert into telecom.customer_profile (national_id, first_name, last_name, email, address, date_of_birth)
       select
         ${bases.nationalId} + customer.i,
         ${pick(textArray(FIRST_NAMES), FIRST_NAMES.length)},
         ${pick(textArray(LAST_NAMES), LAST_NAMES.length)},
         case when random() < 0.95 then 'customer' || (${bases.nationalId} + customer.i) || '@example.com' end,
         case when random() < 0.9 then (1 + floor(random() * 200)::integer) || ' ' || ${pick(textArray(STREETS), STREETS.length)} || ', ' || ${pick(textArray(CITIES), CITIES.length)} end,
         date '1950-01-01' + floor(random() * 365 * 55)::integer
       from generate_series(${lo}, ${hi - 1}) as customer (i)`,
    ],
    [
      "customer_account",
      `insert into telecom.customer_account (mobile_no, national_id, balance, account_type, start_date, status, points)
       select mobile_no, national_id, balance, kind, start_date, status, points
       from seed_account`,
    ],
    journal && [
      "money_journal",
      `${journalColumns}
       select entry.account_kind, seed_account.mobile_no, null, seed_account.national_id, entry.change, entry.balance_after, ${journalFrom}
       from seed_account
       cross join lateral telecom_private.account_journal_entries(null, seed_account.balance, null, seed_account.points) as entry`,
    ],
    [
      "wallet",
      `insert into telecom.wallet (wallet_id, national_id, mobile_no, current_balance, currency, last_modified_date)
       select
         ${bases.walletId} + i,
         national_id,
         mobile_no,
         wallet_balance,
         'EGP',
         ${today} - floor(random() * 365)::integer
       from seed_account
       where has_wallet`,
    ],
    journal && [
      "money_journal",
      `${journalColumns}
       select entry.account_kind, seed_account.mobile_no, ${bases.walletId} + seed_account.i, seed_account.national_id, entry.change, entry.balance_after, ${journalFrom}
       from seed_account
       cross join lateral telecom_private.wallet_journal_entries(null, seed_account.wallet_balance) as entry
       where seed_account.has_wallet`,
    ],
    [
      "customer_credential",
      `insert into telecom_private.customer_credential (mobile_no, password_hash)
       select mobile_no, ${passwordLiteral}
       from seed_account`,
    ],
    [
      "subscription",
      `insert into telecom.subscription (mobile_no, plan_id, subscription_date, status)
       select
         seed_account.mobile_no,
         ${planOf("seed_account.a", "slot.s")},
         ${today} - floor(random() * 400)::integer,
         case when random() < 0.9 then 'active' else 'onhold' end::telecom.subscription_status
       from seed_account
       cross join generate_series(0, 2) as slot (s)`,
    ],
    [
      "plan_usage",
      // One record per month going back from this month, so every account has usage this month.
      `insert into telecom.plan_usage (mobile_no, plan_id, start_date, end_date, data_consumption, minutes_used, sms_sent)
       select
         mobile_no,
         plan_id,
         start_date,
         least(start_date + floor(random() * 10)::integer, greatest(start_date, ${today})),
         floor(random() * 4096)::integer,
         floor(random() * 600)::integer,
         floor(random() * 200)::integer
       from (
         select
           seed_account.mobile_no,
           ${planOf("seed_account.a", "floor(random() * 3)::integer")} as plan_id,
           least(
             (date_trunc('month', ${today}) - (record.r % 12) * interval '1 month')::date + floor(random() * 28)::integer,
             ${today}
           ) as start_date
         from seed_account
         cross join lateral generate_series(0, seed_account.usage_count - 1) as record (r)
       ) as usage`,
    ],
    [
      "",
      // Even-numbered payments pay for one of the account's plans, mostly the exact price; the
      // others top up the balance. The first payment of every account is successful.
      `create temp table seed_payment on commit drop as
       select
         ${payment("seed_account.a", "line.k")} as payment_id,
         seed_account.a,
         seed_account.i,
         seed_account.mobile_no,
         case when line.k % 2 = 0 then ${planOf("seed_account.a", "line.k % 3")} end as plan_id,
         case when line.k % 2 = 0 then ${priceOf("seed_account.a", "line.k % 3")} end as price,
         case
           when line.k % 2 = 1 then (10 + floor(random() * 49) * 10)::numeric
           when random() < 0.8 then ${priceOf("seed_account.a", "line.k % 3")}
           else round(${priceOf("seed_account.a", "line.k % 3")} * (0.5 + random())::numeric, 2)
         end as amount,
         ${today} - floor(random() * 365)::integer as date_of_payment,
         -- The first payment may earn cashback (below), so it brought money in from outside: cash or card.
         case when random() < 0.4 then 'cash' when random() < 0.6 or line.k = 0 then 'credit' else 'wallet' end::telecom.payment_method as payment_method,
         case
           when line.k = 0 then 'successful'
           when random() < 0.88 then 'successful'
           when random() < 0.6 then 'pending'
           else 'rejected'
         end::telecom.payment_status as status
       from seed_account
       cross join lateral generate_series(0, seed_account.payment_count - 1) as line (k)`,
    ],
    [
      "payment",
      `insert into telecom.payment (payment_id, mobile_no, amount, date_of_payment, payment_method, status)
       select payment_id, mobile_no, amount, date_of_payment, payment_method, status
       from seed_payment`,
    ],
    [
      "process_payment",
      // The amounts from the function the table's trigger calls (it recomputes them when it runs).
      `insert into telecom.process_payment (payment_id, plan_id, remaining_balance, extra_amount)
       select seed_payment.payment_id, seed_payment.plan_id, amounts.remaining_balance, amounts.extra_amount
       from seed_payment
       cross join lateral telecom_private.plan_payment_amounts(seed_payment.price, seed_payment.amount) as amounts
       where seed_payment.plan_id is not null`,
    ],
    [
      "",
      // Kind 0 (points) for half the accounts, 1 (exclusive offer) for three in ten, 2 (cashback)
      // for one in five whose owner has a wallet. About a third have lapsed.
      `create temp table seed_benefit on commit drop as
       select
         ${benefit("seed_account.a", "kind.t")} as benefit_id,
         kind.t,
         seed_account.a,
         seed_account.i,
         seed_account.mobile_no,
         ${today} + floor(random() * 240 - 80)::integer as validity_date
       from seed_account
       inner join generate_series(0, 2) as kind (t)
         on (kind.t = 0 and seed_account.a % 2 = 0)
         or (kind.t = 1 and seed_account.a % 10 < 3)
         or (kind.t = 2 and seed_account.a % 5 = 1 and seed_account.owner_has_wallet)`,
    ],
    [
      "benefit",
      `insert into telecom.benefit (benefit_id, description, validity_date, status, mobile_no)
       select
         benefit_id,
         (array['Loyalty points on your plan payment', 'Exclusive bundle offer', 'Wallet cashback on your plan payment'])[1 + t],
         validity_date,
         case when validity_date >= ${today} then 'active' else 'expired' end::telecom.benefit_status,
         mobile_no
       from seed_benefit`,
    ],
    [
      "plan_provides_benefits",
      `insert into telecom.plan_provides_benefits (plan_id, benefit_id)
       select ${planOf("a", "0")}, benefit_id
       from seed_benefit`,
    ],
    [
      "points_group",
      `insert into telecom.points_group (benefit_id, points_amount, payment_id)
       select benefit_id, 10 + floor(random() * 190)::integer, ${payment("a", "0")}
       from seed_benefit
       where t = 0`,
    ],
    [
      "exclusive_offer",
      `insert into telecom.exclusive_offer (benefit_id, internet_offered, sms_offered, minutes_offered)
       select
         benefit_id,
         (array[0, 512, 1024, 5120])[1 + floor(random() * 4)::integer],
         case when random() < 0.5 then 0 else 50 + floor(random() * 450)::integer end,
         (array[0, 30, 60, 120])[1 + floor(random() * 4)::integer]
       from seed_benefit
       where t = 1`,
    ],
    [
      "cashback",
      // The cashback of the account's first (successful) payment, credited to the owner's wallet.
      `insert into telecom.cashback (benefit_id, wallet_id, amount, credit_date, payment_id)
       select
         seed_benefit.benefit_id,
         ${bases.walletId} + seed_benefit.i,
         telecom_private.cashback_amount(seed_payment.amount),
         seed_payment.date_of_payment,
         seed_payment.payment_id
       from seed_benefit
       inner join seed_payment
         on seed_payment.payment_id = ${payment("seed_benefit.a", "0")}
       where seed_benefit.t = 2`,
    ],
    [
      "technical_support_ticket",
      `insert into telecom.technical_support_ticket (mobile_no, issue_description, priority_level, status)
       select
         mobile_no,
         (array['No signal at home', 'Mobile data is slow', 'Charged twice for my plan', 'Cannot receive SMS', 'Roaming does not work'])[1 + floor(random() * 5)::integer],
         1 + floor(random() * 5)::integer,
         case when random() < 0.6 then 'resolved' when random() < 0.5 then 'in_progress' else 'open' end::telecom.ticket_status
       from seed_account
       where random() < 0.3`,
    ],
    [
      "voucher",
      // About 0.33 vouchers per account; half of them redeemed by that account.
      `insert into telecom.voucher (value, expiry_date, points, shop_id, mobile_no, redeem_date)
       select
         value,
         expiry_date,
         points,
         shop_id,
         case when redeemed then mobile_no end,
         case when redeemed then least(${today}, expiry_date) - floor(random() * 60)::integer end
       from (
         select
           (array[25, 50, 100, 200, 500])[1 + floor(random() * 5)::integer]::numeric as value,
           ${today} + floor(random() * 365 - 90)::integer as expiry_date,
           (array[100, 250, 500, 1000])[1 + floor(random() * 4)::integer] as points,
           ${pick(shops, catalogue.shopIds.length)} as shop_id,
           seed_account.mobile_no,
           random() < 0.5 as redeemed
         from seed_account
         where random() < 0.33
       ) as voucher`,
    ],
    [
      "transfer_money",
      // Zero to two transfers per wallet, to other wallets of the same chunk.
      `insert into telecom.transfer_money (from_wallet_id, to_wallet_id, amount, transfer_date)
       select
         ${bases.walletId} + sender,
         ${bases.walletId} + receiver,
         (5 + floor(random() * 40) * 5)::numeric,
         ${today} - floor(random() * 365)::integer
       from (
         select
           seed_account.i as sender,
           ${lo} + floor(random() * ${hi - lo})::integer as receiver
         from seed_account
         cross join generate_series(1, 2) as attempt (n)
         where seed_account.has_wallet
           and random() < 0.5
       ) as transfer
       where receiver % 10 <> 7
         and receiver <> sender`,
    ],
  ];
  return statements.filter((statement): statement is [string, string] => statement !== false);
}

/** Fills the database of `connectionString` (the owner) with `customers` synthetic customers. */
export async function generateSyntheticData(connectionString: string, options: SyntheticOptions): Promise<SyntheticResult> {
  const { customers, first = 0, superuserUrl, chunkSize = 50_000, jobs = 2, onProgress = () => {}, onStep = () => {} } = options;
  const fast = superuserUrl !== undefined;
  const started = Date.now();
  const setup = new pg.Client({ connectionString });
  await setup.connect();
  let catalogue: Catalogue;
  let bases: Bases;
  let passwordHash: string;
  try {
    const { rowCount } = await setup.query(
      "select 1 from telecom.customer_account where mobile_no = telecom_private.synthetic_mobile_no($1)",
      [first],
    );
    if (rowCount) throw new Error(`Synthetic customer ${first} already exists: run \`npm run db:clear -- --yes\` first.`);
    catalogue = await prepareCatalogue(setup);
    bases = await readBases(setup);
    // One bcrypt hash for every account: hashing per row would take hours.
    const { rows } = await setup.query<{ hash: string }>("select public.crypt($1, public.gen_salt('bf')) as hash", [SYNTHETIC_PASSWORD]);
    passwordHash = rows[0].hash;
  } finally {
    await setup.end();
  }

  const chunks: Array<[number, number]> = [];
  for (let lo = first; lo < first + customers; lo += chunkSize) chunks.push([lo, Math.min(lo + chunkSize, first + customers)]);
  const rowsPerTable: Record<string, number> = {};
  let rows = 0;
  let customersDone = 0;
  let next = 0;

  // A load that at least doubles the data is faster with the indexes built afterwards (one sort
  // each) than maintained row by row: every index that nothing depends on (a foreign key, a view)
  // is dropped here, with its constraint, and rebuilt below, even if the load fails.
  const deferred = fast && customers >= (await estimatedAccountCount(connectionString)) ? await dropIndexes(superuserUrl) : [];
  if (deferred.length) onStep(`dropped ${deferred.length} indexes, to rebuild after the load`);

  let backendCpuSeconds = 0;
  let cpuKnown = true;
  const addCpu = (seconds: number | undefined) => {
    if (seconds === undefined) cpuKnown = false;
    else backendCpuSeconds += seconds;
  };
  const worker = async () => {
    const client = new pg.Client({ connectionString: superuserUrl ?? connectionString });
    await client.connect();
    const { rows: backend } = await client.query<{ pid: number }>("select pg_backend_pid() as pid");
    try {
      // The chunk's temporary tables stay in memory (the default, 8 MB, spills them to disk).
      await client.query("set temp_buffers = '512MB'");
      while (next < chunks.length) {
        const index = next++;
        const [lo, hi] = chunks[index];
        await client.query("begin");
        try {
          // Losing the last chunks in a crash is harmless for generated data.
          await client.query("set local synchronous_commit = off");
          if (fast) await client.query("set local session_replication_role = replica");
          await client.query(`select setseed(${((index % 1000) + 1) / 1001})`);
          for (const [table, sql] of chunkStatements(lo, hi, bases, catalogue, passwordHash, fast)) {
            const statementStarted = Date.now();
            const result = await client.query(sql);
            if (process.env.SEED_TIMING)
              console.error(`  ${table || "setup"}: ${Date.now() - statementStarted} ms, ${result.rowCount} rows`);
            if (!table) continue;
            rowsPerTable[table] = (rowsPerTable[table] ?? 0) + (result.rowCount ?? 0);
            rows += result.rowCount ?? 0;
          }
          await client.query("commit");
        } catch (error) {
          await client.query("rollback");
          throw error;
        }
        customersDone += hi - lo;
        onProgress({ customersDone, customers, rows, elapsedMs: Date.now() - started });
      }
      addCpu(backendCpu(backend[0].pid));
    } finally {
      await client.end();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(jobs, chunks.length) }, worker));
  } finally {
    if (deferred.length) {
      onStep(
        `rebuilding ${deferred.length} indexes on ${jobs} connections (the load took ${backendCpuSeconds.toFixed(1)} database CPU seconds)`,
      );
      addCpu(await createIndexes(superuserUrl!, deferred, jobs));
    }
  }

  const finish = new pg.Client({ connectionString });
  await finish.connect();
  let tables: Array<[string]>;
  try {
    for (const [table, column] of IDENTITY_COLUMNS) {
      await finish.query(
        `select setval(pg_get_serial_sequence('telecom.${table}', '${column}'), (select coalesce(max(${column}), 0) + 1 from telecom.${table}), false)`,
      );
    }
    ({ rows: tables } = await finish.query<[string]>({
      text: `select oid::regclass::text
             from pg_class
             where relnamespace in ('telecom'::regnamespace, 'telecom_private'::regnamespace)
               and relkind in ('r', 'p')
             order by pg_total_relation_size(oid) desc`,
      rowMode: "array",
    }));
  } finally {
    await finish.end();
  }
  onStep(`analyze on ${jobs} connections (database CPU so far ${backendCpuSeconds.toFixed(1)} s)`);
  addCpu(
    await runOnConnections(
      superuserUrl ?? connectionString,
      tables.map(([table]) => `analyze ${table}`),
      jobs,
    ),
  );
  return {
    customers,
    accounts: rowsPerTable.customer_account ?? 0,
    rows,
    elapsedMs: Date.now() - started,
    backendCpuSeconds: cpuKnown ? backendCpuSeconds : undefined,
    rowsPerTable,
  };
}

async function estimatedAccountCount(connectionString: string): Promise<number> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    // The planner's estimate is enough to compare sizes, and free.
    const { rows } = await client.query<{ count: number }>(
      "select greatest(reltuples, 0)::bigint as count from pg_class where oid = 'telecom.customer_account'::regclass",
    );
    return Number(rows[0].count);
  } finally {
    await client.end();
  }
}

/** An index dropped for the load: its definition, and the constraint it backed (added back on it). */
interface DroppedIndex {
  table: string;
  definition: string;
  constraint?: string;
}

/**
 * Drops the indexes of telecom's tables that nothing depends on (foreign keys depend on the unique
 * index they reference, views on a primary key they group by), with the primary-key or unique
 * constraint they back, and returns what rebuilds them.
 */
async function dropIndexes(superuserUrl: string): Promise<DroppedIndex[]> {
  const client = new pg.Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    await client.query("begin");
    const { rows } = await client.query<DroppedIndex & { name: string; constraint_name: string | null }>(
      `select
         index.indexrelid::regclass::text as name,
         heap.oid::regclass::text as table,
         pg_get_indexdef(index.indexrelid) as definition,
         constraint_.conname as constraint_name,
         case constraint_.contype when 'p' then 'primary key' when 'u' then 'unique' end as constraint
       from pg_index as index
       inner join pg_class as heap
         on heap.oid = index.indrelid
       left join pg_constraint as constraint_
         on constraint_.conindid = index.indexrelid
         and constraint_.conrelid = heap.oid
         and constraint_.contype in ('p', 'u', 'x')
       where heap.relnamespace = 'telecom'::regnamespace
         and heap.relkind = 'r'
         and (constraint_.contype is null or constraint_.contype in ('p', 'u'))
         and not exists (
           select
           from pg_depend as dependent
           where dependent.deptype = 'n'
             and (
               (dependent.refclassid = 'pg_class'::regclass and dependent.refobjid = index.indexrelid)
               or (dependent.refclassid = 'pg_constraint'::regclass and dependent.refobjid = constraint_.oid)
             )
         )`,
    );
    for (const row of rows) {
      if (row.constraint_name) await client.query(`alter table ${row.table} drop constraint ${row.constraint_name}`);
      else await client.query(`drop index ${row.name}`);
    }
    await client.query("commit");
    return rows.map(({ table, definition, constraint_name, constraint }) =>
      constraint_name
        ? {
            table,
            definition,
            constraint: `alter table ${table} add constraint ${constraint_name} ${constraint} using index ${constraint_name}`,
          }
        : { table, definition },
    );
  } finally {
    await client.end();
  }
}

/**
 * Builds the indexes on `jobs` connections, those of the largest tables first (so both cores stay
 * busy to the end), then adds the constraints back onto them; returns the backends' CPU seconds.
 */
async function createIndexes(superuserUrl: string, indexes: DroppedIndex[], jobs: number): Promise<number | undefined> {
  const client = new pg.Client({ connectionString: superuserUrl });
  await client.connect();
  let sizes: Map<string, number>;
  try {
    const { rows } = await client.query<{ table: string; size: number }>(
      "select name as table, pg_total_relation_size(name::regclass)::float8 as size from unnest($1::text[]) as name",
      [[...new Set(indexes.map((index) => index.table))]],
    );
    sizes = new Map(rows.map((row) => [row.table, row.size]));
  } finally {
    await client.end();
  }
  const largestFirst = [...indexes].sort((a, b) => sizes.get(b.table)! - sizes.get(a.table)!);
  // One sort per connection, each with memory enough to stay in memory; no parallel workers, the
  // connections already take the cores.
  const settings = ["set maintenance_work_mem = '1GB'", "set max_parallel_maintenance_workers = 0"];
  const built = await runOnConnections(
    superuserUrl,
    largestFirst.map((index) => index.definition),
    jobs,
    settings,
  );
  const constraints = indexes.flatMap((index) => (index.constraint ? [index.constraint] : []));
  const attached = await runOnConnections(superuserUrl, constraints, 1);
  return built === undefined || attached === undefined ? undefined : built + attached;
}

/** Runs the statements in order on `jobs` connections; returns the CPU seconds their backends spent. */
async function runOnConnections(url: string, statements: string[], jobs: number, settings: string[] = []): Promise<number | undefined> {
  const queue = [...statements];
  let cpuSeconds: number | undefined = 0;
  await Promise.all(
    Array.from({ length: Math.min(jobs, statements.length) }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ pid: number }>("select pg_backend_pid() as pid");
        for (const setting of settings) await client.query(setting);
        for (let statement = queue.shift(); statement; statement = queue.shift()) {
          const statementStarted = Date.now();
          await client.query(statement);
          if (process.env.SEED_TIMING) console.error(`  ${statement.slice(0, 80)}: ${Date.now() - statementStarted} ms`);
        }
        const cpu = backendCpu(rows[0].pid);
        cpuSeconds = cpu === undefined || cpuSeconds === undefined ? undefined : cpuSeconds + cpu;
      } finally {
        await client.end();
      }
    }),
  );
  return cpuSeconds;
}

/** User + system CPU seconds of a local process (fields 14 and 15 of /proc/<pid>/stat, in ticks of 1/100 s). */
function backendCpu(pid: number): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** A one-line progress bar: percent, rows per second and the time left. */
export function progressLine(label: string, progress: SyntheticProgress): string {
  const { customersDone: done, customers: total, rows, elapsedMs } = progress;
  return progressBar(label, { done, total, unit: "customers", rate: { count: rows, unit: "rows" }, elapsedMs });
}

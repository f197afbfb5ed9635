/**
 * The one builder of test data: customers, their accounts and wallets, plans, shops and admins, in a
 * test's transaction or committed (servers and browsers see only committed rows). Ids come from the
 * database: the identity columns, and for national ids, mobile numbers and the ids a suite names
 * before it builds a sequence of the test database (`telecom_test.serial`, 800000000 to 999999999):
 * national id n, number `01` + n. The sample data (010, 011, 012, 015) and the synthetic subscribers
 * (019) never use them, and no two builders get the same, so a test reserves nothing by hand.
 * `remove()` deletes what a builder committed, and all that depends on it (clean-up.ts).
 */
import pg from "pg";
import { deleteTestData, type BuiltRow } from "./clean-up.ts";
import { getRootPool } from "./database.ts";

type Queryable = pg.ClientBase | pg.Pool;

/** A column value written as SQL, e.g. `sql("current_date - 60")`. */
export class SqlExpression {
  constructor(readonly text: string) {}
}
export const sql = (text: string): SqlExpression => new SqlExpression(text);

type Values = Record<string, unknown>;

export interface Person {
  national_id: number;
}

export interface Account {
  mobile_no: string;
  national_id: number;
}

/** A customer with one account (and a wallet on it when asked for). */
export interface Customer extends Account {
  wallet_id?: number;
}

export interface CustomerOptions {
  national_id?: number;
  mobile_no?: string;
  profile?: Values;
  account?: Values & { password?: string };
  wallet?: number | Values;
}

let serials: Promise<unknown> | undefined;
/** The sequence, made once per test database (committed, outside any test's transaction). */
function serialSequence(): Promise<unknown> {
  serials ??= getRootPool().query(
    `create schema if not exists telecom_test;
     create sequence if not exists telecom_test.serial as integer minvalue 800000000 maxvalue 999999999`,
  );
  return serials;
}

/** Every national id and number a builder of this process handed out. */
const issued = new Set<string>();

export class Builder {
  /** What this builder handed out: national ids and numbers as text, the names `remove()` looks for. */
  readonly names = new Set<string>();
  private readonly built: BuiltRow[] = [];

  /** `db`: a test's transaction, or (the default) the pool of committed rows. */
  constructor(readonly db: Queryable = getRootPool()) {}

  /** From the pool, whatever role the test's transaction acts as (a sequence is outside transactions anyway). */
  private async serial(): Promise<number> {
    await serialSequence();
    const { rows } = await getRootPool().query<{ serial: number }>("select nextval('telecom_test.serial')::integer as serial");
    return rows[0].serial;
  }

  private issue(name: string): string {
    issued.add(name);
    this.names.add(name);
    return name;
  }

  /** A fresh serial, as text: a name `remove()` looks for. */
  private async token(): Promise<string> {
    return this.issue(String(await this.serial()));
  }

  /** A national id nobody has. */
  async nationalId(): Promise<number> {
    return Number(await this.token());
  }

  /** A mobile number nobody has. */
  async mobileNo(): Promise<string> {
    return this.issue(`01${await this.serial()}`);
  }

  /**
   * An id for a row a test builds later with it (e.g. in every test of a suite that names it in its
   * cases), where a table's identity would give one only when the row is made. A serial: far above
   * what the identities hand out, which the sample data sets back to its own highest ids whenever a
   * test loads it, so the two never meet.
   */
  async rowId(): Promise<number> {
    return Number(await this.token());
  }

  /** A value given for a national id or number must be one a builder handed out. */
  private given(value: unknown): void {
    if (!issued.has(String(value))) throw new Error(`${value} was not handed out by a builder: ask it for a fresh one.`);
    this.names.add(String(value));
  }

  /** Inserts one row (SqlExpression values as SQL) and remembers its key for `remove()`. */
  async insert<T extends Values = Values>(relation: string, values: Values, key: string[]): Promise<T> {
    const columns = Object.keys(values);
    const parameters: unknown[] = [];
    const expressions = Object.values(values).map((value) => (value instanceof SqlExpression ? value.text : `$${parameters.push(value)}`));
    const { rows } = await this.db.query<T>(
      `insert into ${relation} (${columns.join(", ")}) values (${expressions.join(", ")}) returning *`,
      parameters,
    );
    this.built.push({ relation, key: Object.fromEntries(key.map((column) => [column, rows[0][column]])) });
    return rows[0];
  }

  /** A customer_profile row; its national id is fresh unless `national_id` is one handed out before. */
  async person(values: Values = {}): Promise<Person> {
    if (values.national_id === undefined) values = { ...values, national_id: await this.nationalId() };
    else this.given(values.national_id);
    return this.insert<Person & Values>(
      "telecom.customer_profile",
      { first_name: "Test", last_name: "Person", date_of_birth: "1990-01-01", ...values },
      ["national_id"],
    );
  }

  /**
   * An account of `person` (prepaid unless told), with a fresh number unless `mobile_no` is one
   * handed out before; `password` gives it a login (bcrypt cost 4, for speed).
   */
  async account(person: Person, { password, ...values }: Values & { password?: string } = {}): Promise<Account> {
    if (values.mobile_no === undefined) values = { ...values, mobile_no: await this.mobileNo() };
    else this.given(values.mobile_no);
    const account = await this.insert<Account & Values>(
      "telecom.customer_account",
      { account_type: "prepaid", ...values, national_id: person.national_id },
      ["mobile_no"],
    );
    if (password !== undefined) {
      await this.insert("telecom_private.customer_credential", { mobile_no: account.mobile_no, password_hash: hashed(password) }, [
        "mobile_no",
      ]);
    }
    return { mobile_no: account.mobile_no, national_id: account.national_id };
  }

  /** A wallet on `account`, of its owner; returns its id. */
  async wallet(account: Account, values: Values = {}): Promise<number> {
    const wallet = await this.insert<{ wallet_id: number }>(
      "telecom.wallet",
      { ...values, national_id: account.national_id, mobile_no: account.mobile_no },
      ["wallet_id"],
    );
    return wallet.wallet_id;
  }

  /** A fresh national id and number, for a customer built later (e.g. ids a test module needs when it loads). */
  async customerIds(): Promise<Account> {
    return { national_id: await this.nationalId(), mobile_no: await this.mobileNo() };
  }

  /** `count` fresh national ids and numbers in one round trip, for tests that build people in bulk. */
  async manyCustomerIds(count: number): Promise<Account[]> {
    await serialSequence();
    const { rows } = await getRootPool().query<{ national_id: number; mobile_no: string }>(
      "select serial as national_id, '01' || nextval('telecom_test.serial') as mobile_no from (select nextval('telecom_test.serial')::integer as serial from generate_series(1, $1)) as fresh",
      [count],
    );
    for (const row of rows) {
      this.issue(String(row.national_id));
      this.issue(row.mobile_no);
    }
    return rows;
  }

  /**
   * A person with one account: `national_id` and `mobile_no` fresh unless handed out before,
   * `profile` and `account` as for `person` and `account`, `wallet` its balance (or columns) when it has one.
   */
  async customer({ national_id, mobile_no, profile, account, wallet }: CustomerOptions = {}): Promise<Customer> {
    const person = await this.person(national_id === undefined ? profile : { ...profile, national_id });
    const created = await this.account(person, mobile_no === undefined ? account : { ...account, mobile_no });
    if (wallet === undefined) return created;
    return { ...created, wallet_id: await this.wallet(created, typeof wallet === "number" ? { current_balance: wallet } : wallet) };
  }

  /** A service plan, named `Plan <serial>` unless told; returns its id and name. */
  async plan(values: Values = {}): Promise<{ plan_id: number; name: string }> {
    const name = values.name ?? `Plan ${await this.serial()}`;
    const plan = await this.insert<{ plan_id: number; name: string }>(
      "telecom.service_plan",
      { price: 100, sms_offered: 100, minutes_offered: 100, data_offered: 1000, ...values, name },
      ["plan_id"],
    );
    return { plan_id: plan.plan_id, name: plan.name };
  }

  /** A shop, named `Shop <serial>` unless told; returns its id. */
  async shop(values: Values = {}): Promise<number> {
    const name = values.name ?? `Shop ${await this.serial()}`;
    const shop = await this.insert<{ shop_id: number }>("telecom.shop", { category: "test", ...values, name }, ["shop_id"]);
    return shop.shop_id;
  }

  /** An administrator `admin-<serial>` (a name the clean-up finds in their login failures) with this password. */
  async admin(password = ""): Promise<{ admin_id: number; username: string; password: string }> {
    const username = `admin-${await this.token()}`;
    const admin = await this.insert<{ admin_id: number }>(
      "telecom_private.admin_user",
      { username, password_hash: password ? hashed(password) : "" },
      ["admin_id"],
    );
    return { admin_id: admin.admin_id, username, password };
  }

  /** Deletes every committed row this builder made or named, and all that depends on them. */
  async remove(): Promise<void> {
    await deleteTestData(this.names, this.built);
    this.built.length = 0;
  }
}

/** A password's bcrypt hash at cost 4 (the fixtures' cost, for speed), as SQL. */
const hashed = (password: string) => sql(`public.crypt(${pg.escapeLiteral(password)}, public.gen_salt('bf', 4))`);

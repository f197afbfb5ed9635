import * as assert from "uvu/assert";
import { dbSuite } from "../support/database.ts";

const test = dbSuite("schema smoke");

const specTables = [
  "benefit",
  "cashback",
  "customer_account",
  "customer_profile",
  "e_shop",
  "exclusive_offer",
  "payment",
  "physical_shop",
  "plan_provides_benefits",
  "plan_usage",
  "points_group",
  "process_payment",
  "service_plan",
  "shop",
  "subscription",
  "technical_support_ticket",
  "transfer_money",
  "voucher",
  "wallet",
];

test("the telecom schema has the 19 tables of docs/data-model.md", async ({ db }) => {
  const { rows } = await db.query(
    "select tablename from pg_tables where schemaname = 'telecom' and tablename = any($1) order by tablename",
    [specTables],
  );
  assert.equal(
    rows.map((row) => row.tablename),
    specTables,
  );
});

test.run();

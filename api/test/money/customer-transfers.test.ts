import * as assert from "uvu/assert";
import { dbSuite, errorOf } from "../support/database.ts";
import { asRole } from "../support/roles.ts";
import { ALICE, BOB, CAROL, createCustomers } from "./fixtures.ts";

const test = dbSuite("money: customer_transfers (the wallet page's history)");

test("each side sees direction, the other number and a masked name, and nobody else's wallet", async ({ db }) => {
  await createCustomers(db);
  await asRole(db, "telecom_customer", { mobile_no: ALICE.mobile_no, national_id: ALICE.national_id });
  const sent = (await db.query("select * from telecom.transfer_to_mobile($1, 12.5)", [BOB.mobile_no])).rows[0];
  await asRole(db, "telecom_customer", { mobile_no: BOB.mobile_no, national_id: BOB.national_id });
  const received = (await db.query("select * from telecom.transfer_to_mobile($1, 3)", [ALICE.mobile_no])).rows[0];

  await asRole(db, "telecom_customer", { mobile_no: ALICE.mobile_no, national_id: ALICE.national_id });
  const rows = (
    await db.query("select reference, direction, other_mobile_no, other_name, amount::text, currency from telecom.customer_transfers($1)", [
      ALICE.mobile_no,
    ])
  ).rows;
  const names = (
    await db.query(
      "select national_id, first_name, left(last_name, 1) as initial from telecom.customer_profile where national_id in ($1, $2)",
      [BOB.national_id, CAROL.national_id],
    )
  ).rows;
  assert.is(names.length, 0, "Alice cannot read Bob's or Carol's profile herself");
  assert.equal(
    rows.map((row) => [row.reference, row.direction, row.other_mobile_no, row.amount, row.currency]).sort(),
    [
      [`TRF-${received.transfer_id}`, "received", BOB.mobile_no, "3.00", "EGP"],
      [`TRF-${sent.transfer_id}`, "sent", BOB.mobile_no, "12.50", "EGP"],
    ].sort(),
  );
  for (const row of rows) assert.match(row.other_name, /^\S+ \S\.$/);

  const refused = await errorOf(db, "select * from telecom.customer_transfers($1)", [CAROL.mobile_no]);
  assert.is(refused.code, "42501");
});

test.run();

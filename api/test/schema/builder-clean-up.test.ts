/**
 * The builder's clean-up (support/clean-up.ts) leaves nothing behind: people built and committed,
 * then used through the money, usage, login and one-time-code functions, are removed with every row
 * those wrote, in every table of telecom and telecom_private (counted from the catalog), and only
 * theirs: a bystander built by another builder keeps what is theirs until their own clean-up.
 */
import type pg from "pg";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Builder, sql } from "../support/builder.ts";
import { rowCounts } from "../support/clean-up.ts";
import { getRootPool } from "../support/database.ts";
import { asRole, asSuperuser, type ApiRole, type Claims } from "../support/roles.ts";

const test = suite("the builder's clean-up");

/** `work` as `role` in a transaction of its own that commits, as the server's requests do. */
async function committed(
  role: ApiRole | "telecom_payment_processor",
  claims: Claims,
  work: (db: pg.ClientBase) => Promise<unknown>,
): Promise<void> {
  const db = await getRootPool().connect();
  try {
    await db.query("begin");
    if (role === "telecom_payment_processor") await db.query("select set_config('role', $1, true)", [role]);
    else await asRole(db, role, claims);
    await work(db);
    await asSuperuser(db);
    await db.query("commit");
  } catch (error) {
    await db.query("rollback");
    throw error;
  } finally {
    db.release();
  }
}

/** The tables with more rows than in `before`. */
const grown = (before: Record<string, number>, after: Record<string, number>) =>
  Object.keys(after).filter((table) => after[table] > before[table]);

test("removes every row the people wrote, in every table, and leaves a bystander's rows alone", async () => {
  const before = await rowCounts();
  const data = new Builder();
  const others = new Builder();
  const bystander = await others.customer({ wallet: 10 });
  const plan = await data.plan({ price: 30, sms_offered: 10 });
  const ann = await data.customer({ account: { balance: 100, points: 50, password: "ann-password" }, wallet: 200 });
  const second = await data.account(ann, { account_type: "post_paid" });
  await data.wallet(second, { current_balance: 5 });
  const shop = await data.shop();
  await data.insert("telecom.physical_shop", { shop_id: shop, address: "1 Test St", working_hours: "9-17" }, ["shop_id"]);
  const benefit = await data.insert<{ benefit_id: number }>(
    "telecom.benefit",
    { description: "Cashback", validity_date: sql("current_date + 30"), mobile_no: ann.mobile_no },
    ["benefit_id"],
  );
  await data.insert("telecom.plan_provides_benefits", { plan_id: plan.plan_id, benefit_id: benefit.benefit_id }, ["plan_id", "benefit_id"]);
  await data.insert("telecom.exclusive_offer", { benefit_id: benefit.benefit_id, sms_offered: 5 }, ["offer_id"]);
  const voucher = await data.insert<{ voucher_id: number }>(
    "telecom.voucher",
    { value: 20, expiry_date: sql("current_date + 30"), points: 10, shop_id: shop },
    ["voucher_id"],
  );
  const admin = await data.admin("admin-password");
  await getRootPool().query(
    "insert into telecom.subscription (mobile_no, plan_id, status, paid_until) values ($1, $2, 'active', current_date + 30)",
    [ann.mobile_no, plan.plan_id],
  );

  const asAnn = { mobile_no: ann.mobile_no, national_id: ann.national_id };
  await committed("telecom_customer", asAnn, async (db) => {
    await db.query("select telecom.transfer_recipient($1)", [bystander.mobile_no]);
    await db.query("select telecom.transfer_to_mobile($1, 15, gen_random_uuid())", [bystander.mobile_no]);
    await db.query("select telecom.transfer_to_mobile($1, 5)", [second.mobile_no]);
    await db.query("select telecom.initiate_plan_payment($1, 30, 'wallet', $2)", [ann.mobile_no, plan.plan_id]);
    await db.query("select telecom.initiate_balance_payment($1, 40, 'credit')", [ann.mobile_no]);
    await db.query("select telecom.redeem_voucher_points($1, $2)", [ann.mobile_no, voucher.voucher_id]);
    await db.query("select telecom.open_ticket('No signal', 3)");
  });
  const { rows: pending } = await getRootPool().query(
    "select provider_reference from telecom.payment where mobile_no = $1 and status = 'pending'",
    [ann.mobile_no],
  );
  await committed("telecom_payment_processor", {}, (db) =>
    db.query("select telecom.settle_payment($1, 'successful')", [pending[0].provider_reference]),
  );
  await committed("telecom_customer", asAnn, (db) =>
    db.query("select telecom.payment_wallet_cashback($1, payment_id, $2) from telecom.payment where provider_reference = $3", [
      ann.mobile_no,
      benefit.benefit_id,
      pending[0].provider_reference,
    ]),
  );
  await committed("telecom_network", { network_id: "clean-up" }, async (db) => {
    await db.query("select telecom.record_usage(gen_random_uuid(), $1, 'sms', 9, now() - interval '1 minute')", [ann.mobile_no]);
    await db.query("select telecom.record_usage(gen_random_uuid(), $1, 'sms', 1, now() - interval '1 minute')", [second.mobile_no]);
  });
  await committed("telecom_anonymous", {}, async (db) => {
    await db.query("select telecom.request_verification_code($1)", [second.mobile_no]);
    await db.query("select telecom.authenticate($1, 'not the password')", [ann.mobile_no]);
    await db.query("select telecom.authenticate_admin($1, 'not the password')", [admin.username]);
  });

  const built = await rowCounts();
  assert.equal(grown(before, built), [
    "telecom.benefit",
    "telecom.cashback",
    "telecom.customer_account",
    "telecom.customer_profile",
    "telecom.exclusive_offer",
    "telecom.money_journal",
    "telecom.payment",
    "telecom.physical_shop",
    "telecom.plan_provides_benefits",
    "telecom.plan_usage",
    "telecom.process_payment",
    "telecom.service_plan",
    "telecom.shop",
    "telecom.subscription",
    "telecom.technical_support_ticket",
    "telecom.transfer_money",
    "telecom.usage_alert",
    "telecom.usage_allocation",
    "telecom.usage_event",
    "telecom.voucher",
    "telecom.wallet",
    "telecom_private.admin_user",
    "telecom_private.customer_credential",
    "telecom_private.idempotency_key",
    "telecom_private.login_failure",
    "telecom_private.recipient_lookup",
    "telecom_private.sms_outbox",
    "telecom_private.usage_event_key",
    "telecom_private.verification_code",
  ]);

  await data.remove();
  const { rows: bystanders } = await getRootPool().query(
    "select wallet.current_balance from telecom.customer_account inner join telecom.wallet using (mobile_no) where mobile_no = $1",
    [bystander.mobile_no],
  );
  assert.equal(bystanders, [{ current_balance: "25.00" }], "the bystander keeps their account and wallet, with what they received");
  const withBystander = await rowCounts();
  assert.equal(grown(before, withBystander), [
    "telecom.customer_account",
    "telecom.customer_profile",
    "telecom.money_journal",
    "telecom.wallet",
  ]);

  await others.remove();
  assert.equal(await rowCounts(), before);
});

test.run();

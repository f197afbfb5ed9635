/**
 * Online access in headless Chromium (docs/api.md): a customer whose number was issued
 * activates online access with the code the SMS carries (read from telecom_private.sms_outbox), and
 * another resets a forgotten password the same way; both end up logged in. Committed fixture rows,
 * removed afterwards with the codes, messages and login failures they brought.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { suite } from "uvu";
import { getRootPool } from "../support/database.ts";
import { startBrowserApp, stopBrowserApp, type BrowserApp } from "../support/browser.ts";
import { Builder, sql } from "../support/builder.ts";

const data = new Builder();
const NEWCOMER = { mobileNo: await data.mobileNo(), nationalId: await data.nationalId() };
const FORGETFUL = { mobileNo: await data.mobileNo(), nationalId: await data.nationalId(), password: "the-old-password" };

/** Both customers, started 10 days ago: the newcomer without a password, the forgetful one with one. */
async function createFixture(): Promise<void> {
  const started = sql("current_date - 10");
  await data.customer({
    national_id: NEWCOMER.nationalId,
    mobile_no: NEWCOMER.mobileNo,
    profile: { first_name: "Newcomer", last_name: "Webtest" },
    account: { balance: 42, start_date: started },
  });
  await data.customer({
    national_id: FORGETFUL.nationalId,
    mobile_no: FORGETFUL.mobileNo,
    profile: { first_name: "Forgetful", last_name: "Webtest" },
    account: { balance: 17, start_date: started, password: FORGETFUL.password },
  });
}

type Context = BrowserApp;

const test = suite<Context>("online access in Chromium", {} as Context);

/** The 6 digits of the latest SMS to the number, once it is queued. */
async function codeSentTo(mobileNo: string): Promise<string> {
  // Up to 15 s: under a loaded machine the browser may take a while to send the request.
  for (let attempt = 0; attempt < 150; attempt++) {
    const { rows } = await getRootPool().query(
      "select body from telecom_private.sms_outbox where mobile_no = $1 order by sms_id desc limit 1",
      [mobileNo],
    );
    if (rows.length) return /\b(\d{6})\b/.exec(rows[0].body)![1];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`No SMS to ${mobileNo}`);
}

async function useCode(page: Page, mobileNo: string, password: string, submit: string): Promise<void> {
  await page.getByLabel("Mobile number").fill(mobileNo);
  await page.getByRole("button", { name: "Send me a code" }).click();
  const code = await codeSentTo(mobileNo);
  await page.getByLabel("Code from the SMS").fill(code === "000000" ? "000001" : "000000");
  // The labels carry the required marker and hints: the inputs by name.
  await page.locator("input[name=password]").fill(password);
  await page.locator("input[name=confirm]").fill(password);
  await page.getByRole("button", { name: submit }).click();
  await page.getByRole("alert").filter({ hasText: "This code is not valid" }).waitFor();
  await page.getByLabel("Code from the SMS").fill(code);
  await page.getByRole("button", { name: submit }).click();
}

test.before(async (context) => {
  Object.assign(context, await startBrowserApp(createFixture));
});

test.after(async (context) => {
  await stopBrowserApp(context, data);
});

test("a customer activates online access with the code sent to their number, and is logged in", async ({ browser, server }) => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/login`);
  await page.getByRole("link", { name: "Activate it with your number" }).click();
  await page.waitForURL(`${server.url}/activate`);
  await page.getByRole("heading", { name: "Activate online access" }).waitFor();
  await useCode(page, NEWCOMER.mobileNo, "my-first-password", "Activate");
  await page.waitForURL(`${server.url}/`);
  await page.getByTestId("balance").filter({ hasText: "42.00 EGP" }).waitFor();
  const { rows } = await getRootPool().query(
    "select count(*)::integer as n from telecom_private.customer_credential where mobile_no = $1",
    [NEWCOMER.mobileNo],
  );
  assert.equal(rows[0].n, 1);
  await page.close();
});

test("a customer who forgot their password sets a new one with the code, and is logged in", async ({ browser, server }) => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/login`);
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.waitForURL(`${server.url}/forgot-password`);
  // The login page has a "Mobile number" too: fill the number once the new page is there.
  await page.getByRole("heading", { name: "Forgot your password?" }).waitFor();
  await useCode(page, FORGETFUL.mobileNo, "my-new-password", "Set the new password");
  await page.waitForURL(`${server.url}/`);
  await page.getByTestId("balance").filter({ hasText: "17.00 EGP" }).waitFor();
  const { rows } = await getRootPool().query(
    "select password_hash = public.crypt('my-new-password', password_hash) as changed from telecom_private.customer_credential where mobile_no = $1",
    [FORGETFUL.mobileNo],
  );
  assert.deepEqual(rows, [{ changed: true }]);
  await page.close();
});

test.run();

/**
 * Bills in Chromium (docs/bills.md, docs/web-app.md): a post-paid customer sees the amount due on the
 * dashboard, lists the bills, opens one as the A4 bill (printed to PDF in English and in Arabic, with
 * screenshots at desktop and phone widths) and pays it through the payment flow; an admin issues a credit
 * note from a bill. The bills are history the superuser inserts (as a trusted session may), so the test
 * knows every figure on them.
 *
 * Committed rows, removed afterwards.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { suite } from "uvu";
import type { TestServer } from "../support/server.ts";
import { logIn, logInAdmin, query, shot, startBrowserApp, stopBrowserApp, type BrowserApp } from "../support/browser.ts";
import { Builder, sql } from "../support/builder.ts";
import { readPdf } from "../support/pdf-text.ts";

const data = new Builder();
const CUSTOMER = { mobileNo: await data.mobileNo(), nationalId: await data.nationalId(), password: "web-bills-test-pass" };
/** A post-paid number owing 10.00 with no bill for this month yet: the admin's bill run bills it. */
const UNBILLED = await data.mobileNo();
/** A post-paid number barred for this month's bill of 50.00, 40 days overdue. */
const BARRED = await data.mobileNo();
const ADMIN_PASSWORD = "web-bills-admin-pass";
const [{ year }] = await query<{ year: string }>("select extract(year from current_date)::text as year");
/** This month's bill (to pay) and last month's (paid), numbered apart from the year's real numbers. */
const BILL = `INV-${year}-${await data.rowId()}`;
const PAID_BILL = `INV-${year}-${await data.rowId()}`;
const BARRED_BILL = `INV-${year}-${await data.rowId()}`;

const THIS_MONTH = "date_trunc('month', current_date)::date";
const LAST_MONTH = "(date_trunc('month', current_date) - interval '1 month')::date";

interface Context extends BrowserApp {
  adminUsername: string;
  customer: Page;
}

/**
 * The post-paid customer (a wallet of 500, the balance −128.25 this month's bill owes) with last
 * month's bill paid and this month's to pay: the plan's fee of 100.00 and 250 MB of data beyond the
 * allowances for 12.50, VAT 14 % 15.75, total 128.25, and a plan fee of 20.00 not billed yet; the
 * UNBILLED and BARRED numbers; an admin.
 */
async function createFixture(context: Context): Promise<void> {
  await data.customer({
    national_id: CUSTOMER.nationalId,
    mobile_no: CUSTOMER.mobileNo,
    profile: { first_name: "Billtest", last_name: "Payer", address: "12 Nile Street, Cairo", date_of_birth: "1984-05-06" },
    account: { account_type: "post_paid", balance: -128.25, start_date: sql("current_date - 100"), password: CUSTOMER.password },
    wallet: 500,
  });
  const plan = await data.plan({ name: "Billtest 100", price: 100 });
  const bill = (invoice_no: string, bill_date: string, amounts: Record<string, number>, status: string, mobile_no = CUSTOMER.mobileNo) =>
    data.insert<{ invoice_id: number }>(
      "telecom.invoice",
      {
        invoice_no,
        mobile_no,
        bill_date: sql(bill_date),
        period_start: sql(`(${bill_date} - interval '1 month')::date`),
        period_end: sql(`${bill_date} - 1`),
        issued_on: sql(bill_date),
        due_date: sql(mobile_no === BARRED ? "current_date - 40" : `${bill_date} + 14`),
        vat_rate: 0.14,
        previous_due: 0,
        status,
        ...amounts,
      },
      ["invoice_id"],
    );
  const paid = await bill(PAID_BILL, LAST_MONTH, { subtotal: 100, vat: 14, total: 114, amount_due: 114, paid_amount: 114 }, "paid");
  const due = await bill(BILL, THIS_MONTH, { subtotal: 112.5, vat: 15.75, total: 128.25, amount_due: 128.25, paid_amount: 0 }, "issued");
  const fee = { kind: "plan_fee", plan_id: plan.plan_id, description: "Billtest 100", amount: 100 };
  await data.insert("telecom.invoice_line", { invoice_id: paid.invoice_id, line_no: 1, ...fee, quantity: 30 }, ["invoice_id", "line_no"]);
  await data.insert("telecom.invoice_line", { invoice_id: due.invoice_id, line_no: 1, ...fee, quantity: 31 }, ["invoice_id", "line_no"]);
  await data.insert(
    "telecom.invoice_line",
    { invoice_id: due.invoice_id, line_no: 2, kind: "usage", usage_kind: "data", description: "Data", quantity: 250, amount: 12.5 },
    ["invoice_id", "line_no"],
  );
  await data.insert(
    "telecom.plan_charge",
    { mobile_no: CUSTOMER.mobileNo, plan_id: plan.plan_id, charge_from: sql("current_date"), charge_to: sql("current_date"), amount: 20 },
    ["plan_charge_id"],
  );
  const postPaid = { account_type: "post_paid", start_date: sql("current_date - 100") };
  await data.customer({
    mobile_no: UNBILLED,
    profile: { first_name: "Billrun", last_name: "Owing" },
    account: { ...postPaid, balance: -10 },
  });
  await data.customer({
    mobile_no: BARRED,
    profile: { first_name: "Barred", last_name: "Late" },
    account: { ...postPaid, balance: -50, status: "onhold" },
  });
  const barring = await bill(
    BARRED_BILL,
    THIS_MONTH,
    { subtotal: 43.86, vat: 6.14, total: 50, amount_due: 50, paid_amount: 0 },
    "issued",
    BARRED,
  );
  await data.insert(
    "telecom.account_bar",
    { mobile_no: BARRED, invoice_id: barring.invoice_id, barred_at: sql("now() - interval '26 days'"), previous_status: "active" },
    ["mobile_no"],
  );
  context.adminUsername = (await data.admin(ADMIN_PASSWORD)).username;
}

const test = suite<Context>("web: bills of a post-paid customer, printed, paid and credited", {} as Context);

test.before(async (context) => {
  Object.assign(context, await startBrowserApp(() => createFixture(context)));
  const viewport = { width: 1200, height: 900 };
  context.customer = await logIn(await context.browser.newContext({ viewport }), context.server, CUSTOMER.mobileNo, CUSTOMER.password);
});

test.after(async (context) => {
  await stopBrowserApp(context, data);
});

/** The day as the English pages write it (Chromium's "en": "Jul 15, 2026"). */
async function englishDate(expression: string): Promise<string> {
  const [{ day }] = await query<{ day: string }>(`select to_char(${expression}, 'FMMon FMDD, YYYY') as day`);
  return day;
}

/** Text of a right-to-left line as the PDF draws it (glyph order, presentation forms): NFKC and reversed per word. */
const drawnArabic = (words: string) =>
  words
    .split(" ")
    .map((word) => [...word].reverse().join(""))
    .reverse()
    .join(" ");

/** The bill page printed as Chromium's "Save as PDF" does, and its pages and text; `name` is the screenshot of the print layout. */
async function printed(page: Page, name: string): Promise<ReturnType<typeof readPdf>> {
  await page.emulateMedia({ media: "print" });
  await shot(page, name);
  const pdf = readPdf(await page.pdf({ preferCSSPageSize: true, printBackground: true }));
  await page.emulateMedia({ media: "screen" });
  return { ...pdf, text: pdf.text.normalize("NFKC") };
}

/** A new customer page, logged in, in the browser's language (English or Arabic) at this width, on the bill. */
async function billPage(browser: Browser, server: TestServer, lang: "en" | "ar", width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: lang === "ar" ? "ar-EG" : "en-GB" });
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.getByLabel(lang === "ar" ? "رقم الموبايل" : "Mobile number").fill(CUSTOMER.mobileNo);
  await page.getByLabel(lang === "ar" ? "كلمة المرور" : "Password").fill(CUSTOMER.password);
  await page.getByRole("button", { name: lang === "ar" ? "تسجيل الدخول" : "Log in", exact: true }).click();
  await page.waitForURL(`${server.url}/`);
  await page.goto(`${server.url}/bills/${BILL}`);
  await page.getByTestId("bill").waitFor();
  return page;
}

const isA4 = (pages: { width: number; height: number }[]) =>
  pages.length > 0 && pages.every((p) => Math.abs(p.width - 595.28) < 1 && Math.abs(p.height - 841.89) < 1);

test("the dashboard of a post-paid number shows what is due and by when", async ({ customer: page, server }) => {
  await page.goto(`${server.url}/`);
  assert.equal(await page.getByTestId("amount-due").innerText(), "128.25 EGP");
  assert.equal(await page.getByTestId("due-date").innerText(), `to pay by ${await englishDate(`${THIS_MONTH} + 14`)}`);
  assert.equal(await page.getByTestId("unbilled").innerText(), "22.80 EGP so far on your next bill");
  await page.getByRole("link", { name: "See and pay the bill" }).click();
  await page.waitForURL(`${server.url}/bills/${BILL}`);
});

test("the bills page lists the bills newest first with their status", async ({ customer: page, server }) => {
  await page.goto(`${server.url}/bills`);
  await page.getByTestId("bills").waitFor();
  const bills = page.getByTestId("bills").locator("li");
  assert.equal(await bills.count(), 2);
  assert.match(await bills.nth(0).innerText(), new RegExp(`${BILL} · To pay · 128\\.25 EGP to pay by`));
  assert.match(await bills.nth(1).innerText(), new RegExp(`${PAID_BILL} · Paid`));
  assert.equal(await page.getByRole("status").textContent(), "2 shown, all loaded");
});

test("a bill is an A4 bill: on screen, on a phone and printed to PDF, in English", async ({ browser, server }) => {
  for (const width of [1200, 390]) {
    const lang = "en";
    const page = await billPage(browser, server, lang, width);
    const sheet = await page.getByTestId("bill").innerText();
    for (const expected of [
      `Bill ${BILL}`,
      "Billtest Payer",
      "12 Nile Street, Cairo",
      CUSTOMER.mobileNo,
      "Billtest 100: plan fee\t31 days\t100.00 EGP",
      "Data beyond the allowances\t250 MB\t12.50 EGP",
      "VAT 14%\t15.75 EGP",
      "Total of this bill\t128.25 EGP",
      "Unpaid from the previous bill\t0.00 EGP",
      "Amount due\t128.25 EGP",
      `Due date\n${await englishDate(`${THIS_MONTH} + 14`)}`,
      "To pay",
    ])
      assert.ok(sheet.includes(expected), `the bill shows "${expected}":\n${sheet}`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "the bill fits the screen");
    await shot(page, `bill-en-${width}`);
    if (width === 1200) {
      const pdf = await printed(page, `bill-${lang}-print`);
      assert.ok(isA4(pdf.pages), `A4 pages: ${JSON.stringify(pdf.pages)}`);
      assert.equal(pdf.pages.length, 1);
      // A line's text comes in runs (an isolated plan name is one of its own): compared without spaces.
      const text = pdf.text.replace(/\s+/g, "");
      for (const expected of [BILL, "Billtest Payer", "Billtest 100: plan fee", "VAT 14%", "15.75 EGP", "128.25 EGP", "To pay"])
        assert.ok(text.includes(expected.replace(/\s+/g, "")), `the PDF has "${expected}":\n${pdf.text}`);
      for (const absent of ["Skip to content", "Pay this bill", "Print or save as PDF", "Log out"])
        assert.ok(!text.includes(absent.replace(/\s+/g, "")), `the PDF has no "${absent}"`);
    }
    await page.context().close();
  }
});

test("the same bill in Arabic, right to left: on screen, on a phone and printed to PDF", async ({ browser, server }) => {
  for (const width of [1200, 390]) {
    const lang = "ar";
    const page = await billPage(browser, server, lang, width);
    assert.deepEqual(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]), ["ar", "rtl"]);
    const sheet = await page.getByTestId("bill").innerText();
    for (const expected of [
      `الفاتورة ${BILL}`,
      "رسوم الباقة",
      "ضريبة القيمة المضافة 14%",
      "إجمالي هذه الفاتورة",
      "128.25 ج.م",
      "مستحقة الدفع",
    ])
      assert.ok(sheet.includes(expected), `the bill shows "${expected}":\n${sheet}`);
    assert.doesNotMatch(sheet, /Bill |Amount due|VAT|plan fee/);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "the bill fits the screen");
    await shot(page, `bill-ar-${width}`);
    if (width === 1200) {
      const pdf = await printed(page, `bill-${lang}-print`);
      assert.ok(isA4(pdf.pages), `A4 pages: ${JSON.stringify(pdf.pages)}`);
      // Runs split a line where the direction changes: compared without spaces.
      const text = pdf.text.replace(/\s+/g, "");
      for (const expected of [BILL, "128.25", "BilltestPayer", drawnArabic("المبلغ المستحق"), drawnArabic("العميل")])
        assert.ok(text.includes(expected.replace(/\s+/g, "")), `the PDF has "${expected}":\n${pdf.text}`);
    }
    await page.context().close();
  }
});

test("the customer pays the bill from its page: confirmation, receipt, and the bill is paid", async ({ customer: page, server }) => {
  await page.goto(`${server.url}/bills/${BILL}`);
  const pay = page.locator("section", { has: page.getByRole("heading", { name: "Pay this bill" }) });
  assert.equal(await pay.getByLabel("Amount (EGP)").inputValue(), "128.25");
  await pay.getByLabel("Pay with").selectOption("wallet");
  await pay.getByRole("button", { name: "Continue" }).click();
  assert.match(await pay.getByTestId("payment-summary").innerText(), new RegExp(`Bill\\n${BILL}\\nAmount\\n128\\.25 EGP`));
  await pay.getByRole("button", { name: "Pay 128.25 EGP", exact: true }).click();
  await pay
    .getByTestId("payment-status")
    .filter({ hasText: /successful/ })
    .waitFor();
  assert.match(await pay.getByTestId("receipt").innerText(), new RegExp(`^Payment of bill ${BILL}: done\\n`));
  await page.getByTestId("bill-status").filter({ hasText: "Paid" }).waitFor();
  assert.equal(await page.getByTestId("bill-paid").textContent(), "128.25 EGP");
  const [invoice] = await query<{ status: string; paid_amount: string; balance: string }>(
    "select invoice.status, invoice.paid_amount, account.balance from telecom.invoice inner join telecom.customer_account as account using (mobile_no) where invoice_no = $1",
    [BILL],
  );
  assert.deepEqual(invoice, { status: "paid", paid_amount: "128.25", balance: "0.00" });
  await page.goto(`${server.url}/`);
  assert.equal(await page.getByTestId("due-date").innerText(), "Nothing to pay now.");
});

test("an admin issues a credit note from a bill: reason required, over the total refused, then confirmed with its VAT", async (context) => {
  const { browser, server } = context;
  const page = await logInAdmin(
    await browser.newContext({ viewport: { width: 1200, height: 900 } }),
    server,
    context.adminUsername,
    ADMIN_PASSWORD,
  );
  await page.goto(`${server.url}/admin/customers/${CUSTOMER.nationalId}`);
  await page.getByTestId("customer-bills").getByRole("link", { name: BILL }).click();
  await page.waitForURL(`${server.url}/admin/bills/${BILL}`);
  const form = page.locator("section", { has: page.getByRole("heading", { name: "Issue a credit note" }) });
  await form.getByLabel("Amount, VAT included (EGP)").fill("10");
  await form.getByRole("button", { name: "Continue" }).click();
  assert.equal(await form.locator("#f-reason-error").textContent(), "Give the reason for the credit note.");
  await form.getByLabel("Amount, VAT included (EGP)").fill("128.26");
  await form.getByLabel("Reason").fill("Dropped calls");
  await form.getByRole("button", { name: "Continue" }).click();
  await form.getByRole("button", { name: "Issue the credit note of 128.26 EGP" }).click();
  await form
    .locator("#f-amount-error")
    .filter({ hasText: "A credit note cannot be more than the bill's total less the credit notes already issued against it." })
    .waitFor();
  await form.getByLabel("Amount, VAT included (EGP)").fill("10");
  await form.getByRole("button", { name: "Continue" }).click();
  assert.match(await form.locator(".confirm").innerText(), /Of which VAT\n1\.23 EGP\nReason\nDropped calls/);
  await form.getByRole("button", { name: "Issue the credit note of 10.00 EGP" }).click();
  const reference = form.getByTestId("receipt-reference");
  await reference.waitFor();
  const [note] = await query<{ credit_note_no: string; amount: string; vat: string; reason: string; issued_by: string }>(
    `select note.credit_note_no, note.amount, note.vat, note.reason, note.issued_by
     from telecom.credit_note as note inner join telecom.invoice as invoice using (invoice_id) where invoice.invoice_no = $1`,
    [BILL],
  );
  assert.equal(await reference.textContent(), note.credit_note_no);
  assert.match(note.credit_note_no, new RegExp(`^CN-${year}-\\d{7}$`));
  assert.deepEqual([note.amount, note.vat, note.reason], ["10.00", "1.23", "Dropped calls"]);
  assert.match(note.issued_by, /^admin:\d+$/);
  await page
    .getByTestId("bill-credit-notes")
    .filter({ hasText: `${note.credit_note_no}` })
    .waitFor();
  assert.match(await page.getByTestId("bill-credit-notes").innerText(), /10\.00 EGP · Dropped calls/);
  await shot(page, "admin-bill-credit-note");
  await page.context().close();
});

test("an admin sees the ageing report and the barred accounts, and runs this month's bills through the maintenance process", async (context) => {
  const { browser, server } = context;
  const page = await logInAdmin(
    await browser.newContext({ viewport: { width: 1200, height: 900 } }),
    server,
    context.adminUsername,
    ADMIN_PASSWORD,
  );
  await page.getByRole("link", { name: "Bills", exact: true }).click();
  await page.waitForURL(`${server.url}/admin/bills`);
  const [ageing] = await query<{ due_31_60: string; bills: number }>(
    `select to_char(sum(amount_due - paid_amount), 'FM999,999,990.00') as due_31_60, count(*)::integer as bills
     from telecom.invoice where status = 'issued' and paid_amount < amount_due and current_date - due_date between 31 and 60`,
  );
  assert.match(await page.getByTestId("ageing").innerText(), new RegExp(`31–60 days\t${ageing.due_31_60} EGP`));
  assert.equal(await page.getByTestId("ageing").locator("meter").count(), 4);
  const barred = page.getByTestId("barred").locator("tr", { hasText: BARRED });
  assert.equal(
    await barred.innerText(),
    `${BARRED}\tBarred Late\t${BARRED_BILL}\t50.00 EGP\t${await barred.locator("td").nth(4).innerText()}`,
  );

  const run = page.locator("section", { has: page.getByRole("heading", { name: "Run bills for a month" }) });
  const [{ month, bill_date }] = await query<{ month: string; bill_date: string }>(
    `select trim(to_char(current_date, 'Month')) || ' ' || to_char(current_date, 'YYYY') as month, to_char(${THIS_MONTH}, 'YYYY-MM-DD') as bill_date`,
  );
  assert.equal(await run.getByLabel("Month").inputValue(), bill_date);
  await run.getByRole("button", { name: "Continue" }).click();
  await run.getByRole("button", { name: `Run bills for ${month}` }).click();
  await run.getByText(`asked for: its progress is in the list below.`).waitFor();
  const [request] = await query<{ request_id: number }>("select request_id from telecom.bill_run_request order by request_id desc limit 1");
  const line = run.getByTestId("bill-run-requests").locator("li").first();
  await line.filter({ hasText: `Bill run ${request.request_id} for ${month}` }).waitFor();
  assert.equal(await line.getAttribute("data-status"), "queued");
  await shot(page, "admin-bills-queued");
  // The maintenance process's next tick runs the request.
  await query("select telecom.maintenance_tick()");
  // The tick bills the month itself on its first tick of a month, before the request: then the request issues none.
  const [done] = await query<{ bills_issued: number; error: string | null }>(
    "select bills_issued, error from telecom.bill_run_request where request_id = $1",
    [request.request_id],
  );
  assert.equal(done.error, null);
  await line
    .filter({ hasText: done.bills_issued ? `done: ${done.bills_issued} bill` : "done: no bills issued (the month was already billed)" })
    .waitFor();
  const [summary] = await query<{ bills_issued: number }>(
    `select bills_issued from telecom.bill_run_summary where bill_date = ${THIS_MONTH}`,
  );
  const runRow = page.getByTestId("bill-runs").locator("tr", { hasText: month });
  await runRow
    .locator("td")
    .first()
    .filter({ hasText: summary.bills_issued.toLocaleString("en") })
    .waitFor();
  const [unbilled] = await query<{ invoice_no: string }>(
    `select invoice_no from telecom.invoice where mobile_no = $1 and bill_date = ${THIS_MONTH}`,
    [UNBILLED],
  );
  assert.match(unbilled.invoice_no, new RegExp(`^INV-${year}-\\d{7}$`));
  await shot(page, "admin-bills");
  await page.context().close();
});

test.run();

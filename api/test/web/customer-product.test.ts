/**
 * The customer app as a product, in headless Chromium: the customer's words, confirmations,
 * account states, phones (390 and 320 px) and accessibility (axe-core on every customer page, focus,
 * skip link, titles, touch targets). The browser commits through the server, so the fixture is
 * committed, and removed afterwards with everything the browser made.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { suite } from "uvu";
import { getRootPool } from "../support/database.ts";
import { logIn, query, section, shot, startBrowserApp, stopBrowserApp, type BrowserApp } from "../support/browser.ts";
import { Builder, sql } from "../support/builder.ts";
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const data = new Builder();
const PERSON = { nationalId: await data.nationalId(), password: "product-test-pass" };
const FRIEND = { nationalId: await data.nationalId() };
const MAIN = await data.mobileNo();
const HELD = await data.mobileNo();
const OTHER = await data.mobileNo();

/**
 * The person's MAIN (pay as you go, a wallet, a plan with usage and alerts, two card payments, one
 * with cashback) and HELD (post-paid, on hold); the friend's OTHER; a shop with two vouchers.
 * Returns the id of the payment without cashback.
 */
async function createFixture(): Promise<number> {
  const person = await data.person({
    national_id: PERSON.nationalId,
    first_name: "Product",
    last_name: "Tester",
    email: "product.tester@example.com",
    address: "7 Phone Rd",
    date_of_birth: "1990-01-02",
  });
  const friend = await data.person({
    national_id: FRIEND.nationalId,
    first_name: "Friendly",
    last_name: "Neighbour",
    date_of_birth: "1991-01-02",
  });
  const main = await data.account(person, {
    mobile_no: MAIN,
    balance: 40,
    account_type: "pay_as_you_go",
    start_date: sql("current_date - 200"),
    points: 150,
    password: PERSON.password,
  });
  await data.account(person, {
    mobile_no: HELD,
    balance: 10,
    account_type: "post_paid",
    start_date: sql("current_date - 100"),
    status: "onhold",
  });
  const other = await data.account(friend, { mobile_no: OTHER, balance: 10, start_date: sql("current_date - 100") });
  const wallet = await data.wallet(main, { current_balance: 80 });
  await data.wallet(other, { current_balance: 5 });
  const { plan_id: plan } = await data.plan({
    name: "Product Plan",
    price: 150,
    sms_offered: 300,
    minutes_offered: 600,
    data_offered: 12288,
    description: "The product test's plan",
  });
  const payment = (amount: number, days: number) =>
    data.insert<{ payment_id: number }>(
      "telecom.payment",
      { mobile_no: MAIN, amount, date_of_payment: sql(`current_date - ${days}`), payment_method: "credit", status: "successful" },
      ["payment_id"],
    );
  const paidBack = await payment(150, 40);
  const unpaidBack = await payment(160, 10);
  const benefit = (description: string, validity: string) =>
    data.insert<{ benefit_id: number }>(
      "telecom.benefit",
      { description, validity_date: sql(validity), status: "active", mobile_no: MAIN },
      ["benefit_id"],
    );
  const active = await benefit("Product cashback 5%", "current_date + 30");
  await benefit("Product old benefit", "current_date - 1");
  await data.db.query(
    "insert into telecom.subscription (mobile_no, plan_id, subscription_date, status) values ($1, $2, current_date - 40, 'active')",
    [MAIN, plan],
  );
  await data.db.query(
    `insert into telecom.plan_usage (mobile_no, plan_id, start_date, end_date, data_consumption, minutes_used, sms_sent) values
       ($1, $2, date_trunc('month', current_date)::date, date_trunc('month', current_date)::date, 2048, 60, 5)`,
    [MAIN, plan],
  );
  await data.db.query(
    `insert into telecom.cashback (benefit_id, wallet_id, amount, credit_date, payment_id) values ($1, $2, 7.5, current_date - 39, $3)`,
    [active.benefit_id, wallet, paidBack.payment_id],
  );
  await data.db.query(
    `insert into telecom.usage_alert (mobile_no, plan_id, kind, period_start, threshold, raised_at) values
       ($1, $2, 'data', date_trunc('month', current_date)::date, 80, now() - interval '2 hours'),
       ($1, $2, 'data', date_trunc('month', current_date)::date, 100, now() - interval '1 hour'),
       ($1, $2, 'voice', date_trunc('month', current_date)::date, 80, now() - interval '3 hours'),
       ($1, $2, 'sms', (date_trunc('month', current_date) - interval '1 month')::date, 100, now() - interval '40 days')`,
    [MAIN, plan],
  );
  const shop = await data.shop({ name: "Product Shop", category: "food" });
  await data.db.query("insert into telecom.physical_shop (shop_id, address, working_hours) values ($1, '8 Shop St', '9-17')", [shop]);
  await data.db.query(
    `insert into telecom.voucher (value, expiry_date, points, shop_id) values
       (9999.5, current_date + 30, 100, $1), (9999.25, current_date + 30, 500, $1)`,
    [shop],
  );
  return unpaidBack.payment_id;
}

const PAGES: [path: string, title: string][] = [
  ["/", "Dashboard"],
  ["/usage", "Usage"],
  ["/plans", "Plans"],
  ["/payments", "Payments"],
  ["/bills", "Bills"],
  ["/wallet", "Wallet"],
  ["/vouchers", "Vouchers"],
  ["/tickets", "Support"],
  ["/receipts", "Receipts"],
  ["/profile", "Profile"],
];

interface Context extends BrowserApp {
  /** The card payment of 160 that has no cashback yet. */
  unpaidBack: number;
}

const test = suite<Context>("the customer app as a product, in Chromium", {} as Context);

/** axe-core on the page as it is: every violation fails the test, with its rule and targets. */
async function axe(page: Page, where: string): Promise<void> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const result = await (
      window as unknown as { axe: { run: (context: Document) => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }
    ).axe.run(document);
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")}`);
  });
  assert.deepEqual(violations, [], `axe-core on ${where}`);
}

/** The element that has the focus, through shadow roots (once it settled: focus moves after the page rendered). */
async function focused(page: Page): Promise<string> {
  await page.waitForTimeout(150);
  return focusedNow(page);
}

const focusedNow = (page: Page) =>
  page.evaluate(() => {
    let element: Element | null = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return element ? `${element.tagName.toLowerCase()}:${element.textContent?.trim()}` : "";
  });

test.before(async (context) => {
  Object.assign(context, await startBrowserApp(async () => (context.unpaidBack = await createFixture())));
});

test.after(async (context) => {
  await stopBrowserApp(context, data);
});

test("every customer page: its own title, focus on its h1 after navigation, and no axe-core violation", async ({ browser, server }) => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.waitForFunction(() => document.title === "Log in · Telecom");
  await axe(page, "/login");
  // The browser's own validation is off: the app's message, in a sentence of its own.
  await page.getByRole("button", { name: "Log in" }).click();
  assert.equal(await page.locator("#f-mobileNo-error").textContent(), "Enter your mobile number.");
  // A number pasted with spaces and the country code is accepted.
  await page.getByLabel("Mobile number").fill(`+20 ${MAIN.slice(1, 4)} ${MAIN.slice(4, 7)} ${MAIN.slice(7)}`);
  await page.getByLabel("Password").fill(PERSON.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(`${server.url}/`);
  await page.getByRole("heading", { name: "Your account", level: 1 }).waitFor();
  assert.equal(await focused(page), "h1:Your account");
  for (const [route, title] of PAGES) {
    if (route !== "/") {
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: title, exact: true }).click();
      await page.waitForURL(`${server.url}${route}`);
    }
    await page.waitForFunction((t) => document.title === t, `${title} · Telecom`);
    await page.locator("p[role=status]", { hasText: "Loading…" }).first().waitFor({ state: "detached" });
    if (route !== "/") assert.equal(await focused(page), `h1:${title === "Dashboard" ? "Your account" : title}`);
    await axe(page, route);
  }
  // On a fresh page, "Skip to content" is the first stop of the keyboard and leads to the page's heading.
  await page.reload();
  await page.waitForFunction(() => document.title === "Profile · Telecom");
  await page.keyboard.press("Tab");
  assert.equal(await focused(page), "button:Skip to content");
  await page.keyboard.press("Enter");
  assert.equal(await focused(page), "h1:Profile");
  await context.close();
});

test("the customer's words: plan names, GB left, status words, earnable cashback only, vouchers they can afford", async ({
  browser,
  server,
  unpaidBack,
}) => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true });
  const page = await logIn(context, server, MAIN, PERSON.password);
  assert.equal(await page.getByTestId("account-state").textContent(), "Pay as you go · Active");
  assert.equal(await page.getByTestId("plan-left").textContent(), "10 GB left of 12 GB, resets on the 1st");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Payments", exact: true }).click();
  const cashback = section(page, "Ask for cashback");
  await cashback.getByLabel("Payment").waitFor();
  const payments = await cashback.getByLabel("Payment").locator("option").allTextContents();
  assert.equal(payments.length, 1, "only the payment without cashback");
  assert.match(payments[0].trim(), new RegExp(`^PAY-${unpaidBack} · .* · 160\\.00 EGP$`));
  // The benefit's day as the database dated it (its today may not be the browser's near midnight).
  const { rows } = await getRootPool().query<{ day: string }>("select (current_date + 30)::text as day");
  const until = await page.evaluate(
    (day) => new Date(`${day}T00:00:00`).toLocaleDateString("en", { day: "numeric", month: "short", year: "numeric" }),
    rows[0].day,
  );
  assert.deepEqual(
    (await cashback.getByLabel("Benefit").locator("option").allTextContents()).map((t) => t.trim()),
    [`Product cashback 5% (until ${until})`],
  );
  const amounts = section(page, "Remaining and extra amounts");
  await amounts.getByLabel("Plan").selectOption("Product Plan");
  await amounts.getByRole("button", { name: "Show amounts" }).click();
  await amounts.getByTestId("plan-amounts").waitFor();
  assert.doesNotMatch(await amounts.getByTestId("plan-amounts").innerText(), /— EGP/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Vouchers", exact: true }).click();
  const dear = page.getByRole("button", { name: "Redeem 9,999.25 EGP at Product Shop" });
  assert.equal(await dear.isDisabled(), true);
  await page.getByText("You need 350 more points.").waitFor();
  assert.equal(await page.getByRole("button", { name: "Redeem 9,999.50 EGP at Product Shop" }).isDisabled(), false);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Plans", exact: true }).click();
  const hold = page.getByRole("button", { name: "Put Product Plan on hold" });
  await hold.click();
  await page.getByTestId("confirmation").getByRole("button", { name: "Cancel" }).click();
  assert.equal(
    await page
      .getByTestId("subscriptions")
      .innerText()
      .then((t) => t.includes("Active")),
    true,
  );
  assert.match(await page.getByTestId("paid-until").innerText(), /^Not paid yet · allowances reset on the 1st$/);
  // Held, then resumed: each asks first.
  await hold.click();
  await page.getByTestId("confirmation").getByRole("button", { name: "Put Product Plan on hold" }).click();
  await page.getByRole("status").filter({ hasText: "Product Plan is on hold." }).waitFor();
  await page.getByRole("button", { name: "Resume Product Plan" }).click();
  await page.getByTestId("confirmation").getByRole("button", { name: "Resume Product Plan" }).click();
  await page.getByRole("status").filter({ hasText: "Product Plan is active again." }).waitFor();
  await page.getByRole("button", { name: "Put Product Plan on hold" }).waitFor();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Support", exact: true }).click();
  await page.getByRole("button", { name: "Open ticket" }).click();
  assert.equal(await page.locator("#f-issueDescription-error").textContent(), "Describe the problem.");
  await context.close();
});

test("the profile cannot be wiped by accident, and a new password must differ", async ({ browser, server }) => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true });
  const page = await logIn(context, server, MAIN, PERSON.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Profile", exact: true }).click();
  const contact = section(page, "Contact details");
  await contact.getByLabel("E-mail").waitFor();
  await contact.getByRole("button", { name: "Save" }).click();
  await contact.getByRole("heading", { name: "Nothing has changed" }).waitFor();
  await contact.getByRole("button", { name: "Change", exact: true }).click();
  await contact.getByLabel("E-mail").fill("");
  await contact.getByRole("button", { name: "Save" }).click();
  assert.equal(await contact.getByTestId("confirmation").locator("dl").innerText(), "E-mail\n(removed)");
  await contact.getByRole("button", { name: "Change", exact: true }).click();
  const [profile] = (
    await getRootPool().query(`select email, address from telecom.customer_profile where national_id = ${PERSON.nationalId}`)
  ).rows;
  assert.deepEqual(profile, { email: "product.tester@example.com", address: "7 Phone Rd" });
  const password = section(page, "Change password");
  await password.getByLabel("Current password").fill(PERSON.password);
  await password.getByLabel("New password", { exact: true }).fill(PERSON.password);
  await password.getByLabel("New password again").fill(PERSON.password);
  await password.getByRole("button", { name: "Change password" }).click();
  assert.equal(await password.locator("#f-newPassword-error").textContent(), "Choose a new password that differs from the current one.");
  await context.close();
});

test("usage alerts of this month on the dashboard, in the customer's words, per number", async ({ browser, server }) => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true });
  const page = await logIn(context, server, MAIN, PERSON.password);
  const alerts = page.getByTestId("usage-alerts").locator("li");
  await alerts.first().waitFor();
  // 80 % and 100 % of the data: only "all used" is news; last month's SMS alert is not shown.
  const texts = (await alerts.allInnerTexts()).map((text) => text.split("\n")[0]);
  assert.equal(texts.length, 2);
  assert.match(
    texts[0],
    /^You have used all the data of Product Plan this month\. More data is charged to your balance until it resets on \w+ 1, \d{4}\.$/,
  );
  assert.equal(texts[1], "You have used 80% of the minutes of Product Plan this month.");
  assert.equal(await page.getByRole("heading", { name: "Usage alerts", level: 2 }).count(), 1);
  await axe(page, "the dashboard with usage alerts");
  // Another number of the same person has none: the section is not there.
  await page.getByTestId("number-switcher").selectOption(HELD);
  await page.getByTestId("hold-banner").waitFor();
  await page.getByTestId("usage-alerts").waitFor({ state: "detached" });
  await context.close();
});

test("a transfer's confirmation names the recipient (transfer_recipient); a number that cannot receive is refused before", async ({
  browser,
  server,
}) => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true });
  const page = await logIn(context, server, MAIN, PERSON.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Wallet", exact: true }).click();
  const send = section(page, "Send money");
  await send.getByLabel("Send to (mobile number)").fill(HELD);
  await send.getByLabel("Amount (EGP)").fill("1");
  await send.getByRole("button", { name: "Continue" }).click();
  await send.locator("#f-toMobileNo-error").waitFor();
  assert.equal(await send.locator("#f-toMobileNo-error").textContent(), "You cannot send money to that number.");
  assert.equal(await send.getByTestId("confirmation").count(), 0);
  await send.getByLabel("Send to (mobile number)").fill(`+20 ${OTHER.slice(1)}`);
  await send.getByRole("button", { name: "Continue" }).click();
  const confirmation = send.getByTestId("confirmation");
  await confirmation.waitFor();
  assert.match(await confirmation.locator("dl").innerText(), new RegExp(`To\\nFriendly N\\., wallet of ${OTHER}\\n`));
  assert.match(await confirmation.innerText(), /check the name and the number/);
  await send.getByRole("button", { name: "Change", exact: true }).click();
  const { rows } = await getRootPool().query(
    "select count(*)::integer as lookups from telecom_private.recipient_lookup where national_id = $1",
    [PERSON.nationalId],
  );
  assert.ok(rows[0].lookups >= 2, "each look-up counts against the person's budget");
  await context.close();
});

test("a taken e-mail on the profile: 'this e-mail cannot be used' next to the field, counted, nothing changed", async ({
  browser,
  server,
}) => {
  await query(`update telecom.customer_profile set email = 'friendly.neighbour@example.com' where national_id = ${FRIEND.nationalId}`);
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true });
  const page = await logIn(context, server, MAIN, PERSON.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Profile", exact: true }).click();
  const contact = section(page, "Contact details");
  await contact.getByLabel("E-mail").fill("Friendly.Neighbour@example.com");
  await contact.getByRole("button", { name: "Save" }).click();
  await contact.getByRole("button", { name: "Save changes" }).click();
  await contact.locator("#f-email-error").waitFor();
  assert.equal(await contact.locator("#f-email-error").textContent(), "This e-mail cannot be used: choose another.");
  const pool = getRootPool();
  const [profile] = (await pool.query(`select email, address from telecom.customer_profile where national_id = ${PERSON.nationalId}`)).rows;
  assert.deepEqual(profile, { email: "product.tester@example.com", address: "7 Phone Rd" });
  const [counted] = (
    await pool.query(`select count(*)::integer as n from telecom_private.email_refusal where national_id = ${PERSON.nationalId}`)
  ).rows;
  assert.equal(counted.n, 1);
  // A free address is saved.
  await contact.getByLabel("E-mail").fill("product.tester+new@example.com");
  await contact.getByRole("button", { name: "Save" }).click();
  await contact.getByRole("button", { name: "Save changes" }).click();
  await contact.getByText("Your details are saved.").waitFor();
  await query(`update telecom.customer_profile set email = 'product.tester@example.com' where national_id = ${PERSON.nationalId}`);
  await context.close();
});

test("an account on hold: a banner says what it means and what to do", async ({ browser, server }) => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true });
  const page = await logIn(context, server, MAIN, PERSON.password);
  assert.equal(await page.getByTestId("hold-banner").count(), 0);
  await page.getByTestId("number-switcher").selectOption(HELD);
  await page.getByTestId("hold-banner").waitFor();
  assert.match(await page.getByTestId("hold-banner").innerText(), new RegExp(`^${HELD} is on hold\\.\\n[\\s\\S]*reactivate it`));
  assert.equal(await page.getByTestId("account-state").textContent(), "Postpaid (monthly bill) · On hold");
  await axe(page, "the dashboard of a number on hold");
  await context.close();
});

/** The visible text of the page, through shadow roots (no named inner functions, see smallTargets). */
const visibleText = (page: Page) =>
  page.evaluate(() => {
    const texts: string[] = [];
    const roots: (Document | ShadowRoot | Element)[] = [document.body];
    while (roots.length) {
      const root = roots.pop()!;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node instanceof Element && node.shadowRoot) roots.push(node.shadowRoot);
        if (node.nodeType === Node.TEXT_NODE && node.parentElement?.checkVisibility() && !node.parentElement.closest("style"))
          texts.push(node.textContent ?? "");
      }
    }
    return texts.join(" ");
  });

/** Words in Latin letters that an Arabic page may show: the fixture's names, references, units written as codes. */
const LATIN_ALLOWED = new Set([
  "Product",
  "Plan",
  "Shop",
  "cashback",
  "Tester",
  "PAY",
  "CSH",
  "VCH",
  "TRF",
  "English",
  "The",
  "test",
  "s",
  "plan",
  "Friendly",
  "N",
]);

test("Arabic from the browser's language: right to left, every page in Arabic, digits typed in Arabic-Indic, English again without a reload", async ({
  browser,
  server,
}) => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: "ar-EG", bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.getByRole("heading", { name: "سجّل الدخول إلى حسابك" }).waitFor();
  assert.deepEqual(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]), ["ar", "rtl"]);
  // Before a login too: the login page and its two ways in by a code sent to the number.
  for (const [link, heading] of [
    ["فعّله برقمك", "تفعيل الدخول عبر الإنترنت"],
    ["نسيت كلمة المرور؟", "نسيت كلمة المرور؟"],
  ]) {
    assert.deepEqual(
      ((await visibleText(page)).match(/[A-Za-z]+/g) ?? []).filter((word) => !LATIN_ALLOWED.has(word)),
      [],
      "the login page",
    );
    await page.getByRole("link", { name: link }).click();
    await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
    const latin = ((await visibleText(page)).match(/[A-Za-z]+/g) ?? []).filter((word) => !LATIN_ALLOWED.has(word));
    assert.deepEqual(latin, [], `English words on the Arabic page ${heading}`);
    await page.getByRole("link", { name: "العودة إلى تسجيل الدخول" }).click();
    await page.getByRole("heading", { name: "سجّل الدخول إلى حسابك" }).waitFor();
  }
  await page.getByLabel("رقم الموبايل").fill(MAIN.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d))));
  await page.getByLabel("كلمة المرور").fill(PERSON.password);
  await page.getByRole("button", { name: "تسجيل الدخول" }).click();
  await page.waitForURL(`${server.url}/`);
  await page.getByRole("heading", { name: "حسابك", level: 1 }).waitFor();
  // The layout mirrors: the name of the app is on the right, the navigation to its left.
  const brand = await page.locator("header .brand").boundingBox();
  const navigation = await page.getByRole("navigation", { name: "الرئيسية" }).boundingBox();
  assert.ok(brand && navigation && brand.x > navigation.x, "the header reads from the right");
  await shot(page, "arabic-dashboard");
  const titles = ["الرئيسية", "الاستهلاك", "الباقات", "المدفوعات", "المحفظة", "القسائم", "الدعم", "الإيصالات", "الملف الشخصي"];
  for (const title of titles) {
    await page.getByRole("navigation", { name: "الرئيسية" }).getByRole("link", { name: title, exact: true }).click();
    await page.waitForFunction((t) => document.title === t, `${title} · تيليكوم`);
    await page.locator("p[role=status]", { hasText: "جارٍ التحميل…" }).first().waitFor({ state: "detached" });
    const latin = ((await visibleText(page)).match(/[A-Za-z]+/g) ?? []).filter((word) => !LATIN_ALLOWED.has(word));
    assert.deepEqual(latin, [], `English words on the Arabic page ${title}`);
    await axe(page, `${title} in Arabic`);
  }
  // A transfer typed in Arabic-Indic digits, confirmed and receipted in Arabic.
  await page.getByRole("navigation", { name: "الرئيسية" }).getByRole("link", { name: "المحفظة", exact: true }).click();
  const send = section(page, "أرسل أموالًا");
  await send.getByLabel("أرسل إلى (رقم موبايل)").fill(OTHER.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d))));
  await send.getByLabel("المبلغ (ج.م)").fill("٥٫٥");
  await send.getByRole("button", { name: "متابعة" }).click();
  await send.getByRole("button", { name: "أرسل 5.50 ج.م" }).click();
  assert.match((await send.getByTestId("receipt-reference").textContent()) ?? "", /^TRF-\d+$/);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 17));
  await page.locator(`[data-testid="language"]:visible`).click();
  await page.getByRole("heading", { name: "Wallet", level: 1 }).waitFor();
  assert.deepEqual(
    await page.evaluate(() => [
      document.documentElement.lang,
      document.documentElement.dir,
      (window as unknown as { marker?: number }).marker,
    ]),
    ["en", "ltr", 17],
  );
  await page.waitForFunction(() => document.title === "Wallet · Telecom");
  await context.close();
});

/** Nothing on the page is wider than the viewport. */
const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** The elements that reach beyond the viewport's right edge (through shadow roots), for the message. */
const widest = (page: Page) =>
  page.evaluate(() => {
    const wide: string[] = [];
    const roots: (Document | ShadowRoot)[] = [document];
    while (roots.length) {
      for (const element of roots.pop()!.querySelectorAll<HTMLElement>("*")) {
        if (element.shadowRoot) roots.push(element.shadowRoot);
        const box = element.getBoundingClientRect();
        if (box.right > document.documentElement.clientWidth + 0.5)
          wide.push(`${element.tagName.toLowerCase()}.${element.className} ${Math.round(box.right)}`);
      }
    }
    return wide.slice(0, 8).join(", ");
  });

/** Buttons, links and controls in the page (through shadow roots) smaller than 44 × 44 px. */
const smallTargets = (page: Page) =>
  page.evaluate(() => {
    const small: string[] = [];
    // No named inner functions: the test's compiler would wrap them in a helper the page lacks.
    const roots: (Document | ShadowRoot)[] = [document];
    while (roots.length) {
      for (const element of roots.pop()!.querySelectorAll<HTMLElement>("*")) {
        if (element.shadowRoot) roots.push(element.shadowRoot);
        if (!element.matches("button, select, input, textarea, nav a, .brand")) continue;
        const box = element.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue;
        if (box.height < 44 || box.width < 44)
          small.push(
            `${element.tagName.toLowerCase()} "${element.textContent?.trim() ?? ""}" ${Math.round(box.width)}×${Math.round(box.height)}`,
          );
      }
    }
    return small;
  });

test("a phone: compact navigation, cards, 44 px targets, and no horizontal scrolling at 390 and 320 px", async ({ browser, server }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, bypassCSP: true });
  const page = await logIn(context, server, MAIN, PERSON.password);
  const header = await page.locator("header").boundingBox();
  assert.ok(header && header.height <= 60, `the header is ${header?.height} px high`);
  assert.equal(await page.getByRole("navigation", { name: "Main" }).isVisible(), false);
  await page.getByRole("button", { name: "Menu" }).click();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Wallet", exact: true }).click();
  await page.waitForURL(`${server.url}/wallet`);
  assert.equal(await page.getByRole("navigation", { name: "Main" }).isVisible(), false, "the menu closes after a choice");
  for (const width of [390, 320]) {
    await page.setViewportSize({ width, height: 800 });
    for (const [route, title] of PAGES) {
      await page.goto(`${server.url}${route}`);
      await page.waitForFunction((t) => document.title === t, `${title} · Telecom`);
      await page.locator("p[role=status]", { hasText: "Loading…" }).first().waitFor({ state: "detached" });
      assert.equal(await horizontalOverflow(page), 0, `${route} scrolls sideways at ${width} px: ${await widest(page)}`);
      if (width === 390) assert.deepEqual(await smallTargets(page), [], `touch targets on ${route}`);
      if (width === 390 && route === "/payments") await shot(page, "phone-payments");
      if (width === 390 && route === "/") await shot(page, "phone-dashboard");
    }
  }
  await axe(page, "/profile at 320 px");
  await context.close();
});

test.run();

/**
 * GraphiQL in a real browser (headless Chromium, as CI installs it): the admin link
 * `/graphiql#token=<jwt>` makes Ruru send that token, and the token leaves the address bar.
 */
import { chromium, type Browser } from "playwright-core";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startTestServer, type TestServer } from "../support/server.ts";

const test = suite<{ server: TestServer; browser: Browser }>("graphiql", {} as { server: TestServer; browser: Browser });

test.before(async (context) => {
  context.server = await startTestServer();
  context.browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
});

test.after(async (context) => {
  await context.browser?.close();
  await context.server?.close();
});

test("a query run from /graphiql#token=<admin token> runs as that admin", async ({ server, browser }) => {
  const token = server.adminToken();
  const page = await browser.newPage();
  // Ruru runs under its own content security policy: nothing of it may be refused.
  const refused: string[] = [];
  page.on("console", (message) => {
    if (/Content[ -]Security[ -]Policy/i.test(message.text())) refused.push(message.text());
  });
  const sent: (string | undefined)[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && request.postData()?.includes("currentRoleIsAdmin")) sent.push(request.headers().authorization);
  });
  await page.goto(`${server.url}/graphiql#token=${token}`);
  assert.is(new URL(page.url()).hash, "");
  const editor = page.locator(".graphiql-query-editor .monaco-editor").first();
  // A first visit opens with the worked examples of the reports and figures.
  await editor.locator(".view-lines", { hasText: "query Figures" }).waitFor();
  await editor.click();
  await page.keyboard.press("ControlOrMeta+A");
  // Typing over a selection would surround it with the brace: clear it first.
  await page.keyboard.press("Delete");
  // Monaco closes the brace itself.
  await page.keyboard.type("{ currentRoleIsAdmin");
  // GraphiQL learns the document's operations (the examples had several) a moment after an edit.
  await page.keyboard.press("Escape");
  await page.waitForTimeout(1000);
  await page.keyboard.press("ControlOrMeta+Enter");
  await page.locator(".result-window", { hasText: "currentRoleIsAdmin" }).waitFor();
  // Monaco lays the result out with non-breaking spaces.
  assert.match(await page.locator(".result-window").innerText(), /"currentRoleIsAdmin":\s+true/);
  assert.equal(sent, [`Bearer ${token}`]);
  assert.equal(refused, []);
});

test.run();

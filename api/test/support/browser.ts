/**
 * The browser tests' setup, one for all: the production build of the web app (built once per test
 * run, in a temp folder), served by the real server, and headless Chromium (Debian's
 * /usr/bin/chromium through playwright-core). A suite's fixture rows are committed first, by the
 * suite's builder, and removed at the end with everything the browser made (support/builder.ts).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { build } from "vite";
import { projectRoot } from "../../src/paths.ts";
import { getRootPool } from "./database.ts";
import type { Builder } from "./builder.ts";
import { startTestServer, type TestServer, type TestServerOptions } from "./server.ts";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Where `shot` puts screenshots (test-results/, ignored by git). */
const SCREENSHOTS = path.join(projectRoot, "test-results");

export interface BrowserApp {
  server: TestServer;
  browser: Browser;
}

let webBuild: Promise<string> | undefined;

/** The web app's production build, made once for every browser suite of the run. */
function builtWebApp(): Promise<string> {
  webBuild ??= (async () => {
    const webRoot = fs.mkdtempSync(path.join(os.tmpdir(), "telecom-web-"));
    process.once("exit", () => fs.rmSync(webRoot, { recursive: true, force: true }));
    await build({
      configFile: path.join(projectRoot, "web", "vite.config.ts"),
      logLevel: "warn",
      build: { outDir: webRoot, emptyOutDir: true },
    });
    return webRoot;
  })();
  return webBuild;
}

/** Commits the suite's fixture (`createFixture`) and starts the server (with `options`) on the build, and Chromium. */
export async function startBrowserApp(
  createFixture: () => Promise<unknown>,
  options: Omit<TestServerOptions, "webRoot"> = {},
): Promise<BrowserApp> {
  assert.ok(fs.existsSync(CHROMIUM), `Chromium is missing at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  const webRoot = await builtWebApp();
  await createFixture();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const server = await startTestServer({ webRoot, ...options });
  return { server, browser: await chromium.launch({ executablePath: CHROMIUM }) };
}

/** Closes what `startBrowserApp` started (as far as it got) and removes what the suite's builder committed. */
export async function stopBrowserApp(app: Partial<BrowserApp>, data: Builder): Promise<void> {
  await app.browser?.close();
  await app.server?.close();
  await data.remove();
}

/** A full-page screenshot in test-results/ (`name`.png), to look at what the test saw. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Rows as the superuser sees them (committed rows, as the server and the browser do). */
export async function query<T>(text: string, values: unknown[] = []): Promise<T[]> {
  return (await getRootPool().query(text, values)).rows as T[];
}

/** The section of a page with this heading (pages group each operation in a section). */
export const section = (page: Page, heading: string) =>
  page.locator("section", { has: page.getByRole("heading", { name: heading, exact: true }) });

/** A link of the main navigation. */
export const nav = (page: Page, name: string) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });

/** A new page of `context`, logged in as the customer of this number, on the dashboard. */
export async function logIn(context: BrowserContext | Browser, server: TestServer, mobileNo: string, password: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.getByLabel("Mobile number").fill(mobileNo);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(`${server.url}/`);
  return page;
}

/** A new page of `context`, logged in as this administrator, on the admin dashboard. */
export async function logInAdmin(context: BrowserContext | Browser, server: TestServer, username: string, password: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.getByRole("button", { name: "I am an administrator" }).click();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(`${server.url}/admin`);
  return page;
}

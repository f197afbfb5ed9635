/**
 * The ER diagram as SVG, rendered once by Mermaid in headless Chromium (playwright-core) and committed,
 * so the admin page shows a plain image and no script has to draw it in the browser (docs/dba.md: the CSP
 * holds). The SVG carries the sha256 of the Mermaid text it was drawn from, so a check can tell it is
 * current without launching a browser.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { projectRoot } from "../paths.ts";

const MERMAID_SCRIPT = path.join(projectRoot, "node_modules", "mermaid", "dist", "mermaid.min.js");

// Headless, and no traffic of its own: the page is built from a string and a local file.
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const SHA_ATTRIBUTE = "data-source-sha256";

export function sourceSha256(mermaidText: string): string {
  return createHash("sha256").update(mermaidText, "utf8").digest("hex");
}

/** The hash a rendered SVG was made from, or undefined when it has none. */
export function embeddedSha256(svg: string): string | undefined {
  return new RegExp(`^<svg\\b[^>]*\\s${SHA_ATTRIBUTE}="([0-9a-f]{64})"`).exec(svg.trimStart())?.[1];
}

/** The subset of Mermaid's browser API used here. */
interface MermaidApi {
  initialize(config: Record<string, unknown>): void;
  render(id: string, text: string): Promise<{ svg: string }>;
}

export async function renderErdSvg(mermaidText: string): Promise<string> {
  // Imported here: playwright-core is a dev dependency, and only regenerating the docs needs it.
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.route("**/*", (route) => route.abort());
    await page.setContent("<!doctype html><html><head><meta charset='utf-8'></head><body></body></html>");
    await page.addScriptTag({ path: MERMAID_SCRIPT });
    const svg = await page.evaluate(async (text) => {
      const mermaid = (globalThis as unknown as { mermaid: MermaidApi }).mermaid;
      // Plain SVG text instead of HTML in <foreignObject>: an SVG shown through <img> renders no HTML.
      // The natural size (no max-width) lets the page choose between fitting and scrolling.
      mermaid.initialize({
        startOnLoad: false,
        securityLevel: "strict",
        theme: "default",
        htmlLabels: false,
        er: { useMaxWidth: false },
      });
      return (await mermaid.render("telecom-erd", text)).svg;
    }, mermaidText);
    // Coordinates to a tenth of a pixel (Mermaid prints fifteen digits): a quarter less to commit.
    const compact = svg.replace(/(\d\.\d)\d+/g, "$1");
    return `${compact.replace(/^<svg\b/, `<svg ${SHA_ATTRIBUTE}="${sourceSha256(mermaidText)}"`)}\n`;
  } finally {
    await browser.close();
  }
}

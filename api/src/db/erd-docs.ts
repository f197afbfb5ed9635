/**
 * Where the ER diagram is committed (SPEC §13): `docs/schema.md` (for GitHub, which draws Mermaid),
 * `docs/schema.svg` (for the admin page) and a region of README.md. `writeErdDocs` brings them up to
 * date after a migration; `erdDocsDiffer` is the test's check that they still match the catalog.
 */
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { entityRelationshipDiagram } from "./erd.ts";
import { embeddedSha256, renderErdSvg, sourceSha256 } from "./erd-svg.ts";
import { projectRoot } from "../paths.ts";

export const ERD_FILES = { markdown: "docs/schema.md", svg: "docs/schema.svg", readme: "README.md" };

const START = "<!-- erd:start -->";
const END = "<!-- erd:end -->";

export function mermaidBlock(diagram: string): string {
  return `\`\`\`mermaid\n${diagram}\`\`\`\n`;
}

export function schemaMarkdown(diagram: string): string {
  return [
    "# The data model",
    "",
    "Generated from the PostgreSQL catalog by `writeErdDocs` (`api/src/db/erd-docs.ts`); do not edit by hand. " +
      "Every table of `telecom` and `telecom_private` with its columns and keys (PK, FK, UK), and every foreign key, " +
      'named by its columns; the `shop` → `physical_shop` / `e_shop` specialisation reads "is a (disjoint)". ' +
      "As an image: [schema.svg](schema.svg).",
    "",
    mermaidBlock(diagram),
  ].join("\n");
}

/** The text between the README's markers (without them), or undefined when a marker is missing. */
export function readmeRegion(readme: string): string | undefined {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END, start);
  if (start < 0 || end < 0) return undefined;
  return readme.slice(start + START.length, end).replace(/^\n/, "");
}

/** The Mermaid text of the first ```mermaid block of a Markdown text. */
export function mermaidOf(markdown: string): string | undefined {
  return /```mermaid\n([\s\S]*?)```/.exec(markdown)?.[1];
}

function readText(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
}

/** Writes only what changed, so a watcher sees no event and an unchanged SVG is not drawn again. */
function writeIfChanged(file: string, text: string): boolean {
  if (readText(file) === text) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return true;
}

/** Regenerates the three files from the catalog; returns those it rewrote (relative to `root`). */
export async function writeErdDocs(client: pg.ClientBase, root: string = projectRoot): Promise<string[]> {
  const diagram = await entityRelationshipDiagram(client);
  const readmePath = path.join(root, ERD_FILES.readme);
  const readme = readText(readmePath) ?? "";
  if (readmeRegion(readme) === undefined) throw new Error(`${readmePath} has no ${START} … ${END} region for the ER diagram.`);
  const written: string[] = [];
  if (writeIfChanged(path.join(root, ERD_FILES.markdown), schemaMarkdown(diagram))) written.push(ERD_FILES.markdown);
  const svgPath = path.join(root, ERD_FILES.svg);
  if (embeddedSha256(readText(svgPath) ?? "") !== sourceSha256(diagram)) {
    writeIfChanged(svgPath, await renderErdSvg(diagram));
    written.push(ERD_FILES.svg);
  }
  const start = readme.indexOf(START) + START.length;
  const region = `\n${mermaidBlock(diagram)}`;
  if (writeIfChanged(readmePath, readme.slice(0, start) + region + readme.slice(readme.indexOf(END, start))))
    written.push(ERD_FILES.readme);
  return written;
}

/** The files (relative to `root`) that no longer show what the catalog holds; empty when all are current. */
export async function erdDocsDiffer(client: pg.ClientBase, root: string = projectRoot): Promise<string[]> {
  const diagram = await entityRelationshipDiagram(client);
  const stale: string[] = [];
  if (readText(path.join(root, ERD_FILES.markdown)) !== schemaMarkdown(diagram)) stale.push(ERD_FILES.markdown);
  if (embeddedSha256(readText(path.join(root, ERD_FILES.svg)) ?? "") !== sourceSha256(diagram)) stale.push(ERD_FILES.svg);
  if (readmeRegion(readText(path.join(root, ERD_FILES.readme)) ?? "") !== mermaidBlock(diagram)) stale.push(ERD_FILES.readme);
  return stale;
}

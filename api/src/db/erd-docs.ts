/**
 * Where the ER diagram is committed: `docs/schema.md` (its Mermaid source, which GitHub draws) and
 * `docs/schema.svg` (the image shown in the README, docs/data-model.md and the admin page).
 * `writeErdDocs` brings them up to date after a migration; `erdDocsDiffer` is the test's check that
 * they still match the catalog.
 */
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { entityRelationshipDiagram } from "./erd.ts";
import { embeddedSha256, renderErdSvg, sourceSha256 } from "./erd-svg.ts";
import { projectRoot } from "../paths.ts";

export const ERD_FILES = { markdown: "docs/schema.md", svg: "docs/schema.svg" };

function mermaidBlock(diagram: string): string {
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

/** Regenerates both files from the catalog; returns those it rewrote (relative to `root`). */
export async function writeErdDocs(client: pg.ClientBase, root: string = projectRoot): Promise<string[]> {
  const diagram = await entityRelationshipDiagram(client);
  const written: string[] = [];
  if (writeIfChanged(path.join(root, ERD_FILES.markdown), schemaMarkdown(diagram))) written.push(ERD_FILES.markdown);
  const svgPath = path.join(root, ERD_FILES.svg);
  if (embeddedSha256(readText(svgPath) ?? "") !== sourceSha256(diagram)) {
    writeIfChanged(svgPath, await renderErdSvg(diagram));
    written.push(ERD_FILES.svg);
  }
  return written;
}

/** The files (relative to `root`) that no longer show what the catalog holds; empty when all are current. */
export async function erdDocsDiffer(client: pg.ClientBase, root: string = projectRoot): Promise<string[]> {
  const diagram = await entityRelationshipDiagram(client);
  const stale: string[] = [];
  if (readText(path.join(root, ERD_FILES.markdown)) !== schemaMarkdown(diagram)) stale.push(ERD_FILES.markdown);
  if (embeddedSha256(readText(path.join(root, ERD_FILES.svg)) ?? "") !== sourceSha256(diagram)) stale.push(ERD_FILES.svg);
  return stale;
}

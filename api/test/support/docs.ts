/** The project's documents as a newcomer reads them: the README and every page of docs/, for the tests that run their examples. */
import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../../src/paths.ts";

export function projectDocs(): { file: string; text: string }[] {
  const docs = fs
    .readdirSync(path.join(projectRoot, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => path.join("docs", name));
  return ["README.md", ...docs].map((file) => ({ file, text: fs.readFileSync(path.join(projectRoot, file), "utf8") }));
}

/** Every document's text, one after the other. */
export function projectDocsText(): string {
  return projectDocs()
    .map(({ text }) => text)
    .join("\n");
}

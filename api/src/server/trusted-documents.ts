/**
 * Trusted documents (docs/security.md): the web app's GraphQL documents, extracted at build time into a
 * manifest `{ "<id>": "<document text>" }` inside the build. In production a request that is not an
 * admin's sends `{"documentId": "<id>", "variables": …}` and the server runs the manifest's text.
 */
import fs from "node:fs";

/** Where the manifest lives, relative to the web build (web/dist): written by the web build, not served. */
export { PERSISTED_DOCUMENTS_FILE as TRUSTED_DOCUMENTS_FILE } from "../../../web/persisted-documents.ts";

export interface TrustedDocuments {
  /** The manifest's file, or null when there is none. */
  file: string | null;
  count: number;
  get(id: string): string | undefined;
}

/**
 * Reads the manifest once (the build is made before the server starts). A missing file is an empty
 * manifest: in production only admins can then send GraphQL, which is the safe way to fail.
 */
export function loadTrustedDocuments(file: string | null): TrustedDocuments {
  const documents = new Map<string, string>();
  if (file && fs.existsSync(file)) {
    const manifest: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    if (typeof manifest !== "object" || manifest === null || Array.isArray(manifest)) {
      throw new Error(`${file} must be a JSON object of document id → document text.`);
    }
    for (const [id, text] of Object.entries(manifest)) {
      if (typeof text !== "string") throw new Error(`${file}: the document of id ${id} is not a string.`);
      documents.set(id, text);
    }
  }
  return {
    file: file && fs.existsSync(file) ? file : null,
    count: documents.size,
    // A Map, so that ids such as "__proto__" or "constructor" find nothing.
    get: (id) => (typeof id === "string" ? documents.get(id) : undefined),
  };
}

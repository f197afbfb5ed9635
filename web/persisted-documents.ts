/**
 * The web app's GraphQL documents as trusted documents (SPEC §12). Every document in web/src and shared/ is a
 * static `graphql(`…`)` call (gql.tada types it against sql/schema.graphql). At build time the Vite
 * plugin below replaces each call with `{ id, text }`: `text` is the document as graphql-js prints it,
 * `id` the hex SHA-256 of that text. The browser sends both (`query` and `documentId`), and the build
 * writes every document to `<web build>/.vite/persisted-documents.json` (id → text), the only
 * documents the server accepts in production from everyone but admins. Node code (the bench) gets the same pair from
 * `persistedDocument`.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse, print } from "graphql";
import type { Plugin } from "vite";

/** The web build's output folder, relative to web/ (vite.config.ts). */
export const WEB_OUT_DIR = "dist";

/**
 * The manifest's path inside the web build: under `.vite/`, beside Vite's own manifest, which the
 * server does not serve (the server reads it to accept these documents alone, SPEC §12).
 */
export const PERSISTED_DOCUMENTS_FILE = ".vite/persisted-documents.json";

/** The manifest `npm run build` writes: web/dist/.vite/persisted-documents.json. */
export const PERSISTED_DOCUMENTS_PATH = fileURLToPath(new URL(`./${WEB_OUT_DIR}/${PERSISTED_DOCUMENTS_FILE}`, import.meta.url));

/** id → document text, as the build wrote it. */
export type PersistedDocuments = Record<string, string>;

export interface PersistedDocument {
  id: string;
  text: string;
}

/** The canonical text of a document and its id (the hex SHA-256 of that text). */
export function persistedDocument(source: string): PersistedDocument {
  const text = print(parse(source));
  return { id: createHash("sha256").update(text).digest("hex"), text };
}

/** The manifest of a web build (e.g. web/dist). */
export function readPersistedDocuments(webRoot: string): PersistedDocuments {
  return JSON.parse(fs.readFileSync(path.join(webRoot, PERSISTED_DOCUMENTS_FILE), "utf8")) as PersistedDocuments;
}

/** `graphql(` + a template literal without interpolation + `)`. */
const STATIC_CALL = /\bgraphql\(\s*`((?:[^`\\$]|\$(?!\{))*)`\s*\)/g;
/** Any call of `graphql(`: what STATIC_CALL does not match is not a static document. */
const ANY_CALL = /(?<![\w$.])graphql\(/g;

/**
 * Compiles the documents of web/src and shared/ away: each static call becomes its `{ id, text }`, and the
 * manifest is emitted with the bundle. A call that is not a static document fails the build.
 */
export function persistedDocumentsPlugin(): Plugin {
  const documents = new Map<string, string>();
  return {
    name: "telecom-persisted-documents",
    enforce: "pre",
    buildStart() {
      documents.clear();
    },
    transform(code, id) {
      if (!/\/(web\/src|shared)\/.*\.ts$/.test(id) || id.endsWith("/shared/graphql.ts") || !code.includes("graphql(")) return null;
      let found = 0;
      const compiled = code.replace(STATIC_CALL, (_call, source: string) => {
        found += 1;
        const document = persistedDocument(source);
        documents.set(document.id, document.text);
        return JSON.stringify(document);
      });
      const calls = code.match(ANY_CALL)?.length ?? 0;
      if (calls !== found)
        this.error(`${id}: ${calls - found} graphql() call(s) without a static document (a template literal without \${…}).`);
      return { code: compiled, map: null };
    },
    generateBundle() {
      const manifest = Object.fromEntries([...documents].sort(([a], [b]) => a.localeCompare(b)));
      this.emitFile({ type: "asset", fileName: PERSISTED_DOCUMENTS_FILE, source: `${JSON.stringify(manifest, null, 2)}\n` });
    },
  };
}

/**
 * The web app's GraphQL documents as trusted documents (docs/security.md). Every document in web/src and shared/ is a
 * static `graphql(`…`)` call (gql.tada types it against sql/schema.graphql), with the fragments it
 * spreads after it (`graphql(`…`, [Fragment])`). At build time the Vite plugin below replaces each call
 * with `{ id, text }`: `text` is the document with its fragments (shared/graphql.ts `withFragments`)
 * as graphql-js prints it, `id` the hex SHA-256 of that text; a fragment alone becomes `{ text }`. The browser sends both (`query` and `documentId`), and the build
 * writes every document to `<web build>/.vite/persisted-documents.json` (id → text), the only
 * documents the server accepts in production from everyone but admins. The manifest also lists the network
 * mediation client's documents (shared/network-documents.ts), which no module of the app imports. Node code
 * (the bench, the usage simulator) gets the same pair from `persistedDocument`.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse, print } from "graphql";
import type { Plugin } from "vite";
import { compiled, fragmentName, withFragments } from "../shared/graphql.ts";
import { NETWORK_DOCUMENTS } from "../shared/network-documents.ts";

/** The web build's output folder, relative to web/ (vite.config.ts). */
export const WEB_OUT_DIR = "dist";

/**
 * The manifest's path inside the web build: under `.vite/`, beside Vite's own manifest, which the
 * server does not serve (the server reads it to accept these documents alone, docs/security.md).
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

/** `graphql(` + a template literal without interpolation + maybe the fragments it spreads (`, [A, B]`) + `)`. */
const STATIC_CALL = /\bgraphql\(\s*`((?:[^`\\$]|\$(?!\{))*)`\s*(?:,\s*\[[\w\s,]*\]\s*,?\s*)?\)/g;
/** Any call of `graphql(`: what STATIC_CALL does not match is not a static document. */
const ANY_CALL = /(?<![\w$.])graphql\(/g;

/** The folders whose documents the build compiles. */
const SOURCE_DIRS = [fileURLToPath(new URL("./src", import.meta.url)), fileURLToPath(new URL("../shared", import.meta.url))];

/** Every fragment of web/src and shared/ by name, read before the modules are (a document may use one defined later). */
function readFragments(): Map<string, string> {
  const fragments = new Map<string, string>();
  for (const dir of SOURCE_DIRS) {
    for (const file of fs.readdirSync(dir, { recursive: true, encoding: "utf8" })) {
      if (!file.endsWith(".ts")) continue;
      for (const [, source] of fs.readFileSync(path.join(dir, file), "utf8").matchAll(STATIC_CALL)) {
        const name = fragmentName(source);
        if (!name) continue;
        if (fragments.has(name) && fragments.get(name) !== source) throw new Error(`Two fragments are named ${name}.`);
        fragments.set(name, source);
      }
    }
  }
  return fragments;
}

/**
 * Compiles the documents of web/src and shared/ away: each static call becomes its `{ id, text }`, and the
 * manifest is emitted with the bundle. A call that is not a static document fails the build.
 */
export function persistedDocumentsPlugin(): Plugin {
  const documents = new Map<string, string>();
  let fragments: Map<string, string> | undefined;
  return {
    name: "telecom-persisted-documents",
    enforce: "pre",
    buildStart() {
      documents.clear();
      fragments = readFragments();
      // The network's documents, compiled as Node compiles them (shared/graphql.ts), so they get the same ids.
      for (const source of NETWORK_DOCUMENTS) {
        const document = persistedDocument(compiled(source).text);
        documents.set(document.id, document.text);
      }
    },
    transform(code, id) {
      if (!/\/(web\/src|shared)\/.*\.ts$/.test(id) || id.endsWith("/shared/graphql.ts") || !code.includes("graphql(")) return null;
      let found = 0;
      fragments ??= readFragments();
      const compiled = code.replace(STATIC_CALL, (_call, source: string) => {
        found += 1;
        const text = withFragments(source, (name) => fragments!.get(name));
        if (fragmentName(source)) return JSON.stringify({ text });
        const document = persistedDocument(text);
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

/**
 * The web app's trusted documents (SPEC §12): the build's manifest lists every document the app
 * sends, keyed by the SHA-256 of its text, and each one is valid against the schema the server
 * serves; a document that is not static fails the build.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildClientSchema, getIntrospectionQuery, parse, validate, type IntrospectionQuery } from "postgraphile/graphql";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { build } from "vite";
import { projectRoot } from "../../src/paths.ts";
import { startTestServer, type TestServer, TEST_ADMIN_ID } from "../server.ts";
import { PlanOffer } from "../../../shared/fragments.ts";
import { compiled, graphql } from "../../../shared/graphql.ts";
import { DashboardQuery } from "../../../shared/dashboard-query.ts";
import {
  PERSISTED_DOCUMENTS_FILE,
  persistedDocument,
  persistedDocumentsPlugin,
  readPersistedDocuments,
} from "../../../web/persisted-documents.ts";

const test = suite<{ server: TestServer; webRoot: string }>("persisted documents", {} as { server: TestServer; webRoot: string });

test.before(async (context) => {
  context.webRoot = fs.mkdtempSync(path.join(os.tmpdir(), "telecom-web-"));
  await build({
    configFile: path.join(projectRoot, "web", "vite.config.ts"),
    logLevel: "warn",
    build: { outDir: context.webRoot, emptyOutDir: true },
  });
  context.server = await startTestServer();
});

test.after(async (context) => {
  await context.server?.close();
  fs.rmSync(context.webRoot, { recursive: true, force: true });
});

test("the build writes every document, keyed by the SHA-256 of its text, each valid against the served schema", async ({
  server,
  webRoot,
}) => {
  assert.ok(fs.existsSync(path.join(webRoot, PERSISTED_DOCUMENTS_FILE)));
  const manifest = readPersistedDocuments(webRoot);
  const admin = server.tokenFor({ role: "telecom_admin", admin_id: TEST_ADMIN_ID });
  const { body } = await server.graphql(getIntrospectionQuery(), {}, admin);
  const schema = buildClientSchema(body.data as unknown as IntrospectionQuery);
  const entries = Object.entries(manifest);
  assert.ok(entries.length >= 50, `only ${entries.length} documents`);
  for (const [id, text] of entries) {
    assert.is(id, createHash("sha256").update(text).digest("hex"));
    assert.equal(
      validate(schema, parse(text)).map((error) => error.message),
      [],
      text,
    );
  }
  // The bench sends the dashboard exactly as the app does.
  const dashboard = persistedDocument(compiled(DashboardQuery).text);
  assert.is(manifest[dashboard.id], dashboard.text);
  // The bundle carries the same ids, so the server can look them up.
  const bundle = fs
    .readdirSync(path.join(webRoot, "assets"))
    .map((file) => fs.readFileSync(path.join(webRoot, "assets", file), "utf8"))
    .join("\n");
  for (const id of Object.keys(manifest)) assert.ok(bundle.includes(id), `${id} is not in the bundle`);
});

test("a graphql() call without a static document fails the build", () => {
  const plugin = persistedDocumentsPlugin();
  const transform = plugin.transform as (this: unknown, code: string, id: string) => { code: string } | null;
  const context = {
    error(message: string): never {
      throw new Error(message);
    },
  };
  const fine = transform.call(context, "const Q = graphql(`query Q($a: Int!) { node(id: $a) { id } }`);", "/app/web/src/x.ts");
  assert.match(fine!.code, /^const Q = \{"id":"[0-9a-f]{64}","text":"query Q/);
  // A document that spreads a fragment carries it (and a fragment alone is no trusted document).
  const withFragment = transform.call(
    context,
    "const Q = graphql(`query Q { servicePlans { nodes { ...PlanOffer } } }`, [PlanOffer]);",
    "/app/web/src/x.ts",
  );
  const document = JSON.parse(withFragment!.code.slice("const Q = ".length, -1)) as { id: string; text: string };
  assert.match(document.text, /\.\.\.PlanOffer\n[\s\S]*\n\nfragment PlanOffer on ServicePlan \{\n  planId\n/);
  assert.is(
    document.text,
    persistedDocument(
      compiled(
        graphql(
          `
            query Q {
              servicePlans {
                nodes {
                  ...PlanOffer
                }
              }
            }
          `,
          [PlanOffer],
        ),
      ).text,
    ).text,
  );
  assert.not.match(
    transform.call(context, "const F = graphql(`fragment F on ServicePlan { planId }`);", "/app/web/src/x.ts")!.code,
    /"id"/,
  );
  for (const code of ["const Q = graphql(`{ ${field} }`);", "const Q = graphql(text);"]) {
    assert.throws(() => transform.call(context, code, "/app/web/src/x.ts"), /without a static document/);
  }
});

test.run();

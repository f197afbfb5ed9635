/**
 * The web app's trusted documents (docs/security.md): the build's manifest lists every document the app
 * sends, keyed by the SHA-256 of its text, and each one is valid against the schema the server
 * serves; a document that is not static fails the build. The network mediation client's documents are
 * in the same manifest, so usage reaches a production server.
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
import { simulateUsage } from "../../src/usage/simulate.ts";
import { getRootPool, ownerUrl } from "../support/database.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { Builder } from "../support/builder.ts";
import { createUsageFixture, HELD, POSTPAID, PREPAID } from "../usage/fixture.ts";
import { AuthenticateNetwork, NETWORK_DOCUMENTS, RecordUsage } from "../../../shared/network-documents.ts";
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
  const admin = server.adminToken();
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
  // The bundle carries the same ids, so the server can look them up (the network's documents are not the app's).
  const network = new Set(NETWORK_DOCUMENTS.map((source) => persistedDocument(compiled(source).text).id));
  const bundle = fs
    .readdirSync(path.join(webRoot, "assets"))
    .map((file) => fs.readFileSync(path.join(webRoot, "assets", file), "utf8"))
    .join("\n");
  for (const id of Object.keys(manifest)) assert.is(bundle.includes(id), !network.has(id), `${id} in the bundle`);
});

test("the network's documents are in the manifest, and usage:simulate reaches a production server with them", async ({ webRoot }) => {
  const manifest = readPersistedDocuments(webRoot);
  assert.is(NETWORK_DOCUMENTS.length, 2);
  for (const source of [AuthenticateNetwork, RecordUsage]) {
    const document = persistedDocument(compiled(source).text);
    assert.is(manifest[document.id], document.text);
  }
  const data = new Builder();
  await createUsageFixture(data);
  const production = await startTestServer({ webRoot, production: true });
  try {
    // A document outside the manifest is still refused to the network.
    const arbitrary = await production.graphql('mutation { authenticateNetwork(input: { clientId: "nobody", secret: "x" }) { jwtToken } }');
    assert.is(arbitrary.body.errors?.[0]?.extensions?.code, "TC501");
    // A trusted document named with an operation it does not have.
    const login = persistedDocument(compiled(AuthenticateNetwork).text);
    const foreign = await fetch(`${production.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ documentId: login.id, operationName: "Foreign", variables: { input: { clientId: "x", secret: "y" } } }),
    });
    assert.equal(await foreign.json(), {
      errors: [{ message: 'The document has no operation named "Foreign".', extensions: { code: "TC514" } }],
    });
    const result = await simulateUsage({
      url: production.url,
      ownerUrl: ownerUrl(),
      rate: 200,
      seconds: 5,
      maxEvents: 20,
      hour: 21,
      seed: 11,
      mobileNos: [PREPAID.mobile_no, POSTPAID.mobile_no, HELD.mobile_no],
    });
    assert.is(result.sent, 20);
    assert.equal(result.errors, {});
    assert.is(result.in_allowance + result.charged + result.refused + result.duplicates, 20);
    const { rows } = await getRootPool().query(
      "select count(*)::int as events from telecom.usage_event where mobile_no = any($1) and network_id = 'simulator'",
      [[PREPAID.mobile_no, POSTPAID.mobile_no, HELD.mobile_no]],
    );
    assert.is(rows[0].events, result.sent - result.duplicates);
  } finally {
    await production.close();
    await data.remove();
    await getRootPool().query("delete from telecom_private.network_credential where client_id = 'usage-simulator'");
  }
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

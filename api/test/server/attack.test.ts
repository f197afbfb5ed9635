/**
 * The server attacked over HTTP as an attacker would, in production mode (docs/security.md): hostile
 * documents from several clients at once are refused with their TC5xx codes before Grafast plans
 * anything, /health keeps answering, one customer cannot take every connection, and the headers,
 * compression and caching hold. Time bounds are loose on purpose (a shared CI machine); the tight
 * figures belong to `npm run bench`.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseTrustProxy } from "../../src/server/app.ts";
import { MAX_ALIASES, MAX_DEPTH, MAX_FIELDS, MAX_TOKENS, PAGE_CAP } from "../../src/server/limits.ts";
import { TRUSTED_DOCUMENTS_FILE } from "../../src/server/trusted-documents.ts";
import { Builder } from "../support/builder.ts";
import { getRootPool } from "../support/database.ts";
import { startTestServer, type GraphQLResponse, type TestServer } from "../support/server.ts";

interface Context {
  server: TestServer;
  webRoot: string;
  plans: number;
}
const test = suite<Context>("attack", {} as Context);
/** Customers who are only in tokens: their requests read the claims and write nothing. */
const CUSTOMERS = await new Builder().manyCustomerIds(4);
const customerToken = (server: TestServer, index: number) => server.tokenFor({ role: "telecom_customer", ...CUSTOMERS[index] });

const PROBES = `
  create function telecom.attack_test_sleep(seconds double precision) returns boolean
    language sql
    volatile
  as $$
    select true from pg_sleep(seconds)
  $$;
  create function telecom.attack_test_numbers(n integer) returns setof integer
    language sql
    stable
  as $$
    select generate_series(1, n)
  $$;
  create function telecom.attack_test_client_address() returns text
    language sql
    stable
  as $$
    select current_setting('telecom.client_address', true)
  $$;
  grant execute on function telecom.attack_test_sleep(double precision) to telecom_anonymous, telecom_customer;
  grant execute on function telecom.attack_test_numbers(integer) to telecom_anonymous, telecom_customer, telecom_admin;
  grant execute on function telecom.attack_test_client_address() to telecom_anonymous, telecom_admin;
`;
const DROP_PROBES = `
  drop function if exists telecom.attack_test_sleep(double precision);
  drop function if exists telecom.attack_test_numbers(integer);
  drop function if exists telecom.attack_test_client_address();
`;

/** The web app's trusted documents, as its build would list them (id → text). */
const TRUSTED = {
  numbers: `query Numbers($n: Int!, $first: Int) {
    attackTestNumbers(n: $n, first: $first) { totalCount nodes pageInfo { hasNextPage hasPreviousPage } }
  }`,
  plans: "query Plans($first: Int, $last: Int) { servicePlans(first: $first, last: $last) { totalCount nodes { planId } } }",
  sleep: "mutation Sleep($seconds: Float!) { attackTestSleep(input: { seconds: $seconds }) { result } }",
  clientAddress: "query ClientAddress { attackTestClientAddress }",
  introspect: "query Introspect { __schema { queryType { name } } }",
};

// The documents of the issue: each is small to send and huge (or endless) to plan.
const fragmentDoubling = (levels: number) =>
  `query Doubling { ...F0 }\n${Array.from({ length: levels }, (_, level) =>
    level < levels - 1
      ? `fragment F${level} on Query { ...F${level + 1} ...F${level + 1} }`
      : `fragment F${level} on Query { servicePlans { totalCount } }`,
  ).join("\n")}`;
const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, index) => `a${index}: servicePlans { totalCount }`).join(" ")} }`;
const nestedRelations = (levels: number) => {
  let selection = "shopId";
  for (let level = 0; level < levels; level++) selection = `vouchers { nodes { shop { ${selection} } } }`;
  return `{ shops { nodes { ${selection} } } }`;
};
const deepTypename = (levels: number) => `{ ${"currentAccount { ".repeat(levels)}__typename${" }".repeat(levels)} }`;
const tooManyTokens = () => `{ ${"a ".repeat(MAX_TOKENS)}}`;
const relationsDocument = "{ shops { nodes { vouchers { nodes { shop { vouchers { totalCount } } } } } } }";

async function post(url: string, body: unknown, token?: string): Promise<GraphQLResponse & { headers: Headers }> {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

const codeOf = (response: GraphQLResponse) => response.body.errors?.[0]?.extensions?.code;

/** A raw GET, to see the bytes and headers as they travel (fetch would decompress). */
function rawGet(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

/** Polls /health every 50 ms while `work` runs; returns the slowest answer (ms) and every status. */
async function healthDuring<T>(url: string, work: () => Promise<T>): Promise<{ result: T; slowestMs: number; statuses: number[] }> {
  let running = true;
  let slowestMs = 0;
  const statuses: number[] = [];
  const poller = (async () => {
    while (running) {
      const started = performance.now();
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(10_000) });
      statuses.push(response.status);
      await response.arrayBuffer();
      slowestMs = Math.max(slowestMs, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    const result = await work();
    return { result, slowestMs, statuses };
  } finally {
    running = false;
    await poller;
  }
}

test.before(async (context) => {
  await getRootPool().query(DROP_PROBES + PROBES);
  context.webRoot = fs.mkdtempSync(path.join(os.tmpdir(), "telecom-attack-"));
  const { webRoot } = context;
  fs.writeFileSync(path.join(webRoot, "index.html"), "<!doctype html><title>Telecom</title><style>body { margin: 0 }</style>");
  fs.mkdirSync(path.join(webRoot, "assets"));
  // Compressible, and large enough to be compressed (over 1 kB).
  fs.writeFileSync(path.join(webRoot, "assets", "index-AbC123.js"), `console.log(${JSON.stringify("telecom ".repeat(2_000))});`);
  fs.mkdirSync(path.join(webRoot, ".vite"));
  fs.writeFileSync(path.join(webRoot, TRUSTED_DOCUMENTS_FILE), JSON.stringify(TRUSTED));
  context.plans = 0;
  context.server = await startTestServer({ webRoot, production: true, onPlanning: () => context.plans++ });
});

test.after(async (context) => {
  await context.server?.close();
  if (context.webRoot) fs.rmSync(context.webRoot, { recursive: true, force: true });
  await getRootPool().query(DROP_PROBES);
});

test("the hostile documents are what they claim: small to send, over the limits", () => {
  assert.ok(fragmentDoubling(20).length < 2_000, "fragment doubling is under 2 kB");
  assert.ok(aliases(1_000).length < 40_000, "1,000 aliases fit in the request size limit");
  assert.ok(MAX_ALIASES < 1_000 && MAX_FIELDS < 2 ** 19 && MAX_DEPTH < 30);
});

test("hostile documents from several clients at once: each refused with its code, nothing planned, /health answers", async (context) => {
  const { server } = context;
  const admin = (id: number) => server.tokenFor({ role: "telecom_admin", admin_id: id });
  const customer = (id: number) => customerToken(server, id - 1);
  // [what, body, token, expected code]: admins may send any document, so their requests meet the bounds.
  const attacks: [string, unknown, string | undefined, string][] = [];
  for (let client = 1; client <= 4; client++) {
    attacks.push(
      ["fragment doubling (admin)", { query: fragmentDoubling(20) }, admin(client), "TC505"],
      ["fragment doubling, renamed (admin)", { query: fragmentDoubling(20 + client) }, admin(client), "TC505"],
      ["1,000 aliases (admin)", { query: aliases(1_000) }, admin(client), "TC504"],
      ["deep nesting (admin)", { query: nestedRelations(15) }, admin(client), "TC503"],
      ["2,000 levels (admin)", { query: deepTypename(2_000) }, admin(client), "TC503"],
      ["too many tokens (admin)", { query: tooManyTokens() }, admin(client), "TC502"],
      ["fragment doubling (visitor)", { query: fragmentDoubling(20) }, undefined, "TC501"],
      ["1,000 aliases (visitor)", { query: aliases(1_000) }, undefined, "TC501"],
      ["nested relations (visitor)", { query: relationsDocument }, undefined, "TC501"],
      ["nested relations (customer)", { query: relationsDocument }, customer(client), "TC501"],
      ["unknown document id (visitor)", { documentId: `not-a-document-${client}` }, undefined, "TC501"],
      ["prototype key as id (visitor)", { documentId: "__proto__" }, undefined, "TC501"],
      ["batch (visitor)", [{ documentId: "clientAddress" }, { documentId: "clientAddress" }], undefined, "TC507"],
      ["batch (admin)", [{ query: "{ __typename }" }, { query: "{ __typename }" }], admin(client), "TC507"],
      ["oversized page (visitor)", { documentId: "numbers", variables: { n: 5, first: 100_000 } }, undefined, "TC506"],
      ["oversized page, last (customer)", { documentId: "plans", variables: { last: PAGE_CAP + 1 } }, customer(client), "TC506"],
      ["introspection (visitor)", { query: "{ __schema { types { name } } }" }, undefined, "TC501"],
      ["introspection in a trusted document (customer)", { documentId: "introspect" }, customer(client), "TC509"],
    );
  }
  const plansBefore = context.plans;
  const { result, slowestMs, statuses } = await healthDuring(server.url, () =>
    Promise.all(
      attacks.map(async ([what, body, token, expected]) => {
        const started = performance.now();
        const response = await post(server.url, body, token);
        return {
          what,
          expected,
          code: codeOf(response),
          status: response.status,
          ms: performance.now() - started,
          message: response.body.errors?.[0]?.message,
        };
      }),
    ),
  );
  for (const { what, expected, code, status, message } of result) {
    assert.is(code, expected, `${what}: ${status} ${message}`);
    // A page refusal is a GraphQL result (HTTP 200 for application/json clients); the others end the request.
    assert.ok(expected === "TC506" ? status === 200 : status >= 400 && status < 500, `${what}: HTTP ${status}`);
    assert.type(message, "string");
    assert.not.match(message!, /internal|stack|grafast|sqlstate/i, what);
  }
  assert.is(context.plans, plansBefore, "no hostile request reached planning");
  // Loose bounds: every refusal comes well within a second even on a busy machine, and /health answered throughout.
  const slowestRefusal = Math.max(...result.map(({ ms }) => ms));
  assert.ok(slowestRefusal < 2_000, `slowest refusal took ${slowestRefusal.toFixed(0)} ms`);
  assert.ok(statuses.length > 0 && statuses.every((status) => status === 200), `health: ${statuses}`);
  assert.ok(slowestMs < 2_000, `slowest /health answer took ${slowestMs.toFixed(0)} ms`);
  // The counter counts: a trusted document is planned.
  const allowed = await post(server.url, { documentId: "numbers", variables: { n: 3 } });
  assert.equal(allowed.body, {
    data: { attackTestNumbers: { totalCount: 3, nodes: [1, 2, 3], pageInfo: { hasNextPage: false, hasPreviousPage: false } } },
  });
  assert.is(context.plans, plansBefore + 1);
});

test("pages: visitors and customers get at most 100 rows with hasNextPage; 100 may be asked; admins are not capped", async ({ server }) => {
  const numbers = (variables: Record<string, unknown>, token?: string) => post(server.url, { documentId: "numbers", variables }, token);
  const unbounded = await numbers({ n: 150 });
  assert.is(unbounded.body.errors, undefined);
  const page = unbounded.body.data!.attackTestNumbers;
  assert.equal([page.totalCount, page.nodes.length, page.nodes.at(-1), page.pageInfo.hasNextPage], [150, PAGE_CAP, PAGE_CAP, true]);
  const asked = (await numbers({ n: 150, first: PAGE_CAP })).body.data!.attackTestNumbers;
  assert.equal([asked.nodes.length, asked.pageInfo.hasNextPage], [PAGE_CAP, true]);
  const small = (await numbers({ n: 150, first: 5 })).body.data!.attackTestNumbers;
  assert.equal(small.nodes, [1, 2, 3, 4, 5]);
  // Backwards: `last` up to the cap, alone (no `first` is added to it).
  const customer = customerToken(server, 0);
  for (const variables of [{ last: PAGE_CAP }, { last: 1, first: null }, {}]) {
    const plans = await post(server.url, { documentId: "plans", variables }, customer);
    assert.is(plans.body.errors, undefined, JSON.stringify(variables));
  }
  const admin = server.adminToken();
  const all = await post(server.url, { query: TRUSTED.numbers, variables: { n: 150 } }, admin);
  assert.is(all.body.data!.attackTestNumbers.nodes.length, 150);
  const literal = await post(server.url, { query: "{ attackTestNumbers(n: 300, first: 250) { nodes } }" }, admin);
  assert.is(literal.body.data!.attackTestNumbers.nodes.length, 250);
});

test("one customer's flood waits or is refused with 429, TC508 and Retry-After; another customer and /health go on", async ({ server }) => {
  const flooder = customerToken(server, 1);
  const other = customerToken(server, 2);
  const sleep = (token: string, seconds: number) => post(server.url, { documentId: "sleep", variables: { seconds } }, token);
  const { result, slowestMs } = await healthDuring(server.url, async () => {
    const flood = Array.from({ length: 30 }, () => sleep(flooder, 0.4));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    const neighbour = await sleep(other, 0.01);
    const neighbourMs = performance.now() - started;
    return { flood: await Promise.all(flood), neighbour, neighbourMs };
  });
  const refused = result.flood.filter(({ status }) => status === 429);
  const served = result.flood.filter(({ status }) => status === 200);
  assert.ok(refused.length >= 10, `${refused.length} of 30 refused`);
  assert.ok(served.length >= 4, `${served.length} of 30 served`);
  assert.is(refused.length + served.length, 30);
  for (const response of refused) {
    assert.is(codeOf(response), "TC508");
    assert.is(response.headers.get("retry-after"), "1");
  }
  assert.equal(result.neighbour.body, { data: { attackTestSleep: { result: true } } });
  assert.ok(result.neighbourMs < 1_500, `the other customer waited ${result.neighbourMs.toFixed(0)} ms`);
  assert.ok(slowestMs < 2_000, `slowest /health answer took ${slowestMs.toFixed(0)} ms`);
});

test("statement timeouts follow the role: a visitor's statement stops at 1 s, a customer's runs on", async ({ server }) => {
  const customer = customerToken(server, 3);
  const [visitor, theirs] = await Promise.all([
    post(server.url, { documentId: "sleep", variables: { seconds: 1.5 } }),
    post(server.url, { documentId: "sleep", variables: { seconds: 1.5 } }, customer),
  ]);
  assert.is(codeOf(visitor), "57014");
  assert.equal(theirs.body, { data: { attackTestSleep: { result: true } } });
});

test("introspection: refused to visitors in production, answered for admins; the Ruru page itself loads", async ({ server }) => {
  const query = "{ __schema { queryType { name } } }";
  assert.is(codeOf(await post(server.url, { query })), "TC501");
  const admin = await post(server.url, { query }, server.adminToken());
  assert.equal(admin.body, { data: { __schema: { queryType: { name: "Query" } } } });
  const page = await fetch(`${server.url}/graphiql`);
  assert.is(page.status, 200);
});

test("security headers: the app's CSP, Ruru's CSP with a nonce on each of its scripts, no framing, nosniff", async ({ server }) => {
  for (const route of ["/", "/account/plans", "/health", "/graphql"]) {
    const { headers } = await rawGet(`${server.url}${route}`);
    const csp = String(headers["content-security-policy"]);
    assert.match(csp, "frame-ancestors 'none'", route);
    assert.match(csp, "default-src 'self'", route);
    assert.match(csp, /script-src 'self'(;|$)/, route);
    assert.not.match(csp, "upgrade-insecure-requests", route);
    assert.not.match(csp, "unsafe-eval", route);
    assert.is(headers["x-frame-options"], "DENY", route);
    assert.is(headers["x-content-type-options"], "nosniff", route);
    assert.is(headers["referrer-policy"], "no-referrer", route);
    assert.is(headers["strict-transport-security"], undefined, route);
    assert.is(headers["x-powered-by"], undefined, route);
  }
  // The inline <style> of index.html is allowed by its hash, nothing else inline.
  const app = await rawGet(`${server.url}/`);
  assert.match(String(app.headers["content-security-policy"]), /style-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
  const ruru = await rawGet(`${server.url}/graphiql`);
  const csp = String(ruru.headers["content-security-policy"]);
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  assert.ok(nonce, csp);
  assert.match(csp, "frame-ancestors 'none'");
  assert.match(csp, "worker-src 'self'");
  const html = ruru.body.toString();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  assert.ok(scripts.length >= 3);
  for (const script of scripts) assert.match(script, `nonce="${nonce}"`);
  const again = await rawGet(`${server.url}/graphiql`);
  assert.is.not(/'nonce-([^']+)'/.exec(String(again.headers["content-security-policy"]))?.[1], nonce, "a new nonce per response");
});

test("compression and caching: brotli or gzip as asked; hashed assets for a year, index.html revalidated; manifests not served", async ({
  server,
}) => {
  const asset = `${server.url}/assets/index-AbC123.js`;
  const plain = await rawGet(asset);
  const brotli = await rawGet(asset, { "accept-encoding": "gzip, deflate, br" });
  const gzip = await rawGet(asset, { "accept-encoding": "gzip" });
  assert.is(brotli.headers["content-encoding"], "br");
  assert.is(gzip.headers["content-encoding"], "gzip");
  assert.equal(zlib.brotliDecompressSync(brotli.body), plain.body);
  assert.equal(zlib.gunzipSync(gzip.body), plain.body);
  assert.ok(brotli.body.length * 10 < plain.body.length, `${brotli.body.length} of ${plain.body.length} bytes`);
  assert.is(plain.headers["cache-control"], "public, max-age=31536000, immutable");
  for (const route of ["/", "/index.html", "/account/plans"])
    assert.is((await rawGet(`${server.url}${route}`)).headers["cache-control"], "no-cache", route);
  // GraphQL answers are compressed too.
  const admin = server.adminToken();
  const graphql = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${admin}`, "accept-encoding": "br" },
    body: JSON.stringify({ query: "{ attackTestNumbers(n: 2000) { nodes } }" }),
  });
  assert.is(graphql.headers.get("content-encoding"), "br");
  assert.is(((await graphql.json()) as { data: { attackTestNumbers: { nodes: number[] } } }).data.attackTestNumbers.nodes.length, 2000);
  assert.is((await rawGet(`${server.url}/${TRUSTED_DOCUMENTS_FILE}`)).status, 404);
});

test("the web app ships a favicon", () => {
  const favicon = fs.readFileSync(path.join(import.meta.dirname, "../../../web/public/favicon.svg"), "utf8");
  assert.match(favicon, /^<svg[\s\S]*<\/svg>\s*$/);
  assert.match(fs.readFileSync(path.join(import.meta.dirname, "../../../web/index.html"), "utf8"), '<link rel="icon" href="/favicon.svg"');
});

test("TRUST_PROXY: req.ip reaches SQL as telecom.client_address, from X-Forwarded-For only behind a trusted proxy", async ({ server }) => {
  assert.equal(["", "false", "true", "2", "loopback, 10.0.0.0/8"].map(parseTrustProxy), [false, false, true, 2, "loopback, 10.0.0.0/8"]);
  const clientAddress = async (target: TestServer, body: unknown, token?: string) => {
    const response = await fetch(`${target.url}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-forwarded-for": "203.0.113.9",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });
    return (await response.json()) as GraphQLResponse["body"];
  };
  const direct = await clientAddress(server, { documentId: "clientAddress" });
  assert.match(direct.data!.attackTestClientAddress, /^(::ffff:)?127\.0\.0\.1$/);
  // Behind a proxy on this machine, and with no manifest at all.
  const behindProxy = await startTestServer({
    production: true,
    trustProxy: "loopback",
    trustedDocumentsFile: path.join(os.tmpdir(), "no-such-manifest.json"),
  });
  try {
    assert.is((await clientAddress(behindProxy, { documentId: "clientAddress" })).errors?.[0]?.extensions?.code, "TC501");
    const admin = behindProxy.adminToken();
    assert.equal(await clientAddress(behindProxy, { query: "{ attackTestClientAddress }" }, admin), {
      data: { attackTestClientAddress: "203.0.113.9" },
    });
  } finally {
    await behindProxy.close();
  }
});

test("development mode: anyone may send documents, the bounds still hold", async () => {
  const server = await startTestServer();
  try {
    assert.is(codeOf(await post(server.url, { query: fragmentDoubling(20) })), "TC505");
    assert.is(codeOf(await post(server.url, { query: aliases(1_000) })), "TC504");
    const introspection = await post(server.url, { query: "{ __schema { queryType { name } } }" });
    assert.equal(introspection.body, { data: { __schema: { queryType: { name: "Query" } } } });
  } finally {
    await server.close();
  }
});

test.run();

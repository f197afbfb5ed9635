/** The document bounds and the concurrency cap on their own: no server, no database. */
import { getIntrospectionQuery, parse } from "postgraphile/graphql";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { DashboardQuery } from "../../../shared/dashboard-query.ts";
import { compiled } from "../../../shared/graphql.ts";
import { ConcurrencyLimiter, budgetKey } from "../../src/server/concurrency.ts";
import { judgeDocument, largestPageAsked, makeDocumentJudge, measureDocument } from "../../src/server/document-bounds.ts";
import { MAX_ALIASES, MAX_DEPTH, MAX_FIELDS, MAX_TOKENS } from "../../src/server/limits.ts";

const test = suite("document bounds");

const doubling = (levels: number) =>
  `{ ...F0 } ${Array.from({ length: levels }, (_, level) =>
    level < levels - 1 ? `fragment F${level} on Query { ...F${level + 1} ...F${level + 1} }` : `fragment F${level} on Query { a }`,
  ).join(" ")}`;

test("fields, aliases and depth are counted through fragments, each fragment where it is used", () => {
  const measure = measureDocument(parse(`query { x: a { b c } ...F ...F } fragment F on Query { d { e { f: g } } ... on Query { h } }`));
  assert.equal(measure, { depth: 3, aliases: 1 + 2, fields: 3 + 2 * 4, introspection: false });
});

test("fragment doubling is measured without being expanded: 60 levels (2^60 fields) in milliseconds", () => {
  const started = performance.now();
  const measure = measureDocument(parse(doubling(60)));
  assert.ok(performance.now() - started < 100);
  assert.is(measure.fields, 2 ** 59);
  assert.equal(judgeDocument(doubling(20)), { refused: "TC505", introspection: false });
});

test("a fragment cycle (refused by validation) does not loop here", () => {
  assert.equal(measureDocument(parse("{ ...A } fragment A on Query { a ...B } fragment B on Query { b ...A }")).fields, 2);
});

test("each limit has its code, just above it", () => {
  const nested = (levels: number) => `{ ${"a { ".repeat(levels - 1)}b${" }".repeat(levels - 1)} }`;
  assert.equal(judgeDocument(nested(MAX_DEPTH)), { introspection: false });
  assert.is(judgeDocument(nested(MAX_DEPTH + 1)).refused, "TC503");
  // Deep enough to overflow a recursive parser or measure: still a plain refusal.
  assert.is(judgeDocument(nested(3_000)).refused, "TC503");
  const aliased = (count: number) => `{ ${Array.from({ length: count }, (_, index) => `a${index}: a`).join(" ")} }`;
  assert.equal(judgeDocument(aliased(MAX_ALIASES)), { introspection: false });
  assert.is(judgeDocument(aliased(MAX_ALIASES + 1)).refused, "TC504");
  const fields = (count: number) => `{ ${"a ".repeat(count)}}`;
  assert.equal(judgeDocument(fields(MAX_FIELDS)), { introspection: false });
  assert.is(judgeDocument(fields(MAX_FIELDS + 1)).refused, "TC505");
  assert.is(judgeDocument(fields(MAX_TOKENS)).refused, "TC502");
});

test("syntax errors are left to grafserv's parse (which reports them as usual)", () => {
  assert.equal(judgeDocument("{ a "), { introspection: false });
});

test("introspection is noticed anywhere, and its trees do not count towards depth", () => {
  assert.equal(judgeDocument(getIntrospectionQuery()), { introspection: true });
  assert.equal(judgeDocument('{ ...F } fragment F on Query { __type(name: "Query") { name } }'), { introspection: true });
  assert.equal(judgeDocument("{ __typename }"), { introspection: false });
});

test("the web app's documents are well within the bounds", () => {
  assert.equal(judgeDocument(compiled(DashboardQuery).text), { introspection: false });
});

test("the judge caches by text, long texts by their hash", () => {
  const judge = makeDocumentJudge(2);
  const long = `{ ${"a ".repeat(400)}}`;
  assert.is(judge(long), judge(long));
  assert.is(judge("{ a }"), judge("{ a }"));
});

test("the largest page asked, from literals and variables, in fragments too", () => {
  const document = parse("query ($n: Int) { a(first: 5) { b(last: $n) } ...F } fragment F on Query { c(first: 30) }");
  assert.is(largestPageAsked(document, {}), 30);
  assert.is(largestPageAsked(document, { n: 1_000 }), 1_000);
  assert.is(largestPageAsked(parse("{ a(offset: 5000) }"), {}), 0);
});

test.run();

const limiter = suite("concurrency cap");

limiter("budgets: a person across numbers, an admin, a visitor's address", () => {
  assert.is(budgetKey({ role: "telecom_customer", mobile_no: "01000000001", national_id: 7 }, "10.0.0.1"), "person:7");
  assert.is(budgetKey({ role: "telecom_customer", mobile_no: "01000000002", national_id: 7 }, "10.0.0.2"), "person:7");
  assert.is(budgetKey({ role: "telecom_admin", admin_id: 3 }, "10.0.0.1"), "admin:3");
  assert.is(budgetKey(null, "10.0.0.1"), "address:10.0.0.1");
});

limiter("over the limit a request waits for a slot, first come first served; beyond the queue it is refused", async () => {
  const cap = new ConcurrencyLimiter({ perKey: 2, perAdmin: 2, queue: 1, maxWaitMs: 1_000 });
  const first = await cap.acquire("k", 2);
  const second = await cap.acquire("k", 2);
  assert.ok(first && second);
  const waiting = cap.acquire("k", 2);
  assert.is(await cap.acquire("k", 2), null, "the queue is full");
  assert.is((await cap.acquire("other", 2)) !== null, true, "another key has its own budget");
  assert.equal(cap.snapshot().k, { running: 2, waiting: 1 });
  first();
  first();
  const third = await waiting;
  assert.ok(third);
  assert.equal(cap.snapshot().k, { running: 2, waiting: 0 });
  second();
  third();
  assert.is(cap.snapshot().k, undefined, "an idle budget is forgotten");
});

limiter("a request that waits too long is refused and leaves the queue", async () => {
  const cap = new ConcurrencyLimiter({ perKey: 1, perAdmin: 1, queue: 4, maxWaitMs: 20 });
  const release = await cap.acquire("k", 1);
  assert.is(await cap.acquire("k", 1), null);
  assert.equal(cap.snapshot().k, { running: 1, waiting: 0 });
  release!();
  assert.equal(cap.snapshot(), {});
});

limiter("without waiting (live sockets), a full budget refuses at once and queues nothing", async () => {
  const cap = new ConcurrencyLimiter({ perKey: 1, perAdmin: 1, queue: 4, maxWaitMs: 60_000 });
  const release = await cap.acquire("k", 1, false);
  assert.ok(release);
  assert.is(await cap.acquire("k", 1, false), null);
  assert.equal(cap.snapshot().k, { running: 1, waiting: 0 });
  release();
  assert.ok(await cap.acquire("k", 1, false), "the slot given back is free again");
});

limiter.run();

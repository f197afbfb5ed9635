/**
 * Every GraphQL example in the README and docs/ is valid against the schema the server really serves (as an
 * admin, who sees every field): the examples are validated, not executed, so nothing is written.
 */
import {
  buildClientSchema,
  getIntrospectionQuery,
  parse,
  type GraphQLSchema,
  validate,
  type IntrospectionQuery,
} from "postgraphile/graphql";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startTestServer, type TestServer } from "../support/server.ts";
import { projectDocsText } from "../support/docs.ts";

const test = suite<{ server: TestServer }>("documentation examples", {} as { server: TestServer });

/** Code blocks marked graphql, and inline code that starts like an operation (`{ …` or `mutation {…`). */
export function graphqlExamples(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1].trim());
  const inline = [...markdown.matchAll(/`((?:mutation |query )?\{ [^`]*\})`/g)].map((match) => match[1]);
  return [...blocks, ...inline];
}

function errorsOf(schema: GraphQLSchema, example: string): string[] {
  try {
    return validate(schema, parse(example)).map((error) => error.message);
  } catch (error) {
    return [(error as Error).message];
  }
}

test.before(async (context) => {
  context.server = await startTestServer();
});

test.after(async (context) => {
  await context.server?.close();
});

test("the extractor finds both kinds of example", () => {
  const markdown = 'text `{ a }` and `mutation { b(input: {x: 1}) { c } }` and `not { graphql` and `{"json":1}`\n```graphql\n{ d }\n```\n';
  assert.equal(graphqlExamples(markdown), ["{ d }", "{ a }", "mutation { b(input: {x: 1}) { c } }"]);
});

test("every GraphQL example in the README and docs/ validates against the served schema", async ({ server }) => {
  const admin = server.adminToken();
  const { status, body } = await server.graphql(getIntrospectionQuery(), {}, admin);
  assert.is(status, 200);
  const schema = buildClientSchema(body.data as unknown as IntrospectionQuery);
  const examples = graphqlExamples(projectDocsText());
  assert.ok(examples.length >= 30, `found only ${examples.length} examples`);
  const invalid = examples.map((example) => ({ example, errors: errorsOf(schema, example) })).filter(({ errors }) => errors.length > 0);
  assert.equal(invalid, []);
});

test.run();

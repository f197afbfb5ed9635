/**
 * The typed GraphQL document function, shared by the web app and the bench.
 *
 * `graphql` is gql.tada's document function, typed against sql/schema.graphql (through the generated
 * `graphql-env.d.ts`): a document's result and variables are inferred from the schema, and
 * `npm run typecheck` (gql-tada check) fails when a document no longer fits it. Each call must be a
 * static template literal: the web build compiles it away into `{ id, text }` and lists it in the
 * persisted-documents manifest (web/persisted-documents.ts), so no GraphQL parser ships to the browser.
 * Outside the build (the bench and the tests under Node) a call returns the bare text.
 */
import type { initGraphQLTada, ResultOf, TadaDocumentNode, VariablesOf } from "gql.tada";
import type { introspection } from "./graphql-env.d.ts";

export type { ResultOf, VariablesOf };

type Tada = typeof initGraphQLTada<{
  introspection: introspection;
  scalars: { BigFloat: string; BigInt: string; Cursor: string; Date: string; Datetime: string; JwtToken: string; UUID: string };
}>;

export const graphql = ((text: string) => ({ text })) as unknown as ReturnType<Tada>;

/** What a document is at run time: its text, and its id once the build has compiled it. */
export interface CompiledDocument {
  id?: string;
  text: string;
}

export const compiled = (document: TadaDocumentNode<any, any>): CompiledDocument => document as unknown as CompiledDocument;

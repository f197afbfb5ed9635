/**
 * The typed GraphQL document function, shared by the web app and the bench.
 *
 * `graphql` is gql.tada's document function, typed against sql/schema.graphql (through the generated
 * `graphql-env.d.ts`): a document's result and variables are inferred from the schema, and
 * `npm run typecheck` (gql-tada check) fails when a document no longer fits it. Each call must be a
 * static template literal: the web build compiles it away into `{ id, text }` and lists it in the
 * persisted-documents manifest (web/persisted-documents.ts), so no GraphQL parser ships to the browser.
 * Outside the build (the bench and the tests under Node) a call returns the bare text.
 *
 * A selection several documents share is a fragment (`graphql(`fragment … on …`)`), spread where it is
 * used and passed along (`graphql(`query … { ...Plan }`, [Plan])`, gql.tada's way, unmasked: the
 * fragment's fields are the query's own). A document's text carries the fragments it spreads
 * (`withFragments`), the same in the build and under Node, so both give it the same id.
 */
import type { initGraphQLTada, ResultOf, TadaDocumentNode, VariablesOf } from "gql.tada";
import type { introspection } from "./graphql-env.d.ts";

export type { ResultOf, VariablesOf };

type Tada = typeof initGraphQLTada<{
  introspection: introspection;
  disableMasking: true;
  scalars: { BigFloat: string; BigInt: string; Cursor: string; Date: string; Datetime: string; JwtToken: string; UUID: string };
}>;

/** A fragment's name in its source (`fragment Plan on ServicePlan …`). */
export const fragmentName = (source: string): string | undefined => /^\s*fragment\s+(\w+)/.exec(source)?.[1];

/** The fragments a source spreads (`...Plan`; not the inline `... on Type`). */
const spreads = (source: string) => [...source.matchAll(/\.\.\.\s*(?!on\b)([A-Za-z_]\w*)/g)].map((match) => match[1]);

/**
 * A document's source followed by the fragments it spreads and theirs, each once, in the order of
 * first use: `fragment` finds a fragment's source by its name.
 */
export function withFragments(source: string, fragment: (name: string) => string | undefined): string {
  const names: string[] = [];
  const visit = (text: string) => {
    for (const name of spreads(text)) {
      if (names.includes(name)) continue;
      const found = fragment(name);
      if (found === undefined) throw new Error(`The fragment ${name} is not defined.`);
      names.push(name);
      visit(found);
    }
  };
  visit(source);
  return [source, ...names.map((name) => fragment(name)!)].join("\n");
}

/** The fragments defined so far under Node, by name (names are unique across the app). */
const fragments = new Map<string, string>();

export const graphql = ((source: string) => {
  const name = fragmentName(source);
  if (name) fragments.set(name, source);
  return { text: withFragments(source, (spread) => fragments.get(spread)) };
}) as unknown as ReturnType<Tada>;

/** What a document is at run time: its text, and its id once the build has compiled it. */
export interface CompiledDocument {
  id?: string;
  text: string;
}

export const compiled = (document: TadaDocumentNode<any, any>): CompiledDocument => document as unknown as CompiledDocument;

/** A connection's rows (PostGraphile types each node as nullable; a null one is skipped). */
export function nodesOf<Node>(connection: { readonly nodes: readonly (Node | null)[] } | null | undefined): Node[] {
  return (connection?.nodes ?? []).filter((node): node is Node => node != null);
}

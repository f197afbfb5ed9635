/**
 * Bounds on a GraphQL document, checked before grafserv validates it and long before Grafast plans
 * it (planning blocks the event loop): tokens (in `parse`), depth, aliases, fields after fragment
 * expansion, introspection, and the page sizes a request asks for.
 *
 * Fragment doubling (`fragment F0 on Query { ...F1 ...F1 }` twenty levels down) expands to a million
 * fields from a few hundred bytes. The measure below never expands it: each fragment is measured once
 * and its figures are reused wherever it is spread, so the work is linear in the document's size.
 */
import crypto from "node:crypto";
import {
  GraphQLError,
  Kind,
  parse,
  Source,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "postgraphile/graphql";
import { MAX_ALIASES, MAX_DEPTH, MAX_FIELDS, MAX_TOKENS, type RefusalCode } from "./limits.ts";

/** What a selection set costs once every fragment in it is expanded. */
export interface Measure {
  /** Levels of fields below (a leaf is 1); introspection trees count 0. */
  depth: number;
  aliases: number;
  fields: number;
  /** Whether it selects `__schema` or `__type` somewhere. */
  introspection: boolean;
}

const EMPTY: Measure = { depth: 0, aliases: 0, fields: 0, introspection: false };

function add(into: Measure, other: Measure, depthOffset = 0): void {
  into.depth = Math.max(into.depth, other.depth + depthOffset);
  into.aliases += other.aliases;
  into.fields += other.fields;
  into.introspection ||= other.introspection;
}

/**
 * The measure of a whole document: depth is the deepest operation, aliases and fields are summed
 * over its operations (only one runs, but all of them are validated).
 */
export function measureDocument(document: DocumentNode): Measure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const measured = new Map<string, Measure>();
  // A fragment that spreads itself (directly or not) is refused by validation; here it counts as empty.
  const inProgress = new Set<string>();

  function fragment(name: string): Measure {
    const known = measured.get(name);
    if (known) return known;
    const definition = fragments.get(name);
    if (!definition || inProgress.has(name)) return EMPTY;
    inProgress.add(name);
    const result = selectionSet(definition.selectionSet);
    inProgress.delete(name);
    measured.set(name, result);
    return result;
  }

  function selectionSet(set: SelectionSetNode): Measure {
    const result: Measure = { ...EMPTY };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const below = selection.selectionSet ? selectionSet(selection.selectionSet) : EMPTY;
        const isIntrospection = name === "__schema" || name === "__type";
        result.fields += 1 + below.fields;
        result.aliases += (selection.alias ? 1 : 0) + below.aliases;
        result.introspection ||= isIntrospection || below.introspection;
        // The schema's own description is bounded by the schema, not by the request: its depth is free.
        if (!isIntrospection) result.depth = Math.max(result.depth, 1 + below.depth);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        add(result, selectionSet(selection.selectionSet));
      } else {
        add(result, fragment(selection.name.value));
      }
    }
    return result;
  }

  const total: Measure = { ...EMPTY };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) add(total, selectionSet(definition.selectionSet));
  }
  return total;
}

/** The verdict on one document text: its refusal, if any, and whether it introspects. */
export interface DocumentVerdict {
  refused?: RefusalCode;
  introspection: boolean;
}

/** Measures a document text against the limits. Syntax errors other than length are left to grafserv's own parse. */
export function judgeDocument(query: string): DocumentVerdict {
  let document: DocumentNode;
  try {
    document = parse(new Source(query), { maxTokens: MAX_TOKENS, noLocation: true });
  } catch (error) {
    // graphql-js says "contains more that N tokens" (sic).
    if (error instanceof GraphQLError && / \d+ tokens\. Parsing aborted/.test(error.message))
      return { refused: "TC502", introspection: false };
    // Nesting deep enough to exhaust the parser's stack.
    if (error instanceof RangeError) return { refused: "TC503", introspection: false };
    return { introspection: false };
  }
  let measure: Measure;
  try {
    measure = measureDocument(document);
  } catch (error) {
    if (error instanceof RangeError) return { refused: "TC503", introspection: false };
    throw error;
  }
  const { depth, aliases, fields, introspection } = measure;
  if (depth > MAX_DEPTH) return { refused: "TC503", introspection };
  if (aliases > MAX_ALIASES) return { refused: "TC504", introspection };
  if (fields > MAX_FIELDS) return { refused: "TC505", introspection };
  return { introspection };
}

/**
 * `judgeDocument` with a cache by document text, as grafserv caches its own parse and validation:
 * the web app sends the same few documents over and over.
 */
export function makeDocumentJudge(size = 500): (query: string) => DocumentVerdict {
  const cache = new Map<string, DocumentVerdict>();
  return (query) => {
    const key = query.length > 500 ? crypto.createHash("sha1").update(query).digest("base64") : query;
    const known = cache.get(key);
    if (known) return known;
    const verdict = judgeDocument(query);
    if (cache.size >= size) cache.delete(cache.keys().next().value!);
    cache.set(key, verdict);
    return verdict;
  };
}

/**
 * The largest `first` or `last` a document asks for, literals and variables alike (every field is
 * looked at, in every fragment; `visit` walks without recursion, so depth cannot overflow it).
 */
export function largestPageAsked(document: DocumentNode, variableValues: Record<string, unknown> | null | undefined): number {
  let largest = 0;
  const valueOf = (node: ValueNode): unknown => {
    if (node.kind === Kind.INT) return Number(node.value);
    if (node.kind === Kind.VARIABLE) return variableValues?.[node.name.value];
    return undefined;
  };
  visit(document, {
    Argument(node) {
      if (node.name.value !== "first" && node.name.value !== "last") return;
      const value = valueOf(node.value);
      if (typeof value === "number" && value > largest) largest = value;
    },
  });
  return largest;
}

/**
 * Money arguments are plain decimals: digits, at most one point and two decimals ("12.50").
 * PostgreSQL 16+ reads `0x10` as 16, `1_0` as 10 and ` 1` as 1 when it parses a `numeric`, and
 * GraphQL's BigFloat turns `[1]` into "1" and `true` into "true", all before any SQL function sees the
 * value; so the API refuses anything else here, with the codes the SQL uses for amounts (`TC104`, not
 * an amount above zero that fits; `TC105`, more than two decimals), before the request is planned.
 *
 * The money arguments are the `amount` arguments of the exposed functions (transfer_to_mobile,
 * initiate_balance_payment, initiate_plan_payment) and the money columns (`numeric(p, 2)`, such as a
 * plan's price or a voucher's value) of the create and update inputs: `MoneyInputPlugin` marks those
 * input fields in the schema, and `moneyRefusal` checks every value a request sends to a marked field,
 * written in the document or passed in a variable (also inside a variable that holds the whole
 * `input`). Other numeric arguments (record_usage's `quantity`, a tariff's 4-decimal unit price, the
 * conditions and filters of lists) are not money and keep BigFloat's rules.
 */
import {
  GraphQLError,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  getNamedType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValueNode,
} from "postgraphile/graphql";

/** The digits a numeric(12,2) holds before the point. */
const MAX_WHOLE_DIGITS = 10;
/** The most characters of a refused value quoted back. */
const QUOTED_CHARACTERS = 20;

declare global {
  namespace GraphileBuild {
    interface ScopeInputObjectFieldsField {
      isMutationInput?: boolean;
      isPgConnectionConditionInputField?: boolean;
    }
  }
}

const MONEY = "telecomMoney";

/** The scale of a `numeric(p, s)` type modifier (PostgreSQL stores ((p << 16) | s) + 4), or null when unconstrained. */
function numericScale(typmod: number | string | null | undefined): number | null {
  const modifier = Number(typmod);
  return Number.isInteger(modifier) && modifier >= 4 ? (modifier - 4) & 0xffff : null;
}

/** Whether an input field is a money argument (marked by MoneyInputPlugin). */
function isMoney(field: GraphQLInputField): boolean {
  return field.extensions?.[MONEY] === true;
}

/** Marks the money arguments in the schema: the functions' `amount`, and the columns of type numeric(p, 2) in create and update inputs. */
export const MoneyInputPlugin: GraphileConfig.Plugin = {
  name: "TelecomMoneyInputPlugin",
  version: "1.0.0",
  gather: {
    hooks: {
      // Once the registry is built (a hook on each attribute as it is made would reorder the schema's
      // fields): each table column's type modifier, from the introspection.
      async pgRegistry_PgRegistry(info, { registry }) {
        const scales = new Map<string, number | null>();
        for (const { introspection } of await info.helpers.pgIntrospection.getIntrospection()) {
          for (const pgClass of introspection.classes) {
            const schemaName = pgClass.getNamespace()?.nspname;
            for (const pgAttribute of pgClass.getAttributes()) {
              if (pgAttribute.getType()?.typname !== "numeric") continue;
              scales.set(`${schemaName}.${pgClass.relname}.${pgAttribute.attname}`, numericScale(pgAttribute.atttypmod));
            }
          }
        }
        const codecs = Object.values(registry.pgCodecs) as {
          attributes?: Record<string, { extensions?: Record<string, unknown> }>;
          extensions?: { pg?: { schemaName?: string; name?: string } };
        }[];
        for (const codec of codecs) {
          const pg = codec.extensions?.pg;
          if (!codec.attributes || !pg) continue;
          for (const [name, attribute] of Object.entries(codec.attributes)) {
            if (scales.get(`${pg.schemaName}.${pg.name}.${name}`) === 2) attribute.extensions = { ...attribute.extensions, [MONEY]: true };
          }
        }
      },
    },
  },
  schema: {
    hooks: {
      GraphQLInputObjectType_fields_field(field, build, context) {
        const { scope } = context;
        if (getNamedType(field.type) !== build.getTypeByName("BigFloat")) return field;
        const functionAmount = scope.isMutationInput && scope.fieldName === "amount";
        const moneyColumn =
          !scope.isPgConnectionConditionInputField &&
          (scope.pgAttribute?.extensions as Record<string, unknown> | undefined)?.[MONEY] === true;
        if (!functionAmount && !moneyColumn) return field;
        return { ...field, extensions: { ...field.extensions, [MONEY]: true } };
      },
    },
  },
};

/** What was sent, quoted and cut to 20 characters. */
function quote(text: string): string {
  return JSON.stringify(text.length > QUOTED_CHARACTERS ? `${text.slice(0, QUOTED_CHARACTERS)}…` : text);
}

function refused(code: "TC104" | "TC105", message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

/** The refusal of one money value as sent (JSON of a variable, or a literal's string), or undefined when it is a plain decimal. */
export function moneyValueRefusal(value: unknown): GraphQLError | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== "string") {
    const what = Array.isArray(value)
      ? "a list"
      : typeof value === "object"
        ? "an object"
        : typeof value === "number"
          ? "a number"
          : String(value);
    return refused("TC104", `The amount must be a plain decimal written as a string, such as "12.50", not ${what}.`);
  }
  const plain = /^([0-9]+)(?:\.([0-9]+))?$/.exec(value);
  if (!plain) {
    return refused(
      "TC104",
      `The amount must be a plain decimal such as 12.50 (digits, at most one point and two decimals), not ${quote(value)}.`,
    );
  }
  const [, whole, decimals = ""] = plain;
  if (whole.replace(/^0+(?=.)/, "").length > MAX_WHOLE_DIGITS) return refused("TC104", `The amount ${quote(value)} is too large.`);
  if (decimals.length > 2) return refused("TC105", `The amount ${quote(value)} has more than two decimals.`);
  return undefined;
}

/** A literal money value: only a string can be a plain decimal (validation refuses the other kinds first). */
function literalRefusal(node: ValueNode): GraphQLError | undefined {
  if (node.kind === Kind.NULL) return undefined;
  if (node.kind === Kind.STRING) return moneyValueRefusal(node.value);
  return moneyValueRefusal(node.kind === Kind.LIST ? [] : node.kind === Kind.BOOLEAN ? node.value : {});
}

/** The refusal of a variable's value sent where `type` is expected: the money fields inside it are checked. */
function valueRefusal(type: GraphQLInputType, value: unknown): GraphQLError | undefined {
  if (value === null || value === undefined) return undefined;
  if (type instanceof GraphQLNonNull) return valueRefusal(type.ofType, value);
  if (type instanceof GraphQLList) {
    for (const item of Array.isArray(value) ? value : [value]) {
      const problem = valueRefusal(type.ofType, item);
      if (problem) return problem;
    }
    return undefined;
  }
  if (!(type instanceof GraphQLInputObjectType) || typeof value !== "object" || Array.isArray(value)) return undefined;
  for (const field of Object.values(type.getFields())) {
    if (!Object.hasOwn(value, field.name)) continue;
    const fieldValue = (value as Record<string, unknown>)[field.name];
    const problem = isMoney(field) ? moneyValueRefusal(fieldValue) : valueRefusal(field.type, fieldValue);
    if (problem) return problem;
  }
  return undefined;
}

/** What a document sends to money fields: refused literals, and the variables to check with the type they are used at. */
interface MoneyUses {
  literal?: GraphQLError;
  variables: { name: string; type: GraphQLInputType; money: boolean }[];
}

const usesByDocument = new WeakMap<DocumentNode, WeakMap<GraphQLSchema, MoneyUses>>();

/** Measured once per document (grafserv reuses the parsed document of the same text) and schema. */
function moneyUses(schema: GraphQLSchema, document: DocumentNode): MoneyUses {
  let bySchema = usesByDocument.get(document);
  const known = bySchema?.get(schema);
  if (known) return known;
  const uses: MoneyUses = { variables: [] };
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      ObjectField(node) {
        const parent = getNamedType(typeInfo.getParentInputType());
        const field = parent instanceof GraphQLInputObjectType ? parent.getFields()[node.name.value] : undefined;
        if (!field || !isMoney(field)) return undefined;
        if (node.value.kind === Kind.VARIABLE) uses.variables.push({ name: node.value.name.value, type: field.type, money: true });
        else uses.literal ??= literalRefusal(node.value);
        return false;
      },
      Variable(node) {
        const type = typeInfo.getInputType();
        if (type) uses.variables.push({ name: node.name.value, type, money: false });
      },
    }),
  );
  if (!bySchema) usesByDocument.set(document, (bySchema = new WeakMap()));
  bySchema.set(schema, uses);
  return uses;
}

/**
 * The first money value of a request that is not a plain decimal, as the error to answer with; or
 * undefined. `variables` are the request's as sent (before GraphQL coerces them).
 */
export function moneyRefusal(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): GraphQLError | undefined {
  const uses = moneyUses(schema, document);
  if (uses.literal) return uses.literal;
  for (const { name, type, money } of uses.variables) {
    const value = variables?.[name];
    if (value === undefined) {
      const definition = operation?.variableDefinitions?.find((candidate) => candidate.variable.name.value === name);
      if (money && definition?.defaultValue) {
        const problem = literalRefusal(definition.defaultValue);
        if (problem) return problem;
      }
      continue;
    }
    const problem = money ? moneyValueRefusal(value) : valueRefusal(type, value);
    if (problem) return problem;
  }
  return undefined;
}

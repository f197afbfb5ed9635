/**
 * The admin reports offer exactly the orders the schema accepts: every sort key of a
 * paged report is an orderBy value of its view, and the view accepts no order the page does not
 * offer (the others are tagged `-orderBy`, having no index). So the admin bench, which times every
 * order a page offers, times every order GraphQL accepts.
 */
import fs from "node:fs";
import path from "node:path";
import { buildSchema, isEnumType, parse, type OperationDefinitionNode, type TypeNode } from "graphql";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { projectRoot } from "../../src/paths.ts";
import { compiled } from "../../../web/src/api/graphql.ts";
import { orderByOf, REPORTS } from "../../../shared/admin-reports.ts";

const schema = buildSchema(fs.readFileSync(path.join(projectRoot, "sql", "schema.graphql"), "utf8"));
const namedType = (type: TypeNode): string => (type.kind === "NamedType" ? type.name.value : namedType(type.type));
/** Orders every connection has: none, or by the key (what a page falls back to). */
const GENERIC = ["NATURAL", "PRIMARY_KEY_ASC", "PRIMARY_KEY_DESC"];

const test = suite("admin report orders");

for (const report of REPORTS.filter((candidate) => candidate.page && !candidate.fields)) {
  test(`${report.key}: the page offers every order its view accepts, and only those`, () => {
    const operation = parse(compiled(report.document).text).definitions[0] as OperationDefinitionNode;
    const orderBy = operation.variableDefinitions?.find((variable) => variable.variable.name.value === "orderBy");
    const offered = (report.paging?.sortKeys ?? []).flatMap((key) => [orderByOf(key, false), orderByOf(key, true)]).sort();
    if (!orderBy) return assert.equal(offered, []);
    const type = schema.getType(namedType(orderBy.type));
    if (!isEnumType(type)) return assert.unreachable(`${namedType(orderBy.type)} is not an enum`);
    const accepted = type
      .getValues()
      .map((value) => value.name)
      .filter((name) => !GENERIC.includes(name))
      .sort();
    assert.equal(offered, accepted);
  });
}

test.run();

/**
 * The ER diagram (docs/data-model.md): drawn again from the test database's catalog, it must equal the
 * committed copies (docs/schema.md and the hash inside docs/schema.svg), and its relations must
 * follow the keys.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as assert from "uvu/assert";
import { entityRelationshipDiagram } from "../../src/db/erd.ts";
import { ERD_FILES, erdDocsDiffer, mermaidOf, schemaMarkdown } from "../../src/db/erd-docs.ts";
import { embeddedSha256, sourceSha256 } from "../../src/db/erd-svg.ts";
import { projectRoot } from "../../src/paths.ts";
import { dbSuite } from "../support/database.ts";

const test = dbSuite("ER diagram");

const REGENERATE = "regenerate them with writeErdDocs (api/src/db/erd-docs.ts) on a database built from the migrations";

const committed = (file: string) => fs.readFileSync(path.join(projectRoot, file), "utf8");

test("docs/schema.md and docs/schema.svg show the catalog's diagram", async ({ db }) => {
  const diagram = await entityRelationshipDiagram(db);
  assert.fixture(mermaidOf(committed(ERD_FILES.markdown)) ?? "", diagram, `${ERD_FILES.markdown} is out of date: ${REGENERATE}`);
  assert.is(embeddedSha256(committed(ERD_FILES.svg)), sourceSha256(diagram), `${ERD_FILES.svg} is out of date: ${REGENERATE}`);
  assert.equal(await erdDocsDiffer(db), []);
});

test("every table of telecom and telecom_private is an entity", async ({ db }) => {
  const diagram = await entityRelationshipDiagram(db);
  const { rows } = await db.query<{ schema: string; name: string }>(
    // A partition (usage_event's months) repeats its parent, which is the entity.
    `select namespace.nspname as schema, class.relname as name
     from pg_catalog.pg_class as class
     inner join pg_catalog.pg_namespace as namespace on namespace.oid = class.relnamespace
     where namespace.nspname in ('telecom', 'telecom_private') and class.relkind in ('r', 'p') and not class.relispartition`,
  );
  assert.ok(rows.length >= 23, `expected the tables of both schemas, got ${rows.length}`);
  for (const { schema, name } of rows) {
    const header = schema === "telecom" ? `\n  ${name} {\n` : `\n  ${schema}__${name}["${schema}.${name}"] {\n`;
    assert.ok(diagram.includes(header), `${schema}.${name} is missing from the diagram`);
  }
});

test('the shop specialisation is two one-to-zero-or-one relations labelled "is a (disjoint)"', async ({ db }) => {
  const relations = (await entityRelationshipDiagram(db)).split("\n").filter((line) => /\s(physical_shop|e_shop) :/.test(line));
  assert.equal(relations, ['  shop ||--o| e_shop : "is a (disjoint)"', '  shop ||--o| physical_shop : "is a (disjoint)"']);
});

test("cardinality follows the foreign key's nullability and uniqueness", async ({ db }) => {
  await db.query(`
    create table telecom.erd_probe (
      probe_id integer primary key,
      plan_id integer not null references telecom.service_plan,
      shop_id integer unique references telecom.shop,
      mobile_no text references telecom.customer_account,
      payment_id integer not null references telecom.payment,
      unique (payment_id, probe_id)
    )`);
  const lines = (await entityRelationshipDiagram(db)).split("\n");
  const relations = lines.filter((line) => line.includes(" erd_probe :"));
  assert.equal(relations, [
    '  customer_account |o--o{ erd_probe : "mobile_no"',
    '  payment ||--o{ erd_probe : "payment_id"',
    '  service_plan ||--o{ erd_probe : "plan_id"',
    '  shop |o--o| erd_probe : "shop_id"',
  ]);
  const entity = lines.slice(lines.indexOf("  erd_probe {"), lines.indexOf("  erd_probe {") + 7);
  assert.equal(entity, [
    "  erd_probe {",
    '    integer probe_id PK "unique (payment_id, probe_id)"',
    "    integer plan_id FK",
    "    integer shop_id FK, UK",
    "    text mobile_no FK",
    '    integer payment_id FK "unique (payment_id, probe_id)"',
    "  }",
  ]);
});

test("a copy that lost a relation, or an SVG drawn from other text, is reported", async ({ db }) => {
  const diagram = await entityRelationshipDiagram(db);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "telecom-erd-"));
  const write = (file: string, text: string) => fs.writeFileSync(path.join(root, file), text);
  try {
    fs.mkdirSync(path.join(root, "docs"));
    write(ERD_FILES.markdown, schemaMarkdown(diagram));
    write(ERD_FILES.svg, `<svg data-source-sha256="${sourceSha256(diagram)}" xmlns="http://www.w3.org/2000/svg"></svg>\n`);
    assert.equal(await erdDocsDiffer(db, root), []);
    const lost = (text: string) => text.replace('  shop ||--o| e_shop : "is a (disjoint)"\n', "");
    write(ERD_FILES.markdown, lost(schemaMarkdown(diagram)));
    assert.equal(await erdDocsDiffer(db, root), [ERD_FILES.markdown]);
    write(ERD_FILES.svg, `<svg data-source-sha256="${sourceSha256(lost(diagram))}" xmlns="http://www.w3.org/2000/svg"></svg>\n`);
    assert.equal(await erdDocsDiffer(db, root), [ERD_FILES.markdown, ERD_FILES.svg]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test.run();

/**
 * The registry of error codes (`telecom_private.error_code`, written in
 * migrations/fixtures/errors/error_code.sql) as the documents generated from it: docs/error-codes.md
 * for people, and shared/error-codes.ts, the union of codes that the web app's words and fields are
 * typed by. The schema documentation builds both with the schema dump (schema-docs.ts), so a code
 * added to the registry reaches them with `db:watch`, `db:commit` or `db:reset`, and a test fails when
 * the committed copies are stale.
 */
import pg from "pg";

export const ERROR_CODES_MARKDOWN = "docs/error-codes.md";
export const ERROR_CODES_TYPESCRIPT = "shared/error-codes.ts";

export interface RegisteredCode {
  code: string;
  area: string;
  meaning: string;
}

export async function registeredCodes(client: pg.ClientBase): Promise<RegisteredCode[]> {
  const { rows } = await client.query<RegisteredCode>("select code, area, meaning from telecom_private.error_code order by code");
  return rows;
}

const GENERATED =
  "Generated from telecom_private.error_code (migrations/fixtures/errors/error_code.sql) by api/src/db/error-codes.ts; do not edit.";

export function errorCodesMarkdown(codes: RegisteredCode[]): string {
  const lines = [
    "# Error codes",
    "",
    `<!-- ${GENERATED} -->`,
    "",
    "Look up the code a client received in `errors[].extensions.code` (psql prints it as the SQLSTATE).",
    "Every refusal of the database is `raise exception '<message>' using errcode = '<code>'`, with a message",
    "written for the person who sees it; the API server's own refusals (TC5xx) carry a code the same way.",
    "To add a code, write it in `migrations/fixtures/errors/error_code.sql` (in its area's hundreds) and",
    "include that file in the current migration: `npm test` fails while a code is raised but not registered,",
    "or registered but raised nowhere.",
    "",
    "Besides the project's codes, clients meet PostgreSQL's `42501` (not allowed: another person's number",
    "or data, or an operation the role may not use) and, for a value of the wrong type, `22P02`.",
  ];
  let area: string | undefined;
  for (const { code, area: codeArea, meaning } of codes) {
    if (codeArea !== area) {
      area = codeArea;
      lines.push("", `## ${area[0].toUpperCase()}${area.slice(1)} (${code.slice(0, 3)}xx)`, "", "| code | meaning |", "|---|---|");
    }
    lines.push(`| \`${code}\` | ${meaning} |`);
  }
  return `${lines.join("\n")}\n`;
}

export function errorCodesTypescript(codes: RegisteredCode[]): string {
  return [
    `/** ${GENERATED} */`,
    "",
    "/** Every project error code, as the database and the API server raise them (docs/error-codes.md). */",
    "export const ERROR_CODES = [",
    ...codes.map(({ code }) => `  "${code}",`),
    "] as const;",
    "",
    "export type ErrorCode = (typeof ERROR_CODES)[number];",
    "",
  ].join("\n");
}

/**
 * Every message the customer app shows has its Arabic translation, and every translation still has its
 * message: the messages are read from the source (`msg(...)` calls) as @lit/localize keys them.
 * The admin pages speak English only (the operator's staff); they are not part of this check.
 */
import fs from "node:fs";
import path from "node:path";
import * as assert from "uvu/assert";
import { suite } from "uvu";
import { projectRoot } from "../../src/paths.ts";
import { TRANSLATIONS } from "../../../web/src/locales/ar.ts";
import { sourceMessages } from "../../../web/src/locales/messages.ts";

const test = suite("Arabic translations of the customer app");

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === "admin" || entry.name === "locales" ? [] : sourceFiles(file);
    return file.endsWith(".ts") ? [file] : [];
  });
}

test("each message has a translation with the same expressions, and each translation a message", () => {
  const messages = new Set(
    sourceFiles(path.join(projectRoot, "web", "src")).flatMap((file) => sourceMessages(fs.readFileSync(file, "utf8"))),
  );
  const translated = new Map(TRANSLATIONS);
  assert.equal(
    [...messages].filter((message) => !translated.has(message)),
    [],
    "messages without an Arabic translation",
  );
  assert.equal(
    [...translated.keys()].filter((message) => !messages.has(message)),
    [],
    "translations of messages the app no longer has",
  );
  for (const [english, arabic] of TRANSLATIONS) {
    const expressions = (text: string) => (text.match(/\{\d+\}/g) ?? []).sort();
    assert.equal(expressions(arabic), expressions(english), `the expressions of "${english}"`);
  }
});

test.run();

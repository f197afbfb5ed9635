/**
 * Every message the customer app shows has its Arabic translation, and every translation still has its
 * message: the messages are extracted from the source by @lit/localize's own tools (the program
 * analysis of `lit-localize extract`), with the ids it gives them, and matched with the ids of the
 * translations (web/src/locales/ar.ts). The admin pages speak English only (the operator's staff);
 * they are not part of this check.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { RuntimeLitLocalizer } from "@lit/localize-tools/lib/modes/runtime.js";
import type { Locale } from "@lit/localize-tools/lib/types/locale.js";
import * as assert from "uvu/assert";
import { suite } from "uvu";
import { projectRoot } from "../../src/paths.ts";
import { messageId, templates, TRANSLATIONS } from "../../../web/src/locales/ar.ts";

const test = suite("Arabic translations of the customer app");

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === "admin" || entry.name === "locales" ? [] : sourceFiles(file);
    return file.endsWith(".ts") ? [file] : [];
  });
}

/** The customer app's messages, by @lit/localize's id, each as its English text with `{0}`, `{1}`… for its expressions. */
function sourceMessages(): Map<string, string> {
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), "telecom-localize-"));
  try {
    const localizer = new RuntimeLitLocalizer({
      baseDir: projectRoot,
      resolve: (file) => path.resolve(projectRoot, file),
      sourceLocale: "en" as Locale,
      targetLocales: ["ar" as Locale],
      inputFiles: sourceFiles(path.join(projectRoot, "web", "src")),
      interchange: { format: "xliff", xliffDir: outputDir },
      output: { mode: "runtime", outputDir },
    });
    const { messages, errors } = localizer.extractSourceMessages();
    assert.equal(errors.map(String), [], "messages @lit/localize cannot extract");
    return new Map(
      messages.map((message) => {
        let expression = 0;
        const text = message.contents.map((part) => (typeof part === "string" ? part : `{${expression++}}`)).join("");
        return [message.name, text];
      }),
    );
  } finally {
    fs.rmSync(outputDir, { recursive: true, force: true });
  }
}

test("each message has a translation with the same expressions, and each translation a message", () => {
  const messages = sourceMessages();
  assert.ok(messages.size >= 300, `only ${messages.size} messages extracted`);
  assert.equal(
    [...messages].filter(([id]) => !(id in templates)).map(([, text]) => text),
    [],
    "messages without an Arabic translation",
  );
  assert.equal(
    TRANSLATIONS.filter(([english]) => !messages.has(messageId(english))).map(([english]) => english),
    [],
    "translations of messages the app no longer has",
  );
  for (const [english, arabic] of TRANSLATIONS) {
    const expressions = (text: string) => (text.match(/\{\d+\}/g) ?? []).sort();
    assert.equal(expressions(arabic), expressions(english), `the expressions of "${english}"`);
  }
});

test.run();

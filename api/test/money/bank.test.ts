import { suite } from "uvu";
import * as assert from "uvu/assert";
import { formatResult, runBank } from "./bank.ts";

const test = suite("money: the bank test, short form");

test("4 clients for 8 s with a SIGKILL of the server midway, card payments settled through the webhook: no money created, lost or moved twice", async () => {
  const result = await runBank({ clients: 4, seconds: 8, customers: 200, crash: true });
  console.log(formatResult(result));
  assert.equal(result.violations, []);
  for (const [kind, n] of Object.entries(result.applied)) assert.ok(n > 0, `no ${kind} was applied`);
  assert.ok(result.duplicatesReplayed > 0, "no duplicate was sent");
  assert.ok(result.invariantChecks > 0, "the invariants were never checked during the run");
  assert.ok(result.crash && result.crash.appliedAfterRestart > 0, "nothing was applied after the restart");
  // Card payments were settled through the webhook: approved, declined, twice, never, late (refused, 409).
  for (const [fate, n] of Object.entries(result.cards)) assert.ok(n > 0, `no card payment was ${fate}`);
  assert.ok((result.webhookAnswers["200"] ?? 0) > 0, "no report was applied");
  assert.ok((result.webhookAnswers["409"] ?? 0) > 0, "no late report was refused");
  assert.ok(result.benefitsEnded > 0, "no benefit was ended during the run");
});

test.run();

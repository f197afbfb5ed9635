/**
 * The maintenance tick's two small rules on the Node side (server/maintenance.ts, docs/operations.md):
 * MAINTENANCE turns the server's own tick on or off and refuses anything else, and a tick's result
 * reads as one line.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { describeTick, serverRunsMaintenance } from "../../src/server/maintenance.ts";

const test = suite("maintenance: the setting and the line");

test("MAINTENANCE: unset, empty or on runs the server's tick; off runs none; anything else is refused", () => {
  assert.equal(
    [undefined, "", "on", " on ", "off"].map((value) => serverRunsMaintenance(value)),
    [true, true, true, true, false],
  );
  for (const value of ["of", "OFF", "false", "0"]) {
    assert.throws(() => serverRunsMaintenance(value), new RegExp(`^MAINTENANCE=${value} is neither on nor off\\.$`));
  }
});

test("a tick's result in one line: the jobs that did something, nothing to do, or skipped", () => {
  assert.equal(
    describeTick({ stale_payments_rejected: 2, admin_figures_refreshed: 0, usage_partitions: ["created usage_event_p2027_01"] }),
    {
      line: "Maintenance: stale_payments_rejected 2, usage_partitions created usage_event_p2027_01",
      worked: true,
    },
  );
  assert.equal(describeTick({ stale_payments_rejected: 0, usage_partitions: [] }), { line: "Maintenance: nothing to do.", worked: false });
  assert.equal(describeTick({ skipped: true }), { line: "Maintenance: skipped, another tick was running.", worked: false });
});

test.run();

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runThroughputSweep } from "./throughput.js";

const dir = mkdtempSync(join(tmpdir(), "tob-bench-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("bench throughput", () => {
  it("counts what the server counts: autocannon's 2xx writes against the leader's applied entries", async () => {
    const [result] = await runThroughputSweep(
      {
        clusters: ["raft"],
        nodeCounts: [3],
        ops: ["put"],
        connections: [8],
        payloadBytes: [100],
        pipelining: [1],
        knobs: [{ label: "default", args: [] }],
        durationSec: 1.5,
        trials: 1,
      },
      dir,
      () => {},
    );
    const trial = result!.trials[0]!;
    const applied = result!.serverAppliedDelta[0]!;
    expect(trial.okCount).toBeGreaterThan(0);
    expect(trial.non2xxCount + trial.errorCount).toBe(0);
    // Every acknowledged put is one applied entry. The leader may apply a few more:
    // requests in flight when the load stopped (at most one per connection).
    expect(applied).toBeGreaterThanOrEqual(trial.okCount);
    expect(applied).toBeLessThanOrEqual(trial.okCount + 8);
  });
});

/**
 * Must-reject end to end: every checker catches a bug planted in our cluster
 * (clusters/raft/node/bugs.ts) in the default run of its workload, that is
 * with no fault flags (the bug's default faults), only shorter. Seeds are
 * random: a default run must catch its bug on any seed, and a failure names
 * the seed that missed (`tob run --seed N` repeats it).
 */
import { afterAll, describe, expect, it } from "vitest";
import { latestResults, processesMentioning, randomSeed, removeOutputs, tobRun } from "./support.js";

/** Long enough for a few faults of each default plan; the machine may be loaded. */
const SHORT = ["--time", "8", "--recovery", "1"];

describe("planted bugs, each caught by its workload's default run", () => {
  afterAll(removeOutputs);

  for (const [bug, workload, checker, anomaly] of [
    ["reorder-delivery", "broadcast", "total-order", "total-order"],
    ["lost-broadcast", "broadcast", "total-order", "no-loss"],
    ["split-txn", "list-append", "elle-list-append", null],
    ["unfenced-lock", "lock", "linearizability(fencing)", null],
    ["duplicate-claim", "unique", "uniqueness", null],
  ] as const) {
    it(`--bug ${bug}: ${workload} is judged invalid by ${checker}, exit 1`, async () => {
      const seed = randomSeed();
      const r = await tobRun(["--workload", workload, "--bug", bug, ...SHORT, "--seed", seed]);
      const why = `seed ${seed} missed --bug ${bug}\n${r.stdout}\n${r.stderr}`;
      expect(r.stdout, why).toContain("verdict: INVALID");
      expect(r.exitCode, why).toBe(1);
      const result = latestResults(r.out).results[checker] as { valid: unknown; failed?: string[] };
      expect(result?.valid, why).toBe(false);
      if (anomaly) expect(result.failed, why).toContain(anomaly);
      expect(await processesMentioning(r.out)).toEqual([]);
    });
  }
});

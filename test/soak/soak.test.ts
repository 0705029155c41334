/**
 * Soaks: what `npm test` does briefly, for longer. Each run is bounded by
 * TOB_SOAK_SECONDS (default 120 per run) and TOB_SOAK_SIM_RUNS (default 200
 * seeds); CI may run it short, e.g. TOB_SOAK_SECONDS=20 TOB_SOAK_SIM_RUNS=200.
 */
import { describe, expect, it } from "vitest";
import { runSimulation } from "../../clusters/raft/sim/simulation.js";
import { latestResults, processesMentioning, tobRun } from "../run/support.js";

const seconds = Number(process.env.TOB_SOAK_SECONDS ?? 120);
const simRuns = Number(process.env.TOB_SOAK_SIM_RUNS ?? 200);
const timeoutMs = (seconds + 120) * 1000;

describe("soak", () => {
  it(`simulator: ${simRuns} seeds with crashes, torn writes, corrupt sectors, partitions, loss and duplication stay safe and converge`, async () => {
    const unsafe: string[] = [];
    let stuck = 0;
    for (let seed = 1; seed <= simRuns; seed++) {
      const s = await runSimulation({ seed, nodes: 5, steps: 4000 });
      if (s.violationCount > 0) unsafe.push(`seed ${seed}: ${s.violations[0]}`);
      if (!s.converged) stuck++;
    }
    expect(unsafe, `replay with: npx tob sim --seed N --steps 4000`).toEqual([]);
    // "Did not finish" is not "wrong", but more than a few percent means recovery regressed.
    expect(stuck).toBeLessThanOrEqual(Math.ceil(simRuns * 0.02));
  });

  const runs: [string, string][] = [
    ["register", "kill,pause,partition"],
    ["broadcast", "kill,partition-leader"],
    ["list-append", "pause,partition"],
    ["lock", "kill,partition"],
    // Nodes leave and rejoin empty: every rejoin replays the log or a snapshot.
    ["register", "kill,membership"],
  ];
  for (const [workload, nemesis] of runs) {
    it(
      `${workload} under ${nemesis} for ${seconds}s is valid and leaves nothing behind`,
      async () => {
        const r = await tobRun(["--workload", workload, "--nemesis", nemesis, "--time", String(seconds)], undefined, timeoutMs);
        expect(r.stdout + r.stderr).toContain("verdict: VALID");
        expect(r.exitCode).toBe(0);
        expect(latestResults(r.out).valid).toBe(true);
        expect(await processesMentioning(r.out)).toEqual([]);
      },
      timeoutMs,
    );
  }
});

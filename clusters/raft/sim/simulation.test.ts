import { describe, expect, it } from "vitest";
import { type SimulationInput, Simulation, runSimulation } from "./simulation.js";

/** A whole number from the environment, or the default; anything else is a usage error, not a vacuous pass. */
function envCount(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number >= 1, got "${raw}"`);
  return n;
}

/** Schedules per run of this file; TOB_SIM_RUNS=5000 for a longer hunt. */
const RUNS = envCount("TOB_SIM_RUNS", 300);
/** First seed, so a hunt can continue where another stopped (TOB_SIM_SEED). */
const SEED_FIRST = envCount("TOB_SIM_SEED", 1);

/** The schedule for one seed: cluster size and fault mix vary with it. */
function scheduleFor(seed: number): SimulationInput {
  const mix = seed % 4;
  return {
    seed,
    nodes: [3, 5, 4, 5][mix] as number,
    ops: 500,
    // Small batches and windows drive the backtracking and probing paths harder.
    raft: {
      maxEntriesPerMsg: [16, 1, 4, 64][mix] as number,
      maxInflightMsgs: [8, 4, 64, 1][mix] as number,
    },
    faults: {
      dropRate: [0.05, 0.15, 0.02, 0.1][mix] as number,
      duplicateRate: [0.02, 0.05, 0.1, 0.02][mix] as number,
      delayTicksMax: [3, 6, 10, 4][mix] as number,
      crashRate: [0.01, 0.02, 0.03, 0.05][mix] as number,
      downTicksMax: 40,
      partitionRate: [0.02, 0.01, 0.03, 0.02][mix] as number,
      partitionTicksMax: 60,
      diskDelayTicksMax: [0, 2, 5, 1][mix] as number,
      wipeRate: 0,
    },
  };
}

describe("simulation property: Raft safety under seeded faults", () => {
  it(
    `holds after every step of ${RUNS} random schedules, and each healed cluster converges`,
    () => {
      const failures: string[] = [];
      for (let seed = SEED_FIRST; seed < SEED_FIRST + RUNS; seed++) {
        const s = runSimulation(scheduleFor(seed));
        const replay = `replay: TOB_SIM_SEED=${seed} TOB_SIM_RUNS=1 npx vitest run clusters/raft/sim/simulation.test.ts`;
        if (s.violationCount > 0) failures.push(`seed ${seed}: ${s.violations.join("; ")} (${replay})`);
        else if (!s.converged) failures.push(`seed ${seed}: did not converge after healing (${replay})`);
      }
      expect(failures).toEqual([]);
    },
    Math.max(60_000, RUNS * 100),
  );

  it("exercises the cluster: leaders change, nodes crash, entries commit, reads answer", () => {
    const runs = [...Array(20).keys()].map((i) => runSimulation(scheduleFor(i + 1)));
    const total = (f: (s: (typeof runs)[number]) => number) => runs.reduce((sum, s) => sum + f(s), 0);
    expect(total((s) => s.committed)).toBeGreaterThan(20 * 100);
    expect(total((s) => s.elections)).toBeGreaterThan(20 * 2);
    expect(total((s) => s.faults.crashes)).toBeGreaterThan(20 * 2);
    expect(total((s) => s.faults.partitions)).toBeGreaterThan(20 * 2);
    expect(total((s) => s.reads.ok)).toBeGreaterThan(20 * 20);
    expect(total((s) => s.faults.duplicated)).toBeGreaterThan(20 * 10);
  });

  it("finds violations when restarts may wipe a disk (the property test can fail)", () => {
    const broken: number[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const schedule = scheduleFor(seed);
      const s = runSimulation({ ...schedule, faults: { ...schedule.faults, wipeRate: 0.5, crashRate: 0.05 } });
      if (s.violationCount > 0) broken.push(seed);
    }
    expect(broken.length).toBeGreaterThan(5);
  });

  it("replays a seed exactly", () => {
    const a = runSimulation(scheduleFor(7));
    const b = runSimulation(scheduleFor(7));
    expect(b).toEqual(a);
    expect(runSimulation(scheduleFor(8))).not.toEqual(a);
  });

  it("runs step by step and reports a summary", () => {
    const sim = new Simulation({ seed: 3, nodes: 3, ops: 100 });
    sim.run(50);
    expect(sim.steps).toBe(50);
    expect(sim.ok()).toBe(true);
    const s = sim.runToEnd();
    expect(s).toMatchObject({ seed: 3, nodes: 3, converged: true, violations: [] });
    expect(s.proposals.accepted).toBeGreaterThan(0);
    expect(s.reads.ok).toBeGreaterThan(0);
  });

  it("rejects a cluster without nodes", () => {
    expect(() => new Simulation({ seed: 1, nodes: 0 })).toThrow(/nodes must be a positive integer/);
  });
});

import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { distPath } from "../../../src/paths.js";
import { builtCliPart, describeWith } from "../../../test/support/real.js";
import { DEFAULT_FAULTS, type FaultOptions } from "./faults.js";
import { formatSchedule, generateSchedule, parseSchedule } from "./schedule.js";
import { replayCommand, shrinkFailure } from "./shrink.js";
import { type SimulationInput, Simulation, runSimulation } from "./simulation.js";

/** A whole number from the environment, or the default; anything else is a usage error, not a vacuous pass. */
function envCount(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number >= 1, got "${raw}"`);
  return n;
}

/** Seeds per run of this file (about half a second each); TOB_SIM_RUNS=2000 for a longer hunt. */
const RUNS = envCount("TOB_SIM_RUNS", 120);
/** First seed, so a hunt can continue where another stopped (TOB_SIM_SEED). */
const SEED_FIRST = envCount("TOB_SIM_SEED", 1);
const STEPS = 800;

/** The faults for one seed: cluster size and fault mix vary with it; every mix tears writes and corrupts sectors. */
function inputFor(seed: number): SimulationInput {
  const mix = seed % 4;
  const faults: Partial<FaultOptions> = {
    dropRate: [0.05, 0.15, 0.02, 0.1][mix] as number,
    duplicateRate: [0.02, 0.05, 0.1, 0.02][mix] as number,
    delayTicksMax: [3, 6, 10, 4][mix] as number,
    crashRate: [0.01, 0.02, 0.03, 0.02][mix] as number,
    tornShare: [0.5, 0.7, 0.3, 0.5][mix] as number,
    corruptRate: [0.002, 0.004, 0.002, 0.003][mix] as number,
    partitionRate: [0.02, 0.01, 0.03, 0.02][mix] as number,
    rejoinRate: [0.004, 0.006, 0.003, 0.005][mix] as number,
    diskDelayTicksMax: [0, 2, 5, 1][mix] as number,
  };
  return {
    seed,
    nodes: [3, 5, 4, 5][mix] as number,
    steps: STEPS,
    faults,
    // Small batches and windows drive the backtracking and probing paths harder.
    node: { maxEntriesPerMsg: [16, 1, 4, 64][mix] as number, maxInflightMsgs: [8, 4, 64, 1][mix] as number },
  };
}

describe("the simulator runs the real node under disk and network faults", () => {
  it(
    `holds every invariant on ${RUNS} seeds with torn writes and corrupt sectors, and each healed cluster converges`,
    async () => {
      const failures: string[] = [];
      const totals = {
        crashes: 0,
        powercuts: 0,
        corruptions: 0,
        refused: 0,
        ok: 0,
        fail: 0,
        info: 0,
        reads: 0,
        committed: 0,
        removed: 0,
        added: 0,
        changesRefused: 0,
        retries: 0,
      };
      for (let seed = SEED_FIRST; seed < SEED_FIRST + RUNS; seed++) {
        const s = await runSimulation(inputFor(seed));
        const replay = `replay: TOB_SIM_SEED=${seed} TOB_SIM_RUNS=1 npx vitest run clusters/raft/sim/simulation.test.ts`;
        if (s.violationCount > 0) failures.push(`seed ${seed}: ${s.violations.join("; ")} (${replay})`);
        else if (!s.converged) failures.push(`seed ${seed}: did not converge after healing (${replay})`);
        totals.crashes += s.faults.crashes;
        totals.powercuts += s.faults.powercuts;
        totals.corruptions += s.faults.corruptions;
        totals.refused += s.faults.refusedToStart;
        totals.ok += s.clients.writes.ok;
        totals.fail += s.clients.writes.fail;
        totals.info += s.clients.writes.info;
        totals.reads += s.clients.reads.ok;
        totals.committed += s.committed;
        totals.removed += s.faults.removed;
        totals.added += s.faults.added;
        totals.changesRefused += s.faults.changesRefused;
        totals.retries += s.clients.retries;
      }
      console.log(`simulation totals over ${RUNS} seeds: ${JSON.stringify(totals)}`);
      expect(failures).toEqual([]);
      // The faults happened and the clients saw every kind of answer: the property was not vacuous.
      if (RUNS >= 20) {
        expect(totals.powercuts).toBeGreaterThan(RUNS / 2);
        expect(totals.crashes).toBeGreaterThan(RUNS * 2);
        expect(totals.corruptions).toBeGreaterThan(RUNS / 4);
        expect(totals.refused).toBeGreaterThan(0);
        expect(totals.ok).toBeGreaterThan(RUNS * 50);
        expect(totals.fail).toBeGreaterThan(RUNS);
        expect(totals.info).toBeGreaterThan(0);
        expect(totals.reads).toBeGreaterThan(RUNS * 10);
        // Voters were removed, wiped and added back (every removal is added back before convergence), and some changes refused.
        expect(totals.removed).toBeGreaterThan(RUNS);
        expect(totals.added).toBe(totals.removed);
        expect(totals.changesRefused).toBeGreaterThan(0);
        expect(totals.retries).toBeGreaterThan(RUNS);
      }
    },
    Math.max(180_000, RUNS * 1000),
  );

  it("catches a planted bug (ack-before-quorum), shrinks its schedule and prints a replay command that fails the same way", async () => {
    const bugs = ["ack-before-quorum" as const];
    let failing: { seed: number; input: SimulationInput } | null = null;
    for (let seed = 1; seed <= 10 && failing === null; seed++) {
      const input = { ...inputFor(seed), bugs };
      if ((await runSimulation(input)).violationCount > 0) failing = { seed, input };
    }
    expect(failing, "no seed in 1..10 caught ack-before-quorum").not.toBeNull();
    const { seed, input } = failing!;
    const schedule = generateSchedule(seed, input.nodes!, input.steps!, { ...DEFAULT_FAULTS, ...input.faults });
    const shrunk = await shrinkFailure({ ...input, schedule }, 60);
    expect(shrunk.summary.violationCount).toBeGreaterThan(0);
    expect(shrunk.schedule.steps * 1000 + shrunk.schedule.events.length).toBeLessThan(schedule.steps * 1000 + schedule.events.length);
    const replay = replayCommand(seed, shrunk.schedule, bugs);
    console.log(`ack-before-quorum caught at seed ${seed}: ${shrunk.summary.violations[0]}\n  ${replay}`);
    expect(replay).toContain(`--seed ${seed} --bug ack-before-quorum --schedule '`);
    // The printed schedule replays the shrunk failure exactly.
    const printed = parseSchedule(replay.slice(replay.indexOf("'") + 1, -1));
    expect(await runSimulation({ ...input, schedule: printed })).toEqual(shrunk.summary);
  }, 180_000);

  it("catches a client that retries under a new sequence number: a write applied twice; the shrunk schedule still fails", async () => {
    const bugs = ["retry-new-seq" as const];
    let failing: { seed: number; input: SimulationInput; violations: string[] } | null = null;
    for (let seed = 1; seed <= 20 && failing === null; seed++) {
      const input = { ...inputFor(seed), bugs };
      const s = await runSimulation(input);
      if (s.violationCount > 0) failing = { seed, input, violations: s.violations };
    }
    expect(failing, "no seed in 1..20 caught retry-new-seq").not.toBeNull();
    const { seed, input, violations } = failing!;
    expect(violations[0]).toMatch(/write applied 2 times: n\d holds k\d+=\[(\d+),\1\] \(session retry not deduplicated\)/);
    // Without the bug, the same seed's retries are deduplicated.
    expect(await runSimulation(inputFor(seed))).toMatchObject({ violations: [], converged: true });
    const schedule = generateSchedule(seed, input.nodes!, input.steps!, { ...DEFAULT_FAULTS, ...input.faults });
    const shrunk = await shrinkFailure({ ...input, schedule }, 30);
    expect(shrunk.summary.violations[0]).toContain("session retry not deduplicated");
  }, 180_000);

  it("catches a voter wiped and restarted without being removed, and shrinks a schedule of rejoin events", async () => {
    const bugs = ["rejoin-without-remove" as const];
    const faults = { rejoinRate: 0.03 };
    let failing: { seed: number; input: SimulationInput } | null = null;
    for (let seed = 1; seed <= 20 && failing === null; seed++) {
      const input = { ...inputFor(seed), faults: { ...inputFor(seed).faults, ...faults }, bugs };
      if ((await runSimulation(input)).violationCount > 0) failing = { seed, input };
    }
    expect(failing, "no seed in 1..20 caught rejoin-without-remove").not.toBeNull();
    const { seed, input } = failing!;
    // The same rejoins done right (removed through the leader, added back empty) hold every invariant.
    const done = await runSimulation({ ...input, bugs: [] });
    expect(done).toMatchObject({ violations: [], converged: true });
    expect(done.faults.added).toBeGreaterThan(0);
    const schedule = generateSchedule(seed, input.nodes!, input.steps!, { ...DEFAULT_FAULTS, ...input.faults });
    const shrunk = await shrinkFailure({ ...input, schedule }, 40);
    expect(shrunk.summary.violationCount).toBeGreaterThan(0);
    expect(shrunk.schedule.events.length).toBeLessThan(schedule.events.length);
    expect(shrunk.schedule.events.some((e) => e.kind === "rejoin")).toBe(true);
    const printed = parseSchedule(replayCommand(seed, shrunk.schedule, bugs).split("'")[1]!);
    expect(await runSimulation({ ...input, schedule: printed })).toEqual(shrunk.summary);
  }, 180_000);

  it("removes a voter through the leader, wipes it and adds it back empty; it catches up from a snapshot", async () => {
    const schedule = {
      ...generateSchedule(4, 3, 500, { ...DEFAULT_FAULTS, crashRate: 0, corruptRate: 0, partitionRate: 0, rejoinRate: 0 }),
      events: [{ at: 100, kind: "rejoin" as const, node: "n2", downSteps: 200 }],
    };
    const lines: string[] = [];
    const s = await runSimulation({ seed: 4, schedule, trace: (l) => lines.push(l) });
    expect(s).toMatchObject({ converged: true, violations: [], faults: { removed: 1, added: 1 } });
    const wiped = lines.findIndex((l) => /n2 wiped/.test(l));
    expect(wiped).toBeGreaterThan(-1);
    expect(lines.slice(wiped).some((l) => /n2 info installing a snapshot/.test(l))).toBe(true);
  });

  it("replays a seed exactly, and another seed differs", async () => {
    const a = await runSimulation(inputFor(7));
    expect(await runSimulation(inputFor(7))).toEqual(a);
    expect(await runSimulation(inputFor(8))).not.toEqual(a);
  });

  it("a node whose disk came back with a corrupt sector refuses to start and stays down; the rest converge and lose nothing", async () => {
    const schedule = {
      ...generateSchedule(3, 3, 300, { ...DEFAULT_FAULTS, crashRate: 0, corruptRate: 0, partitionRate: 0 }),
      events: [{ at: 250, kind: "corrupt" as const, node: "n2", downSteps: 10 }],
    };
    const s = await runSimulation({ seed: 3, schedule });
    expect(s.faults.corruptions).toBe(1);
    expect(s.faults.refusedToStart).toBe(1);
    expect(s).toMatchObject({ converged: true, violations: [] });
    expect(s.clients.writes.ok).toBeGreaterThan(50);
  });

  it("steps one at a time and reports a summary", async () => {
    const sim = new Simulation({ seed: 3, nodes: 3, steps: 100 });
    for (let i = 0; i < 50; i++) await sim.step();
    expect(sim.steps).toBe(50);
    expect(sim.ok()).toBe(true);
    const s = await sim.runToEnd();
    expect(s).toMatchObject({ seed: 3, nodes: 3, converged: true, violations: [] });
  });

  it("rejects a cluster without nodes, and a schedule with a bad field, naming it", () => {
    expect(() => new Simulation({ seed: 1, nodes: 0 })).toThrow(/nodes must be a positive integer/);
    const good = generateSchedule(1, 3, 50, { ...DEFAULT_FAULTS, crashRate: 0.05, corruptRate: 0.01 });
    expect(parseSchedule(formatSchedule(good))).toEqual(good);
    expect(() => parseSchedule("{")).toThrow(/--schedule is not JSON/);
    expect(() => parseSchedule(formatSchedule({ ...good, events: [{ at: 1, kind: "crash", node: "n9", downSteps: 1 }] }))).toThrow(
      "--schedule: events[0].node must be one of n1, n2, n3",
    );
    expect(() => parseSchedule(formatSchedule({ ...good, events: [{ at: 1, kind: "rejoin", node: "n4", downSteps: 1 }] }))).toThrow(
      "--schedule: events[0].node must be one of n1, n2, n3",
    );
    expect(() => parseSchedule(formatSchedule({ ...good, net: { ...good.net, dropRate: 2 } }))).toThrow(
      "net.dropRate must be a probability",
    );
  });
});

describeWith([builtCliPart()], "tob sim (built CLI)", () => {
  const cli = distPath("src/cli.js");
  const tob = (...args: string[]) => spawnSync(process.execPath, [cli, "sim", ...args], { encoding: "utf8", timeout: 120_000 });

  it("exits 1 on a planted bug, printing UNSAFE, the shrunk schedule and a replay command that fails again", () => {
    const r = tob("--seed", "5", "--nodes", "3", "--steps", "400", "--bug", "ack-before-quorum");
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/UNSAFE[\s\S]*shrunk in \d+ runs[\s\S]*replay: npx tob sim --seed 5 --bug ack-before-quorum --schedule '/);
    const schedule = /--schedule '([^']*)'/.exec(r.stdout)![1]!;
    const again = tob("--seed", "5", "--bug", "ack-before-quorum", "--schedule", schedule, "--no-shrink");
    expect(again.status).toBe(1);
    expect(again.stdout).toContain("UNSAFE");
  }, 180_000);

  it("exits 0 on clean seeds and 2 on a bad schedule, naming the field", () => {
    const ok = tob("--seed", "5", "--runs", "2", "--nodes", "3", "--steps", "300");
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain("2 runs: 0 unsafe");
    const bad = tob("--schedule", '{"nodes":3,"steps":0}');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--schedule: steps must be an integer from 1");
  });
});

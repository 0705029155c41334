import { describe, expect, it } from "vitest";
import { KINDS } from "../../clusters/index.js";
import { FAULT_CLASSES, isFactory, type PlantedBug } from "../../clusters/kind.js";
import { raftKind } from "../../clusters/raft/kind.js";
import { WORKLOAD_NAMES } from "../../workloads/index.js";
import { plantedBugs } from "./clusters.js";
import { DURATION_S_DEFAULT, defaultFaults, FAULT_PLANS, INTERVAL_S_DEFAULT, staleReadFaults } from "./defaults.js";

const bugs = (...names: string[]): PlantedBug[] => plantedBugs(raftKind, names);

describe("default fault plans", () => {
  it("without a bug or a read mode that may read stale: the workload's faults at the default pace", () => {
    expect(defaultFaults(["kill", "partition"], [], undefined)).toEqual({
      nemesis: ["kill", "partition"],
      intervalS: INTERVAL_S_DEFAULT,
      durationS: DURATION_S_DEFAULT,
    });
    expect(staleReadFaults(raftKind, "linearizable")).toBeUndefined();
    expect(staleReadFaults(raftKind, undefined)).toBeUndefined();
  });

  it("a read mode that may read stale gets the stale-read plan, as the stale-reads bug does", () => {
    const local = staleReadFaults(raftKind, "local");
    expect(local).toBe("long-leader-partition");
    expect(defaultFaults(["kill"], [], local)).toEqual(defaultFaults(["kill"], bugs("stale-reads"), undefined));
    expect(defaultFaults(["kill"], [], local).durationS).toBeGreaterThan(DURATION_S_DEFAULT);
  });

  it("bugs' plans merge: faults together, the longest pace", () => {
    const p = defaultFaults(["kill"], bugs("stale-reads", "no-term-check"), undefined);
    expect(p.nemesis).toEqual(["partition-leader", "delay+pause-leader"]);
    expect(p.durationS).toBe(Math.max(FAULT_PLANS["long-leader-partition"].durationS, FAULT_PLANS["leader-stall-on-slow-links"].durationS));
  });

  it("raft's bugs keep their plans (README, 'Choosing time and faults')", () => {
    const plan = (name: string) => defaultFaults(["own"], bugs(name), undefined);
    expect(plan("stale-reads")).toEqual({ nemesis: ["partition-leader"], intervalS: 7, durationS: 5 });
    expect(plan("ack-before-quorum")).toEqual({ nemesis: ["partition-leader"], intervalS: 4, durationS: 2 });
    expect(plan("lost-broadcast")).toEqual({ nemesis: ["partition-leader"], intervalS: 4, durationS: 2 });
    expect(plan("no-term-check")).toEqual({ nemesis: ["delay+pause-leader"], intervalS: 2, durationS: 1.2 });
    expect(plan("reorder-delivery")).toEqual({ nemesis: ["kill"], intervalS: 4, durationS: 2 });
    for (const own of ["split-txn", "unfenced-lock", "duplicate-claim"])
      expect(plan(own)).toEqual({ nemesis: ["own"], intervalS: 4, durationS: 2 });
  });

  it("every kind's bug names a known workload and a planned class; an unknown bug is refused naming the kind's", () => {
    for (const kind of KINDS) {
      if (isFactory(kind)) continue;
      for (const b of kind.bugs) {
        expect(WORKLOAD_NAMES).toContain(b.workload);
        if (b.faults !== null) expect(FAULT_CLASSES).toContain(b.faults);
      }
      for (const c of Object.values(kind.staleReads ?? {})) expect(FAULT_CLASSES).toContain(c);
    }
    expect(() => bugs("nope")).toThrow(/--bug nope: the raft cluster has the bugs stale-reads, /);
  });
});

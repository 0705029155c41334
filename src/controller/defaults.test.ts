import { describe, expect, it } from "vitest";
import { BUGS } from "../../clusters/raft/node/bugs.js";
import { WORKLOAD_NAMES } from "../../workloads/index.js";
import { BUG_RUNS, defaultFaults, DURATION_S_DEFAULT, INTERVAL_S_DEFAULT } from "./defaults.js";

describe("default fault plans", () => {
  it("without a bug or a weak read mode: the workload's faults at the default pace", () => {
    expect(defaultFaults(["kill", "partition"], [], undefined)).toEqual({
      nemesis: ["kill", "partition"],
      intervalS: INTERVAL_S_DEFAULT,
      durationS: DURATION_S_DEFAULT,
    });
    expect(defaultFaults(["kill"], [], "linearizable").nemesis).toEqual(["kill"]);
  });

  it("a weak read mode gets the stale-read plan, as the stale-reads bug does", () => {
    expect(defaultFaults(["kill"], [], "serializable")).toEqual(defaultFaults(["kill"], ["stale-reads"], undefined));
    expect(defaultFaults(["kill"], [], "serializable").durationS).toBeGreaterThan(DURATION_S_DEFAULT);
  });

  it("bugs' plans merge: faults together, the longest pace", () => {
    const p = defaultFaults(["kill"], ["stale-reads", "no-term-check"], undefined);
    expect(p.nemesis).toEqual(["partition-leader", "delay+pause-leader"]);
    expect(p.durationS).toBe(Math.max(BUG_RUNS["stale-reads"].faults!.durationS, BUG_RUNS["no-term-check"].faults!.durationS));
  });

  it("every bug names a known workload", () => {
    for (const b of BUGS) expect(WORKLOAD_NAMES).toContain(BUG_RUNS[b].workload);
  });
});

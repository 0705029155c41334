import { describe, expect, it } from "vitest";
import { planFaults } from "./schedule.js";
import { oneWay, shapeCut } from "./shapes.js";

const canTalk = (links: readonly (readonly [string, string])[], a: string, b: string) => !links.some(([x, y]) => x === a && y === b);

describe("partition shapes", () => {
  const five = ["n1", "n2", "n3", "n4", "n5"];

  it("one: the first node is cut both ways from all; the rest talk", () => {
    const { links } = shapeCut("one", five);
    for (const n of five.slice(1)) expect(canTalk(links, "n1", n) || canTalk(links, n, "n1")).toBe(false);
    expect(canTalk(links, "n2", "n5")).toBe(true);
  });

  it("halves: a minority of floor(n/2) and a majority", () => {
    const { groups } = shapeCut("halves", five);
    expect(groups.map((g) => g.length)).toEqual([2, 3]);
  });

  it("bridge: the halves cannot talk, the bridge hears both", () => {
    const { links } = shapeCut("bridge", five);
    expect(canTalk(links, "n2", "n4")).toBe(false);
    for (const n of five.slice(1)) expect(canTalk(links, "n1", n) && canTalk(links, n, "n1")).toBe(true);
  });

  it("ring: each node hears exactly its two neighbours (with 5 nodes, a majority each)", () => {
    const { links } = shapeCut("ring", five);
    for (const n of five) expect(five.filter((m) => m !== n && canTalk(links, n, m))).toHaveLength(2);
  });

  it("one-way: a mute node cannot send but still hears", () => {
    const { links } = oneWay(["n1", "n2", "n3"], true);
    expect(canTalk(links, "n1", "n2")).toBe(false);
    expect(canTalk(links, "n2", "n1")).toBe(true);
  });
});

describe("fault schedule", () => {
  const opts = { faults: ["kill", "partition"], nodes: ["n1", "n2", "n3"], seed: 5, timeS: 20, intervalS: 4, durationS: 2 };

  it("is fixed by the seed, and every fault ends within the run", () => {
    const plan = planFaults(opts);
    expect(planFaults(opts)).toEqual(plan);
    expect(planFaults({ ...opts, seed: 6 })).not.toEqual(plan);
    expect(plan.length).toBeGreaterThanOrEqual(4);
    for (const f of plan) {
      expect(f.endS).toBeLessThanOrEqual(20);
      expect(f.endS).toBeGreaterThan(f.startS);
      expect([...f.order].sort()).toEqual(opts.nodes);
    }
  });

  it("faults do not overlap", () => {
    const plan = planFaults({ ...opts, intervalS: 1, durationS: 3 });
    for (let i = 1; i < plan.length; i++) expect(plan[i]!.startS).toBeGreaterThanOrEqual(plan[i - 1]!.endS);
  });
});

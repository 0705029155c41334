import { describe, expect, it } from "vitest";
import type { Event } from "./history.js";
import { labelledFaults } from "./nemesis.js";

const S = 1e9;

/** A nemesis op as src/nemesis records it: an invoke, then an info completion. */
function fault(f: string, atS: number, tookS: number, value?: unknown): Event[] {
  return [
    { process: "nemesis", type: "invoke", f, time: atS * S, value },
    { process: "nemesis", type: "info", f, time: (atS + tookS) * S, value },
  ];
}

describe("labelledFaults (the one rule of src/history/faults.ts)", () => {
  it("runs from the opening op's completion (the fault is in force) to the closing op's completion", () => {
    const events = [
      ...fault("kill", 1, 0.1, { nodes: ["n2"] }),
      { process: 0, type: "invoke", f: "read", time: 1.5 * S } as Event,
      ...fault("restart", 3, 0.5, { nodes: ["n2"] }),
    ];
    expect(labelledFaults(events, 10 * S)).toEqual([
      {
        kind: "kill",
        label: "kill nodes n2",
        value: { nodes: ["n2"] },
        startNs: 1.1 * S,
        endNs: 3.5 * S,
        open: false,
        startOp: 1,
        endOp: 4,
      },
    ]);
  });

  it("pairs start-X with stop-X, and heal-network closes any network fault", () => {
    const events = [
      ...fault("start-partition", 1, 0, { shape: "halves", groups: [["n1"], ["n2", "n3"]] }),
      ...fault("stop-partition", 2, 0),
      ...fault("start-delay", 4, 0, { delayMs: 100 }),
      ...fault("heal-network", 6, 0.25),
    ];
    const got = labelledFaults(events, 10 * S);
    expect(got.map((i) => [i.kind, i.startNs / S, i.endNs / S, i.open])).toEqual([
      ["partition", 1, 2, false],
      ["delay", 4, 6.25, false],
    ]);
    expect(got[0]!.label).toBe("partition shape halves, groups [[n1],[n2,n3]]");
  });

  it("leaves a fault never healed open until the history's end", () => {
    const got = labelledFaults(fault("pause", 2, 0.1, { nodes: ["n1"] }), 9 * S);
    expect(got).toEqual([
      {
        kind: "pause",
        label: "pause nodes n1",
        value: { nodes: ["n1"] },
        startNs: 2.1 * S,
        endNs: 9 * S,
        open: true,
        startOp: 1,
        endOp: null,
      },
    ]);
  });

  it("shows an op it does not know as an instant, and ignores a closer with nothing open", () => {
    const events = [...fault("resume", 1, 0.1), ...fault("clock-bump", 2, 0.2, 500)];
    expect(labelledFaults(events, 9 * S)).toEqual([
      { kind: "clock-bump", label: "clock-bump 500", value: 500, startNs: 2.2 * S, endNs: 2.2 * S, open: false, startOp: 3, endOp: 3 },
    ]);
  });

  it("takes info-only nemesis ops (no invokes) one event per op", () => {
    const events: Event[] = [
      { process: "nemesis", type: "info", f: "kill", time: 1 * S, value: "n3" },
      { process: "nemesis", type: "info", f: "restart", time: 2 * S, value: "n3" },
    ];
    expect(labelledFaults(events, 9 * S).map((i) => [i.label, i.startNs / S, i.endNs / S])).toEqual([["kill n3", 1, 2]]);
  });

  it("matches a closer to the open interval with the same target, so overlapping faults of one kind each end right", () => {
    const events = [
      ...fault("pause", 1, 0, "n1"),
      ...fault("pause", 2, 0, "n2"),
      ...fault("resume", 3, 0, "n2"),
      ...fault("resume", 4, 0, "n1"),
    ];
    expect(labelledFaults(events, 9 * S).map((i) => [i.label, i.startNs / S, i.endNs / S])).toEqual([
      ["pause n1", 1, 4],
      ["pause n2", 2, 3],
    ]);
  });
});

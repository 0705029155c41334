import { describe, expect, it } from "vitest";
import type { Event } from "./history.js";
import { faultIntervals } from "./nemesis.js";

const S = 1e9;

/** A nemesis op as src/nemesis records it: an invoke, then an info completion. */
function fault(f: string, atS: number, tookS: number, value?: unknown): Event[] {
  return [
    { process: "nemesis", type: "invoke", f, time: atS * S, value },
    { process: "nemesis", type: "info", f, time: (atS + tookS) * S, value },
  ];
}

describe("faultIntervals", () => {
  it("runs from the opening op's invoke to the closing op's completion", () => {
    const events = [
      ...fault("kill", 1, 0.1, { nodes: ["n2"] }),
      { process: 0, type: "invoke", f: "read", time: 1.5 * S } as Event,
      ...fault("restart", 3, 0.5, { nodes: ["n2"] }),
    ];
    expect(faultIntervals(events, 10 * S)).toEqual([
      { kind: "kill", label: "kill nodes n2", startNs: 1 * S, endNs: 3.5 * S, open: false },
    ]);
  });

  it("pairs start-X with stop-X, and heal-network closes any network fault", () => {
    const events = [
      ...fault("start-partition", 1, 0, { shape: "halves", groups: [["n1"], ["n2", "n3"]] }),
      ...fault("stop-partition", 2, 0),
      ...fault("start-delay", 4, 0, { delayMs: 100 }),
      ...fault("heal-network", 6, 0.25),
    ];
    const got = faultIntervals(events, 10 * S);
    expect(got.map((i) => [i.kind, i.startNs / S, i.endNs / S, i.open])).toEqual([
      ["partition", 1, 2, false],
      ["delay", 4, 6.25, false],
    ]);
    expect(got[0]!.label).toBe("partition shape halves, groups [[n1],[n2,n3]]");
  });

  it("leaves a fault never healed open until the history's end", () => {
    const got = faultIntervals(fault("pause", 2, 0.1, { nodes: ["n1"] }), 9 * S);
    expect(got).toEqual([{ kind: "pause", label: "pause nodes n1", startNs: 2 * S, endNs: 9 * S, open: true }]);
  });

  it("shows an op it does not know as an instant, and ignores a closer with nothing open", () => {
    const events = [...fault("resume", 1, 0.1), ...fault("clock-bump", 2, 0.2, 500)];
    expect(faultIntervals(events, 9 * S)).toEqual([
      { kind: "clock-bump", label: "clock-bump 500", startNs: 2 * S, endNs: 2.2 * S, open: false },
    ]);
  });

  it("takes info-only nemesis ops (no invokes) one event per op", () => {
    const events: Event[] = [
      { process: "nemesis", type: "info", f: "kill", time: 1 * S, value: "n3" },
      { process: "nemesis", type: "info", f: "restart", time: 2 * S, value: "n3" },
    ];
    expect(faultIntervals(events, 9 * S).map((i) => [i.label, i.startNs / S, i.endNs / S])).toEqual([["kill n3", 1, 2]]);
  });
});

import { describe, expect, it } from "vitest";
import type { Op, OpType } from "../../src/history/op.js";
import { InputError } from "../../src/history/input-error.js";
import { checkPerf } from "./index.js";
import { faultSpansMs } from "./nemesis.js";

const MS = 1e6;

/** Ops are given as [ms, process, type, f, value?]; sorted by time here, as a controller records them. */
function history(rows: [number, number | string, OpType, string, unknown?][]): Op[] {
  return rows
    .map(([ms, process, type, f, value]) => ({ time: ms * MS, process, type, f, value: value ?? null }))
    .sort((a, b) => a.time - b.time)
    .map((op, index) => ({ index, ...op }));
}

/** 10 reads, one per 100 ms, taking 0.1 .. 1.0 ms; a kill from 1 s to 4 s; two reads after. */
function knownHistory(): Op[] {
  const rows: [number, number | string, OpType, string, unknown?][] = [];
  for (let i = 0; i < 10; i++) rows.push([i * 100, 0, "invoke", "read"], [i * 100 + (i + 1) * 0.1, 0, "ok", "read"]);
  rows.push([1000, "nemesis", "info", "kill", "n1"], [4000, "nemesis", "info", "restart", "n1"]);
  rows.push([1000, 1, "invoke", "write"], [2000, 1, "info", "write"]);
  rows.push([1500, 2, "invoke", "write"], [1500.5, 2, "fail", "write"]);
  rows.push([4500, 0, "invoke", "read"], [4501, 0, "ok", "read"], [4600, 0, "invoke", "read"], [4602, 0, "ok", "read"]);
  return history(rows);
}

describe("perf checker", () => {
  const result = checkPerf(knownHistory());

  it("gives exact latency quantiles per f and outcome", () => {
    expect(result.latency.read!.ok).toEqual({ count: 12, p50Ms: 0.6, p90Ms: 1, p99Ms: 2, p999Ms: 2, maxMs: 2, meanMs: 8500 / 12 / 1000 });
    expect(result.latency.write!.fail).toMatchObject({ count: 1, p50Ms: 0.5, maxMs: 0.5 });
    // 1 s is above HDR's exact range: within its 3 significant digits
    expect(Math.abs(result.latency.write!.info!.p50Ms - 1000) / 1000).toBeLessThan(1e-3);
    expect(result.latency.read!.fail).toBeUndefined();
    expect(result.ops).toEqual({ completed: 14, pending: 0 });
  });

  it("counts throughput in 1 s buckets by completion time", () => {
    expect(result.throughput.all).toEqual({ ok: [10, 0, 0, 0, 2], fail: [0, 1, 0, 0, 0], info: [0, 0, 1, 0, 0] });
    expect(result.throughput.byF.write).toEqual({ ok: [0, 0, 0, 0, 0], fail: [0, 1, 0, 0, 0], info: [0, 0, 1, 0, 0] });
  });

  it("finds the unavailability window and the fault inside it", () => {
    expect(result.faults).toEqual([
      { name: "kill", startMs: 1000, endMs: 4000, open: false, startOp: expect.any(Number), endOp: expect.any(Number), value: "n1" },
    ]);
    expect(result.unavailable.windows).toEqual([{ startMs: 901, endMs: 4501, durationMs: 3600, faults: [0] }]);
    expect(result.unavailable.totalMs).toBe(3600);
  });

  it("splits figures before, during and after the fault", () => {
    const [kill] = result.phases;
    expect(kill.before).toMatchObject({ startMs: 0, endMs: 1000, ok: 10, fail: 0, info: 0, okRate: 10 });
    expect(kill.during).toMatchObject({ startMs: 1000, endMs: 4000, ok: 0, fail: 1, info: 1, okRate: 0, okLatency: null });
    expect(kill.after).toMatchObject({ startMs: 4000, endMs: 4602, ok: 2 });
    expect(kill.after.okLatency).toMatchObject({ p50Ms: 1, maxMs: 2 });
  });

  it("exports the points to plot as columns", () => {
    const { points } = result;
    expect(points.timeMs).toHaveLength(14);
    expect(points.timeMs.slice(0, 2)).toEqual([0, 100]);
    expect(points.latencyMs.slice(0, 2)).toEqual([0.1, 0.2]);
    expect(points.fNames[points.f[11]]).toBe("write");
    expect(points.outcomes[points.outcome[11]]).toBe("fail");
    expect(checkPerf(knownHistory(), { pointsMax: 4 }).points.timeMs.length).toBeLessThan(14);
  });

  it("pairs nemesis ops into intervals", () => {
    const ops = history([
      [1, "nemesis", "invoke", "start-partition"],
      [2, "nemesis", "info", "start-partition", [["n1"], ["n2", "n3"]]],
      [3, "nemesis", "info", "pause", "n1"],
      [4, "nemesis", "info", "pause", "n2"],
      [5, "nemesis", "info", "resume", "n2"],
      [6, "nemesis", "info", "stop-partition"],
      [7, "nemesis", "info", "kill", "n3"],
      [8, "nemesis", "info", "clock-skew"],
    ]);
    const intervals = faultSpansMs(
      ops.filter((op) => op.process === "nemesis"),
      10 * MS,
    );
    expect(intervals.map(({ name, startMs, endMs, open }) => [name, startMs, endMs, open])).toEqual([
      ["partition", 2, 6, false],
      ["pause", 3, 10, true],
      ["pause", 4, 5, false],
      ["kill", 7, 10, true],
      ["clock-skew", 8, 8, false],
    ]);
  });

  it("names the op of a malformed history", () => {
    const ops = [
      { index: 0, time: 0, process: 0, type: "invoke", f: "read", value: null },
      { index: 1, process: 0, type: "ok", f: "read" },
    ] as Op[];
    expect(() => checkPerf(ops)).toThrow(InputError);
    expect(() => checkPerf(ops)).toThrow(/perf: op 1: has no finite numeric `time`/);
  });
});

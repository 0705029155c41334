import { describe, expect, it } from "vitest";
import { compareMeasurements } from "./compare.js";
import { MEASUREMENTS_FORMAT, machineMismatch, median, type Measurements } from "./measurements.js";
import { toJunitXml } from "./junit.js";

const machine = { arch: "x64", cpuCount: 2, memGiB: 24 };

function measurements(overrides: Partial<Measurements>): Measurements {
  return {
    format: MEASUREMENTS_FORMAT,
    machine,
    source: "test",
    verdicts: { "register/linearizable": true },
    scenarios: { "put c64": { throughputPerSec: [9000, 10000, 11000], latencyMsP99: [20, 22, 30] } },
    ...overrides,
  };
}

describe("gate", () => {
  const baseline = measurements({});

  it("passes when nothing regressed (noise within tolerance)", () => {
    const current = measurements({ scenarios: { "put c64": { throughputPerSec: [8200, 9100, 15000], latencyMsP99: [25, 28, 90] } } });
    const outcome = compareMeasurements(baseline, current);
    expect(outcome.passed).toBe(true);
    expect(outcome.checks.map((c) => c.kind).sort()).toEqual(["latency-p99", "throughput", "verdict"]);
  });

  it("fails on a throughput regression, using the median of trials", () => {
    const current = measurements({ scenarios: { "put c64": { throughputPerSec: [7000, 7400, 20000], latencyMsP99: [22, 22, 22] } } });
    const outcome = compareMeasurements(baseline, current);
    expect(outcome.passed).toBe(false);
    const failed = outcome.checks.filter((c) => !c.passed);
    expect(failed.map((c) => c.kind)).toEqual(["throughput"]);
    expect(failed[0]!.message).toContain("7400/s vs 10000/s");
  });

  it("fails on a p99 regression", () => {
    const current = measurements({ scenarios: { "put c64": { throughputPerSec: [10000], latencyMsP99: [40] } } });
    const failed = compareMeasurements(baseline, current).checks.filter((c) => !c.passed);
    expect(failed.map((c) => c.kind)).toEqual(["latency-p99"]);
  });

  it("fails on a new invalid verdict", () => {
    const current = measurements({ verdicts: { "register/linearizable": false } });
    const failed = compareMeasurements(baseline, current).checks.filter((c) => !c.passed);
    expect(failed.map((c) => c.kind)).toEqual(["verdict"]);
  });

  it("fails on a new unknown, but not on an unknown the baseline already had", () => {
    const current = measurements({ verdicts: { "register/linearizable": "unknown" } });
    expect(compareMeasurements(baseline, current).checks.filter((c) => !c.passed).map((c) => c.kind)).toEqual(["new-unknown"]);
    const oldUnknown = measurements({ verdicts: { "register/linearizable": "unknown" } });
    expect(compareMeasurements(oldUnknown, current).passed).toBe(true);
  });

  it("fails when a baseline scenario was not measured", () => {
    const current = measurements({ scenarios: {} });
    expect(compareMeasurements(baseline, current).checks.filter((c) => !c.passed).map((c) => c.kind)).toEqual(["missing"]);
  });

  it("names the difference between machine kinds", () => {
    expect(machineMismatch(machine, { arch: "x64", cpuCount: 2, memGiB: 23 })).toBeNull();
    expect(machineMismatch(machine, { arch: "arm64", cpuCount: 8, memGiB: 24 })).toBe("arch x64 vs arm64, 2 vs 8 cores");
  });

  it("computes medians of odd and even counts", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it("writes JUnit XML with one failure per failed check", () => {
    const current = measurements({ verdicts: { "register/linearizable": false } });
    const xml = toJunitXml(compareMeasurements(baseline, current));
    expect(xml).toContain('failures="1"');
    expect(xml).toContain("<failure message=\"register/linearizable is invalid (baseline: true)\"/>");
  });
});

import { describe, expect, it } from "vitest";
import { compareMeasurements } from "./compare.js";
import { requireControls } from "./controls.js";
import { toJunitXml } from "./junit.js";
import { MEASUREMENTS_FORMAT, machineMismatch, median, type Measurements, type ScenarioFigures } from "./measurements.js";

const machine = { arch: "x64", cpuCount: 2, memGiB: 24 };
const OURS = "raft put c64";
const ETCD = "etcd put c64";

function measurements(ours: ScenarioFigures, etcd: ScenarioFigures, overrides: Partial<Measurements> = {}): Measurements {
  return {
    format: MEASUREMENTS_FORMAT,
    machine,
    source: "test",
    verdicts: { "register/linearizable": true },
    scenarios: { [OURS]: { ...ours, control: `scenario:${ETCD}` }, [ETCD]: { ...etcd, control: "machine:fsync" } },
    calibration: { fsyncPerSec: [2000, 2100], httpPerSec: [20000, 21000], cpuLoopsPerSec: [900, 950] },
    ...overrides,
  };
}

const baseline = measurements(
  { throughputPerSec: [9000, 10000, 11000], latencyMsP99: [20, 22, 30] },
  { throughputPerSec: [5000, 5000, 5200], latencyMsP99: [30, 31, 32] },
);

/** Every figure of a run as a machine k times faster would measure it, controls included. */
function scaled(m: Measurements, k: number): Measurements {
  const scenarios: Record<string, ScenarioFigures> = {};
  for (const [name, f] of Object.entries(m.scenarios)) {
    scenarios[name] = { ...f, throughputPerSec: f.throughputPerSec.map((v) => v * k), latencyMsP99: f.latencyMsP99.map((v) => v / k) };
  }
  const c = m.calibration!;
  const calibration = {
    fsyncPerSec: c.fsyncPerSec.map((v) => v * k),
    httpPerSec: c.httpPerSec.map((v) => v * k),
    cpuLoopsPerSec: c.cpuLoopsPerSec.map((v) => v * k),
  };
  return { ...m, scenarios, calibration };
}

function failedKinds(baseline: Measurements, current: Measurements, mode: "relative" | "absolute" = "relative"): string[] {
  return compareMeasurements(baseline, current, mode)
    .checks.filter((c) => !c.passed)
    .map((c) => `${c.kind} ${c.name}`);
}

describe("gate, relative to controls", () => {
  it("a baseline from a 5x faster machine is not a regression: ratios to the controls are unchanged", () => {
    const fasterBaseline = scaled(baseline, 5);
    expect(failedKinds(fasterBaseline, baseline)).toEqual([]);
    // The same figures judged absolutely would fail every figure: the control is what saves it.
    expect(failedKinds(fasterBaseline, baseline, "absolute")).toEqual([
      `throughput ${OURS}`,
      `latency-p99 ${OURS}`,
      `throughput ${ETCD}`,
      `latency-p99 ${ETCD}`,
    ]);
  });

  it("catches our regression while the control holds, and reports both comparisons", () => {
    const current = measurements(
      { throughputPerSec: [6000, 6500, 7000], latencyMsP99: [22, 22, 22] },
      { throughputPerSec: [5000, 5100, 5100], latencyMsP99: [30, 31, 31] },
    );
    const outcome = compareMeasurements(baseline, current);
    expect(outcome.passed).toBe(false);
    const failed = outcome.checks.filter((c) => !c.passed);
    expect(failed.map((c) => `${c.kind} ${c.name}`)).toEqual([`throughput ${OURS}`]);
    expect(failed[0]!.decidedBy).toBe("relative");
    expect(failed[0]!.control).toBe(`scenario:${ETCD}`);
    expect(failed[0]!.message).toContain("absolute -35.0%");
    expect(failed[0]!.message).toContain(`relative to scenario:${ETCD}`);
  });

  it("the control scenario is itself judged relative to the machine calibration", () => {
    const slowerDisk = scaled(baseline, 0.5);
    expect(failedKinds(baseline, slowerDisk)).toEqual([]);
    const etcdOnlySlower = measurements(
      { throughputPerSec: [5000, 5000, 5000], latencyMsP99: [20, 22, 30] },
      { throughputPerSec: [2500, 2500, 2600], latencyMsP99: [30, 31, 32] },
    );
    expect(failedKinds(baseline, etcdOnlySlower)).toContain(`throughput ${ETCD}`);
  });

  it("passes noise within tolerance, using the median of trials", () => {
    const current = measurements(
      { throughputPerSec: [8200, 9100, 15000], latencyMsP99: [25, 28, 90] },
      { throughputPerSec: [5000, 5000, 5200], latencyMsP99: [30, 31, 32] },
    );
    expect(failedKinds(baseline, current)).toEqual([]);
  });

  it("fails an invalid verdict whatever the figures, and reports a new unknown without failing", () => {
    const invalid = { ...baseline, verdicts: { "register/linearizable": false } } as Measurements;
    expect(failedKinds(baseline, invalid)).toEqual(["verdict register/linearizable"]);
    const unknown = { ...baseline, verdicts: { "register/linearizable": "unknown" } } as Measurements;
    const outcome = compareMeasurements(baseline, unknown);
    expect(outcome.passed).toBe(true);
    expect(outcome.checks.find((c) => c.kind === "new-unknown")?.message).toContain("new since the baseline");
  });

  it("refuses a baseline without a control, and a current folder without the control", () => {
    const noControl: Measurements = { ...baseline, scenarios: { [OURS]: { throughputPerSec: [1], latencyMsP99: [1] } } };
    expect(() => requireControls(noControl, "b.json", baseline, "cur")).toThrow(/has no control/);
    const noEtcd: Measurements = { ...baseline, scenarios: { [OURS]: baseline.scenarios[OURS]! } };
    expect(() => requireControls(baseline, "b.json", noEtcd, "cur")).toThrow(
      /cur: holds "raft put c64" but not its control scenario:etcd put c64/,
    );
    const noCalibration: Measurements = { ...baseline, calibration: undefined };
    expect(() => requireControls(baseline, "b.json", noCalibration, "cur")).toThrow(/not its control machine:fsync/);
    const unknown: Measurements = { ...baseline, scenarios: { [OURS]: { throughputPerSec: [1], latencyMsP99: [1], control: "moon" } } };
    expect(() => requireControls(unknown, "b.json", baseline, "cur")).toThrow(/unknown control "moon"/);
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

  it("writes JUnit XML with one case per figure and one failure per failed check", () => {
    const invalid = { ...baseline, verdicts: { "register/linearizable": false } } as Measurements;
    const outcome = compareMeasurements(baseline, invalid);
    const xml = toJunitXml({ passed: outcome.passed, method: "relative", baselineSource: "b", currentSource: "c", checks: outcome.checks });
    expect(xml).toContain('tests="5" failures="1"');
    expect(xml).toContain('name="throughput: raft put c64"');
    expect(xml).toContain(
      '<failure message="register/linearizable is invalid (baseline: true): an invalid run fails the gate whatever the figures"/>',
    );
  });
});

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../history/input-error.js";
import { BENCH_FORMAT, loadBaseline, loadCurrent } from "./load.js";
import { MEASUREMENTS_FORMAT } from "./measurements.js";
import { tempDir } from "../../test/support/temp.js";

describe("gate inputs", () => {
  it("refuses a baseline of an older format, saying why", () => {
    const dir = tempDir("gate");
    const path = join(dir, "baseline.json");
    writeFileSync(path, JSON.stringify({ format: "tob-measurements/0", machine: {}, verdicts: {}, scenarios: {} }));
    expect(() => loadBaseline(path)).toThrow(InputError);
    expect(() => loadBaseline(path)).toThrow(/format is "tob-measurements\/0"/);
  });

  it("names the field of a malformed baseline", () => {
    const dir = tempDir("gate");
    const path = join(dir, "baseline.json");
    const machine = { arch: "x64", cpuCount: 2, memGiB: 24 };
    writeFileSync(
      path,
      JSON.stringify({
        format: MEASUREMENTS_FORMAT,
        machine,
        verdicts: {},
        scenarios: { put: { throughputPerSec: "fast", latencyMsP99: [] } },
      }),
    );
    expect(() => loadBaseline(path)).toThrow(/scenarios\.put\.throughputPerSec/);
  });

  it("reads a bench folder and a run folder together", () => {
    const dir = tempDir("gate");
    const machine = { arch: "x64", cpuCount: 2, memGiB: 24 };
    writeFileSync(
      join(dir, "bench.json"),
      JSON.stringify({ format: BENCH_FORMAT, machine, scenarios: { "kv-put c64": { throughputPerSec: [1, 2], latencyMsP99: [3] } } }),
    );
    writeFileSync(join(dir, "test.json"), JSON.stringify({ name: "register" }));
    writeFileSync(
      join(dir, "results.json"),
      JSON.stringify({ valid: "unknown", results: { linearizable: { valid: "unknown" }, perf: { valid: true } } }),
    );
    const current = loadCurrent(dir);
    expect(current.scenarios["kv-put c64"]!.throughputPerSec).toEqual([1, 2]);
    expect(current.verdicts).toEqual({ register: "unknown", "register/linearizable": "unknown", "register/perf": true });
  });

  it("refuses a folder with nothing to compare", () => {
    expect(() => loadCurrent(tempDir("gate"))).toThrow(/holds no bench.json/);
  });
});

describe("the committed baseline", () => {
  it("is in the current format and names the machine kind it was measured on", async () => {
    const { PACKAGE_ROOT } = await import("../paths.js");
    const baseline = loadBaseline(join(PACKAGE_ROOT, "results", "baseline", "baseline.json"));
    expect(baseline.machine.cpuCount).toBeGreaterThan(0);
    expect(Object.keys(baseline.scenarios)).toContain("raft n3 put c64 100B");
    expect(baseline.scenarios["raft n3 put c64 100B"]!.throughputPerSec.length).toBeGreaterThanOrEqual(3);
    // Relative comparison needs a control for every figure, measured in the same run.
    expect(baseline.scenarios["raft n3 put c64 100B"]!.control).toBe("scenario:etcd n3 put c64 100B");
    expect(baseline.scenarios["etcd n3 put c64 100B"]!.control).toBe("machine:fsync");
    expect(baseline.calibration!.fsyncPerSec.length).toBeGreaterThanOrEqual(3);
  });
});

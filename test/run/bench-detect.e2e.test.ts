/**
 * `tob bench detect` end to end, small: one seed of a bug that every run
 * catches, and the control without it. The rates are figures, not
 * assertions; what is asserted is the shape of detect.json, which a later
 * change (or the gate) reads.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { distPath } from "../../src/paths.js";
import { freshOut, processesMentioning, removeOutputs } from "./support.js";

describe("tob bench detect", () => {
  afterAll(removeOutputs);

  it("writes detect.json: per-seed verdicts and first anomalies, both arms summarized", async () => {
    const out = freshOut();
    const r = await execa(
      process.execPath,
      [
        distPath("src/cli.js"),
        "bench",
        "detect",
        "--bug",
        "unfenced-lock",
        "--seed-list",
        "7",
        "--time",
        "3",
        "--out",
        out,
        "--",
        "--recovery",
        "1",
      ],
      { reject: false, timeout: 170_000 },
    );
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/with it: invalid in \d\/1/);
    expect(r.stdout).toMatch(/control: invalid in 0\/1/);
    const [stamp] = readdirSync(join(out, "bench-detect"));
    const json = JSON.parse(readFileSync(join(out, "bench-detect", stamp as string, "detect.json"), "utf8"));
    expect(json).toMatchObject({
      format: "tob-bench-detect/1",
      kind: "detect",
      machine: { cpuCount: expect.any(Number) },
      detect: { bugs: ["unfenced-lock"], seeds: [7], time: 3, nemesis: expect.any(Array) },
    });
    for (const arm of [json.bug, json.control]) {
      expect(arm.summary).toMatchObject({
        runs: 1,
        invalid: expect.any(Number),
        valid: expect.any(Number),
        errors: 0,
        fraction: expect.any(Number),
      });
      expect(arm.runs.map((x: { seed: number }) => x.seed)).toEqual([7]);
      for (const run of arm.runs) {
        expect(run).toMatchObject({
          exitCode: expect.any(Number),
          failed: expect.any(Array),
          wallS: expect.any(Number),
          runDir: expect.any(String),
        });
      }
    }
    // Every caught run says when its history first showed the anomaly, within the run.
    for (const run of json.bug.runs.filter((x: { valid: unknown }) => x.valid === false)) {
      expect(run.firstAnomalyS).toBeGreaterThanOrEqual(0);
      expect(run.firstAnomalyS).toBeLessThan(3 + 1 + 5);
    }
    expect(json.control.summary.invalid).toBe(0);
    expect(await processesMentioning(out)).toEqual([]);
  }, 180_000);

  it("bad input is a usage error, exit 2", async () => {
    const r = await execa(process.execPath, [distPath("src/cli.js"), "bench", "detect", "--bug", "nope", "--out", freshOut()], {
      reject: false,
      timeout: 30_000,
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("stale-reads");
    const none = await execa(process.execPath, [distPath("src/cli.js"), "bench", "detect", "--out", freshOut()], {
      reject: false,
      timeout: 30_000,
    });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain("--bug");
  });
});

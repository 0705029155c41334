import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeReports } from "./index.js";
import type { Completed } from "./pairs.js";
import { historyOf, writeRun, type OpSpec } from "./run-fixture.js";
import { chartData, sampleScatter, SCATTER_POINTS_MAX } from "./series.js";

const S = 1e9;
const MS = 1e6;

function op(startS: number, latencyMs: number, outcome: Completed["outcome"] = "ok"): Completed {
  return { f: "read", outcome, startNs: startS * S, endNs: startS * S + latencyMs * MS };
}

describe("chart data", () => {
  it("gives per-second rates, the short last bucket over its own length", () => {
    // 10 ok completions in [0, 1 s), 5 in [1 s, 1.5 s); the run ends at 1.5 s.
    const ops = [...Array.from({ length: 10 }, (_, i) => op(i * 0.09, 1)), ...Array.from({ length: 5 }, (_, i) => op(1 + i * 0.09, 1))];
    const d = chartData(ops, [], 1.5 * S);
    expect(d.throughput.t).toEqual([0, 1, 1.5]);
    expect(d.throughput.ok).toEqual([10, 10, 10]);
    expect(d.throughput.fail).toEqual([0, 0, 0]);
  });

  it("gives p50 and p99 of ok ops per bucket, null where a bucket has none", () => {
    const ops = [op(0.1, 1), op(0.2, 2), op(0.3, 3), op(0.4, 100, "info"), op(2.5, 7)];
    const d = chartData(ops, [], 3 * S);
    expect(d.quantiles.t).toEqual([0.5, 1.5, 2.5]);
    expect(d.quantiles.p50).toEqual([2, null, 7]);
    expect(d.quantiles.p99).toEqual([3, null, 7]);
  });

  it("widens buckets for long runs so a chart never has more than 2000", () => {
    const d = chartData([op(0, 1), op(10_799, 1)], [], 10_800 * S);
    expect(d.bucketS).toBe(6);
    expect(d.throughput.t.length).toBe(1800 + 1);
  });

  it("samples the scatter evenly within its bound and keeps failures first", () => {
    const ops: Completed[] = [];
    for (let i = 0; i < 120_000; i++) ops.push(op(i / 1000, 1, i % 1000 === 0 ? "fail" : "ok"));
    const sampled = sampleScatter(ops, SCATTER_POINTS_MAX);
    expect(sampled.length).toBe(SCATTER_POINTS_MAX);
    expect(sampled.filter((o) => o.outcome === "fail").length).toBe(120);
    const sorted = sampled.every((o, i) => i === 0 || o.startNs >= sampled[i - 1]!.startNs);
    expect(sorted).toBe(true);
  });
});

describe("a large run's report", () => {
  it("stays small: at most 50k plotted points for 120k ops", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tob-report-large-"));
    try {
      const specs: OpSpec[] = [];
      for (let i = 0; i < 120_000; i++) specs.push({ process: i % 8, f: "write", startMs: i, latencyMs: 1 + (i % 7) });
      await writeRun(dir, { history: historyOf(specs), results: { valid: true } });
      const { reportHtml, summaryMd } = await writeReports(dir);
      expect((await stat(reportHtml)).size).toBeLessThan(2_500_000);
      const html = await readFile(reportHtml, "utf8");
      expect(html).toContain("Showing 50,000 of 120,000 ops");
      expect(await readFile(summaryMd, "utf8")).toContain("- Ops: 120,000 invoked: 120,000 ok");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

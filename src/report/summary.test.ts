import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeReports } from "./index.js";
import { historyOf, writeRun, type OpSpec } from "./run-fixture.js";

/**
 * A history small enough to work out by hand:
 * - 10 ok writes with latencies 1..10 ms, 2 ok reads of 4 and 6 ms;
 * - 1 failed read, 1 info write (timeout), 1 read still pending at the end;
 * - a partition from 1.0 s to 2.5 s (invoke + info each), a kill at 3 s never healed;
 * - the last event at 4.0 s.
 * ok latencies sorted: 1 2 3 4 4 5 6 6 7 8 9 10 → p50 (rank 6) 5 ms, p99 (rank 12) 10 ms.
 * Throughput: 12 ok / 4 s = 3/s.
 */
function knownOps(): OpSpec[] {
  const ops: OpSpec[] = [];
  for (let i = 1; i <= 10; i++) ops.push({ process: i % 3, f: "write", startMs: i * 100, latencyMs: i, value: i });
  ops.push({ process: 3, f: "read", startMs: 1500, latencyMs: 4 });
  ops.push({ process: 3, f: "read", startMs: 1600, latencyMs: 6 });
  ops.push({ process: 4, f: "read", startMs: 1700, latencyMs: 2, outcome: "fail" });
  ops.push({ process: 5, f: "write", startMs: 1800, latencyMs: 1000, outcome: "info" });
  ops.push({ process: 6, f: "read", startMs: 3900 });
  ops.push({ process: "nemesis", f: "start-partition", startMs: 1000, latencyMs: 0, outcome: "info", value: "majority" });
  ops.push({ process: "nemesis", f: "stop-partition", startMs: 2490, latencyMs: 10, outcome: "info" });
  ops.push({ process: "nemesis", f: "kill", startMs: 3000, latencyMs: 5, outcome: "info", value: ["n2"] });
  ops.push({ process: "nemesis", f: "noop", startMs: 4000, latencyMs: 0, outcome: "info" });
  return ops;
}

describe("summary.md", () => {
  let dir: string;
  let summary: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tob-summary-"));
    await writeRun(dir, {
      test: {
        spec: {
          name: "register",
          workload: "register",
          cluster: "raft",
          nodes: 3,
          nemesis: ["partition", "kill"],
          time: 4,
          concurrency: 7,
          seed: 42,
        },
        startedAt: "2026-11-30T00:00:00.000Z",
      },
      history: historyOf(knownOps()),
      results: {
        valid: false,
        results: {
          linearizability: { valid: false, key: "x", explanation: "read 3 after write 4 completed\nmore detail" },
          perf: { valid: true, okCount: 12 },
        },
      },
      timeline: true,
    });
    summary = await readFile((await writeReports(dir)).summaryMd, "utf8");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("states the verdict and the run's set-up", () => {
    expect(summary).toContain("**Verdict: INVALID** (1 of 2 checkers not valid)");
    expect(summary).toContain("- Run: register on raft, 3 nodes, nemesis partition, kill, 4 s, concurrency 7, seed 42");
  });

  it("counts ops by outcome", () => {
    expect(summary).toContain("- Ops: 15 invoked: 12 ok, 1 fail, 1 info, 1 pending");
  });

  it("gives throughput and exact latency quantiles of ok ops", () => {
    expect(summary).toContain("- Throughput: 3/s ok over 4 s");
    expect(summary).toContain("- Latency (ok): p50 5 ms, p99 10 ms, max 10 ms");
  });

  it("lists the faults with their intervals", () => {
    expect(summary).toContain("- Faults: 3: partition majority 1 s–2.5 s; kill [n2] 3 s–end (not healed); noop 4 s–4 s");
  });

  it("gives each checker's verdict and links the counterexample", () => {
    expect(summary).toContain(
      "| linearizability | invalid | key: x, explanation: read 3 after write 4 completed more detail, counterexample: timeline.html |",
    );
    expect(summary).toContain("| perf | valid | okCount: 12 |");
    expect(summary).toContain("Why linearizability: read 3 after write 4 completed\n");
  });

  it("fits one screen", () => {
    expect(summary.split("\n").length).toBeLessThanOrEqual(30);
  });
});

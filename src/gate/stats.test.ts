import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareSamples, hodgesLehmannShift, permutationPValue } from "./stats.js";

describe("A/B statistics", () => {
  it("an exact permutation test: complete separation of 4 against 4 is 1 labeling in C(8,4) = 70", () => {
    expect(permutationPValue([1, 2, 3, 4], [5, 6, 7, 8])).toBeCloseTo(1 / 70, 12);
    // The other direction: every labeling is at least as extreme.
    expect(permutationPValue([5, 6, 7, 8], [1, 2, 3, 4])).toBe(1);
  });

  it("agrees with a brute-force count over every relabeling on random small samples", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 5 }),
        (a, b) => {
          const pooled = [...a, ...b];
          const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
          const observed = mean(b) - mean(a);
          let extreme = 0;
          let total = 0;
          // Every bitmask with |b| ones picks the candidate's side.
          for (let mask = 0; mask < 1 << pooled.length; mask++) {
            const side = pooled.filter((_, i) => mask & (1 << i));
            if (side.length !== b.length) continue;
            const rest = pooled.filter((_, i) => !(mask & (1 << i)));
            total++;
            if (mean(side) - mean(rest) >= observed - 1e-9) extreme++;
          }
          expect(permutationPValue(a, b)).toBeCloseTo(extreme / total, 9);
        },
      ),
      { seed: 20261129, numRuns: 200 },
    );
  });

  it("falls back to a seeded Monte Carlo test on large samples, close to the truth", () => {
    const base = Array.from({ length: 15 }, (_, i) => 100 + i);
    const candidate = Array.from({ length: 15 }, (_, i) => 90 + i);
    const p = permutationPValue(
      base.map((v) => -v),
      candidate.map((v) => -v),
    );
    expect(p).toBeLessThan(0.01);
    expect(permutationPValue(base, candidate)).toBeGreaterThan(0.99);
  });

  it("the Hodges-Lehmann shift is the median of pairwise differences", () => {
    expect(hodgesLehmannShift([1, 2, 3], [11, 12, 13])).toBe(10);
    expect(hodgesLehmannShift([0, 0], [1, 5])).toBe(3);
  });

  it("a clear throughput drop is worse with a small p; the same samples judged as latency are not", () => {
    const base = [10000, 10400, 9800, 10100, 9900];
    const candidate = [7000, 7200, 6900, 7100, 7050];
    const asThroughput = compareSamples(base, candidate, "higher-is-better", 0.95);
    expect(asThroughput.pWorse).toBeCloseTo(1 / 252, 9);
    expect(asThroughput.change).toBeLessThan(-0.25);
    expect(asThroughput.changeInterval[0]).toBeLessThan(asThroughput.change + 1e-9);
    expect(asThroughput.changeInterval[1]).toBeLessThan(0);
    expect(compareSamples(base, candidate, "lower-is-better", 0.95).pWorse).toBe(1);
  });

  it("refuses figures that are not positive", () => {
    expect(() => compareSamples([1, 0], [1, 2], "higher-is-better", 0.95)).toThrow(/positive/);
  });
});

import { NS_PER_MS } from "../history/op.js";
import type { Completed } from "./pairs.js";
import type { LatencyFigures as PerfLatencyFigures } from "../../checkers/perf/histograms.js";

/**
 * Nearest-rank quantile of ascending values: the smallest value with at least
 * q of the values at or below it. Exact, so the tests can check it by hand.
 */
export function quantileSorted(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** The perf checker's figures (checkers/perf/histograms.ts) without the mean, here exact rather than from a histogram. */
export type LatencyFigures = Omit<PerfLatencyFigures, "meanMs">;

export function latencyFigures(latenciesMs: Float64Array): LatencyFigures {
  const sorted = latenciesMs.slice().sort();
  return {
    count: sorted.length,
    p50Ms: quantileSorted(sorted, 0.5),
    p90Ms: quantileSorted(sorted, 0.9),
    p99Ms: quantileSorted(sorted, 0.99),
    p999Ms: quantileSorted(sorted, 0.999),
    maxMs: quantileSorted(sorted, 1),
  };
}

/** One row of the percentile table: counts by outcome, latency of the ok ops. */
export interface FunctionRow {
  f: string;
  ok: number;
  fail: number;
  info: number;
  latency: LatencyFigures;
}

/**
 * Latency quantiles are over ok ops only: an info op's "latency" is the
 * client's timeout, which would drown the real tail.
 */
export function okLatenciesMs(ops: readonly Completed[]): Float64Array {
  let n = 0;
  for (const op of ops) if (op.outcome === "ok") n++;
  const out = new Float64Array(n);
  let i = 0;
  for (const op of ops) if (op.outcome === "ok") out[i++] = (op.endNs - op.startNs) / NS_PER_MS;
  return out;
}

export function functionTable(ops: readonly Completed[]): FunctionRow[] {
  const byF = new Map<string, Completed[]>();
  for (const op of ops) {
    let list = byF.get(op.f);
    if (list === undefined) byF.set(op.f, (list = []));
    list.push(op);
  }
  const rows: FunctionRow[] = [];
  for (const [f, list] of byF) {
    const row: FunctionRow = { f, ok: 0, fail: 0, info: 0, latency: latencyFigures(okLatenciesMs(list)) };
    for (const op of list) row[op.outcome]++;
    rows.push(row);
  }
  return rows.sort((a, b) => (a.f < b.f ? -1 : a.f > b.f ? 1 : 0));
}

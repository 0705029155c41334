import { NS_PER_MS, NS_PER_S } from "../history/op.js";
import { quantileSorted } from "./latency.js";
import type { LabelledFault } from "./nemesis.js";
import type { Completed, Outcome } from "./pairs.js";

/** What the page's charts draw; times in seconds since the run's start, latencies in ms. */
export interface ChartData {
  endS: number;
  bucketS: number;
  /** Sorted by t. outcome: 0 ok, 1 fail, 2 info (small numbers keep the JSON small). */
  scatter: { t: number[]; latencyMs: number[]; outcome: number[]; total: number };
  /** Per bucket, by invoke time, over ok ops; null where a bucket has none. */
  quantiles: { t: number[]; p50: (number | null)[]; p99: (number | null)[] };
  /** Completions per second in each bucket (by completion time), plus a closing point at the run's end. */
  throughput: { t: number[]; ok: number[]; fail: number[]; info: number[] };
  faults: { kind: string; label: string; start: number; end: number; open: boolean }[];
}

/** Bounds that keep report.html small whatever the run's length. */
export const SCATTER_POINTS_MAX = 50_000;
const BUCKETS_MAX = 2_000;
/** Log-scale axes cannot show 0; a sub-microsecond latency is drawn at 1 µs. */
const LATENCY_FLOOR_MS = 0.001;

const OUTCOME_CODE: Readonly<Record<Outcome, number>> = { ok: 0, fail: 1, info: 2 };

/** k evenly spread items of list (all of it when k >= its length). */
function spread<T>(list: readonly T[], k: number): T[] {
  if (k >= list.length) return list.slice();
  const out: T[] = [];
  for (let i = 0; i < k; i++) out.push(list[Math.floor((i * list.length) / k)]!);
  return out;
}

/**
 * Downsamples for the scatter. Failures and unknowns are rare and are what a
 * reader looks for, so they keep up to half the budget before ok ops are thinned.
 */
export function sampleScatter(ops: readonly Completed[], pointsMax: number): Completed[] {
  const ok: Completed[] = [];
  const other: Completed[] = [];
  for (const op of ops) (op.outcome === "ok" ? ok : other).push(op);
  const okBudget = Math.min(ok.length, pointsMax - Math.min(other.length, Math.floor(pointsMax / 2)));
  const otherBudget = Math.min(other.length, pointsMax - okBudget);
  return [...spread(ok, okBudget), ...spread(other, otherBudget)].sort((a, b) => a.startNs - b.startNs);
}

function round(v: number, digits: number): number {
  return Number(v.toPrecision(digits));
}

/** A time's bucket; a time outside the run (an odd clock) goes to the nearest end rather than nowhere. */
function clampBucket(timeNs: number, buckets: number, bucketNs: number): number {
  return Math.min(buckets - 1, Math.max(0, Math.floor(timeNs / bucketNs)));
}

function bucketQuantiles(ops: readonly Completed[], buckets: number, bucketNs: number, endNs: number): ChartData["quantiles"] {
  // Counting sort into one array by bucket, then sort each slice: O(n log n) overall, no per-bucket arrays.
  const counts = new Uint32Array(buckets + 1);
  const bucketOf = (op: Completed) => clampBucket(op.startNs, buckets, bucketNs);
  for (const op of ops) if (op.outcome === "ok") counts[bucketOf(op) + 1]!++;
  for (let b = 0; b < buckets; b++) counts[b + 1]! += counts[b]!;
  const fill = counts.slice(0, buckets);
  const all = new Float64Array(counts[buckets]!);
  for (const op of ops) if (op.outcome === "ok") all[fill[bucketOf(op)]!++] = (op.endNs - op.startNs) / NS_PER_MS;
  const out: ChartData["quantiles"] = { t: [], p50: [], p99: [] };
  for (let b = 0; b < buckets; b++) {
    const slice = all.subarray(counts[b]!, counts[b + 1]!).sort();
    // Drawn at the middle of what the bucket covers (the last one ends with the run).
    const startNs = b * bucketNs;
    const endOfBucketNs = Math.max(startNs, Math.min(startNs + bucketNs, endNs));
    out.t.push(round((startNs + endOfBucketNs) / 2 / NS_PER_S, 6));
    out.p50.push(slice.length ? round(Math.max(LATENCY_FLOOR_MS, quantileSorted(slice, 0.5)), 4) : null);
    out.p99.push(slice.length ? round(Math.max(LATENCY_FLOOR_MS, quantileSorted(slice, 0.99)), 4) : null);
  }
  return out;
}

function bucketThroughput(ops: readonly Completed[], buckets: number, bucketNs: number, endNs: number): ChartData["throughput"] {
  const out: ChartData["throughput"] = { t: [], ok: [], fail: [], info: [] };
  if (buckets === 0) return out;
  const rows = { ok: new Float64Array(buckets), fail: new Float64Array(buckets), info: new Float64Array(buckets) };
  for (const op of ops) rows[op.outcome][clampBucket(op.endNs, buckets, bucketNs)]!++;
  for (let b = 0; b < buckets; b++) {
    // The last bucket is usually cut short by the end of the run; its rate is over what it covers.
    const widthNs = b === buckets - 1 && endNs > b * bucketNs ? Math.min(bucketNs, endNs - b * bucketNs) : bucketNs;
    out.t.push(round((b * bucketNs) / NS_PER_S, 6));
    for (const k of ["ok", "fail", "info"] as const) out[k].push(round((rows[k][b]! * NS_PER_S) / widthNs, 6));
  }
  // A closing point at the end of the last bucket, so that the last step is drawn with its width.
  const last = buckets - 1;
  out.t.push(round(Math.max(endNs, last * bucketNs + 1) / NS_PER_S, 6));
  for (const k of ["ok", "fail", "info"] as const) out[k].push(out[k][last]!);
  return out;
}

export function chartData(ops: readonly Completed[], faults: readonly LabelledFault[], endNs: number): ChartData {
  const endS = endNs / NS_PER_S;
  // 1 s buckets, widened only for runs longer than BUCKETS_MAX seconds.
  const bucketS = Math.max(1, Math.ceil(endS / BUCKETS_MAX));
  const bucketNs = bucketS * NS_PER_S;
  // No ops, no buckets: an empty run's charts say so instead of plotting zeros.
  const buckets = ops.length === 0 ? 0 : Math.max(1, Math.ceil(endNs / bucketNs));
  const sampled = sampleScatter(ops, SCATTER_POINTS_MAX);
  return {
    endS,
    bucketS,
    scatter: {
      // 7 significant digits: sub-millisecond for runs up to 1000 s, and short JSON.
      t: sampled.map((op) => round(op.startNs / NS_PER_S, 7)),
      latencyMs: sampled.map((op) => round(Math.max(LATENCY_FLOOR_MS, (op.endNs - op.startNs) / NS_PER_MS), 4)),
      outcome: sampled.map((op) => OUTCOME_CODE[op.outcome]),
      total: ops.length,
    },
    quantiles: bucketQuantiles(ops, buckets, bucketNs, endNs),
    throughput: bucketThroughput(ops, buckets, bucketNs, endNs),
    faults: faults.map((f) => ({
      kind: f.kind,
      label: f.label,
      start: f.startNs / NS_PER_S,
      end: f.endNs / NS_PER_S,
      open: f.open,
    })),
  };
}

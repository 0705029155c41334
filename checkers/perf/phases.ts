/**
 * Figures before, during and after each fault. "Before" runs from the end of
 * the previous fault (or the first invocation), "after" until the next fault
 * starts (or the last op). Ops are attributed to a phase by invocation time.
 */
import { figuresOf, newHistogram, recordNs, type LatencyFigures } from "./histograms.js";
import type { FaultInterval } from "./nemesis.js";
import type { Samples } from "./samples.js";

export interface PhaseFigures {
  startMs: number;
  endMs: number;
  ok: number;
  fail: number;
  info: number;
  /** ok ops per second */
  okRate: number;
  okLatency: LatencyFigures | null;
}

export interface FaultPhases {
  fault: number;
  name: string;
  before: PhaseFigures;
  during: PhaseFigures;
  after: PhaseFigures;
}

export function phasesOf(samples: Samples, faults: FaultInterval[]): FaultPhases[] {
  const firstMs = samples.firstNs / 1e6;
  const lastMs = samples.lastNs / 1e6;
  const out: FaultPhases[] = [];
  faults.forEach((fault, i) => {
    if (fault.endMs === fault.startMs) return; // an instant has no "during"
    const previousEnd = Math.max(firstMs, ...faults.filter((o) => o !== fault && o.endMs <= fault.startMs).map((o) => o.endMs));
    const nextStart = Math.min(lastMs, ...faults.filter((o) => o !== fault && o.startMs >= fault.endMs).map((o) => o.startMs));
    out.push({
      fault: i,
      name: fault.name,
      before: phase(samples, previousEnd, fault.startMs),
      during: phase(samples, fault.startMs, fault.endMs),
      after: phase(samples, fault.endMs, Math.max(fault.endMs, nextStart)),
    });
  });
  return out;
}

/** invokeNs is ascending (samples are in invocation order): binary search the range. */
function lowerBound(values: Float64Array, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function phase(samples: Samples, startMs: number, endMs: number): PhaseFigures {
  const counts = [0, 0, 0];
  const histogram = newHistogram();
  const end = lowerBound(samples.invokeNs, endMs * 1e6);
  for (let i = lowerBound(samples.invokeNs, startMs * 1e6); i < end; i++) {
    counts[samples.outcome[i]]++;
    if (samples.outcome[i] === 0) recordNs(histogram, samples.completeNs[i] - samples.invokeNs[i]);
  }
  const durationS = (endMs - startMs) / 1000;
  const figures = {
    startMs,
    endMs,
    ok: counts[0],
    fail: counts[1],
    info: counts[2],
    okRate: durationS > 0 ? counts[0] / durationS : 0,
    okLatency: counts[0] > 0 ? figuresOf(histogram) : null,
  };
  histogram.destroy();
  return figures;
}

/**
 * Latency figures from HDR histograms. Values are recorded in microseconds
 * with 3 significant digits: exact below 2048 µs, within 0.1% above, and a
 * histogram's size does not grow with the number of ops.
 */
import { build, type Histogram } from "hdr-histogram-js";
import { OUTCOMES, type Samples } from "./samples.js";

export interface LatencyFigures {
  count: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  meanMs: number;
}

export function newHistogram(): Histogram {
  return build({ numberOfSignificantValueDigits: 3 });
}

export function recordNs(histogram: Histogram, latencyNs: number): void {
  histogram.recordValue(Math.max(0, Math.round(latencyNs / 1000)));
}

export function figuresOf(histogram: Histogram): LatencyFigures {
  const ms = (us: number): number => us / 1000;
  return {
    count: histogram.totalCount,
    p50Ms: ms(histogram.getValueAtPercentile(50)),
    p90Ms: ms(histogram.getValueAtPercentile(90)),
    p99Ms: ms(histogram.getValueAtPercentile(99)),
    p999Ms: ms(histogram.getValueAtPercentile(99.9)),
    maxMs: ms(histogram.maxValue),
    meanMs: ms(histogram.mean),
  };
}

/** f -> outcome -> figures (an outcome no op of that f had is absent). */
export function latencyByF(samples: Samples): Record<string, Partial<Record<string, LatencyFigures>>> {
  const histograms = new Map<number, Histogram>();
  for (let i = 0; i < samples.count; i++) {
    const slot = samples.f[i] * OUTCOMES.length + samples.outcome[i];
    let histogram = histograms.get(slot);
    if (histogram === undefined) {
      histogram = newHistogram();
      histograms.set(slot, histogram);
    }
    recordNs(histogram, samples.completeNs[i] - samples.invokeNs[i]);
  }
  const out: Record<string, Partial<Record<string, LatencyFigures>>> = {};
  for (const [slot, histogram] of [...histograms].sort((a, b) => a[0] - b[0])) {
    const f = samples.fNames[Math.floor(slot / OUTCOMES.length)];
    out[f] ??= {};
    out[f][OUTCOMES[slot % OUTCOMES.length]] = figuresOf(histogram);
    histogram.destroy();
  }
  return out;
}

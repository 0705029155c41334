/**
 * Unavailability windows: spans longer than a threshold with no `ok`
 * completion, over the span of client activity (first invocation to last op),
 * each with the fault intervals it overlaps.
 */
import type { FaultInterval } from "./nemesis.js";
import type { Samples } from "./samples.js";

export interface Window {
  startMs: number;
  endMs: number;
  durationMs: number;
  /** indices into the fault interval list */
  faults: number[];
}

export function unavailability(samples: Samples, faults: FaultInterval[], thresholdMs: number): Window[] {
  const okNs: number[] = [];
  for (let i = 0; i < samples.count; i++) if (samples.outcome[i] === 0) okNs.push(samples.completeNs[i]);
  const times = Float64Array.from(okNs).sort();
  const windows: Window[] = [];
  let previousNs = samples.firstNs;
  const consider = (untilNs: number): void => {
    const durationMs = (untilNs - previousNs) / 1e6;
    if (durationMs <= thresholdMs) return;
    const startMs = previousNs / 1e6;
    const endMs = untilNs / 1e6;
    const overlapping = faults.flatMap((fault, i) => (fault.startMs <= endMs && fault.endMs >= startMs ? [i] : []));
    windows.push({ startMs, endMs, durationMs, faults: overlapping });
  };
  for (const t of times) {
    consider(t);
    previousNs = t;
  }
  if (samples.count > 0) consider(samples.lastNs);
  return windows;
}

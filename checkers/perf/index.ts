/**
 * The performance checker: figures, never a verdict of its own (`valid` is
 * always true). Input: any history of invoke/completion pairs per process
 * (see ./pairs.ts), with faults as `process: "nemesis"` info ops (see
 * ./nemesis.ts). Output, times in ms since the run's start:
 *   latency       f -> outcome -> {count, p50Ms, p90Ms, p99Ms, p999Ms, maxMs, meanMs}
 *   throughput    completions per bucket (1 s by default), per outcome, overall and per f
 *   unavailable   windows with no ok longer than the threshold, with the faults they overlap
 *   faults        fault intervals; phases: figures before / during / after each
 *   points        columns {timeMs, latencyMs, f, outcome} for the report's plots
 */
import type { History } from "../../src/history/op.js";
import type { Checker, CheckResult } from "../checker.js";
import { latencyByF, type LatencyFigures } from "./histograms.js";
import { faultSpansMs, type FaultInterval } from "./nemesis.js";
import { pairOps } from "./pairs.js";
import { phasesOf, type FaultPhases } from "./phases.js";
import { pointsOf, type Points } from "./points.js";
import { toSamples } from "./samples.js";
import { throughput, type Throughput } from "./throughput.js";
import { unavailability, type Window } from "./windows.js";

export interface PerfOptions {
  /** a span with no ok longer than this is an unavailability window (default 1000) */
  gapThresholdMs?: number;
  /** throughput bucket (default 1000) */
  bucketMs?: number;
  /** at most about this many plotted points (default 200000) */
  pointsMax?: number;
}

export interface PerfResult extends CheckResult {
  valid: true;
  ops: { completed: number; pending: number };
  latency: Record<string, Partial<Record<string, LatencyFigures>>>;
  throughput: Throughput;
  unavailable: { thresholdMs: number; windows: Window[]; totalMs: number };
  faults: FaultInterval[];
  phases: FaultPhases[];
  points: Points;
}

export function checkPerf(history: History, opts: PerfOptions = {}): PerfResult {
  const thresholdMs = opts.gapThresholdMs ?? 1000;
  const paired = pairOps("perf", history);
  const samples = toSamples(history, paired);
  const endNs = history.length === 0 ? 0 : Math.max(samples.lastNs, history[history.length - 1].time);
  const faults = faultSpansMs(paired.nemesis, endNs);
  const windows = unavailability(samples, faults, thresholdMs);
  return {
    valid: true,
    ops: { completed: samples.count, pending: samples.pendingCount },
    latency: latencyByF(samples),
    throughput: throughput(samples, opts.bucketMs ?? 1000),
    unavailable: { thresholdMs, windows, totalMs: windows.reduce((sum, w) => sum + w.durationMs, 0) },
    faults,
    phases: phasesOf(samples, faults),
    points: pointsOf(samples, opts.pointsMax ?? 200_000),
  };
}

export function perfChecker(opts: PerfOptions = {}): Checker {
  return {
    name: "perf",
    check: async (history) => checkPerf(history, opts),
  };
}

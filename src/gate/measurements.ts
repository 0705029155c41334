import { arch, cpus, totalmem } from "node:os";
import type { Verdict } from "../../checkers/verdict.js";

/**
 * What the gate compares: verdicts by name, and performance figures by scenario,
 * each a list of trials (the gate uses their median, so one noisy trial does not
 * decide). A baseline file is this object, written by `tob gate --write-baseline`.
 *
 * Format 2 adds controls: every scenario names a figure measured in the same run
 * that moves with the machine but not with our code (etcd beside ours, or the
 * machine's own fsync, HTTP or CPU rate). The gate compares ratios to the control,
 * so a baseline from a faster or slower runner still holds (docs: README, "The CI gate").
 */
export const MEASUREMENTS_FORMAT = "tob-measurements/2";

export interface MachineKind {
  arch: string;
  cpuCount: number;
  memGiB: number;
}

export interface ScenarioFigures {
  /** Operations or requests per second, one entry per trial. */
  throughputPerSec: number[];
  /** 99th percentile latency in milliseconds, one entry per trial. */
  latencyMsP99: number[];
  /**
   * What this scenario is compared relative to: `scenario:<name>` (another scenario of
   * the same run, e.g. etcd under the same load) or `machine:fsync|http|cpu` (the
   * calibration). Absent only in hand-made files; the gate refuses a baseline without one.
   */
  control?: string;
}

/** The machine measured in the same run, each a list of trials (see calibrate.ts). */
export interface Calibration {
  fsyncPerSec: number[];
  httpPerSec: number[];
  cpuLoopsPerSec: number[];
}

export const MACHINE_CONTROLS = { "machine:fsync": "fsyncPerSec", "machine:http": "httpPerSec", "machine:cpu": "cpuLoopsPerSec" } as const;

export interface Measurements {
  format: string;
  machine: MachineKind;
  /** Where the figures came from (a run or bench folder), for the summary. */
  source: string;
  verdicts: Record<string, Verdict>;
  scenarios: Record<string, ScenarioFigures>;
  calibration?: Calibration;
}

export function thisMachine(): MachineKind {
  return { arch: arch(), cpuCount: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30) };
}

/** Why two machine kinds cannot be compared, or null when they can. */
export function machineMismatch(baseline: MachineKind, current: MachineKind): string | null {
  const reasons: string[] = [];
  if (baseline.arch !== current.arch) reasons.push(`arch ${baseline.arch} vs ${current.arch}`);
  if (baseline.cpuCount !== current.cpuCount) reasons.push(`${baseline.cpuCount} vs ${current.cpuCount} cores`);
  // Memory is reported a little differently by kernels and containers: allow 10%.
  if (Math.abs(baseline.memGiB - current.memGiB) > Math.max(1, 0.1 * baseline.memGiB)) {
    reasons.push(`${baseline.memGiB} vs ${current.memGiB} GiB`);
  }
  return reasons.length === 0 ? null : reasons.join(", ");
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

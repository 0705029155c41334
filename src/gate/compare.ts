import type { Verdict } from "../../checkers/verdict.js";
import { controlValue, type Metric } from "./controls.js";
import { median, type Measurements } from "./measurements.js";

/**
 * The gate's rules for a baseline against a current folder. Defaults suit a shared,
 * noisy 2-core machine: a throughput drop of more than 25% or a p99 rise of more than
 * 50% (medians of trials) fails.
 *
 * Relative mode (the default) decides on each figure's ratio to its control measured
 * in the same run, so that a runner that is uniformly faster or slower than the one
 * the baseline came from changes nothing. Absolute mode decides on the raw figures
 * and is only meaningful on the same machine. Both changes are always reported.
 */
export interface Tolerances {
  throughputDropFraction: number;
  latencyP99RiseFraction: number;
}

export const DEFAULT_TOLERANCES: Tolerances = { throughputDropFraction: 0.25, latencyP99RiseFraction: 0.5 };

export const COMPARE_MODES = ["relative", "absolute"] as const;
export type CompareMode = (typeof COMPARE_MODES)[number];

export type CheckKind = "verdict" | "new-unknown" | "throughput" | "latency-p99" | "missing";

export interface GateCheck {
  name: string;
  kind: CheckKind;
  passed: boolean;
  message: string;
  /** For figures: the raw change and the change relative to the control, as fractions. */
  absoluteChange?: number;
  relativeChange?: number;
  control?: string;
  decidedBy?: CompareMode;
}

export interface GateOutcome {
  passed: boolean;
  mode: CompareMode;
  checks: GateCheck[];
}

function describeVerdict(v: Verdict | undefined): string {
  return v === undefined ? "absent" : String(v);
}

function verdictChecks(baseline: Measurements, current: Measurements): GateCheck[] {
  const checks: GateCheck[] = [];
  for (const [name, now] of Object.entries(current.verdicts)) {
    const before = baseline.verdicts[name];
    if (now === false) {
      checks.push({
        name,
        kind: "verdict",
        passed: false,
        message: `${name} is invalid (baseline: ${describeVerdict(before)}): an invalid run fails the gate whatever the figures`,
      });
    } else if (now === "unknown" && before !== "unknown") {
      // Reported, not failed: a check that ran out of budget says nothing about a regression.
      checks.push({
        name,
        kind: "new-unknown",
        passed: true,
        message: `${name} is unknown, new since the baseline (${describeVerdict(before)})`,
      });
    } else {
      checks.push({ name, kind: "verdict", passed: true, message: `${name} is ${String(now)}` });
    }
  }
  return checks;
}

function percent(fraction: number): string {
  const value = fraction * 100;
  return `${value >= 0 ? "+" : ""}${value.toFixed(1)}%`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

const METRICS: { metric: Metric; kind: CheckKind; unit: string; label: string }[] = [
  { metric: "throughputPerSec", kind: "throughput", unit: "/s", label: "throughput" },
  { metric: "latencyMsP99", kind: "latency-p99", unit: " ms", label: "p99" },
];

/** A change is bad when throughput drops or latency rises beyond its tolerance. */
function withinTolerance(metric: Metric, change: number, tol: Tolerances): boolean {
  return metric === "throughputPerSec" ? change >= -tol.throughputDropFraction : change <= tol.latencyP99RiseFraction;
}

function figureCheck(
  name: string,
  spec: (typeof METRICS)[number],
  baseline: Measurements,
  current: Measurements,
  mode: CompareMode,
  tol: Tolerances,
): GateCheck | null {
  const before = median(baseline.scenarios[name]![spec.metric]);
  const now = median(current.scenarios[name]![spec.metric]);
  if (!(before > 0)) return null;
  const control = baseline.scenarios[name]!.control!;
  const absoluteChange = now / before - 1;
  const controlBefore = controlValue(baseline, control, spec.metric);
  const controlNow = controlValue(current, control, spec.metric);
  const relativeChange = now / controlNow / (before / controlBefore) - 1;
  const decisive = mode === "relative" ? relativeChange : absoluteChange;
  const passed = Number.isFinite(decisive) && withinTolerance(spec.metric, decisive, tol);
  const limit =
    spec.metric === "throughputPerSec"
      ? `-${(tol.throughputDropFraction * 100).toFixed(0)}%`
      : `+${(tol.latencyP99RiseFraction * 100).toFixed(0)}%`;
  const message =
    `${name}: ${spec.label} ${formatNumber(now)}${spec.unit} vs ${formatNumber(before)}${spec.unit} ` +
    `(absolute ${percent(absoluteChange)}; relative to ${control} ${percent(relativeChange)}; ` +
    `${mode} decided, limit ${limit})`;
  return { name, kind: spec.kind, passed, message, absoluteChange, relativeChange, control, decidedBy: mode };
}

function scenarioChecks(baseline: Measurements, current: Measurements, mode: CompareMode, tol: Tolerances): GateCheck[] {
  const checks: GateCheck[] = [];
  for (const name of Object.keys(baseline.scenarios)) {
    if (current.scenarios[name] === undefined) {
      checks.push({ name, kind: "missing", passed: false, message: `${name}: in the baseline but not measured now` });
      continue;
    }
    for (const spec of METRICS) {
      const check = figureCheck(name, spec, baseline, current, mode, tol);
      if (check) checks.push(check);
    }
  }
  return checks;
}

export function compareMeasurements(
  baseline: Measurements,
  current: Measurements,
  mode: CompareMode = "relative",
  tol: Tolerances = DEFAULT_TOLERANCES,
): GateOutcome {
  const checks = [...verdictChecks(baseline, current), ...scenarioChecks(baseline, current, mode, tol)];
  return { passed: checks.every((c) => c.passed), mode, checks };
}

import type { Verdict } from "../../checkers/verdict.js";
import { median, type Measurements } from "./measurements.js";

/**
 * The gate's rules. Defaults suit a shared, noisy 2-core machine: a throughput
 * drop of more than 25% or a p99 rise of more than 50% (medians of trials) fails.
 */
export interface Tolerances {
  throughputDropFraction: number;
  latencyP99RiseFraction: number;
}

export const DEFAULT_TOLERANCES: Tolerances = { throughputDropFraction: 0.25, latencyP99RiseFraction: 0.5 };

export type CheckKind = "verdict" | "new-unknown" | "throughput" | "latency-p99" | "missing";

export interface GateCheck {
  name: string;
  kind: CheckKind;
  passed: boolean;
  message: string;
}

export interface GateOutcome {
  passed: boolean;
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
      checks.push({ name, kind: "verdict", passed: false, message: `${name} is invalid (baseline: ${describeVerdict(before)})` });
    } else if (now === "unknown" && before !== "unknown") {
      checks.push({ name, kind: "new-unknown", passed: false, message: `${name} is unknown, new since the baseline (${describeVerdict(before)})` });
    } else {
      checks.push({ name, kind: "verdict", passed: true, message: `${name} is ${String(now)}` });
    }
  }
  return checks;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function scenarioChecks(baseline: Measurements, current: Measurements, tol: Tolerances): GateCheck[] {
  const checks: GateCheck[] = [];
  for (const [name, before] of Object.entries(baseline.scenarios)) {
    const now = current.scenarios[name];
    if (now === undefined) {
      checks.push({ name, kind: "missing", passed: false, message: `${name}: in the baseline but not measured now` });
      continue;
    }
    const thrBefore = median(before.throughputPerSec);
    const thrNow = median(now.throughputPerSec);
    if (Number.isFinite(thrBefore) && thrBefore > 0) {
      const floor = thrBefore * (1 - tol.throughputDropFraction);
      const passed = Number.isFinite(thrNow) && thrNow >= floor;
      const change = ((thrNow - thrBefore) / thrBefore) * 100;
      checks.push({
        name,
        kind: "throughput",
        passed,
        message: `${name}: throughput ${formatNumber(thrNow)}/s vs ${formatNumber(thrBefore)}/s (${change >= 0 ? "+" : ""}${change.toFixed(1)}%, floor ${formatNumber(floor)}/s)`,
      });
    }
    const p99Before = median(before.latencyMsP99);
    const p99Now = median(now.latencyMsP99);
    if (Number.isFinite(p99Before) && p99Before > 0) {
      const ceiling = p99Before * (1 + tol.latencyP99RiseFraction);
      const passed = Number.isFinite(p99Now) && p99Now <= ceiling;
      const change = ((p99Now - p99Before) / p99Before) * 100;
      checks.push({
        name,
        kind: "latency-p99",
        passed,
        message: `${name}: p99 ${formatNumber(p99Now)} ms vs ${formatNumber(p99Before)} ms (${change >= 0 ? "+" : ""}${change.toFixed(1)}%, ceiling ${formatNumber(ceiling)} ms)`,
      });
    }
  }
  return checks;
}

export function compareMeasurements(baseline: Measurements, current: Measurements, tol: Tolerances = DEFAULT_TOLERANCES): GateOutcome {
  const checks = [...verdictChecks(baseline, current), ...scenarioChecks(baseline, current, tol)];
  return { passed: checks.every((c) => c.passed), checks };
}

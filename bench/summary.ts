import { median } from "../src/gate/measurements.js";
import type { ScenarioFigures } from "../src/gate/measurements.js";
import type { FailoverResult } from "./failover.js";
import type { ScenarioResult } from "./throughput.js";

/** The gate's view of a throughput scenario: each trial's 2xx rate and p99. */
export function scenarioFigures(s: ScenarioResult): ScenarioFigures {
  return { throughputPerSec: s.trials.map((t) => t.okPerSec), latencyMsP99: s.trials.map((t) => t.latencyMsP99) };
}

export interface FailoverSummary {
  newLeaderMsMedian: number;
  newLeaderMsP90: number;
  newLeaderMsMax: number;
  firstAckMsMedian: number;
  firstAckMsP90: number;
  firstAckMsMax: number;
  failedTrials: number;
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

export function summarizeFailover(r: FailoverResult): FailoverSummary {
  const leaders = r.trials.map((t) => t.newLeaderMs).filter((v): v is number => v !== null);
  const acks = r.trials.map((t) => t.firstAckMs).filter((v): v is number => v !== null);
  return {
    newLeaderMsMedian: median(leaders),
    newLeaderMsP90: quantile(leaders, 0.9),
    newLeaderMsMax: Math.max(...leaders),
    firstAckMsMedian: median(acks),
    firstAckMsP90: quantile(acks, 0.9),
    firstAckMsMax: Math.max(...acks),
    failedTrials: r.trials.filter((t) => t.firstAckMs === null).length,
  };
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

/** One line per scenario: medians over trials, and the error rate when any answer was not 2xx. */
export function throughputTable(results: ScenarioResult[]): string {
  const width = Math.max(10, ...results.map((r) => r.name.length)) + 2;
  const lines = [`${pad("scenario", width)}${pad("ok/s", 10)}${pad("p50 ms", 9)}${pad("p99 ms", 9)}errors`];
  for (const r of results) {
    const okPerSec = median(r.trials.map((t) => t.okPerSec));
    const p50 = median(r.trials.map((t) => t.latencyMsP50));
    const p99 = median(r.trials.map((t) => t.latencyMsP99));
    const errorRate = median(r.trials.map((t) => t.errorRate));
    const errors = errorRate > 0 ? `${(errorRate * 100).toFixed(1)}% (not counted as throughput)` : "0";
    lines.push(`${pad(r.name, width)}${pad(String(Math.round(okPerSec)), 10)}${pad(p50.toFixed(1), 9)}${pad(p99.toFixed(1), 9)}${errors}`);
  }
  return lines.join("\n");
}

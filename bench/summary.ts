import { median } from "../src/gate/measurements.js";
import type { ScenarioFigures } from "../src/gate/measurements.js";
import type { FailoverResult } from "./failover.js";
import type { ScenarioResult } from "./throughput.js";

/**
 * The gate's view of a throughput scenario: each trial's 2xx rate and p99, and the
 * control it is judged relative to. Ours is controlled by etcd under the same load
 * when the run measured it; otherwise, and for etcd itself, by the machine rate that
 * bounds the operation (fsync for writes, loopback HTTP for reads).
 */
export function scenarioFigures(s: ScenarioResult, all: readonly ScenarioResult[]): ScenarioFigures {
  return {
    throughputPerSec: s.trials.map((t) => t.okPerSec),
    latencyMsP99: s.trials.map((t) => t.latencyMsP99),
    control: controlOf(s, all),
  };
}

function controlOf(s: ScenarioResult, all: readonly ScenarioResult[]): string {
  const sameLoad = (o: ScenarioResult) =>
    o.op === s.op &&
    o.nodes === s.nodes &&
    o.connections === s.connections &&
    o.payloadBytes === s.payloadBytes &&
    o.pipelining === s.pipelining &&
    o.loop === s.loop;
  const reference = s.cluster === "etcd" ? undefined : all.find((o) => o.cluster === "etcd" && sameLoad(o));
  if (reference) return `scenario:${reference.name}`;
  return s.op === "read" ? "machine:http" : "machine:fsync";
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

import { calibrate, mergeCalibrations } from "../src/gate/calibrate.js";
import { median, type Calibration } from "../src/gate/measurements.js";
import { runFailover, type FailoverResult } from "./failover.js";
import { summarizeFailover, type FailoverSummary } from "./summary.js";
import { runThroughputSweep, type ScenarioResult } from "./throughput.js";

export interface CompareOptions {
  nodes: number;
  connections: number;
  payloadBytes: number;
  durationSec: number;
  /** Rounds; each runs ours then etcd, so drifts of a shared machine hit both alike. */
  rounds: number;
  failoverTrials: number;
  /** Node flags for our cluster (e.g. a planted slowdown); etcd runs as it is. */
  raftArgs: string[];
}

export interface CompareResult {
  throughputRatio: number;
  p99Ratio: number;
  failoverRatio: number;
  targets: { throughputRatioMin: number; p99RatioMax: number; failoverMsMedianMax: number };
  met: { throughput: boolean; p99: boolean; failover: boolean };
  raft: { throughputPerSec: number; latencyMsP99: number; failover: FailoverSummary };
  etcd: { throughputPerSec: number; latencyMsP99: number; failover: FailoverSummary };
  scenarios: ScenarioResult[];
  failovers: FailoverResult[];
  /** The machine's fsync, HTTP and CPU rates, one trial per round: the gate's controls. */
  calibration: Calibration;
}

export const COMPARE_TARGETS = { throughputRatioMin: 2, p99RatioMax: 0.7, failoverMsMedianMax: 300 };

/** Ours against etcd, alternating, with the same load and fsync on for both. */
export async function runCompare(opts: CompareOptions, dir: string, log: (line: string) => void): Promise<CompareResult> {
  const scenarios: ScenarioResult[] = [];
  let calibration: Calibration | null = null;
  for (let round = 0; round < opts.rounds; round++) {
    const trial = await calibrate(dir);
    calibration = calibration ? mergeCalibrations(calibration, trial) : trial;
    for (const kind of ["raft", "etcd"] as const) {
      log(`round ${round + 1}/${opts.rounds}: ${kind}`);
      scenarios.push(
        ...(await runThroughputSweep(
          {
            clusters: [kind],
            nodeCounts: [opts.nodes],
            ops: ["put"],
            connections: [opts.connections],
            payloadBytes: [opts.payloadBytes],
            pipelining: [1],
            knobs: [{ label: "default", args: opts.raftArgs }],
            durationSec: opts.durationSec,
            trials: 1,
          },
          dir,
          log,
        )),
      );
    }
  }
  const failovers: FailoverResult[] = [];
  for (const kind of ["raft", "etcd"] as const) {
    failovers.push(
      await runFailover(
        { cluster: kind, nodes: opts.nodes, trials: opts.failoverTrials, writers: 8, settleMs: 1_500, trialTimeoutMs: 20_000 },
        dir,
        log,
      ),
    );
  }
  const side = (kind: "raft" | "etcd") => {
    const trials = scenarios.filter((s) => s.cluster === kind).flatMap((s) => s.trials);
    return {
      throughputPerSec: median(trials.map((t) => t.okPerSec)),
      latencyMsP99: median(trials.map((t) => t.latencyMsP99)),
      failover: summarizeFailover(failovers.find((f) => f.cluster === kind)!),
    };
  };
  const raft = side("raft");
  const etcd = side("etcd");
  const throughputRatio = raft.throughputPerSec / etcd.throughputPerSec;
  const p99Ratio = raft.latencyMsP99 / etcd.latencyMsP99;
  const failoverRatio = raft.failover.firstAckMsMedian / etcd.failover.firstAckMsMedian;
  return {
    throughputRatio,
    p99Ratio,
    failoverRatio,
    targets: COMPARE_TARGETS,
    met: {
      throughput: throughputRatio >= COMPARE_TARGETS.throughputRatioMin,
      p99: p99Ratio <= COMPARE_TARGETS.p99RatioMax,
      failover: raft.failover.firstAckMsMedian <= COMPARE_TARGETS.failoverMsMedianMax,
    },
    raft,
    etcd,
    scenarios,
    failovers,
    calibration: calibration!,
  };
}

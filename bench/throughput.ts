import { randomUUID } from "node:crypto";
import type { Cluster } from "../clusters/cluster.js";
import { type LoadOp, READ_KEYS } from "../clusters/kind.js";
import { appliedIndex, benchKind, startBenchCluster, clusterLeader } from "./cluster-factory.js";
import { runLoad, type LoadFigures } from "./load.js";

export type BenchOp = LoadOp;

export interface ThroughputSweep {
  /** Registered kinds (clusters/index.ts) that offer HTTP load requests. */
  clusters: string[];
  nodeCounts: number[];
  ops: BenchOp[];
  connections: number[];
  payloadBytes: number[];
  /** HTTP pipelining depths to sweep (requests in flight per connection). */
  pipelining: number[];
  /** Node flag sets to sweep, each with a label; they apply to kinds that take tuning flags (ClusterKind.knobs), the others run as they are. */
  knobs: { label: string; args: string[] }[];
  durationSec: number;
  trials: number;
  /** Open loop at this offered rate (per second), or closed loop when absent. */
  overallRatePerSec?: number;
}

export interface ScenarioResult {
  name: string;
  cluster: string;
  nodes: number;
  op: BenchOp;
  connections: number;
  payloadBytes: number;
  pipelining: number;
  knobs: string;
  loop: "closed" | "open";
  trials: LoadFigures[];
  /** Entries the leader applied during each trial, against autocannon's 2xx count (writes only). */
  serverAppliedDelta: (number | null)[];
}

export function scenarioName(s: Omit<ScenarioResult, "name" | "trials" | "serverAppliedDelta">): string {
  const knobs = s.knobs === "default" ? "" : ` ${s.knobs}`;
  const pipe = s.pipelining === 1 ? "" : ` pipe${s.pipelining}`;
  return `${s.cluster} n${s.nodes} ${s.op} c${s.connections} ${s.payloadBytes}B${pipe}${knobs}${s.loop === "open" ? " open" : ""}`;
}

async function prepareReads(cluster: Cluster, leader: string, runId: string): Promise<void> {
  const client = cluster.client(leader);
  try {
    for (let i = 0; i < READ_KEYS; i++) {
      const out = await client.put(`r-${runId}-${i}`, "v");
      if (out.type !== "ok") throw new Error(`preparing reads: put failed: ${out.error}`);
    }
  } finally {
    await client.close();
  }
}

/** One cluster instance, every load shape that applies to it, trial by trial. */
async function sweepOneCluster(
  sweep: ThroughputSweep,
  kind: string,
  nodes: number,
  knobs: { label: string; args: string[] },
  dir: string,
  log: (line: string) => void,
): Promise<ScenarioResult[]> {
  const load = (await benchKind(kind)).load;
  if (!load) throw new Error(`the ${kind} cluster offers no HTTP load requests to benchmark`);
  const cluster = await startBenchCluster({ kind, nodes, nodeArgs: knobs.args }, dir);
  const results: ScenarioResult[] = [];
  try {
    const leader = await clusterLeader(cluster, 10_000);
    const url = cluster.nodes().find((n) => n.id === leader)!.httpUrl;
    const runId = randomUUID().slice(0, 8);
    for (const op of sweep.ops) {
      // A kind without this operation (etcd has no broadcast) skips it.
      if (load(op, 1, runId) === null) continue;
      if (op === "read") await prepareReads(cluster, leader, runId);
      for (const payloadBytes of sweep.payloadBytes) {
        for (const pipelining of sweep.pipelining) {
          for (const connections of sweep.connections) {
            const shape = {
              cluster: kind,
              nodes,
              op,
              connections,
              payloadBytes,
              pipelining,
              knobs: knobs.label,
              loop: sweep.overallRatePerSec ? ("open" as const) : ("closed" as const),
            };
            const result: ScenarioResult = { name: scenarioName(shape), ...shape, trials: [], serverAppliedDelta: [] };
            for (let trial = 0; trial < sweep.trials; trial++) {
              const template = load(op, payloadBytes, `${runId}${trial}`)!;
              const before = op === "read" ? null : await appliedIndex(cluster, leader);
              const figures = await runLoad({
                url,
                template,
                connections,
                pipelining,
                durationSec: sweep.durationSec,
                overallRatePerSec: sweep.overallRatePerSec,
              });
              const after = op === "read" ? null : await appliedIndex(cluster, leader);
              result.trials.push(figures);
              result.serverAppliedDelta.push(before !== null && after !== null ? after - before : null);
              const errors = figures.errorRate > 0 ? `  errors ${(figures.errorRate * 100).toFixed(1)}%` : "";
              log(
                `${result.name} #${trial + 1}: ${Math.round(figures.okPerSec)} ok/s  p50 ${figures.latencyMsP50} ms  p99 ${figures.latencyMsP99} ms${errors}`,
              );
            }
            results.push(result);
          }
        }
      }
    }
  } finally {
    await cluster.stop();
  }
  return results;
}

export async function runThroughputSweep(sweep: ThroughputSweep, dir: string, log: (line: string) => void): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const nodes of sweep.nodeCounts) {
    for (const kind of sweep.clusters) {
      const knobSets = (await benchKind(kind)).knobs ? sweep.knobs : [{ label: "default", args: [] }];
      for (const knobs of knobSets) results.push(...(await sweepOneCluster(sweep, kind, nodes, knobs, dir, log)));
    }
  }
  return results;
}

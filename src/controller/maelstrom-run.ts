/**
 * One `tob maelstrom test`: a Maelstrom-protocol workload against the user's
 * nodes, run by our controller. The nodes come from the harness of the kind
 * the spec names (found in the registry: clusters/kind.ts, `Harness`), which
 * carries their messages itself: its network is the one the nemesis cuts.
 * Clients and nemesis share one clock and one streamed history; the
 * workload's checkers, the network's figures and perf judge it; the run
 * folder is a normal one (test.json, history.jsonl, results.json,
 * nodes/*.log), so `tob report` and the gate read it.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ClusterClient } from "../../clusters/cluster.js";
import { findHarness } from "../../clusters/index.js";
import { type HarnessCluster, KindError } from "../../clusters/kind.js";
import type { Checker } from "../../checkers/checker.js";
import { netChecker, type NetStats } from "../../checkers/maelstrom/net.js";
import { perfChecker } from "../../checkers/perf/index.js";
import { findMaelstromWorkload } from "../../workloads/maelstrom/index.js";
import type { MaelstromRpcClient, MaelstromWorkloadOptions, Topology } from "../../workloads/maelstrom/workload.js";
import type { WorkloadRun } from "../../workloads/workload.js";
import { InputError } from "../history/input-error.js";
import { NEMESIS } from "../history/op.js";
import { planSpecFaults } from "../nemesis/schedule.js";
import { drive } from "./drive.js";
import type { Recorder } from "./recorder.js";
import { judge, type RunResults, writeResults } from "./results.js";
import { nodeIds, type RunSpec, type TestJson } from "./spec.js";
import { createRunDir, pointLatest } from "./store.js";

/** tob run's spec fields that mean the same here, and Maelstrom's own. */
export interface MaelstromSpec
  extends Pick<
    RunSpec,
    | "name"
    | "workload"
    | "nodes"
    | "nemesis"
    | "time"
    | "recoveryS"
    | "concurrency"
    | "rate"
    | "seed"
    | "nemesisIntervalS"
    | "nemesisDurationS"
    | "opTimeoutMs"
  > {
  /** The registered kind whose harness runs the nodes. */
  cluster: string;
  bin: string;
  args: string[];
  latencyMs: number;
  /** One of the harness' latency distributions. */
  latencyDist: string;
  topology: Topology;
  keyCount: number;
  maxTxnLength: number;
  maxWritesPerKey: number;
  logStderr: boolean;
  initTimeoutMs: number;
}

/** Maelstrom's own defaults (its command line's) for the fields a run rarely changes. */
export const MAELSTROM_DEFAULTS = {
  latencyMs: 0,
  latencyDist: "constant",
  topology: "grid",
  keyCount: 3,
  maxTxnLength: 4,
  maxWritesPerKey: 16,
  logStderr: false,
} as const satisfies Partial<MaelstromSpec>;

export interface MaelstromOutcome {
  runDir: string;
  results: RunResults;
  test: TestJson;
}

const PERF_POINTS_MAX = 5_000;
const NET_FILE = "net.json";

/** The checkers of a Maelstrom run: its workload's, the network's figures (when known), and perf. */
function maelstromCheckers(workload: readonly Checker[], net: NetStats | null): Checker[] {
  return [...workload, ...(net ? [netChecker(() => net)] : []), perfChecker({ pointsMax: PERF_POINTS_MAX })];
}

/** Whether a stored run's spec is a `tob maelstrom test`'s: the user's program (bin) under a Maelstrom workload. */
export function isMaelstromSpec(spec: unknown): spec is MaelstromSpec {
  const s = spec as Partial<MaelstromSpec> | null;
  return typeof s?.bin === "string" && Array.isArray(s.args) && findMaelstromWorkload(String(s.workload)) !== undefined;
}

/** The checkers to judge a stored Maelstrom run again (`tob report`), with the network's figures saved beside it. */
export function storedMaelstromCheckers(spec: MaelstromSpec, nodeIds: readonly string[], runDir: string): Checker[] {
  const workload = findMaelstromWorkload(spec.workload);
  if (!workload) throw new InputError(`unknown Maelstrom workload ${spec.workload}`);
  const path = join(runDir, NET_FILE);
  const net = existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as NetStats) : null;
  return maelstromCheckers(workload.make(workloadOptions(spec, nodeIds)).checkers, net);
}

function workloadOptions(spec: MaelstromSpec, nodes: readonly string[]): MaelstromWorkloadOptions {
  return {
    seed: spec.seed,
    nodes,
    concurrency: spec.concurrency,
    keyCount: spec.keyCount,
    maxTxnLength: spec.maxTxnLength,
    maxWritesPerKey: spec.maxWritesPerKey,
    topology: spec.topology,
  };
}

export async function runMaelstrom(spec: MaelstromSpec, opts: { outDir: string; log: (line: string) => void }): Promise<MaelstromOutcome> {
  const workload = findMaelstromWorkload(spec.workload);
  if (!workload) throw new InputError(`unknown workload ${spec.workload}`);
  const ids = nodeIds(spec.nodes);
  const schedule = planSpecFaults(spec, ids);
  const startedAt = new Date();
  const runDir = createRunDir(opts.outDir, spec.name, startedAt);
  // test.json holds the spec as tob run's readers expect it, plus Maelstrom's own fields.
  const test = {
    // bugs: tob run's readers list the bugs a run built in; a Maelstrom run builds in none.
    spec: { ...spec, bugs: [] },
    nodeIds: ids,
    schedule,
    startedAt: startedAt.toISOString(),
    versions: { node: process.version },
  } as unknown as TestJson;
  writeFileSync(join(runDir, "test.json"), JSON.stringify(test, null, 2) + "\n");
  pointLatest(opts.outDir, runDir);

  const mrun = workload.make(workloadOptions(spec, ids));
  let recorder: Recorder | null = null;
  const onCrash = (node: string, how: string) => {
    // A crash is a fault nobody planned: recorded like the nemesis' own, so the report shows it.
    opts.log(`node ${node} crashed (${how}); see nodes/${node}.log`);
    recorder?.record({ process: NEMESIS, type: "invoke", f: "crash", value: { nodes: [node], how } });
    recorder?.record({ process: NEMESIS, type: "info", f: "crash", value: { nodes: [node], how } });
  };
  let cluster: HarnessCluster;
  try {
    cluster = findHarness(spec.cluster).create({
      dir: runDir,
      ids,
      bin: spec.bin,
      args: spec.args,
      latencyMs: spec.latencyMs,
      latencyDist: spec.latencyDist,
      seed: spec.seed,
      logStderr: spec.logStderr,
      startTimeoutMs: spec.initTimeoutMs,
      requestTimeoutMs: spec.opTimeoutMs,
      onCrash,
      onNodeReady: mrun.setup,
    });
  } catch (err) {
    if (err instanceof KindError) throw new InputError(err.message);
    throw err;
  }
  const clients = new Map<string, ClusterClient>();
  try {
    opts.log(`starting ${spec.nodes} node(s): ${[spec.bin, ...spec.args].join(" ")} (logs in ${join(runDir, "nodes")})`);
    try {
      await cluster.start();
    } catch (err) {
      if (err instanceof KindError) throw new InputError(`the nodes did not start: ${err.message}`);
      throw err;
    }
    const run: WorkloadRun = {
      generator: mrun.generator,
      final: mrun.final,
      // This cluster's clients are Maelstrom clients: the workload speaks to them in its own messages.
      invoke: (client, op) => mrun.invoke(client as ClusterClient & MaelstromRpcClient, op),
      checkers: mrun.checkers,
    };
    const clientFor = (node: string) => {
      let c = clients.get(node);
      if (!c) clients.set(node, (c = cluster.client(node)));
      return c;
    };
    opts.log(
      `running ${workload.name} for ${spec.time}s + ${spec.recoveryS}s recovery; ${schedule.length} faults planned (${spec.nemesis.join(",") || "none"})`,
    );
    const done = await drive({
      spec,
      run,
      cluster,
      network: cluster.network,
      ids,
      schedule,
      historyPath: join(runDir, "history.jsonl"),
      clientFor,
      onRecorder: (r) => {
        recorder = r;
        // Message rates share the history's clock, so the chart's seconds are the report's.
        cluster.restartCounts();
      },
    });
    recorder = null;
    const net: NetStats = cluster.messageStats();
    // Kept apart: the router's counts are not in the history, and `tob report` judges the run again.
    writeFileSync(join(runDir, NET_FILE), JSON.stringify(net) + "\n");
    opts.log(`checking ${done.history().length} history events`);
    const results = await judge(done.history(), maelstromCheckers(run.checkers, net));
    writeResults(runDir, results);
    return { runDir, results, test };
  } finally {
    for (const c of clients.values()) await c.close().catch(() => {});
    await cluster.stop();
  }
}

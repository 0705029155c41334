/**
 * One `tob run`, from spec to verdict: plan the faults, make the run folder,
 * bring up the network backend and the cluster, drive the workload while the
 * nemesis works, heal, let the cluster recover under quiet load, read the
 * final state, stop everything, judge the history, and write the results.
 */
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { logTail } from "../../clusters/process/log-tail.js";
import { join } from "node:path";
import type { Cluster, ClusterClient } from "../../clusters/cluster.js";
import { KindError } from "../../clusters/kind.js";
import { findWorkload } from "../../workloads/index.js";
import { EnvironmentError } from "../exit.js";
import { InputError } from "../history/input-error.js";
import { isNetworkFault } from "../nemesis/faults.js";
import type { Network } from "../nemesis/network.js";
import { planSpecFaults } from "../nemesis/schedule.js";
import { NetnsBackend } from "../nemesis/netns-backend.js";
import { checkKind, kindOf, makeCluster, makeNetwork, softwareVersions } from "./clusters.js";
import { drive } from "./drive.js";
import { judge, type RunResults, writeResults } from "./results.js";
import { runCheckers, workloadRun } from "./run-checkers.js";
import { nodeIds, type RunSpec, type TestJson } from "./spec.js";
import { createRunDir, pointLatest } from "./store.js";

export interface RunOptions {
  outDir: string;
  /** A stored test.json to repeat: its schedule is used as is. */
  replay?: { dir: string; test: TestJson };
  /** Milestones ("cluster up", "healing"); the live line is Progress's. */
  log: (line: string) => void;
}

export interface RunOutcome {
  runDir: string;
  results: RunResults;
  test: TestJson;
}

export async function runTest(given: RunSpec, opts: RunOptions): Promise<RunOutcome> {
  const workload = findWorkload(given.workload);
  if (!workload) throw new InputError(`unknown workload ${given.workload}`);
  // Everything the kind must offer is checked here, before any folder or process exists.
  const kind = await kindOf(given);
  const spec: RunSpec = { ...given, reads: checkKind(kind, given, workload.requires) };
  const versions = await softwareVersions(kind);
  const ids = opts.replay?.test.nodeIds ?? nodeIds(spec.nodes);
  const schedule = opts.replay?.test.schedule ?? planSpecFaults(spec, ids);
  const startedAt = new Date();
  const runDir = createRunDir(opts.outDir, spec.name, startedAt);
  const test: TestJson = {
    spec,
    nodeIds: ids,
    schedule,
    startedAt: startedAt.toISOString(),
    versions,
    ...(opts.replay ? { replayOf: opts.replay.dir } : {}),
  };
  // Written first: a run that dies later is still understood and reportable.
  writeTestJson(runDir, test);
  pointLatest(opts.outDir, runDir);

  const wantsNetwork = spec.nemesis.some(isNetworkFault) || spec.net === "netns";
  let network: Network | null = null;
  let cluster: Cluster | null = null;
  const clients = new Map<string, ClusterClient>();
  try {
    const made = await makeNetwork(spec, ids, wantsNetwork, () => cluster);
    network = made;
    if (made instanceof NetnsBackend) {
      test.namespaces = Object.fromEntries(ids.map((id) => [id, made.net.namespace(id)]));
      writeTestJson(runDir, test);
    }
    cluster = makeCluster(kind, spec, spec.reads as string, runDir, ids, network);
    opts.log(`starting ${spec.nodes}-node ${kind.name} cluster in ${runDir}`);
    try {
      await cluster.start();
    } catch (err) {
      // The adapters name the failing node; the logs say why. Tails of every node's log, once.
      // A cluster that will not start is the environment's failure (exit 5), unless the adapter blamed our input.
      const message = String((err as Error)?.message ?? err).split("\n")[0];
      const Failure = err instanceof InputError || err instanceof KindError ? InputError : EnvironmentError;
      throw new Failure(`the ${kind.name} cluster did not start: ${message}\n${logTails(runDir)}`);
    }
    const clientFor = (node: string) => {
      let c = clients.get(node);
      if (!c) clients.set(node, (c = (cluster as Cluster).client(node)));
      return c;
    };

    const run = workloadRun(spec, ids);
    opts.log(
      `running ${workload.name} for ${spec.time}s + ${spec.recoveryS}s recovery; ${schedule.length} faults planned (${spec.nemesis.join(",") || "none"})`,
    );
    const recorder = await drive({ spec, run, cluster, network, ids, schedule, historyPath: join(runDir, "history.jsonl"), clientFor });
    opts.log(`checking ${recorder.history().length} history events`);
    const results = await judge(recorder.history(), runCheckers(run));
    writeResults(runDir, results);
    return { runDir, results, test };
  } finally {
    for (const c of clients.values()) await c.close().catch(() => {});
    await cluster?.stop();
    await network?.close();
  }
}

/** The last lines of every node's log, for a cluster that failed to start. */
export function logTails(runDir: string): string {
  const dir = join(runDir, "nodes");
  if (!existsSync(dir)) return "(no node logs)";
  const out: string[] = [];
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith(".log"))
    .sort()) {
    out.push(`--- ${name} (its last lines)`, logTail(join(dir, name)));
  }
  return out.join("\n") || "(no node logs)";
}

function writeTestJson(runDir: string, test: TestJson): void {
  writeFileSync(join(runDir, "test.json"), JSON.stringify(test, null, 2) + "\n");
}

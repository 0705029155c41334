/**
 * One `tob run`, from spec to verdict: plan the faults, make the run folder,
 * bring up the network backend and the cluster, drive the workload while the
 * nemesis works, heal, let the cluster recover under quiet load, read the
 * final state, stop everything, judge the history, and write the results.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Cluster, ClusterClient } from "../../clusters/cluster.js";
import { findWorkload } from "../../workloads/index.js";
import { InputError } from "../exit.js";
import { isNetworkFault } from "../nemesis/faults.js";
import { Nemesis } from "../nemesis/nemesis.js";
import type { Network } from "../nemesis/network.js";
import { planFaults } from "../nemesis/schedule.js";
import { NS_PER_S, RunClock, sleepMs } from "./clock.js";
import { makeCluster, makeNetwork, missingClientMethods, softwareVersions } from "./clusters.js";
import { defer, type Generator } from "./generator.js";
import { concurrency, phases, rate, timeLimit, until } from "./generator-combinators.js";
import { Progress } from "./progress.js";
import { Recorder } from "./recorder.js";
import { judge, type RunResults, writeResults } from "./results.js";
import { runClients } from "./runner.js";
import { runCheckers, workloadRun } from "./run-checkers.js";
import { nodeIds, type RunSpec, type TestJson } from "./spec.js";
import { createRunDir, pointLatest } from "./store.js";

export interface RunOptions {
  outDir: string;
  /** A stored test.json to repeat: its schedule is used as is. */
  replay?: { dir: string; test: TestJson };
  signal?: AbortSignal;
  /** Milestones ("cluster up", "healing"); the live line is Progress's. */
  log: (line: string) => void;
}

export interface RunOutcome {
  runDir: string;
  results: RunResults;
  test: TestJson;
}

const LOG_TAIL_LINES = 20;
const LEADER_POLL_MS = 1_000;
/** How much longer than planned a run may go while the final heal completes. */
const HEAL_GRACE_S = 60;
const OP_TIMEOUT_GUARD_MS = 1_000;

export async function runTest(spec: RunSpec, opts: RunOptions): Promise<RunOutcome> {
  const workload = findWorkload(spec.workload);
  if (!workload) throw new InputError(`unknown workload ${spec.workload}`);
  const missing = missingClientMethods(spec, workload.requires);
  if (missing.length) throw new InputError(`workload ${workload.name} needs ${missing.join(", ")}, which the ${spec.cluster} cluster's client does not offer`);
  const ids = opts.replay?.test.nodeIds ?? nodeIds(spec.nodes);
  const schedule =
    opts.replay?.test.schedule ??
    planFaults({ faults: spec.nemesis, nodes: ids, seed: spec.seed, timeS: spec.time, intervalS: spec.nemesisIntervalS, durationS: spec.nemesisDurationS });
  const startedAt = new Date();
  const runDir = createRunDir(opts.outDir, spec.name, startedAt);
  const test: TestJson = {
    spec,
    nodeIds: ids,
    schedule,
    startedAt: startedAt.toISOString(),
    versions: await softwareVersions(spec),
    ...(opts.replay ? { replayOf: opts.replay.dir } : {}),
  };
  // Written first: a run that dies later is still understood and reportable.
  writeFileSync(join(runDir, "test.json"), JSON.stringify(test, null, 2) + "\n");
  pointLatest(opts.outDir, runDir);

  const wantsNetwork = spec.nemesis.some(isNetworkFault) || spec.net === "netns";
  let network: Network | null = null;
  let cluster: Cluster | null = null;
  const clients = new Map<string, ClusterClient>();
  try {
    const made = await makeNetwork(spec, ids, wantsNetwork, () => cluster);
    network = made;
    cluster = makeCluster(spec, runDir, network);
    opts.log(`starting ${spec.nodes}-node ${spec.cluster} cluster in ${runDir}`);
    try {
      await cluster.start();
    } catch (err) {
      // The adapters name the failing node; the logs say why. Tails of every node's log, once.
      const message = String((err as Error)?.message ?? err).split("\n")[0];
      throw new InputError(`the ${spec.cluster} cluster did not start: ${message}\n${logTails(runDir)}`);
    }
    const clientFor = (node: string) => {
      let c = clients.get(node);
      if (!c) clients.set(node, (c = (cluster as Cluster).client(node)));
      return c;
    };

    const run = workloadRun(spec, ids);
    const clock = new RunClock();
    let leader: string | null = null;
    const progress: Progress = new Progress({ clock, totalS: spec.time + spec.recoveryS, faults: () => nemesis.active(), leader: () => leader });
    const recorder = new Recorder(join(runDir, "history.jsonl"), clock, (op) => progress.onOp(op));
    const nemesis = new Nemesis({ cluster, network, recorder, clock, signal: opts.signal });
    const main = concurrency(spec.concurrency, rate(spec.rate, run.generator));
    // Load runs through the faults, then for recoveryS after the final heal
    // (which may finish late: a restart waits for the node), bounded regardless.
    let healedNs: number | null = null;
    const recoveryOver = (t: number) => healedNs !== null && t >= healedNs + spec.recoveryS * NS_PER_S;
    const boundNs = (spec.time + spec.recoveryS + HEAL_GRACE_S) * NS_PER_S;
    const parts: Generator[] = [timeLimit(boundNs, until(recoveryOver, main))];
    if (run.final) {
      const final = run.final;
      parts.push(defer(() => final(recorder.history())));
    }
    const c = cluster;
    const poll = setInterval(() => void c.leader?.().then((l) => (leader = l), () => (leader = null)), LEADER_POLL_MS);
    progress.start();
    opts.log(`running ${workload.name} for ${spec.time}s + ${spec.recoveryS}s recovery; ${schedule.length} faults planned (${spec.nemesis.join(",") || "none"})`);
    try {
      await Promise.all([
        runClients(phases(...parts), {
          threads: spec.concurrency,
          nodes: ids,
          clock,
          recorder,
          clientFor,
          invoke: run.invoke,
          // The clients time out at opTimeoutMs themselves; this guard catches one that does not.
          opTimeoutMs: spec.opTimeoutMs + OP_TIMEOUT_GUARD_MS,
          signal: opts.signal,
        }),
        nemesis
          .run(schedule)
          .then(() => sleepMs((spec.time * NS_PER_S - clock.nowNs()) / 1e6, opts.signal))
          .finally(() => nemesis.healAll())
          .then(() => (healedNs = clock.nowNs())),
      ]);
    } finally {
      clearInterval(poll);
      progress.stop();
      await nemesis.healAll();
      recorder.close();
    }
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
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".log")).sort()) {
    const lines = readFileSync(join(dir, name), "utf8").trimEnd().split("\n");
    out.push(`--- ${name} (last ${Math.min(LOG_TAIL_LINES, lines.length)} lines)`, ...lines.slice(-LOG_TAIL_LINES));
  }
  return out.join("\n") || "(no node logs)";
}

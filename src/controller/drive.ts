/**
 * The running part of a run: the clients under load and the nemesis at work,
 * side by side on one clock, every op streamed to the history. The load goes
 * on through the faults, then for the recovery time after the final heal, and
 * then the workload's final reads run on a quiet, healed cluster.
 */
import type { Cluster, ClusterClient } from "../../clusters/cluster.js";
import type { WorkloadRun } from "../../workloads/workload.js";
import { NEMESIS } from "../history/op.js";
import { Nemesis } from "../nemesis/nemesis.js";
import type { Network } from "../nemesis/network.js";
import type { PlannedFault } from "../nemesis/schedule.js";
import { NS_PER_S } from "../history/op.js";
import { RunClock, sleepMs } from "./clock.js";
import { defer, type Generator } from "./generator.js";
import { concurrency, phases, rate, timeLimit, until } from "./generator-combinators.js";
import { Progress } from "./progress.js";
import { Recorder } from "./recorder.js";
import { runClients } from "./runner.js";
import type { RunSpec } from "./spec.js";

/** What the running part needs of a spec (`tob run`'s, or one `tob maelstrom test` builds). */
export type DriveSpec = Pick<RunSpec, "time" | "recoveryS" | "concurrency" | "rate" | "opTimeoutMs">;

export interface DriveOptions {
  spec: DriveSpec;
  run: WorkloadRun;
  cluster: Cluster;
  network: Network | null;
  ids: readonly string[];
  schedule: readonly PlannedFault[];
  historyPath: string;
  clientFor: (node: string) => ClusterClient;
  /** Told the run's recorder once it exists: events outside the clients and the nemesis (a node's crash) go in the history too. */
  onRecorder?: (recorder: Recorder) => void;
}

const LEADER_POLL_MS = 1_000;
/** How much longer than planned a run may go while the final heal completes. */
const HEAL_GRACE_S = 60;
/** The clients time out at opTimeoutMs themselves; the runner's guard catches one that does not. */
const OP_TIMEOUT_GUARD_MS = 1_000;

/** Returns the closed recorder, whose history is the run's. */
export async function drive(o: DriveOptions): Promise<Recorder> {
  const { spec, run, cluster } = o;
  // A nemesis that failed ends the load too.
  const stop = new AbortController();
  const clock = new RunClock();
  let leader: string | null = null;
  const progress: Progress = new Progress({
    clock,
    totalS: spec.time + spec.recoveryS,
    faults: () => nemesis.active(),
    leader: () => leader,
  });
  const recorder = new Recorder(o.historyPath, clock, (op) => progress.onOp(op));
  const nemesis = new Nemesis({ cluster, network: o.network, recorder, clock, signal: stop.signal });
  // A node that dies on its own is a fault like any other: recorded, not an error of the run.
  let recording = true;
  cluster.onCrash?.((node, how) => {
    if (recording) recorder.record({ process: NEMESIS, type: "info", f: "crash", value: { nodes: [node], how } });
  });
  o.onRecorder?.(recorder);

  let healedNs: number | null = null;
  const recoveryOver = (t: number) => healedNs !== null && t >= healedNs + spec.recoveryS * NS_PER_S;
  const boundNs = (spec.time + spec.recoveryS + HEAL_GRACE_S) * NS_PER_S;
  const main = concurrency(spec.concurrency, rate(spec.rate, run.generator));
  const parts: Generator[] = [timeLimit(boundNs, until(recoveryOver, main))];
  const final = run.final;
  if (final) parts.push(defer(() => final(recorder.history())));

  // The leader is shown on the live line only, so it is asked for only then.
  const poll = progress.live
    ? setInterval(
        () =>
          void cluster.leader?.().then(
            (l) => (leader = l),
            () => (leader = null),
          ),
        LEADER_POLL_MS,
      )
    : null;
  progress.start();
  try {
    const [clients, faults] = await Promise.allSettled([
      runClients(phases(...parts), {
        threads: spec.concurrency,
        nodes: o.ids,
        clock,
        recorder,
        clientFor: o.clientFor,
        invoke: run.invoke,
        opTimeoutMs: spec.opTimeoutMs + OP_TIMEOUT_GUARD_MS,
        signal: stop.signal,
      }),
      nemesis
        .run(o.schedule)
        .then(() => sleepMs((spec.time * NS_PER_S - clock.nowNs()) / 1e6, stop.signal))
        .catch((err: unknown) => {
          stop.abort();
          throw err;
        })
        .finally(() => nemesis.healAll())
        .then(() => (healedNs = clock.nowNs())),
    ]);
    if (clients.status === "rejected") throw clients.reason;
    if (faults.status === "rejected") throw faults.reason;
  } finally {
    if (poll) clearInterval(poll);
    progress.stop();
    await nemesis.healAll();
    recording = false;
    recorder.close();
  }
  return recorder;
}

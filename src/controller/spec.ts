/**
 * The resolved spec of a run: every choice `tob run` made, from flags or
 * defaults. It is written to test.json with the fault schedule, so a run can
 * be understood, reported and replayed from its folder alone.
 */
import { BUGS, type Bug } from "../../clusters/raft/node/bugs.js";
import { InputError } from "../history/input-error.js";
import { FAULT_NAMES, faultParts, isNetworkFault } from "../nemesis/faults.js";
import type { PlannedFault } from "../nemesis/schedule.js";

export const NETS = ["proxy", "netns"] as const;
export { BUGS, type Bug };

export interface RunSpec {
  /** The folder under results/: the workload's name. */
  name: string;
  workload: string;
  /** A registered kind (clusters/index.ts), or a path to a module exporting one (./adapter.mjs). */
  cluster: string;
  /** Flags that configure the kind (--node-cmd, --cluster-file), as given; absent for kinds that take none. */
  clusterParams?: Record<string, string>;
  nodes: number;
  nemesis: string[];
  /** Seconds of faults and load. */
  time: number;
  /** Seconds of quiet load after the final heal: the cluster must recover (liveness). */
  recoveryS: number;
  concurrency: number;
  /** Client ops per second, all processes together. */
  rate: number;
  seed: number;
  bugs: Bug[];
  net: (typeof NETS)[number];
  /** How reads go, one of the kind's read modes; absent: the kind's default (test.json records the one used). */
  reads?: string;
  nemesisIntervalS: number;
  nemesisDurationS: number;
  /** An op still unanswered after this is recorded as info. */
  opTimeoutMs: number;
}

export interface TestJson {
  spec: RunSpec;
  /** Node ids, in the order the schedule's targets refer to. */
  nodeIds: string[];
  schedule: PlannedFault[];
  startedAt: string;
  versions: Record<string, string>;
  /** The run this one replays, when it does. */
  replayOf?: string;
  /** With --net netns: each node's network namespace, so a reader can tell the run's own from others'. */
  namespaces?: Record<string, string>;
}

export function nodeIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `n${i + 1}`);
}

/**
 * Rejects a spec that cannot run, naming the flag and the valid choices. What
 * depends on the kind of cluster (read modes, features, network backends, bugs)
 * is checked against the kind itself (./clusters.ts).
 */
export function validateSpec(spec: RunSpec, workloads: readonly string[]): void {
  const oneOf = (flag: string, value: string, choices: readonly string[]) => {
    if (!choices.includes(value)) throw new InputError(`--${flag} ${JSON.stringify(value)} is not known; valid: ${choices.join(", ")}`);
  };
  oneOf("workload", spec.workload, workloads);
  oneOf("net", spec.net, NETS);
  for (const f of spec.nemesis) for (const part of faultParts(f)) oneOf("nemesis", part, ["none", ...FAULT_NAMES]);
  for (const b of spec.bugs) oneOf("bug", b, BUGS);
  for (const f of spec.nemesis) {
    if (faultParts(f).filter(isNetworkFault).length > 1)
      throw new InputError(`--nemesis ${f}: a composite may hold one network fault at most`);
  }
  const positive = (flag: string, v: number, integer: boolean, max: number) => {
    if (!Number.isFinite(v) || v <= 0 || v > max || (integer && !Number.isInteger(v))) {
      throw new InputError(`--${flag} must be a${integer ? "n integer" : " number"} in (0, ${max}], got ${v}`);
    }
  };
  positive("nodes", spec.nodes, true, 9);
  positive("time", spec.time, false, 24 * 3600);
  positive("concurrency", spec.concurrency, true, 1000);
  positive("rate", spec.rate, false, 100_000);
  positive("nemesis-interval", spec.nemesisIntervalS, false, 3600);
  positive("nemesis-duration", spec.nemesisDurationS, false, 3600);
  if (!(spec.recoveryS >= 0)) throw new InputError(`--recovery must be >= 0 seconds, got ${spec.recoveryS}`);
  if (!Number.isSafeInteger(spec.seed)) throw new InputError(`--seed must be an integer, got ${spec.seed}`);
}

/** "kill,partition" → ["kill", "partition"]; "none" or "" → []. */
export function parseNemesis(text: string): string[] {
  const names = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return names.filter((n) => n !== "none");
}

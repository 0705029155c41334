/**
 * The resolved spec of a run: every choice `tob run` made, from flags or
 * defaults. It is written to test.json with the fault schedule, so a run can
 * be understood, reported and replayed from its folder alone.
 */
import { InputError } from "../history/input-error.js";
import { FAULT_NAMES, faultParts, isNetworkFault } from "../nemesis/faults.js";
import type { PlannedFault } from "../nemesis/schedule.js";

export const NETS = ["proxy", "netns"] as const;

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
  /** Planted bugs to build in, each one of the kind's (checked against it: ./clusters.ts). */
  bugs: string[];
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

/** The largest value of each numeric field (the smallest is above 0, recovery's 0): the flags parse to these, test.json is held to them. */
export const SPEC_MAX = {
  nodes: 9,
  time: 24 * 3600,
  recoveryS: 3600,
  concurrency: 1000,
  rate: 100_000,
  nemesisIntervalS: 3600,
  nemesisDurationS: 3600,
  opTimeoutMs: 3_600_000,
} as const;

/**
 * What is wrong with one `--nemesis` entry ("kill", "delay+pause-leader"), or
 * null: each part a known fault, and a composite holds one network fault at most.
 */
export function nemesisProblem(entry: string): string | null {
  const parts = faultParts(entry);
  const unknown = parts.find((p) => !FAULT_NAMES.includes(p));
  if (unknown !== undefined) return `${JSON.stringify(unknown)} is not known; valid: none, ${FAULT_NAMES.join(", ")}`;
  if (parts.filter(isNetworkFault).length > 1) return `${entry}: a composite may hold one network fault at most`;
  return null;
}

/**
 * Rejects a spec that cannot run (a replayed test.json included), naming the
 * flag and the valid choices. What depends on the kind of cluster (read modes,
 * features, network backends, bugs) is checked against the kind itself
 * (./clusters.ts).
 */
export function validateSpec(spec: RunSpec, workloads: readonly string[]): void {
  const oneOf = (flag: string, value: string, choices: readonly string[]) => {
    if (!choices.includes(value)) throw new InputError(`--${flag} ${JSON.stringify(value)} is not known; valid: ${choices.join(", ")}`);
  };
  oneOf("workload", spec.workload, workloads);
  oneOf("net", spec.net, NETS);
  for (const f of spec.nemesis) {
    const problem = nemesisProblem(f);
    if (problem !== null) throw new InputError(`--nemesis ${problem}`);
  }
  const positive = (flag: string, v: number, integer: boolean, max: number) => {
    if (!Number.isFinite(v) || v <= 0 || v > max || (integer && !Number.isInteger(v))) {
      throw new InputError(`--${flag} must be a${integer ? "n integer" : " number"} in (0, ${max}], got ${v}`);
    }
  };
  positive("nodes", spec.nodes, true, SPEC_MAX.nodes);
  positive("time", spec.time, false, SPEC_MAX.time);
  positive("concurrency", spec.concurrency, true, SPEC_MAX.concurrency);
  positive("rate", spec.rate, false, SPEC_MAX.rate);
  positive("nemesis-interval", spec.nemesisIntervalS, false, SPEC_MAX.nemesisIntervalS);
  positive("nemesis-duration", spec.nemesisDurationS, false, SPEC_MAX.nemesisDurationS);
  positive("op-timeout", spec.opTimeoutMs, false, SPEC_MAX.opTimeoutMs);
  if (!(spec.recoveryS >= 0 && spec.recoveryS <= SPEC_MAX.recoveryS))
    throw new InputError(`--recovery must be from 0 to ${SPEC_MAX.recoveryS} seconds, got ${spec.recoveryS}`);
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

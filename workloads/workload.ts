/**
 * A workload is a bundle (Jepsen's and Maelstrom's shape): a generator of ops,
 * a client mapping each op onto the Cluster seam, and the checkers that judge
 * the history. Adding one touches nothing else but the registry (./index.ts).
 * Workloads never import a specific cluster.
 */
import type { Checker } from "../checkers/checker.js";
import type { ClusterClient, Outcome, ReadConsistency } from "../clusters/cluster.js";
import type { Generator, OpRequest } from "../src/controller/generator.js";
import type { Op } from "../src/history/op.js";

export interface WorkloadOptions {
  seed: number;
  nodes: readonly string[];
  /** Client threads: some workloads size their keys by it. */
  concurrency: number;
  /** How reads ask the cluster (--reads, one of the kind's read modes); undefined: the kind's default. */
  readConsistency?: ReadConsistency;
}

/** How one client call ended, before it is recorded as the op's completion. */
export interface Completion {
  type: "ok" | "fail" | "info";
  value: unknown;
  error?: string;
  /** The client's exactly-once resends (Outcome.retries), recorded in the history. */
  retries?: number;
}

export interface Workload {
  readonly name: string;
  readonly description: string;
  /** Every client feature (ClusterClient method) the workload calls: a kind lacking one is refused before the run starts. */
  readonly requires: readonly (keyof ClusterClient)[];
  /** Faults this workload is about when `--nemesis` is not given. */
  readonly defaultNemesis: readonly string[];
  make(opts: WorkloadOptions): WorkloadRun;
}

/** One run's instance of a workload: its client state lives here. */
export interface WorkloadRun {
  /** The main ops, endless: the controller bounds them by time and rate. */
  generator: Generator;
  /** Ops after the run is healed and quiet (final reads), from the history so far; or null. */
  final: ((history: readonly Op[]) => Generator) | null;
  invoke(client: ClusterClient, op: OpRequest): Promise<Completion>;
  checkers: Checker[];
}

/** An Outcome as a completion, the ok value mapped (e.g. to the op's read value). */
export function completion<T>(outcome: Outcome<T>, okValue: (value: T) => unknown): Completion {
  const retries = outcome.retries ? { retries: outcome.retries } : {};
  if (outcome.type === "ok") return { type: "ok", value: okValue(outcome.value), ...retries };
  return { type: outcome.type, value: null, error: outcome.error, ...retries };
}

/** A workload's call to a feature the cluster's client lacks: a programming error the controller checks up front. */
export function need<K extends keyof ClusterClient>(client: ClusterClient, method: K): NonNullable<ClusterClient[K]> {
  const fn = client[method];
  if (typeof fn !== "function") throw new Error(`this cluster's client has no ${String(method)}()`);
  return (fn as (...a: unknown[]) => unknown).bind(client) as NonNullable<ClusterClient[K]>;
}

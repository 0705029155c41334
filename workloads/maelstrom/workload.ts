/**
 * A Maelstrom workload (doc/workloads.md): a bundle of a generator, the
 * mapping of each op onto the workload's RPCs, and the checkers, exactly as
 * our own workloads are (../workload.ts), but its client speaks Maelstrom's
 * messages to whatever node it is bound to. Adding one touches nothing else
 * but ./index.ts.
 */
import type { Outcome } from "../../clusters/cluster.js";
import type { Body, Rpc } from "../../clusters/api/maelstrom-protocol.js";
import type { OpRequest } from "../../src/controller/generator.js";
import type { Completion, WorkloadRun } from "../workload.js";

export type Topology = "grid" | "line" | "tree" | "total";
export const TOPOLOGIES: readonly Topology[] = ["grid", "line", "tree", "total"];

export interface MaelstromWorkloadOptions {
  seed: number;
  nodes: readonly string[];
  concurrency: number;
  /** Keys in play at once (lin-kv, txn-*, kafka). */
  keyCount: number;
  /** Micro-ops per transaction at most (txn-*). */
  maxTxnLength: number;
  /** Writes (appends) a key gets before it is retired for a fresh one (txn-*). */
  maxWritesPerKey: number;
  topology: Topology;
}

/** What a workload's client needs: requests to the node it is bound to. */
export interface MaelstromRpcClient {
  readonly node: string;
  rpc: Rpc;
}

export interface MaelstromWorkload {
  readonly name: string;
  readonly description: string;
  make(opts: MaelstromWorkloadOptions): MaelstromWorkloadRun;
}

/** One run's instance, as ../workload.ts's, with a Maelstrom client, and setup for each node. */
export interface MaelstromWorkloadRun extends Omit<WorkloadRun, "invoke"> {
  invoke(client: MaelstromRpcClient, op: OpRequest): Promise<Completion>;
  /** Told to each node after its init, at the start and after a restart (e.g. the topology). */
  setup?: (node: string, rpc: Rpc) => Promise<void>;
}

/** A reply as the op's completion: ok with `value(body)`; errors keep their fail/info meaning. */
export function reply(out: Outcome<Body>, value: (body: Body) => unknown): Completion {
  if (out.type === "ok") return { type: "ok", value: value(out.value) };
  return { type: out.type, value: null, error: out.error };
}

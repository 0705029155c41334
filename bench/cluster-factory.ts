import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Cluster } from "../clusters/cluster.js";
import { EtcdCluster } from "../clusters/etcd/cluster.js";
import { RaftCluster } from "../clusters/raft/adapter.js";

export type BenchClusterKind = "raft" | "etcd";

export interface BenchClusterSpec {
  kind: BenchClusterKind;
  nodes: number;
  /** Extra flags for our nodes (the batching and pipelining knobs). */
  raftNodeArgs?: string[];
}

/** Starts a fresh cluster in its own folder under `dir`; the caller stops it. Both run with fsync on. */
export async function startBenchCluster(spec: BenchClusterSpec, dir: string): Promise<Cluster> {
  const clusterDir = join(dir, `${spec.kind}-n${spec.nodes}-${Date.now()}`);
  mkdirSync(clusterDir, { recursive: true });
  const cluster: Cluster =
    spec.kind === "etcd"
      ? new EtcdCluster({ dir: clusterDir, nodes: spec.nodes })
      : new RaftCluster({ dir: clusterDir, nodes: spec.nodes, nodeArgs: spec.raftNodeArgs ?? [] });
  await cluster.start();
  return cluster;
}

const POLL_MS = 20;

/** The leader's id, polling until one is known or the deadline passes. */
export async function waitForLeader(cluster: Cluster, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const leader = await cluster.leader?.();
    if (leader) return leader;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`${cluster.kind}: no leader within ${timeoutMs} ms`);
}

/** The leader's applied index, the server's own count of what it committed. */
export async function appliedIndex(cluster: Cluster, node: string): Promise<number | null> {
  const client = cluster.client(node);
  try {
    const status = await client.status?.();
    return status?.type === "ok" ? status.value.appliedIndex : null;
  } finally {
    await client.close();
  }
}

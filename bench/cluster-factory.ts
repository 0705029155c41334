import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { waitForLeader } from "../clusters/api/leader.js";
import type { Cluster } from "../clusters/cluster.js";
import { resolveKind } from "../clusters/index.js";
import type { ClusterKind } from "../clusters/kind.js";
import { nodeIds } from "../src/controller/spec.js";

export interface BenchClusterSpec {
  /** A registered kind's name (clusters/index.ts). */
  kind: string;
  nodes: number;
  /** Extra flags for every node (the batching and pipelining knobs), for kinds that take them. */
  nodeArgs?: string[];
}

/** The registered kind a benchmark names. */
export function benchKind(name: string): Promise<ClusterKind> {
  return resolveKind(name, {});
}

/** Starts a fresh cluster in its own folder under `dir`, nodes on loopback; the caller stops it. */
export async function startBenchCluster(spec: BenchClusterSpec, dir: string): Promise<Cluster> {
  const kind = await benchKind(spec.kind);
  const clusterDir = join(dir, `${spec.kind}-n${spec.nodes}-${Date.now()}`);
  mkdirSync(clusterDir, { recursive: true });
  const cluster = kind.create({
    dir: clusterDir,
    ids: nodeIds(spec.nodes),
    reads: kind.readModes[0]!,
    requestTimeoutMs: 5_000,
    wiring: { backend: "direct" },
    bugs: [],
    nodeArgs: spec.nodeArgs ?? [],
  });
  await cluster.start();
  return cluster;
}

/** The leader's id by the cluster's own view, polling until one is known or the deadline passes. */
export async function clusterLeader(cluster: Cluster, timeoutMs: number): Promise<string> {
  try {
    return await waitForLeader(async () => (await cluster.leader?.()) ?? null, timeoutMs);
  } catch (err) {
    throw new Error(`${cluster.kind}: ${(err as Error).message}`);
  }
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

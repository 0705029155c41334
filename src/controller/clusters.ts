/**
 * The one place that knows the concrete clusters and network backends: it
 * wires a spec to a RaftCluster or an EtcdCluster, and to the proxy mesh or
 * network namespaces. Everything else sees only the Cluster and Network seams.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EtcdCluster } from "../../clusters/etcd/cluster.js";
import { EtcdClient } from "../../clusters/etcd/client.js";
import { etcdVersion } from "../../clusters/etcd/binary.js";
import type { Cluster, ClusterClient } from "../../clusters/cluster.js";
import { RaftHttpClient } from "../../clusters/raft/node/client.js";
import { RaftCluster } from "../../clusters/raft/adapter.js";
import { InputError } from "../history/input-error.js";
import { NetnsBackend } from "../nemesis/netns-backend.js";
import { isDelayFault } from "../nemesis/faults.js";
import { netemAvailable } from "../nemesis/netns/available.js";
import { NetnsNetwork } from "../nemesis/netns/network.js";
import type { Network } from "../nemesis/network.js";
import { ProxyMesh } from "../nemesis/proxy/mesh.js";
import { PACKAGE_ROOT } from "../paths.js";
import type { RunSpec } from "./spec.js";

/**
 * The network backend a run uses, or null when it injects no network fault.
 * `cluster` is read lazily: the mesh learns the nodes' real peer ports only
 * once the cluster that dials through it exists.
 */
export async function makeNetwork(spec: RunSpec, ids: readonly string[], wanted: boolean, cluster: () => Cluster | null): Promise<Network | null> {
  if (!wanted) return null;
  if (spec.net === "proxy") {
    return ProxyMesh.open(ids, (node) => cluster()?.nodes().find((n) => n.id === node)?.peerAddr ?? null);
  }
  const available = await NetnsNetwork.available();
  if (!available.ok) throw new InputError(`--net netns is not available here: ${available.reason}`);
  const delay = spec.nemesis.find(isDelayFault);
  if (delay !== undefined) {
    const netem = await netemAvailable();
    if (!netem.ok) throw new InputError(`--nemesis ${delay} is unsupported with --net netns here: ${netem.reason}; use --net proxy`);
  }
  const net = new NetnsNetwork({ hosts: ids });
  await net.setup();
  return new NetnsBackend(net);
}

export function makeCluster(spec: RunSpec, runDir: string, network: Network | null): Cluster {
  if (spec.cluster === "etcd") {
    return new EtcdCluster({
      dir: runDir,
      nodes: spec.nodes,
      reads: spec.etcdReads,
      requestTimeoutMs: spec.opTimeoutMs,
      network: network instanceof NetnsBackend ? network.net : undefined,
    });
  }
  return new RaftCluster({
    dir: runDir,
    nodes: spec.nodes,
    peerDial: network instanceof ProxyMesh ? (id: string) => network.dialAddrs(id) : undefined,
    netns: network instanceof NetnsBackend ? network.net : undefined,
    nodeArgs: spec.bugs.flatMap((b) => ["--bug", b]),
    requestTimeoutMs: spec.opTimeoutMs,
  });
}

/** The client methods of a kind of cluster that a workload needs and it lacks, known before anything starts. */
export function missingClientMethods(spec: RunSpec, needed: readonly (keyof ClusterClient)[]): string[] {
  const proto = (spec.cluster === "etcd" ? EtcdClient.prototype : RaftHttpClient.prototype) as unknown as Record<string, unknown>;
  return needed.filter((m) => typeof proto[m] !== "function");
}

/** What ran, for test.json. */
export async function softwareVersions(spec: RunSpec): Promise<Record<string, string>> {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version?: string };
  const versions: Record<string, string> = { node: process.version, tob: pkg.version ?? "unknown" };
  if (spec.cluster === "etcd") versions.etcd = await etcdVersion("etcd").catch((err: Error) => `unknown (${err.message})`);
  return versions;
}

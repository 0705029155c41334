/**
 * Wires a run to its cluster and network backend. The kind comes from the
 * registry (clusters/index.ts) and everything that depends on it is checked
 * against what the kind declares, before anything starts; no kind is named
 * here. Everything else sees only the Cluster and Network seams.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Cluster } from "../../clusters/cluster.js";
import { resolveKind } from "../../clusters/index.js";
import { type ClusterKind, KindError, type PlantedBug, type Wiring } from "../../clusters/kind.js";
import { EnvironmentError } from "../exit.js";
import { InputError } from "../history/input-error.js";
import { NetnsBackend } from "../nemesis/netns-backend.js";
import { isDelayFault, isMembershipFault, isNetworkFault } from "../nemesis/faults.js";
import { netemAvailable } from "../nemesis/netns/available.js";
import { NetnsNetwork } from "../nemesis/netns/network.js";
import type { Network } from "../nemesis/network.js";
import { ProxyMesh } from "../nemesis/proxy/mesh.js";
import { PACKAGE_ROOT } from "../paths.js";
import type { RunSpec } from "./spec.js";

/** The kind a spec names; a bad name, module or kind flag is an input error. */
export async function kindOf(spec: Pick<RunSpec, "cluster" | "clusterParams">): Promise<ClusterKind> {
  try {
    return await resolveKind(spec.cluster, spec.clusterParams ?? {});
  } catch (err) {
    if (err instanceof KindError) throw new InputError(err.message);
    throw err;
  }
}

/**
 * Refuses, before anything starts, a run the kind cannot do: a read mode it
 * lacks, a feature the workload needs that it lacks, network faults its
 * backends cannot reach, a bug it cannot plant. Returns the read mode to use.
 */
export function checkKind(kind: ClusterKind, spec: RunSpec, needs: readonly string[]): string {
  const reads = spec.reads ?? kind.readModes[0];
  if (reads === undefined) throw new InputError(`the ${kind.name} cluster declares no read mode`);
  if (!kind.readModes.includes(reads))
    throw new InputError(`--reads ${JSON.stringify(reads)}: the ${kind.name} cluster reads ${kind.readModes.join(" or ")}`);
  const missing = needs.filter((f) => !(kind.features as readonly string[]).includes(f));
  if (missing.length > 0) {
    throw new InputError(
      `workload ${spec.workload} needs ${missing.join(", ")}, which the ${kind.name} cluster does not offer (it offers ${kind.features.join(", ")})`,
    );
  }
  const netFault = spec.nemesis.find(isNetworkFault);
  if ((netFault !== undefined || spec.net === "netns") && !kind.networks.includes(spec.net)) {
    const why = netFault !== undefined ? `network faults (${netFault})` : "--net netns";
    throw new InputError(
      `${why} on the ${kind.name} cluster need --net ${kind.networks.join(" or ") || "(none: it takes no network faults)"}, not --net ${spec.net}`,
    );
  }
  const membershipFault = spec.nemesis.find(isMembershipFault);
  if (membershipFault !== undefined && kind.membership !== true) {
    throw new InputError(`--nemesis ${membershipFault}: the ${kind.name} cluster cannot change its membership at run time`);
  }
  plantedBugs(kind, spec.bugs);
  return reads;
}

/** The kind's planted bugs by name; one it lacks is an input error naming the ones it has. */
export function plantedBugs(kind: ClusterKind, names: readonly string[]): PlantedBug[] {
  return names.map((name) => {
    const bug = kind.bugs.find((b) => b.name === name);
    if (bug === undefined) {
      const known = kind.bugs.map((b) => b.name).join(", ");
      throw new InputError(
        `--bug ${name}: the ${kind.name} cluster ${known ? `has the bugs ${known}` : "has no known failure to build in"}`,
      );
    }
    return bug;
  });
}

/**
 * The network backend a run uses, or null when it injects no network fault.
 * `cluster` is read lazily: the mesh learns the nodes' real peer ports only
 * once the cluster that dials through it exists.
 */
export async function makeNetwork(
  spec: RunSpec,
  ids: readonly string[],
  wanted: boolean,
  cluster: () => Cluster | null,
): Promise<Network | null> {
  if (!wanted) return null;
  if (spec.net === "proxy") {
    return ProxyMesh.open(
      ids,
      (node) =>
        cluster()
          ?.nodes()
          .find((n) => n.id === node)?.peerAddr ?? null,
    );
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

/** How the nodes' peer traffic goes, given the run's network backend. */
export function wiringFor(network: Network | null): Wiring {
  if (network instanceof ProxyMesh) return { backend: "proxy", dial: (from) => network.dialAddrs(from) };
  if (network instanceof NetnsBackend) return { backend: "netns", hosts: network.net };
  return { backend: "direct" };
}

export function makeCluster(
  kind: ClusterKind,
  spec: RunSpec,
  reads: string,
  runDir: string,
  ids: readonly string[],
  network: Network | null,
): Cluster {
  return kind.create({ dir: runDir, ids, reads, requestTimeoutMs: spec.opTimeoutMs, wiring: wiringFor(network), bugs: spec.bugs });
}

/** What ran, for test.json; a kind that cannot run here says why (naming what to install). */
export async function softwareVersions(kind: ClusterKind): Promise<Record<string, string>> {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version?: string };
  let own: Record<string, string>;
  try {
    own = await kind.version();
  } catch (err) {
    throw new EnvironmentError(`the ${kind.name} cluster cannot run here: ${(err as Error).message}`);
  }
  return { node: process.version, tob: pkg.version ?? "unknown", ...own };
}

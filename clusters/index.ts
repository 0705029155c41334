/**
 * The registry of cluster kinds (docs/ARCHITECTURE.md, "Layout"). `tob run --cluster NAME`
 * and every other command find a kind here; nothing outside clusters/ names a
 * specific one. Adding a kind is one folder plus one line in KINDS.
 */
import { commandKind } from "./command/kind.js";
import { etcdKind } from "./etcd/kind.js";
import { loadAdapter, looksLikeModule } from "./module.js";
import { type ClusterKind, type Harness, isFactory, KindError, type KindParams, type PlantedBug, type RegisteredKind } from "./kind.js";
import { maelstromKind } from "./maelstrom/kind.js";
import { raftKind } from "./raft/kind.js";

export const KINDS: readonly RegisteredKind[] = [raftKind, etcdKind, commandKind, maelstromKind];

export const KIND_NAMES: readonly string[] = KINDS.map((k) => k.name);

/** Every registered kind's planted bugs, with the kind's name (`--bug` help and choices). */
export const PLANTED_BUGS: readonly (PlantedBug & { kind: string })[] = KINDS.flatMap((k) =>
  isFactory(k) ? [] : k.bugs.map((b) => ({ ...b, kind: k.name })),
);

/**
 * The kind `--cluster` names: a registered name, or a path to a module
 * (./adapter.mjs) that exports one made with defineCluster(). `params` holds
 * the flags kinds read (--node-cmd, --cluster-file, ...); `cwd` resolves paths.
 */
export async function resolveKind(cluster: string, params: KindParams, cwd = process.cwd()): Promise<ClusterKind> {
  if (looksLikeModule(cluster)) return loadAdapter(cluster, cwd);
  const kind = KINDS.find((k) => k.name === cluster);
  if (!kind)
    throw new KindError(
      `--cluster ${JSON.stringify(cluster)} is not known; valid: ${KIND_NAMES.join(", ")}, or a path to a module (./adapter.mjs)`,
    );
  if (isFactory(kind)) return kind.configure(params);
  const stray = Object.entries(params).filter(([k, v]) => v !== undefined && k !== "cwd");
  if (stray.length > 0) throw new KindError(`--cluster ${kind.name} takes no ${stray.map(([k]) => `--${kebab(k)}`).join(", ")}`);
  return kind;
}

/** The harness of the registered kind `cluster` (`tob maelstrom test`); a kind without one is a KindError. */
export function findHarness(cluster: string): Harness {
  const harness = KINDS.find((k) => k.name === cluster)?.harness;
  if (!harness) {
    const having = KINDS.filter((k) => k.harness).map((k) => k.name);
    throw new KindError(`--cluster ${JSON.stringify(cluster)} runs no program of yours as nodes; ${having.join(", ")} does`);
  }
  return harness;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

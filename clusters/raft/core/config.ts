import type { ClusterConfig, ConfigChange, Entry, NodeId } from "./types.js";

/**
 * Membership by single-server changes (Ongaro's thesis, §4.1), not joint
 * consensus: each change adds or removes one voter, so any majority of the old
 * configuration overlaps any majority of the new one, and the cluster never
 * needs two configurations at once. That keeps one quorum rule in the core and
 * matches what `tob cluster add|remove` and the membership nemesis do (one node
 * at a time); replacing several voters at once is a series of such changes.
 *
 * The rules, each enforced in raft.ts:
 * - a configuration takes effect on every node as soon as its entry is in the
 *   log (appended, not committed), and a truncated one is undone;
 * - at most one change is uncommitted at a time;
 * - a new leader proposes none until it has committed an entry of its own term
 *   (the fix to the thesis' single-server algorithm, found after its publication);
 * - a leader whose removal commits steps down.
 *
 * A configuration entry's data is the whole new configuration as JSON, so a
 * node needs no earlier entry to know it.
 */

export function encodeConfig(config: ClusterConfig): string {
  return JSON.stringify({ voters: config.voters, addrs: config.addrs });
}

/** Throws on data that is not a configuration: a config entry is written only by a leader's core, so that is corruption. */
export function decodeConfig(data: string): ClusterConfig {
  const value = JSON.parse(data) as { voters?: unknown; addrs?: unknown };
  if (!Array.isArray(value.voters) || !value.voters.every((v) => typeof v === "string")) {
    throw new Error(`config entry without a voter list: ${data.slice(0, 200)}`);
  }
  const addrs = (typeof value.addrs === "object" && value.addrs !== null ? value.addrs : {}) as ClusterConfig["addrs"];
  return { voters: value.voters as NodeId[], addrs };
}

export function configOfEntry(e: Entry): ClusterConfig | null {
  return e.type === "config" ? decodeConfig(e.data) : null;
}

/** The configuration after `change`; addresses of removed members are dropped, an added one's recorded. */
export function applyChange(config: ClusterConfig, change: ConfigChange): ClusterConfig {
  if (change.op === "add") {
    const addrs = { ...config.addrs };
    if (change.addrs !== undefined) addrs[change.id] = change.addrs;
    return { voters: [...config.voters, change.id], addrs };
  }
  const addrs = { ...config.addrs };
  delete addrs[change.id];
  return { voters: config.voters.filter((v) => v !== change.id), addrs };
}

export function quorumOf(voters: readonly NodeId[]): number {
  return Math.floor(voters.length / 2) + 1;
}

/**
 * Why `change` must not be proposed now, or null when it may. `live` are the
 * voters the leader heard from within an election timeout (itself included).
 * As etcd's strict reconfiguration check does, a change is refused when the
 * live members of the new configuration could not form its quorum: the
 * cluster would stop (an added node is empty and not live yet). The one
 * exception, as in etcd, is growing a single node to two, the only way to add
 * to a one-node cluster.
 */
export function refusal(config: ClusterConfig, change: ConfigChange, live: ReadonlySet<NodeId>): string | null {
  const { voters } = config;
  if (change.op === "add" && voters.includes(change.id)) return `${change.id} is already a member`;
  if (change.op === "remove" && !voters.includes(change.id)) return `${change.id} is not a member (members: ${voters.join(", ")})`;
  if (change.op === "remove" && voters.length === 1) return `cannot remove ${change.id}, the last member`;
  const next = applyChange(config, change).voters;
  if (change.op === "add" && voters.length === 1) return null;
  const liveNext = next.filter((v) => live.has(v));
  const quorum = quorumOf(next);
  if (liveNext.length < quorum) {
    const what = change.op === "add" ? `adding ${change.id}` : `removing ${change.id}`;
    return (
      `${what} would lose the quorum: ${next.length} voters after it need ${quorum}, ` +
      `and only ${liveNext.length} of them are live (${liveNext.join(", ") || "none"})`
    );
  }
  return null;
}

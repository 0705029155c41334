import type { Entry, NodeId } from "../core/types.js";
import { decodeCommand } from "../state/commands.js";
import type { SafetyChecker } from "./invariants.js";

/**
 * The simulated clients' side of a run: every write is a put of a key of its
 * own, so its outcome can be judged against what the nodes applied.
 * - ok (applied): must be in every healed node's state at the end: no
 *   acknowledged write lost, whatever the disks went through;
 * - fail (503): certainly not applied, so no node may ever apply it;
 * - info (504, or a node that died holding the request): either may happen.
 * A read of a key acknowledged before the read began must see it.
 */

export type Outcome = "pending" | "ok" | "fail" | "info";

interface Write {
  key: string;
  value: string;
  node: NodeId;
  outcome: Outcome;
  /** The node that applied it first, if any did. */
  appliedOn: NodeId | null;
}

export interface ClientCounts {
  writes: Record<Outcome, number>;
  reads: { ok: number; fail: number; info: number };
}

export class ClientLedger {
  private readonly writes = new Map<string, Write>();
  private readonly acked: string[] = [];
  private readonly reads = { ok: 0, fail: 0, info: 0 };

  constructor(private readonly violations: SafetyChecker) {}

  /** A new write for `node` to propose; its key names it. */
  issueWrite(seq: number, node: NodeId): { key: string; value: string } {
    const w: Write = { key: `k${seq}`, value: `v${seq}`, node, outcome: "pending", appliedOn: null };
    this.writes.set(w.key, w);
    return w;
  }

  resolveWrite(key: string, outcome: Exclude<Outcome, "pending">): void {
    const w = this.writes.get(key);
    if (w === undefined || w.outcome !== "pending") throw new Error(`write ${key} answered twice or never issued`);
    w.outcome = outcome;
    if (outcome === "ok") this.acked.push(key);
    if (outcome === "fail" && w.appliedOn !== null)
      this.violations.fail(`503 for an applied write: ${key} got 503 from ${w.node} but ${w.appliedOn} applied it`);
  }

  /** Writes still waiting when their node died: their outcome is unknown. */
  abandon(node: NodeId): void {
    for (const w of this.writes.values()) if (w.outcome === "pending" && w.node === node) w.outcome = "info";
  }

  /** Entries a node applies: a write answered 503 must never be among them. */
  observeApplied(node: NodeId, entries: Entry[]): void {
    for (const e of entries) {
      if (e.type !== "normal") continue;
      const cmd = decodeCommand(e.data);
      if (cmd.op !== "put") continue;
      const w = this.writes.get(cmd.key);
      if (w === undefined) continue;
      w.appliedOn ??= node;
      if (w.outcome === "fail")
        this.violations.fail(`503 for an applied write: ${w.key} got 503 from ${w.node}, then ${node} applied it at ${e.index}`);
    }
  }

  /** A key acknowledged before now, for a read to look for; null when none is. */
  ackedKey(rng: () => number): string | null {
    if (this.acked.length === 0) return null;
    return this.acked[Math.floor(rng() * this.acked.length)] as string;
  }

  /** A linearizable read of `key` (acknowledged before it began) answered on `node` with `value`. */
  observeRead(node: NodeId, key: string, value: string | null): void {
    const w = this.writes.get(key);
    this.reads.ok++;
    if (w !== undefined && value !== w.value)
      this.violations.fail(`stale read: ${node} read ${key} as ${value} after it was acknowledged as ${w.value}`);
  }

  readFailed(outcome: "fail" | "info"): void {
    this.reads[outcome]++;
  }

  /** At the end, on each healed node's state machine: every acknowledged write is there. */
  checkNoAckedWriteLost(node: NodeId, get: (key: string) => string | null): void {
    for (const key of this.acked) {
      const w = this.writes.get(key) as Write;
      const got = get(key);
      if (got !== w.value) {
        this.violations.fail(`acknowledged write lost: ${key}=${w.value} was acknowledged by ${w.node}, ${node} has ${got}`);
        return;
      }
    }
  }

  counts(): ClientCounts {
    const writes: Record<Outcome, number> = { pending: 0, ok: 0, fail: 0, info: 0 };
    for (const w of this.writes.values()) writes[w.outcome]++;
    return { writes, reads: { ...this.reads } };
  }
}

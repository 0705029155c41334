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
 * A session write (a client id and sequence number) appends its number to a
 * list of its own: a retry after a 504 may reach the log twice, but the state
 * machine must apply it at most once, so at the end the list holds it once
 * (or not at all).
 */

export type Outcome = "pending" | "ok" | "fail" | "info";

interface Write {
  key: string;
  value: string;
  /** A put of `value`, or (a session write) an append of `value` to the list `key`. */
  kind: "put" | "append";
  node: NodeId;
  outcome: Outcome;
  /** Retried after an unknown outcome: a later 503 says nothing of the earlier tries. */
  retried: boolean;
  /** The node that applied it first, if any did. */
  appliedOn: NodeId | null;
}

export interface ClientCounts {
  writes: Record<Outcome, number>;
  reads: { ok: number; fail: number; info: number };
  /** Session writes sent again after an unknown outcome, same client id and sequence number. */
  retries: number;
}

/** What the end checks read from a node's state machine. */
export interface NodeState {
  get(key: string): string | null;
  list(key: string): number[] | undefined;
}

export class ClientLedger {
  private readonly writes = new Map<string, Write>();
  private readonly acked: string[] = [];
  private readonly reads = { ok: 0, fail: 0, info: 0 };
  private retries = 0;

  constructor(private readonly violations: SafetyChecker) {}

  /** A new write for `node` to propose; its key names it. */
  issueWrite(seq: number, node: NodeId, kind: Write["kind"] = "put"): { key: string; value: string } {
    const w: Write = {
      key: `k${seq}`,
      value: kind === "put" ? `v${seq}` : String(seq),
      kind,
      node,
      outcome: "pending",
      retried: false,
      appliedOn: null,
    };
    this.writes.set(w.key, w);
    return w;
  }

  /** A write whose outcome was unknown is sent again, to `node`, with its session tag unchanged. */
  retryWrite(key: string, node: NodeId): void {
    const w = this.writes.get(key);
    if (w === undefined || w.outcome !== "info") throw new Error(`write ${key} retried without an unknown outcome`);
    w.outcome = "pending";
    w.node = node;
    w.retried = true;
    this.retries++;
  }

  outcomeOf(key: string): Outcome | undefined {
    return this.writes.get(key)?.outcome;
  }

  resolveWrite(key: string, answer: Exclude<Outcome, "pending">): void {
    const w = this.writes.get(key);
    if (w === undefined || w.outcome !== "pending") throw new Error(`write ${key} answered twice or never issued`);
    const outcome = answer === "fail" && w.retried ? "info" : answer;
    w.outcome = outcome;
    if (outcome === "ok" && w.kind === "put") this.acked.push(key);
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
      const key = cmd.op === "put" ? cmd.key : cmd.op === "txn" ? cmd.ops[0]?.[1] : undefined;
      if (key === undefined) continue;
      const w = this.writes.get(key);
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
  checkNoAckedWriteLost(node: NodeId, state: NodeState): void {
    for (const w of this.writes.values()) {
      if (w.outcome !== "ok") continue;
      // A list holding the number more than once is checkAppliedAtMostOnce's to report.
      const list = state.list(w.key) ?? [];
      const got = w.kind === "put" ? state.get(w.key) : list.includes(Number(w.value)) ? w.value : list.join(",");
      if (got !== w.value) {
        this.violations.fail(`acknowledged write lost: ${w.key}=${w.value} was acknowledged by ${w.node}, ${node} has ${got}`);
        return;
      }
    }
  }

  /** On any node's state machine: no session write was applied twice (its list holds its number at most once). */
  checkAppliedAtMostOnce(node: NodeId, state: NodeState): void {
    for (const w of this.writes.values()) {
      if (w.kind !== "append") continue;
      const list = state.list(w.key) ?? [];
      if (list.length > 1) {
        this.violations.fail(
          `write applied ${list.length} times: ${node} holds ${w.key}=[${list.join(",")}] (session retry not deduplicated)`,
        );
        return;
      }
    }
  }

  counts(): ClientCounts {
    const writes: Record<Outcome, number> = { pending: 0, ok: 0, fail: 0, info: 0 };
    for (const w of this.writes.values()) writes[w.outcome]++;
    return { writes, reads: { ...this.reads }, retries: this.retries };
  }
}

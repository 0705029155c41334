import type { NodeId } from "../core/types.js";
import type { ApplyResult } from "../state/machine.js";
import type { BugAck } from "./bugs.js";

/**
 * Proposals waiting for their log entry to apply, by log index, and the rule
 * for each one's answer. "unavailable" (HTTP 503) promises the command never
 * applies; whenever that is not certain the answer is "timeout" (504, unknown).
 */

export type Unavailable = { kind: "unavailable"; leader: NodeId | null; reason: string };
export type Timeout = { kind: "timeout" };
export type ProposeOutcome = { kind: "applied"; result: ApplyResult } | Unavailable | Timeout;

export interface Waiter<T> {
  deadlineMs: number;
  resolve: (o: T) => void;
}

export interface PendingProposal extends Waiter<ProposeOutcome> {
  term: number;
  /** With a bug that acknowledges early (./bugs.ts): the answer, and when it is given. */
  bugAck: BugAck | null;
}

export class Proposals {
  /** Insertion order is deadline order (one timeout for all), which `sweep` relies on. */
  readonly byIndex = new Map<number, PendingProposal>();

  get size(): number {
    return this.byIndex.size;
  }

  /**
   * Waits for the entry proposed at `index`. A proposal still waiting there was
   * cut from this leader's log, yet another node may hold it and a later leader
   * commit it: its outcome is unknown, never "unavailable".
   */
  add(index: number, p: PendingProposal): void {
    const displaced = this.byIndex.get(index);
    if (displaced) {
      this.byIndex.delete(index);
      displaced.resolve({ kind: "timeout" });
    }
    this.byIndex.set(index, p);
  }

  /**
   * The entry at `index` of `term` applied (`result` null for a no-op). If it is
   * not the proposal's own entry, the proposal is certainly not in the log: a
   * committed index never holds another entry, and an entry is at one index only.
   */
  applied(index: number, term: number, result: ApplyResult | null, leader: NodeId | null): void {
    const p = this.byIndex.get(index);
    if (!p) return;
    this.byIndex.delete(index);
    if (p.term !== term || result === null)
      p.resolve({ kind: "unavailable", leader, reason: "another entry committed at the proposal's index" });
    else p.resolve({ kind: "applied", result });
  }
}

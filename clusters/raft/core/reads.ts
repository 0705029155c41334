import { assert } from "./assert.js";
import type { ReadState } from "./types.js";

/** Reads outstanding on one leader at most; beyond this the leader refuses new ones. */
export const READS_PENDING_MAX = 65_536;

interface Round {
  round: number;
  reads: ReadState[];
}

/**
 * ReadIndex bookkeeping on the leader (Raft thesis §6.4). A read records the
 * commit index when it arrives; it is released once a quorum answered a
 * heartbeat sent after that moment, which proves no newer leader could have
 * committed anything the read would miss. Reads arriving between two Readys
 * share one round, so one heartbeat broadcast confirms them all.
 */
export class ReadRounds {
  /** Reads that arrived before the leader committed an entry of its own term: its commit index may still be stale. */
  private waiting: string[] = [];
  private rounds: Round[] = [];
  private roundLast = 0;
  private roundBroadcast = 0;
  /** Reads waiting or in rounds. */
  private count = 0;

  size(): number {
    return this.count;
  }

  wait(ctx: string): void {
    this.waiting.push(ctx);
    this.count++;
  }

  /** Moves the waiting reads into a round at `commitIndex`, once the leader's commit index is current. */
  releaseWaiting(commitIndex: number): void {
    const ctxs = this.waiting;
    this.waiting = [];
    this.count -= ctxs.length;
    for (const ctx of ctxs) this.add(ctx, commitIndex);
  }

  add(ctx: string, index: number): void {
    this.count++;
    const open = this.rounds[this.rounds.length - 1];
    if (open !== undefined && open.round > this.roundBroadcast) {
      open.reads.push({ ctx, index });
      return;
    }
    this.roundLast++;
    this.rounds.push({ round: this.roundLast, reads: [{ ctx, index }] });
  }

  /** The round a heartbeat sent now confirms; 0 when no read is pending. */
  roundToConfirm(): number {
    return this.rounds.length > 0 ? this.roundLast : 0;
  }

  /** True when a round was opened that no heartbeat has carried yet. */
  needsBroadcast(): boolean {
    return this.roundLast > this.roundBroadcast && this.rounds.length > 0;
  }

  markBroadcast(): void {
    this.roundBroadcast = this.roundLast;
  }

  /** The reads confirmed now that the followers' highest answered rounds are `acked`. */
  confirm(acked: Iterable<number>, quorum: number): ReadState[] {
    const answered = [...acked];
    const out: ReadState[] = [];
    while (this.rounds.length > 0) {
      const head = this.rounds[0] as Round;
      // The leader counts itself: it knows it is leader.
      const votes = 1 + answered.filter((r) => r >= head.round).length;
      if (votes < quorum) break;
      out.push(...head.reads);
      this.count -= head.reads.length;
      this.rounds.shift();
    }
    return out;
  }

  /** Every pending read, for failing them all when leadership ends. */
  drain(): string[] {
    const ctxs = [...this.waiting];
    for (const r of this.rounds) for (const read of r.reads) ctxs.push(read.ctx);
    assert(ctxs.length === this.count, `drained ${ctxs.length} reads of ${this.count}`);
    this.waiting = [];
    this.rounds = [];
    this.count = 0;
    return ctxs;
  }
}

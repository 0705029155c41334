import type { Entry, NodeId, RaftStatus, Ready } from "../core/types.js";
import type { SafetyChecker } from "./invariants.js";

/**
 * What one node's write-ahead log promised: every Ready whose write returned
 * (its fdatasync done) must come back after any crash the WAL's rules call
 * survivable (unsynced writes lost or torn). A node that finds real damage
 * (a corrupt sector) must refuse to start instead; starting with less than
 * this is the silent loss that breaks Raft. The one exception is the write
 * under way at the crash: it may have reached the disk, and if it was a
 * follower's repair it legitimately cut synced entries from its first index on.
 */
export class DurableModel {
  private term = 0;
  private vote: NodeId | null = null;
  /** Entries by index, from 1 or after the last snapshot installed from a leader. */
  private entries: Entry[] = [];
  private offset = 0;
  /** The first index the write under way rewrites (Infinity when none is). */
  private unsyncedFrom = Number.POSITIVE_INFINITY;

  /** A Ready's write starts: until it returns, entries from its first index on may change. */
  writing(rd: Ready): void {
    const first = rd.entries[0];
    if (first !== undefined) this.unsyncedFrom = Math.min(this.unsyncedFrom, first.index);
    if (rd.snapshot) this.unsyncedFrom = 0;
  }

  /** The Ready's write returned: its snapshot, entries, term and vote are durable. */
  persisted(rd: Ready): void {
    this.unsyncedFrom = Number.POSITIVE_INFINITY;
    if (rd.snapshot) {
      this.offset = rd.snapshot.index;
      this.entries = [];
    }
    const first = rd.entries[0];
    if (first !== undefined) {
      // A follower's repair cuts the log at its first entry, as the WAL does.
      this.entries.length = Math.max(0, Math.min(this.entries.length, first.index - this.offset - 1));
      for (const e of rd.entries) if (e.index > this.offset) this.entries.push(e);
    }
    if (rd.hardState && (rd.hardState.term !== this.term || rd.hardState.vote !== this.vote)) {
      this.term = rd.hardState.term;
      this.vote = rd.hardState.vote;
    }
  }

  /**
   * After a restart: the node came back with at least what it made durable. What
   * it came back with is durable from now on (unsynced writes that survived the
   * crash included), so it becomes the model.
   */
  restarted(node: NodeId, status: RaftStatus, entryAt: (i: number) => Entry | undefined, sink: SafetyChecker): void {
    this.check(node, status, entryAt, sink);
    this.term = status.term;
    this.vote = status.vote;
    this.offset = status.snapshotIndex;
    this.entries = [];
    this.unsyncedFrom = Number.POSITIVE_INFINITY;
    for (let i = status.snapshotIndex + 1; i <= status.lastIndex; i++) this.entries.push(entryAt(i) as Entry);
  }

  private check(node: NodeId, status: RaftStatus, entryAt: (i: number) => Entry | undefined, sink: SafetyChecker): void {
    if (status.term < this.term || (status.term === this.term && this.vote !== null && status.vote !== this.vote)) {
      sink.fail(
        `synced state lost: ${node} restarted at term ${status.term} vote ${status.vote}, but term ${this.term} vote ${this.vote} was synced`,
      );
    }
    for (const [k, e] of this.entries.entries()) {
      const index = this.offset + k + 1;
      if (index <= status.snapshotIndex) continue;
      if (index >= this.unsyncedFrom) break;
      const got = entryAt(index);
      if (got === undefined || got.term !== e.term || got.data !== e.data) {
        sink.fail(`synced entry lost: ${node} restarted without ${index}:t${e.term} (has ${got ? `t${got.term}` : "nothing"})`);
        return;
      }
    }
  }
}

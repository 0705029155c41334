import type { Entry, HardState, Ready, RestoredState, Snapshot } from "../core/types.js";

/**
 * Stable storage as the node process keeps it: only what a Ready handed over and
 * the shell persisted. A crash loses everything else, which is the point.
 */
export class Disk {
  private hardState: HardState = { term: 0, vote: null, commit: 0 };
  private snapshot: Snapshot | null = null;
  /** Entries after the snapshot's index (from 1 without one). */
  private entries: Entry[] = [];

  /** Writes a Ready's snapshot (replacing the log), entries (truncating a conflicting tail first) and hard state. */
  persist(rd: Ready): void {
    if (rd.snapshot !== null) {
      this.snapshot = rd.snapshot;
      this.entries = [];
    }
    const offset = this.snapshot?.index ?? 0;
    const first = rd.entries[0];
    if (first !== undefined) {
      if (first.index > offset + this.entries.length + 1) {
        throw new Error(`disk: entries start at ${first.index}, leaving a gap after ${offset + this.entries.length}`);
      }
      const keep = Math.max(0, first.index - offset - 1);
      this.entries.length = keep;
      for (const e of rd.entries) if (e.index > offset) this.entries.push(e);
    }
    if (rd.hardState !== null) this.hardState = { ...rd.hardState };
  }

  restore(): RestoredState {
    const restored: RestoredState = { hardState: { ...this.hardState }, entries: [...this.entries] };
    if (this.snapshot !== null) restored.snapshot = this.snapshot;
    return restored;
  }

  /** A lost or replaced disk: the one fault Raft cannot survive, used to prove the checker sees it. */
  wipe(): void {
    this.hardState = { term: 0, vote: null, commit: 0 };
    this.snapshot = null;
    this.entries = [];
  }
}

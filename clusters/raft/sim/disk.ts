import type { Entry, HardState, Ready, RestoredState } from "../core/types.js";

/**
 * Stable storage as the node process keeps it: only what a Ready handed over and
 * the shell persisted. A crash loses everything else, which is the point.
 */
export class Disk {
  private hardState: HardState = { term: 0, vote: null, commit: 0 };
  private entries: Entry[] = [];

  /** Writes a Ready's entries (truncating a conflicting tail first) and hard state. */
  persist(rd: Ready): void {
    const first = rd.entries[0];
    if (first !== undefined) {
      if (first.index > this.entries.length + 1) {
        throw new Error(`disk: entries start at ${first.index}, leaving a gap after ${this.entries.length}`);
      }
      this.entries.length = first.index - 1;
      this.entries.push(...rd.entries);
    }
    if (rd.hardState !== null) this.hardState = { ...rd.hardState };
  }

  restore(): RestoredState {
    return { hardState: { ...this.hardState }, entries: [...this.entries] };
  }

  /** A lost or replaced disk: the one fault Raft cannot survive, used to prove the checker sees it. */
  wipe(): void {
    this.hardState = { term: 0, vote: null, commit: 0 };
    this.entries = [];
  }
}

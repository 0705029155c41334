import { assert } from "./assert.js";
import type { Entry } from "./types.js";

/**
 * The in-memory replicated log and its watermarks. Entries up to `offset` were
 * compacted into a snapshot (the shell holds it); the log keeps `offsetTerm`,
 * the term at `offset`, so appends right after it can still be matched.
 *
 * Watermarks, always `offset <= applied <= commit <= last` and `persisted <= handed <= last`:
 * - handed: the highest index given to the shell in a Ready (to write to disk);
 * - persisted: the highest index the shell acknowledged as durable via advance.
 */
export class RaftLog {
  private entries: Entry[] = [];
  private offset: number;
  private offsetTerm: number;
  commitIndex: number;
  appliedIndex: number;
  handedIndex: number;
  persistedIndex: number;

  constructor(restored: Entry[], commitIndex: number, snapshot: { index: number; term: number } | null = null) {
    this.offset = snapshot?.index ?? 0;
    this.offsetTerm = snapshot?.term ?? 0;
    let termPrev = this.offsetTerm;
    for (const [i, e] of restored.entries()) {
      assert(e.index === this.offset + i + 1, `restored entry ${i} has index ${e.index}: the log must be dense from ${this.offset + 1}`);
      assert(e.term >= termPrev, `restored entry ${e.index} has term ${e.term} below its predecessor's ${termPrev}`);
      termPrev = e.term;
      this.entries.push(e);
    }
    this.commitIndex = Math.max(commitIndex, this.offset);
    assert(this.commitIndex <= this.lastIndex(), `restored commit ${commitIndex} is beyond the last index ${this.lastIndex()}`);
    this.appliedIndex = this.offset;
    this.handedIndex = this.lastIndex();
    this.persistedIndex = this.lastIndex();
  }

  /** The index the log starts after: everything up to it is in a snapshot. */
  snapshotIndex(): number {
    return this.offset;
  }

  lastIndex(): number {
    return this.offset + this.entries.length;
  }

  lastTerm(): number {
    return this.termAt(this.lastIndex()) ?? 0;
  }

  /** The term at `index`; 0 for index 0 (the empty prefix); undefined beyond the log or compacted. */
  termAt(index: number): number | undefined {
    if (index === this.offset) return this.offsetTerm;
    if (index < this.offset) return undefined;
    return this.entries[index - this.offset - 1]?.term;
  }

  entryAt(index: number): Entry | undefined {
    return index > this.offset ? this.entries[index - this.offset - 1] : undefined;
  }

  /** Entries `from..to`, both inclusive. */
  slice(from: number, to: number): Entry[] {
    assert(from > this.offset && to <= this.lastIndex(), `slice ${from}..${to} outside ${this.offset + 1}..${this.lastIndex()}`);
    return this.entries.slice(from - this.offset - 1, to - this.offset);
  }

  append(entry: Entry): void {
    assert(entry.index === this.lastIndex() + 1, `append at ${entry.index} after last ${this.lastIndex()}`);
    assert(entry.term >= this.lastTerm(), `append of term ${entry.term} after term ${this.lastTerm()}`);
    this.entries.push(entry);
  }

  /** Drops `index` and everything after it: only ever an uncommitted, conflicting tail. */
  truncateFrom(index: number): void {
    assert(index > this.commitIndex, `truncation at ${index} would drop committed entries (commit ${this.commitIndex})`);
    assert(index <= this.lastIndex(), `truncation at ${index} beyond last ${this.lastIndex()}`);
    this.entries.length = index - this.offset - 1;
    this.handedIndex = Math.min(this.handedIndex, index - 1);
    this.persistedIndex = Math.min(this.persistedIndex, index - 1);
  }

  /** Forgets entries up to `index`, which a snapshot holds: only applied ones. */
  compact(index: number): void {
    assert(index <= this.appliedIndex, `compaction to ${index} beyond applied ${this.appliedIndex}`);
    if (index <= this.offset) return;
    this.offsetTerm = this.termAt(index) as number;
    this.entries = this.entries.slice(index - this.offset);
    this.offset = index;
  }

  /** Replaces the whole log with a snapshot at `index` of `term` (a follower far behind). */
  restart(index: number, term: number): void {
    assert(index > this.commitIndex, `snapshot at ${index} not beyond commit ${this.commitIndex}`);
    this.entries = [];
    this.offset = index;
    this.offsetTerm = term;
    this.commitIndex = index;
    this.appliedIndex = index;
    this.handedIndex = index;
    this.persistedIndex = index;
  }

  /** The first index of the run of entries sharing the term at `index` (fast backtracking hint). */
  firstIndexOfTermAt(index: number): number {
    const term = this.termAt(index);
    assert(term !== undefined && index >= 1, `no entry at ${index}`);
    let first = index;
    while (first > this.offset + 1 && this.termAt(first - 1) === term) first--;
    return first;
  }

  /** The last index at or below `from` whose term is `term`, or undefined when the log holds no such entry. */
  lastIndexOfTerm(term: number, from: number): number | undefined {
    let index = Math.min(from, this.lastIndex());
    while (index >= Math.max(1, this.offset)) {
      const t = this.termAt(index) as number;
      if (t === term) return index;
      if (t < term) return undefined;
      index--;
    }
    return undefined;
  }

  /** The election restriction (§5.4.1): a candidate's log is at least as up to date as ours. */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const ourTerm = this.lastTerm();
    return lastTerm > ourTerm || (lastTerm === ourTerm && lastIndex >= this.lastIndex());
  }
}

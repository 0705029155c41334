import { assert } from "./assert.js";
import type { Entry } from "./types.js";

/**
 * The in-memory replicated log and its watermarks. There is no compaction: every
 * entry since index 1 stays here, mirrored by the shell's stable storage.
 *
 * Watermarks, always `applied <= commit <= last` and `persisted <= handed <= last`:
 * - handed: the highest index given to the shell in a Ready (to write to disk);
 * - persisted: the highest index the shell acknowledged as durable via advance.
 */
export class RaftLog {
  private readonly entries: Entry[] = [];
  commitIndex: number;
  appliedIndex = 0;
  handedIndex: number;
  persistedIndex: number;

  constructor(restored: Entry[], commitIndex: number) {
    let termPrev = 0;
    for (const [i, e] of restored.entries()) {
      assert(e.index === i + 1, `restored entry ${i} has index ${e.index}: the log must be dense from 1`);
      assert(e.term >= termPrev, `restored entry ${e.index} has term ${e.term} below its predecessor's ${termPrev}`);
      termPrev = e.term;
      this.entries.push(e);
    }
    assert(commitIndex <= this.lastIndex(), `restored commit ${commitIndex} is beyond the last index ${this.lastIndex()}`);
    this.commitIndex = commitIndex;
    this.handedIndex = this.lastIndex();
    this.persistedIndex = this.lastIndex();
  }

  lastIndex(): number {
    return this.entries.length;
  }

  lastTerm(): number {
    return this.termAt(this.lastIndex()) ?? 0;
  }

  /** The term at `index`; 0 for index 0 (the empty prefix); undefined beyond the log. */
  termAt(index: number): number | undefined {
    if (index === 0) return 0;
    return this.entries[index - 1]?.term;
  }

  entryAt(index: number): Entry | undefined {
    return index >= 1 ? this.entries[index - 1] : undefined;
  }

  /** Entries `from..to`, both inclusive. */
  slice(from: number, to: number): Entry[] {
    assert(from >= 1 && to <= this.lastIndex(), `slice ${from}..${to} outside 1..${this.lastIndex()}`);
    return this.entries.slice(from - 1, to);
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
    this.entries.length = index - 1;
    this.handedIndex = Math.min(this.handedIndex, index - 1);
    this.persistedIndex = Math.min(this.persistedIndex, index - 1);
  }

  /** The first index of the run of entries sharing the term at `index` (fast backtracking hint). */
  firstIndexOfTermAt(index: number): number {
    const term = this.termAt(index);
    assert(term !== undefined && index >= 1, `no entry at ${index}`);
    let first = index;
    while (first > 1 && this.termAt(first - 1) === term) first--;
    return first;
  }

  /** The last index at or below `from` whose term is `term`, or undefined when the log holds no such entry. */
  lastIndexOfTerm(term: number, from: number): number | undefined {
    let index = Math.min(from, this.lastIndex());
    while (index >= 1) {
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

import type { Entry, NodeId } from "../core/types.js";

/** A node's in-memory log, read one entry at a time. */
export type LogView = (index: number) => Entry | undefined;

/** Violations kept in full; a broken run can report thousands, the first few tell the story. */
const VIOLATIONS_KEPT_MAX = 20;

interface LeaderView {
  id: NodeId;
  term: number;
  log: LogView;
  /** Entries at or below this index were compacted into a snapshot: the log has none to compare. */
  snapshotIndex?: number;
}

function same(a: Entry, b: Entry): boolean {
  return a.index === b.index && a.term === b.term && a.type === b.type && a.data === b.data;
}

function show(e: Entry | undefined): string {
  return e === undefined ? "nothing" : `${e.index}:t${e.term}:${e.type}:${JSON.stringify(e.data)}`;
}

/**
 * Raft's safety properties (Figure 3 of the paper), checked incrementally as a run
 * unfolds, so a check after every step stays cheap:
 * - election safety: at most one leader per term;
 * - log matching: an (index, term) names one entry, with one predecessor term,
 *   on every node, so two logs sharing it agree on everything before;
 * - state machine safety: no two nodes apply different entries at one index;
 * - leader completeness: a committed entry is in the log of every leader of a later term;
 * - linearizable reads: a ReadIndex answer covers everything committed before the read began.
 */
export class SafetyChecker {
  readonly violations: string[] = [];
  violationCount = 0;
  /** Step number, for messages. */
  step = 0;
  private readonly leaderOfTerm = new Map<number, NodeId>();
  private readonly entries = new Map<string, { entry: Entry; prevTerm: number | undefined }>();
  /**
   * committed[i - 1] is the entry committed at index i, with an upper bound on the term
   * it was committed in: the term of the node that reported it (a node learns of a commit
   * from the leader of its own term, or is that leader).
   */
  private readonly committed: Array<{ entry: Entry; termBound: number }> = [];
  private readonly commitSeen = new Map<NodeId, number>();
  private readonly appliedLast = new Map<NodeId, number>();
  private readonly leadersSeen = new Set<string>();
  private committedCheckedForLeaders = 0;

  committedIndex(): number {
    return this.committed.length;
  }

  leaderTerms(): number {
    return this.leaderOfTerm.size;
  }

  /**
   * Entries a node is about to persist (a Ready's), with the term of the entry just
   * before them: undefined when the node compacted that entry into a snapshot.
   */
  observeEntries(node: NodeId, entries: Entry[], prevTerm: number | undefined): void {
    let prev = prevTerm;
    for (const e of entries) {
      const key = `${e.index}:${e.term}`;
      const known = this.entries.get(key);
      if (known === undefined) {
        this.entries.set(key, { entry: e, prevTerm: prev });
      } else if (!same(known.entry, e) || (prev !== undefined && known.prevTerm !== undefined && known.prevTerm !== prev)) {
        this.fail(
          `log matching: ${node} holds ${show(e)} after term ${prev}, another node ${show(known.entry)} after term ${known.prevTerm}`,
        );
      } else if (known.prevTerm === undefined) {
        known.prevTerm = prev;
      }
      prev = e.term;
    }
  }

  /**
   * A node's commit index: everything up to it is committed and must agree with
   * what others committed. Entries at or below `snapshotIndex` are in a snapshot.
   */
  observeCommit(node: NodeId, term: number, commitIndex: number, log: LogView, snapshotIndex = 0): void {
    const from = Math.max((this.commitSeen.get(node) ?? 0) + 1, snapshotIndex + 1);
    for (let i = from; i <= commitIndex; i++) {
      const e = log(i);
      if (e === undefined) {
        this.fail(`${node} has commit index ${commitIndex} but no entry at ${i}`);
        return;
      }
      this.registerCommitted(node, term, e, "committed");
    }
    if (commitIndex >= from) this.commitSeen.set(node, commitIndex);
  }

  /** Entries a node applies, in order, since it (re)started. */
  observeApplied(node: NodeId, term: number, entries: Entry[]): void {
    for (const e of entries) {
      const last = this.appliedLast.get(node) ?? 0;
      if (e.index !== last + 1) this.fail(`${node} applied ${show(e)} after index ${last}`);
      this.appliedLast.set(node, e.index);
      this.registerCommitted(node, term, e, "applied");
    }
  }

  /** A node (re)started, or installed a snapshot: it applies next from after `snapshotIndex`. */
  observeRestart(node: NodeId, snapshotIndex = 0): void {
    this.appliedLast.set(node, snapshotIndex);
  }

  /** Election safety, and leader completeness for leaders new or old against newly committed entries. */
  observeLeaders(leaders: LeaderView[]): void {
    for (const l of leaders) {
      const owner = this.leaderOfTerm.get(l.term);
      if (owner === undefined) this.leaderOfTerm.set(l.term, l.id);
      else if (owner !== l.id) this.fail(`election safety: ${owner} and ${l.id} are both leaders of term ${l.term}`);
      const key = `${l.id}:${l.term}`;
      const from = this.leadersSeen.has(key) ? this.committedCheckedForLeaders + 1 : 1;
      this.leadersSeen.add(key);
      for (let i = Math.max(from, (l.snapshotIndex ?? 0) + 1); i <= this.committed.length; i++) {
        const { entry: c, termBound } = this.committed[i - 1] as { entry: Entry; termBound: number };
        // Only leaders of terms after the commit must hold it; a stale leader may not.
        if (termBound >= l.term) continue;
        const mine = l.log(i);
        if (mine === undefined || !same(mine, c)) {
          this.fail(`leader completeness: ${l.id}, leader of term ${l.term}, has ${show(mine)} where ${show(c)} is committed`);
          break;
        }
      }
    }
    this.committedCheckedForLeaders = this.committed.length;
  }

  /** A ReadIndex answer for a read that began when `requiredIndex` was committed. */
  observeRead(node: NodeId, ctx: string, index: number, requiredIndex: number): void {
    if (index < requiredIndex) {
      this.fail(`stale read: ${node} answered ${ctx} at index ${index}, but ${requiredIndex} was committed when it began`);
    }
  }

  private registerCommitted(node: NodeId, term: number, e: Entry, how: string): void {
    const known = this.committed[e.index - 1];
    if (known !== undefined) {
      if (!same(known.entry, e)) {
        this.fail(`state machine safety: ${node} ${how} ${show(e)}, but ${show(known.entry)} was committed there`);
      }
      known.termBound = Math.min(known.termBound, term);
      return;
    }
    if (e.index !== this.committed.length + 1) {
      this.fail(`${node} ${how} ${show(e)} while only ${this.committed.length} entries are known committed`);
      return;
    }
    this.committed.push({ entry: e, termBound: term });
  }

  /** Records a violation found here or by the simulator's other checks (clients, durability). */
  fail(message: string): void {
    this.violationCount++;
    if (this.violations.length < VIOLATIONS_KEPT_MAX) this.violations.push(`step ${this.step}: ${message}`);
  }
}

import type { Operation } from "../../src/history/pair.js";
import { StateCache } from "./cache.js";
import { linkEvents } from "./events.js";
import { UNKNOWN, defaultHash, type Model, type StateHash } from "./model.js";

export type SearchStatus = "ok" | "illegal" | "running";

/**
 * Whole-number hashes index an array instead of the Map (see intern) while
 * below this bound, which grows with the states found, so the array costs at
 * most a few words per state. Partitions checked side by side share a model,
 * whose integer hashes (kv's node ids) then spread over all of them: hence
 * the generous words per state.
 */
const INT_HASH_MIN = 4096;
const INT_HASH_PER_STATE = 32;

/** The cache's first capacity is sized to the partition, up to this many entries. */
const CACHE_FIRST_MAX = 4096;

/** Zobrist numbers kept for the next search, at most (256 KiB): a bigger partition gets its own. */
const ZOBRIST_KEPT_MAX = 1 << 16;
let zobristKept = new Int32Array(0);

/**
 * Deterministic 32-bit random numbers for Zobrist hashing of the bit set, the
 * first `n` of one sequence: kept and grown, as many small searches need the
 * same prefix.
 */
function zobrist(n: number): Int32Array {
  if (n <= zobristKept.length) return zobristKept.subarray(0, n);
  const z = new Int32Array(n <= ZOBRIST_KEPT_MAX ? Math.min(ZOBRIST_KEPT_MAX, Math.max(n, 2 * zobristKept.length)) : n);
  let x = 0x2545f491;
  for (let i = 0; i < z.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    z[i] = x;
  }
  if (z.length <= ZOBRIST_KEPT_MAX) zobristKept = z;
  return z.subarray(0, n);
}

function mix(bitsHash: number, stateId: number): number {
  let h = bitsHash ^ Math.imul(stateId + 1, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}

/**
 * The Wing & Gong / Lowe search over one partition, with Porcupine's ideas: a
 * doubly-linked list of call and return events; at a call, try to linearize
 * the op now (step the model, skip if the (bit set, state) pair was seen);
 * at a return, the op owed there was not linearized: backtrack. Ops with an
 * unknown outcome have no return event: they may take effect at any point
 * after their call, or never, and the search succeeds once every op with a
 * known outcome is linearized.
 *
 * One pruning beyond Porcupine: an op that never changes the state (a read)
 * and is legal now is linearized now, with no alternative tried in its place.
 * Any linearization from here that takes it later can take it first instead:
 * every op that returned before its call is already linearized (else the walk
 * would have met that return), and moving a state-preserving op earlier
 * leaves every other step's state alone. So if taking it first fails, this
 * configuration fails.
 *
 * The search is resumable: `run(steps)` does a bounded amount of work, so a
 * scheduler can interleave partitions, watch a deadline and cancel.
 */
export class Search<S = unknown> {
  readonly n: number;
  steps = 0;
  status: SearchStatus = "running";
  private readonly ops: Operation[];
  private readonly outputs: unknown[];
  private readonly model: Model<S>;
  private readonly hashOf: (s: S) => StateHash;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly head: number;
  private readonly bits: Uint32Array;
  private readonly z: Int32Array;
  /** Null once the search is over: only going on needs it. */
  private cache: StateCache | null;
  private readonly stackOps: Int32Array;
  private readonly stackStates: Int32Array;
  /** 1 where the op at that depth was forced (a legal read): backtracking passes through it. */
  private readonly stackForced: Uint8Array;
  private readonly readOnly: Uint8Array;
  private depth = 0;
  private required: number;
  private entry: number;
  private bitsHash = 0;
  private stateId: number;
  private readonly states: S[] = [];
  private stateIds = new Map<StateHash, number>();
  private idByIntHash = new Int32Array(0);
  /** The longest linearization found so far: its first `bestLength` entries. */
  private readonly best: Int32Array;
  private bestLength = 0;
  private bestStateId: number;

  constructor(model: Model<S>, ops: Operation[], initial: S) {
    this.model = model;
    this.ops = ops;
    this.n = ops.length;
    const hash = model.hash;
    this.hashOf = hash ? (s) => hash.call(model, s) : defaultHash;
    const n = ops.length;
    // One buffer for every fixed-size array: a check may run thousands of small searches, and
    // each buffer costs an allocation and work for the collector, more than most of those searches.
    const bitWords = Math.max(1, Math.ceil(n / 32));
    const wordCount = 2 * (2 * n + 1) + 3 * n + bitWords;
    const buffer = new ArrayBuffer(4 * wordCount + 2 * n);
    const view = (from: number, length: number) => new Int32Array(buffer, 4 * from, length);
    this.next = view(0, 2 * n + 1);
    this.prev = view(2 * n + 1, 2 * n + 1);
    this.stackOps = view(4 * n + 2, n);
    this.stackStates = view(5 * n + 2, n);
    this.best = view(6 * n + 2, n);
    this.bits = new Uint32Array(buffer, 4 * (7 * n + 2), bitWords);
    this.stackForced = new Uint8Array(buffer, 4 * wordCount, n);
    this.readOnly = new Uint8Array(buffer, 4 * wordCount + n, n);
    this.outputs = [];
    for (let i = 0; i < n; i++) {
      this.outputs.push(ops[i].known ? ops[i].output : UNKNOWN);
      this.readOnly[i] = model.readOnly?.(ops[i]) ? 1 : 0;
    }
    ({ head: this.head, required: this.required } = linkEvents(ops, this.next, this.prev));
    this.z = zobrist(n);
    // Every op with a known outcome is cached at least once on the way to a verdict of ok; most
    // partitions are decided in about that many steps, and a check may hold thousands of them.
    this.cache = new StateCache(this.bits.length, Math.min(Math.max(16, this.required), CACHE_FIRST_MAX));
    this.stateId = this.intern(initial);
    this.bestStateId = this.stateId;
    this.entry = this.next[this.head];
  }

  private intern(s: S): number {
    // A read leaves the very same state object: no need to hash it.
    if (this.states.length > 0 && s === this.states[this.stateId]) return this.stateId;
    const h = this.hashOf(s);
    if (typeof h === "number" && Number.isInteger(h) && h >= 0 && h < INT_HASH_MIN + INT_HASH_PER_STATE * this.states.length)
      return this.internInt(s, h);
    let id = this.stateIds.get(h);
    if (id === undefined) {
      id = this.states.push(s) - 1;
      this.stateIds.set(h, id);
    }
    return id;
  }

  /**
   * Models whose hash is a small integer (kv's interned strings, counters)
   * skip the Map: an array indexed by hash. A hash first seen above the
   * bound sits in the Map: look there before taking it for a new state (two
   * ids for one state would lose pruning).
   */
  private internInt(s: S, h: number): number {
    if (h >= this.idByIntHash.length) {
      const grown = new Int32Array(Math.max(64, 2 ** Math.ceil(Math.log2(h + 1)))).fill(-1);
      grown.set(this.idByIntHash);
      this.idByIntHash = grown;
    }
    let id = this.idByIntHash[h];
    if (id === -1) {
      id = (this.stateIds.size > 0 ? this.stateIds.get(h) : undefined) ?? this.states.push(s) - 1;
      this.idByIntHash[h] = id;
    }
    return id;
  }

  private lift(i: number): void {
    const { next, prev } = this;
    for (let node = 2 * i; node <= 2 * i + 1; node++) {
      if (node === 2 * i + 1 && !this.ops[i].known) break;
      next[prev[node]] = next[node];
      if (next[node] !== -1) prev[next[node]] = prev[node];
    }
  }

  /** The exact inverse of lift, in reverse order, so the list is restored. */
  private unlift(i: number): void {
    const { next, prev } = this;
    for (let node = 2 * i + 1; node >= 2 * i; node--) {
      if (node === 2 * i + 1 && !this.ops[i].known) continue;
      next[prev[node]] = node;
      if (next[node] !== -1) prev[next[node]] = node;
    }
  }

  /** Works for at most `budget` steps; returns the status reached. */
  run(budget: number): SearchStatus {
    if (this.status !== "running") return this.status;
    const { next, bits, z, ops, outputs, model, cache } = this;
    if (cache === null) throw new Error("Search.run after abandon(): the scheduler must drop an abandoned search");
    const stop = this.steps + budget;
    let entry = this.entry;
    while (this.steps < stop) {
      this.steps++;
      if (this.required === 0) return this.finish("ok", entry);
      if (entry !== -1 && (entry & 1) === 0) {
        const i = entry >> 1;
        const after = model.step(this.states[this.stateId], ops[i], outputs[i]);
        if (after !== undefined) {
          const id = this.intern(after);
          const word = i >>> 5;
          const mask = 1 << (i & 31);
          bits[word] |= mask;
          const bitsHash = this.bitsHash ^ z[i];
          if (cache.add(bits, id, mix(bitsHash, id))) {
            this.stackOps[this.depth] = i;
            this.stackStates[this.depth] = this.stateId;
            this.stackForced[this.depth] = id === this.stateId && this.readOnly[i] === 1 ? 1 : 0;
            this.depth++;
            this.stateId = id;
            this.bitsHash = bitsHash;
            if (ops[i].known) this.required--;
            this.lift(i);
            entry = next[this.head];
            continue;
          }
          bits[word] &= ~mask;
        }
        entry = next[entry];
        continue;
      }
      // A return event (an op owed here is not linearized): undo the last choice.
      if (this.depth === 0) return this.finish("illegal", entry);
      if (this.depth > this.bestLength) this.keepBest();
      this.depth--;
      const i = this.stackOps[this.depth];
      this.stateId = this.stackStates[this.depth];
      bits[i >>> 5] &= ~(1 << (i & 31));
      this.bitsHash ^= z[i];
      if (ops[i].known) this.required++;
      this.unlift(i);
      // A forced op failed first, so every order from that configuration fails: backtrack again.
      entry = this.stackForced[this.depth] === 1 ? -1 : next[2 * i];
    }
    this.entry = entry;
    return "running";
  }

  private finish(status: SearchStatus, entry: number): SearchStatus {
    this.entry = entry;
    this.status = status;
    if (status === "ok") this.keepBest();
    this.forget();
    return status;
  }

  /** The longest linearization found (op indices in this partition, in order) and the state after it. */
  bestLinearization(): { order: number[]; state: S } {
    const order: number[] = [];
    for (let k = 0; k < this.bestLength; k++) order.push(this.best[k]);
    return { order, state: this.states[this.bestStateId] };
  }

  /** Up to `limit` of the states the search reached, first found first: what this history can actually produce. */
  reachedStates(limit: number): S[] {
    return this.states.slice(0, limit);
  }

  memoryBytes(): number {
    return (this.cache?.bytes() ?? 0) + this.idByIntHash.byteLength + this.states.length * 64 + this.n * 40;
  }

  /** Gives up: frees the cache and leaves the best prefix for the explanation. */
  abandon(): void {
    if (this.depth > this.bestLength) this.keepBest();
    this.forget();
  }

  /** Keeps the current linearization as the best (the longest yet, or the whole one at ok). */
  private keepBest(): void {
    this.best.set(this.stackOps.subarray(0, this.depth));
    this.bestLength = this.depth;
    this.bestStateId = this.stateId;
  }

  /** The cache and the state ids are only needed to go on searching. */
  private forget(): void {
    this.cache = null;
    this.stateIds = new Map();
    this.idByIntHash = new Int32Array(0);
  }
}

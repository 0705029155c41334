/**
 * The set of (linearized ops, model state) pairs already explored: a second
 * visit can only repeat the first one's failure, so it is pruned.
 *
 * Porcupine keeps a map of hash to a slice of bitset copies. Here every entry
 * lives in one growing Uint32Array (state id, then the bitset's words) behind
 * an open-addressing table of entry numbers, so an entry costs its words plus
 * a few bytes, with no per-entry object for the garbage collector to trace.
 */
export class StateCache {
  private readonly words: number;
  private readonly stride: number;
  private pool: Uint32Array;
  private hashes: Int32Array;
  private table: Int32Array;
  private mask: number;
  count = 0;

  /** `capacity` entries before the first growth; rounded up to a power of two (the table masks hashes). */
  constructor(words: number, capacity = 1024) {
    capacity = 2 ** Math.ceil(Math.log2(Math.max(1, capacity)));
    this.words = words;
    this.stride = words + 1;
    this.pool = new Uint32Array(capacity * this.stride);
    this.hashes = new Int32Array(capacity);
    this.table = new Int32Array(capacity * 2);
    this.mask = this.table.length - 1;
  }

  /** Adds the pair; false if it was already there. `hash` covers both bits and state. */
  add(bits: Uint32Array, stateId: number, hash: number): boolean {
    const { words, stride, pool, hashes, table, mask } = this;
    let slot = hash & mask;
    for (let probe = 0; probe <= mask; probe++) {
      const entry = table[slot] - 1;
      if (entry < 0) {
        this.insert(slot, bits, stateId, hash);
        return true;
      }
      if (hashes[entry] === hash && pool[entry * stride] === stateId) {
        const base = entry * stride + 1;
        let same = true;
        for (let w = 0; w < words; w++) {
          if (pool[base + w] !== bits[w]) {
            same = false;
            break;
          }
        }
        if (same) return false;
      }
      slot = (slot + 1) & mask;
    }
    throw new Error("StateCache: table full (load factor invariant broken)");
  }

  bytes(): number {
    return this.pool.byteLength + this.hashes.byteLength + this.table.byteLength;
  }

  private insert(slot: number, bits: Uint32Array, stateId: number, hash: number): void {
    if (this.count === this.hashes.length) this.growPool();
    const entry = this.count++;
    const base = entry * this.stride;
    const pool = this.pool;
    pool[base] = stateId;
    // A loop, not pool.set(bits.subarray(...)): a subarray is an object per entry for the collector.
    for (let w = 0; w < this.words; w++) pool[base + 1 + w] = bits[w];
    this.hashes[entry] = hash;
    this.table[slot] = entry + 1;
    // Keep the table at most half full so probes stay short.
    if (this.count * 2 > this.table.length) this.growTable();
  }

  private growPool(): void {
    const capacity = this.hashes.length * 2;
    const pool = new Uint32Array(capacity * this.stride);
    pool.set(this.pool);
    this.pool = pool;
    const hashes = new Int32Array(capacity);
    hashes.set(this.hashes);
    this.hashes = hashes;
  }

  private growTable(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let entry = 0; entry < this.count; entry++) {
      let slot = this.hashes[entry] & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = entry + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}

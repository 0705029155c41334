/**
 * A map from a pair of non-negative integers to a non-negative integer, as
 * open addressing over one Int32Array of (a, b, value) triples: no object or
 * boxed key per entry, so a table of many entries costs the collector nothing.
 */
export class PairTable {
  private slots: Int32Array;
  private mask: number;
  private count = 0;

  constructor(capacity = 256) {
    const size = 2 ** Math.ceil(Math.log2(Math.max(2, capacity * 2)));
    this.slots = new Int32Array(3 * size).fill(-1);
    this.mask = size - 1;
  }

  /** The value for (a, b), or -1. */
  get(a: number, b: number): number {
    const { slots, mask } = this;
    // Bounded: the table is at most half full, so an empty slot comes before `mask` probes.
    for (let slot = hashPair(a, b) & mask, probe = 0; probe <= mask; slot = (slot + 1) & mask, probe++) {
      const k = 3 * slot;
      if (slots[k] === -1) return -1;
      if (slots[k] === a && slots[k + 1] === b) return slots[k + 2];
    }
    return -1;
  }

  /** Sets (a, b) to `value`; (a, b) must not be in the table yet. */
  set(a: number, b: number, value: number): void {
    if (2 * (this.count + 1) > this.mask + 1) this.grow();
    this.put(a, b, value);
    this.count++;
  }

  private put(a: number, b: number, value: number): void {
    const { slots, mask } = this;
    for (let slot = hashPair(a, b) & mask, probe = 0; probe <= mask; slot = (slot + 1) & mask, probe++) {
      const k = 3 * slot;
      if (slots[k] !== -1) continue;
      slots[k] = a;
      slots[k + 1] = b;
      slots[k + 2] = value;
      return;
    }
    throw new Error("PairTable: full (the half-full invariant is broken)");
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(2 * old.length).fill(-1);
    this.mask = 2 * (this.mask + 1) - 1;
    for (let k = 0; k < old.length; k += 3) if (old[k] !== -1) this.put(old[k], old[k + 1], old[k + 2]);
  }
}

function hashPair(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b);
  h ^= h >>> 15;
  return h;
}

import type { Operation } from "../../src/history/pair.js";

export interface EventList {
  head: number;
  /** Ops with a known outcome: the ones a linearization must contain. */
  required: number;
}

/**
 * Fills `next` and `prev` (2n + 1 entries each) with the search's
 * doubly-linked list of call and return events, in history order: node 2i is
 * op i's call, 2i+1 its return (only when its outcome is known), node 2n the
 * head. Ties in position go by node number.
 */
export function linkEvents(ops: Operation[], next: Int32Array, prev: Int32Array): EventList {
  const n = ops.length;
  const head = 2 * n;
  next.fill(-1);
  prev.fill(-1);
  let required = 0;
  for (const op of ops) if (op.known) required++;
  let last = head;
  const count = n + required;
  const nodes = sortedEvents(ops, count);
  for (let k = 0; k < count; k++) {
    const node = nodes[k];
    next[last] = node;
    prev[node] = last;
    last = node;
  }
  return { head, required };
}

/** A bucket per position pays while positions spread over at most this many per event. */
const BUCKETS_PER_EVENT = 32;
/** Scratch kept for buckets, at most (4 MiB); a bigger partition sorts with the comparator. */
const BUCKETS_MAX = 1 << 20;

/** Scratch space for sortedEvents, kept from one search to the next (one thread runs one at a time). */
let buckets = new Int32Array(0);
let sorted = new Int32Array(0);

/**
 * Event nodes by (position, node), in the first `count` entries of the array
 * returned (scratch: read it before the next call). A check often holds many
 * small histories, where a sort with a comparator was a good part of the
 * time. Positions are history indices, one event each: so usually each event
 * drops into a bucket per position, read back in order. Where positions
 * repeat, are not whole or spread too far, the comparator sorts.
 */
function sortedEvents(ops: Operation[], count: number): Int32Array {
  let low = Infinity;
  let high = -Infinity;
  for (const op of ops) {
    low = Math.min(low, op.invoke);
    high = Math.max(high, op.known ? op.complete : op.invoke);
  }
  const range = high - low + 1;
  if (!(range <= BUCKETS_PER_EVENT * count && range <= BUCKETS_MAX) || !Number.isInteger(low)) return sortedByComparator(ops, count);
  if (buckets.length < range) buckets = new Int32Array(2 ** Math.ceil(Math.log2(range)));
  if (sorted.length < count) sorted = new Int32Array(2 ** Math.ceil(Math.log2(count)));
  // buckets[p - low] = node + 1; 0 is empty, as every bucket is between calls.
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (!place(buckets, op.invoke - low, 2 * i) || (op.known && !place(buckets, op.complete - low, 2 * i + 1))) {
      buckets.fill(0, 0, range);
      return sortedByComparator(ops, count);
    }
  }
  let k = 0;
  for (let p = 0; p < range; p++) {
    if (buckets[p] === 0) continue;
    sorted[k++] = buckets[p] - 1;
    buckets[p] = 0;
  }
  return sorted;
}

function place(bucket: Int32Array, at: number, node: number): boolean {
  if (!Number.isInteger(at) || bucket[at] !== 0) return false;
  bucket[at] = node + 1;
  return true;
}

function sortedByComparator(ops: Operation[], count: number): Int32Array {
  const nodes = new Int32Array(count);
  const pos = new Float64Array(count);
  let k = 0;
  ops.forEach((op, i) => {
    nodes[k] = 2 * i;
    pos[k++] = op.invoke;
    if (!op.known) return;
    nodes[k] = 2 * i + 1;
    pos[k++] = op.complete;
  });
  const order = Array.from(nodes, (_, j) => j).sort((a, b) => pos[a] - pos[b] || nodes[a] - nodes[b]);
  return Int32Array.from(order, (j) => nodes[j]);
}

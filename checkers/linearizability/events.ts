import type { Operation } from "../../src/history/pair.js";

/**
 * The search's doubly-linked list of call and return events, in history
 * order: node 2i is op i's call, 2i+1 its return (only when its outcome is
 * known), node 2n the head. Ties in position go by node number.
 */
export interface EventList {
  next: Int32Array;
  prev: Int32Array;
  head: number;
  /** Ops with a known outcome: the ones a linearization must contain. */
  required: number;
}

export function linkEvents(ops: Operation[]): EventList {
  const n = ops.length;
  const head = 2 * n;
  const next = new Int32Array(2 * n + 1).fill(-1);
  const prev = new Int32Array(2 * n + 1).fill(-1);
  let required = 0;
  for (const op of ops) if (op.known) required++;
  let last = head;
  const nodes = sortedEvents(ops, n + required);
  for (let k = 0; k < nodes.length; k++) {
    const node = nodes[k];
    next[last] = node;
    prev[node] = last;
    last = node;
  }
  return { next, prev, head, required };
}

/** A bucket per position pays while positions spread over at most this many per event. */
const BUCKETS_PER_EVENT = 4;

/**
 * Event nodes by (position, node). A check often holds many small histories,
 * where a sort with a comparator was a good part of the time. Positions are
 * history indices, one event each: so usually each event drops into a bucket
 * per position, read back in order. Where positions repeat, are not whole or
 * spread too far, the comparator sorts.
 */
function sortedEvents(ops: Operation[], count: number): Int32Array {
  let low = Infinity;
  let high = -Infinity;
  for (const op of ops) {
    low = Math.min(low, op.invoke);
    high = Math.max(high, op.known ? op.complete : op.invoke);
  }
  const range = high - low + 1;
  if (!(range <= BUCKETS_PER_EVENT * count) || !Number.isInteger(low)) return sortedByComparator(ops, count);
  // bucket[p - low] = node + 1; 0 is empty.
  const bucket = new Int32Array(range);
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (!place(bucket, op.invoke - low, 2 * i) || (op.known && !place(bucket, op.complete - low, 2 * i + 1)))
      return sortedByComparator(ops, count);
  }
  const nodes = new Int32Array(count);
  let k = 0;
  for (let p = 0; p < range; p++) if (bucket[p] !== 0) nodes[k++] = bucket[p] - 1;
  return nodes;
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

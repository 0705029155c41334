/**
 * Version orders and the ww / wr / rw edges they imply.
 *
 * Lists only grow by appends, so every read of a key is a prefix of the key's
 * one true order; the longest read is taken as that order, and a read that is
 * not a prefix of it is an incompatible order. Per key, with order e0..en and
 * writer(e) the txn that appended e:
 *   ww  writer(e_i) -> writer(e_i+1)
 *   wr  writer(last element read) -> reader
 *   rw  reader -> writer(the element right after the read's last one)
 * An element u that no read shows (its writer not failed) came after the
 * whole order, so also
 *   ww  writer(e_n) -> writer(u)
 *   rw  each reader of the whole order -> writer(u)
 * (shorter reads reach writer(u) through the order's rw and ww edges).
 * Reads are also checked for elements appended by failed txns (G1a), for
 * elements nobody appended (garbage-read), for elements that their writer
 * later followed with another append to the key (G1b, intermediate read), and
 * for duplicates.
 */
import { shapeError } from "../perf/pairs.js";
import type { Anomalies } from "./anomalies.js";
import { EdgeList, RW, WR, WW } from "./graph.js";
import { CHECKER, appendElementAt, appendsAfter, appendsBefore, mopsOf, readListAt, type Txns } from "./parse.js";
import { FAIL, lastOp, type Scalar } from "./txns.js";

/** Per key (by key id), its version order as far as reads show it. */
export type Orders = Scalar[][];

/**
 * What one key's pass needs, reused from key to key (most keys are short):
 * per-position columns of its order, its reads, and its element -> append
 * row lookup. One key's entries live only while its edges are made, so they
 * die young rather than pile up for the whole check.
 */
class Scratch {
  writer = new Int32Array(256);
  ordinal = new Int32Array(256);
  intermediate = new Uint8Array(256);
  /** elements of the current key's longest read, for finding duplicates */
  seen = new Set<Scalar>();
  /** element -> its append row, of the current key */
  rowOf = new Map<unknown, number>();
  /** by append row, less the key's first: the append's ordinal among its txn's appends to the key */
  rowOrdinal = new Int32Array(256);
  /** the current key's reads, as rows */
  lists: Scalar[][] = [];
  fit(n: number): void {
    if (n <= this.writer.length) return;
    this.writer = new Int32Array(n * 2);
    this.ordinal = new Int32Array(n * 2);
    this.intermediate = new Uint8Array(n * 2);
  }
}

export function dependencyEdges(txns: Txns, anomalies: Anomalies, edges: EdgeList): Orders {
  const orders: Orders = [];
  const scratch = new Scratch();
  for (let id = 0; id < txns.keys.length; id++) orders.push(keyEdges(txns, id, anomalies, edges, scratch));
  return orders;
}

/**
 * Fills the scratch lookups with key `id`'s appends, and checks that each
 * element is appended once: the error names the later op, as a reader of
 * the file would meet them.
 */
function indexAppends(txns: Txns, id: number, scratch: Scratch): void {
  const { rowOf } = scratch;
  rowOf.clear();
  const key = txns.keys[id];
  const from = txns.appendStart[id];
  const to = txns.appendStart[id + 1];
  if (to - from > scratch.rowOrdinal.length) scratch.rowOrdinal = new Int32Array(2 * (to - from));
  const rowOrdinal = scratch.rowOrdinal;
  for (let a = from; a < to; a++) {
    rowOrdinal[a - from] = appendsBefore(txns, id, a) ? rowOrdinal[a - from - 1] + 1 : 0;
    const element = appendElementAt(txns, a);
    const earlier = rowOf.get(element);
    if (earlier === undefined) {
      rowOf.set(element, a);
      continue;
    }
    const t = txns.appendTxn[a];
    const op = lastOp(txns, t);
    const other = txns.appendTxn[earlier];
    if (other !== t) {
      shapeError(
        CHECKER,
        op,
        op.index,
        `element ${JSON.stringify(element)} was already appended to key ${JSON.stringify(key)} by op ${lastOp(txns, other).index}; appends must be unique per key`,
      );
    }
    shapeError(CHECKER, op, op.index, `appends ${JSON.stringify(element)} to key ${JSON.stringify(key)} twice`);
  }
}

/**
 * For each element of `list`, of key `id`: its writer (-1: none), the
 * append's ordinal among the writer's appends to the key, and whether the
 * writer appends to the key again after it. Needs indexAppends for the key.
 */
function describe(
  txns: Txns,
  id: number,
  scratch: Scratch,
  list: Scalar[],
  writer: Int32Array,
  ordinal: Int32Array,
  later: Uint8Array,
): void {
  const from = txns.appendStart[id];
  for (let i = 0; i < list.length; i++) {
    const a = scratch.rowOf.get(list[i]);
    writer[i] = a === undefined ? -1 : txns.appendTxn[a];
    ordinal[i] = a === undefined ? 0 : scratch.rowOrdinal[a - from];
    later[i] = a !== undefined && appendsAfter(txns, id, a) ? 1 : 0;
  }
}

function keyEdges(txns: Txns, id: number, anomalies: Anomalies, edges: EdgeList, scratch: Scratch): Scalar[] {
  const key = txns.keys[id];
  const { rowOf, lists } = scratch;
  indexAppends(txns, id, scratch);
  const readFrom = txns.readStart[id];
  const readCount = txns.readStart[id + 1] - readFrom;
  lists.length = 0;
  for (let r = 0; r < readCount; r++) lists.push(readListAt(txns, readFrom + r));
  const readerOf = (r: number): number => txns.readTxn[readFrom + r];
  let longestAt = -1;
  for (let r = 0; r < readCount; r++) if (longestAt < 0 || lists[r].length > lists[longestAt].length) longestAt = r;
  const longest = longestAt < 0 ? [] : lists[longestAt];
  const order = dedupe(txns, key, longest, longestAt < 0 ? -1 : readerOf(longestAt), anomalies, scratch.seen);
  const n = order.length;
  scratch.fit(n);
  const { writer, ordinal, intermediate } = scratch;
  describe(txns, id, scratch, order, writer, ordinal, intermediate);
  // reads longer than firstBad include an element nobody (or only a failed txn) appended
  let firstBad = n;
  for (let i = 0; i < n && firstBad === n; i++) if (writer[i] < 0 || txns.status[writer[i]] === FAIL) firstBad = i;
  // every read compatible with the order is a prefix of it, and a prefix tears no run the order keeps whole
  const torn = tornAt(writer, ordinal, intermediate, n);
  if (torn >= 0) tornAppend(txns, key, readerOf(longestAt), longest, writer[torn], anomalies);
  if (firstBad < n) dirtyUpdate(txns, key, order, writer, firstBad, anomalies);
  for (let i = 0; i + 1 < n; i++) {
    const a = writer[i];
    const b = writer[i + 1];
    if (a >= 0 && b >= 0 && a !== b && i + 1 < firstBad) edges.add(a, b, WW);
  }
  // every element of the order has a (not failed) writer and the writers are no more: all are shown
  const unobserved = firstBad === n && rowOf.size === n ? [] : unobservedWriters(txns, id, scratch.seen);
  const fullReaders: number[] = [];
  for (let r = 0; r < readCount; r++) {
    const list = lists[r];
    const reader = readerOf(r);
    // the longest read may have had duplicates dropped: it covers the whole order
    const m = list === longest ? n : list.length;
    if (list !== longest && !isPrefix(list, order)) {
      incompatible(txns, key, reader, list, readerOf(longestAt), order, anomalies);
      tornRead(txns, id, scratch, reader, list, anomalies);
      continue;
    }
    if (m > firstBad) {
      badRead(txns, key, reader, order[firstBad], writer[firstBad], anomalies);
      continue;
    }
    if (m > 0) {
      const last = writer[m - 1];
      if (last !== reader) {
        edges.add(last, reader, WR);
        if (intermediate[m - 1] === 1) {
          anomalies.add("G1b", () => ({
            op: lastOp(txns, reader).index,
            key,
            element: order[m - 1],
            writer: lastOp(txns, last).index,
            explanation: `op ${lastOp(txns, reader).index} read key ${JSON.stringify(key)} ending in ${JSON.stringify(order[m - 1])}, an intermediate state: op ${lastOp(txns, last).index} appended to that key again after it`,
          }));
        }
      }
    }
    if (m < n && m < firstBad && writer[m] !== reader) edges.add(reader, writer[m], RW);
    if (m === n && unobserved.length > 0) fullReaders.push(reader);
  }
  // an element no read shows was appended after all of the longest read: after its last element, after every read
  const last = n > 0 && firstBad === n ? writer[n - 1] : -1;
  for (const u of unobserved) {
    if (last >= 0 && last !== u) edges.add(last, u, WW);
    for (const reader of fullReaders) if (reader !== u) edges.add(reader, u, RW);
  }
  return order;
}

/** The txns (not failed) whose appends to key `id` no read shows; `seen` holds the longest read's elements. */
function unobservedWriters(txns: Txns, id: number, seen: Set<Scalar>): number[] {
  const out: number[] = [];
  for (let a = txns.appendStart[id]; a < txns.appendStart[id + 1]; a++) {
    const t = txns.appendTxn[a];
    if (!seen.has(appendElementAt(txns, a)) && txns.status[t] !== FAIL && out[out.length - 1] !== t) out.push(t);
  }
  return out;
}

function isPrefix(list: Scalar[], order: Scalar[]): boolean {
  if (list.length > order.length) return false;
  for (let i = 0; i < list.length; i++) if (list[i] !== order[i]) return false;
  return true;
}

/** The longest read with repeated elements reported and dropped. */
function dedupe(txns: Txns, key: Scalar, longest: Scalar[], reader: number, anomalies: Anomalies, seen: Set<Scalar>): Scalar[] {
  seen.clear();
  let clean = true;
  for (const element of longest) {
    if (!seen.has(element)) {
      seen.add(element);
      continue;
    }
    clean = false;
    anomalies.add("duplicate-elements", () => ({
      op: lastOp(txns, reader).index,
      key,
      element,
      read: longest,
      explanation: `op ${lastOp(txns, reader).index} read key ${JSON.stringify(key)} with ${JSON.stringify(element)} more than once`,
    }));
  }
  return clean ? longest : [...seen];
}

function incompatible(txns: Txns, key: Scalar, reader: number, list: Scalar[], other: number, order: Scalar[], anomalies: Anomalies): void {
  anomalies.add("incompatible-order", () => ({
    key,
    ops: [lastOp(txns, reader).index, lastOp(txns, other).index],
    values: [list, order],
    explanation: `key ${JSON.stringify(key)} was read as ${JSON.stringify(list)} by op ${lastOp(txns, reader).index} and as ${JSON.stringify(order)} by op ${lastOp(txns, other).index}: neither is a prefix of the other`,
  }));
}

function badRead(txns: Txns, key: Scalar, reader: number, element: Scalar, writer: number, anomalies: Anomalies): void {
  const op = lastOp(txns, reader).index;
  if (writer < 0) {
    anomalies.add("garbage-read", () => ({
      op,
      key,
      element,
      explanation: `op ${op} read ${JSON.stringify(element)} in key ${JSON.stringify(key)}, which no txn appended`,
    }));
    return;
  }
  const writerOp = lastOp(txns, writer).index;
  anomalies.add("G1a", () => ({
    op,
    key,
    element,
    writer: writerOp,
    explanation: `op ${op} read ${JSON.stringify(element)} in key ${JSON.stringify(key)}, appended by op ${writerOp}, which failed (aborted read)`,
  }));
}

/**
 * Where a list breaks the rule that each txn's appends to the key show as one
 * run, in the txn's order, from its first append: the position of the first
 * element out of place (or of the run cut short by another txn), -1 if none.
 * A run may be cut short only by the end of the list. Unknown writers (-1,
 * garbage) are skipped: garbage reads are reported on their own.
 */
function tornAt(writer: Int32Array, ordinal: Int32Array, later: Uint8Array, n: number): number {
  for (let i = 0; i < n; i++) {
    if (writer[i] < 0) continue;
    const previous = i > 0 ? writer[i - 1] : -1;
    if (previous === writer[i]) {
      if (ordinal[i] !== ordinal[i - 1] + 1) return i;
      continue;
    }
    if (ordinal[i] !== 0) return i;
    if (previous >= 0 && later[i - 1] === 1) return i - 1;
  }
  return -1;
}

/** The same rule for a read that is no prefix of the order (already incompatible): its own witness. */
function tornRead(txns: Txns, id: number, scratch: Scratch, reader: number, list: Scalar[], anomalies: Anomalies): void {
  const n = list.length;
  const writer = new Int32Array(n);
  const ordinal = new Int32Array(n);
  const later = new Uint8Array(n);
  describe(txns, id, scratch, list, writer, ordinal, later);
  const torn = tornAt(writer, ordinal, later, n);
  if (torn >= 0) tornAppend(txns, txns.keys[id], reader, list, writer[torn], anomalies);
}

function tornAppend(txns: Txns, key: Scalar, reader: number, list: Scalar[], writer: number, anomalies: Anomalies): void {
  anomalies.add("torn-append", () => {
    const op = lastOp(txns, reader).index;
    const writerOp = lastOp(txns, writer).index;
    const appended = mopsOf(txns, writer)
      .filter(([f, k]) => f === "append" && k === key)
      .map((mop) => mop[2]);
    return {
      op,
      key,
      read: list,
      writer: writerOp,
      appended,
      explanation: `op ${op} read key ${JSON.stringify(key)} as ${JSON.stringify(list)}, but op ${writerOp} appended ${JSON.stringify(appended)} to it in one txn: those must show as one run, in that order (cut short only at the end of a read)`,
    };
  });
}

/** An element appended by a failed txn, with a later element of the order appended on top of it. */
function dirtyUpdate(txns: Txns, key: Scalar, order: Scalar[], writer: Int32Array, bad: number, anomalies: Anomalies): void {
  if (writer[bad] < 0) return; // garbage, not an aborted write
  for (let i = bad + 1; i < order.length; i++) {
    const w = writer[i];
    if (w < 0 || w === writer[bad] || txns.status[w] === FAIL) continue;
    anomalies.add("dirty-update", () => ({
      key,
      element: order[bad],
      writer: lastOp(txns, writer[bad]).index,
      "later-element": order[i],
      "later-writer": lastOp(txns, w).index,
      explanation: `op ${lastOp(txns, w).index} appended ${JSON.stringify(order[i])} to key ${JSON.stringify(key)} after ${JSON.stringify(order[bad])}, which op ${lastOp(txns, writer[bad]).index} appended and which failed`,
    }));
    return;
  }
}

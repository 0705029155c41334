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
import type { Anomalies } from "./anomalies.js";
import { EdgeList, RW, WR, WW } from "./graph.js";
import { appendOrdinal, appendTxn, appendsLaterToKey, mopsOf, type KeyTable, type Txns } from "./parse.js";
import { FAIL, lastOp, type Scalar } from "./txns.js";

/** Per key (by key id), its version order as far as reads show it. */
export type Orders = Scalar[][];

/** Per-position columns of one key's order, reused from key to key (most keys are short). */
class Scratch {
  writer = new Int32Array(256);
  ordinal = new Int32Array(256);
  intermediate = new Uint8Array(256);
  /** elements of the current key's longest read, for finding duplicates */
  seen = new Set<Scalar>();
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
  for (const table of txns.keys) orders.push(keyEdges(txns, table, anomalies, edges, scratch));
  return orders;
}

function keyEdges(txns: Txns, table: KeyTable, anomalies: Anomalies, edges: EdgeList, scratch: Scratch): Scalar[] {
  const { readLists, readTxns, writers, key } = table;
  let longestAt = -1;
  for (let r = 0; r < readLists.length; r++) if (longestAt < 0 || readLists[r].length > readLists[longestAt].length) longestAt = r;
  const longest = longestAt < 0 ? [] : readLists[longestAt];
  const order = dedupe(txns, table, longest, readTxns[longestAt], anomalies, scratch.seen);
  const n = order.length;
  scratch.fit(n);
  const { writer, ordinal, intermediate } = scratch;
  // reads longer than firstBad include an element nobody (or only a failed txn) appended
  let firstBad = n;
  for (let i = 0; i < n; i++) {
    const w = writers.get(order[i]);
    writer[i] = w === undefined ? -1 : appendTxn(w);
    ordinal[i] = w === undefined ? 0 : appendOrdinal(w);
    intermediate[i] = w !== undefined && appendsLaterToKey(w) ? 1 : 0;
    if (firstBad === n && (w === undefined || txns.status[writer[i]] === FAIL)) firstBad = i;
  }
  // every read compatible with the order is a prefix of it, and a prefix tears no run the order keeps whole
  const torn = tornAt(writer, ordinal, intermediate, n);
  if (torn >= 0) tornAppend(txns, table, readTxns[longestAt], longest, writer[torn], anomalies);
  if (firstBad < n) dirtyUpdate(txns, key, order, writer, firstBad, anomalies);
  for (let i = 0; i + 1 < n; i++) {
    const a = writer[i];
    const b = writer[i + 1];
    if (a >= 0 && b >= 0 && a !== b && i + 1 < firstBad) edges.add(a, b, WW);
  }
  // every element of the order has a (not failed) writer and the writers are no more: all are shown
  const unobserved = firstBad === n && writers.size === n ? [] : unobservedWriters(txns, table, scratch.seen);
  const fullReaders: number[] = [];
  for (let r = 0; r < readLists.length; r++) {
    const list = readLists[r];
    const reader = readTxns[r];
    // the longest read may have had duplicates dropped: it covers the whole order
    const m = list === longest ? n : list.length;
    if (list !== longest && !isPrefix(list, order)) {
      incompatible(txns, table, reader, list, readTxns[longestAt], order, anomalies);
      tornRead(txns, table, reader, list, anomalies);
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

/** The txns (not failed) whose appends to the key no read shows; `seen` holds the longest read's elements. */
function unobservedWriters(txns: Txns, table: KeyTable, seen: Set<Scalar>): number[] {
  const out: number[] = [];
  for (const [element, packed] of table.writers) {
    const t = appendTxn(packed);
    if (!seen.has(element as Scalar) && txns.status[t] !== FAIL && out[out.length - 1] !== t) out.push(t);
  }
  return out;
}

function isPrefix(list: Scalar[], order: Scalar[]): boolean {
  if (list.length > order.length) return false;
  for (let i = 0; i < list.length; i++) if (list[i] !== order[i]) return false;
  return true;
}

/** The longest read with repeated elements reported and dropped. */
function dedupe(txns: Txns, table: KeyTable, longest: Scalar[], reader: number, anomalies: Anomalies, seen: Set<Scalar>): Scalar[] {
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
      key: table.key,
      element,
      read: longest,
      explanation: `op ${lastOp(txns, reader).index} read key ${JSON.stringify(table.key)} with ${JSON.stringify(element)} more than once`,
    }));
  }
  return clean ? longest : [...seen];
}

function incompatible(
  txns: Txns,
  table: KeyTable,
  reader: number,
  list: Scalar[],
  other: number,
  order: Scalar[],
  anomalies: Anomalies,
): void {
  anomalies.add("incompatible-order", () => ({
    key: table.key,
    ops: [lastOp(txns, reader).index, lastOp(txns, other).index],
    values: [list, order],
    explanation: `key ${JSON.stringify(table.key)} was read as ${JSON.stringify(list)} by op ${lastOp(txns, reader).index} and as ${JSON.stringify(order)} by op ${lastOp(txns, other).index}: neither is a prefix of the other`,
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
function tornRead(txns: Txns, table: KeyTable, reader: number, list: Scalar[], anomalies: Anomalies): void {
  const n = list.length;
  const writer = new Int32Array(n);
  const ordinal = new Int32Array(n);
  const later = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const w = table.writers.get(list[i]);
    writer[i] = w === undefined ? -1 : appendTxn(w);
    ordinal[i] = w === undefined ? 0 : appendOrdinal(w);
    later[i] = w !== undefined && appendsLaterToKey(w) ? 1 : 0;
  }
  const torn = tornAt(writer, ordinal, later, n);
  if (torn >= 0) tornAppend(txns, table, reader, list, writer[torn], anomalies);
}

function tornAppend(txns: Txns, table: KeyTable, reader: number, list: Scalar[], writer: number, anomalies: Anomalies): void {
  anomalies.add("torn-append", () => {
    const op = lastOp(txns, reader).index;
    const writerOp = lastOp(txns, writer).index;
    const appended = mopsOf(txns, writer)
      .filter(([f, k]) => f === "append" && k === table.key)
      .map((mop) => mop[2]);
    return {
      op,
      key: table.key,
      read: list,
      writer: writerOp,
      appended,
      explanation: `op ${op} read key ${JSON.stringify(table.key)} as ${JSON.stringify(list)}, but op ${writerOp} appended ${JSON.stringify(appended)} to it in one txn: those must show as one run, in that order (cut short only at the end of a read)`,
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

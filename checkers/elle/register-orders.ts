/**
 * Version orders of rw-register keys, inferred as Elle does: every key
 * starts at null, and every written value comes after it; and, as with
 * Elle's wfr-keys option (on here: it only assumes that a txn's write of a
 * key follows the version its own read of that key saw), a txn that read v
 * and then wrote v' puts v' after v. Nothing else about the order is
 * assumed, so the edges are
 *   wr  writer(v) -> each txn whose external read of the key saw v
 *   rw  each txn whose external read saw null -> writer(v), for every v of the key
 *   ww  writer(v) -> T, and rw: each other reader of v -> T, when T read v then wrote the key
 * (a key read as null by r txns and written by w txns gets r * w rw edges).
 * Only external writes (a txn's last write of a key) are versions; failed
 * txns' writes are none. Reads are checked for values of failed txns (G1a),
 * of intermediate writes (G1b) and of no write at all (garbage-read); two
 * committed txns that read the same version of a key and both wrote it are a
 * lost update.
 */
import type { Anomalies } from "./anomalies.js";
import { show } from "./explain.js";
import { EdgeList, RW, WR, WW } from "./graph.js";
import { isIntermediate, registerWriter, type RegisterKey, type RegisterTxns } from "./register.js";
import { FAIL, lastOp, type Scalar } from "./txns.js";

/** The dependency edges, in a list with `spare` free rows for the caller (process edges). */
export function registerEdges(txns: RegisterTxns, anomalies: Anomalies, spare: number): EdgeList {
  let rows = txns.reads + spare;
  for (const table of txns.keys) rows += table.updateTxns.length * (1 + table.readTxns.length);
  for (const table of txns.keys) rows += nullReaders(table) * versions(txns, table).length;
  const edges = new EdgeList(rows + 16);
  for (const table of txns.keys) {
    keyEdges(txns, table, anomalies, edges);
    writesFollowReads(txns, table, edges);
    lostUpdates(txns, table, anomalies);
  }
  return edges;
}

function nullReaders(table: RegisterKey): number {
  let count = 0;
  for (const v of table.readValues) if (v === null) count++;
  return count;
}

/** The writers of the key's versions: txns whose last write of it did not fail. */
function versions(txns: RegisterTxns, table: RegisterKey): number[] {
  const writers: number[] = [];
  for (const packed of table.writers.values()) {
    const w = registerWriter(packed);
    if (!isIntermediate(packed) && txns.status[w] !== FAIL) writers.push(w);
  }
  return writers;
}

function keyEdges(txns: RegisterTxns, table: RegisterKey, anomalies: Anomalies, edges: EdgeList): void {
  const { key, readTxns, readValues, writers } = table;
  const after = versions(txns, table);
  for (let r = 0; r < readTxns.length; r++) {
    const reader = readTxns[r];
    const value = readValues[r];
    if (value === null) {
      for (const w of after) if (w !== reader) edges.add(reader, w, RW);
      continue;
    }
    const packed = writers.get(value);
    const op = lastOp(txns, reader).index;
    if (packed === undefined) {
      anomalies.add("garbage-read", () => ({
        op,
        key,
        element: value,
        explanation: `op ${op} read key ${show(key)} = ${show(value)}, which no txn wrote`,
      }));
      continue;
    }
    const writer = registerWriter(packed);
    if (writer === reader) continue; // a future read, reported while parsing
    const writerOp = lastOp(txns, writer).index;
    if (txns.status[writer] === FAIL) {
      anomalies.add("G1a", () => ({
        op,
        key,
        element: value,
        writer: writerOp,
        explanation: `op ${op} read key ${show(key)} = ${show(value)}, written by op ${writerOp}, which failed (aborted read)`,
      }));
      continue;
    }
    if (isIntermediate(packed)) {
      anomalies.add("G1b", () => ({
        op,
        key,
        element: value,
        writer: writerOp,
        explanation: `op ${op} read key ${show(key)} = ${show(value)}, an intermediate state: op ${writerOp} wrote that key again after it`,
      }));
      continue;
    }
    edges.add(writer, reader, WR);
  }
}

function writesFollowReads(txns: RegisterTxns, table: RegisterKey, edges: EdgeList): void {
  if (table.updateTxns.length === 0) return;
  const readersOf = new Map<Scalar, number[]>();
  for (let r = 0; r < table.readTxns.length; r++) {
    const value = table.readValues[r];
    if (value === null) continue;
    const list = readersOf.get(value) ?? [];
    list.push(table.readTxns[r]);
    readersOf.set(value, list);
  }
  for (let i = 0; i < table.updateTxns.length; i++) {
    const t = table.updateTxns[i];
    const value = table.updateReads[i];
    if (value === null) continue; // null precedes every version already
    const packed = table.writers.get(value);
    if (packed === undefined || txns.status[registerWriter(packed)] === FAIL || isIntermediate(packed)) continue; // G1a, G1b or garbage
    if (registerWriter(packed) !== t) edges.add(registerWriter(packed), t, WW);
    for (const reader of readersOf.get(value) ?? []) if (reader !== t) edges.add(reader, t, RW);
  }
}

function lostUpdates(txns: RegisterTxns, table: RegisterKey, anomalies: Anomalies): void {
  const byRead = new Map<Scalar | null, number[]>();
  for (let i = 0; i < table.updateTxns.length; i++) {
    const list = byRead.get(table.updateReads[i]) ?? [];
    list.push(table.updateTxns[i]);
    byRead.set(table.updateReads[i], list);
  }
  for (const [value, updaters] of byRead) {
    if (updaters.length < 2) continue;
    const ops = updaters.map((t) => lastOp(txns, t).index);
    anomalies.add("lost-update", () => ({
      key: table.key,
      element: value,
      ops,
      explanation: `ops ${ops.join(", ")} all read key ${show(table.key)} = ${show(value)} and then wrote it: all but one of those updates is lost`,
    }));
  }
}

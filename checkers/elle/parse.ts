/**
 * Reads a list-append history into integer-indexed tables.
 *
 * Input shapes (anything else is an InputError naming the op's index):
 *   f: "txn"; value: an array of micro-ops
 *     invoke:  ["append", k, v] | ["r", k, null]
 *     ok:      the same micro-ops in the same order, reads filled: ["r", k, [v1, v2, ...]]
 *              (a read of null, a key never appended to, is taken as [] and so rewritten)
 *     fail / info: value ignored (the invoke's micro-ops are used)
 *   Keys and elements are numbers or strings (1 and "1" are different). An
 *   element is appended at most once per key in the whole history (checked
 *   per key by ./orders.ts, which builds the element -> append lookup).
 * Ops with another `f`, and nemesis ops, are ignored. A txn with no
 * completion counts as info: it may have happened.
 *
 * While reading, each ok txn is checked for internal consistency: a read
 * must show the txn's own earlier reads and appends of that key.
 *
 * The appends and reads are grouped by key as rows of typed arrays
 * (compressed sparse rows) that point back into the history's micro-ops: a
 * million txns add a few typed arrays, not a table object per key nor an
 * entry per element, which V8 would have to mark again at every full
 * collection of a heap that already holds the whole history.
 */
import type { History, Op } from "../../src/history/op.js";
import { shapeError } from "../perf/pairs.js";
import type { Anomalies } from "./anomalies.js";
import { checkInternal } from "./internal.js";
import type { Workspace } from "./workspace.js";
import { OK, isScalar, pairTxns, txnValue, type Scalar, type TxnColumns } from "./txns.js";
import { int32Column } from "../arena.js";

export type { Scalar };

export const CHECKER = "elle-list-append";
/** ["append", k, v] | ["r", k, null | Scalar[]] */
export type MicroOp = [string, Scalar, unknown];

/**
 * The txns, and per key (by id) its appends and ok reads as rows: key k's
 * appends are rows appendStart[k] .. appendStart[k + 1] - 1, in txn order,
 * then micro-op order; its reads likewise from readStart.
 */
export interface Txns extends TxnColumns {
  /** key id -> key */
  keys: Scalar[];
  keyIdOf: Map<Scalar, number>;
  appendStart: Int32Array;
  /** by append row: the txn */
  appendTxn: Int32Array;
  readStart: Int32Array;
  /** by read row: the ok txn that read */
  readTxn: Int32Array;
  /** the append rows' elements, then the read rows' lists (from `appends` on) */
  rowValue: unknown[];
  /** appends of all txns and reads of ok ones: they bound the ww, wr and rw edges */
  appends: number;
  reads: number;
}

/** the micro-ops: the ok value, or the invocation's for fail and info (validated by parseTxns) */
export const mopsOf = (txns: TxnColumns, t: number): MicroOp[] => txnValue(txns, t) as MicroOp[];

export const appendElementAt = (txns: Txns, i: number): Scalar => txns.rowValue[i] as Scalar;
export const readListAt = (txns: Txns, i: number): Scalar[] => txns.rowValue[txns.appends + i] as Scalar[];

/** Whether append row i, of key k, is not its txn's first append to the key (rows of one txn are adjacent). */
export const appendsBefore = (txns: Txns, k: number, i: number): boolean =>
  i > txns.appendStart[k] && txns.appendTxn[i - 1] === txns.appendTxn[i];

/** Whether the txn of append row i, of key k, appends to the key again after it. */
export const appendsAfter = (txns: Txns, k: number, i: number): boolean =>
  i + 1 < txns.appendStart[k + 1] && txns.appendTxn[i + 1] === txns.appendTxn[i];

/**
 * One pass over the history, whose ops are scattered over a heap its size
 * (so each visit costs): validate, number the keys, and note each append
 * and ok read in history order; then the notes are sorted into rows. The
 * columns come from ../arena.ts; the notes' own go to `room` when done.
 */
export function parseTxns(history: History, anomalies: Anomalies, room?: Workspace): Txns {
  const columns = pairTxns(CHECKER, history);
  const { count, invokeAt, completeAt, status } = columns;
  // by note: its key (READ - id for a read), txn and value; sized for four micro-ops a txn and
  // grown if need be, rather than counted first (another visit to every op)
  let capacity = 4 * count + 16;
  let noteKey = int32Column(capacity);
  let noteTxn = int32Column(capacity);
  const noteValue = new Array<unknown>(capacity).fill(null);
  let notes = 0;
  const keys: Scalar[] = [];
  const keyIdOf = new Map<Scalar, number>();
  for (let t = 0; t < count; t++) {
    const invoke = history[invokeAt[t]];
    const isOk = status[t] === OK;
    let mops: MicroOp[];
    if (isOk) {
      const complete = history[completeAt[t]];
      mops = completed(complete, invoke);
      checkInternal(mops, complete.index, anomalies);
    } else {
      mops = microOps(invoke, false);
    }
    for (let j = 0; j < mops.length; j++) {
      const mop = mops[j];
      const isAppend = mop[0] === "append";
      if (!isAppend && !isOk) continue;
      const key = mop[1];
      let id = keyIdOf.get(key);
      if (id === undefined) {
        id = keys.length;
        keyIdOf.set(key, id);
        keys.push(key);
      }
      if (notes === capacity) {
        capacity *= 2;
        noteKey = grown(noteKey, capacity);
        noteTxn = grown(noteTxn, capacity);
      }
      noteKey[notes] = isAppend ? id : READ - id;
      noteTxn[notes] = t;
      noteValue[notes] = mop[2];
      notes++;
    }
  }
  const { appendStart, readStart, rowTxn, rowValue } = toRows(noteKey, noteTxn, noteValue, notes, keys.length);
  room?.donate(noteKey);
  room?.donate(noteTxn);
  const appends = appendStart[keys.length];
  return {
    ...columns,
    keys,
    keyIdOf,
    appendStart,
    appendTxn: rowTxn.subarray(0, appends),
    readStart,
    readTxn: rowTxn.subarray(appends, notes),
    rowValue,
    appends,
    reads: notes - appends,
  };
}

function grown(column: Int32Array, capacity: number): Int32Array {
  const bigger = int32Column(capacity);
  bigger.set(column);
  return bigger;
}

/** A read's note key is READ - key id (negative), an append's the key id. */
const READ = -1;

/**
 * Sorts the notes into rows (a counting sort, stable): append rows by key,
 * then read rows by key.
 */
function toRows(noteKey: Int32Array, noteTxn: Int32Array, noteValue: unknown[], notes: number, keyCount: number) {
  const appendStart = int32Column(keyCount + 1);
  const readStart = int32Column(keyCount + 1);
  for (let m = 0; m < notes; m++) {
    const k = noteKey[m];
    if (k >= 0) appendStart[k + 1]++;
    else readStart[READ - k + 1]++;
  }
  for (let k = 0; k < keyCount; k++) {
    appendStart[k + 1] += appendStart[k];
    readStart[k + 1] += readStart[k];
  }
  const appends = appendStart[keyCount];
  const nextAppend = int32Column(keyCount);
  nextAppend.set(appendStart.subarray(0, keyCount));
  const nextRead = int32Column(keyCount);
  nextRead.set(readStart.subarray(0, keyCount));
  // scattered into fresh columns: moving notes in place follows the permutation's cycles all
  // over the columns, a cache miss a step
  const rowTxn = int32Column(notes);
  const rowValue = new Array<unknown>(notes).fill(null);
  for (let m = 0; m < notes; m++) {
    const k = noteKey[m];
    const row = k >= 0 ? nextAppend[k]++ : appends + nextRead[READ - k]++;
    rowTxn[row] = noteTxn[m];
    rowValue[row] = noteValue[m];
  }
  return { appendStart, readStart, rowTxn, rowValue };
}

function microOps(op: Op, filled: boolean): MicroOp[] {
  const value = op.value;
  if (!Array.isArray(value)) shapeError(CHECKER, op, op.index, "txn value must be an array of micro-ops");
  for (let j = 0; j < value.length; j++) {
    const mop = value[j];
    if (!Array.isArray(mop) || mop.length !== 3 || !isScalar(mop[1])) {
      shapeError(
        CHECKER,
        op,
        op.index,
        `micro-op ${j} must be ["append", k, v] or ["r", k, ...] with k a number or string; got ${JSON.stringify(mop)}`,
      );
    }
    if (mop[0] === "append") {
      if (!isScalar(mop[2])) shapeError(CHECKER, op, op.index, `micro-op ${j}: appended element must be a number or string`);
    } else if (mop[0] === "r") {
      // a completed read of nil is a key never appended to, as in Jepsen's histories: the empty list
      if (filled && mop[2] === null) mop[2] = [];
      const ok = filled ? Array.isArray(mop[2]) && allScalars(mop[2]) : mop[2] === null;
      if (!ok)
        shapeError(
          CHECKER,
          op,
          op.index,
          `micro-op ${j}: read value must be ${filled ? "an array of numbers or strings (or null: empty)" : "null on invoke"}`,
        );
    } else {
      shapeError(CHECKER, op, op.index, `micro-op ${j}: function must be "append" or "r", got ${JSON.stringify(mop[0])}`);
    }
  }
  return value as MicroOp[];
}

function allScalars(list: unknown[]): boolean {
  for (let i = 0; i < list.length; i++) if (!isScalar(list[i])) return false;
  return true;
}

/**
 * Validates the ok value and matches it against its invocation: the same
 * micro-ops with reads filled. The invocation is checked in the same pass
 * (a full check of it runs only to name a fault precisely).
 */
function completed(op: Op, invoke: Op): MicroOp[] {
  const mops = microOps(op, true);
  const invoked = invoke.value;
  const sameLength = Array.isArray(invoked) && invoked.length === mops.length;
  for (let j = 0; j < mops.length && sameLength; j++) {
    const mop = mops[j];
    const before = invoked[j];
    const matches =
      Array.isArray(before) &&
      before.length === 3 &&
      before[0] === mop[0] &&
      before[1] === mop[1] &&
      (mop[0] === "append" ? before[2] === mop[2] : before[2] === null);
    if (matches) continue;
    microOps(invoke, false);
    shapeError(CHECKER, op, op.index, `micro-op ${j} ${JSON.stringify(mop)} does not match its invocation's ${JSON.stringify(before)}`);
  }
  if (sameLength) return mops;
  const expected = microOps(invoke, false);
  shapeError(CHECKER, op, op.index, `ok has ${mops.length} micro-ops, its invocation ${expected.length}`);
}

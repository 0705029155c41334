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
 *   element is appended at most once per key in the whole history.
 * Ops with another `f`, and nemesis ops, are ignored. A txn with no
 * completion counts as info: it may have happened.
 *
 * While reading, each ok txn is checked for internal consistency: a read
 * must show the txn's own earlier reads and appends of that key.
 */
import type { History, Op } from "../../src/history/op.js";
import { shapeError } from "../perf/pairs.js";
import type { Anomalies } from "./anomalies.js";
import { checkInternal } from "./internal.js";
import { OK, isScalar, lastOp, pairTxns, txnValue, type Scalar, type TxnColumns } from "./txns.js";

export type { Scalar };

export const CHECKER = "elle-list-append";
/** ["append", k, v] | ["r", k, null | Scalar[]] */
export type MicroOp = [string, Scalar, unknown];

export interface KeyTable {
  key: Scalar;
  /** element -> its append, packed (see packAppend) */
  writers: Map<unknown, number>;
  /** ok reads of this key: reader txn, and the list it saw */
  readTxns: number[];
  readLists: Scalar[][];
}

/** The txns, and per key what the version orders need. */
export interface Txns extends TxnColumns {
  keys: KeyTable[];
  keyIdOf: Map<Scalar, number>;
  /** appends of all txns and reads of ok ones: they bound the ww, wr and rw edges */
  appends: number;
  reads: number;
}

/** the micro-ops: the ok value, or the invocation's for fail and info (validated by parseTxns) */
export const mopsOf = (txns: TxnColumns, t: number): MicroOp[] => txnValue(txns, t) as MicroOp[];

/**
 * An append as one number (a Map of numbers stays small): its txn, its
 * ordinal among the txn's appends to the key, and whether the txn appended
 * to the key again later. Exact: below 2^31 * 2^21 < 2^53.
 */
const ORDINAL_LIMIT = 1 << 20;
const TXN_UNIT = 2 * ORDINAL_LIMIT;
const packAppend = (t: number, ordinal: number, later: boolean): number => t * TXN_UNIT + ordinal * 2 + (later ? 1 : 0);
export const appendTxn = (packed: number): number => Math.floor(packed / TXN_UNIT);
export const appendOrdinal = (packed: number): number => (packed % TXN_UNIT) >> 1;
export const appendsLaterToKey = (packed: number): boolean => (packed & 1) === 1;

export function parseTxns(history: History, anomalies: Anomalies): Txns {
  const txns: Txns = { ...pairTxns(CHECKER, history), keys: [], keyIdOf: new Map(), appends: 0, reads: 0 };
  const { count, invokeAt, completeAt } = txns;
  for (let t = 0; t < count; t++) {
    const invoke = history[invokeAt[t]];
    const complete = completeAt[t] < 0 ? undefined : history[completeAt[t]];
    if (complete?.type === "ok") {
      completed(complete, invoke);
      checkInternal(complete.value as MicroOp[], complete.index, anomalies);
    } else {
      microOps(invoke, false);
    }
    index(txns, t);
  }
  return txns;
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
      const ok = filled ? Array.isArray(mop[2]) && mop[2].every(isScalar) : mop[2] === null;
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

/**
 * Validates the ok value and matches it against its invocation: the same
 * micro-ops with reads filled. The invocation is checked in the same pass
 * (a full check of it runs only to name a fault precisely).
 */
function completed(op: Op, invoke: Op): void {
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
  if (sameLength) return;
  const expected = microOps(invoke, false);
  shapeError(CHECKER, op, op.index, `ok has ${mops.length} micro-ops, its invocation ${expected.length}`);
}

function keyTable(txns: Txns, key: Scalar): KeyTable {
  let id = txns.keyIdOf.get(key);
  if (id === undefined) {
    id = txns.keys.length;
    txns.keyIdOf.set(key, id);
    txns.keys.push({ key, writers: new Map(), readTxns: [], readLists: [] });
  }
  return txns.keys[id];
}

function index(txns: Txns, t: number): void {
  const mops = mopsOf(txns, t);
  const isOk = txns.status[t] === OK;
  for (let j = 0; j < mops.length; j++) {
    const mop = mops[j];
    const f = mop[0];
    const k = mop[1];
    const v = mop[2];
    const table = keyTable(txns, k);
    if (f === "r") {
      if (isOk) {
        table.readTxns.push(t);
        table.readLists.push(v as Scalar[]);
        txns.reads++;
      }
      continue;
    }
    txns.appends++;
    const earlier = table.writers.get(v);
    if (earlier !== undefined) {
      const op = lastOp(txns, t);
      const other = appendTxn(earlier);
      if (other !== t) {
        shapeError(
          CHECKER,
          op,
          op.index,
          `element ${JSON.stringify(v)} was already appended to key ${JSON.stringify(k)} by op ${lastOp(txns, other).index}; appends must be unique per key`,
        );
      }
      shapeError(CHECKER, op, op.index, `appends ${JSON.stringify(v)} to key ${JSON.stringify(k)} twice`);
    }
    const ordinal = appendsBefore(mops, j, k);
    if (ordinal >= ORDINAL_LIMIT)
      shapeError(
        CHECKER,
        lastOp(txns, t),
        lastOp(txns, t).index,
        `appends more than ${ORDINAL_LIMIT} elements to key ${JSON.stringify(k)}`,
      );
    table.writers.set(v, packAppend(t, ordinal, appendsLater(mops, j, k)));
  }
}

function appendsBefore(mops: MicroOp[], j: number, k: Scalar): number {
  let count = 0;
  for (let i = 0; i < j; i++) if (mops[i][0] === "append" && mops[i][1] === k) count++;
  return count;
}

function appendsLater(mops: MicroOp[], j: number, k: Scalar): boolean {
  for (let i = j + 1; i < mops.length; i++) if (mops[i][0] === "append" && mops[i][1] === k) return true;
  return false;
}

/**
 * Reads an rw-register history (Elle's rw-register workload).
 *
 * Input shapes (anything else is an InputError naming the op and field):
 *   f: "txn"; value: an array of micro-ops
 *     invoke:  ["w", k, v] | ["r", k, null]
 *     ok:      the same micro-ops in the same order, reads filled: ["r", k, v | null]
 *     fail / info: value ignored (the invoke's micro-ops are used)
 *   Keys and values are numbers or strings; null is the initial state of
 *   every key and is never written. A value is written at most once per key.
 *
 * Per txn and key, the external read is the first read when it comes before
 * any write of the key, and the external write the last write: only those
 * are visible to other txns. While reading, each ok txn is checked for
 * internal consistency (a read shows the txn's own last write or read of the
 * key) and for future reads (its first read shows a value it writes later).
 */
import type { History, Op } from "../../src/history/op.js";
import { shapeError } from "../perf/pairs.js";
import type { Anomalies } from "./anomalies.js";
import { show } from "./explain.js";
import { OK, isScalar, lastOp, pairTxns, txnValue, type Scalar, type TxnColumns } from "./txns.js";

export const REGISTER_CHECKER = "elle-rw-register";

/** ["w", k, v] | ["r", k, v | null] */
export type RegisterOp = [string, Scalar, Scalar | null];

export interface RegisterKey {
  key: Scalar;
  /** value -> writer txn * 2 + (1 when the writer wrote the key again later: an intermediate value) */
  writers: Map<Scalar, number>;
  /** external reads by ok txns: reader, and the value it saw (null: the initial state) */
  readTxns: number[];
  readValues: (Scalar | null)[];
  /** ok txns that read the key externally and then wrote it, with the value read (lost updates) */
  updateTxns: number[];
  updateReads: (Scalar | null)[];
}

export interface RegisterTxns extends TxnColumns {
  keys: RegisterKey[];
  keyIdOf: Map<Scalar, number>;
  reads: number;
}

export const registerOpsOf = (txns: TxnColumns, t: number): RegisterOp[] => txnValue(txns, t) as RegisterOp[];
export const registerWriter = (packed: number): number => packed >> 1;
export const isIntermediate = (packed: number): boolean => (packed & 1) === 1;

export function parseRegisterTxns(history: History, anomalies: Anomalies): RegisterTxns {
  const txns: RegisterTxns = { ...pairTxns(REGISTER_CHECKER, history), keys: [], keyIdOf: new Map(), reads: 0 };
  for (let t = 0; t < txns.count; t++) {
    const invoke = history[txns.invokeAt[t]];
    validate(invoke, false);
    if (txns.status[t] === OK) {
      const complete = lastOp(txns, t);
      validate(complete, true);
      matchInvocation(complete, invoke);
      checkRegisterInternal(complete.value as RegisterOp[], complete.index, anomalies);
    }
    index(txns, t);
  }
  return txns;
}

function validate(op: Op, filled: boolean): void {
  const value = op.value;
  if (!Array.isArray(value)) shapeError(REGISTER_CHECKER, op, op.index, `field "value" must be an array of micro-ops`);
  for (let j = 0; j < value.length; j++) {
    const mop = value[j];
    if (!Array.isArray(mop) || mop.length !== 3 || !isScalar(mop[1])) {
      shapeError(
        REGISTER_CHECKER,
        op,
        op.index,
        `field "value", micro-op ${j} must be ["w", k, v] or ["r", k, v] with k a number or string; got ${show(mop)}`,
      );
    }
    if (mop[0] === "w") {
      if (!isScalar(mop[2]))
        shapeError(
          REGISTER_CHECKER,
          op,
          op.index,
          `field "value", micro-op ${j}: written value must be a number or string (null is the initial state)`,
        );
    } else if (mop[0] === "r") {
      const ok = filled ? mop[2] === null || isScalar(mop[2]) : mop[2] === null;
      if (!ok)
        shapeError(
          REGISTER_CHECKER,
          op,
          op.index,
          `field "value", micro-op ${j}: read value must be ${filled ? "a number, a string or null" : "null on invoke"}`,
        );
    } else {
      shapeError(REGISTER_CHECKER, op, op.index, `field "value", micro-op ${j}: function must be "w" or "r", got ${show(mop[0])}`);
    }
  }
}

function matchInvocation(op: Op, invoke: Op): void {
  const mops = op.value as RegisterOp[];
  const invoked = invoke.value as RegisterOp[];
  if (invoked.length !== mops.length)
    shapeError(REGISTER_CHECKER, op, op.index, `field "value": ok has ${mops.length} micro-ops, its invocation ${invoked.length}`);
  for (let j = 0; j < mops.length; j++) {
    const [f, k, v] = mops[j];
    if (invoked[j][0] === f && invoked[j][1] === k && (f === "r" || invoked[j][2] === v)) continue;
    shapeError(
      REGISTER_CHECKER,
      op,
      op.index,
      `field "value", micro-op ${j} ${show(mops[j])} does not match its invocation's ${show(invoked[j])}`,
    );
  }
}

/** A read must show the txn's own last write of the key, or its last read when it wrote none since. */
function checkRegisterInternal(mops: RegisterOp[], op: number, anomalies: Anomalies): void {
  const known = new Map<Scalar, Scalar | null>();
  for (let j = 0; j < mops.length; j++) {
    const [f, k, v] = mops[j];
    if (f === "r" && !known.has(k)) {
      const later = mops.findIndex(([g, key, value], i) => i > j && g === "w" && key === k && value === v);
      if (later >= 0) {
        anomalies.add("future-read", () => ({
          op,
          mop: j,
          key: k,
          element: v,
          explanation: `op ${op} read key ${show(k)} = ${show(v)} in micro-op ${j}, a value that op itself writes only later (micro-op ${later})`,
        }));
      }
    }
    if (f === "r" && known.has(k) && known.get(k) !== v) {
      const expected = known.get(k);
      anomalies.add("internal", () => ({
        op,
        mop: j,
        key: k,
        expected,
        actual: v,
        explanation: `op ${op} read key ${show(k)} = ${show(v)}, but its own earlier micro-ops imply ${show(expected)}`,
      }));
    }
    known.set(k, v);
  }
}

function keyOf(txns: RegisterTxns, key: Scalar): RegisterKey {
  let id = txns.keyIdOf.get(key);
  if (id === undefined) {
    id = txns.keys.length;
    txns.keyIdOf.set(key, id);
    txns.keys.push({ key, writers: new Map(), readTxns: [], readValues: [], updateTxns: [], updateReads: [] });
  }
  return txns.keys[id];
}

function index(txns: RegisterTxns, t: number): void {
  const mops = registerOpsOf(txns, t);
  const isOk = txns.status[t] === OK;
  // per key touched: the external read (undefined: none), and whether a write came yet
  const external = new Map<Scalar, { read: Scalar | null | undefined; wrote: boolean }>();
  for (let j = 0; j < mops.length; j++) {
    const [f, k, v] = mops[j];
    const table = keyOf(txns, k);
    const seen = external.get(k);
    if (f === "r") {
      if (seen === undefined) external.set(k, { read: v, wrote: false });
      if (seen === undefined && isOk) {
        table.readTxns.push(t);
        table.readValues.push(v);
        txns.reads++;
      }
      continue;
    }
    const value = v as Scalar;
    const earlier = table.writers.get(value);
    if (earlier !== undefined) {
      const op = lastOp(txns, t);
      const other = registerWriter(earlier);
      const by = other === t ? "this op" : `op ${lastOp(txns, other).index}`;
      shapeError(
        REGISTER_CHECKER,
        op,
        op.index,
        `field "value", micro-op ${j}: value ${show(value)} was already written to key ${show(k)} by ${by}; writes must be unique per key`,
      );
    }
    const later = mops.some(([g, key], i) => i > j && g === "w" && key === k);
    table.writers.set(value, t * 2 + (later ? 1 : 0));
    if (isOk && seen !== undefined && seen.read !== undefined && !seen.wrote) {
      table.updateTxns.push(t);
      table.updateReads.push(seen.read);
    }
    external.set(k, { read: seen?.read, wrote: true });
  }
}

/**
 * Txns as columns over the history, shared by the list-append and
 * rw-register readers: txn t's ops are found from its positions, so a
 * million txns add no per-txn objects (see invokeOp, lastOp).
 */
import type { History, Op } from "../../src/history/op.js";
import { FAIL, INFO, OK, pairOps } from "../perf/pairs.js";

export const F_TXN = "txn";

export { FAIL, INFO, OK };

export type Scalar = number | string;

export interface TxnColumns {
  count: number;
  history: History;
  /** OK | INFO | FAIL; a txn with no completion is INFO: it may have happened */
  status: Uint8Array;
  /** positions in the history of the invocation and of the completion (-1: none) */
  invokeAt: Int32Array;
  completeAt: Int32Array;
}

export const invokeOp = (txns: TxnColumns, t: number): Op => txns.history[txns.invokeAt[t]];

/** the completion, or the invoke for a txn with none */
export const lastOp = (txns: TxnColumns, t: number): Op => txns.history[txns.completeAt[t] < 0 ? txns.invokeAt[t] : txns.completeAt[t]];

/** the micro-ops: the ok value, or the invocation's for fail and info (whose completions carry none) */
export const txnValue = (txns: TxnColumns, t: number): unknown[] =>
  (txns.status[t] === OK ? lastOp(txns, t) : invokeOp(txns, t)).value as unknown[];

export const isScalar = (x: unknown): x is Scalar => typeof x === "number" || typeof x === "string";

/** The `f: "txn"` pairs of the history in invocation order, with their status. Other ops are ignored. */
export function pairTxns(checker: string, history: History): TxnColumns {
  const { count, invokeAt, completeAt, outcome } = pairOps(checker, history, F_TXN);
  return { count, history, status: outcome, invokeAt, completeAt };
}

/**
 * Shrinks an invalid Elle history to a small one that fails for the same
 * reason: the same anomaly type, and no kind of anomaly the original lacked
 * (a shrink that leaves a read of an element nobody appended would fail for
 * a new reason: a garbage read).
 *
 * It starts from the witness: a cycle's txns (or the op an anomaly names,
 * and the writer it names), with every txn whose write a kept read observes,
 * so the reads that order the cycle keep their meaning. If that history
 * fails for the same reason, each txn outside the witness is then dropped
 * in turn while it still does; if not, the same greedy pass runs over the
 * whole history, in halving chunks. Every check is bounded by `checksMax`.
 */
import type { History, Op } from "../../src/history/op.js";
import type { ElleResult } from "./analyze.js";
import { checkListAppend, checkRwRegister } from "./check.js";
import type { ElleFileOptions } from "./source.js";
import { elleWorkloadOf } from "./source.js";
import { pairTxns, txnValue, type TxnColumns } from "./txns.js";

export interface ShrinkOptions extends ElleFileOptions {
  /** the anomaly type to keep (default: the first the original reports, cycles first) */
  type?: string;
  /** checks of candidate histories, at most (default 2000) */
  checksMax?: number;
}

export interface Shrunk {
  history: History;
  type: string;
  result: ElleResult;
  /** txns in the original and in the shrunk history, and how many candidates were checked */
  txnsBefore: number;
  txnsAfter: number;
  checks: number;
}

const CYCLE_FIRST = /^(G0|G1c|G-single|G2-item)/;

export function shrinkElle(history: History, opts: ShrinkOptions = {}): Shrunk {
  const workload = opts.workload ?? elleWorkloadOf(history) ?? "list-append";
  const check = (h: History): ElleResult => (workload === "rw-register" ? checkRwRegister(h, opts) : checkListAppend(h, opts));
  const original = check(history);
  if (original.valid) throw new Error("elle shrink: the history is valid; there is nothing to keep");
  const types = original["anomaly-types"];
  const type = opts.type ?? types.find((t) => CYCLE_FIRST.test(t)) ?? types[0];
  if (!types.includes(type)) throw new Error(`elle shrink: the history has no ${type} anomaly (it has ${types.join(", ")})`);
  const allowed = new Set(types);
  const txns = pairTxns("elle-shrink", history);
  const checksMax = opts.checksMax ?? 2000;
  let checks = 0;
  let last: ElleResult = original;
  const fails = (kept: Set<number>): boolean => {
    if (checks >= checksMax) return false;
    checks++;
    const result = check(subHistory(history, txns, kept));
    if (!result["anomaly-types"].includes(type) || result["anomaly-types"].some((t) => !allowed.has(t))) return false;
    last = result;
    return true;
  };
  const all = new Set(Array.from({ length: txns.count }, (_, t) => t));
  const core = witnessTxns(original.anomalies[type][0], history, txns);
  const seed = withObservedWriters(core, txns, workload);
  let kept = seed.size < all.size && fails(seed) ? seed : all;
  if (kept === all) kept = dropChunks(kept, core, fails);
  // one by one, outside the witness's own txns
  for (const t of [...kept]) {
    if (core.has(t) || kept.size <= 1) continue;
    const without = new Set(kept);
    without.delete(t);
    if (fails(without)) kept = without;
  }
  if (kept.size === all.size) last = original;
  else if (!fails(kept)) last = check(subHistory(history, txns, kept));
  return { history: subHistory(history, txns, kept), type, result: last, txnsBefore: txns.count, txnsAfter: kept.size, checks };
}

/** Greedy removal in halving chunks (ddmin without the complements), never of the witness's txns. */
function dropChunks(kept: Set<number>, core: Set<number>, fails: (kept: Set<number>) => boolean): Set<number> {
  let current = kept;
  for (let chunk = Math.floor(current.size / 2); chunk >= 1; chunk = Math.floor(chunk / 2)) {
    const candidates = [...current].filter((t) => !core.has(t));
    for (let i = 0; i < candidates.length; i += chunk) {
      const without = new Set(current);
      for (const t of candidates.slice(i, i + chunk)) without.delete(t);
      if (without.size < current.size && fails(without)) current = without;
    }
  }
  return current;
}

/** The txns an anomaly names: a cycle's, or its op and its writer. */
function witnessTxns(anomaly: Record<string, unknown>, history: History, txns: TxnColumns): Set<number> {
  const ops: number[] = [];
  if (Array.isArray(anomaly.cycle)) for (const t of anomaly.cycle as { op: number }[]) ops.push(t.op);
  for (const field of ["op", "writer", "later-writer"]) if (typeof anomaly[field] === "number") ops.push(anomaly[field] as number);
  if (Array.isArray(anomaly.ops)) ops.push(...(anomaly.ops as number[]));
  const txnOfOp = new Map<number, number>();
  for (let t = 0; t < txns.count; t++) {
    txnOfOp.set(history[txns.invokeAt[t]].index, t);
    if (txns.completeAt[t] >= 0) txnOfOp.set(history[txns.completeAt[t]].index, t);
  }
  return new Set(ops.map((op) => txnOfOp.get(op)).filter((t): t is number => t !== undefined));
}

/** `core` and, until nothing changes, every txn that wrote what a kept txn read. */
function withObservedWriters(core: Set<number>, txns: TxnColumns, workload: string): Set<number> {
  const writerOf = new Map<string, number>();
  for (let t = 0; t < txns.count; t++) {
    for (const [f, k, v] of txnValue(txns, t) as [string, unknown, unknown][]) {
      if (f === "append" || f === "w") writerOf.set(JSON.stringify([k, v]), t);
    }
  }
  const kept = new Set(core);
  const queue = [...core];
  // each txn enters the queue once
  for (let i = 0; i < queue.length; i++) {
    for (const [f, k, v] of txnValue(txns, queue[i]) as [string, unknown, unknown][]) {
      if (f !== "r" || v === null) continue;
      const seen = workload === "list-append" && Array.isArray(v) ? v : [v];
      for (const element of seen) {
        const w = writerOf.get(JSON.stringify([k, element]));
        if (w === undefined || kept.has(w)) continue;
        kept.add(w);
        queue.push(w);
      }
    }
  }
  return kept;
}

/** The ops of the kept txns, in their order, indexed anew. */
function subHistory(history: History, txns: TxnColumns, kept: Set<number>): History {
  const positions: number[] = [];
  for (const t of kept) {
    positions.push(txns.invokeAt[t]);
    if (txns.completeAt[t] >= 0) positions.push(txns.completeAt[t]);
  }
  positions.sort((a, b) => a - b);
  return positions.map((p, index): Op => ({ ...history[p], index }));
}

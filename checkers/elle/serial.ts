/**
 * A brute-force reference for the Elle checkers, for tests on small
 * histories: is there a serial order of the committed txns (and any subset
 * of the info ones; never the failed ones) that, executed one at a time from
 * empty lists / null registers, gives every committed read exactly what it
 * saw? With `realtime`, the order must also put T1 before T2 whenever T1
 * completed ok before T2 was invoked. This is serializability (strict
 * serializability with real time) from first principles: no version orders,
 * no graphs. Exponential: bounded by `stepsMax`, past which it throws.
 */
import type { History } from "../../src/history/op.js";
import { pairTxns, OK, FAIL, type Scalar } from "./txns.js";

export type Workload = "list-append" | "rw-register";

interface Txn {
  mops: [string, Scalar, unknown][];
  ok: boolean;
  /** positions of invocation and completion (Infinity: no ok completion) */
  invokedAt: number;
  completedAt: number;
}

/** The txns' op indices in a serial order that explains the history, or undefined when none does. */
export function serialOrder(history: History, workload: Workload, opts: { realtime: boolean; stepsMax?: number }): number[] | undefined {
  const columns = pairTxns("serial-reference", history);
  const txns: Txn[] = [];
  const opIndex: number[] = [];
  for (let t = 0; t < columns.count; t++) {
    if (columns.status[t] === FAIL) continue;
    const ok = columns.status[t] === OK;
    const op = history[ok ? columns.completeAt[t] : columns.invokeAt[t]];
    txns.push({ mops: op.value as Txn["mops"], ok, invokedAt: columns.invokeAt[t], completedAt: ok ? columns.completeAt[t] : Infinity });
    opIndex.push(op.index);
  }
  const mustWait = txns.map((t) => txns.map((u, i) => (opts.realtime && u.completedAt < t.invokedAt ? i : -1)).filter((i) => i >= 0));
  const okLeft = txns.filter((t) => t.ok).length;
  const placed = new Array<boolean>(txns.length).fill(false);
  const order: number[] = [];
  let steps = 0;
  const stepsMax = opts.stepsMax ?? 1_000_000;

  const search = (state: Map<Scalar, unknown>, left: number): boolean => {
    if (left === 0) return true;
    if (++steps > stepsMax) throw new Error(`serial reference: more than ${stepsMax} steps`);
    for (let i = 0; i < txns.length; i++) {
      if (placed[i] || mustWait[i].some((j) => !placed[j])) continue;
      const next = apply(state, txns[i], workload);
      if (next === undefined) continue;
      placed[i] = true;
      order.push(opIndex[i]);
      if (search(next, left - (txns[i].ok ? 1 : 0))) return true;
      placed[i] = false;
      order.pop();
    }
    return false;
  };
  return search(new Map(), okLeft) ? order : undefined;
}

/** The state after txn, or undefined when one of its (ok) reads disagrees. Info txns' reads are unknown. */
function apply(state: Map<Scalar, unknown>, txn: Txn, workload: Workload): Map<Scalar, unknown> | undefined {
  const next = new Map(state);
  for (const [f, k, v] of txn.mops) {
    if (f === "append") next.set(k, [...((next.get(k) as Scalar[] | undefined) ?? []), v]);
    else if (f === "w") next.set(k, v);
    else if (txn.ok) {
      const current = next.get(k) ?? (workload === "list-append" ? [] : null);
      if (JSON.stringify(current) !== JSON.stringify(v)) return undefined;
    }
  }
  return next;
}

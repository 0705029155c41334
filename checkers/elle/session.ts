/**
 * Real-time and process edges.
 *
 * Real time: T1 precedes T2 when T1 completed ok before T2 was invoked. Txns
 * are numbered in invocation order, so the txns T1 precedes are all those
 * from j(T1) on, j(T1) being the first txn invoked after T1 completed. Rather
 * than an edge for every such pair (or even a transitive reduction, about
 * concurrency-many edges per txn), the order goes through a chain of time
 * nodes, one per distinct j:
 *   T1 -> tick(j(T1)),  tick(j) -> the next tick,  tick(j) -> txns j .. (the next tick's j) - 1.
 * T1 reaches T2 through the chain exactly when j(T1) <= T2, with at most three
 * edges per txn, and those are not even stored (graph.ts, TimeChain). Time
 * nodes are numbered from txns.count up; a cycle through them is shown as one
 * "realtime" step (see ./cycles.ts). A failed txn in a tick's range gets an
 * edge it had no right to, but it has no out-edges, so no cycle can use it.
 *
 * Process: consecutive txns of one process, from an ok txn to the next. With
 * real-time edges they are implied, so they are added only without them.
 */
import { EdgeList, PROCESS, type TimeChain } from "./graph.js";
import { FAIL, OK, invokeOp, type TxnColumns } from "./txns.js";
import { int32Column, uint8Column } from "../arena.js";

export function timeChain(txns: TxnColumns): TimeChain {
  const { count, status, invokeAt, completeAt } = txns;
  // tickOf[t] holds j(t) at first, then the graph id of that j's tick
  const tickOf = int32Column(count).fill(-1);
  const isStart = uint8Column(count);
  let ticks = 0;
  let edgeCount = 0;
  for (let t = 0; t < count; t++) {
    if (status[t] !== OK) continue;
    const j = firstInvokedAfter(invokeAt, completeAt[t], t + 1);
    if (j === count) continue; // nothing was invoked later: t precedes nothing
    tickOf[t] = j;
    edgeCount++;
    if (isStart[j] === 1) continue;
    isStart[j] = 1;
    ticks++;
  }
  const firstTxn = int32Column(ticks + 1);
  for (let j = 0, tick = 0; j < count; j++) if (isStart[j] === 1) firstTxn[tick++] = j;
  firstTxn[ticks] = count;
  for (let t = 0; t < count; t++) if (tickOf[t] >= 0) tickOf[t] = count + lowerBound(firstTxn, ticks, tickOf[t]);
  edgeCount += Math.max(0, ticks - 1) + count - firstTxn[0];
  return { tickOf, firstTxn, edgeCount };
}

/**
 * The first txn from `from` on that was invoked after history position `at`
 * (invocations are in history order). A galloping search: that txn is
 * usually a few txns on, about as many as ran concurrently.
 */
function firstInvokedAfter(invokeAt: Int32Array, at: number, from: number): number {
  const n = invokeAt.length;
  let lo = from; // txns before lo were invoked before `at`
  let hi = from;
  for (let step = 1; hi < n && invokeAt[hi] < at; step *= 2) {
    lo = hi + 1;
    hi += step;
  }
  return lowerBound(invokeAt, Math.min(hi, n), at, lo);
}

/** The first index in lo .. n - 1 of sorted `values` holding at least `x` (n if none). */
function lowerBound(values: Int32Array, n: number, x: number, lo = 0): number {
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A process runs one op at a time: its previous txn, when ok, completed before the next began. */
export function processEdges(txns: TxnColumns, edges: EdgeList): void {
  const previous = new Map<unknown, number>();
  for (let t = 0; t < txns.count; t++) {
    if (txns.status[t] === FAIL) continue;
    const process = invokeOp(txns, t).process;
    const before = previous.get(process);
    if (before !== undefined && txns.status[before] === OK) edges.add(before, t, PROCESS);
    previous.set(process, t);
  }
}

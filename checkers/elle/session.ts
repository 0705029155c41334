/**
 * Real-time and process edges.
 *
 * Real time: T1 precedes T2 when T1 completed ok before T2 was invoked.
 * History order is time order (ops are appended as they happen), so one pass
 * in history order suffices. Rather than an edge for every such pair (or even
 * a transitive reduction, about concurrency-many edges per txn), the order
 * goes through a chain of time nodes, one per ok completion:
 *   T -> tau (T completes; tau is the newest time node), tau_prev -> tau,
 *   tau_newest -> T (T is invoked).
 * T1 reaches T2 through the chain exactly when T1 completed before T2 began,
 * with three edges per txn. Time nodes are numbered from txns.count up; a
 * cycle through them is shown as one "realtime" step (see ./cycles.ts).
 *
 * Process: consecutive txns of one process, from an ok txn to the next. With
 * real-time edges they are implied, so they are added only without them.
 */
import { EdgeList, PROCESS, REALTIME } from "./graph.js";
import { FAIL, OK, type Txns } from "./parse.js";

/** Returns the number of nodes: txns, then time nodes. */
export function sessionEdges(txns: Txns, historyLength: number, edges: EdgeList, kinds: { realtime: boolean; process: boolean }): number {
  // op position in history -> txn id, for invocations and completions
  const invokeTxn = new Int32Array(historyLength).fill(-1);
  const completeTxn = new Int32Array(historyLength).fill(-1);
  for (let t = 0; t < txns.count; t++) {
    if (txns.status[t] === FAIL) continue;
    invokeTxn[txns.invokeAt[t]] = t;
    if (txns.status[t] === OK) completeTxn[txns.completeAt[t]] = t;
  }
  const lastOkOfProcess = new Map<unknown, number>();
  const processEdges = kinds.process && !kinds.realtime;
  let nodeCount = txns.count;
  let clock = -1;
  for (let i = 0; i < historyLength; i++) {
    const invoked = invokeTxn[i];
    if (invoked >= 0) {
      if (kinds.realtime && clock >= 0) edges.add(clock, invoked, REALTIME);
      if (!processEdges) continue;
      const process = txns.invokeOp[invoked].process;
      const previous = lastOkOfProcess.get(process);
      if (previous !== undefined) edges.add(previous, invoked, PROCESS);
      lastOkOfProcess.delete(process);
      continue;
    }
    const done = completeTxn[i];
    if (done < 0) continue;
    if (processEdges) lastOkOfProcess.set(txns.invokeOp[done].process, done);
    if (!kinds.realtime) continue;
    const tick = nodeCount++;
    edges.add(done, tick, REALTIME);
    if (clock >= 0) edges.add(clock, tick, REALTIME);
    clock = tick;
  }
  return nodeCount;
}

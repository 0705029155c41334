/**
 * Real-time and process edges.
 *
 * Real time: T1 -> T2 when T1 completed ok before T2 was invoked. History
 * order is time order (ops are appended as they happen), so one pass in
 * history order suffices. Only a transitive reduction is added: a frontier
 * holds the completed txns not yet followed by another completed txn; an
 * invocation gets an edge from each, and a completion removes from the
 * frontier the txns that preceded its own invocation (now reachable through it).
 *
 * Process: consecutive txns of one process, from an ok txn to the next.
 */
import { EdgeList, PROCESS, REALTIME } from "./graph.js";
import { FAIL, OK, type Txns } from "./parse.js";

export function sessionEdges(txns: Txns, historyLength: number, edges: EdgeList, kinds: { realtime: boolean; process: boolean }): void {
  // op position in history -> txn id, for invocations and completions
  const invokeTxn = new Int32Array(historyLength).fill(-1);
  const completeTxn = new Int32Array(historyLength).fill(-1);
  for (let t = 0; t < txns.count; t++) {
    if (txns.status[t] === FAIL) continue;
    invokeTxn[txns.invokeAt[t]] = t;
    if (txns.status[t] === OK) completeTxn[txns.completeAt[t]] = t;
  }
  const lastOkOfProcess = new Map<unknown, number>();
  let frontier: number[] = [];
  for (let i = 0; i < historyLength; i++) {
    const invoked = invokeTxn[i];
    if (invoked >= 0) {
      if (kinds.realtime) for (const before of frontier) edges.add(before, invoked, REALTIME);
      const process = txns.invokeOp[invoked].process;
      const previous = lastOkOfProcess.get(process);
      if (kinds.process && previous !== undefined) edges.add(previous, invoked, PROCESS);
      lastOkOfProcess.delete(process);
      continue;
    }
    const done = completeTxn[i];
    if (done < 0) continue;
    lastOkOfProcess.set(txns.invokeOp[done].process, done);
    const start = txns.invokeAt[done];
    frontier = frontier.filter((t) => txns.completeAt[t] > start);
    frontier.push(done);
  }
}

/** The two checkers, list-append and rw-register: parse, dependency edges, then ./analyze.ts. */
import type { History } from "../../src/history/op.js";
import { withColumns } from "../arena.js";
import type { Checker } from "../checker.js";
import { finish, plan, type ElleOptions, type ElleResult } from "./analyze.js";
import { appendWitness } from "./append-witness.js";
import { explainCycle } from "./explain.js";
import { renderElleHtml } from "./html.js";
import { EdgeList } from "./graph.js";
import { dependencyEdges } from "./orders.js";
import { parseTxns } from "./parse.js";
import { parseRegisterTxns } from "./register.js";
import { registerEdges } from "./register-orders.js";
import { registerWitness } from "./register-witness.js";
import { Workspace } from "./workspace.js";

/** Each check's columns come from ../arena.ts and are free again when it returns: the result holds none. */
export function checkListAppend(history: History, opts: ElleOptions = {}): ElleResult {
  return withColumns(() => {
    const how = plan(opts);
    // arrays one stage is done with serve the next (./workspace.ts)
    const work = new Workspace();
    const txns = parseTxns(history, how.anomalies, work);
    // sized by its bound (ww <= appends, wr and rw <= reads, one process edge per txn): never copied to grow
    const edges = new EdgeList(txns.appends + 2 * txns.reads + (how.process ? txns.count : 0) + 16);
    const witness = appendWitness(txns, dependencyEdges(txns, how.anomalies, edges));
    return finish(how, txns, edges, (cycle, labels) => explainCycle(cycle, labels, txns, witness), txns.keys.length, work);
  });
}

export function checkRwRegister(history: History, opts: ElleOptions = {}): ElleResult {
  return withColumns(() => {
    const how = plan(opts);
    const txns = parseRegisterTxns(history, how.anomalies);
    const edges = registerEdges(txns, how.anomalies, how.process ? txns.count : 0);
    const witness = registerWitness(txns);
    return finish(how, txns, edges, (cycle, labels) => explainCycle(cycle, labels, txns, witness), txns.keys.length, new Workspace());
  });
}

/** An invalid result carries its page (./html.ts) as the artifact elle.html. */
function withPage(result: ElleResult, name: string): ElleResult {
  return result.valid ? result : { ...result, artifacts: { "elle.html": renderElleHtml(result, name) } };
}

export function elleListAppendChecker(opts: ElleOptions = {}): Checker {
  return {
    name: "elle-list-append",
    check: async (history) => withPage(checkListAppend(history, opts), "elle-list-append"),
  };
}

export function elleRwRegisterChecker(opts: ElleOptions = {}): Checker {
  return {
    name: "elle-rw-register",
    check: async (history) => withPage(checkRwRegister(history, opts), "elle-rw-register"),
  };
}

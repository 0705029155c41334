/** Client operations of a history as invoke/completion pairs, for the Maelstrom workloads' checkers. */
import type { History, Op } from "../../src/history/op.js";
import { pairOps } from "../perf/pairs.js";

/** The f of the read every node gets once the run is quiet (workloads/maelstrom/final.ts records it). */
export const F_FINAL_READ = "final-read";

export interface OpPair {
  f: string;
  invoke: Op;
  /** null: no completion (the run ended first), as good as info. */
  done: Op | null;
  /** ok | fail | info; a missing completion is info. */
  type: "ok" | "fail" | "info";
}

export function pairs(checker: string, history: History): OpPair[] {
  const p = pairOps(checker, history);
  const out: OpPair[] = [];
  for (let i = 0; i < p.count; i++) {
    const invoke = history[p.invokeAt[i] as number] as Op;
    const at = p.completeAt[i] as number;
    const done = at === -1 ? null : (history[at] as Op);
    out.push({ f: invoke.f, invoke, done, type: done === null ? "info" : (done.type as OpPair["type"]) });
  }
  return out;
}

/** The first `max` items, for a result that must stay readable. */
export function sample<T>(items: readonly T[], max = 10): T[] {
  return items.slice(0, max);
}

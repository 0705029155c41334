/**
 * Completed client ops as columns (typed arrays), in invocation order, so the
 * figures below scan numbers rather than op objects.
 */
import type { History } from "../../src/history/op.js";
import type { Paired } from "./pairs.js";

export const OUTCOMES = ["ok", "fail", "info"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface Samples {
  count: number;
  /** every distinct `f`, indexed by `f` below */
  fNames: string[];
  invokeNs: Float64Array;
  completeNs: Float64Array;
  f: Uint16Array;
  /** index into OUTCOMES */
  outcome: Uint8Array;
  /** invocations the run ended before completing */
  pendingCount: number;
  /** first client invocation and last client op: the span availability is judged over */
  firstNs: number;
  lastNs: number;
}

export function toSamples(history: History, paired: Paired): Samples {
  const fIndex = new Map<string, number>();
  const { invokeAt, completeAt } = paired;
  let count = 0;
  let lastNs = 0;
  for (let p = 0; p < paired.count; p++) {
    if (completeAt[p] >= 0) count++;
    lastNs = Math.max(lastNs, history[completeAt[p] >= 0 ? completeAt[p] : invokeAt[p]].time);
  }
  const samples: Samples = {
    count,
    fNames: [],
    invokeNs: new Float64Array(count),
    completeNs: new Float64Array(count),
    f: new Uint16Array(count),
    outcome: new Uint8Array(count),
    pendingCount: paired.count - count,
    firstNs: paired.count === 0 ? 0 : history[invokeAt[0]].time,
    lastNs,
  };
  let i = 0;
  for (let p = 0; p < paired.count; p++) {
    if (completeAt[p] < 0) continue;
    const invoke = history[invokeAt[p]];
    const complete = history[completeAt[p]];
    let f = fIndex.get(invoke.f);
    if (f === undefined) {
      f = samples.fNames.length;
      fIndex.set(invoke.f, f);
      samples.fNames.push(invoke.f);
    }
    samples.invokeNs[i] = invoke.time;
    samples.completeNs[i] = complete.time;
    samples.f[i] = f;
    samples.outcome[i] = OUTCOMES.indexOf(complete.type as Outcome);
    i++;
  }
  return samples;
}

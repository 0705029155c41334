/**
 * Completed client ops as columns (typed arrays), in invocation order, so the
 * figures below scan numbers rather than op objects.
 */
import type { OpPair } from "./pairs.js";

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

export function toSamples(pairs: OpPair[]): Samples {
  const fIndex = new Map<string, number>();
  const completed = pairs.filter((pair) => pair.complete !== undefined);
  const count = completed.length;
  const samples: Samples = {
    count,
    fNames: [],
    invokeNs: new Float64Array(count),
    completeNs: new Float64Array(count),
    f: new Uint16Array(count),
    outcome: new Uint8Array(count),
    pendingCount: pairs.length - count,
    firstNs: pairs.length === 0 ? 0 : pairs[0].invoke.time,
    lastNs: 0,
  };
  for (const pair of pairs) samples.lastNs = Math.max(samples.lastNs, pair.complete?.time ?? pair.invoke.time);
  for (let i = 0; i < count; i++) {
    const { invoke, complete } = completed[i];
    let f = fIndex.get(invoke.f);
    if (f === undefined) {
      f = samples.fNames.length;
      fIndex.set(invoke.f, f);
      samples.fNames.push(invoke.f);
    }
    samples.invokeNs[i] = invoke.time;
    samples.completeNs[i] = complete!.time;
    samples.f[i] = f;
    samples.outcome[i] = OUTCOMES.indexOf(complete!.type as Outcome);
  }
  return samples;
}

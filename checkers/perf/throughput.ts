/** Completions per time bucket (by completion time), per outcome, overall and per f. */
import { OUTCOMES, type Samples } from "./samples.js";

export type Series = Record<(typeof OUTCOMES)[number], number[]>;

export interface Throughput {
  bucketMs: number;
  /** bucket i covers [i * bucketMs, (i + 1) * bucketMs) since the run's start */
  all: Series;
  byF: Record<string, Series>;
}

export function throughput(samples: Samples, bucketMs: number): Throughput {
  const bucketNs = bucketMs * 1e6;
  const buckets = samples.count === 0 ? 0 : Math.floor(samples.lastNs / bucketNs) + 1;
  const empty = (): Series => ({
    ok: new Array<number>(buckets).fill(0),
    fail: new Array<number>(buckets).fill(0),
    info: new Array<number>(buckets).fill(0),
  });
  const all = empty();
  const byF = samples.fNames.map(empty);
  for (let i = 0; i < samples.count; i++) {
    const bucket = Math.floor(samples.completeNs[i] / bucketNs);
    const outcome = OUTCOMES[samples.outcome[i]];
    all[outcome][bucket]++;
    byF[samples.f[i]][outcome][bucket]++;
  }
  return { bucketMs, all, byF: Object.fromEntries(samples.fNames.map((f, i) => [f, byF[i]])) };
}

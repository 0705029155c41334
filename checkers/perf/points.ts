/**
 * The raw points the HTML report plots, as columns (one array per field)
 * rather than one object per op: a third of the JSON. Above `pointsMax`, ok
 * points are thinned evenly; fail and info points are always kept.
 */
import { OUTCOMES, type Samples } from "./samples.js";

export interface Points {
  fNames: string[];
  outcomes: readonly string[];
  /** invocation time since the run's start */
  timeMs: number[];
  latencyMs: number[];
  /** index into fNames */
  f: number[];
  /** index into outcomes */
  outcome: number[];
  /** 1 = every point; k = one ok point in k */
  okStride: number;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export function pointsOf(samples: Samples, pointsMax: number): Points {
  const okStride = Math.max(1, Math.ceil(samples.count / pointsMax));
  const points: Points = { fNames: samples.fNames, outcomes: OUTCOMES, timeMs: [], latencyMs: [], f: [], outcome: [], okStride };
  let okSeen = 0;
  for (let i = 0; i < samples.count; i++) {
    if (samples.outcome[i] === 0 && okSeen++ % okStride !== 0) continue;
    points.timeMs.push(round3(samples.invokeNs[i] / 1e6));
    points.latencyMs.push(round3((samples.completeNs[i] - samples.invokeNs[i]) / 1e6));
    points.f.push(samples.f[i]);
    points.outcome.push(samples.outcome[i]);
  }
  return points;
}

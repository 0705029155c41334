import { seededRng } from "../rng.js";
import { median } from "./measurements.js";

/**
 * The statistics the A/B gate decides with: two small samples (one figure per
 * round for the base and for the candidate), compared on the log scale so that a
 * change is a ratio ("10% slower") whatever the figure's unit.
 *
 * - `permutationPValue`: exact one-sided permutation test of the difference of
 *   means of logs (all C(n+m, n) relabelings up to EXACT_LIMIT, else a seeded
 *   Monte Carlo sample). It assumes nothing about the shape of the noise.
 * - `hodgesLehmannShift`: the median of all pairwise differences of logs, the
 *   robust effect size that goes with Mann-Whitney's test; exp() of it is a ratio.
 * - `bootstrapInterval`: a seeded percentile bootstrap of that shift.
 */

/** Relabelings enumerated exactly up to this count; above it, MONTE_CARLO_DRAWS random ones. */
const EXACT_LIMIT = 20_000;
const MONTE_CARLO_DRAWS = 10_000;
const BOOTSTRAP_DRAWS = 2_000;

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** Calls visit with every k-subset of 0..n-1 (as a boolean mask), in lexicographic order. */
function forEachSubset(n: number, k: number, visit: (mask: boolean[]) => void): void {
  const chosen: number[] = [];
  const mask = new Array<boolean>(n).fill(false);
  const walk = (start: number): void => {
    if (chosen.length === k) {
      visit(mask);
      return;
    }
    for (let i = start; i <= n - (k - chosen.length); i++) {
      chosen.push(i);
      mask[i] = true;
      walk(i + 1);
      mask[i] = false;
      chosen.pop();
    }
  };
  walk(0);
}

/**
 * P(the candidate's mean log is at least this much larger than the base's, by
 * chance alone): small means the candidate is really larger. For "the candidate
 * is smaller", pass the samples negated.
 */
export function permutationPValue(base: readonly number[], candidate: readonly number[], seed = 1): number {
  if (base.length === 0 || candidate.length === 0) throw new Error("permutationPValue: empty sample");
  const pooled = [...base, ...candidate];
  const n = pooled.length;
  const k = candidate.length;
  const total = pooled.reduce((s, v) => s + v, 0);
  const observed = mean(candidate) - mean(base);
  // Ties in floating point: count a relabeling as extreme when within a hair of the observed.
  const epsilon = 1e-12 * Math.max(1, Math.abs(observed));
  const statistic = (candidateSum: number) => candidateSum / k - (total - candidateSum) / (n - k);
  let extreme = 0;
  let draws = 0;
  if (binomial(n, k) <= EXACT_LIMIT) {
    forEachSubset(n, k, (mask) => {
      let sum = 0;
      for (let i = 0; i < n; i++) if (mask[i]) sum += pooled[i]!;
      if (statistic(sum) >= observed - epsilon) extreme++;
      draws++;
    });
    return extreme / draws;
  }
  const rng = seededRng(seed);
  const order = pooled.map((_, i) => i);
  for (draws = 0; draws < MONTE_CARLO_DRAWS; draws++) {
    // A partial Fisher-Yates shuffle picks k indices for the candidate's side.
    let sum = 0;
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(rng() * (n - i));
      [order[i], order[j]] = [order[j]!, order[i]!];
      sum += pooled[order[i]!]!;
    }
    if (statistic(sum) >= observed - epsilon) extreme++;
  }
  // The observed labeling counts as one draw, so p is never 0.
  return (extreme + 1) / (draws + 1);
}

/** Median of candidate[j] - base[i] over all pairs. */
export function hodgesLehmannShift(base: readonly number[], candidate: readonly number[]): number {
  const diffs: number[] = [];
  for (const c of candidate) for (const b of base) diffs.push(c - b);
  return median(diffs);
}

function resample(values: readonly number[], rng: () => number): number[] {
  return values.map(() => values[Math.floor(rng() * values.length)]!);
}

/** A two-sided percentile bootstrap interval of the Hodges-Lehmann shift. */
export function bootstrapInterval(base: readonly number[], candidate: readonly number[], confidence: number, seed = 1): [number, number] {
  const rng = seededRng(seed);
  const shifts: number[] = [];
  for (let i = 0; i < BOOTSTRAP_DRAWS; i++) shifts.push(hodgesLehmannShift(resample(base, rng), resample(candidate, rng)));
  shifts.sort((a, b) => a - b);
  const tail = (1 - confidence) / 2;
  const at = (q: number) => shifts[Math.min(shifts.length - 1, Math.max(0, Math.round(q * (shifts.length - 1))))]!;
  return [at(tail), at(1 - tail)];
}

export type Direction = "higher-is-better" | "lower-is-better";

export interface AbComparison {
  /** exp(Hodges-Lehmann shift of logs) - 1: +0.10 means the candidate's figure is 10% higher. */
  change: number;
  /** The same as an interval at `confidence`. */
  changeInterval: [number, number];
  /** One-sided p-value for "the candidate is worse". */
  pWorse: number;
  confidence: number;
}

/** Compares two samples of a positive figure; "worse" follows the figure's direction. */
export function compareSamples(
  base: readonly number[],
  candidate: readonly number[],
  direction: Direction,
  confidence: number,
): AbComparison {
  for (const v of [...base, ...candidate]) {
    if (!(v > 0) || !Number.isFinite(v)) throw new Error(`compareSamples: figures must be positive and finite, got ${v}`);
  }
  const logBase = base.map(Math.log);
  const logCandidate = candidate.map(Math.log);
  const shift = hodgesLehmannShift(logBase, logCandidate);
  const [low, high] = bootstrapInterval(logBase, logCandidate, confidence);
  // Worse is lower for throughput: test whether the candidate's logs are smaller, by negating both.
  const pWorse =
    direction === "higher-is-better"
      ? permutationPValue(
          logBase.map((v) => -v),
          logCandidate.map((v) => -v),
        )
      : permutationPValue(logBase, logCandidate);
  return { change: Math.expm1(shift), changeInterval: [Math.expm1(low), Math.expm1(high)], pWorse, confidence };
}

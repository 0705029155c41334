/**
 * The one seeded random source of the workbench (SplitMix32-style). Generators
 * are pure, so they carry their random state as a plain number and get a new
 * one back with every draw; the same seed always yields the same run of
 * decisions. `seededRng` wraps the same stream as a plain `() => number` for
 * code that keeps its state (the Raft core's election timeouts, simulators,
 * fuzzers, synthetic histories). Never Math.random: a run is fixed by its seed.
 */
export type RngState = number;

export function seedRng(seed: number): RngState {
  // Mix the seed so that nearby seeds (1, 2, 3) give unrelated streams.
  return next32((seed >>> 0) ^ 0x9e3779b9)[1];
}

function next32(state: RngState): [number, RngState] {
  const s = (state + 0x9e3779b9) >>> 0;
  let z = s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  z = (z ^ (z >>> 16)) >>> 0;
  return [z, s];
}

/** A float in [0, 1) and the next state. */
export function nextFloat(state: RngState): [number, RngState] {
  const [z, s] = next32(state);
  return [z / 4294967296, s];
}

/** An integer in [0, n) and the next state. */
export function nextInt(state: RngState, n: number): [number, RngState] {
  if (!(n >= 1)) throw new Error(`nextInt: n must be >= 1, got ${n}`);
  const [f, s] = nextFloat(state);
  return [Math.floor(f * n), s];
}

/** One element of a non-empty list, uniformly. */
export function pick<T>(state: RngState, items: readonly T[]): [T, RngState] {
  const [i, s] = nextInt(state, items.length);
  return [items[i] as T, s];
}

/** An index drawn with probability proportional to its weight. */
export function pickWeighted(state: RngState, weights: readonly number[]): [number, RngState] {
  const total = weights.reduce((a, w) => a + w, 0);
  if (!(total > 0)) throw new Error("pickWeighted: weights must sum to more than 0");
  const [f, s] = nextFloat(state);
  let at = f * total;
  for (let i = 0; i < weights.length; i++) {
    at -= weights[i] as number;
    if (at < 0) return [i, s];
  }
  return [weights.length - 1, s];
}

/**
 * A Zipf-distributed index in [0, n): index 0 is the hottest. The table of
 * cumulative weights is built once per (n, exponent) by the caller.
 */
export function zipfTable(n: number, exponent: number): number[] {
  const cdf: number[] = [];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += 1 / Math.pow(i + 1, exponent);
    cdf.push(sum);
  }
  return cdf.map((c) => c / sum);
}

export function nextZipf(state: RngState, cdf: readonly number[]): [number, RngState] {
  const [f, s] = nextFloat(state);
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cdf[mid] as number) > f) hi = mid;
    else lo = mid + 1;
  }
  return [lo, s];
}

/** The same stream as a stateful function returning floats in [0, 1). */
export function seededRng(seed: number): () => number {
  let state = seedRng(seed);
  return () => {
    const [f, s] = nextFloat(state);
    state = s;
    return f;
  };
}

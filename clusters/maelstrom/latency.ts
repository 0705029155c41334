/**
 * Message latency as Maelstrom draws it (`--latency MS --latency-dist`): every
 * message waits a delay drawn around the mean, from a seeded source so a seed
 * fixes the draws' sequence.
 */
import { nextFloat, type RngState, seedRng } from "../../src/rng.js";

export const LATENCY_DISTS = ["constant", "uniform", "exponential"] as const;
export type LatencyDist = (typeof LATENCY_DISTS)[number];

/** No draw exceeds this many means: an exponential tail stays bounded. */
const EXPONENTIAL_MEANS_MAX = 20;

export class Latency {
  private rng: RngState;

  constructor(
    readonly meanMs: number,
    readonly dist: LatencyDist,
    seed: number,
  ) {
    if (!(meanMs >= 0) || !Number.isFinite(meanMs)) throw new Error(`latency must be a number >= 0 ms, got ${meanMs}`);
    this.rng = seedRng(seed ^ 0x1a7e);
  }

  /** The next message's delay in ms. */
  drawMs(): number {
    if (this.meanMs === 0 || this.dist === "constant") return this.meanMs;
    let f: number;
    [f, this.rng] = nextFloat(this.rng);
    // uniform on [0, 2 mean] keeps the mean; exponential by inversion.
    if (this.dist === "uniform") return f * 2 * this.meanMs;
    return Math.min(-Math.log(1 - f) * this.meanMs, EXPONENTIAL_MEANS_MAX * this.meanMs);
  }
}

import type { NetworkFaults } from "./network.js";

/** Faults as data: per-message and per-step probabilities, drawn from the run's seed. */
export interface FaultOptions extends NetworkFaults {
  /** Chance per step that a random node loses power: its unsynced writes are lost or torn. */
  crashRate: number;
  /** Of the crashes, the share that cut power inside the node's next fdatasync, so the write under way tears. */
  tornShare: number;
  /** Chance per step that a node loses power and one durable sector of its disk comes back corrupt. */
  corruptRate: number;
  /** A crashed node restarts from its disk after 1..downTicksMax ticks. */
  downTicksMax: number;
  /** Chance per step that a partition starts, when none is in place. */
  partitionRate: number;
  /** A partition heals after 1..partitionTicksMax ticks. */
  partitionTicksMax: number;
  /** Chance per step that a voter is removed, wiped and added back empty (3 nodes or more). */
  rejoinRate: number;
  /** Writing a Ready takes 0..diskDelayTicksMax ticks, during which the core keeps taking messages. */
  diskDelayTicksMax: number;
}

export const DEFAULT_FAULTS: FaultOptions = {
  dropRate: 0.05,
  duplicateRate: 0.02,
  delayTicksMax: 4,
  crashRate: 0.01,
  downTicksMax: 40,
  partitionRate: 0.01,
  partitionTicksMax: 60,
  diskDelayTicksMax: 2,
  tornShare: 0.5,
  corruptRate: 0.002,
  rejoinRate: 0.002,
};

/** The fault names `parseFaults` knows, each with the option it sets and the rate it takes when named bare. */
const FAULT_NAMES: Record<string, { key: keyof FaultOptions; rate: number }> = {
  drop: { key: "dropRate", rate: 0.05 },
  duplicate: { key: "duplicateRate", rate: 0.02 },
  delay: { key: "delayTicksMax", rate: 4 },
  crash: { key: "crashRate", rate: 0.01 },
  partition: { key: "partitionRate", rate: 0.01 },
  slowdisk: { key: "diskDelayTicksMax", rate: 2 },
  torn: { key: "tornShare", rate: 0.5 },
  corrupt: { key: "corruptRate", rate: 0.002 },
  rejoin: { key: "rejoinRate", rate: 0.002 },
};

/**
 * Reads a command line's fault list: "none", or names with optional values, e.g.
 * "drop,crash=0.05,partition". Named faults get their default rate; faults not
 * named are off (messages still take one tick to arrive).
 */
export function parseFaults(spec: string): FaultOptions {
  const off: FaultOptions = {
    ...DEFAULT_FAULTS,
    dropRate: 0,
    duplicateRate: 0,
    delayTicksMax: 1,
    crashRate: 0,
    partitionRate: 0,
    diskDelayTicksMax: 0,
    tornShare: 0,
    corruptRate: 0,
    rejoinRate: 0,
  };
  if (spec.trim() === "none") return off;
  for (const part of spec.split(",")) {
    const [name = "", value] = part.trim().split("=");
    const fault = FAULT_NAMES[name];
    if (fault === undefined) {
      throw new Error(
        `unknown fault "${name}" in --faults: use none, or a list of ${Object.keys(FAULT_NAMES).join(", ")} (each optionally =value)`,
      );
    }
    const rate = value === undefined ? fault.rate : Number(value);
    const ticksMin = fault.key === "delayTicksMax" ? 1 : fault.key === "diskDelayTicksMax" ? 0 : undefined;
    const valid = ticksMin !== undefined ? Number.isInteger(rate) && rate >= ticksMin : Number.isFinite(rate) && rate >= 0 && rate <= 1;
    if (!valid) {
      const want = ticksMin !== undefined ? `a whole number of ticks >= ${ticksMin}` : "a probability in [0, 1]";
      throw new Error(`fault "${name}" needs ${want}, got "${value}"`);
    }
    off[fault.key] = rate;
  }
  return off;
}

/**
 * The fault schedule of a run, decided up front from the seed (pure): when each
 * fault starts, how long it lasts, and a seeded order of the nodes that fixes
 * its random targets and shapes. It is stored in test.json, so that
 * `tob run --replay` injects the same faults at the same times. Only "the
 * leader" is resolved while the run goes, since no seed can know it.
 */
import { nextFloat, nextInt, pick, type RngState, seedRng } from "../rng.js";
import { FAULTS, faultParts } from "./faults.js";
import { SHAPES } from "./shapes.js";

export interface PlannedFault {
  /** The `--nemesis` name, e.g. "kill-leader". */
  name: string;
  startS: number;
  endS: number;
  /** A seeded permutation of the nodes; targets are taken from its front. */
  order: string[];
  /** For "partition": the shape drawn; for "one-way": "mute" (cannot send) or "deaf" (cannot hear). */
  variant?: string;
}

export interface ScheduleOptions {
  faults: readonly string[];
  nodes: readonly string[];
  seed: number;
  /** Faults start and end within [0, timeS). */
  timeS: number;
  /** Seconds from one fault's start to the next's. */
  intervalS: number;
  /** How long each fault lasts. */
  durationS: number;
}

/** The schedule a run's spec asks for (`tob run` and `tob maelstrom test` alike). */
export function planSpecFaults(
  spec: { nemesis: readonly string[]; seed: number; time: number; nemesisIntervalS: number; nemesisDurationS: number },
  nodes: readonly string[],
): PlannedFault[] {
  return planFaults({
    faults: spec.nemesis,
    nodes,
    seed: spec.seed,
    timeS: spec.time,
    intervalS: spec.nemesisIntervalS,
    durationS: spec.nemesisDurationS,
  });
}

export function planFaults(opts: ScheduleOptions): PlannedFault[] {
  if (opts.faults.length === 0) return [];
  if (!(opts.intervalS > 0) || !(opts.durationS > 0)) throw new Error("planFaults: interval and duration must be > 0");
  let rng = seedRng(opts.seed ^ 0x5eed);
  const plan: PlannedFault[] = [];
  // A short quiet lead-in lets the clients reach a steady state first.
  let startS = Math.min(opts.intervalS / 2, 1);
  const maxFaults = Math.ceil(opts.timeS / opts.intervalS) + 1;
  for (let i = 0; i < maxFaults && startS < opts.timeS; i++) {
    let name: string;
    [name, rng] = pick(rng, opts.faults);
    let order: string[];
    [order, rng] = shuffle(rng, opts.nodes);
    let variant: string | undefined;
    for (const part of faultParts(name)) {
      const spec = FAULTS[part]?.spec;
      if (spec?.action === "partition" && spec.shape === "any") {
        // A ring of 3 cuts nothing (each node's two neighbours are everyone): not drawn.
        const shapes = SHAPES.filter((shape) => shape !== "ring" || opts.nodes.length > 3);
        [variant, rng] = pick(rng, [...shapes, "leader"]);
      } else if (spec?.action === "one-way") {
        let f: number;
        [f, rng] = nextFloat(rng);
        variant = f < 0.5 ? "mute" : "deaf";
      }
    }
    const endS = Math.min(startS + opts.durationS, opts.timeS);
    plan.push({ name, startS: round3(startS), endS: round3(endS), order, ...(variant ? { variant } : {}) });
    startS += Math.max(opts.intervalS, opts.durationS + 0.5);
  }
  return plan;
}

function shuffle(rng: RngState, items: readonly string[]): [string[], RngState] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    let j: number;
    [j, rng] = nextInt(rng, i + 1);
    [out[i], out[j]] = [out[j] as string, out[i] as string];
  }
  return [out, rng];
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

import { formatSchedule, type Schedule } from "./schedule.js";
import type { PlantedBug } from "./sim-bugs.js";
import { runSimulation, type SimulationInput, type SimulationSummary } from "./simulation.js";

/**
 * Shrinks a failing run's fault schedule, as a property tester shrinks its
 * input: shorter runs, fewer fault events (halves first, then one at a
 * time), a calmer network and disk; each candidate is kept only if the run
 * still breaks an invariant. The seed stays, so the result replays as it is.
 */

export interface Shrunk {
  schedule: Schedule;
  summary: SimulationSummary;
  /** Runs tried, the failing one's replay included. */
  runs: number;
}

/** Runs at most per shrink: each is a whole simulation. */
export const SHRINK_RUNS_MAX = 200;

export async function shrinkFailure(input: SimulationInput & { schedule: Schedule }, runsMax = SHRINK_RUNS_MAX): Promise<Shrunk> {
  let best = input.schedule;
  let summary = await runSimulation(input);
  let runs = 1;
  if (summary.violationCount === 0) throw new Error(`seed ${input.seed} does not fail with this schedule: nothing to shrink`);
  const tryCandidate = async (candidate: Schedule): Promise<boolean> => {
    if (runs >= runsMax) return false;
    runs++;
    const s = await runSimulation({ ...input, schedule: candidate });
    if (s.violationCount === 0) return false;
    best = candidate;
    summary = s;
    return true;
  };
  for (let improved = true; improved && runs < runsMax; ) {
    improved = false;
    for (const candidate of candidates(best, summary.steps)) {
      if (await tryCandidate(candidate)) {
        improved = true;
        break;
      }
    }
  }
  return { schedule: best, summary, runs };
}

/** Smaller schedules than `s`, biggest cuts first; `failedAt` is the step the failing run stopped at. */
function* candidates(s: Schedule, failedAt: number): Generator<Schedule> {
  for (const steps of [Math.floor(s.steps / 2), Math.floor((s.steps * 3) / 4), failedAt, s.steps - 1]) {
    if (steps >= 1 && steps < s.steps) yield { ...s, steps, events: s.events.filter((e) => e.at <= steps) };
  }
  const chunks: number[] = [];
  for (let chunk = Math.floor(s.events.length / 2); chunk > 1; chunk = Math.floor(chunk / 2)) chunks.push(chunk);
  if (s.events.length > 0) chunks.push(1);
  for (const chunk of chunks) {
    for (let from = 0; from < s.events.length; from += chunk) {
      yield { ...s, events: [...s.events.slice(0, from), ...s.events.slice(from + chunk)] };
    }
  }
  if (s.net.dropRate > 0) yield { ...s, net: { ...s.net, dropRate: 0 } };
  if (s.net.duplicateRate > 0) yield { ...s, net: { ...s.net, duplicateRate: 0 } };
  if (s.net.delayTicksMax > 1) yield { ...s, net: { ...s.net, delayTicksMax: 1 } };
  if (s.diskDelayTicksMax > 0) yield { ...s, diskDelayTicksMax: 0 };
}

/** The command that replays a run. */
export function replayCommand(seed: number, schedule: Schedule, bugs: readonly PlantedBug[]): string {
  const bugFlags = bugs.map((b) => ` --bug ${b}`).join("");
  return `npx tob sim --seed ${seed}${bugFlags} --schedule '${formatSchedule(schedule)}'`;
}

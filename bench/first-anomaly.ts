/**
 * When a run's history first shows its anomaly: the shortest prefix of the
 * history that the failing checkers already judge invalid, found by bisection
 * (an anomaly in a prefix stays in every longer one; ops in flight at the cut
 * are left without completions, i.e. unknown). A checker that stops at the
 * first anomaly it finds (linearizability cancels the other keys) reports
 * some anomaly, not the earliest; the bisection finds the earliest. Checkers
 * that judge only with the final reads (total order) cannot judge a prefix;
 * for them the earliest op their output cites counts (./evidence.ts).
 */
import type { Checker } from "../checkers/checker.js";
import type { Op } from "../src/history/op.js";
import { firstAnomalyIndex } from "./evidence.js";

/** Each prefix check gets this long; past it the prefix counts as not shown. */
const PREFIX_CHECK_TIMEOUT_MS = 20_000;
/** Bisection steps at most: 2^24 ops is far past any run's history. */
const STEPS_MAX = 24;

/**
 * Nanoseconds from the run's start to the first anomaly, given the results
 * that judged the whole history invalid and, where known, their checkers.
 */
export async function firstAnomalyNs(
  history: readonly Op[],
  failing: readonly { checker: Checker | null; result: unknown }[],
): Promise<number | null> {
  const checkers = failing.flatMap((f) => (f.checker ? [f.checker] : []));
  const byIndex = new Map(history.map((op) => [op.index, op.time]));
  const cited = failing
    .map((f) => firstAnomalyIndex(f.result))
    .flatMap((i) => (i !== null && byIndex.has(i) ? [byIndex.get(i) as number] : []));
  const bisected = checkers.length && history.length ? await bisect(history, checkers) : null;
  const all = bisected === null ? cited : [bisected, ...cited];
  return all.length ? Math.min(...all) : null;
}

/** The time of the last op of the shortest prefix some checker judges invalid (the whole history is). */
async function bisect(history: readonly Op[], checkers: readonly Checker[]): Promise<number> {
  const shownBy = async (end: number): Promise<boolean> => {
    const prefix = history.slice(0, end);
    for (const checker of checkers) {
      const r = await checker.check(prefix, { timeoutMs: PREFIX_CHECK_TIMEOUT_MS }).catch(() => ({ valid: "unknown" as const }));
      if (r.valid === false) return true;
    }
    return false;
  };
  let lo = 0;
  let hi = history.length;
  for (let step = 0; step < STEPS_MAX && hi - lo > 1; step++) {
    const mid = (lo + hi) >> 1;
    if (await shownBy(mid)) hi = mid;
    else lo = mid;
  }
  return (history[hi - 1] as Op).time;
}

/**
 * A checker's verdict, and the one rule that combines verdicts (Jepsen's):
 * false beats "unknown" beats true. Composition, reports and per-partition
 * linearizability all fold verdicts with worstVerdict.
 */

/** true: valid; false: a violation was found; "unknown": out of budget, or in doubt. */
export type Verdict = true | false | "unknown";

const RANK: Readonly<Record<string, number>> = { true: 0, unknown: 1, false: 2 };

export function worstVerdict(verdicts: Iterable<Verdict>): Verdict {
  let worst: Verdict = true;
  for (const verdict of verdicts) if (RANK[String(verdict)] > RANK[String(worst)]) worst = verdict;
  return worst;
}

/**
 * Runs several named checkers on one history and combines their verdicts:
 * the worst wins (false over "unknown" over true). A checker that throws
 * (bad input included) gets `{valid: "unknown", error}` instead of ending the
 * whole check, so results.json always holds every checker's output.
 */
import type { History } from "../src/history/op.js";
import type { Checker, CheckOptions, CheckResult } from "./checker.js";
import { worstVerdict } from "./verdict.js";

export interface ComposedResult extends CheckResult {
  results: Record<string, CheckResult>;
}

async function runOne(checker: Checker, history: History, opts: CheckOptions | undefined): Promise<CheckResult> {
  try {
    return await checker.check(history, opts);
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    return { valid: "unknown", error, ...(err instanceof Error ? { errorName: err.name } : {}) };
  }
}

/** Names must be unique: they are the keys of `results`. */
export function compose(checkers: Record<string, Checker>, name = "compose"): Checker {
  return {
    name,
    async check(history, opts) {
      const names = Object.keys(checkers);
      const outputs = await Promise.all(names.map((key) => runOne(checkers[key], history, opts)));
      const results = Object.fromEntries(names.map((key, i) => [key, outputs[i]]));
      return { valid: worstVerdict(outputs.map((output) => output.valid)), results } satisfies ComposedResult;
    },
  };
}

/**
 * Checkers as workloads use them: each sees only the ops it judges (a lock
 * workload's resource writes mean nothing to the mutex model), under a name
 * that says which model judged what.
 */
import type { Checker, CheckOptions, CheckResult } from "../checkers/checker.js";
import { linearizabilityChecker } from "../checkers/linearizability/check.js";
import type { History } from "../src/history/op.js";
import { NEMESIS } from "../src/history/op.js";

/** The checker on the client ops whose f is listed (nemesis ops too: they mark faults). */
export function only(fs: readonly string[], checker: Checker, name = checker.name): Checker {
  const keep = new Set(fs);
  return {
    name,
    check(history: History, opts?: CheckOptions): Promise<CheckResult> {
      return checker.check(
        history.filter((op) => op.process === NEMESIS || keep.has(op.f)),
        opts,
      );
    },
  };
}

/** Per-key linearizability of the listed ops under a model of checkers/linearizability. */
export function linearizable(model: string, fs: readonly string[]): Checker {
  return only(fs, linearizabilityChecker(model), `linearizability(${model})`);
}

import type { History } from "../src/history/op.js";
import type { Verdict } from "./verdict.js";

export type { Verdict };

/** Every checker's output: a verdict plus whatever explains it (shaped like Jepsen's). */
export interface CheckResult {
  valid: Verdict;
  /**
   * Files for the run folder (name -> content), such as a counterexample's
   * timeline.html. The controller writes them beside results.json and keeps
   * only their names in it.
   */
  artifacts?: Record<string, string>;
  [field: string]: unknown;
}

export interface CheckOptions {
  /** Time budget; past it the result is "unknown", never a hang. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** history in, `{valid, ...}` out. Checkers import only history types, never a cluster. */
export interface Checker {
  readonly name: string;
  check(history: History, opts?: CheckOptions): Promise<CheckResult>;
}

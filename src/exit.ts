/**
 * The exit codes of every command (README, "Exit codes"; docs/ARCHITECTURE.md).
 * 0-3 are verdicts and the user's mistakes; 4 and 5 say the fault lies
 * elsewhere, so a script can tell "fix your input" from "fix the machine" or
 * "report a bug".
 */
import type { Verdict } from "../checkers/verdict.js";

/** Valid, or a command that did what it was asked. */
export const EXIT_VALID = 0;
/** A checker found a violation, or the gate failed. */
export const EXIT_INVALID = 1;
/** Usage or input error: a flag, a file, a line or a field (InputError). */
export const EXIT_INPUT = 2;
/** Unknown: a check ran out of its budget. */
export const EXIT_UNKNOWN = 3;
/** Internal error: a bug in tob (an exception nobody expected); TOB_DEBUG=1 prints its stack. */
export const EXIT_INTERNAL = 4;
/** The environment failed the command: a cluster that did not start, a tool that would not run (EnvironmentError). */
export const EXIT_ENVIRONMENT = 5;

/**
 * The system under test or the machine could not do its part: a cluster whose
 * nodes did not start or elect a leader, a missing binary. Not the user's
 * input, and not a bug in tob.
 */
export class EnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EnvironmentError";
  }
}

export function exitCodeForVerdict(valid: Verdict): number {
  if (valid === true) return EXIT_VALID;
  if (valid === false) return EXIT_INVALID;
  return EXIT_UNKNOWN;
}

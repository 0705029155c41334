/** Exit codes shared by every command (../shared/DESIGN.md, "Conventions"). */
export const EXIT_VALID = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;
export const EXIT_UNKNOWN = 3;

/**
 * An error in what the user gave us (a flag, a file, a line). The CLI prints
 * its message without a stack trace and exits with EXIT_USAGE.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

export type Verdict = true | false | "unknown";

export function exitCodeForVerdict(valid: Verdict): number {
  if (valid === true) return EXIT_VALID;
  if (valid === false) return EXIT_INVALID;
  return EXIT_UNKNOWN;
}

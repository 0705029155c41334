import { EXIT_ENVIRONMENT, EXIT_INPUT, EXIT_INTERNAL, EnvironmentError } from "../exit.js";
import { InputError } from "../history/input-error.js";

/**
 * Wraps a command's action so that every failure ends with a clear message
 * and a named exit code, never a stack trace (TOB_DEBUG=1 prints one for an
 * internal error); the action's own return value is the exit code.
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    let code: number;
    try {
      code = await fn(...args);
    } catch (err) {
      code = reportFailure(err);
    }
    process.exitCode = code;
  };
}

function reportFailure(err: unknown): number {
  if (err instanceof InputError) {
    process.stderr.write(`tob: ${err.message}\n`);
    return EXIT_INPUT;
  }
  if (err instanceof EnvironmentError) {
    process.stderr.write(`tob: ${err.message}\n`);
    return EXIT_ENVIRONMENT;
  }
  const e = err as Error;
  process.stderr.write(`tob: internal error: ${e?.message ?? String(err)}\n`);
  if (process.env.TOB_DEBUG) process.stderr.write(`${e?.stack}\n`);
  return EXIT_INTERNAL;
}

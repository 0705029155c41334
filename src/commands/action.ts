import { EXIT_USAGE, InputError } from "../exit.js";

/**
 * Wraps a command's action so that bad input ends with a clear message and
 * exit code 2, never a stack trace; the action's own return value is the exit code.
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    let code: number;
    try {
      code = await fn(...args);
    } catch (err) {
      if (err instanceof InputError) {
        process.stderr.write(`tob: ${err.message}\n`);
        code = EXIT_USAGE;
      } else {
        const e = err as Error;
        process.stderr.write(`tob: internal error: ${e?.message ?? String(err)}\n`);
        if (process.env.TOB_DEBUG) process.stderr.write(`${e?.stack}\n`);
        code = 4;
      }
    }
    process.exitCode = code;
  };
}

/**
 * The parsers of flag values, for every command: each takes the flag's name as
 * the user typed it (`--rate`) and its text, and returns the value or throws an
 * InputError that names the flag, the range and what was given (exit 2).
 */
import { InputError } from "../history/input-error.js";

/** A finite number in [min, max]. */
export function numberIn(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n < min || n > max) {
    throw new InputError(`${flag} must be a number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return n;
}

/** An integer in [min, max]. */
export function integerIn(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new InputError(`${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return n;
}

/** A comma-separated list of integers in [min, max]. */
export function integerList(flag: string, text: string, min: number, max: number): number[] {
  return text.split(",").map((part) => integerIn(flag, part.trim(), min, max));
}

/** A comma-separated list, each one of `choices`. */
export function choiceList<T extends string>(flag: string, text: string, choices: readonly T[]): T[] {
  const values = text.split(",").map((s) => s.trim());
  for (const v of values) {
    if (!(choices as readonly string[]).includes(v))
      throw new InputError(`${flag}: unknown ${JSON.stringify(v)}; choose from ${choices.join(", ")}`);
  }
  return values as T[];
}

/** A number above 0 and at most `max`. */
export function positiveNumber(flag: string, text: string, max: number): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n <= 0 || n > max) {
    throw new InputError(`${flag} must be a number above 0 and at most ${max}, got ${JSON.stringify(text)}`);
  }
  return n;
}

/** Any finite number (its range is checked with the rest of the spec). */
export function finiteNumber(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n)) throw new InputError(`${flag} must be a number, got ${JSON.stringify(text)}`);
  return n;
}

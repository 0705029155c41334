/**
 * The parsers of flag values, for every command, used through commander's
 * `.argParser()` (or `option(flags, text, parser, default)`): each turns the
 * text the user typed into the value, or throws commander's
 * InvalidArgumentError saying what was expected. Commander then prints
 * `error: option '--rate <ops/s>' argument 'x' is invalid. <why>`, naming the
 * flag, and the CLI exits 2 (src/cli.ts) before any action runs.
 *
 * Defaults are given already parsed (commander does not parse them), with the
 * text shown in `--help` where the value would print badly (lists).
 */
import { InvalidArgumentError, Option } from "commander";
import { nemesisProblem, parseNemesis } from "../controller/spec.js";

/** One flag's text → its value; `previous` is the value so far (a repeatable flag's list). */
export type FlagParser<T> = (text: string, previous: T) => T;

function refuse(why: string): never {
  throw new InvalidArgumentError(why);
}

function numberOf(text: string): number {
  return text.trim() === "" ? Number.NaN : Number(text);
}

/** A finite number in [min, max]. */
export function numberIn(min: number, max: number): FlagParser<number> {
  return (text) => {
    const n = numberOf(text);
    if (!Number.isFinite(n) || n < min || n > max) refuse(`Expected a number from ${min} to ${max}.`);
    return n;
  };
}

/** A number above 0 and at most `max` (a duration, a rate). */
export function positiveNumber(max: number): FlagParser<number> {
  return (text) => {
    const n = numberOf(text);
    if (!Number.isFinite(n) || n <= 0 || n > max) refuse(`Expected a number above 0 and at most ${max}.`);
    return n;
  };
}

/** An integer in [min, max]. */
export function integerIn(min: number, max: number): FlagParser<number> {
  return (text) => {
    const n = numberOf(text);
    if (!Number.isSafeInteger(n) || n < min || n > max) refuse(`Expected an integer from ${min} to ${max}.`);
    return n;
  };
}

/** A seed: any non-negative safe integer. */
export const seed: FlagParser<number> = integerIn(0, Number.MAX_SAFE_INTEGER);

/** A comma-separated list of integers in [min, max], at most `countMax` of them. */
export function integerList(min: number, max: number, countMax = 1000): FlagParser<number[]> {
  const one = integerIn(min, max);
  return (text) => {
    const parts = text.split(",").map((s) => s.trim());
    if (parts.length > countMax) refuse(`Expected at most ${countMax} comma-separated integers.`);
    return parts.map((part) => {
      try {
        return one(part, 0);
      } catch {
        return refuse(`Expected comma-separated integers from ${min} to ${max}; ${JSON.stringify(part)} is not one.`);
      }
    });
  };
}

/** A comma-separated list, each one of `choices`. */
export function choiceList<T extends string>(choices: readonly T[]): FlagParser<T[]> {
  return (text) => {
    const values = text.split(",").map((s) => s.trim());
    const unknown = values.find((v) => !(choices as readonly string[]).includes(v));
    if (unknown !== undefined) refuse(`${JSON.stringify(unknown)} is not one of ${choices.join(", ")}.`);
    return values as T[];
  };
}

/** A repeatable flag: each use parsed by `one`, collected in order. */
export function repeated<T>(one: (text: string) => T): FlagParser<T[]> {
  return (text, previous) => [...(previous ?? []), one(text)];
}

/** One of `choices`, for a repeatable flag (`--bug a --bug b`). */
export function oneOf<T extends string>(choices: readonly T[]): (text: string) => T {
  return (text) => {
    if (!(choices as readonly string[]).includes(text)) refuse(`Allowed choices are ${choices.join(", ")}.`);
    return text as T;
  };
}

const SIZE_UNITS: Record<string, number> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** A size in bytes: 1048576, 512k, 32m, 1g (binary units), at least 1. */
export const sizeBytes: FlagParser<number> = (text) => {
  const m = /^(\d+)\s*([kmg]?)i?b?$/i.exec(text.trim());
  const bytes = m ? Number(m[1]) * (SIZE_UNITS[m[2]!.toLowerCase()] ?? Number.NaN) : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) refuse("Expected a size of at least 1 byte, like 1048576, 512k or 32m.");
  return bytes;
};

/** Any JSON value. */
export const json: FlagParser<unknown> = (text) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return refuse('Expected JSON, e.g. 0, null, "", {"x":0}.');
  }
};

/** A count, or a count per node with an n suffix ("5", "2n"), resolved against the node count later. */
export interface PerNodeCount {
  count: number;
  perNode: boolean;
}

export function countOrPerNode(max: number): FlagParser<PerNodeCount> {
  return (text) => {
    const m = /^(\d+(?:\.\d+)?)(n?)$/.exec(text.trim());
    const count = m ? Number(m[1]) : Number.NaN;
    const perNode = m?.[2] === "n";
    if (!(count > 0 && count <= max) || (!perNode && !Number.isInteger(count)))
      refuse(`Expected an integer from 1 to ${max}, or Nn for N per node (e.g. 2n).`);
    return { count, perNode };
  };
}

/** `--nemesis`: comma-separated faults ("kill,delay+pause-leader"), or none (an empty list). */
export const nemesisList: FlagParser<string[]> = (text) => {
  const names = parseNemesis(text);
  for (const name of names) {
    const problem = nemesisProblem(name);
    if (problem !== null) refuse(`${problem}.`);
  }
  return names;
};

/** A parser from elsewhere (a format, a model list) whose errors carry the reason: commander names the flag. */
export function checkedBy<T>(parse: (text: string) => T): FlagParser<T> {
  return (text) => {
    try {
      return parse(text);
    } catch (err) {
      if (err instanceof InvalidArgumentError) throw err;
      return refuse(`${(err as Error).message}.`.replace(/\.\.$/, "."));
    }
  };
}

/**
 * An option whose value is parsed by `parse`; `fallback` is its default
 * (already a value), shown in `--help` as `fallbackText` when given.
 */
export function parsedOption<T>(flags: string, description: string, parse: FlagParser<T>, fallback?: T, fallbackText?: string): Option {
  const option = new Option(flags, description).argParser(parse);
  return fallback === undefined ? option : option.default(fallback, fallbackText);
}

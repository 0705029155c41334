import { where } from "../../src/history/jsonl.js";
import { InputError } from "../../src/history/input-error.js";
import { OpShapeError } from "../perf/pairs.js";
import type { CheckerInput } from "./types.js";

/** "h.jsonl line 12" or "h.jsonl line 12, field \"value\"", for op i of the input. */
export function locate(input: Pick<CheckerInput, "lines" | "name">, index: number, field?: string): string {
  return where(input.name, input.lines[index] ?? 0, field);
}

/** Runs a check; an op that does not fit comes back naming its line and field instead of its index. */
export async function located<T>(input: Pick<CheckerInput, "lines" | "name">, check: () => Promise<T> | T): Promise<T> {
  try {
    return await check();
  } catch (err) {
    if (err instanceof OpShapeError) throw new InputError(`${locate(input, err.opIndex, err.field)}: ${err.checker}: ${err.what}`);
    throw err;
  }
}

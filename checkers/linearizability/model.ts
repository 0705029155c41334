import type { Operation } from "../../src/history/pair.js";

/** The output of an operation whose outcome is unknown (`info`, or never completed). */
export const UNKNOWN: unique symbol = Symbol("unknown outcome");

/**
 * The identity of a state for the search's cache: equal hashes must mean equal
 * states; equal states should share a hash (when not, only pruning is lost).
 */
export type StateHash = string | number | boolean | null;

/** What makes an op unfit for a model: the op's field at fault ("f", "value", "key") and why. */
export interface Misfit {
  field: string;
  text: string;
}

export const misfit = (field: string, text: string): Misfit => ({ field, text });

/** The usual misfit: an f the model has not got. */
export const unknownF = (model: string, has: string, f: string): Misfit => misfit("f", `${model} has ${has}, not ${f}`);

/**
 * A sequential specification, as a handful of pure functions (the seam of
 * docs/ARCHITECTURE.md). The checker never looks inside a state; it only steps,
 * hashes and describes it.
 */
export interface Model<S = unknown> {
  readonly name: string;
  init(): S;
  /**
   * The state after `input` takes effect with `output` (UNKNOWN when the outcome
   * is unknown, and then any output is allowed), or undefined if that is illegal.
   */
  step(state: S, input: Operation, output: unknown): S | undefined;
  /** Why this model cannot take `input` at all (an unknown f, a malformed value), naming the op's field; undefined when fine. */
  validate(input: Operation): Misfit | undefined;
  /** The independent object an op acts on; by default its `key`. Return undefined for one object. */
  partition?(input: Operation): string | undefined;
  /** Identity (see StateHash); by default the state itself for primitives, else its JSON. */
  hash?(state: S): StateHash;
  /** True if the op cannot change the state: with an unknown outcome it constrains nothing. */
  readOnly?(input: Operation): boolean;
  /**
   * For a state that is a product of independent parts: the parts an op touches,
   * and the state restricted to some parts. With both, the checker splits the
   * search by the connected components of footprints (linearizability is local).
   */
  footprint?(input: Operation): string[];
  project?(state: S, parts: string[]): S;
  /** The state in words, for explanations. */
  describe?(state: S): string;
}

/** Builds a model from an optional initial state (parsed from `--initial` JSON). */
export interface ModelSpec {
  readonly name: string;
  readonly summary: string;
  make(initial?: unknown): Model<any>;
}

export function defaultHash(state: unknown): StateHash {
  if (state === null || typeof state === "string" || typeof state === "number" || typeof state === "boolean") return state;
  if (state === undefined) return null;
  return JSON.stringify(state);
}

/** Equality of op values as read from a history: scalars by value, collections by JSON. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined) return b === null;
  if (b === undefined) return a === null;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

export function show(value: unknown): string {
  if (value === UNKNOWN) return "?";
  if (value === undefined || value === null) return "nil";
  return JSON.stringify(value);
}

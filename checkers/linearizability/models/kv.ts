import { InputError } from "../../../src/history/input-error.js";
import type { Operation } from "../../../src/history/pair.js";
import { UNKNOWN, misfit, show, unknownF, type Misfit, type Model, type ModelSpec } from "../model.js";
import { Texts } from "./texts.js";

const FS = "get/read, put/write, append and cas";

function validate(op: Operation): Misfit | undefined {
  if (op.key === undefined) return misfit("key", `kv ops need a key (checked per key), none on this ${op.f}`);
  if (op.f === "get" || op.f === "read" || op.f === "put" || op.f === "write" || op.f === "append") return undefined;
  if (op.f === "cas")
    return Array.isArray(op.value) && op.value.length === 2
      ? undefined
      : misfit("value", `expected [from, to] for f "cas", got ${show(op.value)}`);
  return unknownF("kv", FS, op.f);
}

/** One key's value after `op`, or undefined if illegal; shared by both kv models. */
function stepValue(texts: Texts, v: number, op: Operation, out: unknown): number | undefined {
  switch (op.f) {
    case "get":
    case "read":
      return out === UNKNOWN || texts.equals(v, out) ? v : undefined;
    case "put":
    case "write":
      return texts.of(op.value ?? null);
    case "append":
      return texts.append(v, String(op.value ?? ""));
    default: {
      const [from, to] = op.value as [unknown, unknown];
      return texts.equals(v, from) ? texts.of(to ?? null) : undefined;
    }
  }
}

const readOnly = (op: Operation) => op.f === "get" || op.f === "read";

/** Porcupine's kv: one string per key, "" when absent; checked key by key. */
export const kv: ModelSpec = {
  name: "kv",
  summary: 'key-value store, a string per key (initially ""): get, put, append; checked per key',
  make(initial: unknown = "") {
    const texts = new Texts();
    const start = texts.of(initial);
    // A state is a node id of `texts`: a small integer, its own hash.
    const model: Model<number> = {
      name: "kv",
      init: () => start,
      validate,
      step: (v, op, out) => stepValue(texts, v, op, out),
      hash: (v) => v,
      readOnly,
      describe: (v) => `the key holds ${show(texts.value(v))}`,
    };
    return model;
  },
};

/** Key to node id of the model's `texts`. */
type Store = ReadonlyMap<string, number>;

/**
 * The same store as one state over all keys (no partition by key). Its state
 * is a product of keys, so it exposes a footprint and a projection: the checker
 * may still split the search by the keys ops touch (see model.ts).
 */
export const kvUnpartitioned: ModelSpec = {
  name: "kv-unpartitioned",
  summary: 'the kv store as one state over all keys (initially an empty map; absent keys read as "")',
  make(initial: unknown = {}) {
    if (initial === null || typeof initial !== "object" || Array.isArray(initial)) {
      throw new InputError(`kv-unpartitioned: --initial must be a JSON object of key to string, got ${show(initial)}`);
    }
    const texts = new Texts();
    const start: Store = new Map(Object.entries(initial as Record<string, unknown>).map(([k, v]) => [k, texts.of(v)]));
    const empty = texts.of("");
    const get = (s: Store, key: string) => s.get(key) ?? empty;
    const model: Model<Store> = {
      name: "kv-unpartitioned",
      init: () => start,
      validate,
      partition: () => undefined,
      step(s, op, out) {
        const key = op.key as string;
        const before = get(s, key);
        const after = stepValue(texts, before, op, out);
        if (after === undefined) return undefined;
        if (after === before) return s;
        const next = new Map(s);
        next.set(key, after);
        return next;
      },
      // Absent and "" read alike, so both hash alike.
      hash: (s) =>
        [...s.entries()]
          .filter(([, v]) => v !== empty)
          .map(([k, v]) => `${k}\u0000${v}`)
          .sort()
          .join("\u0001"),
      readOnly,
      footprint: (op) => [op.key as string],
      project: (s, keys) =>
        new Map(
          keys.flatMap((k) => {
            const v = s.get(k);
            return v === undefined ? [] : [[k, v] as const];
          }),
        ),
      describe: (s) =>
        s.size === 0
          ? "every key is empty"
          : [...s.entries()].map(([k, v]) => `${JSON.stringify(k)} holds ${show(texts.value(v))}`).join("; "),
    };
    return model;
  },
};

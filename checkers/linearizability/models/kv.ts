import { InputError } from "../../../src/exit.js";
import type { Operation } from "../../../src/history/pair.js";
import { UNKNOWN, sameValue, show, type Model, type ModelSpec } from "../model.js";

const FS = "get/read, put/write, append and cas";

function validate(op: Operation): string | undefined {
  if (op.key === undefined) return `kv ops need a key`;
  if (op.f === "get" || op.f === "read" || op.f === "put" || op.f === "write" || op.f === "append") return undefined;
  if (op.f === "cas") return Array.isArray(op.value) && op.value.length === 2 ? undefined : `cas needs [from, to], got ${show(op.value)}`;
  return `kv has ${FS}, not ${op.f}`;
}

/** One key's value after `op`, or undefined if illegal; shared by both kv models. */
function stepValue(v: unknown, op: Operation, out: unknown): unknown | undefined {
  switch (op.f) {
    case "get":
    case "read":
      return out === UNKNOWN || sameValue(out, v) ? v : undefined;
    case "put":
    case "write":
      return op.value ?? null;
    case "append":
      return String(v ?? "") + String(op.value ?? "");
    default: {
      const [from, to] = op.value as [unknown, unknown];
      return sameValue(v, from) ? to ?? null : undefined;
    }
  }
}

const readOnly = (op: Operation) => op.f === "get" || op.f === "read";

/** Porcupine's kv: one string per key, "" when absent; checked key by key. */
export const kv: ModelSpec = {
  name: "kv",
  summary: 'key-value store, a string per key (initially ""): get, put, append; checked per key',
  make(initial: unknown = "") {
    const model: Model<unknown> = {
      name: "kv",
      init: () => initial,
      validate,
      step: (v, op, out) => stepValue(v, op, out),
      readOnly,
      describe: (v) => `the key holds ${show(v)}`,
    };
    return model;
  },
};

type Store = ReadonlyMap<string, unknown>;

/**
 * The same store as one state over all keys (no partition by key). Its state
 * is a product of keys, so it exposes a footprint and a projection: the checker
 * may still split the search by the keys ops touch (see model.ts).
 */
export const kvUnpartitioned: ModelSpec = {
  name: "kv-unpartitioned",
  summary: "the kv store as one state over all keys (initially an empty map; absent keys read as \"\")",
  make(initial: unknown = {}) {
    if (initial === null || typeof initial !== "object" || Array.isArray(initial)) {
      throw new InputError(`kv-unpartitioned: --initial must be a JSON object of key to string, got ${show(initial)}`);
    }
    const start: Store = new Map(Object.entries(initial as Record<string, unknown>));
    const get = (s: Store, key: string) => (s.has(key) ? s.get(key) : "");
    const model: Model<Store> = {
      name: "kv-unpartitioned",
      init: () => start,
      validate,
      partition: () => undefined,
      step(s, op, out) {
        const key = op.key as string;
        const before = get(s, key);
        const after = stepValue(before, op, out);
        if (after === undefined) return undefined;
        if (after === before) return s;
        const next = new Map(s);
        next.set(key, after);
        return next;
      },
      hash: (s) => JSON.stringify([...s.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
      readOnly,
      footprint: (op) => [op.key as string],
      project: (s, keys) => new Map(keys.filter((k) => s.has(k)).map((k) => [k, s.get(k)])),
      describe: (s) =>
        s.size === 0 ? "every key is empty" : [...s.entries()].map(([k, v]) => `${JSON.stringify(k)} holds ${show(v)}`).join("; "),
    };
    return model;
  },
};

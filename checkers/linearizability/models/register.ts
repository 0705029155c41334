import type { Operation } from "../../../src/history/pair.js";
import { UNKNOWN, misfit, sameValue, show, unknownF, type Model, type ModelSpec } from "../model.js";

type Value = unknown;

function isPair(v: unknown): v is [unknown, unknown] {
  return Array.isArray(v) && v.length === 2;
}

/**
 * A read/write/cas register. `nilReadsFree` is Knossos's cas-register rule: a
 * read that returned nil learned nothing, so it is legal in any state.
 */
function registerModel(name: string, initial: Value, nilReadsFree: boolean): Model<Value> {
  return {
    name,
    init: () => initial,
    validate(op: Operation) {
      if (op.f === "read" || op.f === "write") return undefined;
      if (op.f === "cas") return isPair(op.value) ? undefined : misfit("value", `expected [from, to] for f "cas", got ${show(op.value)}`);
      return unknownF(name, "read, write and cas", op.f);
    },
    step(s: Value, op: Operation, out: unknown) {
      if (op.f === "read") {
        if (out === UNKNOWN || (nilReadsFree && (out === null || out === undefined))) return s;
        return sameValue(out, s) ? s : undefined;
      }
      if (op.f === "write") return op.value ?? null;
      const [from, to] = op.value as [unknown, unknown];
      return sameValue(s, from) ? (to ?? null) : undefined;
    },
    readOnly: (op: Operation) => op.f === "read",
    describe: (s: Value) => (s === null || s === undefined ? "the register is empty (nil)" : `the register holds ${show(s)}`),
  };
}

export const register: ModelSpec = {
  name: "register",
  summary: "read/write/cas register, initially nil; reads must match (per key when ops have keys)",
  make: (initial = null) => registerModel("register", initial, false),
};

export const casRegister: ModelSpec = {
  name: "cas-register",
  summary: "Knossos's cas-register, initially 0: a read of nil is always legal",
  make: (initial = 0) => registerModel("cas-register", initial, true),
};

export const etcd: ModelSpec = {
  name: "etcd",
  summary: "Porcupine's etcd register: initially absent, a nil read means absent, cas compares",
  make: (initial = null) => registerModel("etcd", initial, false),
};

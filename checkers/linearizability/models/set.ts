import { InputError } from "../../../src/history/input-error.js";
import { UNKNOWN, show, unknownF, type Model, type ModelSpec } from "../model.js";

type Elements = readonly unknown[];

const canonical = (xs: Elements) => JSON.stringify([...xs].map((x) => JSON.stringify(x)).sort());

/** A grow-only set: add x, and read returns every element added so far. */
export const set: ModelSpec = {
  name: "set",
  summary: "a set: add x; read returns all elements (order ignored); initially empty",
  make(initial: unknown = []) {
    if (!Array.isArray(initial)) throw new InputError(`set: --initial must be a JSON array, got ${show(initial)}`);
    const model: Model<Elements> = {
      name: "set",
      init: () => initial,
      validate: (op) => (op.f === "add" || op.f === "read" ? undefined : unknownF("set", "add and read", op.f)),
      step(s, op, out) {
        if (op.f === "add") return s.some((x) => JSON.stringify(x) === JSON.stringify(op.value)) ? s : [...s, op.value];
        if (out === UNKNOWN) return s;
        return Array.isArray(out) && canonical(out) === canonical(s) ? s : undefined;
      },
      hash: canonical,
      readOnly: (op) => op.f === "read",
      describe: (s) => (s.length === 0 ? "the set is empty" : `the set holds ${s.map(show).join(", ")}`),
    };
    return model;
  },
};

import { InputError } from "../../../src/history/input-error.js";
import type { Operation } from "../../../src/history/pair.js";
import { UNKNOWN, misfit, sameValue, show, unknownF, type Model, type ModelSpec } from "../model.js";

type Registers = Readonly<Record<string, unknown>>;
type Micro = [string, unknown, unknown];

function microOps(v: unknown): Micro[] | undefined {
  if (!Array.isArray(v)) return undefined;
  for (const m of v) {
    if (!Array.isArray(m) || m.length !== 3 || (m[0] !== "read" && m[0] !== "write" && m[0] !== "r" && m[0] !== "w")) return undefined;
  }
  return v as Micro[];
}

/**
 * Knossos's multi-register: a txn of [read k v] / [write k v] micro-ops applied
 * atomically; a read of nil is unconstrained. The ok completion carries the
 * values read; with an unknown outcome the invocation's micro-ops are used.
 */
export const multiRegister: ModelSpec = {
  name: "multi-register",
  summary: 'registers by name, txn of [read k v]/[write k v] applied atomically; nil reads are free (initial e.g. {"x":0,"y":0})',
  make(initial: unknown = {}) {
    if (initial === null || typeof initial !== "object" || Array.isArray(initial)) {
      throw new InputError(`multi-register: --initial must be a JSON object of register to value, got ${show(initial)}`);
    }
    const start = initial as Registers;
    const model: Model<Registers> = {
      name: "multi-register",
      init: () => start,
      validate: (op) =>
        op.f !== "txn"
          ? unknownF("multi-register", "txn", op.f)
          : microOps(op.value)
            ? undefined
            : misfit(
                "value",
                `expected [[read|write k v] ...] for f "txn" (Elle's [[append|r|w k v] ...] take --checker elle), got ${show(op.value)}`,
              ),
      step(s, op, out) {
        const micro = (out === UNKNOWN ? op.value : (microOps(out) ?? op.value)) as Micro[];
        let next: Record<string, unknown> | undefined;
        for (const [f, k, v] of micro) {
          const key = String(k);
          const cur = next ?? s;
          if (f === "read" || f === "r") {
            if (out !== UNKNOWN && v !== null && v !== undefined && !sameValue(v, cur[key] ?? null)) return undefined;
          } else {
            next ??= { ...s };
            next[key] = v;
          }
        }
        return next ?? s;
      },
      hash: (s) =>
        JSON.stringify(
          Object.keys(s)
            .sort()
            .map((k) => [k, s[k]]),
        ),
      readOnly: (op) => (op.value as Micro[]).every(([f]) => f === "read" || f === "r"),
      footprint: (op) => (op.value as Micro[]).map(([, k]) => String(k)),
      project: (s, keys) => Object.fromEntries(keys.filter((k) => k in s).map((k) => [k, s[k]])),
      describe: (s) =>
        Object.keys(s)
          .sort()
          .map((k) => `${k} = ${show(s[k])}`)
          .join(", ") || "every register is nil",
    };
    return model;
  },
};

import { readFileSync } from "node:fs";
import { parseEDNString } from "edn-data";
import { InputError } from "./input-error.js";
import { toOp } from "./jsonl.js";
import type { Op } from "./op.js";
import { splitEdnForms } from "./edn-forms.js";
import type { SourcedHistory } from "./source.js";

const TUPLE_TAG = "jepsen.independent.Tuple";

/** A `#jepsen.independent.Tuple{...}` value, kept apart from a plain pair. */
class Tuple {
  constructor(
    readonly key: unknown,
    readonly value: unknown,
  ) {}
}

/**
 * Jepsen 0.3 prints each op as a record, `#jepsen.history.Op{:index 0, ...}`;
 * the record is its map.
 */
const OP_RECORD_TAG = "jepsen.history.Op";

/** How tob reads EDN: maps as objects, keywords and symbols as strings, lists and sets as arrays, op records as maps. */
export const EDN_PLAIN_OPTIONS = {
  mapAs: "object",
  keywordAs: "string",
  listAs: "array",
  setAs: "array",
  symbolAs: "string",
  charAs: "string",
  tagHandlers: { [OP_RECORD_TAG]: (v: unknown) => v },
} as const;

const EDN_OPTIONS = {
  ...EDN_PLAIN_OPTIONS,
  tagHandlers: {
    ...EDN_PLAIN_OPTIONS.tagHandlers,
    [TUPLE_TAG]: (v: unknown) => {
      const m = v as { key?: unknown; value?: unknown };
      return new Tuple(m.key, m.value);
    },
  },
} as const;

function scalarKey(k: unknown): k is string | number {
  return typeof k === "string" || typeof k === "number";
}

/**
 * Jepsen's `independent` histories carry `[k v]` in every client op's value.
 * A cas register also has pairs (`[from to]`), so plain pairs count as tuples
 * only if every client op has one with a scalar key and some op is not a cas.
 */
function isIndependent(ops: Op[], tupled: ReadonlySet<number>): boolean {
  let client = 0;
  let nonCas = 0;
  for (const op of ops) {
    if (op.process === "nemesis" || tupled.has(op.index)) continue;
    client++;
    const v = op.value;
    if (!Array.isArray(v) || v.length !== 2 || !scalarKey(v[0])) return false;
    if (op.f !== "cas") nonCas++;
  }
  return client > 0 && nonCas > 0;
}

function splitTuple(op: Op, key: unknown, value: unknown): void {
  op.key = String(key);
  op.value = value === undefined ? null : value;
}

/** Knossos/Jepsen EDN (one collection of op maps) or Porcupine's kv log (one map a line). */
export function readEdn(path: string, format: "edn" | "porcupine-kv" = "edn"): SourcedHistory {
  const forms = splitEdnForms(readFileSync(path, "utf8"), path);
  const ops: Op[] = [];
  const lines: number[] = [];
  const tupled = new Set<number>(); // ops whose value was a tagged Tuple, already split
  for (const form of forms) {
    let record: unknown;
    try {
      record = parseEDNString(form.text, EDN_OPTIONS);
    } catch (err) {
      throw new InputError(`${path} line ${form.line}: not valid EDN (${(err as Error).message})`);
    }
    const r = record as Record<string, unknown>;
    if (r !== null && typeof r === "object" && r.error !== undefined && typeof r.error !== "string") {
      r.error = JSON.stringify(r.error);
    }
    const hadTime = r !== null && typeof r === "object" && r.time !== undefined;
    const op = toOp(record, ops.length, path, form.line);
    if (!hadTime) op.time = ops.length;
    if (op.value instanceof Tuple) {
      splitTuple(op, op.value.key, op.value.value);
      tupled.add(op.index);
    }
    ops.push(op);
    lines.push(form.line);
  }
  if (isIndependent(ops, tupled)) {
    for (const op of ops) {
      if (op.process === "nemesis" || tupled.has(op.index)) continue;
      const [k, v] = op.value as [unknown, unknown];
      splitTuple(op, k, v);
    }
  }
  return { ops, lines, format };
}

/**
 * Validates the fields every checker relies on, and pairs each client
 * invocation with its completion by the one pairing rule (src/history/pair.ts,
 * strict), into columns. Shared by the perf, total-order and Elle checkers.
 * An invocation without a completion is "pending" (the run ended first).
 * Ops of `process: "nemesis"` are not client ops: they are returned apart.
 */
import { InputError } from "../../src/history/input-error.js";
import { NEMESIS, type Op, type History, type OpType } from "../../src/history/op.js";
import { type OnProblem, Pairing } from "../../src/history/pair.js";
import { int32Column, uint8Column } from "../arena.js";

/** A client operation's outcome, from its completion's type: none at all is INFO (it may have happened). */
export const OK = 0;
export const INFO = 1;
export const FAIL = 2;

/**
 * Client operations as columns, in invocation order: for operation p,
 * history[invokeAt[p]] is its invocation and history[completeAt[p]] its
 * completion (-1: none), and outcome[p] is OK | INFO | FAIL. Positions rather
 * than objects: a million-op history then adds a few typed arrays to the
 * heap, not a million objects.
 */
export interface Paired {
  count: number;
  invokeAt: Int32Array;
  completeAt: Int32Array;
  outcome: Uint8Array;
  nemesis: Op[];
}

const TYPES: ReadonlySet<string> = new Set<OpType>(["invoke", "ok", "fail", "info"]);

/**
 * An op that does not fit a checker. Its message names the checker and the
 * op's index; a reader that knows the op's source line re-words it with the
 * line and the field (see checkers/registry).
 */
export class OpShapeError extends InputError {
  constructor(
    readonly checker: string,
    readonly opIndex: number,
    readonly field: string,
    readonly what: string,
  ) {
    super(`${checker}: op ${opIndex}: ${what}`);
  }
}

/** Throws an OpShapeError; most shape problems are in the op's value, so that is the default field. */
export function shapeError(checker: string, op: unknown, position: number, what: string, field = "value"): never {
  const index = isRecord(op) && typeof op.index === "number" ? op.index : position;
  throw new OpShapeError(checker, index, field, what);
}

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Validates the Op fields themselves (not the value, which each checker reads its own way). */
export function validateOp(checker: string, op: unknown, position: number): Op {
  if (!isRecord(op)) shapeError(checker, op, position, "is not an object", "(op)");
  if (typeof op.index !== "number") shapeError(checker, op, position, "has no numeric `index`", "index");
  if (typeof op.time !== "number" || !Number.isFinite(op.time)) {
    shapeError(checker, op, position, "has no finite numeric `time` (ns)", "time");
  }
  if (typeof op.process !== "number" && typeof op.process !== "string") {
    shapeError(checker, op, position, "`process` must be a number or a string", "process");
  }
  if (typeof op.type !== "string" || !TYPES.has(op.type)) {
    shapeError(checker, op, position, `\`type\` must be invoke|ok|fail|info, got ${JSON.stringify(op.type)}`, "type");
  }
  if (typeof op.f !== "string") shapeError(checker, op, position, "`f` must be a string", "f");
  return op as unknown as Op;
}

/** Strict pairing problems worded as shape errors of `checker`, naming the field at fault. */
function shapeProblem(checker: string): OnProblem {
  return (p) => {
    switch (p.kind) {
      case "overlap":
        return shapeError(
          checker,
          p.op,
          p.index,
          `process ${p.op.process} invokes while its op ${p.prior.op.index} is still in flight`,
          "process",
        );
      case "orphan":
        return shapeError(checker, p.op, p.index, `${p.op.type} of process ${p.op.process} has no invocation`, "type");
      case "f-mismatch":
        return shapeError(
          checker,
          p.op,
          p.index,
          `completion f ${JSON.stringify(p.op.f)} differs from its invocation's (op ${p.invoke.op.index}: ${JSON.stringify(p.invoke.op.f)})`,
          "f",
        );
      case "time":
        return shapeError(checker, p.op, p.index, `completes before its invocation (op ${p.invoke.op.index})`, "time");
    }
  };
}

/**
 * Validates every op and pairs the history strictly (src/history/pair.ts),
 * into columns; with `only`, the columns keep just the operations of that
 * `f` (every op is still validated and paired).
 */
export function pairOps(checker: string, history: History, only?: string): Paired {
  if (!Array.isArray(history)) throw new InputError(`${checker}: the history is not an array of ops`);
  // sized by the history, which bounds them, rather than by a counting pass: each visit to an
  // op of a gigabyte history is a cache miss, and pages of a column never written cost nothing
  // (../arena.ts)
  const bound = history.length;
  const invokeAt = int32Column(bound);
  const completeAt = int32Column(bound);
  const outcome = uint8Column(bound);
  // history position of a kept invocation -> its column (a Map would churn a million entries)
  const columnAt = int32Column(bound);
  let count = 0;
  const nemesis: Op[] = [];
  const pairing = new Pairing(shapeProblem(checker));
  for (let i = 0; i < history.length; i++) {
    const op = validateOp(checker, history[i], i);
    if (op.process === NEMESIS) {
      nemesis.push(op);
      continue;
    }
    const invoke = pairing.push(op, i);
    if (op.type === "invoke") {
      if (only !== undefined && op.f !== only) {
        columnAt[i] = -1;
        continue;
      }
      columnAt[i] = count;
      invokeAt[count] = i;
      completeAt[count] = -1;
      outcome[count] = INFO;
      count++;
    } else if (invoke !== undefined) {
      const column = columnAt[invoke.index];
      if (column < 0) continue;
      completeAt[column] = i;
      outcome[column] = op.type === "ok" ? OK : op.type === "fail" ? FAIL : INFO;
    }
  }
  return {
    count,
    invokeAt: invokeAt.subarray(0, count),
    completeAt: completeAt.subarray(0, count),
    outcome: outcome.subarray(0, count),
    nemesis,
  };
}

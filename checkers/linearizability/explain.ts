import type { Operation } from "../../src/history/pair.js";
import { UNKNOWN, show, type Model } from "./model.js";

/** An operation as explanations and reports show it: JSON-safe (no Infinity), with its text. */
export interface OpSummary extends Omit<Operation, "complete"> {
  /** History index of the completion; null when the outcome is unknown. */
  complete: number | null;
  text: string;
}

export interface Candidate {
  op: OpSummary;
  why: string;
}

/** A non-linearizable partition, explained (serializable: it crosses worker threads). */
export interface Anomaly {
  type: "nonlinearizable";
  partition: string;
  /** The longest linearizable prefix found, as op ids in linearization order. */
  linearized: number[];
  /** The model state after that prefix, in words. */
  state: string;
  /** The op with the earliest completion among those left: it must take effect before it completes. */
  stuck: OpSummary;
  /** The ops that could come next (called before `stuck` completed), and why none works. */
  candidates: Candidate[];
  text: string;
}

const CANDIDATES_MAX = 20;

export function summarize(op: Operation): OpSummary {
  const out = op.known ? show(op.output) : "? (outcome unknown)";
  const s: OpSummary = {
    id: op.id,
    process: op.process,
    f: op.f,
    value: op.value ?? null,
    output: op.known ? (op.output ?? null) : null,
    known: op.known,
    invoke: op.invoke,
    complete: Number.isFinite(op.complete) ? op.complete : null,
    text: `process ${String(op.process)} ${op.f}${op.key === undefined ? "" : ` [${op.key}]`} ${show(op.value)} -> ${out}`,
  };
  if (op.key !== undefined) s.key = op.key;
  return s;
}

/**
 * Explains why a partition is not linearizable from the best prefix the
 * search found: which op is owed next, and what each possible next op does
 * to the state at that point.
 */
export function explain<S>(model: Model<S>, name: string, ops: Operation[], order: number[], state: S): Anomaly {
  const done = new Set(order);
  const left = ops.map((_, i) => i).filter((i) => !done.has(i));
  let stuck = -1;
  for (const i of left) {
    if (ops[i].known && (stuck < 0 || ops[i].complete < ops[stuck].complete)) stuck = i;
  }
  if (stuck < 0) throw new Error(`explain(${name}): every op with a known outcome is linearized, so the partition is linearizable`);
  const deadline = ops[stuck].complete;
  const words = model.describe ? model.describe(state) : `the state is ${show(state)}`;
  const candidates: Candidate[] = [];
  for (const i of left) {
    if (ops[i].invoke > deadline || candidates.length >= CANDIDATES_MAX) continue;
    const after = model.step(state, ops[i], ops[i].known ? ops[i].output : UNKNOWN);
    const why =
      after === undefined
        ? `cannot take effect when ${words}`
        : `could take effect (then ${model.describe ? model.describe(after) : show(after)}), but no linearization of the rest follows`;
    candidates.push({ op: summarize(ops[i]), why });
  }
  const stuckSummary = summarize(ops[stuck]);
  const text = [
    `partition ${name}: not linearizable.`,
    `The longest linearizable prefix has ${order.length} of ${ops.length} operations; after it ${words}.`,
    `Next, ${stuckSummary.text} (invoked at history index ${stuckSummary.invoke}, completed at ${stuckSummary.complete}) must take effect before it completes, but no operation that could come next leads there:`,
    ...candidates.map((c) => `  - ${c.op.text}: ${c.why}`),
  ].join("\n");
  return {
    type: "nonlinearizable",
    partition: name,
    linearized: order.map((i) => ops[i].id),
    state: words,
    stuck: stuckSummary,
    candidates,
    text,
  };
}

/**
 * Plain-language explanations of a cycle's edges, shared by both workloads:
 * each gives the witness of its own dependency edges (which key, which
 * element or value); process and real-time steps are explained here.
 * Witnesses are found again rather than stored per edge: only the few
 * reported cycles need them, and a million-txn graph stays small.
 */
import { PROCESS, REALTIME } from "./graph.js";
import { invokeOp, lastOp, txnValue, type Scalar, type TxnColumns } from "./txns.js";

export interface Step {
  from: number;
  to: number;
  type: string;
  key?: Scalar;
  element?: Scalar | null;
  text: string;
}

export type Explained = {
  cycle: { op: number; process: number | string; value: unknown[] }[];
  steps: Step[];
  explanation: string;
};

/** The witness of a dependency edge u -> v of kind `label`, naming txns with `name`; undefined if none is found. */
export type Witness = (u: number, v: number, label: number, name: (t: number) => string) => Omit<Step, "from" | "to"> | undefined;

export const show = (x: unknown): string => JSON.stringify(x);

export function explainCycle(cycle: number[], labels: number[], txns: TxnColumns, witness: Witness): Explained {
  const name = (t: number): string => `T${cycle.indexOf(t) + 1}`;
  const opOf = (t: number): number => lastOp(txns, t).index;
  const steps: Step[] = [];
  for (let i = 0; i < cycle.length; i++) {
    const u = cycle[i];
    const v = cycle[(i + 1) % cycle.length];
    const step = sessionStep(u, v, labels[i], txns, name) ?? witness(u, v, labels[i], name);
    if (step === undefined) throw new Error(`elle: no witness for edge ${opOf(u)} -> ${opOf(v)} of kind ${labels[i]}`);
    steps.push({ from: opOf(u), to: opOf(v), ...step });
  }
  const lets = cycle.map((t) => `  ${name(t)} = op ${opOf(t)} (process ${invokeOp(txns, t).process}): ${show(txnValue(txns, t))}`);
  const thens = steps.map((step, i) => `  - ${name(cycle[i])} < ${name(cycle[(i + 1) % cycle.length])}, because ${step.text}.`);
  return {
    cycle: cycle.map((t) => ({ op: opOf(t), process: invokeOp(txns, t).process, value: txnValue(txns, t) })),
    steps,
    explanation: [
      "Let:",
      ...lets,
      "Then:",
      ...thens,
      `  Thus T1 < T1: a cycle, so no serial order of these txns explains what they observed.`,
    ].join("\n"),
  };
}

function sessionStep(
  u: number,
  v: number,
  label: number,
  txns: TxnColumns,
  name: (t: number) => string,
): Omit<Step, "from" | "to"> | undefined {
  if (label === PROCESS) {
    return {
      type: "process",
      text: `${name(u)} and ${name(v)} ran on process ${show(invokeOp(txns, u).process)}, ${name(u)} first (process)`,
    };
  }
  if (label === REALTIME) {
    return {
      type: "realtime",
      text: `${name(u)} completed (op ${lastOp(txns, u).index}) before ${name(v)} was invoked (op ${invokeOp(txns, v).index}) (realtime)`,
    };
  }
  return undefined;
}

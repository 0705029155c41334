/**
 * Plain-language explanations of a cycle's edges. Witnesses (which key, which
 * element) are found again here rather than stored per edge: only the few
 * reported cycles need them, and a million-txn graph stays small.
 */
import { PROCESS, REALTIME, RW, WR, WW } from "./graph.js";
import type { Orders } from "./orders.js";
import { appendTxn, invokeOp, lastOp, mopsOf, type MicroOp, type Scalar, type Txns } from "./parse.js";

export interface Step {
  from: number;
  to: number;
  type: string;
  key?: Scalar;
  element?: Scalar;
  text: string;
}

export type Explained = {
  cycle: { op: number; process: number | string; value: MicroOp[] }[];
  steps: Step[];
  explanation: string;
};

const show = (x: unknown): string => JSON.stringify(x);

export function explainCycle(cycle: number[], labels: number[], txns: Txns, orders: Orders): Explained {
  const name = (t: number): string => `T${cycle.indexOf(t) + 1}`;
  const opOf = (t: number): number => lastOp(txns, t).index;
  const steps: Step[] = [];
  for (let i = 0; i < cycle.length; i++) {
    const u = cycle[i];
    const v = cycle[(i + 1) % cycle.length];
    const step = witness(u, v, labels[i], txns, orders, name);
    steps.push({ from: opOf(u), to: opOf(v), ...step });
  }
  const lets = cycle.map((t) => `  ${name(t)} = op ${opOf(t)} (process ${invokeOp(txns, t).process}): ${show(mopsOf(txns, t))}`);
  const thens = steps.map((step, i) => `  - ${name(cycle[i])} < ${name(cycle[(i + 1) % cycle.length])}, because ${step.text}.`);
  return {
    cycle: cycle.map((t) => ({ op: opOf(t), process: invokeOp(txns, t).process, value: mopsOf(txns, t) })),
    steps,
    explanation: ["Let:", ...lets, "Then:", ...thens, `  Thus T1 < T1: a cycle, so no serial order of these txns explains what they observed.`].join("\n"),
  };
}

function writerOf(txns: Txns, key: Scalar, element: Scalar | undefined): number {
  const id = txns.keyIdOf.get(key);
  const w = id === undefined || element === undefined ? undefined : txns.keys[id].writers.get(element);
  return w === undefined ? -1 : appendTxn(w);
}

function orderOf(txns: Txns, orders: Orders, key: Scalar): Scalar[] {
  return orders[txns.keyIdOf.get(key)!];
}

function witness(u: number, v: number, label: number, txns: Txns, orders: Orders, name: (t: number) => string): Omit<Step, "from" | "to"> {
  if (label === WW) {
    for (const [f, key, element] of mopsOf(txns, u)) {
      if (f !== "append") continue;
      const order = orderOf(txns, orders, key);
      const next = order[order.indexOf(element as Scalar) + 1];
      if (order.includes(element as Scalar) && writerOf(txns, key, next) === v) {
        return { type: "ww", key, element: next, text: `${name(v)} appended ${show(next)} to key ${show(key)} right after ${name(u)}'s ${show(element)} (ww)` };
      }
    }
  }
  if (label === WR) {
    for (const [f, key, list] of mopsOf(txns, v)) {
      const read = list as Scalar[];
      if (f === "r" && read.length > 0 && writerOf(txns, key, read[read.length - 1]) === u) {
        return { type: "wr", key, element: read[read.length - 1], text: `${name(v)} read key ${show(key)} as ${show(read)}, ending in ${name(u)}'s append of ${show(read[read.length - 1])} (wr)` };
      }
    }
  }
  if (label === RW) {
    for (const [f, key, list] of mopsOf(txns, u)) {
      if (f !== "r" || list === null) continue;
      const read = list as Scalar[];
      const next = orderOf(txns, orders, key)[read.length];
      if (writerOf(txns, key, next) === v) {
        return { type: "rw", key, element: next, text: `${name(u)} read key ${show(key)} as ${show(read)}, which did not yet include ${name(v)}'s append of ${show(next)} (rw)` };
      }
    }
  }
  if (label === PROCESS) {
    return { type: "process", text: `${name(u)} and ${name(v)} ran on process ${show(invokeOp(txns, u).process)}, ${name(u)} first (process)` };
  }
  if (label === REALTIME) {
    return { type: "realtime", text: `${name(u)} completed (op ${lastOp(txns, u).index}) before ${name(v)} was invoked (op ${invokeOp(txns, v).index}) (realtime)` };
  }
  throw new Error(`elle: no witness for edge ${lastOp(txns, u).index} -> ${lastOp(txns, v).index} of kind ${label}`);
}

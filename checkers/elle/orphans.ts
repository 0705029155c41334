/**
 * Completions without an invocation, as in Elle's own histories (often only
 * :ok ops, sometimes without a :process). Each gets an invocation of its own,
 * placed at the start of the history on a process of its own: the txn then
 * overlaps every txn before it, so real time orders it only before the txns
 * invoked after it completed, which it certainly precedes. Nothing is
 * assumed about when it began.
 */
import type { Op } from "../../src/history/op.js";

/** Ops with the source line of each (ops[i] from lines[i]). */
export interface ElleSource {
  ops: Op[];
  lines: number[];
}

/** The process of an orphan's pair: its own, so it overlaps its process's other txns too. */
const orphanProcess = (op: Op, position: number): string => `${String(op.process)}@${position}`;

export function completeOrphans(source: ElleSource): ElleSource {
  const { ops, lines } = source;
  const open = new Set<unknown>();
  const orphans: number[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (op.process === "nemesis") continue;
    if (op.type === "invoke") {
      open.add(op.process);
      continue;
    }
    if (open.delete(op.process)) continue;
    orphans.push(i);
  }
  if (orphans.length === 0) return source;
  const outOps: Op[] = [];
  const outLines: number[] = [];
  const push = (op: Op, line: number): void => {
    outOps.push({ ...op, index: outOps.length });
    outLines.push(line);
  };
  const processOf = new Map<number, string>();
  for (const i of orphans) {
    const op = ops[i];
    processOf.set(i, orphanProcess(op, i));
    push({ ...op, type: "invoke", process: processOf.get(i)!, time: ops[0].time, value: invocationOf(op.value) }, lines[i]);
  }
  for (let i = 0; i < ops.length; i++) push(processOf.has(i) ? { ...ops[i], process: processOf.get(i)! } : ops[i], lines[i]);
  return { ops: outOps, lines: outLines };
}

/** The invocation of a completed txn: its micro-ops with reads unknown. */
function invocationOf(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((mop) => (Array.isArray(mop) && mop[0] === "r" ? [mop[0], mop[1], null] : mop));
}

import fc from "fast-check";
import type { History, Op } from "../../src/history/op.js";

/**
 * Concurrent histories for property tests of checkers that read real time:
 * each op runs on its own process over [start, start + span] slots, so ops
 * overlap freely, and no two events share a time (ties would make "before"
 * depend on the sort's tie-breaking rather than on the history).
 */
export interface TimedOp {
  f: string;
  value: unknown;
  type: "ok" | "fail" | "info";
  /** The completion's value. */
  out: unknown;
  startSlot: number;
  spanSlots: number;
  node?: string;
}

/** Op i's invoke and completion times: invokes at i mod 2n, completions at i + n mod 2n, so every time is distinct. */
export function opTimes(ops: readonly TimedOp[], i: number): { invoke: number; done: number } {
  const n = ops.length;
  const o = ops[i] as TimedOp;
  const invoke = o.startSlot * 2 * n + i;
  return { invoke, done: invoke + o.spanSlots * 2 * n + n };
}

/** Op a completed before op b began. */
export function precedes(ops: readonly TimedOp[], a: number, b: number): boolean {
  return opTimes(ops, a).done < opTimes(ops, b).invoke;
}

export function timedHistory(ops: readonly TimedOp[]): History {
  const events: Omit<Op, "index">[] = [];
  ops.forEach((o, i) => {
    const { invoke, done } = opTimes(ops, i);
    const node = o.node === undefined ? {} : { node: o.node };
    events.push({ time: invoke, process: i, type: "invoke", f: o.f, value: o.value, ...node });
    events.push({ time: done, process: i, type: o.type, f: o.f, value: o.out, ...node });
  });
  return events.sort((a, b) => a.time - b.time).map((e, index) => ({ ...e, index }) as Op);
}

/** When an op starts and how long it runs, in slots: short histories still overlap often. */
export const slotsArbitrary = fc.record({ startSlot: fc.nat(6), spanSlots: fc.nat(2) });

/** ok most often; info and fail are the rarer, interesting cases. */
export const outcomeArbitrary = fc.oneof(
  { weight: 5, arbitrary: fc.constant("ok" as const) },
  { weight: 1, arbitrary: fc.constant("info" as const) },
  { weight: 1, arbitrary: fc.constant("fail" as const) },
);

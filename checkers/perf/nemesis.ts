/**
 * The run's fault intervals in the perf checker's units (ms) and names, read
 * by the one rule of src/history/faults.ts.
 */
import { faultIntervals } from "../../src/history/faults.js";
import { NS_PER_MS, type Op } from "../../src/history/op.js";

export interface FaultInterval {
  name: string;
  startMs: number;
  endMs: number;
  open: boolean;
  /** history indices of the ops that began and ended it */
  startOp: number;
  endOp: number | null;
  value: unknown;
}

export function faultSpansMs(nemesis: readonly Op[], endNs: number): FaultInterval[] {
  return faultIntervals(nemesis, endNs).map((f) => ({
    name: f.kind,
    startMs: f.startNs / NS_PER_MS,
    endMs: f.endNs / NS_PER_MS,
    open: f.open,
    startOp: f.startOp,
    endOp: f.endOp,
    value: f.value,
  }));
}

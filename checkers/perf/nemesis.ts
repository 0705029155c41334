/**
 * Fault intervals from the nemesis's ops (`process: "nemesis"`, type `info`:
 * the fault is in effect once the nemesis reports it; its invocations are
 * skipped). How ops pair up:
 *   start-X ... stop-X        interval "X" (start-partition ... stop-partition)
 *   kill ... restart | start  interval "kill"
 *   pause ... resume          interval "pause"
 * A closer ends the earliest open interval of its name with an equal `value`
 * (the same target), else the earliest open one. Other nemesis ops, and
 * closers with nothing open, are instants (start = end). Intervals still open
 * at the end of the history end there, marked `open`.
 */
import type { Op } from "../../src/history/op.js";

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

const CLOSERS: Record<string, string> = { restart: "kill", start: "kill", resume: "pause" };
const OPENERS = new Set(["kill", "pause"]);

function nameOf(f: string): { opens?: string; closes?: string } {
  if (f.startsWith("start-")) return { opens: f.slice("start-".length) };
  if (f.startsWith("stop-")) return { closes: f.slice("stop-".length) };
  if (OPENERS.has(f)) return { opens: f };
  if (f in CLOSERS) return { closes: CLOSERS[f] };
  return {};
}

export function faultIntervals(nemesis: Op[], endNs: number): FaultInterval[] {
  const intervals: FaultInterval[] = [];
  const open: FaultInterval[] = [];
  for (const op of nemesis) {
    if (op.type !== "info") continue;
    const { opens, closes } = nameOf(op.f);
    const startMs = op.time / 1e6;
    if (opens !== undefined) {
      const interval = { name: opens, startMs, endMs: startMs, open: true, startOp: op.index, endOp: null, value: op.value };
      intervals.push(interval);
      open.push(interval);
      continue;
    }
    const candidates = open.filter((interval) => interval.name === closes);
    const same = JSON.stringify(op.value);
    const closing = candidates.find((interval) => JSON.stringify(interval.value) === same) ?? candidates[0];
    if (closing === undefined) {
      intervals.push({ name: op.f, startMs, endMs: startMs, open: false, startOp: op.index, endOp: op.index, value: op.value });
      continue;
    }
    closing.endMs = startMs;
    closing.open = false;
    closing.endOp = op.index;
    open.splice(open.indexOf(closing), 1);
  }
  for (const interval of open) interval.endMs = Math.max(interval.startMs, endNs / 1e6);
  return intervals;
}

import { NEMESIS } from "../history/op.js";
import type { Event } from "./history.js";

/** A stretch of time during which a fault was in force. */
export interface FaultInterval {
  /** partition, kill, pause, ... */
  kind: string;
  /** What the opening op said (its target), for hover text and the summary. */
  label: string;
  startNs: number;
  endNs: number;
  /** Never healed within the history: it runs to the history's end. */
  open: boolean;
}

/** Fault ops that are not named start-X/stop-X; each maps to [kind, opens?]. */
const NAMED: Readonly<Record<string, readonly [string, boolean]>> = {
  partition: ["partition", true],
  heal: ["partition", false],
  kill: ["kill", true],
  crash: ["kill", true],
  restart: ["kill", false],
  start: ["kill", false],
  pause: ["pause", true],
  resume: ["pause", false],
};

const LABEL_CHARS_MAX = 60;

function classify(f: string): { kind: string; opens: boolean } {
  if (f.startsWith("start-")) return { kind: f.slice(6), opens: true };
  if (f.startsWith("stop-")) return { kind: f.slice(5), opens: false };
  const named = NAMED[f];
  // An op we do not know (e.g. "clock-bump") is an instant: it opens and closes at once.
  return named ? { kind: named[0], opens: named[1] } : { kind: f, opens: true };
}

function describe(kind: string, value: unknown): string {
  if (value === undefined || value === null) return kind;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const short = text.length > LABEL_CHARS_MAX ? text.slice(0, LABEL_CHARS_MAX - 1) + "…" : text;
  return `${kind} ${short}`;
}

/**
 * Turns the nemesis ops into fault intervals. An interval runs from the first
 * event of the op that opens it to the last event of the op that closes it.
 */
export function faultIntervals(events: readonly Event[], historyEndNs: number): FaultInterval[] {
  const out: FaultInterval[] = [];
  const open = new Map<string, FaultInterval>();
  let previous: { f: string; type: string; touched: FaultInterval | undefined } | undefined;
  for (const e of events) {
    if (e.process !== NEMESIS) continue;
    // Jepsen writes a fault as an invoke plus its info completion: the completion
    // belongs to the same op and only moves the end of what the invoke closed.
    if (e.type !== "invoke" && previous?.type === "invoke" && previous.f === e.f) {
      if (previous.touched !== undefined && !previous.touched.open) previous.touched.endNs = e.time;
      previous = undefined;
      continue;
    }
    const { kind, opens } = classify(e.f);
    let touched: FaultInterval | undefined;
    if (opens && !open.has(kind)) {
      touched = { kind, label: describe(kind, e.value), startNs: e.time, endNs: e.time, open: false };
      out.push(touched);
      // Ops we know have a closer stay open until it comes; any other op is an instant.
      if (NAMED[e.f] !== undefined || e.f.startsWith("start-")) {
        touched.open = true;
        open.set(kind, touched);
      }
    } else if (!opens) {
      touched = open.get(kind);
      if (touched !== undefined) {
        touched.endNs = e.time;
        touched.open = false;
        open.delete(kind);
      }
    }
    previous = { f: e.f, type: e.type, touched };
  }
  for (const interval of open.values()) interval.endNs = Math.max(interval.startNs, historyEndNs);
  return out;
}

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

/** Ops that open a fault without the start-X naming, and the kind they open. */
const OPENERS: Readonly<Record<string, string>> = {
  partition: "partition",
  kill: "kill",
  crash: "kill",
  pause: "pause",
};

/** Ops that close faults without the stop-X naming, and the kinds each closes. */
const CLOSERS: Readonly<Record<string, readonly string[]>> = {
  restart: ["kill"],
  start: ["kill"],
  resume: ["pause"],
  heal: ["partition", "cut", "delay"],
  // The nemesis's final heal of whatever network fault is still in force.
  "heal-network": ["partition", "cut", "delay"],
};

const LABEL_CHARS_MAX = 60;

type Role = { opens: string } | { closes: readonly string[] } | { instant: string };

function classify(f: string): Role {
  if (f.startsWith("start-")) return { opens: f.slice(6) };
  if (f.startsWith("stop-")) return { closes: [f.slice(5)] };
  const opens = OPENERS[f];
  if (opens !== undefined) return { opens };
  const closes = CLOSERS[f];
  if (closes !== undefined) return { closes };
  // An op we do not know (e.g. "clock-bump") is an instant: it opens and closes at once.
  return { instant: f };
}

/** "kill nodes n2", "partition shape halves, groups [[n1],[n2,n3]]": the value without JSON's quotes. */
function describe(kind: string, value: unknown): string {
  if (value === undefined || value === null) return kind;
  const compact = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v)?.replace(/"/g, "") ?? "");
  const text =
    typeof value === "object" && !Array.isArray(value)
      ? Object.entries(value as Record<string, unknown>)
          .map(([k, v]) => `${k} ${Array.isArray(v) && v.every((x) => typeof x === "string") ? v.join(",") : compact(v)}`)
          .join(", ")
      : compact(value);
  const short = text.length > LABEL_CHARS_MAX ? text.slice(0, LABEL_CHARS_MAX - 1) + "…" : text;
  return short === "" ? kind : `${kind} ${short}`;
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
    const role = classify(e.f);
    let touched: FaultInterval | undefined;
    if ("opens" in role) {
      if (!open.has(role.opens)) {
        touched = { kind: role.opens, label: describe(role.opens, e.value), startNs: e.time, endNs: e.time, open: true };
        out.push(touched);
        open.set(role.opens, touched);
      }
    } else if ("instant" in role) {
      touched = { kind: role.instant, label: describe(role.instant, e.value), startNs: e.time, endNs: e.time, open: false };
      out.push(touched);
    } else {
      for (const kind of role.closes) {
        const interval = open.get(kind);
        if (interval === undefined) continue;
        interval.endNs = e.time;
        interval.open = false;
        open.delete(kind);
        touched = interval;
      }
    }
    previous = { f: e.f, type: e.type, touched };
  }
  for (const interval of open.values()) interval.endNs = Math.max(interval.startNs, historyEndNs);
  return out;
}

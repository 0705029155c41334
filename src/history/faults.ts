/**
 * Fault descriptors: each kind of fault in one place, as Jepsen's nemesis
 * packages describe theirs. A descriptor names the ops that open and close the
 * fault in a history (`process: "nemesis"`), and its colour in plots. The
 * nemesis (src/nemesis/) records its ops under these names; the reports, the
 * perf checker and the run's stats read intervals back with the one rule of
 * faultIntervals below. It lives with the history types so that checkers,
 * which import nothing else, can read faults too.
 */
import { NEMESIS, type Op } from "./op.js";

export interface FaultDescriptor {
  /** The interval's kind, as plots and summaries name it. */
  kind: string;
  /** Op names that put the fault in force; the first is the one our nemesis records. */
  opens: readonly string[];
  /** Op names that end it; the first is the one our nemesis records. */
  closes: readonly string[];
  /** Band colour in plots. */
  colour: string;
}

/** Ends every network fault at once (the nemesis's final heal, Jepsen's heal). */
const NETWORK_HEALS = ["heal-network", "heal"];

export const FAULT_DESCRIPTORS: readonly FaultDescriptor[] = [
  { kind: "kill", opens: ["kill", "crash", "start-kill"], closes: ["restart", "start", "stop-kill"], colour: "rgba(207,34,46,0.14)" },
  { kind: "pause", opens: ["pause", "start-pause"], closes: ["resume", "stop-pause"], colour: "rgba(191,135,0,0.18)" },
  {
    kind: "partition",
    opens: ["start-partition", "partition"],
    closes: ["stop-partition", ...NETWORK_HEALS],
    colour: "rgba(130,80,223,0.16)",
  },
  { kind: "cut", opens: ["start-cut"], closes: ["stop-cut", ...NETWORK_HEALS], colour: "rgba(130,80,223,0.16)" },
  { kind: "delay", opens: ["start-delay"], closes: ["stop-delay", ...NETWORK_HEALS], colour: "rgba(9,105,218,0.12)" },
  { kind: "membership", opens: ["remove-member"], closes: ["add-member"], colour: "rgba(26,127,55,0.14)" },
];

/** A nemesis op this table does not know: shown as an instant (e.g. a clock bump). */
export const OTHER_FAULT_COLOUR = "rgba(87,96,106,0.14)";

export function faultDescriptor(kind: string): FaultDescriptor {
  const found = FAULT_DESCRIPTORS.find((d) => d.kind === kind);
  if (found === undefined) throw new Error(`no fault descriptor for ${kind}`);
  return found;
}

export function faultColour(kind: string): string {
  return FAULT_DESCRIPTORS.find((d) => d.kind === kind)?.colour ?? OTHER_FAULT_COLOUR;
}

type Role = { opens: string } | { closes: readonly string[] } | { instant: string };

/** What a nemesis op does to intervals; start-X / stop-X of a kind not in the table open and close X. */
function roleOf(f: string): Role {
  const opened = FAULT_DESCRIPTORS.find((d) => d.opens.includes(f));
  if (opened !== undefined) return { opens: opened.kind };
  const closed = FAULT_DESCRIPTORS.filter((d) => d.closes.includes(f)).map((d) => d.kind);
  if (closed.length > 0) return { closes: closed };
  if (f.startsWith("start-")) return { opens: f.slice("start-".length) };
  if (f.startsWith("stop-")) return { closes: [f.slice("stop-".length)] };
  return { instant: f };
}

/** Whether a nemesis op puts a fault in force (for counting faults), not undoes one. */
export function opensFault(f: string): boolean {
  const role = roleOf(f);
  return "opens" in role || "instant" in role;
}

/** A stretch of time during which a fault was in force. */
export interface FaultInterval {
  kind: string;
  /** The opening op's value (its target), for labels and hover text. */
  value: unknown;
  startNs: number;
  endNs: number;
  /** Never closed within the history: it runs to the history's end. */
  open: boolean;
  /** History indices of the ops that opened and closed it (null: still open). */
  startOp: number;
  endOp: number | null;
}

/** The fields the rule reads: whole Ops, or the reports' slimmer events with their position as index. */
export type FaultEvent = Pick<Op, "process" | "type" | "f" | "time"> & { value?: unknown; index?: number };

/**
 * The one rule. A fault is in force once the nemesis reports it: only the
 * `info` completions of nemesis ops count (an invoke only says it was tried).
 * An opener starts an interval of its kind; a closer ends the earliest open
 * interval of each kind it closes whose opening value equals its own (the same
 * target), else the earliest of that kind. An op of no known role is an
 * instant; a closer with nothing open is ignored. Intervals still open at the
 * end of the history end there, marked `open`.
 */
export function faultIntervals(events: readonly FaultEvent[], historyEndNs: number): FaultInterval[] {
  const intervals: FaultInterval[] = [];
  const open: FaultInterval[] = [];
  for (const [position, e] of events.entries()) {
    if (e.process !== NEMESIS || e.type !== "info") continue;
    const index = e.index ?? position;
    const role = roleOf(e.f);
    if ("opens" in role || "instant" in role) {
      const kind = "opens" in role ? role.opens : role.instant;
      const interval: FaultInterval = {
        kind,
        value: e.value,
        startNs: e.time,
        endNs: e.time,
        open: "opens" in role,
        startOp: index,
        endOp: null,
      };
      intervals.push(interval);
      if ("opens" in role) open.push(interval);
      else interval.endOp = index;
      continue;
    }
    const same = JSON.stringify(e.value);
    for (const kind of role.closes) {
      const candidates = open.filter((interval) => interval.kind === kind);
      const closing = candidates.find((interval) => JSON.stringify(interval.value) === same) ?? candidates[0];
      if (closing === undefined) continue;
      closing.endNs = e.time;
      closing.open = false;
      closing.endOp = index;
      open.splice(open.indexOf(closing), 1);
    }
  }
  for (const interval of open) interval.endNs = Math.max(interval.startNs, historyEndNs);
  return intervals;
}

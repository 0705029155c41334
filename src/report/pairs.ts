import { NEMESIS, type Process } from "../history/op.js";
import type { Event } from "./history.js";

export type Outcome = "ok" | "fail" | "info";

/** A client operation whose completion was observed. */
export interface Completed {
  f: string;
  outcome: Outcome;
  startNs: number;
  endNs: number;
}

export interface Paired {
  /** In completion order. */
  completed: Completed[];
  invoked: number;
  /** Invokes never completed: the run ended (or crashed) first. Jepsen counts them as info. */
  pending: number;
  /** Completions with no open invoke on their process: a malformed history. */
  orphans: number;
  /** The last time seen in the history (the run's length as far as the history knows). */
  endNs: number;
}

/**
 * Matches each client invoke with the next completion on the same process, as
 * Jepsen does: a process runs one op at a time. Nemesis ops are not client ops.
 * Unlike the checkers' pairing (src/history/pair.ts), which rejects a malformed
 * history, this one counts what does not fit and goes on: a report must render
 * whatever a crashed or odd run left behind.
 */
export function pairOps(events: readonly Event[]): Paired {
  const open = new Map<Process, Event>();
  const completed: Completed[] = [];
  let invoked = 0;
  let pending = 0;
  let orphans = 0;
  let endNs = 0;
  for (const e of events) {
    if (e.time > endNs) endNs = e.time;
    if (e.process === NEMESIS) continue;
    if (e.type === "invoke") {
      invoked++;
      // A second invoke before a completion: the first one's outcome is unknown.
      if (open.has(e.process)) pending++;
      open.set(e.process, e);
      continue;
    }
    const inv = open.get(e.process);
    if (inv === undefined) {
      orphans++;
      continue;
    }
    open.delete(e.process);
    completed.push({ f: inv.f, outcome: e.type as Outcome, startNs: inv.time, endNs: e.time });
  }
  pending += open.size;
  return { completed, invoked, pending, orphans, endNs };
}

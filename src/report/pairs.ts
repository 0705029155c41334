import { NEMESIS } from "../history/op.js";
import { Pairing } from "../history/pair.js";
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
 * Pairs the run's client ops by the one pairing rule (src/history/pair.ts) in
 * its lenient mode: what does not fit is counted and goes on, since a report
 * must render whatever a crashed or odd run left behind.
 */
export function pairOps(events: readonly Event[]): Paired {
  const pairing = new Pairing<Event>();
  const completed: Completed[] = [];
  let invoked = 0;
  let endNs = 0;
  for (const [i, e] of events.entries()) {
    if (e.time > endNs) endNs = e.time;
    if (e.process !== NEMESIS && e.type === "invoke") invoked++;
    const invoke = pairing.push(e, i);
    if (invoke !== undefined) completed.push({ f: invoke.op.f, outcome: e.type as Outcome, startNs: invoke.op.time, endNs: e.time });
  }
  // An invoke cut short by its process's next one, or never completed: its outcome is unknown.
  const pending = pairing.overlapped + pairing.unfinished().length;
  return { completed, invoked, pending, orphans: pairing.orphans, endNs };
}

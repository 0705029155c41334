/**
 * Shrinks an invalid total-order history to a small one that fails for the
 * same reason: exactly the same broken properties (no fewer, and none the
 * original kept), with the witnesses the original's first example of each
 * names (its ops and its messages) kept, so they stay on the same ops.
 *
 * Two kinds of cut, each checked before it is kept:
 *   a message   its broadcast, and its every copy in every read; the seqs
 *               acknowledged past its place move down by one, so the other
 *               acknowledgements keep meaning what they meant;
 *   an op       one invocation with its completion (a broadcast, a read, an
 *               op of another f), or one nemesis op.
 * Messages go first (in halving chunks, then one by one), then ops, then
 * messages again; every check is bounded by `checksMax`.
 */
import type { History, Op } from "../../src/history/op.js";
import { pairOps } from "../perf/pairs.js";
import { checkTotalOrder, type PropertyName, type TotalOrderOptions, type TotalOrderResult } from "./index.js";
import { CHECKER, F_BROADCAST, F_FINAL_READ, F_READ } from "./parse.js";

export interface TotalOrderShrinkOptions extends TotalOrderOptions {
  /** checks of candidate histories, at most (default 2000) */
  checksMax?: number;
  /** time for the checks, at most (default 10 s): past it the smallest history so far is the answer */
  budgetMs?: number;
}

export interface TotalOrderShrunk {
  history: History;
  /** the broken properties, the original's and the shrunk history's alike */
  failed: PropertyName[];
  result: TotalOrderResult;
  opsBefore: number;
  opsAfter: number;
  checks: number;
  /** the check or time budget ran out before every cut was tried */
  exhausted: boolean;
}

/** One op of the history: a pair's invocation and completion (-1: none), or a lone nemesis op. */
interface Unit {
  at: number;
  completeAt: number;
}

/** What a candidate leaves out: units by number, messages by name. */
interface Cut {
  units: Set<number>;
  messages: Set<string>;
}

export function shrinkTotalOrder(history: History, opts: TotalOrderShrinkOptions = {}): TotalOrderShrunk {
  const original = checkTotalOrder(history, opts);
  if (original.valid !== false) throw new Error("total-order shrink: the history is not invalid; there is nothing to keep");
  const signature = original.failed.join(",");
  const units = unitsOf(history);
  const core = witnesses(original);
  const coreUnits = new Set<number>();
  units.forEach((unit, u) => {
    const op = history[unit.at];
    const completion = unit.completeAt < 0 ? undefined : history[unit.completeAt];
    const named = core.ops.has(op.index) || (completion !== undefined && core.ops.has(completion.index));
    if (named || (op.f === F_BROADCAST && core.messages.has(op.value as string))) coreUnits.add(u);
  });
  const places = placesOf(history, units);
  const messages = [...places.keys()].filter((m) => !core.messages.has(m));
  const checksMax = opts.checksMax ?? 2000;
  const deadline = Date.now() + (opts.budgetMs ?? 10_000);
  let checks = 0;
  let exhausted = false;
  let last = original;
  const fails = (cut: Cut): boolean => {
    if (checks >= checksMax || Date.now() > deadline) {
      exhausted = true;
      return false;
    }
    checks++;
    const result = checkTotalOrder(build(history, units, cut, places), opts);
    if (result.valid !== false || result.failed.join(",") !== signature) return false;
    last = result;
    return true;
  };
  let cut: Cut = { units: new Set(), messages: new Set() };
  const unitNumbers = units.map((_, u) => u).filter((u) => !coreUnits.has(u));
  cut = dropAll(cut, messages, (c, m) => c.messages.add(m), fails);
  cut = dropAll(cut, unitNumbers, (c, u) => c.units.add(u), fails);
  cut = dropAll(cut, messages, (c, m) => c.messages.add(m), fails);
  const shrunk = build(history, units, cut, places);
  // the last passing check may not have been this very cut: check it once more
  const result = cut.units.size === 0 && cut.messages.size === 0 ? original : checkTotalOrder(shrunk, opts);
  if (result.failed.join(",") !== signature) throw new Error("total-order shrink: the shrunk history lost the failure");
  last = result;
  return { history: shrunk, failed: original.failed, result: last, opsBefore: history.length, opsAfter: shrunk.length, checks, exhausted };
}

/** Greedy removal of `items` in halving chunks (ddmin without the complements), down to one at a time. */
function dropAll<T>(start: Cut, items: T[], drop: (cut: Cut, item: T) => void, fails: (cut: Cut) => boolean): Cut {
  let current = start;
  let left = items.filter((item) => !isDropped(current, item));
  for (let chunk = Math.max(1, Math.floor(left.length / 2)); chunk >= 1 && left.length > 0; chunk = Math.floor(chunk / 2)) {
    for (let i = 0; i < left.length; i += chunk) {
      const candidate: Cut = { units: new Set(current.units), messages: new Set(current.messages) };
      for (const item of left.slice(i, i + chunk)) drop(candidate, item);
      if (fails(candidate)) current = candidate;
    }
    left = left.filter((item) => !isDropped(current, item));
  }
  return current;
}

const isDropped = (cut: Cut, item: unknown): boolean => (typeof item === "number" ? cut.units.has(item) : cut.messages.has(item as string));

/** The history's ops as units: client pairs in invocation order, then nemesis ops. */
function unitsOf(history: History): Unit[] {
  const { count, invokeAt, completeAt } = pairOps(CHECKER, history);
  const units: Unit[] = [];
  for (let p = 0; p < count; p++) units.push({ at: invokeAt[p], completeAt: completeAt[p] });
  const paired = new Set<number>();
  for (const unit of units) {
    paired.add(unit.at);
    if (unit.completeAt >= 0) paired.add(unit.completeAt);
  }
  for (let i = 0; i < history.length; i++) if (!paired.has(i)) units.push({ at: i, completeAt: -1 });
  return units;
}

/** Where a message is: the unit of its broadcast (-1: none), and its place in the order (0: none). */
interface Place {
  unit: number;
  place: number;
}

/**
 * Every message the history names (broadcast, or only read), with its
 * place in the order: its acknowledged seq, else its first position in a read.
 */
function placesOf(history: History, units: Unit[]): Map<string, Place> {
  const places = new Map<string, Place>();
  units.forEach((unit, u) => {
    const op = history[unit.at];
    if (op.f !== F_BROADCAST || op.type !== "invoke" || typeof op.value !== "string") return;
    const ack = unit.completeAt < 0 ? undefined : history[unit.completeAt];
    const seq = ack?.type === "ok" ? (ack.value as { seq?: unknown } | null)?.seq : undefined;
    places.set(op.value, { unit: u, place: typeof seq === "number" ? seq : 0 });
  });
  for (const op of history) {
    if ((op.f !== F_READ && op.f !== F_FINAL_READ) || op.type !== "ok" || !Array.isArray(op.value)) continue;
    op.value.forEach((m, i) => {
      if (typeof m !== "string") return;
      const place = places.get(m);
      if (place === undefined) places.set(m, { unit: -1, place: i + 1 });
      else if (place.place === 0) place.place = i + 1;
    });
  }
  return places;
}

/** The ops and messages the first example of each broken property names. */
function witnesses(result: TotalOrderResult): { ops: Set<number>; messages: Set<string> } {
  const ops = new Set<number>();
  const messages = new Set<string>();
  for (const name of result.failed) {
    const example = result.properties[name].examples[0];
    if (example === undefined) continue;
    if (typeof example.op === "number") ops.add(example.op);
    for (const field of ["message", "otherMessage", "earlier"])
      if (typeof example[field] === "string") messages.add(example[field] as string);
  }
  return { ops, messages };
}

/**
 * The history less the cut, re-indexed. A cut message leaves every read,
 * and acknowledged seqs past its place move down by one.
 */
function build(history: History, units: Unit[], cut: Cut, places: Map<string, Place>): History {
  const skip = new Set<number>();
  const skipUnit = (u: number): void => {
    skip.add(units[u].at);
    if (units[u].completeAt >= 0) skip.add(units[u].completeAt);
  };
  for (const u of cut.units) skipUnit(u);
  // distinct: reads that disagree can put two messages at one place, and a read loses one
  // element there however many of them are cut (counting both took seq 2 down to 0)
  const cutPlaces = new Set<number>();
  for (const message of cut.messages) {
    const { unit, place } = places.get(message)!;
    if (unit >= 0) skipUnit(unit);
    if (place > 0) cutPlaces.add(place);
  }
  const distinctPlaces = [...cutPlaces];
  const out: Op[] = [];
  for (let i = 0; i < history.length; i++) {
    if (skip.has(i)) continue;
    const op = history[i];
    let value = op.value;
    if ((op.f === F_READ || op.f === F_FINAL_READ) && op.type === "ok" && Array.isArray(value) && cut.messages.size > 0) {
      value = value.filter((m) => !cut.messages.has(m as string));
    } else if (op.f === F_BROADCAST && op.type === "ok" && cutPlaces.size > 0) {
      const seq = (value as { seq?: unknown } | null)?.seq;
      // distinct places below seq are at most seq - 1 of them: the seq stays positive
      const below = typeof seq === "number" ? distinctPlaces.filter((place) => place < seq).length : 0;
      if (below > 0) value = { ...(value as object), seq: (seq as number) - below };
    }
    out.push({ ...op, index: out.length, value });
  }
  return out;
}

/** Witnesses of list-append dependency edges, for ./explain.ts. */
import { RW, WR, WW } from "./graph.js";
import type { Orders } from "./orders.js";
import { appendElementAt, mopsOf, type Txns } from "./parse.js";
import { show, type Witness } from "./explain.js";
import type { Scalar } from "./txns.js";

export function appendWitness(txns: Txns, orders: Orders): Witness {
  // a scan of the key's appends: only the few reported cycles ask
  const writerOf = (key: Scalar, element: Scalar | undefined): number => {
    const id = txns.keyIdOf.get(key);
    if (id === undefined || element === undefined) return -1;
    for (let a = txns.appendStart[id]; a < txns.appendStart[id + 1]; a++)
      if (appendElementAt(txns, a) === element) return txns.appendTxn[a];
    return -1;
  };
  const orderOf = (key: Scalar): Scalar[] => orders[txns.keyIdOf.get(key)!];
  const appendedBy = (t: number, key: Scalar): Scalar[] =>
    mopsOf(txns, t)
      .filter(([f, k]) => f === "append" && k === key)
      .map((mop) => mop[2] as Scalar);
  return (u, v, label, name) => {
    if (label === WW) {
      for (const [f, key, element] of mopsOf(txns, u)) {
        if (f !== "append") continue;
        const order = orderOf(key);
        const at = order.indexOf(element as Scalar);
        const next = order[at + 1];
        if (at >= 0 && writerOf(key, next) === v) {
          return {
            type: "ww",
            key,
            element: next,
            text: `${name(v)} appended ${show(next)} to key ${show(key)} right after ${name(u)}'s ${show(element)} (ww)`,
          };
        }
        const unshown = at === order.length - 1 ? appendedBy(v, key).find((e) => !order.includes(e)) : undefined;
        if (unshown !== undefined) {
          return {
            type: "ww",
            key,
            element: unshown,
            text: `${name(v)} appended ${show(unshown)} to key ${show(key)}, which no read shows, so after ${name(u)}'s ${show(element)}, the last element any read shows (ww)`,
          };
        }
      }
    }
    if (label === WR) {
      for (const [f, key, list] of mopsOf(txns, v)) {
        if (f !== "r") continue;
        const read = list as Scalar[];
        const last = lastVersion(read);
        if (last === undefined || writerOf(key, last) !== u) continue;
        const ending = last === read[read.length - 1] ? "ending in" : "whose last element not repeated from before it is";
        return {
          type: "wr",
          key,
          element: last,
          text: `${name(v)} read key ${show(key)} as ${show(read)}, ${ending} ${name(u)}'s append of ${show(last)} (wr)`,
        };
      }
    }
    if (label === RW) {
      for (const [f, key, list] of mopsOf(txns, u)) {
        if (f !== "r" || list === null) continue;
        const read = list as Scalar[];
        const missing = appendedBy(v, key).find((e) => !read.includes(e));
        if (missing !== undefined) {
          return {
            type: "rw",
            key,
            element: missing,
            text: `${name(u)} read key ${show(key)} as ${show(read)}, which did not yet include ${name(v)}'s append of ${show(missing)} (rw)`,
          };
        }
      }
    }
    return undefined;
  };
}

/**
 * The last version a read shows: its last element, or, when the read repeats
 * elements, the last one not seen earlier in it (./orders.ts drops repeats,
 * reported as duplicate-elements, before it derives the read's wr edge).
 */
function lastVersion(read: Scalar[]): Scalar | undefined {
  const seen = new Set<Scalar>();
  let last: Scalar | undefined;
  for (const element of read) {
    if (seen.has(element)) continue;
    seen.add(element);
    last = element;
  }
  return last;
}

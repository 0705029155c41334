/** Witnesses of rw-register dependency edges, for ./explain.ts. */
import { RW, WR, WW } from "./graph.js";
import { show, type Witness } from "./explain.js";
import { isIntermediate, registerOpsOf, registerWriter, type RegisterTxns } from "./register.js";
import type { Scalar } from "./txns.js";

export function registerWitness(txns: RegisterTxns): Witness {
  /** the external read of each key by txn t */
  const externalReads = (t: number): [Scalar, Scalar | null][] => {
    const touched = new Set<Scalar>();
    const reads: [Scalar, Scalar | null][] = [];
    for (const [f, k, v] of registerOpsOf(txns, t)) {
      if (f === "r" && !touched.has(k)) reads.push([k, v]);
      touched.add(k);
    }
    return reads;
  };
  const versionWriter = (key: Scalar, value: Scalar): number => {
    const packed = txns.keys[txns.keyIdOf.get(key)!].writers.get(value);
    return packed === undefined || isIntermediate(packed) ? -1 : registerWriter(packed);
  };
  const finalWrite = (t: number, key: Scalar): Scalar | null | undefined =>
    registerOpsOf(txns, t)
      .filter(([f, k]) => f === "w" && k === key)
      .at(-1)?.[2];
  return (u, v, label, name) => {
    if (label === WR) {
      for (const [key, value] of externalReads(v)) {
        if (value !== null && versionWriter(key, value) === u) {
          return {
            type: "wr",
            key,
            element: value,
            text: `${name(v)} read key ${show(key)} = ${show(value)}, which ${name(u)} wrote (wr)`,
          };
        }
      }
    }
    if (label === WW) {
      for (const [key, value] of externalReads(v)) {
        const written = finalWrite(v, key);
        if (value !== null && written !== undefined && versionWriter(key, value) === u) {
          return {
            type: "ww",
            key,
            element: written,
            text: `${name(v)} read key ${show(key)} = ${show(value)}, which ${name(u)} wrote, then wrote ${show(written)} over it (ww)`,
          };
        }
      }
    }
    if (label === RW) {
      for (const [key, value] of externalReads(u)) {
        const written = finalWrite(v, key);
        if (written === undefined) continue;
        if (value === null) {
          return {
            type: "rw",
            key,
            element: written,
            text: `${name(u)} read key ${show(key)} = null, the initial state, which ${name(v)}'s write of ${show(written)} replaced (rw)`,
          };
        }
        if (externalReads(v).some(([k, seen]) => k === key && seen === value)) {
          return {
            type: "rw",
            key,
            element: written,
            text: `${name(u)} read key ${show(key)} = ${show(value)}, which ${name(v)} also read and then overwrote with ${show(written)} (rw)`,
          };
        }
      }
    }
    return undefined;
  };
}

/** Witnesses of rw-register dependency edges, for ./explain.ts. */
import { RW, WR } from "./graph.js";
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
  return (u, v, label, name) => {
    if (label === WR) {
      for (const [key, value] of externalReads(v)) {
        if (value !== null && versionWriter(key, value) === u) {
          return { type: "wr", key, element: value, text: `${name(v)} read key ${show(key)} = ${show(value)}, which ${name(u)} wrote (wr)` };
        }
      }
    }
    if (label === RW) {
      for (const [key, value] of externalReads(u)) {
        if (value !== null) continue;
        const written = registerOpsOf(txns, v).filter(([f, k]) => f === "w" && k === key).at(-1);
        if (written !== undefined) {
          return { type: "rw", key, element: written[2], text: `${name(u)} read key ${show(key)} = null, the initial state, which ${name(v)}'s write of ${show(written[2])} replaced (rw)` };
        }
      }
    }
    return undefined;
  };
}

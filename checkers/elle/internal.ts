/**
 * Internal consistency of one committed list-append txn: what each of its
 * reads must show of its own micro-ops.
 *
 * Walking the txn, per key, we know either the whole list (after a read: that
 * read plus the appends since) or only its tail (before any read: the
 * appends so far, which must end the list). A read that differs is
 * "internal". A read that shows an element the txn appends only later is a
 * "future-read" (Elle's name; a trivial wr cycle T -> T, so it implies G1c).
 * Both are reported when both hold: each is a separate fact.
 */
import type { Anomalies } from "./anomalies.js";
import type { MicroOp, Scalar } from "./parse.js";

const show = (x: unknown): string => JSON.stringify(x);

export function checkInternal(mops: MicroOp[], op: number, anomalies: Anomalies): void {
  for (let j = 0; j < mops.length; j++) {
    if (mops[j][0] !== "r") continue;
    const k = mops[j][1];
    const seen = mops[j][2] as Scalar[];
    futureRead(mops, j, k, seen, op, anomalies);
    const appended: Scalar[] = [];
    let prior: Scalar[] | undefined;
    for (let i = j - 1; i >= 0 && prior === undefined; i--) {
      if (mops[i][1] !== k) continue;
      if (mops[i][0] === "append") appended.unshift(mops[i][2] as Scalar);
      else prior = mops[i][2] as Scalar[];
    }
    if (prior === undefined && appended.length === 0) continue; // the key's first touch: nothing known yet
    const expected = prior === undefined ? appended : [...prior, ...appended];
    const offset = prior === undefined ? seen.length - appended.length : 0;
    const consistent =
      (prior === undefined ? offset >= 0 : seen.length === expected.length) && expected.every((x, i) => seen[offset + i] === x);
    if (consistent) continue;
    anomalies.add("internal", () => ({
      op,
      mop: j,
      key: k,
      expected: prior === undefined ? ["...", ...appended] : expected,
      actual: seen,
      explanation: `op ${op} read key ${show(k)} as ${show(seen)}, but its own earlier micro-ops imply ${prior === undefined ? `a list ending in ${show(appended)}` : show(expected)}`,
    }));
  }
}

/** Reports the first element of `seen` that the txn appends to `k` after micro-op j. */
function futureRead(mops: MicroOp[], j: number, k: Scalar, seen: Scalar[], op: number, anomalies: Anomalies): void {
  for (let i = j + 1; i < mops.length; i++) {
    if (mops[i][0] !== "append" || mops[i][1] !== k) continue;
    const element = mops[i][2] as Scalar;
    if (!seen.includes(element)) continue;
    anomalies.add("future-read", () => ({
      op,
      mop: j,
      key: k,
      element,
      read: seen,
      explanation: `op ${op} read key ${show(k)} as ${show(seen)} in micro-op ${j}, which includes ${show(element)}, an element that op itself appends only later (micro-op ${i})`,
    }));
    return;
  }
}

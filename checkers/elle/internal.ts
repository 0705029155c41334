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
    // the key's last read before j (-1: none) and how many appends to it came since; a million
    // txns check here, so nothing is allocated unless there is something to report
    let priorAt = -1;
    let appendedCount = 0;
    for (let i = j - 1; i >= 0 && priorAt < 0; i--) {
      if (mops[i][1] !== k) continue;
      if (mops[i][0] === "append") appendedCount++;
      else priorAt = i;
    }
    if (priorAt < 0 && appendedCount === 0) continue; // the key's first touch: nothing known yet
    if (!agrees(mops, j, k, seen, priorAt, appendedCount)) reportInternal(mops, j, k, seen, priorAt, op, anomalies);
  }
}

/**
 * Whether read j of key k shows the prior read (at priorAt) followed by the
 * appends since, exactly; or, with no prior read, ends in those appends.
 */
function agrees(mops: MicroOp[], j: number, k: Scalar, seen: Scalar[], priorAt: number, appendedCount: number): boolean {
  let at = 0;
  if (priorAt >= 0) {
    const prior = mops[priorAt][2] as Scalar[];
    if (seen.length !== prior.length + appendedCount) return false;
    for (; at < prior.length; at++) if (seen[at] !== prior[at]) return false;
  } else {
    at = seen.length - appendedCount;
    if (at < 0) return false;
  }
  for (let i = priorAt + 1; i < j; i++) {
    if (mops[i][1] !== k || mops[i][0] !== "append") continue;
    if (seen[at++] !== mops[i][2]) return false;
  }
  return true;
}

function reportInternal(mops: MicroOp[], j: number, k: Scalar, seen: Scalar[], priorAt: number, op: number, anomalies: Anomalies): void {
  anomalies.add("internal", () => {
    const appended: Scalar[] = [];
    for (let i = priorAt + 1; i < j; i++) if (mops[i][1] === k && mops[i][0] === "append") appended.push(mops[i][2] as Scalar);
    const prior = priorAt < 0 ? undefined : (mops[priorAt][2] as Scalar[]);
    const expected = prior === undefined ? ["...", ...appended] : [...prior, ...appended];
    return {
      op,
      mop: j,
      key: k,
      expected,
      actual: seen,
      explanation: `op ${op} read key ${show(k)} as ${show(seen)}, but its own earlier micro-ops imply ${prior === undefined ? `a list ending in ${show(appended)}` : show(expected)}`,
    };
  });
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

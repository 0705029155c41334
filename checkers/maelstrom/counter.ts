/**
 * Read bounds of g-counter and pn-counter (after Maelstrom's pn-counter
 * checker). A read may reflect any subset of the adds invoked before it
 * completed (eventual consistency gives no lower bound but the negatives), so
 * it must lie in [sum of their negative deltas, sum of their positive ones].
 * A final read, on a quiet cluster, must count every acknowledged add: it lies
 * in [sum(ok) + negative info deltas, sum(ok) + positive info deltas].
 * Failed adds certainly did not happen and count in neither.
 */
import type { Checker, CheckResult } from "../checker.js";
import { F_FINAL_READ, pairs, sample } from "./ops.js";

interface Bad {
  index: number;
  node: string | undefined;
  value: unknown;
  bounds: [number, number];
  final: boolean;
}

export function counterChecker(name: string): Checker {
  return {
    name,
    async check(history): Promise<CheckResult> {
      const ops = pairs(name, history);
      const adds = ops.filter((p) => p.f === "add" && p.type !== "fail" && typeof p.invoke.value === "number");
      const reads = ops.filter((p) => (p.f === "read" || p.f === F_FINAL_READ) && p.type === "ok" && p.done);
      // Adds by invoke time, with running sums of negatives and positives, for the ordinary reads' bounds.
      const byInvoke = [...adds].sort((a, b) => a.invoke.time - b.invoke.time);
      const negPrefix = [0];
      const posPrefix = [0];
      for (const a of byInvoke) {
        const d = a.invoke.value as number;
        negPrefix.push((negPrefix.at(-1) as number) + Math.min(d, 0));
        posPrefix.push((posPrefix.at(-1) as number) + Math.max(d, 0));
      }
      let okSum = 0;
      let infoNeg = 0;
      let infoPos = 0;
      for (const a of adds) {
        const d = a.invoke.value as number;
        if (a.type === "ok") okSum += d;
        else if (d < 0) infoNeg += d;
        else infoPos += d;
      }
      const finalBounds: [number, number] = [okSum + infoNeg, okSum + infoPos];
      const bad: Bad[] = [];
      const finals: Record<string, unknown> = {};
      for (const r of reads) {
        const done = r.done as NonNullable<typeof r.done>;
        const final = r.f === F_FINAL_READ;
        let bounds: [number, number];
        if (final) {
          bounds = finalBounds;
          finals[r.invoke.node ?? "?"] = done.value;
        } else {
          const n = upperBound(byInvoke, done.time);
          bounds = [negPrefix[n] as number, posPrefix[n] as number];
        }
        const v = done.value;
        if (typeof v !== "number" || v < bounds[0] || v > bounds[1])
          bad.push({ index: done.index, node: r.invoke.node, value: v, bounds, final });
      }
      const finalsAsked = ops.filter((p) => p.f === F_FINAL_READ).length;
      const finalsRead = Object.keys(finals).length;
      return {
        valid: bad.length > 0 ? false : finalsRead === 0 || finalsRead < finalsAsked ? "unknown" : true,
        reads: reads.length,
        "acknowledged-sum": okSum,
        "final-bounds": finalBounds,
        "final-reads": finals,
        "out-of-bounds-count": bad.length,
        "out-of-bounds": sample(bad),
      };
    },
  };
}

/** How many adds were invoked at or before `timeNs` (adds sorted by invoke time). */
function upperBound(adds: readonly { invoke: { time: number } }[], timeNs: number): number {
  let lo = 0;
  let hi = adds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((adds[mid] as { invoke: { time: number } }).invoke.time <= timeNs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

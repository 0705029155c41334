/**
 * Liveness after the faults: once the nemesis has healed everything, a quiet
 * recovery phase runs, and some client op invoked in it must succeed. A cluster
 * that stays safe by never answering again is not working.
 */
import type { Checker, CheckResult } from "../../checkers/checker.js";
import { faultIntervals } from "../history/faults.js";
import { NEMESIS } from "../history/op.js";

export const recoveryChecker: Checker = {
  name: "recovery",
  async check(history): Promise<CheckResult> {
    const nemesisOps = history.filter((op) => op.process === NEMESIS);
    const last = nemesisOps.at(-1);
    // The one rule of when a fault is in force (src/history/faults.ts): none may be at the end.
    const inForce = faultIntervals(history, history.at(-1)?.time ?? 0).find((interval) => interval.open);
    if (inForce)
      return { valid: "unknown", reason: `the history ends with ${inForce.kind} in force: the run stopped before its final heal` };
    const lastFaultNs = last?.time ?? -1;
    const invokedAt = new Map<string | number, number>();
    let okAfter = 0;
    let invokedAfter = 0;
    let firstOkNs: number | null = null;
    for (const op of history) {
      if (op.process === NEMESIS) continue;
      if (op.type === "invoke") {
        invokedAt.set(op.process, op.time);
        if (op.time > lastFaultNs) invokedAfter++;
      } else if (op.type === "ok" && (invokedAt.get(op.process) ?? -1) > lastFaultNs) {
        okAfter++;
        firstOkNs ??= op.time;
      }
    }
    if (invokedAfter === 0) return { valid: "unknown", reason: "no client op was invoked after the last fault was healed" };
    return {
      valid: okAfter > 0,
      "ops-after-heal": invokedAfter,
      "ok-after-heal": okAfter,
      "recovery-ms": firstOkNs === null || lastFaultNs < 0 ? null : Math.round((firstOkNs - lastFaultNs) / 1e6),
      ...(okAfter === 0 ? { "anomaly-types": ["no-recovery"] } : {}),
    };
  },
};

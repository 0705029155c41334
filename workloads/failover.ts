/**
 * failover: steady writes (and some reads) on one key while the leader is
 * killed again and again. Beside linearizability it measures each
 * unavailability window: from a leader kill to the first write acknowledged
 * after it, which is what a user of the cluster waits through.
 */
import type { Checker, CheckResult } from "../checkers/checker.js";
import { NEMESIS, NS_PER_MS } from "../src/history/op.js";
import { source } from "../src/controller/generator.js";
import { nextFloat } from "../src/rng.js";
import { registerChecker, registerClient } from "./register-client.js";
import type { Workload } from "./workload.js";

const READ_FRACTION = 0.2;

export const failover: Workload = {
  name: "failover",
  description: "steady writes while the leader is killed repeatedly; unavailability windows and linearizability",
  requires: ["get", "put"],
  defaultNemesis: ["kill-leader"],
  make(opts) {
    const generator = source<number>(0, opts.seed, (n, rng0) => {
      const [f, rng] = nextFloat(rng0);
      const body = f < READ_FRACTION ? { f: "read", key: "failover", value: null } : { f: "write", key: "failover", value: n };
      return [body, n + 1, rng];
    });
    return { generator, final: null, invoke: registerClient(opts.readConsistency), checkers: [registerChecker(), unavailabilityChecker] };
  },
};

/**
 * For each kill, the time until the next acknowledged write invoked after it.
 * A kill never followed by one means the cluster did not recover: invalid.
 */
const unavailabilityChecker: Checker = {
  name: "unavailability",
  async check(history): Promise<CheckResult> {
    const kills = history.filter((op) => op.process === NEMESIS && op.f === "kill" && op.type === "invoke").map((op) => op.time);
    const invokedAt = new Map<string | number, number>();
    const acks: { invokeNs: number; okNs: number }[] = [];
    for (const op of history) {
      if (op.process === NEMESIS || op.f !== "write") continue;
      if (op.type === "invoke") invokedAt.set(op.process, op.time);
      else if (op.type === "ok") acks.push({ invokeNs: invokedAt.get(op.process) ?? op.time, okNs: op.time });
    }
    const windowsMs: number[] = [];
    let unrecovered = 0;
    for (const killNs of kills) {
      const first = acks.filter((a) => a.invokeNs >= killNs).reduce((min, a) => Math.min(min, a.okNs), Infinity);
      if (first === Infinity) unrecovered++;
      else windowsMs.push(Math.round((first - killNs) / NS_PER_MS));
    }
    const sorted = [...windowsMs].sort((a, b) => a - b);
    return {
      valid: unrecovered === 0,
      kills: kills.length,
      "windows-ms": windowsMs,
      "max-ms": sorted.at(-1) ?? null,
      "median-ms": sorted.length ? sorted[Math.floor(sorted.length / 2)] : null,
      unrecovered,
      ...(unrecovered ? { "anomaly-types": ["no-recovery"] } : {}),
    };
  },
};

/**
 * The client mapping shared by register-like workloads (register, kv, failover,
 * unique): read/write/cas ops onto get/put/cas. A cas whose compare did not
 * match certainly did not happen, so it is recorded as `fail`, as Jepsen does.
 */
import type { Checker } from "../checkers/checker.js";
import type { ClusterClient, ReadConsistency } from "../clusters/cluster.js";
import type { OpRequest } from "../src/controller/generator.js";
import { linearizable } from "./checks.js";
import { fromWire, toWire } from "./values.js";
import { completion, type Completion } from "./workload.js";

export function registerClient(consistency: ReadConsistency | undefined) {
  return async (client: ClusterClient, op: OpRequest): Promise<Completion> => {
    const key = op.key as string;
    switch (op.f) {
      case "read":
        return completion(await client.get(key, consistency), (v) => fromWire(v));
      case "write":
        return completion(await client.put(key, toWire(op.value as number) as string), () => op.value);
      case "cas": {
        const [from, to] = op.value as [number | null, number | string];
        const out = await client.cas(key, toWire(from as number | null), String(to));
        if (out.type === "ok" && !out.value.ok) return { type: "fail", value: op.value, error: "cas-mismatch" };
        return completion(out, () => op.value);
      }
      default:
        throw new Error(`register client: unknown f ${op.f}`);
    }
  };
}

/**
 * Per-key linearizability with the register model: absent keys read as nil and
 * a nil read must be explained like any other (stricter than cas-register,
 * whose nil reads are free and would hide a stale read of an absent key).
 */
export function registerChecker(): Checker {
  return linearizable("register", ["read", "write", "cas"]);
}

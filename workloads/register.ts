/**
 * register: read, write and cas on a sliding window of keys, checked key by
 * key for linearizability.
 *
 * Tuned to make a stale read visible (`tob bench detect --bug stale-reads`):
 * - every write and cas writes a value never written before, so a read that
 *   returns an old value can never pass for the current one (with a handful of
 *   values, one stale read in a few did), and the search stays cheap;
 * - a cas compares with the last value this run saw on the key, so it usually
 *   matches and cas still contends;
 * - reads go to the nodes in turn rather than to the process's own node, so
 *   whichever node a partition cuts off keeps serving its share of reads even
 *   when the clients bound to it are stuck in writes.
 */
import type { Op } from "../src/history/op.js";
import { source } from "../src/controller/generator.js";
import { pickWeighted } from "../src/rng.js";
import { windowKey, type KeyWindow } from "./keys.js";
import { registerChecker, registerClient } from "./register-client.js";
import type { Workload } from "./workload.js";

const WINDOW: KeyWindow = { prefix: "r", width: 4, opsPerKey: 60 };
const FS = ["read", "write", "cas"] as const;
const WEIGHTS = [2, 1, 1];
/** Keys whose last value is remembered: the window's, and some behind it. */
const SEEN_MAX = WINDOW.width * 4;

interface State {
  n: number;
  /** The last value seen on each recent key (read, written or swapped in). */
  seen: ReadonlyMap<string, number | null>;
}

export const register: Workload = {
  name: "register",
  description: "read/write/cas of unique values on a sliding window of keys, reads spread over the nodes; per-key linearizability",
  requires: ["get", "put", "cas"],
  defaultNemesis: ["kill", "partition"],
  make(opts) {
    const generator = source<State>(
      { n: 0, seen: new Map() },
      opts.seed,
      (s, rng0, _process, ctx) => {
        let [i, rng] = pickWeighted(rng0, WEIGHTS);
        let key: string;
        [key, rng] = windowKey(WINDOW, s.n, rng);
        const f = FS[i] as (typeof FS)[number];
        // Values are the op counter: unique run-wide.
        const value = f === "read" ? null : f === "write" ? s.n : [s.seen.get(key) ?? null, s.n];
        const node = f === "read" ? ctx.nodes[s.n % ctx.nodes.length] : undefined;
        return [{ f, key, value, ...(node ? { node } : {}) }, { ...s, n: s.n + 1 }, rng];
      },
      remember,
    );
    return { generator, final: null, invoke: registerClient(opts.readConsistency), checkers: [registerChecker()] };
  },
};

function remember(s: State, op: Op): State {
  if (op.type !== "ok" || op.key === undefined) return s;
  const value = op.f === "cas" ? (op.value as [unknown, number])[1] : (op.value as number | null);
  const seen = new Map(s.seen);
  seen.delete(op.key);
  seen.set(op.key, typeof value === "number" ? value : null);
  if (seen.size > SEEN_MAX) seen.delete(seen.keys().next().value as string);
  return { ...s, seen };
}

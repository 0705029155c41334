import type { Process } from "../../../src/history/op.js";
import type { Operation } from "../../../src/history/pair.js";
import { UNKNOWN, show, unknownF, type Model, type ModelSpec } from "../model.js";

interface Lock {
  holder: Process | null;
  /** The holder's token; null when it was granted with an unknown outcome. */
  token: number | null;
  /** The highest token granted so far: tokens only grow. */
  max: number;
}

/** A token from an acquire's or release's value: a number, or {token}. */
function tokenOf(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (v !== null && typeof v === "object" && typeof (v as { token?: unknown }).token === "number") return (v as { token: number }).token;
  return undefined;
}

/**
 * A lock with fencing tokens: acquire is legal iff the lock is free and its
 * token exceeds every earlier one; release iff the same process holds it
 * (with the same token, when both are known).
 */
export const fencing: ModelSpec = {
  name: "fencing",
  summary: "a lock whose acquire returns a fencing token that must grow; release by the holder",
  make(): Model<Lock> {
    return {
      name: "fencing",
      init: () => ({ holder: null, token: null, max: -Infinity }),
      validate: (op: Operation) =>
        op.f === "acquire" || op.f === "release" ? undefined : unknownF("fencing", "acquire and release", op.f),
      step(s, op, out) {
        if (op.f === "acquire") {
          if (s.holder !== null) return undefined;
          const token = out === UNKNOWN ? undefined : tokenOf(out);
          if (token === undefined) return { holder: op.process, token: null, max: s.max };
          return token > s.max ? { holder: op.process, token, max: token } : undefined;
        }
        if (s.holder !== op.process) return undefined;
        const token = tokenOf(op.value);
        if (token !== undefined && s.token !== null && token !== s.token) return undefined;
        return { holder: null, token: null, max: s.max };
      },
      hash: (s) => JSON.stringify([s.holder, s.token, s.max === -Infinity ? null : s.max]),
      describe: (s) =>
        (s.holder === null ? "the lock is free" : `process ${String(s.holder)} holds the lock (token ${show(s.token)})`) +
        (s.max === -Infinity ? "" : `; the highest token so far is ${s.max}`),
    };
  },
};

/**
 * Deliberate bugs, switched on with `--bug NAME`, so that every checker can be
 * shown to catch a real failure end to end (and detection power measured:
 * `tob bench detect`). Each is the mistake a real implementation makes; the
 * node calls the hooks below at the one point where each acts. Absent flags,
 * every hook is the identity.
 */
import type { Entry } from "../core/types.js";
import { decodeCommand, type Command, type TxnOp } from "../state/commands.js";
import type { ApplyResult } from "../state/machine.js";
import type { ProposeOutcome } from "./proposals.js";

export const BUG_ABOUT = {
  "stale-reads": "linearizable reads skip the quorum round: any node answers from its own state",
  "ack-before-quorum": "a put is acknowledged once in the leader's own log, before a quorum holds it",
  "no-term-check": "a voter grants every up-to-date candidate of its term: two leaders in one term",
  "reorder-delivery": "a follower delivers two broadcasts of one committed batch in swapped order",
  "lost-broadcast": "a leader that steps down acknowledges its pending broadcasts, which are then lost",
  "split-txn": "a transaction's micro-ops after its first append are applied as a second log entry",
  "unfenced-lock": "a lock's token is the term, not the log index: grants in one term share a token",
  "duplicate-claim": "a compare-and-set is compared on the leader's state at proposal, then written unconditionally",
} as const;

export type Bug = keyof typeof BUG_ABOUT;
export const BUGS = Object.keys(BUG_ABOUT) as Bug[];

/** An answer a buggy leader gives on its own: when it gives it, and what it says. */
export interface BugAck {
  when: "appended" | "stepped-down";
  result: ApplyResult;
}

/** ack-before-quorum and lost-broadcast: the early answer for a proposal, if a bug gives one. */
export function bugAck(bugs: readonly Bug[], cmd: Command, index: number, term: number): BugAck | null {
  if (cmd.op === "put" && bugs.includes("ack-before-quorum")) return { when: "appended", result: { op: "put", index } };
  // The seq is a guess (the entry's index): the broadcast is acknowledged without being delivered.
  if (cmd.op === "bcast" && bugs.includes("lost-broadcast"))
    return { when: "stepped-down", result: { op: "bcast", seq: index, index, term } };
  return null;
}

/**
 * reorder-delivery: on a follower, the first two broadcasts of a committed
 * batch are applied in swapped order (as if applied concurrently). The entries
 * keep their indexes; only the messages change places, so only delivery order
 * is wrong. The core's entries are never mutated.
 */
export function applyOrder(bugs: readonly Bug[], isLeader: boolean, committed: readonly Entry[]): readonly Entry[] {
  if (isLeader || !bugs.includes("reorder-delivery")) return committed;
  const at: number[] = [];
  for (let i = 0; i < committed.length && at.length < 2; i++) if (isBroadcast(committed[i] as Entry)) at.push(i);
  if (at.length < 2) return committed;
  const [a, b] = at as [number, number];
  const out = [...committed];
  out[a] = { ...(committed[a] as Entry), data: (committed[b] as Entry).data };
  out[b] = { ...(committed[b] as Entry), data: (committed[a] as Entry).data };
  return out;
}

function isBroadcast(e: Entry): boolean {
  if (e.type !== "normal") return false;
  try {
    return decodeCommand(e.data).op === "bcast";
  } catch {
    return false;
  }
}

/** unfenced-lock: the token a grant carries (correct: the acquiring entry's index, which only grows). */
export function lockToken(bugs: readonly Bug[], index: number, term: number): number {
  return bugs.includes("unfenced-lock") ? term : index;
}

/**
 * split-txn: the micro-ops up to the first append go in one entry and the
 * rest in a second, proposed once the first applied; others' entries may land
 * between the two. A txn with nothing after its first append is proposed whole.
 */
export function splitTxn(ops: TxnOp[], propose: (cmd: Command) => Promise<ProposeOutcome>): Promise<ProposeOutcome> {
  const cut = ops.findIndex((op) => op[0] === "append") + 1;
  if (cut <= 0 || cut >= ops.length) return propose({ op: "txn", ops });
  return propose({ op: "txn", ops: ops.slice(0, cut) }).then(async (first) => {
    if (first.kind !== "applied" || first.result.op !== "txn") return first;
    const second = await propose({ op: "txn", ops: ops.slice(cut) });
    // Half applied: the only honest answer left is "unknown".
    if (second.kind !== "applied" || second.result.op !== "txn") return { kind: "timeout" };
    return { kind: "applied", result: { op: "txn", ops: [...first.result.ops, ...second.result.ops] } };
  });
}

/**
 * duplicate-claim: compare on the leader's applied state when the request
 * arrives, then propose a plain put: two claims racing for one name both see
 * it free and both win.
 */
export function uncheckedCas(
  cas: { key: string; from: string | null; to: string },
  current: (key: string) => string | null,
  propose: (cmd: Command) => Promise<ProposeOutcome>,
): Promise<ProposeOutcome> {
  const seen = current(cas.key);
  if (seen !== cas.from) return Promise.resolve({ kind: "applied", result: { op: "cas", ok: false, value: seen } });
  return propose({ op: "put", key: cas.key, value: cas.to }).then((o) =>
    o.kind === "applied" ? { kind: "applied", result: { op: "cas", ok: true } } : o,
  );
}

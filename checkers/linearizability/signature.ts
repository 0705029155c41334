import type { Operation } from "../../src/history/pair.js";
import type { Anomaly } from "./explain.js";
import { UNKNOWN, type Model } from "./model.js";
import { partitionInitial, type Partition } from "./partition.js";
import { Search } from "./search.js";

/**
 * Why a history is not linearizable, in terms that survive shrinking: the op
 * that gets stuck, and the kind of failure.
 * - "order": some state this history produces (or one op away from one)
 *   lets the stuck op take effect, just not at a point real time allows: a
 *   stale read, a lost update.
 * - "value": no such state lets it take effect at all: a read of a value
 *   nothing wrote, a cas whose expected value never existed.
 * A shrunk counterexample keeps the original's signature: the same stuck op,
 * the same kind.
 */
export interface FailureSignature {
  partition: string;
  stuckOp: number;
  kind: "order" | "value";
}

/** Bounds in steps and states, not time, so a signature is the same on a loaded machine as on an idle one. */
const REACHED_STATES_MAX = 512;
const REACHED_STEPS_MAX = 200_000;

export function describeSignature(s: FailureSignature): string {
  const why =
    s.kind === "order"
      ? "an order problem: states the history produces allow it, real time does not"
      : "a value problem: no state the history produces allows it";
  return `op ${s.stuckOp} stuck in partition ${s.partition}, ${why}`;
}

const legal = (model: Model, s: unknown, op: Operation) => model.step(s, op, op.known ? op.output : UNKNOWN) !== undefined;

/** States the partition's ops produce, as its own search reached them, first found first. */
function reachedStates(model: Model, partition: Partition): unknown[] {
  const search = new Search(model, partition.ops, partitionInitial(model, partition));
  search.run(REACHED_STEPS_MAX);
  return search.reachedStates(REACHED_STATES_MAX);
}

/** The signature of a partition's anomaly (the partition as the checker split it). */
export function signatureOf(model: Model, partition: Partition, anomaly: Anomaly): FailureSignature {
  const stuck = partition.ops.find((op) => op.id === anomaly.stuck.id);
  if (stuck === undefined) throw new Error(`signature: op ${anomaly.stuck.id} is not in partition ${partition.name}`);
  const reached = reachedStates(model, partition);
  const allowed =
    reached.some((s) => legal(model, s, stuck)) ||
    reached.some((s) =>
      partition.ops.some((w) => {
        const after = model.step(s, w, w.known ? w.output : UNKNOWN);
        return after !== undefined && legal(model, after, stuck);
      }),
    );
  return { partition: anomaly.partition, stuckOp: stuck.id, kind: allowed ? "order" : "value" };
}

export function sameSignature(a: FailureSignature, b: FailureSignature): boolean {
  return a.stuckOp === b.stuckOp && a.kind === b.kind;
}

/**
 * For each op that only observes (a read) with a known output: the ops that
 * can produce a state it observes, from a state this history reaches. A
 * shrunk history keeps at least one of them for every read it keeps, so a
 * stale read never turns into a read of a value nobody wrote.
 */
export function observedWriters(model: Model, partition: Partition): Map<number, number[]> {
  const initial = partitionInitial(model, partition);
  const reached = reachedStates(model, partition);
  const writers = partition.ops.filter((op) => !model.readOnly?.(op));
  const out = new Map<number, number[]>();
  for (const read of partition.ops) {
    if (!read.known || !model.readOnly?.(read)) continue;
    // A read of the initial state needs no writer.
    if (legal(model, initial, read)) continue;
    const found = writers.filter((w) =>
      reached.some((s) => {
        const after = model.step(s, w, w.known ? w.output : UNKNOWN);
        return after !== undefined && legal(model, after, read);
      }),
    );
    if (found.length > 0)
      out.set(
        read.id,
        found.map((w) => w.id),
      );
  }
  return out;
}

/**
 * The checker against the brute-force reference (./reference.ts) on random
 * small broadcast histories: the set of failed properties must be equal, and
 * must not change when the reads are put in another order. fast-check
 * shrinks a failure to a small history and prints it with the seed; rerun one
 * with TOB_SEED=<seed>.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Op } from "../../../src/history/op.js";
import { checkTotalOrder } from "../index.js";
import { shrinkTotalOrder } from "../shrink.js";
import { referenceFailed } from "./reference.js";

const SEED = Number(process.env.TOB_SEED ?? 20261129);
const MESSAGES = ["a", "b", "c", "d"];
/** delivered by some node, broadcast by nobody */
const STRAY = "x";

const broadcastArb = fc.record({
  process: fc.integer({ min: 0, max: 2 }),
  outcome: fc.constantFrom("ok", "ok", "fail", "info", "pending"),
  seq: fc.integer({ min: 1, max: 6 }),
});
const readArb = fc.record({
  node: fc.constantFrom("n1", "n2", "n3"),
  final: fc.boolean(),
  seq: fc.array(fc.constantFrom(...MESSAGES, STRAY), { maxLength: 5 }),
});
type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;
type Unit = { kind: "broadcast"; message: string; b: ValueOf<typeof broadcastArb> } | { kind: "read"; r: ValueOf<typeof readArb> };

/** Broadcasts of distinct messages and reads, in a random interleaving; a pending broadcast gets a process of its own. */
const historyArb = fc
  .tuple(
    fc.array(broadcastArb, { maxLength: MESSAGES.length }),
    fc.array(readArb, { maxLength: 5 }),
    fc.array(fc.nat(), { minLength: 9, maxLength: 9 }),
  )
  .map(([broadcasts, reads, keys]) => {
    const units: Unit[] = [
      ...broadcasts.map((b, i): Unit => ({ kind: "broadcast", message: MESSAGES[i], b })),
      ...reads.map((r): Unit => ({ kind: "read", r })),
    ];
    const order = units.map((_, i) => i).sort((i, j) => keys[i] - keys[j] || i - j);
    return toHistory(order.map((i) => units[i]));
  });

function toHistory(units: Unit[]): Op[] {
  const ops: Op[] = [];
  const push = (op: Omit<Op, "index" | "time">) => ops.push({ index: ops.length, time: ops.length, ...op });
  units.forEach((u, k) => {
    if (u.kind === "read") {
      const f = u.r.final ? "final-deliveries" : "deliveries";
      push({ process: `r${k}`, type: "invoke", f, value: null, node: u.r.node });
      push({ process: `r${k}`, type: "ok", f, value: u.r.seq, node: u.r.node });
      return;
    }
    const process = u.b.outcome === "pending" ? `p${k}` : u.b.process;
    push({ process, type: "invoke", f: "broadcast", value: u.message });
    if (u.b.outcome !== "pending")
      push({ process, type: u.b.outcome, f: "broadcast", value: u.b.outcome === "ok" ? { seq: u.b.seq } : null });
  });
  return ops;
}

/** The same ops with the reads (each an invoke and its ok, adjacent) in reverse order, reindexed. */
function readsReversed(history: Op[]): Op[] {
  const isRead = (op: Op) => op.f !== "broadcast";
  const pairs: Op[][] = [];
  for (let i = 0; i < history.length; i++) if (isRead(history[i]) && history[i].type === "invoke") pairs.push([history[i], history[i + 1]]);
  pairs.reverse();
  const out = history.flatMap((op) => (!isRead(op) ? [op] : op.type === "invoke" ? pairs.shift()! : []));
  return out.map((op, index) => ({ ...op, index, time: index }));
}

describe("total-order checker against the brute-force reference", () => {
  it("names exactly the properties the definitions say are broken", () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const result = checkTotalOrder(history, { fifoRequired: true });
        expect(result.failed).toEqual(referenceFailed(history));
        for (const name of result.failed) expect(result.properties[name].examples.length, `${name} has a witness`).toBeGreaterThan(0);
        expect(result.valid).toBe(result.failed.length > 0 ? false : result.unjudged.length > 0 ? "unknown" : true);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it("names the same properties whatever the order of the reads", () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const reversed = readsReversed(history);
        expect(checkTotalOrder(reversed, { fifoRequired: true }).failed).toEqual(checkTotalOrder(history, { fifoRequired: true }).failed);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it("finds each property broken somewhere in the generated histories (the generator reaches every class)", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(historyArb, (history) => {
        for (const name of referenceFailed(history)) seen.add(name);
      }),
      { seed: SEED, numRuns: 1000 },
    );
    expect([...seen].sort()).toEqual(["agreement", "fifo", "integrity", "no-loss", "order-fixed", "total-order"]);
  });

  it("shrinks every invalid history to one no larger that breaks exactly the same properties, by the reference too", () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const opts = { fifoRequired: true };
        const original = checkTotalOrder(history, opts);
        if (original.valid !== false) return;
        const shrunk = shrinkTotalOrder(history, opts);
        expect(shrunk.history.length).toBeLessThanOrEqual(history.length);
        expect(checkTotalOrder(shrunk.history, opts).failed).toEqual(original.failed);
        expect(referenceFailed(shrunk.history)).toEqual(original.failed);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});

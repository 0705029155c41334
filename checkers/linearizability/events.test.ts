import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Operation } from "../../src/history/pair.js";
import { PROPERTY_SEED } from "../../test/support/histories.js";
import { linkEvents } from "./events.js";

/** The list's nodes from the head on. */
function walk(ops: Operation[]): number[] {
  const next = new Int32Array(2 * ops.length + 1);
  const { head } = linkEvents(ops, next, new Int32Array(2 * ops.length + 1));
  const nodes: number[] = [];
  for (let node = next[head]; node !== -1 && nodes.length <= 2 * ops.length; node = next[node]) nodes.push(node);
  return nodes;
}

/** The reference: every event, sorted by (position, node). */
function reference(ops: Operation[]): number[] {
  const events = ops.flatMap((op, i) =>
    op.known
      ? [
          [op.invoke, 2 * i],
          [op.complete, 2 * i + 1],
        ]
      : [[op.invoke, 2 * i]],
  );
  return events.sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, node]) => node);
}

const op = (invoke: number, complete: number, known: boolean): Operation => ({
  id: 0,
  process: 0,
  f: "write",
  value: 1,
  output: null,
  known,
  invoke,
  complete: known ? complete : Infinity,
});

describe("event list (fast-check, seeded)", () => {
  // Dense unique positions take the buckets; repeats, fractions, negatives and wide spreads the comparator.
  const position = fc.oneof(fc.nat(40), fc.integer({ min: -5, max: 5 }), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.nat(2 ** 40));
  const opArb = fc.tuple(position, fc.nat(30), fc.boolean()).map(([at, length, known]) => op(at, at + length, known));

  it("orders events by position, then node, whatever the positions", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 12 }), (ops) => {
        expect(walk(ops)).toEqual(reference(ops));
      }),
      { seed: PROPERTY_SEED, numRuns: 2000 },
    );
  });

  it("links a history's distinct indices in order, and counts the ops a linearization needs", () => {
    const ops = [op(0, 3, true), op(1, Infinity, false), op(2, 4, true)];
    expect(walk(ops)).toEqual([0, 2, 4, 1, 5]);
    expect(linkEvents(ops, new Int32Array(7), new Int32Array(7)).required).toBe(2);
    expect(walk([])).toEqual([]);
  });
});

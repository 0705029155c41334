/**
 * Must-reject and must-accept histories for the classes of misses issue 10
 * found: acknowledged seqs past the end of the final order, and verdicts that
 * depended on the order of the reads in the file. Each case is checked in
 * every order of its reads.
 */
import { describe, expect, it } from "vitest";
import type { Op } from "../../src/history/op.js";
import { checkTotalOrder, type PropertyName } from "./index.js";

type Outcome = "ok" | "fail" | "info";
interface Case {
  name: string;
  broadcasts: [string, Outcome, number?][];
  /** [node, messages, final] */
  reads: [string, string[], boolean][];
  failed: PropertyName[];
}

/** Broadcasts first (one process each), then the reads in the given order. */
function history(c: Case, readOrder: number[]): Op[] {
  const ops: Op[] = [];
  const push = (op: Omit<Op, "index" | "time">) => ops.push({ index: ops.length, time: ops.length * 1e6, ...op });
  c.broadcasts.forEach(([message, outcome, seq], p) => {
    push({ process: p, type: "invoke", f: "broadcast", value: message });
    push({ process: p, type: outcome, f: "broadcast", value: outcome === "ok" ? { seq } : null });
  });
  readOrder.forEach((r, k) => {
    const [node, messages, final] = c.reads[r];
    const f = final ? "final-deliveries" : "deliveries";
    push({ process: `r${k}`, type: "invoke", f, value: null, node });
    push({ process: `r${k}`, type: "ok", f, value: messages, node });
  });
  return ops;
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

const CASES: Case[] = [
  {
    name: "an acknowledged seq past the end of the final order",
    broadcasts: [
      ["a", "ok", 5],
      ["b", "ok", 2],
    ],
    reads: [
      ["n1", ["a", "b"], true],
      ["n2", ["a", "b"], true],
    ],
    failed: ["order-fixed"],
  },
  {
    name: "an acknowledged seq past the end, the message at another final position",
    broadcasts: [
      ["a", "ok", 1],
      ["b", "ok", 3],
    ],
    reads: [
      ["n1", ["b", "a"], true],
      ["n2", ["b"], true],
    ],
    failed: ["agreement", "order-fixed"],
  },
  {
    name: "two final reads [a, b, c] and [a, b, a]",
    broadcasts: [
      ["a", "info"],
      ["b", "info"],
      ["c", "info"],
    ],
    reads: [
      ["n1", ["a", "b", "c"], true],
      ["n2", ["a", "b", "a"], true],
    ],
    failed: ["integrity", "agreement", "total-order"],
  },
  {
    name: "a duplicate in a final read does not hide a disagreement at the same position",
    broadcasts: [
      ["a", "ok", 1],
      ["b", "info"],
    ],
    reads: [
      ["n1", ["a", "a"], true],
      ["n2", ["a", "b"], true],
    ],
    failed: ["integrity", "agreement", "total-order"],
  },
  {
    name: "two final reads of equal length that differ",
    broadcasts: [
      ["a", "info"],
      ["b", "info"],
      ["c", "info"],
    ],
    reads: [
      ["n1", ["a", "b"], true],
      ["n2", ["a", "c"], true],
      ["n3", ["a", "b", "c"], true],
    ],
    failed: ["agreement", "total-order"],
  },
  {
    name: "two acknowledgements of one seq",
    broadcasts: [
      ["a", "ok", 1],
      ["b", "ok", 1],
    ],
    reads: [["n1", ["a", "b"], true]],
    failed: ["order-fixed"],
  },
  {
    name: "reads during the run that disagree past the end of the final order",
    broadcasts: [
      ["a", "ok", 1],
      ["c", "info"],
      ["d", "info"],
    ],
    reads: [
      ["n1", ["a", "c"], false],
      ["n2", ["a", "d"], false],
      ["n1", ["a"], true],
      ["n2", ["a"], true],
    ],
    failed: ["agreement", "order-fixed"],
  },
  {
    name: "a read during the run that puts an acknowledged message elsewhere, past the final order",
    broadcasts: [
      ["a", "ok", 1],
      ["b", "ok", 2],
    ],
    reads: [
      ["n1", ["a", "x", "b"], false],
      ["n1", ["a", "b"], true],
    ],
    failed: ["integrity", "agreement", "order-fixed"],
  },
  {
    name: "a node's several final reads count together",
    broadcasts: [
      ["a", "ok", 1],
      ["b", "ok", 2],
    ],
    reads: [
      ["n1", ["a"], true],
      ["n1", ["a", "b"], true],
      ["n2", ["a", "b"], true],
      ["n3", ["a"], false],
    ],
    failed: [],
  },
  {
    name: "a valid history with reads during the run on a node without a final read",
    broadcasts: [
      ["a", "ok", 1],
      ["b", "info"],
      ["c", "ok", 3],
    ],
    reads: [
      ["n3", ["a", "b"], false],
      ["n1", ["a", "b", "c"], true],
      ["n2", ["a", "b"], true],
      ["n2", ["a", "b", "c"], true],
    ],
    failed: [],
  },
];

describe("total-order classes: the same named failures in every order of the reads", () => {
  for (const c of CASES) {
    it(c.name, () => {
      for (const order of permutations(c.reads.length)) {
        const result = checkTotalOrder(history(c, order));
        expect({ order, failed: result.failed }).toEqual({ order, failed: c.failed });
        expect(result.valid).toBe(c.failed.length === 0);
        for (const name of c.failed) {
          expect(result.properties[name].examples.length, `${name} has a witness`).toBeGreaterThan(0);
        }
      }
    });
  }

  it("judges order-fixed without a final read", () => {
    const c: Case = { name: "", broadcasts: [["a", "ok", 2]], reads: [["n1", ["a"], false]], failed: [] };
    const result = checkTotalOrder(history(c, [0]));
    expect(result.valid).toBe(false);
    expect(result.failed).toEqual(["order-fixed"]);
    expect(result.properties["order-fixed"].examples).toMatchObject([
      { kind: "read", message: "a", seq: 1, otherSeq: 2 },
      { kind: "ack-seq", message: "a", seq: 2, otherSeq: 1 },
    ]);
  });
});

/**
 * Shrinking a total-order counterexample: for a must-fail history of each
 * property, buried in valid traffic, the shrunk history fails with exactly
 * the same broken properties, its first witness names the same message (and
 * op, where the witness is an op), and it is smaller.
 */
import { describe, expect, it } from "vitest";
import { checkTotalOrder, type PropertyName } from "./index.js";
import { shrinkTotalOrder } from "./shrink.js";
import { H } from "./test/script.js";

/** Valid traffic: broadcasts of m1..mN acknowledged in order, a mid-run read of the first few on n1. */
function noise(h: H, count: number, firstSeq: number): string[] {
  const sent: string[] = [];
  for (let i = 0; i < count; i++) {
    const message = `m${i + 1}`;
    h.broadcast(i % 3, message, "ok", firstSeq + i);
    sent.push(message);
  }
  return sent;
}

interface Case {
  name: string;
  failed: PropertyName[];
  fifoRequired?: boolean;
  history: () => H;
}

const CASES: Case[] = [
  {
    name: "integrity: a message nobody broadcast",
    failed: ["integrity"],
    history: () => {
      const h = new H().broadcast(0, "a", "ok", 1);
      const sent = noise(h, 8, 2);
      return h.finals({ n1: ["a", ...sent, "z"], n2: ["a", ...sent, "z"] });
    },
  },
  {
    name: "integrity: a failed broadcast delivered",
    failed: ["integrity"],
    history: () => {
      const h = new H().broadcast(0, "a", "ok", 1).broadcast(1, "f", "fail");
      const sent = noise(h, 8, 3);
      return h.finals({ n1: ["a", "f", ...sent], n2: ["a", "f", ...sent] });
    },
  },
  {
    name: "integrity: a message delivered twice",
    failed: ["integrity"],
    history: () => {
      const h = new H().broadcast(0, "a", "ok", 1);
      const sent = noise(h, 8, 2);
      return h.finals({ n1: ["a", ...sent, "a"], n2: ["a", ...sent] });
    },
  },
  {
    name: "agreement: a delivered message missing from a correct node's final read",
    failed: ["agreement"],
    history: () => {
      const h = new H();
      const sent = noise(h, 8, 1);
      h.broadcast(0, "late", "info");
      return h.finals({ n1: [...sent, "late"], n2: sent, n3: [...sent, "late"] });
    },
  },
  {
    name: "total-order: two final reads that are not prefixes of one sequence",
    failed: ["total-order"],
    history: () => {
      const h = new H();
      const sent = noise(h, 6, 1);
      h.broadcast(0, "x", "info").broadcast(1, "y", "info");
      return h.finals({ n1: [...sent, "x", "y"], n2: [...sent, "y", "x"] });
    },
  },
  {
    name: "no-loss: an acknowledged broadcast in no final read",
    failed: ["no-loss"],
    history: () => {
      const h = new H();
      const sent = noise(h, 8, 1);
      h.broadcast(2, "lost", "ok", 9);
      return h.finals({ n1: sent, n2: sent });
    },
  },
  {
    name: "order-fixed: a mid-run read disagrees with the final order",
    failed: ["order-fixed"],
    history: () => {
      const h = new H();
      const sent = noise(h, 8, 1);
      h.read("n1", [sent[1], sent[0]]);
      return h.finals({ n1: sent, n2: sent });
    },
  },
  {
    name: "order-fixed: an acknowledged seq past the end of the final order",
    failed: ["order-fixed"],
    history: () => {
      const h = new H();
      const sent = noise(h, 8, 1);
      h.broadcast(0, "far", "ok", 20);
      return h.finals({ n1: [...sent, "far"], n2: [...sent, "far"] });
    },
  },
  {
    name: "fifo (when required): a sender's later broadcast delivered first",
    failed: ["fifo"],
    fifoRequired: true,
    history: () => {
      const h = new H();
      const sent = noise(h, 6, 1);
      h.broadcast(5, "p1", "ok", 8).broadcast(5, "p2", "ok", 7);
      return h.finals({ n1: [...sent, "p2", "p1"], n2: [...sent, "p2", "p1"] });
    },
  },
];

/** What the first witness of each broken property names: a message or two, and an op when it has one. */
function witnessed(result: ReturnType<typeof checkTotalOrder>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of result.failed) {
    const example = result.properties[name].examples[0];
    out[name] = { message: example.message, otherMessage: example.otherMessage, earlier: example.earlier, kind: example.kind };
  }
  return out;
}

describe("total-order shrink", () => {
  for (const c of CASES) {
    it(`keeps the failure: ${c.name}`, () => {
      const opts = { fifoRequired: c.fifoRequired };
      const history = c.history().ops;
      const original = checkTotalOrder(history, opts);
      expect(original.failed).toEqual(c.failed);
      const shrunk = shrinkTotalOrder(history, opts);
      const again = checkTotalOrder(shrunk.history, opts);
      expect(again.failed).toEqual(c.failed);
      expect(shrunk.failed).toEqual(c.failed);
      expect(witnessed(again)).toEqual(witnessed(original));
      expect(shrunk.opsAfter).toBe(shrunk.history.length);
      expect(shrunk.opsAfter).toBeLessThan(history.length / 2);
      // re-indexed from 0, in order
      expect(shrunk.history.map((op) => op.index)).toEqual(shrunk.history.map((_, i) => i));
    });
  }

  it("keeps the witness on the same op: the acknowledgement that is out of place", () => {
    const h = new H();
    noise(h, 8, 1);
    h.broadcast(0, "far", "ok", 20);
    const history = h.finals({ n1: ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "far"] }).ops;
    const shrunk = shrinkTotalOrder(history);
    const example = checkTotalOrder(shrunk.history).properties["order-fixed"].examples[0];
    const op = shrunk.history.find((o) => o.index === example.op);
    expect(op).toMatchObject({ f: "broadcast", type: "invoke", value: "far" });
  });

  it("cuts messages that reads put at one place without moving an acknowledged seq below 1", () => {
    // reads disagree on who is first (x, d, b); cutting all three must shift "a" (seq 2) down once, not three times
    const history = new H().broadcast(0, "a", "ok", 2).read("n1", ["x"]).read("n1", ["a"]).read("n1", ["d"]).read("n1", ["b"]).ops;
    const original = checkTotalOrder(history, { fifoRequired: true });
    const shrunk = shrinkTotalOrder(history, { fifoRequired: true });
    expect(checkTotalOrder(shrunk.history, { fifoRequired: true }).failed).toEqual(original.failed);
    for (const op of shrunk.history)
      if (op.f === "broadcast" && op.type === "ok") expect((op.value as { seq: number }).seq).toBeGreaterThan(0);
  });

  it("refuses a history that is not invalid", () => {
    const h = new H().broadcast(0, "a", "ok", 1).finals({ n1: ["a"] });
    expect(() => shrinkTotalOrder(h.ops)).toThrow(/nothing to keep/);
  });

  it("stops at its check budget with a history that still fails the same way", () => {
    const history = CASES[0].history().ops;
    const shrunk = shrinkTotalOrder(history, { checksMax: 3 });
    expect(shrunk.checks).toBe(3);
    expect(shrunk.exhausted).toBe(true);
    expect(checkTotalOrder(shrunk.history).failed).toEqual(["integrity"]);
  });
});

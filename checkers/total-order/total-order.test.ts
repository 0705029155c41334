import { describe, expect, it } from "vitest";
import type { Op } from "../../src/history/op.js";
import { InputError } from "../../src/history/input-error.js";
import { checkTotalOrder } from "./index.js";
import { H, MS } from "./test/script.js";

const failedOf = (h: H, fifoRequired = false) => checkTotalOrder(h.ops, { fifoRequired }).failed;

describe("total-order checker", () => {
  it("passes a correct history and reports figures", () => {
    const h = new H()
      .broadcast(0, "a", "ok", 1)
      .broadcast(1, "b", "ok", 2)
      .read("n1", ["a"])
      .broadcast(0, "c", "ok", 3)
      .finals({ n1: ["a", "b", "c"], n2: ["a", "b", "c"], n3: ["a", "b", "c"] });
    const result = checkTotalOrder(h.ops);
    expect(result.valid).toBe(true);
    expect(result.failed).toEqual([]);
    for (const property of Object.values(result.properties)) expect(property.valid).toBe(true);
    expect(result.correctNodes).toEqual(["n1", "n2", "n3"]);
    expect(result.broadcasts).toEqual({ attempted: 3, ok: 3, fail: 0, info: 0, pending: 0 });
    expect([result.lostCount, result.duplicatedCount, result.reorderedCount]).toEqual([0, 0, 0]);
    expect(result.stableCount).toBe(3);
  });

  it("catches integrity: a message nobody broadcast", () => {
    const h = new H().broadcast(0, "a", "ok", 1).finals({ n1: ["a", "z"], n2: ["a", "z"] });
    const result = checkTotalOrder(h.ops);
    expect(result.failed).toEqual(["integrity"]);
    expect(result.properties.integrity.examples[0]).toMatchObject({ kind: "not-broadcast", message: "z", seq: 2 });
  });

  it("catches integrity: a failed broadcast delivered", () => {
    const h = new H()
      .broadcast(0, "a", "ok", 1)
      .broadcast(0, "b", "fail")
      .finals({ n1: ["a", "b"], n2: ["a", "b"] });
    expect(failedOf(h)).toEqual(["integrity"]);
  });

  it("catches integrity: a duplicate delivery", () => {
    const h = new H()
      .broadcast(0, "a", "ok", 1)
      .broadcast(0, "b", "ok", 2)
      .finals({ n1: ["a", "b", "a"], n2: ["a", "b", "a"] });
    const result = checkTotalOrder(h.ops);
    expect(result.failed).toEqual(["integrity"]);
    expect(result.properties.integrity.examples[0]).toMatchObject({ kind: "duplicate", message: "a", seq: 3 });
    expect(result.duplicatedCount).toBe(1);
  });

  it("catches agreement: a correct node misses a delivered message", () => {
    const h = new H()
      .broadcast(0, "a", "ok", 1)
      .broadcast(0, "b", "ok", 2)
      .finals({ n1: ["a", "b"], n2: ["a", "b"], n3: ["a"] });
    const result = checkTotalOrder(h.ops);
    expect(result.failed).toEqual(["agreement"]);
    expect(result.properties.agreement.examples[0]).toMatchObject({ message: "b", missingOn: ["n3"] });
  });

  it("catches total order: two nodes deliver in different orders", () => {
    const h = new H()
      .broadcast(0, "a", "info")
      .broadcast(1, "b", "info")
      .finals({ n1: ["a", "b"], n2: ["b", "a"] });
    const result = checkTotalOrder(h.ops);
    expect(result.failed).toEqual(["total-order"]);
    expect(result.properties["total-order"].examples).toMatchObject([
      { node: "n1", seq: 1, message: "a", otherMessage: "b" },
      { node: "n2", seq: 1, message: "b", otherMessage: "a" },
    ]);
    expect(result.reorderedCount).toBe(2);
  });

  it("catches loss: an acknowledged broadcast nobody delivered", () => {
    const h = new H()
      .broadcast(0, "a", "ok", 1)
      .broadcast(0, "b", "ok", 2)
      .finals({ n1: ["a"], n2: ["a"] });
    const result = checkTotalOrder(h.ops);
    expect(result.failed).toEqual(["no-loss"]);
    expect(result.lostCount).toBe(1);
    expect(result.properties["no-loss"].examples[0]).toMatchObject({ message: "b" });
  });

  it("catches order not fixed at delivery: a read during the run saw another order", () => {
    const h = new H()
      .broadcast(0, "a", "info")
      .broadcast(1, "b", "info")
      .read("n1", ["b", "a"])
      .finals({ n1: ["a", "b"], n2: ["a", "b"] });
    const result = checkTotalOrder(h.ops);
    expect(result.failed).toEqual(["order-fixed"]);
    expect(result.properties["order-fixed"].examples[0]).toMatchObject({
      kind: "read",
      node: "n1",
      seq: 1,
      message: "b",
      otherMessage: "a",
    });
  });

  it("catches order not fixed at delivery: an acknowledgement's seq differs from the final position", () => {
    const h = new H()
      .broadcast(0, "a", "ok", 2)
      .broadcast(1, "b", "info")
      .finals({ n1: ["a", "b"], n2: ["a", "b"] });
    const result = checkTotalOrder(h.ops);
    expect(result.failed).toEqual(["order-fixed"]);
    expect(result.properties["order-fixed"].examples[0]).toMatchObject({ kind: "ack-seq", message: "a", seq: 2, otherMessage: "b" });
  });

  it("reports per-sender FIFO, counted in validity only when required", () => {
    const h = new H()
      .broadcast(0, "a", "ok", 2)
      .broadcast(0, "b", "ok", 1)
      .finals({ n1: ["b", "a"], n2: ["b", "a"] });
    const result = checkTotalOrder(h.ops);
    expect(result.valid).toBe(true);
    expect(result.properties.fifo).toMatchObject({ valid: false, count: 1 });
    expect(result.properties.fifo.examples[0]).toMatchObject({ process: 0, message: "b", earlier: "a" });
    expect(failedOf(h, true)).toEqual(["fifo"]);
  });

  it("sorts info broadcasts into recovered and lost", () => {
    const h = new H()
      .broadcast(0, "a", "ok", 1)
      .broadcast(1, "c", "info")
      .broadcast(2, "d", "info")
      .finals({ n1: ["a", "c"], n2: ["a", "c"] });
    const result = checkTotalOrder(h.ops);
    expect(result.valid).toBe(true);
    expect(result.infoBroadcasts).toEqual({ recoveredCount: 1, lostCount: 1, recovered: ["c"], lost: ["d"] });
  });

  it("is unknown without a final read", () => {
    const h = new H().broadcast(0, "a", "ok", 1).read("n1", ["a"]);
    const result = checkTotalOrder(h.ops);
    expect(result.valid).toBe("unknown");
    expect(result.unjudged).toEqual(["agreement", "total-order", "no-loss", "fifo"]);
  });

  it("measures stable latency: invoke to the first read on the last node", () => {
    const h = new H();
    h.ops.push({ index: 0, time: 0, process: 0, type: "invoke", f: "broadcast", value: "a" });
    h.ops.push({ index: 1, time: 5 * MS, process: 0, type: "ok", f: "broadcast", value: { seq: 1 } });
    h.read("n1", ["a"], false, 10 * MS)
      .read("n2", [], false, 12 * MS)
      .read("n2", ["a"], false, 20 * MS);
    h.read("n1", ["a"], true, 30 * MS).read("n2", ["a"], true, 31 * MS);
    const result = checkTotalOrder(h.ops);
    expect(result.valid).toBe(true);
    expect(result.stableLatencyMs).toEqual({ "0": 20, "0.5": 20, "0.95": 20, "0.99": 20, "1": 20 });
  });

  describe("bad input names the op", () => {
    const cases: [string, Op[], RegExp][] = [
      [
        "a broadcast of a non-string",
        [{ index: 0, time: 0, process: 0, type: "invoke", f: "broadcast", value: 7 }],
        /op 0: broadcast invoke value must be the message string/,
      ],
      [
        "an ok without seq",
        [
          { index: 0, time: 0, process: 0, type: "invoke", f: "broadcast", value: "a" },
          { index: 1, time: 1, process: 0, type: "ok", f: "broadcast", value: {} },
        ],
        /op 1: .*seq/,
      ],
      [
        "a read without node",
        [
          { index: 0, time: 0, process: 0, type: "invoke", f: "deliveries", value: null },
          { index: 1, time: 1, process: 0, type: "ok", f: "deliveries", value: [] },
        ],
        /op 1: deliveries needs `node`/,
      ],
      [
        "a read with a non-string element",
        [
          { index: 0, time: 0, process: 0, type: "invoke", f: "final-deliveries", value: null, node: "n1" },
          { index: 1, time: 1, process: 0, type: "ok", f: "final-deliveries", value: ["a", 3] },
        ],
        /op 1: final-deliveries element at position 2/,
      ],
      [
        "a repeated message",
        [
          { index: 0, time: 0, process: 0, type: "invoke", f: "broadcast", value: "a" },
          { index: 1, time: 1, process: 0, type: "info", f: "broadcast", value: null },
          { index: 2, time: 2, process: 1, type: "invoke", f: "broadcast", value: "a" },
        ],
        /op 2: message "a" was already broadcast by op 0/,
      ],
      [
        "a malformed op",
        [{ index: 0, time: 0, process: 0, type: "done", f: "broadcast", value: "a" } as unknown as Op],
        /op 0: `type` must be/,
      ],
    ];
    for (const [name, ops, message] of cases) {
      it(name, () => {
        expect(() => checkTotalOrder(ops)).toThrow(InputError);
        expect(() => checkTotalOrder(ops)).toThrow(message);
      });
    }
  });
});

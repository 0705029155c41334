import { describe, expect, it } from "vitest";
import type { Op } from "../../src/history/op.js";
import { InputError } from "../../src/history/input-error.js";
import { checkListAppend } from "./index.js";
import { H, a, r } from "./script.js";

const typesOf = (h: H, opts = {}) => checkListAppend(h.ops, opts)["anomaly-types"];

describe("elle list-append checker", () => {
  it("passes a serial history", () => {
    const h = new H()
      .txn(0, [a("x", 1)])
      .txn(1, [r("x"), a("x", 2)], [1])
      .txn(0, [r("x"), r("y")], [1, 2], []);
    const result = checkListAppend(h.ops);
    expect(result).toMatchObject({ valid: true, "anomaly-types": [], anomalies: {} });
    expect(result.stats).toMatchObject({ txns: 3, ok: 3, keys: 2 });
  });

  it("passes a concurrent history with failed and unknown txns", () => {
    const h = new H()
      .invoke(0, a(1, 1))
      .invoke(1, a(1, 2))
      .ok(1)
      .ok(0)
      .invoke(2, a(1, 3))
      .end(2, "fail")
      .invoke(3, a(1, 4))
      .end(3, "info")
      .txn(0, [r(1)], [2, 1, 4]);
    const result = checkListAppend(h.ops);
    expect(result.valid).toBe(true);
    expect(result.stats).toMatchObject({ ok: 3, fail: 1, info: 1 });
  });

  it("finds G0: a write cycle", () => {
    const h = new H()
      .invoke(0, a("x", 1), a("y", 2))
      .invoke(1, a("x", 2), a("y", 1))
      .ok(0)
      .ok(1)
      .txn(2, [r("x"), r("y")], [1, 2], [1, 2]);
    const result = checkListAppend(h.ops);
    expect(result.valid).toBe(false);
    expect(result["anomaly-types"]).toEqual(["G0"]);
    const [g0] = result.anomalies.G0 as { steps: { type: string }[]; explanation: string }[];
    expect(g0.steps.map((s) => s.type)).toEqual(["ww", "ww"]);
    expect(g0.explanation).toMatch(/^Let:\n {2}T1 = op \d+/);
    expect(g0.explanation).toMatch(/appended 2 to key "x" right after T\d's 1 \(ww\)/);
  });

  it("finds G1c: a cycle of writes and reads", () => {
    const h = new H().invoke(0, a("x", 1), r("y")).invoke(1, a("y", 1), r("x")).ok(0, [1]).ok(1, [1]);
    expect(typesOf(h)).toEqual(["G1c"]);
  });

  it("finds G-single: one anti-dependency", () => {
    const h = new H()
      .invoke(0, r("x"), r("y"))
      .invoke(1, a("x", 1), a("y", 1))
      .ok(1)
      .ok(0, [], [1])
      .txn(2, [r("x")], [1]);
    const result = checkListAppend(h.ops);
    expect(result["anomaly-types"]).toEqual(["G-single"]);
    expect((result.anomalies["G-single"][0] as { explanation: string }).explanation).toMatch(
      /did not yet include T\d's append of 1 \(rw\)/,
    );
  });

  it("finds G2-item: write skew", () => {
    const h = new H()
      .invoke(0, r("x"), a("y", 1))
      .invoke(1, r("y"), a("x", 1))
      .ok(0, [])
      .ok(1, [])
      .txn(2, [r("x"), r("y")], [1], [1]);
    expect(typesOf(h)).toEqual(["G2-item"]);
  });

  it("finds G-nonadjacent: a long fork, which snapshot isolation forbids", () => {
    const h = new H()
      .txn(0, [a("x", 1)])
      .txn(1, [a("y", 1)])
      .invoke(2, r("x"), r("y"))
      .invoke(3, r("y"), r("x"))
      .ok(2, [1], [])
      .ok(3, [1], [])
      .txn(4, [r("x"), r("y")], [1], [1]);
    const result = checkListAppend(h.ops, { consistencyModels: ["snapshot-isolation"] });
    expect(result["anomaly-types"]).toEqual(["G-nonadjacent"]);
    expect(result.valid).toBe(false);
    expect(result.not).toEqual(["snapshot-isolation"]);
  });

  it("finds G1a: a read of a failed append", () => {
    const h = new H()
      .invoke(0, a("x", 1))
      .end(0, "fail")
      .txn(1, [r("x")], [1]);
    const result = checkListAppend(h.ops);
    expect(result["anomaly-types"]).toEqual(["G1a"]);
    expect(result.anomalies.G1a[0]).toMatchObject({ op: 3, key: "x", element: 1, writer: 1 });
  });

  it("finds G1b: a read of an intermediate state", () => {
    const h = new H()
      .invoke(0, a("x", 1), a("x", 2))
      .txn(1, [r("x")], [1])
      .ok(0)
      .txn(1, [r("x")], [1, 2]);
    const result = checkListAppend(h.ops);
    expect(result["anomaly-types"]).toContain("G1b");
    expect(result.anomalies.G1b[0]).toMatchObject({ key: "x", element: 1 });
  });

  it("finds internal inconsistency", () => {
    const h = new H().txn(0, [r("x"), a("x", 1), r("x")], [], []);
    const result = checkListAppend(h.ops);
    expect(result["anomaly-types"]).toEqual(["internal"]);
    expect(result.anomalies.internal[0]).toMatchObject({ mop: 2, expected: [1], actual: [] });
  });

  it("finds duplicate elements", () => {
    const h = new H().txn(0, [a("x", 1)]).txn(1, [r("x")], [1, 1]);
    expect(typesOf(h)).toEqual(["duplicate-elements"]);
  });

  it("finds incompatible orders", () => {
    const h = new H()
      .invoke(0, a("x", 1))
      .invoke(1, a("x", 2))
      .ok(0)
      .ok(1)
      .txn(2, [r("x")], [1, 2])
      .txn(3, [r("x")], [2, 1]);
    const result = checkListAppend(h.ops);
    expect(result["anomaly-types"]).toEqual(["incompatible-order"]);
    expect(result.anomalies["incompatible-order"][0]).toMatchObject({
      key: "x",
      values: [
        [2, 1],
        [1, 2],
      ],
    });
  });

  it("finds garbage reads", () => {
    expect(typesOf(new H().txn(0, [r(5)], ["ghost"]))).toEqual(["garbage-read"]);
  });

  it("finds a stale read through real time, and not without it", () => {
    const h = new H()
      .txn(0, [a("x", 1)])
      .txn(1, [r("x")], [])
      .txn(2, [r("x")], [1]);
    expect(typesOf(h)).toEqual(["G-single-realtime"]);
    expect(typesOf(h, { realtime: false, process: false })).toEqual([]);
  });

  it("explains a real-time step as one step, however many completions lie between", () => {
    const h = new H()
      .txn(0, [a("x", 1)])
      .txn(1, [a("y", 1)])
      .txn(1, [a("y", 2)])
      .txn(2, [r("x")], [])
      .txn(3, [r("x")], [1]);
    const result = checkListAppend(h.ops);
    expect(result["anomaly-types"]).toEqual(["G-single-realtime"]);
    const [anomaly] = result.anomalies["G-single-realtime"] as {
      cycle: { op: number }[];
      steps: { type: string; text: string }[];
      explanation: string;
    }[];
    expect(anomaly.cycle.map((t) => t.op).sort()).toEqual([1, 7]);
    expect(anomaly.steps.map((step) => step.type).sort()).toEqual(["realtime", "rw"]);
    expect(anomaly.explanation).toMatch(/completed \(op 1\) before T\d was invoked \(op 6\) \(realtime\)/);
  });

  it("finds a cycle through process order", () => {
    const h = new H()
      .txn(0, [a("x", 1)])
      .txn(0, [r("x")], [])
      .txn(2, [r("x")], [1]);
    expect(typesOf(h, { realtime: false })).toEqual(["G-single-process"]);
  });

  describe("bad input names the op", () => {
    const cases: [string, Op[], RegExp][] = [
      [
        "a value that is not a list",
        [{ index: 0, time: 0, process: 0, type: "invoke", f: "txn", value: "x" }],
        /op 0: txn value must be an array/,
      ],
      [
        "a malformed micro-op",
        [{ index: 0, time: 0, process: 0, type: "invoke", f: "txn", value: [["append", { k: 1 }, 1]] }],
        /op 0: micro-op 0 must be/,
      ],
      [
        "a read not null on invoke",
        [{ index: 0, time: 0, process: 0, type: "invoke", f: "txn", value: [["r", 1, []]] }],
        /op 0: micro-op 0: read value must be null on invoke/,
      ],
      [
        "an ok that differs from its invoke",
        [
          { index: 0, time: 0, process: 0, type: "invoke", f: "txn", value: [["append", 1, 1]] },
          { index: 1, time: 1, process: 0, type: "ok", f: "txn", value: [["append", 1, 2]] },
        ],
        /op 1: micro-op 0 .* does not match/,
      ],
      [
        "an element appended twice",
        [
          { index: 0, time: 0, process: 0, type: "invoke", f: "txn", value: [["append", 1, 1]] },
          { index: 1, time: 1, process: 0, type: "ok", f: "txn", value: [["append", 1, 1]] },
          { index: 2, time: 2, process: 0, type: "invoke", f: "txn", value: [["append", 1, 1]] },
          { index: 3, time: 3, process: 0, type: "ok", f: "txn", value: [["append", 1, 1]] },
        ],
        /op 3: element 1 was already appended to key 1 by op 1/,
      ],
    ];
    for (const [name, ops, message] of cases) {
      it(name, () => {
        expect(() => checkListAppend(ops)).toThrow(InputError);
        expect(() => checkListAppend(ops)).toThrow(message);
      });
    }
  });
});

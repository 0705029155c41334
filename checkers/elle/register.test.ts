/** rw-register histories the checker must pass and must reject, each class with its witness. */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/history/input-error.js";
import { checkRwRegister } from "./index.js";
import { H, r, w } from "./script.js";

const check = (h: H, opts = {}) => checkRwRegister(h.ops, opts);

describe("elle rw-register checker", () => {
  it("passes a serial history, and a concurrent one with failed and unknown txns", () => {
    expect(
      check(
        new H()
          .txn(0, [w("x", 1)])
          .txn(1, [r("x"), w("x", 2)], 1)
          .txn(0, [r("x"), r("y")], 2, null),
      ),
    ).toMatchObject({ valid: true, "anomaly-types": [] });
    const h = new H()
      .invoke(0, w("x", 1))
      .invoke(1, r("x"))
      .ok(1, null)
      .ok(0)
      .invoke(2, w("x", 3))
      .end(2, "fail")
      .invoke(3, w("x", 4))
      .end(3, "info")
      .txn(1, [r("x")], 4);
    expect(check(h)).toMatchObject({ valid: true, stats: { ok: 3, fail: 1, info: 1 } });
  });

  it("finds G-single from reads of the initial state", () => {
    // T1 reads x = nil and y = 1; T2 wrote y = 1 and x = 1: T1 saw part of T2
    const h = new H().invoke(1, w("x", 1), w("y", 1)).invoke(0, r("x"), r("y")).ok(1).ok(0, null, 1);
    const result = check(h, { consistencyModels: ["serializable"] });
    expect(result["anomaly-types"]).toEqual(["G-single"]);
    const [cycle] = result.anomalies["G-single"] as { steps: { type: string; text: string }[] }[];
    expect(cycle.steps.map((s) => s.type).sort()).toEqual(["rw", "wr"]);
    expect(cycle.steps.find((s) => s.type === "rw")!.text).toMatch(/read key "x" = null, the initial state/);
    expect(result.not).toEqual(["consistent-view"]);
  });

  it("finds G2-item: write skew over the initial state", () => {
    const h = new H().invoke(0, r("x"), w("y", 1)).invoke(1, r("y"), w("x", 1)).ok(0, null).ok(1, null);
    const result = check(h, { consistencyModels: ["serializable"] });
    expect(result["anomaly-types"]).toEqual(["G2-item"]);
    expect(check(h, { consistencyModels: ["snapshot-isolation"] }).valid).toBe(true);
  });

  it("finds G1c: each txn read the other's write", () => {
    const h = new H().invoke(0, w("x", 1), r("y")).invoke(1, w("y", 1), r("x")).ok(0, 1).ok(1, 1);
    expect(check(h)["anomaly-types"]).toEqual(["G1c"]);
  });

  it("finds a stale read through real time", () => {
    const h = new H().txn(0, [w("x", 1)]).txn(1, [r("x")], null);
    expect(check(h)["anomaly-types"]).toEqual(["G-single-realtime"]);
    expect(check(h, { consistencyModels: ["serializable"] }).valid).toBe(true);
  });

  it("finds G1a, G1b and garbage reads, each with its witness", () => {
    const aborted = new H()
      .invoke(0, w("x", 1))
      .end(0, "fail")
      .txn(1, [r("x")], 1);
    expect(check(aborted).anomalies.G1a[0]).toMatchObject({ op: 3, key: "x", element: 1, writer: 1 });
    const intermediate = new H()
      .invoke(0, w("x", 1), w("x", 2))
      .txn(1, [r("x")], 1)
      .ok(0);
    expect(check(intermediate).anomalies.G1b[0]).toMatchObject({ key: "x", element: 1 });
    expect(check(new H().txn(0, [r("x")], 9)).anomalies["garbage-read"][0]).toMatchObject({ key: "x", element: 9 });
  });

  it("finds internal inconsistency and future reads", () => {
    const internal = check(new H().txn(0, [w("x", 1), r("x")], 2).txn(1, [w("x", 2)]));
    expect(internal.anomalies.internal[0]).toMatchObject({ mop: 1, expected: 1, actual: 2 });
    expect(check(new H().txn(0, [r("x"), r("x")], null, 3).txn(1, [w("x", 3)]))["anomaly-types"]).toContain("internal");
    const future = check(new H().txn(0, [r("x"), w("x", 1)], 1));
    expect(future["anomaly-types"]).toEqual(["future-read"]);
    expect(future.valid).toBe(false);
  });

  it("finds lost updates: two committed txns read one version and both wrote it", () => {
    const h = new H()
      .txn(0, [w("x", 1)])
      .invoke(1, r("x"), w("x", 2))
      .invoke(2, r("x"), w("x", 3))
      .ok(1, 1)
      .ok(2, 1);
    const result = check(h, { consistencyModels: ["read-committed"] });
    expect(result.anomalies["lost-update"][0]).toMatchObject({ key: "x", element: 1, ops: [4, 5] });
    expect(result.valid).toBe(true);
    expect(check(h, { consistencyModels: ["repeatable-read"] }).valid).toBe(false);
  });

  it("rejects bad input naming the op and field", () => {
    const twice = new H().txn(0, [w("x", 1)]).txn(1, [w("x", 1)]);
    expect(() => checkRwRegister(twice.ops)).toThrow(InputError);
    expect(() => checkRwRegister(twice.ops)).toThrow(/op 3: field "value", micro-op 0: value 1 was already written to key "x" by op 1/);
    const append = new H().txn(0, [["append", "x", 1]]);
    expect(() => checkRwRegister(append.ops)).toThrow(/op 0: field "value", micro-op 0: function must be "w" or "r"/);
    const nullWrite = new H().txn(0, [["w", "x", null]]);
    expect(() => checkRwRegister(nullWrite.ops)).toThrow(/written value must be a number or string/);
  });
});

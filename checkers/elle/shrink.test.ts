/** Shrinking keeps the failure: the same anomaly type, the cycle's txns and the reads that order them. */
import { describe, expect, it } from "vitest";
import { checkListAppend, checkRwRegister, shrinkElle } from "./index.js";
import { H, a, r, w } from "./script.js";

/** Serial traffic on keys k0..k4 around a planted anomaly, `before` and `after` txns of it. */
function around(plant: (h: H) => H, before = 60, after = 60): H {
  const lists = new Map<string, number[]>();
  let next = 1000;
  const traffic = (h: H, count: number): H => {
    for (let i = 0; i < count; i++) {
      const key = `k${i % 5}`;
      const list = lists.get(key) ?? [];
      h.txn(9, [r(key), a(key, next)], [...list]);
      lists.set(key, [...list, next++]);
    }
    return h;
  };
  return traffic(plant(traffic(new H(), before)), after);
}

describe("elle shrink", () => {
  it("cuts a write skew in 120 txns of traffic down to the skew and the read that orders it", () => {
    const h = around((h) =>
      h
        .invoke(0, r("x"), a("y", 1))
        .invoke(1, r("y"), a("x", 1))
        .ok(0, [])
        .ok(1, [])
        .txn(2, [r("x"), r("y")], [1], [1]),
    );
    expect(checkListAppend(h.ops)["anomaly-types"]).toEqual(["G2-item"]);
    const shrunk = shrinkElle(h.ops);
    expect(shrunk).toMatchObject({ type: "G2-item", txnsBefore: 123 });
    expect(shrunk.txnsAfter).toBeLessThanOrEqual(3);
    expect(shrunk.result["anomaly-types"]).toEqual(["G2-item"]);
    // the two txns of the cycle are there, as they were
    const values = shrunk.history.filter((op) => op.type === "ok").map((op) => JSON.stringify(op.value));
    expect(values).toContain(
      JSON.stringify([
        ["r", "x", []],
        ["append", "y", 1],
      ]),
    );
    expect(values).toContain(
      JSON.stringify([
        ["r", "y", []],
        ["append", "x", 1],
      ]),
    );
    expect(shrunk.history.map((op) => op.index)).toEqual(shrunk.history.map((_, i) => i));
  });

  it("keeps a stale read's writer, its reader and the read that orders them (G-single-realtime)", () => {
    const h = around((h) =>
      h
        .txn(3, [a("z", 1)])
        .txn(4, [r("z")], [])
        .txn(5, [r("z")], [1]),
    );
    const shrunk = shrinkElle(h.ops);
    expect(shrunk.type).toBe("G-single-realtime");
    expect(shrunk.txnsAfter).toBeLessThanOrEqual(3);
    expect(checkListAppend(shrunk.history)["anomaly-types"]).toEqual(["G-single-realtime"]);
  });

  it("never leaves a read of an element whose append it dropped (a new reason: garbage)", () => {
    const h = around((h) =>
      h
        .invoke(0, a("x", 1))
        .end(0, "fail")
        .txn(1, [r("x")], [1]),
    );
    const shrunk = shrinkElle(h.ops);
    expect(shrunk.type).toBe("G1a");
    expect(shrunk.result["anomaly-types"]).toEqual(["G1a"]);
    expect(shrunk.txnsAfter).toBe(2);
  });

  it("shrinks rw-register histories too", () => {
    const h = new H();
    for (let i = 0; i < 40; i++) h.txn(9, [w(`k${i % 4}`, i + 100)]);
    h.invoke(1, w("x", 1), w("y", 1)).invoke(0, r("x"), r("y")).ok(1).ok(0, null, 1);
    for (let i = 0; i < 40; i++) h.txn(8, [r(`k${i % 4}`)], i < 4 ? 136 + i : 136 + (i % 4));
    expect(checkRwRegister(h.ops, { consistencyModels: ["serializable"] })["anomaly-types"]).toEqual(["G-single"]);
    const shrunk = shrinkElle(h.ops, { consistencyModels: ["serializable"] });
    expect(shrunk).toMatchObject({ type: "G-single", txnsAfter: 2 });
  });

  it("refuses a valid history", () => {
    expect(() => shrinkElle(new H().txn(0, [a("x", 1)]).ops)).toThrow(/valid/);
  });
});

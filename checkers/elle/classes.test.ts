/**
 * Must-reject histories, one per class of list-append anomaly that is no
 * cycle (cycles: elle.test.ts). Each names its anomaly type and a witness;
 * each has a near miss that must pass, so a test cannot pass by rejecting all.
 */
import { describe, expect, it } from "vitest";
import { checkListAppend } from "./index.js";
import { H, a, r } from "./script.js";

const check = (h: H) => checkListAppend(h.ops);

describe("elle list-append: internal consistency is complete", () => {
  it("rejects a read of the txn's own later append (the key's first touch)", () => {
    const result = check(new H().txn(0, [r("x"), a("x", 1)], [1]));
    expect(result.valid).toBe(false);
    expect(result["anomaly-types"]).toContain("future-read");
    expect(result.anomalies["future-read"][0]).toMatchObject({ op: 1, mop: 0, key: "x", element: 1 });
  });

  it("rejects a later append seen among other elements", () => {
    const h = new H().txn(1, [a("x", 5)]).txn(0, [r("x"), a("x", 1)], [5, 1]);
    expect(check(h)["anomaly-types"]).toContain("future-read");
  });

  it("rejects a first read that does not end with the txn's earlier appends", () => {
    const h = new H().txn(1, [a("x", 5)]).txn(0, [a("x", 1), r("x")], [1, 5]);
    const result = check(h);
    expect(result["anomaly-types"]).toContain("internal");
    expect(result.anomalies.internal[0]).toMatchObject({ op: 3, mop: 1, expected: ["...", 1], actual: [1, 5] });
  });

  it("rejects own appends read out of their order", () => {
    const result = check(new H().txn(0, [a("x", 1), a("x", 2), r("x")], [2, 1]));
    expect(result["anomaly-types"]).toContain("internal");
  });

  it("rejects a second read that is not the first plus the appends since", () => {
    const h = new H().txn(1, [a("x", 5)]).txn(0, [r("x"), a("x", 1), r("x")], [5], [1]);
    expect(check(h).anomalies.internal[0]).toMatchObject({ mop: 2, expected: [5, 1], actual: [1] });
  });

  it("passes reads consistent with the txn's own appends", () => {
    const h = new H().txn(1, [a("x", 5)]).txn(0, [a("x", 1), r("x"), a("x", 2), r("x")], [5, 1], [5, 1, 2]);
    expect(check(h)).toMatchObject({ valid: true });
  });
});

describe("elle list-append: one txn's appends show as one run, in order", () => {
  it("rejects [2, 1] for a txn that appended 1 then 2", () => {
    const h = new H().txn(0, [a("x", 1), a("x", 2)]).txn(1, [r("x")], [2, 1]);
    const result = check(h);
    expect(result.valid).toBe(false);
    expect(result["anomaly-types"]).toContain("torn-append");
    expect(result.anomalies["torn-append"][0]).toMatchObject({ op: 3, key: "x", read: [2, 1], writer: 1, appended: [1, 2] });
  });

  it("rejects [1, X, 2]: another txn's element inside the run", () => {
    const h = new H()
      .txn(0, [a("x", 1), a("x", 2)])
      .txn(2, [a("x", 3)])
      .txn(1, [r("x")], [1, 3, 2]);
    expect(check(h)["anomaly-types"]).toContain("torn-append");
  });

  it("rejects a read holding the second append without the first", () => {
    const h = new H().txn(0, [a("x", 1), a("x", 2)]).txn(1, [r("x")], [2]);
    expect(check(h)["anomaly-types"]).toContain("torn-append");
  });

  it("rejects a torn run in a read that is also an incompatible order", () => {
    const h = new H()
      .txn(0, [a("x", 1), a("x", 2)])
      .txn(2, [a("x", 3)])
      .txn(1, [r("x")], [1, 2, 3])
      .txn(1, [r("x")], [3, 2, 1]);
    const types = check(h)["anomaly-types"];
    expect(types).toContain("incompatible-order");
    expect(types).toContain("torn-append");
  });

  it("passes a run cut short at the end of a read (reported as G1b, not torn)", () => {
    const h = new H()
      .invoke(0, a("x", 1), a("x", 2))
      .txn(1, [r("x")], [1])
      .ok(0)
      .txn(1, [r("x")], [1, 2]);
    const types = check(h)["anomaly-types"];
    expect(types).toContain("G1b");
    expect(types).not.toContain("torn-append");
  });

  it("passes runs of several txns, each whole and in order", () => {
    const h = new H()
      .txn(0, [a("x", 1), a("x", 2)])
      .txn(2, [a("x", 3), a("y", 9), a("x", 4)])
      .txn(1, [r("x")], [1, 2, 3, 4]);
    expect(check(h)).toMatchObject({ valid: true });
  });
});

describe("elle list-append: appends no read shows still order the reads", () => {
  it("rejects a read that misses an append completed before it began (found by the brute-force reference)", () => {
    const h = new H().txn(0, [a("x", 1)]).txn(1, [r("x")], []);
    expect(check(h)["anomaly-types"]).toEqual(["G-single-realtime"]);
  });

  it("rejects two txns that read the same list and both appended, neither append shown (a lost update)", () => {
    const h = new H()
      .txn(2, [a("x", 1)])
      .invoke(0, r("x"), a("x", 2))
      .invoke(1, r("x"), a("x", 4))
      .ok(0, [1])
      .ok(1, [1]);
    const result = checkListAppend(h.ops, { consistencyModels: ["serializable"] });
    expect(result["anomaly-types"]).toEqual(["G2-item"]);
    expect((result.anomalies["G2-item"][0] as { explanation: string }).explanation).toMatch(
      /did not yet include T\d's append of [24] \(rw\)/,
    );
  });

  it("passes when the unshown append may come last", () => {
    const h = new H().txn(2, [a("x", 1)]).txn(0, [r("x"), a("x", 2)], [1]);
    expect(check(h)).toMatchObject({ valid: true });
  });
});

describe("elle list-append: relatives", () => {
  it("rejects duplicates in a read, with the element", () => {
    const h = new H().txn(0, [a("x", 1)]).txn(1, [r("x")], [1, 1]);
    expect(check(h).anomalies["duplicate-elements"][0]).toMatchObject({ key: "x", element: 1 });
  });

  it("rejects two reads of a key where neither is a prefix of the other", () => {
    const h = new H()
      .txn(0, [a("x", 1)])
      .txn(2, [a("x", 2)])
      .txn(1, [r("x")], [1])
      .txn(3, [r("x")], [2]);
    expect(check(h).anomalies["incompatible-order"][0]).toMatchObject({ key: "x" });
  });

  it("rejects a read of an element nobody appended", () => {
    expect(check(new H().txn(0, [r("x")], [7])).anomalies["garbage-read"][0]).toMatchObject({ key: "x", element: 7 });
  });

  it("rejects reading a failed append (G1a), and an append on top of it (dirty update)", () => {
    const h = new H()
      .invoke(0, a("x", 1))
      .end(0, "fail")
      .txn(2, [a("x", 2)])
      .txn(1, [r("x")], [1, 2]);
    const result = check(h);
    expect(result.anomalies.G1a[0]).toMatchObject({ key: "x", element: 1, writer: 1 });
    expect(result.anomalies["dirty-update"][0]).toMatchObject({ key: "x", element: 1, "later-element": 2 });
  });

  it("passes an info append that was read: it may have happened", () => {
    const h = new H()
      .invoke(0, a("x", 1))
      .end(0, "info")
      .txn(1, [r("x")], [1]);
    expect(check(h)).toMatchObject({ valid: true });
  });
});

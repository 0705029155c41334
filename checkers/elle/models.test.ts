/** The lattice's answers, checked against the cases of Elle's own consistency_model_test.clj. */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/history/input-error.js";
import { checkListAppend } from "./index.js";
import { anomaliesProhibitedBy, boundary } from "./models.js";
import { H, a, r } from "./script.js";

describe("elle consistency models", () => {
  it("rules out nothing without anomalies", () => {
    expect(boundary([])).toEqual({ not: [], "also-not": [] });
  });

  it("names the weakest models ruled out as `not`, the stronger as `also-not`", () => {
    expect(boundary(["internal"])).toEqual({
      not: ["read-atomic"],
      "also-not": [
        "causal-cerone",
        "parallel-snapshot-isolation",
        "prefix",
        "serializable",
        "snapshot-isolation",
        "strict-serializable",
        "strong-session-serializable",
        "strong-session-snapshot-isolation",
        "strong-snapshot-isolation",
        "update-atomic",
      ],
    });
    expect(boundary(["G-single"])).toEqual({
      not: ["consistent-view"],
      "also-not": [
        "forward-consistent-view",
        "serializable",
        "snapshot-isolation",
        "strict-serializable",
        "strong-session-serializable",
        "strong-session-snapshot-isolation",
        "strong-snapshot-isolation",
        "update-serializable",
      ],
    });
    expect(boundary(["G-single-realtime"])).toEqual({ not: ["strong-snapshot-isolation"], "also-not": ["strict-serializable"] });
    expect(boundary(["lost-update"]).not).toEqual(["cursor-stability", "update-atomic"]);
    expect(boundary(["G2", "internal"]).not).toEqual(["read-atomic"]);
    expect(boundary(["G1a"]).not).toEqual(["read-committed"]);
    expect(boundary(["cyclic-versions"]).not).toEqual(["read-uncommitted"]);
    expect(boundary(["cyclic-versions"])["also-not"]).toHaveLength(24);
  });

  it("prohibits what weaker models prohibit, and anomalies implying those", () => {
    const serializable = anomaliesProhibitedBy(["serializable"]);
    for (const type of ["G0", "G1a", "G1b", "G1c", "G-single", "G2-item", "internal", "future-read", "incompatible-order"])
      expect(serializable).toContain(type);
    expect(serializable).not.toContain("G-single-realtime");
    const readCommitted = anomaliesProhibitedBy(["read-committed"]);
    expect(readCommitted).toContain("G1c");
    expect(readCommitted).not.toContain("G-single");
    expect(anomaliesProhibitedBy(["strict-serializable"])).toContain("G-single-realtime");
  });

  it("rejects an unknown model, listing the known ones", () => {
    expect(() => anomaliesProhibitedBy(["serialisable"])).toThrow(InputError);
    expect(() => anomaliesProhibitedBy(["serialisable"])).toThrow(/known models: .*snapshot-isolation/);
  });

  describe("the checker", () => {
    // write skew: G2-item, which snapshot isolation allows and serializability does not
    const skew = new H()
      .invoke(0, r("x"), a("y", 1))
      .invoke(1, r("y"), a("x", 1))
      .ok(0, [])
      .ok(1, [])
      .txn(2, [r("x"), r("y")], [1], [1]);

    it("is valid under a model that allows what it found, and still reports it", () => {
      const result = checkListAppend(skew.ops, { consistencyModels: ["snapshot-isolation"] });
      expect(result).toMatchObject({ valid: true, "anomaly-types": ["G2-item"], "consistency-models": ["snapshot-isolation"] });
      expect(result.not).toEqual(["repeatable-read"]);
    });

    it("is invalid under a model that prohibits it", () => {
      expect(checkListAppend(skew.ops, { consistencyModels: ["serializable"] }).valid).toBe(false);
      expect(checkListAppend(skew.ops).valid).toBe(false);
    });

    it("adds real-time edges only for models that need them", () => {
      const stale = new H()
        .txn(0, [a("x", 1)])
        .txn(1, [r("x")], [])
        .txn(2, [r("x")], [1]);
      expect(checkListAppend(stale.ops)).toMatchObject({
        valid: false,
        "anomaly-types": ["G-single-realtime"],
        not: ["strong-snapshot-isolation"],
      });
      expect(checkListAppend(stale.ops, { consistencyModels: ["serializable"] })).toMatchObject({ valid: true, "anomaly-types": [] });
    });
  });
});

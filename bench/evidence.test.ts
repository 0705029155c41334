import { describe, expect, it } from "vitest";
import { firstAnomalyIndex } from "./evidence.js";

describe("firstAnomalyIndex", () => {
  it("takes each example at its latest cited op, and the earliest example", () => {
    const totalOrder = {
      valid: false,
      properties: {
        "order-fixed": {
          examples: [
            { node: "n1", op: 61 },
            { node: "n2", op: 40 },
          ],
        },
        "total-order": { examples: [{ node: "n2", op: 3269 }] },
      },
    };
    expect(firstAnomalyIndex(totalOrder)).toBe(40);
    // A cycle is visible once its last op is: 90, not 12.
    const elle = { valid: false, anomalies: { "G-single": [{ cycle: [{ op: 12 }, { op: 90 }] }, { cycle: [{ op: 95 }, { op: 100 }] }] } };
    expect(firstAnomalyIndex(elle)).toBe(90);
  });

  it("reads linearizability's stuck op at its completion, and cited ops by their index", () => {
    const lin = { valid: false, anomalies: [{ type: "nonlinearizable", linearized: [1, 2], stuck: { invoke: 130, complete: 136 } }] };
    expect(firstAnomalyIndex(lin)).toBe(136);
    const resource = { valid: false, examples: [{ index: 77, type: "fail", f: "use" }] };
    expect(firstAnomalyIndex(resource)).toBe(77);
  });

  it("is null when nothing is cited", () => {
    expect(firstAnomalyIndex({ valid: false, "two-winners": [{ key: "user1", winners: ["p1", "p2"] }] })).toBeNull();
    expect(firstAnomalyIndex({ valid: false })).toBeNull();
  });
});

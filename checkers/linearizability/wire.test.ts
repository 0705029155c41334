import { describe, expect, it } from "vitest";
import type { Operation } from "../../src/history/pair.js";
import type { Partition } from "./partition.js";
import { decodePartition, encodePartitions, partitionCount } from "./wire.js";

describe("partitions as shared bytes", () => {
  it("round-trip every field, unknown outcomes (Infinity) and keyless ops included", () => {
    const known: Operation = { id: 0, process: 3, f: "cas", key: "k", value: [1, "ü"], output: null, known: true, invoke: 4, complete: 9 };
    const unknown: Operation = {
      id: 1,
      process: "p",
      f: "write",
      value: { a: [1] },
      output: undefined,
      known: false,
      invoke: 5,
      complete: Infinity,
    };
    const partitions: Partition[] = [
      { name: "k", ops: [known] },
      { name: "(all)/x+y", ops: [unknown], parts: ["x", "y"] },
      { name: "empty", ops: [] },
    ];
    const sab = encodePartitions(partitions);
    expect(partitionCount(sab)).toBe(3);
    expect([0, 1, 2].map((k) => decodePartition(sab, k))).toEqual(partitions);
  });
});

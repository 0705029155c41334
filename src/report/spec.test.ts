import { describe, expect, it } from "vitest";
import type { TestJson } from "../controller/spec.js";
import { describeSetUp, readSetUp } from "./spec.js";

describe("the report reads the typed test.json", () => {
  it("takes the spec's own fields", () => {
    const test: Pick<TestJson, "startedAt"> & { spec: Record<string, unknown> } = {
      startedAt: "2026-11-30T00:00:00.000Z",
      spec: {
        name: "lock",
        workload: "lock",
        cluster: "etcd",
        nodes: 5,
        nemesis: ["kill-leader"],
        time: 10,
        recoveryS: 3,
        concurrency: 4,
        rate: 50,
        seed: 9,
        net: "proxy",
      },
    };
    const notes: string[] = [];
    const setUp = readSetUp(test, notes);
    expect(notes).toEqual([]);
    expect(setUp.startedAt).toBe("2026-11-30T00:00:00.000Z");
    expect(describeSetUp(setUp)).toBe("lock on etcd, 5 nodes, nemesis kill-leader, 10 s + 3 s recovery, concurrency 4, 50 ops/s, seed 9");
  });

  it("guesses no other names, and leaves out a field of the wrong type, saying so", () => {
    const notes: string[] = [];
    const setUp = readSetUp({ workload: "register", nodeCount: 3, spec: { nodes: "three", nemesis: "kill", time: 4 } }, notes);
    expect(setUp).toEqual({ time: 4 });
    expect(notes).toEqual(["test.json: spec.nodes is not a number; left out", "test.json: spec.nemesis is not a string[]; left out"]);
    expect(readSetUp({ spec: [] }, notes)).toEqual({});
    expect(notes.at(-1)).toBe("test.json: spec is not an object; the set-up is left out");
  });
});

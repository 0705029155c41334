import { describe, expect, it } from "vitest";
import type { Operation } from "../../../src/history/pair.js";
import { UNKNOWN, type Model } from "../model.js";
import { makeModel, MODEL_NAMES } from "./index.js";

function op(f: string, value: unknown, output: unknown = null, extra: Partial<Operation> = {}): Operation {
  return { id: 0, process: 1, f, value, output, known: output !== UNKNOWN, invoke: 0, complete: 1, ...extra };
}

/** Steps a model through ops; returns the final state or undefined at the first illegal step. */
function run(name: string, steps: Array<[Operation, unknown]>, initial?: unknown): unknown {
  return runIn(makeModel(name, initial), steps);
}

function runIn(m: Model, steps: Array<[Operation, unknown]>): unknown {
  let s: unknown = m.init();
  for (const [o, out] of steps) {
    const next = m.step(s, o, out);
    if (next === undefined) return undefined;
    s = next;
  }
  return s;
}

describe("models", () => {
  it("knows every model of the corpus table and rejects others with the list", () => {
    for (const name of ["etcd", "kv", "kv-unpartitioned", "cas-register", "multi-register", "mutex"]) expect(MODEL_NAMES).toContain(name);
    expect(() => makeModel("nope")).toThrow(/known models: register, cas-register, kv/);
  });

  it("register: reads must match, cas compares, nil is the initial value", () => {
    expect(run("register", [[op("read", null), null]])).toBe(null);
    expect(run("register", [[op("read", null), 1]])).toBeUndefined();
    expect(
      run("register", [
        [op("write", 3), 3],
        [op("cas", [3, 4]), null],
        [op("read", null), 4],
      ]),
    ).toBe(4);
    expect(run("register", [[op("cas", [1, 2]), null]])).toBeUndefined();
    expect(makeModel("register").validate(op("incr", 1))).toEqual({ field: "f", text: expect.stringMatching(/not incr/) });
  });

  it("cas-register: a read of nil is always legal; default initial 0", () => {
    expect(run("cas-register", [[op("read", null), null]])).toBe(0);
    expect(run("cas-register", [[op("read", null), 1]])).toBeUndefined();
    expect(
      run("cas-register", [
        [op("cas", [0, 5]), null],
        [op("read", null), 5],
      ]),
    ).toBe(5);
  });

  it("etcd: absent at first, so a nil read is checked", () => {
    expect(
      run("etcd", [
        [op("write", 1), 1],
        [op("read", null), null],
      ]),
    ).toBeUndefined();
    expect(run("etcd", [[op("read", null), null]])).toBe(null);
  });

  it("kv: get, put, append on one key's string", () => {
    const k = { key: "a" };
    const m = makeModel("kv");
    const s = runIn(m, [
      [op("append", "x", "x", k), "x"],
      [op("append", "y", "y", k), "y"],
      [op("get", null, "xy", k), "xy"],
    ]);
    expect(m.describe?.(s)).toBe('the key holds "xy"');
    // Empty appends leave the value alone, however many.
    const empty = (f: string, value: unknown, output: unknown) => [op(f, value, output, k), output] as [Operation, unknown];
    expect(runIn(m, [empty("put", "a", "a"), empty("append", "", ""), empty("append", "", ""), empty("get", null, "a")])).toBeDefined();
    // The same value written by a put reads alike, though its node differs.
    expect(m.step(m.step(m.init(), op("put", "xy", "xy", k), "xy"), op("get", null, "xy", k), "xy")).toBeDefined();
    expect(
      run("kv", [
        [op("put", "z", "z", k), "z"],
        [op("get", null, "", k), ""],
      ]),
    ).toBeUndefined();
    expect(makeModel("kv").validate(op("get", null))).toEqual({ field: "key", text: expect.stringMatching(/key/) });
  });

  it("kv-unpartitioned: one map over keys, with a footprint for locality", () => {
    const m = makeModel("kv-unpartitioned");
    const s = runIn(m, [
      [op("put", "1", "1", { key: "a" }), "1"],
      [op("get", null, "", { key: "b" }), ""],
    ]);
    expect(m.describe?.(s)).toBe('"a" holds "1"');
    expect(m.footprint?.(op("get", null, "", { key: "b" }))).toEqual(["b"]);
  });

  it("multi-register: atomic txns; nil reads are free; info txns apply their writes", () => {
    const init = { x: 0, y: 0 };
    const write = op("txn", [
      ["write", "x", 1],
      ["write", "y", 2],
    ]);
    expect(
      run(
        "multi-register",
        [
          [
            write,
            [
              ["write", "x", 1],
              ["write", "y", 2],
            ],
          ],
          [
            op("txn", []),
            [
              ["read", "x", 1],
              ["read", "y", null],
            ],
          ],
        ],
        init,
      ),
    ).toEqual({ x: 1, y: 2 });
    expect(run("multi-register", [[op("txn", []), [["read", "x", 3]]]], init)).toBeUndefined();
    expect(
      run(
        "multi-register",
        [
          [write, UNKNOWN],
          [op("txn", []), [["read", "y", 2]]],
        ],
        init,
      ),
    ).toEqual({ x: 1, y: 2 });
  });

  it("mutex: acquire iff free, release iff held", () => {
    expect(
      run("mutex", [
        [op("acquire", null), null],
        [op("release", null), null],
      ]),
    ).toBe(false);
    expect(
      run("mutex", [
        [op("acquire", null), null],
        [op("acquire", null), null],
      ]),
    ).toBeUndefined();
    expect(run("mutex", [[op("release", null), null]])).toBeUndefined();
  });

  it("fencing: tokens only grow; only the holder releases", () => {
    const p1 = { process: 1 };
    const p2 = { process: 2 };
    expect(
      run("fencing", [
        [op("acquire", null, 5, p1), 5],
        [op("release", 5, null, p1), null],
        [op("acquire", null, 7, p2), 7],
      ]),
    ).toMatchObject({ holder: 2, max: 7 });
    expect(
      run("fencing", [
        [op("acquire", null, 5, p1), 5],
        [op("release", 5, null, p1), null],
        [op("acquire", null, 3, p2), 3],
      ]),
    ).toBeUndefined();
    expect(
      run("fencing", [
        [op("acquire", null, 5, p1), 5],
        [op("release", 5, null, p2), null],
      ]),
    ).toBeUndefined();
  });

  it("set: reads see every add, in any order", () => {
    expect(
      run("set", [
        [op("add", 1), null],
        [op("add", 2), null],
        [op("read", null), [2, 1]],
      ]),
    ).toEqual([1, 2]);
    expect(
      run("set", [
        [op("add", 1), null],
        [op("read", null), []],
      ]),
    ).toBeUndefined();
  });

  it("queue: FIFO; an unknown dequeue that took effect removes the head", () => {
    expect(
      run("queue", [
        [op("enqueue", 1), null],
        [op("enqueue", 2), null],
        [op("dequeue", null), 1],
      ]),
    ).toEqual([2]);
    expect(
      run("queue", [
        [op("enqueue", 1), null],
        [op("enqueue", 2), null],
        [op("dequeue", null), 2],
      ]),
    ).toBeUndefined();
    expect(
      run("queue", [
        [op("enqueue", 1), null],
        [op("dequeue", null), UNKNOWN],
      ]),
    ).toEqual([]);
    expect(run("queue", [[op("dequeue", null), null]])).toEqual([]);
  });
});

/**
 * The Maelstrom workloads' checkers on histories they must pass and must
 * fail, and the counter checker against a brute-force oracle (every subset
 * of the adds) on seeded random histories (kafka's and set-full's references:
 * *.reference.test.ts).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Op } from "../../src/history/op.js";
import { counterChecker } from "./counter.js";
import { echoChecker } from "./echo.js";
import { kafkaChecker } from "./kafka.js";
import { setFullChecker } from "./set-full.js";
import { uniqueIdsChecker } from "./unique-ids.js";

/** A history from [process, f, invoke value, completion type, completion value, node?] rows, each op completing before the next starts. */
function seq(rows: [number, string, unknown, Op["type"], unknown, string?][]): Op[] {
  const ops: Op[] = [];
  let t = 0;
  for (const [process, f, value, type, out, node] of rows) {
    ops.push({ index: ops.length, time: (t += 10), process, type: "invoke", f, value, node });
    ops.push({ index: ops.length, time: (t += 10), process, type, f, value: out, node });
  }
  return ops;
}

describe("echo", () => {
  it("passes replies that echo, fails one that does not", async () => {
    expect((await echoChecker.check(seq([[0, "echo", "a", "ok", "a"]]))).valid).toBe(true);
    expect((await echoChecker.check(seq([[0, "echo", "a", "ok", "b"]]))).valid).toBe(false);
  });
});

describe("unique-ids", () => {
  it("passes distinct ids, fails a repeat (1 and '1' are distinct)", async () => {
    expect(
      (
        await uniqueIdsChecker.check(
          seq([
            [0, "generate", null, "ok", 1],
            [1, "generate", null, "ok", "1"],
          ]),
        )
      ).valid,
    ).toBe(true);
    const r = await uniqueIdsChecker.check(
      seq([
        [0, "generate", null, "ok", "n1-0"],
        [1, "generate", null, "info", null],
        [1, "generate", null, "ok", "n1-0"],
      ]),
    );
    expect(r.valid).toBe(false);
    expect(r["duplicate-count"]).toBe(1);
  });
});

describe("set-full (broadcast, g-set)", () => {
  const check = (rows: Parameters<typeof seq>[0]) => setFullChecker({ add: "broadcast", name: "broadcast" }).check(seq(rows));
  it("passes when every acknowledged element is in every node's final read; counts stale reads", async () => {
    const r = await check([
      [0, "broadcast", 1, "ok", 1],
      [1, "read", null, "ok", []],
      [0, "broadcast", 2, "info", null],
      [1, "final-read", null, "ok", [1], "n1"],
      [1, "final-read", null, "ok", [1, 2], "n2"],
    ]);
    expect(r.valid).toBe(true);
    expect(r["stale-count"]).toBe(1);
  });
  it("fails a lost element, and an element nobody added", async () => {
    const lost = await check([
      [0, "broadcast", 1, "ok", 1],
      [1, "final-read", null, "ok", [1], "n1"],
      [1, "final-read", null, "ok", [], "n2"],
    ]);
    expect(lost.valid).toBe(false);
    expect(lost.lost).toEqual([1]);
    const unexpected = await check([[1, "final-read", null, "ok", [9], "n1"]]);
    expect(unexpected.valid).toBe(false);
  });
  // Found by the brute-force reference: a later indefinite add of the same element hid its ack,
  // and only a node's last final read was judged.
  it("fails a lost element added twice, and a node's earlier final read that lacks one", async () => {
    const addedTwice = await check([
      [0, "broadcast", 1, "ok", 1],
      [1, "broadcast", 1, "info", null],
      [2, "final-read", null, "ok", [], "n1"],
    ]);
    expect(addedTwice.valid).toBe(false);
    expect(addedTwice.lost).toEqual([1]);
    const readTwice = await check([
      [0, "broadcast", 1, "ok", 1],
      [1, "final-read", null, "ok", [], "n1"],
      [1, "final-read", null, "ok", [1], "n1"],
    ]);
    expect(readTwice.valid).toBe(false);
  });
  it("is unknown when a node's final read failed", async () => {
    expect(
      (
        await check([
          [0, "broadcast", 1, "ok", 1],
          [1, "final-read", null, "ok", [1], "n1"],
          [1, "final-read", null, "info", null, "n2"],
        ])
      ).valid,
    ).toBe("unknown");
  });
});

describe("kafka", () => {
  it("passes one log per key, consistently polled and committed", async () => {
    const r = await kafkaChecker.check(
      seq([
        [0, "send", { key: "a", msg: 1 }, "ok", { key: "a", msg: 1, offset: 0 }],
        [0, "send", { key: "a", msg: 2 }, "ok", { key: "a", msg: 2, offset: 3 }],
        [
          1,
          "poll",
          {},
          "ok",
          {
            msgs: {
              a: [
                [0, 1],
                [3, 2],
              ],
            },
          },
        ],
        [1, "commit_offsets", {}, "ok", { offsets: { a: 3 } }],
        [1, "list_committed_offsets", {}, "ok", { offsets: { a: 3 } }],
        [
          1,
          "final-poll",
          {},
          "ok",
          {
            msgs: {
              a: [
                [0, 1],
                [3, 2],
              ],
            },
          },
        ],
      ]),
    );
    expect(r.valid).toBe(true);
  });
  it("fails each anomaly", async () => {
    const cases: [string, Parameters<typeof seq>[0]][] = [
      [
        "duplicate-offset",
        [
          [0, "send", {}, "ok", { key: "a", msg: 1, offset: 0 }],
          [0, "send", {}, "ok", { key: "a", msg: 2, offset: 0 }],
        ],
      ],
      [
        "inconsistent-offset",
        [
          [0, "send", {}, "ok", { key: "a", msg: 1, offset: 0 }],
          [1, "poll", {}, "ok", { msgs: { a: [[0, 7]] } }],
        ],
      ],
      [
        "poll-nonmonotonic",
        [
          [
            1,
            "poll",
            {},
            "ok",
            {
              msgs: {
                a: [
                  [2, 1],
                  [1, 2],
                ],
              },
            },
          ],
        ],
      ],
      [
        "lost-write",
        [
          [0, "send", {}, "ok", { key: "a", msg: 1, offset: 1 }],
          [
            1,
            "poll",
            {},
            "ok",
            {
              msgs: {
                a: [
                  [0, 5],
                  [2, 6],
                ],
              },
            },
          ],
        ],
      ],
      [
        "lost-write",
        [
          [0, "send", {}, "ok", { key: "a", msg: 1, offset: 1 }],
          [1, "final-poll", {}, "ok", { msgs: {} }],
        ],
      ],
      // Found by the brute-force reference: a skipped entry that only a poll saw, an entry
      // between the requested offset and the first returned, and a requested key left out.
      [
        "lost-write",
        [
          [1, "poll", { offsets: { a: 0 } }, "ok", { offsets: { a: 0 }, msgs: { a: [[1, 5]] } }],
          [
            2,
            "final-poll",
            {},
            "ok",
            {
              msgs: {
                a: [
                  [0, 4],
                  [2, 6],
                ],
              },
            },
          ],
        ],
      ],
      [
        "lost-write",
        [
          [0, "send", {}, "ok", { key: "a", msg: 1, offset: 1 }],
          [1, "poll", { offsets: { a: 0 } }, "ok", { offsets: { a: 0 }, msgs: { a: [[2, 6]] } }],
        ],
      ],
      [
        "lost-commit",
        [
          [1, "commit_offsets", {}, "ok", { offsets: { a: 4 } }],
          [1, "list_committed_offsets", { keys: ["a"] }, "ok", { keys: ["a"], offsets: {} }],
        ],
      ],
      [
        "lost-commit",
        [
          [1, "commit_offsets", {}, "ok", { offsets: { a: 4 } }],
          [1, "list_committed_offsets", {}, "ok", { offsets: { a: 2 } }],
        ],
      ],
      [
        "nonmonotonic-committed",
        [
          [1, "list_committed_offsets", {}, "ok", { offsets: { a: 4 } }],
          [2, "list_committed_offsets", {}, "ok", { offsets: { a: 2 } }],
        ],
      ],
    ];
    for (const [anomaly, rows] of cases) {
      const r = await kafkaChecker.check(seq(rows));
      expect(r.valid, anomaly).toBe(false);
      expect(r["anomaly-types"], anomaly).toContain(anomaly);
    }
  });
});

describe("counter read bounds", () => {
  it("passes a read some subset of the adds explains, fails one none does", async () => {
    const ok = seq([
      [0, "add", 2, "ok", 2],
      [1, "add", -1, "info", null],
      [0, "read", null, "ok", 1],
      [0, "final-read", null, "ok", 2, "n1"],
    ]);
    expect((await counterChecker("pn-counter").check(ok)).valid).toBe(true);
    const bad = seq([
      [0, "add", 2, "ok", 2],
      [0, "read", null, "ok", 3],
    ]);
    expect((await counterChecker("pn-counter").check(bad)).valid).toBe(false);
    const lostAdd = seq([
      [0, "add", 2, "ok", 2],
      [0, "add", 3, "fail", null],
      [0, "final-read", null, "ok", 0, "n1"],
    ]);
    expect((await counterChecker("g-counter").check(lostAdd)).valid).toBe(false);
  });

  // The oracle: a read is explained when its value lies between the least and the
  // greatest sum over the subsets of the adds that may have happened before it
  // completed (a final read: the subsets holding every acknowledged add).
  it("agrees with a brute-force oracle on seeded random histories", async () => {
    const row = fc.tuple(
      fc.constantFrom("add", "read", "final-read"),
      fc.integer({ min: -3, max: 3 }),
      fc.constantFrom<Op["type"]>("ok", "ok", "info", "fail"),
      fc.integer({ min: -3, max: 3 }),
    );
    let invalid = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 9 }), async (rows) => {
        const history = seq(rows.map(([f, d, type, v], i) => (f === "add" ? [i, "add", d, type, d] : [i, f, null, "ok", v, `n${i}`])));
        const sums = (adds: { d: number; must: boolean }[]) => {
          let lo = Infinity;
          let hi = -Infinity;
          for (let mask = 0; mask < 1 << adds.length; mask++) {
            if (adds.some((a, j) => a.must && !(mask & (1 << j)))) continue;
            const s = adds.reduce((acc, a, j) => acc + (mask & (1 << j) ? a.d : 0), 0);
            lo = Math.min(lo, s);
            hi = Math.max(hi, s);
          }
          return [lo, hi];
        };
        let expected = true;
        rows.forEach(([f, , , v], i) => {
          if (f === "add") return;
          const before = rows
            .slice(0, i)
            .filter(([g, , type]) => g === "add" && type !== "fail")
            .map(([, d, type]) => ({ d, must: f === "final-read" && type === "ok" }));
          const all = rows.filter(([g, , type]) => g === "add" && type !== "fail").map(([, d, type]) => ({ d, must: type === "ok" }));
          const [lo, hi] = sums(f === "final-read" ? all : before);
          if (v < (lo as number) || v > (hi as number)) expected = false;
        });
        const got = (await counterChecker("pn-counter").check(history)).valid;
        if (got === false ? expected : !expected) throw new Error(`checker ${String(got)}, oracle ${expected}: ${JSON.stringify(rows)}`);
        if (!expected) invalid++;
      }),
      { seed: 20_261_130, numRuns: 400 },
    );
    expect(invalid).toBeGreaterThan(40);
    expect(invalid).toBeLessThan(360);
  });
});

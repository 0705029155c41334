/** The Maelstrom workloads' checkers and perf through the registry: must-pass, must-fail, inference, and misfits named by line and field. */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/history/input-error.js";
import type { History, Op } from "../../src/history/op.js";
import { checkerNamed, inferChecker, runChecker } from "./index.js";

type Call = [f: string, invoke: unknown, ok: unknown, extra?: Partial<Op>];

/** One process per call, each call an invoke then its ok, in order. */
function history(calls: Call[]): History {
  return calls.flatMap(([f, invoke, ok, extra], p): Op[] => [
    { index: 2 * p, time: 2 * p, process: p, type: "invoke", f, value: invoke, ...extra },
    { index: 2 * p + 1, time: 2 * p + 1, process: p, type: "ok", f, value: ok, ...extra },
  ]);
}

const run = (name: string, ops: History) =>
  runChecker(
    checkerNamed(name, ops),
    { ops, format: "jsonl", lines: ops.map((_, i) => i + 1), name: "h.jsonl" },
    { title: "t", timeoutMs: 10_000 },
  );

const CASES: { name: string; valid: Call[]; invalid: Call[]; why: RegExp }[] = [
  {
    name: "set-full",
    valid: [
      ["broadcast", 1, 1],
      ["read", null, [1]],
      ["final-read", null, [1], { node: "n1" }],
      ["final-read", null, [1], { node: "n2" }],
    ],
    invalid: [
      ["broadcast", 1, 1],
      ["broadcast", 2, 2],
      ["final-read", null, [1, 7], { node: "n1" }],
    ],
    why: /INVALID: lost 1, unexpected 1/,
  },
  {
    name: "counter",
    valid: [
      ["add", 2, 2],
      ["add", -1, -1],
      ["read", null, 2],
      ["final-read", null, 1, { node: "n1" }],
    ],
    invalid: [
      ["add", 2, 2],
      ["final-read", null, 5, { node: "n1" }],
    ],
    why: /INVALID: 1 read\(s\) out of bounds/,
  },
  {
    name: "kafka",
    valid: [
      ["send", { key: "k", msg: 5 }, { key: "k", msg: 5, offset: 0 }],
      ["final-poll", { offsets: { k: 0 } }, { msgs: { k: [[0, 5]] } }],
    ],
    invalid: [
      ["send", { key: "k", msg: 5 }, { key: "k", msg: 5, offset: 0 }],
      ["send", { key: "k", msg: 6 }, { key: "k", msg: 6, offset: 0 }],
      ["final-poll", { offsets: { k: 0 } }, { msgs: { k: [[0, 5]] } }],
    ],
    why: /INVALID: .*duplicate-offset/,
  },
  {
    name: "unique-ids",
    valid: [
      ["generate", null, "a"],
      ["generate", null, "b"],
    ],
    invalid: [
      ["generate", null, 1],
      ["generate", null, 1],
    ],
    why: /INVALID: 1 id\(s\) handed out twice/,
  },
  {
    name: "echo",
    valid: [["echo", "hi", "hi"]],
    invalid: [["echo", "hi", "ho"]],
    why: /INVALID: 1 reply\(ies\) not echoing/,
  },
];

describe("the Maelstrom workloads' checkers on stored histories", () => {
  for (const c of CASES) {
    it(`${c.name}: passes a correct history and fails a broken one, saying why`, async () => {
      const good = await run(c.name, history(c.valid));
      expect(good.result.valid).toBe(true);
      expect(good.summary[1]).toBe("valid");
      const bad = await run(c.name, history(c.invalid));
      expect(bad.result.valid).toBe(false);
      expect(bad.summary[1]).toMatch(c.why);
      expect(bad.html()).toContain('data-verdict="invalid"');
    });
  }

  it("infers each from its ops, leaving add/read histories without final reads to linearizability", () => {
    for (const c of CASES) expect(inferChecker(history(c.invalid), "jsonl")).toBe(c.name);
    // a g-set read back: a set; only broadcasts, or deliveries: total order
    expect(
      inferChecker(
        history([
          ["add", 1, 1],
          ["final-read", null, [1], { node: "n1" }],
        ]),
        "jsonl",
      ),
    ).toBe("set-full");
    expect(inferChecker(history([["broadcast", "m", { seq: 1 }]]), "jsonl")).toBe("total-order");
    expect(
      inferChecker(
        history([
          ["add", 1, 1],
          ["read", null, [1]],
        ]),
        "jsonl",
      ),
    ).toBe("linearizable");
  });

  it("resolves Maelstrom's workload names", () => {
    expect(checkerNamed("g-set").name).toBe("set-full");
    expect(checkerNamed("g-counter").name).toBe("counter");
    expect(checkerNamed("pn-counter").name).toBe("counter");
  });

  it("perf gives figures for any history and is always valid", async () => {
    const outcome = await run(
      "perf",
      history([
        ["write", 1, 1],
        ["read", null, 1],
      ]),
    );
    expect(outcome.result.valid).toBe(true);
    expect(outcome.summary[0]).toMatch(/^2 ops completed \(0 pending\)/);
    expect(outcome.result.latency).toHaveProperty("write");
  });

  it("refuses values of the wrong shape, naming the op's line and field", async () => {
    const misfits: [string, Call[], RegExp][] = [
      ["counter", [["add", "x", "x"]], /h\.jsonl line 1, field "value": counter: an add's value is its delta/],
      ["set-full", [["read", null, 3]], /h\.jsonl line 2, field "value": set-full: a read's value is the list/],
      ["kafka", [["send", { key: "k", msg: 1 }, null]], /h\.jsonl line 2, field "value": kafka: a send's completion/],
      ["kafka", [["poll", {}, { msgs: [1] }]], /line 2, field "value": kafka: a poll's completion/],
      ["kafka", [["commit_offsets", {}, { offsets: { k: "x" } }]], /line 2, field "value": kafka: commit_offsets's completion/],
    ];
    for (const [name, calls, says] of misfits) {
      const attempt = run(name, history(calls));
      await expect(attempt).rejects.toThrow(InputError);
      await expect(attempt).rejects.toThrow(says);
    }
  });
});

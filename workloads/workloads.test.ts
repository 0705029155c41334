import { describe, expect, it } from "vitest";
import type { Checker } from "../checkers/checker.js";
import type { GenContext, Generator, OpRequest } from "../src/controller/generator.js";
import type { Op } from "../src/history/op.js";
import { WORKLOADS, findWorkload } from "./index.js";

const OPTS = { seed: 4, nodes: ["n1", "n2", "n3"], concurrency: 3 };

/** The first `n` requests of a generator, each on process 0, completed ok at once. */
function take(gen: Generator, n: number): OpRequest[] {
  const out: OpRequest[] = [];
  const ctx: GenContext = { timeNs: 0, free: [0], processes: [0], nodes: OPTS.nodes };
  for (let i = 0; i < n; i++) {
    const step = gen.op(ctx);
    if (step.kind !== "op") break;
    out.push(step.op);
    gen = step.gen.update(ctx, {
      index: i,
      time: 0,
      process: 0,
      type: "ok",
      f: step.op.f,
      value: step.op.f === "acquire" ? { token: i + 1 } : step.op.value,
      key: step.op.key,
    });
  }
  return out;
}

function checker(workload: string, name: string): Checker {
  const c = findWorkload(workload)!
    .make(OPTS)
    .checkers.find((x) => x.name === name);
  if (!c) throw new Error(`${workload} has no checker ${name}`);
  return c;
}

/** A history from [process, type, f, value, key?] rows, times in order. */
function history(rows: [number | string, Op["type"], string, unknown, string?][]): Op[] {
  return rows.map(([process, type, f, value, key], index) => ({
    index,
    time: index * 1e6,
    process,
    type,
    f,
    value,
    ...(key ? { key } : {}),
  }));
}

describe("workloads", () => {
  for (const w of WORKLOADS) {
    it(`${w.name}: its generator is fixed by the seed and makes ops`, () => {
      const a = take(w.make(OPTS).generator, 50);
      expect(a.length).toBe(50);
      expect(take(w.make(OPTS).generator, 50)).toEqual(a);
    });
  }

  it("lock: a holder uses the resource with its token, then releases", () => {
    const ops = take(findWorkload("lock")!.make(OPTS).generator, 3);
    expect(ops.map((o) => o.f)).toEqual(["acquire", "use", "release"]);
    expect(ops[1]?.value).toEqual({ token: 1 });
    expect(ops[2]?.value).toEqual({ token: 1 });
  });

  it("broadcast: every message is unique", () => {
    const sends = take(findWorkload("broadcast")!.make(OPTS).generator, 500).filter((o) => o.f === "broadcast");
    expect(new Set(sends.map((o) => o.value)).size).toBe(sends.length);
  });

  it("uniqueness flags two winners of one name", async () => {
    const h = history([
      [0, "invoke", "cas", [null, "p0"], "user0"],
      [1, "invoke", "cas", [null, "p1"], "user0"],
      [0, "ok", "cas", [null, "p0"], "user0"],
      [1, "ok", "cas", [null, "p1"], "user0"],
    ]);
    const r = await checker("unique", "uniqueness").check(h);
    expect(r.valid).toBe(false);
    expect(r["anomaly-types"]).toEqual(["two-winners"]);
  });

  it("uniqueness flags a winner the final read does not show", async () => {
    const h = history([
      [0, "invoke", "cas", [null, "p0"], "user0"],
      [0, "ok", "cas", [null, "p0"], "user0"],
      [1, "invoke", "read", null, "user0"],
      [1, "ok", "read", "p7", "user0"],
    ]);
    expect((await checker("unique", "uniqueness").check(h))["anomaly-types"]).toEqual(["lost-claim"]);
  });

  it("uniqueness accepts one winner per name that the final read shows, and cites the ops of a violation", async () => {
    const h = history([
      [0, "invoke", "cas", [null, "p0"], "user0"],
      [1, "invoke", "cas", [null, "p1"], "user0"],
      [0, "ok", "cas", [null, "p0"], "user0"],
      [1, "fail", "cas", [null, "p1"], "user0"],
      [2, "invoke", "read", null, "user0"],
      [2, "ok", "read", "p0", "user0"],
    ]);
    expect(await checker("unique", "uniqueness").check(h)).toMatchObject({ valid: true, names: 1, "anomaly-types": [] });
    const two = history([
      [0, "invoke", "cas", [null, "p0"], "user0"],
      [1, "invoke", "cas", [null, "p1"], "user0"],
      [0, "ok", "cas", [null, "p0"], "user0"],
      [1, "ok", "cas", [null, "p1"], "user0"],
    ]);
    expect((await checker("unique", "uniqueness").check(two))["two-winners"]).toEqual([
      { key: "user0", winners: ["p0", "p1"], ops: [2, 3] },
    ]);
  });

  it("the fenced resource accepts growing tokens", async () => {
    const h = history([
      [0, "invoke", "use", { token: 3 }, "lock0"],
      [0, "ok", "use", { token: 3 }, "lock0"],
      [1, "invoke", "use", { token: 5 }, "lock0"],
      [1, "ok", "use", { token: 5 }, "lock0"],
    ]);
    expect(await checker("lock", "fenced-resource").check(h)).toMatchObject({ valid: true, accepted: 2, "stale-tokens": 0 });
  });

  it("register: values are unique, reads go to the nodes in turn, a cas compares with the last value seen", () => {
    const ops = take(findWorkload("register")!.make(OPTS).generator, 300);
    const written = ops.filter((o) => o.f !== "read").map((o) => (o.f === "cas" ? (o.value as unknown[])[1] : o.value));
    expect(new Set(written).size).toBe(written.length);
    const readNodes = new Set(ops.filter((o) => o.f === "read").map((o) => o.node));
    expect([...readNodes].sort()).toEqual(["n1", "n2", "n3"]);
    // take() completes every op ok with its own value (a read returns nil): a cas compares with what was last seen there.
    const lastOn = new Map<string, unknown>();
    let compared = 0;
    for (const o of ops) {
      if (o.f === "cas") {
        const [from, to] = o.value as [unknown, unknown];
        if (lastOn.has(o.key!)) {
          expect(from).toBe(lastOn.get(o.key!));
          compared++;
        }
        lastOn.set(o.key!, to);
      } else lastOn.set(o.key!, o.value);
    }
    expect(compared).toBeGreaterThan(10);
  });

  it("the fenced resource's refusal of a stale token is a violation", async () => {
    const h = history([
      [0, "invoke", "use", { token: 3 }, "lock0"],
      [0, "fail", "use", { token: 3 }, "lock0"],
    ]);
    expect((await checker("lock", "fenced-resource").check(h)).valid).toBe(false);
  });

  it("failover measures each window from a kill to the next acknowledged write, and flags no recovery", async () => {
    const recovered = history([
      ["nemesis", "invoke", "kill", { nodes: ["n1"] }],
      ["nemesis", "info", "kill", { nodes: ["n1"] }],
      [0, "invoke", "write", 1, "failover"],
      [0, "ok", "write", 1, "failover"],
    ]);
    const r = await checker("failover", "unavailability").check(recovered);
    expect(r).toMatchObject({ valid: true, kills: 1, "windows-ms": [3] });
    const stuck = history([
      [0, "invoke", "write", 1, "failover"],
      [0, "ok", "write", 1, "failover"],
      ["nemesis", "invoke", "kill", { nodes: ["n1"] }],
      ["nemesis", "info", "kill", { nodes: ["n1"] }],
    ]);
    expect((await checker("failover", "unavailability").check(stuck)).valid).toBe(false);
  });
});

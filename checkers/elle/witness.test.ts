/**
 * Every cycle the list-append and rw-register checkers report is explained
 * step by step (./append-witness.ts, ./register-witness.ts): a step with no
 * witness makes the whole check "unknown", so an anomaly found goes
 * unreported. Random messy histories (repeated, garbage and out-of-order
 * elements; failed and indeterminate txns; any interleaving) must never
 * leave a step unexplained. fast-check: seeded, shrinking; a failure prints
 * the seed and the shrunk history. ELLE_SEED and ELLE_RUNS replay or widen.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { History, Op } from "../../src/history/op.js";
import type { ElleResult } from "./analyze.js";
import { checkListAppend, checkRwRegister } from "./index.js";
import { H, a, r } from "./script.js";

const SEED = Number(process.env.ELLE_SEED ?? 20261130);
const RUNS = Number(process.env.ELLE_RUNS ?? 1000);

const plannedTxn = fc.record({
  mops: fc.array(fc.record({ read: fc.boolean(), key: fc.constantFrom("x", "y") }), { minLength: 1, maxLength: 3 }),
  outcome: fc.constantFrom("ok", "ok", "ok", "fail", "info"),
  /** what each read shows: indexes into the key's writes, out of range for garbage */
  reads: fc.array(fc.array(fc.nat(6), { maxLength: 5 }), { minLength: 3, maxLength: 3 }),
  invokeAt: fc.nat(20),
  completeAt: fc.nat(20),
});

type Planned = typeof plannedTxn extends fc.Arbitrary<infer T> ? T : never;

/** `write` is the micro-op function that writes ("append" | "w"); a read of a register shows one value. */
function build(plan: Planned[], write: "append" | "w"): History {
  const written = new Map<string, number[]>();
  let next = 1;
  const invoked = plan.map((t) =>
    t.mops.map(({ read, key }) => {
      if (read) return ["r", key, null];
      const element = next++;
      written.set(key, [...(written.get(key) ?? []), element]);
      return [write, key, element];
    }),
  );
  const shown = (key: string, at: number): number => written.get(key)?.[at] ?? 100 + at;
  const events = plan.flatMap((t, p) => [
    { rank: t.invokeAt, p, invoke: true },
    { rank: 21 + t.completeAt, p, invoke: false },
  ]);
  events.sort((x, y) => x.rank - y.rank || x.p - y.p);
  const ops: Op[] = [];
  for (const { p, invoke } of events) {
    const t = plan[p];
    const type = invoke ? "invoke" : t.outcome;
    let j = 0;
    const value =
      type === "ok"
        ? invoked[p].map(([f, key, v]) => {
            if (f !== "r") return [f, key, v];
            const at = t.reads[j++ % t.reads.length];
            return [
              f,
              key,
              write === "w" ? (at.length === 0 ? null : shown(key as string, at[0])) : at.map((i) => shown(key as string, i)),
            ];
          })
        : invoked[p];
    ops.push({ index: ops.length, time: ops.length, process: p, type: type as Op["type"], f: "txn", value });
  }
  return ops;
}

function explained(result: ElleResult): boolean {
  for (const list of Object.values(result.anomalies)) {
    for (const anomaly of list) {
      const steps = anomaly.steps as { text?: string }[] | undefined;
      if (steps?.some((step) => typeof step.text !== "string")) return false;
    }
  }
  return typeof result.valid === "boolean";
}

describe("elle: every step of every reported cycle has a witness", () => {
  it("explains a wr edge into a read that repeats an element (the read's last element is a repeat)", () => {
    const h = new H()
      .txn(1, [a("x", 1)])
      .invoke(2, a("x", 2), r("y"))
      .invoke(3, r("x"), a("y", 5))
      .ok(2, [5])
      .ok(3, [1, 2, 1]);
    const result = checkListAppend(h.ops);
    expect(result.valid).toBe(false);
    expect(result["anomaly-types"]).toEqual(["G1c", "duplicate-elements"]);
    const steps = result.anomalies.G1c[0].steps as { type: string; key: string; element: number }[];
    expect(steps).toContainEqual(expect.objectContaining({ type: "wr", key: "x", element: 2 }));
  });

  for (const [name, check, write] of [
    ["list-append", checkListAppend, "append"],
    ["rw-register", checkRwRegister, "w"],
  ] as const) {
    it(`${name}: random messy histories are all decided and explained`, () => {
      let invalid = 0;
      fc.assert(
        fc.property(fc.array(plannedTxn, { minLength: 2, maxLength: 6 }), (plan) => {
          const history = build(plan, write);
          for (const consistencyModels of [["strict-serializable"], ["serializable"]]) {
            const result = check(history, { consistencyModels });
            if (!explained(result)) return false;
            if (!result.valid) invalid++;
          }
          return true;
        }),
        { seed: SEED, numRuns: RUNS },
      );
      // the property is about invalid histories: most runs must be ones
      expect(invalid).toBeGreaterThan(RUNS / 2);
    });
  }
});

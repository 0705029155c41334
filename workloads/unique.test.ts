/**
 * The uniqueness checker against a reference that decides from first
 * principles, on random small histories (fast-check: seeded, shrinking; a
 * failure prints its seed and the shrunk history). The reference tries every
 * world: per name, which claim (if any) really took it, among those not known
 * to have failed; a history is valid iff some world explains every
 * acknowledged claim and the final read.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { History, Op } from "../src/history/op.js";
import { PROPERTY_SEED } from "../test/support/histories.js";
import { uniquenessChecker } from "./unique.js";

const NAMES = ["a", "b"];
const FINAL_VALUES = [null, "p0", "p1", "p2", "p3"];

interface Claim {
  owner: string;
  outcome: "ok" | "fail" | "info" | "open";
}

function reference(history: History): boolean {
  const claims = new Map<string, Claim[]>();
  const finals = new Map<string, unknown>();
  const invokes = new Map<string | number, Op>();
  for (const op of history) {
    if (op.type === "invoke") {
      invokes.set(op.process, op);
      if (op.f === "cas")
        claims.set(op.key!, [...(claims.get(op.key!) ?? []), { owner: (op.value as [null, string])[1], outcome: "open" }]);
      continue;
    }
    const invoke = invokes.get(op.process)!;
    invokes.delete(op.process);
    if (op.f === "cas")
      claims.get(op.key!)!.find((c) => c.owner === (invoke.value as [null, string])[1] && c.outcome === "open")!.outcome = op.type;
    else if (op.type === "ok") finals.set(op.key!, op.value);
  }
  return NAMES.every((name) => {
    const cs = claims.get(name) ?? [];
    const worlds: (Claim | null)[] = [null, ...cs.filter((c) => c.outcome !== "fail")];
    return worlds.some(
      (taker) =>
        cs.every((c) => c.outcome !== "ok" || c === taker) &&
        (!finals.has(name) || finals.get(name) === (taker === null ? null : taker.owner)),
    );
  });
}

/** Claims by processes 0-3 (owner pN), each ok, fail, info or left open; then a final read per name. */
const historyArb = fc
  .tuple(
    fc.array(fc.record({ process: fc.nat(3), name: fc.nat(1), outcome: fc.constantFrom("ok", "ok", "fail", "info", "open") }), {
      maxLength: 6,
    }),
    fc.array(fc.option(fc.nat(FINAL_VALUES.length - 1), { nil: undefined }), { minLength: 2, maxLength: 2 }),
  )
  .map(([claims, finalPicks]) => {
    const ops: Omit<Op, "index" | "time">[] = [];
    const used = new Set<number>();
    for (const c of claims) {
      // A process makes one claim: an info or open one never returns, and owners stay distinct.
      if (used.has(c.process)) continue;
      used.add(c.process);
      const key = NAMES[c.name]!;
      const value = [null, `p${c.process}`];
      ops.push({ process: c.process, type: "invoke", f: "cas", key, value });
      if (c.outcome !== "open") ops.push({ process: c.process, type: c.outcome as Op["type"], f: "cas", key, value });
    }
    finalPicks.forEach((pick, i) => {
      if (pick === undefined) return;
      ops.push({ process: 10 + i, type: "invoke", f: "read", key: NAMES[i]!, value: null });
      ops.push({ process: 10 + i, type: "ok", f: "read", key: NAMES[i]!, value: FINAL_VALUES[pick] });
    });
    return ops.map((op, index) => ({ ...op, index, time: index }) as Op);
  });

describe("uniqueness", () => {
  it("agrees with the every-world reference on random small histories", async () => {
    let invalid = 0;
    const runs = 3000;
    await fc.assert(
      fc.asyncProperty(historyArb, async (history) => {
        const expected = reference(history);
        if (!expected) invalid++;
        expect((await uniquenessChecker.check(history)).valid).toBe(expected);
      }),
      { seed: PROPERTY_SEED, numRuns: runs },
    );
    // Both verdicts well represented, or the property proves little.
    expect(invalid).toBeGreaterThan(runs / 10);
    expect(invalid).toBeLessThan(runs * 0.9);
  });

  it("names a failed claim that the final read shows (phantom-owner), and accepts an info claim shown", async () => {
    const at = (ops: Omit<Op, "index" | "time">[]) => ops.map((op, index) => ({ ...op, index, time: index }) as Op);
    const claim = (process: number, type: Op["type"]) => ({ process, type, f: "cas", key: "a", value: [null, `p${process}`] });
    const read = (value: unknown) => [
      { process: 9, type: "invoke" as const, f: "read", key: "a", value: null },
      { process: 9, type: "ok" as const, f: "read", key: "a", value },
    ];
    const failed = await uniquenessChecker.check(at([claim(0, "invoke"), claim(0, "fail"), ...read("p0")]));
    expect(failed).toMatchObject({
      valid: false,
      "anomaly-types": ["phantom-owner"],
      "phantom-owners": [{ key: "a", final: "p0", ops: [3] }],
    });
    const nobody = await uniquenessChecker.check(at(read("p5")));
    expect(nobody["anomaly-types"]).toEqual(["phantom-owner"]);
    const info = await uniquenessChecker.check(at([claim(0, "invoke"), claim(0, "info"), ...read("p0")]));
    expect(info).toMatchObject({ valid: true, "anomaly-types": [] });
  });
});

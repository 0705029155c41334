/**
 * The set-full checker (broadcast, g-set) against a brute-force reference on
 * seeded random small concurrent histories. The reference decides from first
 * principles: it enumerates every subset of the indefinite (info) adds that
 * may have happened, and asks whether, with every acknowledged add, one
 * explains every ok read (a read holds only added elements) and every ok
 * final read (it holds every acknowledged element). Failed adds certainly did
 * not happen. With no such subset the verdict is false; otherwise, unless
 * every node asked for a final read answered one, "unknown". Stale reads are
 * counted, not judged: the reference counts, per acknowledged element, the ok
 * reads that began after one of its adds was acknowledged and lack it.
 * Elements may be added more than once, and a node may be read finally more
 * than once: the checker must judge every add and every final read.
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import { PROPERTY_SEED } from "../../test/support/histories.js";
import { outcomeArbitrary, precedes, slotsArbitrary, type TimedOp, timedHistory } from "../../test/support/timed-history.js";
import { setFullChecker } from "./set-full.js";

/** Elements 1..3 are added; 4 never is, so reading it is unexpected. */
const ELEMENT_MAX = 4;
const NODES = ["n1", "n2"];

const stepArbitrary = fc.record({
  kind: fc.constantFrom("add", "add", "read", "final-read"),
  element: fc.integer({ min: 1, max: ELEMENT_MAX - 1 }),
  /** Which elements a read holds, as a bit mask. */
  mask: fc.nat((1 << ELEMENT_MAX) - 1),
  node: fc.nat(NODES.length - 1),
  /** A faithful read holds only attempted elements (a final read: all of them); a corrupt one holds any. */
  corrupt: fc.nat(4).map((x) => x === 0),
  outcome: outcomeArbitrary,
  slots: slotsArbitrary,
});

type Step = typeof stepArbitrary extends fc.Arbitrary<infer S> ? S : never;

const elementsOf = (mask: number) => Array.from({ length: ELEMENT_MAX }, (_, i) => i + 1).filter((e) => mask & (1 << (e - 1)));

function toOps(steps: readonly Step[]): TimedOp[] {
  const attempted = new Set(steps.filter((s) => s.kind === "add" && s.outcome !== "fail").map((s) => s.element));
  return steps.map((s) => {
    if (s.kind === "add") return { f: "add", value: s.element, type: s.outcome, out: s.element, ...s.slots };
    const all = elementsOf(s.mask);
    const held = s.corrupt ? all : s.kind === "final-read" ? [...attempted].sort() : all.filter((e) => attempted.has(e));
    return { f: s.kind, value: null, type: s.outcome, out: s.outcome === "ok" ? held : null, node: NODES[s.node], ...s.slots };
  });
}

function reference(ops: readonly TimedOp[]): { valid: boolean | "unknown"; staleReads: number } {
  const okAdded = new Set(ops.filter((o) => o.f === "add" && o.type === "ok").map((o) => o.value as number));
  const infoAdded = [...new Set(ops.filter((o) => o.f === "add" && o.type === "info").map((o) => o.value as number))];
  const reads = ops.filter((o) => (o.f === "read" || o.f === "final-read") && o.type === "ok");
  let explained = false;
  for (let mask = 0; mask < 1 << infoAdded.length && !explained; mask++) {
    const happened = new Set([...okAdded, ...infoAdded.filter((_, i) => mask & (1 << i))]);
    explained = reads.every(
      (r) =>
        (r.out as number[]).every((e) => happened.has(e)) &&
        (r.f !== "final-read" || [...okAdded].every((e) => (r.out as number[]).includes(e))),
    );
  }
  const asked = new Set(ops.filter((o) => o.f === "final-read").map((o) => o.node));
  const answered = new Set(reads.filter((r) => r.f === "final-read").map((r) => r.node));
  let staleReads = 0;
  for (const e of okAdded) {
    for (const [j, r] of ops.entries()) {
      const acknowledgedBefore = ops.some((a, i) => a.f === "add" && a.type === "ok" && a.value === e && precedes(ops, i, j));
      if (reads.includes(r) && acknowledgedBefore && !(r.out as number[]).includes(e)) staleReads++;
    }
  }
  const valid = !explained ? false : answered.size > 0 && answered.size === asked.size ? true : "unknown";
  return { valid, staleReads };
}

it("set-full agrees with a brute-force reference on seeded random histories", async () => {
  const seen = { true: 0, false: 0, unknown: 0 };
  await fc.assert(
    fc.asyncProperty(fc.array(stepArbitrary, { minLength: 1, maxLength: 9 }), async (steps) => {
      const ops = toOps(steps);
      const expected = reference(ops);
      const got = await setFullChecker({ add: "add", name: "g-set" }).check(timedHistory(ops));
      seen[String(expected.valid) as keyof typeof seen]++;
      if (got.valid !== expected.valid || got["stale-read-count"] !== expected.staleReads)
        throw new Error(
          `checker ${String(got.valid)} (stale reads ${String(got["stale-read-count"])}), reference ${String(expected.valid)} (${expected.staleReads}): ${JSON.stringify(ops)}`,
        );
    }),
    { seed: PROPERTY_SEED, numRuns: 1500 },
  );
  const runs = seen.true + seen.false + seen.unknown;
  console.log(`set-full reference verdicts over ${runs} runs:`, seen);
  expect(seen.true).toBeGreaterThan(runs * 0.05);
  expect(seen.false).toBeGreaterThan(runs * 0.05);
});

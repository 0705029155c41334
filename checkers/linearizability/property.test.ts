import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { History } from "../../src/history/op.js";
import { pairOperations, type Operation } from "../../src/history/pair.js";
import {
  historyArbitrary,
  kvChoices,
  lockChoices,
  PROPERTY_SEED,
  queueChoices,
  registerChoices,
  type OpChoice,
} from "../../test/support/histories.js";
import { checkHistory } from "./check.js";
import { UNKNOWN, type Model } from "./model.js";
import { makeModel } from "./models/index.js";

/**
 * The oracle: every order of the ops that respects real time (an op that
 * completed before another was invoked comes first), with each unknown-outcome
 * op either placed somewhere or left out, replayed on the model.
 */
function bruteForce(model: Model, ops: Operation[]): boolean {
  const done = new Array<boolean>(ops.length).fill(false);
  const go = (state: unknown, left: number): boolean => {
    if (ops.every((op, i) => done[i] || !op.known)) return true;
    for (let i = 0; i < ops.length; i++) {
      if (done[i]) continue;
      const blocked = ops.some((o, j) => !done[j] && o.known && o.complete < ops[i].invoke);
      if (blocked) continue;
      const after = model.step(state, ops[i], ops[i].known ? ops[i].output : UNKNOWN);
      if (after === undefined) continue;
      done[i] = true;
      const ok = go(after, left - 1);
      done[i] = false;
      if (ok) return true;
    }
    return false;
  };
  return go(model.init(), ops.length);
}

describe("search agrees with a brute-force oracle (fast-check: seeded, shrinking; a failure prints its seed and shrunk history)", () => {
  const cases: Array<[string, number, OpChoice[], number]> = [
    ["register", 1, registerChoices, 2500],
    ["register", 2, registerChoices, 800],
    ["cas-register", 1, registerChoices, 1000],
    ["queue", 1, queueChoices, 1500],
    ["kv", 2, kvChoices, 1000],
    ["kv-unpartitioned", 2, kvChoices, 500],
    ["mutex", 1, lockChoices, 1000],
    ["fencing", 1, lockChoices, 1000],
  ];
  it.each(cases)("%s over %i key(s)", async (name, keys, choices, numRuns) => {
    let invalid = 0;
    const model = makeModel(name);
    await fc.assert(
      fc.asyncProperty(historyArbitrary(choices, { keys }), async (history: History) => {
        const ops = pairOperations(history).filter((op) => op.known || !model.readOnly?.(op));
        // Linearizability is local: the history is linearizable iff every key's sub-history is.
        const byKey = new Map<string | undefined, Operation[]>();
        for (const op of ops) byKey.set(op.key, [...(byKey.get(op.key) ?? []), op]);
        const expected = [...byKey.values()].every((group) => bruteForce(model, group));
        const { result } = await checkHistory(history, { model: name, timeoutMs: 5_000, workers: 0 });
        if (!expected) invalid++;
        expect(result.valid).toBe(expected);
      }),
      { seed: PROPERTY_SEED, numRuns },
    );
    // Both verdicts must be well represented, or the property proves little.
    expect(invalid).toBeGreaterThan(numRuns / 20);
    expect(invalid).toBeLessThan(numRuns * 0.9);
  });
});

import fc from "fast-check";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readHistory } from "../../src/history/formats.js";
import type { History } from "../../src/history/op.js";
import { pairOperations, type Operation } from "../../src/history/pair.js";
import { historyArbitrary, PROPERTY_SEED, registerChoices } from "../../test/support/histories.js";
import { corpusPart, itWith } from "../../test/support/real.js";
import { checkHistory, checkOperations } from "./check.js";
import { CORPUS_DIR, readExpected } from "./corpus.js";
import { makeModel } from "./models/index.js";
import { shrink } from "./shrink.js";
import { signatureOf, type FailureSignature } from "./signature.js";

/** An op by what it is, not its id: a shrunk history is re-read, so ids are renumbered. */
const identity = (op: Operation | undefined) =>
  op === undefined ? "none" : JSON.stringify([op.process, op.f, op.key, op.value, op.known ? op.output : "?"]);

/** Checks the shrunk history as a user would get it (re-read from its events) and returns its signature with the stuck op by identity. */
async function reread(
  history: History,
  model: string,
  initial?: unknown,
): Promise<{ kind: FailureSignature["kind"]; stuck: string; ops: Operation[] }> {
  const ops = pairOperations(history);
  const run = await checkOperations(ops, { model, initial, workers: 0 });
  expect(run.result.valid).toBe(false);
  const anomaly = run.result.anomalies[0];
  const home = run.partitions.find((p) => p.name === anomaly.partition)!;
  const sig = signatureOf(run.model, home, anomaly);
  return { kind: sig.kind, stuck: identity(ops.find((op) => op.id === anomaly.stuck.id)), ops };
}

/** An op that writes the value a read saw (a cas may have, whatever its outcome; the model knows better, this check is blunt). */
const wrote = (w: Operation, read: Operation) =>
  w.key === read.key && ((w.f === "write" && w.value === read.output) || (w.f === "cas" && (w.value as unknown[])[1] === read.output));

/** Every kept read of a value other than the initial one, which some op of the original wrote, keeps an op that writes it. */
function readsKeepTheirWrites(shrunk: Operation[], original: Operation[], initial: unknown = null): boolean {
  return shrunk
    .filter((op) => op.f === "read" && op.known && (op.output ?? null) !== initial && original.some((w) => wrote(w, op)))
    .every((read) => shrunk.some((w) => wrote(w, read)));
}

describe("shrinking keeps the failure", () => {
  itWith(
    [corpusPart()],
    "on etcd_000: the stale read stays a stale read (the write it saw is kept)",
    async () => {
      const source = await readHistory(resolve(CORPUS_DIR, "porcupine/jepsen/etcd_000.log"));
      const ops = pairOperations(source.ops);
      const shrunk = await shrink(ops, { model: "etcd", budgetMs: 30_000 });
      expect(shrunk.signature.kind).toBe("order");
      expect(shrunk.ops.length).toBeLessThan(10);
      const again = await reread(shrunk.history, "etcd");
      expect(again.kind).toBe("order");
      expect(again.stuck).toBe(identity(ops.find((op) => op.id === shrunk.signature.stuckOp)));
      expect(readsKeepTheirWrites(again.ops, ops)).toBe(true);
    },
    60_000,
  );

  itWith(
    [corpusPart()],
    "on every invalid register history of the corpus: same stuck op, same kind",
    async () => {
      const rows = readExpected().filter((r) => !r.expected && (r.model === "etcd" || r.model === "cas-register"));
      expect(rows.length).toBeGreaterThan(5);
      for (const row of rows) {
        const ops = pairOperations((await readHistory(resolve(CORPUS_DIR, row.file))).ops);
        const shrunk = await shrink(ops, { model: row.model, initial: row.initial, budgetMs: 15_000 });
        const again = await reread(shrunk.history, row.model, row.initial);
        expect([row.file, again.kind]).toEqual([row.file, shrunk.signature.kind]);
        expect([row.file, again.stuck]).toEqual([row.file, identity(ops.find((op) => op.id === shrunk.signature.stuckOp))]);
        if (shrunk.signature.kind === "order")
          expect([row.file, readsKeepTheirWrites(again.ops, ops, row.initial ?? null)]).toEqual([row.file, true]);
      }
    },
    240_000,
  );

  it("random invalid histories over two keys, info ops included, shrink to ones with the same signature", {
    timeout: 120_000,
  }, async () => {
    let shrunkCount = 0;
    await fc.assert(
      fc.asyncProperty(historyArbitrary(registerChoices, { keys: 2, stepsMax: 24 }), async (history) => {
        const ops = pairOperations(history);
        const run = await checkHistory(history, { model: "register", workers: 0 });
        fc.pre(run.result.valid === false);
        const model = makeModel("register");
        const anomaly = run.result.anomalies[0];
        const original = signatureOf(model, run.partitions.find((p) => p.name === anomaly.partition)!, anomaly);
        const shrunk = await shrink(ops, { model: "register", budgetMs: 10_000 });
        expect(shrunk.signature).toEqual(original);
        const again = await reread(shrunk.history, "register");
        expect(again.kind).toBe(original.kind);
        expect(again.stuck).toBe(identity(ops.find((op) => op.id === original.stuckOp)));
        // A value problem may drop a cas that could never have run; an order problem keeps every observed write.
        if (original.kind === "order") expect(readsKeepTheirWrites(again.ops, ops)).toBe(true);
        shrunkCount++;
      }),
      { seed: PROPERTY_SEED, numRuns: 150 },
    );
    expect(shrunkCount).toBeGreaterThan(20);
  });
});

import { resolve } from "node:path";
import { expect, it } from "vitest";
import { corpusPart, describeWith } from "../../test/support/real.js";
import { readHistory } from "../../src/history/formats.js";
import { checkHistory } from "./check.js";
import { CORPUS_DIR, corpusAvailable, readExpected } from "./corpus.js";

describeWith([corpusPart()], `corpus (${CORPUS_DIR})`, () => {
  const rows = corpusAvailable() ? readExpected() : [];

  it("lists every history in the corpus", () => {
    expect(rows.length).toBe(237);
  });

  it.each(rows.map((r) => [`${r.file} ${r.model}`, r] as const))("%s", async (_name, row) => {
    const source = await readHistory(resolve(CORPUS_DIR, row.file));
    const { result } = await checkHistory(source.ops, { model: row.model, initial: row.initial, timeoutMs: 30_000, workers: 0 });
    expect(result.valid, JSON.stringify(result.partitions)).toBe(row.expected);
    if (!row.expected) expect(result.anomalies.length).toBeGreaterThan(0);
  });
});

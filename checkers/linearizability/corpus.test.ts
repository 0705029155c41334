import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readHistory } from "../../src/history/formats.js";
import { checkHistory } from "./check.js";
import { CORPUS_DIR, corpusAvailable, readExpected } from "./corpus.js";

const available = corpusAvailable();

describe.skipIf(!available)(`corpus (${CORPUS_DIR}; skipped when that folder is absent)`, () => {
  const rows = available ? readExpected() : [];

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

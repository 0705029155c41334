import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { PACKAGE_ROOT } from "../../src/paths.js";

/** The shared corpus of histories with known verdicts (../shared/corpus). */
/**
 * The shared corpus lives beside the repository (../shared/corpus). A clone
 * elsewhere finds it through TOB_CORPUS, or at the workplace's fixed path.
 */
function findCorpus(): string {
  const candidates = [process.env.TOB_CORPUS, resolve(PACKAGE_ROOT, "../shared/corpus"), "/work/shared/corpus"];
  for (const dir of candidates) {
    if (dir && existsSync(resolve(dir, "EXPECTED.tsv"))) return resolve(dir);
  }
  return resolve(PACKAGE_ROOT, "../shared/corpus");
}

export const CORPUS_DIR = findCorpus();

export interface CorpusRow {
  file: string;
  model: string;
  /** The table's initial state as a `--initial` value; undefined means the model's default. */
  initial: unknown;
  expected: boolean;
}

/**
 * The table's initial column is prose ("absent", "empty map", "{x: 0, y: 0}");
 * these are the JSON values it means, where they differ from the models' defaults.
 */
const INITIAL_BY_TEXT: Record<string, unknown> = {
  "0": 0,
  "{x: 0, y: 0}": { x: 0, y: 0 },
};

export function corpusAvailable(): boolean {
  return existsSync(resolve(CORPUS_DIR, "EXPECTED.tsv"));
}

export function readExpected(): CorpusRow[] {
  const lines = readFileSync(resolve(CORPUS_DIR, "EXPECTED.tsv"), "utf8").split("\n").slice(1);
  return lines
    .filter((l) => l.trim() !== "")
    .map((l) => {
      const [file, model, initial, expected] = l.split("\t");
      if (expected !== "valid" && expected !== "invalid")
        throw new Error(`EXPECTED.tsv: bad verdict ${JSON.stringify(expected)} for ${file}`);
      return { file, model, initial: INITIAL_BY_TEXT[initial], expected: expected === "valid" };
    });
}

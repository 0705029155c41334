/** Helpers for the Maelstrom end-to-end tests: a run in-process with short defaults, the example nodes' paths. */
import { join } from "node:path";
import type { MaelstromSpec, MaelstromOutcome } from "../../src/controller/maelstrom-run.js";
import { MAELSTROM_DEFAULTS, runMaelstrom } from "../../src/controller/maelstrom-run.js";
import { readJsonl } from "../../src/history/jsonl.js";
import type { Op } from "../../src/history/op.js";
import { PACKAGE_ROOT } from "../../src/paths.js";
import { freshOut } from "../run/support.js";

export const JS = join(PACKAGE_ROOT, "examples", "maelstrom", "js");
export const PY = join(PACKAGE_ROOT, "examples", "maelstrom", "python");
export const FIXTURES = join(PACKAGE_ROOT, "test", "maelstrom", "fixtures");

/** A node command: JS files run with node, Python ones with python3. */
export function nodeCmd(file: string, ...args: string[]): Pick<MaelstromSpec, "bin" | "args"> {
  return file.endsWith(".py") ? { bin: "python3", args: [file, ...args] } : { bin: process.execPath, args: [file, ...args] };
}

export function spec(workload: string, overrides: Partial<MaelstromSpec> & Pick<MaelstromSpec, "bin" | "args">): MaelstromSpec {
  return {
    name: `maelstrom-${workload}`,
    workload,
    cluster: "maelstrom",
    nodes: 3,
    nemesis: [],
    time: 3,
    recoveryS: 0.5,
    concurrency: 3,
    rate: 30,
    seed: 7,
    ...MAELSTROM_DEFAULTS,
    nemesisIntervalS: 1.5,
    nemesisDurationS: 1,
    opTimeoutMs: 5_000,
    // Generous: on a loaded machine a node process can take seconds to start.
    initTimeoutMs: 30_000,
    ...overrides,
  };
}

/** Runs at once per test file at most: each is a handful of processes, and the machine has two cores. */
const RUNS_AT_ONCE_MAX = 3;
let running = 0;
const queue: (() => void)[] = [];

export async function run(s: MaelstromSpec): Promise<MaelstromOutcome> {
  // A finishing run hands its slot to the next in line, so the count never overshoots.
  if (running >= RUNS_AT_ONCE_MAX) await new Promise<void>((resolve) => queue.push(resolve));
  else running++;
  try {
    return await runMaelstrom(s, { outDir: freshOut(), log: () => {} });
  } finally {
    const next = queue.shift();
    if (next) next();
    else running--;
  }
}

export async function historyOf(runDir: string): Promise<Op[]> {
  const ops: Op[] = [];
  for await (const { op } of readJsonl(join(runDir, "history.jsonl"))) ops.push(op);
  return ops;
}

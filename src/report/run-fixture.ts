import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { NS_PER_MS, type Op, type Process } from "../history/op.js";
import type { Outcome } from "./pairs.js";

/** One op for a hand-made history: an invoke and, unless pending, its completion. */
export interface OpSpec {
  process: Process;
  f: string;
  startMs: number;
  /** Omitted: the op never completes (pending at the end of the run). */
  latencyMs?: number;
  outcome?: Outcome;
  value?: unknown;
}

/** The history of the given ops, in time order with dense indexes, as the controller writes it. */
export function historyOf(specs: readonly OpSpec[]): Op[] {
  const ops: Omit<Op, "index">[] = [];
  for (const s of specs) {
    const time = Math.round(s.startMs * NS_PER_MS);
    ops.push({ time, process: s.process, type: "invoke", f: s.f, value: s.value ?? null });
    if (s.latencyMs === undefined) continue;
    const end = Math.round((s.startMs + s.latencyMs) * NS_PER_MS);
    ops.push({ time: end, process: s.process, type: s.outcome ?? "ok", f: s.f, value: s.value ?? null });
  }
  // Stable: an invoke stays before a completion at the same instant.
  return ops.sort((a, b) => a.time - b.time).map((op, index) => ({ index, ...op }));
}

export interface RunFixture {
  test?: unknown;
  /** Ops, or raw text to write as history.jsonl (to test torn lines). */
  history?: readonly Op[] | string;
  results?: unknown;
  /** Also write a stand-in timeline.html. */
  timeline?: boolean;
}

/** Writes a run folder; a file whose field is omitted is left out, as after a crash. */
export async function writeRun(dir: string, run: RunFixture): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (run.test !== undefined) await writeFile(join(dir, "test.json"), JSON.stringify(run.test, null, 2));
  if (run.results !== undefined) await writeFile(join(dir, "results.json"), JSON.stringify(run.results, null, 2));
  if (run.history !== undefined) {
    const text = typeof run.history === "string" ? run.history : run.history.map((op) => JSON.stringify(op) + "\n").join("");
    await writeFile(join(dir, "history.jsonl"), text);
  }
  if (run.timeline) await writeFile(join(dir, "timeline.html"), "<!doctype html><title>timeline</title>");
}

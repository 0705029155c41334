/**
 * Judges a run's history with its workload's checkers (plus recovery), and
 * writes results.json in compose's shape ({valid, results: {name: result},
 * stats}): the worst verdict wins, false over unknown over true.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Checker, CheckResult } from "../../checkers/checker.js";
import { compose, type ComposedResult } from "../../checkers/compose.js";
import type { Verdict } from "../../checkers/verdict.js";
import { opensFault } from "../history/faults.js";
import { NEMESIS, type History } from "../history/op.js";

export interface RunStats {
  ops: number;
  ok: number;
  fail: number;
  info: number;
  faults: number;
  byF: Record<string, { ok: number; fail: number; info: number }>;
  durationS: number;
}

export interface RunResults {
  valid: Verdict;
  results: Record<string, CheckResult>;
  stats: RunStats;
}

const CHECK_TIMEOUT_MS = 60_000;

/** Every checker on the history (checkers/compose.ts: one that throws is "unknown", never the end of the check). */
export async function judge(history: History, checkers: readonly Checker[]): Promise<RunResults> {
  const named: Record<string, Checker> = {};
  for (const c of checkers) named[c.name] = c;
  const composed = (await compose(named).check(history, { timeoutMs: CHECK_TIMEOUT_MS })) as ComposedResult;
  return { valid: composed.valid, results: composed.results, stats: statsOf(history) };
}

export function statsOf(history: History): RunStats {
  const stats: RunStats = { ops: 0, ok: 0, fail: 0, info: 0, faults: 0, byF: {}, durationS: 0 };
  for (const op of history) {
    if (op.process === NEMESIS) {
      if (op.type === "invoke" && opensFault(op.f)) stats.faults++;
      continue;
    }
    if (op.type === "invoke") continue;
    stats.ops++;
    stats[op.type]++;
    const f = (stats.byF[op.f] ??= { ok: 0, fail: 0, info: 0 });
    f[op.type]++;
  }
  stats.durationS = history.length ? Math.round((history[history.length - 1]!.time / 1e9) * 10) / 10 : 0;
  return stats;
}

/**
 * Writes results.json, and each checker's artifacts as files beside it (the
 * first checker to name a file keeps the name; later ones get theirs prefixed
 * with the checker's name). results.json keeps the file names, not the contents.
 */
export function writeResults(runDir: string, results: RunResults): string {
  const written = new Set<string>();
  const stored: Record<string, CheckResult> = {};
  for (const [checker, result] of Object.entries(results.results)) {
    const { artifacts, ...rest } = result;
    const files: string[] = [];
    for (const [name, content] of Object.entries(artifacts ?? {})) {
      const file = written.has(name) ? `${checker.replace(/[^A-Za-z0-9-]+/g, "-")}-${name}` : name;
      writeFileSync(join(runDir, file), content);
      written.add(file);
      files.push(file);
    }
    stored[checker] = files.length > 0 ? { ...rest, files } : rest;
  }
  const path = join(runDir, "results.json");
  writeFileSync(path, JSON.stringify({ ...results, results: stored }, null, 2) + "\n");
  return path;
}

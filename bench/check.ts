/**
 * `npm run bench:check`: the linearizability checker on the shared corpus,
 * beside Porcupine measured in the same run (bench/porcupine.ts). Parsing is
 * excluded from check times, as in Porcupine's driver; each file's time is the
 * median of RUNS checks. Writes results/bench-check.json.
 *
 * Porcupine is compiled ahead of time; our code is compiled by the JIT as it
 * runs, and in one pass over 120 small Knossos files most of the time went to
 * code not yet compiled. So a first, untimed pass checks every file once, as
 * a JIT benchmark must; its times are kept and printed too ("first pass"),
 * since a one-off `tob check` of a small file pays them.
 *
 * To measure Porcupine beside it (../shared/BENCHMARKS.md):
 *   apt-get install golang-go
 *   git clone https://github.com/anishathalye/porcupine /some/dir
 *   PORCUPINE_DIR=/some/dir npm run bench:check
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { checkHistory } from "../checkers/linearizability/check.js";
import { CORPUS_DIR, corpusAvailable, readExpected, type CorpusRow } from "../checkers/linearizability/corpus.js";
import { readHistory } from "../src/history/formats.js";
import type { Op } from "../src/history/op.js";
import { PACKAGE_ROOT } from "../src/paths.js";
import { measurePorcupine, type PorcupineTimes } from "./porcupine.js";

const RUNS = 5;
const UNPARTITIONED_BUDGET_MS = 10_000;
/** The issue's target: each group at most half of Porcupine's time. */
const RATIO_MAX = 0.5;
const MiB = 1024 * 1024;

const peakRssMiB = () => Math.round((process.resourceUsage().maxRSS * 1024) / MiB);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Math.round(x * 100) / 100;

interface FileFigure {
  file: string;
  model: string;
  group: string;
  ms: number;
  /** CPU time of this thread and its workers: the machine is shared, so wall time is noisy. */
  cpuMs: number;
  /** The one check of the untimed first pass, before the JIT compiled the checker's code. */
  firstPassMs?: number;
  valid: unknown;
  expected: boolean;
  porcupineMs?: number;
}

function groupOf(row: CorpusRow): string {
  if (row.file.startsWith("porcupine/jepsen")) return "etcd logs";
  if (row.file.startsWith("porcupine/kv")) return row.model === "kv" ? "kv per key" : "kv unpartitioned";
  return "knossos";
}

async function timeCheck(ops: Op[], row: CorpusRow, runs: number, extra: { decompose?: boolean; timeoutMs?: number } = {}) {
  const times: number[] = [];
  const cpu: number[] = [];
  let valid: unknown;
  for (let k = 0; k < runs; k++) {
    // Reading the CPU clock costs microseconds: outside the wall-clock window.
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const { result } = await checkHistory(ops, {
      model: row.model,
      initial: row.initial,
      timeoutMs: extra.timeoutMs ?? 60_000,
      decompose: extra.decompose,
    });
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    valid = result.valid;
  }
  return { ms: round(median(times)), cpuMs: round(median(cpu)), valid };
}

async function corpus(porcupine: PorcupineTimes): Promise<FileFigure[]> {
  const rows = readExpected();
  const sources = new Map<string, Op[]>();
  for (const row of rows) sources.set(row.file, (await readHistory(resolve(CORPUS_DIR, row.file))).ops);
  // kv-unpartitioned c50 is checked once only: it needs no warming and costs most.
  const once = (row: CorpusRow) => row.model === "kv-unpartitioned" && row.file.includes("c50");
  const firstPassMs = new Map<CorpusRow, number>();
  for (const row of rows) if (!once(row)) firstPassMs.set(row, (await timeCheck(sources.get(row.file) ?? [], row, 1)).ms);
  const figures: FileFigure[] = [];
  for (const row of rows) {
    const { ms, cpuMs, valid } = await timeCheck(sources.get(row.file) ?? [], row, once(row) ? 1 : RUNS);
    const figure: FileFigure = {
      file: row.file,
      model: row.model,
      group: groupOf(row),
      ms,
      cpuMs,
      firstPassMs: firstPassMs.get(row),
      valid,
      expected: row.expected,
    };
    if (porcupine.ok) figure.porcupineMs = porcupine.msByFile.get(`${row.file}\t${row.model}`);
    figures.push(figure);
    const flag = valid === row.expected ? "" : "  <-- WRONG VERDICT";
    const theirs = figure.porcupineMs === undefined ? "" : `  Porcupine ${figure.porcupineMs.toFixed(2)} ms`;
    process.stdout.write(
      `${ms.toFixed(2).padStart(9)} ms (cpu ${cpuMs.toFixed(2).padStart(8)})  ${String(valid).padEnd(7)} ${row.model.padEnd(17)} ${row.file}${theirs}${flag}\n`,
    );
  }
  return figures;
}

/** The product search (no split by footprint), where Porcupine gives up on c50, for an honest comparison. */
async function productSearch(): Promise<Array<{ file: string; ms: number; valid: unknown }>> {
  const out = [];
  for (const name of ["c10-ok", "c10-bad", "c50-ok", "c50-bad"]) {
    const file = `porcupine/kv/${name}.txt`;
    const source = await readHistory(resolve(CORPUS_DIR, file));
    const row: CorpusRow = { file, model: "kv-unpartitioned", initial: undefined, expected: name.endsWith("ok") };
    const { ms, valid } = await timeCheck(source.ops, row, 1, { decompose: false, timeoutMs: UNPARTITIONED_BUDGET_MS });
    process.stdout.write(
      `${ms.toFixed(0).padStart(9)} ms  ${String(valid).padEnd(7)} kv-unpartitioned, product search (no split), ${file}\n`,
    );
    out.push({ file, ms: Math.round(ms), valid });
  }
  return out;
}

interface GroupFigure {
  files: number;
  ms: number;
  cpuMs: number;
  /** The untimed first pass (files checked once only count their one check). */
  firstPassMs: number;
  wrong: number;
  /** Over the files Porcupine's driver times (it skips knossos and kv-unpartitioned c50): ours, theirs, ours/theirs. */
  comparedFiles: number;
  oursComparedMs: number;
  firstPassComparedMs: number;
  porcupineMs: number | null;
  ratio: number | null;
}

function groups(files: FileFigure[], porcupineOk: boolean): Record<string, GroupFigure> {
  const out: Record<string, GroupFigure> = {};
  for (const f of files) {
    const g = (out[f.group] ??= {
      files: 0,
      ms: 0,
      cpuMs: 0,
      firstPassMs: 0,
      wrong: 0,
      comparedFiles: 0,
      oursComparedMs: 0,
      firstPassComparedMs: 0,
      porcupineMs: porcupineOk ? 0 : null,
      ratio: null,
    });
    g.files++;
    g.ms = round(g.ms + f.ms);
    g.cpuMs = round(g.cpuMs + f.cpuMs);
    if (f.valid !== f.expected) g.wrong++;
    g.firstPassMs = round(g.firstPassMs + (f.firstPassMs ?? f.ms));
    if (f.porcupineMs !== undefined && g.porcupineMs !== null) {
      g.comparedFiles++;
      g.oursComparedMs = round(g.oursComparedMs + f.ms);
      g.firstPassComparedMs = round(g.firstPassComparedMs + (f.firstPassMs ?? f.ms));
      g.porcupineMs = round(g.porcupineMs + f.porcupineMs);
    }
  }
  for (const g of Object.values(out)) {
    if (g.comparedFiles === 0) g.porcupineMs = null;
    else if (g.porcupineMs !== null) g.ratio = round(g.oursComparedMs / g.porcupineMs);
  }
  return out;
}

function table(byGroup: Record<string, GroupFigure>, porcupine: PorcupineTimes): string {
  const lines = [
    `${"group".padEnd(18)} ${"files".padStart(5)} ${"ours ms".padStart(10)} ${"Porcupine ms".padStart(13)} ${"ours/theirs".padStart(11)}  ${`target <= ${RATIO_MAX}`}   ${"first pass ms".padStart(13)} ${"its ratio".padStart(9)}`,
  ];
  for (const [name, g] of Object.entries(byGroup)) {
    const theirs = g.porcupineMs === null ? (porcupine.ok ? "not timed" : "not measured") : g.porcupineMs.toFixed(1);
    const ours = g.porcupineMs === null ? g.ms : g.oursComparedMs;
    const first = g.porcupineMs === null ? g.firstPassMs : g.firstPassComparedMs;
    const firstRatio = g.porcupineMs === null ? "-" : (first / g.porcupineMs).toFixed(2);
    const files = g.porcupineMs === null ? g.files : g.comparedFiles;
    const verdict = g.ratio === null ? "" : g.ratio <= RATIO_MAX ? "met" : "MISSED";
    lines.push(
      `${name.padEnd(18)} ${String(files).padStart(5)} ${ours.toFixed(1).padStart(10)} ${theirs.padStart(13)} ${(g.ratio === null ? "-" : g.ratio.toFixed(2)).padStart(11)}  ${verdict.padEnd(13)}   ${first.toFixed(1).padStart(13)} ${firstRatio.padStart(9)}${g.wrong > 0 ? `  ${g.wrong} WRONG VERDICTS` : ""}`,
    );
  }
  lines.push(
    porcupine.ok
      ? `Porcupine: ${porcupine.commit}, medians of 5 (its driver; Knossos cas-register by bench/porcupine-knossos), measured just before ours in this run.\nOurs: medians of ${RUNS} after an untimed first pass over every file (the JIT's warm-up); "first pass" is that pass, one check per file.`
      : `Porcupine: NOT MEASURED in this run: ${porcupine.why}; no figure is shown in its place`,
  );
  return lines.join("\n");
}

async function main(): Promise<void> {
  if (!corpusAvailable()) {
    process.stderr.write(`bench:check: corpus not found at ${CORPUS_DIR}\n`);
    process.exitCode = 2;
    return;
  }
  process.stdout.write("Porcupine on the corpus (its own driver)...\n");
  const porcupine = await measurePorcupine();
  const loadBefore = loadavg();
  const files = await corpus(porcupine);
  const byGroup = groups(files, porcupine.ok);
  const product = await productSearch();
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    runsPerFile: RUNS,
    porcupine: porcupine.ok ? { commit: porcupine.commit } : { notMeasured: porcupine.why },
    groups: byGroup,
    files,
    productSearch: product,
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadavg(),
    peakRssMiB: peakRssMiB(),
  };
  const dir = resolve(PACKAGE_ROOT, "results");
  mkdirSync(dir, { recursive: true });
  const out = resolve(dir, "bench-check.json");
  writeFileSync(out, JSON.stringify(report, null, 2) + "\n");
  process.stdout.write(
    `\n${table(byGroup, porcupine)}\nload average ${loadBefore[0].toFixed(1)} before, ${loadavg()[0].toFixed(1)} after; peak RSS ${report.peakRssMiB} MiB; wrote ${out}\n`,
  );
  if (files.some((f) => f.valid !== f.expected)) process.exitCode = 1;
}

await main();

/**
 * `npm run bench:check`: the linearizability checker on the shared corpus,
 * next to Porcupine's figures (../shared/corpus/BASELINE.md). Parsing is
 * excluded from check times, as in the baseline; each file's time is the
 * median of RUNS runs. Writes results/bench-check.json.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { checkHistory } from "../checkers/linearizability/check.js";
import { CORPUS_DIR, corpusAvailable, readExpected, type CorpusRow } from "../checkers/linearizability/corpus.js";
import { readHistory } from "../src/history/formats.js";
import type { Op } from "../src/history/op.js";
import { HistoryWriter } from "../src/history/writer.js";
import { PACKAGE_ROOT } from "../src/paths.js";

const RUNS = 5;
const UNPARTITIONED_BUDGET_MS = 10_000;
const STREAM_OPS = 1_000_000;
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
  valid: unknown;
  expected: boolean;
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
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const { result } = await checkHistory(ops, { model: row.model, initial: row.initial, timeoutMs: extra.timeoutMs ?? 60_000, decompose: extra.decompose });
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    valid = result.valid;
  }
  return { ms: round(median(times)), cpuMs: round(median(cpu)), valid };
}

async function corpus(): Promise<FileFigure[]> {
  const figures: FileFigure[] = [];
  for (const row of readExpected()) {
    const source = await readHistory(resolve(CORPUS_DIR, row.file));
    const c50unpartitioned = row.model === "kv-unpartitioned" && row.file.includes("c50");
    const { ms, cpuMs, valid } = await timeCheck(source.ops, row, c50unpartitioned ? 1 : RUNS);
    const figure = { file: row.file, model: row.model, group: groupOf(row), ms, cpuMs, valid, expected: row.expected };
    figures.push(figure);
    const flag = valid === row.expected ? "" : "  <-- WRONG VERDICT";
    process.stdout.write(`${ms.toFixed(2).padStart(9)} ms (cpu ${cpuMs.toFixed(2).padStart(8)})  ${String(valid).padEnd(7)} ${row.model.padEnd(17)} ${row.file}${flag}\n`);
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
    process.stdout.write(`${ms.toFixed(0).padStart(9)} ms  ${String(valid).padEnd(7)} kv-unpartitioned, product search (no split), ${file}\n`);
    out.push({ file, ms: Math.round(ms), valid });
  }
  return out;
}

/** A 1M-op register history over 1000 keys, written by the streaming writer, then read and checked. */
async function million(): Promise<Record<string, number | unknown>> {
  const dir = resolve(PACKAGE_ROOT, "results");
  mkdirSync(dir, { recursive: true });
  const path = resolve(dir, "bench-check-1m.jsonl");
  rmSync(path, { force: true });
  const w = new HistoryWriter(path);
  const t0 = performance.now();
  let index = 0;
  for (let k = 0; index < STREAM_OPS; k++) {
    const key = String(k % 1000);
    const p = k % 4;
    const v = k;
    w.append({ index: index++, time: index, process: p, type: "invoke", f: "write", value: v, key });
    w.append({ index: index++, time: index, process: p, type: "ok", f: "write", value: v, key });
    w.append({ index: index++, time: index, process: p, type: "invoke", f: "read", value: null, key });
    w.append({ index: index++, time: index, process: p, type: "ok", f: "read", value: v, key });
  }
  w.close();
  const writeMs = performance.now() - t0;
  const t1 = performance.now();
  const source = await readHistory(path);
  const readMs = performance.now() - t1;
  const t2 = performance.now();
  const { result } = await checkHistory(source.ops, { model: "register", timeoutMs: 120_000 });
  const checkMs = performance.now() - t2;
  rmSync(path, { force: true });
  const figure = { ops: source.ops.length, writeMs: Math.round(writeMs), readMs: Math.round(readMs), checkMs: Math.round(checkMs), valid: result.valid, peakRssMiB: peakRssMiB() };
  process.stdout.write(`1M-op stream: ${JSON.stringify(figure)}\n`);
  return figure;
}

async function main(): Promise<void> {
  if (!corpusAvailable()) {
    process.stderr.write(`bench:check: corpus not found at ${CORPUS_DIR}\n`);
    process.exitCode = 2;
    return;
  }
  const files = await corpus();
  const rssAfterCorpusMiB = peakRssMiB();
  const groups: Record<string, { files: number; ms: number; cpuMs: number; wrong: number }> = {};
  for (const f of files) {
    const g = (groups[f.group] ??= { files: 0, ms: 0, cpuMs: 0, wrong: 0 });
    g.files++;
    g.ms = round(g.ms + f.ms);
    g.cpuMs = round(g.cpuMs + f.cpuMs);
    if (f.valid !== f.expected) g.wrong++;
  }
  const c50Unpartitioned = files.filter((f) => f.group === "kv unpartitioned" && f.file.includes("c50"));
  const comparable = files.filter((f) => f.group !== "kv unpartitioned");
  const totalMs = round(comparable.reduce((s, f) => s + f.ms, 0));
  const totalCpuMs = round(comparable.reduce((s, f) => s + f.cpuMs, 0));
  const product = await productSearch();
  const stream = await million();
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    runsPerFile: RUNS,
    files,
    groups,
    totalMsExcludingUnpartitioned: totalMs,
    totalCpuMsExcludingUnpartitioned: totalCpuMs,
    loadAverage: loadavg(),
    porcupineTotalMs: "etcd 657 + kv per key ~305 + knossos <= ~150 (BASELINE.md)",
    c50Unpartitioned,
    productSearch: product,
    stream,
    peakRssMiBAfterCorpus: rssAfterCorpusMiB,
    peakRssMiB: peakRssMiB(),
  };
  const out = resolve(PACKAGE_ROOT, "results/bench-check.json");
  writeFileSync(out, JSON.stringify(report, null, 2) + "\n");
  process.stdout.write(`\n${Object.entries(groups).map(([g, v]) => `${g}: ${v.files} files, ${v.ms} ms (cpu ${v.cpuMs} ms), ${v.wrong} wrong`).join("\n")}\n`);
  process.stdout.write(`corpus total (all but kv-unpartitioned): ${totalMs} ms (cpu ${totalCpuMs} ms; load average ${loadavg()[0].toFixed(1)}); c50 unpartitioned: ${c50Unpartitioned.map((f) => `${f.file} ${f.ms} ms ${String(f.valid)}`).join(", ")}\n`);
  process.stdout.write(`peak RSS after the corpus ${rssAfterCorpusMiB} MiB, overall ${report.peakRssMiB} MiB; wrote ${out}\n`);
  if (files.some((f) => f.valid !== f.expected)) process.exitCode = 1;
}

await main();

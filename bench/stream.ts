/**
 * The streaming linearizability check (tob check --stream) on a keyed
 * register history of 20M lines, that is 10M operations (each an invocation
 * and its completion): its time and the checking process's peak RSS. The
 * history is written first (not timed); the check runs in a child process
 * with a capped heap, so its peak RSS is its own and bounded memory is shown,
 * not assumed. Part of `npm run bench:checkers`; alone:
 *   node dist/bench/stream.js [LINES]
 */
import { fork } from "node:child_process";
import { mkdirSync, rmSync, statSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkStream } from "../checkers/linearizability/stream.js";
import { PACKAGE_ROOT } from "../src/paths.js";
import { writeSyntheticRegisterHistory } from "./synthetic-register.js";

/** 10M operations, the size, whichever way ops are counted: 20M history lines. */
const LINES = 20_000_000;
const KEYS = 100_000;
const PROCESSES = 64;
const SEED = 20261129;
/** The child's heap cap: far below the history's size, so an in-memory check could not pass. */
const HEAP_MiB = 512;

export interface StreamFigure {
  lines: number;
  historyMiB: number;
  operations: number;
  keys: number;
  valid: unknown;
  buckets: number;
  seconds: number;
  cpuSeconds: number;
  linesPerS: number;
  peakRssMiB: number;
  heapCapMiB: number;
  generateSeconds: number;
  loadAverage1m: number;
}

interface ChildReport {
  valid: unknown;
  operations: number;
  buckets: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMiB: number;
}

/** In the child: the check alone, with progress on stderr. */
async function childMain(path: string): Promise<void> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let last = 0;
  const r = await checkStream(path, {
    model: "register",
    timeoutMs: 120_000,
    onProgress: (p) => {
      if (Date.now() - last < 5000) return;
      last = Date.now();
      process.stderr.write(`  ${JSON.stringify(p)}\n`);
    },
  });
  const cpu = process.cpuUsage(c0);
  const report: ChildReport = {
    valid: r.valid,
    operations: r["op-count"],
    buckets: r.buckets,
    seconds: Math.round(performance.now() - t0) / 1000,
    cpuSeconds: Math.round((cpu.user + cpu.system) / 1000) / 1000,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.send?.(report, () => process.disconnect());
}

function inChild(path: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ["--child", path], { execArgv: [`--max-old-space-size=${HEAP_MiB}`] });
    child.once("message", (m) => resolve(m as ChildReport));
    child.once("exit", (code) => code !== 0 && reject(new Error(`stream check child exited with ${code}`)));
  });
}

export async function streamBench(lines = LINES): Promise<StreamFigure> {
  const dir = join(PACKAGE_ROOT, "results");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "bench-stream-history.jsonl");
  const g0 = performance.now();
  writeSyntheticRegisterHistory(path, { lines, keys: KEYS, processes: PROCESSES, seed: SEED });
  const generateSeconds = Math.round(performance.now() - g0) / 1000;
  const historyMiB = Math.round(statSync(path).size / 1024 / 1024);
  try {
    const r = await inChild(path);
    const figure: StreamFigure = {
      lines,
      historyMiB,
      operations: r.operations,
      keys: KEYS,
      valid: r.valid,
      buckets: r.buckets,
      seconds: r.seconds,
      cpuSeconds: r.cpuSeconds,
      linesPerS: Math.round(lines / r.seconds),
      peakRssMiB: r.peakRssMiB,
      heapCapMiB: HEAP_MiB,
      generateSeconds,
      loadAverage1m: Math.round(loadavg()[0] * 10) / 10,
    };
    console.log(
      `stream-check   ${lines.toLocaleString("en")} lines (${historyMiB} MiB, ${r.operations.toLocaleString("en")} ops, ${KEYS.toLocaleString("en")} keys) ` +
        `${r.seconds.toFixed(1)} s (cpu ${r.cpuSeconds.toFixed(1)} s), ${figure.linesPerS.toLocaleString("en")} lines/s, peak RSS ${r.peakRssMiB} MiB ` +
        `(heap capped at ${HEAP_MiB} MiB), ${r.buckets} buckets, valid=${String(r.valid)}  (written in ${generateSeconds.toFixed(1)} s; load ${figure.loadAverage1m})`,
    );
    return figure;
  } finally {
    rmSync(path, { force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === "--child") await childMain(process.argv[3]);
  else console.log(JSON.stringify(await streamBench(process.argv[2] === undefined ? LINES : Number(process.argv[2]))));
}

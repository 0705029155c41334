/**
 * Times the checkers on large synthetic, valid histories (seeded, so every
 * run checks the same history):
 *   total-order  1M broadcasts, 5 nodes each delivering all 1M (target < 5 s)
 *   elle         list-append, 100k and 1M txns (target >= 200k txns/s)
 *   elle-stale   the same with 2% of reads stale (anomalies and cycles everywhere; target >= 300k txns/s at 1M)
 *   stream-check linearizability of a 20M-line (10M-operation) keyed register history, streamed
 *                in bounded memory (bench/stream.ts): time and peak RSS
 * Each case runs in its own child process so its peak memory is its own.
 * Prints one line per case and writes results/bench-checkers.json.
 *
 *   npm run bench:checkers            all cases
 *   node dist/bench/checkers.js CASE  one case (what each child runs)
 */
import { fork } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { History, Op } from "../src/history/op.js";
import { checkListAppend } from "../checkers/elle/index.js";
import { checkTotalOrder } from "../checkers/total-order/index.js";
import { streamBench } from "./stream.js";
import { seededRng } from "../src/rng.js";

const SEED = 20260501;

interface CaseResult {
  name: string;
  items: number;
  unit: string;
  ops: number;
  valid: unknown;
  /** Elle: every anomaly type found, with its count */
  anomalyCounts?: Record<string, number>;
  /** wall clock; on a loaded machine cpuSeconds (all threads, GC helpers included) says more */
  seconds: number;
  cpuSeconds: number;
  ratePerS: number;
  ratePerCpuS: number;
  /** building the synthetic history, which is not timed as the check */
  generateSeconds: number;
  generateCpuSeconds: number;
  rssAfterGenerateMb: number;
  peakRssMb: number;
  /** the 1-minute load average as the case ends: the machine is shared */
  loadAverage1m: number;
}

/** broadcasts from 10 processes, every one acknowledged; each node's final read holds them all. */
function broadcastHistory(messageCount: number, nodeCount: number): History {
  const ops: Op[] = [];
  const push = (op: Omit<Op, "index">): void => void ops.push({ index: ops.length, ...op });
  const messages: string[] = [];
  for (let i = 0; i < messageCount; i++) {
    const message = `m${i}`;
    messages.push(message);
    push({ time: i * 1000, process: i % 10, type: "invoke", f: "broadcast", value: message });
    push({ time: i * 1000 + 500, process: i % 10, type: "ok", f: "broadcast", value: { seq: i + 1, index: i + 2, term: 1 } });
  }
  const endNs = messageCount * 1000;
  for (let n = 0; n < nodeCount; n++) {
    const node = `n${n + 1}`;
    push({ time: endNs / 2, process: `r${n}`, type: "invoke", f: "deliveries", value: null, node });
    push({ time: endNs / 2, process: `r${n}`, type: "ok", f: "deliveries", value: messages.slice(0, 1000), node });
  }
  for (let n = 0; n < nodeCount; n++) {
    const node = `n${n + 1}`;
    push({ time: endNs + n, process: `f${n}`, type: "invoke", f: "final-deliveries", value: null, node });
    // fresh strings per node, as JSON.parse of a stored history would give: no shared references
    const delivered = Array.from({ length: messageCount }, (_, i) => `m${i}`);
    push({ time: endNs + n, process: `f${n}`, type: "ok", f: "final-deliveries", value: delivered, node });
  }
  return ops;
}

/**
 * A strictly serializable list-append history: 10 processes, 1 to 4 micro-ops
 * per txn on a sliding window of 50 keys; each txn takes effect when it
 * completes. 1% fail (no effect), 0.5% end in info (with effect).
 */
function listAppendHistory(txnCount: number, staleFraction = 0): History {
  const next = seededRng(SEED);
  const ops: Op[] = [];
  const lists = new Map<number, number[]>();
  const processCount = 10;
  const inFlight: (unknown[][] | undefined)[] = new Array(processCount).fill(undefined);
  let started = 0;
  let done = 0;
  // a step invokes or completes a txn, or picks an idle process once all are started: 8x is ample
  for (let step = 0; done < txnCount && step < 8 * txnCount; step++) {
    const client = Math.floor(next() * processCount);
    const time = step * 1000;
    const mops = inFlight[client];
    if (mops === undefined) {
      if (started === txnCount) continue;
      const base = Math.floor(started / 10);
      const size = 1 + Math.floor(next() * 4);
      const invoked: unknown[][] = [];
      for (let j = 0; j < size; j++) {
        const key = base + Math.floor(next() * 50);
        // started * 4 + j is unique in the whole history, so per key too
        invoked.push(next() < 0.5 ? ["r", key, null] : ["append", key, started * 4 + j]);
      }
      inFlight[client] = invoked;
      ops.push({ index: ops.length, time, process: client, type: "invoke", f: "txn", value: invoked });
      started++;
      continue;
    }
    inFlight[client] = undefined;
    done++;
    const roll = next();
    if (roll < 0.01) {
      ops.push({ index: ops.length, time, process: client, type: "fail", f: "txn", value: mops });
      continue;
    }
    const completed = mops.map(([f, key, value]) => {
      const list = lists.get(key as number) ?? [];
      lists.set(key as number, list);
      if (f === "append") {
        list.push(value as number);
        return [f, key, value];
      }
      // a stale read misses the last few appends: rw edges against real time and the order, so cycles
      const stale = staleFraction > 0 && next() < staleFraction ? 1 + Math.floor(next() * 3) : 0;
      return [f, key, list.slice(0, Math.max(0, list.length - stale))];
    });
    ops.push({
      index: ops.length,
      time,
      process: client,
      type: roll < 0.015 ? "info" : "ok",
      f: "txn",
      value: roll < 0.015 ? mops : completed,
    });
  }
  return ops;
}

const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;

function runCase(name: string): CaseResult {
  const isElle = name.startsWith("elle");
  const items = isElle ? Number(name.split("-").at(-1)) : 1_000_000;
  const generateStarted = performance.now();
  const generateCpuStarted = process.cpuUsage();
  const history = isElle ? listAppendHistory(items, name.includes("stale") ? 0.02 : 0) : broadcastHistory(items, 5);
  const generateSeconds = (performance.now() - generateStarted) / 1000;
  const generateCpu = process.cpuUsage(generateCpuStarted);
  const rssAfterGenerateMb = mb(process.memoryUsage().rss);
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const result = isElle ? checkListAppend(history) : checkTotalOrder(history);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    name,
    items: isElle ? items : items * 5,
    unit: isElle ? "txns" : "deliveries",
    ops: history.length,
    valid: result.valid,
    anomalyCounts: isElle ? (result as { "anomaly-counts": Record<string, number> })["anomaly-counts"] : undefined,
    seconds: Math.round(seconds * 1000) / 1000,
    cpuSeconds: Math.round(cpuSeconds * 1000) / 1000,
    ratePerS: Math.round((isElle ? items : items * 5) / seconds),
    ratePerCpuS: Math.round((isElle ? items : items * 5) / cpuSeconds),
    generateSeconds: Math.round(generateSeconds * 1000) / 1000,
    generateCpuSeconds: Math.round((generateCpu.user + generateCpu.system) / 1e3) / 1e3,
    rssAfterGenerateMb,
    // maxRSS is in KiB
    peakRssMb: mb(process.resourceUsage().maxRSS * 1024),
    loadAverage1m: Math.round(loadavg()[0] * 10) / 10,
  };
}

const CASES = ["total-order", "elle-100000", "elle-1000000", "elle-stale-100000", "elle-stale-1000000"];

/** The targets the cases are held to (this file's header): a rate at least, or a time at most. */
const TARGETS: Record<string, { ratePerSMin?: number; secondsMax?: number }> = {
  "total-order": { secondsMax: 5 },
  "elle-1000000": { ratePerSMin: 200_000 },
  "elle-stale-1000000": { ratePerSMin: 300_000 },
};

function targetNote(result: CaseResult): string {
  const target = TARGETS[result.name];
  if (target === undefined) return "";
  if (target.secondsMax !== undefined)
    return `  target <= ${target.secondsMax} s: ${result.seconds <= target.secondsMax ? "met" : "NOT MET"}`;
  const min = target.ratePerSMin!;
  return `  target >= ${min.toLocaleString("en")} ${result.unit}/s: ${result.ratePerS >= min ? "met" : "NOT MET"}`;
}

function inChild(name: string): Promise<CaseResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [name], { execArgv: ["--max-old-space-size=8192"] });
    child.once("message", (message) => resolve(message as CaseResult));
    child.once("exit", (code) => code !== 0 && reject(new Error(`bench case ${name} exited with ${code}`)));
  });
}

async function main(): Promise<void> {
  const only = process.argv[2];
  if (only !== undefined) {
    if (!CASES.includes(only)) throw new Error(`unknown case ${only}; cases: ${CASES.join(", ")}`);
    const result = runCase(only);
    if (process.send === undefined) console.log(JSON.stringify(result));
    else process.send(result, () => process.disconnect());
    return;
  }
  const results: CaseResult[] = [];
  for (const name of CASES) {
    const result = await inChild(name);
    results.push(result);
    console.log(
      `${name.padEnd(14)} ${String(result.items).padStart(8)} ${result.unit.padEnd(10)} ${result.seconds.toFixed(2).padStart(6)} s (cpu ${result.cpuSeconds.toFixed(2)} s)  ${result.ratePerS.toLocaleString("en").padStart(11)} ${result.unit}/s  peak RSS ${result.peakRssMb} MB  valid=${String(result.valid)}${result.anomalyCounts === undefined ? "" : ` ${JSON.stringify(result.anomalyCounts)}`}  (generated in ${result.generateSeconds.toFixed(2)} s, cpu ${result.generateCpuSeconds.toFixed(2)} s; load ${result.loadAverage1m})${targetNote(result)}`,
    );
  }
  // Linearizability's streaming check (bench/stream.ts): 20M lines (10M operations) in bounded memory.
  const stream = await streamBench();
  const out = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "results", "bench-checkers.json");
  mkdirSync(dirname(out), { recursive: true });
  // the machine is shared: its load says how far wall-clock figures are from an idle run's
  const machine = { cpus: cpus().length, loadAverage1m: Math.round(loadavg()[0] * 10) / 10 };
  writeFileSync(out, JSON.stringify({ seed: SEED, node: process.version, machine, results, stream }, null, 2) + "\n");
  console.log(`load average ${machine.loadAverage1m} on ${machine.cpus} cpus`);
  console.log(`wrote ${out}`);
}

await main();

/**
 * bench:maelstrom: the Maelstrom runtime's figures.
 * - router: 25 real node processes each send a burst of one-way messages to
 *   the others through the router; messages routed per second, and the
 *   controller's CPU over that time;
 * - broadcast-25: a 25-node broadcast (examples/maelstrom/js/broadcast.js,
 *   grid, rate 100) under `tob maelstrom test`'s runner; the controller's CPU
 *   in cores over the run (the nodes' own CPU is theirs, not counted);
 * - check: each workload's checkers' time on the history of a short run
 *   against a correct example node.
 * Prints one line per figure and writes results/bench-maelstrom.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { MaelstromCluster } from "../clusters/maelstrom/cluster.js";
import { MAELSTROM_DEFAULTS, runMaelstrom, type MaelstromSpec } from "../src/controller/maelstrom-run.js";
import { readJsonl } from "../src/history/jsonl.js";
import type { Op } from "../src/history/op.js";
import { PACKAGE_ROOT } from "../src/paths.js";
import { findMaelstromWorkload } from "../workloads/maelstrom/index.js";

const NODES = 25;
const FLOOD_PER_NODE = 8_000;
const WAIT_MS_MAX = 120_000;
const EXAMPLES = join(PACKAGE_ROOT, "examples", "maelstrom", "js");
const scratch = mkdtempSync(join(tmpdir(), "tob-bench-maelstrom-"));

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

async function routerThroughput() {
  const dir = join(scratch, "router");
  mkdirSync(join(dir, "nodes"), { recursive: true });
  const cluster = new MaelstromCluster({
    dir,
    bin: process.execPath,
    args: [join(PACKAGE_ROOT, "bench", "maelstrom", "flood-node.js")],
    ids: Array.from({ length: NODES }, (_, i) => `n${i + 1}`),
    latencyMs: 0,
    latencyDist: "constant",
    seed: 1,
    logStderr: false,
    startTimeoutMs: 60_000,
    requestTimeoutMs: 60_000,
  });
  await cluster.start();
  try {
    const ids = cluster.nodes().map((n) => n.id);
    const client = cluster.client("n1");
    const total = NODES * FLOOD_PER_NODE;
    const cpu = process.cpuUsage();
    const start = performance.now();
    await Promise.all(ids.map((id) => client.rpc({ type: "flood", count: FLOOD_PER_NODE }, id)));
    let received = 0;
    while (received < total && performance.now() - start < WAIT_MS_MAX) {
      const counts = await Promise.all(ids.map((id) => client.rpc({ type: "count" }, id)));
      received = counts.reduce((a, c) => a + (c.type === "ok" ? Number(c.value.received) : 0), 0);
      if (received < total) await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - start) / 1000;
    return {
      nodes: NODES,
      messages: received,
      seconds: round(seconds),
      msgsPerS: Math.round(received / seconds),
      controllerCpuCores: round(cpuSeconds(cpu) / seconds),
    };
  } finally {
    await cluster.stop();
  }
}

function spec(workload: string, file: string, over: Partial<MaelstromSpec>): MaelstromSpec {
  return {
    name: `bench-${workload}`,
    workload,
    cluster: "maelstrom",
    bin: process.execPath,
    args: [join(EXAMPLES, file)],
    nodes: 3,
    nemesis: [],
    time: 5,
    recoveryS: 1,
    concurrency: 3,
    rate: 50,
    seed: 1,
    ...MAELSTROM_DEFAULTS,
    nemesisIntervalS: 4,
    nemesisDurationS: 2,
    opTimeoutMs: 5_000,
    initTimeoutMs: 60_000,
    ...over,
  };
}

async function broadcast25() {
  const s = spec("broadcast", "broadcast.js", { nodes: NODES, rate: 100, time: 10, concurrency: NODES, latencyMs: 10 });
  const cpu = process.cpuUsage();
  const start = performance.now();
  const { results } = await runMaelstrom(s, { outDir: join(scratch, "runs"), log: () => {} });
  const seconds = (performance.now() - start) / 1000;
  const net = results.results.net as Record<string, unknown>;
  return {
    nodes: NODES,
    rate: 100,
    seconds: round(seconds),
    controllerCpuCores: round(cpuSeconds(cpu) / seconds),
    valid: results.valid,
    interNodeMessages: net.servers,
    msgsPerOp: net["servers-msgs-per-op"],
  };
}

const CHECK_CASES: [string, string][] = [
  ["echo", "echo.js"],
  ["unique-ids", "unique-ids.js"],
  ["broadcast", "broadcast.js"],
  ["g-set", "g-set.js"],
  ["g-counter", "counter.js"],
  ["pn-counter", "counter.js"],
  ["lin-kv", "lin-kv-proxy.js"],
  ["txn-list-append", "txn-list-append.js"],
  ["txn-rw-register", "txn-rw-register.js"],
  ["kafka", "kafka.js"],
];

async function checkTimes() {
  const out: Record<string, unknown>[] = [];
  for (const [workload, file] of CHECK_CASES) {
    const s = spec(workload, file, {});
    const { runDir, results } = await runMaelstrom(s, { outDir: join(scratch, "runs"), log: () => {} });
    const history: Op[] = [];
    for await (const { op } of readJsonl(join(runDir, "history.jsonl"))) history.push(op);
    const checkers = (findMaelstromWorkload(workload) as NonNullable<ReturnType<typeof findMaelstromWorkload>>).make({
      seed: s.seed,
      nodes: ["n1", "n2", "n3"],
      concurrency: s.concurrency,
      keyCount: s.keyCount,
      maxTxnLength: s.maxTxnLength,
      maxWritesPerKey: s.maxWritesPerKey,
      topology: s.topology,
    }).checkers;
    const start = performance.now();
    for (const c of checkers) await c.check(history);
    out.push({ workload, events: history.length, checkMs: round(performance.now() - start), valid: results.valid });
  }
  return out;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

async function main() {
  const load = () => loadavg()[0]?.toFixed(2);
  const router = await routerThroughput();
  console.log(
    `router      ${router.nodes} nodes: ${router.messages.toLocaleString("en")} messages in ${router.seconds} s = ${router.msgsPerS.toLocaleString("en")} msgs/s; controller ${router.controllerCpuCores} cores (load ${load()})`,
  );
  const b = await broadcast25();
  console.log(
    `broadcast   ${b.nodes} nodes at ${b.rate} ops/s for ${b.seconds} s: controller ${b.controllerCpuCores} cores; ${String(b.interNodeMessages)} inter-node messages (${String(b.msgsPerOp)} per op); valid=${String(b.valid)} (load ${load()})`,
  );
  const checks = await checkTimes();
  for (const c of checks)
    console.log(
      `check       ${String(c.workload).padEnd(16)} ${String(c.events).padStart(6)} events  ${String(c.checkMs).padStart(8)} ms  valid=${String(c.valid)}`,
    );
  const file = join(PACKAGE_ROOT, "results", "bench-maelstrom.json");
  mkdirSync(join(PACKAGE_ROOT, "results"), { recursive: true });
  writeFileSync(
    file,
    JSON.stringify({ node: process.version, loadAverage1m: loadavg()[0], router, broadcast25: b, checks }, null, 2) + "\n",
  );
  console.log(`wrote ${file}`);
}

try {
  await main();
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

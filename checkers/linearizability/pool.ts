import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { distPath } from "../../src/paths.js";
import type { LinearizabilityOptions } from "./check.js";
import type { Partition } from "./partition.js";
import type { PartitionResult } from "./schedule.js";
import type { WorkerTask } from "./worker.js";

/** Below this many ops in all, starting threads (tens of ms each) costs more than it saves. */
const WORKER_OPS_MIN = 20_000;
const WORKERS_MAX = 4;
const WORKER_JS = distPath("checkers/linearizability/worker.js");

function workerCount(requested: number | undefined): number {
  return Math.max(0, Math.min(requested ?? availableParallelism(), WORKERS_MAX));
}

/** Threads pay with two or more partitions, enough ops, two or more cores, and the compiled worker. */
export function workersPay(partitions: Partition[], requested: number | undefined): boolean {
  if (requested === 0 || partitions.length < 2 || workerCount(requested) < 2 || !existsSync(WORKER_JS)) return false;
  const total = partitions.reduce((sum, p) => sum + p.ops.length, 0);
  return requested !== undefined || total >= WORKER_OPS_MIN;
}

/** Greedy balance: biggest partitions first, each to the least loaded thread. */
function assign(partitions: Partition[], threads: number): Partition[][] {
  const groups: Partition[][] = Array.from({ length: threads }, () => []);
  const load = new Array<number>(threads).fill(0);
  for (const p of [...partitions].sort((a, b) => b.ops.length - a.ops.length)) {
    const t = load.indexOf(Math.min(...load));
    groups[t].push(p);
    load[t] += p.ops.length;
  }
  return groups.filter((g) => g.length > 0);
}

/**
 * Checks partitions in worker threads. Each thread runs the same round-robin
 * schedule over its share; the first thread to find an illegal partition
 * ends the others, whose partitions are then unknown ("cancelled").
 */
export async function checkInWorkers(
  modelName: string,
  initial: unknown,
  partitions: Partition[],
  opts: LinearizabilityOptions,
): Promise<PartitionResult[]> {
  const groups = assign(partitions, Math.min(workerCount(opts.workers), partitions.length));
  const deadlineMs = Date.now() + (opts.timeoutMs ?? 30_000);
  const memoryBytesMax = Math.floor((opts.memoryBytesMax ?? 384 * 1024 * 1024) / groups.length);
  const workers = groups.map(() => new Worker(WORKER_JS));
  const settled = new Map<string, PartitionResult>();
  const stopAll = () => workers.forEach((w) => void w.terminate());
  const onAbort = () => stopAll();
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await Promise.all(
      groups.map(
        (group, t) =>
          new Promise<void>((resolve, reject) => {
            const w = workers[t];
            w.once("message", (results: PartitionResult[]) => {
              for (const r of results) settled.set(r.name, r);
              if (results.some((r) => r.valid === false)) stopAll();
              resolve();
            });
            w.once("error", reject);
            w.once("exit", () => resolve());
            const task: WorkerTask = { modelName, initial, partitions: group, deadlineMs, memoryBytesMax };
            w.postMessage(task);
          }),
      ),
    );
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    stopAll();
  }
  return partitions.map(
    (p) =>
      settled.get(p.name) ?? { name: p.name, valid: "unknown", ops: p.ops.length, steps: 0, ms: 0, linearized: 0, reason: "cancelled" },
  );
}

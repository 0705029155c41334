import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { distPath } from "../../src/paths.js";
import type { Partition } from "./partition.js";
import type { PartitionResult } from "./schedule.js";
import { encodePartitions } from "./wire.js";
import { ClaimLoop } from "./claim.js";
import { CANCELLED, type WorkerTask } from "./task.js";

const WORKERS_MAX = 4;
/** The main thread takes a share too, in turns this long, so its event loop still answers (abort, timers). */
const MAIN_TURN_MS = 50;
const WORKER_JS = distPath("checkers/linearizability/worker.js");

function threadCount(requested: number | undefined, partitions: number): number {
  return Math.max(0, Math.min(requested ?? availableParallelism(), WORKERS_MAX, partitions));
}

/**
 * Threads kept from one check to the next: starting one costs tens of
 * milliseconds and its code starts cold, which is more than most checks take.
 * Idle threads are unref'd, so they never keep the process alive.
 */
class ThreadPool {
  private readonly threads: Worker[] = [];
  private busy = false;

  available(): boolean {
    return !this.busy;
  }

  private thread(k: number): Worker {
    while (this.threads.length <= k) {
      const w = new Worker(WORKER_JS);
      w.unref();
      // A thread that dies is replaced on the next check.
      w.once("exit", () => this.threads.splice(this.threads.indexOf(w) >>> 0, 1));
      this.threads.push(w);
    }
    return this.threads[k];
  }

  async run(task: WorkerTask, count: number): Promise<PartitionResult[]> {
    this.busy = true;
    const used = Array.from({ length: count }, (_, k) => this.thread(k));
    try {
      const shares = await Promise.all(
        used.map(
          (w) =>
            new Promise<PartitionResult[]>((resolve, reject) => {
              const onError = (e: Error) => reject(e);
              const onExit = (code: number) => reject(new Error(`linearizability worker exited with ${code}`));
              w.once("error", onError);
              w.once("exit", onExit);
              w.once("message", (results: PartitionResult[]) => {
                w.off("error", onError);
                w.off("exit", onExit);
                resolve(results);
              });
              w.ref();
              w.postMessage(task);
            }),
        ),
      );
      return shares.flat();
    } finally {
      for (const w of used) w.unref();
      this.busy = false;
    }
  }
}

const pool = new ThreadPool();

/** Threads pay with two or more partitions, two or more threads allowed, the compiled worker, and a free pool. */
export function poolPays(partitions: Partition[], requested: number | undefined): boolean {
  return threadCount(requested, partitions.length) >= 2 && existsSync(WORKER_JS) && pool.available();
}

export interface PoolOptions {
  deadlineMs: number;
  memoryBytesMax: number;
  signal?: AbortSignal;
  workers?: number;
}

/**
 * Checks partitions in this thread and the persistent ones, biggest first;
 * each thread claims partitions as it frees up. This thread works too: on a
 * busy machine it is the one already running, where a woken worker may wait
 * for a core. The first illegal partition raises a shared flag that stops
 * the others; partitions never claimed are unknown ("cancelled").
 */
export async function checkInPool(
  modelName: string,
  initial: unknown,
  partitions: Partition[],
  opts: PoolOptions,
): Promise<PartitionResult[]> {
  const ordered = [...partitions].sort((a, b) => b.ops.length - a.ops.length);
  const count = threadCount(opts.workers, ordered.length);
  const control = new SharedArrayBuffer(8);
  const flags = new Int32Array(control);
  const onAbort = () => Atomics.store(flags, CANCELLED, 1);
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  const task: WorkerTask = {
    modelName,
    initial,
    partitions: encodePartitions(ordered),
    control,
    deadlineMs: opts.deadlineMs,
    memoryBytesMax: Math.floor(opts.memoryBytesMax / count),
  };
  try {
    const here = new ClaimLoop(task);
    const elsewhere = pool.run(task, count - 1);
    while (!here.turn(MAIN_TURN_MS)) await new Promise((resolve) => setImmediate(resolve));
    const settled = new Map([...here.results(), ...(await elsewhere)].map((r) => [r.name, r]));
    return partitions.map(
      (p) =>
        settled.get(p.name) ?? { name: p.name, valid: "unknown", ops: p.ops.length, steps: 0, ms: 0, linearized: 0, reason: "cancelled" },
    );
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
  }
}

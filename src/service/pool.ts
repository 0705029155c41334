import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { CheckJob, CheckProgress, JobOutcome, WorkerMessage } from "./protocol.js";

/** Thrown by `run` when every worker is busy and the queue is at its bound. */
export class QueueFullError extends Error {
  constructor(readonly retryAfterS: number) {
    super("the check queue is full");
    this.name = "QueueFullError";
  }
}

/** A job the pool had to stop or lost: the checker never answered for it. */
export type PoolOutcome = JobOutcome | { kind: "stopped"; reason: "deadline" | "out-of-memory" | "crashed" | "shutdown"; message: string };

export interface JobHooks {
  onStart?: () => void;
  onProgress?: (progress: CheckProgress) => void;
}

export interface PoolOptions {
  workerFile: string;
  size: number;
  queueMax: number;
  workerHeapMb: number;
  /** Beyond a job's own budget, how long a worker may take to answer before it is terminated. */
  graceMs: number;
}

/** A job as submitted: the pool adds where its worker writes the body. */
export type JobSpec = Omit<CheckJob, "scratchPath">;

interface Pending {
  job: JobSpec;
  hooks: JobHooks;
  resolve: (outcome: PoolOutcome) => void;
}

interface Slot {
  worker?: Worker;
  current?: Pending;
  deadline?: NodeJS.Timeout;
  startedMs?: number;
}

/**
 * A fixed number of worker threads, each running one check at a time, and a
 * bounded FIFO in front of them. The checker's own budget makes a check end
 * with "unknown"; the deadline here only catches a worker that stops answering.
 */
export class WorkerPool {
  private readonly slots: Slot[];
  private readonly queue: Pending[] = [];
  private durationMsMean = 100;
  private closed = false;
  /**
   * One file per worker thread, rewritten by each of its jobs: making and
   * removing a file per check cost more than the check itself. In RAM
   * (/dev/shm) where there is one; the folder goes at close().
   */
  private readonly scratchDir = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "tob-serve-"));

  constructor(private readonly opts: PoolOptions) {
    if (opts.size < 1 || opts.queueMax < 0) throw new Error("pool: size must be >= 1 and queueMax >= 0");
    this.slots = Array.from({ length: opts.size }, () => ({}));
    // Started now, so the first check does not pay for loading the checker (hundreds of ms).
    for (const slot of this.slots) this.spawn(slot);
  }

  get queueDepth(): number {
    return this.queue.length;
  }

  get running(): number {
    return this.slots.filter((s) => s.current !== undefined).length;
  }

  /** Queues a job; throws QueueFullError (synchronously) when there is no room. */
  run(job: JobSpec, hooks: JobHooks = {}): Promise<PoolOutcome> {
    if (this.closed) return Promise.resolve({ kind: "stopped", reason: "shutdown", message: "the service is shutting down" });
    const free = this.slots.find((s) => s.current === undefined);
    if (!free && this.queue.length >= this.opts.queueMax) throw new QueueFullError(this.retryAfterS());
    return new Promise((resolve) => {
      const pending = { job, hooks, resolve };
      if (free) this.start(free, pending);
      else this.queue.push(pending);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.resolve({ kind: "stopped", reason: "shutdown", message: "the service is shutting down" });
    await Promise.all(
      this.slots.map(async (slot) => {
        this.finish(slot, { kind: "stopped", reason: "shutdown", message: "the service is shutting down" });
        const worker = slot.worker;
        slot.worker = undefined;
        if (worker) await worker.terminate();
      }),
    );
    rmSync(this.scratchDir, { recursive: true, force: true });
  }

  /** Seconds until a queued job would likely start: the queue ahead over the workers, at the mean check time. */
  private retryAfterS(): number {
    const waitMs = (this.durationMsMean * (this.queue.length + 1)) / this.slots.length;
    return Math.min(60, Math.max(1, Math.ceil(waitMs / 1000)));
  }

  private start(slot: Slot, pending: Pending): void {
    slot.current = pending;
    slot.startedMs = performance.now();
    const worker = slot.worker ?? this.spawn(slot);
    slot.deadline = setTimeout(() => this.stopWorker(slot, "deadline"), pending.job.timeoutMs + this.opts.graceMs);
    pending.hooks.onStart?.();
    // Named by thread, so a stopped worker still writing can never clobber its successor's body.
    const job: CheckJob = { ...pending.job, scratchPath: join(this.scratchDir, `thread-${worker.threadId}`) };
    worker.postMessage(job);
  }

  private spawn(slot: Slot): Worker {
    const worker = new Worker(this.opts.workerFile, {
      resourceLimits: { maxOldGenerationSizeMb: this.opts.workerHeapMb },
      stdout: false,
      stderr: false,
    });
    // The slot may have moved on to a new worker by the time an old one reports.
    const mine = () => slot.worker === worker;
    worker.on("message", (msg: WorkerMessage) => {
      if (!mine() || slot.current?.job.id !== msg.id) return;
      if (msg.kind === "progress") slot.current.hooks.onProgress?.(msg.progress);
      else if (msg.kind === "done") this.finish(slot, msg.outcome);
      else this.finish(slot, { kind: "stopped", reason: "crashed", message: msg.message });
    });
    worker.on("error", (err: Error & { code?: string }) => {
      if (!mine()) return;
      slot.worker = undefined;
      const oom = err.code === "ERR_WORKER_OUT_OF_MEMORY";
      this.finish(
        slot,
        oom
          ? {
              kind: "stopped",
              reason: "out-of-memory",
              message: `the check needed more than the worker heap limit of ${this.opts.workerHeapMb} MB`,
            }
          : { kind: "stopped", reason: "crashed", message: err.message },
      );
    });
    worker.on("exit", () => {
      if (!mine()) return;
      slot.worker = undefined;
      this.finish(slot, { kind: "stopped", reason: "crashed", message: "the check worker exited" });
    });
    slot.worker = worker;
    return worker;
  }

  private stopWorker(slot: Slot, reason: "deadline"): void {
    const worker = slot.worker;
    slot.worker = undefined;
    const budgetMs = slot.current?.job.timeoutMs ?? 0;
    this.finish(slot, {
      kind: "stopped",
      reason,
      message: `the check did not answer within its budget of ${budgetMs} ms plus ${this.opts.graceMs} ms; its worker was stopped`,
    });
    void worker?.terminate();
  }

  /** Ends the slot's job (at most once) and hands the slot the next queued job. */
  private finish(slot: Slot, outcome: PoolOutcome): void {
    const pending = slot.current;
    if (!pending) return;
    clearTimeout(slot.deadline);
    const elapsedMs = performance.now() - (slot.startedMs ?? 0);
    this.durationMsMean = 0.8 * this.durationMsMean + 0.2 * elapsedMs;
    slot.current = undefined;
    slot.deadline = undefined;
    pending.resolve(outcome);
    const next = this.closed ? undefined : this.queue.shift();
    if (next) this.start(slot, next);
  }
}

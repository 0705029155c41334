import { makeModel } from "./models/index.js";
import { Schedule, type PartitionResult } from "./schedule.js";
import { CANCELLED, NEXT, type WorkerTask } from "./task.js";
import { decodePartition, partitionCount } from "./wire.js";

/** A thread whose partitions are still undecided after this long claims another one too, so one explosive partition cannot hide an illegal one queued behind it. */
const CLAIM_AGAIN_MS = 100;

/**
 * One thread's share of a pooled check: it claims partitions from the shared
 * queue (an atomic counter) and searches them round-robin. Worker threads
 * run it to the end in one go; the main thread runs it in turns, between
 * which its event loop breathes.
 */
export class ClaimLoop {
  private readonly control: Int32Array;
  private readonly count: number;
  private readonly schedule: Schedule;
  private queueOpen: boolean;
  private sinceClaimMs = 0;

  constructor(private readonly task: WorkerTask) {
    this.control = new Int32Array(task.control);
    this.count = partitionCount(task.partitions);
    this.schedule = new Schedule(makeModel(task.modelName, task.initial), [], {
      deadlineMs: task.deadlineMs,
      memoryBytesMax: task.memoryBytesMax,
      cancelled: () => this.cancelled(),
    });
    this.queueOpen = this.claim();
  }

  private cancelled(): boolean {
    return Atomics.load(this.control, CANCELLED) === 1;
  }

  private claim(): boolean {
    if (this.cancelled()) return false;
    const k = Atomics.add(this.control, NEXT, 1);
    if (k >= this.count) return false;
    this.schedule.add(decodePartition(this.task.partitions, k));
    this.sinceClaimMs = 0;
    return true;
  }

  /** Works for about `budgetMs`; true once this thread has nothing left (then results() is final). */
  turn(budgetMs: number): boolean {
    const until = performance.now() + budgetMs;
    // Bounded: each pass claims one of `count` partitions, or works until the deadline or `until`.
    for (let pass = 0; ; pass++) {
      if (this.schedule.done()) {
        if (this.schedule.illegal() || !this.queueOpen) return this.finish();
        this.queueOpen = this.claim();
        continue;
      }
      const sliceMs = Math.min(CLAIM_AGAIN_MS - this.sinceClaimMs, until - performance.now());
      const t0 = performance.now();
      this.schedule.work(Math.max(0, sliceMs));
      this.sinceClaimMs += performance.now() - t0;
      if (!this.schedule.done() && this.queueOpen && this.sinceClaimMs >= CLAIM_AGAIN_MS) this.queueOpen = this.claim();
      if (performance.now() >= until && !this.schedule.done()) return false;
    }
  }

  private finish(): boolean {
    if (this.schedule.illegal()) Atomics.store(this.control, CANCELLED, 1);
    return true;
  }

  results(): PartitionResult[] {
    return this.schedule.partitionResults();
  }
}

import type { Verdict } from "../checker.js";
import { explain, type Anomaly } from "./explain.js";
import type { Model } from "./model.js";
import { partitionInitial, type Partition } from "./partition.js";
import { Search } from "./search.js";

export type UnknownReason = "timeout" | "memory" | "cancelled";

export interface PartitionResult {
  name: string;
  valid: Verdict;
  ops: number;
  steps: number;
  ms: number;
  /** Ops in the longest linearization found. */
  linearized: number;
  reason?: UnknownReason;
  anomaly?: Anomaly;
}

export interface ScheduleOptions {
  /** Date.now() past which every undecided partition is unknown. */
  deadlineMs: number;
  /** Past this, the biggest search is abandoned (unknown) to keep memory bounded. */
  memoryBytesMax: number;
  signal?: AbortSignal;
  /** Another thread decided the history (or gave up): stop, as with an aborted signal. */
  cancelled?: () => boolean;
}

/** Steps per turn: small enough to check the clock often, large enough to amortize it. */
const SLICE_STEPS = 4096;

/**
 * Runs one search per partition, round-robin in slices, so a partition that
 * explodes cannot starve the others: the first illegal partition decides the
 * history and cancels the rest (kv c50-bad depends on that).
 */
export class Schedule {
  private readonly searches: Search[] = [];
  private readonly results: PartitionResult[] = [];
  private readonly partitions: Partition[] = [];
  private running: number[] = [];
  private decided = false;

  constructor(
    private readonly model: Model,
    partitions: Partition[],
    private readonly opts: ScheduleOptions,
  ) {
    for (const p of partitions) this.add(p);
    // Small partitions first: they finish in their first turn and may decide at once.
    this.running.sort((a, b) => partitions[a].ops.length - partitions[b].ops.length);
  }

  /** Takes one more partition into the round-robin (a worker thread claims them one by one). */
  add(p: Partition): void {
    this.running.push(this.partitions.length);
    this.partitions.push(p);
    this.searches.push(new Search(this.model, p.ops, partitionInitial(this.model, p)));
    this.results.push({ name: p.name, valid: "unknown", ops: p.ops.length, steps: 0, ms: 0, linearized: 0 });
  }

  /** True once a partition is illegal (the history is decided) or every partition is settled. */
  done(): boolean {
    return this.decided || this.running.length === 0;
  }

  /** True if some partition was found illegal. */
  illegal(): boolean {
    return this.decided;
  }

  /** The partitions still being searched. */
  undecided(): Partition[] {
    return this.running.map((i) => this.partitions[i]);
  }

  /** Stops searching the undecided partitions (freeing their caches) and returns them, for other threads to check. */
  handOver(): Partition[] {
    const handed = this.undecided();
    for (const i of this.running) this.searches[i].abandon();
    this.running = [];
    return handed;
  }

  /** Works for about `budgetMs` (at least one turn); true once every partition is decided or given up. */
  work(budgetMs: number): boolean {
    const until = performance.now() + budgetMs;
    for (let turn = 0; !this.decided && this.running.length > 0; turn++) {
      if (this.opts.signal?.aborted || this.opts.cancelled?.()) return this.stop("cancelled");
      if (Date.now() >= this.opts.deadlineMs) return this.stop("timeout");
      this.round();
      this.boundMemory();
      if (turn > 0 && performance.now() >= until) return this.decided || this.running.length === 0;
    }
    return true;
  }

  private round(): void {
    for (const i of this.running) {
      const t0 = performance.now();
      const status = this.searches[i].run(SLICE_STEPS);
      const r = this.results[i];
      r.ms += performance.now() - t0;
      r.steps = this.searches[i].steps;
      if (status === "running") continue;
      this.settle(i, status === "ok");
      if (status === "illegal") {
        this.decided = true;
        this.stop("cancelled");
        return;
      }
    }
    this.running = this.running.filter((i) => this.searches[i].status === "running");
  }

  private settle(i: number, ok: boolean): void {
    const r = this.results[i];
    const best = this.searches[i].bestLinearization();
    r.valid = ok;
    r.linearized = best.order.length;
    if (!ok) r.anomaly = explain(this.model, this.partitions[i].name, this.partitions[i].ops, best.order, best.state);
  }

  private boundMemory(): void {
    let total = 0;
    let biggest = -1;
    for (const i of this.running) {
      const bytes = this.searches[i].memoryBytes();
      total += bytes;
      if (biggest < 0 || bytes > this.searches[biggest].memoryBytes()) biggest = i;
    }
    if (total <= this.opts.memoryBytesMax || biggest < 0) return;
    this.giveUp(biggest, "memory");
    this.running = this.running.filter((i) => i !== biggest);
  }

  private giveUp(i: number, reason: UnknownReason): void {
    const search = this.searches[i];
    search.abandon();
    const r = this.results[i];
    r.reason = reason;
    r.linearized = search.bestLinearization().order.length;
  }

  private stop(reason: UnknownReason): boolean {
    for (const i of this.running) if (this.searches[i].status === "running") this.giveUp(i, reason);
    this.running = [];
    return true;
  }

  /** Every partition's result, in the order they were added. */
  partitionResults(): PartitionResult[] {
    return this.results;
  }
}

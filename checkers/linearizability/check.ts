import { renderHtml } from "./html.js";
import type { History } from "../../src/history/op.js";
import { pairOperations, type Locate, type Operation } from "../../src/history/pair.js";
import type { CheckOptions, CheckResult, Checker, Verdict } from "../checker.js";
import { worstVerdict } from "../verdict.js";
import type { Anomaly } from "./explain.js";
import type { Model } from "./model.js";
import { makeModel } from "./models/index.js";
import { partitionOps, prepare, type Partition } from "./partition.js";
import { Schedule, type PartitionResult } from "./schedule.js";
import { checkInPool, poolPays } from "./pool.js";

export interface LinearizabilityOptions extends CheckOptions {
  /** A model name (see models/index.ts) or a model object. */
  model: string | Model;
  /** The initial state, parsed JSON; undefined for the model's default. */
  initial?: unknown;
  /** Split product states by footprint (see model.ts); default true. */
  decompose?: boolean;
  /** Worker threads for partitions: 0 = never; default decides by size. */
  workers?: number;
  memoryBytesMax?: number;
  /** Names an op's place (file and line) in error messages. */
  locate?: Locate;
}

export interface LinearizabilityResult extends CheckResult {
  valid: Verdict;
  model: string;
  "op-count": number;
  "time-ms": number;
  /** Per partition (per key): its verdict and effort, like Elle's per-key results. */
  partitions: Record<string, Omit<PartitionResult, "anomaly" | "name">>;
  "anomaly-types": string[];
  anomalies: Anomaly[];
}

/** What the CLI needs besides the result: the ops of each partition, for the HTML view and shrinking. */
export interface CheckRun {
  result: LinearizabilityResult;
  partitions: Partition[];
  model: Model;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MEMORY_BYTES_MAX = 384 * 1024 * 1024;
/** Between turns of an in-thread check, let the event loop breathe (abort signals, timers). */
const TURN_MS = 50;
/** A check starts in this thread: most are decided within this, in less than a hand-over to threads costs. */
const IN_THREAD_FIRST_MS = 4;
/** From this many ops over two or more partitions, a check goes to the threads at once: a first round here would be thrown away. */
const POOL_FIRST_OPS_MIN = 1_000;

function assemble(modelName: string, opCount: number, results: PartitionResult[], t0: number): LinearizabilityResult {
  const partitions: LinearizabilityResult["partitions"] = {};
  const anomalies: Anomaly[] = [];
  for (const { name, anomaly, ...rest } of results) {
    partitions[name] = { ...rest, ms: Math.round(rest.ms * 100) / 100 };
    if (anomaly) anomalies.push(anomaly);
  }
  return {
    valid: worstVerdict(results.map((r) => r.valid)),
    model: modelName,
    "op-count": opCount,
    "time-ms": Math.round((performance.now() - t0) * 100) / 100,
    partitions,
    "anomaly-types": anomalies.length > 0 ? ["nonlinearizable"] : [],
    anomalies,
  };
}

/**
 * Runs the schedule in this thread for a moment; partitions still undecided
 * then go to the thread pool when the model can be rebuilt there (a named
 * model) and there are two or more; otherwise the search goes on here,
 * yielding to the event loop between turns.
 */
async function runPartitions(model: Model, partitions: Partition[], opts: LinearizabilityOptions): Promise<PartitionResult[]> {
  const deadlineMs = Date.now() + (opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const memoryBytesMax = opts.memoryBytesMax ?? DEFAULT_MEMORY_BYTES_MAX;
  // Only a named model can be rebuilt in another thread.
  const name = typeof opts.model === "string" ? opts.model : undefined;
  const pooled = { deadlineMs, memoryBytesMax, signal: opts.signal, workers: opts.workers };
  const opCount = partitions.reduce((sum, p) => sum + p.ops.length, 0);
  if (name !== undefined && opCount >= POOL_FIRST_OPS_MIN && poolPays(partitions, opts.workers))
    return checkInPool(name, opts.initial, partitions, pooled);
  const schedule = new Schedule(model, partitions, { deadlineMs, memoryBytesMax, signal: opts.signal });
  let done = schedule.work(IN_THREAD_FIRST_MS);
  if (!done && name !== undefined && poolPays(schedule.undecided(), opts.workers)) {
    const handed = await checkInPool(name, opts.initial, schedule.handOver(), pooled);
    const byName = new Map(handed.map((r) => [r.name, r]));
    return schedule.partitionResults().map((r) => byName.get(r.name) ?? r);
  }
  while (!done) {
    await new Promise((resolve) => setImmediate(resolve));
    done = schedule.work(TURN_MS);
  }
  return schedule.partitionResults();
}

/** Checks already-paired operations (the shrinker and the tests start here). */
export async function checkOperations(operations: Operation[], opts: LinearizabilityOptions): Promise<CheckRun> {
  const t0 = performance.now();
  const model = typeof opts.model === "string" ? makeModel(opts.model, opts.initial) : opts.model;
  const ops = prepare(model, operations, opts.locate ?? ((i) => `op ${i}`));
  const partitions = partitionOps(model, ops, opts.decompose ?? true);
  const results = await runPartitions(model, partitions, opts);
  return { result: assemble(model.name, operations.length, results, t0), partitions, model };
}

/** Checks a history (invocations and completions) for linearizability under a model. */
export async function checkHistory(history: History, opts: LinearizabilityOptions): Promise<CheckRun> {
  return checkOperations(pairOperations(history, opts.locate), opts);
}

/** The linearizability checker as a `Checker` for the run controller: a model name, options. */
export function linearizabilityChecker(model: string, options: Omit<LinearizabilityOptions, "model"> = {}): Checker {
  makeModel(model, options.initial); // an unknown model or a bad initial state fails here, not after a run
  return {
    name: `linearizability(${model})`,
    async check(history: History, opts: CheckOptions = {}): Promise<CheckResult> {
      const run = await checkHistory(history, { ...options, ...opts, model });
      if (run.result.valid !== false) return run.result;
      // A violation comes with its counterexample, drawn for people to look at.
      const byName = new Map(run.partitions.map((p) => [p.name, p.ops]));
      return { ...run.result, artifacts: { "timeline.html": renderHtml(`linearizability(${model})`, run.result, byName) } };
    },
  };
}

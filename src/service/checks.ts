import type { Metrics } from "./metrics.js";
import type { PoolOutcome, WorkerPool } from "./pool.js";
import { type CheckRecord, newCheckId } from "./record.js";
import type { CheckStore } from "./store.js";

export interface CheckParams {
  checker?: string;
  model?: string;
  consistencyModels?: string[];
  format?: string;
  initial?: string;
  timeoutS: number;
}

export interface Submitted {
  record: CheckRecord;
  /** Resolves once the check is finished and, when worth keeping, on disk. */
  finished: Promise<CheckRecord>;
}

/**
 * Turns a request body into a check: a record the API can show at once, a job
 * for the pool, and, when the job ends, the record's final state on disk.
 */
export class CheckService {
  constructor(
    private readonly store: CheckStore,
    private readonly pool: WorkerPool,
    private readonly metrics: Metrics,
    private readonly log: (msg: string) => void,
  ) {}

  /** Throws QueueFullError, before anything is stored, when the pool has no room. */
  submit(body: string, params: CheckParams, opts: { dropIfRefused?: boolean } = {}): Submitted {
    const record: CheckRecord = {
      id: newCheckId(),
      status: "queued",
      ...(params.checker ? { checker: params.checker } : {}),
      ...(params.model ? { model: params.model } : {}),
      ...(params.format ? { format: params.format } : {}),
      timeoutS: params.timeoutS,
      bytes: Buffer.byteLength(body),
      createdAt: new Date().toISOString(),
      hasTimeline: false,
    };
    let startedMs = 0;
    const done = this.pool.run(
      {
        id: record.id,
        body,
        checker: params.checker,
        model: params.model,
        consistencyModels: params.consistencyModels,
        format: params.format,
        initial: params.initial,
        timeoutMs: params.timeoutS * 1000,
      },
      {
        onStart: () => {
          startedMs = performance.now();
          record.status = "running";
          record.startedAt = new Date().toISOString();
        },
        onProgress: (progress) => {
          record.progress = progress;
        },
      },
    );
    this.store.add(record);
    const finished = done.then((outcome) => this.finish(record, outcome, performance.now() - startedMs, opts.dropIfRefused ?? false));
    return { record, finished };
  }

  private async finish(record: CheckRecord, outcome: PoolOutcome, durationMs: number, dropIfRefused: boolean): Promise<CheckRecord> {
    record.finishedAt = new Date().toISOString();
    record.durationMs = Math.round(durationMs * 1000) / 1000;
    delete record.progress;
    let timelineHtml: string | undefined;
    if (outcome.kind === "result") {
      record.status = "done";
      record.checker = outcome.checker;
      record.result = outcome.result;
      record.ops = outcome.ops;
      timelineHtml = outcome.timelineHtml;
      record.hasTimeline = timelineHtml !== undefined;
      const valid = outcome.result.valid;
      this.metrics.checkFinished(valid === true ? "valid" : valid === false ? "invalid" : "unknown", durationMs / 1000);
    } else if (outcome.kind === "input-error") {
      record.status = "failed";
      record.error = { message: outcome.message, ...(outcome.line !== undefined ? { line: outcome.line } : {}) };
      this.metrics.checkFinished("input_error", durationMs / 1000);
    } else if (outcome.reason === "deadline") {
      // The budget ran out and the worker did not even answer "unknown": still unknown, not an error.
      record.status = "done";
      record.result = { valid: "unknown", error: outcome.message };
      this.metrics.checkFinished("unknown", durationMs / 1000);
    } else {
      record.status = "failed";
      record.error = { message: outcome.message, reason: outcome.reason };
      this.metrics.checkFinished("stopped", durationMs / 1000);
    }
    if (outcome.kind === "stopped" && outcome.reason === "shutdown") return record;
    // A refused body answered at once with 400 has nothing to look up later.
    if (outcome.kind === "input-error" && dropIfRefused) {
      await this.store.drop(record.id);
      return record;
    }
    try {
      await this.store.persist(record, timelineHtml);
    } catch (err) {
      // The result is still served from memory; only a restart would lose it.
      this.log(`check ${record.id}: could not persist: ${(err as Error).message}`);
    }
    return record;
  }
}

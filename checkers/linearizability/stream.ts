import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { where } from "../../src/history/jsonl.js";
import type { Operation } from "../../src/history/pair.js";
import { checkOperations, DEFAULT_TIMEOUT_MS, type LinearizabilityResult } from "./check.js";
import type { Anomaly } from "./explain.js";
import { makeModel } from "./models/index.js";
import { spillByKey, type SpillProgress } from "./spill.js";
import { decodeOp, type OpTuple } from "./wire.js";

export interface StreamOptions {
  model: string;
  initial?: unknown;
  /** The search budget of each bucket (a bucket holds many keys), not of the whole stream. */
  timeoutMs?: number;
  /** Where the spill files go (a fresh folder inside it, removed at the end); the OS temp folder by default. */
  tmpDir?: string;
  signal?: AbortSignal;
  /** History bytes per bucket (spill.ts's default otherwise): the memory bound's knob. */
  bucketBytes?: number;
  onProgress?: (p: StreamProgress) => void;
}

export type StreamProgress =
  | ({ phase: "split" } & SpillProgress)
  | { phase: "check"; bucket: number; buckets: number; operationsChecked: number; operations: number };

/** As a whole-history result, but `partitions` lists only the partitions that are not valid: a stream may hold millions. */
export interface StreamResult extends LinearizabilityResult {
  "partitions-checked": number;
  "partitions-valid": number;
  buckets: number;
  "buckets-checked": number;
  lines: number;
}

function readBucket(file: string): Operation[] {
  const ops: Operation[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) if (line !== "") ops.push(decodeOp(JSON.parse(line) as OpTuple));
  ops.sort((a, b) => a.invoke - b.invoke);
  ops.forEach((op, id) => (op.id = id));
  return ops;
}

/**
 * Checks a JSONL history too big for memory: one streaming pass splits it by
 * partition key into bucket files (spill.ts), then buckets are checked one
 * at a time, each with the thread pool over its keys. Memory is bounded by
 * the biggest bucket, not the history. The first invalid bucket decides.
 */
export async function checkStream(path: string, opts: StreamOptions): Promise<StreamResult> {
  const t0 = performance.now();
  const model = makeModel(opts.model, opts.initial);
  const dir = mkdtempSync(join(opts.tmpDir ?? tmpdir(), "tob-stream-"));
  try {
    const spilled = await spillByKey(path, model, dir, opts.bucketBytes, (p) => opts.onProgress?.({ phase: "split", ...p }));
    const partitions: LinearizabilityResult["partitions"] = {};
    const anomalies: Anomaly[] = [];
    let checked = 0;
    let partitionsChecked = 0;
    let partitionsValid = 0;
    let operationsChecked = 0;
    let valid: LinearizabilityResult["valid"] = true;
    for (const file of spilled.files) {
      if (valid === false || opts.signal?.aborted) break;
      const ops = readBucket(file);
      rmSync(file);
      const { result } = await checkOperations(ops, {
        model: opts.model,
        initial: opts.initial,
        timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        signal: opts.signal,
        locate: (line) => where(path, line),
      });
      for (const [name, p] of Object.entries(result.partitions)) {
        partitionsChecked++;
        if (p.valid === true) partitionsValid++;
        else partitions[name] = p;
      }
      anomalies.push(...result.anomalies);
      if (result.valid === false) valid = false;
      else if (result.valid === "unknown") valid = "unknown";
      checked++;
      operationsChecked += ops.length;
      opts.onProgress?.({
        phase: "check",
        bucket: checked,
        buckets: spilled.files.length,
        operationsChecked,
        operations: spilled.operations,
      });
    }
    if (valid === true && checked < spilled.files.length) valid = "unknown";
    return {
      valid,
      model: model.name,
      "op-count": spilled.operations,
      "time-ms": Math.round(performance.now() - t0),
      partitions,
      "anomaly-types": anomalies.length > 0 ? ["nonlinearizable"] : [],
      anomalies,
      "partitions-checked": partitionsChecked,
      "partitions-valid": partitionsValid,
      buckets: spilled.files.length,
      "buckets-checked": checked,
      lines: spilled.lines,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

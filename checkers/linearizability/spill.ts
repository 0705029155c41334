import { closeSync, createReadStream, openSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { InputError } from "../../src/history/input-error.js";
import { parseJsonlLine, where } from "../../src/history/jsonl.js";
import { Pairer, type Operation } from "../../src/history/pair.js";
import type { Model } from "./model.js";
import { encodeOp } from "./wire.js";

/** Each bucket's bytes are written once this many are buffered: memory is buckets x this, whatever the history's size. */
const FLUSH_BYTES = 64 * 1024;
/** A bucket holds about this many bytes of history, so checking one fits in memory with room for the search. */
export const BUCKET_BYTES_TARGET = 24 * 1024 * 1024;
const BUCKETS_MAX = 4096;

export interface SpillProgress {
  lines: number;
  bytesRead: number;
  bytesTotal: number;
}

export interface Spilled {
  dir: string;
  files: string[];
  /** Operations written (paired; fails dropped). */
  operations: number;
  lines: number;
}

/** FNV-1a: a partition key's bucket, the same in every run. */
function bucketOf(key: string, buckets: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % buckets;
}

function bucketCount(bytesTotal: number, bucketBytes: number): number {
  return Math.min(BUCKETS_MAX, Math.max(1, Math.ceil(bytesTotal / bucketBytes)));
}

class BucketWriter {
  private readonly fds: number[];
  private readonly pending: string[][];
  private readonly pendingBytes: number[];

  constructor(readonly files: string[]) {
    this.fds = files.map((f) => openSync(f, "w"));
    this.pending = files.map(() => []);
    this.pendingBytes = files.map(() => 0);
  }

  write(bucket: number, line: string): void {
    this.pending[bucket].push(line);
    this.pendingBytes[bucket] += line.length;
    if (this.pendingBytes[bucket] >= FLUSH_BYTES) this.flush(bucket);
  }

  private flush(bucket: number): void {
    if (this.pending[bucket].length === 0) return;
    writeSync(this.fds[bucket], this.pending[bucket].join(""));
    this.pending[bucket] = [];
    this.pendingBytes[bucket] = 0;
  }

  close(): void {
    this.files.forEach((_, b) => this.flush(b));
    for (const fd of this.fds) closeSync(fd);
  }
}

/**
 * Reads a JSONL history as a stream, pairs its ops, and appends each
 * operation to the spill file of its partition key's bucket, in `dir`. An
 * operation's positions are its invoke's and completion's line numbers, so
 * real-time order survives the split and errors name the line. Memory: the
 * open calls and the write buffers, not the history.
 */
export async function spillByKey(
  path: string,
  model: Model,
  dir: string,
  bucketBytes = BUCKET_BYTES_TARGET,
  onProgress?: (p: SpillProgress) => void,
): Promise<Spilled> {
  const bytesTotal = statSync(path).size;
  const buckets = bucketCount(bytesTotal, bucketBytes);
  const writer = new BucketWriter(Array.from({ length: buckets }, (_, b) => join(dir, `bucket-${b}.jsonl`)));
  const locate = (line: number, field?: string) => where(path, line, field);
  const pairer = new Pairer(locate);
  let operations = 0;
  let lines = 0;
  let index = 0;
  const emit = (op: Operation) => {
    const problem = model.validate(op);
    if (problem !== undefined) throw new InputError(`${locate(op.invoke, problem.field)}: model ${model.name}: ${problem.text}`);
    const key = (model.partition ? model.partition(op) : op.key) ?? "";
    writer.write(bucketOf(key, buckets), JSON.stringify(encodeOp(op)) + "\n");
    operations++;
  };
  const input = createReadStream(path, { encoding: "utf8" });
  try {
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      lines++;
      if (text.trim() === "") continue;
      const done = pairer.push(parseJsonlLine(text, index++, path, lines), lines);
      if (done !== undefined) emit(done);
      if (lines % 250_000 === 0) onProgress?.({ lines, bytesRead: input.bytesRead, bytesTotal });
    }
    for (const op of pairer.unfinished()) emit(op);
  } finally {
    input.destroy();
    writer.close();
  }
  onProgress?.({ lines, bytesRead: bytesTotal, bytesTotal });
  return { dir, files: writer.files, operations, lines };
}

import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { InputError } from "./input-error.js";
import type { Op, OpType, Process } from "./op.js";

const OP_TYPES: ReadonlySet<string> = new Set(["invoke", "ok", "fail", "info"]);

/** Names the place of a problem in messages: "history.jsonl line 12, field type". */
export function where(file: string, line: number, field?: string): string {
  return `${file} line ${line}${field === undefined ? "" : `, field "${field}"`}`;
}

/**
 * Checks one parsed record against the Op seam. `index` is the dense position
 * given by the reader; a record's own index, when present, must agree with it
 * so that a reordered or spliced file is caught instead of silently renumbered.
 */
export function toOp(record: unknown, index: number, file: string, line: number): Op {
  if (record === null || typeof record !== "object" || Array.isArray(record)) {
    throw new InputError(`${where(file, line)}: expected an op object`);
  }
  const r = record as Record<string, unknown>;
  const type = r.type;
  if (typeof type !== "string" || !OP_TYPES.has(type)) {
    throw new InputError(`${where(file, line, "type")}: expected invoke, ok, fail or info, got ${JSON.stringify(type)}`);
  }
  const process = r.process;
  if (!(typeof process === "string" || (typeof process === "number" && Number.isInteger(process)))) {
    throw new InputError(`${where(file, line, "process")}: expected an integer or a string, got ${JSON.stringify(process)}`);
  }
  if (typeof r.f !== "string" || r.f === "") {
    throw new InputError(`${where(file, line, "f")}: expected a function name, got ${JSON.stringify(r.f)}`);
  }
  const time = r.time === undefined ? index : r.time;
  if (typeof time !== "number" || !Number.isFinite(time)) {
    throw new InputError(`${where(file, line, "time")}: expected a number of nanoseconds, got ${JSON.stringify(r.time)}`);
  }
  if (r.key !== undefined && typeof r.key !== "string") {
    throw new InputError(`${where(file, line, "key")}: expected a string, got ${JSON.stringify(r.key)}`);
  }
  const op: Op = { index, time, process: process as Process, type: type as OpType, f: r.f, value: r.value ?? null };
  if (r.key !== undefined) op.key = r.key as string;
  if (typeof r.node === "string") op.node = r.node;
  if (typeof r.error === "string") op.error = r.error;
  return op;
}

/** One JSONL line to an op; blank lines are the caller's to skip. */
export function parseJsonlLine(text: string, index: number, file: string, line: number): Op {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${where(file, line)}: not valid JSON (${(err as Error).message})`);
  }
  return toOp(record, index, file, line);
}

/**
 * Streams ops from a JSONL file one line at a time, so a history of millions
 * of ops never sits in memory as one string.
 */
export async function* readJsonl(path: string): AsyncGenerator<{ op: Op; line: number }> {
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let lineNo = 0;
  let index = 0;
  for await (const text of lines) {
    lineNo++;
    if (text.trim() === "") continue;
    yield { op: parseJsonlLine(text, index, path, lineNo), line: lineNo };
    index++;
  }
}
